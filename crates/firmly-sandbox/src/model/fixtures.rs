//! Merchant fixtures (CONTRACTS.md §3): the four demo merchants (`data/merchants.json`), the
//! extra merchants that give documented error ids a trigger (`data/extra_merchants.json`), the
//! generated `shop-NN.test` merchants ([`crate::model::generated`]) and the wallet accounts
//! (`data/wallets.json`). Option matrices expand into variants (sku = variant id, ENDPOINTS.md
//! §9 "Fixtures per merchant"); product shapes follow ENDPOINTS.md §2.9.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::money::MoneyForm;

/// How a product must be fulfilled; items with different needs land in different shipments
/// (ENDPOINTS.md §2.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FulfillmentClass {
    /// An ordinary parcel: ship to address.
    Parcel,
    /// Furniture and appliances: scheduled delivery with a date and time slot.
    Scheduled,
    /// High-value goods sold for store pickup only.
    PickupOnly,
    /// Non-shippable goods (`DIGITAL_DELIVERY`, ENDPOINTS.md §2.4.4).
    Digital,
}

/// Where a merchant comes from; only [`MerchantKind::Demo`] merchants are "the demo merchants".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantKind {
    #[default]
    Demo,
    /// `data/extra_merchants.json`: documented error triggers.
    Extra,
    /// `shop-01.test` … `shop-50.test`.
    Generated,
}

/// Behaviour switches of the extra merchants (all off for the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct MerchantTraits {
    /// At most one promo code at a time (`MultipleDiscountCodesNotSupported 409`).
    pub one_promo_code: bool,
    /// Taxes go out of sync with every cart change until the cart is read (`MissingTaxSync`).
    pub tax_sync: bool,
    /// The store is down (`StoreUnavailable` / `ErrorStoreUnavailable`, `CannotCreateCart`).
    pub store_closed: bool,
    /// No catalog API (`AllProductsNotImplemented`, `ProductNotImplemented`).
    pub no_catalog: bool,
    /// The merchant's address form refuses PO boxes: an accepted shipping address whose
    /// `address1`/`address2` is one is listed in the cart's `validation_errors` and blocks
    /// completion (`CheckoutError 412`).
    pub no_po_box: bool,
}

/// What a logged-in customer of the merchant has (v1 Cart `store_credits`,
/// `available_store_credit`, `reward_points`, `available_reward_points`, ENDPOINTS.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct MemberPerks {
    /// The customer's store credit in minor units.
    pub store_credit: i64,
    /// The customer's reward-point balance (points).
    pub reward_points: i64,
    /// Points a cart earns per whole dollar of its subtotal.
    pub points_per_dollar: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MerchantFixture {
    pub domain: String,
    pub display_name: String,
    pub platform_id: String,
    pub shop_id: String,
    #[serde(default)]
    pub kind: MerchantKind,
    /// The postal code the merchant ships from (zone rule, [`crate::rules::zones`]).
    #[serde(default = "default_home_postal")]
    pub home_postal: String,
    /// Sales tax in basis points (825 = 8.25 %); a VAT rate when `tax_included`.
    pub tax_rate_bps: i64,
    /// Prices (items and shipping) already include the tax (`is_tax_included_in_price`,
    /// ENDPOINTS.md §2.3): nothing is added on top; `tax` reports the included portion.
    #[serde(default)]
    pub tax_included: bool,
    /// Store credit and reward points of a logged-in customer (`members.test`).
    #[serde(default)]
    pub member_perks: Option<MemberPerks>,
    pub requires_login: bool,
    /// Whether a new card can be entered (`members.test` offers only PayPal and saved cards).
    pub card_entry: bool,
    pub paypal: bool,
    pub health: String,
    pub optional_fields: serde_json::Value,
    #[serde(default)]
    pub traits: MerchantTraits,
    #[serde(default)]
    pub money_form: MoneyForm,
    #[serde(default)]
    pub accounts: Vec<String>,
    #[serde(default)]
    pub saved_cards: Vec<SavedCard>,
    /// Wallet providers whose unlocked cards this merchant accepts.
    #[serde(default)]
    pub wallets: Vec<String>,
    /// Keyed by fulfillment type id (`SHIP_TO_ADDRESS`, `SCHEDULED_DELIVERY`,
    /// `PICKUP_IN_STORE`, `DIGITAL_DELIVERY`).
    pub shipping_methods: BTreeMap<String, Vec<ShippingMethodFixture>>,
    pub pickup_locations: Vec<PickupLocationFixture>,
    pub consents: Vec<ConsentFixture>,
    #[serde(default)]
    pub addons: Vec<AddonFixture>,
    pub products: Vec<ProductFixture>,
}

fn default_home_postal() -> String {
    "98101".to_string()
}

/// An addon offer template (ENDPOINTS.md §2.4.7); eligibility is by product handle.
#[derive(Debug, Clone, Deserialize)]
pub struct AddonFixture {
    pub addon_id: String,
    pub name: String,
    pub description: String,
    /// `CART`, `ITEM` or `GROUP`; `INHERIT` for child offers.
    #[serde(default = "inherit")]
    pub scope: String,
    /// `PER_ITEM`, `PREDEFINED_GROUP` or `FREE_GROUPING`.
    #[serde(default)]
    pub coverage_mode: String,
    /// Base price in minor units.
    #[serde(default)]
    pub price: i64,
    /// PER_ITEM: unit price per eligible product handle.
    #[serde(default)]
    pub item_prices: BTreeMap<String, i64>,
    /// GROUP offers: eligible product handles.
    #[serde(default)]
    pub eligible_products: Vec<String>,
    #[serde(default)]
    pub exclusive_group_id: Option<String>,
    #[serde(default)]
    pub requires_addon_ids: Vec<String>,
    #[serde(default)]
    pub child_offers: Vec<AddonFixture>,
}

fn inherit() -> String {
    "INHERIT".to_string()
}

#[derive(Debug, Clone, Deserialize)]
pub struct SavedCard {
    pub id: String,
    pub card_type: String,
    pub last_four: String,
    pub month: u32,
    pub year: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShippingMethodFixture {
    pub id: String,
    pub description: String,
    /// Minor units, before the zone surcharge.
    pub price: i64,
    pub estimated_delivery: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PickupLocationFixture {
    pub location_id: String,
    pub name: String,
    pub address: serde_json::Value,
    pub phone: String,
    /// Miles from the merchant's home postal code (used when no destination is known).
    pub distance: f64,
    pub weekday_hours: String,
    pub weekend_hours: String,
}

impl PickupLocationFixture {
    pub fn postal_code(&self) -> &str {
        self.address["postal_code"].as_str().unwrap_or("")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConsentFixture {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub ui_slot: String,
    pub text: String,
    pub rich_text: bool,
    pub explicit: bool,
    pub required: bool,
    pub revokable: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OptionFixture {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProductFixture {
    pub handle: String,
    pub title: String,
    pub base_sku: String,
    pub product_type: String,
    pub description: String,
    /// Fill colour of the generated SVG thumbnail.
    pub color: String,
    pub fulfillment: FulfillmentClass,
    /// Whether the item may also be picked up in store.
    pub pickup: bool,
    pub options: Vec<OptionFixture>,
    pub price: i64,
    pub msrp: i64,
    /// Units in stock per variant; absent = unlimited.
    #[serde(default)]
    pub stock: Option<i64>,
    /// Variant skus that are sold out.
    #[serde(default)]
    pub unavailable: Vec<String>,
    /// Price before a recent increase (drives the PRICE_INCREASED notice).
    #[serde(default)]
    pub previous_price: Option<i64>,
    /// Expanded from `options` at load time.
    #[serde(skip)]
    pub variants: Vec<Variant>,
}

impl ProductFixture {
    /// Digital goods need no shipping (`requires_shipping: false`).
    pub fn requires_shipping(&self) -> bool {
        self.fulfillment != FulfillmentClass::Digital
    }
}

/// One purchasable variant; `sku` doubles as `variant_id` (ENDPOINTS.md §9).
#[derive(Debug, Clone)]
pub struct Variant {
    pub sku: String,
    pub option_values: Vec<String>,
    pub stock: Option<i64>,
}

impl Variant {
    /// "Black / M" style description, options in reverse order like the live sample
    /// (ENDPOINTS.md §2.4.2).
    pub fn description(&self) -> String {
        let mut parts = self.option_values.clone();
        parts.reverse();
        parts.join(" / ")
    }
}

/// A wallet account (`data/wallets.json`) that OTP unlock opens (ENDPOINTS.md §1 #49).
#[derive(Debug, Clone, Deserialize)]
pub struct WalletFixture {
    pub wallet: String,
    pub email: String,
    pub phone: String,
    pub cards: Vec<SavedCard>,
    pub addresses: Vec<serde_json::Value>,
}

impl MerchantFixture {
    pub fn product(&self, handle: &str) -> Option<&ProductFixture> {
        self.products.iter().find(|p| p.handle == handle)
    }

    /// Finds a variant by id (= sku), case-insensitively.
    pub fn variant(&self, variant_id: &str) -> Option<(&ProductFixture, &Variant)> {
        self.products.iter().find_map(|p| {
            p.variants
                .iter()
                .find(|v| v.sku.eq_ignore_ascii_case(variant_id))
                .map(|v| (p, v))
        })
    }

    /// Base shipping methods of a fulfillment type (before the zone surcharge).
    pub fn methods_for(&self, fulfillment_type: &str) -> &[ShippingMethodFixture] {
        self.shipping_methods
            .get(fulfillment_type)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn location(&self, id: &str) -> Option<&PickupLocationFixture> {
        self.pickup_locations.iter().find(|l| l.location_id == id)
    }
}

/// Expands a product's option matrix into variants `BASE-OPT1-OPT2`.
pub fn expand_variants(p: &ProductFixture) -> Vec<Variant> {
    let mut combos: Vec<Vec<String>> = vec![Vec::new()];
    for opt in &p.options {
        let mut next = Vec::new();
        for combo in &combos {
            for v in &opt.values {
                let mut c = combo.clone();
                c.push(v.clone());
                next.push(c);
            }
        }
        combos = next;
    }
    combos
        .into_iter()
        .map(|values| {
            let sku = if values.is_empty() {
                p.base_sku.clone()
            } else {
                format!("{}-{}", p.base_sku, values.join("-"))
            };
            let stock = if p.unavailable.contains(&sku) {
                Some(0)
            } else {
                p.stock
            };
            Variant {
                sku,
                option_values: values,
                stock,
            }
        })
        .collect()
}
