//! The one normalized error type that crosses every boundary (client → service → IPC → UI).
//!
//! `code` is a typed [`ErrorCode`]: the Firmly identifier in its canonical spelling (the
//! docs spell the same id differently on v1 and v2 routes, ENDPOINTS.md §7 C4, so
//! `ErrorNotEnoughStock`, `NotEnoughStockError` and `InventoryError` are all
//! [`ErrorCode::NotEnoughStock`], §6.3 rule) or one of the app's own codes (`Network`,
//! `Timeout`, `Decode`, `Validation`, `OrderOutcomeUnknown` …). The identifier exactly as
//! the server sent it stays in `raw_code`. Behaviour branches on [`ErrorCode::class`],
//! never on the HTTP status alone (§7 C3).

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod codes;
mod details;
mod field;
pub use codes::{canonicalize, ErrorClass, ErrorCode};
pub use details::ErrorDetails;
pub use field::Field;

/// Crate-wide result alias.
pub type Result<T> = std::result::Result<T, ApiError>;

/// The IPC error: `{code, raw_code?, message, field?, status?, description?, retryable,
/// request_id?, details?}` (ARCHITECTURE.md contract 1, pinned by `json_shape_is_pinned`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApiError {
    pub code: ErrorCode,
    /// The identifier exactly as the server sent it (`ErrorNotEnoughStock`), if it did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub raw_code: Option<String>,
    pub message: String,
    /// The input field the error is about (`number`, `cvv`, `email`, `promo` …), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<u16>,
    /// The merchant's own text, when the API gave one (show it as it came).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    pub retryable: bool,
    /// The `CF-RAY` header of the response, for support.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request_id: Option<String>,
    /// The v2 error's `details` (`{provided, allowed}`, `{shipment_id}`, `{location_id}`,
    /// ENDPOINTS.md §6.1), redaction-safe (error/details.rs).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Boxed: most errors have none, and `ApiError` travels by value everywhere.
    pub details: Option<Box<ErrorDetails>>,
}

fn status_fallback_code(status: u16) -> ErrorCode {
    match status {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        412 => ErrorCode::Precondition,
        422 => ErrorCode::UnprocessableEntity,
        429 => ErrorCode::TooManyRequests,
        500 => ErrorCode::Unexpected,
        501 => ErrorCode::NotImplemented,
        502 => ErrorCode::BadGateway,
        503 => ErrorCode::ServiceUnavailable,
        504 => ErrorCode::GatewayTimeout,
        _ => ErrorCode::Unmapped,
    }
}

/// Longest merchant text kept from an error body (bodies are untrusted).
const MAX_DESCRIPTION_CHARS: usize = 2000;

fn clip(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

impl ApiError {
    /// An error of the app's own (no HTTP exchange behind it).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            raw_code: None,
            message: message.into(),
            field: None,
            status: None,
            description: None,
            retryable: matches!(
                code,
                ErrorCode::Network | ErrorCode::Timeout | ErrorCode::Unreachable
            ) || code.class() == ErrorClass::Retryable,
            request_id: None,
            details: None,
        }
    }

    /// The connection dropped after the request may have reached the server.
    pub fn network(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Network, msg)
    }

    /// No connection could be made: the request never left this machine.
    pub fn unreachable(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Unreachable, msg)
    }

    /// No response within the configured timeout.
    pub fn timeout(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Timeout, msg)
    }

    /// A response did not match the expected shape; `path` is the JSON path that failed.
    pub fn decode(path: impl AsRef<str>, msg: impl AsRef<str>) -> ApiError {
        let path = path.as_ref();
        let path = if path.is_empty() { "." } else { path };
        ApiError::new(
            ErrorCode::Decode,
            format!(
                "could not decode the response at `{path}`: {}",
                msg.as_ref()
            ),
        )
    }

    /// Input rejected before any request was sent.
    pub fn validation(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Validation, msg)
    }

    /// Input rejected before any request was sent, about one field of a form.
    pub fn field(field: Field, msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Validation, msg).with_field(field)
    }

    /// A complete-order call whose result is unknown: it may still land, never retry blindly.
    pub fn outcome_unknown(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::OrderOutcomeUnknown, msg)
    }

    /// A 3xx answer, which the client never follows (client/http.rs). Names the status and
    /// the host the `Location` pointed to, never the URL (its path and query may carry
    /// tokens). On a payment call (`payment`) the request may have landed: the message says
    /// the outcome is unknown, and the code's class (`Transport`) keeps it from being read as
    /// a refusal.
    pub fn redirected(status: u16, location_host: Option<&str>, payment: bool) -> ApiError {
        let to = match location_host {
            Some(h) => format!("a redirect to {h}"),
            None => "a redirect without a usable location".to_string(),
        };
        let message = if payment {
            format!(
                "The payment request was answered with {to} (HTTP {status}) instead of an order. \
                 Redirects are not followed, so the order may or may not have been placed."
            )
        } else {
            format!(
                "The server answered with {to} (HTTP {status}) instead of an answer. \
                 Redirects are not followed: check the service address."
            )
        };
        ApiError {
            status: Some(status),
            ..ApiError::new(ErrorCode::Redirected, message)
        }
    }

    /// A bug or an impossible state on our side.
    pub fn internal(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Internal, msg)
    }

    /// Refused because of the mode the app runs in.
    pub fn mode_restricted(msg: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::ModeRestricted, msg)
    }

    pub fn with_field(mut self, field: Field) -> ApiError {
        self.field = Some(field);
        self
    }

    /// Builds the error from an HTTP error response. Accepts the union of both documented
    /// envelopes (ENDPOINTS.md §6.1, C5): the normalized `{code: <status>, error,
    /// description}` and the v2 schema's `{error, message, details}`. Any bytes are
    /// accepted; nothing here can panic on hostile input.
    pub fn from_response(status: u16, body: &[u8], request_id: Option<String>) -> ApiError {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let obj = parsed.as_ref().and_then(Value::as_object);
        let text = |k: &str| -> Option<String> {
            obj.and_then(|o| o.get(k))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| clip(s, MAX_DESCRIPTION_CHARS))
        };
        // `code` is normally the HTTP status number; a string there is an identifier.
        let raw = text("error")
            .or_else(|| text("code"))
            .or_else(|| text("error_code"));
        let code = match &raw {
            Some(id) => ErrorCode::from_id(id),
            None => status_fallback_code(status),
        };
        let description = text("description").or_else(|| text("message"));
        let details = obj
            .and_then(|o| o.get("details"))
            .and_then(ErrorDetails::from_value)
            .map(Box::new);
        let retryable = status >= 500 || code.class() == ErrorClass::Retryable;
        let shown = raw.clone().unwrap_or_else(|| code.as_str().to_string());
        let message = description
            .clone()
            .unwrap_or_else(|| format!("The server answered {shown} (HTTP {status})."));
        // No error id for a missing or refused captcha is documented (v3 complete-order's
        // `captcha_token`, the wallets' `hcaptcha_token`, ENDPOINTS.md §4.3, #48): an error
        // whose id, text or details name a captcha is marked as about the `captcha` field.
        let names_captcha = |s: &Option<String>| {
            s.as_deref()
                .is_some_and(|t| t.to_ascii_lowercase().contains("captcha"))
        };
        let captcha = names_captcha(&raw)
            || names_captcha(&description)
            || details.as_ref().is_some_and(|d| d.mentions_captcha());
        let field = code.field().or(captcha.then_some(Field::Captcha));
        ApiError {
            code,
            raw_code: raw.or_else(|| Some(format!("Http{status}"))),
            message,
            field,
            status: Some(status),
            description,
            retryable,
            request_id,
            details,
        }
    }

    /// The server asks for a captcha (or refused the one sent): show the captcha, then send
    /// its token (`captcha_token` on v3 complete-order, `hcaptcha_token` on wallet unlock).
    pub fn is_captcha(&self) -> bool {
        self.field == Some(Field::Captcha)
    }

    pub fn with_request_id(mut self, request_id: Option<String>) -> ApiError {
        if request_id.is_some() {
            self.request_id = request_id;
        }
        self
    }

    /// The identifier as the server spelled it, else the code's name.
    pub fn id(&self) -> &str {
        self.raw_code
            .as_deref()
            .unwrap_or_else(|| self.code.as_str())
    }

    /// The §6.3 class of this error; every caller branches on this.
    pub fn class(&self) -> ErrorClass {
        self.code.class()
    }

    /// The device token is missing, expired or rejected (only for answers of the server).
    pub fn is_auth(&self) -> bool {
        self.status.is_some() && self.code.is_auth()
    }

    /// Transport-level failures where the server may or may not have processed the request.
    pub fn is_transport(&self) -> bool {
        matches!(
            self.code,
            ErrorCode::Network | ErrorCode::Timeout | ErrorCode::Unreachable
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.id(), self.message)?;
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
mod tests;
