//! PayPal express checkout (ENDPOINTS.md §1 #27 start, §1 #28 authorize, §1 #29
//! complete; ENDPOINTS.md §5, C25) and the approval simulator page
//! `GET /__sandbox/paypal/checkoutnow?token=T` (CONTRACTS.md §3) whose buttons
//! `#paypal-approve` and `#paypal-cancel` go to the cart's return URL (`redirect_url`) with
//! `token` and `PayerID` (or `cancel=1`). The return URL is the sandbox's
//! `/__sandbox/paypal/return` page in `demo` and a merchant URL (not served) in `docs`. All
//! three API calls need an existing cart (`CartNotFound 404`).

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::carts::{inspect, mutate, paypal_session, CartRef, Need};
use crate::errors::{ApiJson, ApiResult, Family};
use crate::model::address::{AddressInput, AddressUse};
use crate::model::cart::PaypalState;
use crate::model::ids::{ec_token, hex, opaque_handle};
use crate::routes::auth::Device;
use crate::rules::address::validate;
use crate::rules::Rule;
use crate::state::AppState;
use crate::vault::completion::{complete as place_order, Payment};
use crate::views::v1::{paypal_payment_method, render, PAYPAL_BUYER_EMAIL};

const V1: Family = Family::V1;

/// `POST /api/v1/domains/{domain}/express/paypal/start` (no body).
pub async fn start(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    let base = state.base_url.clone();
    let demo = state.profile.extensions();
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, m, _| {
            if cart.items.is_empty() {
                return Err(Rule::NoLineItem);
            }
            if !m.paypal {
                return Err(Rule::PaymentMethodNotAvailable(
                    "PayPal is not available for this merchant.".to_string(),
                ));
            }
            let token = ec_token();
            let return_url = if demo {
                format!("{base}/__sandbox/paypal/return")
            } else {
                format!("https://{}/checkout/paypal/return", m.domain)
            };
            cart.paypal = Some(PaypalState {
                url: format!("{base}/__sandbox/paypal/checkoutnow?token={token}"),
                token,
                return_url,
                payer_id: None,
            });
            Ok(())
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeAttributes {
    #[serde(default)]
    pub payer_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeBody {
    #[serde(default)]
    pub attributes: Option<AuthorizeAttributes>,
}

fn buyer_address() -> AddressInput {
    AddressInput {
        first_name: Some("Pat".into()),
        last_name: Some("Buyer".into()),
        email: Some(PAYPAL_BUYER_EMAIL.into()),
        phone: Some("+14085550199".into()),
        address1: Some("2211 N First St".into()),
        city: Some("San Jose".into()),
        state_or_province: Some("CA".into()),
        postal_code: Some("95131".into()),
        country: Some("US".into()),
        ..Default::default()
    }
}

/// `POST /api/v1/domains/{domain}/express/paypal/authorize {attributes:{payer_id}}`. PayPal
/// supplies the buyer's address when the cart has none (as billing address for a cart that
/// needs no shipping).
pub async fn authorize(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AuthorizeBody>,
) -> ApiResult<Json<Value>> {
    mutate(
        &state,
        &device.device_id,
        &domain,
        V1,
        Need::Existing,
        render,
        |cart, m, _| {
            let payer = body
                .attributes
                .and_then(|a| a.payer_id)
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .ok_or(Rule::PayerIdMissing)?;
            let p = cart.paypal.as_mut().ok_or(Rule::PaypalNotStarted)?;
            p.payer_id = Some(payer);
            let buyer = validate(&buyer_address(), AddressUse::Shipping).ok();
            if !cart.needs_shipping(m) {
                if cart.billing_info.is_none() {
                    cart.billing_info = buyer;
                }
            } else if cart.shipping_info.is_none() {
                cart.shipping_info = buyer;
                for s in &mut cart.shipments {
                    s.auto_method = true;
                }
            }
            if cart.payment_handle.is_none() {
                cart.payment_handle = Some(opaque_handle());
            }
            Ok(())
        },
    )
}

/// `POST /api/v1/domains/{domain}/express/paypal/complete-order` (no body).
pub async fn complete(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    // Not authorized is reported before the completion checks (ENDPOINTS.md §5).
    inspect(
        &state,
        &device.device_id,
        &domain,
        V1,
        |_, _, cart| match cart.paypal.as_ref().and_then(|p| p.payer_id.as_ref()) {
            Some(_) => Ok(()),
            None => Err(Rule::PaypalNotAuthorized),
        },
    )?;
    place_order(
        &state,
        &device.device_id,
        CartRef::Domain(&domain),
        None,
        |_, _, cart| {
            let p = cart
                .paypal
                .as_ref()
                .filter(|p| p.payer_id.is_some())
                .ok_or(Rule::PaypalNotAuthorized)?;
            Ok(Payment {
                payment_method: paypal_payment_method(p),
                payment_type: "PayPal",
                billing: cart
                    .billing_info
                    .clone()
                    .or_else(|| cart.shipping_info.clone()),
            })
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(rename = "PayerID", default)]
    pub payer_id: Option<String>,
    #[serde(default)]
    pub cancel: Option<String>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn with_query(url: &str, query: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}

/// `GET /__sandbox/paypal/checkoutnow?token=T`: the approval simulator.
pub async fn checkoutnow(State(state): State<AppState>, Query(q): Query<TokenQuery>) -> Response {
    let token = q.token.unwrap_or_default();
    let found = paypal_session(&state.world.lock(), &token);
    let Some((return_url, domain)) = found else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            Html(
                "<!doctype html><html><body><h1>PayPal session not found</h1></body></html>"
                    .to_string(),
            ),
        )
            .into_response();
    };
    let payer = format!("SBXPAYER{}", hex(8).to_ascii_uppercase());
    let approve = with_query(&return_url, &format!("token={token}&PayerID={payer}"));
    let cancel = with_query(&return_url, &format!("token={token}&cancel=1"));
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>PayPal Sandbox</title>\
<style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto;text-align:center}}\
a{{display:block;margin:1rem;padding:.8rem;border-radius:2rem;text-decoration:none;font-weight:700}}\
#paypal-approve{{background:#ffc439;color:#111}}#paypal-cancel{{background:#eee;color:#333}}</style></head>\
<body><h1>PayPal Sandbox</h1><p>Pay {domain} as <b>{buyer}</b></p><p data-testid=\"paypal-token\">{token}</p>\
<a id=\"paypal-approve\" data-testid=\"paypal-approve\" href=\"{approve}\">Approve payment</a>\
<a id=\"paypal-cancel\" data-testid=\"paypal-cancel\" href=\"{cancel}\">Cancel and return</a></body></html>",
        domain = esc(&domain),
        buyer = PAYPAL_BUYER_EMAIL,
        token = esc(&token),
        approve = esc(&approve),
        cancel = esc(&cancel),
    ))
    .into_response()
}

/// `GET /__sandbox/paypal/return` (demo): the default return page.
pub async fn return_page(Query(q): Query<TokenQuery>) -> Html<String> {
    let token = esc(&q.token.unwrap_or_default());
    let body = if q.cancel.is_some() {
        format!("<h1 data-testid=\"paypal-result\">cancelled</h1><p>{token}</p>")
    } else {
        format!(
            "<h1 data-testid=\"paypal-result\">approved</h1><p>{token}</p><p data-testid=\"paypal-payer-id\">{}</p>",
            esc(&q.payer_id.unwrap_or_default())
        )
    };
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>PayPal return</title></head><body>{body}</body></html>"
    ))
}
