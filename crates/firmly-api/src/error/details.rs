//! The `details` of a v2 error (ENDPOINTS.md §6.1): `{"error", "message", "details"}` with
//! `details` such as `{provided, allowed[]}` (ErrorInvalidFulfillmentType), `{shipment_id}`
//! (ErrorShipmentNotFound) or `{location_id}` (ErrorLocationNotFound).
//!
//! Details travel with [`ApiError`](super::ApiError) to the UI, the support inspector and
//! logs, and a server may echo what it was sent. So they are kept redaction-safe: values
//! under keys that name secrets or contact data are replaced, runs of 12 or more digits
//! (card numbers) are masked, every value is clipped, and only so many keys are kept.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most keys kept besides the documented ones.
const MAX_OTHER_KEYS: usize = 16;
/// Most entries of `allowed` kept.
const MAX_ALLOWED: usize = 32;
/// Longest value kept, in characters.
const MAX_VALUE_CHARS: usize = 200;
/// What replaces a value that must not be shown.
pub const REDACTED: &str = "[redacted]";

/// Keys whose values are never kept (compared case-insensitively, as substrings).
const SECRET_KEYS: &[&str] = &[
    "number",
    "cvv",
    "cvc",
    "verification",
    "card",
    "token",
    "otp",
    "password",
    "secret",
    "cookie",
    "handle",
    "authorization",
    "email",
    "phone",
];

/// The documented `details` of a v2 error, redaction-safe (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorDetails {
    /// The value the server refused (`ErrorInvalidFulfillmentType`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provided: Option<String>,
    /// The values the server would accept instead.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub allowed: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_id: Option<String>,
    /// The desk's own: tries left before a PIN pad locks (`StaffPinWrong`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attempts_left: Option<u32>,
    /// The desk's own: seconds until a locked PIN pad takes a PIN again (`StaffPinLocked`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retry_after_seconds: Option<u32>,
    /// Any other key, its value as compact JSON text (a string as its text).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub other: BTreeMap<String, String>,
}

fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|s| k.contains(s))
}

/// Masks every run of 12 or more digits (spaces and dashes inside a run allowed).
fn mask_digit_runs(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits, with single spaces or dashes between them.
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits += 1;
                end = j + 1;
                j += 1;
            } else if matches!(chars[j], ' ' | '-')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
            {
                j += 1;
            } else {
                break;
            }
        }
        if digits >= 12 {
            out.push_str(REDACTED);
        } else {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(MAX_VALUE_CHARS) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// A text value as it may be kept.
fn safe_text(s: &str) -> String {
    clip(&mask_digit_runs(s))
}

/// Redacts a nested value in place: secret keys at any depth, digit runs in every string.
fn scrub(v: &mut Value) {
    match v {
        Value::String(s) => *s = mask_digit_runs(s),
        Value::Number(n) if n.to_string().chars().filter(char::is_ascii_digit).count() >= 12 => {
            *v = Value::String(REDACTED.into())
        }
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(o) => {
            for (k, val) in o.iter_mut() {
                if secret_key(k) {
                    *val = Value::String(REDACTED.into());
                } else {
                    scrub(val);
                }
            }
        }
        _ => {}
    }
}

/// A scalar as text (`null` is absent).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl ErrorDetails {
    /// The details of an error body's `details` member, when it is a non-empty object.
    pub fn from_value(v: &Value) -> Option<ErrorDetails> {
        let obj = v.as_object().filter(|o| !o.is_empty())?;
        let mut out = ErrorDetails::default();
        for (key, val) in obj {
            if secret_key(key) {
                if out.other.len() < MAX_OTHER_KEYS {
                    out.other.insert(clip(key), REDACTED.to_string());
                }
                continue;
            }
            let mut val = val.clone();
            scrub(&mut val);
            match key.as_str() {
                "provided" => out.provided = scalar(&val).map(|s| safe_text(&s)),
                "shipment_id" => out.shipment_id = scalar(&val).map(|s| safe_text(&s)),
                "location_id" => out.location_id = scalar(&val).map(|s| safe_text(&s)),
                "allowed" => {
                    let items = match &val {
                        Value::Array(items) => items.iter().filter_map(scalar).collect(),
                        other => scalar(other).into_iter().collect::<Vec<_>>(),
                    };
                    out.allowed = items
                        .iter()
                        .take(MAX_ALLOWED)
                        .map(|s| safe_text(s))
                        .collect();
                }
                _ if out.other.len() < MAX_OTHER_KEYS => {
                    let text = match &val {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    out.other.insert(clip(key), safe_text(&text));
                }
                _ => {}
            }
        }
        (!out.is_empty()).then_some(out)
    }

    pub fn is_empty(&self) -> bool {
        self.provided.is_none()
            && self.allowed.is_empty()
            && self.shipment_id.is_none()
            && self.location_id.is_none()
            && self.other.is_empty()
    }

    /// Whether any key names a captcha (no captcha error id is documented, §6.2).
    pub(crate) fn mentions_captcha(&self) -> bool {
        self.other
            .keys()
            .any(|k| k.to_ascii_lowercase().contains("captcha"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_docs_three_samples() {
        // ENDPOINTS.md §6.1: the v2 error schemas' own `details`.
        let d = ErrorDetails::from_value(&json!({
            "provided": "INVALID_TYPE",
            "allowed": ["SHIP_TO_ADDRESS", "SCHEDULED_DELIVERY", "PICKUP_IN_STORE"]
        }))
        .unwrap();
        assert_eq!(d.provided.as_deref(), Some("INVALID_TYPE"));
        assert_eq!(d.allowed.len(), 3);
        let d = ErrorDetails::from_value(&json!({"shipment_id": "missing-shipment-id"})).unwrap();
        assert_eq!(d.shipment_id.as_deref(), Some("missing-shipment-id"));
        let d = ErrorDetails::from_value(&json!({"location_id": "missing-location-id"})).unwrap();
        assert_eq!(d.location_id.as_deref(), Some("missing-location-id"));
        assert_eq!(ErrorDetails::from_value(&json!({})), None);
        assert_eq!(ErrorDetails::from_value(&json!("text")), None);
    }

    #[test]
    fn secrets_and_card_numbers_never_kept() {
        let d = ErrorDetails::from_value(&json!({
            "provided": "4111 1111 1111 1111",
            "card_number": "4111111111111111",
            "verification_value": "123",
            "email": "a@b.example",
            "nested": {"number": "5555555555554444", "ok": "x", "cvv": 123, "n": 4111111111111111u64},
            "date": "2030-01-01",
        }))
        .unwrap();
        let text = serde_json::to_string(&d).unwrap();
        for secret in ["4111", "5555", "123", "a@b"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert_eq!(d.provided.as_deref(), Some(REDACTED));
        assert_eq!(d.other["date"], "2030-01-01", "short digit runs are kept");
        assert!(d.other["nested"].contains("\"ok\":\"x\""));
    }

    #[test]
    fn bounded() {
        let mut big = serde_json::Map::new();
        for i in 0..100 {
            big.insert(format!("k{i}"), json!("é".repeat(1000)));
        }
        big.insert("allowed".into(), json!(vec!["A"; 500]));
        let d = ErrorDetails::from_value(&Value::Object(big)).unwrap();
        assert!(d.other.len() <= MAX_OTHER_KEYS);
        assert_eq!(d.allowed.len(), MAX_ALLOWED);
        assert!(d
            .other
            .values()
            .all(|v| v.chars().count() <= MAX_VALUE_CHARS + 1));
    }

    #[test]
    fn digit_runs() {
        assert_eq!(
            mask_digit_runs("card 4111-1111-1111-1111 ok"),
            "card [redacted] ok"
        );
        assert_eq!(mask_digit_runs("id 12345678901"), "id 12345678901");
        assert_eq!(mask_digit_runs("é123456789012é"), "é[redacted]é");
        assert_eq!(mask_digit_runs("2030-01-01 - 5"), "2030-01-01 - 5");
    }
}
