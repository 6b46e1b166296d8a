//! Demo merchant fixtures (CONTRACTS.md §3 "Demo merchants"): the four seeded shops, their
//! products and variants, shipping methods per fulfillment type, pickup locations and
//! consents. The data lives in `data/merchants.json`; this module parses it once and expands
//! option matrices into variants (sku = variant id, ENDPOINTS.md §9 "Fixtures per merchant").
//! Product shapes follow the catalog schema at `002_599d5acdabf6b74d.txt:12920`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// How a product must be fulfilled; items with different needs land in different shipments
/// (`002_599d5acdabf6b74d.txt:1740`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FulfillmentClass {
    /// An ordinary parcel: ship to address.
    Parcel,
    /// Furniture and appliances: scheduled delivery with a date and time slot.
    Scheduled,
    /// High-value goods sold for store pickup only.
    PickupOnly,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MerchantFixture {
    pub domain: String,
    pub display_name: String,
    pub platform_id: String,
    pub shop_id: String,
    /// Sales tax in basis points (825 = 8.25 %).
    pub tax_rate_bps: i64,
    pub requires_login: bool,
    /// Whether a new card can be entered (`members.test` offers only PayPal and saved cards).
    pub card_entry: bool,
    pub paypal: bool,
    pub health: String,
    pub optional_fields: serde_json::Value,
    #[serde(default)]
    pub accounts: Vec<String>,
    #[serde(default)]
    pub saved_cards: Vec<SavedCard>,
    /// Wallet providers whose unlocked cards this merchant accepts.
    #[serde(default)]
    pub wallets: Vec<String>,
    /// Keyed by fulfillment type id (`SHIP_TO_ADDRESS`, `SCHEDULED_DELIVERY`, `PICKUP_IN_STORE`).
    pub shipping_methods: BTreeMap<String, Vec<ShippingMethodFixture>>,
    pub pickup_locations: Vec<PickupLocationFixture>,
    pub consents: Vec<ConsentFixture>,
    #[serde(default)]
    pub addons: Vec<AddonFixture>,
    pub products: Vec<ProductFixture>,
}

/// An addon offer template (`002_599d5acdabf6b74d.txt:4168`); eligibility is by product handle.
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
    /// Minor units.
    pub price: i64,
    pub estimated_delivery: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PickupLocationFixture {
    pub location_id: String,
    pub name: String,
    pub address: serde_json::Value,
    pub phone: String,
    pub distance: f64,
    pub weekday_hours: String,
    pub weekend_hours: String,
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

/// One purchasable variant; `sku` doubles as `variant_id` (ENDPOINTS.md §9).
#[derive(Debug, Clone)]
pub struct Variant {
    pub sku: String,
    pub option_values: Vec<String>,
    pub stock: Option<i64>,
}

impl Variant {
    pub fn available(&self) -> bool {
        self.stock.is_none_or(|s| s > 0)
    }
    /// "Black / M" style description, options in reverse order like the live sample
    /// (`004_aafe42603e041247.txt:30`).
    pub fn description(&self) -> String {
        let mut parts = self.option_values.clone();
        parts.reverse();
        parts.join(" / ")
    }
}

/// A wallet account (`data/wallets.json`) that OTP unlock opens (`002_599d5acdabf6b74d.txt:10470`).
#[derive(Debug, Clone, Deserialize)]
pub struct WalletFixture {
    pub wallet: String,
    pub email: String,
    pub phone: String,
    pub cards: Vec<SavedCard>,
    pub addresses: Vec<serde_json::Value>,
}

/// All merchants, in fixture order, and the wallet accounts.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub merchants: Vec<MerchantFixture>,
    pub wallets: Vec<WalletFixture>,
}

impl Catalog {
    /// Parses the embedded fixture file. Panics only if the embedded data is malformed,
    /// which a unit test guards.
    pub fn load() -> Catalog {
        let raw = include_str!("../data/merchants.json");
        let mut merchants: Vec<MerchantFixture> =
            serde_json::from_str(raw).expect("embedded data/merchants.json is valid");
        for m in &mut merchants {
            for p in &mut m.products {
                p.variants = expand_variants(p);
            }
        }
        let wallets: Vec<WalletFixture> =
            serde_json::from_str(include_str!("../data/wallets.json"))
                .expect("embedded data/wallets.json is valid");
        Catalog { merchants, wallets }
    }

    pub fn merchant(&self, domain: &str) -> Option<&MerchantFixture> {
        self.merchants
            .iter()
            .find(|m| m.domain.eq_ignore_ascii_case(domain))
    }
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

fn expand_variants(p: &ProductFixture) -> Vec<Variant> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_parse_and_expand() {
        let c = Catalog::load();
        assert_eq!(c.merchants.len(), 4);
        let luma = c.merchant("staging.luma.gift").expect("luma");
        let (p, v) = luma.variant("MH07-M-Black").expect("hoodie");
        assert_eq!(p.handle, "hero-hoodie");
        assert_eq!(v.description(), "Black / M");
        assert!(luma.variant("WS12-XS-Blue").is_some());
        assert!(!luma.variant("MH07-XL-Green").expect("green").1.available());
        let gadgets = c.merchant("gadgets.test").expect("gadgets");
        assert_eq!(gadgets.variant("GAD-HUB-01").expect("hub").1.stock, Some(2));
    }
}
