//! Pickup stores and how a pickup is handed over (ENDPOINTS.md §2.4.5, §2.4.6): a location
//! with its hours and distance, and the top-level pickup options (curbside, in-store).

use crate::models::slots::{dates_any, AvailableDate};
use crate::serde_util::{opt_bool, opt_string, value_to_string};
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// A store where a pickup shipment can be collected (ENDPOINTS.md §2.4.5, §7 C8).
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

/// Top-level pickup option (`curbside` / `in-store`, ENDPOINTS.md §7 C8).
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
