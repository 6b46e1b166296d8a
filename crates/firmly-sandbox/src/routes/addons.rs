//! Addon routes (ENDPOINTS.md §1 #14 set, §1 #15 remove); the rules are in
//! [`crate::rules::addons`]. Both need an existing cart (`ErrorCartNotFound`).

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::carts::{mutate, Need};
use crate::errors::{ApiJson, ApiResult, Family};
use crate::routes::auth::Device;
use crate::rules::addons::{apply, remove, SelectionInput};
use crate::state::AppState;
use crate::views::v2::render;

#[derive(Debug, Deserialize)]
pub struct SetAddons {
    pub selections: Vec<SelectionInput>,
}

/// `POST|PUT /api/v2/domains/{domain}/cart/addons`.
pub async fn set_addons(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetAddons>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, m, _| apply(m, cart, &body.selections),
    )
}

#[derive(Debug, Deserialize)]
pub struct RemoveAddon {
    pub addon_id: String,
}

/// `POST|PUT /api/v2/domains/{domain}/cart/addons/_remove`.
pub async fn remove_addon(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<RemoveAddon>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, _, _| remove(cart, &body.addon_id),
    )
}
