//! Completion checks shared by every payment route (ENDPOINTS.md §9 "Completion checks", CHK
//! ids of ENDPOINTS.md §7 C40), in this order: already submitted, no items, stock,
//! shipping address (not needed when every item is digital; then the billing address — the
//! payment's, else the cart's — must carry an email, else `MissingEmail`) and the merchant's
//! form validation of it (the cart's `validation_errors`, `CheckoutError`), login, a method (and date / store) per shipment, required consents (the `demo` consent gate only: no page
//! of the docs makes completion wait for a consent, ENDPOINTS.md §1 rows 25-26), and —
//! for a `tax_sync` merchant — taxes synced by a cart read since the last change.

use crate::model::address::Address;
use crate::model::cart::{Cart, FulfillmentType};
use crate::model::fixtures::MerchantFixture;
use crate::model::world::World;
use crate::rules::address::form_errors;
use crate::rules::items::check_stock;
use crate::rules::{Rule, RuleResult};

/// Required consents must be granted before an order is placed (`CheckoutError 412` naming
/// the consent).
pub fn check_required_consents(m: &MerchantFixture, cart: &Cart) -> RuleResult<()> {
    match m
        .consents
        .iter()
        .find(|c| c.required && !cart.consents_granted.contains(&c.id))
    {
        Some(c) => Err(Rule::CheckoutError(format!(
            "The required consent '{}' ({}) has not been granted.",
            c.text, c.id
        ))),
        None => Ok(()),
    }
}

/// Checks that must pass before any payment is attempted. `billing` is the billing address the
/// payment brings (card routes), if any; `consent_gate` is the demo extension that holds
/// completion until the required consents are granted.
pub fn completion_checks(
    world: &World,
    m: &MerchantFixture,
    cart: &Cart,
    billing: Option<&Address>,
    consent_gate: bool,
) -> RuleResult<()> {
    if let Some(s) = &cart.submitted {
        return Err(Rule::AlreadySubmitted(s.order_number.clone()));
    }
    if cart.items.is_empty() {
        return Err(Rule::NoLineItem);
    }
    for i in &cart.items {
        check_stock(m, world, &i.variant_id, i.quantity)?;
    }
    if cart.needs_shipping(m) {
        let ship = cart
            .shipping_info
            .as_ref()
            .ok_or(Rule::MissingShippingInfo)?;
        if ship.email.trim().is_empty() {
            return Err(Rule::MissingEmailOnCheckout);
        }
        if let Some((field, msg)) = form_errors(m, cart).into_iter().next() {
            return Err(Rule::CheckoutError(format!(
                "The shipping address is not accepted: {msg} ({field})"
            )));
        }
    } else {
        // Digital goods go to the billing email: the payment's billing address, else the
        // cart's billing info.
        let email = billing
            .or(cart.billing_info.as_ref())
            .map(|b| b.email.trim())
            .unwrap_or("");
        if email.is_empty() {
            return Err(Rule::MissingEmail);
        }
    }
    if m.requires_login && !world.logged_in(&cart.device_id, &m.domain) {
        return Err(Rule::UserMustLogin);
    }
    for s in &cart.shipments {
        if s.method_id.is_none() {
            return Err(Rule::MissingShippingMethod(s.shipment_id.clone()));
        }
        match s.fulfillment_type {
            FulfillmentType::ScheduledDelivery if s.selected_date.is_none() => {
                return Err(Rule::CheckoutError(format!(
                    "Shipment {} needs a delivery date; choose one from get-availability.",
                    s.shipment_id
                )))
            }
            FulfillmentType::PickupInStore if s.location_id.is_none() => {
                return Err(Rule::CheckoutError(format!(
                    "Shipment {} needs a pickup location; choose one from get-availability.",
                    s.shipment_id
                )))
            }
            _ => {}
        }
    }
    if consent_gate {
        check_required_consents(m, cart)?;
    }
    if m.traits.tax_sync && !cart.tax_synced {
        return Err(Rule::MissingTaxSync);
    }
    Ok(())
}
