//! Where and when a shipment can arrive: the `get-availability` response in both documented
//! forms (§7 C8: the schema form `available_dates: ["YYYY-MM-DD"]` + `time_slots` map,
//! `002_599d5acdabf6b74d.txt:4430`; the endpoint-page form `available_dates: [{date,
//! time_slots[]}]`, `delivery_windows`, per-location `pickup_options`, `:4755`), pickup
//! locations with their hours and distance.

use crate::models::shipment::{FulfillmentTypeInfo, ShippingMethod, TimeSlot};
use crate::money::Amount;
use crate::serde_util::{null_vec, opt_bool, opt_string, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

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
