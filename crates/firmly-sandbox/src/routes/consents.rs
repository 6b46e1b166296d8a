//! Consents (ENDPOINTS.md §1 #25 get, §1 #26 set, schema ENDPOINTS.md §2.7). Every merchant
//! has a required, non-revokable `terms` consent and an optional, revokable `marketing`
//! consent. Grants belong to the device's current cart.
//!
//! Profiles differ (ENDPOINTS.md §1 rows 25-26): in `docs` the required consent is served as
//! the docs' sample shows it — already `signed: true` — and no page makes completion wait for
//! it; in `demo` it starts unsigned and completion answers `CheckoutError 412` until it is
//! granted (a listed demo extension, the "consent gate").
//!
//! The consent pages document no CartNotFound (only `DomainNotFound`), so: listing without a
//! cart shows every consent unsigned, and granting without a cart starts one (an empty cart,
//! as adding a line item would).

use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::carts::{change, merchant, peek, Need};
use crate::errors::{ApiError, ApiJson, ApiResult, Family};
use crate::model::cart::Cart;
use crate::model::fixtures::{ConsentFixture, MerchantFixture};
use crate::routes::auth::Device;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct Consent {
    pub id: String,
    pub ui_slot: String,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub explicit: bool,
    pub rich_text: bool,
    pub required: bool,
    pub revokable: bool,
    pub signed: bool,
}

/// Whether a consent reads as signed: granted on the cart, or — in `docs` — required (the
/// sample's required `terms` consent is signed without a grant, ENDPOINTS.md §1 row 25).
pub fn signed(gate: bool, c: &ConsentFixture, cart: Option<&Cart>) -> bool {
    (!gate && c.required) || cart.is_some_and(|cart| cart.consents_granted.contains(&c.id))
}

fn list(m: &MerchantFixture, gate: bool, granted: Option<&Cart>) -> Vec<Consent> {
    m.consents
        .iter()
        .map(|c| Consent {
            id: c.id.clone(),
            ui_slot: c.ui_slot.clone(),
            text: c.text.clone(),
            kind: c.kind.clone(),
            explicit: c.explicit,
            rich_text: c.rich_text,
            required: c.required,
            revokable: c.revokable,
            signed: signed(gate, c, granted),
        })
        .collect()
}

/// `GET /api/v1/domains/{domain}/cart/consents`.
pub async fn get_consents(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Vec<Consent>>> {
    let gate = state.profile.extensions();
    peek(
        &state,
        &device.device_id,
        &domain,
        Family::V1,
        |_, m, cart| Ok(Json(list(m, gate, cart))),
    )
}

#[derive(Debug, Deserialize)]
pub struct ConsentChange {
    pub id: String,
    #[serde(default)]
    pub revoke: bool,
}

#[derive(Debug, Deserialize)]
pub struct SetConsents {
    pub consents: Vec<ConsentChange>,
}

/// `POST|PUT /api/v1/domains/{domain}/cart/consents`: grants (or revokes) all or nothing.
pub async fn set_consents(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<SetConsents>,
) -> ApiResult<Json<Vec<Consent>>> {
    let gate = state.profile.extensions();
    let m = merchant(&state, &domain, Need::Existing).map_err(|r| r.api(Family::V1))?;
    if body.consents.is_empty() {
        return Err(ApiError::new(
            400,
            "ValidationError",
            "consents must list at least one consent.",
        ));
    }
    for change in &body.consents {
        let Some(c) = m.consents.iter().find(|c| c.id == change.id) else {
            return Err(ApiError::new(
                400,
                "ConsentNotFound",
                format!("Consent '{}' does not exist for {}.", change.id, m.domain),
            ));
        };
        if change.revoke && !c.revokable {
            return Err(ApiError::new(
                400,
                "ConsentNotRevokable",
                format!("Consent '{}' cannot be revoked.", change.id),
            ));
        }
    }
    change(
        &state,
        &device.device_id,
        &domain,
        Family::V1,
        Need::Create,
        |cart, _, _| {
            for change in &body.consents {
                if change.revoke {
                    cart.consents_granted.remove(&change.id);
                } else {
                    cart.consents_granted.insert(change.id.clone());
                }
            }
            Ok(())
        },
        |_, _, m, cart| Json(list(m, gate, Some(cart))),
    )
}
