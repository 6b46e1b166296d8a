//! What goes on the wire beyond the bodies: redirects are never followed (the device token
//! never reaches the host a `Location` names), `Content-Type` only with a body, and the
//! per-client cookie jar that wallet unlock-complete fills (ENDPOINTS.md §2.8).

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
    content_type: Option<String>,
    cookie: Option<String>,
    auth: Option<String>,
    body: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Answers everything (browser-session, wallet unlock-complete with cookies, carts).
    Serve,
    /// Answers browser-session; every other request gets a 302 to `target`.
    Redirect,
}

struct Server {
    mode: Mode,
    target: String,
    seen: Vec<Seen>,
}

type Shared = Arc<Mutex<Server>>;

fn header(h: &HeaderMap, k: &str) -> Option<String> {
    h.get(k).and_then(|v| v.to_str().ok()).map(str::to_string)
}

fn wallet_sample() -> Value {
    firmly_docreplay::fixture(
        "002-L10558-complete-unlocking-wallet-as-shown-in-the-following-response.json",
    )
    .sample
    .expect("the docs' unlock-complete sample is valid JSON")
}

async fn handle(State(st): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default().to_vec();
    let path = parts.uri.path().to_string();
    let (mode, target) = {
        let mut s = st.lock().unwrap();
        s.seen.push(Seen {
            method: parts.method.as_str().to_string(),
            path: path.clone(),
            content_type: header(&parts.headers, "content-type"),
            cookie: header(&parts.headers, "cookie"),
            auth: header(&parts.headers, "x-firmly-authorization"),
            body,
        });
        (s.mode, s.target.clone())
    };
    if path == "/api/v1/browser-session" {
        let now = chrono::Utc::now().timestamp();
        return axum::Json(json!({"device_created": true, "access_token": "tok-secret",
            "expires_in": 3600, "expires": now + 3600, "device_id": "dev-1"}))
        .into_response();
    }
    if mode == Mode::Redirect {
        let mut r = StatusCode::FOUND.into_response();
        r.headers_mut().insert(
            "location",
            format!("{target}/thank-you?order=1&token=leak")
                .parse()
                .unwrap(),
        );
        return r;
    }
    if path.ends_with("/unlock-complete") {
        let mut r = axum::Json(wallet_sample()).into_response();
        for c in [
            "shoppay_session=s3cr3t; Path=/; HttpOnly",
            "shoppay_hint=v1; Path=/",
        ] {
            r.headers_mut().append("set-cookie", c.parse().unwrap());
        }
        return r;
    }
    axum::Json(
        json!({"cart_id": "c1", "cart_status": "submitted", "platform_order_number": "",
        "line_items": []}),
    )
    .into_response()
}

async fn spawn(mode: Mode, target: &str) -> (url::Url, Shared) {
    let st: Shared = Arc::new(Mutex::new(Server {
        mode,
        target: target.to_string(),
        seen: Vec::new(),
    }));
    let app = Router::new().fallback(handle).with_state(st.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url::Url::parse(&format!("http://{addr}/")).unwrap(), st)
}

fn seen(st: &Shared) -> Vec<Seen> {
    st.lock().unwrap().seen.clone()
}

fn client_for(api: &url::Url, vault: &url::Url) -> FirmlyClient {
    let mut cfg = ClientConfig::new(api.clone(), vault.clone(), Some(api.clone()), "test-app");
    cfg.timeout = Duration::from_secs(5);
    FirmlyClient::new(cfg, Arc::new(MemorySessionStore::new())).unwrap()
}

/// A redirecting api host and the host its `Location` names.
async fn redirecting() -> (FirmlyClient, Shared, Shared, String) {
    let (elsewhere, other) = spawn(Mode::Serve, "").await;
    let target = elsewhere.as_str().trim_end_matches('/').to_string();
    let (base, api) = spawn(Mode::Redirect, &target).await;
    let host = format!(
        "{}:{}",
        elsewhere.host_str().unwrap(),
        elsewhere.port().unwrap()
    );
    (client_for(&base, &base), api, other, host)
}

#[tokio::test]
async fn a_redirect_is_never_followed_and_names_only_the_host() {
    let (c, api, other, host) = redirecting().await;
    let e = c.cart("shop.example").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Redirected);
    assert_eq!(e.status, Some(302));
    assert!(!e.retryable, "a redirect is not retried");
    assert!(e.message.contains(&host), "{}", e.message);
    for leak in ["thank-you", "order=1", "token=leak"] {
        assert!(!e.to_string().contains(leak), "{e}");
    }
    assert!(
        seen(&other).is_empty(),
        "the Location host saw no request at all (so no device token)"
    );
    let gets = seen(&api)
        .iter()
        .filter(|s| s.path.ends_with("/cart/"))
        .count();
    assert_eq!(gets, 1, "a GET answered with a redirect is not retried");
    assert_eq!(c.request_log().last().and_then(|l| l.status), Some(302));
}

#[tokio::test]
async fn a_redirected_payment_is_an_unknown_outcome_never_an_order() {
    let (c, api, other, host) = redirecting().await;
    // The Location host would answer 200 with a cart: following it used to read as an order.
    let calls: Vec<(&str, Result<CompletionAnswer>)> = vec![
        ("v1", c.complete_order_v1("shop.example", "tok").await),
        (
            "saved",
            c.complete_order_with_saved_payment("shop.example", "pm")
                .await,
        ),
        ("paypal", c.paypal_complete("shop.example").await),
        (
            "v3",
            c.complete_order_v3("h", &Address::default(), "jwe").await,
        ),
    ];
    for (name, r) in calls {
        let e = r.expect_err(name);
        assert_eq!(e.code, ErrorCode::Redirected, "{name}");
        assert_eq!(
            e.class(),
            ErrorClass::Transport,
            "{name}: unknown, not refused"
        );
        assert_eq!(e.status, Some(302));
        assert!(!e.retryable);
        assert!(
            e.message.contains("may or may not have been placed"),
            "{name}: {e}"
        );
        assert!(e.message.contains(&host));
    }
    let payload = TokenizePayload {
        data: "d".into(),
        metadata: "m".into(),
    };
    let e = c.tokenize(&payload, "h").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Redirected);
    assert!(e.message.contains("may or may not"));
    assert!(seen(&other).is_empty(), "nothing reached the Location host");
    let posts = seen(&api)
        .iter()
        .filter(|s| s.method == "POST" && s.path != "/api/v1/browser-session")
        .count();
    assert_eq!(posts, 5, "each payment call sent exactly once");
}

#[tokio::test]
async fn redirect_errors_keep_their_shape() {
    let e = ApiError::redirected(307, Some("elsewhere.example"), false);
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"code": "Redirected", "message": "The server answered with a redirect to elsewhere.example (HTTP 307) instead of an answer. Redirects are not followed: check the service address.",
               "status": 307, "retryable": false})
    );
    assert_eq!(e.id(), "Redirected");
    let e = ApiError::redirected(301, None, true);
    assert!(e.message.contains("without a usable location"));
}

/// Every request builder that documents no body.
fn bodyless() -> Vec<RequestSpec> {
    let d = "shop.example";
    vec![
        requests::browser_session(None),
        requests::product(d, "h", None),
        requests::product_list(d),
        requests::product_by_url("https://shop.example/p", None),
        requests::v1_add_line_item(d, "S", 1, &[]),
        requests::v1_cart_get(d),
        requests::v1_clear_cart(d),
        requests::cart(d),
        requests::clear_cart(d),
        requests::clear_promo_codes(d),
        requests::v1_clear_coupons(d),
        requests::consents(d),
        requests::paypal_start(d),
        requests::paypal_complete(d),
        requests::payment_key(KeyFormat::Jwk),
        requests::payment_key(KeyFormat::Pem),
        requests::active_carts_v1(),
        requests::active_carts(&[]),
        requests::active_domains(),
        requests::v1_shipping_rates(d),
        requests::merchant_health(d, "v2024-02-27-0-chkt"),
    ]
}

#[tokio::test]
async fn content_type_goes_only_with_a_body() {
    let (base, st) = spawn(Mode::Serve, "").await;
    let c = client_for(&base, &base);
    let specs = bodyless();
    for spec in &specs {
        assert_eq!(spec.body, None, "{spec:?}");
        c.raw(spec)
            .await
            .unwrap_or_else(|e| panic!("{spec:?}: {e}"));
    }
    let with_body = requests::add_line_item("shop.example", "V", 1, false);
    c.raw(&with_body).await.unwrap();
    let s = seen(&st);
    // + the client's own browser-session before the first authenticated call.
    assert_eq!(s.len(), specs.len() + 2);
    for x in &s[..s.len() - 1] {
        assert!(x.body.is_empty(), "{} {}", x.method, x.path);
        assert_eq!(x.content_type, None, "{} {}", x.method, x.path);
    }
    let last = s.last().unwrap();
    assert_eq!(last.content_type.as_deref(), Some("application/json"));
    assert!(!last.body.is_empty());
}

#[tokio::test]
async fn wallet_unlock_complete_is_decoded_and_its_cookies_go_back_to_the_api_only() {
    let (api, api_seen) = spawn(Mode::Serve, "").await;
    let (vault, vault_seen) = spawn(Mode::Serve, "").await;
    let c = client_for(&api, &vault);
    let w = c
        .wallet_unlock_complete("shoppay", "accesstokenfromstep1", "830178")
        .await
        .unwrap();
    // The docs' own answer, typed (ENDPOINTS.md §2.8).
    assert_eq!(w.access_token, "accessToken");
    assert_eq!(w.payment_method_options.len(), 2);
    let card = &w.payment_method_options[0];
    assert_eq!(card.id.as_deref(), Some("238716156"));
    assert_eq!(card.wallet.as_deref(), Some("shoppay"));
    assert_eq!(card.last_four.as_deref(), Some("2834"));
    assert_eq!(
        (card.expiry_month(), card.expiry_year()),
        (Some(11), Some(2029))
    );
    assert_eq!(card.card_type.as_deref(), Some("visa"));
    assert!(card.is_saved_card());
    assert_eq!(
        card.billing_info
            .as_ref()
            .and_then(|b| b.state_or_province.as_deref()),
        Some("FL")
    );
    assert_eq!(w.shipping_info_options.len(), 1);
    assert_eq!(
        w.shipping_info_options[0].email.as_deref(),
        Some("tester@firmly.ai")
    );
    assert!(
        !format!("{w:?}").contains("accessToken"),
        "token redacted in Debug"
    );
    assert_eq!(c.cookie_count(), 2);
    assert!(!format!("{c:?}").contains("s3cr3t"));

    // Back on later api-host calls, never to the vault (another origin).
    c.cart("shop.example").await.unwrap();
    c.complete_order_v3("h", &Address::default(), "jwe")
        .await
        .unwrap();
    let cart_call = seen(&api_seen)
        .into_iter()
        .find(|s| s.path.ends_with("/cart/"))
        .unwrap();
    assert_eq!(
        cart_call.cookie.as_deref(),
        Some("shoppay_session=s3cr3t; shoppay_hint=v1")
    );
    assert!(seen(&vault_seen).iter().all(|s| s.cookie.is_none()));
    assert!(seen(&vault_seen).iter().any(|s| s.auth.is_some()));

    // Another client is another customer: no cookies.
    let other = client_for(&api, &vault);
    other.cart("shop.example").await.unwrap();
    // Cleared: gone.
    c.clear_cookies();
    assert_eq!(c.cookie_count(), 0);
    c.cart("shop.example").await.unwrap();
    let carts: Vec<Seen> = seen(&api_seen)
        .into_iter()
        .filter(|s| s.path.ends_with("/cart/"))
        .collect();
    assert_eq!(carts.len(), 3);
    assert!(carts[1].cookie.is_none() && carts[2].cookie.is_none());
    // Browser-session never carries cookies (a cookie there means "renew", ENDPOINTS.md §3).
    assert!(seen(&api_seen)
        .iter()
        .filter(|s| s.path == "/api/v1/browser-session")
        .all(|s| s.cookie.is_none()));
}

#[tokio::test]
async fn a_new_session_forgets_the_cookies() {
    let (api, _) = spawn(Mode::Serve, "").await;
    let c = client_for(&api, &api);
    c.wallet_unlock_complete("shoppay", "t", "1").await.unwrap();
    assert_eq!(c.cookie_count(), 2);
    c.new_session().await.unwrap();
    assert_eq!(c.cookie_count(), 0);
    c.wallet_unlock_complete("shoppay", "t", "1").await.unwrap();
    c.forget_session().await;
    assert_eq!(c.cookie_count(), 0);
}

#[tokio::test]
async fn add_to_cart_sends_the_catalog_payload_as_given() {
    let (api, st) = spawn(Mode::Serve, "").await;
    let c = client_for(&api, &api);
    let payload: AddToCartPayload =
        serde_json::from_value(json!({"variant_id": "configurable-furniture-001",
        "quantity": 1, "variant_handles": ["color:blue", "size:large", "material:leather"]}))
        .unwrap();
    c.add_to_cart("shop.example", &payload, 2, false)
        .await
        .unwrap();
    let sent = seen(&st).pop().unwrap();
    assert_eq!(sent.path, "/api/v2/domains/shop.example/cart/line-items");
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        json!({"variant_id": "configurable-furniture-001", "quantity": 2,
               "variant_handles": ["color:blue", "size:large", "material:leather"]})
    );
    assert_eq!(sent.content_type.as_deref(), Some("application/json"));
    let e = c
        .add_to_cart("shop.example", &payload, 0, false)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    let empty = AddToCartPayload::default();
    let e = c
        .add_to_cart("shop.example", &empty, 1, false)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(seen(&st).len(), 2, "refused before sending");
}
