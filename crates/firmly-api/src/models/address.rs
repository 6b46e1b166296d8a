//! Postal/contact address used for shipping info, billing info, pickup stores and wallets.
//!
//! Four spellings exist in the docs (ENDPOINTS.md §2.2, §7 C6): canonical v1
//! (ENDPOINTS.md §2.2), v2 schema `province`/`zip`
//! (ENDPOINTS.md §2.2) and 004's `address_line_1`/`state_code`/`country_code`
//! (ENDPOINTS.md §2.2). Reading accepts all; writing uses canonical names
//! only and never sends the return-only `state_name`.

use crate::serde_util::opt_string;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "AddressWire")]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_or_province: Option<String>,
    /// Full state name the server may return; never sent back (C22).
    #[serde(skip_serializing)]
    pub state_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    /// `first_name last_name`, trimmed.
    pub fn full_name(&self) -> String {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        parts.join(" ")
    }

    /// True when no field carries text.
    pub fn is_empty(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.phone,
            &self.company,
            &self.address1,
            &self.address2,
            &self.city,
            &self.state_or_province,
            &self.state_name,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|f| f.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// Every documented spelling as its own field, so a body carrying two spellings of the
/// same field (sandbox or server echoing both) is not a duplicate-field error.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AddressWire {
    #[serde(deserialize_with = "opt_string")]
    first_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    last_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    email: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    phone: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    company: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    address1: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    address_line_1: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    address2: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    address_line_2: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    city: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    state_or_province: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    state_code: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    province: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    state: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    state_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    postal_code: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    zip: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    country: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    country_code: Option<String>,
}

impl From<AddressWire> for Address {
    fn from(w: AddressWire) -> Address {
        Address {
            first_name: w.first_name,
            last_name: w.last_name,
            email: w.email,
            phone: w.phone,
            company: w.company,
            address1: w.address1.or(w.address_line_1),
            address2: w.address2.or(w.address_line_2),
            city: w.city,
            state_or_province: w
                .state_or_province
                .or(w.state_code)
                .or(w.province)
                .or(w.state),
            state_name: w.state_name,
            postal_code: w.postal_code.or(w.zip),
            country: w.country.or(w.country_code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_decode_to_canonical() {
        let v1: Address = serde_json::from_str(
            r#"{"first_name":"John","address1":"1 Main","address2":null,"city":"Seattle","state_or_province":"WA","state_name":"Washington","postal_code":"98101","country":"US"}"#,
        )
        .unwrap();
        let v004: Address = serde_json::from_str(
            r#"{"first_name":"John","address_line_1":"1 Main","address_line_2":null,"city":"Seattle","state_code":"WA","zip":"98101","country_code":"US"}"#,
        )
        .unwrap();
        let schema: Address = serde_json::from_str(
            r#"{"first_name":"John","address1":"1 Main","city":"Seattle","province":"WA","zip":98101,"country":"US"}"#,
        )
        .unwrap();
        for a in [&v1, &v004, &schema] {
            assert_eq!(a.address1.as_deref(), Some("1 Main"));
            assert_eq!(a.state_or_province.as_deref(), Some("WA"));
            assert_eq!(a.postal_code.as_deref(), Some("98101"));
            assert_eq!(a.country.as_deref(), Some("US"));
        }
        let both: Address = serde_json::from_str(r#"{"zip":"1","postal_code":"2"}"#).unwrap();
        assert_eq!(both.postal_code.as_deref(), Some("2"));
    }

    #[test]
    fn serializes_canonical_names_without_state_name() {
        let a: Address = serde_json::from_str(
            r#"{"first_name":"J","address_line_1":"1 Main","state_code":"WA","state_name":"Washington","zip":"98101","country_code":"US"}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"first_name":"J","address1":"1 Main","state_or_province":"WA","postal_code":"98101","country":"US"}"#
        );
    }
}
