//! The cart's `addons` container `{offers, selections}` (ENDPOINTS.md §2.4.7):
//! offers in the schema form (`display{…}`, `scope`, `coverage_mode`, `eligible_line_item_ids`,
//! `line_item_pricing`, `constraints`, `child_offers`) and priced selections.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::model::cart::Cart;
use crate::model::fixtures::{AddonFixture, MerchantFixture};
use crate::rules::addons::{offers_for, AddonOffer};
use crate::rules::pricing::Pricing;
use crate::views::common::money;

fn offer_json(m: &MerchantFixture, f: &AddonFixture, o: Option<&AddonOffer>) -> Value {
    let mut v = json!({
        "addon_id": f.addon_id,
        "display": {
            "name": f.name,
            "description": f.description,
            "long_description": f.description,
            "image_url": null,
            "links": [],
        },
        "scope": f.scope,
        "price": money(m, f.price),
        "constraints": {
            "exclusive_group_id": f.exclusive_group_id,
            "requires_addon_ids": f.requires_addon_ids,
        },
        "child_offers": f.child_offers.iter().map(|c| offer_json(m, c, None)).collect::<Vec<_>>(),
    });
    if !f.coverage_mode.is_empty() {
        v["coverage_mode"] = json!(f.coverage_mode);
    }
    if let Some(o) = o {
        if !o.is_cart() {
            v["eligible_line_item_ids"] = json!(o.eligible);
        }
        if o.mode() == "PER_ITEM" {
            let pricing: BTreeMap<&String, Value> = o
                .line_pricing
                .iter()
                .map(|(k, p)| (k, json!({ "price": money(m, *p) })))
                .collect();
            v["line_item_pricing"] = json!(pricing);
            if let Some(min) = o.line_pricing.values().min() {
                v["price"] = money(m, *min);
            }
        }
    }
    v
}

/// The cart's `addons` container `{offers, selections}`.
pub fn container(m: &MerchantFixture, cart: &Cart, pricing: &Pricing) -> Value {
    let offers = offers_for(m, cart);
    let selections: Vec<Value> = cart
        .addon_selections
        .iter()
        .zip(&pricing.addon_prices)
        .map(|(s, price)| {
            let mut v = json!({
                "addon_id": s.addon_id,
                "selected_line_item_ids": s.line_item_ids,
                "selected_child_ids": s.child_ids,
                "price": money(m, *price),
                "metadata": {},
            });
            if let Some(o) = offers
                .iter()
                .find(|o| o.addon_id == s.addon_id && o.mode() == "PER_ITEM")
            {
                let lp: BTreeMap<&String, Value> = s
                    .line_item_ids
                    .iter()
                    .filter_map(|id| {
                        o.line_pricing
                            .get(id)
                            .map(|p| (id, json!({ "price": money(m, *p) })))
                    })
                    .collect();
                v["line_item_pricing"] = json!(lp);
            }
            v
        })
        .collect();
    json!({
        "offers": offers.iter().map(|o| offer_json(m, &o.fixture, Some(o))).collect::<Vec<_>>(),
        "selections": selections,
    })
}
