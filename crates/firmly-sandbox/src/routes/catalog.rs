//! Catalog (ENDPOINTS.md §1 #3 product list, §1 #2 product details, §1 #4
//! product from URL; schema ENDPOINTS.md §2.9-ENDPOINTS.md §2.9, sample ENDPOINTS.md §2.9) and the sandbox's SVG product
//! thumbnails so the offline app shows images. Emits `images` and `variants` (C17). A merchant
//! without a catalog (`nocatalog.test`) answers `AllProductsNotImplemented 404`,
//! `ProductNotImplemented 404` and `ProductUrlNotImplemented 404`; its variants can still be
//! added to a cart by id.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::errors::{ApiError, ApiResult};
use crate::model::fixtures::{MerchantFixture, ProductFixture};
use crate::model::money::amount;
use crate::model::world::World;
use crate::routes::auth::catalog_auth;
use crate::state::AppState;
use crate::views::common::image;

fn pdp_url(m: &MerchantFixture, p: &ProductFixture) -> String {
    format!("https://{}/products/{}", m.domain, p.handle)
}

fn not_implemented(id: &str, what: &str, domain: &str) -> ApiError {
    ApiError::new(404, id, format!("{what} not Implemented for '{domain}'."))
}

/// `GET /api/v1/domains-products/{domain}`.
pub async fn list_products(
    State(state): State<AppState>,
    Path(domain): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<Value>>> {
    catalog_auth(&state, &headers)?;
    let m = state.merchant(&domain).ok_or_else(|| {
        ApiError::new(
            404,
            "AllProductsNotFound",
            format!("No catalog for domain '{domain}'."),
        )
    })?;
    if m.traits.no_catalog {
        return Err(not_implemented(
            "AllProductsNotImplemented",
            "All Products",
            &domain,
        ));
    }
    let base = &state.base_url;
    Ok(Json(
        m.products
            .iter()
            .map(|p| {
                json!({
                    "loc": format!("{base}/api/v1/domains-products/{}/{}", m.domain, p.handle),
                    "image": image(base, &p.handle, &p.title),
                    "title": p.title,
                    "handle": p.handle,
                    "pdp_url": pdp_url(m, p),
                })
            })
            .collect(),
    ))
}

/// ProductDetails (ENDPOINTS.md §2.9) with stock-aware availability.
pub fn product_details(
    base: &str,
    world: &World,
    m: &MerchantFixture,
    p: &ProductFixture,
) -> Value {
    let available = |sku: &str| world.stock_left(m, sku).is_none_or(|s| s > 0);
    let img = image(base, &p.handle, &p.title);
    let option_values: Vec<Value> = p
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            json!({
                "display_name": o.name,
                "property_accessor": format!("option{}", i + 1),
                // 0-based: the position indexes `variant_option_list` (ENDPOINTS.md §2.9;
                // the docs' sample starts at 0).
                "position": i,
                "option_values": o.values.iter().map(|v| json!({
                    "display_name": v,
                    "value": v,
                    "available": p.variants.iter().any(|x| x.option_values.get(i) == Some(v) && available(&x.sku)),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let variants: Vec<Value> = p
        .variants
        .iter()
        .map(|v| {
            let desc = v.description();
            json!({
                "handle": v.sku.to_ascii_lowercase(),
                "display_name": if desc.is_empty() { p.title.clone() } else { desc.clone() },
                "title": if desc.is_empty() { p.title.clone() } else { format!("{} - {}", p.title, desc) },
                "sku": v.sku,
                "available": available(&v.sku),
                "price": amount(p.price),
                "msrp": amount(p.msrp),
                "variant_option_list": v.option_values,
                "images": [img],
                "requires_shipping": p.requires_shipping(),
                "taxable": true,
                "add_to_cart_payload": { "variant_id": v.sku, "quantity": 1 },
            })
        })
        .collect();
    json!({
        "base_sku": p.base_sku,
        "title": p.title,
        "handle": p.handle,
        "description": p.description,
        "short_description": p.description.split('.').next().unwrap_or(""),
        "tags": [p.product_type.to_ascii_lowercase()],
        "product_type": p.product_type,
        "pdp_url": pdp_url(m, p),
        "images": [img],
        "variant_option_values": option_values,
        "variants": variants,
        "properties": { "vendor": m.display_name, "product_family": p.product_type },
    })
}

/// `GET /api/v1/domains-products/{domain}/{handle}`.
pub async fn get_product(
    State(state): State<AppState>,
    Path((domain, handle)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    catalog_auth(&state, &headers)?;
    let not_found = || {
        ApiError::new(
            404,
            "ProductNotFound",
            format!("Product '{handle}' was not found on '{domain}'."),
        )
    };
    let m = state.merchant(&domain).ok_or_else(not_found)?;
    if m.traits.no_catalog {
        return Err(not_implemented("ProductNotImplemented", "Product", &domain));
    }
    let p = m.product(&handle).ok_or_else(not_found)?;
    let world = state.world.lock();
    Ok(Json(product_details(&state.base_url, &world, m, p)))
}

#[derive(Debug, Default, Deserialize)]
pub struct PdpQuery {
    #[serde(default)]
    pub url: Option<String>,
}

/// `GET /api/v1/domains-pdp?url={pdp_url}`: product details from a product page URL
/// `https://{domain}/products/{handle}`.
pub async fn product_from_url(
    State(state): State<AppState>,
    Query(q): Query<PdpQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    catalog_auth(&state, &headers)?;
    let url = q.url.unwrap_or_default();
    let invalid = || ApiError::new(400, "InvalidUrl", format!("Url not valid: '{url}'."));
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(invalid)?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Err(invalid());
    }
    let m = state
        .merchant(host)
        .filter(|m| !m.traits.no_catalog)
        .ok_or_else(|| not_implemented("ProductUrlNotImplemented", "ProductUrl", host))?;
    let path = path.split(['?', '#']).next().unwrap_or("");
    let handle = path
        .trim_end_matches('/')
        .strip_prefix("products/")
        .unwrap_or("");
    let p = m
        .product(handle)
        .ok_or_else(|| ApiError::new(404, "ProductNotFound", format!("No product at '{url}'.")))?;
    let world = state.world.lock();
    Ok(Json(product_details(&state.base_url, &world, m, p)))
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /__sandbox/img/{name}.svg`: a generated thumbnail for a product handle.
pub async fn thumbnail(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let handle = file.strip_suffix(".svg").unwrap_or(&file);
    let Some(p) = state
        .catalog
        .merchants
        .iter()
        .find_map(|m| m.product(handle))
    else {
        return ApiError::new(404, "ItemNotFound", "Item not found.").into_response();
    };
    let initials: String = p
        .title
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .collect();
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240"><rect width="240" height="240" rx="24" fill="{color}"/><circle cx="120" cy="100" r="54" fill="#ffffff" fill-opacity="0.18"/><text x="120" y="118" font-family="sans-serif" font-size="52" font-weight="700" text-anchor="middle" fill="#ffffff">{initials}</text><text x="120" y="204" font-family="sans-serif" font-size="16" text-anchor="middle" fill="#ffffff">{title}</text></svg>"##,
        color = escape_xml(&p.color),
        initials = escape_xml(&initials),
        title = escape_xml(&p.title),
    );
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    )
        .into_response()
}
