//! Wallet unlock (`002_599d5acdabf6b74d.txt:10628` unlock-start, `:10470` unlock-complete,
//! ENDPOINTS.md §7 C24): the `shoppay` wallet of `member@example.com` (`data/wallets.json`).
//! The one-time password is random and readable through `GET /__sandbox/otp?email=E`; the
//! unlocked cards join the `payment_method_options` of merchants that accept the wallet.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Device;
use crate::data::MerchantFixture;
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::{AppState, World};

/// One unlock attempt, keyed by its access token.
#[derive(Debug, Clone)]
pub struct WalletSession {
    pub wallet: String,
    pub device_id: String,
    pub email: String,
    pub otp: String,
    pub unlocked: bool,
}

/// Saved cards of wallets this device has unlocked that merchant `m` accepts.
pub fn unlocked_cards(
    state_wallets: &[crate::data::WalletFixture],
    world: &World,
    device_id: &str,
    m: &MerchantFixture,
) -> Vec<Value> {
    let mut out = Vec::new();
    for s in world
        .wallet_sessions
        .values()
        .filter(|s| s.unlocked && s.device_id == device_id && m.wallets.contains(&s.wallet))
    {
        if let Some(w) = state_wallets
            .iter()
            .find(|w| w.wallet == s.wallet && w.email.eq_ignore_ascii_case(&s.email))
        {
            out.extend(w.cards.iter().map(|c| card_json(&s.wallet, c, w)));
        }
    }
    out.sort_by_key(|v| v["id"].as_str().map(str::to_string));
    out.dedup_by_key(|v| v["id"].clone());
    out
}

fn card_json(wallet: &str, c: &crate::data::SavedCard, w: &crate::data::WalletFixture) -> Value {
    json!({
        "type": "CreditCard",
        "wallet": wallet,
        "id": c.id,
        "card_type": c.card_type,
        "last_four": c.last_four,
        "month": c.month,
        "year": c.year,
        "art": format!("https://wallet.sandbox/{wallet}/{}.svg", c.card_type),
        "billing_info": w.addresses.first(),
    })
}

/// A six-digit one-time password.
pub fn new_otp() -> String {
    use rand::Rng;
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

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
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    let tail = &digits[digits.len().saturating_sub(3)..];
    format!("(•••) •••-•{tail}")
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
    if !state.catalog.wallets.iter().any(|w| w.wallet == wallet) {
        return Err(ApiError::new(
            404,
            "WalletProviderNotFound",
            format!("The wallet provider '{wallet}' does not exist."),
        ));
    }
    let email = body.email.trim().to_ascii_lowercase();
    let Some(w) = state
        .catalog
        .wallets
        .iter()
        .find(|w| w.wallet == wallet && w.email.eq_ignore_ascii_case(&email))
    else {
        return Err(ApiError::new(
            404,
            "WalletNotFound",
            "This email or phone number does not have a wallet from this provider.",
        ));
    };
    let token = crate::cart_v2::new_payment_handle();
    let otp = new_otp();
    let mut world = state.world.lock();
    world.otps.insert(email.clone(), otp.clone());
    world.wallet_sessions.insert(
        token.clone(),
        WalletSession {
            wallet: wallet.clone(),
            device_id: device.device_id.clone(),
            email: email.clone(),
            otp,
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
    if !state.catalog.wallets.iter().any(|w| w.wallet == wallet) {
        return Err(ApiError::new(
            404,
            "WalletProviderNotFound",
            format!("The wallet provider '{wallet}' does not exist."),
        ));
    }
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
    let Some(w) = state
        .catalog
        .wallets
        .iter()
        .find(|w| w.wallet == wallet && w.email.eq_ignore_ascii_case(&email))
    else {
        return Err(ApiError::new(404, "WalletNotFound", "Wallet not found."));
    };
    let body = json!({
        "access_token": body.access_token.trim(),
        "payment_method_options": w.cards.iter().map(|c| card_json(&wallet, c, w)).collect::<Vec<_>>(),
        "shipping_info_options": w.addresses,
    });
    let cookie = format!(
        "{wallet}_session={}; Path=/; HttpOnly",
        crate::state::hex16()
    );
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}
