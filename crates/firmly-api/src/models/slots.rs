//! Dates and time slots, the shapes shared by shipments, pickup locations and availability
//! (ENDPOINTS.md §2.4.5, §2.4.6, C8): a slot's time as `"HH:MM"` or `{utc, local,
//! local_timezone}`, a selectable date with its slots, and `available_dates` in either form.

use crate::money::Amount;
use crate::serde_util::{null_vec, opt_bool, opt_string, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// A delivery or pickup time slot (ENDPOINTS.md §2.4.5, C8).
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
pub(crate) fn dates_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AvailableDate>, D::Error> {
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
