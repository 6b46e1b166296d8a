//! The simplified v2 "ShoppingCart" of `GET /api/v2/carts/active` and
//! `POST /api/v2/domains/{d}/session/transfer` (ENDPOINTS.md §2.5,
//! ENDPOINTS.md §2.5; ENDPOINTS.md §2.5): `id`, `domain`, line items with
//! `unit_price`/`total_price` and a `product{id, title, handle}`, shipments with a plain-string
//! `fulfillment_type` and their own totals, `addons: []`, bare-number totals and `currency`.
//! The docs define no other shape for these routes, so both profiles answer with it.

use serde_json::{json, Value};

use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::money::{bare, CURRENCY};
use crate::model::world::World;
use crate::rules::pricing::price_cart;
use crate::state::Shared;

/// Renders the internal cart as the simplified cart.
pub fn render(_state: &Shared, _world: &World, m: &MerchantFixture, cart: &Cart) -> Value {
    let pricing = price_cart(m, cart);
    let line_items: Vec<Value> = cart
        .items
        .iter()
        .zip(&pricing.lines)
        .map(|(i, lp)| {
            let product = match m.variant(&i.variant_id) {
                Some((p, _)) => json!({ "id": p.base_sku, "title": p.title, "handle": p.handle }),
                None => json!({ "id": i.variant_id, "title": i.variant_id, "handle": "" }),
            };
            json!({
                "id": i.line_item_id,
                "variant_id": i.variant_id,
                "quantity": i.quantity,
                "unit_price": bare(lp.unit),
                "total_price": bare(lp.line),
                "product": product,
            })
        })
        .collect();
    let shipments: Vec<Value> = cart
        .shipments
        .iter()
        .zip(&pricing.shipments)
        .map(|(s, sp)| {
            json!({
                "id": s.shipment_id,
                "fulfillment_type": s.fulfillment_type.id(),
                "line_items": cart.shipment_items(m, s),
                "subtotal": bare(sp.items),
                "shipping_total": bare(sp.cost),
                "tax_total": bare(sp.tax),
                "total": bare(sp.total),
            })
        })
        .collect();
    json!({
        "id": cart.cart_id,
        "domain": m.domain,
        "schema_version": "2.0",
        "line_items": line_items,
        "shipments": shipments,
        "addons": [],
        "subtotal": bare(pricing.sub_total),
        "shipping_total": bare(pricing.shipping_total),
        "tax_total": bare(pricing.tax_total),
        "addon_total": bare(pricing.addon_total),
        "total": bare(pricing.total),
        "currency": CURRENCY,
    })
}
