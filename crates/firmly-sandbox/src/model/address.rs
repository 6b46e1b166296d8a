//! Addresses for shipping-info / billing-info (ENDPOINTS.md §1 #19, §1 #20,
//! Address schema ENDPOINTS.md §2.2): the request form accepting every documented spelling
//! (ENDPOINTS.md §7 C6: `address_line_1`, `state_code`, `province`, `zip`, `country_code`),
//! the normalized form carts emit (canonical names plus the return-only `state_name`), and the
//! country/state tables (US and CA). Validation lives in [`crate::rules::address`].

use serde::{Deserialize, Serialize};

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

pub fn trimmed(v: &Option<String>) -> String {
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

pub fn valid_postal(country: &str, code: &str) -> bool {
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
                    && rest
                        .strip_prefix('-')
                        .is_some_and(|r| r.chars().all(|ch| ch.is_ascii_digit()))))
    }
}
