//! v2 shipments: fulfillment types and shipping methods (ENDPOINTS.md §2.4.3–§2.4.4).
//! Stores are in [`crate::models::pickup`], dates and slots in [`crate::models::slots`],
//! availability in [`crate::models::availability`] (which uses this module, not the reverse).

use crate::models::common::Discount;
use crate::models::pickup::{PickupLocation, PickupOption};
use crate::models::slots::TimeSlot;
use crate::money::Amount;
use crate::serde_util::{null_vec, opt_string, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// What kind of fulfillment a [`FulfillmentType`] id names (ENDPOINTS.md §2.4.4, C7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub enum FulfillmentTypeKind {
    #[default]
    ShipToAddress,
    ScheduledDelivery,
    /// `PICKUP_IN_STORE` (the enum's spelling) and `IN_STORE_PICKUP` (004's).
    PickupInStore,
    DigitalDelivery,
    /// An id the docs do not name.
    Other,
}

impl FulfillmentTypeKind {
    /// The documented spelling of this kind (`None` for [`FulfillmentTypeKind::Other`]).
    pub fn canonical(&self) -> Option<&'static str> {
        match self {
            FulfillmentTypeKind::ShipToAddress => Some("SHIP_TO_ADDRESS"),
            FulfillmentTypeKind::ScheduledDelivery => Some("SCHEDULED_DELIVERY"),
            FulfillmentTypeKind::PickupInStore => Some("PICKUP_IN_STORE"),
            FulfillmentTypeKind::DigitalDelivery => Some("DIGITAL_DELIVERY"),
            FulfillmentTypeKind::Other => None,
        }
    }

    /// The kind an id names, whatever its spelling (case, `-`/space for `_`, C7's
    /// `IN_STORE_PICKUP`).
    pub fn of(id: &str) -> FulfillmentTypeKind {
        match id
            .trim()
            .to_ascii_uppercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "SHIP_TO_ADDRESS" | "SHIPPING" => FulfillmentTypeKind::ShipToAddress,
            "SCHEDULED_DELIVERY" => FulfillmentTypeKind::ScheduledDelivery,
            "PICKUP_IN_STORE" | "IN_STORE_PICKUP" => FulfillmentTypeKind::PickupInStore,
            "DIGITAL_DELIVERY" => FulfillmentTypeKind::DigitalDelivery,
            _ => FulfillmentTypeKind::Other,
        }
    }
}

/// A fulfillment type id exactly as the cart spelled it, with the kind it names
/// (ENDPOINTS.md §2.4.4). Decoding accepts every spelling (004's
/// `IN_STORE_PICKUP` is a pickup, C7); what goes back to the server is always the id as the
/// cart offered it ([`FulfillmentType::as_str`]), never a rewritten one. Compare kinds with
/// [`FulfillmentType::kind`] (or `== FulfillmentTypeKind::…`), not ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FulfillmentType {
    kind: FulfillmentTypeKind,
    wire: String,
}

impl Default for FulfillmentType {
    fn default() -> Self {
        FulfillmentType::ship_to_address()
    }
}

impl FulfillmentType {
    fn documented(kind: FulfillmentTypeKind, id: &str) -> FulfillmentType {
        FulfillmentType {
            kind,
            wire: id.to_string(),
        }
    }

    /// `SHIP_TO_ADDRESS`.
    pub fn ship_to_address() -> FulfillmentType {
        Self::documented(FulfillmentTypeKind::ShipToAddress, "SHIP_TO_ADDRESS")
    }

    /// `SCHEDULED_DELIVERY`.
    pub fn scheduled_delivery() -> FulfillmentType {
        Self::documented(FulfillmentTypeKind::ScheduledDelivery, "SCHEDULED_DELIVERY")
    }

    /// `PICKUP_IN_STORE`, the documented enum's spelling. To answer a cart, send the id the
    /// cart offered instead ([`FulfillmentType::parse`] of it).
    pub fn pickup_in_store() -> FulfillmentType {
        Self::documented(FulfillmentTypeKind::PickupInStore, "PICKUP_IN_STORE")
    }

    /// `DIGITAL_DELIVERY` (seen, ENDPOINTS.md §2.4.4, C7).
    pub fn digital_delivery() -> FulfillmentType {
        Self::documented(FulfillmentTypeKind::DigitalDelivery, "DIGITAL_DELIVERY")
    }

    /// An id as the server (or the UI, echoing the cart) spelled it: kept exactly.
    pub fn parse(id: &str) -> FulfillmentType {
        FulfillmentType {
            kind: FulfillmentTypeKind::of(id),
            wire: id.to_string(),
        }
    }

    /// The id exactly as the cart spelled it: what is sent back.
    pub fn as_str(&self) -> &str {
        &self.wire
    }

    pub fn kind(&self) -> FulfillmentTypeKind {
        self.kind
    }

    /// The documented spelling of this id's kind, else the id itself (for display and
    /// grouping, never for sending).
    pub fn canonical_str(&self) -> &str {
        self.kind.canonical().unwrap_or(&self.wire)
    }

    pub fn is_pickup(&self) -> bool {
        self.kind == FulfillmentTypeKind::PickupInStore
    }
}

impl PartialEq<FulfillmentTypeKind> for FulfillmentType {
    fn eq(&self, kind: &FulfillmentTypeKind) -> bool {
        self.kind == *kind
    }
}

impl std::fmt::Display for FulfillmentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FulfillmentType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FulfillmentType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(FulfillmentType::parse(&s))
    }
}

/// `{id, name, description}` or a bare `"SHIP_TO_ADDRESS"` string (SCart, C9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FulfillmentTypeInfo {
    pub id: FulfillmentType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl<'de> Deserialize<'de> for FulfillmentTypeInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::String(s) => Ok(FulfillmentTypeInfo {
                id: FulfillmentType::parse(s),
                name: None,
                description: None,
            }),
            Value::Object(o) => {
                let id = o
                    .get("id")
                    .or_else(|| o.get("type"))
                    .or_else(|| o.get("code"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| D::Error::custom("fulfillment type object without `id`"))?;
                Ok(FulfillmentTypeInfo {
                    id: FulfillmentType::parse(id),
                    name: o.get("name").and_then(value_to_string),
                    description: o.get("description").and_then(value_to_string),
                })
            }
            other => Err(D::Error::custom(format!(
                "expected a fulfillment type, got {other}"
            ))),
        }
    }
}

/// A shipping method. v2 uses `id` (ENDPOINTS.md §2.4.4 ShippingMethodV2), v1 uses `sku`
/// (§2.3 ShippingMethod); the v1 cart table even types it as a bare id string (C16).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ShippingMethod {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShippingMethodWire {
    #[serde(deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    sku: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    description: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    name: Option<String>,
    price: Option<Amount>,
    #[serde(deserialize_with = "opt_string")]
    estimated_delivery: Option<String>,
}

impl<'de> Deserialize<'de> for ShippingMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        if let Value::Object(_) = v {
            let w: ShippingMethodWire = serde_json::from_value(v).map_err(D::Error::custom)?;
            Ok(ShippingMethod {
                id: w.id.or(w.sku).unwrap_or_default(),
                description: w.description.or(w.name),
                price: w.price,
                estimated_delivery: w.estimated_delivery,
            })
        } else {
            Ok(ShippingMethod {
                id: value_to_string(&v).unwrap_or_default(),
                ..ShippingMethod::default()
            })
        }
    }
}

/// A group of line items delivered together (ENDPOINTS.md §2.4.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Shipment {
    pub shipment_id: String,
    pub fulfillment_type: Option<FulfillmentTypeInfo>,
    pub fulfillment_type_options: Vec<FulfillmentTypeInfo>,
    pub line_item_ids: Vec<String>,
    pub shipping_method_options: Vec<ShippingMethod>,
    pub shipping_method: Option<ShippingMethod>,
    pub selected_location: Option<PickupLocation>,
    pub selected_date: Option<String>,
    pub selected_time_slot: Option<TimeSlot>,
    /// How a pickup is handed over (`PickupOptionSchema`, ENDPOINTS.md §2.4.3).
    pub pickup_option: Option<PickupOption>,
    pub notes: Option<String>,
    pub discounts: Vec<Discount>,
    pub shipping_total: Option<Amount>,
    pub subtotal: Option<Amount>,
    pub tax_total: Option<Amount>,
    pub total: Option<Amount>,
}

impl Shipment {
    /// The fulfillment type id, defaulting to ship-to-address when absent.
    pub fn fulfillment(&self) -> FulfillmentType {
        self.fulfillment_type
            .as_ref()
            .map(|f| f.id.clone())
            .unwrap_or_default()
    }
}

/// Line item ids given as strings, numbers or objects carrying `line_item_id`/`id`.
fn id_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => vec![other],
    };
    Ok(items
        .iter()
        .filter_map(|item| match item {
            Value::Object(o) => o
                .get("line_item_id")
                .or_else(|| o.get("id"))
                .and_then(value_to_string),
            other => value_to_string(other),
        })
        .collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShipmentWire {
    #[serde(deserialize_with = "opt_string")]
    shipment_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    id: Option<String>,
    fulfillment_type: Option<FulfillmentTypeInfo>,
    #[serde(deserialize_with = "null_vec")]
    fulfillment_type_options: Vec<FulfillmentTypeInfo>,
    #[serde(deserialize_with = "id_list")]
    line_item_ids: Vec<String>,
    #[serde(deserialize_with = "id_list")]
    line_items: Vec<String>,
    #[serde(deserialize_with = "null_vec")]
    shipping_method_options: Vec<ShippingMethod>,
    shipping_method: Option<ShippingMethod>,
    selected_location: Option<PickupLocation>,
    #[serde(deserialize_with = "opt_string")]
    selected_date: Option<String>,
    selected_time_slot: Option<TimeSlot>,
    pickup_option: Option<PickupOption>,
    #[serde(deserialize_with = "opt_string")]
    notes: Option<String>,
    #[serde(deserialize_with = "null_vec")]
    discounts: Vec<Discount>,
    #[serde(deserialize_with = "crate::models::common::lenient_amount")]
    shipping_total: Option<Amount>,
    #[serde(deserialize_with = "crate::models::common::lenient_amount")]
    subtotal: Option<Amount>,
    #[serde(deserialize_with = "crate::models::common::lenient_amount")]
    sub_total: Option<Amount>,
    #[serde(deserialize_with = "crate::models::common::lenient_amount")]
    tax_total: Option<Amount>,
    #[serde(deserialize_with = "crate::models::common::lenient_amount")]
    total: Option<Amount>,
}

impl<'de> Deserialize<'de> for Shipment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ShipmentWire::deserialize(d)?;
        Ok(Shipment {
            shipment_id: w.shipment_id.or(w.id).unwrap_or_default(),
            fulfillment_type: w.fulfillment_type,
            fulfillment_type_options: w.fulfillment_type_options,
            line_item_ids: if w.line_item_ids.is_empty() {
                w.line_items
            } else {
                w.line_item_ids
            },
            shipping_method_options: w.shipping_method_options,
            shipping_method: w.shipping_method,
            selected_location: w.selected_location,
            selected_date: w.selected_date,
            selected_time_slot: w.selected_time_slot,
            pickup_option: w.pickup_option,
            notes: w.notes,
            discounts: w.discounts,
            shipping_total: w.shipping_total,
            subtotal: w.subtotal.or(w.sub_total),
            tax_total: w.tax_total,
            total: w.total,
        })
    }
}
