//! Sessions: session transfer v1 (`002_599d5acdabf6b74d.txt:9577`) and v2
//! (`000_03e4b5113d1b58ff.txt:5`), active carts v2 (`003_3e14cad37ed8d963.txt:7`) and active
//! domains / postal code (`001_deb22a4e58c57bde.txt:51`, `:64`), merchant-account OTP login
//! (`002_599d5acdabf6b74d.txt:9195` create, `:9731` validate, `:9277` forgot password) and
//! merchant health (`:12293`).
//!
//! Transfer handles (CONTRACTS.md §3): `external-session-*` imports a demo cart of two items
//! of the merchant (replacing the device's cart for it); `expired-*` fails and creates
//! nothing; any other handle (or cookies only) keeps the device's current cart.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::address::Family;
use crate::auth::Device;
use crate::cart_v1::render_v1;
use crate::cart_v2::{check_stock, domain_not_found, render_v2, to_value, Renderer};
use crate::data::MerchantFixture;
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::{short_id, AppState, Cart, LineItem};

/// The demo merchant cart behind an `external-session-*` handle: the first available variant
/// of the first two products (one each).
fn imported_items(m: &MerchantFixture, world: &crate::state::World) -> Vec<LineItem> {
    m.products
        .iter()
        .filter_map(|p| {
            p.variants
                .iter()
                .find(|v| world.stock_left(m, &v.sku).is_none_or(|s| s > 0))
        })
        .take(2)
        .enumerate()
        .map(|(i, v)| LineItem {
            line_item_id: short_id("li"),
            platform_line_item_id: i.to_string(),
            variant_id: v.sku.clone(),
            quantity: 1,
            variant_handles: Vec::new(),
        })
        .collect()
}

enum Outcome {
    Imported,
    Kept,
}

/// Runs a transfer for `handle`; the caller has validated the body.
fn transfer(
    state: &AppState,
    device: &Device,
    domain: &str,
    handle: &str,
    family: Family,
    render: Renderer,
) -> ApiResult<(Value, Outcome)> {
    let m = state
        .merchant(domain)
        .ok_or_else(|| domain_not_found(domain))?;
    if handle.starts_with("expired-") {
        return Err(match family {
            Family::V2 => ApiError::new(
                422,
                "ErrorCannotTransferSession",
                "The merchant session has expired and cannot be transferred.",
            ),
            Family::V1 => ApiError::new(
                409,
                "CannotTransferSession",
                "Required information to perform session transfer is not available: the merchant session has expired.",
            ),
        });
    }
    let mut world = state.world.lock();
    let now = world.now();
    let key = (device.device_id.clone(), m.domain.clone());
    let outcome = if handle.starts_with("external-session-") {
        let mut cart = Cart::new(&device.device_id, &m.domain, now);
        cart.items = imported_items(m, &world);
        for i in &cart.items {
            check_stock(m, &world, &i.variant_id, i.quantity, family)?;
        }
        cart.normalize(m);
        world.carts.insert(key.clone(), cart);
        Outcome::Imported
    } else {
        world.cart_mut(&device.device_id, &m.domain);
        Outcome::Kept
    };
    let cart = world
        .carts
        .get(&key)
        .ok_or_else(|| ApiError::new(404, "CartNotFound", "Cart was not found."))?;
    Ok((render(state, &world, m, cart), outcome))
}

#[derive(Debug, Deserialize)]
pub struct TransferV1 {
    /// A string; the v2 object form `{handle, …}` is accepted too.
    pub handle: Option<HandleV2>,
    #[serde(default)]
    pub cookies: Vec<String>,
}

/// `POST /api/v1/domains/{domain}/session/transfer {handle, cookies?}` → Cart1.
pub async fn transfer_v1(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<TransferV1>,
) -> ApiResult<Json<Value>> {
    let handle = match body.handle {
        Some(HandleV2::Plain(h)) => h,
        Some(HandleV2::Object { handle, .. }) => handle,
        None => {
            return Err(ApiError::new(
                400,
                "MissingRequiredHandle",
                "Required handle is missing to perform session transfer.",
            ))
        }
    };
    if handle.trim().is_empty() && body.cookies.iter().all(|c| c.trim().is_empty()) {
        return Err(ApiError::new(
            400,
            "MissingRequiredCookie",
            "Required cookie is missing to perform session transfer.",
        ));
    }
    let (v, _) = transfer(
        &state,
        &device,
        &domain,
        handle.trim(),
        Family::V1,
        render_v1,
    )?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum HandleV2 {
    Plain(String),
    Object {
        handle: String,
        #[serde(default)]
        token: Option<String>,
        #[serde(default, rename = "merchantData")]
        merchant_data: Option<Value>,
        #[serde(default)]
        version: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
pub struct TransferV2 {
    pub handle: HandleV2,
    #[serde(default)]
    pub cookies: Vec<String>,
}

/// `POST /api/v2/domains/{domain}/session/transfer` → full v2 cart + `metadata`.
pub async fn transfer_v2(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<TransferV2>,
) -> ApiResult<Json<Value>> {
    let handle = match body.handle {
        HandleV2::Plain(h) => h,
        HandleV2::Object { handle, token, .. } => {
            if token
                .as_ref()
                .is_some_and(|t| t.trim().chars().count() < 36)
            {
                return Err(ApiError::new(
                    422,
                    "ErrorCannotTransferSession",
                    "The session token must be at least 36 characters.",
                ));
            }
            handle
        }
    };
    if handle.trim().is_empty() {
        return Err(ApiError::new(
            400,
            "ErrorInvalidInputBody",
            "handle must not be empty.",
        ));
    }
    let (mut v, outcome) = transfer(
        &state,
        &device,
        &domain,
        handle.trim(),
        Family::V2,
        crate::cart_v2::render_v2_value,
    )?;
    let now = state.now().to_rfc3339();
    v["metadata"] = json!({
        "transferred_at": now,
        "source": match outcome { Outcome::Imported => "session_transfer", Outcome::Kept => "existing_cart" },
    });
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize)]
pub struct ActiveQuery {
    #[serde(default)]
    pub excludes: Option<String>,
}

/// The device's non-empty carts, by domain, minus `excludes`.
fn active(state: &AppState, device: &Device, excludes: &[String]) -> Vec<(String, Value)> {
    let world = state.world.lock();
    let mut out: Vec<(String, Value)> = world
        .carts
        .iter()
        .filter(|((dev, d), c)| {
            dev == &device.device_id
                && !c.items.is_empty()
                && c.submitted.is_none()
                && !excludes.iter().any(|x| x.eq_ignore_ascii_case(d))
        })
        .filter_map(|((_, d), c)| {
            let m = state.merchant(d)?;
            Some((m.domain.clone(), to_value(&render_v2(state, &world, m, c))))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn split_excludes(q: &ActiveQuery) -> Vec<String> {
    q.excludes
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `GET /api/v2/carts/active?excludes=a,b` → `{domains, carts}` (full v2 carts with `domain`).
pub async fn active_carts_v2(
    State(state): State<AppState>,
    device: Device,
    Query(q): Query<ActiveQuery>,
) -> Json<Value> {
    let carts = active(&state, &device, &split_excludes(&q));
    let domains: Vec<&String> = carts.iter().map(|(d, _)| d).collect();
    let values: Vec<&Value> = carts.iter().map(|(_, c)| c).collect();
    Json(json!({ "domains": domains, "carts": values }))
}

/// `GET /api/v2/carts/active-domains` → `{domains}`.
pub async fn active_domains(State(state): State<AppState>, device: Device) -> Json<Value> {
    let domains: Vec<String> = active(&state, &device, &[])
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    Json(json!({ "domains": domains }))
}

#[derive(Debug, Deserialize)]
pub struct PostalCodeBody {
    pub postal_code: Option<String>,
}

/// `POST /api/v2/carts/postal-code {postal_code}`: the device's estimate postal code.
pub async fn postal_code(
    State(state): State<AppState>,
    device: Device,
    ApiJson(body): ApiJson<PostalCodeBody>,
) -> ApiResult<Json<Value>> {
    let code = body
        .postal_code
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if code.as_ref().is_some_and(|c| c.len() > 12) {
        return Err(ApiError::new(
            400,
            "ErrorInvalidInputBody",
            "postal_code is too long.",
        ));
    }
    let mut world = state.world.lock();
    if let Some(d) = world.devices.get_mut(&device.device_id) {
        d.postal_code = code.clone();
    }
    Ok(Json(json!({ "postal_code": code })))
}

#[derive(Debug, Deserialize)]
pub struct EmailBody {
    pub email: String,
}

fn login_merchant<'a>(state: &'a AppState, domain: &str) -> ApiResult<&'a MerchantFixture> {
    let m = state
        .merchant(domain)
        .ok_or_else(|| domain_not_found(domain))?;
    if m.accounts.is_empty() {
        return Err(ApiError::new(
            412,
            "OperationNotSupported",
            "This operation is not supported for this store: it has no customer accounts.",
        ));
    }
    Ok(m)
}

/// `POST /api/v1/domains/{domain}/session/create-otp {email}`: sends (stores) a random OTP.
pub async fn create_otp(
    State(state): State<AppState>,
    _device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<EmailBody>,
) -> ApiResult<Json<Value>> {
    let m = login_merchant(&state, &domain)?;
    let email = body.email.trim().to_ascii_lowercase();
    if !m.accounts.iter().any(|a| a.eq_ignore_ascii_case(&email)) {
        return Err(ApiError::new(404, "UserNotFound", "User not found"));
    }
    let otp = crate::wallet::new_otp();
    state.world.lock().otps.insert(email.clone(), otp);
    Ok(Json(json!({
        "otp_destination": { "emails": [crate::wallet::mask_email(&email)], "phones": [] }
    })))
}

#[derive(Debug, Deserialize)]
pub struct ValidateOtpBody {
    pub email: String,
    pub otp: String,
}

/// `POST /api/v1/domains/{domain}/session/validate-otp {email, otp}` → Cart1, logged in.
pub async fn validate_otp(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<ValidateOtpBody>,
) -> ApiResult<Json<Value>> {
    let m = login_merchant(&state, &domain)?;
    let email = body.email.trim().to_ascii_lowercase();
    let mut world = state.world.lock();
    let ok = world.otps.get(&email).is_some_and(|o| o == body.otp.trim())
        && m.accounts.iter().any(|a| a.eq_ignore_ascii_case(&email));
    if !ok {
        return Err(ApiError::new(401, "InvalidOTP", "The OTP is invalid."));
    }
    world.otps.remove(&email);
    if let Some(d) = world.devices.get_mut(&device.device_id) {
        d.logged_in.insert(m.domain.clone(), email.clone());
    }
    let cart = world.cart_mut(&device.device_id, &m.domain);
    if let Some(info) = cart.shipping_info.as_mut() {
        info.email = email.clone();
    }
    let cart = cart.clone();
    Ok(Json(render_v1(&state, &world, m, &cart)))
}

/// `POST /api/v1/domains/{domain}/session/forgot-password {email}` → 200 whatever the email
/// (no account enumeration).
pub async fn forgot_password(
    State(state): State<AppState>,
    _device: Device,
    Path(domain): Path<String>,
    ApiJson(_body): ApiJson<EmailBody>,
) -> ApiResult<Json<Value>> {
    login_merchant(&state, &domain)?;
    Ok(Json(json!({})))
}

#[derive(Debug, Default, Deserialize)]
pub struct HealthQuery {
    #[serde(default)]
    pub id: Option<String>,
}

/// `GET /api/v1/domains/{domain}?id={component}` (status host; no auth, C29).
pub async fn merchant_health(
    State(state): State<AppState>,
    Path(domain): Path<String>,
    Query(q): Query<HealthQuery>,
) -> ApiResult<Json<Value>> {
    if q.id.as_deref().is_none_or(|i| i.trim().is_empty()) {
        return Err(ApiError::new(
            400,
            "BadRequest",
            "Request Syntax is not correct: the component id is required.",
        ));
    }
    let m = state
        .merchant(&domain)
        .ok_or_else(|| domain_not_found(&domain))?;
    Ok(Json(json!({ "status": m.health })))
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
