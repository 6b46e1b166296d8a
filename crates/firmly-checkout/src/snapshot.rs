//! Support snapshots: an agent exports the customer's device session and carts to a file
//! and resumes the case later (or on a colleague's desk) by importing it. A full snapshot
//! holds the device's access token, so it is written owner-only. A redacted one holds no
//! token, no device id, no merchant cookies and no personal data: importing it opens the
//! carts read-only, as they were. Neither ever holds card data (carts carry only last-four
//! digits after an order).

use std::collections::BTreeMap;

use firmly_api::{ApiError, StoredSession};

use crate::domain::Domain;

fn is_zero(v: &i64) -> bool {
    *v == 0
}
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const FORMAT: &str = "firmly-desk-snapshot/1";

/// Debug shows no token and no cart contents.
#[derive(Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub exported_at: String,
    /// The API the session belongs to; importing into another environment is refused.
    pub api_base: String,
    /// The device session (absent from a redacted snapshot).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub device_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub access_token: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub expires: i64,
    #[serde(default, deserialize_with = "crate::domain::lenient_domains")]
    pub known_domains: Vec<Domain>,
    /// The raw carts at export time, for reading the case even if the session expired.
    #[serde(default)]
    pub carts: BTreeMap<Domain, Value>,
    /// Personal data (names, contact details, street addresses) was removed from the carts.
    #[serde(default)]
    pub redacted: bool,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("format", &self.format)
            .field("exported_at", &self.exported_at)
            .field("api_base", &self.api_base)
            .field("device_id", &self.device_id)
            .field("access_token", &firmly_api::Redacted(&self.access_token))
            .field("carts", &self.carts.keys().collect::<Vec<_>>())
            .field("redacted", &self.redacted)
            .finish_non_exhaustive()
    }
}

/// Address fields that identify a person.
const PERSONAL_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "address1",
    "address2",
    "address_line_1",
    "address_line_2",
    "card_holder_name",
    "name",
];

/// Replaces personal data anywhere in a cart's JSON (shipping and billing addresses, saved
/// address options, PayPal payer email) with `"[redacted]"`; products and prices stay.
pub fn redact_personal(mut cart: Value) -> Value {
    fn walk(v: &mut Value, in_address: bool) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let address_like = matches!(
                        k.as_str(),
                        "shipping_info" | "billing_info" | "shipping_info_options" | "attributes"
                    );
                    if in_address && (PERSONAL_FIELDS.contains(&k.as_str()) || k == "payer_id") {
                        if !child.is_null() {
                            *child = Value::String("[redacted]".into());
                        }
                    } else {
                        walk(child, in_address || address_like);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, in_address)),
            _ => {}
        }
    }
    walk(&mut cart, false);
    if let Some(obj) = cart.as_object_mut() {
        if let Some(pm) = obj.get_mut("payment_method") {
            walk(pm, true);
        }
        // The merchant's session cookies would let anyone act as the shopper at the store.
        if let Some(session) = obj.get_mut("session").and_then(Value::as_object_mut) {
            session.remove("cookies");
        }
        obj.remove("payment_handle");
    }
    cart
}

impl Snapshot {
    /// The device session to resume, if the snapshot holds one (a redacted one does not).
    pub fn session(&self) -> Option<StoredSession> {
        if self.redacted || self.access_token.is_empty() || self.device_id.is_empty() {
            return None;
        }
        Some(StoredSession {
            access_token: self.access_token.clone(),
            expires: self.expires,
            device_id: self.device_id.clone(),
        })
    }

    /// Parses and checks a snapshot file's text against the current API.
    pub fn parse(text: &str, current_api: &str) -> Result<Snapshot, ApiError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let snap: Snapshot = serde_path_to_error::deserialize(de).map_err(|e| {
            ApiError::validation(format!(
                "This is not a Firmly Desk snapshot (at `{}`: {}).",
                e.path(),
                e.inner()
            ))
        })?;
        if snap.format != FORMAT {
            return Err(ApiError::validation(format!(
                "Unsupported snapshot format `{}` (expected {FORMAT}).",
                snap.format
            )));
        }
        if snap.api_base.trim_end_matches('/') != current_api.trim_end_matches('/') {
            return Err(ApiError::validation(format!(
                "The snapshot belongs to {}, but the app is connected to {}. Change the settings first.",
                snap.api_base, current_api
            )));
        }
        if !snap.redacted && snap.session().is_none() {
            return Err(ApiError::validation(
                "The snapshot holds no device session and is not marked redacted.",
            ));
        }
        Ok(snap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(api: &str) -> String {
        serde_json::json!({
            "format": FORMAT, "exported_at": "2026-11-22T00:00:00Z", "api_base": api,
            "device_id": "d1", "access_token": "t", "expires": 1, "known_domains": ["a.test"], "carts": {}
        })
        .to_string()
    }

    #[test]
    fn redaction_removes_people_not_products() {
        let cart = serde_json::json!({
            "line_items": [{"description": "Hero Hoodie", "sku": "MH07"}],
            "shipping_info": {"first_name": "Ada", "email": "ada@example.com", "city": "Seattle", "address1": "1 Main"},
            "billing_info": {"last_name": "Lovelace", "phone": "206"},
            "payment_method": {"attributes": {"email": "payer@example.com", "payer_id": "P9"}}
        });
        let out = redact_personal(cart).to_string();
        for gone in [
            "Ada",
            "ada@example.com",
            "1 Main",
            "Lovelace",
            "206",
            "payer@example.com",
            "P9",
        ] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
        assert!(out.contains("Hero Hoodie") && out.contains("Seattle"));
        let with_cookies = serde_json::json!({
            "session": {"requires_login": true, "cookies": ["_shop_session=abc"]},
            "payment_handle": "ph_1"
        });
        let out = redact_personal(with_cookies);
        assert_eq!(out["session"]["requires_login"], true);
        assert!(out["session"].get("cookies").is_none() && out.get("payment_handle").is_none());
    }

    #[test]
    fn a_redacted_snapshot_holds_no_session_and_reads_as_read_only() {
        let text = serde_json::json!({
            "format": FORMAT, "exported_at": "2026-11-22T00:00:00Z", "api_base": "http://127.0.0.1:1/",
            "known_domains": ["a.test"], "carts": {}, "redacted": true
        })
        .to_string();
        let snap = Snapshot::parse(&text, "http://127.0.0.1:1").unwrap();
        assert!(snap.session().is_none());
        let written = serde_json::to_string(&snap).unwrap();
        assert!(
            !written.contains("access_token") && !written.contains("device_id"),
            "{written}"
        );
        // A redacted flag wins over a token someone pasted back in.
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["access_token"] = "t".into();
        v["device_id"] = "d".into();
        let snap = Snapshot::parse(&v.to_string(), "http://127.0.0.1:1").unwrap();
        assert!(snap.session().is_none());
    }

    #[test]
    fn a_snapshot_is_checked_before_it_is_used() {
        assert!(Snapshot::parse(&snap("http://127.0.0.1:1/"), "http://127.0.0.1:1").is_ok());
        let other =
            Snapshot::parse(&snap("https://api.example"), "http://127.0.0.1:1").unwrap_err();
        assert!(other.message.contains("Change the settings"));
        let ok = Snapshot::parse(&snap("http://127.0.0.1:1/"), "http://127.0.0.1:1").unwrap();
        assert!(
            !format!("{ok:?}").contains("\"t\""),
            "token redacted in Debug"
        );
        let junk = Snapshot::parse("{\"format\": 3}", "x").unwrap_err();
        assert!(junk.message.contains("`format`"), "{}", junk.message);
    }
}
