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

mod details;
pub use details::ErrorDetails;

/// Crate-wide result alias.
pub type Result<T> = std::result::Result<T, ApiError>;

/// How the app reacts to an error (ENDPOINTS.md §6.3 suggested classes, plus `Stale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorClass {
    /// Device token missing/expired/rejected: renew and replay (the client does this once).
    Auth,
    /// Temporary: try again later.
    Retryable,
    /// Something we hold is out of date (taxes not synced, payment key rotated): refresh it
    /// and try once more. The server refused before doing anything.
    Stale,
    /// The shopper can fix the input (address, card, promo code, one-time code).
    UserFixable,
    /// A step is missing or the merchant needs something first: route the UI.
    Flow,
    /// The merchant or product is not supported here: continue on the merchant's own site.
    Fallback,
    /// Transport failure or unknown outcome; for orders, reconcile before anything else.
    Transport,
    /// Everything else (configuration, bugs, decode errors, unmapped ids).
    Other,
}

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident: $class:ident $(=> $field:literal)? ),* $(,)?) => {
        /// Every error identifier the app branches on. Server ids are canonical (no `Error`
        /// prefix or suffix); `Unmapped` is an id this app does not know (see `raw_code`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
            /// An identifier this app does not know; the server's spelling is in `raw_code`.
            #[serde(other)]
            Unmapped,
        }

        impl ErrorCode {
            /// Every code, for tables and exhaustive tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)* ErrorCode::Unmapped];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => stringify!($variant),)*
                    ErrorCode::Unmapped => "Unmapped",
                }
            }

            /// The §6.3 class of this identifier.
            pub fn class(&self) -> ErrorClass {
                match self {
                    $(ErrorCode::$variant => ErrorClass::$class,)*
                    ErrorCode::Unmapped => ErrorClass::Other,
                }
            }

            /// The form field a server error is about, when it names one (`CreditCardInvalidNumber`
            /// → `number`). Field names are those of the app's input types (`CardInput`,
            /// `AddressView`), plus `promo`, `otp` and `captcha`.
            pub fn field(&self) -> Option<&'static str> {
                match self {
                    $($(ErrorCode::$variant => Some($field),)?)*
                    _ => None,
                }
            }

            /// The code of a canonical key (already stripped of `Error` affixes).
            fn from_canonical(key: &str) -> ErrorCode {
                $(if key.eq_ignore_ascii_case(stringify!($variant)) {
                    return ErrorCode::$variant;
                })*
                ErrorCode::Unmapped
            }
        }
    };
}

error_codes! {
    // ---- the app's own codes ------------------------------------------------------------
    /// No connection could be made: the request provably never reached the server.
    Unreachable: Transport,
    /// The connection dropped after the request may have been sent.
    Network: Transport,
    /// No answer within the configured timeout.
    Timeout: Transport,
    /// The server answered with a redirect (3xx), which the client never follows: the
    /// device token must not travel to another host, and no endpoint documents a redirect.
    /// `status` is the 3xx. Not retryable; on a payment call the request may have landed,
    /// so the order's outcome is unknown (its class, like the transport failures', says so).
    Redirected: Transport,
    /// A response did not match the documented shape.
    Decode: Other,
    /// Input refused before anything was sent (the server's `ValidationError` too).
    Validation: UserFixable,
    /// An order for this cart is being placed right now.
    OrderInProgress: Flow,
    /// An earlier payment of this cart may still land: paying again is refused until it settles.
    OrderPending: Flow,
    /// The completion's outcome is not known; it may still land. Never retry blindly.
    OrderOutcomeUnknown: Transport,
    /// The action is not available in this mode (e.g. settings on a kiosk), or a fleet
    /// policy locks the setting.
    ModeRestricted: Flow,
    /// The customer session ended (kiosk wipe, snapshot import) while this was running.
    SessionEnded: Flow,
    /// The desk is finishing an earlier order before it takes new work (start-up).
    DeskNotReady: Retryable,
    /// The cart was ordered already; another order needs a new cart.
    AlreadyOrdered: UserFixable,
    /// "Pay all" found no cart to pay.
    NothingToPay: UserFixable,
    /// There is no unsettled order for this cart to check.
    NoPendingOrder: UserFixable,
    /// The shopper cancelled PayPal's approval.
    PaypalCancelled: UserFixable,
    /// PayPal's return does not belong to a PayPal checkout started for this cart.
    PaypalReturnRejected: UserFixable,
    /// A wallet's one-time code came before one was requested.
    WalletCodeNotRequested: UserFixable,
    /// The staff PIN was wrong.
    StaffPinWrong: UserFixable,
    /// Too many wrong staff PINs: the pad is locked for a while (`retryable`, try later).
    StaffPinLocked: Retryable,
    /// Staff only: unlock the staff panel with the PIN first.
    StaffOnly: Flow,
    /// A bug or an impossible state on our side.
    Internal: Other,
    // ---- auth (renew the device token once and replay) -----------------------------------
    MissingAuthHeader: Auth,
    InvalidToken: Auth,
    InvalidJWTToken: Auth,
    InvalidDeviceIssuedJWT: Auth,
    SessionTokenExpired: Auth,
    Unauthorized: Auth,
    UnregisteredDevice: Auth,
    InvalidAppId: Other,
    MissingAppId: Other,
    InvalidAPIToken: Other,
    // ---- temporary -------------------------------------------------------------------------
    StoreUnavailable: Retryable,
    ServiceUnavailable: Retryable,
    AvailabilityUnavailable: Retryable,
    PleaseTryAgainLater: Retryable,
    TooManyRetries: Retryable,
    TooManyRequests: Retryable,
    BadGateway: Retryable,
    GatewayTimeout: Retryable,
    Unexpected: Retryable,
    // ---- stale state: refresh, then try once more ------------------------------------------
    MissingTaxSync: Stale,
    InvalidKey: Stale,
    // ---- the shopper can fix it -------------------------------------------------------------
    InvalidShippingInfo: UserFixable,
    InvalidState: UserFixable => "state_or_province",
    InvalidEmail: UserFixable => "email",
    InvalidPhoneNumber: UserFixable => "phone",
    CountryNotSupported: UserFixable => "country",
    InvalidPromoCode: UserFixable => "promo",
    PromoNotAvailable: UserFixable => "promo",
    MultipleDiscountCodesNotSupported: UserFixable => "promo",
    ClearPromoCodeNotAllowed: UserFixable => "promo",
    InvalidOtp: UserFixable => "otp",
    InvalidOTPType: UserFixable => "otp",
    LoginFailed: UserFixable => "otp",
    InvalidQuantity: UserFixable,
    CannotCreateCart: Retryable,
    NotEnoughStock: UserFixable,
    ExceedMaxQtyCart: UserFixable,
    InvalidDate: UserFixable,
    InvalidShippingMethod: UserFixable,
    InvalidFulfillmentType: UserFixable,
    LocationNotFound: UserFixable,
    Checkout: UserFixable,
    CreditCardDeclined: UserFixable => "number",
    CreditCardInsufficientFunds: UserFixable => "number",
    CreditCardInvalidNumber: UserFixable => "number",
    CreditCardInvalidExpiry: UserFixable => "exp_month",
    CreditCardInvalidExpiryDate: UserFixable => "exp_month",
    CreditCardInvalidExpiryMonth: UserFixable => "exp_month",
    CreditCardInvalidExpiryYear: UserFixable => "exp_year",
    CreditCardInvalidSecurityCode: UserFixable => "cvv",
    CreditCardNotFound: UserFixable,
    WalletNotFound: UserFixable => "email",
    CannotTransferSession: UserFixable,
    MissingRequiredCookie: UserFixable,
    MissingRequiredHandle: UserFixable,
    ConsentNotFound: UserFixable,
    ConsentNotRevokable: UserFixable,
    // ---- a step is missing -------------------------------------------------------------------
    UserMustLogin: Flow,
    CartAlreadyLoggedIn: Flow,
    MissingShippingInfo: Flow,
    MissingShippingMethod: Flow,
    MissingEmail: Flow,
    MissingEmailAddressOnCheckout: Flow,
    NoLineItem: Flow,
    ShippingNotNeeded: Flow,
    CartNotFound: Flow,
    Precondition: Flow,
    StartExpressCheckout: Flow,
    SubmitExpressCheckout: Flow,
    LineItemNotFound: Flow,
    ShipmentNotFound: Flow,
    // ---- not supported here: continue on the merchant's site ---------------------------------
    NotImplemented: Fallback,
    AllProductsNotImplemented: Fallback,
    ProductNotImplemented: Fallback,
    ProductUrlNotImplemented: Fallback,
    ProductListNotImplemented: Fallback,
    ProductNotSupported: Fallback,
    OperationNotSupported: Fallback,
    ShopNotFound: Fallback,
    DomainNotFound: Fallback,
    GatewayNotFound: Fallback,
    PaymentMethodNotAvailable: Fallback,
    PartnerNotFound: Fallback,
    WalletProviderNotFound: Fallback,
    InvalidUrl: Fallback,
    // ---- everything else ---------------------------------------------------------------------
    ProductNotFound: Other,
    ItemNotFound: Other,
    AllProductsNotFound: Other,
    ProductListNotFound: Other,
    UserNotFound: Other,
    DynamoNotFound: Other,
    RouteNotFound: Other,
    NotFound: Other,
    MethodNotAllowed: Other,
    Conflict: Other,
    BadRequest: Other,
    Forbidden: Other,
    InvalidInputBody: Other,
    UnprocessableEntity: Other,
    NotExpectedForRoute: Other,
    NotMapped: Other,
}

impl ErrorCode {
    /// The code of any server identifier, in any documented spelling (§6.3 rule).
    pub fn from_id(id: &str) -> ErrorCode {
        ErrorCode::from_canonical(&canonicalize(id))
    }

    /// Codes meaning the device token is missing, expired or rejected.
    pub fn is_auth(&self) -> bool {
        self.class() == ErrorClass::Auth
    }

    /// Any `CreditCard*` id: the shopper can fix the card and try again.
    pub fn is_card(&self) -> bool {
        self.as_str().starts_with("CreditCard")
    }

    /// The app refused the input itself, before any request was sent: `Validation` and the
    /// app's own refusals that carry a code of their own, so the UI can word them.
    pub fn refused_before_sending(&self) -> bool {
        matches!(
            self,
            ErrorCode::Validation
                | ErrorCode::AlreadyOrdered
                | ErrorCode::NothingToPay
                | ErrorCode::NoPendingOrder
                | ErrorCode::PaypalCancelled
                | ErrorCode::PaypalReturnRejected
                | ErrorCode::WalletCodeNotRequested
                | ErrorCode::StaffPinWrong
                | ErrorCode::StaffPinLocked
                | ErrorCode::StaffOnly
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Canonical spellings from the normalized error table (`002_599d5acdabf6b74d.txt:11966`),
/// so `InvalidOTP` and `InvalidOtp` both canonicalize to the table's `InvalidOtp`.
const CANONICAL_SPELLINGS: &[&str] = &[
    "InvalidOtp",
    "InvalidJWTToken",
    "InvalidAPIToken",
    "InvalidDeviceIssuedJWT",
    "InvalidOTPType",
    "InvalidAppId",
    "MissingAppId",
];

/// Strips one leading `Error` and one trailing `Error` (§6.3); `InventoryError` is the
/// prose name of the stock error (`002_599d5acdabf6b74d.txt:10`). Works on characters, so
/// any Unicode input is safe.
pub fn canonicalize(code: &str) -> String {
    const AFFIX: &str = "error";
    let mut s = code.trim();
    if let Some(head) = s.get(..AFFIX.len()) {
        if head.eq_ignore_ascii_case(AFFIX) && s.len() > AFFIX.len() {
            s = &s[AFFIX.len()..];
        }
    }
    if s.len() > AFFIX.len() {
        let cut = s.len() - AFFIX.len();
        if let Some(tail) = s.get(cut..) {
            if tail.eq_ignore_ascii_case(AFFIX) {
                s = &s[..cut];
            }
        }
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

/// The IPC error: `{code, raw_code?, message, field?, status?, description?, retryable,
/// request_id?}` (ARCHITECTURE.md contract 1, pinned by `json_shape_is_pinned`).
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
    pub field: Option<String>,
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

/// The `field` of an error about a captcha ([`ApiError::is_captcha`]).
pub const CAPTCHA_FIELD: &str = "captcha";

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
    pub fn field(field: &str, msg: impl Into<String>) -> ApiError {
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

    pub fn with_field(mut self, field: &str) -> ApiError {
        self.field = Some(field.to_string());
        self
    }

    /// Builds the error from an HTTP error response. Accepts the union of both documented
    /// envelopes (§6.1): `{code: <status>, error, description}` (`002_599d5acdabf6b74d.txt:11937`)
    /// and `{error, message, details}` (`002_599d5acdabf6b74d.txt:4495`). Any bytes are
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
        let field = code
            .field()
            .or(captcha.then_some(CAPTCHA_FIELD))
            .map(str::to_string);
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
        self.field.as_deref() == Some(CAPTCHA_FIELD)
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
