//! Line items (ENDPOINTS.md §1 #11 add v2, §1 #5 add v1, §1 #12 update v2, §1 #6
//! update v1, ENDPOINTS.md §1 #13 clear): quantities, the per-variant maximum, stock
//! (NotEnoughStock, ENDPOINTS.md §7 C4/ENDPOINTS.md §7 C4) and clear semantics (ENDPOINTS.md §7 C35: items, shipments, addon
//! selections and promo codes go; shipping info, payment handle and cart id stay).

use crate::model::cart::{Cart, LineItem};
use crate::model::fixtures::MerchantFixture;
use crate::model::ids::short_id;
use crate::model::world::World;
use crate::rules::{Rule, RuleResult};

/// Most units of one variant a cart may hold (sandbox convention).
pub const MAX_QUANTITY: i64 = 999;

/// Refuses more units of a limited variant than are left.
pub fn check_stock(m: &MerchantFixture, world: &World, sku: &str, qty: i64) -> RuleResult<()> {
    let Some((p, v)) = m.variant(sku) else {
        return Ok(());
    };
    if let Some(stock) = world.stock_left(m, &v.sku) {
        if qty > stock {
            return Err(Rule::NotEnoughStock(if stock <= 0 {
                format!("{} ({}) is out of stock.", p.title, v.sku)
            } else {
                format!(
                    "Only {stock} of {} ({}) available; {qty} requested.",
                    p.title, v.sku
                )
            }));
        }
    }
    Ok(())
}

/// Adds `quantity` of a variant, merging with an existing line of the same variant.
pub fn add_item(
    cart: &mut Cart,
    m: &MerchantFixture,
    world: &World,
    variant_id: &str,
    quantity: i64,
    handles: Vec<String>,
) -> RuleResult<()> {
    if quantity < 1 {
        return Err(Rule::QuantityBelowOne);
    }
    if quantity > MAX_QUANTITY {
        return Err(Rule::ExceedMaxQty);
    }
    let (_, v) = m.variant(variant_id).ok_or_else(|| {
        Rule::ProductNotFound(format!(
            "Product variant '{variant_id}' was not found on {}.",
            m.domain
        ))
    })?;
    let existing = cart
        .items
        .iter()
        .position(|i| i.variant_id.eq_ignore_ascii_case(&v.sku));
    let total_qty = quantity + existing.map(|i| cart.items[i].quantity).unwrap_or(0);
    if total_qty > MAX_QUANTITY {
        return Err(Rule::ExceedMaxQty);
    }
    check_stock(m, world, &v.sku, total_qty)?;
    match existing {
        Some(i) => {
            cart.items[i].quantity = total_qty;
            if !handles.is_empty() {
                cart.items[i].variant_handles = handles;
            }
        }
        None => cart.items.push(LineItem {
            line_item_id: short_id("li"),
            platform_line_item_id: cart.items.len().to_string(),
            variant_id: v.sku.clone(),
            quantity,
            variant_handles: handles,
        }),
    }
    Ok(())
}

/// Sets a line's quantity; 0 removes it. `by_sku` also finds the line by its sku (v1).
pub fn set_quantity(
    cart: &mut Cart,
    m: &MerchantFixture,
    world: &World,
    line_item_id: &str,
    quantity: i64,
    by_sku: bool,
) -> RuleResult<()> {
    if quantity < 0 {
        return Err(Rule::NegativeQuantity);
    }
    let idx = cart
        .items
        .iter()
        .position(|i| {
            i.line_item_id == line_item_id
                || (by_sku && i.variant_id.eq_ignore_ascii_case(line_item_id))
        })
        .ok_or_else(|| {
            Rule::LineItemNotFound(format!("Line item '{line_item_id}' is not in the cart."))
        })?;
    if quantity > MAX_QUANTITY {
        return Err(Rule::ExceedMaxQty);
    }
    if quantity == 0 {
        cart.items.remove(idx);
    } else {
        let sku = cart.items[idx].variant_id.clone();
        check_stock(m, world, &sku, quantity)?;
        cart.items[idx].quantity = quantity;
    }
    Ok(())
}

/// Clear semantics (ENDPOINTS.md §7 C35).
pub fn clear_items(cart: &mut Cart) {
    cart.items.clear();
    cart.shipments.clear();
    cart.addon_selections.clear();
    cart.promo_codes.clear();
    cart.paypal = None;
}

/// The demo cart behind an `external-session-*` transfer handle: the first available variant
/// of the first two products (one each).
pub fn imported_items(m: &MerchantFixture, world: &World) -> Vec<LineItem> {
    m.products
        .iter()
        .filter_map(|p| {
            p.variants
                .iter()
                .find(|v| world.stock_left(m, &v.sku).is_none_or(|s| s > 0))
        })
        .take(2)
        .enumerate()
        .map(|(i, v)| LineItem {
            line_item_id: short_id("li"),
            platform_line_item_id: i.to_string(),
            variant_id: v.sku.clone(),
            quantity: 1,
            variant_handles: Vec::new(),
        })
        .collect()
}
