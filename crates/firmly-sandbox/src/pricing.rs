//! Money and cart totals. Amounts follow the schema `{currency, value, number, symbol}`
//! (`002_599d5acdabf6b74d.txt:12478`); all arithmetic is in integer minor units.
//!
//! Totals follow the sandbox convention of ENDPOINTS.md §7 C15:
//! `total = sub_total + shipping_total + tax_total + addon_total − discount_total`, where
//! `shipping_total` is the pre-discount shipping (method price + scheduled slot price) and
//! `discount_total` = item discounts + shipping discounts.
//!
//! Tax base (sandbox convention): `sub_total − item discounts + shipping_total − shipping
//! discounts`, at the merchant's rate, rounded half-up to the cent. Addons are not taxed.
//! Tax is only charged once a destination (shipping info) is known, as live carts do.

use serde::Serialize;

use crate::data::{MerchantFixture, ShippingMethodFixture};
use crate::state::Cart;

/// An amount of USD in the API's form.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Amount {
    pub currency: &'static str,
    pub value: f64,
    pub number: i64,
    pub symbol: &'static str,
}

pub fn amount(minor: i64) -> Amount {
    Amount {
        currency: "USD",
        value: minor as f64 / 100.0,
        number: minor,
        symbol: "$",
    }
}

/// `minor` as a decimal string, e.g. `1234` → `"12.34"`.
pub fn decimal_string(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `n × num / den` rounded half-up (inputs non-negative).
pub fn mul_div_round(n: i64, num: i64, den: i64) -> i64 {
    (n * num * 2 + den) / (den * 2)
}

#[derive(Debug, Clone, Serialize)]
pub struct Discount {
    pub code: String,
    pub description: String,
    #[serde(skip)]
    pub minor: i64,
    pub amount: Amount,
}

#[derive(Debug, Clone)]
pub struct LinePricing {
    pub unit: i64,
    pub msrp: i64,
    pub line: i64,
    pub discounts: Vec<Discount>,
}

#[derive(Debug, Clone)]
pub struct ShipmentPricing {
    pub method: Option<ShippingMethodFixture>,
    pub slot_price: i64,
    /// Method price + slot price, before discounts.
    pub cost: i64,
    pub discounts: Vec<Discount>,
}

#[derive(Debug, Clone)]
pub struct Pricing {
    /// Parallel to `cart.items`.
    pub lines: Vec<LinePricing>,
    /// Parallel to `cart.shipments`.
    pub shipments: Vec<ShipmentPricing>,
    /// Parallel to `cart.addon_selections`.
    pub addon_prices: Vec<i64>,
    pub sub_total: i64,
    pub shipping_total: i64,
    pub tax_total: i64,
    pub addon_total: i64,
    pub item_discount: i64,
    pub shipping_discount: i64,
    pub discount_total: i64,
    pub total: i64,
}

pub fn price_cart(m: &MerchantFixture, cart: &Cart) -> Pricing {
    let promos: Vec<crate::promos::Promo> = cart
        .promo_codes
        .iter()
        .filter_map(|c| crate::promos::lookup(c).ok())
        .collect();
    let lines: Vec<LinePricing> = cart
        .items
        .iter()
        .map(|i| {
            let (unit, msrp) = m
                .variant(&i.variant_id)
                .map(|(p, _)| (p.price, p.msrp))
                .unwrap_or((0, 0));
            let line = unit * i.quantity;
            let discounts = promos
                .iter()
                .filter_map(|p| p.line_discount(line))
                .collect();
            LinePricing {
                unit,
                msrp,
                line,
                discounts,
            }
        })
        .collect();
    let shipments: Vec<ShipmentPricing> = cart
        .shipments
        .iter()
        .map(|s| {
            let method = s.method_id.as_ref().and_then(|id| {
                m.methods_for(s.fulfillment_type.id())
                    .iter()
                    .find(|x| &x.id == id)
                    .cloned()
            });
            let slot_price = s
                .slot_id
                .as_deref()
                .map(crate::shipments::slot_price)
                .unwrap_or(0);
            let cost = method.as_ref().map(|x| x.price).unwrap_or(0) + slot_price;
            let discounts = promos
                .iter()
                .filter_map(|p| p.shipping_discount(cost))
                .collect();
            ShipmentPricing {
                method,
                slot_price,
                cost,
                discounts,
            }
        })
        .collect();
    let offers = crate::addons::offers_for(m, cart);
    let addon_prices: Vec<i64> = cart
        .addon_selections
        .iter()
        .map(|s| crate::addons::selection_price(&offers, s))
        .collect();
    let sub_total: i64 = lines.iter().map(|l| l.line).sum();
    let item_discount: i64 = lines
        .iter()
        .flat_map(|l| l.discounts.iter())
        .map(|d| d.minor)
        .sum();
    let shipping_total: i64 = shipments.iter().map(|s| s.cost).sum();
    let shipping_discount: i64 = shipments
        .iter()
        .flat_map(|s| s.discounts.iter())
        .map(|d| d.minor)
        .sum();
    let addon_total: i64 = addon_prices.iter().sum();
    let tax_total = if cart.shipping_info.is_some() {
        let base = (sub_total - item_discount + shipping_total - shipping_discount).max(0);
        mul_div_round(base, m.tax_rate_bps, 10_000)
    } else {
        0
    };
    let discount_total = item_discount + shipping_discount;
    let total = sub_total + shipping_total + tax_total + addon_total - discount_total;
    Pricing {
        lines,
        shipments,
        addon_prices,
        sub_total,
        shipping_total,
        tax_total,
        addon_total,
        item_discount,
        shipping_discount,
        discount_total,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_rounding() {
        assert_eq!(decimal_string(123456), "1234.56");
        assert_eq!(decimal_string(5), "0.05");
        assert_eq!(mul_div_round(1000, 825, 10_000), 83);
        assert_eq!(mul_div_round(999, 5, 10), 500);
        let a = amount(5400);
        assert_eq!(a.value, 54.0);
        assert_eq!(
            serde_json::to_value(amount(1999)).expect("json")["value"],
            serde_json::json!(19.99)
        );
    }
}
