//! Sessions: session transfer v1 (ENDPOINTS.md §1 #36) and v2
//! (ENDPOINTS.md §1 #37), active carts v2 (ENDPOINTS.md §1 #39), active
//! domains and the postal-code preference (ENDPOINTS.md §1 #40, §1 #41),
//! merchant-account OTP login (ENDPOINTS.md §1 #42 create, §1 #43 validate, §1 #44
//! forgot password) and merchant health (ENDPOINTS.md §1 #50).
//!
//! Transfer handles (CONTRACTS.md §3): `external-session-*` imports a demo cart of two items
//! of the merchant (replacing the device's cart there); `expired-*` fails with the documented
//! transfer error and creates nothing; any other handle (or cookies only) hands back the
//! device's current cart, and fails like an empty merchant session when there is none
//! (`CannotTransferSession 409` v1, `ErrorNoLineItem 422` v2, "Transferred session has empty
//! cart"). Active carts v2 and transfer v2 answer with the simplified cart
//! ([`crate::views::simple`]).

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::carts::{active, change, merchant, peek, Need};
use crate::errors::{ApiError, ApiJson, ApiResult, Family};
use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::ids::otp;
use crate::routes::auth::Device;
use crate::rules::items::{check_stock, imported_items};
use crate::rules::Rule;
use crate::state::{AppState, Shared};
use crate::views::{simple, v1, Renderer};

/// Runs a transfer for `handle`; the caller has validated the body.
fn transfer(
    state: &Shared,
    device: &Device,
    domain: &str,
    handle: &str,
    family: Family,
    render: Renderer,
) -> ApiResult<Value> {
    let m = state
        .merchant(domain)
        .ok_or_else(|| Rule::DomainNotFound(domain.to_string()).api(family))?;
    if m.traits.store_closed {
        return Err(Rule::CannotTransferSession("the store is unavailable.".into()).api(family));
    }
    if handle.starts_with("expired-") {
        return Err(
            Rule::CannotTransferSession("the merchant session has expired.".into()).api(family),
        );
    }
    if handle.starts_with("external-session-") {
        return change(
            state,
            &device.device_id,
            domain,
            family,
            Need::Create,
            |cart, m, world| {
                let mut fresh = Cart::new(&device.device_id, &m.domain, world.now());
                fresh.items = imported_items(m, world);
                for i in &fresh.items {
                    check_stock(m, world, &i.variant_id, i.quantity)?;
                }
                *cart = fresh;
                Ok(())
            },
            render,
        );
    }
    peek(
        state,
        &device.device_id,
        domain,
        family,
        |world, m, cart| match cart.filter(|c| !c.items.is_empty()) {
            Some(c) => Ok(render(state, world, m, c)),
            None => Err(match family {
                Family::V1 => {
                    Rule::CannotTransferSession("the merchant session has no cart.".into())
                }
                Family::V2 => Rule::NoLineItem,
            }),
        },
    )
    .map_err(|e| {
        if e.error == "ErrorNoLineItem" {
            e.with_status(422)
        } else {
            e
        }
    })
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Handle {
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
pub struct TransferV1 {
    /// A string; the v2 object form `{handle, …}` is accepted too.
    pub handle: Option<Handle>,
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
        Some(Handle::Plain(h)) => h,
        Some(Handle::Object { handle, .. }) => handle,
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
    transfer(
        &state,
        &device,
        &domain,
        handle.trim(),
        Family::V1,
        v1::render,
    )
    .map(Json)
}

#[derive(Debug, Deserialize)]
pub struct TransferV2 {
    pub handle: Handle,
    #[serde(default)]
    pub cookies: Vec<String>,
}

/// `POST /api/v2/domains/{domain}/session/transfer` → the simplified cart + `metadata`.
pub async fn transfer_v2(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<TransferV2>,
) -> ApiResult<Json<Value>> {
    let handle = match body.handle {
        Handle::Plain(h) => h,
        Handle::Object { handle, token, .. } => {
            if token
                .as_ref()
                .is_some_and(|t| t.trim().chars().count() < 36)
            {
                return Err(Rule::CannotTransferSession(
                    "the session token must be at least 36 characters.".into(),
                )
                .api(Family::V2));
            }
            handle
        }
    };
    if handle.trim().is_empty() {
        return Err(ApiError::invalid_body(true, "handle must not be empty."));
    }
    let mut v = transfer(
        &state,
        &device,
        &domain,
        handle.trim(),
        Family::V2,
        simple::render,
    )?;
    v["metadata"] = json!({
        "transferred_at": state.now().to_rfc3339(),
        "source": "external_session",
    });
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize)]
pub struct ActiveQuery {
    #[serde(default)]
    pub excludes: Option<String>,
}

/// `GET /api/v2/carts/active?excludes=a,b` → `{domains, carts}` (simplified carts).
pub async fn active_carts_v2(
    State(state): State<AppState>,
    device: Device,
    Query(q): Query<ActiveQuery>,
) -> Json<Value> {
    let excludes: Vec<String> = q
        .excludes
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let world = state.world.lock();
    let carts = active(&state, &world, &device.device_id, &excludes);
    let domains: Vec<&str> = carts.iter().map(|(m, _)| m.domain.as_str()).collect();
    let rendered: Vec<Value> = carts
        .iter()
        .map(|(m, c)| simple::render(&state, &world, m, c))
        .collect();
    Json(json!({ "domains": domains, "carts": rendered }))
}

/// `GET /api/v2/carts/active-domains` → `{domains}`.
pub async fn active_domains(State(state): State<AppState>, device: Device) -> Json<Value> {
    let world = state.world.lock();
    let domains: Vec<String> = active(&state, &world, &device.device_id, &[])
        .into_iter()
        .map(|(m, _)| m.domain.clone())
        .collect();
    Json(json!({ "domains": domains }))
}

#[derive(Debug, Deserialize)]
pub struct PostalCodeBody {
    pub postal_code: Option<String>,
}

/// `POST /api/v2/carts/postal-code {postal_code}`: the device's preference for shipping
/// estimates (zone rule, [`crate::rules::zones`]); `null` clears it.
pub async fn postal_code(
    State(state): State<AppState>,
    device: Device,
    ApiJson(body): ApiJson<PostalCodeBody>,
) -> ApiResult<Json<Value>> {
    let code = body
        .postal_code
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if code.as_ref().is_some_and(|c| c.chars().count() > 12) {
        return Err(ApiError::invalid_body(true, "postal_code is too long."));
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

fn login_merchant<'a>(state: &'a Shared, domain: &str) -> ApiResult<&'a MerchantFixture> {
    let m = merchant(state, domain, Need::Existing).map_err(|r| r.api(Family::V1))?;
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
    state.world.lock().otps.insert(email.clone(), otp());
    Ok(Json(json!({
        "otp_destination": { "emails": [crate::routes::wallet::mask_email(&email)], "phones": [] }
    })))
}

#[derive(Debug, Deserialize)]
pub struct ValidateOtpBody {
    pub email: String,
    pub otp: String,
}

/// `POST /api/v1/domains/{domain}/session/validate-otp {email, otp}` → Cart1, logged in (the
/// cart is started if the device has none there).
pub async fn validate_otp(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<ValidateOtpBody>,
) -> ApiResult<Json<Value>> {
    let m = login_merchant(&state, &domain)?;
    let email = body.email.trim().to_ascii_lowercase();
    {
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
    }
    change(
        &state,
        &device.device_id,
        &domain,
        Family::V1,
        Need::Create,
        |cart, _, _| {
            if let Some(info) = cart.shipping_info.as_mut() {
                info.email = email.clone();
            }
            Ok(())
        },
        |s, w, m, c| Json(v1::render(s, w, m, c)),
    )
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
        .ok_or_else(|| Rule::DomainNotFound(domain.clone()).api(Family::V1))?;
    Ok(Json(json!({ "status": m.health })))
}
