//! Promo codes shared by every merchant (CONTRACTS.md §3): `SAVE10` (10 % off items, as
//! line-item discounts), `FREESHIP` (shipping discounted to zero, as shipment discounts) and
//! `EXPIRED` (rejected). v2 applies every code or none (ENDPOINTS.md §1 #21); v1
//! applies the best valid subset (ENDPOINTS.md §1 #23). A merchant with the `one_promo_code` trait refuses
//! a second code (`MultipleDiscountCodesNotSupported 409`, ENDPOINTS.md §7 C40 table).

use crate::model::fixtures::MerchantFixture;
use crate::model::money::mul_div_round;
use crate::rules::{Rule, RuleResult};

/// The codes a demo offers and what each does (CONTRACTS.md §3): `(code, effect)`, the
/// effect `items_10_percent`, `free_shipping` or `rejected`.
pub const DEMO_PROMO_CODES: &[(&str, &str)] = &[
    ("SAVE10", "items_10_percent"),
    ("FREESHIP", "free_shipping"),
    ("EXPIRED", "rejected"),
];

/// At most this many codes per request (ENDPOINTS.md §1 #21).
pub const MAX_CODES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promo {
    Save10,
    FreeShip,
}

/// A discount line in minor units (rendered as `{code, description, amount}`, ENDPOINTS.md §2.4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    pub code: &'static str,
    pub description: &'static str,
    pub minor: i64,
}

/// A known code, or why it is refused.
pub fn lookup(code: &str) -> RuleResult<Promo> {
    match code.trim().to_ascii_uppercase().as_str() {
        "SAVE10" => Ok(Promo::Save10),
        "FREESHIP" => Ok(Promo::FreeShip),
        "EXPIRED" => Err(Rule::InvalidPromoCode {
            code: code.trim().to_string(),
            expired: true,
        }),
        _ => Err(Rule::InvalidPromoCode {
            code: code.trim().to_string(),
            expired: false,
        }),
    }
}

impl Promo {
    pub fn code(self) -> &'static str {
        match self {
            Promo::Save10 => "SAVE10",
            Promo::FreeShip => "FREESHIP",
        }
    }

    pub fn line_discount(self, line_minor: i64) -> Option<Discount> {
        match self {
            Promo::Save10 if line_minor > 0 => Some(Discount {
                code: "SAVE10",
                description: "10% off items",
                minor: mul_div_round(line_minor, 10, 100),
            }),
            _ => None,
        }
    }

    pub fn shipping_discount(self, cost_minor: i64) -> Option<Discount> {
        match self {
            Promo::FreeShip if cost_minor > 0 => Some(Discount {
                code: "FREESHIP",
                description: "Free shipping",
                minor: cost_minor,
            }),
            _ => None,
        }
    }
}

fn check_count(codes: &[String]) -> RuleResult<()> {
    if codes.is_empty() || codes.len() > MAX_CODES {
        return Err(Rule::InvalidInput(format!(
            "promo_codes must hold between 1 and {MAX_CODES} codes."
        )));
    }
    Ok(())
}

fn check_single(m: &MerchantFixture, codes: &[String]) -> RuleResult<()> {
    if m.traits.one_promo_code && codes.len() > 1 {
        return Err(Rule::MultipleDiscountCodes);
    }
    Ok(())
}

/// v2: every requested code must be valid; the codes join those already applied.
pub fn apply_v2(
    m: &MerchantFixture,
    current: &[String],
    requested: &[String],
) -> RuleResult<Vec<String>> {
    check_count(requested)?;
    let promos = requested
        .iter()
        .map(|c| lookup(c))
        .collect::<RuleResult<Vec<Promo>>>()?;
    let mut next = current.to_vec();
    for p in promos {
        if !next.iter().any(|c| c == p.code()) {
            next.push(p.code().to_string());
        }
    }
    check_single(m, &next)?;
    Ok(next)
}

/// v1: the best valid subset replaces the applied codes; none valid ⇒ `InvalidPromoCode`
/// (naming an expired code when one was sent).
pub fn apply_v1(m: &MerchantFixture, requested: &[String]) -> RuleResult<Vec<String>> {
    check_count(requested)?;
    let mut valid: Vec<String> = Vec::new();
    let mut refusal = None;
    for c in requested {
        match lookup(c) {
            Ok(p) if !valid.iter().any(|v| v == p.code()) => valid.push(p.code().to_string()),
            Ok(_) => {}
            Err(Rule::InvalidPromoCode { code, expired }) => {
                if refusal.is_none() || expired {
                    refusal = Some(Rule::InvalidPromoCode { code, expired });
                }
            }
            Err(other) => return Err(other),
        }
    }
    if valid.is_empty() {
        return Err(refusal.unwrap_or(Rule::PromoNotAvailable));
    }
    check_single(m, &valid)?;
    Ok(valid)
}

/// The promos currently applied to a cart.
pub fn applied(codes: &[String]) -> Vec<Promo> {
    codes.iter().filter_map(|c| lookup(c).ok()).collect()
}
