//! Addons (`002_599d5acdabf6b74d.txt:4168`-`:4415` schema and patterns, routes `:832` set and
//! `:1187` remove; ENDPOINTS.md §7 C11, C12). Offers are computed per cart from the merchant's
//! templates: CART/PREDEFINED_GROUP is a single toggle, ITEM/PER_ITEM prices each eligible line
//! (`line_item_pricing`, selection price = sum of the chosen lines), GROUP/PREDEFINED_GROUP is
//! all-or-nothing over the eligible lines, GROUP/FREE_GROUPING takes a subset plus child offers
//! (scope `INHERIT`) of which those sharing an `exclusive_group_id` are mutually exclusive.
//! `requires_addon_ids` are prerequisites. Violations are `ErrorUnprocessableEntity 422`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Device;
use crate::cart_v2::{mutate_cart, render_v2_value};
use crate::data::{AddonFixture, MerchantFixture};
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::pricing::amount;
use crate::state::{AddonSelection, AppState, Cart};

/// An addon offer as computed for one cart.
#[derive(Debug, Clone)]
pub struct AddonOffer {
    pub addon_id: String,
    pub fixture: AddonFixture,
    /// Eligible line item ids (empty for CART scope).
    pub eligible: Vec<String>,
    /// PER_ITEM: price of covering each eligible line (unit price × quantity).
    pub line_pricing: BTreeMap<String, i64>,
}

impl AddonOffer {
    fn mode(&self) -> &str {
        &self.fixture.coverage_mode
    }
    fn is_cart(&self) -> bool {
        self.fixture.scope == "CART"
    }
}

pub fn offers_for(m: &MerchantFixture, cart: &Cart) -> Vec<AddonOffer> {
    if cart.items.is_empty() {
        return Vec::new();
    }
    let handle_of = |variant_id: &str| m.variant(variant_id).map(|(p, _)| p.handle.clone());
    m.addons
        .iter()
        .filter_map(|f| {
            let mut eligible = Vec::new();
            let mut line_pricing = BTreeMap::new();
            if f.scope != "CART" {
                for i in &cart.items {
                    let Some(h) = handle_of(&i.variant_id) else {
                        continue;
                    };
                    if let Some(unit) = f.item_prices.get(&h) {
                        eligible.push(i.line_item_id.clone());
                        line_pricing.insert(i.line_item_id.clone(), unit * i.quantity);
                    } else if f.eligible_products.contains(&h) {
                        eligible.push(i.line_item_id.clone());
                    }
                }
                if eligible.is_empty() {
                    return None;
                }
            }
            Some(AddonOffer {
                addon_id: f.addon_id.clone(),
                fixture: f.clone(),
                eligible,
                line_pricing,
            })
        })
        .collect()
}

/// Keeps selections consistent with the current items: line ids that vanished are dropped,
/// PREDEFINED_GROUP selections always cover the whole eligible group, selections left without
/// lines (or whose offer is gone, or whose prerequisite went) are removed.
pub fn reconcile(m: &MerchantFixture, cart: &mut Cart) {
    let offers = offers_for(m, cart);
    let mut kept: Vec<AddonSelection> = Vec::new();
    for sel in &cart.addon_selections {
        let Some(o) = offers.iter().find(|o| o.addon_id == sel.addon_id) else {
            continue;
        };
        let mut sel = sel.clone();
        if o.is_cart() {
            sel.line_item_ids.clear();
        } else if o.mode() == "PREDEFINED_GROUP" {
            sel.line_item_ids = o.eligible.clone();
        } else {
            sel.line_item_ids.retain(|id| o.eligible.contains(id));
            if sel.line_item_ids.is_empty() {
                continue;
            }
        }
        kept.push(sel);
    }
    loop {
        let ids: Vec<String> = kept.iter().map(|s| s.addon_id.clone()).collect();
        let before = kept.len();
        kept.retain(|s| {
            offers
                .iter()
                .find(|o| o.addon_id == s.addon_id)
                .is_some_and(|o| o.fixture.requires_addon_ids.iter().all(|r| ids.contains(r)))
        });
        if kept.len() == before {
            break;
        }
    }
    cart.addon_selections = kept;
}

/// Server-computed price of a selection.
pub fn selection_price(offers: &[AddonOffer], sel: &AddonSelection) -> i64 {
    let Some(o) = offers.iter().find(|o| o.addon_id == sel.addon_id) else {
        return 0;
    };
    let base = if o.mode() == "PER_ITEM" {
        sel.line_item_ids
            .iter()
            .filter_map(|id| o.line_pricing.get(id))
            .sum()
    } else {
        o.fixture.price
    };
    let children: i64 = o
        .fixture
        .child_offers
        .iter()
        .filter(|c| sel.child_ids.contains(&c.addon_id))
        .map(|c| c.price)
        .sum();
    base + children
}

fn offer_json(f: &AddonFixture, o: Option<&AddonOffer>) -> Value {
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
        "price": amount(f.price),
        "constraints": {
            "exclusive_group_id": f.exclusive_group_id,
            "requires_addon_ids": f.requires_addon_ids,
        },
        "child_offers": f.child_offers.iter().map(|c| offer_json(c, None)).collect::<Vec<_>>(),
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
                .map(|(k, p)| (k, json!({ "price": amount(*p) })))
                .collect();
            v["line_item_pricing"] = json!(pricing);
            if let Some(min) = o.line_pricing.values().min() {
                v["price"] = json!(amount(*min));
            }
        }
    }
    v
}

/// The cart's `addons` container `{offers, selections}`.
pub fn render(m: &MerchantFixture, cart: &Cart, pricing: &crate::pricing::Pricing) -> Value {
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
                "price": amount(*price),
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
                            .map(|p| (id, json!({ "price": amount(*p) })))
                    })
                    .collect();
                v["line_item_pricing"] = json!(lp);
            }
            v
        })
        .collect();
    json!({
        "offers": offers.iter().map(|o| offer_json(&o.fixture, Some(o))).collect::<Vec<_>>(),
        "selections": selections,
    })
}

fn unprocessable(desc: String) -> ApiError {
    ApiError::new(422, "ErrorUnprocessableEntity", desc)
}

#[derive(Debug, Deserialize)]
pub struct SelectionInput {
    pub addon_id: String,
    #[serde(default)]
    pub selected_line_item_ids: Option<Vec<String>>,
    #[serde(default)]
    pub selected_child_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub struct SetAddons {
    pub selections: Vec<SelectionInput>,
}

/// Validates one requested selection against its offer.
fn validate(offers: &[AddonOffer], input: &SelectionInput) -> ApiResult<AddonSelection> {
    let id = &input.addon_id;
    let o = offers
        .iter()
        .find(|o| &o.addon_id == id)
        .ok_or_else(|| unprocessable(format!("Addon '{id}' is not offered for this cart.")))?;
    let mut lines: Vec<String> = input.selected_line_item_ids.clone().unwrap_or_default();
    lines.dedup();
    let children: Vec<String> = input.selected_child_ids.clone().unwrap_or_default();
    if let Some(bad) = lines.iter().find(|l| !o.eligible.contains(l)) {
        return Err(unprocessable(format!(
            "Line item '{bad}' is not eligible for addon '{id}'."
        )));
    }
    match (o.is_cart(), o.mode()) {
        (true, _) => {}
        (false, "PREDEFINED_GROUP") => {
            let mut want = o.eligible.clone();
            want.sort();
            let mut got = lines.clone();
            got.sort();
            if !got.is_empty() && got != want {
                return Err(unprocessable(format!(
                    "Addon '{id}' covers the whole group; select all of {} or none.",
                    o.eligible.join(", ")
                )));
            }
            lines = o.eligible.clone();
        }
        (false, mode) => {
            if lines.is_empty() {
                let what = if mode == "PER_ITEM" {
                    "at least one eligible line item"
                } else {
                    "at least one line item for the group"
                };
                return Err(unprocessable(format!("Addon '{id}' needs {what}.")));
            }
        }
    }
    let mut groups: BTreeMap<&str, &str> = BTreeMap::new();
    for c in &children {
        let child = o
            .fixture
            .child_offers
            .iter()
            .find(|x| &x.addon_id == c)
            .ok_or_else(|| unprocessable(format!("'{c}' is not a child offer of addon '{id}'.")))?;
        if let Some(g) = child.exclusive_group_id.as_deref() {
            if let Some(other) = groups.insert(g, c) {
                return Err(unprocessable(format!(
                    "Child offers '{other}' and '{c}' are mutually exclusive (group '{g}')."
                )));
            }
        }
    }
    Ok(AddonSelection {
        addon_id: id.clone(),
        line_item_ids: lines,
        child_ids: children,
    })
}

/// Checks cross-selection constraints: top-level exclusive groups and prerequisites.
fn check_constraints(offers: &[AddonOffer], selections: &[AddonSelection]) -> ApiResult<()> {
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    for s in selections {
        let Some(o) = offers.iter().find(|o| o.addon_id == s.addon_id) else {
            continue;
        };
        if let Some(g) = &o.fixture.exclusive_group_id {
            if let Some(other) = groups.insert(g.clone(), s.addon_id.clone()) {
                return Err(unprocessable(format!(
                    "Addons '{other}' and '{}' are mutually exclusive (group '{g}').",
                    s.addon_id
                )));
            }
        }
        for r in &o.fixture.requires_addon_ids {
            if !selections.iter().any(|x| &x.addon_id == r) {
                return Err(unprocessable(format!(
                    "Addon '{}' requires addon '{r}' to be selected first.",
                    s.addon_id
                )));
            }
        }
    }
    Ok(())
}

/// `POST|PUT /api/v2/domains/{domain}/cart/addons`: each selection replaces any earlier one for
/// the same addon; the whole request is applied or rejected.
pub async fn set_addons(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetAddons>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, m, _| {
        if body.selections.is_empty() {
            return Err(ApiError::new(
                400,
                "ErrorInvalidInputBody",
                "selections must contain at least one selection.",
            ));
        }
        let offers = offers_for(m, cart);
        let mut next = cart.addon_selections.clone();
        for input in &body.selections {
            let sel = validate(&offers, input)?;
            match next.iter_mut().find(|s| s.addon_id == sel.addon_id) {
                Some(existing) => *existing = sel,
                None => next.push(sel),
            }
        }
        check_constraints(&offers, &next)?;
        cart.addon_selections = next;
        Ok(())
    })
}

#[derive(Debug, Deserialize)]
pub struct RemoveAddon {
    pub addon_id: String,
}

/// `POST|PUT /api/v2/domains/{domain}/cart/addons/_remove`: removes the addon from every item;
/// addons that required it are removed with it.
pub async fn remove_addon(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<RemoveAddon>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v2_value, |cart, _, _| {
        let before = cart.addon_selections.len();
        cart.addon_selections
            .retain(|s| s.addon_id != body.addon_id);
        if cart.addon_selections.len() == before {
            return Err(unprocessable(format!(
                "Addon '{}' is not in the current selections.",
                body.addon_id
            )));
        }
        Ok(())
    })
}
