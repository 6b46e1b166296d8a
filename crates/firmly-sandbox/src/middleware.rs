//! Request middleware around every route:
//!
//! * the host guard and the simulated latency of [`crate::network`] (the guard first, for
//!   every path; the latency for API paths only);
//! * the admin guard: every `POST`/`DELETE` under `/__sandbox/` needs
//!   `Content-Type: application/json` (else `415`) and is refused with `403 Forbidden` when an
//!   `Origin` header is present and not loopback (`http://127.0.0.1:*`, `http://localhost:*`,
//!   `http://[::1]:*`), so a web page cannot reset a demo or inject faults (CONTRACTS.md §3);
//! * fault injection (`POST /__sandbox/faults`; admin paths are never faulted);
//! * plain-text framework rejections become the normalized envelope;
//! * every response gets `CF-RAY: <16 hex>-SBX` (ENDPOINTS.md §9, §6.1) and a journal line
//!   (method, path, status, duration, the fault that fired — never bodies or query strings).
//!
//! Fault semantics: `delay_ms` alone waits before the handler; `drop_connection` closes the
//! connection without a response; `status`/`error` answer an injected error instead of the
//! handler; `after_commit` runs the handler and then loses the response (or answers `status`
//! when one is given); `after_commit` with `delay_ms` runs the handler and holds its response
//! (or the injected error) `delay_ms` before sending it. `hold` parks the request in
//! [`crate::holds`] until a test releases it — before the handler, or with `after_commit`
//! after it (then the response, or the injected error, is sent once released). A lost
//! response — dropped, lost after commit, or abandoned by a client that stopped waiting — is
//! journaled with status `0`.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::{is_v2_path, ApiError};
use crate::model::ids::hex16;
use crate::model::world::{FaultRule, JournalEntry, World};
use crate::network::{host_guard, latency_for};
use crate::state::AppState;

/// Journal entries kept (oldest dropped first).
const JOURNAL_CAP: usize = 2000;
/// Longest injected delay.
const MAX_DELAY_MS: u64 = 120_000;

/// Whether an `Origin` is a loopback page.
pub fn loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin.trim().strip_prefix("http://") else {
        return false;
    };
    let (host, port) = match rest.strip_prefix("[::1]") {
        Some(port) => ("[::1]", port),
        None => match rest.split_once(':') {
            Some((h, p)) => (h, p),
            None => (rest, ""),
        },
    };
    let port = port.strip_prefix(':').unwrap_or(port);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
        && port.chars().all(|c| c.is_ascii_digit())
        && !rest.contains('/')
}

/// The admin guard (see the module docs); `None` lets the request through.
pub fn admin_guard(method: &Method, path: &str, headers: &HeaderMap) -> Option<ApiError> {
    let mutating = method == Method::POST || method == Method::DELETE;
    if !mutating || !path.starts_with("/__sandbox/") {
        return None;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        if !origin.to_str().is_ok_and(loopback_origin) {
            return Some(ApiError::new(
                403,
                "Forbidden",
                "The requested resource is forbidden: admin calls are refused from non-loopback origins.",
            ));
        }
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Some(ApiError::new(
            415,
            "UnsupportedMediaType",
            "Admin POST and DELETE requests need Content-Type: application/json.",
        ));
    }
    None
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

/// The journal label of a fault rule.
fn fault_label(rule: &FaultRule) -> &'static str {
    match (rule.after_commit, rule.delay_ms.is_some()) {
        _ if rule.hold && rule.after_commit => "after_commit_hold",
        _ if rule.hold => "hold",
        (true, true) => "after_commit_delay",
        (true, false) => "after_commit",
        _ if rule.drop_connection => "drop_connection",
        _ if rule.status.is_some() => "status",
        _ => "delay",
    }
}

/// How a fault rule ended: the response and whether it was lost.
struct Faulted {
    response: Response,
    lost: bool,
}

/// Applies a fault rule around the real handler.
async fn faulted(state: &AppState, rule: FaultRule, req: Request, next: Next) -> Faulted {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let hold = |enabled: bool| {
        let holds = state.holds.clone();
        let (method, path) = (method.clone(), path.clone());
        async move {
            if enabled {
                holds.hold(&method, &path).released().await;
            }
        }
    };
    let delay = rule
        .delay_ms
        .map(|ms| Duration::from_millis(ms.min(MAX_DELAY_MS)));
    let injected = rule.status.map(|status| {
        let id = rule
            .error
            .clone()
            .unwrap_or_else(|| default_fault_id(status).to_string());
        ApiError::new(status, &id, format!("Injected sandbox fault ({id})."))
    });
    let done = |response: Response, lost| Faulted { response, lost };
    if rule.after_commit {
        // The operation happens first.
        let committed = next.run(req).await;
        if rule.hold {
            if let Some(d) = delay {
                tokio::time::sleep(d).await;
            }
            hold(true).await;
            let response = injected.map_or(committed, IntoResponse::into_response);
            return done(response, false);
        }
        return match (delay, injected) {
            (Some(d), injected) => {
                tokio::time::sleep(d).await;
                let response = injected.map_or(committed, IntoResponse::into_response);
                done(response, false)
            }
            (None, Some(e)) => done(e.into_response(), false),
            (None, None) => done(dropped_connection(), true),
        };
    }
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    hold(rule.hold).await;
    if rule.drop_connection {
        return done(dropped_connection(), true);
    }
    match injected {
        Some(e) => done(e.into_response(), false),
        None => done(next.run(req).await, false),
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
    ApiError::unexpected().into_response()
}

/// Writes one journal line when dropped: a request whose client went away before the
/// response (e.g. a timeout during an `after_commit` hold) is journaled with status `0`.
struct JournalLine {
    state: AppState,
    method: String,
    path: String,
    started: Instant,
    fault: Option<&'static str>,
    status: u16,
    latency_ms: u64,
}

impl Drop for JournalLine {
    fn drop(&mut self) {
        if self.path == "/__sandbox/requests" {
            return;
        }
        let duration_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let since = |t: Instant| {
            u64::try_from(t.saturating_duration_since(self.state.started).as_micros())
                .unwrap_or(u64::MAX)
        };
        let (start_us, end_us) = (since(self.started), since(Instant::now()));
        let mut world = self.state.world.lock();
        while world.journal.len() >= JOURNAL_CAP {
            world.journal.pop_front();
        }
        world.journal.push_back(JournalEntry {
            method: std::mem::take(&mut self.method),
            path: std::mem::take(&mut self.path),
            status: self.status,
            duration_ms,
            start_us,
            end_us,
            latency_ms: self.latency_ms,
            fault: self.fault,
        });
    }
}

/// The header in which the demo profile announces its extensions.
pub const EXTENSIONS_HEADER: &str = "x-firmly-sandbox-extensions";
/// What the demo profile takes and gives beyond the docs: `time-slot` =
/// `selected_time_slot_id` and `location_id` on `POST …/cart/shipment/methods`;
/// `v2-cart-fields` = v2 carts carry the v1 Cart's optional fields
/// ([`crate::views::extras`]).
pub const DEMO_EXTENSIONS: &str = "time-slot, v2-cart-fields";

/// The host guard, the admin guard, the simulated latency, fault rules, the CF-RAY header,
/// the demo profile's extension announcement and the journal (see the module docs).
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut line = JournalLine {
        state: state.clone(),
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        started: Instant::now(),
        fault: None,
        status: 0,
        latency_ms: 0,
    };
    let refused = host_guard(&state.serve, req.headers(), req.uri())
        .or_else(|| admin_guard(req.method(), &line.path, req.headers()));
    if refused.is_none() && !line.path.starts_with("/__sandbox/") {
        line.latency_ms = latency_for(&state.serve);
        if line.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(line.latency_ms)).await;
        }
    }
    let fault = {
        let mut world = state.world.lock();
        world.prune_expired();
        match refused {
            None => take_fault(&mut world, &line.method, &line.path),
            Some(_) => None,
        }
    };
    line.fault = fault.as_ref().map(fault_label);
    let (resp, lost) = match (refused, fault) {
        (Some(e), _) => (e.into_response(), false),
        (None, Some(rule)) => {
            tracing::debug!(method = %line.method, path = %line.path, "fault injected");
            let f = faulted(&state, rule, req, next).await;
            (f.response, f.lost)
        }
        (None, None) => (next.run(req).await, false),
    };
    let mut resp = envelope_plain_errors(resp, is_v2_path(&line.path)).await;
    let ray = format!("{}-SBX", hex16());
    if let Ok(v) = HeaderValue::from_str(&ray) {
        resp.headers_mut().insert("cf-ray", v);
    }
    // The demo profile says what it takes beyond the docs, so that a client uses an
    // extension only after the server announced it (CONTRACTS.md §3); `docs` announces none.
    if state.profile == crate::Profile::Demo && !line.path.starts_with("/__sandbox/") {
        resp.headers_mut()
            .insert(EXTENSIONS_HEADER, HeaderValue::from_static(DEMO_EXTENSIONS));
    }
    line.status = if lost { 0 } else { resp.status().as_u16() };
    tracing::debug!(method = %line.method, path = %line.path, status = line.status, cf_ray = %ray, "request");
    drop(line);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins() {
        for ok in [
            "http://127.0.0.1:1420",
            "http://localhost:5173",
            "http://[::1]:8080",
            "http://localhost",
        ] {
            assert!(loopback_origin(ok), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io:80",
            "null",
            "tauri://localhost",
            "http://localhost:80/x",
            "http://[::1]x",
        ] {
            assert!(!loopback_origin(bad), "{bad}");
        }
    }

    #[test]
    fn guard_applies_to_admin_writes_only() {
        let mut h = HeaderMap::new();
        assert!(admin_guard(&Method::GET, "/__sandbox/orders", &h).is_none());
        assert!(admin_guard(&Method::POST, "/api/v1/browser-session", &h).is_none());
        let e = admin_guard(&Method::POST, "/__sandbox/reset", &h).map(|e| e.status.as_u16());
        assert_eq!(e, Some(415));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(admin_guard(&Method::DELETE, "/__sandbox/faults", &h).is_none());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        let e = admin_guard(&Method::POST, "/__sandbox/reset", &h).map(|e| e.status.as_u16());
        assert_eq!(e, Some(403));
    }
}
