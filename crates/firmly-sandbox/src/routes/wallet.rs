//! Wallet unlock (ENDPOINTS.md §1 #48 unlock-start, §1 #49 unlock-complete,
//! ENDPOINTS.md §7 C24): the `shoppay` wallet of `member@example.com` (`data/wallets.json`).
//! The one-time password is random and readable through `GET /__sandbox/otp?email=E`; the
//! unlocked cards join the `payment_method_options` of merchants that accept the wallet.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::model::fixtures::WalletFixture;
use crate::model::ids::{hex16, opaque_handle, otp};
use crate::model::world::WalletSession;
use crate::routes::auth::Device;
use crate::state::{AppState, Shared};
use crate::views::common::wallet_card;

/// `m•••@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_string(),
    }
}

fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    let tail: String = digits.iter().skip(digits.len().saturating_sub(3)).collect();
    format!("(•••) •••-•{tail}")
}

fn provider(state: &Shared, wallet: &str) -> ApiResult<()> {
    if state.catalog.wallets.iter().any(|w| w.wallet == wallet) {
        Ok(())
    } else {
        Err(ApiError::new(
            404,
            "WalletProviderNotFound",
            format!("The wallet provider '{wallet}' does not exist."),
        ))
    }
}

fn account<'a>(state: &'a Shared, wallet: &str, email: &str) -> Option<&'a WalletFixture> {
    state
        .catalog
        .wallets
        .iter()
        .find(|w| w.wallet == wallet && w.email.eq_ignore_ascii_case(email))
}

#[derive(Debug, Deserialize)]
pub struct UnlockStart {
    pub email: String,
    #[serde(default)]
    pub hcaptcha_token: Option<String>,
}

/// `POST /api/v1/wallets/{wallet_name}/unlock-start`.
pub async fn unlock_start(
    State(state): State<AppState>,
    device: Device,
    Path(wallet): Path<String>,
    ApiJson(body): ApiJson<UnlockStart>,
) -> ApiResult<Json<Value>> {
    provider(&state, &wallet)?;
    let email = body.email.trim().to_ascii_lowercase();
    let w = account(&state, &wallet, &email).ok_or_else(|| {
        ApiError::new(
            404,
            "WalletNotFound",
            "This email or phone number does not have a wallet from this provider.",
        )
    })?;
    let token = opaque_handle();
    let code = otp();
    let mut world = state.world.lock();
    world.otps.insert(email.clone(), code.clone());
    world.wallet_sessions.insert(
        token.clone(),
        WalletSession {
            wallet: wallet.clone(),
            device_id: device.device_id.clone(),
            email,
            otp: code,
            unlocked: false,
        },
    );
    tracing::info!(%wallet, "wallet unlock started");
    Ok(Json(json!({
        "access_token": token,
        "otp_destination": { "phones": [mask_phone(&w.phone)], "emails": [mask_email(&w.email)] },
    })))
}

#[derive(Debug, Deserialize)]
pub struct UnlockComplete {
    pub otp: String,
    pub access_token: String,
}

/// `POST /api/v1/wallets/{wallet_name}/unlock-complete {otp, access_token}`.
pub async fn unlock_complete(
    State(state): State<AppState>,
    device: Device,
    Path(wallet): Path<String>,
    ApiJson(body): ApiJson<UnlockComplete>,
) -> ApiResult<Response> {
    provider(&state, &wallet)?;
    let mut world = state.world.lock();
    let Some(session) = world
        .wallet_sessions
        .get_mut(body.access_token.trim())
        .filter(|s| s.device_id == device.device_id && s.wallet == wallet)
    else {
        return Err(ApiError::new(
            401,
            "Unauthorized",
            "Caller is not authorized to make this call",
        ));
    };
    if session.otp != body.otp.trim() {
        return Err(ApiError::new(401, "InvalidOtp", "The OTP is invalid."));
    }
    session.unlocked = true;
    let email = session.email.clone();
    let w = account(&state, &wallet, &email)
        .ok_or_else(|| ApiError::new(404, "WalletNotFound", "Wallet not found."))?;
    let body = json!({
        "access_token": body.access_token.trim(),
        "payment_method_options": w.cards.iter().map(|c| wallet_card(&wallet, c, w)).collect::<Vec<_>>(),
        "shipping_info_options": w.addresses,
    });
    let cookie = format!("{wallet}_session={}; Path=/; HttpOnly", hex16());
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}
