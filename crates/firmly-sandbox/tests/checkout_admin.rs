//! Phase-1 slice over HTTP, continued: the payment key, card checkout and outcomes,
//! completion checks, unknown routes, admin reset and journal, shutdown, hostile input, the
//! bind refusal and every documented field of the v2 cart. (Split from `core_api.rs` to keep
//! each file short.)

mod common;

use base64::Engine;
use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";

#[tokio::test]
async fn payment_key_formats() {
    for profile in PROFILES {
        payment_key_formats_in(profile).await;
    }
}

async fn payment_key_formats_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let jwk = s.get("/api/v1/payment/key").await.body;
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["use"], "enc");
    assert_eq!(jwk["e"], "AQAB");
    let kid = jwk["kid"].as_str().expect("kid");
    assert_eq!(kid.len(), 32);
    assert!(kid.chars().all(|c| c.is_ascii_hexdigit()));
    let pem = s
        .raw(Method::GET, "/api/v1/payment/key?format=PEM", None, &[])
        .await;
    assert_eq!(pem.headers["x-firmly-kid"], kid);
    assert!(pem
        .body
        .as_str()
        .expect("pem")
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    let rsa = s
        .raw(Method::GET, "/api/v1/payment/key?format=RSA", None, &[])
        .await;
    assert!(rsa
        .body
        .as_str()
        .expect("rsa")
        .starts_with("-----BEGIN RSA PUBLIC KEY-----"));
}

#[tokio::test]
async fn card_checkout_places_order_and_starts_new_cart() {
    let s = Sbx::new().await;
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.ship_to(LUMA).await;
    let cart_id = c["cart_id"].clone();
    s.grant_required_consents(LUMA).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let o = &r.body;
    assert_eq!(o["cart_status"], "submitted");
    assert_eq!(o["platform_order_number"], "SBX-1001");
    assert!(o["submitted_at"].is_string());
    assert!(o["urls"]["thank_you_page"]
        .as_str()
        .expect("url")
        .starts_with(&s.base));
    assert_eq!(o["payment_method"]["payment_type"], "CreditCard");
    assert_eq!(o["payment_method"]["last_four"], "1111");
    assert_eq!(o["payment_method"]["month"], 8);
    assert_eq!(o["payment_method"]["year"], 2030);
    assert_eq!(o["payment_method"]["card_type"], "visa");
    assert_eq!(o["billing_info"]["city"], "Seattle");
    assert!(!o.to_string().contains("4111111111111111"));
    assert_totals_v1(o);

    // Until the next change the submitted cart stays readable (order reconciliation).
    let again = s.cart(LUMA).await;
    assert_eq!(again["cart_id"], cart_id);
    assert_eq!(again["cart_status"], "submitted");
    assert_eq!(again["platform_order_number"], "SBX-1001");
    let v1 = s
        .ok(Method::GET, &format!("/api/v1/domains/{LUMA}/cart"), None)
        .await;
    assert_eq!(v1["cart_status"], "submitted");
    let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
    assert_eq!(active["carts"], json!([]), "submitted carts are not active");
    let consents = s
        .ok(
            Method::GET,
            &format!("/api/v1/domains/{LUMA}/cart/consents"),
            None,
        )
        .await;
    assert!(consents
        .as_array()
        .expect("c")
        .iter()
        .all(|c| c["signed"] == false));
    // Changes that need an open cart find none; the submitted cart stays readable.
    let r = s
        .post(
            &format!("/api/v2/domains/{LUMA}/cart/shipping-info"),
            address(),
        )
        .await;
    assert_eq!(r.error_id(), "ErrorCartNotFound");
    assert_eq!(s.cart(LUMA).await["cart_status"], "submitted");
    // The next change starts a new, empty cart.
    let next = s.add(LUMA, "WS12-M-Blue", 1).await;
    assert_ne!(next["cart_id"], cart_id);
    assert_eq!(next["line_items"].as_array().expect("l").len(), 1);
    assert_eq!(next["cart_status"], "active");
    assert_eq!(next["shipping_info"], Value::Null);
    assert_eq!(next["payment_handle"], Value::Null);

    let orders = s.get("/__sandbox/orders").await.body;
    assert_eq!(orders[0]["order_number"], "SBX-1001");
    assert_eq!(orders[0]["domain"], LUMA);
    assert_eq!(orders[0]["cart_id"], cart_id);
    assert_eq!(orders[0]["total"], "63.87");
    assert_eq!(orders[0]["payment_type"], "CreditCard");

    // The handle is spent.
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    assert_eq!(
        s.get("/__sandbox/orders")
            .await
            .body
            .as_array()
            .expect("o")
            .len(),
        1
    );
    let thanks = reqwest::get(o["urls"]["thank_you_page"].as_str().expect("u"))
        .await
        .expect("page");
    assert_eq!(thanks.status(), 200);
}

#[tokio::test]
async fn card_outcomes() {
    for profile in PROFILES {
        card_outcomes_in(profile).await;
    }
}

async fn card_outcomes_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(LUMA, "WS12-S-Orange", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    for (number, id) in [
        ("4000000000000002", "CreditCardDeclined"),
        ("4000000000009995", "CreditCardInsufficientFunds"),
        ("4111111111111112", "CreditCardInvalidNumber"),
    ] {
        let r = s.pay_card(&c, number).await;
        assert_eq!((r.status, r.error_id()), (422, id.to_string()), "{number}");
    }
    let pay = |card: Value| {
        let c = c.clone();
        let s = &s;
        async move {
            let jwe = s.encrypt_card(card, "RSA-OAEP-256").await;
            s.post(
                "/api/v3/payment/complete-order",
                json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe }),
            )
            .await
        }
    };
    let r = pay(card("4111111111111111", "01", "2020", "123")).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "CreditCardInvalidExpiry")
    );
    let r = pay(card("4111111111111111", "01", "2031", "12")).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "CreditCardInvalidSecurityCode")
    );
    let r = pay(card("378282246310005", "01", "2031", "123")).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "CreditCardInvalidSecurityCode")
    );
    // Unknown kid.
    let jwk = s.get("/api/v1/payment/key").await.body;
    let jwe = encrypt_with(
        &jwk,
        "0123456789abcdef0123456789abcdef",
        card("4111111111111111", "01", "2031", "123"),
        "RSA-OAEP-256",
    );
    let r = s
        .post(
            "/api/v3/payment/complete-order",
            json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (409, "InvalidKey"));
    // Wrong handle, missing billing.
    let jwe = s
        .encrypt_card(
            card("4111111111111111", "01", "2031", "123"),
            "RSA-OAEP-256",
        )
        .await;
    let r = s
        .post(
            "/api/v3/payment/complete-order",
            json!({ "handle": "nope|AAAA", "billing_info": address(), "encrypted_card": jwe }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    let r = s
        .post(
            "/api/v3/payment/complete-order",
            json!({ "handle": c["payment_handle"], "encrypted_card": jwe }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    let r = s
        .post("/api/v3/payment/complete-order", json!({ "handle": 1 }))
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
    // RSA-OAEP (SHA-1) is accepted too; nothing was charged before.
    let r = pay(card("4111 1111 1111 1111", "12", "2031", "123")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        s.get("/__sandbox/orders")
            .await
            .body
            .as_array()
            .expect("o")
            .len(),
        1
    );
}

#[tokio::test]
async fn completion_requires_items_and_shipping() {
    for profile in PROFILES {
        completion_requires_items_and_shipping_in(profile).await;
    }
}

async fn completion_requires_items_and_shipping_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(LUMA, "MH07-S-Gray", 1).await;
    let c = s.ship_to(LUMA).await;
    // Removing the item after shipping info leaves the handle but no items.
    s.ok(
        Method::DELETE,
        &format!("/api/v2/domains/{LUMA}/cart/line-items"),
        None,
    )
    .await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "NoLineItemError"));
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    for profile in PROFILES {
        unknown_routes_and_methods_in(profile).await;
    }
}

async fn unknown_routes_and_methods_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s.get("/api/v9/nothing").await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "RouteNotFound"));
    assert!(r.headers.contains_key("cf-ray"));
    let r = s.call(Method::PATCH, "/api/v1/browser-session", None).await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "RouteNotFound"));
}

#[tokio::test]
async fn admin_reset_orders_and_journal() {
    for profile in PROFILES {
        admin_reset_orders_and_journal_in(profile).await;
    }
}

async fn admin_reset_orders_and_journal_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(LUMA, "MH07-M-Black", 1).await;
    let journal = s.get("/__sandbox/requests").await.body;
    let entries = journal.as_array().expect("journal");
    let add = entries
        .iter()
        .find(|e| e["path"] == format!("/api/v2/domains/{LUMA}/cart/line-items"))
        .expect("journaled");
    assert_eq!(add["method"], "POST");
    assert_eq!(add["status"], 200);
    assert!(add["duration_ms"].is_u64());
    assert!(!journal.to_string().contains("MH07-M-Black"));
    let r = s.admin(Method::POST, "/__sandbox/reset", None).await;
    assert_eq!(r.status, 200);
    // The token still verifies, but the device is gone.
    let r = s.get(&format!("/api/v2/domains/{LUMA}/cart")).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "UnregisteredDevice")
    );
    assert_eq!(s.get("/__sandbox/orders").await.body, json!([]));
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let s = Sbx::new().await;
    let base = s.base.clone();
    s.handle.expect("owns the server").shutdown().await;
    assert!(reqwest::get(format!("{base}/__sandbox/orders"))
        .await
        .is_err());
}

#[tokio::test]
async fn hostile_input_gets_envelopes_not_500s() {
    for profile in PROFILES {
        hostile_input_gets_envelopes_not_500s_in(profile).await;
    }
}

async fn hostile_input_gets_envelopes_not_500s_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s.get("/api/v2/domains/%FF%FE/cart").await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorBadRequest"));
    let r = s
        .post(
            &format!("/api/v2/domains/{LUMA}/cart/line-items"),
            json!({ "variant_id": "MH07-M-Black", "quantity": 9_000_000_000_000_000_000i64 }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ExceedMaxQtyCart"));
    s.add(LUMA, "MH07-M-Black", 999).await;
    let r = s
        .post(
            &format!("/api/v2/domains/{LUMA}/cart/line-items"),
            json!({ "variant_id": "MH07-M-Black", "quantity": 1 }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ExceedMaxQtyCart"));
    let mut a = address();
    a["postal_code"] = json!("98é01");
    let r = s
        .post(&format!("/api/v2/domains/{LUMA}/cart/shipping-info"), a)
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidShippingInfo")
    );
    let r = s
        .raw(
            Method::POST,
            "/__sandbox/clock",
            Some(json!({ "advance_seconds": i64::MAX }).to_string()),
            &[],
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
    let big = "x".repeat(3 * 1024 * 1024);
    let r = s
        .raw(
            Method::POST,
            &format!("/api/v2/domains/{LUMA}/cart/line-items"),
            Some(big),
            &[("x-firmly-authorization", s.token.as_str())],
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    assert_eq!(s.cart(LUMA).await["line_items"][0]["quantity"], 999);
}

#[tokio::test]
async fn a_wildcard_bind_needs_allow_remote() {
    // Refused before anything is bound (tests never listen beyond loopback).
    let e = firmly_sandbox::start(firmly_sandbox::SandboxConfig {
        host: "0.0.0.0".parse().expect("ip"),
        ..firmly_sandbox::SandboxConfig::default()
    })
    .await
    .err()
    .expect("refused");
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("allow_remote"), "{e}");
}

#[tokio::test]
async fn cart_v2_carries_every_documented_field() {
    for profile in PROFILES {
        cart_v2_carries_every_documented_field_in(profile).await;
    }
}

async fn cart_v2_carries_every_documented_field_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add("homegoods.test", "HG-SOFA-01-Slate", 1).await;
    let c = s.ship_to("homegoods.test").await;
    for k in [
        "cart_id",
        "platform_id",
        "shop_id",
        "display_name",
        "cart_status",
        "schema_version",
        "line_items",
        "shipments",
        "sub_total",
        "shipping_total",
        "tax_total",
        "addon_total",
        "discount_total",
        "cart_discount",
        "total",
        "promo_codes",
        "coupons",
        "addons",
        "shipping_info",
        "billing_info",
        "payment_handle",
        "payment_method_options",
        "session",
        "shop_properties",
        "notices",
        "urls",
        "shipping_method_options",
        "shipping_method",
    ] {
        assert!(c.get(k).is_some(), "cart lacks {k}");
    }
    for k in [
        "line_item_id",
        "platform_line_item_id",
        "sku",
        "variant_id",
        "base_sku",
        "description",
        "variant_description",
        "quantity",
        "price",
        "line_price",
        "msrp",
        "image",
        "requires_shipping",
        "discounts",
    ] {
        assert!(c["line_items"][0].get(k).is_some(), "line item lacks {k}");
    }
    assert!(c["line_items"][0]["image"]["url"].is_string());
    assert!(c["line_items"][0]["image"]["alt"].is_string());
    for k in [
        "shipment_id",
        "fulfillment_type",
        "fulfillment_type_options",
        "line_item_ids",
        "shipping_method_options",
        "shipping_method",
        "selected_location",
        "selected_date",
        "selected_time_slot",
        "notes",
        "discounts",
    ] {
        assert!(c["shipments"][0].get(k).is_some(), "shipment lacks {k}");
    }
    for k in ["id", "description", "price", "estimated_delivery"] {
        assert!(
            c["shipments"][0]["shipping_method"].get(k).is_some(),
            "method lacks {k}"
        );
    }
    for k in [
        "requires_login",
        "is_email_registered",
        "is_logged_in",
        "cookies",
    ] {
        assert!(c["session"].get(k).is_some(), "session lacks {k}");
    }
    assert!(c["shop_properties"]["optional_fields"].is_object());
    assert!(c["shop_properties"]["paypal"].is_object());
    assert!(c["addons"]["offers"].is_array() && c["addons"]["selections"].is_array());
    for k in ["type", "wallet"] {
        assert!(c["payment_method_options"][0].get(k).is_some());
    }
    let handle = c["payment_handle"].as_str().expect("handle");
    let (uuid, b64) = handle.split_once('|').expect("uuid|base64");
    assert_eq!(uuid.len(), 36);
    assert!(base64::engine::general_purpose::STANDARD
        .decode(b64)
        .is_ok());
}
