//! Shipments and fulfillment (`002_599d5acdabf6b74d.txt:4035` Shipment schema, availability
//! `:4682`, fulfillment type `:5167`, shipping method `:5640`; ENDPOINTS.md §7 C7, C8, C30-C32).
//!
//! Scheduled-delivery calendar (sandbox convention): the next 14 sandbox-clock days starting
//! tomorrow, Sundays absent (no deliveries), three slots a day — morning and afternoon free,
//! evening `$25.00` — and on even days of the month the morning slot is `available: false`.
//! Slot ids are `YYYY-MM-DD_HHMM-HHMM`, e.g. `2026-11-24_1600-2000`.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Device;
use crate::cart_v2::{domain_not_found, method_view, mutate_cart, render_v2_value};
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::{AppState, Cart, FulfillmentType};

/// (start, end, description, price in minor units) of the daily slots.
pub const SLOTS: &[(&str, &str, &str, i64)] = &[
    ("08:00", "12:00", "Morning (8 AM - 12 PM)", 0),
    ("12:00", "16:00", "Afternoon (12 PM - 4 PM)", 0),
    ("16:00", "20:00", "Evening (4 PM - 8 PM)", 2500),
];

pub fn slot_id(date: NaiveDate, start: &str, end: &str) -> String {
    format!(
        "{}_{}-{}",
        date.format("%Y-%m-%d"),
        start.replace(':', ""),
        end.replace(':', "")
    )
}

/// Parses a slot id into its date and slot index.
pub fn parse_slot(id: &str) -> Option<(NaiveDate, usize)> {
    let (date, times) = id.split_once('_')?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let idx = SLOTS.iter().position(|(s, e, _, _)| {
        format!("{}-{}", s.replace(':', ""), e.replace(':', "")) == times
    })?;
    Some((date, idx))
}

/// Extra delivery charge of a slot.
pub fn slot_price(id: &str) -> i64 {
    parse_slot(id).map(|(_, i)| SLOTS[i].3).unwrap_or(0)
}

/// Whether deliveries are offered on `date`, seen from `today`.
pub fn date_available(today: NaiveDate, date: NaiveDate) -> bool {
    date > today && date <= today + Duration::days(14) && date.weekday() != Weekday::Sun
}

pub fn slot_available(date: NaiveDate, idx: usize) -> bool {
    !(idx == 0 && date.day().is_multiple_of(2))
}

/// The available delivery dates after `today`.
pub fn delivery_dates(today: NaiveDate) -> Vec<NaiveDate> {
    (1..=14)
        .map(|d| today + Duration::days(d))
        .filter(|d| date_available(today, *d))
        .collect()
}

/// A pickup location in the availability / selected-location form (`002_599d5acdabf6b74d.txt:5030`).
pub fn location_view(l: &crate::data::PickupLocationFixture) -> serde_json::Value {
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let hours: Vec<serde_json::Value> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = if i < 5 {
                &l.weekday_hours
            } else {
                &l.weekend_hours
            };
            serde_json::json!({ "day": d, "hours": h })
        })
        .collect();
    serde_json::json!({
        "location_id": l.location_id,
        "name": l.name,
        "address": l.address,
        "phone": l.phone,
        "operating_hours": hours,
        "distance": { "value": l.distance, "unit": "miles" },
        "available": true,
    })
}

/// A time slot in the endpoint-page form (`"HH:MM"` times) plus its price (ENDPOINTS.md §7 C8).
pub fn slot_view(date: NaiveDate, idx: usize) -> serde_json::Value {
    let (start, end, description, price) = SLOTS[idx];
    serde_json::json!({
        "slot_id": slot_id(date, start, end),
        "start_time": start,
        "end_time": end,
        "description": description,
        "available": slot_available(date, idx),
        "price": crate::pricing::amount(price),
    })
}

fn shipment_not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "ErrorShipmentNotFound",
        format!("Shipment '{id}' was not found in the cart."),
    )
    .with_details(json!({ "shipment_id": id }))
}

fn shipment_index(cart: &Cart, id: &str) -> ApiResult<usize> {
    cart.shipments
        .iter()
        .position(|s| s.shipment_id == id)
        .ok_or_else(|| shipment_not_found(id))
}

#[derive(Debug, Deserialize)]
pub struct ShipmentRef {
    pub shipment_id: String,
}

fn date_description(d: NaiveDate) -> String {
    d.format("%A, %B %-d").to_string()
}

/// `POST /api/v2/domains/{domain}/cart/shipments/get-availability` in the endpoint-page form
/// plus `shipment_id` on every variant (ENDPOINTS.md §7 C8).
pub async fn get_availability(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<ShipmentRef>,
) -> ApiResult<Json<Value>> {
    let m = state
        .merchant(&domain)
        .ok_or_else(|| domain_not_found(&domain))?;
    let world = state.world.lock();
    let today = world.now().date_naive();
    let cart = world
        .cart(&device.device_id, &m.domain)
        .ok_or_else(|| shipment_not_found(&body.shipment_id))?;
    let s = &cart.shipments[shipment_index(cart, &body.shipment_id)?];
    let ft = json!({
        "id": s.fulfillment_type.id(),
        "name": s.fulfillment_type.name(),
        "description": s.fulfillment_type.description(),
    });
    let out = match s.fulfillment_type {
        FulfillmentType::ScheduledDelivery => {
            let dates: Vec<Value> = delivery_dates(today)
                .into_iter()
                .map(|d| {
                    json!({
                        "date": d.format("%Y-%m-%d").to_string(),
                        "description": date_description(d),
                        "time_slots": (0..SLOTS.len()).map(|i| slot_view(d, i)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "shipment_id": s.shipment_id,
                "fulfillment_type": ft,
                "available_dates": dates,
                "delivery_windows": [],
            })
        }
        FulfillmentType::PickupInStore => json!({
            "shipment_id": s.shipment_id,
            "fulfillment_type": ft,
            "pickup_locations": m.pickup_locations.iter().map(location_view).collect::<Vec<_>>(),
            "pickup_options": [
                { "option_id": "in-store", "name": "In-store pickup", "description": "Collect at the customer service desk.", "additional_instructions": "Bring a photo ID and your order number." },
                { "option_id": "curbside", "name": "Curbside pickup", "description": "We bring the order to your car.", "additional_instructions": "Call the store when you arrive." }
            ],
        }),
        FulfillmentType::ShipToAddress => json!({
            "shipment_id": s.shipment_id,
            "fulfillment_type": ft,
            "shipping_methods": m.methods_for(s.fulfillment_type.id()).iter().map(method_view).collect::<Vec<_>>(),
            "available_dates": [],
        }),
    };
    Ok(Json(out))
}

#[derive(Debug, Deserialize)]
pub struct SetFulfillmentType {
    pub shipment_id: String,
    pub fulfillment_type: String,
    #[serde(default)]
    pub location_id: Option<String>,
}

/// `POST /api/v2/domains/{domain}/cart/shipments/fulfillment-type`: switches the type, resets
/// date, slot, location and method (`002_599d5acdabf6b74d.txt:5624`); a `location_id` picks
/// the pickup store. Pickup without a location is allowed until completion (ENDPOINTS.md C30).
pub async fn set_fulfillment_type(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetFulfillmentType>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, m, _| {
        let idx = shipment_index(cart, &body.shipment_id)?;
        let allowed = cart.fulfillment_options(m, &cart.shipments[idx]);
        let allowed_ids: Vec<&str> = allowed.iter().map(|f| f.id()).collect();
        let ft = FulfillmentType::parse(&body.fulfillment_type)
            .filter(|f| allowed.contains(f))
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "ErrorInvalidFulfillmentType",
                    format!(
                        "Fulfillment type '{}' is not available for shipment {}; allowed: {}.",
                        body.fulfillment_type,
                        body.shipment_id,
                        allowed_ids.join(", ")
                    ),
                )
                .with_details(json!({ "provided": body.fulfillment_type, "allowed": allowed_ids }))
            })?;
        let location = match body.location_id.as_deref().filter(|l| !l.is_empty()) {
            Some(id) if ft == FulfillmentType::PickupInStore => {
                if m.location(id).is_none() {
                    return Err(ApiError::new(
                        404,
                        "ErrorLocationNotFound",
                        format!("Pickup location '{id}' was not found."),
                    )
                    .with_details(json!({ "location_id": id })));
                }
                Some(id.to_string())
            }
            _ => None,
        };
        let s = &mut cart.shipments[idx];
        s.fulfillment_type = ft;
        s.method_id = None;
        s.method_chosen = false;
        s.auto_method = false;
        s.selected_date = None;
        s.slot_id = None;
        s.location_id = location;
        Ok(())
    })
}

#[derive(Debug, Deserialize)]
pub struct SetShippingMethod {
    pub shipment_id: String,
    pub shipping_method_id: String,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub selected_date: Option<String>,
    /// Sandbox extension (ENDPOINTS.md §7 C31): choose a time slot of the selected date.
    #[serde(default)]
    pub selected_time_slot_id: Option<String>,
    /// Sandbox extension: pick the pickup store here too.
    #[serde(default)]
    pub location_id: Option<String>,
}

fn invalid_date(desc: String) -> ApiError {
    ApiError::new(400, "ErrorInvalidDate", desc)
}

/// `POST /api/v2/domains/{domain}/cart/shipment/methods` (also `/shipments/methods`).
pub async fn set_shipping_method(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetShippingMethod>,
) -> ApiResult<Json<Value>> {
    mutate_cart(
        &state,
        &device,
        &domain,
        render_v2_value,
        |cart, m, world| {
            let today = world.now().date_naive();
            let idx = shipment_index(cart, &body.shipment_id)?;
            let s = &cart.shipments[idx];
            let methods = m.methods_for(s.fulfillment_type.id());
            if !methods.iter().any(|x| x.id == body.shipping_method_id) {
                let allowed: Vec<&str> = methods.iter().map(|x| x.id.as_str()).collect();
                return Err(ApiError::new(
                    400,
                    "ErrorInvalidShippingMethod",
                    format!(
                        "Shipping method '{}' is not offered for shipment {}; offered: {}.",
                        body.shipping_method_id,
                        s.shipment_id,
                        allowed.join(", ")
                    ),
                )
                .with_details(json!({ "provided": body.shipping_method_id, "allowed": allowed })));
            }
            let mut date = match body.selected_date.as_deref().filter(|d| !d.is_empty()) {
                Some(d) => Some(
                    NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_err(|_| invalid_date(format!("'{d}' is not a YYYY-MM-DD date.")))?,
                ),
                None => None,
            };
            let mut slot = None;
            if let Some(slot_id) = body
                .selected_time_slot_id
                .as_deref()
                .filter(|x| !x.is_empty())
            {
                if s.fulfillment_type != FulfillmentType::ScheduledDelivery {
                    return Err(invalid_date(
                        "Time slots apply to scheduled deliveries only.".to_string(),
                    ));
                }
                let (slot_date, i) = parse_slot(slot_id)
                    .ok_or_else(|| invalid_date(format!("Unknown time slot '{slot_id}'.")))?;
                if date.is_some_and(|d| d != slot_date) {
                    return Err(invalid_date(format!(
                        "Time slot '{slot_id}' is not on the selected date."
                    )));
                }
                if !slot_available(slot_date, i) {
                    return Err(
                        invalid_date(format!("Time slot '{slot_id}' is not available."))
                            .with_details(json!({ "selected_time_slot_id": slot_id })),
                    );
                }
                date = Some(slot_date);
                slot = Some(slot_id.to_string());
            }
            if let Some(d) = date {
                let ok = match s.fulfillment_type {
                    FulfillmentType::ScheduledDelivery => date_available(today, d),
                    FulfillmentType::PickupInStore => d >= today && d <= today + Duration::days(14),
                    FulfillmentType::ShipToAddress => false,
                };
                if !ok {
                    return Err(invalid_date(format!(
                        "{} is not an available date for shipment {}.",
                        d.format("%Y-%m-%d"),
                        s.shipment_id
                    ))
                    .with_details(json!({ "selected_date": d.format("%Y-%m-%d").to_string() })));
                }
            }
            let location = match body.location_id.as_deref().filter(|l| !l.is_empty()) {
                Some(id) if s.fulfillment_type == FulfillmentType::PickupInStore => {
                    if m.location(id).is_none() {
                        return Err(ApiError::new(
                            404,
                            "ErrorLocationNotFound",
                            format!("Pickup location '{id}' was not found."),
                        )
                        .with_details(json!({ "location_id": id })));
                    }
                    Some(id.to_string())
                }
                _ => None,
            };
            let notes = body.notes.clone();
            if notes.as_ref().is_some_and(|n| n.chars().count() > 500) {
                return Err(ApiError::new(
                    400,
                    "ErrorInvalidInputBody",
                    "notes must be at most 500 characters.",
                ));
            }
            let s = &mut cart.shipments[idx];
            s.method_id = Some(body.shipping_method_id.clone());
            s.method_chosen = true;
            if let Some(d) = date {
                if s.selected_date != Some(d) && slot.is_none() {
                    s.slot_id = None;
                }
                s.selected_date = Some(d);
            }
            if slot.is_some() {
                s.slot_id = slot;
            }
            if let Some(l) = location {
                s.location_id = Some(l);
            }
            if let Some(n) = notes {
                s.notes = n;
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        let dates = delivery_dates(today);
        assert!(dates.iter().all(|d| d.weekday() != Weekday::Sun));
        assert!(!dates.contains(&today));
        let id = slot_id(dates[0], "16:00", "20:00");
        assert_eq!(parse_slot(&id), Some((dates[0], 2)));
        assert_eq!(slot_price(&id), 2500);
        assert!(!slot_available(
            NaiveDate::from_ymd_opt(2026, 11, 24).expect("d"),
            0
        ));
    }
}
