//! The typed state the UI renders: plain data built from the wire models, with money as
//! decimal strings plus currency (ARCHITECTURE.md "Money") and every decision the UI would
//! otherwise have to make (disabled reasons, blockers, totals) already taken here. The app's
//! own words are the UI's, from its catalog in the shopper's language: what crosses IPC is
//! facts (a saved card's brand and last four, why an order's outcome is unknown), never an
//! English sentence. A merchant's own texts (titles, notices, consents) pass as they came.

use serde::{Deserialize, Serialize};
use specta::Type;

mod orders;
mod shipments;
pub use orders::*;
pub use shipments::*;

/// An amount of money as it crosses IPC: a decimal string and its ISO-4217 currency.
/// The UI formats it with `Intl.NumberFormat` and never adds two of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct MoneyView {
    pub amount: String,
    pub currency: String,
}

impl From<&firmly_api::Money> for MoneyView {
    fn from(m: &firmly_api::Money) -> Self {
        MoneyView {
            amount: m.to_decimal_string(),
            currency: m.currency.clone(),
        }
    }
}

/// What the app talks to: the embedded sandbox or a live Firmly API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum EnvironmentKind {
    Sandbox,
    Live,
}

/// A merchant's checkout health as the status host reports it (ENDPOINTS.md §1 #50).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MerchantHealth {
    Operational,
    Degraded,
    Outage,
    /// A state the docs do not list, as the host sent it.
    Other {
        status: String,
    },
    /// No status host or component id is configured: no health is shown.
    NotConfigured,
    /// The status host could not be read.
    Failed {
        error: firmly_api::ApiError,
    },
}

impl MerchantHealth {
    pub fn from_status(status: &str) -> MerchantHealth {
        match status.trim().to_ascii_lowercase().as_str() {
            "operational" => MerchantHealth::Operational,
            "degraded" => MerchantHealth::Degraded,
            "outage" => MerchantHealth::Outage,
            _ => MerchantHealth::Other {
                status: status.chars().take(64).collect(),
            },
        }
    }
}

/// The kiosk's idle rule, decided in Rust (the UI only shows the countdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct IdleRule {
    /// Seconds without input before the customer session is wiped.
    pub idle_seconds: u32,
    /// Seconds before the wipe when the warning appears.
    pub warn_seconds: u32,
}

/// What the app is connected to and how it was launched.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AppInfo {
    pub environment: EnvironmentKind,
    pub mode: crate::settings::Mode,
    pub device_id: Option<String>,
    pub api_base: String,
    pub merchants: Vec<MerchantView>,
    pub version: String,
    pub idle: IdleRule,
    /// The device's postal-code preference for shipping estimates (`/api/v2/carts/postal-code`).
    pub postal_code: Option<String>,
    /// The language on screen: the shopper's choice, else the desk's.
    pub language: crate::settings::Language,
    /// The desk's own language, which the next customer starts in (a wipe's screen switches
    /// to it at once).
    pub desk_language: crate::settings::Language,
    /// Settings a fleet policy locks (they cannot be changed in the app).
    pub locked_settings: Vec<crate::settings::SettingField>,
    /// Orders from an earlier run, settled at start-up (shown once, until the first wipe;
    /// never on a kiosk, where they are the staff's).
    pub startup_orders: Vec<OrderReportView>,
    /// Still settling an earlier run's order before the desk is ready (kiosk: before the
    /// new customer's session starts).
    pub settling: bool,
    /// What the kiosk's policy decides for the screen.
    pub kiosk: KioskView,
}

/// The kiosk's policy as the screen needs it (CONTRACTS.md §1 policy keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct KioskView {
    /// Seconds on the order confirmation before the kiosk wipes by itself.
    pub order_done_seconds: u32,
    /// Show the on-screen keyboard.
    pub touch_keyboard: bool,
    /// A printer is configured: offer "Print receipt" (printed by the backend, no dialog).
    pub can_print: bool,
    /// A staff PIN is configured: the staff panel exists.
    pub staff_panel: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct MerchantView {
    pub domain: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProductSummaryView {
    pub handle: String,
    pub title: String,
    pub image_url: Option<String>,
}

/// A catalog card's price: the product list carries none (ENDPOINTS.md §2.9), so it comes
/// from the product's details.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProductPriceView {
    pub handle: String,
    /// The lowest price among the available variants (among all when none is available).
    pub price: Option<MoneyView>,
    /// The variants do not all cost the same: the card says "from".
    pub price_varies: bool,
    /// At least one variant can be ordered.
    pub available: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ProductView {
    pub handle: String,
    pub title: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub variants: Vec<VariantView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct VariantView {
    pub variant_id: String,
    pub title: String,
    pub available: bool,
    pub price: Option<MoneyView>,
    pub msrp: Option<MoneyView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct TotalsView {
    pub subtotal: MoneyView,
    pub shipping: MoneyView,
    pub tax: MoneyView,
    pub addons: MoneyView,
    pub discount: MoneyView,
    pub total: MoneyView,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DiscountView {
    pub code: String,
    pub description: Option<String>,
    pub amount: Option<MoneyView>,
}

/// How serious a merchant's notice is (ENDPOINTS.md §2.4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum NoticeSeverity {
    Info,
    Warning,
    Error,
}

impl NoticeSeverity {
    /// The documented word; anything else is shown as information.
    pub fn parse(s: &str) -> NoticeSeverity {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => NoticeSeverity::Error,
            "warning" | "warn" => NoticeSeverity::Warning,
            _ => NoticeSeverity::Info,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NoticeView {
    pub code: String,
    pub severity: NoticeSeverity,
    pub item_id: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct LineItemView {
    pub line_item_id: String,
    pub sku: Option<String>,
    pub variant_id: Option<String>,
    pub title: String,
    pub variant: Option<String>,
    pub quantity: u32,
    pub unit_price: Option<MoneyView>,
    pub line_price: Option<MoneyView>,
    pub image_url: Option<String>,
    pub discounts: Vec<DiscountView>,
    pub notices: Vec<NoticeView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ItemPriceView {
    pub line_item_id: String,
    pub title: String,
    pub price: Option<MoneyView>,
    pub selected: bool,
}

/// What an addon offer applies to (ENDPOINTS.md §2.4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AddonScopeView {
    Cart,
    Item,
    Group,
    /// A child offer: its parent's scope.
    Inherit,
    /// A scope the docs do not list: shown like a cart-level offer.
    Other,
}

/// How an ITEM or GROUP offer covers the items (ENDPOINTS.md §2.4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CoverageModeView {
    PerItem,
    PredefinedGroup,
    FreeGrouping,
    /// A mode the docs do not list.
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AddonView {
    pub addon_id: String,
    pub name: String,
    pub description: Option<String>,
    pub scope: AddonScopeView,
    /// How a GROUP or ITEM offer covers items (none for CART offers).
    pub coverage_mode: Option<CoverageModeView>,
    pub price: Option<MoneyView>,
    pub items: Vec<ItemPriceView>,
    pub exclusive_group_id: Option<String>,
    pub requires_addon_ids: Vec<String>,
    pub children: Vec<AddonView>,
    pub selected: bool,
    /// Price the merchant charges for the current selection of this offer.
    pub selected_price: Option<MoneyView>,
    /// Why this offer cannot be chosen right now (a constraint).
    pub disabled_reason: Option<AddonBlock>,
}

/// The constraint that forbids an addon choice (ENDPOINTS.md §2.4.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AddonBlock {
    /// `requires_addon_ids`: these offers must be selected first.
    Requires { names: Vec<String> },
    /// `exclusive_group_id`: another choice of the group is selected.
    ExclusiveWith { name: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AddressView {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state_or_province: String,
    pub postal_code: String,
    pub country: String,
}

/// The payment methods this app can drive (others are hidden, ENDPOINTS.md §7 C43).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum PaymentOptionKind {
    /// A new card typed into the form.
    CreditCard,
    PayPal,
    /// A card saved at the merchant account or in an unlocked wallet.
    SavedCard,
    /// A wallet that must be unlocked by one-time code before its cards appear.
    Wallet,
}

/// A saved card as the cart lists it. The UI words it in the shopper's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SavedCardView {
    /// The card network's name (`Visa`, `Mastercard`, …); `None` when the cart gives none.
    pub brand: Option<String>,
    pub last_four: Option<String>,
    pub exp_month: Option<String>,
    pub exp_year: Option<String>,
}

/// A payment method as the UI offers it. It carries no words: the UI names each kind, and
/// a saved card by its `card`, in the shopper's language.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PaymentOptionView {
    pub kind: PaymentOptionKind,
    /// The card, for a saved card.
    pub card: Option<SavedCardView>,
    /// Id of a saved card (for `complete-order-with-saved-payment`), or the wallet name
    /// of a locked wallet.
    pub id: Option<String>,
    /// Where a saved card comes from: `merchant` (account) or a wallet such as `shoppay`.
    pub wallet: Option<String>,
    /// What must happen before this method can pay (PayPal approval, wallet unlock).
    pub blocker: Option<crate::readiness::Blocker>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct SessionView {
    pub requires_login: bool,
    pub is_email_registered: bool,
    pub is_logged_in: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ConsentView {
    pub id: String,
    /// As the merchant wrote it (for the support inspector; never set as HTML).
    pub text: String,
    /// What to show: plain runs and checked https links (`mapping::rich_text`).
    pub parts: Vec<crate::mapping::rich_text::TextPart>,
    pub rich_text: bool,
    pub required: bool,
    pub revokable: bool,
    pub signed: bool,
    pub slot: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum CartStatus {
    Active,
    Submitted,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CartView {
    pub domain: String,
    pub display_name: String,
    pub cart_id: Option<String>,
    pub status: CartStatus,
    pub currency: String,
    pub item_count: u32,
    pub line_items: Vec<LineItemView>,
    pub shipments: Vec<ShipmentView>,
    pub addons: Vec<AddonView>,
    pub promo_codes: Vec<String>,
    pub totals: TotalsView,
    pub shipping_info: Option<AddressView>,
    pub billing_info: Option<AddressView>,
    pub payment_options: Vec<PaymentOptionView>,
    pub session: SessionView,
    /// Address fields the merchant marks optional (`shop_properties.optional_fields`).
    pub optional_fields: Vec<String>,
    pub notices: Vec<NoticeView>,
    /// The merchant's consents (required ones block the order until granted).
    pub consents: Vec<ConsentView>,
    /// What still blocks the order, whatever the payment method; empty = ready to pay.
    pub blockers: Vec<crate::readiness::Blocker>,
    /// PayPal account approved for this cart (after authorize), if any.
    pub paypal_account: Option<String>,
    /// An earlier payment of this cart whose outcome is not known yet.
    pub pending_order: Option<PendingOrderView>,
    /// This merchant could not be read; the other carts are unaffected.
    pub load_error: Option<firmly_api::ApiError>,
    /// Where the shopper can finish on the merchant's own site (the API does not support
    /// this merchant or flow: `NotImplemented` and the other fallback ids).
    pub merchant_site: Option<String>,
    /// Prices already include tax (`is_tax_included_in_price`): no tax is added on top.
    pub tax_included: bool,
    /// The merchant's own validation messages for this cart (`validation_errors`).
    pub validation_errors: Vec<ValidationMessageView>,
    /// The cart discount line by line (`cart_discount_breakdown`).
    pub discount_breakdown: Vec<DiscountLineView>,
    /// Store credit of the logged-in customer, and credit available on the store.
    pub store_credits: Option<MoneyView>,
    pub available_store_credit: Option<MoneyView>,
    /// Reward points this cart earns, and the customer's available points (numbers).
    pub reward_points: Option<String>,
    pub available_reward_points: Option<String>,
    /// Shipping methods used in addition to the main one (`additional_shipping_methods`).
    pub additional_shipping_methods: Vec<ShippingMethodView>,
    /// Saved addresses offered for this checkout (an unlocked wallet's).
    pub address_options: Vec<AddressView>,
    /// The merchant account's email once the shopper logged in here: the shipping email is
    /// that one (the docs: it cannot change and is ignored if sent otherwise).
    pub account_email: Option<String>,
}

/// One of the merchant's validation messages for a cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ValidationMessageView {
    /// The field it is about, as the merchant named it (empty when none).
    pub field: String,
    pub message: String,
}

/// One line of the cart discount's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct DiscountLineView {
    pub label: Option<String>,
    pub amount: Option<MoneyView>,
}

/// A card network, as the backend's card check recognizes it from the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum CardBrandView {
    Visa,
    Mastercard,
    Amex,
    Discover,
    DinersClub,
    Jcb,
    UnionPay,
}

/// The card check as the form shows it: the brand the number names (none until it names
/// one) and the field problems.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CardCheckView {
    pub brand: Option<CardBrandView>,
    /// Digits the CVV of this brand has (4 for Amex, else 3).
    pub cvv_digits: u32,
    pub problems: Vec<FieldErrorView>,
}

/// What adding a product by its link did.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkAdd {
    /// Added to the merchant's cart.
    Added { cart: Box<CartView> },
    /// The product has several variants: choose one, then add again with its id.
    Choose {
        domain: String,
        product: Box<ProductView>,
    },
}

/// What importing a support snapshot opened.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SnapshotImport {
    /// A redacted snapshot: its carts as they were at export, to read, not to act on (the
    /// desk's own customer is untouched).
    pub read_only: bool,
    /// When the snapshot was made (RFC 3339).
    pub exported_at: String,
    pub hive: HiveView,
}

/// A card as typed into the form. It lives only in memory until encrypted and is
/// wiped on drop; its Debug output shows nothing of the number or CVV.
#[derive(Clone, Serialize, Deserialize, Type, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct CardInput {
    pub number: String,
    pub name: String,
    pub exp_month: String,
    pub exp_year: String,
    pub cvv: String,
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardInput { .. }")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FieldErrorView {
    pub field: firmly_api::Field,
    pub rule: firmly_api::FieldRule,
    /// In English (the UI words the rule in the shopper's language).
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct OrderView {
    pub domain: String,
    pub order_number: String,
    pub total: MoneyView,
    /// How it was paid, as the order answer says it (never more than the last four digits).
    pub paid_with: PaidWith,
    pub thank_you_url: Option<String>,
    pub placed_at: String,
    /// Line items as they were ordered, for the receipt.
    pub line_items: Vec<LineItemView>,
    pub totals: TotalsView,
    /// The order answer could not be decoded: the order is placed, and this is the raw
    /// answer kept for support.
    pub raw_answer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RequestLogView {
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    pub duration_ms: u32,
    pub request_id: Option<String>,
    pub at: String,
}

/// One merchant's result of an action applied to every cart (one address for all).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CartResult {
    pub domain: String,
    pub cart: Option<CartView>,
    pub error: Option<firmly_api::ApiError>,
}

/// What support needs to look into a problem: never card data or tokens.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DiagnosticsView {
    pub version: String,
    /// The machine: operating system, kernel and web engine versions (from the shell).
    pub platform: String,
    pub mode: crate::settings::Mode,
    pub environment: EnvironmentKind,
    pub api_base: String,
    pub device_id: Option<String>,
    /// The latest failed requests, newest first.
    pub recent_errors: Vec<RequestLogView>,
    /// The end of the newest log file.
    pub log_tail: Vec<String>,
    /// All of the above as text, ready to paste into a ticket.
    pub text: String,
}
