//! Device session, consents, wallets, OTP, active carts, payment key and other small
//! response/request bodies of the checkout API.

use crate::models::address::Address;
use crate::models::cart::CartV2;
use crate::models::payment::PaymentMethodOption;
use crate::serde_util::{
    bool_lenient, i64_lenient, null_vec, opt_string, string_lenient, string_list,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Response of `POST /api/v1/browser-session` (ENDPOINTS.md §2.6).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrowserSession {
    #[serde(deserialize_with = "bool_lenient")]
    pub device_created: bool,
    #[serde(deserialize_with = "string_lenient")]
    pub access_token: String,
    #[serde(deserialize_with = "i64_lenient")]
    pub expires_in: i64,
    /// Epoch seconds.
    #[serde(deserialize_with = "i64_lenient")]
    pub expires: i64,
    #[serde(deserialize_with = "string_lenient")]
    pub device_id: String,
}

impl std::fmt::Debug for BrowserSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserSession")
            .field("device_created", &self.device_created)
            .field("access_token", &crate::redact::Redacted(&self.access_token))
            .field("expires_in", &self.expires_in)
            .field("expires", &self.expires)
            .field("device_id", &self.device_id)
            .finish()
    }
}

/// A consent the shopper may grant (ENDPOINTS.md §2.7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Consent {
    #[serde(deserialize_with = "string_lenient")]
    pub id: String,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ui_slot: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<String>,
    #[serde(
        rename = "type",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub r#type: Option<String>,
    #[serde(deserialize_with = "bool_lenient")]
    pub explicit: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub rich_text: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub required: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub revokable: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub signed: bool,
}

/// One entry of the Set Consents body (ENDPOINTS.md §1 #26); omitted revoke = grant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChange {
    pub id: String,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub revoke: bool,
}

/// The card-vault public key as JWK (ENDPOINTS.md §1 #30).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentKey {
    pub kid: String,
    /// The JWK as received (`{kid, kty, n, e, use}`); a PEM key is kept as `{"pem": "..."}`.
    pub jwk: Value,
}

impl PaymentKey {
    /// Builds the key from the JWK response body; `kid` is read from the JWK.
    pub fn from_jwk(jwk: Value) -> crate::Result<PaymentKey> {
        let kid = jwk
            .get("kid")
            .and_then(crate::serde_util::value_to_string)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| crate::ApiError::decode("kid", "payment key JWK has no `kid`"))?;
        Ok(PaymentKey { kid, jwk })
    }

    /// PEM text when the key was built from PEM.
    pub fn pem(&self) -> Option<&str> {
        self.jwk.get("pem").and_then(Value::as_str)
    }
}

/// Where a one-time password was sent (ENDPOINTS.md §2.8); phones are masked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OtpDestination {
    #[serde(deserialize_with = "string_list")]
    pub emails: Vec<String>,
    #[serde(deserialize_with = "string_list")]
    pub phones: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct OtpResponse {
    pub otp_destination: OtpDestination,
}

/// Active carts of the device (ENDPOINTS.md §1 #39, v1 ENDPOINTS.md §1 #38).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActiveCarts {
    #[serde(deserialize_with = "string_list")]
    pub domains: Vec<String>,
    #[serde(deserialize_with = "null_vec")]
    pub carts: Vec<CartV2>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ActiveDomains {
    #[serde(deserialize_with = "string_list")]
    pub domains: Vec<String>,
}

/// Response of wallet unlock-start (ENDPOINTS.md §7 C1).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WalletUnlockStart {
    #[serde(deserialize_with = "string_lenient")]
    pub access_token: String,
    pub otp_destination: OtpDestination,
}

impl std::fmt::Debug for WalletUnlockStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletUnlockStart")
            .field("access_token", &crate::redact::Redacted(&self.access_token))
            .field("otp_destination", &self.otp_destination)
            .finish()
    }
}

/// Response of wallet unlock-complete (ENDPOINTS.md §7 C24).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WalletUnlockComplete {
    #[serde(deserialize_with = "string_lenient")]
    pub access_token: String,
    #[serde(deserialize_with = "null_vec")]
    pub payment_method_options: Vec<PaymentMethodOption>,
    #[serde(deserialize_with = "null_vec")]
    pub shipping_info_options: Vec<Address>,
}

impl std::fmt::Debug for WalletUnlockComplete {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletUnlockComplete")
            .field("access_token", &crate::redact::Redacted(&self.access_token))
            .field("payment_method_options", &self.payment_method_options)
            .field("shipping_info_options", &self.shipping_info_options)
            .finish()
    }
}

/// Merchant health (ENDPOINTS.md §2.11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthStatus {
    #[serde(deserialize_with = "string_lenient")]
    pub status: String,
}

/// Response of `POST {vault}/api/v1/payment/tokenize` (ENDPOINTS.md §1 #34).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenizeResponse {
    #[serde(deserialize_with = "string_lenient")]
    pub token: String,
}

impl std::fmt::Debug for TokenizeResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenizeResponse")
            .field("token", &crate::redact::Redacted(&self.token))
            .finish()
    }
}

/// Cart attribution (ENDPOINTS.md §1 #9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attribution {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub utm: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub referrer_url: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub referral_code: Option<String>,
    #[serde(skip_serializing)]
    pub immutable: Option<bool>,
}
