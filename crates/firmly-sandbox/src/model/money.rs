//! Money. Arithmetic is in integer minor units (ENDPOINTS.md §9 "Money"); an amount is
//! rendered in one of the documented forms (ENDPOINTS.md §2.1 full
//! `{currency, value, number, symbol}`, ENDPOINTS.md §2.1 short `{currency, value}`) or as a bare number
//! (the simplified cart, ENDPOINTS.md §2.5).

use serde::{Deserialize, Serialize};

/// The one currency of the demo data.
pub const CURRENCY: &str = "USD";
const SYMBOL: &str = "$";

/// How a merchant's carts write amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyForm {
    /// `{currency, value, number, symbol}`.
    #[default]
    Full,
    /// `{currency, value}` (as many v2 examples).
    ValueOnly,
}

/// An amount in the API's object form.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Amount {
    pub currency: &'static str,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<&'static str>,
}

impl Amount {
    /// `{currency, value, number, symbol}`.
    pub fn full(minor: i64) -> Amount {
        Amount::in_form(MoneyForm::Full, minor)
    }

    pub fn in_form(form: MoneyForm, minor: i64) -> Amount {
        let full = form == MoneyForm::Full;
        Amount {
            currency: CURRENCY,
            value: bare(minor),
            number: full.then_some(minor),
            symbol: full.then_some(SYMBOL),
        }
    }
}

/// The full form (catalog prices, admin views, anything not merchant-specific).
pub fn amount(minor: i64) -> Amount {
    Amount::full(minor)
}

/// A bare decimal number (`54.0`), as the simplified cart writes money.
pub fn bare(minor: i64) -> f64 {
    minor as f64 / 100.0
}

/// `minor` as a decimal string, e.g. `1234` → `"12.34"`.
pub fn decimal_string(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `n × num / den` rounded half-up (inputs non-negative).
pub fn mul_div_round(n: i64, num: i64, den: i64) -> i64 {
    (n * num * 2 + den) / (den * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_rounding() {
        assert_eq!(decimal_string(123456), "1234.56");
        assert_eq!(decimal_string(5), "0.05");
        assert_eq!(mul_div_round(1000, 825, 10_000), 83);
        assert_eq!(mul_div_round(999, 5, 10), 500);
        assert_eq!(amount(5400).value, 54.0);
        let full = serde_json::to_value(amount(1999)).unwrap_or_default();
        assert_eq!(full["value"], serde_json::json!(19.99));
        assert_eq!(full["number"], 1999);
        let short =
            serde_json::to_value(Amount::in_form(MoneyForm::ValueOnly, 1999)).unwrap_or_default();
        assert_eq!(
            short,
            serde_json::json!({ "currency": "USD", "value": 19.99 })
        );
    }
}
