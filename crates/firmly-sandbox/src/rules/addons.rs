//! Addon rules (ENDPOINTS.md §2.4.7; ENDPOINTS.md §7 C11, C12). Offers
//! are computed per cart from the merchant's templates: CART/PREDEFINED_GROUP is a single
//! toggle, ITEM/PER_ITEM prices each eligible line (selection price = sum of the chosen lines),
//! GROUP/PREDEFINED_GROUP is all-or-nothing over the eligible lines, GROUP/FREE_GROUPING takes
//! a subset plus child offers of which those sharing an `exclusive_group_id` are mutually
//! exclusive. `requires_addon_ids` are prerequisites. Violations are [`Rule::AddonRejected`].

use std::collections::BTreeMap;

use crate::model::cart::{AddonSelection, Cart};
use crate::model::fixtures::{AddonFixture, MerchantFixture};
use crate::rules::{Rule, RuleResult};

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
    pub fn mode(&self) -> &str {
        &self.fixture.coverage_mode
    }
    pub fn is_cart(&self) -> bool {
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

fn unprocessable(desc: String) -> Rule {
    Rule::AddonRejected(desc)
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct SelectionInput {
    pub addon_id: String,
    #[serde(default)]
    pub selected_line_item_ids: Option<Vec<String>>,
    #[serde(default)]
    pub selected_child_ids: Option<Vec<String>>,
}

/// Validates one requested selection against its offer.
pub fn validate(offers: &[AddonOffer], input: &SelectionInput) -> RuleResult<AddonSelection> {
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
pub fn check_constraints(offers: &[AddonOffer], selections: &[AddonSelection]) -> RuleResult<()> {
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

/// Applies requested selections: each replaces any earlier one for the same addon; the whole
/// request is applied or rejected.
pub fn apply(m: &MerchantFixture, cart: &mut Cart, inputs: &[SelectionInput]) -> RuleResult<()> {
    if inputs.is_empty() {
        return Err(Rule::InvalidInput(
            "selections must contain at least one selection.".to_string(),
        ));
    }
    let offers = offers_for(m, cart);
    let mut next = cart.addon_selections.clone();
    for input in inputs {
        let sel = validate(&offers, input)?;
        match next.iter_mut().find(|s| s.addon_id == sel.addon_id) {
            Some(existing) => *existing = sel,
            None => next.push(sel),
        }
    }
    check_constraints(&offers, &next)?;
    cart.addon_selections = next;
    Ok(())
}

/// Removes an addon from every item; addons that required it go with it at normalization.
pub fn remove(cart: &mut Cart, addon_id: &str) -> RuleResult<()> {
    let before = cart.addon_selections.len();
    cart.addon_selections.retain(|s| s.addon_id != addon_id);
    if cart.addon_selections.len() == before {
        return Err(unprocessable(format!(
            "Addon '{addon_id}' is not in the current selections."
        )));
    }
    Ok(())
}
