//! Money: the app's `Money` (decimal + currency) and the API's tolerant wire `Amount`.
//!
//! Money is never a float. The wire `Amount` is `{currency, value, number, symbol}`
//! (ENDPOINTS.md §2.1) but many examples omit `number`/`symbol`
//! (ENDPOINTS.md §2.1) and the simplified v2 cart sends bare numbers
//! (ENDPOINTS.md §2.5, §7 C9), so decoding accepts all of them.

use crate::serde_util::{decimal_from_value, value_to_string};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// An amount of money in the app: exact decimal plus ISO-4217 currency.
/// Serialized as `{"amount":"12.34","currency":"USD"}` so it crosses IPC without floats.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    #[serde(
        serialize_with = "rust_decimal::serde::str::serialize",
        deserialize_with = "deserialize_decimal"
    )]
    pub amount: Decimal,
    pub currency: String,
}

impl Money {
    pub fn new(amount: Decimal, currency: &str) -> Money {
        Money {
            amount,
            currency: currency.to_string(),
        }
    }

    pub fn zero(currency: &str) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Sum of two amounts; `None` when the currencies differ (never mix currencies silently)
    /// or the sum does not fit.
    pub fn checked_add(&self, other: &Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        let sum = self.amount.checked_add(other.amount)?;
        Some(Money::new(sum, &self.currency))
    }

    /// Amount rounded to the currency's minor units, as a plain decimal string ("12.30").
    pub fn to_decimal_string(&self) -> String {
        let dp = minor_unit_digits(&self.currency);
        let mut rounded = self.amount.round_dp(dp);
        rounded.rescale(dp);
        rounded.to_string()
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

fn deserialize_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let v = Value::deserialize(d)?;
    decimal_from_value(&v).ok_or_else(|| D::Error::custom(format!("expected a decimal, got {v}")))
}

/// Number of minor-unit digits of a currency (ISO 4217); 2 for everything not listed.
pub fn minor_unit_digits(currency: &str) -> u32 {
    match currency.to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" | "RWF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
        _ => 2,
    }
}

/// The API's money object, decoded tolerantly.
///
/// Accepted forms: `{value, number?, currency?, symbol?}` with `value` a number or a
/// string (or absent when `number` is present), a bare JSON number, or a numeric string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Amount {
    pub value: Decimal,
    /// Minor units (cents) as sent; absent in many examples.
    pub number: Option<i64>,
    pub currency: Option<String>,
    pub symbol: Option<String>,
}

impl Amount {
    pub fn new(value: Decimal, currency: &str) -> Amount {
        Amount {
            value,
            number: None,
            currency: Some(currency.to_string()),
            symbol: None,
        }
    }

    /// App money; a missing currency (bare-number amounts, C9) takes `fallback_currency`.
    pub fn to_money(&self, fallback_currency: &str) -> Money {
        let currency = self
            .currency
            .as_deref()
            .filter(|c| !c.is_empty())
            .unwrap_or(fallback_currency);
        Money::new(self.value, currency)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        if let Some(c) = &self.currency {
            m.serialize_entry("currency", c)?;
        }
        // The wire form is a JSON number (ENDPOINTS.md §2.1). Amounts have at
        // most a few decimals, which f64's shortest representation prints exactly.
        match self.value.to_f64() {
            Some(f) if Decimal::from_f64(f).is_some_and(|back| back == self.value.normalize()) => {
                m.serialize_entry("value", &f)?
            }
            // Not exactly representable: keep exactness as a string (our decoder accepts it).
            _ => m.serialize_entry("value", &self.value.to_string())?,
        }
        if let Some(n) = self.number {
            m.serialize_entry("number", &n)?;
        }
        if let Some(sym) = &self.symbol {
            m.serialize_entry("symbol", sym)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        amount_from_value(&v).map_err(D::Error::custom)
    }
}

fn amount_from_value(v: &Value) -> Result<Amount, String> {
    match v {
        Value::Number(_) | Value::String(_) => {
            let value = decimal_from_value(v).ok_or_else(|| format!("invalid amount {v}"))?;
            Ok(Amount {
                value,
                ..Amount::default()
            })
        }
        Value::Object(o) => {
            let currency = o.get("currency").and_then(value_to_string);
            let number = o.get("number").and_then(|n| match n {
                Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            });
            let symbol = o.get("symbol").and_then(value_to_string);
            let value = match o.get("value").or_else(|| o.get("amount")) {
                Some(Value::Null) | None => match number {
                    // Only minor units given: scale by the currency's digits.
                    Some(n) => {
                        let dp = minor_unit_digits(currency.as_deref().unwrap_or("USD"));
                        Decimal::new(n, dp)
                    }
                    None => return Err("amount object has neither value nor number".into()),
                },
                Some(val) => {
                    decimal_from_value(val).ok_or_else(|| format!("invalid amount value {val}"))?
                }
            };
            Ok(Amount {
                value,
                number,
                currency,
                symbol,
            })
        }
        other => Err(format!("expected an amount, got {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_serializes_amount_as_string() {
        let m = Money::new(dec!(12.34), "USD");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"amount":"12.34","currency":"USD"}"#
        );
        let back: Money = serde_json::from_str(r#"{"amount":12.34,"currency":"USD"}"#).unwrap();
        assert_eq!(back, m);
        assert_eq!(Money::zero("EUR").to_decimal_string(), "0.00");
    }

    #[test]
    fn amount_forms() {
        let full: Amount =
            serde_json::from_str(r#"{"currency":"USD","value":4.99,"number":499,"symbol":"$"}"#)
                .unwrap();
        assert_eq!(full.value, dec!(4.99));
        assert_eq!(full.number, Some(499));
        let no_number: Amount =
            serde_json::from_str(r#"{"currency":"USD","value":54.00}"#).unwrap();
        assert_eq!(no_number.value, dec!(54));
        assert_eq!(no_number.number, None);
        let string_value: Amount =
            serde_json::from_str(r#"{"currency":"USD","value":"19.90"}"#).unwrap();
        assert_eq!(string_value.value, dec!(19.90));
        let bare: Amount = serde_json::from_str("89.99").unwrap();
        assert_eq!(bare.value, dec!(89.99));
        assert_eq!(bare.to_money("CAD"), Money::new(dec!(89.99), "CAD"));
        let only_number: Amount =
            serde_json::from_str(r#"{"currency":"USD","number":1250}"#).unwrap();
        assert_eq!(only_number.value, dec!(12.50));
        assert!(serde_json::from_str::<Amount>("true").is_err());
    }

    #[test]
    fn amount_serializes_value_as_number() {
        let a = Amount {
            value: dec!(4.99),
            number: Some(499),
            currency: Some("USD".into()),
            symbol: Some("$".into()),
        };
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"currency":"USD","value":4.99,"number":499,"symbol":"$"}"#
        );
        let big = Amount::new(dec!(12345678901234567.891), "USD");
        assert_eq!(
            serde_json::to_value(&big).unwrap()["value"],
            "12345678901234567.891"
        );
    }

    #[test]
    fn amount_round_trips() {
        let a: Amount =
            serde_json::from_str(r#"{"currency":"USD","value":4.99,"number":499,"symbol":"$"}"#)
                .unwrap();
        let again: Amount = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(a, again);
    }
}
