//! A cart's next step, decided in Rust: what still blocks the order. The UI only renders
//! these (in the shopper's language), the CLI prints them (`Display`), and `pay-all` skips a
//! cart with its blockers as the reason. Facts come from the domain types (`CartV2`,
//! `Consent`), never from view strings.

use std::fmt;

use firmly_api::{CartV2, Consent, FulfillmentType, FulfillmentTypeKind};
use serde::{Deserialize, Serialize};
use specta::Type;

/// One thing that must happen before the order can be placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// The cart has no items.
    EmptyCart,
    /// The shipping address (contact details) is not saved yet.
    ShippingAddress,
    /// Nothing ships (digital goods): the billing address carries the contact details and
    /// issues the payment handle (ENDPOINTS.md §2.4.4).
    BillingAddress,
    /// A shipment needs a shipping method (service).
    ShipmentMethod { shipment_id: String },
    /// A scheduled delivery needs a date.
    ShipmentDate { shipment_id: String },
    /// A pickup needs a store.
    ShipmentLocation { shipment_id: String },
    /// An item cannot be ordered as it is (out of stock …).
    ItemUnavailable { line_item_id: String },
    /// The merchant requires a signed-in account (`session.requires_login`, ENDPOINTS.md §8 F9).
    Login,
    /// Required consents are not granted yet.
    Consents { ids: Vec<String> },
    /// The cart offers no payment method this app supports: finish on the merchant's site.
    NoPaymentMethod,
    /// PayPal was chosen but not approved in the PayPal window yet.
    PaypalNotApproved,
    /// A wallet must be unlocked by one-time code before its cards can pay.
    WalletLocked { wallet: String },
    /// An earlier payment's outcome is not known yet: paying again could charge twice.
    OrderPending,
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocker::EmptyCart => write!(f, "the cart is empty"),
            Blocker::ShippingAddress => write!(f, "save the shipping address"),
            Blocker::BillingAddress => write!(f, "save the billing address (nothing ships)"),
            Blocker::ShipmentMethod { shipment_id } => {
                write!(f, "choose a shipping method for shipment {shipment_id}")
            }
            Blocker::ShipmentDate { shipment_id } => {
                write!(f, "choose a delivery date for shipment {shipment_id}")
            }
            Blocker::ShipmentLocation { shipment_id } => {
                write!(f, "choose a pickup store for shipment {shipment_id}")
            }
            Blocker::ItemUnavailable { line_item_id } => {
                write!(f, "item {line_item_id} cannot be ordered as it is")
            }
            Blocker::Login => write!(f, "sign in to the merchant account"),
            Blocker::Consents { ids } => {
                write!(f, "accept the required terms ({})", ids.join(", "))
            }
            Blocker::NoPaymentMethod => {
                write!(
                    f,
                    "no supported payment method: finish on the merchant's site"
                )
            }
            Blocker::PaypalNotApproved => write!(f, "approve the payment in PayPal"),
            Blocker::WalletLocked { wallet } => write!(f, "unlock the {wallet} wallet"),
            Blocker::OrderPending => {
                write!(f, "an earlier payment of this cart is not settled yet")
            }
        }
    }
}

/// Whether a shipment can go without a shipping address (pickup, digital goods).
fn needs_address(ft: &FulfillmentType) -> bool {
    !matches!(
        ft.kind(),
        FulfillmentTypeKind::PickupInStore | FulfillmentTypeKind::DigitalDelivery
    )
}

/// Everything that blocks the order whatever the payment method. `consents` is the
/// merchant's consent list when known (`None` = not read: the server will say);
/// `payable` whether the cart offers any payment method the desk can use (the mapping of
/// its `payment_method_options` decides).
pub fn blockers(cart: &CartV2, consents: Option<&[Consent]>, payable: bool) -> Vec<Blocker> {
    let mut out = Vec::new();
    if cart.line_items.is_empty() {
        out.push(Blocker::EmptyCart);
        return out;
    }
    let address_needed = cart.shipments.is_empty()
        || cart
            .shipments
            .iter()
            .any(|s| needs_address(&s.fulfillment()));
    let digital_only = !cart.shipments.is_empty()
        && cart
            .shipments
            .iter()
            .all(|s| s.fulfillment() == FulfillmentTypeKind::DigitalDelivery);
    if cart.shipping_info.is_none() && address_needed {
        out.push(Blocker::ShippingAddress);
    } else if digital_only && cart.billing_info.is_none() {
        out.push(Blocker::BillingAddress);
    }
    for sh in &cart.shipments {
        let ft = sh.fulfillment();
        let id = sh.shipment_id.clone();
        match ft.kind() {
            FulfillmentTypeKind::PickupInStore if sh.selected_location.is_none() => {
                out.push(Blocker::ShipmentLocation { shipment_id: id });
                continue;
            }
            FulfillmentTypeKind::ScheduledDelivery if sh.selected_date.is_none() => {
                out.push(Blocker::ShipmentDate {
                    shipment_id: id.clone(),
                });
            }
            _ => {}
        }
        // Methods for an address-bound shipment appear once the address is known.
        let waits_for_address = needs_address(&ft) && cart.shipping_info.is_none();
        if sh.shipping_method.is_none()
            && !waits_for_address
            && ft != FulfillmentTypeKind::DigitalDelivery
        {
            out.push(Blocker::ShipmentMethod {
                shipment_id: sh.shipment_id.clone(),
            });
        }
    }
    for n in &cart.notices {
        if n.severity.eq_ignore_ascii_case("error") {
            if let Some(id) = &n.item_id {
                out.push(Blocker::ItemUnavailable {
                    line_item_id: id.clone(),
                });
            }
        }
    }
    let session = cart.session_info();
    if session.requires_login && !session.is_logged_in {
        out.push(Blocker::Login);
    }
    if let Some(list) = consents {
        let ids: Vec<String> = list
            .iter()
            .filter(|c| c.required && !c.signed)
            .map(|c| c.id.clone())
            .collect();
        if !ids.is_empty() {
            out.push(Blocker::Consents { ids });
        }
    }
    let positive_total = cart
        .total
        .as_ref()
        .map(|t| t.to_money(&cart.currency()).amount > rust_decimal::Decimal::ZERO)
        .unwrap_or(true);
    if positive_total && !payable {
        out.push(Blocker::NoPaymentMethod);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cart(v: serde_json::Value) -> CartV2 {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_empty_cart_is_only_empty() {
        let c = cart(serde_json::json!({"cart_id": "c", "line_items": []}));
        assert_eq!(blockers(&c, None, false), vec![Blocker::EmptyCart]);
    }

    #[test]
    fn shipments_consents_and_login_block_in_order() {
        let c = cart(serde_json::json!({
            "cart_id": "c",
            "line_items": [{"line_item_id": "l1", "quantity": 1}],
            "shipments": [
                {"shipment_id": "s1", "fulfillment_type": {"id": "SCHEDULED_DELIVERY"}, "line_item_ids": ["l1"]},
                {"shipment_id": "s2", "fulfillment_type": {"id": "PICKUP_IN_STORE"}}
            ],
            "session": {"requires_login": true, "is_logged_in": false, "is_email_registered": false},
            "total": {"value": 10, "currency": "USD"},
            "payment_method_options": [{"type": "CreditCard", "wallet": "user"}]
        }));
        let consents: Vec<Consent> = serde_json::from_value(serde_json::json!([
            {"id": "t", "required": true, "signed": false},
            {"id": "m", "required": false, "signed": false}
        ]))
        .unwrap();
        assert_eq!(
            blockers(&c, Some(&consents), true),
            vec![
                Blocker::ShippingAddress,
                Blocker::ShipmentDate {
                    shipment_id: "s1".into()
                },
                Blocker::ShipmentLocation {
                    shipment_id: "s2".into()
                },
                Blocker::Login,
                Blocker::Consents {
                    ids: vec!["t".into()]
                },
            ]
        );
    }

    #[test]
    fn a_digital_only_cart_needs_a_billing_address_not_a_shipping_one() {
        let c = cart(serde_json::json!({
            "cart_id": "c",
            "line_items": [{"line_item_id": "l1", "quantity": 1, "requires_shipping": false}],
            "shipments": [{"shipment_id": "s1", "fulfillment_type": {"id": "DIGITAL_DELIVERY"}, "shipping_method": {"id": "INSTANT_DOWNLOAD"}}],
            "total": {"value": 10, "currency": "USD"},
            "payment_method_options": [{"type": "CreditCard", "wallet": "user"}]
        }));
        assert_eq!(blockers(&c, Some(&[]), true), vec![Blocker::BillingAddress]);
    }

    #[test]
    fn a_cart_without_supported_payment_methods_goes_to_the_merchant() {
        let c = cart(serde_json::json!({
            "cart_id": "c",
            "line_items": [{"line_item_id": "l1", "quantity": 1}],
            "shipping_info": {"address1": "1 Main", "city": "X", "postal_code": "1", "state_or_province": "WA", "country": "US"},
            "shipments": [{"shipment_id": "s1", "fulfillment_type": {"id": "SHIP_TO_ADDRESS"}, "shipping_method": {"id": "G", "price": {"value": 1, "currency": "USD"}}}],
            "total": {"value": 10, "currency": "USD"},
            "payment_method_options": [{"type": "Bitcoin", "wallet": "user"}]
        }));
        // Bitcoin is no method the desk can pay with (the mapping decides).
        let payable = !crate::mapping::payment_options(&c).is_empty();
        assert!(!payable);
        assert_eq!(
            blockers(&c, Some(&[]), payable),
            vec![Blocker::NoPaymentMethod]
        );
        assert_eq!(
            Blocker::NoPaymentMethod.to_string(),
            "no supported payment method: finish on the merchant's site"
        );
    }
}
