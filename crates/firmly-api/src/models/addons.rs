//! v2 cart add-ons: offers, selections and the selection request
//! (ENDPOINTS.md §2.4.7).
//!
//! Offers come in three documented shapes (§7 C11): schema form with `display{…}`,
//! flat `name`/`description` (ENDPOINTS.md §2.4.7) and
//! `{type, applicable_items, required, multiple}` (ENDPOINTS.md §2.4.7).

use crate::money::Amount;
use crate::serde_util::{bool_lenient, null_vec, opt_string, string_list, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// What an offer covers (ENDPOINTS.md §7 C11; child offers use `INHERIT`, §2.4.7).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AddonScope {
    Item,
    Group,
    #[default]
    Cart,
    Inherit,
    Other(String),
}

impl AddonScope {
    pub fn as_str(&self) -> &str {
        match self {
            AddonScope::Item => "ITEM",
            AddonScope::Group => "GROUP",
            AddonScope::Cart => "CART",
            AddonScope::Inherit => "INHERIT",
            AddonScope::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> AddonScope {
        match s.trim().to_ascii_uppercase().as_str() {
            "ITEM" => AddonScope::Item,
            "GROUP" => AddonScope::Group,
            "CART" => AddonScope::Cart,
            "INHERIT" => AddonScope::Inherit,
            _ => AddonScope::Other(s.to_string()),
        }
    }
}

impl Serialize for AddonScope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AddonScope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(AddonScope::parse(&String::deserialize(d)?))
    }
}

/// How line items are grouped under an offer (ENDPOINTS.md §2.4.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverageMode {
    PerItem,
    PredefinedGroup,
    FreeGrouping,
    Other(String),
}

impl CoverageMode {
    pub fn as_str(&self) -> &str {
        match self {
            CoverageMode::PerItem => "PER_ITEM",
            CoverageMode::PredefinedGroup => "PREDEFINED_GROUP",
            CoverageMode::FreeGrouping => "FREE_GROUPING",
            CoverageMode::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> CoverageMode {
        match s.trim().to_ascii_uppercase().as_str() {
            "PER_ITEM" => CoverageMode::PerItem,
            "PREDEFINED_GROUP" => CoverageMode::PredefinedGroup,
            "FREE_GROUPING" => CoverageMode::FreeGrouping,
            _ => CoverageMode::Other(s.to_string()),
        }
    }
}

impl Serialize for CoverageMode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CoverageMode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(CoverageMode::parse(&String::deserialize(d)?))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddonDisplay {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub long_description: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_url: Option<String>,
    #[serde(deserialize_with = "string_list")]
    pub links: Vec<String>,
}

/// Price of an offer for one line item: `{price: Amount}` or a bare Amount.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LineItemPrice {
    pub price: Option<Amount>,
}

impl<'de> Deserialize<'de> for LineItemPrice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let price_value = match &v {
            Value::Object(o) if o.contains_key("price") => {
                o.get("price").cloned().unwrap_or(Value::Null)
            }
            _ => v,
        };
        if price_value.is_null() {
            return Ok(LineItemPrice { price: None });
        }
        let price = serde_json::from_value(price_value).map_err(D::Error::custom)?;
        Ok(LineItemPrice { price: Some(price) })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddonConstraints {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub exclusive_group_id: Option<String>,
    #[serde(deserialize_with = "string_list")]
    pub requires_addon_ids: Vec<String>,
}

/// An add-on the shopper may choose (protection plan, assembly, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AddonOffer {
    pub addon_id: String,
    pub display: AddonDisplay,
    pub scope: AddonScope,
    pub coverage_mode: Option<CoverageMode>,
    pub eligible_line_item_ids: Vec<String>,
    pub price: Option<Amount>,
    pub line_item_pricing: BTreeMap<String, LineItemPrice>,
    pub constraints: Option<AddonConstraints>,
    pub child_offers: Vec<AddonOffer>,
    /// From the `{required, multiple}` variant (ENDPOINTS.md §2.4.7).
    pub required: bool,
    pub multiple: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AddonOfferWire {
    #[serde(deserialize_with = "opt_string")]
    addon_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    id: Option<String>,
    display: Option<AddonDisplay>,
    #[serde(deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    description: Option<String>,
    scope: Option<AddonScope>,
    #[serde(rename = "type")]
    kind: Option<AddonScope>,
    coverage_mode: Option<CoverageMode>,
    #[serde(deserialize_with = "string_list")]
    eligible_line_item_ids: Vec<String>,
    #[serde(deserialize_with = "string_list")]
    applicable_items: Vec<String>,
    price: Option<Amount>,
    #[serde(deserialize_with = "crate::serde_util::null_default")]
    line_item_pricing: BTreeMap<String, LineItemPrice>,
    constraints: Option<AddonConstraints>,
    #[serde(deserialize_with = "null_vec")]
    child_offers: Vec<AddonOffer>,
    #[serde(deserialize_with = "bool_lenient")]
    required: bool,
    #[serde(deserialize_with = "bool_lenient")]
    multiple: bool,
}

impl<'de> Deserialize<'de> for AddonOffer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = AddonOfferWire::deserialize(d)?;
        let mut display = w.display.unwrap_or_default();
        if display.name.is_none() {
            display.name = w.name;
        }
        if display.description.is_none() {
            display.description = w.description;
        }
        Ok(AddonOffer {
            addon_id: w.addon_id.or(w.id).unwrap_or_default(),
            display,
            scope: w.scope.or(w.kind).unwrap_or_default(),
            coverage_mode: w.coverage_mode,
            eligible_line_item_ids: if w.eligible_line_item_ids.is_empty() {
                w.applicable_items
            } else {
                w.eligible_line_item_ids
            },
            price: w.price,
            line_item_pricing: w.line_item_pricing,
            constraints: w.constraints,
            child_offers: w.child_offers,
            required: w.required,
            multiple: w.multiple,
        })
    }
}

/// A chosen add-on with its server-computed price.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddonSelection {
    #[serde(deserialize_with = "crate::serde_util::string_lenient", alias = "id")]
    pub addon_id: String,
    #[serde(deserialize_with = "string_list")]
    pub selected_line_item_ids: Vec<String>,
    #[serde(deserialize_with = "string_list")]
    pub selected_child_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Amount>,
    #[serde(deserialize_with = "crate::serde_util::null_default")]
    pub line_item_pricing: BTreeMap<String, LineItemPrice>,
    #[serde(deserialize_with = "crate::serde_util::null_default")]
    pub metadata: BTreeMap<String, Value>,
}

/// Offers and selections; the simplified cart sends `addons: []` (C9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Addons {
    pub offers: Vec<AddonOffer>,
    pub selections: Vec<AddonSelection>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AddonsWire {
    #[serde(deserialize_with = "null_vec")]
    offers: Vec<AddonOffer>,
    #[serde(deserialize_with = "null_vec")]
    selections: Vec<AddonSelection>,
}

impl<'de> Deserialize<'de> for Addons {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::Null => Ok(Addons::default()),
            // An array is taken as a list of offers (empty in every sample).
            Value::Array(items) => {
                let offers = items
                    .into_iter()
                    .map(serde_json::from_value)
                    .collect::<Result<Vec<AddonOffer>, _>>()
                    .map_err(D::Error::custom)?;
                Ok(Addons {
                    offers,
                    selections: Vec::new(),
                })
            }
            Value::Object(_) => {
                let w: AddonsWire = serde_json::from_value(v).map_err(D::Error::custom)?;
                Ok(Addons {
                    offers: w.offers,
                    selections: w.selections,
                })
            }
            other => Err(D::Error::custom(format!(
                "expected addons object or array, got {}",
                value_to_string(&other).unwrap_or_default()
            ))),
        }
    }
}

impl Addons {
    pub fn is_selected(&self, addon_id: &str) -> bool {
        self.selections.iter().any(|s| s.addon_id == addon_id)
    }

    /// Offers flattened with their child offers, depth first.
    pub fn all_offers(&self) -> Vec<&AddonOffer> {
        fn walk<'a>(offers: &'a [AddonOffer], out: &mut Vec<&'a AddonOffer>) {
            for o in offers {
                out.push(o);
                walk(&o.child_offers, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.offers, &mut out);
        out
    }
}

/// One entry of the `selections` body of Set Add-ons (ENDPOINTS.md §1 #14).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddonSelectionRequest {
    pub addon_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub selected_line_item_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub selected_child_ids: Vec<String>,
}
