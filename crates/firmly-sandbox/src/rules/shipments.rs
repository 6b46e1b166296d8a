//! Shipment rules (ENDPOINTS.md §2.4.3 Shipment schema, §1 #17 fulfillment type,
//! ENDPOINTS.md §1 #18 shipping method; ENDPOINTS.md §7 C7, C30-C32): grouping items into one shipment
//! per fulfillment need, the fulfillment types a shipment may switch to, the cheapest method as
//! default once shipping info is set, and [`validate_shipment_selection`] — the checks of
//! `POST …/cart/shipment/methods`.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::json;

use crate::model::cart::{Cart, FulfillmentType, Shipment};
use crate::model::fixtures::{FulfillmentClass, MerchantFixture};
use crate::model::ids::short_id;
use crate::rules::calendar::{date_available, parse_slot, pickup_date_available, slot_available};
use crate::rules::{addons, zones, Rule, RuleResult};

/// Fulfillment types a shipment may switch to: its class's own type, plus pickup when every
/// item in it can be picked up and the merchant has stores.
pub fn fulfillment_options(cart: &Cart, m: &MerchantFixture, s: &Shipment) -> Vec<FulfillmentType> {
    let all_pickup = cart
        .items
        .iter()
        .filter(|i| Cart::item_class(m, i) == s.class)
        .all(|i| m.variant(&i.variant_id).is_some_and(|(p, _)| p.pickup));
    let pickup_ok = all_pickup && !m.pickup_locations.is_empty();
    let own = FulfillmentType::default_for(s.class);
    match s.class {
        FulfillmentClass::Parcel | FulfillmentClass::Scheduled if pickup_ok => {
            vec![own, FulfillmentType::PickupInStore]
        }
        _ => vec![own],
    }
}

/// Re-derives shipments from the line items and keeps every derived choice consistent: one
/// shipment per fulfillment need (kept with its id and choices while it has items), a
/// fulfillment type the shipment still allows, a method that is still offered, the cheapest
/// method as default once shipping info is set (digital shipments need no address), addon
/// selections only over line items that still exist.
pub fn normalize(cart: &mut Cart, m: &MerchantFixture) {
    let classes: BTreeSet<FulfillmentClass> =
        cart.items.iter().map(|i| Cart::item_class(m, i)).collect();
    cart.shipments.retain(|s| classes.contains(&s.class));
    for class in &classes {
        if !cart.shipments.iter().any(|s| s.class == *class) {
            cart.shipments.push(Shipment::new(short_id("shp"), *class));
        }
    }
    cart.shipments.sort_by_key(|s| s.class);
    let has_address = cart.shipping_info.is_some();
    for i in 0..cart.shipments.len() {
        let options = fulfillment_options(cart, m, &cart.shipments[i]);
        let s = &mut cart.shipments[i];
        if !options.contains(&s.fulfillment_type) {
            s.fulfillment_type = FulfillmentType::default_for(s.class);
            s.reset_choices();
            s.auto_method = true;
        }
        let methods = m.methods_for(s.fulfillment_type.id());
        if let Some(id) = &s.method_id {
            if !methods.iter().any(|x| &x.id == id) {
                s.method_id = None;
                s.method_chosen = false;
            }
        }
        let needs_address = s.class != FulfillmentClass::Digital;
        if s.method_id.is_none() && s.auto_method && (has_address || !needs_address) {
            s.method_id = methods.iter().min_by_key(|x| x.price).map(|x| x.id.clone());
        }
    }
    addons::reconcile(m, cart);
}

/// The index of a shipment, or `ShipmentNotFound`.
pub fn shipment_index(cart: &Cart, id: &str) -> RuleResult<usize> {
    cart.shipments
        .iter()
        .position(|s| s.shipment_id == id)
        .ok_or_else(|| Rule::ShipmentNotFound(id.to_string()))
}

fn check_location(m: &MerchantFixture, id: &str) -> RuleResult<String> {
    m.location(id)
        .map(|l| l.location_id.clone())
        .ok_or_else(|| Rule::LocationNotFound(id.to_string()))
}

/// `POST …/cart/shipments/fulfillment-type`: switches the type and resets date, slot, location
/// and method (ENDPOINTS.md §1 row 17); a `location_id` picks the pickup store. With `location_required`
/// (the `docs` profile: the page's table says "Location Required: Yes" for PICKUP_IN_STORE,
/// ENDPOINTS.md §7 C30) pickup without a location is an invalid body naming `location_id`;
/// without it (`demo`) the store may be chosen later, before completion (C30).
/// `DIGITAL_DELIVERY` is read-only (C7).
pub fn change_fulfillment(
    cart: &mut Cart,
    m: &MerchantFixture,
    shipment_id: &str,
    requested: &str,
    location_id: Option<&str>,
    location_required: bool,
) -> RuleResult<()> {
    let idx = shipment_index(cart, shipment_id)?;
    let allowed = fulfillment_options(cart, m, &cart.shipments[idx]);
    let ft = FulfillmentType::parse(requested)
        .filter(|f| allowed.contains(f) && *f != FulfillmentType::DigitalDelivery)
        .ok_or_else(|| Rule::InvalidFulfillmentType {
            provided: requested.to_string(),
            allowed: allowed.iter().map(|f| f.id()).collect(),
            shipment_id: shipment_id.to_string(),
        })?;
    let location_id = location_id.filter(|l| !l.trim().is_empty());
    if ft == FulfillmentType::PickupInStore && location_required && location_id.is_none() {
        return Err(Rule::InvalidInput(
            "location_id is missing: it is required for PICKUP_IN_STORE.".to_string(),
        ));
    }
    let location = match location_id {
        Some(id) if ft == FulfillmentType::PickupInStore => Some(check_location(m, id)?),
        _ => None,
    };
    let s = &mut cart.shipments[idx];
    s.fulfillment_type = ft;
    s.reset_choices();
    s.auto_method = false;
    s.location_id = location;
    Ok(())
}

/// The body of `POST …/cart/shipment/methods`. `time_slot_id` and `location_id` are demo
/// extensions (C31); the route passes them only when the profile allows.
#[derive(Debug, Default)]
pub struct SelectionRequest<'a> {
    pub shipment_id: &'a str,
    pub shipping_method_id: &'a str,
    pub notes: Option<&'a str>,
    pub selected_date: Option<&'a str>,
    pub time_slot_id: Option<&'a str>,
    pub location_id: Option<&'a str>,
}

/// A validated shipment choice, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentSelection {
    pub index: usize,
    pub method_id: String,
    pub date: Option<NaiveDate>,
    pub slot_id: Option<String>,
    pub location_id: Option<String>,
    pub notes: Option<String>,
}

fn invalid_date(description: String, details: Option<serde_json::Value>) -> Rule {
    Rule::InvalidDate {
        description,
        details,
    }
}

/// Checks a shipment choice (ENDPOINTS.md §1 #18): the method must be one of the shipment's options, a
/// date must be an available date of its fulfillment type, a time slot must be available and
/// on the chosen date, a store must exist, notes are at most 500 characters.
pub fn validate_shipment_selection(
    cart: &Cart,
    m: &MerchantFixture,
    today: NaiveDate,
    req: &SelectionRequest<'_>,
) -> RuleResult<ShipmentSelection> {
    let index = shipment_index(cart, req.shipment_id)?;
    let s = &cart.shipments[index];
    let methods = m.methods_for(s.fulfillment_type.id());
    if !methods.iter().any(|x| x.id == req.shipping_method_id) {
        return Err(Rule::InvalidShippingMethod {
            provided: req.shipping_method_id.to_string(),
            allowed: methods.iter().map(|x| x.id.clone()).collect(),
            shipment_id: Some(s.shipment_id.clone()),
        });
    }
    let mut date = match req.selected_date.filter(|d| !d.is_empty()) {
        Some(d) => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| invalid_date(format!("'{d}' is not a YYYY-MM-DD date."), None))?,
        ),
        None => None,
    };
    let mut slot_id = None;
    if let Some(id) = req.time_slot_id.filter(|x| !x.is_empty()) {
        if s.fulfillment_type != FulfillmentType::ScheduledDelivery {
            return Err(invalid_date(
                "Time slots apply to scheduled deliveries only.".to_string(),
                None,
            ));
        }
        let (slot_date, i) = parse_slot(id)
            .ok_or_else(|| invalid_date(format!("Unknown time slot '{id}'."), None))?;
        if date.is_some_and(|d| d != slot_date) {
            return Err(invalid_date(
                format!("Time slot '{id}' is not on the selected date."),
                None,
            ));
        }
        if !slot_available(slot_date, i) {
            return Err(invalid_date(
                format!("Time slot '{id}' is not available."),
                Some(json!({ "selected_time_slot_id": id })),
            ));
        }
        date = Some(slot_date);
        slot_id = Some(id.to_string());
    }
    if let Some(d) = date {
        let steps = zones::steps(m, cart.destination_postal());
        let ok = match s.fulfillment_type {
            FulfillmentType::ScheduledDelivery => date_available(today, steps, d),
            FulfillmentType::PickupInStore => pickup_date_available(today, d),
            FulfillmentType::ShipToAddress | FulfillmentType::DigitalDelivery => false,
        };
        if !ok {
            let day = d.format("%Y-%m-%d").to_string();
            return Err(invalid_date(
                format!(
                    "{day} is not an available date for shipment {}.",
                    s.shipment_id
                ),
                Some(json!({ "selected_date": day })),
            ));
        }
    }
    let location_id = match req.location_id.filter(|l| !l.is_empty()) {
        Some(id) if s.fulfillment_type == FulfillmentType::PickupInStore => {
            Some(check_location(m, id)?)
        }
        _ => None,
    };
    if req.notes.is_some_and(|n| n.chars().count() > 500) {
        return Err(Rule::InvalidInput(
            "notes must be at most 500 characters.".to_string(),
        ));
    }
    Ok(ShipmentSelection {
        index,
        method_id: req.shipping_method_id.to_string(),
        date,
        slot_id,
        location_id,
        notes: req.notes.map(str::to_string),
    })
}

/// Applies a validated choice. A new date without a slot clears an old slot.
pub fn apply_selection(cart: &mut Cart, sel: ShipmentSelection) {
    let Some(s) = cart.shipments.get_mut(sel.index) else {
        return;
    };
    s.method_id = Some(sel.method_id);
    s.method_chosen = true;
    if let Some(d) = sel.date {
        if s.selected_date != Some(d) && sel.slot_id.is_none() {
            s.slot_id = None;
        }
        s.selected_date = Some(d);
    }
    if sel.slot_id.is_some() {
        s.slot_id = sel.slot_id;
    }
    if let Some(l) = sel.location_id {
        s.location_id = Some(l);
    }
    if let Some(n) = sel.notes {
        s.notes = n;
    }
}

/// v1 `POST …/cart/shipping-method {shipping_method}` (ENDPOINTS.md §1 #47): sets the method on every
/// shipment that offers it.
pub fn set_method_v1(cart: &mut Cart, m: &MerchantFixture, method: &str) -> RuleResult<()> {
    if cart.items.is_empty() {
        return Err(Rule::NoLineItem);
    }
    if cart.shipping_info.is_none() {
        return Err(Rule::MissingShippingInfo);
    }
    let mut any = false;
    for s in &mut cart.shipments {
        if m.methods_for(s.fulfillment_type.id())
            .iter()
            .any(|x| x.id == method)
        {
            s.method_id = Some(method.to_string());
            s.method_chosen = true;
            any = true;
        }
    }
    if !any {
        return Err(Rule::InvalidShippingMethod {
            provided: method.to_string(),
            allowed: Vec::new(),
            shipment_id: None,
        });
    }
    Ok(())
}
