//! `POST …/cart/shipments/get-availability` responses in the endpoint-page forms
//! (ENDPOINTS.md §2.4.6, §2.4.6 and §7 C8):
//!
//! * SHIP_TO_ADDRESS — DeliveryAvailabilitySchema: `shipment_id`, `fulfillment_type`,
//!   `available_dates: [{date, description, time_slots}]` (estimates), plus the schema form's
//!   `shipping_methods` (ENDPOINTS.md §2.4.6);
//! * SCHEDULED_DELIVERY — ScheduledDeliveryAvailabilitySchema: `fulfillment_type`,
//!   `available_dates` with priced time slots, and `delivery_windows: [{window_id, name,
//!   description, price, date_range{start_date, end_date}}]`. The docs' sample has no
//!   `shipment_id` (ENDPOINTS.md §7 C8): the `docs` profile leaves it out, `demo` adds it (C8);
//! * PICKUP_IN_STORE — PickupAvailabilitySchema: `shipment_id`, `fulfillment_type`,
//!   `pickup_locations` (nearest first, with `operating_hours`, `distance` and per-location
//!   `pickup_options: [{date, time_slots}]`) and the top-level `pickup_options: [{option_id,
//!   name, description, additional_instructions}]`.
//!
//! Dates follow [`crate::rules::calendar`]; prices, dates and store order follow the zone rule
//! ([`crate::rules::zones`]).

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};

use crate::model::cart::{Cart, FulfillmentType, Shipment};
use crate::model::fixtures::{MerchantFixture, PickupLocationFixture};
use crate::rules::calendar::{
    date_description, delivery_dates, pickup_dates, shipping_dates, slot_available, PICKUP_SLOTS,
    SHIP_SLOTS, SLOTS,
};
use crate::rules::zones;
use crate::views::common::{fulfillment_type, location, method_v2, money, scheduled_slot, window};

fn open_on(l: &PickupLocationFixture, d: NaiveDate) -> bool {
    let hours = if d.weekday().number_from_monday() <= 5 {
        &l.weekday_hours
    } else {
        &l.weekend_hours
    };
    !hours.eq_ignore_ascii_case("closed")
}

fn pickup_location(l: &PickupLocationFixture, miles: f64, today: NaiveDate) -> Value {
    let mut v = location(l, miles);
    v["pickup_options"] = Value::Array(
        pickup_dates(today)
            .into_iter()
            .map(|d| {
                let slots: Vec<Value> = PICKUP_SLOTS
                    .iter()
                    .enumerate()
                    .map(|(i, def)| window(d, def, open_on(l, d) && slot_available(d, i)))
                    .collect();
                json!({ "date": d.format("%Y-%m-%d").to_string(), "time_slots": slots })
            })
            .collect(),
    );
    v
}

fn pickup_options() -> Value {
    json!([
        { "option_id": "in-store", "name": "In-Store Pickup", "description": "Pick up inside the store", "additional_instructions": "Visit the customer service counter with your order confirmation" },
        { "option_id": "curbside", "name": "Curbside Pickup", "description": "We'll bring your order to your car", "additional_instructions": "Call when you arrive and we'll bring your items out" }
    ])
}

/// The availability of one shipment. `scheduled_shipment_id`: whether the scheduled form
/// carries `shipment_id` (demo only).
pub fn render(
    m: &MerchantFixture,
    cart: &Cart,
    s: &Shipment,
    today: NaiveDate,
    scheduled_shipment_id: bool,
) -> Value {
    let destination = cart.destination_postal();
    let steps = zones::steps(m, destination);
    let ft = fulfillment_type(s.fulfillment_type);
    match s.fulfillment_type {
        FulfillmentType::ScheduledDelivery => {
            let dates = delivery_dates(today, steps);
            let available: Vec<Value> = dates
                .iter()
                .map(|d| {
                    json!({
                        "date": d.format("%Y-%m-%d").to_string(),
                        "description": date_description(*d),
                        "time_slots": (0..SLOTS.len()).map(|i| scheduled_slot(m, *d, i)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let windows: Vec<Value> = match dates.first() {
                Some(first) => zones::methods(m, s.fulfillment_type.id(), steps)
                    .iter()
                    .map(|x| {
                        json!({
                            "window_id": format!("{}-week", x.id.to_ascii_lowercase().replace('_', "-")),
                            "name": format!("{} window", x.description),
                            "description": x.estimated_delivery,
                            "price": money(m, x.price),
                            "date_range": {
                                "start_date": first.format("%Y-%m-%d").to_string(),
                                "end_date": (*first + Duration::days(7)).format("%Y-%m-%d").to_string(),
                            },
                        })
                    })
                    .collect(),
                None => Vec::new(),
            };
            let mut v = json!({
                "fulfillment_type": ft,
                "available_dates": available,
                "delivery_windows": windows,
            });
            if scheduled_shipment_id {
                v["shipment_id"] = json!(s.shipment_id);
            }
            v
        }
        FulfillmentType::PickupInStore => json!({
            "shipment_id": s.shipment_id,
            "fulfillment_type": ft,
            "pickup_locations": zones::locations_by_distance(m, destination)
                .into_iter()
                .map(|(l, miles)| pickup_location(l, miles, today))
                .collect::<Vec<_>>(),
            "pickup_options": pickup_options(),
        }),
        FulfillmentType::ShipToAddress => json!({
            "shipment_id": s.shipment_id,
            "fulfillment_type": ft,
            "available_dates": shipping_dates(today, steps)
                .into_iter()
                .map(|d| json!({
                    "date": d.format("%Y-%m-%d").to_string(),
                    "description": "Standard delivery",
                    "time_slots": SHIP_SLOTS.iter().map(|def| window(d, def, true)).collect::<Vec<_>>(),
                }))
                .collect::<Vec<_>>(),
            "shipping_methods": zones::methods(m, s.fulfillment_type.id(), steps)
                .iter()
                .map(|x| method_v2(m, x))
                .collect::<Vec<_>>(),
        }),
        FulfillmentType::DigitalDelivery => json!({
            "shipment_id": s.shipment_id,
            "fulfillment_type": ft,
            "available_dates": [],
        }),
    }
}
