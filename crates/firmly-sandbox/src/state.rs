//! The sandbox's in-memory world (ENDPOINTS.md §9 "State"): devices, carts keyed by
//! `(device_id, domain)` with one internal model rendered as the v1 Cart
//! (`002_599d5acdabf6b74d.txt:12497`) or ShoppingCartV2 (`002_599d5acdabf6b74d.txt:4004`),
//! shipments (`:4035`), submitted orders (`:12768`), the request journal and the sandbox
//! clock. Mutations happen under one short-lived lock, never held across an `.await`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use parking_lot::Mutex;
use serde::Serialize;

use crate::address::Address;
use crate::data::{Catalog, FulfillmentClass, MerchantFixture};
use crate::vault::VaultKeys;

/// Shared, immutable-after-start parts plus the locked world.
pub struct Shared {
    pub catalog: Catalog,
    /// `http://HOST:PORT`, used for absolute image, product and thank-you URLs.
    pub base_url: String,
    pub jwt_secret: Vec<u8>,
    /// The current payment key; `POST /__sandbox/rotate-key` replaces it.
    pub vault: parking_lot::RwLock<Arc<VaultKeys>>,
    pub world: Mutex<World>,
}

pub type AppState = Arc<Shared>;

impl Shared {
    pub fn now(&self) -> DateTime<Utc> {
        self.world.lock().now()
    }

    /// The current payment key pair.
    pub fn keys(&self) -> Arc<VaultKeys> {
        self.vault.read().clone()
    }

    pub fn merchant(&self, domain: &str) -> Option<&MerchantFixture> {
        self.catalog.merchant(domain)
    }
}

/// `prefix_` + 16 lowercase hex characters.
pub fn short_id(prefix: &str) -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}_{}", &hex[..16])
}

/// 16 random hex characters (CF-RAY ids, PayPal tokens).
pub fn hex16() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_string()
}

#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub app_id: String,
    /// Merchant accounts this device is logged in to (OTP login): domain → account email.
    pub logged_in: BTreeMap<String, String>,
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderRecord {
    pub order_number: String,
    pub domain: String,
    pub cart_id: String,
    /// Decimal string in the cart's currency.
    pub total: String,
    pub payment_type: String,
    pub placed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfillmentType {
    ShipToAddress,
    ScheduledDelivery,
    PickupInStore,
}

impl FulfillmentType {
    pub fn id(self) -> &'static str {
        match self {
            FulfillmentType::ShipToAddress => "SHIP_TO_ADDRESS",
            FulfillmentType::ScheduledDelivery => "SCHEDULED_DELIVERY",
            FulfillmentType::PickupInStore => "PICKUP_IN_STORE",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            FulfillmentType::ShipToAddress => "Ship to Address",
            FulfillmentType::ScheduledDelivery => "Scheduled Delivery",
            FulfillmentType::PickupInStore => "In-Store Pickup",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            FulfillmentType::ShipToAddress => "Standard shipping to customer address",
            FulfillmentType::ScheduledDelivery => "Delivery on a scheduled date and time slot",
            FulfillmentType::PickupInStore => "Pick up at a store location",
        }
    }
    /// Accepts the documented id and the `IN_STORE_PICKUP` spelling (ENDPOINTS.md §7 C7).
    pub fn parse(s: &str) -> Option<FulfillmentType> {
        match s.trim().to_ascii_uppercase().as_str() {
            "SHIP_TO_ADDRESS" => Some(FulfillmentType::ShipToAddress),
            "SCHEDULED_DELIVERY" => Some(FulfillmentType::ScheduledDelivery),
            "PICKUP_IN_STORE" | "IN_STORE_PICKUP" => Some(FulfillmentType::PickupInStore),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LineItem {
    pub line_item_id: String,
    pub platform_line_item_id: String,
    /// = the variant's sku.
    pub variant_id: String,
    pub quantity: i64,
    pub variant_handles: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Shipment {
    pub shipment_id: String,
    /// The fulfillment need that groups items into this shipment.
    pub class: FulfillmentClass,
    pub fulfillment_type: FulfillmentType,
    pub method_id: Option<String>,
    /// Whether the shopper chose the method (v1 keeps a chosen method on new shipping info).
    pub method_chosen: bool,
    /// Whether the cheapest method may be filled in once shipping info is known. Cleared by an
    /// explicit fulfillment-type change, which leaves `shipping_method: null` (`:5624`).
    pub auto_method: bool,
    pub selected_date: Option<NaiveDate>,
    pub slot_id: Option<String>,
    pub location_id: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonSelection {
    pub addon_id: String,
    pub line_item_ids: Vec<String>,
    pub child_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PaypalState {
    pub token: String,
    /// The approval page (the sandbox's PayPal simulator).
    pub url: String,
    pub return_url: String,
    pub payer_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub order_number: String,
    pub submitted_at: DateTime<Utc>,
    pub payment_method: serde_json::Value,
    pub thank_you_page: String,
}

/// One merchant cart of one device.
#[derive(Debug, Clone)]
pub struct Cart {
    pub cart_id: String,
    pub domain: String,
    pub device_id: String,
    pub items: Vec<LineItem>,
    pub shipments: Vec<Shipment>,
    pub shipping_info: Option<Address>,
    pub billing_info: Option<Address>,
    pub payment_handle: Option<String>,
    pub promo_codes: Vec<String>,
    pub addon_selections: Vec<AddonSelection>,
    pub consents_granted: BTreeSet<String>,
    pub paypal: Option<PaypalState>,
    pub attribution: Option<serde_json::Value>,
    pub submitted: Option<Submission>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Cart {
    pub fn new(device_id: &str, domain: &str, now: DateTime<Utc>) -> Cart {
        Cart {
            cart_id: uuid::Uuid::new_v4().to_string(),
            domain: domain.to_string(),
            device_id: device_id.to_string(),
            items: Vec::new(),
            shipments: Vec::new(),
            shipping_info: None,
            billing_info: None,
            payment_handle: None,
            promo_codes: Vec::new(),
            addon_selections: Vec::new(),
            consents_granted: BTreeSet::new(),
            paypal: None,
            attribution: None,
            submitted: None,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn item_class(m: &MerchantFixture, item: &LineItem) -> FulfillmentClass {
        m.variant(&item.variant_id)
            .map(|(p, _)| p.fulfillment)
            .unwrap_or(FulfillmentClass::Parcel)
    }

    /// Line item ids of one shipment.
    pub fn shipment_items(&self, m: &MerchantFixture, s: &Shipment) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| Cart::item_class(m, i) == s.class)
            .map(|i| i.line_item_id.clone())
            .collect()
    }

    /// Fulfillment types a shipment may switch to: its class's own type, plus pickup when every
    /// item in it can be picked up and the merchant has stores.
    pub fn fulfillment_options(&self, m: &MerchantFixture, s: &Shipment) -> Vec<FulfillmentType> {
        let all_pickup = self
            .items
            .iter()
            .filter(|i| Cart::item_class(m, i) == s.class)
            .all(|i| m.variant(&i.variant_id).is_some_and(|(p, _)| p.pickup));
        let pickup_ok = all_pickup && !m.pickup_locations.is_empty();
        match s.class {
            FulfillmentClass::Parcel if pickup_ok => {
                vec![
                    FulfillmentType::ShipToAddress,
                    FulfillmentType::PickupInStore,
                ]
            }
            FulfillmentClass::Parcel => vec![FulfillmentType::ShipToAddress],
            FulfillmentClass::Scheduled if pickup_ok => vec![
                FulfillmentType::ScheduledDelivery,
                FulfillmentType::PickupInStore,
            ],
            FulfillmentClass::Scheduled => vec![FulfillmentType::ScheduledDelivery],
            FulfillmentClass::PickupOnly => vec![FulfillmentType::PickupInStore],
        }
    }

    /// Re-derives shipments from the line items and keeps every derived choice consistent:
    /// one shipment per fulfillment need (kept with its id and choices while it has items),
    /// a fulfillment type the shipment still allows, a method that is still offered, the
    /// cheapest method as default once shipping info is set, addon selections only over
    /// line items that still exist.
    pub fn normalize(&mut self, m: &MerchantFixture) {
        let classes: BTreeSet<FulfillmentClass> =
            self.items.iter().map(|i| Cart::item_class(m, i)).collect();
        self.shipments.retain(|s| classes.contains(&s.class));
        for class in &classes {
            if !self.shipments.iter().any(|s| s.class == *class) {
                let ft = match class {
                    FulfillmentClass::Parcel => FulfillmentType::ShipToAddress,
                    FulfillmentClass::Scheduled => FulfillmentType::ScheduledDelivery,
                    FulfillmentClass::PickupOnly => FulfillmentType::PickupInStore,
                };
                self.shipments.push(Shipment {
                    shipment_id: short_id("shp"),
                    class: *class,
                    fulfillment_type: ft,
                    method_id: None,
                    method_chosen: false,
                    auto_method: true,
                    selected_date: None,
                    slot_id: None,
                    location_id: None,
                    notes: String::new(),
                });
            }
        }
        self.shipments.sort_by_key(|s| s.class);
        let has_address = self.shipping_info.is_some();
        for i in 0..self.shipments.len() {
            let options = self.fulfillment_options(m, &self.shipments[i]);
            let s = &mut self.shipments[i];
            if !options.contains(&s.fulfillment_type) {
                s.fulfillment_type = options[0];
                s.method_id = None;
                s.method_chosen = false;
                s.auto_method = true;
                s.selected_date = None;
                s.slot_id = None;
                s.location_id = None;
            }
            let methods = m.methods_for(s.fulfillment_type.id());
            if let Some(id) = &s.method_id {
                if !methods.iter().any(|x| &x.id == id) {
                    s.method_id = None;
                    s.method_chosen = false;
                }
            }
            if s.method_id.is_none() && has_address && s.auto_method {
                s.method_id = methods.iter().min_by_key(|x| x.price).map(|x| x.id.clone());
            }
        }
        crate::addons::reconcile(m, self);
    }
}

/// Active carts expire after this many idle days (sandbox convention; moving the clock with
/// `POST /__sandbox/clock` expires them).
pub const CART_TTL_DAYS: i64 = 7;

/// Everything that a reset forgets.
pub struct World {
    /// Seconds added to the wall clock (`POST /__sandbox/clock`).
    pub clock_offset: i64,
    pub devices: HashMap<String, DeviceRecord>,
    /// Active carts keyed by `(device_id, domain)`.
    pub carts: HashMap<(String, String), Cart>,
    /// Submitted carts by `cart_id`.
    pub submitted: BTreeMap<String, Cart>,
    pub orders: Vec<OrderRecord>,
    pub next_order: u64,
    pub journal: Vec<JournalEntry>,
    pub faults: Vec<crate::admin::FaultRule>,
    /// Last one-time password sent to an email address.
    pub otps: HashMap<String, String>,
    /// Wallet unlock sessions: access token → (wallet, email, otp, unlocked).
    pub wallet_sessions: HashMap<String, crate::wallet::WalletSession>,
    /// Payment tokens from `/api/v1/payment/tokenize`: token → (handle, decrypted card).
    pub payment_tokens: HashMap<String, crate::vault::TokenizedCard>,
    /// Units sold per `(domain, sku)`; limited stock runs down as orders are placed.
    pub sold: HashMap<(String, String), i64>,
}

impl Default for World {
    fn default() -> Self {
        World {
            clock_offset: 0,
            devices: HashMap::new(),
            carts: HashMap::new(),
            submitted: BTreeMap::new(),
            orders: Vec::new(),
            next_order: 1001,
            journal: Vec::new(),
            faults: Vec::new(),
            otps: HashMap::new(),
            wallet_sessions: HashMap::new(),
            payment_tokens: HashMap::new(),
            sold: HashMap::new(),
        }
    }
}

impl World {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.clock_offset)
    }

    /// The device's active cart for a merchant for a change: created empty when there is none
    /// or when the current one was submitted.
    pub fn cart_mut(&mut self, device_id: &str, domain: &str) -> &mut Cart {
        let now = self.now();
        let cart = self
            .carts
            .entry((device_id.to_string(), domain.to_string()))
            .or_insert_with(|| Cart::new(device_id, domain, now));
        if cart.submitted.is_some() {
            *cart = Cart::new(device_id, domain, now);
        }
        cart
    }

    /// The device's open (not submitted) cart for a merchant, if any.
    pub fn open_cart(&self, device_id: &str, domain: &str) -> Option<&Cart> {
        self.cart(device_id, domain)
            .filter(|c| c.submitted.is_none())
    }

    pub fn cart(&self, device_id: &str, domain: &str) -> Option<&Cart> {
        self.carts.get(&(device_id.to_string(), domain.to_string()))
    }

    /// Forgets active carts idle for longer than [`CART_TTL_DAYS`] on the sandbox clock.
    pub fn prune_expired(&mut self) {
        let cutoff = self.now() - Duration::days(CART_TTL_DAYS);
        self.carts.retain(|_, c| c.updated_at >= cutoff);
    }

    /// Units left of a variant (`None` = unlimited).
    pub fn stock_left(&self, m: &MerchantFixture, sku: &str) -> Option<i64> {
        let (_, v) = m.variant(sku)?;
        let sold = self
            .sold
            .get(&(m.domain.clone(), v.sku.clone()))
            .copied()
            .unwrap_or(0);
        v.stock.map(|s| (s - sold).max(0))
    }

    pub fn logged_in(&self, device_id: &str, domain: &str) -> bool {
        self.devices
            .get(device_id)
            .is_some_and(|d| d.logged_in.contains_key(domain))
    }

    /// The account email the device is logged in with at `domain`.
    pub fn account_email(&self, device_id: &str, domain: &str) -> Option<&str> {
        self.devices
            .get(device_id)
            .and_then(|d| d.logged_in.get(domain))
            .map(String::as_str)
    }
}
