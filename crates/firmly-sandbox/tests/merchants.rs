//! Merchant-specific behaviour: billing info, notices, stock, login-required merchants.

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn billing_info_v2() {
    for profile in PROFILES {
        billing_info_v2_in(profile).await;
    }
}

async fn billing_info_v2_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let d = "staging.luma.gift";
    s.add(d, "MH07-M-Black", 1).await;
    let path = format!("/api/v2/domains/{d}/cart/billing-info");
    let mut a = address();
    a["city"] = json!("Portland");
    a["state_or_province"] = json!("OR");
    a["postal_code"] = json!("97201");
    let c = s.ok(Method::PUT, &path, Some(a.clone())).await;
    assert_eq!(c["billing_info"]["city"], "Portland");
    assert_eq!(c["billing_info"]["state_name"], "Oregon");
    assert_eq!(c["shipping_info"], serde_json::Value::Null);
    a["country"] = json!("DE");
    let r = s.post(&path, a.clone()).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorCountryNotSupported")
    );
    a["country"] = json!("CA");
    a["state_or_province"] = json!("OR");
    let r = s.post(&path, a.clone()).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidState")
    );
    a["state_or_province"] = json!("BC");
    a["postal_code"] = json!("V6B 1A1");
    let c = s.ok(Method::POST, &path, Some(a)).await;
    assert_eq!(c["billing_info"]["state_name"], "British Columbia");
    assert_eq!(c["billing_info"]["country"], "CA");
}

#[tokio::test]
async fn gadgets_notices_and_stock() {
    for profile in PROFILES {
        gadgets_notices_and_stock_in(profile).await;
    }
}

async fn gadgets_notices_and_stock_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let g = "gadgets.test";
    let c = s.add(g, "GAD-SPK-01", 1).await;
    let n = &c["notices"][0];
    assert_eq!(n["code"], "PRICE_INCREASED");
    assert_eq!(n["severity"], "warning");
    assert_eq!(n["item_id"], c["line_items"][0]["line_item_id"]);
    assert!(n["details"]["description"]
        .as_str()
        .expect("d")
        .contains("89.00"));
    let p = s
        .ok(
            Method::GET,
            "/api/v1/domains-products/gadgets.test/retro-console",
            None,
        )
        .await;
    assert_eq!(p["variants"][0]["available"], false);
    let r = s
        .post(
            "/api/v2/domains/gadgets.test/cart/line-items",
            json!({ "variant_id": "GAD-RETRO-01", "quantity": 1 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorNotEnoughStock")
    );
    let c = s.add(g, "GAD-HUB-01", 2).await;
    let hub = c["line_items"][1]["line_item_id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = s
        .post(
            &format!("/api/v2/domains/{g}/cart/line-items/{hub}"),
            json!({ "quantity": 3 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorNotEnoughStock")
    );
    let r = s
        .post(
            &format!("/api/v2/domains/{g}/cart/line-items/{hub}"),
            json!({ "quantity": -1 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorInvalidQuantity")
    );
}

#[tokio::test]
async fn members_requires_login() {
    for profile in PROFILES {
        members_requires_login_in(profile).await;
    }
}

async fn members_requires_login_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let m = "members.test";
    let c = s.add(m, "MEM-TOTE-01", 1).await;
    assert_eq!(c["session"]["requires_login"], true);
    assert_eq!(c["session"]["is_logged_in"], false);
    assert_eq!(c["session"]["is_email_registered"], false);
    assert_eq!(
        c["shop_properties"]["optional_fields"]["billing_phone"],
        true
    );
    let kinds: Vec<&str> = c["payment_method_options"]
        .as_array()
        .expect("pm")
        .iter()
        .map(|p| p["type"].as_str().expect("t"))
        .collect();
    // No new-card entry on members.test; the locked Shop Pay wallet is advertised.
    assert_eq!(kinds, vec!["PayPal", "ShopPay"]);
    let mut a = address();
    a["email"] = json!("member@example.com");
    let c = s
        .ok(
            Method::POST,
            &format!("/api/v2/domains/{m}/cart/shipping-info"),
            Some(a),
        )
        .await;
    assert_eq!(c["session"]["is_email_registered"], true);
    assert_eq!(c["shipping_method"]["id"], "MEMBER_FREE");
    s.grant_required_consents(m).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (409, "UserMustLogin"));
}

#[tokio::test]
async fn limited_stock_runs_down_with_orders() {
    for profile in PROFILES {
        limited_stock_runs_down_with_orders_in(profile).await;
    }
}

async fn limited_stock_runs_down_with_orders_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let other = Sbx::new_device(&s).await;
    let g = "gadgets.test";
    other.add(g, "GAD-HUB-01", 1).await;
    s.add(g, "GAD-HUB-01", 2).await;
    let c = s.ship_to(g).await;
    s.grant_required_consents(g).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = s
        .ok(
            Method::GET,
            "/api/v1/domains-products/gadgets.test/usb-c-hub",
            None,
        )
        .await;
    assert_eq!(p["variants"][0]["available"], false);
    let r = s
        .post(
            "/api/v2/domains/gadgets.test/cart/line-items",
            json!({ "variant_id": "GAD-HUB-01", "quantity": 1 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorNotEnoughStock")
    );
    // The other shopper's cart now carries an out-of-stock notice and cannot be completed.
    let c = other.ship_to(g).await;
    assert!(c["notices"]
        .as_array()
        .expect("n")
        .iter()
        .any(|n| n["code"] == "ITEM_OUT_OF_STOCK" && n["severity"] == "error"));
    other.grant_required_consents(g).await;
    let r = other.pay_card(&c, "4111111111111111").await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (409, "NotEnoughStockError")
    );
}

#[tokio::test]
async fn product_from_pdp_url() {
    for profile in PROFILES {
        product_from_pdp_url_in(profile).await;
    }
}

async fn product_from_pdp_url_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let p = s
        .ok(
            Method::GET,
            "/api/v1/domains-pdp?url=https%3A%2F%2Fstaging.luma.gift%2Fproducts%2Fhero-hoodie%3Fcolor%3Dblack",
            None,
        )
        .await;
    assert_eq!(p["handle"], "hero-hoodie");
    let r = s.get("/api/v1/domains-pdp?url=nonsense").await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "InvalidUrl"));
    let r = s
        .get("/api/v1/domains-pdp?url=https://shop.example/products/x")
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ProductUrlNotImplemented")
    );
    let r = s
        .get("/api/v1/domains-pdp?url=https://staging.luma.gift/products/none")
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "ProductNotFound"));
}

#[tokio::test]
async fn idle_carts_expire_on_the_sandbox_clock() {
    for profile in PROFILES {
        idle_carts_expire_on_the_sandbox_clock_in(profile).await;
    }
}

async fn idle_carts_expire_on_the_sandbox_clock_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let c = s.add("staging.luma.gift", "MH07-M-Black", 1).await;
    // Eight days later: the token has expired too, so renew it first.
    s.raw(
        Method::POST,
        "/__sandbox/clock",
        Some(json!({ "advance_seconds": 8 * 86_400 }).to_string()),
        &[],
    )
    .await;
    let r = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            Some(json!({ "access_token": s.token }).to_string()),
            &[("x-firmly-app-id", "sandbox-app")],
        )
        .await;
    assert_eq!(
        r.body["device_created"], true,
        "beyond the 7-day renewal window"
    );
    let r = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            None,
            &[
                ("x-firmly-app-id", "sandbox-app"),
                ("cookie", &format!("fsession_v2={}", s.token)),
            ],
        )
        .await;
    assert_eq!(r.body["device_created"], true);
    let fresh = Sbx::new_device(&s).await;
    let r = fresh.get("/api/v2/domains/staging.luma.gift/cart").await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorCartNotFound")
    );
    let active = fresh.ok(Method::GET, "/api/v2/carts/active", None).await;
    assert_eq!(active["carts"], json!([]));
    let c2 = fresh.add("staging.luma.gift", "MH07-M-Black", 1).await;
    assert_ne!(c2["cart_id"], c["cart_id"]);
}

#[tokio::test]
async fn cookie_renewal_keeps_the_device() {
    for profile in PROFILES {
        cookie_renewal_keeps_the_device_in(profile).await;
    }
}

async fn cookie_renewal_keeps_the_device_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s
        .raw(
            Method::POST,
            "/api/v1/browser-session",
            None,
            &[
                ("x-firmly-app-id", "sandbox-app"),
                ("cookie", &format!("a=b; fsession_v2={}", s.token)),
            ],
        )
        .await;
    assert_eq!(r.body["device_created"], false);
    assert_eq!(r.body["device_id"], s.device_id.as_str());
}
