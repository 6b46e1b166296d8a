//! Tolerant serde helpers shared by the wire models.
//!
//! The Firmly docs disagree with themselves about scalar types (ENDPOINTS.md §7 C16):
//! integers arrive as strings, single values arrive where arrays are documented and
//! `null` arrives where a list is expected. These helpers accept every variant so one
//! odd field never makes a whole cart undecodable.

use rust_decimal::Decimal;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use serde_json::Value;
use std::str::FromStr;

/// Parses a JSON number or numeric string into a `Decimal` without going through `f64`
/// rounding noise (`54.00` stays `54`, `4.99` stays `4.99`).
pub(crate) fn decimal_from_value(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => decimal_from_str(&n.to_string()),
        Value::String(s) => decimal_from_str(s.trim()),
        _ => None,
    }
}

pub(crate) fn decimal_from_str(s: &str) -> Option<Decimal> {
    if s.is_empty() {
        return None;
    }
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .ok()
}

/// `Option<String>` from a string, number or bool (`platform_line_item_id: 0`, `month: 5`).
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        // The common case, without a second copy of the text.
        Value::String(s) => Some(s),
        other => value_to_string(&other),
    })
}

pub(crate) fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        // Objects/arrays where a scalar is documented: keep their JSON text rather than fail.
        other => Some(other.to_string()),
    }
}

/// `String` from a string/number; `null` or absent becomes empty.
pub(crate) fn string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// `i64` from a number or numeric string (`"quantity": "<quantity>"` in a curl, C18).
pub(crate) fn i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_i64(d)?.unwrap_or_default())
}

pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else if let Some(f) = n.as_f64() {
                Ok(Some(f.round() as i64))
            } else {
                Err(D::Error::custom(format!("number out of range: {n}")))
            }
        }
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("expected an integer, got {s:?}"))),
        other => Err(D::Error::custom(format!(
            "expected an integer, got {other}"
        ))),
    }
}

/// `bool` from a bool, `"true"`/`"false"`, 0/1, a non-empty array (SessionInfo
/// `accepts_otp` is typed `string[]` but described as a flag) or `null` (false).
pub(crate) fn bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(value_to_bool(&v))
}

pub(crate) fn value_to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" | "" => Some(false),
            _ => Some(true),
        },
        Value::Array(a) => Some(!a.is_empty()),
        Value::Object(o) => Some(!o.is_empty()),
    }
}

/// `Vec<T>` from an array, a single value, or `null`/absent (C16 `OneOrMany`). Decodes
/// straight from the input (no intermediate `Value`), so the path of a failing element is
/// kept (`notices[2].type`).
pub(crate) fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
    use serde::de::{IntoDeserializer, MapAccess, SeqAccess, Visitor};
    struct OneOrMany<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> OneOrMany<T> {
        fn one<E: serde::de::Error, X: IntoDeserializer<'de, E>>(x: X) -> Result<Vec<T>, E> {
            T::deserialize(x.into_deserializer()).map(|t| vec![t])
        }
    }
    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list, one value or null")
        }
        fn visit_unit<E>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            Vec::<T>::deserialize(SeqAccessDeserializer::new(seq))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(|t| vec![t])
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            Self::one(v.to_owned())
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Vec<T>, E> {
            Self::one(v)
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            Self::one(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            Self::one(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            Self::one(v)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Vec<T>, E> {
            Self::one(v)
        }
    }
    d.deserialize_any(OneOrMany(std::marker::PhantomData))
}

/// `Vec<T>` where `null` means empty. Unlike `one_or_many` this keeps serde's own path
/// tracking for the elements, so decode errors point inside the list.
pub(crate) fn null_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Strings from an array of strings/numbers, one string, or null.
pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter_map(value_to_string).collect(),
        other => value_to_string(&other).into_iter().collect(),
    })
}

/// A `T` that is `null` decodes to `T::default()`.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
