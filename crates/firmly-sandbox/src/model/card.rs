//! Card data as decrypted by the vault, and the ways a card can be refused (the
//! `CreditCard*` ids of ENDPOINTS.md §6.2). Card numbers and security codes are
//! never stored or logged: they are zeroed when the value is dropped, and `Debug` shows only
//! the last four digits and the expiry.

use serde_json::{json, Value};

/// Why a card is refused; each maps to one documented `422` id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardFault {
    InvalidNumber,
    /// A past expiry (CONTRACTS.md §3).
    InvalidExpiry,
    /// An expiry no issuer gives: more than 20 years ahead.
    InvalidExpiryDate,
    /// A month that is not 1–12.
    InvalidExpiryMonth,
    /// A year that is not 2 or 4 digits.
    InvalidExpiryYear,
    InvalidSecurityCode,
    Declined,
    InsufficientFunds,
}

impl CardFault {
    /// `(id, description)` of ENDPOINTS.md §6.2.
    pub fn id_and_description(self) -> (&'static str, &'static str) {
        match self {
            CardFault::InvalidNumber => {
                ("CreditCardInvalidNumber", "Credit card number is invalid")
            }
            CardFault::InvalidExpiry => (
                "CreditCardInvalidExpiry",
                "Credit card expiry date is invalid",
            ),
            CardFault::InvalidExpiryDate => (
                "CreditCardInvalidExpiryDate",
                "Credit card expiry date is invalid",
            ),
            CardFault::InvalidExpiryMonth => (
                "CreditCardInvalidExpiryMonth",
                "Credit card expiry month is invalid",
            ),
            CardFault::InvalidExpiryYear => (
                "CreditCardInvalidExpiryYear",
                "Credit card expiry Year is invalid",
            ),
            CardFault::InvalidSecurityCode => (
                "CreditCardInvalidSecurityCode",
                "Credit card security code is invalid",
            ),
            CardFault::Declined => ("CreditCardDeclined", "Credit card declined"),
            CardFault::InsufficientFunds => ("CreditCardInsufficientFunds", "Insufficient funds"),
        }
    }
}

/// Decrypted card details as sent (`month`/`year` kept as the raw text so the rules can tell
/// a bad month from a bad year).
pub struct CardData {
    pub(crate) number: String,
    pub name: String,
    pub month: String,
    pub year: String,
    pub(crate) cvv: String,
}

impl Drop for CardData {
    /// The number and the security code do not outlive the request.
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.number.zeroize();
        self.cvv.zeroize();
    }
}

impl std::fmt::Debug for CardData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardData")
            .field("last_four", &self.last_four())
            .field("month", &self.month)
            .field("year", &self.year)
            .finish_non_exhaustive()
    }
}

fn str_or_num(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The card fields a payment must carry (the documented card, ENDPOINTS.md §4.3; `name` is
/// optional, as the v2 sample only encrypts the fields present, §4.2).
pub const REQUIRED_CARD_FIELDS: [&str; 4] = ["number", "month", "year", "verification_value"];

/// The first required card field that is absent, null or blank in `v` (the card object, or
/// one wrapping it in `credit_card`): a missing field is named as missing, not judged as an
/// invalid value.
pub fn missing_card_field(v: &Value) -> Option<&'static str> {
    let obj = v.get("credit_card").filter(|c| c.is_object()).unwrap_or(v);
    REQUIRED_CARD_FIELDS.into_iter().find(|f| {
        let value = obj.get(*f).or_else(|| {
            (*f == "verification_value")
                .then(|| obj.get("cvv"))
                .flatten()
        });
        match value {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        }
    })
}

impl CardData {
    /// Reads `{number, name, month, year, verification_value}` (or the same under
    /// `credit_card`) with ints or strings (ENDPOINTS.md §7 C21); spaces and dashes in the
    /// number are dropped.
    pub fn from_json(v: &Value) -> CardData {
        let obj = v.get("credit_card").filter(|c| c.is_object()).unwrap_or(v);
        CardData {
            number: str_or_num(obj.get("number"))
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect(),
            name: str_or_num(obj.get("name")),
            month: str_or_num(obj.get("month")),
            year: str_or_num(obj.get("year")),
            cvv: str_or_num(obj.get("verification_value").or_else(|| obj.get("cvv"))),
        }
    }

    pub fn number(&self) -> &str {
        &self.number
    }

    pub fn cvv(&self) -> &str {
        &self.cvv
    }

    pub fn last_four(&self) -> String {
        let digits: Vec<char> = self.number.chars().collect();
        digits.iter().skip(digits.len().saturating_sub(4)).collect()
    }

    pub fn brand(&self) -> &'static str {
        let n = &self.number;
        let prefix = |k: usize| -> u32 {
            let p: String = n.chars().take(k).collect();
            p.parse().unwrap_or(0)
        };
        let (p2, p4) = (prefix(2), prefix(4));
        if n.starts_with('4') {
            "visa"
        } else if p2 == 34 || p2 == 37 {
            "amex"
        } else if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
            "mastercard"
        } else if n.starts_with("6011") || n.starts_with("65") {
            "discover"
        } else {
            "unknown"
        }
    }

    /// The expiry as numbers, when both parse (2-digit years are 20YY).
    pub fn expiry(&self) -> Option<(i32, u32)> {
        let month: u32 = self.month.parse().ok()?;
        let mut year: i32 = self.year.parse().ok()?;
        if self.year.chars().count() <= 2 {
            year += 2000;
        }
        Some((year, month))
    }

    /// The order's `payment_method` (ENDPOINTS.md §2.3; integers for month and
    /// year, C16).
    pub fn payment_method(&self) -> Value {
        let (year, month) = self.expiry().unwrap_or((0, 0));
        json!({
            "payment_type": "CreditCard",
            "type": "CreditCard",
            "last_four": self.last_four(),
            "month": month,
            "year": year,
            "card_type": self.brand(),
            "card_holder_name": self.name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_are_named() {
        let full = json!({ "number": "4111111111111111", "month": "08", "year": "2030", "verification_value": "123" });
        assert_eq!(missing_card_field(&full), None);
        for f in REQUIRED_CARD_FIELDS {
            let mut v = full.clone();
            v.as_object_mut().expect("object").remove(f);
            assert_eq!(missing_card_field(&v), Some(f));
            v[f] = json!(" ");
            assert_eq!(missing_card_field(&v), Some(f));
        }
        assert_eq!(
            missing_card_field(&json!({ "credit_card": { "number": "4" } })),
            Some("month")
        );
    }

    #[test]
    fn reads_and_hides() {
        let c = CardData::from_json(&json!({
            "credit_card": { "number": "4111 1111 1111 1111", "month": 8, "year": "30", "verification_value": "123" }
        }));
        assert_eq!(c.last_four(), "1111");
        assert_eq!(c.brand(), "visa");
        assert_eq!(c.expiry(), Some((2030, 8)));
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("4111111111111111") && !dbg.contains("123"));
        assert_eq!(c.payment_method()["year"], 2030);
    }
}
