//! The optional fields of the v1 Cart (ENDPOINTS.md §2.3) that describe money and checks
//! beyond the totals: `is_tax_included_in_price`, `cart_discount_breakdown`,
//! `additional_shipping_methods`, `validation_errors`, `store_credits`,
//! `available_store_credit`, `reward_points` and `available_reward_points`.
//!
//! The v1 Cart (and so every Order) carries them in both profiles. ShoppingCartV2
//! (ENDPOINTS.md §2.4.1) does not list them: the `docs` profile's v2 carts leave them out, and
//! the `demo` profile adds them as its `v2-cart-fields` extension (announced in
//! `x-firmly-sandbox-extensions`).
//!
//! Presence: the flag and the two lists are always written (`false` / `[]` when nothing
//! applies); `validation_errors` only when the merchant's form flags the address; the four
//! member fields only once the shopper is logged in at a merchant with member perks
//! (`members.test`).
//!
//! Readings (sandbox conventions):
//! * `cart_discount_breakdown`: one line per promo code that discounts the cart, in the
//!   order the codes were applied, `label` = the code, `discount` = its line and shipment
//!   discounts together; the lines add up to `cart_discount` / `discount_total`.
//! * `additional_shipping_methods`: the methods chosen for the second and later shipments
//!   (the cart-level `shipping_method` is the first shipment's, ENDPOINTS.md §7 C34); v1 writes
//!   them as v1 ShippingMethods (`sku`), v2 as ShippingMethodV2 (`id`), like their
//!   `shipping_method`.
//! * `store_credits`: the customer's credit; `available_store_credit`: the part of it this
//!   cart could use (at most its total). Neither changes the total (no documented call
//!   applies credit).
//! * `reward_points` (points this cart earns: `points_per_dollar` per whole dollar of
//!   `sub_total`) and `available_reward_points` (the balance) are Amounts, as the docs type
//!   them: `value` is the number of points; currency and symbol only complete the form.

use serde_json::{json, Map, Value};

use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::world::WorldFacts;
use crate::rules::address::form_errors;
use crate::rules::pricing::Pricing;
use crate::views::common::{method_v1, method_v2, money};

/// Which cart the fields go on (their shipping-method form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    V1,
    V2,
}

/// The fields, in the order they are written.
pub fn fields(
    m: &MerchantFixture,
    facts: &WorldFacts,
    cart: &Cart,
    pricing: &Pricing,
    form: Form,
) -> Vec<(&'static str, Value)> {
    let breakdown: Vec<Value> = pricing
        .discount_by_code(&cart.promo_codes)
        .into_iter()
        .map(|(code, minor)| json!({ "label": code, "discount": money(m, minor) }))
        .collect();
    let additional: Vec<Value> = pricing
        .shipments
        .iter()
        .skip(1)
        .filter_map(|s| s.method.as_ref())
        .map(|x| match form {
            Form::V1 => method_v1(m, x),
            Form::V2 => method_v2(m, x),
        })
        .collect();
    let mut out = vec![
        ("is_tax_included_in_price", Value::Bool(m.tax_included)),
        ("cart_discount_breakdown", Value::Array(breakdown)),
        ("additional_shipping_methods", Value::Array(additional)),
    ];
    let errors: Map<String, Value> = form_errors(m, cart)
        .into_iter()
        .map(|(field, msg)| (field.to_string(), Value::String(msg)))
        .collect();
    if !errors.is_empty() {
        out.push(("validation_errors", Value::Object(errors)));
    }
    if let Some(p) = m.member_perks.filter(|_| facts.logged_in) {
        let earned = pricing.sub_total.max(0) / 100 * p.points_per_dollar;
        let usable = p.store_credit.min(pricing.total.max(0));
        out.push(("store_credits", money(m, p.store_credit)));
        out.push(("available_store_credit", money(m, usable)));
        out.push(("reward_points", points(m, earned)));
        out.push(("available_reward_points", points(m, p.reward_points)));
    }
    out
}

/// A number of points as an Amount whose `value` is the count.
fn points(m: &MerchantFixture, n: i64) -> Value {
    money(m, n.saturating_mul(100))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cart::LineItem;
    use crate::model::catalog::Catalog;
    use crate::rules::pricing::price_cart;

    fn member_cart(price: i64) -> (MerchantFixture, Cart) {
        let catalog = Catalog::load().expect("fixtures");
        let mut m = catalog.merchant("members.test").expect("members").clone();
        for p in &mut m.products {
            p.price = price;
        }
        let mut cart = Cart::new("dev", "members.test", chrono::Utc::now());
        cart.items.push(LineItem {
            line_item_id: "li_1".to_string(),
            platform_line_item_id: "1".to_string(),
            variant_id: "MEM-TOTE-01".to_string(),
            quantity: 1,
            variant_handles: Vec::new(),
        });
        (m, cart)
    }

    fn facts(logged_in: bool) -> WorldFacts {
        WorldFacts {
            app_id: None,
            logged_in,
            unlocked: Vec::new(),
            stock: vec![None],
        }
    }

    fn field(list: &[(&'static str, Value)], k: &str) -> Option<Value> {
        list.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn available_store_credit_is_at_most_the_total_and_points_count_whole_dollars() {
        let (m, cart) = member_cart(899);
        let pricing = price_cart(&m, &cart);
        let out = fields(&m, &facts(true), &cart, &pricing, Form::V1);
        let number = |k: &str| field(&out, k).map(|v| v["number"].clone());
        assert_eq!(number("store_credits"), Some(json!(1500)));
        assert_eq!(number("available_store_credit"), Some(json!(pricing.total)));
        assert_eq!(
            field(&out, "reward_points").map(|v| v["value"].clone()),
            Some(json!(8.0))
        );
        let out = fields(&m, &facts(false), &cart, &pricing, Form::V1);
        assert_eq!(field(&out, "store_credits"), None);
        assert_eq!(field(&out, "is_tax_included_in_price"), Some(json!(false)));
    }
}
