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
