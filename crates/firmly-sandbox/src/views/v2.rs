//! ShoppingCartV2 (`002_599d5acdabf6b74d.txt:4004`; live example `004_aafe42603e041247.txt:18`)
//! with the fields the v2 examples add (`display_name`, `cart_status`, `payment_handle`,
//! `payment_method_options`, `notices`, `billing_info`, `promo_codes` + `discount_total`) and
//! the v1 fields v2 keeps (`:3228`: `session`, `shop_properties`, `urls`, and the order fields
//! once submitted). Shipments follow `:4035`; the cart-level `shipping_method(_options)`
//! mirror the first shipment (C34); `coupons`/`cart_discount` mirror
//! `promo_codes`/`discount_total` (C14).

use serde_json::{json, Value};

use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::world::World;
use crate::rules::pricing::{price_cart, Pricing};
use crate::rules::shipments::fulfillment_options;
use crate::rules::{calendar, zones};
use crate::state::Shared;
use crate::views::common::{
    discounts, fulfillment_type, image, location, method_v2, money, notices,
    payment_method_options, scheduled_slot, session, shop_properties, urls,
};

fn line_items(state: &Shared, m: &MerchantFixture, cart: &Cart, pricing: &Pricing) -> Vec<Value> {
    cart.items
        .iter()
        .zip(&pricing.lines)
        .map(|(i, lp)| {
            let (title, base_sku, img, desc, ships) = match m.variant(&i.variant_id) {
                Some((p, v)) => (
                    p.title.clone(),
                    p.base_sku.clone(),
                    image(&state.base_url, &p.handle, &p.title),
                    v.description(),
                    p.requires_shipping(),
                ),
                None => (
                    i.variant_id.clone(),
                    i.variant_id.clone(),
                    json!({ "url": "", "alt": "" }),
                    String::new(),
                    true,
                ),
            };
            json!({
                "line_item_id": i.line_item_id,
                "platform_line_item_id": i.platform_line_item_id,
                "sku": i.variant_id,
                "variant_id": i.variant_id,
                "base_sku": base_sku,
                "description": title,
                "variant_description": desc,
                "quantity": i.quantity,
                "price": money(m, lp.unit),
                "line_price": money(m, lp.line),
                "msrp": money(m, lp.msrp),
                "image": img,
                "requires_shipping": ships,
                "variant_handles": i.variant_handles,
                "discounts": discounts(m, &lp.discounts),
            })
        })
        .collect()
}

fn shipments(m: &MerchantFixture, cart: &Cart, pricing: &Pricing) -> Vec<Value> {
    let destination = cart.destination_postal();
    cart.shipments
        .iter()
        .zip(&pricing.shipments)
        .map(|(s, sp)| {
            json!({
                "shipment_id": s.shipment_id,
                "fulfillment_type": fulfillment_type(s.fulfillment_type),
                "fulfillment_type_options": fulfillment_options(cart, m, s)
                    .into_iter()
                    .map(fulfillment_type)
                    .collect::<Vec<_>>(),
                "line_item_ids": cart.shipment_items(m, s),
                "shipping_method_options": zones::methods(m, s.fulfillment_type.id(), pricing.steps)
                    .iter()
                    .map(|x| method_v2(m, x))
                    .collect::<Vec<_>>(),
                "shipping_method": sp.method.as_ref().map(|x| method_v2(m, x)),
                "selected_location": s
                    .location_id
                    .as_deref()
                    .and_then(|id| m.location(id))
                    .map(|l| location(l, zones::distance(destination, l))),
                "selected_date": s.selected_date.map(|d| d.format("%Y-%m-%d").to_string()),
                "selected_time_slot": s
                    .slot_id
                    .as_deref()
                    .and_then(calendar::parse_slot)
                    .map(|(d, i)| scheduled_slot(m, d, i)),
                "notes": s.notes,
                "discounts": discounts(m, &sp.discounts),
            })
        })
        .collect()
}

/// Renders the internal cart as `ShoppingCartV2`.
pub fn render(state: &Shared, world: &World, m: &MerchantFixture, cart: &Cart) -> Value {
    let pricing = price_cart(m, cart);
    let shipments = shipments(m, cart, &pricing);
    let (cart_methods, cart_method) = match shipments.first() {
        Some(s) => (
            s["shipping_method_options"].clone(),
            s["shipping_method"].clone(),
        ),
        None => (json!([]), Value::Null),
    };
    let mut v = json!({
        "cart_id": cart.cart_id,
        "platform_id": m.platform_id,
        "shop_id": m.shop_id,
        "display_name": m.display_name,
        "cart_status": if cart.submitted.is_some() { "submitted" } else { "active" },
        "schema_version": "2.0",
        "line_items": line_items(state, m, cart, &pricing),
        "shipments": shipments,
        "shipping_method_options": cart_methods,
        "shipping_method": cart_method,
        "sub_total": money(m, pricing.sub_total),
        "shipping_total": money(m, pricing.shipping_total),
        "tax_total": money(m, pricing.tax_total),
        "addon_total": money(m, pricing.addon_total),
        "discount_total": money(m, pricing.discount_total),
        "cart_discount": money(m, pricing.discount_total),
        "total": money(m, pricing.total),
        "promo_codes": cart.promo_codes,
        "coupons": cart.promo_codes,
        "addons": crate::views::addons::container(m, cart, &pricing),
        "shipping_info": cart.shipping_info,
        "billing_info": cart.billing_info,
        "payment_handle": cart.payment_handle,
        "payment_method_options": payment_method_options(state, m, world, cart, pricing.total),
        "session": session(world, m, cart),
        "shop_properties": shop_properties(m),
        "notices": notices(m, world, cart),
        "urls": urls(cart),
    });
    if let Some(s) = &cart.submitted {
        v["platform_order_number"] = json!(s.order_number);
        v["submitted_at"] = json!(s.submitted_at.to_rfc3339());
        v["payment_method"] = s.payment_method.clone();
    }
    v
}
