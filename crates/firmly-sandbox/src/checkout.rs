//! Order completion shared by every payment route: the completion checks of ENDPOINTS.md §9
//! (CHK errors, `002_599d5acdabf6b74d.txt:12031` table) and order placement: the cart becomes
//! `cart_status: "submitted"` with `platform_order_number`, `submitted_at`,
//! `urls.thank_you_page` and `payment_method` (`:12768`), leaves the active carts, and the
//! device's next cart for that merchant starts empty with a new `cart_id`.

use axum::Json;
use serde_json::Value;

use crate::address::Address;
use crate::auth::Device;
use crate::cart_v2::{render_v2_value, Renderer};
use crate::data::MerchantFixture;
use crate::errors::{ApiError, ApiResult};
use crate::pricing::{decimal_string, price_cart};
use crate::state::{AppState, Cart, FulfillmentType, OrderRecord, Submission, World};

/// How the route names the cart to complete.
pub enum CartRef<'a> {
    /// Vault routes: the cart's `payment_handle`, bound to the device.
    Handle(&'a str),
    /// Domain routes (`/api/v1/domains/{domain}/...`).
    Domain(&'a str),
}

/// Checks that must pass before any payment is attempted.
pub fn completion_checks(world: &World, m: &MerchantFixture, cart: &Cart) -> ApiResult<()> {
    if let Some(s) = &cart.submitted {
        return Err(ApiError::new(
            412,
            "CheckoutError",
            format!(
                "This cart was already submitted as order {}.",
                s.order_number
            ),
        ));
    }
    if cart.items.is_empty() {
        return Err(ApiError::new(
            412,
            "NoLineItemError",
            "Cart does not have any line item. Add an item at least and try again.",
        ));
    }
    for i in &cart.items {
        crate::cart_v2::check_stock(
            m,
            world,
            &i.variant_id,
            i.quantity,
            crate::address::Family::V1,
        )?;
    }
    let Some(ship) = &cart.shipping_info else {
        return Err(ApiError::new(
            412,
            "MissingShippingInfo",
            "Shipping info needs to be set.",
        ));
    };
    if ship.email.trim().is_empty() {
        return Err(ApiError::new(
            412,
            "MissingEmailAddressOnCheckout",
            "Missing email address during checkout phase.",
        ));
    }
    if m.requires_login && !world.logged_in(&cart.device_id, &m.domain) {
        return Err(ApiError::new(
            409,
            "UserMustLogin",
            "This merchant requires the user to be logged in at this step.",
        ));
    }
    for s in &cart.shipments {
        if s.method_id.is_none() {
            return Err(ApiError::new(
                412,
                "MissingShippingMethod",
                format!(
                    "Shipping method needs to be set for shipment {}.",
                    s.shipment_id
                ),
            ));
        }
        match s.fulfillment_type {
            FulfillmentType::ScheduledDelivery if s.selected_date.is_none() => {
                return Err(ApiError::new(
                    412,
                    "CheckoutError",
                    format!(
                        "Shipment {} needs a delivery date; choose one from get-availability.",
                        s.shipment_id
                    ),
                ))
            }
            FulfillmentType::PickupInStore if s.location_id.is_none() => {
                return Err(ApiError::new(
                    412,
                    "CheckoutError",
                    format!(
                        "Shipment {} needs a pickup location; choose one from get-availability.",
                        s.shipment_id
                    ),
                ))
            }
            _ => {}
        }
    }
    crate::consents::check_required(m, cart)?;
    Ok(())
}

/// Finds the cart, runs the checks, lets `pay` charge (it returns the order's
/// `payment_method`, payment type and billing address), then places the order.
pub fn complete<F>(
    state: &AppState,
    device: &Device,
    cart_ref: CartRef<'_>,
    pay: F,
) -> ApiResult<Json<Value>>
where
    F: FnOnce(&World, &Cart) -> ApiResult<(Value, String, Option<Address>)>,
{
    complete_rendered(state, device, cart_ref, render_order_v2, pay)
}

pub fn complete_rendered<F>(
    state: &AppState,
    device: &Device,
    cart_ref: CartRef<'_>,
    render: Renderer,
    pay: F,
) -> ApiResult<Json<Value>>
where
    F: FnOnce(&World, &Cart) -> ApiResult<(Value, String, Option<Address>)>,
{
    let mut world = state.world.lock();
    let key = match cart_ref {
        CartRef::Handle(handle) => world
            .carts
            .iter()
            .find(|((dev, _), c)| {
                dev == &device.device_id && c.payment_handle.as_deref() == Some(handle.trim())
            })
            .map(|(k, _)| k.clone())
            .ok_or_else(|| {
                ApiError::new(
                    412,
                    "CheckoutError",
                    "Payment info or billing address invalid: the payment handle does not match an active cart of this device.",
                )
            })?,
        CartRef::Domain(domain) => {
            let m = state
                .merchant(domain)
                .ok_or_else(|| crate::cart_v2::domain_not_found(domain))?;
            let key = (device.device_id.clone(), m.domain.clone());
            if !world.carts.contains_key(&key) {
                return Err(ApiError::new(
                    412,
                    "NoLineItemError",
                    "Cart does not have any line item. Add an item at least and try again.",
                ));
            }
            key
        }
    };
    let m = state
        .merchant(&key.1)
        .ok_or_else(|| crate::cart_v2::domain_not_found(&key.1))?;
    let cart = world
        .carts
        .get(&key)
        .cloned()
        .ok_or_else(|| ApiError::new(404, "CartNotFound", "Cart was not found."))?;
    completion_checks(&world, m, &cart)?;
    let (payment_method, payment_type, billing) = pay(&world, &cart)?;
    let mut cart = cart;
    let now = world.now();
    let number = world.next_order;
    world.next_order += 1;
    let order_number = format!("SBX-{number}");
    if let Some(b) = billing {
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
    let pricing = price_cart(m, &cart);
    cart.submitted = Some(Submission {
        order_number: order_number.clone(),
        submitted_at: now,
        payment_method,
        thank_you_page: format!("{}/__sandbox/thank-you/{order_number}", state.base_url),
    });
    cart.paypal = None;
    cart.updated_at = now;
    world.orders.push(OrderRecord {
        order_number: order_number.clone(),
        domain: m.domain.clone(),
        cart_id: cart.cart_id.clone(),
        total: decimal_string(pricing.total),
        payment_type,
        placed_at: now,
    });
    tracing::info!(order = %order_number, domain = %m.domain, "order placed");
    let out = render(state, &world, m, &cart);
    world.submitted.insert(cart.cart_id.clone(), cart.clone());
    // Kept as the device's current cart until the next change (see `read_cart`).
    world.carts.insert(key, cart);
    Ok(Json(out))
}

/// An order in the v2 cart shape plus the v1 `tax` field, so either client model decodes it.
pub fn render_order_v2(
    state: &crate::state::Shared,
    world: &World,
    m: &MerchantFixture,
    cart: &Cart,
) -> Value {
    let mut v = render_v2_value(state, world, m, cart);
    if let Some(obj) = v.as_object_mut() {
        let tax = obj.get("tax_total").cloned().unwrap_or(Value::Null);
        obj.insert("tax".into(), tax);
    }
    v
}

/// An order in the v1 cart shape (PayPal and other `/api/v1/domains/...` completions).
pub fn render_order_v1(
    state: &crate::state::Shared,
    world: &World,
    m: &MerchantFixture,
    cart: &Cart,
) -> Value {
    let mut v = crate::cart_v1::render_v1(state, world, m, cart);
    if let Some(obj) = v.as_object_mut() {
        let tax = obj.get("tax").cloned().unwrap_or(Value::Null);
        obj.insert("tax_total".into(), tax);
        obj.insert("schema_version".into(), Value::String("1.0".into()));
    }
    v
}
