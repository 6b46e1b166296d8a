//! The one normalized error type that crosses every boundary (client → service → IPC).
//!
//! `code` is the Firmly identifier exactly as the server sent it (`CreditCardDeclined`,
//! `ErrorNotEnoughStock`, …) or an app code (`Network`, `Timeout`, `Decode`, `Validation`,
//! `OrderOutcomeUnknown`, `Internal`). Server ids are spelled inconsistently between v1
//! and v2 routes (ENDPOINTS.md §7 C4), so behaviour branches on [`ApiError::canonical_code`]
//! (§6.3 rule), never on the HTTP status alone (§7 C3).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Crate-wide result alias.
pub type Result<T> = std::result::Result<T, ApiError>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    pub retryable: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request_id: Option<String>,
}

/// Canonical spellings from the normalized error table (`002_599d5acdabf6b74d.txt:11966`),
/// used so `InvalidOTP` and `InvalidOtp` both canonicalize to the table's `InvalidOtp`.
const CANONICAL_SPELLINGS: &[&str] = &[
    "InvalidOtp",
    "InvalidJWTToken",
    "InvalidAPIToken",
    "InvalidDeviceIssuedJWT",
    "InvalidOTPType",
    "InvalidAppId",
    "MissingAppId",
];

/// Auth-class ids (§6.3): renew the device token once and replay.
const AUTH_CODES: &[&str] = &[
    "MissingAuthHeader",
    "InvalidToken",
    "InvalidJWTToken",
    "InvalidDeviceIssuedJWT",
    "SessionTokenExpired",
    "Unauthorized",
    "UnregisteredDevice",
];

/// Server ids that mean "try again later" (§6.3 retryable class).
const RETRYABLE_CODES: &[&str] = &[
    "StoreUnavailable",
    "ServiceUnavailable",
    "AvailabilityUnavailable",
    "PleaseTryAgainLater",
    "TooManyRetries",
];

/// How the app should react to an error (ENDPOINTS.md §6.3 suggested classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorClass {
    /// Device token missing/expired/rejected: renew and replay (the client does this once).
    Auth,
    /// Temporary: try again later (or refresh the cart first for `MissingTaxSync`).
    Retryable,
    /// The shopper can fix the input (address, card, promo code, OTP).
    UserFixable,
    /// A step is missing or the merchant needs something first: route the UI.
    Flow,
    /// The merchant or product is not supported: fall back to the merchant's own site.
    Fallback,
    /// Transport failure or unknown outcome; for orders, reconcile before anything else.
    Transport,
    /// Everything else (bugs, decode errors, unmapped ids).
    Other,
}

const USER_FIXABLE_CODES: &[&str] = &[
    "InvalidShippingInfo",
    "InvalidState",
    "InvalidEmail",
    "InvalidPhoneNumber",
    "CountryNotSupported",
    "InvalidPromoCode",
    "PromoNotAvailable",
    "InvalidOtp",
    "MultipleDiscountCodesNotSupported",
    "InvalidQuantity",
    "NotEnoughStock",
    "ExceedMaxQtyCart",
    "InvalidDate",
    "InvalidShippingMethod",
    "Validation",
];

const FLOW_CODES: &[&str] = &[
    "UserMustLogin",
    "CartAlreadyLoggedIn",
    "MissingShippingInfo",
    "MissingShippingMethod",
    "MissingEmail",
    "MissingEmailAddressOnCheckout",
    "NoLineItem",
    "ShippingNotNeeded",
    "CartNotFound",
];

const FALLBACK_CODES: &[&str] = &[
    "NotImplemented",
    "OperationNotSupported",
    "ShopNotFound",
    "DomainNotFound",
    "GatewayNotFound",
    "PaymentMethodNotAvailable",
    "PartnerNotFound",
    "InvalidUrl",
];

/// Strip one leading `Error` and one trailing `Error` (§6.3); `InventoryError` is the
/// prose name of the stock error (`002_599d5acdabf6b74d.txt:10`).
pub fn canonicalize(code: &str) -> String {
    let mut s = code.trim();
    if s.len() > 5 && s[..5].eq_ignore_ascii_case("error") {
        s = &s[5..];
    }
    if s.len() > 5 && s[s.len() - 5..].eq_ignore_ascii_case("error") {
        s = &s[..s.len() - 5];
    }
    if s.eq_ignore_ascii_case("Inventory") {
        return "NotEnoughStock".to_string();
    }
    CANONICAL_SPELLINGS
        .iter()
        .find(|c| c.eq_ignore_ascii_case(s))
        .map(|c| c.to_string())
        .unwrap_or_else(|| s.to_string())
}

fn status_fallback_code(status: u16) -> String {
    match status {
        400 => "BadRequest".into(),
        401 => "Unauthorized".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        405 => "MethodNotAllowed".into(),
        409 => "Conflict".into(),
        412 => "PreconditionError".into(),
        422 => "UnprocessableEntity".into(),
        429 => "TooManyRequests".into(),
        500 => "Unexpected".into(),
        501 => "NotImplemented".into(),
        502 => "BadGateway".into(),
        503 => "ServiceUnavailable".into(),
        504 => "GatewayTimeout".into(),
        other => format!("Http{other}"),
    }
}

impl ApiError {
    fn app(code: &str, message: impl Into<String>, retryable: bool) -> ApiError {
        ApiError {
            code: code.to_string(),
            message: message.into(),
            status: None,
            description: None,
            retryable,
            request_id: None,
        }
    }

    /// The request did not reach the server or the connection dropped.
    pub fn network(msg: impl Into<String>) -> ApiError {
        ApiError::app("Network", msg, true)
    }

    /// No response within the configured timeout.
    pub fn timeout(msg: impl Into<String>) -> ApiError {
        ApiError::app("Timeout", msg, true)
    }

    /// A response did not match the expected shape; `path` is the JSON path that failed.
    pub fn decode(path: impl AsRef<str>, msg: impl AsRef<str>) -> ApiError {
        let path = path.as_ref();
        let path = if path.is_empty() { "." } else { path };
        ApiError::app(
            "Decode",
            format!(
                "could not decode the response at `{path}`: {}",
                msg.as_ref()
            ),
            false,
        )
    }

    /// Input rejected before any request was sent.
    pub fn validation(msg: impl Into<String>) -> ApiError {
        ApiError::app("Validation", msg, false)
    }

    /// A complete-order call whose result is unknown: it may still land, never retry blindly.
    pub fn outcome_unknown(msg: impl Into<String>) -> ApiError {
        ApiError::app("OrderOutcomeUnknown", msg, false)
    }

    /// A bug or an impossible state on our side.
    pub fn internal(msg: impl Into<String>) -> ApiError {
        ApiError::app("Internal", msg, false)
    }

    /// Builds the error from an HTTP error response. Accepts the union of both documented
    /// envelopes (§6.1): `{code: <status>, error, description}` (`002_599d5acdabf6b74d.txt:11937`)
    /// and `{error, message, details}` (`002_599d5acdabf6b74d.txt:4495`).
    pub fn from_response(status: u16, body: &[u8], request_id: Option<String>) -> ApiError {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let obj = parsed.as_ref().and_then(Value::as_object);
        let text = |k: &str| -> Option<String> {
            obj.and_then(|o| o.get(k))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        // `code` is normally the HTTP status number; a string there is an identifier.
        let code = text("error")
            .or_else(|| text("code"))
            .or_else(|| text("error_code"))
            .unwrap_or_else(|| status_fallback_code(status));
        let description = text("description").or_else(|| text("message"));
        let canonical = canonicalize(&code);
        let retryable = status >= 500
            || RETRYABLE_CODES
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&canonical));
        let message = description
            .clone()
            .unwrap_or_else(|| format!("The server answered {code} (HTTP {status})."));
        ApiError {
            code,
            message,
            status: Some(status),
            description,
            retryable,
            request_id,
        }
    }

    pub fn with_request_id(mut self, request_id: Option<String>) -> ApiError {
        if request_id.is_some() {
            self.request_id = request_id;
        }
        self
    }

    /// The id with v1/v2 spelling differences removed (§6.3), e.g. `NotEnoughStock`.
    pub fn canonical_code(&self) -> String {
        canonicalize(&self.code)
    }

    /// Case-insensitive comparison of canonical ids: `is("NotEnoughStockError")` is true
    /// for `ErrorNotEnoughStock`, `NotEnoughStockError` and `InventoryError`.
    pub fn is(&self, canonical: &str) -> bool {
        self.canonical_code()
            .eq_ignore_ascii_case(&canonicalize(canonical))
    }

    /// Errors meaning the device token is missing, expired or rejected.
    pub fn is_auth(&self) -> bool {
        self.status.is_some() && AUTH_CODES.iter().any(|c| self.is(c))
    }

    /// The §6.3 class of this error.
    pub fn class(&self) -> ErrorClass {
        let canon = self.canonical_code();
        let in_list = |list: &[&str]| list.iter().any(|c| c.eq_ignore_ascii_case(&canon));
        if self.is_transport() || self.code == "OrderOutcomeUnknown" {
            ErrorClass::Transport
        } else if self.is_auth() {
            ErrorClass::Auth
        } else if self.retryable || canon.eq_ignore_ascii_case("MissingTaxSync") {
            ErrorClass::Retryable
        } else if self.is_card_error() || in_list(USER_FIXABLE_CODES) {
            ErrorClass::UserFixable
        } else if in_list(FLOW_CODES) {
            ErrorClass::Flow
        } else if in_list(FALLBACK_CODES) || canon.to_ascii_lowercase().ends_with("notimplemented")
        {
            ErrorClass::Fallback
        } else {
            ErrorClass::Other
        }
    }

    /// Any `CreditCard*` id: the shopper can fix the card and try again.
    pub fn is_card_error(&self) -> bool {
        self.canonical_code()
            .to_ascii_lowercase()
            .starts_with("creditcard")
    }

    /// Transport-level failures where the server may or may not have processed the request.
    pub fn is_transport(&self) -> bool {
        self.code == "Network" || self.code == "Timeout"
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_pinned() {
        let e = ApiError::from_response(
            422,
            br#"{"code":422,"error":"CreditCardDeclined","description":"Credit card declined"}"#,
            Some("8f2a1b3c4d5e6f70-SBX".into()),
        );
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"CreditCardDeclined","message":"Credit card declined","status":422,"description":"Credit card declined","retryable":false,"request_id":"8f2a1b3c4d5e6f70-SBX"}"#
        );
        assert_eq!(
            serde_json::to_string(&ApiError::network("connection refused")).unwrap(),
            r#"{"code":"Network","message":"connection refused","retryable":true}"#
        );
        assert_eq!(
            serde_json::to_string(&ApiError::decode("line_items[0].quantity", "invalid type"))
                .unwrap(),
            r#"{"code":"Decode","message":"could not decode the response at `line_items[0].quantity`: invalid type","retryable":false}"#
        );
        assert_eq!(
            serde_json::to_string(&ApiError::outcome_unknown("timed out")).unwrap(),
            r#"{"code":"OrderOutcomeUnknown","message":"timed out","retryable":false}"#
        );
        let back: ApiError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn v2_envelope_and_garbage_bodies() {
        let e = ApiError::from_response(
            400,
            br#"{"error":"ErrorInvalidFulfillmentType","message":"Not allowed","details":{"provided":"X"}}"#,
            None,
        );
        assert_eq!(e.code, "ErrorInvalidFulfillmentType");
        assert_eq!(e.description.as_deref(), Some("Not allowed"));
        assert!(e.is("InvalidFulfillmentType"));
        let e = ApiError::from_response(502, b"<html>bad gateway</html>", None);
        assert_eq!(e.code, "BadGateway");
        assert!(e.retryable);
        assert_eq!(e.description, None);
        let e = ApiError::from_response(503, br#"{"code":503,"error":"StoreUnavailable"}"#, None);
        assert!(e.retryable);
        let e =
            ApiError::from_response(409, br#"{"code":409,"error":"PleaseTryAgainLater"}"#, None);
        assert!(e.retryable);
        let e = ApiError::from_response(
            422,
            br#"{"code":422,"error":"ErrorStoreUnavailable"}"#,
            None,
        );
        assert!(e.retryable, "classified by id, not status");
        let e =
            ApiError::from_response(409, br#"{"code":409,"error":"NotEnoughStockError"}"#, None);
        assert!(!e.retryable);
    }

    #[test]
    fn canonical_code_table() {
        let table = [
            ("ErrorNotEnoughStock", "NotEnoughStock"),
            ("NotEnoughStockError", "NotEnoughStock"),
            ("NotEnoughStock", "NotEnoughStock"),
            ("InventoryError", "NotEnoughStock"),
            ("NoLineItemError", "NoLineItem"),
            ("ErrorNoLineItem", "NoLineItem"),
            ("InvalidOTP", "InvalidOtp"),
            ("InvalidOtp", "InvalidOtp"),
            ("ErrorInvalidAppId", "InvalidAppId"),
            ("ErrorMissingAppId", "MissingAppId"),
            ("ErrorStoreUnavailable", "StoreUnavailable"),
            ("CheckoutError", "Checkout"),
            ("CreditCardDeclined", "CreditCardDeclined"),
            ("errorCartNotFound", "CartNotFound"),
            ("Error", "Error"),
        ];
        for (input, want) in table {
            assert_eq!(canonicalize(input), want, "{input}");
        }
        let e =
            ApiError::from_response(422, br#"{"code":422,"error":"ErrorNotEnoughStock"}"#, None);
        assert_eq!(e.code, "ErrorNotEnoughStock", "code preserved as sent");
        assert!(e.is("NotEnoughStockError"));
        assert!(e.is("notenoughstock"));
        assert!(!e.is("NoLineItem"));
    }

    #[test]
    fn auth_class() {
        for (status, id) in [
            (400, "MissingAuthHeader"),
            (401, "MissingAuthHeader"),
            (400, "InvalidToken"),
            (401, "InvalidJWTToken"),
            (401, "InvalidDeviceIssuedJWT"),
            (401, "SessionTokenExpired"),
            (404, "UnregisteredDevice"),
        ] {
            let body = format!(r#"{{"code":{status},"error":"{id}"}}"#);
            assert!(
                ApiError::from_response(status, body.as_bytes(), None).is_auth(),
                "{id}"
            );
        }
        assert!(
            !ApiError::from_response(401, br#"{"code":401,"error":"InvalidOtp"}"#, None).is_auth()
        );
        assert!(!ApiError::network("x").is_auth());
    }

    #[test]
    fn class_table() {
        let class = |status: u16, id: &str| {
            let body = format!(r#"{{"code":{status},"error":"{id}"}}"#);
            ApiError::from_response(status, body.as_bytes(), None).class()
        };
        assert_eq!(class(401, "InvalidJWTToken"), ErrorClass::Auth);
        assert_eq!(class(503, "StoreUnavailable"), ErrorClass::Retryable);
        assert_eq!(class(412, "MissingTaxSync"), ErrorClass::Retryable);
        assert_eq!(class(422, "CreditCardDeclined"), ErrorClass::UserFixable);
        assert_eq!(class(400, "ErrorInvalidEmail"), ErrorClass::UserFixable);
        assert_eq!(class(422, "ErrorNotEnoughStock"), ErrorClass::UserFixable);
        assert_eq!(class(409, "UserMustLogin"), ErrorClass::Flow);
        assert_eq!(class(412, "NoLineItemError"), ErrorClass::Flow);
        assert_eq!(class(404, "ProductUrlNotImplemented"), ErrorClass::Fallback);
        assert_eq!(class(404, "ShopNotFound"), ErrorClass::Fallback);
        assert_eq!(class(500, "Unexpected"), ErrorClass::Retryable);
        assert_eq!(class(418, "Teapot"), ErrorClass::Other);
        assert_eq!(ApiError::timeout("t").class(), ErrorClass::Transport);
        assert_eq!(
            ApiError::outcome_unknown("t").class(),
            ErrorClass::Transport
        );
        assert_eq!(ApiError::validation("v").class(), ErrorClass::UserFixable);
        assert_eq!(ApiError::decode("a", "b").class(), ErrorClass::Other);
    }

    #[test]
    fn display_has_code_and_request_id() {
        let e = ApiError::from_response(
            404,
            br#"{"code":404,"error":"CartNotFound","description":"Cart was not found."}"#,
            Some("abc".into()),
        );
        assert_eq!(
            e.to_string(),
            "CartNotFound: Cart was not found. (HTTP 404) [request abc]"
        );
    }
}
