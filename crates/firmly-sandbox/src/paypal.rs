//! PayPal express checkout (`002_599d5acdabf6b74d.txt:8017` start, `:7614` authorize, `:7827`
//! complete; ENDPOINTS.md §5, C25) and the approval simulator page
//! `GET /__sandbox/paypal/checkoutnow?token=T` (CONTRACTS.md §3) whose buttons `#paypal-approve`
//! and `#paypal-cancel` go to the return URL with `token` and `PayerID` (or `cancel=1`).
//! The return URL is `?return_url=` given to start, else `/__sandbox/paypal/return`.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::address::{AddressInput, AddressUse, Family};
use crate::auth::Device;
use crate::cart_v1::render_v1;
use crate::cart_v2::{mutate_cart, new_payment_handle};
use crate::checkout::{complete_rendered, CartRef};
use crate::errors::{ApiError, ApiJson, ApiResult};
use crate::state::{AppState, PaypalState};

/// The sandbox PayPal buyer's email.
pub const BUYER_EMAIL: &str = "buyer@paypal.sandbox";

/// The cart's `payment_method` while a PayPal checkout is in progress (both the start and the
/// authorize spellings, C25).
pub fn payment_method_json(p: &PaypalState) -> Value {
    let mut attributes = json!({
        "paypal_token": p.token,
        "token": p.token,
        "url": p.url,
        "sandbox": true,
        "requires_review": false,
        "redirect_url": p.return_url,
        "type": "PayPal",
    });
    if let Some(payer) = &p.payer_id {
        attributes["payer_id"] = json!(payer);
        attributes["email"] = json!(BUYER_EMAIL);
    }
    json!({ "type": "PayPal", "payment_type": "PayPal", "attributes": attributes })
}

fn ec_token() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..17)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect();
    format!("EC-{tail}")
}

#[derive(Debug, Default, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    pub return_url: Option<String>,
}

/// `POST /api/v1/domains/{domain}/express/paypal/start[?return_url=URL]`.
pub async fn start(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    Query(q): Query<StartQuery>,
) -> ApiResult<Json<Value>> {
    let base = state.base_url.clone();
    mutate_cart(&state, &device, &domain, render_v1, |cart, m, _| {
        if cart.items.is_empty() {
            return Err(ApiError::new(
                412,
                "NoLineItemError",
                "Cart does not have any line item. Add an item at least and try again.",
            ));
        }
        if !m.paypal {
            return Err(ApiError::new(
                409,
                "PaymentMethodNotAvailable",
                "PayPal is not available for this merchant.",
            ));
        }
        let token = ec_token();
        let return_url = q
            .return_url
            .clone()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .unwrap_or_else(|| format!("{base}/__sandbox/paypal/return"));
        cart.paypal = Some(PaypalState {
            url: format!("{base}/__sandbox/paypal/checkoutnow?token={token}"),
            token,
            return_url,
            payer_id: None,
        });
        Ok(())
    })
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
        email: Some(BUYER_EMAIL.into()),
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
/// supplies the buyer's address when the cart has none.
pub async fn authorize(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AuthorizeBody>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, _, _| {
        let payer = body
            .attributes
            .and_then(|a| a.payer_id)
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| ApiError::new(400, "BadRequest", "attributes.payer_id is required."))?;
        let Some(p) = cart.paypal.as_mut() else {
            return Err(ApiError::new(
                400,
                "ErrorStartExpressCheckout",
                "Could not start checkout: call express/paypal/start first.",
            ));
        };
        p.payer_id = Some(payer);
        if cart.shipping_info.is_none() {
            cart.shipping_info = buyer_address()
                .validate(AddressUse::Shipping, Family::V1)
                .ok();
            for s in &mut cart.shipments {
                s.auto_method = true;
            }
        }
        if cart.payment_handle.is_none() {
            cart.payment_handle = Some(new_payment_handle());
        }
        Ok(())
    })
}

fn not_authorized() -> ApiError {
    ApiError::new(
        400,
        "ErrorSubmitExpressCheckout",
        "Could not submit checkout: the PayPal payment is not authorized.",
    )
}

/// `POST /api/v1/domains/{domain}/express/paypal/complete-order`.
pub async fn complete(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    let authorized = state.merchant(&domain).is_some_and(|m| {
        state
            .world
            .lock()
            .cart(&device.device_id, &m.domain)
            .and_then(|c| c.paypal.as_ref())
            .is_some_and(|p| p.payer_id.is_some())
    });
    if !authorized {
        return Err(not_authorized());
    }
    complete_rendered(
        &state,
        &device,
        CartRef::Domain(&domain),
        crate::checkout::render_order_v1,
        |_, cart| {
            let p = cart
                .paypal
                .as_ref()
                .filter(|p| p.payer_id.is_some())
                .ok_or_else(not_authorized)?;
            let billing = cart
                .billing_info
                .clone()
                .or_else(|| cart.shipping_info.clone());
            Ok((payment_method_json(p), "PayPal".to_string(), billing))
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
    let found = {
        let world = state.world.lock();
        world.carts.values().find_map(|c| {
            c.paypal
                .as_ref()
                .filter(|p| p.token == token)
                .map(|p| (p.return_url.clone(), c.domain.clone()))
        })
    };
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
    let payer = format!(
        "SBXPAYER{}",
        crate::state::hex16()[..8].to_ascii_uppercase()
    );
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
        buyer = BUYER_EMAIL,
        token = esc(&token),
        approve = esc(&approve),
        cancel = esc(&cancel),
    ))
    .into_response()
}

/// `GET /__sandbox/paypal/return`: the default return page.
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
