//! Promo codes shared by every demo merchant (CONTRACTS.md §3): `SAVE10` (10 % off items, as
//! line-item discounts), `FREESHIP` (shipping discounted to zero, as shipment discounts) and
//! `EXPIRED` (rejected). v2 semantics follow `002_599d5acdabf6b74d.txt:3254`; v1 coupons
//! (`:7327`) apply the best valid subset.

use crate::pricing::{amount, mul_div_round, Discount};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promo {
    Save10,
    FreeShip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromoRejection {
    Expired,
    Unknown,
}

pub fn lookup(code: &str) -> Result<Promo, PromoRejection> {
    match code.trim().to_ascii_uppercase().as_str() {
        "SAVE10" => Ok(Promo::Save10),
        "FREESHIP" => Ok(Promo::FreeShip),
        "EXPIRED" => Err(PromoRejection::Expired),
        _ => Err(PromoRejection::Unknown),
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
            Promo::Save10 if line_minor > 0 => {
                let minor = mul_div_round(line_minor, 10, 100);
                Some(Discount {
                    code: "SAVE10".into(),
                    description: "10% off items".into(),
                    minor,
                    amount: amount(minor),
                })
            }
            _ => None,
        }
    }

    pub fn shipping_discount(self, cost_minor: i64) -> Option<Discount> {
        match self {
            Promo::FreeShip if cost_minor > 0 => Some(Discount {
                code: "FREESHIP".into(),
                description: "Free shipping".into(),
                minor: cost_minor,
                amount: amount(cost_minor),
            }),
            _ => None,
        }
    }
}

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::auth::Device;
use crate::cart_v2::{mutate_cart, render_v2_value};
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;

/// At most this many codes per request (`002_599d5acdabf6b74d.txt:3254`).
pub const MAX_CODES: usize = 10;

#[derive(Debug, Deserialize)]
pub struct PromoCodes {
    pub promo_codes: Vec<String>,
}

/// Validates codes for the v2 family: every code must be valid.
pub fn validate_v2(codes: &[String]) -> ApiResult<Vec<Promo>> {
    if codes.is_empty() || codes.len() > MAX_CODES {
        return Err(ApiError::new(
            400,
            "ErrorInvalidInputBody",
            format!("promo_codes must hold between 1 and {MAX_CODES} codes."),
        ));
    }
    codes
        .iter()
        .map(|c| match lookup(c) {
            Ok(p) => Ok(p),
            Err(PromoRejection::Expired) => Err(ApiError::new(
                400,
                "ErrorInvalidPromoCode",
                format!("The promo code '{}' has expired.", c.trim()),
            )),
            Err(PromoRejection::Unknown) => Err(ApiError::new(
                400,
                "ErrorInvalidPromoCode",
                format!("Enter a valid discount code: '{}' is not valid.", c.trim()),
            )),
        })
        .collect()
}

/// `POST|PUT /api/v2/domains/{domain}/cart/promo-codes`: adds the codes (all must be valid).
pub async fn apply_v2(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<PromoCodes>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, _, _| {
        let promos = validate_v2(&body.promo_codes)?;
        if cart.items.is_empty() {
            return Err(ApiError::new(
                400,
                "ErrorPromoNotAvailable",
                "This merchant does not allow promotions for this cart: it is empty.",
            ));
        }
        for p in promos {
            if !cart.promo_codes.iter().any(|c| c == p.code()) {
                cart.promo_codes.push(p.code().to_string());
            }
        }
        Ok(())
    })
}

/// `DELETE /api/v2/domains/{domain}/cart/promo-codes`.
pub async fn clear_v2(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, _, _| {
        cart.promo_codes.clear();
        Ok(())
    })
}
