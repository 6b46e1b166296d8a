//! Shipments, methods, slots, pickup locations and availability → views. Per-shipment data
//! is authoritative (ENDPOINTS.md §7 C34); availability arrives in either documented form
//! (§7 C8) and is shown as one.

use firmly_api::{
    Availability, AvailableDate, CartV2, FulfillmentType, FulfillmentTypeKind, PickupLocation,
    Shipment, ShippingMethod, TimeSlot,
};

use super::{money, money_or_none_if_zero};
use crate::view::*;

/// The view's kind of an API fulfillment type.
pub fn fulfillment_kind(ft: &FulfillmentType) -> FulfillmentKind {
    match ft.kind() {
        FulfillmentTypeKind::ShipToAddress => FulfillmentKind::ShipToAddress,
        FulfillmentTypeKind::ScheduledDelivery => FulfillmentKind::ScheduledDelivery,
        FulfillmentTypeKind::PickupInStore => FulfillmentKind::PickupInStore,
        FulfillmentTypeKind::DigitalDelivery => FulfillmentKind::DigitalDelivery,
        FulfillmentTypeKind::Other => FulfillmentKind::Other,
    }
}

pub(crate) fn method_view(m: &ShippingMethod, currency: &str) -> ShippingMethodView {
    ShippingMethodView {
        id: m.id.clone(),
        description: m.description.clone().unwrap_or_else(|| m.id.clone()),
        price: money(&m.price, currency),
        estimated_delivery: m.estimated_delivery.clone(),
    }
}

pub fn slot_view(t: &TimeSlot, currency: &str) -> SlotView {
    SlotView {
        slot_id: t.slot_id.clone(),
        start: t
            .start_time
            .as_ref()
            .map(|x| x.display())
            .unwrap_or_default(),
        end: t.end_time.as_ref().map(|x| x.display()).unwrap_or_default(),
        description: t.description.clone(),
        available: t.available.unwrap_or(true),
        price: money_or_none_if_zero(&t.price, currency),
    }
}

fn date_view(d: &AvailableDate, currency: &str) -> AvailableDateView {
    AvailableDateView {
        date: d.date.clone(),
        description: d.description.clone(),
        slots: d
            .time_slots
            .iter()
            .map(|t| slot_view(t, currency))
            .collect(),
    }
}

pub fn location_view(l: &PickupLocation, currency: &str) -> LocationView {
    let address = l
        .address
        .as_ref()
        .map(|a| {
            [
                a.address1.clone(),
                a.city.clone(),
                a.state_or_province.clone(),
                a.postal_code.clone(),
            ]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
        })
        .unwrap_or_default();
    LocationView {
        dates: l
            .pickup_options
            .iter()
            .map(|d| date_view(d, currency))
            .collect(),
        location_id: l.location_id.clone(),
        name: l.name.clone().unwrap_or_else(|| l.location_id.clone()),
        address,
        phone: l.phone.clone(),
        hours: l.hours.iter().map(|h| h.display()).collect(),
        distance: l.distance_display(),
        available: l.available.unwrap_or(true),
    }
}

/// A shipment as shown. `requested_slot` is the slot this desk last asked for: it is shown
/// as booked only when the cart echoes it in `selected_time_slot` (the docs offer no slot
/// choice, §7 C31), else it is reported as unconfirmed.
pub(crate) fn shipment_view(
    sh: &Shipment,
    currency: &str,
    requested_slot: Option<&str>,
) -> ShipmentView {
    let ft = sh.fulfillment();
    let selected_slot = sh
        .selected_time_slot
        .as_ref()
        .map(|t| slot_view(t, currency));
    let unconfirmed_slot = requested_slot
        .filter(|want| selected_slot.as_ref().is_none_or(|s| s.slot_id != *want))
        .map(str::to_string);
    let cost = sh
        .shipping_total
        .as_ref()
        .or(sh.shipping_method.as_ref().and_then(|m| m.price.as_ref()))
        .map(|a| MoneyView::from(&a.to_money(currency)));
    ShipmentView {
        shipment_id: sh.shipment_id.clone(),
        fulfillment_type: fulfillment_kind(&ft),
        fulfillment_id: ft.as_str().to_string(),
        fulfillment_options: sh
            .fulfillment_type_options
            .iter()
            .map(|o| FulfillmentChoiceView {
                kind: fulfillment_kind(&o.id),
                id: o.id.as_str().to_string(),
                name: o.name.clone(),
                description: o.description.clone(),
            })
            .collect(),
        line_item_ids: sh.line_item_ids.clone(),
        methods: sh
            .shipping_method_options
            .iter()
            .map(|m| method_view(m, currency))
            .collect(),
        selected_method: sh.shipping_method.as_ref().map(|m| m.id.clone()),
        selected_date: sh.selected_date.clone(),
        selected_slot,
        unconfirmed_slot,
        selected_location: sh
            .selected_location
            .as_ref()
            .map(|l| location_view(l, currency)),
        pickup_option: sh.pickup_option.as_ref().map(|p| pickup_option_view(0, p)),
        notes: sh.notes.clone().filter(|n| !n.is_empty()),
        cost,
        discounts: sh
            .discounts
            .iter()
            .map(|d| DiscountView {
                code: d.code.clone().unwrap_or_default(),
                description: d.description.clone(),
                amount: money(&d.amount, currency),
            })
            .collect(),
    }
}

pub fn availability_view(
    shipment_id: &str,
    a: &Availability,
    cart: Option<&CartV2>,
) -> AvailabilityView {
    let currency = cart.map(|c| c.currency()).unwrap_or_else(|| "USD".into());
    let c = currency.as_str();
    // The scheduled form omits `shipment_id` and may omit the type (ENDPOINTS.md §2.4.6): fall back to
    // the shipment's own.
    let ft = a
        .fulfillment_type
        .as_ref()
        .map(|f| f.id.clone())
        .or_else(|| {
            cart.and_then(|c| c.shipment(shipment_id))
                .map(|s| s.fulfillment())
        })
        .unwrap_or_default();
    AvailabilityView {
        shipment_id: a
            .shipment_id
            .clone()
            .unwrap_or_else(|| shipment_id.to_string()),
        fulfillment_type: fulfillment_kind(&ft),
        dates: a.dates.iter().map(|d| date_view(d, c)).collect(),
        locations: a
            .pickup_locations
            .iter()
            .map(|l| location_view(l, c))
            .collect(),
        methods: a
            .shipping_methods
            .iter()
            .map(|m| method_view(m, c))
            .collect(),
        windows: a
            .delivery_windows
            .iter()
            .enumerate()
            .map(|(i, w)| DeliveryWindowView {
                window_id: w.window_id.clone().unwrap_or_else(|| format!("window-{i}")),
                name: w.name.clone(),
                description: w.description.clone(),
                price: money(&w.price, c),
                start_date: w.date_range.as_ref().and_then(|r| r.start_date.clone()),
                end_date: w.date_range.as_ref().and_then(|r| r.end_date.clone()),
            })
            .collect(),
        pickup_options: a
            .pickup_options
            .iter()
            .enumerate()
            .map(|(i, p)| pickup_option_view(i, p))
            .collect(),
        chosen_window: None,
        chosen_pickup_option: None,
    }
}

fn pickup_option_view(i: usize, p: &firmly_api::PickupOption) -> PickupOptionView {
    PickupOptionView {
        option_id: p.option_id.clone().unwrap_or_else(|| format!("option-{i}")),
        name: p.name.clone(),
        description: p.description.clone(),
        instructions: p.additional_instructions.clone(),
    }
}
