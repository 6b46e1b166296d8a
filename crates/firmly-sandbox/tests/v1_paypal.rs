//! v1 endpoints on the same carts, and PayPal express checkout with the approval simulator.

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";

#[tokio::test]
async fn v1_cart_lifecycle_and_shipping() {
    for profile in PROFILES {
        v1_cart_lifecycle_and_shipping_in(profile).await;
    }
}

async fn v1_cart_lifecycle_and_shipping_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let v1 = format!("/api/v1/domains/{LUMA}/cart");
    let r = s.get(&format!("{v1}/")).await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "CartNotFound"));
    let c = s
        .ok(
            Method::POST,
            &format!("{v1}/line-items/MH07-S-Black/quantity/2"),
            None,
        )
        .await;
    assert_eq!(c["line_items"][0]["quantity"], 2);
    assert!(c.get("tax").is_some() && c.get("tax_total").is_none());
    assert_eq!(c["line_items"][0]["line_discount"]["number"], 0);
    assert_eq!(c["shipping_method"], Value::Null);
    assert_eq!(c["shipping_method_options"], json!([]));
    let r = s
        .post(&format!("{v1}/line-items/NOPE/quantity/1"), json!({}))
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "ProductNotFound"));
    let r = s
        .post(
            &format!("{v1}/line-items/MH07-XL-Green/quantity/1"),
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (409, "NotEnoughStockError")
    );
    let r = s
        .post(
            &format!("{v1}/line-items/MH07-S-Black/quantity/x"),
            json!({}),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));

    // The same cart is visible through v2.
    let v2 = s.cart(LUMA).await;
    assert_eq!(v2["cart_id"], c["cart_id"]);
    assert_eq!(v2["line_items"][0]["sku"], "MH07-S-Black");

    // Update by sku with a numeric string (C18), trailing slash and PUT.
    let c = s
        .ok(
            Method::PUT,
            &format!("{v1}/line-items/MH07-S-Black"),
            Some(json!({ "quantity": "3" })),
        )
        .await;
    assert_eq!(c["line_items"][0]["quantity"], 3);
    let r = s
        .post(
            &format!("{v1}/line-items/WS12-M-Blue/"),
            json!({ "quantity": 1 }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "ProductNotFound"));

    let r = s.get(&format!("{v1}/shipping-rates")).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (412, "MissingShippingInfo")
    );
    let r = s
        .post(
            &format!("{v1}/shipping-method"),
            json!({ "shipping_method": "OVERNIGHT" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (412, "MissingShippingInfo")
    );
    let mut bad = address();
    bad["country"] = json!("Mexico");
    let r = s.post(&format!("{v1}/shipping-info"), bad).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (412, "CountryNotSupported")
    );
    let mut bad = address();
    bad["state_or_province"] = json!("Atlantis");
    let r = s.post(&format!("{v1}/shipping-info"), bad).await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "InvalidState"));
    let mut a = address();
    a["country"] = json!("United States");
    let c = s
        .ok(Method::POST, &format!("{v1}/shipping-info"), Some(a))
        .await;
    assert_eq!(c["shipping_method"]["sku"], "STANDARD_GROUND");
    assert_eq!(c["shipping_method_options"].as_array().expect("o").len(), 3);
    assert!(c["payment_handle"].is_string());
    let rates = s
        .ok(Method::GET, &format!("{v1}/shipping-rates"), None)
        .await;
    assert_eq!(rates.as_array().expect("rates").len(), 3);
    let alias = s
        .ok(Method::GET, &format!("{v1}/shipping-method"), None)
        .await;
    assert_eq!(alias, rates);
    let r = s
        .post(
            &format!("{v1}/shipping-method"),
            json!({ "shipping_method": "TELEPORT" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "InvalidShippingMethod")
    );
    let c = s
        .ok(
            Method::POST,
            &format!("{v1}/shipping-method"),
            Some(json!({ "shipping_method": "OVERNIGHT" })),
        )
        .await;
    assert_eq!(c["shipping_method"]["sku"], "OVERNIGHT");
    assert_eq!(c["shipping_total"]["number"], 2999);
    // A chosen method survives new shipping info (C33).
    let c = s
        .ok(
            Method::POST,
            &format!("{v1}/shipping-info"),
            Some(address()),
        )
        .await;
    assert_eq!(c["shipping_method"]["sku"], "OVERNIGHT");
    assert_eq!(
        cents(&c["total"]),
        cents(&c["sub_total"]) + cents(&c["shipping_total"]) + cents(&c["tax"])
            - cents(&c["cart_discount"])
    );

    // Coupons: best valid subset.
    let r = s
        .post(
            &format!("{v1}/promo-codes"),
            json!({ "promo_codes": ["EXPIRED", "NOPE"] }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (409, "InvalidPromoCode"));
    let c = s
        .ok(
            Method::POST,
            &format!("{v1}/promo-codes"),
            Some(json!({ "promo_codes": ["EXPIRED", "save10", "FREESHIP"] })),
        )
        .await;
    assert_eq!(c["coupons"], json!(["SAVE10", "FREESHIP"]));
    assert_eq!(c["line_items"][0]["line_discount"]["number"], 1620);
    assert_eq!(c["cart_discount"]["number"], 1620 + 2999);
    assert_eq!(c["cart_discount_breakdown"].as_array().expect("b").len(), 2);
    let c = s
        .ok(Method::DELETE, &format!("{v1}/promo-codes"), None)
        .await;
    assert_eq!(c["coupons"], json!([]));

    // Attribution: wrapped and flat bodies; frozen once synced.
    let c = s
        .ok(
            Method::PUT,
            &format!("{v1}/attribution"),
            Some(json!({ "attribution": { "utm": "utm_source=x", "referral_code": "R1" } })),
        )
        .await;
    assert_eq!(c["attribution"]["utm"], "utm_source=x");
    assert_eq!(c["attribution"]["immutable"], true);
    let r = s
        .post(
            &format!("{v1}/attribution"),
            json!({ "referrer_url": "https://a.example" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "UnprocessableEntity")
    );

    let active = s.ok(Method::GET, "/api/v1/carts/active", None).await;
    assert_eq!(active["domains"], json!([LUMA]));
    assert_eq!(active["carts"][0]["cart_id"], c["cart_id"]);

    let c = s
        .ok(Method::DELETE, &format!("{v1}/line-items"), None)
        .await;
    assert_eq!(c["line_items"], json!([]));
    let active = s.ok(Method::GET, "/api/v1/carts/active", None).await;
    assert_eq!(active, json!({ "domains": [], "carts": [] }));
}

#[tokio::test]
async fn v1_attribution_flat_before_shipping() {
    for profile in PROFILES {
        v1_attribution_flat_before_shipping_in(profile).await;
    }
}

async fn v1_attribution_flat_before_shipping_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let v1 = format!("/api/v1/domains/{LUMA}/cart");
    s.add(LUMA, "24-MB02", 1).await;
    let c = s
        .ok(
            Method::POST,
            &format!("{v1}/attribution"),
            Some(json!({ "utm": "utm_campaign=fall", "referrer_url": "https://ref.example" })),
        )
        .await;
    assert_eq!(c["attribution"]["referrer_url"], "https://ref.example");
    assert_eq!(c["attribution"]["immutable"], false);
    let c = s
        .ok(
            Method::PUT,
            &format!("{v1}/attribution"),
            Some(json!({ "attribution": { "referral_code": "FRIEND" } })),
        )
        .await;
    assert_eq!(c["attribution"]["referral_code"], "FRIEND");
}

#[tokio::test]
async fn paypal_express_checkout() {
    for profile in PROFILES {
        paypal_express_checkout_in(profile).await;
    }
}

async fn paypal_express_checkout_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let pp = format!("/api/v1/domains/{LUMA}/express/paypal");
    for step in ["start", "authorize", "complete-order"] {
        let r = s.post(&format!("{pp}/{step}"), json!({})).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "CartNotFound"),
            "{step}"
        );
    }
    s.add(LUMA, "WS12-L-Blue", 1).await;
    s.ok(
        Method::DELETE,
        &format!("/api/v2/domains/{LUMA}/cart/line-items"),
        None,
    )
    .await;
    let r = s.post(&format!("{pp}/start"), json!({})).await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "NoLineItemError"));
    s.add(LUMA, "WS12-L-Blue", 1).await;
    let r = s
        .post(
            &format!("{pp}/authorize"),
            json!({ "attributes": { "payer_id": "P1" } }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorStartExpressCheckout")
    );
    let r = s.post(&format!("{pp}/complete-order"), json!({})).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorSubmitExpressCheckout")
    );

    let c = s.ok(Method::POST, &format!("{pp}/start"), None).await;
    let pm = &c["payment_method"];
    assert_eq!(pm["type"], "PayPal");
    assert_eq!(pm["payment_type"], "PayPal");
    let token = pm["attributes"]["paypal_token"]
        .as_str()
        .expect("token")
        .to_string();
    assert!(token.starts_with("EC-"));
    assert_eq!(pm["attributes"]["token"], token.as_str());
    assert_eq!(pm["attributes"]["sandbox"], true);
    assert_eq!(pm["attributes"]["requires_review"], false);
    // The return page: the sandbox's own in demo, a merchant URL (not served) in docs.
    let redirect = match profile {
        Profile::Demo => format!("{}/__sandbox/paypal/return", s.base),
        Profile::Docs => format!("https://{LUMA}/checkout/paypal/return"),
    };
    assert_eq!(pm["attributes"]["redirect_url"], redirect.as_str());
    let url = pm["attributes"]["url"].as_str().expect("url");
    assert_eq!(
        url,
        format!("{}/__sandbox/paypal/checkoutnow?token={token}", s.base)
    );

    let page = reqwest::get(url)
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("id=\"paypal-approve\"") && page.contains("id=\"paypal-cancel\""));
    let approve = page
        .split("data-testid=\"paypal-approve\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("approve link")
        .replace("&amp;", "&");
    assert!(approve.starts_with(&format!("{redirect}?token=")));
    let payer = approve.split("PayerID=").nth(1).expect("payer").to_string();
    assert!(page.contains(&format!("token={token}&amp;cancel=1")));
    let missing = reqwest::get(format!(
        "{}/__sandbox/paypal/checkoutnow?token=EC-NOPE",
        s.base
    ))
    .await
    .expect("page");
    assert_eq!(missing.status(), 404);

    let r = s
        .post(&format!("{pp}/authorize"), json!({ "attributes": {} }))
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "BadRequest"));
    let c = s
        .ok(
            Method::POST,
            &format!("{pp}/authorize"),
            Some(json!({ "attributes": { "payer_id": payer } })),
        )
        .await;
    assert_eq!(
        c["payment_method"]["attributes"]["payer_id"],
        payer.as_str()
    );
    assert_eq!(c["shipping_info"]["email"], "buyer@paypal.sandbox");
    assert_eq!(c["shipping_method"]["sku"], "STANDARD_GROUND");

    if profile == Profile::Demo {
        // The demo consent gate.
        let r = s.post(&format!("{pp}/complete-order"), json!({})).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (412, "CheckoutError"),
            "consent first"
        );
    }
    s.grant_required_consents(LUMA).await;
    let r = s
        .call(Method::POST, &format!("{pp}/complete-order"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let o = &r.body;
    assert_eq!(o["cart_status"], "submitted");
    assert_eq!(o["platform_order_number"], "SBX-1001");
    assert_eq!(o["payment_method"]["payment_type"], "PayPal");
    assert_eq!(
        o["payment_method"]["attributes"]["payer_id"],
        payer.as_str()
    );
    assert!(o["billing_info"].is_object());
    assert!(o["urls"]["thank_you_page"].is_string());
    let orders = s.get("/__sandbox/orders").await.body;
    assert_eq!(orders[0]["payment_type"], "PayPal");

    let ret = reqwest::get(format!(
        "{}/__sandbox/paypal/return?token={token}&cancel=1",
        s.base
    ))
    .await
    .expect("return");
    match profile {
        Profile::Demo => assert!(ret.text().await.expect("html").contains("cancelled")),
        Profile::Docs => assert_eq!(ret.status(), 404, "demo-only page"),
    }
}
