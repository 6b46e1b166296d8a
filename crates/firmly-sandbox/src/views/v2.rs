//! ShoppingCartV2 (ENDPOINTS.md §2.4.1; live example ENDPOINTS.md §2.4.1)
//! with the fields the v2 examples add (`display_name`, `cart_status`, `payment_handle`,
//! `payment_method_options`, `notices`, `billing_info`, `promo_codes` + `discount_total`) and
//! the v1 fields v2 keeps (ENDPOINTS.md §7 C13: `session`, `shop_properties`, `urls`, and the order fields
//! once submitted). Shipments follow ENDPOINTS.md §2.4.3; the cart-level `shipping_method(_options)`
//! mirror the first shipment (C34); `coupons`/`cart_discount` mirror
//! `promo_codes`/`discount_total` (C14). In `demo` only, the v1 Cart's optional fields of
//! [`crate::views::extras`] are added (the `v2-cart-fields` extension).

use serde_json::{json, Map, Value};

use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::world::{World, WorldFacts};
use crate::rules::pricing::{price_cart, Pricing};
use crate::rules::shipments::fulfillment_options;
use crate::rules::{calendar, zones};
use crate::state::Shared;
use crate::views::common::{
    discounts, fulfillment_type, image, location, method_v2, money, notices_from,
    payment_options_from, scheduled_slot, session_from, shop_properties, urls,
};
use crate::views::extras;

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
    render_with(state, &WorldFacts::capture(state, world, m, cart), m, cart)
}

/// [`render`] from captured [`WorldFacts`] (needs no lock). The object is assembled from
/// owned values (`json!` would serialize every embedded `Value` again).
pub fn render_with(state: &Shared, facts: &WorldFacts, m: &MerchantFixture, cart: &Cart) -> Value {
    let pricing = price_cart(m, cart);
    let shipments = shipments(m, cart, &pricing);
    let (cart_methods, cart_method) = match shipments.first() {
        Some(s) => (
            s["shipping_method_options"].clone(),
            s["shipping_method"].clone(),
        ),
        None => (Value::Array(Vec::new()), Value::Null),
    };
    let text = |t: &str| Value::String(t.to_string());
    let status = if cart.submitted.is_some() {
        "submitted"
    } else {
        "active"
    };
    let promo_codes = val(&cart.promo_codes);
    let mut v = Map::new();
    let mut put = |k: &str, x: Value| {
        v.insert(k.to_string(), x);
    };
    put("cart_id", text(&cart.cart_id));
    put("platform_id", text(&m.platform_id));
    put("shop_id", text(&m.shop_id));
    put("display_name", text(&m.display_name));
    put("cart_status", text(status));
    put("schema_version", text("2.0"));
    put(
        "line_items",
        Value::Array(line_items(state, m, cart, &pricing)),
    );
    put("shipments", Value::Array(shipments));
    put("shipping_method_options", cart_methods);
    put("shipping_method", cart_method);
    put("sub_total", money(m, pricing.sub_total));
    put("shipping_total", money(m, pricing.shipping_total));
    put("tax_total", money(m, pricing.tax_total));
    put("addon_total", money(m, pricing.addon_total));
    put("discount_total", money(m, pricing.discount_total));
    put("cart_discount", money(m, pricing.discount_total));
    put("total", money(m, pricing.total));
    put("coupons", promo_codes.clone());
    put("promo_codes", promo_codes);
    put("addons", crate::views::addons::container(m, cart, &pricing));
    put("shipping_info", val(&cart.shipping_info));
    put("billing_info", val(&cart.billing_info));
    put("payment_handle", val(&cart.payment_handle));
    put(
        "payment_method_options",
        Value::Array(payment_options_from(m, facts, cart, pricing.total)),
    );
    put("session", session_from(facts.logged_in, m, cart));
    put("shop_properties", shop_properties(m));
    put("notices", Value::Array(notices_from(m, &facts.stock, cart)));
    put("urls", urls(cart));
    // ShoppingCartV2 does not list the v1 Cart's optional fields: `demo` adds them (its
    // `v2-cart-fields` extension), `docs` does not (ENDPOINTS.md §2.4.1).
    if state.profile.extensions() {
        for (k, x) in extras::fields(m, facts, cart, &pricing, extras::Form::V2) {
            put(k, x);
        }
    }
    if let Some(s) = &cart.submitted {
        put("platform_order_number", text(&s.order_number));
        put("submitted_at", text(&s.submitted_at.to_rfc3339()));
        put("payment_method", s.payment_method.clone());
    }
    Value::Object(v)
}

/// A field of any serializable type as a `Value`.
fn val<T: serde::Serialize + ?Sized>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}
