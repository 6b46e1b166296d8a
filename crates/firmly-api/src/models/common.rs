//! Small wire types shared by carts, catalog and shipments: images and discounts.

use crate::money::Amount;
use crate::serde_util::{opt_i64, opt_string, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A product image. Seen as `{url, alt, type}` (ENDPOINTS.md §2.3),
/// `{url, large, grande, …}` (ENDPOINTS.md §2.3), `{src, alt}`
/// (ENDPOINTS.md §2.3) or a bare URL string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Image {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ImageWire {
    #[serde(deserialize_with = "opt_string")]
    url: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    src: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    alt: Option<String>,
    #[serde(rename = "type", deserialize_with = "opt_string")]
    kind: Option<String>,
    #[serde(deserialize_with = "opt_i64")]
    width: Option<i64>,
    #[serde(deserialize_with = "opt_i64")]
    height: Option<i64>,
    #[serde(deserialize_with = "opt_string")]
    large: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    medium: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    small: Option<String>,
}

impl<'de> Deserialize<'de> for Image {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::Object(_) => {
                let w: ImageWire = serde_json::from_value(v).map_err(D::Error::custom)?;
                Ok(Image {
                    url: w.url.or(w.src).or(w.large).or(w.medium).or(w.small),
                    alt: w.alt,
                    r#type: w.kind,
                    width: w.width,
                    height: w.height,
                })
            }
            // One image given as an array (ProductCollection typed `Image[]`): take the first.
            Value::Array(items) => match items.into_iter().next() {
                Some(first) => serde_json::from_value(first).map_err(D::Error::custom),
                None => Ok(Image::default()),
            },
            other => Ok(Image {
                url: value_to_string(&other),
                ..Image::default()
            }),
        }
    }
}

/// A discount line: v2 `{code, description, amount}` (ENDPOINTS.md §1 #21),
/// v1 `{code, description}` or breakdown `{label, discount}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Discount {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        alias = "label",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(alias = "discount", skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
}

/// Optional `Amount` that also treats an unparseable value as absent rather than failing
/// the whole document (used for secondary totals only).
pub(crate) fn lenient_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    Ok(serde_json::from_value(v).ok())
}
