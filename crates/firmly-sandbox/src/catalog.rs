//! Catalog (`002_599d5acdabf6b74d.txt:6526` product list, `:6189` product details, schema
//! `:12920`-`:13065`, sample `:6241`) and the sandbox's own SVG product thumbnails so the
//! offline app shows images. Emits `images` and `variants` (ENDPOINTS.md §7 C17).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::auth::catalog_auth;
use crate::data::{MerchantFixture, ProductFixture};
use crate::errors::{ApiError, ApiResult};
use crate::pricing::{amount, Amount};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub url: String,
    pub alt: String,
}

#[derive(Debug, Serialize)]
pub struct ProductSummary {
    pub loc: String,
    pub image: Image,
    pub title: String,
    pub handle: String,
    pub pdp_url: String,
}

#[derive(Debug, Serialize)]
pub struct OptionValue {
    pub display_name: String,
    pub value: String,
    pub available: bool,
}

#[derive(Debug, Serialize)]
pub struct VariantOptionValues {
    pub display_name: String,
    pub property_accessor: String,
    pub position: usize,
    pub option_values: Vec<OptionValue>,
}

#[derive(Debug, Serialize)]
pub struct AddToCartPayload {
    pub variant_id: String,
    pub quantity: i64,
}

#[derive(Debug, Serialize)]
pub struct ProductVariant {
    pub handle: String,
    pub display_name: String,
    pub title: String,
    pub sku: String,
    pub available: bool,
    pub price: Amount,
    pub msrp: Amount,
    pub variant_option_list: Vec<String>,
    pub images: Vec<Image>,
    pub requires_shipping: bool,
    pub taxable: bool,
    pub add_to_cart_payload: AddToCartPayload,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory_quantity: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ProductDetails {
    pub base_sku: String,
    pub title: String,
    pub handle: String,
    pub description: String,
    pub short_description: String,
    pub tags: Vec<String>,
    pub product_type: String,
    pub pdp_url: String,
    pub images: Vec<Image>,
    pub variant_option_values: Vec<VariantOptionValues>,
    pub variants: Vec<ProductVariant>,
    pub properties: serde_json::Value,
}

pub fn image_url(base: &str, handle: &str) -> String {
    format!("{base}/__sandbox/img/{handle}.svg")
}

pub fn product_image(base: &str, p: &ProductFixture) -> Image {
    Image {
        url: image_url(base, &p.handle),
        alt: p.title.clone(),
    }
}

fn pdp_url(m: &MerchantFixture, p: &ProductFixture) -> String {
    format!("https://{}/products/{}", m.domain, p.handle)
}

fn merchant<'a>(state: &'a AppState, domain: &str) -> ApiResult<&'a MerchantFixture> {
    state.merchant(domain).ok_or_else(|| {
        ApiError::new(
            404,
            "AllProductsNotFound",
            format!("No catalog for domain '{domain}'."),
        )
    })
}

/// `GET /api/v1/domains-products/{domain}`.
pub async fn list_products(
    State(state): State<AppState>,
    Path(domain): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<ProductSummary>>> {
    catalog_auth(&state, &headers)?;
    let m = merchant(&state, &domain)?;
    let base = &state.base_url;
    Ok(Json(
        m.products
            .iter()
            .map(|p| ProductSummary {
                loc: format!("{base}/api/v1/domains-products/{}/{}", m.domain, p.handle),
                image: product_image(base, p),
                title: p.title.clone(),
                handle: p.handle.clone(),
                pdp_url: pdp_url(m, p),
            })
            .collect(),
    ))
}

pub fn product_details(
    base: &str,
    world: &crate::state::World,
    m: &MerchantFixture,
    p: &ProductFixture,
) -> ProductDetails {
    let left = |sku: &str| world.stock_left(m, sku);
    let available = |sku: &str| left(sku).is_none_or(|s| s > 0);
    let image = product_image(base, p);
    let variant_option_values = p
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| VariantOptionValues {
            display_name: o.name.clone(),
            property_accessor: format!("option{}", i + 1),
            position: i + 1,
            option_values: o
                .values
                .iter()
                .map(|v| OptionValue {
                    display_name: v.clone(),
                    value: v.clone(),
                    available: p
                        .variants
                        .iter()
                        .any(|x| x.option_values.get(i) == Some(v) && available(&x.sku)),
                })
                .collect(),
        })
        .collect();
    let variants = p
        .variants
        .iter()
        .map(|v| {
            let desc = v.description();
            ProductVariant {
                handle: v.sku.to_ascii_lowercase(),
                display_name: if desc.is_empty() {
                    p.title.clone()
                } else {
                    desc.clone()
                },
                title: if desc.is_empty() {
                    p.title.clone()
                } else {
                    format!("{} - {}", p.title, desc)
                },
                sku: v.sku.clone(),
                available: available(&v.sku),
                price: amount(p.price),
                msrp: amount(p.msrp),
                variant_option_list: v.option_values.clone(),
                images: vec![image.clone()],
                requires_shipping: true,
                taxable: true,
                add_to_cart_payload: AddToCartPayload {
                    variant_id: v.sku.clone(),
                    quantity: 1,
                },
                inventory_quantity: left(&v.sku),
            }
        })
        .collect();
    ProductDetails {
        base_sku: p.base_sku.clone(),
        title: p.title.clone(),
        handle: p.handle.clone(),
        description: p.description.clone(),
        short_description: p.description.split('.').next().unwrap_or("").to_string(),
        tags: vec![p.product_type.to_ascii_lowercase()],
        product_type: p.product_type.clone(),
        pdp_url: pdp_url(m, p),
        images: vec![image],
        variant_option_values,
        variants,
        properties: serde_json::json!({ "vendor": m.display_name, "product_family": p.product_type }),
    }
}

/// `GET /api/v1/domains-products/{domain}/{handle}`.
pub async fn get_product(
    State(state): State<AppState>,
    Path((domain, handle)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<ProductDetails>> {
    catalog_auth(&state, &headers)?;
    let not_found = || {
        ApiError::new(
            404,
            "ProductNotFound",
            format!("Product '{handle}' was not found on '{domain}'."),
        )
    };
    let m = state.merchant(&domain).ok_or_else(not_found)?;
    let p = m.product(&handle).ok_or_else(not_found)?;
    let world = state.world.lock();
    Ok(Json(product_details(&state.base_url, &world, m, p)))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PdpQuery {
    #[serde(default)]
    pub url: Option<String>,
}

/// `GET /api/v1/domains-pdp?url={pdp_url}` (`002_599d5acdabf6b74d.txt:6598`): product details
/// from a product page URL `https://{domain}/products/{handle}`.
pub async fn product_from_url(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<PdpQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<ProductDetails>> {
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
    let m = state.merchant(host).ok_or_else(|| {
        ApiError::new(
            404,
            "ProductUrlNotImplemented",
            format!("ProductUrl not Implemented for '{host}'."),
        )
    })?;
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
pub async fn image(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let handle = file.strip_suffix(".svg").unwrap_or(&file);
    let found = state
        .catalog
        .merchants
        .iter()
        .find_map(|m| m.product(handle));
    let Some(p) = found else {
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
