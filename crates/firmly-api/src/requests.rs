//! Every documented endpoint as a pure function returning a [`RequestSpec`]: method, host,
//! path, query and JSON body. The client only executes specs, so request shapes are
//! unit-tested without a network (ENDPOINTS.md §1; numbers below are its table rows).

use crate::crypto::{EncryptedCardFields, TokenizePayload};
use crate::models::addons::AddonSelectionRequest;
use crate::models::address::Address;
use crate::models::session::{Attribution, ConsentChange};
use crate::models::shipment::FulfillmentType;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Which configured base URL a request goes to (§0: `{api}`, `{vault}`, `{status}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Host {
    Api,
    Vault,
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Safe to repeat without side effects (only GETs are retried automatically).
    pub fn is_idempotent(&self) -> bool {
        matches!(self, Method::Get)
    }
}

/// A request before it is sent. Debug shows only the body's keys: bodies can hold tokens,
/// one-time passwords and (encrypted) card data.
#[derive(Clone, PartialEq)]
pub struct RequestSpec {
    pub method: Method,
    pub host: Host,
    /// Path with every dynamic segment percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Send `x-firmly-authorization` (device token).
    pub auth: bool,
    /// Send `x-firmly-app-id`.
    pub app_id: bool,
    /// Places an order or moves money: never retried, never replayed after a transport error.
    pub payment: bool,
    /// An account or wallet login: `Unauthorized` / `InvalidOtp` here mean the login was
    /// refused, not that the device token expired, so the client does not renew and replay.
    pub login: bool,
}

impl std::fmt::Debug for RequestSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
        let body: Option<Vec<&str>> = self.body.as_ref().map(|b| {
            b.as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default()
        });
        f.debug_struct("RequestSpec")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query_keys", &query)
            .field("body_keys", &body)
            .field("auth", &self.auth)
            .field("app_id", &self.app_id)
            .field("payment", &self.payment)
            .field("login", &self.login)
            .finish()
    }
}

impl RequestSpec {
    fn new(method: Method, host: Host, path: String) -> RequestSpec {
        RequestSpec {
            method,
            host,
            path,
            query: Vec::new(),
            body: None,
            auth: true,
            app_id: false,
            payment: false,
            login: false,
        }
    }

    fn api(method: Method, path: String) -> RequestSpec {
        RequestSpec::new(method, Host::Api, path)
    }

    fn body(mut self, body: Value) -> RequestSpec {
        self.body = Some(body);
        self
    }

    fn query(mut self, k: &str, v: impl Into<String>) -> RequestSpec {
        self.query.push((k.to_string(), v.into()));
        self
    }

    fn payment(mut self) -> RequestSpec {
        self.payment = true;
        self
    }

    fn login(mut self) -> RequestSpec {
        self.login = true;
        self
    }

    /// The merchant domain in this request's path, if any (`/api/v2/domains/{domain}/…`,
    /// `/api/v1/domains-products/{domain}/…`). The client refuses to send a request whose
    /// domain is not a valid hostname, so paths are built from validated parts only.
    pub fn domain(&self) -> Option<&str> {
        let rest = self
            .path
            .strip_prefix("/api/v1/domains-products/")
            .or_else(|| self.path.strip_prefix("/api/v1/domains/"))
            .or_else(|| self.path.strip_prefix("/api/v2/domains/"))?;
        Some(rest.split('/').next().unwrap_or_default())
    }

    fn with_app_id(mut self) -> RequestSpec {
        self.app_id = true;
        self
    }

    fn no_auth(mut self) -> RequestSpec {
        self.auth = false;
        self
    }

    /// Same request with another method (C18 fallback for PUT-documented, POST-curled routes).
    pub fn with_method(mut self, method: Method) -> RequestSpec {
        self.method = method;
        self
    }
}

/// A merchant domain as the API expects it: a DNS hostname of at least two labels, each
/// 1–63 of `a-z 0-9 -` (not starting or ending with `-`), 253 characters at most.
pub fn is_hostname(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Percent-encodes one path segment: handles contain `/` and `,` (C37).
pub fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn v1_cart(domain: &str, rest: &str) -> String {
    format!("/api/v1/domains/{}/cart{}", seg(domain), rest)
}

fn v2_cart(domain: &str, rest: &str) -> String {
    format!("/api/v2/domains/{}/cart{}", seg(domain), rest)
}

fn to_value<T: Serialize>(v: &T) -> Value {
    // Serializing our own plain structs cannot fail; Null would surface as a server 4xx.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Body of `POST /cart/shipment/methods` (#18, `002_599d5acdabf6b74d.txt:5640`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetShipmentMethod {
    pub shipment_id: String,
    pub shipping_method_id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub selected_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub notes: Option<String>,
    /// Sandbox extension (C31): not part of the documented API.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub selected_time_slot_id: Option<String>,
}

/// `format` of the payment key (#30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyFormat {
    Jwk,
    /// SubjectPublicKeyInfo PEM.
    Pem,
    /// PKCS#1 `BEGIN RSA PUBLIC KEY`.
    Rsa,
}

impl KeyFormat {
    pub fn as_str(&self) -> &'static str {
        match self {
            KeyFormat::Jwk => "JWK",
            KeyFormat::Pem => "PEM",
            KeyFormat::Rsa => "RSA",
        }
    }
}

// ---- #1 auth -------------------------------------------------------------------------

/// #1 `POST /api/v1/browser-session`: empty body for a new device, `{access_token}` to renew
/// (`002_599d5acdabf6b74d.txt:6938`).
pub fn browser_session(old_token: Option<&str>) -> RequestSpec {
    let spec = RequestSpec::api(Method::Post, "/api/v1/browser-session".into())
        .no_auth()
        .with_app_id();
    match old_token {
        Some(t) => spec.body(json!({ "access_token": t })),
        None => spec,
    }
}

// ---- #2-#4 catalog ------------------------------------------------------------------------

/// #2 product details; the handle is one encoded segment (C37).
pub fn product(domain: &str, handle: &str, postal_code: Option<&str>) -> RequestSpec {
    let mut spec = RequestSpec::api(
        Method::Get,
        format!("/api/v1/domains-products/{}/{}", seg(domain), seg(handle)),
    )
    .with_app_id();
    if let Some(p) = postal_code {
        spec = spec.query("postal_code", p);
    }
    spec
}

/// #3 product collection.
pub fn product_list(domain: &str) -> RequestSpec {
    RequestSpec::api(
        Method::Get,
        format!("/api/v1/domains-products/{}", seg(domain)),
    )
    .with_app_id()
}

/// #4 product details from a PDP URL.
pub fn product_by_url(pdp_url: &str, postal_code: Option<&str>) -> RequestSpec {
    let mut spec = RequestSpec::api(Method::Get, "/api/v1/domains-pdp".into())
        .with_app_id()
        .query("url", pdp_url);
    if let Some(p) = postal_code {
        spec = spec.query("postal_code", p);
    }
    spec
}

// ---- #5-#9 cart v1 ------------------------------------------------------------------------

/// #5 add (or create cart with) `quantity` of `sku`.
pub fn v1_add_line_item(
    domain: &str,
    sku: &str,
    quantity: i64,
    variant_handles: &[String],
) -> RequestSpec {
    let spec = RequestSpec::api(
        Method::Post,
        v1_cart(
            domain,
            &format!("/line-items/{}/quantity/{}", seg(sku), quantity),
        ),
    );
    if variant_handles.is_empty() {
        spec
    } else {
        spec.body(json!({ "variant_handles": variant_handles }))
    }
}

/// #6 set quantity (0 removes); PUT per the table, integer quantity (C18).
pub fn v1_update_line_item(domain: &str, sku: &str, quantity: i64) -> RequestSpec {
    RequestSpec::api(
        Method::Put,
        v1_cart(domain, &format!("/line-items/{}", seg(sku))),
    )
    .body(json!({ "quantity": quantity }))
}

/// #7 get cart v1.
pub fn v1_cart_get(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v1_cart(domain, "/"))
}

/// #8 clear cart v1.
pub fn v1_clear_cart(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v1_cart(domain, "/line-items"))
}

/// #9 attribution, wrapped body per the parameter table (C18).
pub fn set_attribution(domain: &str, attribution: &Attribution) -> RequestSpec {
    RequestSpec::api(Method::Put, v1_cart(domain, "/attribution"))
        .body(json!({ "attribution": to_value(attribution) }))
}

// ---- #10-#22 cart v2 ----------------------------------------------------------------------

/// #10 get cart v2.
pub fn cart(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v2_cart(domain, "/"))
}

/// #11 add line item; `flush_cart=true` empties the cart first.
pub fn add_line_item(
    domain: &str,
    variant_id: &str,
    quantity: i64,
    flush_cart: bool,
) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/line-items"))
        .query("flush_cart", if flush_cart { "true" } else { "false" })
        .body(json!({ "variant_id": variant_id, "quantity": quantity }))
}

/// #12 set quantity of a line (0 removes).
pub fn update_line_item(domain: &str, line_item_id: &str, quantity: i64) -> RequestSpec {
    RequestSpec::api(
        Method::Post,
        v2_cart(domain, &format!("/line-items/{}", seg(line_item_id))),
    )
    .body(json!({ "quantity": quantity }))
}

/// #13 remove all lines.
pub fn clear_cart(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v2_cart(domain, "/line-items"))
}

/// #14 set add-on selections.
pub fn set_addons(domain: &str, selections: &[AddonSelectionRequest]) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/addons"))
        .body(json!({ "selections": to_value(&selections) }))
}

/// #15 remove one add-on from all items.
pub fn remove_addon(domain: &str, addon_id: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/addons/_remove"))
        .body(json!({ "addon_id": addon_id }))
}

/// #16 availability of a shipment.
pub fn availability(domain: &str, shipment_id: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipments/get-availability"))
        .body(json!({ "shipment_id": shipment_id }))
}

/// #17 change fulfillment type; `location_id` only for pickup (C30).
pub fn set_fulfillment_type(
    domain: &str,
    shipment_id: &str,
    fulfillment_type: &FulfillmentType,
    location_id: Option<&str>,
) -> RequestSpec {
    let mut body =
        json!({ "shipment_id": shipment_id, "fulfillment_type": fulfillment_type.as_str() });
    if let (Some(loc), Some(obj)) = (location_id, body.as_object_mut()) {
        obj.insert("location_id".into(), Value::String(loc.to_string()));
    }
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipments/fulfillment-type")).body(body)
}

/// #18 choose a shipping method (singular `shipment`, C19).
pub fn set_shipment_method(domain: &str, req: &SetShipmentMethod) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipment/methods")).body(to_value(req))
}

/// #19 shipping address (canonical names, no `state_name`).
pub fn set_shipping_info(domain: &str, info: &Address) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipping-info")).body(to_value(info))
}

/// #20 billing address.
pub fn set_billing_info(domain: &str, info: &Address) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/billing-info")).body(to_value(info))
}

/// #21 apply promo codes (1..10).
pub fn apply_promo_codes(domain: &str, codes: &[String]) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/promo-codes"))
        .body(json!({ "promo_codes": codes }))
}

/// #22 remove all promo codes.
pub fn clear_promo_codes(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v2_cart(domain, "/promo-codes"))
}

// ---- #23-#26 coupons v1, consents -----------------------------------------------------------

/// #23 apply coupons (v1 applies the best valid subset).
pub fn v1_apply_coupons(domain: &str, codes: &[String]) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/promo-codes"))
        .body(json!({ "promo_codes": codes }))
}

/// #24 clear coupons v1.
pub fn v1_clear_coupons(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v1_cart(domain, "/promo-codes"))
}

/// #25 list consents.
pub fn consents(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v1_cart(domain, "/consents"))
}

/// #26 grant / revoke consents.
pub fn set_consents(domain: &str, changes: &[ConsentChange]) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/consents"))
        .body(json!({ "consents": to_value(&changes) }))
}

// ---- #27-#29 PayPal -------------------------------------------------------------------------

fn paypal(domain: &str, step: &str) -> String {
    format!("/api/v1/domains/{}/express/paypal/{}", seg(domain), step)
}

/// #27 start PayPal express checkout (no body).
pub fn paypal_start(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, paypal(domain, "start"))
}

/// #28 authorize with the buyer's PayPal payer id, nested under `attributes` (§5).
pub fn paypal_authorize(domain: &str, payer_id: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, paypal(domain, "authorize"))
        .body(json!({ "attributes": { "payer_id": payer_id } }))
}

/// #29 place the PayPal order.
pub fn paypal_complete(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, paypal(domain, "complete-order")).payment()
}

// ---- #30-#35 payment ------------------------------------------------------------------------

/// #30 vault public key; no auth. JWK is the documented default so no `format` is sent for it.
pub fn payment_key(format: KeyFormat) -> RequestSpec {
    let spec = RequestSpec::new(Method::Get, Host::Vault, "/api/v1/payment/key".into()).no_auth();
    match format {
        KeyFormat::Jwk => spec,
        other => spec.query("format", other.as_str()),
    }
}

/// #31 complete order with per-field encrypted card.
pub fn complete_order_v2(
    handle: &str,
    billing: &Address,
    fields: &EncryptedCardFields,
) -> RequestSpec {
    RequestSpec::new(Method::Post, Host::Vault, "/api/v2/payment/complete-order".into())
        .body(json!({ "handle": handle, "billing_info": to_value(billing), "credit_card": to_value(fields) }))
        .payment()
}

/// #32 complete order with a JWE-encrypted card ("recommended", `002_599d5acdabf6b74d.txt:8514`).
pub fn complete_order_v3(
    handle: &str,
    billing: &Address,
    encrypted_card: &str,
    captcha_token: Option<&str>,
) -> RequestSpec {
    let mut body = json!({ "handle": handle, "billing_info": to_value(billing), "encrypted_card": encrypted_card });
    if let (Some(c), Some(obj)) = (captcha_token, body.as_object_mut()) {
        obj.insert("captcha_token".into(), Value::String(c.to_string()));
    }
    RequestSpec::new(
        Method::Post,
        Host::Vault,
        "/api/v3/payment/complete-order".into(),
    )
    .body(body)
    .payment()
}

/// #33 complete with a saved card's `id` (C23).
pub fn complete_order_with_saved_payment(domain: &str, payment_id: &str) -> RequestSpec {
    RequestSpec::api(
        Method::Post,
        v1_cart(domain, "/complete-order-with-saved-payment"),
    )
    .body(json!({ "payment_id": payment_id }))
    .payment()
}

/// #34 tokenize a hybrid-encrypted card (integration example only, `002_599d5acdabf6b74d.txt:11158`).
pub fn tokenize(payload: &TokenizePayload, handle: &str) -> RequestSpec {
    RequestSpec::new(Method::Post, Host::Vault, "/api/v1/payment/tokenize".into())
        .body(json!({ "data": payload.data, "metadata": payload.metadata, "handle": handle }))
        .payment()
}

/// #35 complete order with a vault token.
pub fn complete_order_v1(domain: &str, token: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/complete-order"))
        .body(json!({ "payment_token": { "id": token }, "vault_token": true }))
        .payment()
}

// ---- #36-#44 session ------------------------------------------------------------------------

/// #36 session transfer v1: `{handle, cookies}` (handle may be "").
pub fn session_transfer_v1(domain: &str, handle: &str, cookies: &[String]) -> RequestSpec {
    RequestSpec::api(
        Method::Post,
        format!("/api/v1/domains/{}/session/transfer", seg(domain)),
    )
    .body(json!({ "handle": handle, "cookies": cookies }))
}

/// #37 session transfer v2: handle is a string or `{handle, token?, merchantData?, version?}`.
pub fn session_transfer(domain: &str, handle: &Value, cookies: &[String]) -> RequestSpec {
    let mut body = json!({ "handle": handle });
    if let (false, Some(obj)) = (cookies.is_empty(), body.as_object_mut()) {
        obj.insert("cookies".into(), json!(cookies));
    }
    RequestSpec::api(
        Method::Post,
        format!("/api/v2/domains/{}/session/transfer", seg(domain)),
    )
    .body(body)
}

/// #38 active carts v1.
pub fn active_carts_v1() -> RequestSpec {
    RequestSpec::api(Method::Get, "/api/v1/carts/active".into())
}

/// #39 active carts v2, `excludes` comma-separated.
pub fn active_carts(excludes: &[String]) -> RequestSpec {
    let spec = RequestSpec::api(Method::Get, "/api/v2/carts/active".into());
    if excludes.is_empty() {
        spec
    } else {
        spec.query("excludes", excludes.join(","))
    }
}

/// #40 domains that have carts.
pub fn active_domains() -> RequestSpec {
    RequestSpec::api(Method::Get, "/api/v2/carts/active-domains".into())
}

/// #41 device-wide postal code (null clears).
pub fn set_postal_code(postal_code: Option<&str>) -> RequestSpec {
    RequestSpec::api(Method::Post, "/api/v2/carts/postal-code".into())
        .body(json!({ "postal_code": postal_code }))
}

fn session(domain: &str, action: &str) -> String {
    format!("/api/v1/domains/{}/session/{}", seg(domain), action)
}

/// #42 send a one-time password.
pub fn create_otp(domain: &str, email: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, session(domain, "create-otp"))
        .body(json!({ "email": email }))
        .login()
}

/// #43 log in with the one-time password.
pub fn validate_otp(domain: &str, email: &str, otp: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, session(domain, "validate-otp"))
        .body(json!({ "email": email, "otp": otp }))
        .login()
}

/// #44 password reset mail.
pub fn forgot_password(domain: &str, email: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, session(domain, "forgot-password"))
        .body(json!({ "email": email }))
        .login()
}

// ---- #45-#47 shipping v1 --------------------------------------------------------------------

/// #45 shipping rates (HTTP-request-line path, C19).
pub fn v1_shipping_rates(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v1_cart(domain, "/shipping-rates"))
}

/// #46 shipping info v1 (auto-selects the cheapest method, issues `payment_handle`).
pub fn v1_set_shipping_info(domain: &str, info: &Address) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/shipping-info")).body(to_value(info))
}

/// #47 choose a v1 shipping method by its `sku`.
pub fn v1_set_shipping_method(domain: &str, shipping_method: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/shipping-method"))
        .body(json!({ "shipping_method": shipping_method }))
}

// ---- #48-#50 wallet, health -----------------------------------------------------------------

/// #48 start unlocking a wallet (e.g. `shoppay`).
pub fn wallet_unlock_start(wallet: &str, email: &str, hcaptcha_token: Option<&str>) -> RequestSpec {
    let mut body = json!({ "email": email });
    if let (Some(t), Some(obj)) = (hcaptcha_token, body.as_object_mut()) {
        obj.insert("hcaptcha_token".into(), Value::String(t.to_string()));
    }
    RequestSpec::api(
        Method::Post,
        format!("/api/v1/wallets/{}/unlock-start", seg(wallet)),
    )
    .body(body)
    .login()
}

/// #49 finish unlocking with the OTP; body per the sample (C24).
pub fn wallet_unlock_complete(wallet: &str, access_token: &str, otp: &str) -> RequestSpec {
    RequestSpec::api(
        Method::Post,
        format!("/api/v1/wallets/{}/unlock-complete", seg(wallet)),
    )
    .body(json!({ "otp": otp, "access_token": access_token }))
    .login()
}

/// #50 merchant health on the status host; app id sent although "public" (C29).
pub fn merchant_health(domain: &str, component_id: &str) -> RequestSpec {
    RequestSpec::new(
        Method::Get,
        Host::Status,
        format!("/api/v1/domains/{}", seg(domain)),
    )
    .no_auth()
    .with_app_id()
    .query("id", component_id)
}
