//! Shipment routes (ENDPOINTS.md §1 #16 get-availability, §1 #17 fulfillment
//! type, ENDPOINTS.md §1 #18 shipping method — also routed as `/cart/shipments/methods`, C19). In `demo`
//! the shipping-method body may carry `selected_time_slot_id` and `location_id` (C31); in
//! `docs` those unknown fields are refused with `ErrorInvalidInputBody` (the body check,
//! [`crate::routes::documented`]). In `docs` pickup needs its `location_id` up front (C30).

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::carts::{inspect, mutate, Need};
use crate::errors::{ApiJson, ApiResult, Family};
use crate::routes::auth::Device;
use crate::rules::shipments::{
    apply_selection, change_fulfillment, shipment_index, validate_shipment_selection,
    SelectionRequest,
};
use crate::state::AppState;
use crate::views::{availability, v2::render};

const V2: Family = Family::V2;

#[derive(Debug, Deserialize)]
pub struct ShipmentRef {
    pub shipment_id: String,
}

/// `POST /api/v2/domains/{domain}/cart/shipments/get-availability`.
pub async fn get_availability(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<ShipmentRef>,
) -> ApiResult<Json<Value>> {
    let with_id = state.profile.extensions();
    inspect(&state, &device.device_id, &domain, V2, |world, m, cart| {
        let s = &cart.shipments[shipment_index(cart, &body.shipment_id)?];
        let today = world.now().date_naive();
        Ok(Json(availability::render(m, cart, s, today, with_id)))
    })
}

#[derive(Debug, Deserialize)]
pub struct SetFulfillmentType {
    pub shipment_id: String,
    pub fulfillment_type: String,
    #[serde(default)]
    pub location_id: Option<String>,
}

/// `POST /api/v2/domains/{domain}/cart/shipments/fulfillment-type`.
pub async fn set_fulfillment_type(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetFulfillmentType>,
) -> ApiResult<Json<Value>> {
    let location_required = !state.profile.extensions();
    mutate(
        &state,
        &device.device_id,
        &domain,
        V2,
        Need::Existing,
        render,
        |cart, m, _| {
            change_fulfillment(
                cart,
                m,
                &body.shipment_id,
                &body.fulfillment_type,
                body.location_id.as_deref(),
                location_required,
            )
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SetShippingMethod {
    pub shipment_id: String,
    pub shipping_method_id: String,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub selected_date: Option<String>,
    /// Demo extension (C31): a time slot of the selected date.
    #[serde(default)]
    pub selected_time_slot_id: Option<String>,
    /// Demo extension: the pickup store.
    #[serde(default)]
    pub location_id: Option<String>,
}

/// `POST /api/v2/domains/{domain}/cart/shipment/methods`.
pub async fn set_shipping_method(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetShippingMethod>,
) -> ApiResult<Json<Value>> {
    let ext = state.profile.extensions();
    mutate(
        &state,
        &device.device_id,
        &domain,
        V2,
        Need::Existing,
        render,
        |cart, m, world| {
            let req = SelectionRequest {
                shipment_id: &body.shipment_id,
                shipping_method_id: &body.shipping_method_id,
                notes: body.notes.as_deref(),
                selected_date: body.selected_date.as_deref(),
                time_slot_id: body.selected_time_slot_id.as_deref().filter(|_| ext),
                location_id: body.location_id.as_deref().filter(|_| ext),
            };
            let sel = validate_shipment_selection(cart, m, world.now().date_naive(), &req)?;
            apply_selection(cart, sel);
            Ok(())
        },
    )
}
