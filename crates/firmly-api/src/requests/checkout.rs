//! Request builders for PayPal, payment, sessions, OTP login, v1 shipping, wallets and
//! merchant health (ENDPOINTS.md §1 rows #27–#50).

use super::{address_body, seg, to_value, v1_cart, Host, KeyFormat, Method, RequestSpec};
use crate::crypto::{EncryptedCardFields, TokenizePayload};
use crate::models::address::Address;
use serde_json::{json, Value};

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

/// #32 complete order with a JWE-encrypted card ("recommended", ENDPOINTS.md §4.3).
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

/// #34 tokenize a hybrid-encrypted card (integration example only, ENDPOINTS.md §4.4). The
/// example's curl sends no device token, so none goes (the `handle` binds it to the cart).
pub fn tokenize(payload: &TokenizePayload, handle: &str) -> RequestSpec {
    RequestSpec::new(Method::Post, Host::Vault, "/api/v1/payment/tokenize".into())
        .no_auth()
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

/// #36 session transfer v1: `{handle, cookies?}` (handle may be ""; `cookies` only when
/// there are some, as in v2).
pub fn session_transfer_v1(domain: &str, handle: &str, cookies: &[String]) -> RequestSpec {
    let mut body = json!({ "handle": handle });
    if let (false, Some(obj)) = (cookies.is_empty(), body.as_object_mut()) {
        obj.insert("cookies".into(), json!(cookies));
    }
    RequestSpec::api(
        Method::Post,
        format!("/api/v1/domains/{}/session/transfer", seg(domain)),
    )
    .body(body)
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

/// #46 shipping info v1 (auto-selects the cheapest method, issues `payment_handle`): the
/// payload table's keys only.
pub fn v1_set_shipping_info(domain: &str, info: &Address) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/shipping-info")).body(address_body(info))
}

/// #47 choose a v1 shipping method by its `sku`.
pub fn v1_set_shipping_method(domain: &str, shipping_method: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/shipping-method"))
        .body(json!({ "shipping_method": shipping_method }))
}

// ---- #48-#50 wallet, health -----------------------------------------------------------------

/// #48 start unlocking a wallet (e.g. `shoppay`); `hcaptcha_token` "may be required for
/// some wallets" and goes only when given.
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

/// #49 finish unlocking with the OTP; body per the sample `{otp, access_token}` (C24). Its
/// answer sets the cookies later cart calls need: they are kept (ENDPOINTS.md §2.8).
pub fn wallet_unlock_complete(wallet: &str, access_token: &str, otp: &str) -> RequestSpec {
    wallet_unlock_complete_with(wallet, access_token, otp, None, None)
}

/// #49 with the parameter table's `email` and `hcaptcha_token` ("may be required for some
/// wallets") when given.
pub fn wallet_unlock_complete_with(
    wallet: &str,
    access_token: &str,
    otp: &str,
    email: Option<&str>,
    hcaptcha_token: Option<&str>,
) -> RequestSpec {
    let mut body = json!({ "otp": otp, "access_token": access_token });
    if let Some(obj) = body.as_object_mut() {
        if let Some(e) = email {
            obj.insert("email".into(), Value::String(e.to_string()));
        }
        if let Some(t) = hcaptcha_token {
            obj.insert("hcaptcha_token".into(), Value::String(t.to_string()));
        }
    }
    RequestSpec::api(
        Method::Post,
        format!("/api/v1/wallets/{}/unlock-complete", seg(wallet)),
    )
    .body(body)
    .login()
    .keep_cookies()
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
