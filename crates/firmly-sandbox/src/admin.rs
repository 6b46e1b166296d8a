//! Sandbox-only admin API under `/__sandbox/` (CONTRACTS.md §3 "Admin endpoints") and the
//! request middleware: every response carries a `CF-RAY: <16 hex>-SBX` header (ENDPOINTS.md §9;
//! Ray ID `002_599d5acdabf6b74d.txt:12074`) and lands in the request journal (method, path,
//! status, duration — never bodies or query strings).

use std::time::Instant;

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::{hex16, AppState, JournalEntry, OrderRecord, World};

/// Journal entries kept (oldest dropped first).
const JOURNAL_CAP: usize = 2000;

/// A fault-injection rule (`POST /__sandbox/faults`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FaultRule {
    #[serde(rename = "match")]
    pub matcher: FaultMatch,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub drop_connection: bool,
    #[serde(default)]
    pub after_commit: bool,
    /// How many requests the rule applies to; absent = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FaultMatch {
    #[serde(default)]
    pub method: Option<String>,
    pub path_contains: String,
}

/// Takes the first fault rule matching the request (admin paths are never faulted, so rules
/// can always be cleared), counting down its `times`.
fn take_fault(world: &mut World, method: &str, path: &str) -> Option<FaultRule> {
    if path.starts_with("/__sandbox/") {
        return None;
    }
    let idx = world.faults.iter().position(|r| {
        r.times != Some(0)
            && path.contains(&r.matcher.path_contains)
            && r.matcher
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    })?;
    let rule = world.faults[idx].clone();
    if let Some(t) = world.faults[idx].times.as_mut() {
        *t -= 1;
        if *t == 0 {
            world.faults.remove(idx);
        }
    }
    Some(rule)
}

/// A response whose body fails at once: hyper aborts the connection, so the client sees the
/// connection close without a (complete) response. No panic involved.
fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(
            "sandbox fault: connection dropped",
        ))
    });
    Response::new(axum::body::Body::from_stream(stream))
}

fn default_fault_id(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        404 => "RouteNotFound",
        409 => "PleaseTryAgainLater",
        412 => "PreconditionError",
        422 => "UnprocessableEntity",
        429 => "TooManyRetries",
        503 => "StoreUnavailable",
        _ => "Unexpected",
    }
}

/// Applies a fault rule around the real handler.
async fn faulted(rule: FaultRule, req: Request, next: Next) -> Response {
    if let Some(ms) = rule.delay_ms {
        tokio::time::sleep(std::time::Duration::from_millis(ms.min(120_000))).await;
    }
    let injected = rule.status.map(|status| {
        let id = rule
            .error
            .clone()
            .unwrap_or_else(|| default_fault_id(status).to_string());
        ApiError::new(status, &id, format!("Injected sandbox fault ({id})."))
    });
    if rule.after_commit {
        // The operation happens; only its response is lost.
        let _committed = next.run(req).await;
        return match injected {
            Some(e) => e.into_response(),
            None => dropped_connection(),
        };
    }
    if rule.drop_connection {
        return dropped_connection();
    }
    match injected {
        Some(e) => e.into_response(),
        None => next.run(req).await,
    }
}

/// Turns framework rejections (plain-text 4xx/5xx from axum extractors) into the normalized
/// envelope, so every error a client sees has `{code, error, description}`.
async fn envelope_plain_errors(resp: Response, v2: bool) -> Response {
    let status = resp.status();
    let is_text = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if status.as_u16() < 400 || !is_text {
        return resp;
    }
    let text = axum::body::to_bytes(resp.into_body(), 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, id) = match status.as_u16() {
        404 | 405 => (404, "RouteNotFound"),
        413 | 415 | 422 if v2 => (400, "ErrorInvalidInputBody"),
        413 | 415 | 422 => (422, "InvalidInputBody"),
        400 if v2 => (400, "ErrorBadRequest"),
        400 => (400, "BadRequest"),
        s if s >= 500 => (500, "Unexpected"),
        s => (s, "BadRequest"),
    };
    let description = if text.is_empty() {
        "Request Syntax is not correct.".to_string()
    } else {
        text
    };
    ApiError::new(code, id, description).into_response()
}

/// A handler panic becomes a 500 `Unexpected` envelope instead of a dropped connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    ApiError::new(500, "Unexpected", "Unexpected server error.").into_response()
}

/// Applies fault rules, adds the CF-RAY header and journals the request.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let fault = {
        let mut world = state.world.lock();
        world.prune_expired();
        take_fault(&mut world, &method, &path)
    };
    let dropped = fault
        .as_ref()
        .is_some_and(|r| (r.drop_connection || r.after_commit) && r.status.is_none());
    let resp = match fault {
        Some(rule) => {
            tracing::debug!(%method, %path, "fault injected");
            faulted(rule, req, next).await
        }
        None => next.run(req).await,
    };
    let mut resp = envelope_plain_errors(resp, crate::errors::is_v2_path(&path)).await;
    let ray = format!("{}-SBX", hex16());
    if let Ok(v) = HeaderValue::from_str(&ray) {
        resp.headers_mut().insert("cf-ray", v);
    }
    let status = if dropped { 0 } else { resp.status().as_u16() };
    let duration_ms = started.elapsed().as_millis() as u64;
    tracing::debug!(%method, %path, status, duration_ms, cf_ray = %ray, "request");
    if path != "/__sandbox/requests" {
        let mut world = state.world.lock();
        if world.journal.len() >= JOURNAL_CAP {
            world.journal.remove(0);
        }
        world.journal.push(JournalEntry {
            method,
            path,
            status,
            duration_ms,
        });
    }
    resp
}

/// Unknown routes (and wrong methods) answer with the `RouteNotFound` envelope.
pub async fn route_not_found() -> ApiError {
    ApiError::route_not_found()
}

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
    *state.world.lock() = World::default();
    tracing::info!("sandbox reset");
    Json(json!({ "ok": true }))
}

/// `GET /__sandbox/orders`.
pub async fn orders(State(state): State<AppState>) -> Json<Vec<OrderRecord>> {
    Json(state.world.lock().orders.clone())
}

/// `GET /__sandbox/requests`.
pub async fn requests(State(state): State<AppState>) -> Json<Vec<JournalEntry>> {
    Json(state.world.lock().journal.clone())
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

/// `GET /__sandbox/thank-you/{order_number}`: the merchant thank-you page stand-in.
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
