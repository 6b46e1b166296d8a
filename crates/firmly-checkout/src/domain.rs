//! A merchant's domain, made once at the edge (a command's argument, the CLI, a snapshot, the
//! store) and trusted everywhere after: no method re-checks a string. `https://Shop.example/`
//! becomes `shop.example`; anything that is not a hostname is refused with a field error on
//! `domain`.

use std::fmt;

use firmly_api::{ApiError, Field};
use serde::{Deserialize, Deserializer, Serialize};

/// A merchant domain as typed, normalized and checked as a hostname: lower-cased, no
/// scheme, path or trailing dot (`https://Shop.example/cart` → `shop.example`). Every command
/// that takes a merchant domain goes through this before the domain reaches a request path.
fn check_domain(input: &str) -> Result<String, ApiError> {
    let t = input.trim().to_lowercase();
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(&t);
    let host = t
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_string();
    if firmly_api::requests::is_hostname(&host) {
        Ok(host)
    } else {
        let shown: String = input.trim().chars().take(80).collect();
        Err(ApiError::field(
            Field::Domain,
            format!("\"{shown}\" is not a merchant domain (e.g. shop.example.com)."),
        ))
    }
}

/// A validated, normalized merchant domain (a lowercase hostname).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, specta::Type)]
#[serde(transparent)]
pub struct Domain(String);

impl Domain {
    /// Reads a domain as a person or a file wrote it.
    pub fn parse(input: &str) -> Result<Domain, ApiError> {
        if input.trim().is_empty() {
            return Err(ApiError::field(Field::Domain, "Choose a merchant first."));
        }
        check_domain(input).map(Domain)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Every valid domain of a list, in order, without repeats (an older store file or a
    /// snapshot may hold a bad one; it is dropped, not the list).
    pub fn parse_all<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<Domain> {
        let mut out: Vec<Domain> = Vec::new();
        for d in items.into_iter().filter_map(|s| Domain::parse(s).ok()) {
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }
}

impl<'de> Deserialize<'de> for Domain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Domain::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Domain {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Domain {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Domain {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Domain {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Domain {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl std::str::FromStr for Domain {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Domain::parse(s)
    }
}

impl From<Domain> for String {
    fn from(d: Domain) -> String {
        d.0
    }
}

/// Deserializes a list of domains, dropping entries that are not domains (an older store
/// file, a hand-edited snapshot) instead of failing the whole value.
pub fn lenient_domains<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Domain>, D::Error> {
    let raw = Vec::<serde_json::Value>::deserialize(d)?;
    Ok(Domain::parse_all(raw.iter().filter_map(|v| v.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalized_or_refused() {
        assert_eq!(
            check_domain(" https://Shop.Example.com/cart ").unwrap(),
            "shop.example.com"
        );
        assert!(check_domain("not a domain").is_err());
        assert!(check_domain("localhost").is_err());
        assert_eq!(check_domain("Shop.Example.").unwrap(), "shop.example");
        for bad in ["a..b", "-a.b", "é.example", "a b.c", "%2e.x", ""] {
            let e = check_domain(bad).unwrap_err();
            assert_eq!(e.field, Some(Field::Domain), "{bad}");
        }
    }

    #[test]
    fn made_once_and_normalized() {
        let d = Domain::parse(" https://Shop.Example.com/cart?x=1 ").unwrap();
        assert_eq!(d.as_str(), "shop.example.com");
        assert_eq!(Domain::parse("").unwrap_err().field, Some(Field::Domain));
        assert_eq!(
            Domain::parse("not a domain").unwrap_err().field,
            Some(Field::Domain)
        );
    }

    #[test]
    fn deserializing_validates_and_a_list_drops_bad_entries() {
        let d: Domain = serde_json::from_str("\"HTTPS://luma.gift\"").unwrap();
        assert_eq!(d, "luma.gift");
        assert!(serde_json::from_str::<Domain>("\"a b\"").is_err());
        #[derive(Deserialize)]
        struct Known {
            #[serde(deserialize_with = "lenient_domains")]
            list: Vec<Domain>,
        }
        let k: Known =
            serde_json::from_str(r#"{"list": ["a.test", "bad domain", 3, "A.test", "b.test"]}"#)
                .unwrap();
        assert_eq!(
            k.list,
            vec![
                Domain::parse("a.test").unwrap(),
                Domain::parse("b.test").unwrap()
            ]
        );
        assert_eq!(serde_json::to_string(&k.list[0]).unwrap(), "\"a.test\"");
    }
}
