//! The documented 404 for a device that has no cart at a merchant, per route family, in both
//! profiles: `CartNotFound` on v1 routes, `ErrorCartNotFound` on v2 routes. Adding a line item
//! creates the cart; a failed add creates nothing; consents document no CartNotFound.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";

fn v2_calls() -> Vec<(Method, String, Option<Value>)> {
    let v2 = format!("/api/v2/domains/{LUMA}/cart");
    vec![
        (Method::GET, v2.clone(), None),
        (Method::GET, format!("{v2}/"), None),
        (
            Method::POST,
            format!("{v2}/line-items/li_0123456789abcdef"),
            Some(json!({ "quantity": 1 })),
        ),
        (Method::DELETE, format!("{v2}/line-items"), None),
        (Method::POST, format!("{v2}/shipping-info"), Some(address())),
        (Method::PUT, format!("{v2}/billing-info"), Some(address())),
        (
            Method::POST,
            format!("{v2}/shipments/get-availability"),
            Some(json!({ "shipment_id": "shp_x" })),
        ),
        (
            Method::POST,
            format!("{v2}/shipments/fulfillment-type"),
            Some(json!({ "shipment_id": "shp_x", "fulfillment_type": "SHIP_TO_ADDRESS" })),
        ),
        (
            Method::POST,
            format!("{v2}/shipment/methods"),
            Some(json!({ "shipment_id": "shp_x", "shipping_method_id": "STANDARD_GROUND" })),
        ),
        (
            Method::POST,
            format!("{v2}/addons"),
            Some(json!({ "selections": [{ "addon_id": "shipping_protection" }] })),
        ),
        (
            Method::POST,
            format!("{v2}/addons/_remove"),
            Some(json!({ "addon_id": "shipping_protection" })),
        ),
        (
            Method::POST,
            format!("{v2}/promo-codes"),
            Some(json!({ "promo_codes": ["SAVE10"] })),
        ),
        (Method::DELETE, format!("{v2}/promo-codes"), None),
    ]
}

fn v1_calls() -> Vec<(Method, String, Option<Value>)> {
    let v1 = format!("/api/v1/domains/{LUMA}/cart");
    let pp = format!("/api/v1/domains/{LUMA}/express/paypal");
    vec![
        (Method::GET, v1.clone(), None),
        (Method::GET, format!("{v1}/"), None),
        (
            Method::PUT,
            format!("{v1}/line-items/MH07-M-Black"),
            Some(json!({ "quantity": 2 })),
        ),
        (Method::DELETE, format!("{v1}/line-items"), None),
        (Method::POST, format!("{v1}/shipping-info"), Some(address())),
        (Method::GET, format!("{v1}/shipping-rates"), None),
        (
            Method::POST,
            format!("{v1}/shipping-method"),
            Some(json!({ "shipping_method": "OVERNIGHT" })),
        ),
        (
            Method::PUT,
            format!("{v1}/attribution"),
            Some(json!({ "attribution": { "utm": "a=b" } })),
        ),
        (
            Method::POST,
            format!("{v1}/promo-codes"),
            Some(json!({ "promo_codes": ["SAVE10"] })),
        ),
        (Method::DELETE, format!("{v1}/promo-codes"), None),
        (Method::POST, format!("{pp}/start"), None),
        (
            Method::POST,
            format!("{pp}/authorize"),
            Some(json!({ "attributes": { "payer_id": "P1" } })),
        ),
        (Method::POST, format!("{pp}/complete-order"), None),
        (
            Method::POST,
            format!("{v1}/complete-order"),
            Some(json!({ "payment_token": { "id": "t" }, "vault_token": true })),
        ),
        (
            Method::POST,
            format!("{v1}/complete-order-with-saved-payment"),
            Some(json!({ "payment_id": "pm_x" })),
        ),
    ]
}

#[tokio::test]
async fn every_route_that_needs_a_cart_answers_the_family_404() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        for (calls, id) in [
            (v2_calls(), "ErrorCartNotFound"),
            (v1_calls(), "CartNotFound"),
        ] {
            for (method, path, body) in calls {
                let r = s.call(method.clone(), &path, body).await;
                assert_eq!(
                    (r.status, r.error_id()),
                    (404, id.to_string()),
                    "{profile} {method} {path}: {}",
                    r.body
                );
            }
        }
        // None of those created a cart.
        let r = s.get(&format!("/api/v2/domains/{LUMA}/cart")).await;
        assert_eq!(r.status, 404);
    }
}

#[tokio::test]
async fn adding_creates_the_cart_and_a_failed_add_creates_nothing() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let path = format!("/api/v2/domains/{LUMA}/cart/line-items");
        let r = s
            .post(&path, json!({ "variant_id": "NOPE", "quantity": 1 }))
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "ErrorProductNotFound")
        );
        let r = s.get(&format!("/api/v2/domains/{LUMA}/cart")).await;
        assert_eq!(r.status, 404, "a failed add creates no cart");
        let r = s
            .post(
                &format!("/api/v1/domains/{LUMA}/cart/line-items/MH07-XL-Green/quantity/1"),
                json!({}),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (409, "NotEnoughStockError")
        );
        assert_eq!(
            s.get(&format!("/api/v1/domains/{LUMA}/cart")).await.status,
            404
        );
        // v1 add creates the cart too.
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v1/domains/{LUMA}/cart/line-items/MH07-M-Black/quantity/1"),
                None,
            )
            .await;
        assert_eq!(s.cart(LUMA).await["cart_id"], c["cart_id"]);
    }
}

#[tokio::test]
async fn an_emptied_cart_keeps_its_id_and_shipping_info() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s.ship_to(LUMA).await;
        let cleared = s
            .ok(
                Method::DELETE,
                &format!("/api/v1/domains/{LUMA}/cart/line-items"),
                None,
            )
            .await;
        assert_eq!(cleared["cart_id"], c["cart_id"]);
        let again = s.cart(LUMA).await;
        assert_eq!(again["cart_id"], c["cart_id"]);
        assert_eq!(again["line_items"], json!([]));
        assert_eq!(again["shipping_info"], c["shipping_info"]);
        assert_eq!(again["payment_handle"], c["payment_handle"]);
        // Routes that need items answer their own documented errors on the empty cart.
        let r = s
            .post(
                &format!("/api/v2/domains/{LUMA}/cart/shipping-info"),
                address(),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorNoLineItem"));
        let r = s
            .post(
                &format!("/api/v1/domains/{LUMA}/express/paypal/start"),
                json!({}),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (412, "NoLineItemError"));
        let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
        assert_eq!(active["carts"], json!([]), "empty carts are not active");
    }
}

#[tokio::test]
async fn consents_need_no_cart() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let path = format!("/api/v1/domains/{LUMA}/cart/consents");
        let list = s.ok(Method::GET, &path, None).await;
        // Unsigned without a cart, except that `docs` serves the required consent signed
        // (its sample).
        let docs = s.profile == firmly_sandbox::Profile::Docs;
        assert!(list
            .as_array()
            .expect("list")
            .iter()
            .all(|c| c["signed"] == (docs && c["required"] == true)));
        assert_eq!(
            s.get(&format!("/api/v2/domains/{LUMA}/cart")).await.status,
            404
        );
        // Granting starts a cart (the consent pages document no CartNotFound).
        s.grant_required_consents(LUMA).await;
        let c = s.cart(LUMA).await;
        assert_eq!(c["line_items"], json!([]));
        let r = s.get("/api/v1/domains/nowhere.example/cart/consents").await;
        assert_eq!((r.status, r.error_id().as_str()), (404, "DomainNotFound"));
    }
}

#[tokio::test]
async fn transfers_without_a_merchant_cart_fail_and_create_nothing() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let r = s
            .post(
                &format!("/api/v1/domains/{LUMA}/session/transfer"),
                json!({ "handle": "", "cookies": ["a=b"] }),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (409, "CannotTransferSession")
        );
        let r = s
            .post(
                &format!("/api/v2/domains/{LUMA}/session/transfer"),
                json!({ "handle": "plain-handle" }),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (422, "ErrorNoLineItem"));
        assert_eq!(
            s.get(&format!("/api/v2/domains/{LUMA}/cart")).await.status,
            404
        );
        // With a cart, a plain handle hands it back.
        let c = s.add(LUMA, "MH07-M-Black", 1).await;
        let t = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{LUMA}/session/transfer"),
                Some(json!({ "handle": "plain-handle" })),
            )
            .await;
        assert_eq!(t["id"], c["cart_id"]);
    }
}
