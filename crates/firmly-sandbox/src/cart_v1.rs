//! Cart API v1 on the same carts (`002_599d5acdabf6b74d.txt:8` add, `:691` update, `:237` get,
//! `:142` clear, `:484` attribution, `:10028` shipping info, `:9936` shipping rates, `:10254`
//! shipping method, `:7327`/`:7465` coupons, `:9338` active carts; Cart schema `:12497`).
//! v1 shapes: `tax` (not `tax_total`), one cart-level `shipping_method` (ShippingMethod with
//! `sku`), `coupons`, `cart_discount`, `line_items[].line_discount`, `notice: string[]`.
//! v1 ids and statuses differ from v2 (ENDPOINTS.md §7 C4).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::address::{AddressInput, Family};
use crate::auth::Device;
use crate::cart_v2::{
    add_item, apply_shipping_info, clear_items, lenient_i64, mutate_cart, payment_method_options,
    set_quantity, to_value,
};
use crate::catalog::product_image;
use crate::data::{MerchantFixture, ShippingMethodFixture};
use crate::errors::{parse_body, ApiError, ApiJson, ApiResult};
use crate::pricing::{amount, price_cart, Amount};
use crate::state::{AppState, Cart, Shared, World};

/// v1 ShippingMethod (`002_599d5acdabf6b74d.txt:13090`).
#[derive(Debug, Clone, Serialize)]
pub struct ShippingMethodV1 {
    pub sku: String,
    pub description: String,
    pub price: Amount,
    pub estimated_delivery: String,
}

pub fn method_v1(x: &ShippingMethodFixture) -> ShippingMethodV1 {
    ShippingMethodV1 {
        sku: x.id.clone(),
        description: x.description.clone(),
        price: amount(x.price),
        estimated_delivery: x.estimated_delivery.clone(),
    }
}

/// Methods offered to a v1 client: those of the first shipment.
fn v1_options(m: &MerchantFixture, cart: &Cart) -> Vec<ShippingMethodV1> {
    cart.shipments
        .first()
        .map(|s| {
            m.methods_for(s.fulfillment_type.id())
                .iter()
                .map(method_v1)
                .collect()
        })
        .unwrap_or_default()
}

/// Renders the internal cart as a v1 `Cart`.
pub fn render_v1(state: &Shared, world: &World, m: &MerchantFixture, cart: &Cart) -> Value {
    let pricing = price_cart(m, cart);
    let lines: Vec<Value> = cart
        .items
        .iter()
        .zip(&pricing.lines)
        .map(|(i, lp)| {
            let (title, base_sku, image, desc, options) = match m.variant(&i.variant_id) {
                Some((p, v)) => (
                    p.title.clone(),
                    p.base_sku.clone(),
                    to_value(&product_image(&state.base_url, p)),
                    v.description(),
                    v.option_values.clone(),
                ),
                None => (
                    i.variant_id.clone(),
                    i.variant_id.clone(),
                    json!({}),
                    String::new(),
                    Vec::new(),
                ),
            };
            let disc: i64 = lp.discounts.iter().map(|d| d.minor).sum();
            json!({
                "line_item_id": i.line_item_id,
                "platform_line_item_id": i.platform_line_item_id,
                "sku": i.variant_id,
                "variant_id": i.variant_id,
                "base_sku": base_sku,
                "description": title,
                "variant_description": desc,
                "variant_option_list": options,
                "variant_handles": i.variant_handles,
                "quantity": i.quantity,
                "price": amount(lp.unit),
                "line_price": amount(lp.line),
                "line_discount": amount(disc),
                "msrp": amount(lp.msrp),
                "image": image,
                "requires_shipping": true,
                "discounts": lp.discounts,
            })
        })
        .collect();
    let method = pricing
        .shipments
        .first()
        .and_then(|s| s.method.as_ref())
        .map(method_v1);
    let has_info = cart.shipping_info.is_some();
    let logged_in = world.logged_in(&cart.device_id, &m.domain);
    let email_registered = cart
        .shipping_info
        .as_ref()
        .is_some_and(|a| m.accounts.iter().any(|x| x.eq_ignore_ascii_case(&a.email)));
    let breakdown: Vec<Value> = [
        ("Item discounts", pricing.item_discount),
        ("Shipping discounts", pricing.shipping_discount),
    ]
    .iter()
    .filter(|(_, v)| *v > 0)
    .map(|(l, v)| json!({ "label": l, "discount": amount(*v) }))
    .collect();
    let notice: Vec<Value> = crate::cart_v2::notices(m, world, cart)
        .into_iter()
        .map(|n| n["details"]["description"].clone())
        .collect();
    let mut v = json!({
        "cart_id": cart.cart_id,
        "platform_id": m.platform_id,
        "shop_id": m.shop_id,
        "domain": m.domain,
        "display_name": m.display_name,
        "app_id": world.devices.get(&cart.device_id).map(|d| d.app_id.clone()),
        "cart_status": if cart.submitted.is_some() { "submitted" } else { "active" },
        "line_items": lines,
        "sub_total": amount(pricing.sub_total),
        "cart_discount": amount(pricing.discount_total),
        "cart_discount_breakdown": breakdown,
        "tax": amount(pricing.tax_total),
        "shipping_total": amount(pricing.shipping_total),
        "addon_total": amount(pricing.addon_total),
        "total": amount(pricing.total),
        "coupons": cart.promo_codes,
        "shipping_info": cart.shipping_info,
        "shipping_info_options": [],
        "shipping_method": method,
        "shipping_method_options": if has_info { v1_options(m, cart) } else { Vec::new() },
        "billing_info": cart.billing_info,
        "payment_handle": cart.payment_handle,
        "payment_method_options": if cart.submitted.is_some() { Vec::new() } else { payment_method_options(state, m, world, cart, pricing.total) },
        "session": {
            "requires_login": m.requires_login,
            "is_email_registered": email_registered,
            "is_logged_in": logged_in,
            "cookies": [],
        },
        "shop_properties": {
            "optional_fields": m.optional_fields,
            "paypal": { "express_enabled": m.paypal, "sandbox": true, "merchantId": format!("SBX-{}", m.shop_id.to_ascii_uppercase()), "clientId": "sandbox-paypal-client-id" },
        },
        "notice": notice,
        "is_tax_included_in_price": false,
        "urls": match &cart.submitted { Some(s) => json!({ "thank_you_page": s.thank_you_page }), None => json!({}) },
    });
    if let Some(a) = &cart.attribution {
        v["attribution"] = a.clone();
    }
    if let Some(s) = &cart.submitted {
        v["platform_order_number"] = json!(s.order_number);
        v["submitted_at"] = json!(s.submitted_at.to_rfc3339());
        v["payment_method"] = s.payment_method.clone();
    } else if let Some(p) = &cart.paypal {
        v["payment_method"] = crate::paypal::payment_method_json(p);
    }
    v
}

#[derive(Debug, Default, Deserialize)]
struct AddBody {
    #[serde(default)]
    variant_handles: Vec<String>,
}

/// `POST /api/v1/domains/{domain}/cart/line-items/{sku}/quantity/{quantity}`.
pub async fn add_line_item(
    State(state): State<AppState>,
    device: Device,
    Path((domain, sku, quantity)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let quantity: i64 = quantity.trim().parse().map_err(|_| {
        ApiError::new(
            422,
            "InvalidInputBody",
            format!("Invalid quantity '{quantity}'."),
        )
    })?;
    let body: AddBody = parse_body(&body, false)?;
    mutate_cart(&state, &device, &domain, render_v1, |cart, m, world| {
        add_item(
            cart,
            m,
            world,
            &sku,
            quantity,
            body.variant_handles,
            Family::V1,
        )
    })
}

#[derive(Debug, Deserialize)]
pub struct UpdateBody {
    #[serde(deserialize_with = "lenient_i64")]
    pub quantity: i64,
}

/// `PUT|POST /api/v1/domains/{domain}/cart/line-items/{sku}` (sku or line item id).
pub async fn update_line_item(
    State(state): State<AppState>,
    device: Device,
    Path((domain, sku)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, m, world| {
        set_quantity(cart, m, world, &sku, body.quantity, Family::V1)
    })
}

/// `GET /api/v1/domains/{domain}/cart/`.
pub async fn get_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    crate::cart_v2::read_cart(&state, &device, &domain, render_v1)
}

/// `DELETE /api/v1/domains/{domain}/cart/line-items`.
pub async fn clear_cart(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, _, _| {
        clear_items(cart);
        Ok(())
    })
}

/// `POST /api/v1/domains/{domain}/cart/shipping-info`: the lowest-cost method is selected
/// unless one was chosen before and is still offered (`002_599d5acdabf6b74d.txt:10032`, C33).
pub async fn set_shipping_info(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, m, world| {
        apply_shipping_info(cart, world, m, &body, Family::V1)
    })
}

fn missing_shipping_info() -> ApiError {
    ApiError::new(412, "MissingShippingInfo", "Shipping info needs to be set.")
}

/// `GET /api/v1/domains/{domain}/cart/shipping-rates` (alias `GET …/cart/shipping-method`).
pub async fn shipping_rates(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Vec<ShippingMethodV1>>> {
    let m = state
        .merchant(&domain)
        .ok_or_else(|| crate::cart_v2::domain_not_found(&domain))?;
    let world = state.world.lock();
    let cart = world
        .cart(&device.device_id, &m.domain)
        .filter(|c| c.shipping_info.is_some())
        .ok_or_else(missing_shipping_info)?;
    Ok(Json(v1_options(m, cart)))
}

#[derive(Debug, Deserialize)]
pub struct ShippingMethodBody {
    pub shipping_method: String,
}

/// `POST /api/v1/domains/{domain}/cart/shipping-method {shipping_method: sku}`: sets the method
/// on every shipment that offers it.
pub async fn set_shipping_method(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<ShippingMethodBody>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, m, _| {
        if cart.items.is_empty() {
            return Err(ApiError::new(
                412,
                "NoLineItemError",
                "Cart does not have any line item. Add an item at least and try again.",
            ));
        }
        if cart.shipping_info.is_none() {
            return Err(missing_shipping_info());
        }
        let mut any = false;
        for s in &mut cart.shipments {
            if m.methods_for(s.fulfillment_type.id())
                .iter()
                .any(|x| x.id == body.shipping_method)
            {
                s.method_id = Some(body.shipping_method.clone());
                s.method_chosen = true;
                any = true;
            }
        }
        if !any {
            return Err(ApiError::new(
                400,
                "InvalidShippingMethod",
                format!("Invalid shipping method '{}'.", body.shipping_method),
            ));
        }
        Ok(())
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct AttributionFields {
    #[serde(default)]
    pub utm: Option<String>,
    #[serde(default)]
    pub referrer_url: Option<String>,
    #[serde(default)]
    pub referral_code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AttributionBody {
    #[serde(default)]
    pub attribution: Option<AttributionFields>,
    #[serde(flatten)]
    pub flat: AttributionFields,
}

/// `PUT|POST /api/v1/domains/{domain}/cart/attribution`, wrapped or flat body (C18). Sandbox
/// convention: attribution is synced to the platform (`immutable: true`) once the cart has
/// shipping info; later changes are rejected with `UnprocessableEntity 422`.
pub async fn set_attribution(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<AttributionBody>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, _, _| {
        if cart
            .attribution
            .as_ref()
            .is_some_and(|a| a["immutable"] == true)
        {
            return Err(ApiError::new(
                422,
                "UnprocessableEntity",
                "The attribution was already synced to the merchant and cannot change.",
            ));
        }
        let f = body.attribution.unwrap_or(body.flat);
        cart.attribution = Some(json!({
            "utm": f.utm,
            "referrer_url": f.referrer_url,
            "referral_code": f.referral_code,
            "immutable": cart.shipping_info.is_some(),
        }));
        Ok(())
    })
}

#[derive(Debug, Deserialize)]
pub struct CouponBody {
    pub promo_codes: Vec<String>,
}

/// `POST /api/v1/domains/{domain}/cart/promo-codes`: applies the best valid subset of the codes
/// (all valid codes stack) and lists it in `coupons`; none valid ⇒ `InvalidPromoCode 409`.
pub async fn apply_coupons(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
    ApiJson(body): ApiJson<CouponBody>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, _, _| {
        if body.promo_codes.is_empty() || body.promo_codes.len() > crate::promos::MAX_CODES {
            return Err(ApiError::new(
                422,
                "InvalidInputBody",
                "promo_codes must hold between 1 and 10 codes.",
            ));
        }
        if cart.items.is_empty() {
            return Err(ApiError::new(
                409,
                "PromoNotAvailable",
                "This merchant does not allow promotions for this cart.",
            ));
        }
        let mut valid: Vec<String> = Vec::new();
        let mut expired = false;
        for c in &body.promo_codes {
            match crate::promos::lookup(c) {
                Ok(p) if !valid.iter().any(|v| v == p.code()) => valid.push(p.code().to_string()),
                Ok(_) => {}
                Err(crate::promos::PromoRejection::Expired) => expired = true,
                Err(crate::promos::PromoRejection::Unknown) => {}
            }
        }
        if valid.is_empty() {
            return Err(ApiError::new(
                409,
                "InvalidPromoCode",
                if expired {
                    "Enter a valid discount code: this code has expired."
                } else {
                    "Enter a valid discount code."
                },
            ));
        }
        cart.promo_codes = valid;
        Ok(())
    })
}

/// `DELETE /api/v1/domains/{domain}/cart/promo-codes`.
pub async fn clear_coupons(
    State(state): State<AppState>,
    device: Device,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    mutate_cart(&state, &device, &domain, render_v1, |cart, _, _| {
        cart.promo_codes.clear();
        Ok(())
    })
}

/// `GET /api/v1/carts/active`: `{domains, carts}` over the device's non-empty carts.
pub async fn active_carts(State(state): State<AppState>, device: Device) -> Json<Value> {
    let world = state.world.lock();
    let mut carts: Vec<(&String, &Cart)> = world
        .carts
        .iter()
        .filter(|((dev, _), c)| {
            dev == &device.device_id && !c.items.is_empty() && c.submitted.is_none()
        })
        .map(|((_, d), c)| (d, c))
        .collect();
    carts.sort_by(|a, b| a.0.cmp(b.0));
    let mut domains = Vec::new();
    let mut out = Vec::new();
    for (d, c) in carts {
        if let Some(m) = state.merchant(d) {
            domains.push(m.domain.clone());
            out.push(render_v1(&state, &world, m, c));
        }
    }
    Json(json!({ "domains": domains, "carts": out }))
}
