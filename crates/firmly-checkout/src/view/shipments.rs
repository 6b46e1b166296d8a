//! What a shipment offers and what was chosen: fulfillment types, methods, dates and slots,
//! pickup locations, delivery windows and pickup options (ENDPOINTS.md §2.4).

use serde::{Deserialize, Serialize};
use specta::Type;

use super::*;

/// A fulfillment type (ENDPOINTS.md §2.4.4), by the API's id. `PICKUP_IN_STORE` also reads
/// the `IN_STORE_PICKUP` spelling (§7 C7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum FulfillmentKind {
    #[serde(rename = "SHIP_TO_ADDRESS")]
    ShipToAddress,
    #[serde(rename = "SCHEDULED_DELIVERY")]
    ScheduledDelivery,
    #[serde(rename = "PICKUP_IN_STORE")]
    PickupInStore,
    #[serde(rename = "DIGITAL_DELIVERY")]
    DigitalDelivery,
    /// A type this app does not know; its API id is in the view's `id`.
    #[serde(rename = "OTHER")]
    Other,
}

/// One fulfillment type a shipment may switch to.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct FulfillmentChoiceView {
    pub kind: FulfillmentKind,
    /// The API's id, sent back when this choice is made.
    pub id: String,
    /// The merchant's name for it, if it gave one.
    pub name: Option<String>,
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
    /// Dates with their slots at this location (per-location `pickup_options`), if given.
    pub dates: Vec<AvailableDateView>,
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
    pub fulfillment_type: FulfillmentKind,
    /// The API's id of the current fulfillment type.
    pub fulfillment_id: String,
    pub fulfillment_options: Vec<FulfillmentChoiceView>,
    pub line_item_ids: Vec<String>,
    pub methods: Vec<ShippingMethodView>,
    pub selected_method: Option<String>,
    pub selected_date: Option<String>,
    /// The time slot the merchant's cart confirms (`selected_time_slot`), if any.
    pub selected_slot: Option<SlotView>,
    /// A slot this desk asked for that the merchant's cart did not echo: the time is NOT
    /// confirmed (the docs offer no way to choose a slot, ENDPOINTS.md §7 C31).
    pub unconfirmed_slot: Option<String>,
    pub selected_location: Option<LocationView>,
    /// How the pickup is handed over, as the merchant's cart says (`pickup_option`).
    pub pickup_option: Option<PickupOptionView>,
    pub notes: Option<String>,
    pub cost: Option<MoneyView>,
    pub discounts: Vec<DiscountView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AvailableDateView {
    pub date: String,
    pub description: Option<String>,
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DeliveryWindowView {
    pub window_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub price: Option<MoneyView>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PickupOptionView {
    pub option_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub instructions: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AvailabilityView {
    pub shipment_id: String,
    pub fulfillment_type: FulfillmentKind,
    pub dates: Vec<AvailableDateView>,
    pub locations: Vec<LocationView>,
    pub methods: Vec<ShippingMethodView>,
    /// Scheduled-delivery windows (`delivery_windows`, ENDPOINTS.md §2.4.6).
    pub windows: Vec<DeliveryWindowView>,
    /// How a pickup is handed over (top-level `pickup_options`: curbside, in-store).
    pub pickup_options: Vec<PickupOptionView>,
    /// The delivery window the shopper chose (the dates above are within it).
    pub chosen_window: Option<String>,
    /// The pickup option the shopper chose.
    pub chosen_pickup_option: Option<String>,
}
