//! v2 promo-code routes (ENDPOINTS.md §1 #21 apply, §1 #22 clear); v1 coupons
//! are in [`crate::routes::cart_v1`]. The rules are in [`crate::rules::promos`].

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::carts::{mutate, Need};
use crate::errors::{ApiJson, ApiResult, Family};
use crate::routes::auth::Device;
use crate::rules::promos::apply_v2;
use crate::rules::Rule;
use crate::state::AppState;
use crate::views::v2::render;

#[derive(Debug, Deserialize)]
pub struct PromoCodes {
    pub promo_codes: Vec<String>,
}

/// `POST|PUT /api/v2/domains/{domain}/cart/promo-codes`: adds the codes (all must be valid).
pub async fn apply(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<PromoCodes>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, m, _| {
            let next = apply_v2(m, &cart.promo_codes, &body.promo_codes)?;
            if cart.items.is_empty() {
                return Err(Rule::PromoNotAvailable);
            }
            cart.promo_codes = next;
            Ok(())
        },
    )
}

/// `DELETE /api/v2/domains/{domain}/cart/promo-codes`.
pub async fn clear(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        Family::V2,
        Need::Existing,
        render,
        |cart, _, _| {
            cart.promo_codes.clear();
            Ok(())
        },
    )
}
