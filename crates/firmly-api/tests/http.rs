//! HTTP behaviour of `FirmlyClient` against a tiny in-test axum server: headers, token
//! creation/renewal and replay, CF-RAY, error envelopes, retry policy, fallbacks, timeouts.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use firmly_api::*;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    auth: Option<String>,
    app_id: Option<String>,
    content_type: Option<String>,
    body: Value,
}

#[derive(Default)]
struct Server {
    seen: Vec<Seen>,
    tokens_issued: u32,
    /// Tokens the server rejects with 401 InvalidJWTToken.
    rejected: Vec<String>,
    reject_all_tokens: bool,
    /// Remaining 503 answers for GET active-domains.
    fail_503: u32,
    retry_after: Option<&'static str>,
}

type Shared = Arc<Mutex<Server>>;

fn header(h: &HeaderMap, k: &str) -> Option<String> {
    h.get(k).and_then(|v| v.to_str().ok()).map(str::to_string)
}

fn ray(n: usize) -> String {
    format!("{n:016x}-TST")
}

fn reply(status: StatusCode, body: Value, n: usize) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert("cf-ray", ray(n).parse().unwrap());
    r
}

fn cart_json(domain: &str) -> Value {
    json!({"cart_id": format!("cart-{domain}"), "shop_id": domain, "cart_status": "active",
           "line_items": [{"line_item_id": "l1", "sku": "S", "quantity": 1, "price": {"currency": "USD", "value": 10}}],
           "total": {"currency": "USD", "value": 10}})
}

async fn handle(State(st): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let path = parts.uri.path().to_string();
    let method = parts.method.as_str().to_string();
    let seen = Seen {
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        auth: header(&parts.headers, "x-firmly-authorization"),
        app_id: header(&parts.headers, "x-firmly-app-id"),
        content_type: header(&parts.headers, "content-type"),
        body: body.clone(),
    };
    let (n, auth_rejected, fail_503, retry_after) = {
        let mut s = st.lock().unwrap();
        s.seen.push(seen.clone());
        let rejected = seen
            .auth
            .as_ref()
            .is_some_and(|t| s.reject_all_tokens || s.rejected.contains(t));
        let fail = path == "/api/v2/carts/active-domains" && s.fail_503 > 0;
        if fail {
            s.fail_503 -= 1;
        }
        (s.seen.len(), rejected, fail, s.retry_after)
    };
    if path == "/api/v1/browser-session" {
        let mut s = st.lock().unwrap();
        s.tokens_issued += 1;
        let token = format!("tok-{}", s.tokens_issued);
        let now = chrono::Utc::now().timestamp();
        let renewing = body.get("access_token").is_some();
        return reply(
            StatusCode::OK,
            json!({"device_created": !renewing, "access_token": token, "expires_in": 3600, "expires": now + 3600,
                   "device_id": if renewing { "dev-1" } else { "dev-new" }}),
            n,
        );
    }
    if auth_rejected {
        return reply(
            StatusCode::UNAUTHORIZED,
            json!({"code": 401, "error": "InvalidJWTToken", "description": "The JWT token is invalid."}),
            n,
        );
    }
    if fail_503 {
        let mut r = reply(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"code": 503, "error": "ErrorServiceUnavailable"}),
            n,
        );
        if let Some(ra) = retry_after {
            r.headers_mut().insert("retry-after", ra.parse().unwrap());
        }
        return r;
    }
    match (method.as_str(), path.as_str()) {
        ("GET", "/api/v2/domains/shop.example/cart/") => {
            reply(StatusCode::OK, cart_json("shop.example"), n)
        }
        ("GET", "/api/v2/domains/bad.example/cart/") => reply(
            StatusCode::OK,
            json!({"cart_id": "c", "line_items": [{"line_item_id": "l", "quantity": "many"}]}),
            n,
        ),
        ("GET", "/api/v1/domains/shop.example/cart/consents") => reply(
            StatusCode::NOT_FOUND,
            json!({"code": 404, "error": "DomainNotFound", "description": "This domain was not found in firmly servers."}),
            n,
        ),
        ("GET", "/api/v2/carts/active-domains") => {
            reply(StatusCode::OK, json!({"domains": ["shop.example"]}), n)
        }
        ("POST", "/api/v2/domains/shop.example/cart/line-items") => reply(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"code": 503, "error": "ErrorStoreUnavailable"}),
            n,
        ),
        ("GET", "/api/v2/carts/active") => reply(
            StatusCode::NOT_FOUND,
            json!({"code": 404, "error": "RouteNotFound", "description": "This route was not found in this server."}),
            n,
        ),
        ("GET", "/api/v1/carts/active") => reply(
            StatusCode::OK,
            json!({"domains": ["shop.example", "other.example"], "carts": [cart_json("shop.example"), cart_json("other.example")]}),
            n,
        ),
        ("GET", "/api/v1/payment/key") => {
            if parts.uri.query().is_some_and(|q| q.contains("format=PEM")) {
                let key = openssl::rsa::Rsa::generate(2048).unwrap();
                let pem = String::from_utf8(key.public_key_to_pem().unwrap()).unwrap();
                let mut r = (StatusCode::OK, pem).into_response();
                r.headers_mut()
                    .insert("x-firmly-kid", "kid-pem".parse().unwrap());
                r
            } else {
                reply(
                    StatusCode::OK,
                    json!({"kid": "kid-jwk", "kty": "RSA", "n": "AQAB", "e": "AQAB", "use": "enc"}),
                    n,
                )
            }
        }
        ("POST", "/api/v1/domains/shop.example/cart/complete-order-with-saved-payment") => {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            reply(StatusCode::OK, cart_json("shop.example"), n)
        }
        ("GET", "/api/v1/domains-pdp") => {
            reply(StatusCode::OK, json!({"title": "T", "variants": []}), n)
        }
        _ => reply(
            StatusCode::NOT_FOUND,
            json!({"code": 404, "error": "RouteNotFound"}),
            n,
        ),
    }
}

async fn spawn(server: Server) -> (url::Url, Shared) {
    let st: Shared = Arc::new(Mutex::new(server));
    let app = Router::new().fallback(handle).with_state(st.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url::Url::parse(&format!("http://{addr}/")).unwrap(), st)
}

fn client(base: url::Url) -> (FirmlyClient, Arc<MemorySessionStore>) {
    let store = Arc::new(MemorySessionStore::new());
    let mut cfg = ClientConfig::same_host(base, "test-app");
    cfg.timeout = Duration::from_secs(5);
    (FirmlyClient::new(cfg, store.clone()).unwrap(), store)
}

fn seen(st: &Shared) -> Vec<Seen> {
    st.lock().unwrap().seen.clone()
}

#[tokio::test]
async fn creates_session_and_sends_device_header() {
    let (base, st) = spawn(Server::default()).await;
    let (c, store) = client(base);
    let cart = c.cart("shop.example").await.unwrap();
    assert_eq!(cart.cart_id.as_deref(), Some("cart-shop.example"));
    assert_eq!(cart.raw["shop_id"], "shop.example", "raw JSON kept");
    let s = seen(&st);
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0].method.as_str(), s[0].path.as_str()),
        ("POST", "/api/v1/browser-session")
    );
    assert_eq!(s[0].app_id.as_deref(), Some("test-app"));
    assert_eq!(s[0].auth, None);
    assert_eq!(
        s[1].auth.as_deref(),
        Some("tok-1"),
        "raw token, no Bearer prefix"
    );
    assert_eq!(s[1].app_id, None);
    assert_eq!(s[1].content_type, None, "no body, no Content-Type");
    assert_eq!(store.load().unwrap().access_token, "tok-1");
    // Second call reuses the token.
    c.cart("shop.example").await.unwrap();
    assert_eq!(seen(&st).len(), 3);
    let log = c.request_log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].status, Some(200));
    assert_eq!(log[1].request_id.as_deref(), Some(ray(2).as_str()));
    assert_eq!(log[1].path, "/api/v2/domains/shop.example/cart/");
    assert!(chrono::DateTime::parse_from_rfc3339(&log[1].at).is_ok());
    let dump = format!("{log:?}");
    assert!(!dump.contains("tok-1"), "log never holds tokens");
}

#[tokio::test]
async fn renews_once_on_auth_error_and_replays() {
    let (base, st) = spawn(Server {
        rejected: vec!["tok-1".into()],
        ..Default::default()
    })
    .await;
    let (c, store) = client(base);
    let cart = c.cart("shop.example").await.unwrap();
    assert_eq!(cart.cart_id.as_deref(), Some("cart-shop.example"));
    let s = seen(&st);
    let trail: Vec<(&str, Option<&str>)> = s
        .iter()
        .map(|x| (x.path.as_str(), x.auth.as_deref()))
        .collect();
    assert_eq!(
        trail,
        vec![
            ("/api/v1/browser-session", None),
            ("/api/v2/domains/shop.example/cart/", Some("tok-1")),
            ("/api/v1/browser-session", None),
            ("/api/v2/domains/shop.example/cart/", Some("tok-2")),
        ]
    );
    assert_eq!(
        s[2].body,
        json!({"access_token": "tok-1"}),
        "renewal sends the old token"
    );
    assert_eq!(store.load().unwrap().access_token, "tok-2");
    assert_eq!(store.load().unwrap().device_id, "dev-1");
}

#[tokio::test]
async fn replays_only_once() {
    let (base, st) = spawn(Server {
        reject_all_tokens: true,
        ..Default::default()
    })
    .await;
    let (c, _) = client(base);
    let e = c.cart("shop.example").await.unwrap_err();
    assert!(e.is_auth());
    assert_eq!(e.code, ErrorCode::InvalidJWTToken);
    let carts = seen(&st)
        .iter()
        .filter(|x| x.path.contains("/cart/"))
        .count();
    assert_eq!(carts, 2, "original + one replay");
}

#[tokio::test]
async fn error_envelope_and_cf_ray() {
    let (base, st) = spawn(Server::default()).await;
    let (c, _) = client(base);
    let e = c.consents("shop.example").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::DomainNotFound);
    assert_eq!(e.status, Some(404));
    assert_eq!(
        e.description.as_deref(),
        Some("This domain was not found in firmly servers.")
    );
    assert_eq!(e.message, "This domain was not found in firmly servers.");
    assert_eq!(e.request_id.as_deref(), Some(ray(2).as_str()));
    assert!(!e.retryable);
    assert_eq!(seen(&st).len(), 2, "4xx is not retried");
}

#[tokio::test]
async fn get_retries_503_then_succeeds() {
    let (base, st) = spawn(Server {
        fail_503: 2,
        retry_after: Some("0"),
        ..Default::default()
    })
    .await;
    let (c, _) = client(base);
    assert_eq!(c.active_domains().await.unwrap(), vec!["shop.example"]);
    let hits = seen(&st)
        .iter()
        .filter(|x| x.path == "/api/v2/carts/active-domains")
        .count();
    assert_eq!(hits, 3);
    let statuses: Vec<Option<u16>> = c.request_log().iter().skip(1).map(|l| l.status).collect();
    assert_eq!(statuses, vec![Some(503), Some(503), Some(200)]);
}

#[tokio::test]
async fn get_gives_up_after_three_attempts() {
    let (base, st) = spawn(Server {
        fail_503: 10,
        ..Default::default()
    })
    .await;
    let (c, _) = client(base);
    let e = c.active_domains().await.unwrap_err();
    assert_eq!(e.id(), "ErrorServiceUnavailable");
    assert!(e.retryable);
    let hits = seen(&st)
        .iter()
        .filter(|x| x.path == "/api/v2/carts/active-domains")
        .count();
    assert_eq!(hits, 3);
}

#[tokio::test]
async fn post_is_not_retried() {
    let (base, st) = spawn(Server::default()).await;
    let (c, _) = client(base);
    let e = c
        .add_line_item("shop.example", "V", 1, false)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreUnavailable);
    assert!(
        e.retryable,
        "flag tells the caller it may retry; the client itself does not"
    );
    let s = seen(&st);
    let hits: Vec<&Seen> = s
        .iter()
        .filter(|x| x.path.ends_with("/line-items"))
        .collect();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].query, None,
        "flush_cart=false is the default, not sent"
    );
    assert_eq!(hits[0].body, json!({"variant_id": "V", "quantity": 1}));
}

#[tokio::test]
async fn active_carts_fall_back_to_v1_on_route_not_found() {
    let (base, st) = spawn(Server::default()).await;
    let (c, _) = client(base);
    let carts = c
        .active_carts(&["other.example".to_string()])
        .await
        .unwrap();
    assert_eq!(carts.domains, vec!["shop.example"]);
    assert_eq!(carts.carts.len(), 1);
    assert_eq!(carts.carts[0].raw["shop_id"], "shop.example");
    let paths: Vec<String> = seen(&st).iter().map(|x| x.path.clone()).collect();
    assert!(paths.contains(&"/api/v2/carts/active".to_string()));
    assert!(paths.contains(&"/api/v1/carts/active".to_string()));
}

#[tokio::test]
async fn payment_keys_jwk_and_pem() {
    let (base, st) = spawn(Server::default()).await;
    let (c, _) = client(base);
    let k = c.payment_key().await.unwrap();
    assert_eq!(k.kid, "kid-jwk");
    let pem = c.payment_key_pem(requests::KeyFormat::Pem).await.unwrap();
    assert_eq!(pem.kid, "kid-pem");
    assert!(pem.pem().unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
    let s = seen(&st);
    assert!(
        s.iter().all(|x| x.auth.is_none()),
        "key fetch sends no device token and needs no session"
    );
    assert_eq!(s[1].query.as_deref(), Some("format=PEM"));
}

#[tokio::test]
async fn decode_error_names_path() {
    let (base, _) = spawn(Server::default()).await;
    let (c, _) = client(base);
    let e = c.cart("bad.example").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Decode);
    assert!(
        e.message.contains("line_items[0].quantity"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn payment_timeout_is_not_retried() {
    let (base, st) = spawn(Server::default()).await;
    let store = Arc::new(MemorySessionStore::new());
    let mut cfg = ClientConfig::same_host(base, "test-app");
    cfg.timeout = Duration::from_millis(300);
    let c = FirmlyClient::new(cfg, store).unwrap();
    let e = c
        .complete_order_with_saved_payment("shop.example", "pm_1")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert!(e.retryable);
    let hits = seen(&st)
        .iter()
        .filter(|x| x.path.contains("saved-payment"))
        .count();
    assert_eq!(hits, 1);
}

#[tokio::test]
async fn network_errors_are_retryable_and_retried_for_get() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let store = Arc::new(MemorySessionStore::new());
    store.save(&StoredSession {
        access_token: "t".into(),
        expires: chrono::Utc::now().timestamp() + 3600,
        device_id: "d".into(),
    });
    let c = FirmlyClient::new(
        ClientConfig::same_host(url::Url::parse(&format!("http://{addr}/")).unwrap(), "a"),
        store,
    )
    .unwrap();
    let e = c.cart("shop.example").await.unwrap_err();
    // Nothing listens: the request provably never reached a server.
    assert_eq!(e.code, ErrorCode::Unreachable);
    assert!(e.retryable);
    assert_eq!(c.request_log().len(), 3);
    assert!(c.request_log().iter().all(|l| l.status.is_none()));
}

#[tokio::test]
async fn proactive_renewal_and_expired_sessions() {
    let (base, st) = spawn(Server::default()).await;
    let now = chrono::Utc::now().timestamp();
    // Expires within 5 minutes: renew with the old token.
    let store = Arc::new(MemorySessionStore::new());
    store.save(&StoredSession {
        access_token: "old".into(),
        expires: now + 60,
        device_id: "dev-1".into(),
    });
    let c = FirmlyClient::new(
        ClientConfig::same_host(base.clone(), "test-app"),
        store.clone(),
    )
    .unwrap();
    let s = c.ensure_session().await.unwrap();
    assert_eq!(s.access_token, "tok-1");
    assert_eq!(seen(&st)[0].body, json!({"access_token": "old"}));
    // Expired 2 days ago: still renewable.
    store.save(&StoredSession {
        access_token: "old2".into(),
        expires: now - 2 * 86400,
        device_id: "dev-1".into(),
    });
    let c = FirmlyClient::new(
        ClientConfig::same_host(base.clone(), "test-app"),
        store.clone(),
    )
    .unwrap();
    c.ensure_session().await.unwrap();
    assert_eq!(seen(&st)[1].body, json!({"access_token": "old2"}));
    // Expired 8 days ago: a new device.
    store.save(&StoredSession {
        access_token: "ancient".into(),
        expires: now - 8 * 86400,
        device_id: "dev-0".into(),
    });
    let c = FirmlyClient::new(
        ClientConfig::same_host(base.clone(), "test-app"),
        store.clone(),
    )
    .unwrap();
    let s = c.ensure_session().await.unwrap();
    assert_eq!(
        seen(&st)[2].body,
        Value::Null,
        "new session sends no old token"
    );
    assert_eq!(s.device_id, "dev-new");
    // Valid: no network.
    c.ensure_session().await.unwrap();
    assert_eq!(seen(&st).len(), 3);
    // Kiosk wipe: fresh device.
    let s = c.new_session().await.unwrap();
    assert_eq!(s.device_id, "dev-new");
    assert_eq!(seen(&st)[3].body, Value::Null);
    assert_eq!(store.load().unwrap(), s);
    assert!(!format!("{s:?}").contains(&s.access_token));
}

#[tokio::test]
async fn request_log_redacts_sensitive_query_values() {
    let (base, st) = spawn(Server::default()).await;
    let (c, _) = client(base);
    c.product_by_url(
        "https://merchant.example/p/secret-thing?ref=abc",
        Some("98101"),
    )
    .await
    .unwrap();
    let s = seen(&st);
    // The catalog's header table shows only the device token (ENDPOINTS.md §1 #2-#4).
    assert_eq!(s[1].app_id, None);
    assert_eq!(s[1].auth.as_deref(), Some("tok-1"));
    assert!(s[1]
        .query
        .as_deref()
        .unwrap()
        .contains("url=https%3A%2F%2Fmerchant.example"));
    let log = c.request_log();
    assert_eq!(
        log[1].path,
        "/api/v1/domains-pdp?url=<redacted>&postal_code=<redacted>"
    );
}

#[test]
fn request_log_is_capped() {
    // Capacity is part of the contract the support UI relies on.
    assert_eq!(firmly_api::client::REQUEST_LOG_CAPACITY, 500);
}

#[test]
fn stored_session_falls_back_to_jwt_claims() {
    use base64::Engine;
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"deviceid":"dev-jwt","exp":1900000000,"appid":"a"}"#);
    let token = format!("eyJhbGciOiJSUzI1NiJ9.{claims}.sig");
    let b = BrowserSession {
        access_token: token.clone(),
        ..Default::default()
    };
    let s = StoredSession::from(&b);
    assert_eq!(s.expires, 1_900_000_000);
    assert_eq!(s.device_id, "dev-jwt");
    let b = BrowserSession {
        access_token: token,
        expires: 1_800_000_000,
        device_id: "dev-body".into(),
        ..Default::default()
    };
    let s = StoredSession::from(&b);
    assert_eq!(
        (s.expires, s.device_id.as_str()),
        (1_800_000_000, "dev-body")
    );
    assert!(firmly_api::client::jwt_claims("not-a-jwt").is_none());
}
