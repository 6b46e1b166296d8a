//! Cart API v1 routes on the same carts (ENDPOINTS.md §1 #5 add, §1 #6 update,
//! ENDPOINTS.md §1 #7 get, §1 #8 clear, §1 #9 attribution, §1 #46 shipping info, §1 #45 shipping
//! rates, ENDPOINTS.md §1 #47 shipping method, §1 #23/ENDPOINTS.md §1 #24 coupons, §1 #38 active carts). v1 ids and
//! statuses differ from v2 (ENDPOINTS.md §7 C4); answers are v1 Carts ([`crate::views::v1`]).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::carts::{active, inspect, mutate, read, Need};
use crate::errors::{parse_documented, ApiError, ApiJson, ApiResult, Family};
use crate::model::address::AddressInput;
use crate::model::world::CartView;
use crate::routes::auth::Device;
use crate::routes::cart_v2::{lenient_i64, FlushQuery};
use crate::rules::address::set_shipping_info;
use crate::rules::attribution::set_attribution;
use crate::rules::items::{add_item, clear_items, set_quantity};
use crate::rules::promos::apply_v1;
use crate::rules::shipments::set_method_v1;
use crate::rules::Rule;
use crate::state::AppState;
use crate::views::v1::{render, render_with, shipping_options};

const V1: Family = Family::V1;

#[derive(Debug, Default, Deserialize)]
pub struct AddBody {
    #[serde(default)]
    variant_handles: Vec<String>,
}

/// `POST /api/v1/domains/{domain}/cart/line-items/{sku}/quantity/{quantity}[?flush_cart=true]`:
/// creates the cart if none; `flush_cart` clears it first, as on v2 (ENDPOINTS.md §1 row 11) —
/// a client that asks for a fresh cart must never get its old lines merged in.
pub async fn add_line_item(
    State(state): State<AppState>,
    device: Device,
    Path((domain, sku, quantity)): Path<(String, String, String)>,
    Query(q): Query<FlushQuery>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let flush = q.flush(false)?;
    let quantity: i64 = quantity.trim().parse().map_err(|_| {
        ApiError::new(
            422,
            "InvalidInputBody",
            format!("Invalid quantity '{quantity}'."),
        )
    })?;
    let body: AddBody = parse_documented(&body, false, state.profile)?;
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Create,
        render,
        |cart, m, world| {
            if flush {
                clear_items(cart);
            }
            add_item(cart, m, world, &sku, quantity, body.variant_handles)
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct UpdateBody {
    #[serde(deserialize_with = "lenient_i64")]
    pub quantity: i64,
}

/// `PUT|POST /api/v1/domains/{domain}/cart/line-items/{sku}` (sku or line item id).
pub async fn update_line_item(
    State(state): State<AppState>,
    device: Device,
    Path((domain, sku)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, m, world| set_quantity(cart, m, world, &sku, body.quantity, true),
    )
}

/// `GET /api/v1/domains/{domain}/cart/`.
pub async fn get_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Response> {
    read(
        &state,
        &device.device_id,
        &domain,
        V1,
        CartView::V1,
        render_with,
    )
}

/// `DELETE /api/v1/domains/{domain}/cart/line-items`.
pub async fn clear_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, _, _| {
            clear_items(cart);
            Ok(())
        },
    )
}

/// `POST /api/v1/domains/{domain}/cart/shipping-info`: the lowest-cost method is selected
/// unless one was chosen before and is still offered (ENDPOINTS.md §7 C33, C33).
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
        V1,
        Need::Existing,
        render,
        |cart, m, world| set_shipping_info(cart, m, world, &body),
    )
}

/// `GET /api/v1/domains/{domain}/cart/shipping-rates` (alias `GET …/cart/shipping-method`).
pub async fn shipping_rates(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Vec<Value>>> {
    inspect(&state, &device.device_id, &domain, V1, |_, m, cart| {
        if cart.shipping_info.is_none() {
            return Err(Rule::MissingShippingInfo);
        }
        Ok(Json(shipping_options(m, cart)))
    })
}

#[derive(Debug, Deserialize)]
pub struct ShippingMethodBody {
    pub shipping_method: String,
}

/// `POST /api/v1/domains/{domain}/cart/shipping-method {shipping_method: sku}`.
pub async fn shipping_method(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<ShippingMethodBody>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, m, _| set_method_v1(cart, m, &body.shipping_method),
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct AttributionFields {
    #[serde(default)]
    pub utm: Option<String>,
    #[serde(default)]
    pub referrer_url: Option<String>,
    #[serde(default)]
    pub referral_code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AttributionBody {
    #[serde(default)]
    pub attribution: Option<AttributionFields>,
    #[serde(flatten)]
    pub flat: AttributionFields,
}

/// `PUT|POST /api/v1/domains/{domain}/cart/attribution`, wrapped or flat body (C18).
pub async fn attribution(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AttributionBody>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, _, _| {
            let f = body.attribution.unwrap_or(body.flat);
            set_attribution(cart, f.utm, f.referrer_url, f.referral_code)
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct CouponBody {
    pub promo_codes: Vec<String>,
}

/// `POST /api/v1/domains/{domain}/cart/promo-codes`: the best valid subset of the codes.
pub async fn apply_coupons(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<CouponBody>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, m, _| {
            if cart.items.is_empty() {
                return Err(Rule::PromoNotAvailable);
            }
            cart.promo_codes = apply_v1(m, &body.promo_codes)?;
            Ok(())
        },
    )
}

/// `DELETE /api/v1/domains/{domain}/cart/promo-codes`.
pub async fn clear_coupons(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, _, _| {
            cart.promo_codes.clear();
            Ok(())
        },
    )
}

/// `GET /api/v1/carts/active`: `{domains, carts}` over the device's non-empty carts (v1 Carts).
pub async fn active_carts(State(state): State<AppState>, device: Device) -> Json<Value> {
    let world = state.world.lock();
    let carts = active(&state, &world, &device.device_id, &[]);
    let domains: Vec<&str> = carts.iter().map(|(m, _)| m.domain.as_str()).collect();
    let rendered: Vec<Value> = carts
        .iter()
        .map(|(m, c)| render(&state, &world, m, c))
        .collect();
    Json(json!({ "domains": domains, "carts": rendered }))
}
