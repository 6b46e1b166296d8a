//! Payment routes on the vault and api hosts: the payment key (ENDPOINTS.md §1 #30),
//! key rotation (demo admin), Complete Order v3 (ENDPOINTS.md §1 #32, JWE) and v2 (ENDPOINTS.md §1 #31, per-field
//! RSA-OAEP), tokenize (ENDPOINTS.md §1 #34) and complete-order with a token (ENDPOINTS.md §1 #35), and completion
//! with a saved payment (ENDPOINTS.md §1 #33). Decryption is in [`crate::vault::keys`], order placement in
//! [`crate::vault::completion`]; every completion answers with the documented Order.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::carts::CartRef;
use crate::errors::{ApiError, ApiJson, ApiResult, Family};
use crate::model::address::{Address, AddressInput, AddressUse};
use crate::model::card::{missing_card_field, CardData};
use crate::model::ids::opaque_handle;
use crate::model::world::TokenizedCard;
use crate::routes::auth::Device;
use crate::rules::address::validate;
use crate::rules::cards::check;
use crate::rules::pricing::price_cart;
use crate::rules::{Rule, RuleResult};
use crate::state::{AppState, Shared};
use crate::vault::completion::{complete, Payment};
use crate::vault::pending::PaymentKey;
use crate::views::common::payment_method_options;

#[derive(Debug, Default, Deserialize)]
pub struct KeyQuery {
    #[serde(default)]
    pub format: Option<String>,
}

/// `GET /api/v1/payment/key?format=JWK|PEM|RSA`.
pub async fn payment_key(State(state): State<AppState>, Query(q): Query<KeyQuery>) -> Response {
    let keys = match state.keys().await {
        Ok(keys) => keys,
        Err(e) => return e.into_response(),
    };
    let format = q
        .format
        .unwrap_or_else(|| "JWK".into())
        .to_ascii_uppercase();
    let text = match format.as_str() {
        "JWK" => return Json(keys.jwk()).into_response(),
        "PEM" => keys.public_pem.clone(),
        "RSA" => keys.public_pkcs1.clone(),
        _ => {
            return ApiError::new(
                400,
                "BadRequest",
                format!("Unknown key format '{format}'; use JWK, PEM or RSA."),
            )
            .into_response()
        }
    };
    let mut resp = ([(header::CONTENT_TYPE, "text/plain")], text).into_response();
    if let Ok(v) = HeaderValue::from_str(&keys.kid) {
        resp.headers_mut().insert("x-firmly-kid", v);
    }
    resp
}

/// `POST /__sandbox/rotate-key` (demo): a new payment key; data encrypted for the old `kid`
/// now fails with `InvalidKey 409`, as after a live key rotation.
pub async fn rotate_key(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    // Generated on its own thread; requests meanwhile wait for the new key.
    *state.vault.write() = PaymentKey::generate();
    let kid = state.keys().await?.kid.clone();
    tracing::info!(%kid, "payment key rotated");
    Ok(Json(json!({ "kid": kid })))
}

/// The card billing address: required, documented fields only (`CheckoutError 412` otherwise).
fn card_billing(billing: Option<&AddressInput>) -> RuleResult<Address> {
    let b = billing.ok_or_else(|| {
        Rule::CheckoutError("billing_info is required to pay by card.".to_string())
    })?;
    validate(b, AddressUse::CardBilling).map_err(|f| {
        let e = Rule::Address(f).api(Family::V1);
        Rule::CheckoutError(format!(
            "Payment info or billing address invalid: {}",
            e.description
        ))
    })
}

fn new_cards_accepted(m: &crate::model::fixtures::MerchantFixture) -> RuleResult<()> {
    if m.card_entry {
        Ok(())
    } else {
        Err(Rule::PaymentMethodNotAvailable(
            "This merchant does not accept new cards; choose a saved card or PayPal.".to_string(),
        ))
    }
}

/// Shared by v2 and v3: checks the billing address, finds the cart by handle, charges the
/// test card and places the order.
fn pay_with_card(
    state: &Shared,
    device: &Device,
    handle: &str,
    billing: Option<&AddressInput>,
    card: &CardData,
) -> ApiResult<Json<Value>> {
    let billing = card_billing(billing).map_err(|r| r.api(Family::V1))?;
    complete(
        state,
        &device.device_id,
        CartRef::Handle(handle),
        Some(&billing),
        |world, m, _| {
            new_cards_accepted(m)?;
            check(card, world.now().date_naive())?;
            Ok(Payment {
                payment_method: card.payment_method(),
                payment_type: "CreditCard",
                billing: Some(billing.clone()),
            })
        },
    )
}

/// The decrypted card as JSON, with every required field present: a missing one is
/// `CheckoutError 412` naming it (the payment pages' CHK id, ENDPOINTS.md §0), not a verdict
/// on a value that was never sent.
fn card_json(plain: &[u8]) -> ApiResult<Value> {
    let v: Value = serde_json::from_slice(plain).map_err(|_| {
        Rule::MalformedPayment("the decrypted card is not JSON.".to_string()).api(Family::V1)
    })?;
    require_card_fields(&v)?;
    Ok(v)
}

fn require_card_fields(v: &Value) -> ApiResult<()> {
    match missing_card_field(v) {
        Some(field) => Err(Rule::CheckoutError(format!(
            "Payment info or billing address invalid: the card field '{field}' is missing."
        ))
        .api(Family::V1)),
        None => Ok(()),
    }
}

#[derive(Debug, Deserialize)]
pub struct CompleteOrderV3 {
    pub handle: String,
    #[serde(default)]
    pub billing_info: Option<AddressInput>,
    pub encrypted_card: String,
    #[serde(default)]
    pub captcha_token: Option<String>,
}

/// `POST /api/v3/payment/complete-order`.
pub async fn complete_order_v3(
    State(state): State<AppState>,
    device: Device,
    ApiJson(body): ApiJson<CompleteOrderV3>,
) -> ApiResult<Json<Value>> {
    let plain = state
        .keys()
        .await?
        .decrypt_jwe(&body.encrypted_card)
        .map_err(|r| r.api(Family::V1))?;
    let card = CardData::from_json(&card_json(&plain)?);
    pay_with_card(
        &state,
        &device,
        &body.handle,
        body.billing_info.as_ref(),
        &card,
    )
}

/// Each field `kid|base64`; all optional here so that a missing one is named by
/// `require_card_fields` with the payment pages' id rather than a generic body error.
#[derive(Debug, Deserialize)]
pub struct EncryptedCardFields {
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub month: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub verification_value: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CompleteOrderV2 {
    pub handle: String,
    #[serde(default)]
    pub billing_info: Option<AddressInput>,
    pub credit_card: EncryptedCardFields,
}

/// `POST /api/v2/payment/complete-order`: every card field is `kid|base64(RSA-OAEP(value))`.
pub async fn complete_order_v2(
    State(state): State<AppState>,
    device: Device,
    ApiJson(body): ApiJson<CompleteOrderV2>,
) -> ApiResult<Json<Value>> {
    let keys = state.keys().await?;
    let field = |f: &str| -> ApiResult<String> {
        let raw = keys.decrypt_field(f).map_err(|r| r.api(Family::V1))?;
        String::from_utf8(raw).map_err(|_| {
            Rule::MalformedPayment("a card field is not text.".to_string()).api(Family::V1)
        })
    };
    let c = &body.credit_card;
    require_card_fields(&json!({
        "number": c.number,
        "month": c.month,
        "year": c.year,
        "verification_value": c.verification_value,
    }))?;
    let opt = |v: &Option<String>| -> ApiResult<String> {
        match v.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => field(v),
            _ => Ok(String::new()),
        }
    };
    let card = CardData::from_json(&json!({
        "number": opt(&c.number)?,
        "name": opt(&c.name)?,
        "month": opt(&c.month)?,
        "year": opt(&c.year)?,
        "verification_value": opt(&c.verification_value)?,
    }));
    pay_with_card(
        &state,
        &device,
        &body.handle,
        body.billing_info.as_ref(),
        &card,
    )
}

#[derive(Debug, Deserialize)]
pub struct TokenizeBody {
    pub data: String,
    pub metadata: String,
    pub handle: String,
}

/// `POST /api/v1/payment/tokenize`: decrypts `{credit_card, billing_info}` and keeps only the
/// test-card outcome and the order's `payment_method` under a new token.
pub async fn tokenize(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenizeBody>,
) -> ApiResult<Json<Value>> {
    let plain = state
        .keys()
        .await?
        .decrypt_hybrid(&body.data, &body.metadata)
        .map_err(|r| r.api(Family::V1))?;
    let v = card_json(&plain)?;
    let card = CardData::from_json(&v);
    let billing = v
        .get("billing_info")
        .cloned()
        .and_then(|b| serde_json::from_value::<AddressInput>(b).ok());
    let token = opaque_handle();
    let mut world = state.world.lock();
    let outcome = check(&card, world.now().date_naive());
    world.payment_tokens.insert(
        token.clone(),
        TokenizedCard {
            handle: body.handle.trim().to_string(),
            outcome,
            payment_method: card.payment_method(),
            billing,
        },
    );
    Ok(Json(json!({ "token": token })))
}

#[derive(Debug, Deserialize)]
pub struct PaymentToken {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct CompleteWithToken {
    pub payment_token: PaymentToken,
    #[serde(default)]
    pub vault_token: Option<bool>,
}

/// `POST /api/v1/domains/{domain}/cart/complete-order {payment_token:{id}, vault_token}`: the
/// token must belong to this cart's payment handle.
pub async fn complete_with_token(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<CompleteWithToken>,
) -> ApiResult<Json<Value>> {
    let token = body.payment_token.id.trim().to_string();
    let out = complete(
        &state,
        &device.device_id,
        CartRef::Domain(&domain),
        None,
        |world, m, cart| {
            let t = world
                .payment_tokens
                .get(&token)
                .filter(|t| cart.payment_handle.as_deref() == Some(t.handle.as_str()))
                .ok_or_else(|| {
                    Rule::CheckoutError(
                        "Payment info or billing address invalid: unknown payment token for this cart."
                            .to_string(),
                    )
                })?;
            new_cards_accepted(m)?;
            t.outcome?;
            let billing = match &t.billing {
                Some(b) => Some(card_billing(Some(b))?),
                None => cart.shipping_info.clone(),
            };
            Ok(Payment {
                payment_method: t.payment_method.clone(),
                payment_type: "CreditCard",
                billing,
            })
        },
    )?;
    state.world.lock().payment_tokens.remove(&token);
    Ok(out)
}

#[derive(Debug, Deserialize)]
pub struct SavedPaymentBody {
    pub payment_id: String,
}

/// `POST /api/v1/domains/{domain}/cart/complete-order-with-saved-payment {payment_id}`: the id
/// must be a saved card in the cart's `payment_method_options` (merchant login or unlocked
/// wallet, C23).
pub async fn complete_with_saved_payment(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SavedPaymentBody>,
) -> ApiResult<Json<Value>> {
    complete(
        &state,
        &device.device_id,
        CartRef::Domain(&domain),
        None,
        |world, m, cart| {
            let total = price_cart(m, cart).total;
            let options = payment_method_options(&state, m, world, cart, total);
            let card = options
                .iter()
                .find(|o| o["id"] == body.payment_id.as_str())
                .ok_or_else(|| {
                    Rule::PaymentMethodNotAvailable(format!(
                        "Saved payment '{}' is not available for this cart.",
                        body.payment_id
                    ))
                })?;
            Ok(Payment {
                payment_method: json!({
                    "payment_type": "CreditCard",
                    "type": "CreditCard",
                    "id": card["id"],
                    "wallet": card["wallet"],
                    "last_four": card["last_four"],
                    "month": card["month"],
                    "year": card["year"],
                    "card_type": card["card_type"],
                }),
                payment_type: "CreditCard",
                billing: cart
                    .billing_info
                    .clone()
                    .or_else(|| cart.shipping_info.clone()),
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use futures_util::FutureExt;

    #[tokio::test]
    async fn the_key_route_waits_for_the_background_key_and_serves_a_valid_jwk() {
        let state = crate::new_state("http://127.0.0.1:9", crate::Profile::Demo).expect("state");
        let (tx, rx) = tokio::sync::oneshot::channel();
        *state.vault.write() = PaymentKey::from_channel(rx);
        let mut answer = Box::pin(payment_key(
            State(state.clone()),
            Query(KeyQuery::default()),
        ));
        assert!((&mut answer).now_or_never().is_none(), "waits for the key");
        let keys = crate::vault::keys::VaultKeys::generate().expect("keys");
        let kid = keys.kid.clone();
        assert!(tx.send(Ok(keys)).is_ok());
        let resp = answer.await;
        assert_eq!(resp.status(), 200);
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16)
            .await
            .expect("body");
        let jwk: Value = serde_json::from_slice(&body).expect("json");
        let members: Vec<&str> = jwk
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(members.len(), 5, "{jwk}");
        assert_eq!(
            (&jwk["kid"], &jwk["kty"], &jwk["use"]),
            (&json!(kid), &json!("RSA"), &json!("enc"))
        );
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let n = b64.decode(jwk["n"].as_str().expect("n")).expect("n");
        let e = b64.decode(jwk["e"].as_str().expect("e")).expect("e");
        assert_eq!((n.len(), e), (256, vec![1, 0, 1]));
        // A generation that failed answers Unexpected 500 instead of hanging.
        *state.vault.write() = PaymentKey::from_result(Err(std::io::Error::other("failed")));
        let resp = payment_key(State(state), Query(KeyQuery::default())).await;
        assert_eq!(resp.status(), 500);
    }
}
