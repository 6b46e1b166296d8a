//! `firmly inspect` and `firmly encrypt-card`: the client's decoders and encryption
//! exposed for scripts and support agents (CONTRACTS.md §2).

use firmly_api::{
    ActiveCarts, Availability, BrowserSession, CardDetails, CartV2, Consent, PaymentKey,
    ProductDetails,
};
use serde_json::{json, Value};

fn decode<T: serde::de::DeserializeOwned>(kind: &str, bytes: &[u8]) -> Result<T, String> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de)
        .map_err(|e| format!("not a valid {kind}: at `{}`: {}", e.path(), e.inner()))
}

fn money(a: &Option<firmly_api::Amount>, currency: &str) -> Value {
    match a {
        Some(a) => json!(a.to_money(currency).to_decimal_string()),
        None => json!(firmly_api::Money::zero(currency).to_decimal_string()),
    }
}

/// The normalized cart summary of CONTRACTS.md §2.
pub fn cart_summary(domain: &str, c: &CartV2) -> Value {
    let cur = c.currency();
    json!({
        "domain": domain,
        "cart_id": c.cart_id,
        "line_items": c.line_items.len(),
        "shipments": c.shipments.len(),
        "subtotal": money(&c.sub_total, &cur),
        "shipping_total": money(&c.shipping_total, &cur),
        "tax_total": money(&c.tax_total, &cur),
        "addon_total": money(&c.addon_total, &cur),
        "discount_total": money(&c.discount_total, &cur),
        "total": money(&c.total, &cur),
        "currency": cur,
    })
}

pub fn cart_summary_value(domain: &str, raw: &Value) -> Result<Value, String> {
    let bytes = serde_json::to_vec(raw).map_err(|e| e.to_string())?;
    let cart: CartV2 = decode("cart", &bytes)?;
    Ok(cart_summary(domain, &cart))
}

pub fn inspect(kind: &str, bytes: &[u8]) -> Result<Value, String> {
    match kind {
        "cart" => {
            let c: CartV2 = decode(kind, bytes)?;
            let raw: Value = serde_json::from_slice(bytes).unwrap_or_default();
            let domain = raw
                .get("domain")
                .or(raw.get("shop_id"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            Ok(cart_summary(&domain, &c))
        }
        "order" => {
            let c: CartV2 = decode(kind, bytes)?;
            let cur = c.currency();
            Ok(json!({
                "cart_id": c.cart_id,
                "order_number": c.platform_order_number,
                "cart_status": c.cart_status,
                "total": money(&c.total, &cur),
                "currency": cur,
                "payment_type": c.payment_method.as_ref().and_then(|p| p.payment_type.clone()),
                "last_four": c.payment_method.as_ref().and_then(|p| p.last_four.clone()),
            }))
        }
        "availability" => {
            let a: Availability = decode(kind, bytes)?;
            Ok(json!({
                "shipment_id": a.shipment_id,
                "fulfillment_type": a.fulfillment_type.as_ref().map(|f| f.id.as_str().to_string()),
                "dates": a.dates.iter().map(|d| json!({
                    "date": d.date,
                    "slots": d.time_slots.iter().map(|t| json!({"slot_id": t.slot_id, "available": t.available.unwrap_or(true)})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "location_ids": a.pickup_locations.iter().map(|l| l.location_id.clone()).collect::<Vec<_>>(),
                "shipping_method_ids": a.shipping_methods.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
            }))
        }
        "active-carts" => {
            let a: ActiveCarts = decode(kind, bytes)?;
            let raw: Value = serde_json::from_slice(bytes).unwrap_or_default();
            let carts: Vec<Value> = a
                .carts
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let domain = raw["carts"][i]["domain"]
                        .as_str()
                        .map(String::from)
                        .or_else(|| a.domains.get(i).cloned())
                        .unwrap_or_default();
                    cart_summary(&domain, c)
                })
                .collect();
            Ok(json!({"domains": a.domains, "carts": carts}))
        }
        "consents" => {
            let list: Vec<Consent> = decode(kind, bytes)?;
            Ok(json!(list.iter().map(|c| json!({
                "id": c.id, "required": c.required, "signed": c.signed, "revokable": c.revokable
            })).collect::<Vec<_>>()))
        }
        "product" => {
            let p: ProductDetails = decode(kind, bytes)?;
            Ok(json!({
                "handle": p.handle,
                "title": p.title,
                "variants": p.variants.iter().map(|v| json!({
                    "variant_id": v.variant_id(),
                    "available": v.available,
                    "price": v.price.as_ref().map(|a| a.to_money("USD").to_decimal_string()),
                })).collect::<Vec<_>>(),
            }))
        }
        "session" => {
            let s: BrowserSession = decode(kind, bytes)?;
            Ok(json!({
                "device_id": s.device_id,
                "device_created": s.device_created,
                "expires_in": s.expires_in,
                "expires": s.expires,
            }))
        }
        "error" => {
            let e = firmly_api::ApiError::from_response(0, bytes, None);
            if e.raw_code.as_deref().is_none_or(|r| r.starts_with("Http")) {
                return Err(format!("not a valid error: {}", e.message));
            }
            Ok(json!({
                "error": e.id(),
                "canonical": e.code,
                "class": e.class(),
                "status": e.status,
                "description": e.description,
            }))
        }
        other => Err(format!(
            "unknown --kind {other}: use cart, order, availability, active-carts, consents, product, session or error"
        )),
    }
}

/// Encrypts a card with a JWK (JSON) or PEM key: compact JWE, or with `per_field` the v2
/// object of `kid|base64(RSA-OAEP)` fields.
pub fn encrypt_card(
    key_text: &str,
    kid: Option<&str>,
    card: &CardDetails,
    per_field: bool,
) -> Result<String, String> {
    let key = if key_text.trim_start().starts_with('{') {
        let jwk: Value = serde_json::from_str(key_text).map_err(|e| format!("key: {e}"))?;
        let kid = jwk["kid"]
            .as_str()
            .map(String::from)
            .or(kid.map(String::from))
            .ok_or("key: the JWK has no `kid`")?;
        PaymentKey { kid, jwk }
    } else {
        let kid =
            kid.ok_or("a PEM key needs --kid (the x-firmly-kid header of the key response)")?;
        PaymentKey::from_pem(key_text, kid).map_err(|e| e.message)?
    };
    if per_field {
        let f = firmly_api::encrypt_card_per_field(&key, card, firmly_api::OaepHash::Sha1)
            .map_err(|e| e.message)?;
        let v = json!({
            "name": f.name, "number": f.number, "month": f.month, "year": f.year,
            "verification_value": f.verification_value,
        });
        serde_json::to_string_pretty(&v).map_err(|e| e.to_string())
    } else {
        firmly_api::encrypt_card_jwe(&key, card).map_err(|e| e.message)
    }
}
