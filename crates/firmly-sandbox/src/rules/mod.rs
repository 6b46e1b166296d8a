//! The rules layer: pure functions over the model that decide what a request may do. They
//! return a domain error ([`Rule`]) that says what went wrong in the shop's terms; the routes
//! turn it into the v1 or v2 error id and status of their family ([`crate::errors`]).

pub mod addons;
pub mod address;
pub mod attribution;
pub mod calendar;
pub mod cards;
pub mod checkout;
pub mod items;
pub mod pricing;
pub mod promos;
pub mod shipments;
pub mod zones;

use crate::model::card::CardFault;

/// What is wrong with an address (ENDPOINTS.md §6.3, v1 ENDPOINTS.md §7 C1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressFault {
    /// Required fields that are empty.
    Missing(Vec<&'static str>),
    InvalidEmail(String),
    CountryNotSupported(String),
    InvalidState {
        state: String,
        country: String,
    },
    InvalidPostalCode {
        postal: String,
        country: String,
    },
}

/// A domain error. Each variant has one documented id per route family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    DomainNotFound(String),
    /// The device has no (open) cart at the merchant.
    CartNotFound,
    /// The merchant's store is down.
    StoreUnavailable,
    /// The merchant cannot create a cart now (its store is down).
    CannotCreateCart,
    NoLineItem,
    ProductNotFound(String),
    LineItemNotFound(String),
    /// Add with a quantity below 1.
    QuantityBelowOne,
    /// Update with a negative quantity.
    NegativeQuantity,
    ExceedMaxQty,
    NotEnoughStock(String),
    ShippingNotNeeded,
    Address(AddressFault),
    MissingShippingInfo,
    ShipmentNotFound(String),
    InvalidFulfillmentType {
        provided: String,
        allowed: Vec<&'static str>,
        shipment_id: String,
    },
    LocationNotFound(String),
    InvalidShippingMethod {
        provided: String,
        allowed: Vec<String>,
        shipment_id: Option<String>,
    },
    InvalidDate {
        description: String,
        details: Option<serde_json::Value>,
    },
    /// A body that parses but is not acceptable (e.g. too many codes, over-long notes).
    InvalidInput(String),
    InvalidPromoCode {
        code: String,
        expired: bool,
    },
    PromoNotAvailable,
    MultipleDiscountCodes,
    /// Addon constraints (`ErrorUnprocessableEntity`, ENDPOINTS.md §2.4.7).
    AddonRejected(String),
    AttributionFrozen,
    PaypalNotStarted,
    PaypalNotAuthorized,
    PayerIdMissing,
    PaymentMethodNotAvailable(String),
    CannotTransferSession(String),
    // Completion checks (CHK, ENDPOINTS.md §9).
    AlreadySubmitted(String),
    MissingEmailOnCheckout,
    MissingEmail,
    UserMustLogin,
    MissingShippingMethod(String),
    CheckoutError(String),
    MissingTaxSync,
    Card(CardFault),
    /// The payment key named by the payload is unknown or rotated (`InvalidKey 409`).
    InvalidKey,
    /// Encrypted payment data that cannot be read (`CheckoutError 412`).
    MalformedPayment(String),
}

impl From<AddressFault> for Rule {
    fn from(f: AddressFault) -> Rule {
        Rule::Address(f)
    }
}

impl From<CardFault> for Rule {
    fn from(f: CardFault) -> Rule {
        Rule::Card(f)
    }
}

pub type RuleResult<T> = Result<T, Rule>;
