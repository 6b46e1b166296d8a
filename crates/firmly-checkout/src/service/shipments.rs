//! Shipments (fulfillment type, availability, method, date and slot), addons and promo
//! codes of one merchant's cart (ENDPOINTS.md §1 #14–#22, flow F6).

use crate::domain::Domain;
use firmly_api::Field;
use firmly_api::{AddonSelectionRequest, ApiError, SetShipmentMethod};

use super::{AddonChoice, CheckoutService, Result, ShipmentChoice};
use crate::view::*;

impl CheckoutService {
    /// Chooses a shipment's method, date and (where the API accepts it) time slot. The slot is
    /// shown as booked only when the merchant's cart echoes it in `selected_time_slot`; the
    /// documented API has no slot field (ENDPOINTS.md §7 C31).
    pub async fn set_shipment_method(
        &self,
        domain: &Domain,
        choice: ShipmentChoice,
    ) -> Result<CartView> {
        let slot = choice.time_slot_id.clone().filter(|s| !s.is_empty());
        self.customer().merchant(domain, |m| match &slot {
            Some(s) => {
                m.requested_slots
                    .insert(choice.shipment_id.clone(), s.clone());
            }
            None => {
                m.requested_slots.remove(&choice.shipment_id);
            }
        });
        // A pickup option no method names reaches the merchant in the notes.
        let pick = {
            let customer = self.customer();
            customer
                .cart(domain)
                .and_then(|c| c.shipment(&choice.shipment_id).cloned())
                .and_then(|sh| self.pickup_pick_note(&customer, domain, &sh))
        };
        let notes = super::fulfillment::notes_with_pick(
            choice.notes.filter(|n| !n.trim().is_empty()),
            pick.as_deref(),
        );
        let req = SetShipmentMethod {
            shipment_id: choice.shipment_id,
            shipping_method_id: choice.shipping_method_id,
            selected_date: choice.selected_date.filter(|d| !d.is_empty()),
            notes,
            selected_time_slot_id: slot,
        };
        // The slot goes out only to a server that announced it takes one (our demo
        // sandbox); elsewhere it stays the desk's wish, shown as unconfirmed.
        self.mutate(domain, |c, d| async move {
            let extensions = c.announced();
            c.set_shipment_method(&d, &req, extensions).await
        })
        .await
    }

    /// Selects (or changes) one addon. The request carries the cart's whole desired set of
    /// selections, so a server that replaces the set (ENDPOINTS.md §1 #14) keeps
    /// the others.
    pub async fn select_addon(&self, domain: &Domain, choice: AddonChoice) -> Result<CartView> {
        let d = domain.clone();
        let mut selections: Vec<AddonSelectionRequest> = self
            .customer()
            .cart(&d)
            .map(|c| {
                c.addons
                    .selections
                    .iter()
                    .filter(|s| s.addon_id != choice.addon_id)
                    .map(|s| AddonSelectionRequest {
                        addon_id: s.addon_id.clone(),
                        selected_line_item_ids: s.selected_line_item_ids.clone(),
                        selected_child_ids: s.selected_child_ids.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        selections.push(AddonSelectionRequest {
            addon_id: choice.addon_id,
            selected_line_item_ids: choice.line_item_ids,
            selected_child_ids: choice.child_ids,
        });
        self.mutate(
            domain,
            |c, d| async move { c.set_addons(&d, &selections).await },
        )
        .await
    }

    pub async fn remove_addon(&self, domain: &Domain, addon_id: &str) -> Result<CartView> {
        self.mutate(
            domain,
            |c, d| async move { c.remove_addon(&d, addon_id).await },
        )
        .await
    }

    /// Adds a promo code to those already applied (a merchant that takes one code answers
    /// `MultipleDiscountCodesNotSupported`, shown at the promo field).
    pub async fn apply_promo(&self, domain: &Domain, code: &str) -> Result<CartView> {
        // Sent as typed (a merchant's codes may be case-sensitive); the same code is not
        // sent twice whatever its case.
        let code = code.trim().to_string();
        if code.is_empty() {
            return Err(ApiError::field(Field::Promo, "Enter a promo code."));
        }
        if code.chars().count() > 64 || code.chars().any(|c| c.is_control()) {
            return Err(ApiError::field(Field::Promo, "That is not a promo code."));
        }
        let d = domain.clone();
        let mut codes = self
            .customer()
            .cart(&d)
            .map(|c| c.promo_codes.clone())
            .unwrap_or_default();
        if !codes.iter().any(|c| c.eq_ignore_ascii_case(&code)) {
            codes.push(code);
        }
        if codes.len() > 10 {
            return Err(ApiError::field(
                Field::Promo,
                "At most 10 promo codes can be applied.",
            ));
        }
        self.mutate(domain, |c, d| async move {
            c.apply_promo_codes(&d, &codes).await
        })
        .await
    }

    pub async fn clear_promos(&self, domain: &Domain) -> Result<CartView> {
        self.mutate(domain, |c, d| async move { c.clear_promo_codes(&d).await })
            .await
    }
}
