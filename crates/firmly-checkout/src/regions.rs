//! The address form's lists, from the same data the validation uses: the countries (ISO
//! 3166-1 alpha-2 codes; the UI names them in the shopper's language), and the states and
//! provinces of the countries that have a list here (US, CA). Elsewhere the region is free
//! text. The merchant still decides what it ships to (`CountryNotSupported`).

use serde::{Deserialize, Serialize};
use specta::Type;

/// US states, DC and the territories the postal service serves: `(code, name)`.
pub const US_REGIONS: &[(&str, &str)] = &[
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
    ("GU", "Guam"),
    ("VI", "U.S. Virgin Islands"),
    ("AS", "American Samoa"),
    ("MP", "Northern Mariana Islands"),
];

/// Canadian provinces and territories: `(code, name)`.
pub const CA_REGIONS: &[(&str, &str)] = &[
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

/// ISO 3166-1 alpha-2 country codes.
pub const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// The regions of a country that has a list here.
pub fn regions_of(country: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match country.trim().to_ascii_uppercase().as_str() {
        "US" => Some(US_REGIONS),
        "CA" => Some(CA_REGIONS),
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RegionView {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RegionListView {
    pub country: String,
    pub regions: Vec<RegionView>,
}

/// The address form's lists.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AddressFormView {
    /// Country codes (the UI names them with `Intl.DisplayNames`); US and CA first.
    pub countries: Vec<String>,
    /// The countries whose region is chosen from a list; anything else is free text.
    pub regions: Vec<RegionListView>,
}

pub fn address_form() -> AddressFormView {
    let mut countries: Vec<String> = vec!["US".into(), "CA".into()];
    countries.extend(
        COUNTRIES
            .iter()
            .filter(|c| !matches!(**c, "US" | "CA"))
            .map(|c| c.to_string()),
    );
    let list = |country: &str, regions: &[(&str, &str)]| RegionListView {
        country: country.into(),
        regions: regions
            .iter()
            .map(|(code, name)| RegionView {
                code: code.to_string(),
                name: name.to_string(),
            })
            .collect(),
    };
    AddressFormView {
        countries,
        regions: vec![list("US", US_REGIONS), list("CA", CA_REGIONS)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_whole_and_unique() {
        let f = address_form();
        assert_eq!(f.countries.len(), COUNTRIES.len());
        assert_eq!(f.countries.iter().take(2).collect::<Vec<_>>(), ["US", "CA"]);
        let mut sorted = COUNTRIES.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), COUNTRIES.len());
        assert_eq!(regions_of("us").map(<[_]>::len), Some(56));
        assert_eq!(regions_of("CA").map(<[_]>::len), Some(13));
        assert!(regions_of("FR").is_none());
    }
}
