//! Order completion shared by every payment route: find the cart ([`crate::carts`]), run the
//! completion checks ([`crate::rules::checkout`]), let the route charge, then place the
//! order: the cart becomes `cart_status: "submitted"` with `platform_order_number`,
//! `submitted_at`, `urls.thank_you_page` and `payment_method` (ENDPOINTS.md §2.3)
//! and leaves the active carts; the answer is the documented Order (the v1 Cart shape). In
//! `demo` the submitted cart stays the device's readable cart until the next change; in
//! `docs` it leaves the device's carts at once (GET cart answers 404).

use axum::Json;
use serde_json::Value;

use crate::carts::{find_for_completion, refresh, CartRef};
use crate::errors::{ApiResult, Family};
use crate::model::address::Address;
use crate::model::cart::{Cart, Submission};
use crate::model::fixtures::MerchantFixture;
use crate::model::money::decimal_string;
use crate::model::world::{OrderRecord, World};
use crate::rules::checkout::completion_checks;
use crate::rules::pricing::price_cart;
use crate::rules::RuleResult;
use crate::state::Shared;

/// What a successful charge leaves on the order.
pub struct Payment {
    /// The order's `payment_method`.
    pub payment_method: Value,
    /// `CreditCard` or `PayPal` (the admin orders list).
    pub payment_type: &'static str,
    /// The billing address to keep on the order, if the payment brings one.
    pub billing: Option<Address>,
}

/// The merchant thank-you page of an order: the sandbox's own page in `demo`, a merchant URL
/// (not served) in `docs`.
fn thank_you_page(state: &Shared, m: &MerchantFixture, order: &str) -> String {
    if state.profile.extensions() {
        format!("{}/__sandbox/thank-you/{order}", state.base_url)
    } else {
        format!("https://{}/checkout/thank-you/{order}", m.domain)
    }
}

/// Finds the cart, runs the checks (with `billing`, the address the payment brings), lets
/// `pay` charge and places the order.
pub fn complete(
    state: &Shared,
    device_id: &str,
    cart_ref: CartRef<'_>,
    billing: Option<&Address>,
    pay: impl FnOnce(&World, &MerchantFixture, &Cart) -> RuleResult<Payment>,
) -> ApiResult<Json<Value>> {
    let mut world = state.world.lock();
    let (key, m) = find_for_completion(state, &world, device_id, cart_ref)?;
    let Some(mut cart) = world.carts.get(&key).cloned() else {
        return Err(crate::rules::Rule::CartNotFound.api(Family::V1));
    };
    refresh(&world, &mut cart);
    completion_checks(&world, m, &cart, billing, state.profile.extensions())
        .map_err(|r| r.api(Family::V1))?;
    let payment = pay(&world, m, &cart).map_err(|r| r.api(Family::V1))?;
    let now = world.now();
    let order_number = format!("SBX-{}", world.next_order);
    world.next_order += 1;
    if let Some(b) = payment.billing {
        cart.billing_info = Some(b);
    }
    for i in &cart.items {
        if let Some((_, v)) = m.variant(&i.variant_id) {
            if v.stock.is_some() {
                *world
                    .sold
                    .entry((m.domain.clone(), v.sku.clone()))
                    .or_insert(0) += i.quantity;
            }
        }
    }
    let total = price_cart(m, &cart).total;
    cart.submitted = Some(Submission {
        order_number: order_number.clone(),
        submitted_at: now,
        payment_method: payment.payment_method,
        thank_you_page: thank_you_page(state, m, &order_number),
    });
    cart.paypal = None;
    cart.updated_at = now;
    world.orders.push(OrderRecord {
        order_number: order_number.clone(),
        domain: m.domain.clone(),
        cart_id: cart.cart_id.clone(),
        total: decimal_string(total),
        payment_type: payment.payment_type.to_string(),
        placed_at: now,
    });
    tracing::info!(order = %order_number, domain = %m.domain, "order placed");
    let out = crate::views::v1::render(state, &world, m, &cart);
    world.submitted.insert(cart.cart_id.clone(), cart.clone());
    if state.profile.extensions() {
        world.carts.insert(key, cart);
    } else {
        world.carts.remove(&key);
    }
    Ok(Json(out))
}
