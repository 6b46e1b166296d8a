//! Wire models → UI views. Server totals are shown as sent, never recomputed (ENDPOINTS.md
//! §7 C15, C46); readiness comes from [`crate::readiness`].

mod addons;
mod catalog;
mod payment;
pub mod rich_text;
mod shipments;

use std::collections::{HashMap, HashSet};

use firmly_api::{Address, Amount, CartV2, Consent, LineItem};

pub use catalog::{product_price_view, product_summary_view, product_view};
pub use payment::{brand_name, payment_options, paypal_approved};
pub use shipments::{availability_view, fulfillment_kind, location_view, slot_view};

use crate::view::*;

pub(crate) fn money(a: &Option<Amount>, currency: &str) -> Option<MoneyView> {
    a.as_ref().map(|a| MoneyView::from(&a.to_money(currency)))
}

fn money_or_zero(a: &Option<Amount>, currency: &str) -> MoneyView {
    money(a, currency).unwrap_or_else(|| MoneyView {
        amount: "0.00".into(),
        currency: currency.to_string(),
    })
}

/// A price, or nothing when it is zero (free slots show no price).
pub(crate) fn money_or_none_if_zero(a: &Option<Amount>, currency: &str) -> Option<MoneyView> {
    a.as_ref()
        .map(|a| a.to_money(currency))
        .filter(|m| !m.amount.is_zero())
        .map(|m| MoneyView::from(&m))
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

/// The wire address to send: canonical names, trimmed, empty fields left out, every value
/// as the person typed it (no case changed: ENDPOINTS.md §7 C6).
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
        state_or_province: opt(&a.state_or_province),
        postal_code: opt(&a.postal_code),
        country: opt(&a.country),
        ..Default::default()
    }
}

/// A billing address with the contact the docs require with it (v2 billing-info marks email
/// and phone required; v3 `billing_info` is "address and contact information", ENDPOINTS.md
/// §4.3): a form that left them out takes the shipping contact.
pub fn billing_with_contact(mut billing: Address, shipping: Option<&Address>) -> Address {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if let Some(ship) = shipping {
        if blank(&billing.email) {
            billing.email = ship.email.clone();
        }
        if blank(&billing.phone) {
            billing.phone = ship.phone.clone();
        }
    }
    billing
}

fn line_item_view(li: &LineItem, cart: &CartV2, currency: &str) -> LineItemView {
    LineItemView {
        line_item_id: li.line_item_id.clone(),
        sku: li.sku.clone(),
        variant_id: li.variant_id.clone(),
        title: li.title(),
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
        severity: NoticeSeverity::parse(&n.severity),
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

pub fn consent_view(c: &Consent) -> ConsentView {
    let text = c.text.clone().unwrap_or_default();
    ConsentView {
        id: c.id.clone(),
        parts: rich_text::rich_parts(&text, c.rich_text),
        text,
        rich_text: c.rich_text,
        required: c.required,
        revokable: c.revokable,
        signed: c.signed,
        slot: c.ui_slot.clone(),
    }
}

/// What the service knows about a cart beyond the cart itself.
#[derive(Default)]
pub struct CartContext<'a> {
    /// The merchant's consents, when read.
    pub consents: Option<&'a [Consent]>,
    /// An earlier payment whose outcome is not known yet.
    pub pending: Option<PendingOrderView>,
    /// Slots this desk asked for, per shipment id.
    pub requested_slots: Option<&'a HashMap<String, String>>,
    /// This merchant's cart could not be read.
    pub load_error: Option<firmly_api::ApiError>,
    /// Where to continue when the API does not support this merchant.
    pub merchant_site: Option<String>,
    /// Wallets the shopper unlocked (their saved cards and addresses).
    pub wallets: &'a [firmly_api::WalletUnlockComplete],
    /// The email the shopper logged in with at this merchant.
    pub account_email: Option<String>,
}

pub fn cart_view(
    domain: &str,
    display_name: &str,
    cart: &CartV2,
    ctx: CartContext<'_>,
) -> CartView {
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
    let logged_in = session.is_logged_in;
    let item_ids: HashSet<&str> = cart
        .line_items
        .iter()
        .map(|l| l.line_item_id.as_str())
        .collect();
    let shipments: Vec<ShipmentView> = cart
        .shipments
        .iter()
        .map(|sh| {
            let requested = ctx
                .requested_slots
                .and_then(|m| m.get(&sh.shipment_id))
                .map(String::as_str);
            shipments::shipment_view(sh, c, requested)
        })
        .collect();
    let payable = !payment_options(cart).is_empty();
    let mut blockers = crate::readiness::blockers(cart, ctx.consents, payable);
    if ctx.pending.is_some() {
        blockers.insert(0, crate::readiness::Blocker::OrderPending);
    }
    CartView {
        domain: domain.to_string(),
        display_name: cart
            .display_name
            .clone()
            .unwrap_or_else(|| display_name.to_string()),
        cart_id: cart.cart_id.clone(),
        status: if cart.is_submitted() {
            CartStatus::Submitted
        } else {
            CartStatus::Active
        },
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
        addons: addons::addon_views(cart, c),
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
        payment_options: payment::with_wallet_cards(payment_options(cart), ctx.wallets),
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
        consents: ctx
            .consents
            .map(|l| l.iter().map(consent_view).collect())
            .unwrap_or_default(),
        blockers,
        paypal_account: cart
            .payment_method
            .as_ref()
            .filter(|p| p.is_paypal() && p.paypal_authorized())
            .and_then(|p| p.attributes.as_ref())
            .map(|a| a.email.clone().unwrap_or_else(|| "PayPal account".into())),
        pending_order: ctx.pending,
        load_error: ctx.load_error,
        merchant_site: ctx.merchant_site,
        tax_included: cart.is_tax_included_in_price.unwrap_or(false),
        validation_errors: cart
            .validation_messages()
            .into_iter()
            .map(|(field, message)| ValidationMessageView { field, message })
            .collect(),
        discount_breakdown: cart
            .cart_discount_breakdown
            .iter()
            .map(|d| DiscountLineView {
                label: d.label.clone(),
                amount: money(&d.discount, c),
            })
            .collect(),
        store_credits: money(&cart.store_credits, c),
        available_store_credit: money(&cart.available_store_credit, c),
        reward_points: cart
            .reward_points
            .as_ref()
            .map(|a| a.value.normalize().to_string()),
        available_reward_points: cart
            .available_reward_points
            .as_ref()
            .map(|a| a.value.normalize().to_string()),
        additional_shipping_methods: cart
            .additional_shipping_methods
            .iter()
            .map(|m| shipments::method_view(m, c))
            .collect(),
        address_options: ctx
            .wallets
            .iter()
            .flat_map(|w| w.shipping_info_options.iter())
            .map(address_view)
            .collect(),
        account_email: ctx.account_email.filter(|_| logged_in),
    }
}
