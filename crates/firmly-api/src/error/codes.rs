//! Error identifiers: the classes the app reacts by (ENDPOINTS.md §6.3), every code it
//! branches on, and the canonical spelling of the server's identifiers (§6.3 rule, C4).

use serde::{Deserialize, Serialize};

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
    ($( $(#[$doc:meta])* $variant:ident: $class:ident $(=> $field:ident)? ),* $(,)?) => {
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
            pub fn field(&self) -> Option<super::Field> {
                match self {
                    $($(ErrorCode::$variant => Some(super::Field::$field),)?)*
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
    /// The receipt could not be printed (no printer configured, or the OS print system
    /// refused it).
    PrintFailed: Retryable,
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
    InvalidState: UserFixable => StateOrProvince,
    InvalidEmail: UserFixable => Email,
    InvalidPhoneNumber: UserFixable => Phone,
    CountryNotSupported: UserFixable => Country,
    InvalidPromoCode: UserFixable => Promo,
    PromoNotAvailable: UserFixable => Promo,
    MultipleDiscountCodesNotSupported: UserFixable => Promo,
    ClearPromoCodeNotAllowed: UserFixable => Promo,
    InvalidOtp: UserFixable => Otp,
    InvalidOTPType: UserFixable => Otp,
    LoginFailed: UserFixable => Otp,
    InvalidQuantity: UserFixable,
    CannotCreateCart: Retryable,
    NotEnoughStock: UserFixable,
    ExceedMaxQtyCart: UserFixable,
    InvalidDate: UserFixable,
    InvalidShippingMethod: UserFixable,
    InvalidFulfillmentType: UserFixable,
    LocationNotFound: UserFixable,
    Checkout: UserFixable,
    CreditCardDeclined: UserFixable => Number,
    CreditCardInsufficientFunds: UserFixable => Number,
    CreditCardInvalidNumber: UserFixable => Number,
    CreditCardInvalidExpiry: UserFixable => ExpMonth,
    CreditCardInvalidExpiryDate: UserFixable => ExpMonth,
    CreditCardInvalidExpiryMonth: UserFixable => ExpMonth,
    CreditCardInvalidExpiryYear: UserFixable => ExpYear,
    CreditCardInvalidSecurityCode: UserFixable => Cvv,
    CreditCardNotFound: UserFixable,
    WalletNotFound: UserFixable => Email,
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

/// Canonical spellings from the normalized error table (ENDPOINTS.md §6.2),
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
/// prose name of the stock error (ENDPOINTS.md §6.3). Works on characters, so
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
