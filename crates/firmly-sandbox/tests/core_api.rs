//! Phase-1 slice over HTTP: sessions, catalog, v2 cart, shipping info, vault, errors, admin.

mod common;

use base64::Engine;
use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";

fn jwt_claims(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("b64");
    serde_json::from_slice(&bytes).expect("claims")
}

#[tokio::test]
async fn browser_session_issues_and_renews_tokens() {
    for profile in PROFILES {
        browser_session_issues_and_renews_tokens_in(profile).await;
    }
}

async fn browser_session_issues_and_renews_tokens_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s.session().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["device_created"], true);
    assert_eq!(r.body["expires_in"], 3600);
    let token = r.body["access_token"].as_str().expect("token");
    let claims = jwt_claims(token);
    assert_eq!(claims["iss"], "identity");
    assert_eq!(claims["appid"], "sandbox-app");
    assert_eq!(claims["deviceid"], r.body["device_id"]);
    assert_eq!(claims["exp"], r.body["expires"]);
    assert_eq!(
        claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"),
        3600
    );
    let ray = r.headers["cf-ray"].to_str().expect("ray");
    assert!(ray.ends_with("-SBX") && ray.len() == 20, "{ray}");

    let renewed = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            Some(json!({ "access_token": s.token }).to_string()),
            &[("x-firmly-app-id", "6f1c1e0a-7b7e-4c55-9a53-0f5d1a6f3d11")],
        )
        .await;
    assert_eq!(renewed.status, 200);
    assert_eq!(renewed.body["device_created"], false);
    assert_eq!(renewed.body["device_id"], s.device_id.as_str());
}

#[tokio::test]
async fn browser_session_app_id_errors() {
    for profile in PROFILES {
        browser_session_app_id_errors_in(profile).await;
    }
}

async fn browser_session_app_id_errors_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s
        .raw(Method::POST, "/api/v1/browser-session", None, &[])
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "MissingAppId"));
    let r = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            None,
            &[("x-firmly-app-id", "not-an-app")],
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "InvalidAppId"));
    let r = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            Some("{not json".into()),
            &[("x-firmly-app-id", "sandbox-app")],
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
}

#[tokio::test]
async fn device_auth_headers_and_expiry() {
    for profile in PROFILES {
        device_auth_headers_and_expiry_in(profile).await;
    }
}

async fn device_auth_headers_and_expiry_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let path = format!("/api/v2/domains/{LUMA}/cart");
    s.add(LUMA, "MH07-M-Black", 1).await;
    let r = s.raw(Method::GET, &path, None, &[]).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "MissingAuthHeader")
    );
    let r = s
        .raw(
            Method::GET,
            &path,
            None,
            &[("x-firmly-authorization", "abc.def.ghi")],
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));
    let bearer = format!("Bearer {}", s.token);
    let r = s
        .raw(
            Method::GET,
            &path,
            None,
            &[("authorization", bearer.as_str())],
        )
        .await;
    assert_eq!(r.status, 200);
    let r = s
        .raw(
            Method::GET,
            &path,
            None,
            &[("x-firmly-authentication", s.token.as_str())],
        )
        .await;
    assert_eq!(r.status, 200);

    // Expire the token on the sandbox clock, then renew it within the week.
    let r = s
        .raw(
            Method::POST,
            "/__sandbox/clock",
            Some(json!({ "advance_seconds": 3601 }).to_string()),
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    let r = s.get(&path).await;
    assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));
    let renewed = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            Some(json!({ "access_token": s.token }).to_string()),
            &[("x-firmly-app-id", "sandbox-app")],
        )
        .await;
    assert_eq!(renewed.body["device_id"], s.device_id.as_str());
    let token = renewed.body["access_token"].as_str().expect("token");
    let r = s
        .raw(
            Method::GET,
            &path,
            None,
            &[("x-firmly-authorization", token)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["line_items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn catalog_lists_products_with_served_images() {
    for profile in PROFILES {
        catalog_lists_products_with_served_images_in(profile).await;
    }
}

async fn catalog_lists_products_with_served_images_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    for domain in [LUMA, "homegoods.test", "gadgets.test", "members.test"] {
        let list = s
            .ok(
                Method::GET,
                &format!("/api/v1/domains-products/{domain}"),
                None,
            )
            .await;
        assert!(!list.as_array().expect("list").is_empty(), "{domain}");
    }
    let list = s
        .raw(
            Method::GET,
            &format!("/api/v1/domains-products/{LUMA}"),
            None,
            &[("x-firmly-app-id", "sandbox-app")],
        )
        .await;
    assert_eq!(list.status, 200);
    let hoodie = list
        .body
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["handle"] == "hero-hoodie")
        .expect("hoodie")
        .clone();
    assert!(hoodie["loc"]
        .as_str()
        .expect("loc")
        .ends_with("/hero-hoodie"));
    assert!(hoodie["pdp_url"].is_string());
    let img = hoodie["image"]["url"].as_str().expect("url");
    let resp = reqwest::get(img).await.expect("image");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    assert!(resp.text().await.expect("svg").starts_with("<svg"));

    let p = s
        .ok(
            Method::GET,
            &format!("/api/v1/domains-products/{LUMA}/hero-hoodie"),
            None,
        )
        .await;
    assert_eq!(p["title"], "Hero Hoodie");
    assert_eq!(p["variant_option_values"][0]["display_name"], "Size");
    let v = p["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .find(|v| v["sku"] == "MH07-M-Black")
        .expect("variant");
    assert_eq!(
        v["add_to_cart_payload"],
        json!({ "variant_id": "MH07-M-Black", "quantity": 1 })
    );
    assert_eq!(v["price"]["number"], 5400);
    assert_eq!(v["variant_option_list"], json!(["M", "Black"]));
    assert_eq!(v["available"], true);
    assert!(v["images"][0]["url"].is_string());
    let tee = s
        .ok(
            Method::GET,
            &format!("/api/v1/domains-products/{LUMA}/radiant-tee"),
            None,
        )
        .await;
    assert!(tee["variants"]
        .as_array()
        .expect("v")
        .iter()
        .all(|v| v["sku"].as_str().expect("sku").starts_with("WS12-")));

    let r = s
        .get(&format!("/api/v1/domains-products/{LUMA}/no-such-thing"))
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "ProductNotFound"));
    let r = s
        .raw(
            Method::GET,
            &format!("/api/v1/domains-products/{LUMA}"),
            None,
            &[],
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "MissingAuthHeader")
    );
}

#[tokio::test]
async fn no_cart_for_new_device_then_an_emptied_cart_and_trailing_slash() {
    for profile in PROFILES {
        no_cart_for_new_device_then_an_emptied_cart_and_trailing_slash_in(profile).await;
    }
}

async fn no_cart_for_new_device_then_an_emptied_cart_and_trailing_slash_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    for path in [
        format!("/api/v2/domains/{LUMA}/cart"),
        format!("/api/v2/domains/{LUMA}/cart/"),
    ] {
        let r = s.get(&path).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "ErrorCartNotFound")
        );
    }
    let r = s.get(&format!("/api/v1/domains/{LUMA}/cart/")).await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "CartNotFound"));
    // An emptied cart still exists.
    let added = s.add(LUMA, "MH07-M-Black", 1).await;
    s.ok(
        Method::DELETE,
        &format!("/api/v2/domains/{LUMA}/cart/line-items"),
        None,
    )
    .await;
    let c = s.cart(LUMA).await;
    assert_eq!(c["cart_id"], added["cart_id"]);
    assert_eq!(c["cart_status"], "active");
    assert_eq!(c["schema_version"], "2.0");
    assert_eq!(c["line_items"], json!([]));
    assert_eq!(c["shipments"], json!([]));
    assert_eq!(c["shipping_info"], Value::Null);
    assert_eq!(c["total"]["number"], 0);
    assert_totals(&c);
    let again = s
        .ok(Method::GET, &format!("/api/v2/domains/{LUMA}/cart/"), None)
        .await;
    assert_eq!(again["cart_id"], c["cart_id"]);
}

#[tokio::test]
async fn add_update_remove_and_clear_line_items() {
    for profile in PROFILES {
        add_update_remove_and_clear_line_items_in(profile).await;
    }
}

async fn add_update_remove_and_clear_line_items_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let c = s.add(LUMA, "MH07-M-Black", 1).await;
    assert_eq!(c["line_items"][0]["sku"], "MH07-M-Black");
    assert_eq!(c["line_items"][0]["variant_id"], "MH07-M-Black");
    assert_eq!(c["line_items"][0]["base_sku"], "MH07");
    assert_eq!(c["line_items"][0]["description"], "Hero Hoodie");
    assert_eq!(c["line_items"][0]["variant_description"], "Black / M");
    assert_eq!(c["line_items"][0]["requires_shipping"], true);
    assert_eq!(c["line_items"][0]["discounts"], json!([]));
    assert_eq!(c["shipments"].as_array().expect("s").len(), 1);
    assert_eq!(
        c["shipments"][0]["fulfillment_type"]["id"],
        "SHIP_TO_ADDRESS"
    );
    assert_eq!(c["shipments"][0]["shipping_method"], Value::Null);
    assert_eq!(
        c["shipments"][0]["line_item_ids"][0],
        c["line_items"][0]["line_item_id"]
    );
    assert_totals(&c);
    // Adding the same variant merges.
    let c = s.add(LUMA, "MH07-M-Black", 2).await;
    assert_eq!(c["line_items"].as_array().expect("l").len(), 1);
    assert_eq!(c["line_items"][0]["quantity"], 3);
    assert_eq!(c["sub_total"]["number"], 3 * 5400);
    let c = s.add(LUMA, "WS12-M-Blue", 1).await;
    let tee = c["line_items"][1]["line_item_id"]
        .as_str()
        .expect("id")
        .to_string();
    let path = format!("/api/v2/domains/{LUMA}/cart/line-items/{tee}");
    let c = s
        .ok(Method::PUT, &path, Some(json!({ "quantity": 4 })))
        .await;
    assert_eq!(c["line_items"][1]["quantity"], 4);
    assert_totals(&c);
    let c = s
        .ok(Method::POST, &path, Some(json!({ "quantity": 0 })))
        .await;
    assert_eq!(c["line_items"].as_array().expect("l").len(), 1);
    let r = s.post(&path, json!({ "quantity": 1 })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorLineItemNotFound")
    );

    // flush_cart replaces the contents.
    let c = s
        .ok(
            Method::POST,
            &format!("/api/v2/domains/{LUMA}/cart/line-items?flush_cart=true"),
            Some(json!({ "variant_id": "24-MB02", "quantity": 1 })),
        )
        .await;
    assert_eq!(c["line_items"].as_array().expect("l").len(), 1);
    assert_eq!(c["line_items"][0]["sku"], "24-MB02");

    let cart_id = c["cart_id"].clone();
    let c = s
        .ok(
            Method::DELETE,
            &format!("/api/v2/domains/{LUMA}/cart/line-items"),
            None,
        )
        .await;
    assert_eq!(c["line_items"], json!([]));
    assert_eq!(c["shipments"], json!([]));
    assert_eq!(c["cart_id"], cart_id);
    assert_eq!(c["total"]["number"], 0);
}

#[tokio::test]
async fn add_line_item_errors() {
    for profile in PROFILES {
        add_line_item_errors_in(profile).await;
    }
}

async fn add_line_item_errors_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let path = format!("/api/v2/domains/{LUMA}/cart/line-items");
    let r = s
        .post(&path, json!({ "variant_id": "NOPE-1", "quantity": 1 }))
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorProductNotFound")
    );
    let r = s
        .post(
            &path,
            json!({ "variant_id": "MH07-M-Black", "quantity": "lots" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    let r = s.post(&path, json!({ "quantity": 1 })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    let r = s
        .raw(
            Method::POST,
            &path,
            Some("{\"variant_id\": ".into()),
            &[("x-firmly-authorization", s.token.as_str())],
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    let r = s
        .post(
            &path,
            json!({ "variant_id": "MH07-M-Black", "quantity": 0 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    // Sold-out variant and limited stock.
    let r = s
        .post(
            &path,
            json!({ "variant_id": "MH07-XL-Green", "quantity": 1 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorNotEnoughStock")
    );
    let g = "/api/v2/domains/gadgets.test/cart/line-items";
    let r = s
        .post(g, json!({ "variant_id": "GAD-HUB-01", "quantity": 3 }))
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorNotEnoughStock")
    );
    s.add("gadgets.test", "GAD-HUB-01", 2).await;
    let r = s
        .post(g, json!({ "variant_id": "GAD-HUB-01", "quantity": 1 }))
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorNotEnoughStock")
    );
    let r = s
        .post(
            "/api/v2/domains/unknown.example/cart/line-items",
            json!({ "variant_id": "X", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn shipping_info_validation() {
    for profile in PROFILES {
        shipping_info_validation_in(profile).await;
    }
}

async fn shipping_info_validation_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let path = format!("/api/v2/domains/{LUMA}/cart/shipping-info");
    let r = s.post(&path, address()).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorCartNotFound")
    );
    s.add(LUMA, "MH07-M-Black", 1).await;
    s.ok(
        Method::DELETE,
        &format!("/api/v2/domains/{LUMA}/cart/line-items"),
        None,
    )
    .await;
    let r = s.post(&path, address()).await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorNoLineItem"));
    s.add(LUMA, "MH07-M-Black", 1).await;
    let cases = [
        ("city", json!(""), "ErrorInvalidShippingInfo"),
        ("email", json!("not-an-email"), "ErrorInvalidEmail"),
        ("country", json!("FR"), "ErrorCountryNotSupported"),
        ("state_or_province", json!("ZZ"), "ErrorInvalidState"),
        ("postal_code", json!("12"), "ErrorInvalidShippingInfo"),
    ];
    for (field, value, id) in cases {
        let mut a = address();
        a[field] = value;
        let r = s.post(&path, a).await;
        assert_eq!((r.status, r.error_id()), (400, id.to_string()), "{field}");
    }
    let mut a = address();
    a.as_object_mut().expect("obj").remove("phone");
    let r = s.post(&path, a).await;
    assert_eq!(r.error_id(), "ErrorInvalidShippingInfo");
    assert!(r.body["description"].as_str().expect("d").contains("phone"));
    let r = s.post(&path, json!({ "first_name": 5 })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );

    // Aliases and names are normalized; the cheapest method is selected.
    let c = s
        .ok(
            Method::PUT,
            &path,
            Some(json!({
                "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
                "phone": "+12065550100", "address_line_1": "1 Main St", "city": "Seattle",
                "state_code": "Washington", "zip": "98101", "country_code": "United States"
            })),
        )
        .await;
    let info = &c["shipping_info"];
    assert_eq!(info["address1"], "1 Main St");
    assert_eq!(info["state_or_province"], "WA");
    assert_eq!(info["state_name"], "Washington");
    assert_eq!(info["country"], "US");
    let handle = c["payment_handle"].as_str().expect("handle");
    assert!(handle.contains('|'));
    assert_eq!(
        c["shipments"][0]["shipping_method"]["id"],
        "STANDARD_GROUND"
    );
    assert_eq!(c["shipping_method"]["id"], "STANDARD_GROUND");
    assert_eq!(c["shipping_total"]["number"], 500);
    // 8.25 % of (54.00 + 5.00) = 4.8675 → 4.87
    assert_eq!(c["tax_total"]["number"], 487);
    assert_eq!(c["total"]["number"], 5400 + 500 + 487);
    assert_totals(&c);
    let kinds: Vec<&str> = c["payment_method_options"]
        .as_array()
        .expect("pm")
        .iter()
        .map(|p| p["type"].as_str().expect("t"))
        .collect();
    assert_eq!(kinds, vec!["CreditCard", "PayPal"]);
    assert_eq!(c["session"]["requires_login"], false);
    assert!(c["shop_properties"]["optional_fields"].is_object());
}

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
