//! Address input and validation for shipping-info / billing-info
//! (`002_599d5acdabf6b74d.txt:2747`, `:2340`, Address schema `:12442`). Accepts every spelling
//! the docs use (ENDPOINTS.md §7 C6: `address_line_1`, `state_code`, `province`, `zip`,
//! `country_code`) and full country/state names; stores and emits the canonical names plus
//! the return-only `state_name`. Supported countries: US and CA.

use serde::{Deserialize, Serialize};

use crate::errors::ApiError;

/// A request address; every field optional so validation can name what is missing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddressInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    #[serde(alias = "address_line_1")]
    pub address1: Option<String>,
    #[serde(alias = "address_line_2")]
    pub address2: Option<String>,
    pub city: Option<String>,
    #[serde(alias = "state_code", alias = "province")]
    pub state_or_province: Option<String>,
    #[serde(alias = "zip")]
    pub postal_code: Option<String>,
    #[serde(alias = "country_code")]
    pub country: Option<String>,
    /// Return-only; accepted and ignored (ENDPOINTS.md §7 C22).
    #[serde(default)]
    pub state_name: Option<String>,
}

/// A validated, normalized address as emitted in carts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state_or_province: String,
    pub state_name: String,
    pub postal_code: String,
    pub country: String,
}

/// Which fields a validation requires (v2 shipping-info requires phone and email; billing for
/// card completion only needs the postal fields and names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressUse {
    Shipping,
    Billing,
    CardBilling,
}

/// Error ids for the route family: v2 routes use the `Error*` spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V1,
    V2,
}

const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("PR", "Puerto Rico"),
];

const CA_PROVINCES: &[(&str, &str)] = &[
    ("AB", "Alberta"),
    ("BC", "British Columbia"),
    ("MB", "Manitoba"),
    ("NB", "New Brunswick"),
    ("NL", "Newfoundland and Labrador"),
    ("NS", "Nova Scotia"),
    ("NT", "Northwest Territories"),
    ("NU", "Nunavut"),
    ("ON", "Ontario"),
    ("PE", "Prince Edward Island"),
    ("QC", "Quebec"),
    ("SK", "Saskatchewan"),
    ("YT", "Yukon"),
];

fn trimmed(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

/// ISO-2 code for a supported country given as code or name.
pub fn normalize_country(raw: &str) -> Option<&'static str> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "us" | "usa" | "united states" | "united states of america" => Some("US"),
        "ca" | "can" | "canada" => Some("CA"),
        _ => None,
    }
}

/// (code, name) of a state/province given as code or name.
pub fn normalize_state(country: &str, raw: &str) -> Option<(&'static str, &'static str)> {
    let table = if country == "CA" {
        CA_PROVINCES
    } else {
        US_STATES
    };
    let r = raw.trim();
    table
        .iter()
        .find(|(code, name)| code.eq_ignore_ascii_case(r) || name.eq_ignore_ascii_case(r))
        .copied()
}

/// A deliberately simple check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn valid_email(email: &str) -> bool {
    let e = email.trim();
    if e.contains(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn valid_postal(country: &str, code: &str) -> bool {
    let c: String = code.chars().filter(|ch| !ch.is_whitespace()).collect();
    if !c.is_ascii() {
        return false;
    }
    if country == "CA" {
        let b = c.as_bytes();
        b.len() == 6
            && b.iter().enumerate().all(|(i, ch)| {
                if i % 2 == 0 {
                    ch.is_ascii_alphabetic()
                } else {
                    ch.is_ascii_digit()
                }
            })
    } else {
        let (five, rest) = c.split_at(c.len().min(5));
        five.len() == 5
            && five.chars().all(|ch| ch.is_ascii_digit())
            && (rest.is_empty()
                || (rest.len() == 5
                    && rest.starts_with('-')
                    && rest[1..].chars().all(|ch| ch.is_ascii_digit())))
    }
}

impl AddressInput {
    /// Validates and normalizes, reporting the documented error ids of the route family:
    /// missing fields / bad postal code → InvalidShippingInfo, bad email → ErrorInvalidEmail,
    /// unsupported country → CountryNotSupported, unknown state → InvalidState
    /// (`002_599d5acdabf6b74d.txt:2778`, v1 `:10084`).
    pub fn validate(&self, usage: AddressUse, family: Family) -> Result<Address, ApiError> {
        let v2 = family == Family::V2;
        let id = |v2_id: &str, v1_id: &str| -> String {
            if v2 {
                v2_id.to_string()
            } else {
                v1_id.to_string()
            }
        };
        let mut required = vec![
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("address1", &self.address1),
            ("city", &self.city),
            ("state_or_province", &self.state_or_province),
            ("postal_code", &self.postal_code),
            ("country", &self.country),
        ];
        match usage {
            AddressUse::Shipping => {
                required.push(("phone", &self.phone));
                required.push(("email", &self.email));
            }
            AddressUse::Billing => required.push(("email", &self.email)),
            AddressUse::CardBilling => {}
        }
        let missing: Vec<&str> = required
            .iter()
            .filter(|(_, v)| trimmed(v).is_empty())
            .map(|(k, _)| *k)
            .collect();
        let invalid_info = |desc: String, fields: Vec<&str>| {
            let e = ApiError::new(
                400,
                &id("ErrorInvalidShippingInfo", "InvalidShippingInfo"),
                desc,
            );
            e.with_details(serde_json::json!({ "fields": fields }))
        };
        if !missing.is_empty() {
            return Err(invalid_info(
                format!("Missing required field(s): {}.", missing.join(", ")),
                missing,
            ));
        }
        let email = trimmed(&self.email);
        if !email.is_empty() && !valid_email(&email) {
            return Err(ApiError::new(
                400,
                "ErrorInvalidEmail",
                format!("Email provided is invalid: '{email}'."),
            )
            .with_details(serde_json::json!({ "fields": ["email"] })));
        }
        let country_raw = trimmed(&self.country);
        let Some(country) = normalize_country(&country_raw) else {
            let (status, ident) = if v2 {
                (400, "ErrorCountryNotSupported")
            } else {
                (412, "CountryNotSupported")
            };
            return Err(ApiError::new(
                status,
                ident,
                format!("We don't currently support this country/region ({country_raw}). Enter a new address and try again."),
            )
            .with_details(serde_json::json!({ "fields": ["country"] })));
        };
        let state_raw = trimmed(&self.state_or_province);
        let Some((state, state_name)) = normalize_state(country, &state_raw) else {
            return Err(ApiError::new(
                400,
                &id("ErrorInvalidState", "InvalidState"),
                format!("This state ({state_raw}) is not valid for the given country ({country})."),
            )
            .with_details(serde_json::json!({ "fields": ["state_or_province"] })));
        };
        let postal = trimmed(&self.postal_code);
        if !valid_postal(country, &postal) {
            return Err(invalid_info(
                format!("The postal code '{postal}' is not valid for {country}."),
                vec!["postal_code"],
            ));
        }
        Ok(Address {
            first_name: trimmed(&self.first_name),
            last_name: trimmed(&self.last_name),
            email,
            phone: trimmed(&self.phone),
            company: trimmed(&self.company),
            address1: trimmed(&self.address1),
            address2: trimmed(&self.address2),
            city: trimmed(&self.city),
            state_or_province: state.to_string(),
            state_name: state_name.to_string(),
            postal_code: postal.to_ascii_uppercase(),
            country: country.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> AddressInput {
        AddressInput {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            email: Some("ada@example.com".into()),
            phone: Some("+12065550100".into()),
            address1: Some("1 Main St".into()),
            city: Some("Seattle".into()),
            state_or_province: Some("Washington".into()),
            postal_code: Some("98101".into()),
            country: Some("United States".into()),
            ..Default::default()
        }
    }

    #[test]
    fn normalizes_names() {
        let a = good()
            .validate(AddressUse::Shipping, Family::V2)
            .expect("valid");
        assert_eq!(a.state_or_province, "WA");
        assert_eq!(a.state_name, "Washington");
        assert_eq!(a.country, "US");
    }

    #[test]
    fn reports_specific_errors() {
        let mut a = good();
        a.email = Some("nope".into());
        assert_eq!(
            a.validate(AddressUse::Shipping, Family::V2)
                .expect_err("email")
                .error,
            "ErrorInvalidEmail"
        );
        let mut a = good();
        a.country = Some("FR".into());
        assert_eq!(
            a.validate(AddressUse::Shipping, Family::V2)
                .expect_err("country")
                .error,
            "ErrorCountryNotSupported"
        );
        let mut a = good();
        a.state_or_province = Some("ZZ".into());
        assert_eq!(
            a.validate(AddressUse::Shipping, Family::V1)
                .expect_err("state")
                .error,
            "InvalidState"
        );
        let mut a = good();
        a.city = None;
        let e = a
            .validate(AddressUse::Shipping, Family::V2)
            .expect_err("city");
        assert_eq!(e.error, "ErrorInvalidShippingInfo");
        assert!(e.description.contains("city"));
        let mut a = good();
        a.postal_code = Some("9810".into());
        assert!(a.validate(AddressUse::Shipping, Family::V2).is_err());
    }
}
