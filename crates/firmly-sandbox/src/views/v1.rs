//! The v1 Cart (ENDPOINTS.md §2.3) and Order (ENDPOINTS.md §2.3 = Cart +
//! `platform_order_number`, with `cart_status: "submitted"`, `submitted_at`,
//! `urls.thank_you_page`, `payment_method`, `billing_info`; sample ENDPOINTS.md §7 C20). v1 shapes: `tax`
//! (not `tax_total`), one cart-level `shipping_method` (ShippingMethod with `sku`), `coupons`,
//! `cart_discount`, `line_items[].line_discount`, `notice: string[]`, and the optional fields of
//! [`crate::views::extras`] (tax-included flag, discount breakdown, additional shipping
//! methods, validation errors, member credit and points). Every completion route answers with
//! this Order, as the payment pages document.

use serde_json::{json, Value};

use crate::model::cart::{Cart, PaypalState};
use crate::model::fixtures::MerchantFixture;
use crate::model::world::{World, WorldFacts};
use crate::rules::pricing::price_cart;
use crate::rules::zones;
use crate::state::Shared;
use crate::views::common::{
    discounts, image, method_v1, money, notices_from, payment_options_from, session_from,
    shop_properties, urls,
};
use crate::views::extras;

/// The sandbox PayPal buyer's email.
pub const PAYPAL_BUYER_EMAIL: &str = "buyer@paypal.sandbox";

/// The cart's `payment_method` while a PayPal checkout is in progress (both the start and the
/// authorize spellings, C25).
pub fn paypal_payment_method(p: &PaypalState) -> Value {
    let mut attributes = json!({
        "paypal_token": p.token,
        "token": p.token,
        "url": p.url,
        "sandbox": true,
        "requires_review": false,
        "redirect_url": p.return_url,
        "type": "PayPal",
    });
    if let Some(payer) = &p.payer_id {
        attributes["payer_id"] = json!(payer);
        attributes["email"] = json!(PAYPAL_BUYER_EMAIL);
    }
    json!({ "type": "PayPal", "payment_type": "PayPal", "attributes": attributes })
}

/// v1 shipping methods: those of the first shipment, priced for the zone.
pub fn shipping_options(m: &MerchantFixture, cart: &Cart) -> Vec<Value> {
    let steps = zones::steps(m, cart.destination_postal());
    cart.shipments
        .first()
        .map(|s| {
            zones::methods(m, s.fulfillment_type.id(), steps)
                .iter()
                .map(|x| method_v1(m, x))
                .collect()
        })
        .unwrap_or_default()
}

/// Renders the internal cart as a v1 `Cart` (an Order once submitted).
pub fn render(state: &Shared, world: &World, m: &MerchantFixture, cart: &Cart) -> Value {
    render_with(state, &WorldFacts::capture(state, world, m, cart), m, cart)
}

/// [`render`] from captured [`WorldFacts`] (needs no lock).
pub fn render_with(state: &Shared, facts: &WorldFacts, m: &MerchantFixture, cart: &Cart) -> Value {
    let pricing = price_cart(m, cart);
    let lines: Vec<Value> = cart
        .items
        .iter()
        .zip(&pricing.lines)
        .map(|(i, lp)| {
            let (title, base_sku, img, desc, options, ships) = match m.variant(&i.variant_id) {
                Some((p, v)) => (
                    p.title.clone(),
                    p.base_sku.clone(),
                    image(&state.base_url, &p.handle, &p.title),
                    v.description(),
                    v.option_values.clone(),
                    p.requires_shipping(),
                ),
                None => (
                    i.variant_id.clone(),
                    i.variant_id.clone(),
                    json!({}),
                    String::new(),
                    Vec::new(),
                    true,
                ),
            };
            let disc: i64 = lp.discounts.iter().map(|d| d.minor).sum();
            json!({
                "line_item_id": i.line_item_id,
                "platform_line_item_id": i.platform_line_item_id,
                "sku": i.variant_id,
                "base_sku": base_sku,
                "description": title,
                "variant_description": desc,
                "variant_option_list": options,
                "variant_handles": i.variant_handles,
                "quantity": i.quantity,
                "price": money(m, lp.unit),
                "line_price": money(m, lp.line),
                "line_discount": money(m, disc),
                "msrp": money(m, lp.msrp),
                "image": img,
                "requires_shipping": ships,
                "discounts": discounts(m, &lp.discounts),
            })
        })
        .collect();
    let method = pricing
        .shipments
        .first()
        .and_then(|s| s.method.as_ref())
        .map(|x| method_v1(m, x));
    let notice: Vec<Value> = notices_from(m, &facts.stock, cart)
        .into_iter()
        .map(|n| n["details"]["description"].clone())
        .collect();
    let mut v = json!({
        "cart_id": cart.cart_id,
        "platform_id": m.platform_id,
        "shop_id": m.shop_id,
        "display_name": m.display_name,
        "app_id": facts.app_id,
        "cart_status": if cart.submitted.is_some() { "submitted" } else { "active" },
        "line_items": lines,
        "sub_total": money(m, pricing.sub_total),
        "cart_discount": money(m, pricing.discount_total),
        "tax": money(m, pricing.tax_total),
        "shipping_total": money(m, pricing.shipping_total),
        "total": money(m, pricing.total),
        "coupons": cart.promo_codes,
        "shipping_info": cart.shipping_info,
        "shipping_info_options": [],
        "shipping_method": method,
        "shipping_method_options": if cart.shipping_info.is_some() { shipping_options(m, cart) } else { Vec::new() },
        "billing_info": cart.billing_info,
        "payment_handle": cart.payment_handle,
        "payment_method_options": payment_options_from(m, facts, cart, pricing.total),
        "session": session_from(facts.logged_in, m, cart),
        "shop_properties": shop_properties(m),
        "notice": notice,
        "urls": urls(cart),
    });
    for (k, x) in extras::fields(m, facts, cart, &pricing, extras::Form::V1) {
        v[k] = x;
    }
    if let Some(a) = &cart.attribution {
        v["attribution"] = a.clone();
    }
    if let Some(s) = &cart.submitted {
        v["platform_order_number"] = json!(s.order_number);
        v["submitted_at"] = json!(s.submitted_at.to_rfc3339());
        v["payment_method"] = s.payment_method.clone();
    } else if let Some(p) = &cart.paypal {
        v["payment_method"] = paypal_payment_method(p);
    }
    v
}
