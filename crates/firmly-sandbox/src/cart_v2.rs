//! Cart API v2 (`002_599d5acdabf6b74d.txt:1479` add line item, `:2063` get cart, `:2199`
//! update line item, `:1801` clear cart, `:2747` shipping info, `:2340` billing info; full live
//! example `004_aafe42603e041247.txt:18`). Every route answers with the full `ShoppingCartV2`
//! (ENDPOINTS.md §2.4) rendered from the one internal cart model.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

use crate::address::{Address, AddressInput, AddressUse, Family};
use crate::auth::Device;
use crate::catalog::{product_image, Image};
use crate::data::MerchantFixture;
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::pricing::{amount, price_cart, Amount, Discount, Pricing};
use crate::state::{short_id, AppState, Cart, LineItem, Shared, World};

/// Accepts an integer or a numeric string (ENDPOINTS.md §7 C18).
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(i64),
        S(String),
    }
    match N::deserialize(d)? {
        N::I(i) => Ok(i),
        N::S(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("invalid integer '{s}'"))),
    }
}

#[derive(Debug, Serialize)]
pub struct LineItemV2 {
    pub line_item_id: String,
    pub platform_line_item_id: String,
    pub sku: String,
    pub variant_id: String,
    pub base_sku: String,
    pub description: String,
    pub variant_description: String,
    pub quantity: i64,
    pub price: Amount,
    pub line_price: Amount,
    pub msrp: Amount,
    pub image: Image,
    pub requires_shipping: bool,
    pub variant_handles: Vec<String>,
    pub discounts: Vec<Discount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShippingMethodV2 {
    pub id: String,
    pub description: String,
    pub price: Amount,
    pub estimated_delivery: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FulfillmentTypeView {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ShipmentV2 {
    pub shipment_id: String,
    pub fulfillment_type: FulfillmentTypeView,
    pub fulfillment_type_options: Vec<FulfillmentTypeView>,
    pub line_item_ids: Vec<String>,
    pub shipping_method_options: Vec<ShippingMethodV2>,
    pub shipping_method: Option<ShippingMethodV2>,
    pub selected_location: Option<Value>,
    pub selected_date: Option<String>,
    pub selected_time_slot: Option<Value>,
    pub notes: String,
    pub discounts: Vec<Discount>,
    pub shipping_total: Amount,
}

#[derive(Debug, Serialize)]
pub struct SessionInfo {
    pub requires_login: bool,
    pub is_email_registered: bool,
    pub is_logged_in: bool,
    pub cookies: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CartV2 {
    pub cart_id: String,
    pub platform_id: String,
    pub shop_id: String,
    pub domain: String,
    pub display_name: String,
    pub cart_status: &'static str,
    pub schema_version: &'static str,
    pub line_items: Vec<LineItemV2>,
    pub shipments: Vec<ShipmentV2>,
    pub shipping_method_options: Vec<ShippingMethodV2>,
    pub shipping_method: Option<ShippingMethodV2>,
    pub sub_total: Amount,
    pub shipping_total: Amount,
    pub tax_total: Amount,
    pub addon_total: Amount,
    pub discount_total: Amount,
    pub cart_discount: Amount,
    pub total: Amount,
    pub promo_codes: Vec<String>,
    pub coupons: Vec<String>,
    pub addons: Value,
    pub shipping_info: Option<Address>,
    pub billing_info: Option<Address>,
    pub payment_handle: Option<String>,
    pub payment_method_options: Vec<Value>,
    pub session: SessionInfo,
    pub shop_properties: Value,
    pub notices: Vec<Value>,
    pub urls: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_order_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<Value>,
}

pub fn method_view(x: &crate::data::ShippingMethodFixture) -> ShippingMethodV2 {
    ShippingMethodV2 {
        id: x.id.clone(),
        description: x.description.clone(),
        price: amount(x.price),
        estimated_delivery: x.estimated_delivery.clone(),
    }
}

fn ft_view(ft: crate::state::FulfillmentType) -> FulfillmentTypeView {
    FulfillmentTypeView {
        id: ft.id(),
        name: ft.name(),
        description: ft.description(),
    }
}

/// Payment methods offered (`002_599d5acdabf6b74d.txt:12906`; only when the total is positive,
/// `:12205`). `members.test` has no new-card entry; saved cards appear once logged in or after
/// a wallet unlock.
pub fn payment_method_options(
    state: &Shared,
    m: &MerchantFixture,
    world: &World,
    cart: &Cart,
    total: i64,
) -> Vec<Value> {
    if total <= 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    if m.card_entry {
        out.push(json!({ "type": "CreditCard", "wallet": "user" }));
    }
    if m.paypal {
        out.push(json!({ "type": "PayPal", "wallet": "paypal" }));
    }
    let logged_in = world.logged_in(&cart.device_id, &m.domain);
    if logged_in {
        for c in &m.saved_cards {
            out.push(json!({
                "type": "CreditCard",
                "wallet": "merchant",
                "id": c.id,
                "card_type": c.card_type,
                "last_four": c.last_four,
                "month": c.month,
                "year": c.year,
                "art": format!("https://{}/assets/cards/{}.svg", m.domain, c.card_type),
            }));
        }
    }
    let unlocked = crate::wallet::unlocked_cards(&state.catalog.wallets, world, &cart.device_id, m);
    // A wallet the merchant accepts is advertised (`type: "ShopPay"`, `:12906`) until the
    // shopper unlocks it; then its saved cards take its place.
    for w in &m.wallets {
        if !unlocked.iter().any(|c| c["wallet"] == w.as_str()) {
            out.push(json!({ "type": wallet_type(w), "wallet": w }));
        }
    }
    out.extend(unlocked);
    out
}

/// The `PaymentMethodOption.type` of a wallet provider.
fn wallet_type(wallet: &str) -> String {
    match wallet {
        "shoppay" => "ShopPay".to_string(),
        other => other.to_string(),
    }
}

pub fn notices(m: &MerchantFixture, world: &World, cart: &Cart) -> Vec<Value> {
    let mut out = Vec::new();
    for i in &cart.items {
        let Some((p, _)) = m.variant(&i.variant_id) else {
            continue;
        };
        if let Some(prev) = p.previous_price {
            if prev < p.price {
                out.push(json!({
                    "code": "PRICE_INCREASED",
                    "severity": "warning",
                    "item_id": i.line_item_id,
                    "details": {
                        "description": format!("The price of {} increased from ${} to ${}.", p.title, crate::pricing::decimal_string(prev), crate::pricing::decimal_string(p.price)),
                        "reason": "The merchant updated the price since the item was added."
                    }
                }));
            }
        }
        if let Some(stock) = world.stock_left(m, &i.variant_id) {
            if stock < i.quantity {
                out.push(json!({
                    "code": "ITEM_OUT_OF_STOCK",
                    "severity": "error",
                    "item_id": i.line_item_id,
                    "details": {
                        "description": format!("{} has only {} left in stock.", p.title, stock.max(0)),
                        "reason": "Reduce the quantity or remove the item to continue."
                    }
                }));
            }
        }
    }
    out
}

/// Renders the internal cart as `ShoppingCartV2`.
pub fn render_v2(state: &Shared, world: &World, m: &MerchantFixture, cart: &Cart) -> CartV2 {
    let pricing = price_cart(m, cart);
    render_v2_priced(state, world, m, cart, &pricing)
}

pub fn render_v2_priced(
    state: &Shared,
    world: &World,
    m: &MerchantFixture,
    cart: &Cart,
    pricing: &Pricing,
) -> CartV2 {
    let base = &state.base_url;
    let line_items: Vec<LineItemV2> = cart
        .items
        .iter()
        .zip(&pricing.lines)
        .map(|(i, lp)| {
            let found = m.variant(&i.variant_id);
            let (title, base_sku, image, desc) = match found {
                Some((p, v)) => (
                    p.title.clone(),
                    p.base_sku.clone(),
                    product_image(base, p),
                    v.description(),
                ),
                None => (
                    i.variant_id.clone(),
                    i.variant_id.clone(),
                    Image {
                        url: String::new(),
                        alt: String::new(),
                    },
                    String::new(),
                ),
            };
            LineItemV2 {
                line_item_id: i.line_item_id.clone(),
                platform_line_item_id: i.platform_line_item_id.clone(),
                sku: i.variant_id.clone(),
                variant_id: i.variant_id.clone(),
                base_sku,
                description: title,
                variant_description: desc,
                quantity: i.quantity,
                price: amount(lp.unit),
                line_price: amount(lp.line),
                msrp: amount(lp.msrp),
                image,
                requires_shipping: true,
                variant_handles: i.variant_handles.clone(),
                discounts: lp.discounts.clone(),
            }
        })
        .collect();
    let shipments: Vec<ShipmentV2> = cart
        .shipments
        .iter()
        .zip(&pricing.shipments)
        .map(|(s, sp)| ShipmentV2 {
            shipment_id: s.shipment_id.clone(),
            fulfillment_type: ft_view(s.fulfillment_type),
            fulfillment_type_options: cart
                .fulfillment_options(m, s)
                .into_iter()
                .map(ft_view)
                .collect(),
            line_item_ids: cart.shipment_items(m, s),
            shipping_method_options: m
                .methods_for(s.fulfillment_type.id())
                .iter()
                .map(method_view)
                .collect(),
            shipping_method: sp.method.as_ref().map(method_view),
            selected_location: s
                .location_id
                .as_deref()
                .and_then(|id| m.location(id))
                .map(crate::shipments::location_view),
            selected_date: s.selected_date.map(|d| d.format("%Y-%m-%d").to_string()),
            selected_time_slot: s
                .slot_id
                .as_deref()
                .and_then(crate::shipments::parse_slot)
                .map(|(d, i)| crate::shipments::slot_view(d, i)),
            notes: s.notes.clone(),
            discounts: sp.discounts.clone(),
            shipping_total: amount(sp.cost),
        })
        .collect();
    let (cart_methods, cart_method) = match shipments.first() {
        Some(s) => (s.shipping_method_options.clone(), s.shipping_method.clone()),
        None => (Vec::new(), None),
    };
    let logged_in = world.logged_in(&cart.device_id, &m.domain);
    let email_registered = cart
        .shipping_info
        .as_ref()
        .is_some_and(|a| m.accounts.iter().any(|x| x.eq_ignore_ascii_case(&a.email)));
    let urls = match &cart.submitted {
        Some(s) => json!({ "thank_you_page": s.thank_you_page }),
        None => json!({}),
    };
    CartV2 {
        cart_id: cart.cart_id.clone(),
        platform_id: m.platform_id.clone(),
        shop_id: m.shop_id.clone(),
        domain: m.domain.clone(),
        display_name: m.display_name.clone(),
        cart_status: if cart.submitted.is_some() {
            "submitted"
        } else {
            "active"
        },
        schema_version: "2.0",
        line_items,
        shipments,
        shipping_method_options: cart_methods,
        shipping_method: cart_method,
        sub_total: amount(pricing.sub_total),
        shipping_total: amount(pricing.shipping_total),
        tax_total: amount(pricing.tax_total),
        addon_total: amount(pricing.addon_total),
        discount_total: amount(pricing.discount_total),
        cart_discount: amount(pricing.discount_total),
        total: amount(pricing.total),
        promo_codes: cart.promo_codes.clone(),
        coupons: cart.promo_codes.clone(),
        addons: crate::addons::render(m, cart, pricing),
        shipping_info: cart.shipping_info.clone(),
        billing_info: cart.billing_info.clone(),
        payment_handle: cart.payment_handle.clone(),
        payment_method_options: if cart.submitted.is_some() {
            Vec::new()
        } else {
            payment_method_options(state, m, world, cart, pricing.total)
        },
        session: SessionInfo {
            requires_login: m.requires_login,
            is_email_registered: email_registered,
            is_logged_in: logged_in,
            cookies: Vec::new(),
        },
        shop_properties: json!({
            "optional_fields": m.optional_fields,
            "paypal": {
                "express_enabled": m.paypal,
                "sandbox": true,
                "merchantId": format!("SBX-{}", m.shop_id.to_ascii_uppercase()),
                "clientId": "sandbox-paypal-client-id",
            },
        }),
        notices: if cart.submitted.is_some() {
            Vec::new()
        } else {
            notices(m, world, cart)
        },
        urls,
        platform_order_number: cart.submitted.as_ref().map(|s| s.order_number.clone()),
        submitted_at: cart.submitted.as_ref().map(|s| s.submitted_at.to_rfc3339()),
        payment_method: cart.submitted.as_ref().map(|s| s.payment_method.clone()),
    }
}

/// Renders as JSON; infallible for these plain structs.
pub fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

pub fn domain_not_found(domain: &str) -> ApiError {
    ApiError::new(
        404,
        "DomainNotFound",
        format!("This domain ({domain}) was not found in firmly servers."),
    )
}

pub type Renderer = fn(&Shared, &World, &MerchantFixture, &Cart) -> Value;

pub fn render_v2_value(state: &Shared, world: &World, m: &MerchantFixture, cart: &Cart) -> Value {
    to_value(&render_v2(state, world, m, cart))
}

/// Runs `f` on the device's active cart for `domain` (created empty if needed), normalizes the
/// cart and renders it. `f` validates before it mutates, so an error leaves the cart as it was.
pub fn mutate_cart<F>(
    state: &AppState,
    device: &Device,
    domain: &str,
    render: Renderer,
    f: F,
) -> ApiResult<Json<Value>>
where
    F: FnOnce(&mut Cart, &MerchantFixture, &mut World) -> ApiResult<()>,
{
    let m = state
        .merchant(domain)
        .ok_or_else(|| domain_not_found(domain))?;
    let mut world = state.world.lock();
    let key = (device.device_id.clone(), m.domain.clone());
    let now = world.now();
    // A submitted cart stays readable until the next successful change, which starts a new
    // cart; a failed change leaves it in place.
    let previous = world.carts.remove(&key);
    let submitted = previous.as_ref().is_some_and(|c| c.submitted.is_some());
    let mut cart = match previous.clone() {
        Some(c) if !submitted => c,
        _ => Cart::new(&device.device_id, &m.domain, now),
    };
    let result = f(&mut cart, m, &mut world);
    if result.is_ok() {
        cart.normalize(m);
        cart.updated_at = now;
    } else if let (true, Some(prev)) = (submitted, previous) {
        cart = prev;
    }
    let out = render(state, &world, m, &cart);
    world.carts.insert(key, cart);
    result.map(|_| Json(out))
}

/// Renders the device's cart for `domain` without changing it: a device without a cart gets an
/// empty one, and after an order the submitted cart (`cart_status: "submitted"`,
/// `platform_order_number`) is returned until the next change starts a new cart, so a client
/// that lost the complete-order response can reconcile the outcome.
pub fn read_cart(
    state: &AppState,
    device: &Device,
    domain: &str,
    render: Renderer,
) -> ApiResult<Json<Value>> {
    let m = state
        .merchant(domain)
        .ok_or_else(|| domain_not_found(domain))?;
    let mut world = state.world.lock();
    let now = world.now();
    let key = (device.device_id.clone(), m.domain.clone());
    let mut cart = world
        .carts
        .remove(&key)
        .unwrap_or_else(|| Cart::new(&device.device_id, &m.domain, now));
    if cart.submitted.is_none() {
        cart.normalize(m);
    }
    let out = render(state, &world, m, &cart);
    world.carts.insert(key, cart);
    Ok(Json(out))
}

/// `GET /api/v2/domains/{domain}/cart` (with or without the trailing slash).
pub async fn get_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    read_cart(&state, &device, &domain, render_v2_value)
}

#[derive(Debug, Deserialize)]
pub struct AddLineItem {
    pub variant_id: String,
    #[serde(deserialize_with = "lenient_i64")]
    pub quantity: i64,
    #[serde(default)]
    pub variant_handles: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct FlushQuery {
    #[serde(default)]
    pub flush_cart: Option<String>,
}

/// Which error ids to use: v2 (`Error*`, `002_599d5acdabf6b74d.txt:1527`) or v1 (`:8`).
pub fn add_item(
    cart: &mut Cart,
    m: &MerchantFixture,
    world: &World,
    variant_id: &str,
    quantity: i64,
    handles: Vec<String>,
    family: Family,
) -> ApiResult<()> {
    let v2 = family == Family::V2;
    if quantity < 1 {
        return Err(if v2 {
            ApiError::new(400, "ErrorInvalidInputBody", "quantity must be at least 1.")
        } else {
            ApiError::new(422, "InvalidInputBody", "quantity must be at least 1.")
        });
    }
    if quantity > MAX_QUANTITY {
        return Err(exceeds_max_qty());
    }
    let Some((_, v)) = m.variant(variant_id) else {
        return Err(ApiError::new(
            404,
            if v2 {
                "ErrorProductNotFound"
            } else {
                "ProductNotFound"
            },
            format!(
                "Product variant '{variant_id}' was not found on {}.",
                m.domain
            ),
        ));
    };
    let existing = cart
        .items
        .iter()
        .position(|i| i.variant_id.eq_ignore_ascii_case(&v.sku));
    let total_qty = quantity + existing.map(|i| cart.items[i].quantity).unwrap_or(0);
    if total_qty > MAX_QUANTITY {
        return Err(exceeds_max_qty());
    }
    check_stock(m, world, &v.sku, total_qty, family)?;
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

/// Most units of one variant a cart may hold (sandbox convention).
pub const MAX_QUANTITY: i64 = 999;

fn exceeds_max_qty() -> ApiError {
    ApiError::new(
        400,
        "ExceedMaxQtyCart",
        format!("The request exceeds the maximum quantity ({MAX_QUANTITY}) allowed in the shopping cart."),
    )
}

/// NotEnoughStock (`ErrorNotEnoughStock 422` v2 `:1539`, `NotEnoughStockError 409` v1 `:53`).
pub fn check_stock(
    m: &MerchantFixture,
    world: &World,
    sku: &str,
    qty: i64,
    family: Family,
) -> ApiResult<()> {
    let Some((p, v)) = m.variant(sku) else {
        return Ok(());
    };
    if let Some(stock) = world.stock_left(m, &v.sku) {
        if qty > stock {
            let desc = if stock <= 0 {
                format!("{} ({}) is out of stock.", p.title, v.sku)
            } else {
                format!(
                    "Only {stock} of {} ({}) available; {qty} requested.",
                    p.title, v.sku
                )
            };
            return Err(match family {
                Family::V2 => ApiError::new(422, "ErrorNotEnoughStock", desc),
                Family::V1 => ApiError::new(409, "NotEnoughStockError", desc),
            });
        }
    }
    Ok(())
}

fn flush_requested(q: &FlushQuery) -> bool {
    q.flush_cart
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// `POST /api/v2/domains/{domain}/cart/line-items[?flush_cart=true]`.
pub async fn add_line_item(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    Query(q): Query<FlushQuery>,
    ApiJson(body): ApiJson<AddLineItem>,
) -> ApiResult<Json<Value>> {
    let flush = flush_requested(&q);
    mutate_cart(
        &state,
        &device,
        &domain,
        render_v2_value,
        |cart, m, world| {
            if flush {
                let mut fresh = cart.clone();
                clear_items(&mut fresh);
                add_item(
                    &mut fresh,
                    m,
                    world,
                    &body.variant_id,
                    body.quantity,
                    body.variant_handles,
                    Family::V2,
                )?;
                *cart = fresh;
                Ok(())
            } else {
                add_item(
                    cart,
                    m,
                    world,
                    &body.variant_id,
                    body.quantity,
                    body.variant_handles,
                    Family::V2,
                )
            }
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct UpdateQuantity {
    #[serde(deserialize_with = "lenient_i64")]
    pub quantity: i64,
}

pub fn set_quantity(
    cart: &mut Cart,
    m: &MerchantFixture,
    world: &World,
    line_item_id: &str,
    quantity: i64,
    family: Family,
) -> ApiResult<()> {
    let v2 = family == Family::V2;
    if quantity < 0 {
        return Err(if v2 {
            ApiError::new(422, "ErrorInvalidQuantity", "quantity must be 0 or more.")
        } else {
            ApiError::new(422, "InvalidInputBody", "quantity must be 0 or more.")
        });
    }
    let Some(idx) = cart.items.iter().position(|i| {
        i.line_item_id == line_item_id || (!v2 && i.variant_id.eq_ignore_ascii_case(line_item_id))
    }) else {
        return Err(if v2 {
            ApiError::new(
                404,
                "ErrorLineItemNotFound",
                format!("Line item '{line_item_id}' is not in the cart."),
            )
        } else {
            ApiError::new(
                404,
                "ProductNotFound",
                format!("Product '{line_item_id}' is not in the cart."),
            )
        });
    };
    if quantity > MAX_QUANTITY {
        return Err(exceeds_max_qty());
    }
    if quantity == 0 {
        cart.items.remove(idx);
    } else {
        check_stock(
            m,
            world,
            &cart.items[idx].variant_id.clone(),
            quantity,
            family,
        )?;
        cart.items[idx].quantity = quantity;
    }
    Ok(())
}

/// `POST|PUT /api/v2/domains/{domain}/cart/line-items/{line_item_id}`; quantity 0 removes.
pub async fn update_line_item(
    State(state): State<AppState>,
    device: Device,
    Path((domain, line_item_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateQuantity>,
) -> ApiResult<Json<Value>> {
    mutate_cart(
        &state,
        &device,
        &domain,
        render_v2_value,
        |cart, m, world| set_quantity(cart, m, world, &line_item_id, body.quantity, Family::V2),
    )
}

/// Clear semantics (`002_599d5acdabf6b74d.txt:1829`): items, shipments, addon selections and
/// promo codes go; shipping info, payment handle and cart id stay.
pub fn clear_items(cart: &mut Cart) {
    cart.items.clear();
    cart.shipments.clear();
    cart.addon_selections.clear();
    cart.promo_codes.clear();
    cart.paypal = None;
}

/// `DELETE /api/v2/domains/{domain}/cart/line-items`.
pub async fn clear_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, _, _| {
        clear_items(cart);
        Ok(())
    })
}

/// A payment handle `uuid|base64(random)` (ENDPOINTS.md §4.5).
pub fn new_payment_handle() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "{}|{}",
        uuid::Uuid::new_v4(),
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Sets shipping info after validation; issues the payment handle.
pub fn apply_shipping_info(
    cart: &mut Cart,
    world: &World,
    m: &MerchantFixture,
    input: &AddressInput,
    family: Family,
) -> ApiResult<()> {
    let mut addr = input.validate(AddressUse::Shipping, family)?;
    if cart.items.is_empty() {
        return Err(match family {
            Family::V2 => ApiError::new(
                400,
                "ErrorNoLineItem",
                "Cart does not have any line item. Add an item at least and try again.",
            ),
            Family::V1 => ApiError::new(
                412,
                "NoLineItemError",
                "Cart does not have any line item. Add an item at least and try again.",
            ),
        });
    }
    // A logged-in shopper's email is the account's and cannot change (`:12111`).
    if let Some(email) = world.account_email(&cart.device_id, &m.domain) {
        addr.email = email.to_string();
    }
    cart.shipping_info = Some(addr);
    for s in &mut cart.shipments {
        s.auto_method = true;
    }
    if cart.payment_handle.is_none() {
        cart.payment_handle = Some(new_payment_handle());
    }
    Ok(())
}

/// `POST|PUT /api/v2/domains/{domain}/cart/shipping-info`.
pub async fn set_shipping_info(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<Json<Value>> {
    mutate_cart(
        &state,
        &device,
        &domain,
        render_v2_value,
        |cart, m, world| apply_shipping_info(cart, world, m, &body, Family::V2),
    )
}

/// `POST|PUT /api/v2/domains/{domain}/cart/billing-info`.
pub async fn set_billing_info(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, _, _| {
        let addr = body.validate(AddressUse::Billing, Family::V2)?;
        cart.billing_info = Some(addr);
        Ok(())
    })
}
