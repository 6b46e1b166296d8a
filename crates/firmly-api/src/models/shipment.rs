//! v2 shipments: fulfillment types, shipping methods, time slots, pickup locations and
//! the availability response (ENDPOINTS.md §2.4.3–§2.4.6).
//!
//! The availability response has two incompatible documented forms (§7 C8): the schema
//! form (`available_dates: ["YYYY-MM-DD"]` + `time_slots` map, `002_599d5acdabf6b74d.txt:4430`)
//! and the endpoint-page form (`available_dates: [{date, time_slots[]}]`,
//! `002_599d5acdabf6b74d.txt:4755`). Both decode into [`Availability`].

use crate::models::common::Discount;
use crate::money::Amount;
use crate::serde_util::{null_vec, opt_bool, opt_string, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// How a shipment reaches the shopper (`002_599d5acdabf6b74d.txt:4057`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum FulfillmentType {
    #[default]
    ShipToAddress,
    ScheduledDelivery,
    /// Sent as `PICKUP_IN_STORE`; `IN_STORE_PICKUP` (`004_aafe42603e041247.txt:79`) also parses (C7).
    PickupInStore,
    DigitalDelivery,
    Other(String),
}

impl FulfillmentType {
    pub fn as_str(&self) -> &str {
        match self {
            FulfillmentType::ShipToAddress => "SHIP_TO_ADDRESS",
            FulfillmentType::ScheduledDelivery => "SCHEDULED_DELIVERY",
            FulfillmentType::PickupInStore => "PICKUP_IN_STORE",
            FulfillmentType::DigitalDelivery => "DIGITAL_DELIVERY",
            FulfillmentType::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> FulfillmentType {
        match s
            .trim()
            .to_ascii_uppercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "SHIP_TO_ADDRESS" | "SHIPPING" => FulfillmentType::ShipToAddress,
            "SCHEDULED_DELIVERY" => FulfillmentType::ScheduledDelivery,
            "PICKUP_IN_STORE" | "IN_STORE_PICKUP" => FulfillmentType::PickupInStore,
            "DIGITAL_DELIVERY" => FulfillmentType::DigitalDelivery,
            _ => FulfillmentType::Other(s.to_string()),
        }
    }

    pub fn is_pickup(&self) -> bool {
        matches!(self, FulfillmentType::PickupInStore)
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

/// A shipping method. v2 uses `id` (`002_599d5acdabf6b74d.txt:4077`), v1 uses `sku`
/// (`002_599d5acdabf6b74d.txt:13090`); the v1 cart table even types it as a bare id string (C16).
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

/// Slot time: `"HH:MM"` (endpoint page) or `{utc, local, local_timezone}` (schema, C8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SlotTime {
    Text(String),
    Zoned(ZonedTime),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ZonedTime {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub utc: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub local: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub local_timezone: Option<String>,
}

impl SlotTime {
    /// Short wall-clock text for the UI: `"09:00"`. Zoned times show the local clock time.
    pub fn display(&self) -> String {
        match self {
            SlotTime::Text(s) => s.clone(),
            SlotTime::Zoned(z) => {
                let t = z.local.as_deref().or(z.utc.as_deref()).unwrap_or_default();
                match t.split_once('T') {
                    Some((_, time)) => time.chars().take(5).collect(),
                    None => t.to_string(),
                }
            }
        }
    }
}

fn some_true() -> Option<bool> {
    Some(true)
}

/// A delivery or pickup time slot (`002_599d5acdabf6b74d.txt:4105`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeSlot {
    #[serde(deserialize_with = "crate::serde_util::string_lenient", alias = "id")]
    pub slot_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<SlotTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<SlotTime>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `Some(true)` when the server omits it; `None` only for an explicit `null`.
    #[serde(deserialize_with = "opt_bool", default = "some_true")]
    pub available: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Amount>,
}

impl TimeSlot {
    pub fn is_available(&self) -> bool {
        self.available.unwrap_or(true)
    }

    /// `"09:00–12:00"` or the description.
    pub fn label(&self) -> String {
        match (&self.start_time, &self.end_time) {
            (Some(s), Some(e)) => format!("{}–{}", s.display(), e.display()),
            _ => self.description.clone().unwrap_or_default(),
        }
    }
}

/// Opening hours of a pickup location, normalized to `{day, hours}` rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OperatingHours {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub day: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub hours: Option<String>,
}

/// Accepts `operating_hours: [{day, hours}]`, `hours: {"monday": "9-5"}`, `hours: "9-5"`
/// or anything else (kept as text): `StoreHoursSchema` is undefined in the docs.
fn hours_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<OperatingHours>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(hours_from_value(&v))
}

fn hours_from_value(v: &Value) -> Vec<OperatingHours> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .flat_map(|item| match item {
                Value::Object(o) if o.contains_key("day") || o.contains_key("hours") => {
                    vec![OperatingHours {
                        day: o.get("day").and_then(value_to_string),
                        hours: o.get("hours").and_then(value_to_string),
                    }]
                }
                other => hours_from_value(other),
            })
            .collect(),
        Value::Object(o) => o
            .iter()
            .map(|(day, hours)| OperatingHours {
                day: Some(day.clone()),
                hours: value_to_string(hours),
            })
            .collect(),
        other => vec![OperatingHours {
            day: None,
            hours: value_to_string(other),
        }],
    }
}

impl OperatingHours {
    /// `"monday: 9:00 AM - 9:00 PM"`, or just the hours when no day is given.
    pub fn display(&self) -> String {
        match (self.day.as_deref(), self.hours.as_deref()) {
            (Some(d), Some(h)) => format!("{d}: {h}"),
            (Some(d), None) => d.to_string(),
            (None, Some(h)) => h.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// Distance from the shopper: `{value, unit}` or a bare number.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Distance {
    pub value: Option<f64>,
    pub unit: Option<String>,
}

impl<'de> Deserialize<'de> for Distance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let num = |v: &Value| match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        Ok(match &v {
            Value::Object(o) => Distance {
                value: o.get("value").and_then(num),
                unit: o.get("unit").and_then(value_to_string),
            },
            other => Distance {
                value: num(other),
                unit: None,
            },
        })
    }
}

/// A store where a pickup shipment can be collected (`002_599d5acdabf6b74d.txt:4153`, `:4923`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PickupLocation {
    pub location_id: String,
    pub name: Option<String>,
    pub address: Option<crate::Address>,
    pub phone: Option<String>,
    pub hours: Vec<OperatingHours>,
    pub distance: Option<Distance>,
    pub available: Option<bool>,
    /// Per-location pickup dates and slots (endpoint-page form).
    pub pickup_options: Vec<AvailableDate>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PickupLocationWire {
    #[serde(deserialize_with = "opt_string")]
    location_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    name: Option<String>,
    address: Option<crate::Address>,
    #[serde(deserialize_with = "opt_string")]
    phone: Option<String>,
    #[serde(deserialize_with = "hours_any")]
    hours: Vec<OperatingHours>,
    #[serde(deserialize_with = "hours_any")]
    operating_hours: Vec<OperatingHours>,
    distance: Option<Distance>,
    #[serde(deserialize_with = "opt_bool")]
    available: Option<bool>,
    #[serde(deserialize_with = "dates_any")]
    pickup_options: Vec<AvailableDate>,
}

impl<'de> Deserialize<'de> for PickupLocation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = PickupLocationWire::deserialize(d)?;
        let mut hours = w.operating_hours;
        hours.extend(w.hours);
        Ok(PickupLocation {
            location_id: w.location_id.or(w.id).unwrap_or_default(),
            name: w.name,
            address: w.address,
            phone: w.phone,
            hours,
            distance: w.distance,
            available: w.available,
            pickup_options: w.pickup_options,
        })
    }
}

impl PickupLocation {
    /// `"2.5 miles"`; `None` when the server gave no distance.
    pub fn distance_display(&self) -> Option<String> {
        let d = self.distance.as_ref()?;
        let v = d.value?;
        Some(match &d.unit {
            Some(u) => format!("{v} {u}"),
            None => format!("{v}"),
        })
    }
}

/// One selectable date with its slots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AvailableDate {
    #[serde(deserialize_with = "crate::serde_util::string_lenient")]
    pub date: String,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(deserialize_with = "null_vec")]
    pub time_slots: Vec<TimeSlot>,
}

/// `available_dates` items are either `"YYYY-MM-DD"` strings or `{date, time_slots}` objects.
fn dates_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AvailableDate>, D::Error> {
    let v = Value::deserialize(d)?;
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(_) => serde_json::from_value::<AvailableDate>(item)
                .map_err(|e| D::Error::custom(format!("[{i}]: {e}"))),
            other => Ok(AvailableDate {
                date: value_to_string(&other).unwrap_or_default(),
                ..AvailableDate::default()
            }),
        })
        .collect()
}

/// Top-level pickup option (`curbside` / `in-store`, `002_599d5acdabf6b74d.txt:4923`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PickupOption {
    #[serde(
        deserialize_with = "opt_string",
        alias = "id",
        skip_serializing_if = "Option::is_none"
    )]
    pub option_id: Option<String>,
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
    pub additional_instructions: Option<String>,
}

/// Scheduled-delivery window (`002_599d5acdabf6b74d.txt:4824`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryWindow {
    #[serde(
        deserialize_with = "opt_string",
        alias = "id",
        skip_serializing_if = "Option::is_none"
    )]
    pub window_id: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_range: Option<DateRange>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DateRange {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date: Option<String>,
}

/// Response of `get-availability` (`002_599d5acdabf6b74d.txt:4682`), both forms merged.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Availability {
    pub shipment_id: Option<String>,
    pub fulfillment_type: Option<FulfillmentTypeInfo>,
    pub dates: Vec<AvailableDate>,
    pub pickup_locations: Vec<PickupLocation>,
    pub shipping_methods: Vec<ShippingMethod>,
    pub delivery_windows: Vec<DeliveryWindow>,
    pub pickup_options: Vec<PickupOption>,
    /// The response exactly as received, for the support inspector.
    #[serde(skip)]
    pub raw: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AvailabilityWire {
    #[serde(deserialize_with = "opt_string")]
    shipment_id: Option<String>,
    fulfillment_type: Option<FulfillmentTypeInfo>,
    #[serde(deserialize_with = "dates_any")]
    available_dates: Vec<AvailableDate>,
    #[serde(deserialize_with = "dates_any")]
    dates: Vec<AvailableDate>,
    /// Schema form: `{"YYYY-MM-DD": TimeSlot[]}`.
    #[serde(deserialize_with = "crate::serde_util::null_default")]
    time_slots: BTreeMap<String, Vec<TimeSlot>>,
    #[serde(deserialize_with = "null_vec")]
    pickup_locations: Vec<PickupLocation>,
    #[serde(deserialize_with = "null_vec")]
    shipping_methods: Vec<ShippingMethod>,
    #[serde(deserialize_with = "null_vec")]
    shipping_method_options: Vec<ShippingMethod>,
    #[serde(deserialize_with = "null_vec")]
    delivery_windows: Vec<DeliveryWindow>,
    #[serde(deserialize_with = "null_vec")]
    pickup_options: Vec<PickupOption>,
}

impl<'de> Deserialize<'de> for Availability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = AvailabilityWire::deserialize(d)?;
        let mut dates = w.available_dates;
        dates.extend(w.dates);
        // Merge the schema-form slot map into the per-date lists (adding dates it names).
        for (date, slots) in w.time_slots {
            match dates.iter_mut().find(|d| d.date == date) {
                Some(existing) if existing.time_slots.is_empty() => existing.time_slots = slots,
                Some(_) => {}
                None => dates.push(AvailableDate {
                    date,
                    description: None,
                    time_slots: slots,
                }),
            }
        }
        let mut shipping_methods = w.shipping_methods;
        shipping_methods.extend(w.shipping_method_options);
        Ok(Availability {
            shipment_id: w.shipment_id,
            fulfillment_type: w.fulfillment_type,
            dates,
            pickup_locations: w.pickup_locations,
            shipping_methods,
            delivery_windows: w.delivery_windows,
            pickup_options: w.pickup_options,
            raw: Value::Null,
        })
    }
}

/// A group of line items delivered together (`002_599d5acdabf6b74d.txt:4035`).
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
            notes: w.notes,
            discounts: w.discounts,
            shipping_total: w.shipping_total,
            subtotal: w.subtotal.or(w.sub_total),
            tax_total: w.tax_total,
            total: w.total,
        })
    }
}
