//! Cart attribution (ENDPOINTS.md §1 #9): `{utm, referrer_url, referral_code,
//! immutable}`. Sandbox convention: attribution is synced to the platform (`immutable: true`)
//! once the cart has shipping info; a later change is refused (`UnprocessableEntity 422`).

use serde_json::json;

use crate::model::cart::Cart;
use crate::rules::{Rule, RuleResult};

/// Replaces the cart's attribution unless it is already synced.
pub fn set_attribution(
    cart: &mut Cart,
    utm: Option<String>,
    referrer_url: Option<String>,
    referral_code: Option<String>,
) -> RuleResult<()> {
    if cart
        .attribution
        .as_ref()
        .is_some_and(|a| a["immutable"] == true)
    {
        return Err(Rule::AttributionFrozen);
    }
    cart.attribution = Some(json!({
        "utm": utm,
        "referrer_url": referrer_url,
        "referral_code": referral_code,
        "immutable": cart.shipping_info.is_some(),
    }));
    Ok(())
}
