//! One merchant cart of one device: line items, shipments (ENDPOINTS.md §2.4.3),
//! addresses, promo codes, addon selections, consents, PayPal state and — once ordered — the
//! submission (ENDPOINTS.md §2.3). One internal model is rendered as the v1 Cart (ENDPOINTS.md §2.3), the
//! ShoppingCartV2 (ENDPOINTS.md §2.4.1) or the simplified cart (ENDPOINTS.md §2.5).

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::address::Address;
use crate::model::fixtures::{FulfillmentClass, MerchantFixture};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfillmentType {
    ShipToAddress,
    ScheduledDelivery,
    PickupInStore,
    /// Read-only type of non-shippable items (ENDPOINTS.md §7 C7, §2.4.4).
    DigitalDelivery,
}

impl FulfillmentType {
    pub fn id(self) -> &'static str {
        match self {
            FulfillmentType::ShipToAddress => "SHIP_TO_ADDRESS",
            FulfillmentType::ScheduledDelivery => "SCHEDULED_DELIVERY",
            FulfillmentType::PickupInStore => "PICKUP_IN_STORE",
            FulfillmentType::DigitalDelivery => "DIGITAL_DELIVERY",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            FulfillmentType::ShipToAddress => "Ship to Address",
            FulfillmentType::ScheduledDelivery => "Scheduled Delivery",
            FulfillmentType::PickupInStore => "In-Store Pickup",
            FulfillmentType::DigitalDelivery => "Digital Delivery",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            FulfillmentType::ShipToAddress => "Standard shipping to customer address",
            FulfillmentType::ScheduledDelivery => "Delivery on a scheduled date and time slot",
            FulfillmentType::PickupInStore => "Pick up at a store location",
            FulfillmentType::DigitalDelivery => "Instant digital access",
        }
    }
    /// Accepts the documented ids and the `IN_STORE_PICKUP` spelling (ENDPOINTS.md §7 C7).
    pub fn parse(s: &str) -> Option<FulfillmentType> {
        match s.trim().to_ascii_uppercase().as_str() {
            "SHIP_TO_ADDRESS" => Some(FulfillmentType::ShipToAddress),
            "SCHEDULED_DELIVERY" => Some(FulfillmentType::ScheduledDelivery),
            "PICKUP_IN_STORE" | "IN_STORE_PICKUP" => Some(FulfillmentType::PickupInStore),
            "DIGITAL_DELIVERY" => Some(FulfillmentType::DigitalDelivery),
            _ => None,
        }
    }
    /// The type a fresh shipment of this class starts with.
    pub fn default_for(class: FulfillmentClass) -> FulfillmentType {
        match class {
            FulfillmentClass::Parcel => FulfillmentType::ShipToAddress,
            FulfillmentClass::Scheduled => FulfillmentType::ScheduledDelivery,
            FulfillmentClass::PickupOnly => FulfillmentType::PickupInStore,
            FulfillmentClass::Digital => FulfillmentType::DigitalDelivery,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    pub line_item_id: String,
    pub platform_line_item_id: String,
    /// = the variant's sku.
    pub variant_id: String,
    pub quantity: i64,
    pub variant_handles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shipment {
    pub shipment_id: String,
    /// The fulfillment need that groups items into this shipment.
    pub class: FulfillmentClass,
    pub fulfillment_type: FulfillmentType,
    pub method_id: Option<String>,
    /// Whether the shopper chose the method (v1 keeps a chosen method on new shipping info).
    pub method_chosen: bool,
    /// Whether the cheapest method may be filled in once shipping info is known. Cleared by an
    /// explicit fulfillment-type change, which leaves `shipping_method: null` (ENDPOINTS.md §7 C30).
    pub auto_method: bool,
    pub selected_date: Option<NaiveDate>,
    pub slot_id: Option<String>,
    pub location_id: Option<String>,
    pub notes: String,
}

impl Shipment {
    pub fn new(shipment_id: String, class: FulfillmentClass) -> Shipment {
        Shipment {
            shipment_id,
            class,
            fulfillment_type: FulfillmentType::default_for(class),
            method_id: None,
            method_chosen: false,
            auto_method: true,
            selected_date: None,
            slot_id: None,
            location_id: None,
            notes: String::new(),
        }
    }

    /// Forgets every choice tied to the fulfillment type.
    pub fn reset_choices(&mut self) {
        self.method_id = None;
        self.method_chosen = false;
        self.selected_date = None;
        self.slot_id = None;
        self.location_id = None;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonSelection {
    pub addon_id: String,
    pub line_item_ids: Vec<String>,
    pub child_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaypalState {
    pub token: String,
    /// The approval page (the sandbox's PayPal simulator).
    pub url: String,
    pub return_url: String,
    pub payer_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub order_number: String,
    pub submitted_at: DateTime<Utc>,
    pub payment_method: serde_json::Value,
    pub thank_you_page: String,
}

/// One merchant cart of one device.
#[derive(Debug, Clone, PartialEq)]
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
    /// The device's preferred postal code (`POST /api/v2/carts/postal-code`), copied in when
    /// the cart is read or changed; the shipping address's postal code wins over it.
    pub estimate_postal: Option<String>,
    /// False after a change on a `tax_sync` merchant until the cart is read (MissingTaxSync).
    pub tax_synced: bool,
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
            estimate_postal: None,
            tax_synced: true,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn is_open(&self) -> bool {
        self.submitted.is_none()
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

    /// Whether any item needs a shipping address (digital items do not).
    pub fn needs_shipping(&self, m: &MerchantFixture) -> bool {
        self.items
            .iter()
            .any(|i| Cart::item_class(m, i) != FulfillmentClass::Digital)
    }

    /// The postal code that decides the shipping zone: the shipping address's, else the
    /// device's preference.
    pub fn destination_postal(&self) -> Option<&str> {
        self.shipping_info
            .as_ref()
            .map(|a| a.postal_code.as_str())
            .or(self.estimate_postal.as_deref())
    }
}
