//! Consents (`002_599d5acdabf6b74d.txt:7038` get, `:7137` set, schema `:7062`). Every demo
//! merchant has one required, non-revokable `terms` consent that blocks order completion until
//! granted, and one optional, revokable `marketing` consent. Grants belong to the device's
//! current cart for the merchant (a new cart after an order starts unsigned).

use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::Device;
use crate::cart_v2::domain_not_found;
use crate::data::MerchantFixture;
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::{AppState, Cart};

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

fn list(m: &MerchantFixture, cart: &Cart) -> Vec<Consent> {
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
            signed: cart.consents_granted.contains(&c.id),
        })
        .collect()
}

/// Required consents must be granted before an order is placed (CheckoutError 412 naming it).
pub fn check_required(m: &MerchantFixture, cart: &Cart) -> ApiResult<()> {
    match m
        .consents
        .iter()
        .find(|c| c.required && !cart.consents_granted.contains(&c.id))
    {
        Some(c) => Err(ApiError::new(
            412,
            "CheckoutError",
            format!(
                "The required consent '{}' ({}) has not been granted.",
                c.text, c.id
            ),
        )
        .with_details(serde_json::json!({ "consent_id": c.id }))),
        None => Ok(()),
    }
}

/// `GET /api/v1/domains/{domain}/cart/consents`.
pub async fn get_consents(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Vec<Consent>>> {
    let m = state
        .merchant(&domain)
        .ok_or_else(|| domain_not_found(&domain))?;
    let world = state.world.lock();
    let empty = Cart::new(&device.device_id, &m.domain, world.now());
    let cart = world
        .open_cart(&device.device_id, &m.domain)
        .unwrap_or(&empty);
    Ok(Json(list(m, cart)))
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
    let m = state
        .merchant(&domain)
        .ok_or_else(|| domain_not_found(&domain))?;
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
    let mut world = state.world.lock();
    let cart = world.cart_mut(&device.device_id, &m.domain);
    for change in &body.consents {
        if change.revoke {
            cart.consents_granted.remove(&change.id);
        } else {
            cart.consents_granted.insert(change.id.clone());
        }
    }
    Ok(Json(list(m, cart)))
}
