//! Cart plumbing: the one place that finds or creates a device's cart at a merchant.
//!
//! * [`read`] — GET cart. A device without a cart gets the documented 404 (`CartNotFound` v1,
//!   `ErrorCartNotFound` v2, ENDPOINTS.md §1 #7, §1 #10).
//!   In `demo` a submitted cart stays readable (`cart_status: "submitted"`) until the next
//!   change; in `docs` an ordered cart has left the device's carts.
//! * [`change`] / [`mutate`] — a change to the open cart. [`Need::Existing`] answers the 404
//!   when there is none; [`Need::Create`] starts an empty cart (adding a line item "creates
//!   cart if none", ENDPOINTS.md §1 #5). A failed change leaves everything as it was and creates nothing.
//! * [`inspect`] — read-only access to the open cart for routes that answer something else
//!   (availability, v1 shipping rates).
//!
//! Every access copies the device's preferred postal code into the cart (zone rule) and, on a
//! `tax_sync` merchant, marks taxes unsynced after a change and synced after a read.

use axum::body::Bytes;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use crate::errors::{ApiError, ApiResult, Family};
use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::world::{CartView, RenderedCart, World, WorldFacts};
use crate::rules::shipments::normalize;
use crate::rules::{Rule, RuleResult};
use crate::state::Shared;
use crate::views::{FactsRenderer, Renderer};

/// Whether a route needs an existing cart or may start one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Existing,
    Create,
}

/// The merchant of a cart route: unknown → `DomainNotFound`; a closed store →
/// `StoreUnavailable` (or `CannotCreateCart` for a route that would create the cart).
pub fn merchant<'a>(
    state: &'a Shared,
    domain: &str,
    need: Need,
) -> RuleResult<&'a MerchantFixture> {
    let m = state
        .merchant(domain)
        .ok_or_else(|| Rule::DomainNotFound(domain.to_string()))?;
    if m.traits.store_closed {
        return Err(match need {
            Need::Existing => Rule::StoreUnavailable,
            Need::Create => Rule::CannotCreateCart,
        });
    }
    Ok(m)
}

fn key(device_id: &str, m: &MerchantFixture) -> (String, String) {
    (device_id.to_string(), m.domain.clone())
}

/// Copies the device's preferred postal code into the cart.
pub fn refresh(world: &World, cart: &mut Cart) {
    cart.estimate_postal = world.device_postal(&cart.device_id);
}

/// Rendered GET-cart bodies kept per cart (the cache is pruned to live carts beyond this).
const RENDERED_SLACK: usize = 64;

/// GET cart: renders the device's cart (see the module docs). Only the refresh, the
/// normalization and the capture of what the view reads from the world happen under the world
/// lock; the view is rendered after it is released, unless the last body rendered for the
/// same cart and facts is still current (compared by value, so any change re-renders).
pub fn read(
    state: &Shared,
    device_id: &str,
    domain: &str,
    family: Family,
    view: CartView,
    render: FactsRenderer,
) -> ApiResult<Response> {
    let m = merchant(state, domain, Need::Existing).map_err(|r| r.api(family))?;
    let key = key(device_id, m);
    let (cart, facts) = {
        let mut world = state.world.lock();
        let postal = world.device_postal(device_id);
        let Some(cart) = world
            .carts
            .get_mut(&key)
            .filter(|c| c.is_open() || state.profile.extensions())
        else {
            return Err(Rule::CartNotFound.api(family));
        };
        if cart.is_open() {
            cart.estimate_postal = postal;
            normalize(cart, m);
            cart.tax_synced = true;
        }
        let cart = &world.carts[&key];
        let facts = WorldFacts::capture(state, &world, m, cart);
        let slot = (key.0.clone(), key.1.clone(), view);
        if let Some(hit) = world
            .rendered
            .get(&slot)
            .filter(|r| r.facts == facts && r.cart == *cart)
        {
            return Ok(json_body(hit.body.clone()));
        }
        (cart.clone(), facts)
    };
    let body = Bytes::from(
        serde_json::to_vec(&render(state, &facts, m, &cart)).map_err(|_| ApiError::unexpected())?,
    );
    let mut world = state.world.lock();
    if world.rendered.len() > world.carts.len() * 2 + RENDERED_SLACK {
        let World {
            rendered, carts, ..
        } = &mut *world;
        rendered.retain(|(d, dom, _), _| carts.contains_key(&(d.clone(), dom.clone())));
    }
    world.rendered.insert(
        (key.0, key.1, view),
        RenderedCart {
            cart,
            facts,
            body: body.clone(),
        },
    );
    Ok(json_body(body))
}

/// A `200 application/json` response with a rendered body.
fn json_body(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Runs `f` on the device's open cart (see [`Need`]); on success the cart is normalized,
/// stored and `out` renders the result, on failure nothing changes.
pub fn change<T>(
    state: &Shared,
    device_id: &str,
    domain: &str,
    family: Family,
    need: Need,
    f: impl FnOnce(&mut Cart, &MerchantFixture, &World) -> RuleResult<()>,
    out: impl FnOnce(&Shared, &World, &MerchantFixture, &Cart) -> T,
) -> ApiResult<T> {
    let m = merchant(state, domain, need).map_err(|r| r.api(family))?;
    let mut world = state.world.lock();
    let key = key(device_id, m);
    let now = world.now();
    let mut cart = match (world.carts.get(&key).filter(|c| c.is_open()), need) {
        (Some(c), _) => c.clone(),
        (None, Need::Create) => Cart::new(device_id, &m.domain, now),
        (None, Need::Existing) => return Err(Rule::CartNotFound.api(family)),
    };
    refresh(&world, &mut cart);
    f(&mut cart, m, &world).map_err(|r| r.api(family))?;
    normalize(&mut cart, m);
    cart.updated_at = now;
    cart.tax_synced = !m.traits.tax_sync;
    let result = out(state, &world, m, &cart);
    world.carts.insert(key, cart);
    Ok(result)
}

/// [`change`] answering with the rendered cart.
pub fn mutate(
    state: &Shared,
    device_id: &str,
    domain: &str,
    family: Family,
    need: Need,
    render: Renderer,
    f: impl FnOnce(&mut Cart, &MerchantFixture, &World) -> RuleResult<()>,
) -> ApiResult<Json<Value>> {
    change(state, device_id, domain, family, need, f, |s, w, m, c| {
        Json(render(s, w, m, c))
    })
}

/// Read-only access to the device's open cart, if any.
pub fn peek<T>(
    state: &Shared,
    device_id: &str,
    domain: &str,
    family: Family,
    f: impl FnOnce(&World, &MerchantFixture, Option<&Cart>) -> RuleResult<T>,
) -> ApiResult<T> {
    let m = merchant(state, domain, Need::Existing).map_err(|r| r.api(family))?;
    let world = state.world.lock();
    let mut cart = world
        .carts
        .get(&key(device_id, m))
        .filter(|c| c.is_open())
        .cloned();
    if let Some(c) = cart.as_mut() {
        refresh(&world, c);
    }
    f(&world, m, cart.as_ref()).map_err(|r| r.api(family))
}

/// Read-only access to the device's open cart; none is the 404.
pub fn inspect<T>(
    state: &Shared,
    device_id: &str,
    domain: &str,
    family: Family,
    f: impl FnOnce(&World, &MerchantFixture, &Cart) -> RuleResult<T>,
) -> ApiResult<T> {
    peek(state, device_id, domain, family, |world, m, cart| {
        f(world, m, cart.ok_or(Rule::CartNotFound)?)
    })
}

/// The device's open, non-empty carts by domain (sorted), minus `excludes`; each refreshed
/// with the device's postal code. Expired carts are pruned before every request.
pub fn active<'a>(
    state: &'a Shared,
    world: &World,
    device_id: &str,
    excludes: &[String],
) -> Vec<(&'a MerchantFixture, Cart)> {
    let mut out: Vec<(&MerchantFixture, Cart)> = world
        .carts
        .iter()
        .filter(|((dev, d), c)| {
            dev == device_id
                && !c.items.is_empty()
                && c.is_open()
                && !excludes.iter().any(|x| x.eq_ignore_ascii_case(d))
        })
        .filter_map(|((_, d), c)| {
            let m = state.merchant(d)?;
            let mut c = c.clone();
            refresh(world, &mut c);
            Some((m, c))
        })
        .collect();
    out.sort_by(|a, b| a.0.domain.cmp(&b.0.domain));
    out
}

/// The PayPal return URL and merchant of the cart whose express checkout has `token`.
pub fn paypal_session(world: &World, token: &str) -> Option<(String, String)> {
    world.carts.values().find_map(|c| {
        c.paypal
            .as_ref()
            .filter(|p| p.token == token)
            .map(|p| (p.return_url.clone(), c.domain.clone()))
    })
}

/// How a completion route names the cart to pay.
#[derive(Debug, Clone, Copy)]
pub enum CartRef<'a> {
    /// Vault routes: the cart's `payment_handle`, bound to the device.
    Handle(&'a str),
    /// Domain routes (`/api/v1/domains/{domain}/...`).
    Domain(&'a str),
}

/// The world key of the open cart a completion names, with its merchant. An unknown handle is
/// `CheckoutError 412` (ENDPOINTS.md §4.5); a domain without an open cart is the 404.
pub fn find_for_completion<'a>(
    state: &'a Shared,
    world: &World,
    device_id: &str,
    cart_ref: CartRef<'_>,
) -> Result<((String, String), &'a MerchantFixture), ApiError> {
    let key = match cart_ref {
        CartRef::Handle(handle) => world
            .carts
            .iter()
            .find(|((dev, _), c)| {
                dev == device_id && c.payment_handle.as_deref() == Some(handle.trim())
            })
            .map(|(k, _)| k.clone())
            .ok_or_else(|| {
                Rule::CheckoutError(
                    "Payment info or billing address invalid: the payment handle does not match a cart of this device.".to_string(),
                )
                .api(Family::V1)
            })?,
        CartRef::Domain(domain) => {
            let m = merchant(state, domain, Need::Existing).map_err(|r| r.api(Family::V1))?;
            let key = key(device_id, m);
            if !world.carts.get(&key).is_some_and(Cart::is_open) {
                return Err(Rule::CartNotFound.api(Family::V1));
            }
            key
        }
    };
    let m = state
        .merchant(&key.1)
        .ok_or_else(|| Rule::DomainNotFound(key.1.clone()).api(Family::V1))?;
    Ok((key, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::DeviceRecord;
    use crate::rules::items::add_item;

    fn get(state: &Shared, view: CartView) -> Vec<u8> {
        let render: FactsRenderer = match view {
            CartView::V1 => crate::views::v1::render_with,
            CartView::V2 => crate::views::v2::render_with,
        };
        let resp = read(state, "dev", "gadgets.test", Family::V2, view, render).expect("cart");
        let body =
            futures_util::FutureExt::now_or_never(axum::body::to_bytes(resp.into_body(), 1 << 20));
        body.and_then(Result::ok).expect("body").to_vec()
    }

    #[test]
    fn a_kept_body_is_served_only_while_the_cart_and_the_world_facts_are_unchanged() {
        let state = crate::new_state("http://127.0.0.1:9", crate::Profile::Demo).expect("state");
        state.world.lock().devices.insert(
            "dev".to_string(),
            DeviceRecord {
                app_id: "sandbox-app".to_string(),
                logged_in: Default::default(),
                postal_code: None,
            },
        );
        let m = state.merchant("gadgets.test").expect("merchant");
        let sku = m
            .products
            .iter()
            .find(|p| p.handle == "usb-c-hub")
            .and_then(|p| p.variants.first())
            .map(|v| v.sku.clone())
            .expect("limited-stock variant");
        let add = |qty| {
            change(
                &state,
                "dev",
                "gadgets.test",
                Family::V2,
                Need::Create,
                |c, m, w| add_item(c, m, w, &sku, qty, Vec::new()),
                |_, _, _, _| (),
            )
            .expect("add");
        };
        add(1);
        let first = get(&state, CartView::V2);
        assert_eq!(state.world.lock().rendered.len(), 1);
        assert_eq!(get(&state, CartView::V2), first, "kept body");
        let v1 = get(&state, CartView::V1);
        assert_ne!(v1, first, "one body per view");
        // A change of the world the view reads (stock sold elsewhere) re-renders.
        let stock_key = (m.domain.clone(), sku.clone());
        state.world.lock().sold.insert(stock_key, 2);
        let sold_out = get(&state, CartView::V2);
        assert_ne!(sold_out, first);
        assert!(String::from_utf8_lossy(&sold_out).contains("ITEM_OUT_OF_STOCK"));
        // So does a change of the cart, and a reset forgets every kept body.
        state.world.lock().sold.clear();
        add(1);
        let two: Value = serde_json::from_slice(&get(&state, CartView::V2)).expect("json");
        assert_eq!(two["line_items"][0]["quantity"], 2);
        state.reset();
        assert!(state.world.lock().rendered.is_empty());
        assert!(read(
            &state,
            "dev",
            "gadgets.test",
            Family::V2,
            CartView::V2,
            crate::views::v2::render_with
        )
        .is_err());
    }
}
