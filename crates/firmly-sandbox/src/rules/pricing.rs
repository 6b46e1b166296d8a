//! Cart totals, all in integer minor units. Totals follow the sandbox convention of
//! ENDPOINTS.md §7 C15: `total = sub_total + shipping_total + tax_total + addon_total −
//! discount_total`, where `shipping_total` is the pre-discount shipping (method price for the
//! zone + scheduled slot price) and `discount_total` = item discounts + shipping discounts.
//!
//! Tax base (sandbox convention): `sub_total − item discounts + shipping_total − shipping
//! discounts`, at the merchant's rate, rounded half-up to the cent. Addons are not taxed. Tax
//! is only charged once a shipping address is known, as live carts do (a digital-only cart,
//! which takes no shipping address, is not taxed, as the docs' example, ENDPOINTS.md §2.4.4).
//!
//! A tax-included merchant (`is_tax_included_in_price: true`, ENDPOINTS.md §2.3; `vat.test`)
//! prices items and shipping with the tax in them: nothing is added on top, so `total =
//! sub_total + shipping_total + addon_total − discount_total`, and `tax_total` reports the
//! portion of the same base that is tax (base × rate / (1 + rate)), from the first item on
//! (the prices include it whatever the address).

use crate::model::cart::Cart;
use crate::model::fixtures::{MerchantFixture, ShippingMethodFixture};
use crate::model::money::mul_div_round;
use crate::rules::promos::{applied, Discount};
use crate::rules::{addons, calendar, zones};

#[derive(Debug, Clone)]
pub struct LinePricing {
    pub unit: i64,
    pub msrp: i64,
    pub line: i64,
    pub discounts: Vec<Discount>,
}

#[derive(Debug, Clone)]
pub struct ShipmentPricing {
    /// The chosen method priced for the zone.
    pub method: Option<ShippingMethodFixture>,
    pub slot_price: i64,
    /// Method price + slot price, before discounts.
    pub cost: i64,
    pub discounts: Vec<Discount>,
    /// Sum of this shipment's lines (simplified cart).
    pub items: i64,
    /// Item discounts on this shipment's lines.
    pub item_discount: i64,
    /// This shipment's share of the tax (included in its prices at a tax-included merchant).
    pub tax: i64,
    /// Items + shipping (+ its tax share unless included) − its discounts.
    pub total: i64,
}

#[derive(Debug, Clone)]
pub struct Pricing {
    /// Zone band steps between the merchant and the destination ([`zones`]).
    pub steps: i64,
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
    /// The tax is inside the prices (`is_tax_included_in_price`): `tax_total` is not added.
    pub tax_included: bool,
}

impl Pricing {
    /// The tax the total carries on top of the prices (0 when the prices include it).
    pub fn tax_added(&self) -> i64 {
        if self.tax_included {
            0
        } else {
            self.tax_total
        }
    }

    /// The cart discount per promo code, in the order the codes were applied, each the sum
    /// of its line and shipment discounts (`cart_discount_breakdown`, ENDPOINTS.md §2.3);
    /// codes that discount nothing are left out. The amounts add up to `discount_total`.
    pub fn discount_by_code(&self, codes: &[String]) -> Vec<(&'static str, i64)> {
        let all = self
            .lines
            .iter()
            .flat_map(|l| l.discounts.iter())
            .chain(self.shipments.iter().flat_map(|s| s.discounts.iter()));
        let mut out: Vec<(&'static str, i64)> =
            applied(codes).into_iter().map(|p| (p.code(), 0)).collect();
        for d in all {
            match out.iter_mut().find(|(c, _)| *c == d.code) {
                Some(entry) => entry.1 += d.minor,
                None => out.push((d.code, d.minor)),
            }
        }
        out.retain(|(_, minor)| *minor > 0);
        out
    }
}

/// The tax on `base`: added at the merchant's rate, or — at a tax-included merchant — the
/// portion of `base` that is tax.
fn tax_on(m: &MerchantFixture, base: i64) -> i64 {
    let den = if m.tax_included {
        10_000 + m.tax_rate_bps
    } else {
        10_000
    };
    mul_div_round(base.max(0), m.tax_rate_bps, den)
}

pub fn price_cart(m: &MerchantFixture, cart: &Cart) -> Pricing {
    let steps = zones::steps(m, cart.destination_postal());
    let promos = applied(&cart.promo_codes);
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
    let taxed = cart.shipping_info.is_some() || m.tax_included;
    let mut shipments: Vec<ShipmentPricing> = cart
        .shipments
        .iter()
        .map(|s| {
            let method = s.method_id.as_ref().and_then(|id| {
                zones::methods(m, s.fulfillment_type.id(), steps)
                    .into_iter()
                    .find(|x| &x.id == id)
            });
            let slot_price = s.slot_id.as_deref().map(calendar::slot_price).unwrap_or(0);
            let cost = method.as_ref().map(|x| x.price).unwrap_or(0) + slot_price;
            let discounts: Vec<Discount> = promos
                .iter()
                .filter_map(|p| p.shipping_discount(cost))
                .collect();
            let ids = cart.shipment_items(m, s);
            let (items, item_discount) = cart
                .items
                .iter()
                .zip(&lines)
                .filter(|(i, _)| ids.contains(&i.line_item_id))
                .fold((0, 0), |(a, d), (_, l)| {
                    (
                        a + l.line,
                        d + l.discounts.iter().map(|x| x.minor).sum::<i64>(),
                    )
                });
            let ship_discount: i64 = discounts.iter().map(|d| d.minor).sum();
            let tax = if taxed {
                tax_on(m, items - item_discount + cost - ship_discount)
            } else {
                0
            };
            ShipmentPricing {
                method,
                slot_price,
                cost,
                discounts,
                items,
                item_discount,
                tax,
                total: 0,
            }
        })
        .collect();
    let offers = addons::offers_for(m, cart);
    let addon_prices: Vec<i64> = cart
        .addon_selections
        .iter()
        .map(|s| addons::selection_price(&offers, s))
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
    let tax_total = if taxed {
        tax_on(
            m,
            sub_total - item_discount + shipping_total - shipping_discount,
        )
    } else {
        0
    };
    // Per-shipment tax shares add up to the cart's tax: the last shipment takes the rounding.
    let shares: i64 = shipments.iter().map(|s| s.tax).sum();
    if let Some(last) = shipments.last_mut() {
        last.tax += tax_total - shares;
    }
    for s in &mut shipments {
        let added = if m.tax_included { 0 } else { s.tax };
        let ship_discount: i64 = s.discounts.iter().map(|d| d.minor).sum();
        s.total = s.items + s.cost + added - s.item_discount - ship_discount;
    }
    let discount_total = item_discount + shipping_discount;
    let tax_added = if m.tax_included { 0 } else { tax_total };
    let total = sub_total + shipping_total + tax_added + addon_total - discount_total;
    Pricing {
        steps,
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
        tax_included: m.tax_included,
    }
}
