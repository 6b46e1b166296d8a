//! Every documented error id a client must handle has a trigger other than the fault injector
//! (README "Error id → trigger"); each is exercised here in both profiles.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";

fn auth(token: &str) -> [(&str, &str); 1] {
    [("x-firmly-authorization", token)]
}

#[tokio::test]
async fn auth_family_triggers() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let cart = format!("/api/v2/domains/{LUMA}/cart");
        let active = "/api/v2/carts/active";
        let transfer = format!("/api/v2/domains/{LUMA}/session/transfer");
        let body = Some(json!({ "handle": "x" }).to_string());

        let r = s.raw(Method::GET, &cart, None, &[]).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (400, "MissingAuthHeader")
        );
        // The v2 active-carts and transfer pages give 401 (`003_…:76`, `000_…:99`).
        let r = s.raw(Method::GET, active, None, &[]).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (401, "MissingAuthHeader")
        );
        let r = s.raw(Method::POST, &transfer, body.clone(), &[]).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (401, "MissingAuthHeader")
        );

        let r = s.raw(Method::GET, &cart, None, &auth("not a jwt")).await;
        assert_eq!((r.status, r.error_id().as_str()), (400, "InvalidToken"));
        let r = s.raw(Method::GET, active, None, &auth("garbage")).await;
        assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidToken"));

        let r = s.raw(Method::GET, &cart, None, &auth("abc.def.ghi")).await;
        assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));

        // A token from another sandbox run: readable, but signed with another secret.
        let other = Sbx::with(profile).await;
        let r = s.raw(Method::GET, &cart, None, &auth(&other.token)).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (401, "InvalidDeviceIssuedJWT")
        );

        // Expired within the renewal week, then beyond it.
        s.advance(3601).await;
        let r = s.get(&cart).await;
        assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));
        s.advance(8 * 86_400).await;
        let r = s.get(&cart).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (401, "SessionTokenExpired")
        );

        // A valid token for a device the sandbox no longer knows.
        let fresh = Sbx::new_device(&s).await;
        s.admin(Method::POST, "/__sandbox/reset", None).await;
        let r = fresh.get(&cart).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "UnregisteredDevice")
        );

        let r = s
            .raw(
                Method::GET,
                &format!("/api/v1/domains-products/{LUMA}"),
                None,
                &[("x-firmly-app-id", "bogus")],
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (400, "InvalidAppId"));
    }
}

#[tokio::test]
async fn digital_goods_need_no_shipping() {
    let d = "digital.test";
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let c = s.add(d, "DIG-COURSE-01", 1).await;
        assert_eq!(c["line_items"][0]["requires_shipping"], false);
        let sh = &c["shipments"][0];
        assert_eq!(sh["fulfillment_type"]["id"], "DIGITAL_DELIVERY");
        assert_eq!(
            sh["shipping_method"]["id"], "INSTANT_DOWNLOAD",
            "no address needed"
        );
        let r = s
            .post(
                &format!("/api/v2/domains/{d}/cart/shipping-info"),
                address(),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (400, "ErrorShippingNotNeeded")
        );
        let r = s
            .post(
                &format!("/api/v1/domains/{d}/cart/shipping-info"),
                address(),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (400, "ShippingNotNeeded")
        );
        let r = s
            .post(
                &format!("/api/v2/domains/{d}/cart/shipments/fulfillment-type"),
                json!({ "shipment_id": sh["shipment_id"], "fulfillment_type": "SHIP_TO_ADDRESS" }),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (400, "ErrorInvalidFulfillmentType")
        );
        // Billing info is all a digital order needs; it issues the payment handle.
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{d}/cart/billing-info"),
                Some(address()),
            )
            .await;
        assert!(c["payment_handle"].is_string());
        assert_eq!(c["shipping_info"], Value::Null);
        assert_eq!(c["tax_total"]["number"], 0);
        assert_totals(&c);
        s.grant_required_consents(d).await;
        // The payment's billing address must carry the email the goods go to.
        let mut no_email = address();
        no_email.as_object_mut().expect("obj").remove("email");
        let jwe = s
            .encrypt_card(
                card("4111111111111111", "08", "2030", "123"),
                "RSA-OAEP-256",
            )
            .await;
        let r = s
            .post(
                "/api/v3/payment/complete-order",
                json!({ "handle": c["payment_handle"], "billing_info": no_email, "encrypted_card": jwe }),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (412, "MissingEmail"));
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["total"]["number"], 19999);
        // A mixed cart ships the physical item and still needs an address for it.
        s.add(d, "DIG-STICK-01", 1).await;
        let c = s.add(d, "DIG-GIFT-25", 1).await;
        assert_eq!(c["shipments"].as_array().expect("s").len(), 2);
        let c = s.ship_to(d).await;
        assert!(c["shipments"]
            .as_array()
            .expect("s")
            .iter()
            .all(|x| x["shipping_method"].is_object()));
    }
}

#[tokio::test]
async fn one_promo_code_at_a_time() {
    let d = "onecode.test";
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(d, "ONE-NB-01", 2).await;
        let v2 = format!("/api/v2/domains/{d}/cart/promo-codes");
        let r = s
            .post(&v2, json!({ "promo_codes": ["SAVE10", "FREESHIP"] }))
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (409, "MultipleDiscountCodesNotSupported")
        );
        let c = s
            .ok(
                Method::POST,
                &v2,
                Some(json!({ "promo_codes": ["SAVE10"] })),
            )
            .await;
        assert_eq!(c["promo_codes"], json!(["SAVE10"]));
        let r = s.post(&v2, json!({ "promo_codes": ["FREESHIP"] })).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (409, "MultipleDiscountCodesNotSupported")
        );
        let v1 = format!("/api/v1/domains/{d}/cart/promo-codes");
        let r = s
            .post(&v1, json!({ "promo_codes": ["SAVE10", "FREESHIP"] }))
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (409, "MultipleDiscountCodesNotSupported")
        );
        let c = s
            .ok(
                Method::POST,
                &v1,
                Some(json!({ "promo_codes": ["FREESHIP", "NOPE"] })),
            )
            .await;
        assert_eq!(
            c["coupons"],
            json!(["FREESHIP"]),
            "v1 replaces the applied code"
        );
        // Other merchants stack codes.
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{LUMA}/cart/promo-codes"),
                Some(json!({ "promo_codes": ["SAVE10", "FREESHIP"] })),
            )
            .await;
        assert_eq!(c["promo_codes"], json!(["SAVE10", "FREESHIP"]));
    }
}

#[tokio::test]
async fn taxes_sync_when_the_cart_is_read() {
    let d = "taxsync.test";
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(d, "TAX-LAMP-01", 1).await;
        let c = s.ship_to(d).await;
        s.grant_required_consents(d).await;
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!((r.status, r.error_id().as_str()), (412, "MissingTaxSync"));
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(
            r.error_id(),
            "MissingTaxSync",
            "still unsynced until a read"
        );
        assert_eq!(s.get("/__sandbox/orders").await.body, json!([]));
        s.cart(d).await;
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
        // Merchants without the trait never answer it.
        let o = {
            s.add(LUMA, "MH07-M-Black", 1).await;
            let c = s.ship_to(LUMA).await;
            s.grant_required_consents(LUMA).await;
            s.pay_card(&c, "4111111111111111").await
        };
        assert_eq!(o.status, 200);
    }
}

#[tokio::test]
async fn a_closed_store_answers_store_unavailable() {
    let d = "closed.test";
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let r = s.get(&format!("/api/v2/domains/{d}/cart")).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (422, "ErrorStoreUnavailable")
        );
        let r = s.get(&format!("/api/v1/domains/{d}/cart")).await;
        assert_eq!((r.status, r.error_id().as_str()), (503, "StoreUnavailable"));
        let r = s
            .post(
                &format!("/api/v2/domains/{d}/cart/shipping-info"),
                address(),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (503, "ErrorStoreUnavailable")
        );
        let r = s
            .post(
                &format!("/api/v2/domains/{d}/cart/line-items"),
                json!({ "variant_id": "CLO-BOX-01", "quantity": 1 }),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (422, "ErrorCannotCreateCart")
        );
        let r = s
            .post(
                &format!("/api/v1/domains/{d}/cart/line-items/CLO-BOX-01/quantity/1"),
                json!({}),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (409, "CannotCreateCart"));
        let r = s
            .post(
                &format!("/api/v2/domains/{d}/session/transfer"),
                json!({ "handle": "external-session-1" }),
            )
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (422, "ErrorCannotTransferSession")
        );
        // The catalog stays up; health says why.
        assert_eq!(
            s.get(&format!("/api/v1/domains-products/{d}")).await.status,
            200
        );
        let h = s
            .raw(Method::GET, &format!("/api/v1/domains/{d}?id=x"), None, &[])
            .await;
        assert_eq!(h.body["status"], "outage");
    }
}

#[tokio::test]
async fn every_card_expiry_id() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "WS12-S-Orange", 1).await;
        let c = s.ship_to(LUMA).await;
        s.grant_required_consents(LUMA).await;
        for (month, year, id) in [
            ("13", "2030", "CreditCardInvalidExpiryMonth"),
            ("0", "2030", "CreditCardInvalidExpiryMonth"),
            ("xx", "2030", "CreditCardInvalidExpiryMonth"),
            ("08", "20300", "CreditCardInvalidExpiryYear"),
            ("08", "2O30", "CreditCardInvalidExpiryYear"),
            ("01", "2020", "CreditCardInvalidExpiry"),
            ("08", "2099", "CreditCardInvalidExpiryDate"),
        ] {
            let jwe = s
                .encrypt_card(card("4111111111111111", month, year, "123"), "RSA-OAEP-256")
                .await;
            let r = s
                .post(
                    "/api/v3/payment/complete-order",
                    json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe }),
                )
                .await;
            assert_eq!(
                (r.status, r.error_id()),
                (422, id.to_string()),
                "{month}/{year}"
            );
        }
        assert_eq!(s.get("/__sandbox/orders").await.body, json!([]));
    }
}

#[tokio::test]
async fn a_merchant_without_a_catalog_still_sells_by_variant_id() {
    let d = "nocatalog.test";
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let r = s.get(&format!("/api/v1/domains-products/{d}")).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "AllProductsNotImplemented")
        );
        let r = s
            .get(&format!("/api/v1/domains-products/{d}/house-blend"))
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "ProductNotImplemented")
        );
        let r = s
            .get(&format!(
                "/api/v1/domains-pdp?url=https://{d}/products/house-blend"
            ))
            .await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "ProductUrlNotImplemented")
        );
        let c = s.add(d, "NOC-COFFEE-01-Ground", 2).await;
        assert_eq!(c["line_items"][0]["quantity"], 2);
        s.ship_to(d).await;
        s.grant_required_consents(d).await;
        let c = s.cart(d).await;
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}
