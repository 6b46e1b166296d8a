//! The typed HTTP client: device-token lifecycle, headers, retries, error normalization,
//! decoding with JSON paths, and a request log without bodies.
//!
//! Requests are built by the pure functions in [`crate::requests`]; this module only
//! executes them (ENDPOINTS.md §3 for auth, §6 for errors).

mod checkout_endpoints;
mod config;
mod cookies;
mod decode;
mod endpoints;
mod exchange;
mod http;

pub use config::{
    default_user_agent, jwt_claims, ClientConfig, MemorySessionStore, RequestLogEntry,
    SessionStore, StoredSession, DEFAULT_TIMEOUT,
};
pub use cookies::{MAX_COOKIES, MAX_COOKIE_BYTES};
pub use decode::{decode_bytes, decode_cart, decode_cart_bytes, decode_value};
pub use http::{prepare_http, MAX_CONNECT_TIMEOUT};

pub(crate) use decode::parse_json;
pub(crate) use exchange::RawResponse;

use crate::error::{ApiError, ErrorCode, Field, Result};
use crate::models::cart::CartV2;
use crate::models::session::BrowserSession;
use crate::requests::{self, Method, RequestSpec};
use crate::retry::{retry_decision, Outcome, RetryDecision};
use config::now_epoch;
use exchange::Failure;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Renew proactively when less than this remains (§3 client recommendations).
pub const RENEW_BEFORE_EXPIRY_SECS: i64 = 5 * 60;
/// Expired tokens can be renewed for one week (ENDPOINTS.md §3, token lifecycle).
pub const RENEWAL_WINDOW_SECS: i64 = 7 * 24 * 3600;
/// Entries kept in the request log.
pub const REQUEST_LOG_CAPACITY: usize = 500;
/// Largest response body read (carts are a few kilobytes; a bigger answer is refused so a
/// hostile or broken server cannot exhaust memory).
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

struct Inner {
    /// The process's shared transport (src/client/http.rs).
    http: reqwest::Client,
    /// `config.user_agent`, checked once.
    user_agent: reqwest::header::HeaderValue,
    config: ClientConfig,
    store: Arc<dyn SessionStore>,
    /// Serializes token creation/renewal so concurrent calls renew once.
    session: tokio::sync::Mutex<Option<StoredSession>>,
    log: Mutex<VecDeque<RequestLogEntry>>,
    /// The last cart decoded per merchant domain, kept with its raw bytes: an answer that is
    /// byte-identical to the previous one decodes to the same cart, so it is not decoded
    /// again (the desk re-reads unchanged carts often; docs/BENCHMARKS.md §5). Forgotten
    /// with the session.
    carts: Mutex<std::collections::HashMap<String, Arc<CartV2>>>,
    /// This client's own cookies (cookies.rs): never shared with another client, forgotten
    /// with the session.
    cookies: cookies::CookieJar,
    /// The extensions the API host announced (`x-firmly-sandbox-extensions`): only then
    /// does a request carry an undocumented field.
    announced: Mutex<crate::requests::Extensions>,
}

/// Most merchants whose last decoded cart the client keeps.
const DECODED_CARTS_CAPACITY: usize = 256;

/// The Firmly API client. Cloning is cheap and shares session and log.
#[derive(Clone)]
pub struct FirmlyClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for FirmlyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirmlyClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Longest unreadable completion body kept for support.
const MAX_KEPT_RAW_CHARS: usize = 64 * 1024;

/// What a completion call (v1/v2/v3, saved payment, PayPal) answered with a 2xx.
#[derive(Debug, Clone)]
pub enum CompletionAnswer {
    /// The documented order: a cart with `platform_order_number` (ENDPOINTS.md §2.3 Order).
    Order(Box<CartV2>),
    /// A 2xx whose body our models cannot read. The server accepted the order, so it IS
    /// placed; the raw body is kept for support and never turned into an error.
    Unreadable { raw: String, problem: ApiError },
}

impl CompletionAnswer {
    /// The decoded order, or the decode problem (for tests and tools that need the cart).
    pub fn into_order(self) -> Result<CartV2> {
        match self {
            CompletionAnswer::Order(c) => Ok(*c),
            CompletionAnswer::Unreadable { problem, .. } => Err(problem),
        }
    }
}

pub(crate) fn is_route_missing(e: &ApiError) -> bool {
    matches!(e.status, Some(404) | Some(405))
        && matches!(
            e.code,
            ErrorCode::RouteNotFound | ErrorCode::NotFound | ErrorCode::MethodNotAllowed
        )
}

impl FirmlyClient {
    pub fn new(config: ClientConfig, store: Arc<dyn SessionStore>) -> Result<Self> {
        // OpenSSL starts here, before any worker thread uses it, without its exit-time
        // clean-up (crypto.rs `public_key`).
        openssl::init();
        // Shared by every client (src/client/http.rs); the total timeout and the user agent
        // go on each request.
        let http = http::shared_http(config.timeout)?;
        let user_agent =
            reqwest::header::HeaderValue::from_str(&config.user_agent).map_err(|e| {
                ApiError::internal(format!("the user agent is not a header value: {e}"))
            })?;
        let loaded = store.load();
        Ok(FirmlyClient {
            inner: Arc::new(Inner {
                http,
                user_agent,
                config,
                store,
                session: tokio::sync::Mutex::new(loaded),
                log: Mutex::new(VecDeque::with_capacity(REQUEST_LOG_CAPACITY)),
                carts: Mutex::default(),
                cookies: cookies::CookieJar::default(),
                announced: Mutex::new(crate::requests::Extensions::NONE),
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The session currently held (no network).
    pub async fn current_session(&self) -> Option<StoredSession> {
        self.inner.session.lock().await.clone()
    }

    /// Newest last; at most [`REQUEST_LOG_CAPACITY`] entries.
    pub fn request_log(&self) -> Vec<RequestLogEntry> {
        self.inner
            .log
            .lock()
            .map(|l| l.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The extensions the API host announced so far (`x-firmly-sandbox-extensions`, sent
    /// by our demo sandbox): a request carries an undocumented field only after this.
    pub fn announced(&self) -> crate::requests::Extensions {
        self.inner
            .announced
            .lock()
            .map(|a| *a)
            .unwrap_or(crate::requests::Extensions::NONE)
    }

    pub fn clear_request_log(&self) {
        if let Ok(mut l) = self.inner.log.lock() {
            l.clear();
        }
    }

    fn record(&self, entry: RequestLogEntry) {
        if let Ok(mut l) = self.inner.log.lock() {
            if l.len() >= REQUEST_LOG_CAPACITY {
                l.pop_front();
            }
            l.push_back(entry);
        }
    }

    // ---- session ------------------------------------------------------------------------

    /// A usable device session: creates one when none, renews with the old token when it
    /// expired less than 7 days ago or expires within 5 minutes, else starts a new device.
    pub async fn ensure_session(&self) -> Result<StoredSession> {
        let mut guard = self.inner.session.lock().await;
        let now = now_epoch();
        if let Some(s) = guard.as_ref() {
            if s.expires.saturating_sub(now) > RENEW_BEFORE_EXPIRY_SECS
                && !s.access_token.is_empty()
            {
                return Ok(s.clone());
            }
        }
        let fresh = match guard.as_ref() {
            Some(s)
                if now.saturating_sub(s.expires) < RENEWAL_WINDOW_SECS
                    && !s.access_token.is_empty() =>
            {
                match self.browser_session(Some(&s.access_token)).await {
                    Ok(b) => b,
                    Err(e) if e.status.is_some_and(|st| (400..500).contains(&st)) => {
                        tracing::info!(code = %e.code, "token renewal rejected; starting a new device session");
                        self.browser_session(None).await?
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => self.browser_session(None).await?,
        };
        let stored = StoredSession::from(&fresh);
        self.inner.store.save(&stored);
        *guard = Some(stored.clone());
        Ok(stored)
    }

    /// Forgets token and device and registers a fresh device (kiosk wipe).
    pub async fn new_session(&self) -> Result<StoredSession> {
        let mut guard = self.inner.session.lock().await;
        *guard = None;
        self.inner.store.clear();
        self.forget_customer_data();
        let fresh = self.browser_session(None).await?;
        let stored = StoredSession::from(&fresh);
        self.inner.store.save(&stored);
        *guard = Some(stored.clone());
        Ok(stored)
    }

    /// Takes over an existing device session (a support snapshot being resumed); it is
    /// renewed on first use if it has expired within the renewal window.
    pub async fn adopt_session(&self, session: StoredSession) {
        let mut guard = self.inner.session.lock().await;
        self.inner.store.save(&session);
        self.forget_customer_data();
        *guard = Some(session);
    }

    /// Forgets the session locally without contacting the server.
    pub async fn forget_session(&self) {
        *self.inner.session.lock().await = None;
        self.inner.store.clear();
        self.forget_customer_data();
    }

    /// Renews after an auth error, unless another call already replaced `used_token`.
    async fn renew_after_auth_error(&self, used_token: &str) -> Result<()> {
        let mut guard = self.inner.session.lock().await;
        if let Some(s) = guard.as_ref() {
            if s.access_token != used_token {
                return Ok(());
            }
        }
        let fresh = match self.browser_session(Some(used_token)).await {
            Ok(b) => b,
            Err(e) if e.status.is_some_and(|st| (400..500).contains(&st)) => {
                self.browser_session(None).await?
            }
            Err(e) => return Err(e),
        };
        let stored = StoredSession::from(&fresh);
        self.inner.store.save(&stored);
        *guard = Some(stored);
        Ok(())
    }

    /// #1 raw browser-session call (no session lock; callers hold it).
    pub async fn browser_session(&self, old_token: Option<&str>) -> Result<BrowserSession> {
        let spec = requests::browser_session(old_token);
        let raw = self.send_once(&spec, None).await.map_err(|f| f.error)?;
        let value = parse_json(&raw.body)?;
        let session: BrowserSession = decode_value(&value)?;
        if session.access_token.is_empty() {
            return Err(ApiError::decode(
                "access_token",
                "browser session without an access token",
            ));
        }
        Ok(session)
    }

    // ---- execution ----------------------------------------------------------------------

    /// Executes a spec with auth, one renewal-and-replay on auth errors, and the retry policy.
    pub(crate) async fn execute(&self, spec: &RequestSpec) -> Result<RawResponse> {
        if let Some(domain) = spec.domain() {
            if !requests::is_hostname(domain) {
                return Err(ApiError::field(
                    Field::Domain,
                    format!("\"{domain}\" is not a merchant domain (e.g. shop.example.com)."),
                ));
            }
        }
        let mut attempt: u32 = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            let token = if spec.auth {
                Some(self.ensure_session().await?.access_token)
            } else {
                None
            };
            match self.send_once(spec, token.as_deref()).await {
                Ok(r) => return Ok(r),
                Err(Failure {
                    error: e,
                    retry_after,
                }) => {
                    // On a login route a refusal is about the login, not the device token.
                    let token_problem = e.is_auth()
                        && !(spec.login
                            && matches!(e.code, ErrorCode::Unauthorized | ErrorCode::InvalidOtp));
                    if let (true, false, Some(t)) = (token_problem, renewed, token.as_deref()) {
                        tracing::info!(code = %e.code, "auth error; renewing the device token and replaying once");
                        renewed = true;
                        self.renew_after_auth_error(t).await?;
                        attempt -= 1;
                        continue;
                    }
                    let decision = retry_decision(
                        spec.method.is_idempotent(),
                        spec.payment,
                        attempt,
                        &Outcome::from_error(&e),
                        retry_after,
                    );
                    match decision {
                        RetryDecision::Retry(delay) => {
                            tracing::debug!(path = %spec.path, attempt, ?delay, code = %e.code, "retrying");
                            tokio::time::sleep(delay).await;
                        }
                        RetryDecision::GiveUp => return Err(e),
                    }
                }
            }
        }
    }

    pub(crate) async fn json(&self, spec: &RequestSpec) -> Result<Value> {
        let raw = self.execute(spec).await?;
        parse_json(&raw.body)
    }

    pub(crate) async fn typed<T: DeserializeOwned>(&self, spec: &RequestSpec) -> Result<T> {
        decode_bytes(&self.execute(spec).await?.body)
    }

    pub(crate) async fn cart_call(&self, spec: &RequestSpec) -> Result<CartV2> {
        self.cart_call_shared(spec).await.map(Arc::unwrap_or_clone)
    }

    /// A cart answer, decoded or, when byte-identical to the merchant's previous one, the
    /// cart decoded then (shared, not copied).
    pub(crate) async fn cart_call_shared(&self, spec: &RequestSpec) -> Result<Arc<CartV2>> {
        let body = self.execute(spec).await?.body;
        let Some(domain) = spec.domain() else {
            return decode_cart_bytes(&body).map(Arc::new);
        };
        // Decoding is a pure function of the bytes: the same bytes give the same cart.
        if let Some(hit) = self.inner.carts.lock().ok().and_then(|m| {
            m.get(domain)
                .filter(|c| c.raw.text().map(str::as_bytes) == Some(&body[..]))
                .cloned()
        }) {
            return Ok(hit);
        }
        let cart = Arc::new(decode_cart_bytes(&body)?);
        if let Ok(mut m) = self.inner.carts.lock() {
            if m.len() >= DECODED_CARTS_CAPACITY && !m.contains_key(domain) {
                m.clear();
            }
            m.insert(domain.to_string(), cart.clone());
        }
        Ok(cart)
    }

    /// Forgets what one customer's session left in memory: the decoded carts kept for reuse
    /// and the cookies (nothing of one customer's carts or wallet stays for the next).
    fn forget_customer_data(&self) {
        if let Ok(mut m) = self.inner.carts.lock() {
            m.clear();
        }
        self.inner.cookies.clear();
    }

    /// Forgets every cookie this client keeps (wallet unlock cookies, ENDPOINTS.md §2.8).
    /// A new, adopted or forgotten session clears them too.
    pub fn clear_cookies(&self) {
        self.inner.cookies.clear();
    }

    /// How many cookies this client keeps (their names and values stay private).
    pub fn cookie_count(&self) -> usize {
        self.inner.cookies.len()
    }

    /// A completion: a 2xx is an order whether or not its body can be read.
    pub(crate) async fn completion_call(&self, spec: &RequestSpec) -> Result<CompletionAnswer> {
        let raw = self.execute(spec).await?;
        match decode_cart_bytes(&raw.body) {
            Ok(cart) => Ok(CompletionAnswer::Order(Box::new(cart))),
            Err(problem) => {
                let text = String::from_utf8_lossy(&raw.body);
                let raw = match text.char_indices().nth(MAX_KEPT_RAW_CHARS) {
                    Some((i, _)) => format!("{}…", &text[..i]),
                    None => text.into_owned(),
                };
                tracing::warn!(code = %problem.code, "order answer could not be decoded; the order is placed");
                Ok(CompletionAnswer::Unreadable { raw, problem })
            }
        }
    }

    /// Runs a documented-PUT route and falls back to POST when the server has no PUT route (C18).
    pub(crate) async fn cart_call_put_or_post(&self, spec: RequestSpec) -> Result<CartV2> {
        match self.cart_call(&spec).await {
            Err(e) if is_route_missing(&e) => self.cart_call(&spec.with_method(Method::Post)).await,
            other => other,
        }
    }

    /// Executes any spec and returns the JSON (for tools such as the CLI's raw mode).
    pub async fn raw(&self, spec: &RequestSpec) -> Result<Value> {
        self.json(spec).await
    }
}
