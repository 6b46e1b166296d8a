//! Sandbox-only admin API under `/__sandbox/` (CONTRACTS.md §3 "Admin endpoints"): reset,
//! orders, the request journal, fault rules, held requests, the clock, the last OTP sent to an
//! address and —
//! in `demo` only — the thank-you page stand-in. Every admin `POST`/`DELETE` passes the guard
//! of [`crate::middleware::admin_guard`] first.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::model::world::{FaultRule, JournalEntry, OrderRecord};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FaultBody {
    Many(Vec<FaultRule>),
    One(FaultRule),
}

/// `POST /__sandbox/faults`: adds one rule or a list of rules.
pub async fn add_faults(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<FaultBody>,
) -> ApiResult<Json<Value>> {
    let rules = match body {
        FaultBody::Many(r) => r,
        FaultBody::One(r) => vec![r],
    };
    if let Some(bad) = rules
        .iter()
        .find_map(|r| r.status.filter(|s| !(100..=599).contains(s)))
    {
        return Err(ApiError::new(
            422,
            "InvalidInputBody",
            format!("status {bad} is not an HTTP status."),
        ));
    }
    let mut world = state.world.lock();
    world.faults.extend(rules);
    Ok(Json(json!({ "rules": world.faults })))
}

/// `DELETE /__sandbox/faults`: removes every rule.
pub async fn clear_faults(State(state): State<AppState>) -> Json<Value> {
    state.world.lock().faults.clear();
    Json(json!({ "rules": [] }))
}

/// `POST /__sandbox/reset`: restores the seeded state, forgets sessions and orders.
pub async fn reset(State(state): State<AppState>) -> Json<Value> {
    state.reset();
    Json(json!({ "ok": true }))
}

/// `GET /__sandbox/orders`.
pub async fn orders(State(state): State<AppState>) -> Json<Vec<OrderRecord>> {
    Json(state.world.lock().orders.clone())
}

/// `GET /__sandbox/requests`.
pub async fn requests(State(state): State<AppState>) -> Json<Vec<JournalEntry>> {
    Json(state.world.lock().journal.iter().cloned().collect())
}

#[derive(Debug, Deserialize)]
pub struct ClockBody {
    pub advance_seconds: i64,
}

/// `POST /__sandbox/clock {advance_seconds}`: moves the sandbox clock forward (or back).
pub async fn clock(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ClockBody>,
) -> ApiResult<Json<Value>> {
    // A century either way keeps every date computation in range.
    const LIMIT: i64 = 100 * 366 * 86_400;
    let mut world = state.world.lock();
    let next = world.clock_offset.saturating_add(body.advance_seconds);
    if !(-LIMIT..=LIMIT).contains(&next) {
        return Err(ApiError::new(
            422,
            "InvalidInputBody",
            "advance_seconds would move the clock more than a century.",
        ));
    }
    world.clock_offset = next;
    Ok(Json(json!({
        "offset_seconds": world.clock_offset,
        "now": world.now().to_rfc3339(),
    })))
}

#[derive(Debug, Default, Deserialize)]
pub struct OtpQuery {
    #[serde(default)]
    pub email: Option<String>,
}

/// `GET /__sandbox/otp?email=E` → `{otp}`: the last one-time password sent to E.
pub async fn last_otp(
    State(state): State<AppState>,
    Query(q): Query<OtpQuery>,
) -> ApiResult<Json<Value>> {
    let email = q.email.unwrap_or_default().trim().to_ascii_lowercase();
    state
        .world
        .lock()
        .otps
        .get(&email)
        .map(|otp| Json(json!({ "otp": otp })))
        .ok_or_else(|| ApiError::new(404, "ItemNotFound", format!("No OTP was sent to {email}.")))
}

/// `GET /__sandbox/thank-you/{order_number}` (demo): the merchant thank-you page stand-in.
pub async fn thank_you(State(state): State<AppState>, Path(number): Path<String>) -> Response {
    let world = state.world.lock();
    let Some(order) = world.orders.iter().find(|o| o.order_number == number) else {
        return ApiError::new(404, "ItemNotFound", "Item not found.").into_response();
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Order {n}</title></head><body><h1>Thank you!</h1><p data-testid=\"thank-you-order\">Order {n} at {d}</p><p>Total ${t}</p></body></html>",
        n = order.order_number,
        d = order.domain,
        t = order.total
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// Longest `wait_ms` of `GET /__sandbox/holds`.
const MAX_HOLD_WAIT_MS: u64 = 60_000;

#[derive(Debug, Default, Deserialize)]
pub struct HoldsQuery {
    #[serde(default)]
    pub wait_ms: Option<u64>,
}

/// `GET /__sandbox/holds[?wait_ms=N]` → `[{id, method, path}]`; with `wait_ms` it answers as
/// soon as at least one request is held (or after N ms, at most 60 s, with what is held then).
pub async fn holds(
    State(state): State<AppState>,
    Query(q): Query<HoldsQuery>,
) -> Json<Vec<crate::holds::HeldRequest>> {
    let listed = match q.wait_ms {
        Some(ms) => {
            let wait = std::time::Duration::from_millis(ms.min(MAX_HOLD_WAIT_MS));
            state.holds.wait_held(Some(wait)).await
        }
        None => state.holds.list(),
    };
    Json(listed)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBody {
    #[serde(default)]
    pub id: Option<u64>,
}

/// `POST /__sandbox/holds/release {id?}`: releases one held request, or all without `id`;
/// `{released: n}`. An id that is not held is `404 ItemNotFound`.
pub async fn release_holds(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ReleaseBody>,
) -> ApiResult<Json<Value>> {
    let released = state.holds.release(body.id);
    if let (Some(id), 0) = (body.id, released) {
        return Err(ApiError::new(
            404,
            "ItemNotFound",
            format!("No request {id} is held."),
        ));
    }
    Ok(Json(json!({ "released": released })))
}

/// Unknown routes (and wrong methods) answer with the `RouteNotFound` envelope.
pub async fn route_not_found() -> ApiError {
    ApiError::route_not_found()
}
