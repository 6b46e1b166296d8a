//! Addon offers of every tier (ENDPOINTS.md §2.4.7) with
//! their selection state and, where a constraint forbids a choice, the typed reason.

use std::collections::{BTreeMap, HashSet};

use firmly_api::{AddonOffer, AddonScope, AddonSelection, CartV2, CoverageMode};

use super::money;
use crate::view::*;

/// Addon offers with their current selection and, for each choice a constraint forbids,
/// the reason (typed) (ENDPOINTS.md §2.4.7: `exclusive_group_id`, `requires_addon_ids`).
pub(crate) fn addon_views(cart: &CartV2, currency: &str) -> Vec<AddonView> {
    let selections: BTreeMap<&str, &AddonSelection> = cart
        .addons
        .selections
        .iter()
        .map(|s| (s.addon_id.as_str(), s))
        .collect();
    let names: BTreeMap<String, String> = all_offers(&cart.addons.offers)
        .map(|o| (o.addon_id.clone(), offer_name(o)))
        .collect();
    let titles: BTreeMap<&str, String> = cart
        .line_items
        .iter()
        .map(|li| {
            (
                li.line_item_id.as_str(),
                li.description
                    .clone()
                    .unwrap_or_else(|| li.line_item_id.clone()),
            )
        })
        .collect();
    cart.addons
        .offers
        .iter()
        .map(|o| {
            addon_view(
                o,
                &cart.addons.offers,
                None,
                &selections,
                &names,
                &titles,
                currency,
            )
        })
        .collect()
}

fn all_offers(offers: &[AddonOffer]) -> Box<dyn Iterator<Item = &AddonOffer> + '_> {
    Box::new(
        offers
            .iter()
            .flat_map(|o| std::iter::once(o).chain(all_offers(&o.child_offers))),
    )
}

fn offer_name(o: &AddonOffer) -> String {
    o.display.name.clone().unwrap_or_else(|| o.addon_id.clone())
}

#[allow(clippy::too_many_arguments)]
fn addon_view(
    o: &AddonOffer,
    siblings: &[AddonOffer],
    parent: Option<(&AddonOffer, Option<&AddonSelection>)>,
    selections: &BTreeMap<&str, &AddonSelection>,
    names: &BTreeMap<String, String>,
    titles: &BTreeMap<&str, String>,
    currency: &str,
) -> AddonView {
    let own = selections.get(o.addon_id.as_str()).copied();
    let selected = match parent {
        Some((_, psel)) => psel
            .map(|p| p.selected_child_ids.contains(&o.addon_id))
            .unwrap_or(false),
        None => own.is_some(),
    };
    let chosen_items: HashSet<&str> = own
        .map(|s| {
            s.selected_line_item_ids
                .iter()
                .map(String::as_str)
                .collect()
        })
        .unwrap_or_default();
    let items = o
        .eligible_line_item_ids
        .iter()
        .map(|id| ItemPriceView {
            line_item_id: id.clone(),
            title: titles
                .get(id.as_str())
                .cloned()
                .unwrap_or_else(|| id.clone()),
            price: o
                .line_item_pricing
                .get(id)
                .and_then(|p| money(&p.price, currency)),
            selected: chosen_items.contains(id.as_str()),
        })
        .collect();
    let constraints = o.constraints.clone().unwrap_or_default();
    let mut disabled_reason = None;
    // Prerequisites must be selected first.
    let missing: Vec<String> = constraints
        .requires_addon_ids
        .iter()
        .filter(|id| !selections.contains_key(id.as_str()))
        .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
        .collect();
    if !selected && !missing.is_empty() {
        disabled_reason = Some(AddonBlock::Requires { names: missing });
    }
    // Another choice of the same exclusive group is already taken.
    if let (false, Some(group)) = (selected, constraints.exclusive_group_id.as_ref()) {
        let sibling_selected = |sib: &AddonOffer| match parent {
            Some((_, psel)) => psel
                .map(|ps| ps.selected_child_ids.contains(&sib.addon_id))
                .unwrap_or(false),
            None => selections.contains_key(sib.addon_id.as_str()),
        };
        let taken = siblings.iter().find(|sib| {
            sib.addon_id != o.addon_id
                && sib
                    .constraints
                    .as_ref()
                    .and_then(|c| c.exclusive_group_id.as_ref())
                    == Some(group)
                && sibling_selected(sib)
        });
        if let Some(t) = taken {
            disabled_reason = Some(AddonBlock::ExclusiveWith {
                name: offer_name(t),
            });
        }
    }
    let child_parent = Some((o, own));
    AddonView {
        addon_id: o.addon_id.clone(),
        name: offer_name(o),
        description: o.display.description.clone(),
        scope: match o.scope {
            AddonScope::Cart => AddonScopeView::Cart,
            AddonScope::Item => AddonScopeView::Item,
            AddonScope::Group => AddonScopeView::Group,
            AddonScope::Inherit => AddonScopeView::Inherit,
            AddonScope::Other(_) => AddonScopeView::Other,
        },
        coverage_mode: o.coverage_mode.as_ref().map(|c| match c {
            CoverageMode::PerItem => CoverageModeView::PerItem,
            CoverageMode::PredefinedGroup => CoverageModeView::PredefinedGroup,
            CoverageMode::FreeGrouping => CoverageModeView::FreeGrouping,
            CoverageMode::Other(_) => CoverageModeView::Other,
        }),
        price: money(&o.price, currency),
        items,
        exclusive_group_id: constraints.exclusive_group_id.clone(),
        requires_addon_ids: constraints.requires_addon_ids.clone(),
        children: o
            .child_offers
            .iter()
            .map(|c| {
                addon_view(
                    c,
                    &o.child_offers,
                    child_parent,
                    selections,
                    names,
                    titles,
                    currency,
                )
            })
            .collect(),
        selected,
        selected_price: own.and_then(|s| money(&s.price, currency)),
        disabled_reason,
    }
}
