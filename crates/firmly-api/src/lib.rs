//! `firmly-api`: everything needed to talk to the Firmly commerce API and nothing else —
//! tolerant wire models, the typed HTTP client, the normalized error, money and card
//! encryption. No Tauri, no UI.
//!
//! Behaviour follows `docs/ENDPOINTS.md` (our reading of the Firmly docs); comments cite
//! its sections (`ENDPOINTS.md §7 C8`, `§1 #32` for a row of its endpoint table), whose
//! headings name the lines of the Firmly docs they come from.

// `ApiError` is the IPC error contract (ARCHITECTURE.md contract 1): its fields are read
// directly by every layer, and it travels on the cold path only, so it is not boxed.
#![allow(clippy::result_large_err)]

pub mod client;
pub mod crypto;
pub mod error;
pub mod models;
pub mod money;
pub mod raw;
mod redact;
pub use raw::RawJson;
pub use redact::Redacted;
pub mod requests;
pub mod retry;
pub(crate) mod serde_util;

pub use client::{
    decode_bytes, decode_cart, decode_cart_bytes, decode_value, prepare_http, ClientConfig,
    CompletionAnswer, FirmlyClient, MemorySessionStore, RequestLogEntry, SessionStore,
    StoredSession,
};
pub use crypto::{
    card_brand, cvv_length, encrypt_card_jwe, encrypt_card_per_field, encrypt_tokenize_payload,
    luhn_valid, validate_card, CardBrand, CardDetails, CardEncrypter, CardProblem,
    EncryptedCardFields, FieldRule, OaepHash, TokenizePayload,
};
pub use error::{canonicalize, ApiError, ErrorClass, ErrorCode, ErrorDetails, Field, Result};
pub use models::addons::{
    AddonConstraints, AddonDisplay, AddonOffer, AddonScope, AddonSelection, AddonSelectionRequest,
    Addons, CoverageMode, LineItemPrice,
};
pub use models::address::Address;
pub use models::availability::{Availability, DateRange, DeliveryWindow};
pub use models::cart::{CartTotals, CartUrls, CartV2, DiscountBreakdown, LineItem, Order};
pub use models::catalog::{
    AddToCartPayload, OptionValue, ProductDetails, ProductSummary, ProductVariant, Swatch,
    VariantOptionValues,
};
pub use models::common::{Discount, Image};
pub use models::payment::{
    Notice, NoticeDetails, PaymentAttributes, PaymentMethod, PaymentMethodOption, PaypalProperties,
    SessionInfo, ShopProperties,
};
pub use models::pickup::{Distance, OperatingHours, PickupLocation, PickupOption};
pub use models::session::{
    ActiveCarts, Attribution, BrowserSession, Consent, ConsentChange, HealthStatus, OtpDestination,
    PaymentKey, TokenizeResponse, WalletUnlockComplete, WalletUnlockStart,
};
pub use models::shipment::{
    FulfillmentType, FulfillmentTypeInfo, FulfillmentTypeKind, Shipment, ShippingMethod,
};
pub use models::slots::{AvailableDate, SlotTime, TimeSlot, ZonedTime};
pub use money::{Amount, Money};
pub use requests::{Extensions, Host, KeyFormat, Method, RequestSpec, SetShipmentMethod};
pub use retry::{retry_decision, Outcome, RetryDecision};
