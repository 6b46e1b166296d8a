//! The card vault: the RSA-2048 payment key (`002_599d5acdabf6b74d.txt:9101`, formats JWK, PEM,
//! RSA with the kid in `x-firmly-kid`), JWE card decryption for Complete Order v3
//! (`:8514`; `RSA-OAEP-256` or `RSA-OAEP` with `A256GCM`, ENDPOINTS.md §7 C20) and test-card
//! outcomes (CONTRACTS.md §3). Card numbers and security codes are never stored or logged:
//! only the brand, last four digits and expiry survive decryption.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::Datelike;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::address::{AddressInput, AddressUse, Family};
use crate::auth::Device;
use crate::checkout::CartRef;
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;

/// The process's payment key pair.
pub struct VaultKeys {
    pub kid: String,
    pub private: PKey<Private>,
    pub public_pem: String,
    pub public_pkcs1: String,
    pub n: String,
    pub e: String,
    oaep256: josekit::jwe::alg::rsaes::RsaesJweDecrypter,
    oaep: josekit::jwe::alg::rsaes::RsaesJweDecrypter,
}

impl VaultKeys {
    pub fn generate() -> std::io::Result<VaultKeys> {
        let io = |e: String| std::io::Error::other(e);
        let rsa = Rsa::generate(2048).map_err(|e| io(e.to_string()))?;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let n = b64.encode(rsa.n().to_vec());
        let e = b64.encode(rsa.e().to_vec());
        let public_pkcs1 = String::from_utf8(
            rsa.public_key_to_pem_pkcs1()
                .map_err(|e| io(e.to_string()))?,
        )
        .map_err(|e| io(e.to_string()))?;
        let private = PKey::from_rsa(rsa).map_err(|e| io(e.to_string()))?;
        let public_pem =
            String::from_utf8(private.public_key_to_pem().map_err(|e| io(e.to_string()))?)
                .map_err(|e| io(e.to_string()))?;
        let private_pem = private
            .private_key_to_pem_pkcs8()
            .map_err(|e| io(e.to_string()))?;
        let oaep256 = josekit::jwe::RSA_OAEP_256
            .decrypter_from_pem(&private_pem)
            .map_err(|e| io(e.to_string()))?;
        let oaep = josekit::jwe::RSA_OAEP
            .decrypter_from_pem(&private_pem)
            .map_err(|e| io(e.to_string()))?;
        Ok(VaultKeys {
            kid: uuid::Uuid::new_v4().simple().to_string(),
            private,
            public_pem,
            public_pkcs1,
            n,
            e,
            oaep256,
            oaep,
        })
    }

    pub fn jwk(&self) -> Value {
        json!({ "kid": self.kid, "kty": "RSA", "n": self.n, "e": self.e, "use": "enc" })
    }

    /// Decrypts a compact JWE; a foreign kid or a key mismatch is `InvalidKey 409`.
    pub fn decrypt_jwe(&self, jwe: &str) -> ApiResult<Vec<u8>> {
        let bad = |d: &str| ApiError::new(422, "InvalidInputBody", d.to_string());
        let parts: Vec<&str> = jwe.trim().split('.').collect();
        if parts.len() != 5 {
            return Err(bad("encrypted_card is not a compact JWE."));
        }
        let header_bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[0].trim_end_matches('='))
            .map_err(|_| bad("encrypted_card has an unreadable header."))?;
        let header: Value = serde_json::from_slice(&header_bytes)
            .map_err(|_| bad("encrypted_card has an unreadable header."))?;
        if let Some(kid) = header.get("kid").and_then(Value::as_str) {
            if kid != self.kid {
                return Err(invalid_key());
            }
        }
        let decrypter = match header.get("alg").and_then(Value::as_str) {
            Some("RSA-OAEP-256") => &self.oaep256,
            Some("RSA-OAEP") => &self.oaep,
            _ => return Err(bad("encrypted_card uses an unsupported alg.")),
        };
        let (payload, _) =
            josekit::jwe::deserialize_compact(jwe.trim(), decrypter).map_err(|_| invalid_key())?;
        Ok(payload)
    }
}

pub fn invalid_key() -> ApiError {
    ApiError::new(
        409,
        "InvalidKey",
        "The key used for encryption in this request does not exist or is no longer valid.",
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct KeyQuery {
    #[serde(default)]
    pub format: Option<String>,
}

/// `GET /api/v1/payment/key?format=JWK|PEM|RSA`.
pub async fn payment_key(State(state): State<AppState>, Query(q): Query<KeyQuery>) -> Response {
    let keys = state.keys();
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

/// `POST /__sandbox/rotate-key`: a new payment key; data encrypted for the old `kid` now
/// fails with `InvalidKey 409`, as after a live key rotation.
pub async fn rotate_key(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let keys = VaultKeys::generate()
        .map_err(|_| ApiError::new(500, "Unexpected", "Unexpected server error."))?;
    let kid = keys.kid.clone();
    *state.vault.write() = std::sync::Arc::new(keys);
    tracing::info!(%kid, "payment key rotated");
    Ok(Json(json!({ "kid": kid })))
}

/// Decrypted card details; only what an order may keep is public.
pub struct CardData {
    number: String,
    pub name: String,
    pub month: u32,
    pub year: i32,
    cvv: String,
}

impl Drop for CardData {
    /// The number and the security code do not outlive the request.
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.number.zeroize();
        self.cvv.zeroize();
    }
}

impl std::fmt::Debug for CardData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardData")
            .field("last_four", &self.last_four())
            .field("month", &self.month)
            .field("year", &self.year)
            .finish_non_exhaustive()
    }
}

fn str_or_num(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl CardData {
    /// Reads `{number, name, month, year, verification_value}` with ints or strings
    /// (ENDPOINTS.md §7 C21).
    pub fn from_json(v: &Value) -> ApiResult<CardData> {
        let bad = |d: &str| ApiError::new(422, "InvalidInputBody", d.to_string());
        let obj = v.get("credit_card").filter(|c| c.is_object()).unwrap_or(v);
        let number: String = str_or_num(obj.get("number"))
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let month = str_or_num(obj.get("month"));
        let year = str_or_num(obj.get("year"));
        if number.is_empty() {
            return Err(bad("The card number is missing."));
        }
        let month: u32 = month.parse().map_err(|_| {
            ApiError::new(
                422,
                "CreditCardInvalidExpiry",
                "Credit card expiry date is invalid",
            )
        })?;
        let mut year: i32 = year.parse().map_err(|_| {
            ApiError::new(
                422,
                "CreditCardInvalidExpiry",
                "Credit card expiry date is invalid",
            )
        })?;
        if year < 100 {
            year += 2000;
        }
        Ok(CardData {
            number,
            name: str_or_num(obj.get("name")),
            month,
            year,
            cvv: str_or_num(obj.get("verification_value").or_else(|| obj.get("cvv"))),
        })
    }

    pub fn last_four(&self) -> String {
        let digits: Vec<char> = self.number.chars().collect();
        digits[digits.len().saturating_sub(4)..].iter().collect()
    }

    pub fn brand(&self) -> &'static str {
        let n = &self.number;
        let p2: u32 = n.get(..2).and_then(|s| s.parse().ok()).unwrap_or(0);
        let p4: u32 = n.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
        if n.starts_with('4') {
            "visa"
        } else if p2 == 34 || p2 == 37 {
            "amex"
        } else if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
            "mastercard"
        } else if n.starts_with("6011") || n.starts_with("65") {
            "discover"
        } else {
            "unknown"
        }
    }

    /// Test-card outcomes of CONTRACTS.md §3; `today` is the sandbox date.
    pub fn check(&self, today: chrono::NaiveDate) -> ApiResult<()> {
        let e = |id: &str, d: &str| ApiError::new(422, id, d.to_string());
        if !self.number.chars().all(|c| c.is_ascii_digit())
            || !(12..=19).contains(&self.number.len())
            || !luhn(&self.number)
        {
            return Err(e(
                "CreditCardInvalidNumber",
                "Credit card number is invalid",
            ));
        }
        let expired = (self.year, self.month) < (today.year(), today.month());
        if !(1..=12).contains(&self.month) || expired || self.year > today.year() + 30 {
            return Err(e(
                "CreditCardInvalidExpiry",
                "Credit card expiry date is invalid",
            ));
        }
        let want = if self.brand() == "amex" { 4 } else { 3 };
        if self.cvv.len() != want || !self.cvv.chars().all(|c| c.is_ascii_digit()) {
            return Err(e(
                "CreditCardInvalidSecurityCode",
                "Credit card security code is invalid",
            ));
        }
        match self.number.as_str() {
            "4000000000000002" => Err(e("CreditCardDeclined", "Credit card declined")),
            "4000000000009995" => Err(e("CreditCardInsufficientFunds", "Insufficient funds")),
            _ => Ok(()),
        }
    }

    /// The order's `payment_method` (`002_599d5acdabf6b74d.txt:12888`).
    pub fn payment_method(&self) -> Value {
        json!({
            "payment_type": "CreditCard",
            "type": "CreditCard",
            "last_four": self.last_four(),
            "month": self.month,
            "year": self.year,
            "card_type": self.brand(),
            "card_holder_name": self.name,
        })
    }
}

pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// What `/api/v1/payment/tokenize` keeps until the token is used: the test-card outcome and
/// the order's `payment_method` (brand, last four, expiry) — never the number or the CVV.
pub struct TokenizedCard {
    pub handle: String,
    pub outcome: Result<(), ApiError>,
    pub payment_method: Value,
    pub billing: Option<AddressInput>,
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

/// `POST /api/v3/payment/complete-order`: decrypt, check the cart, charge the test card, place
/// the order.
pub async fn complete_order_v3(
    State(state): State<AppState>,
    device: Device,
    ApiJson(body): ApiJson<CompleteOrderV3>,
) -> ApiResult<Json<Value>> {
    let plain = state.keys().decrypt_jwe(&body.encrypted_card)?;
    let card_json: Value = serde_json::from_slice(&plain)
        .map_err(|_| ApiError::new(422, "InvalidInputBody", "The decrypted card is not JSON."))?;
    let card = CardData::from_json(&card_json)?;
    complete_with_card(
        &state,
        &device,
        &body.handle,
        body.billing_info.as_ref(),
        &card,
    )
}

/// Shared by v2, v3 and tokenized completion.
pub fn complete_with_card(
    state: &AppState,
    device: &Device,
    handle: &str,
    billing: Option<&AddressInput>,
    card: &CardData,
) -> ApiResult<Json<Value>> {
    let billing = billing
        .ok_or_else(|| {
            ApiError::new(
                412,
                "CheckoutError",
                "billing_info is required to pay by card.",
            )
        })?
        .validate(AddressUse::CardBilling, Family::V1)
        .map_err(|e| {
            ApiError::new(
                412,
                "CheckoutError",
                format!("Payment info or billing address invalid: {}", e.description),
            )
        })?;
    crate::checkout::complete(state, device, CartRef::Handle(handle), |world, cart| {
        if state.merchant(&cart.domain).is_some_and(|m| !m.card_entry) {
            return Err(ApiError::new(
                409,
                "PaymentMethodNotAvailable",
                "This merchant does not accept new cards; choose a saved card or PayPal.",
            ));
        }
        card.check(world.now().date_naive())?;
        Ok((
            card.payment_method(),
            "CreditCard".to_string(),
            Some(billing),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_cards() {
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("d");
        let c = |n: &str, m: u32, y: i32, cvv: &str| CardData {
            number: n.into(),
            name: "A".into(),
            month: m,
            year: y,
            cvv: cvv.into(),
        };
        assert!(c("4111111111111111", 8, 2030, "123").check(today).is_ok());
        assert_eq!(
            c("4111111111111112", 8, 2030, "123")
                .check(today)
                .expect_err("n")
                .error,
            "CreditCardInvalidNumber"
        );
        assert_eq!(
            c("4111111111111111", 10, 2026, "123")
                .check(today)
                .expect_err("x")
                .error,
            "CreditCardInvalidExpiry"
        );
        assert!(c("4111111111111111", 11, 2026, "123").check(today).is_ok());
        assert_eq!(
            c("378282246310005", 8, 2030, "123")
                .check(today)
                .expect_err("c")
                .error,
            "CreditCardInvalidSecurityCode"
        );
        assert!(c("378282246310005", 8, 2030, "1234").check(today).is_ok());
        assert_eq!(
            c("4000000000000002", 8, 2030, "123")
                .check(today)
                .expect_err("d")
                .error,
            "CreditCardDeclined"
        );
        assert_eq!(
            c("4000000000009995", 8, 2030, "123")
                .check(today)
                .expect_err("f")
                .error,
            "CreditCardInsufficientFunds"
        );
        let dbg = format!("{:?}", c("4111111111111111", 8, 2030, "123"));
        assert!(!dbg.contains("4111111111111111") && !dbg.contains("123\""));
    }
}

/// RSA-OAEP decryption with the given digest (also used for MGF1).
fn oaep_decrypt(key: &PKey<Private>, data: &[u8], md: &openssl::md::MdRef) -> Option<Vec<u8>> {
    let mut ctx = openssl::pkey_ctx::PkeyCtx::new(key).ok()?;
    ctx.decrypt_init().ok()?;
    ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1_OAEP)
        .ok()?;
    ctx.set_rsa_oaep_md(md).ok()?;
    ctx.set_rsa_mgf1_md(md).ok()?;
    let mut out = Vec::new();
    ctx.decrypt_to_vec(data, &mut out).ok()?;
    Some(out)
}

fn b64_tolerant(s: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(&s)
        .or_else(|_| URL_SAFE.decode(&s))
        .or_else(|_| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')))
        .ok()
}

impl VaultKeys {
    /// Decrypts one `kid|base64(RSA-OAEP(...))` field, trying OAEP with SHA-1 (what the
    /// documented sample produces) and then SHA-256 (what its comment says) — C20.
    pub fn decrypt_field(&self, field: &str) -> ApiResult<Vec<u8>> {
        let bad = || ApiError::new(422, "InvalidInputBody", "An encrypted field is malformed.");
        let (kid, data) = field.trim().split_once('|').ok_or_else(bad)?;
        if kid != self.kid {
            return Err(invalid_key());
        }
        let bytes = b64_tolerant(data).ok_or_else(bad)?;
        oaep_decrypt(&self.private, &bytes, openssl::md::Md::sha1())
            .or_else(|| oaep_decrypt(&self.private, &bytes, openssl::md::Md::sha256()))
            .ok_or_else(invalid_key)
    }
}

#[derive(Debug, Deserialize)]
pub struct EncryptedCardFields {
    pub number: String,
    #[serde(default)]
    pub name: Option<String>,
    pub month: String,
    pub year: String,
    pub verification_value: String,
}

#[derive(Debug, Deserialize)]
pub struct CompleteOrderV2 {
    pub handle: String,
    #[serde(default)]
    pub billing_info: Option<AddressInput>,
    pub credit_card: EncryptedCardFields,
}

/// `POST /api/v2/payment/complete-order`: per-field RSA-OAEP (`002_599d5acdabf6b74d.txt:8186`).
pub async fn complete_order_v2(
    State(state): State<AppState>,
    device: Device,
    ApiJson(body): ApiJson<CompleteOrderV2>,
) -> ApiResult<Json<Value>> {
    let keys = state.keys();
    let field = |f: &str| -> ApiResult<String> {
        let raw = keys.decrypt_field(f)?;
        String::from_utf8(raw)
            .map_err(|_| ApiError::new(422, "InvalidInputBody", "A card field is not text."))
    };
    let c = &body.credit_card;
    let name = match &c.name {
        Some(n) if !n.is_empty() => field(n)?,
        _ => String::new(),
    };
    let card = CardData::from_json(&json!({
        "number": field(&c.number)?,
        "name": name,
        "month": field(&c.month)?,
        "year": field(&c.year)?,
        "verification_value": field(&c.verification_value)?,
    }))?;
    complete_with_card(
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

/// `POST /api/v1/payment/tokenize` (`002_599d5acdabf6b74d.txt:11158`): `metadata` carries
/// `kid|base64(RSA-OAEP(aesKey ‖ iv ‖ tag))`, `data` the AES-256-GCM ciphertext of
/// `{credit_card, billing_info}`. IVs of 12 or 16 bytes are accepted (C20).
pub async fn tokenize(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenizeBody>,
) -> ApiResult<Json<Value>> {
    let bad = |d: &str| ApiError::new(422, "InvalidInputBody", d.to_string());
    let meta = state.keys().decrypt_field(&body.metadata)?;
    let (key, rest) = meta
        .split_at_checked(32)
        .ok_or_else(|| bad("metadata is too short."))?;
    if rest.len() != 32 && rest.len() != 28 {
        return Err(bad("metadata must hold key, iv and tag."));
    }
    let (iv, tag) = rest.split_at(rest.len() - 16);
    let data = b64_tolerant(&body.data).ok_or_else(|| bad("data is not base64."))?;
    let plain = openssl::symm::decrypt_aead(
        openssl::symm::Cipher::aes_256_gcm(),
        key,
        Some(iv),
        &[],
        &data,
        tag,
    )
    .map_err(|_| bad("data could not be decrypted."))?;
    let v: Value =
        serde_json::from_slice(&plain).map_err(|_| bad("decrypted data is not JSON."))?;
    let card = CardData::from_json(&v)?;
    let billing = v
        .get("billing_info")
        .cloned()
        .and_then(|b| serde_json::from_value::<AddressInput>(b).ok());
    let token = crate::cart_v2::new_payment_handle();
    let mut world = state.world.lock();
    let outcome = card.check(world.now().date_naive());
    world.payment_tokens.insert(
        token.clone(),
        TokenizedCard {
            handle: body.handle.trim().to_string(),
            outcome,
            payment_method: card.payment_method(),
            billing,
        },
    );
    drop(world);
    drop(card);
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

/// `POST /api/v1/domains/{domain}/cart/complete-order {payment_token:{id}, vault_token}`
/// (`002_599d5acdabf6b74d.txt:11178`). The token must belong to this cart's payment handle.
pub async fn complete_with_token(
    State(state): State<AppState>,
    device: Device,
    axum::extract::Path(domain): axum::extract::Path<String>,
    ApiJson(body): ApiJson<CompleteWithToken>,
) -> ApiResult<Json<Value>> {
    let token = body.payment_token.id.trim().to_string();
    crate::checkout::complete_rendered(
        &state,
        &device,
        CartRef::Domain(&domain),
        crate::checkout::render_order_v1,
        |world, cart| {
            let t = world
                .payment_tokens
                .get(&token)
                .filter(|t| cart.payment_handle.as_deref() == Some(t.handle.as_str()))
                .ok_or_else(|| {
                    ApiError::new(
                        412,
                        "CheckoutError",
                        "Payment info or billing address invalid: unknown payment token for this cart.",
                    )
                })?;
            if state.merchant(&cart.domain).is_some_and(|m| !m.card_entry) {
                return Err(ApiError::new(
                    409,
                    "PaymentMethodNotAvailable",
                    "This merchant does not accept new cards; choose a saved card or PayPal.",
                ));
            }
            t.outcome.clone()?;
            let billing = match &t.billing {
                Some(b) => Some(b.validate(AddressUse::CardBilling, Family::V1).map_err(|e| {
                    ApiError::new(
                        412,
                        "CheckoutError",
                        format!("Payment info or billing address invalid: {}", e.description),
                    )
                })?),
                None => cart.shipping_info.clone(),
            };
            Ok((t.payment_method.clone(), "CreditCard".to_string(), billing))
        },
    )
    .inspect(|_| {
        state.world.lock().payment_tokens.remove(&token);
    })
}

#[derive(Debug, Deserialize)]
pub struct SavedPaymentBody {
    pub payment_id: String,
}

/// `POST /api/v1/domains/{domain}/cart/complete-order-with-saved-payment {payment_id}`
/// (`002_599d5acdabf6b74d.txt:8902`): the id must be a saved card in the cart's
/// `payment_method_options` (merchant login or unlocked wallet, C23).
pub async fn complete_with_saved_payment(
    State(state): State<AppState>,
    device: Device,
    axum::extract::Path(domain): axum::extract::Path<String>,
    ApiJson(body): ApiJson<SavedPaymentBody>,
) -> ApiResult<Json<Value>> {
    crate::checkout::complete_rendered(
        &state,
        &device,
        CartRef::Domain(&domain),
        crate::checkout::render_order_v1,
        |world, cart| {
            let m = state
                .merchant(&cart.domain)
                .ok_or_else(|| crate::cart_v2::domain_not_found(&cart.domain))?;
            let total = crate::pricing::price_cart(m, cart).total;
            let options = crate::cart_v2::payment_method_options(&state, m, world, cart, total);
            let card = options
                .iter()
                .find(|o| o["id"] == body.payment_id.as_str())
                .ok_or_else(|| {
                    ApiError::new(
                        409,
                        "PaymentMethodNotAvailable",
                        format!(
                            "Saved payment '{}' is not available for this cart.",
                            body.payment_id
                        ),
                    )
                })?;
            let pm = json!({
                "payment_type": "CreditCard",
                "type": "CreditCard",
                "id": card["id"],
                "wallet": card["wallet"],
                "last_four": card["last_four"],
                "month": card["month"],
                "year": card["year"],
                "card_type": card["card_type"],
            });
            let billing = cart
                .billing_info
                .clone()
                .or_else(|| cart.shipping_info.clone());
            Ok((pm, "CreditCard".to_string(), billing))
        },
    )
}
