//! Where and when a shipment can arrive: the `get-availability` response in both documented
//! forms (ENDPOINTS.md §2.4.6, §7 C8: the schema form `available_dates: ["YYYY-MM-DD"]` +
//! `time_slots` map; the endpoint-page form `available_dates: [{date, time_slots[]}]`,
//! `delivery_windows`, per-location `pickup_options`). Stores are in
//! [`crate::models::pickup`], dates and slots in [`crate::models::slots`].

use crate::models::pickup::{PickupLocation, PickupOption};
use crate::models::shipment::{FulfillmentTypeInfo, ShippingMethod};
use crate::models::slots::{dates_any, AvailableDate, TimeSlot};
use crate::money::Amount;
use crate::serde_util::{null_vec, opt_string};
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Scheduled-delivery window (ENDPOINTS.md §7 C8).
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

/// Response of `get-availability` (ENDPOINTS.md §1 #16), both forms merged.
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
