//! Pieces every cart view shares: amounts in the merchant's money form, discounts, shipping
//! methods (v1 `sku` / v2 `id`), fulfillment types, pickup locations, time slots, payment
//! method options (ENDPOINTS.md §2.3), notices (ENDPOINTS.md §2.4.8),
//! the session block (ENDPOINTS.md §2.3), `shop_properties` (ENDPOINTS.md §2.3) and `urls`.

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::model::cart::{Cart, FulfillmentType};
use crate::model::fixtures::{
    MerchantFixture, PickupLocationFixture, SavedCard, ShippingMethodFixture, WalletFixture,
};
use crate::model::money::{decimal_string, Amount};
use crate::model::world::{World, WorldFacts};
use crate::rules::calendar::{slot_available, slot_id, SlotDef, SLOTS};
use crate::rules::promos::Discount;
use crate::state::Shared;

/// An amount in the merchant's money form.
pub fn money(m: &MerchantFixture, minor: i64) -> Value {
    serde_json::to_value(Amount::in_form(m.money_form, minor)).unwrap_or(Value::Null)
}

/// `[{code, description, amount}]`.
pub fn discounts(m: &MerchantFixture, list: &[Discount]) -> Value {
    Value::Array(
        list.iter()
            .map(|d| json!({ "code": d.code, "description": d.description, "amount": money(m, d.minor) }))
            .collect(),
    )
}

/// ShippingMethodV2 `{id, description, price, estimated_delivery}` (ENDPOINTS.md §2.4.4).
pub fn method_v2(m: &MerchantFixture, x: &ShippingMethodFixture) -> Value {
    json!({
        "id": x.id,
        "description": x.description,
        "price": money(m, x.price),
        "estimated_delivery": x.estimated_delivery,
    })
}

/// v1 ShippingMethod `{sku, description, price, estimated_delivery}` (ENDPOINTS.md §2.3).
pub fn method_v1(m: &MerchantFixture, x: &ShippingMethodFixture) -> Value {
    json!({
        "sku": x.id,
        "description": x.description,
        "price": money(m, x.price),
        "estimated_delivery": x.estimated_delivery,
    })
}

/// FulfillmentType `{id, name, description}` (ENDPOINTS.md §2.4.4).
pub fn fulfillment_type(ft: FulfillmentType) -> Value {
    json!({ "id": ft.id(), "name": ft.name(), "description": ft.description() })
}

/// `operating_hours` by day (ENDPOINTS.md §7 C8).
pub fn operating_hours(l: &PickupLocationFixture) -> Value {
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    Value::Array(
        days.iter()
            .enumerate()
            .map(|(i, d)| {
                let h = if i < 5 {
                    &l.weekday_hours
                } else {
                    &l.weekend_hours
                };
                json!({ "day": d, "hours": h })
            })
            .collect(),
    )
}

/// A pickup location in the availability / selected-location form, `distance` in miles.
pub fn location(l: &PickupLocationFixture, miles: f64) -> Value {
    json!({
        "location_id": l.location_id,
        "name": l.name,
        "address": l.address,
        "phone": l.phone,
        "operating_hours": operating_hours(l),
        "distance": { "value": miles, "unit": "miles" },
        "available": true,
    })
}

/// A window of an availability list (`"HH:MM"` times, ENDPOINTS.md §2.4.6).
pub fn window(date: NaiveDate, def: &SlotDef, available: bool) -> Value {
    let (start, end, description, _) = *def;
    json!({
        "slot_id": slot_id(date, start, end),
        "start_time": start,
        "end_time": end,
        "description": description,
        "available": available,
    })
}

/// A scheduled-delivery slot with its price (TimeSlot ENDPOINTS.md §2.4.5).
pub fn scheduled_slot(m: &MerchantFixture, date: NaiveDate, idx: usize) -> Value {
    let Some(def) = SLOTS.get(idx) else {
        return Value::Null;
    };
    let mut v = window(date, def, slot_available(date, idx));
    v["price"] = money(m, def.3);
    v
}

/// Saved cards of wallets this device has unlocked that merchant `m` accepts.
pub fn unlocked_cards(
    wallets: &[WalletFixture],
    world: &World,
    device_id: &str,
    m: &MerchantFixture,
) -> Vec<Value> {
    let mut out = Vec::new();
    for s in world
        .wallet_sessions
        .values()
        .filter(|s| s.unlocked && s.device_id == device_id && m.wallets.contains(&s.wallet))
    {
        if let Some(w) = wallets
            .iter()
            .find(|w| w.wallet == s.wallet && w.email.eq_ignore_ascii_case(&s.email))
        {
            out.extend(w.cards.iter().map(|c| wallet_card(&s.wallet, c, w)));
        }
    }
    out.sort_by_key(|v| v["id"].as_str().map(str::to_string));
    out.dedup_by_key(|v| v["id"].clone());
    out
}

/// A wallet's saved card (ENDPOINTS.md §2.8).
pub fn wallet_card(wallet: &str, c: &SavedCard, w: &WalletFixture) -> Value {
    json!({
        "type": "CreditCard",
        "wallet": wallet,
        "id": c.id,
        "card_type": c.card_type,
        "last_four": c.last_four,
        "month": c.month,
        "year": c.year,
        "art": format!("https://wallet.sandbox/{wallet}/{}.svg", c.card_type),
        "billing_info": w.addresses.first(),
    })
}

/// The `PaymentMethodOption.type` of a wallet provider.
fn wallet_type(wallet: &str) -> String {
    match wallet {
        "shoppay" => "ShopPay".to_string(),
        other => other.to_string(),
    }
}

impl WorldFacts {
    pub fn capture(state: &Shared, world: &World, m: &MerchantFixture, cart: &Cart) -> Self {
        WorldFacts {
            app_id: world.devices.get(&cart.device_id).map(|d| d.app_id.clone()),
            logged_in: world.logged_in(&cart.device_id, &m.domain),
            unlocked: unlocked_cards(&state.catalog.wallets, world, &cart.device_id, m),
            stock: cart
                .items
                .iter()
                .map(|i| world.stock_left(m, &i.variant_id))
                .collect(),
        }
    }
}

/// Payment methods offered (ENDPOINTS.md §2.3; only when the total is positive, §2.3).
/// `members.test` has no new-card entry; saved cards appear once logged in or after a wallet
/// unlock; a wallet the merchant accepts is advertised (`type: "ShopPay"`) until unlocked.
pub fn payment_method_options(
    state: &Shared,
    m: &MerchantFixture,
    world: &World,
    cart: &Cart,
    total: i64,
) -> Vec<Value> {
    let facts = WorldFacts::capture(state, world, m, cart);
    payment_options_from(m, &facts, cart, total)
}

/// [`payment_method_options`] from captured [`WorldFacts`].
pub fn payment_options_from(
    m: &MerchantFixture,
    facts: &WorldFacts,
    cart: &Cart,
    total: i64,
) -> Vec<Value> {
    if total <= 0 || cart.submitted.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if m.card_entry {
        out.push(json!({ "type": "CreditCard", "wallet": "user" }));
    }
    if m.paypal {
        out.push(json!({ "type": "PayPal", "wallet": "paypal" }));
    }
    if facts.logged_in {
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
    for w in &m.wallets {
        if !facts.unlocked.iter().any(|c| c["wallet"] == w.as_str()) {
            out.push(json!({ "type": wallet_type(w), "wallet": w }));
        }
    }
    out.extend(facts.unlocked.iter().cloned());
    out
}

/// v2 notices (PRICE_INCREASED, ITEM_OUT_OF_STOCK); none on a submitted cart.
pub fn notices(m: &MerchantFixture, world: &World, cart: &Cart) -> Vec<Value> {
    let stock: Vec<Option<i64>> = cart
        .items
        .iter()
        .map(|i| world.stock_left(m, &i.variant_id))
        .collect();
    notices_from(m, &stock, cart)
}

/// [`notices`] from each item's stock left (in item order, as [`WorldFacts::stock`]).
pub fn notices_from(m: &MerchantFixture, stock: &[Option<i64>], cart: &Cart) -> Vec<Value> {
    let mut out = Vec::new();
    if cart.submitted.is_some() {
        return out;
    }
    for (n, i) in cart.items.iter().enumerate() {
        let Some((p, _)) = m.variant(&i.variant_id) else {
            continue;
        };
        if let Some(prev) = p.previous_price.filter(|prev| *prev < p.price) {
            out.push(json!({
                "code": "PRICE_INCREASED",
                "severity": "warning",
                "item_id": i.line_item_id,
                "details": {
                    "description": format!("The price of {} increased from ${} to ${}.", p.title, decimal_string(prev), decimal_string(p.price)),
                    "reason": "The merchant updated the price since the item was added."
                }
            }));
        }
        if let Some(stock) = stock.get(n).copied().flatten() {
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

/// SessionInfo (ENDPOINTS.md §2.3).
pub fn session(world: &World, m: &MerchantFixture, cart: &Cart) -> Value {
    session_from(world.logged_in(&cart.device_id, &m.domain), m, cart)
}

/// [`session`] given whether the device is logged in to the merchant.
pub fn session_from(logged_in: bool, m: &MerchantFixture, cart: &Cart) -> Value {
    let email_registered = cart
        .shipping_info
        .as_ref()
        .is_some_and(|a| m.accounts.iter().any(|x| x.eq_ignore_ascii_case(&a.email)));
    json!({
        "requires_login": m.requires_login,
        "is_email_registered": email_registered,
        "is_logged_in": logged_in,
        "cookies": [],
    })
}

/// `shop_properties` (ENDPOINTS.md §2.3).
pub fn shop_properties(m: &MerchantFixture) -> Value {
    json!({
        "optional_fields": m.optional_fields,
        "paypal": {
            "express_enabled": m.paypal,
            "sandbox": true,
            "merchantId": format!("SBX-{}", m.shop_id.to_ascii_uppercase()),
            "clientId": "sandbox-paypal-client-id",
        },
    })
}

/// `urls` (`thank_you_page` once ordered).
pub fn urls(cart: &Cart) -> Value {
    match &cart.submitted {
        Some(s) => json!({ "thank_you_page": s.thank_you_page }),
        None => json!({}),
    }
}

/// A line item's image `{url, alt}` (C17).
pub fn image(base: &str, handle: &str, title: &str) -> Value {
    json!({ "url": image_url(base, handle), "alt": title })
}

/// The sandbox's generated thumbnail of a product.
pub fn image_url(base: &str, handle: &str) -> String {
    format!("{base}/__sandbox/img/{handle}.svg")
}
