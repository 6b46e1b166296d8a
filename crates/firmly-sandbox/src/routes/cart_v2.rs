//! Cart API v2 routes (ENDPOINTS.md §1 #10 get cart, §1 #11 add line item,
//! ENDPOINTS.md §1 #12 update line item, §1 #13 clear cart, §1 #19 shipping info, §1 #20 billing info).
//! Every route answers with the full ShoppingCartV2 ([`crate::views::v2`]). GET cart of a
//! closed store is `ErrorStoreUnavailable 422` (ENDPOINTS.md §7 C4); the other
//! routes use 503 (ENDPOINTS.md §6.3, C4).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::carts::{mutate, read, Need};
use crate::errors::{ApiError, ApiJson, ApiResult, Family};
use crate::model::address::AddressInput;
use crate::model::world::CartView;
use crate::routes::auth::Device;
use crate::rules::address::{set_billing_info, set_shipping_info};
use crate::rules::items::{add_item, clear_items, set_quantity};
use crate::state::AppState;
use crate::views::v2::{render, render_with};

/// Accepts an integer or a numeric string (ENDPOINTS.md §7 C18).
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(i64),
        S(String),
    }
    match N::deserialize(d)? {
        N::I(i) => Ok(i),
        N::S(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("invalid integer '{s}'"))),
    }
}

/// `GET /api/v2/domains/{domain}/cart` (with or without the trailing slash).
pub async fn get_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Response> {
    read(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        CartView::V2,
        render_with,
    )
    .map_err(|e| {
        if e.error == "ErrorStoreUnavailable" {
            e.with_status(422)
        } else {
            e
        }
    })
}

#[derive(Debug, Deserialize)]
pub struct AddLineItem {
    pub variant_id: String,
    #[serde(deserialize_with = "lenient_i64")]
    pub quantity: i64,
    #[serde(default)]
    pub variant_handles: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct FlushQuery {
    #[serde(default)]
    pub flush_cart: Option<String>,
}

impl FlushQuery {
    /// `true`/`1` flush, `false`/`0`/absent keep; anything else is the family's invalid-input
    /// error naming the parameter (never silently ignored).
    pub fn flush(&self, v2: bool) -> ApiResult<bool> {
        match self.flush_cart.as_deref().map(str::trim) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") || v == "0" || v.is_empty() => Ok(false),
            Some(v) => Err(ApiError::invalid_body(
                v2,
                &format!("flush_cart must be true or false, not '{v}'."),
            )),
        }
    }
}

/// `POST /api/v2/domains/{domain}/cart/line-items[?flush_cart=true]`: creates the cart if
/// none; `flush_cart` clears it first.
pub async fn add_line_item(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    Query(q): Query<FlushQuery>,
    ApiJson(body): ApiJson<AddLineItem>,
) -> ApiResult<Json<Value>> {
    let flush = q.flush(true)?;
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Create,
        render,
        |cart, m, world| {
            if flush {
                clear_items(cart);
            }
            add_item(
                cart,
                m,
                world,
                &body.variant_id,
                body.quantity,
                body.variant_handles,
            )
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct UpdateQuantity {
    #[serde(deserialize_with = "lenient_i64")]
    pub quantity: i64,
}

/// `POST|PUT /api/v2/domains/{domain}/cart/line-items/{line_item_id}`; quantity 0 removes.
pub async fn update_line_item(
    State(state): State<AppState>,
    device: Device,
    Path((domain, line_item_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateQuantity>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, m, world| set_quantity(cart, m, world, &line_item_id, body.quantity, false),
    )
}

/// `DELETE /api/v2/domains/{domain}/cart/line-items`: the emptied cart keeps its id and
/// shipping info (ENDPOINTS.md §7 C35).
pub async fn clear_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, _, _| {
            clear_items(cart);
            Ok(())
        },
    )
}

/// `POST|PUT /api/v2/domains/{domain}/cart/shipping-info`.
pub async fn shipping_info(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, m, world| set_shipping_info(cart, m, world, &body),
    )
}

/// `POST|PUT /api/v2/domains/{domain}/cart/billing-info`.
pub async fn billing_info(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, m, _| set_billing_info(cart, m, &body),
    )
}
