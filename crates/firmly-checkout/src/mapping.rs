//! Wire models → UI views. Per-shipment data is authoritative (ENDPOINTS.md §7 C34); server
//! totals are shown as sent, never recomputed (C15, C46).

use std::collections::{BTreeMap, HashSet};

use firmly_api::{
    AddonOffer, AddonSelection, Address, Amount, Availability, CartV2, FulfillmentType, LineItem,
    PickupLocation, ProductDetails, ProductSummary, Shipment, ShippingMethod, TimeSlot,
};

use crate::view::*;

fn money(a: &Option<Amount>, currency: &str) -> Option<MoneyView> {
    a.as_ref().map(|a| MoneyView::from(&a.to_money(currency)))
}

fn money_or_zero(a: &Option<Amount>, currency: &str) -> MoneyView {
    money(a, currency).unwrap_or_else(|| MoneyView {
        amount: "0.00".into(),
        currency: currency.to_string(),
    })
}

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub fn address_view(a: &Address) -> AddressView {
    AddressView {
        first_name: s(&a.first_name),
        last_name: s(&a.last_name),
        email: s(&a.email),
        phone: s(&a.phone),
        company: s(&a.company),
        address1: s(&a.address1),
        address2: s(&a.address2),
        city: s(&a.city),
        state_or_province: s(&a.state_or_province),
        postal_code: s(&a.postal_code),
        country: s(&a.country),
    }
}

/// The wire address to send: canonical names, trimmed, empty fields left out.
pub fn address_wire(a: &AddressView) -> Address {
    fn opt(v: &str) -> Option<String> {
        let t = v.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
    Address {
        first_name: opt(&a.first_name),
        last_name: opt(&a.last_name),
        email: opt(&a.email),
        phone: opt(&a.phone),
        company: opt(&a.company),
        address1: opt(&a.address1),
        address2: opt(&a.address2),
        city: opt(&a.city),
        state_or_province: opt(&a.state_or_province).map(|v| v.to_ascii_uppercase()),
        postal_code: opt(&a.postal_code),
        country: opt(&a.country).map(|v| v.to_ascii_uppercase()),
        ..Default::default()
    }
}

pub fn fulfillment_name(ft: &FulfillmentType) -> &'static str {
    match ft {
        FulfillmentType::ShipToAddress => "Ship to address",
        FulfillmentType::ScheduledDelivery => "Scheduled delivery",
        FulfillmentType::PickupInStore => "Pick up in store",
        FulfillmentType::DigitalDelivery => "Digital delivery",
        FulfillmentType::Other(_) => "Delivery",
    }
}

fn method_view(m: &ShippingMethod, currency: &str) -> ShippingMethodView {
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
        price: money(&t.price, currency).filter(|p| !is_zero(&p.amount)),
    }
}

fn is_zero(amount: &str) -> bool {
    amount
        .parse::<rust_decimal::Decimal>()
        .map(|d| d.is_zero())
        .unwrap_or(false)
}

pub fn location_view(l: &PickupLocation) -> LocationView {
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
        location_id: l.location_id.clone(),
        name: l.name.clone().unwrap_or_else(|| l.location_id.clone()),
        address,
        phone: l.phone.clone(),
        hours: l.hours.iter().map(|h| h.display()).collect(),
        distance: l.distance_display(),
        available: l.available.unwrap_or(true),
    }
}

fn shipment_view(sh: &Shipment, cart: &CartV2, currency: &str) -> ShipmentView {
    let ft = sh
        .fulfillment_type
        .as_ref()
        .map(|f| f.id.clone())
        .unwrap_or(FulfillmentType::ShipToAddress);
    let label = match (&ft, &sh.selected_location) {
        (FulfillmentType::PickupInStore, Some(loc)) => format!(
            "Pick up at {}",
            loc.name.clone().unwrap_or_else(|| loc.location_id.clone())
        ),
        _ => fulfillment_name(&ft).to_string(),
    };
    let selected_method = sh.shipping_method.as_ref().map(|m| m.id.clone());
    let missing = if selected_method.is_none() {
        Some(match ft {
            FulfillmentType::ScheduledDelivery => "Choose a delivery date and service".to_string(),
            FulfillmentType::PickupInStore if sh.selected_location.is_some() => {
                "Choose a pickup option".to_string()
            }
            FulfillmentType::PickupInStore => "Choose a pickup location".to_string(),
            _ if cart.shipping_info.is_none() => {
                "Enter the shipping address to see delivery options".to_string()
            }
            _ => "Choose a shipping method".to_string(),
        })
    } else if ft == FulfillmentType::ScheduledDelivery && sh.selected_date.is_none() {
        Some("Choose a delivery date".to_string())
    } else if ft == FulfillmentType::PickupInStore && sh.selected_location.is_none() {
        Some("Choose a pickup location".to_string())
    } else {
        None
    };
    let cost = sh
        .shipping_total
        .as_ref()
        .or(sh.shipping_method.as_ref().and_then(|m| m.price.as_ref()))
        .map(|a| MoneyView::from(&a.to_money(currency)));
    ShipmentView {
        shipment_id: sh.shipment_id.clone(),
        fulfillment_type: ft.as_str().to_string(),
        label,
        fulfillment_options: sh
            .fulfillment_type_options
            .iter()
            .map(|o| ChoiceView {
                id: o.id.as_str().to_string(),
                name: o
                    .name
                    .clone()
                    .unwrap_or_else(|| fulfillment_name(&o.id).to_string()),
                description: o.description.clone(),
            })
            .collect(),
        line_item_ids: sh.line_item_ids.clone(),
        methods: sh
            .shipping_method_options
            .iter()
            .map(|m| method_view(m, currency))
            .collect(),
        selected_method,
        selected_date: sh.selected_date.clone(),
        selected_slot: sh
            .selected_time_slot
            .as_ref()
            .map(|t| slot_view(t, currency)),
        selected_location: sh.selected_location.as_ref().map(location_view),
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
        missing,
    }
}

fn line_item_view(li: &LineItem, cart: &CartV2, currency: &str) -> LineItemView {
    LineItemView {
        line_item_id: li.line_item_id.clone(),
        sku: li.sku.clone(),
        variant_id: li.variant_id.clone(),
        title: li
            .description
            .clone()
            .or_else(|| li.sku.clone())
            .unwrap_or_else(|| "Item".into()),
        variant: li.variant_description.clone().filter(|v| !v.is_empty()),
        quantity: u32::try_from(li.quantity.max(0)).unwrap_or(0),
        unit_price: money(&li.price, currency),
        line_price: money(&li.line_price, currency),
        image_url: li.image.as_ref().and_then(|i| i.url.clone()),
        discounts: li
            .discounts
            .iter()
            .map(|d| DiscountView {
                code: d.code.clone().unwrap_or_default(),
                description: d.description.clone(),
                amount: money(&d.amount, currency),
            })
            .collect(),
        notices: cart
            .notices
            .iter()
            .filter(|n| n.item_id.as_deref() == Some(li.line_item_id.as_str()))
            .map(notice_view)
            .collect(),
    }
}

fn notice_view(n: &firmly_api::Notice) -> NoticeView {
    let message = n
        .details
        .as_ref()
        .and_then(|d| d.description.clone().or(d.reason.clone()))
        .unwrap_or_else(|| humanize_code(&n.code));
    NoticeView {
        code: n.code.clone(),
        severity: n.severity.clone(),
        item_id: n.item_id.clone(),
        message,
    }
}

fn humanize_code(code: &str) -> String {
    let lower = code.replace('_', " ").to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Addon offers with their current selection and, for each choice a constraint forbids,
/// the reason in words (ENDPOINTS.md §2.4.7: `exclusive_group_id`, `requires_addon_ids`).
fn addon_views(cart: &CartV2, currency: &str) -> Vec<AddonView> {
    let selections: BTreeMap<&str, &AddonSelection> = cart
        .addons
        .selections
        .iter()
        .map(|s| (s.addon_id.as_str(), s))
        .collect();
    let names: BTreeMap<String, String> = all_offers(&cart.addons.offers)
        .map(|o| (o.addon_id.clone(), offer_name(o)))
        .collect();
    let titles: BTreeMap<&str, String> = cart
        .line_items
        .iter()
        .map(|li| {
            (
                li.line_item_id.as_str(),
                li.description
                    .clone()
                    .unwrap_or_else(|| li.line_item_id.clone()),
            )
        })
        .collect();
    cart.addons
        .offers
        .iter()
        .map(|o| {
            addon_view(
                o,
                &cart.addons.offers,
                None,
                &selections,
                &names,
                &titles,
                currency,
            )
        })
        .collect()
}

fn all_offers(offers: &[AddonOffer]) -> Box<dyn Iterator<Item = &AddonOffer> + '_> {
    Box::new(
        offers
            .iter()
            .flat_map(|o| std::iter::once(o).chain(all_offers(&o.child_offers))),
    )
}

fn offer_name(o: &AddonOffer) -> String {
    o.display.name.clone().unwrap_or_else(|| o.addon_id.clone())
}

#[allow(clippy::too_many_arguments)]
fn addon_view(
    o: &AddonOffer,
    siblings: &[AddonOffer],
    parent: Option<(&AddonOffer, Option<&AddonSelection>)>,
    selections: &BTreeMap<&str, &AddonSelection>,
    names: &BTreeMap<String, String>,
    titles: &BTreeMap<&str, String>,
    currency: &str,
) -> AddonView {
    let own = selections.get(o.addon_id.as_str()).copied();
    let selected = match parent {
        Some((_, psel)) => psel
            .map(|p| p.selected_child_ids.contains(&o.addon_id))
            .unwrap_or(false),
        None => own.is_some(),
    };
    let chosen_items: HashSet<&str> = own
        .map(|s| {
            s.selected_line_item_ids
                .iter()
                .map(String::as_str)
                .collect()
        })
        .unwrap_or_default();
    let items = o
        .eligible_line_item_ids
        .iter()
        .map(|id| ItemPriceView {
            line_item_id: id.clone(),
            title: titles
                .get(id.as_str())
                .cloned()
                .unwrap_or_else(|| id.clone()),
            price: o
                .line_item_pricing
                .get(id)
                .and_then(|p| money(&p.price, currency)),
            selected: chosen_items.contains(id.as_str()),
        })
        .collect();
    let constraints = o.constraints.clone().unwrap_or_default();
    let mut disabled_reason = None;
    // Prerequisites must be selected first.
    let missing: Vec<String> = constraints
        .requires_addon_ids
        .iter()
        .filter(|id| !selections.contains_key(id.as_str()))
        .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
        .collect();
    if !selected && !missing.is_empty() {
        disabled_reason = Some(format!("Requires {} first", missing.join(" and ")));
    }
    // Another choice of the same exclusive group is already taken.
    if let (false, Some(group)) = (selected, constraints.exclusive_group_id.as_ref()) {
        let sibling_selected = |sib: &AddonOffer| match parent {
            Some((_, psel)) => psel
                .map(|ps| ps.selected_child_ids.contains(&sib.addon_id))
                .unwrap_or(false),
            None => selections.contains_key(sib.addon_id.as_str()),
        };
        let taken = siblings.iter().find(|sib| {
            sib.addon_id != o.addon_id
                && sib
                    .constraints
                    .as_ref()
                    .and_then(|c| c.exclusive_group_id.as_ref())
                    == Some(group)
                && sibling_selected(sib)
        });
        if let Some(t) = taken {
            disabled_reason = Some(format!(
                "Only one choice of this kind: {} is selected",
                offer_name(t)
            ));
        }
    }
    let child_parent = Some((o, own));
    AddonView {
        addon_id: o.addon_id.clone(),
        name: offer_name(o),
        description: o.display.description.clone(),
        scope: o.scope.as_str().to_string(),
        coverage_mode: o
            .coverage_mode
            .as_ref()
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        price: money(&o.price, currency),
        items,
        exclusive_group_id: constraints.exclusive_group_id.clone(),
        requires_addon_ids: constraints.requires_addon_ids.clone(),
        children: o
            .child_offers
            .iter()
            .map(|c| {
                addon_view(
                    c,
                    &o.child_offers,
                    child_parent,
                    selections,
                    names,
                    titles,
                    currency,
                )
            })
            .collect(),
        selected,
        selected_price: own.and_then(|s| money(&s.price, currency)),
        disabled_reason,
    }
}

/// A card brand as people write it (`visa` → `Visa`).
pub fn brand_name(card_type: &str) -> String {
    match card_type.to_ascii_lowercase().as_str() {
        "visa" => "Visa".into(),
        "mastercard" | "master" | "mc" => "Mastercard".into(),
        "amex" | "american_express" | "american express" => "American Express".into(),
        "discover" => "Discover".into(),
        "" => "Card".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn wallet_label(wallet: &str) -> String {
    match wallet {
        "shoppay" => "Shop Pay".to_string(),
        "merchant" | "user" | "" => String::new(),
        other => other.to_string(),
    }
}

fn payment_options(cart: &CartV2) -> Vec<PaymentOptionView> {
    let mut out = Vec::new();
    for o in &cart.payment_method_options {
        let wallet = o.wallet.clone().unwrap_or_default();
        match (o.r#type.as_str(), o.id.as_ref()) {
            ("CreditCard", Some(id)) => {
                let source = wallet_label(&wallet);
                out.push(PaymentOptionView {
                    kind: "SavedCard".into(),
                    label: format!(
                        "{}{} •••• {} (exp {}/{})",
                        if source.is_empty() {
                            String::new()
                        } else {
                            format!("{source} · ")
                        },
                        brand_name(o.card_type.as_deref().unwrap_or_default()),
                        o.last_four.clone().unwrap_or_default(),
                        o.month.clone().unwrap_or_default(),
                        o.year.clone().unwrap_or_default()
                    ),
                    id: Some(id.clone()),
                    wallet: Some(wallet.clone()).filter(|w| !w.is_empty()),
                })
            }
            ("CreditCard", None) => out.push(PaymentOptionView {
                kind: "CreditCard".into(),
                label: "Credit or debit card".into(),
                id: None,
                wallet: None,
            }),
            ("PayPal", _) => out.push(PaymentOptionView {
                kind: "PayPal".into(),
                label: "PayPal".into(),
                id: None,
                wallet: Some("paypal".into()),
            }),
            // A locked wallet: unlocking it by one-time code brings its saved cards.
            (_, None)
                if !wallet.is_empty()
                    && !matches!(wallet.as_str(), "user" | "merchant" | "paypal") =>
            {
                out.push(PaymentOptionView {
                    kind: "Wallet".into(),
                    label: format!("{} wallet", wallet_label(&wallet)),
                    id: Some(wallet.clone()),
                    wallet: Some(wallet),
                })
            }
            // Anything else this app cannot drive is hidden (C43).
            _ => {}
        }
    }
    out
}

pub fn cart_view(domain: &str, display_name: &str, cart: &CartV2) -> CartView {
    let currency = cart.currency();
    let c = currency.as_str();
    let session = cart
        .session
        .as_ref()
        .map(|s| SessionView {
            requires_login: s.requires_login,
            is_email_registered: s.is_email_registered,
            is_logged_in: s.is_logged_in,
        })
        .unwrap_or_default();
    let item_ids: HashSet<&str> = cart
        .line_items
        .iter()
        .map(|l| l.line_item_id.as_str())
        .collect();
    let shipments: Vec<ShipmentView> = cart
        .shipments
        .iter()
        .map(|sh| shipment_view(sh, cart, c))
        .collect();
    let ready_for_payment = !cart.line_items.is_empty()
        && cart.shipping_info.is_some()
        && cart.payment_handle.is_some()
        && shipments.iter().all(|s| s.missing.is_none());
    CartView {
        domain: domain.to_string(),
        display_name: cart
            .display_name
            .clone()
            .unwrap_or_else(|| display_name.to_string()),
        cart_id: cart.cart_id.clone(),
        status: cart.cart_status.clone().unwrap_or_else(|| "active".into()),
        currency: currency.clone(),
        item_count: cart
            .line_items
            .iter()
            .map(|l| u32::try_from(l.quantity.max(0)).unwrap_or(0))
            .sum(),
        line_items: cart
            .line_items
            .iter()
            .map(|li| line_item_view(li, cart, c))
            .collect(),
        shipments,
        addons: addon_views(cart, c),
        promo_codes: cart.promo_codes.clone(),
        totals: TotalsView {
            subtotal: money_or_zero(&cart.sub_total, c),
            shipping: money_or_zero(&cart.shipping_total, c),
            tax: money_or_zero(&cart.tax_total, c),
            addons: money_or_zero(&cart.addon_total, c),
            discount: money_or_zero(&cart.discount_total, c),
            total: money_or_zero(&cart.total, c),
        },
        shipping_info: cart.shipping_info.as_ref().map(address_view),
        billing_info: cart.billing_info.as_ref().map(address_view),
        payment_options: payment_options(cart),
        session,
        optional_fields: cart
            .shop_properties
            .as_ref()
            .map(|p| {
                p.optional_fields
                    .iter()
                    .filter(|(_, v)| **v)
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default(),
        notices: cart
            .notices
            .iter()
            .filter(|n| {
                n.item_id
                    .as_deref()
                    .map(|id| !item_ids.contains(id))
                    .unwrap_or(true)
            })
            .map(notice_view)
            .collect(),
        ready_for_payment,
        paypal_account: cart
            .payment_method
            .as_ref()
            .filter(|p| p.payment_type.as_deref() == Some("PayPal"))
            .and_then(|p| p.attributes.as_ref())
            .filter(|a| a.payer_id.is_some())
            .map(|a| a.email.clone().unwrap_or_else(|| "PayPal account".into())),
    }
}

pub fn availability_view(shipment_id: &str, a: &Availability, currency: &str) -> AvailabilityView {
    AvailabilityView {
        shipment_id: a
            .shipment_id
            .clone()
            .unwrap_or_else(|| shipment_id.to_string()),
        fulfillment_type: a
            .fulfillment_type
            .as_ref()
            .map(|f| f.id.as_str().to_string())
            .unwrap_or_default(),
        dates: a
            .dates
            .iter()
            .map(|d| AvailableDateView {
                date: d.date.clone(),
                description: d.description.clone(),
                slots: d
                    .time_slots
                    .iter()
                    .map(|t| slot_view(t, currency))
                    .collect(),
            })
            .collect(),
        locations: a.pickup_locations.iter().map(location_view).collect(),
        methods: a
            .shipping_methods
            .iter()
            .map(|m| method_view(m, currency))
            .collect(),
    }
}

pub fn product_summary_view(p: &ProductSummary) -> ProductSummaryView {
    ProductSummaryView {
        handle: p.handle.clone(),
        title: p.title.clone(),
        image_url: p.image.as_ref().and_then(|i| i.url.clone()),
    }
}

pub fn product_view(p: &ProductDetails) -> ProductView {
    ProductView {
        handle: p.handle.clone(),
        title: p.title.clone(),
        description: p.short_description.clone().or(p.description.clone()),
        image_url: p.images.first().and_then(|i| i.url.clone()),
        variants: p
            .variants
            .iter()
            .map(|v| {
                let currency = v
                    .price
                    .as_ref()
                    .and_then(|a| a.currency.clone())
                    .unwrap_or_else(|| "USD".into());
                VariantView {
                    variant_id: v.variant_id(),
                    title: v
                        .display_name
                        .clone()
                        .or(v.title.clone())
                        .unwrap_or_else(|| v.variant_id()),
                    available: v.available,
                    price: money(&v.price, &currency),
                    msrp: money(&v.msrp, &currency),
                }
            })
            .collect(),
    }
}
