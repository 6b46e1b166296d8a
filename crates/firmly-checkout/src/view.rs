//! The typed state the UI renders: plain data built from the wire models, with money as
//! decimal strings plus currency (ARCHITECTURE.md "Money") and every decision the UI would
//! otherwise have to make (labels, disabled reasons, totals) already taken here.

use serde::{Deserialize, Serialize};
use specta::Type;

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

/// What the app is connected to and how it was launched.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AppInfo {
    /// `Sandbox` (embedded demo server) or `Live`.
    pub environment: String,
    /// `demo`, `kiosk` or `agent`.
    pub mode: String,
    pub device_id: Option<String>,
    pub api_base: String,
    pub merchants: Vec<MerchantView>,
    pub version: String,
    pub idle_seconds: u32,
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

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NoticeView {
    pub code: String,
    pub severity: String,
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
pub struct ChoiceView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ShippingMethodView {
    pub id: String,
    pub description: String,
    pub price: Option<MoneyView>,
    pub estimated_delivery: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SlotView {
    pub slot_id: String,
    pub start: String,
    pub end: String,
    pub description: Option<String>,
    pub available: bool,
    pub price: Option<MoneyView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct LocationView {
    pub location_id: String,
    pub name: String,
    pub address: String,
    pub phone: Option<String>,
    pub hours: Vec<String>,
    pub distance: Option<String>,
    pub available: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ShipmentView {
    pub shipment_id: String,
    /// API id of the fulfillment type (`SHIP_TO_ADDRESS`, `SCHEDULED_DELIVERY`, `PICKUP_IN_STORE` …).
    pub fulfillment_type: String,
    /// The fulfillment in words ("Scheduled delivery", "Pick up at Downtown store").
    pub label: String,
    pub fulfillment_options: Vec<ChoiceView>,
    pub line_item_ids: Vec<String>,
    pub methods: Vec<ShippingMethodView>,
    pub selected_method: Option<String>,
    pub selected_date: Option<String>,
    pub selected_slot: Option<SlotView>,
    pub selected_location: Option<LocationView>,
    pub notes: Option<String>,
    pub cost: Option<MoneyView>,
    pub discounts: Vec<DiscountView>,
    /// What this shipment still needs before the order can be placed, in words.
    pub missing: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AvailableDateView {
    pub date: String,
    pub description: Option<String>,
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AvailabilityView {
    pub shipment_id: String,
    pub fulfillment_type: String,
    pub dates: Vec<AvailableDateView>,
    pub locations: Vec<LocationView>,
    pub methods: Vec<ShippingMethodView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ItemPriceView {
    pub line_item_id: String,
    pub title: String,
    pub price: Option<MoneyView>,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AddonView {
    pub addon_id: String,
    pub name: String,
    pub description: Option<String>,
    /// `CART`, `ITEM`, `GROUP` or `INHERIT` (child offers).
    pub scope: String,
    /// `PER_ITEM`, `PREDEFINED_GROUP`, `FREE_GROUPING` or empty.
    pub coverage_mode: String,
    pub price: Option<MoneyView>,
    pub items: Vec<ItemPriceView>,
    pub exclusive_group_id: Option<String>,
    pub requires_addon_ids: Vec<String>,
    pub children: Vec<AddonView>,
    pub selected: bool,
    /// Price the merchant charges for the current selection of this offer.
    pub selected_price: Option<MoneyView>,
    /// Why this offer cannot be chosen right now (a constraint), in words.
    pub disabled_reason: Option<String>,
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

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PaymentOptionView {
    /// `CreditCard`, `PayPal`, `SavedCard`.
    pub kind: String,
    pub label: String,
    /// Id of a saved card (for `complete-order-with-saved-payment`), or the wallet name
    /// of a locked wallet.
    pub id: Option<String>,
    /// Where a saved card comes from: `merchant` (account) or a wallet such as `shoppay`.
    pub wallet: Option<String>,
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
    pub text: String,
    pub rich_text: bool,
    pub required: bool,
    pub revokable: bool,
    pub signed: bool,
    pub slot: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CartView {
    pub domain: String,
    pub display_name: String,
    pub cart_id: Option<String>,
    pub status: String,
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
    pub ready_for_payment: bool,
    /// PayPal account approved for this cart (after authorize), if any.
    pub paypal_account: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct HiveView {
    pub carts: Vec<CartView>,
    pub total: Vec<MoneyView>,
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
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct OrderView {
    pub domain: String,
    pub order_number: String,
    pub total: MoneyView,
    pub payment_summary: String,
    pub thank_you_url: Option<String>,
    pub placed_at: String,
    /// Line items as they were ordered, for the receipt.
    pub line_items: Vec<LineItemView>,
    pub totals: TotalsView,
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
