//! What an outside client written from the docs alone met against `--profile docs`, fixed:
//! 0-based option positions, v1 `flush_cart`, pickup without a store, token renewal with a
//! token that is not ours, missing card fields, and unknown body fields (refused, named) on
//! every documented body — with the demo extensions accepted in `demo` only. The consent and
//! OAEP points are in `shipments.rs`, `vault_errors.rs` and `sessions_vault.rs`.

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";
const HG: &str = "homegoods.test";

#[tokio::test]
async fn option_positions_index_the_variant_option_list() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let p = s
            .ok(
                Method::GET,
                &format!("/api/v1/domains-products/{LUMA}/hero-hoodie"),
                None,
            )
            .await;
        let options = p["variant_option_values"].as_array().expect("options");
        let positions: Vec<u64> = options
            .iter()
            .map(|o| o["position"].as_u64().expect("position"))
            .collect();
        assert_eq!(positions, (0..options.len() as u64).collect::<Vec<_>>());
        // Picking every option by its position lands on the variant that lists them.
        for v in p["variants"].as_array().expect("variants") {
            let list = v["variant_option_list"].as_array().expect("list");
            for o in options {
                let at = o["position"].as_u64().expect("position") as usize;
                assert!(
                    o["option_values"]
                        .as_array()
                        .expect("values")
                        .iter()
                        .any(|x| x["value"] == list[at]),
                    "{} at {at}",
                    v["sku"]
                );
            }
        }
    }
}

#[tokio::test]
async fn v1_flush_cart_starts_the_cart_afresh() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let add = |sku: &str, query: &str| {
            format!("/api/v1/domains/{LUMA}/cart/line-items/{sku}/quantity/1{query}")
        };
        s.ok(Method::POST, &add("MH07-M-Black", ""), None).await;
        s.ok(Method::POST, &add("WS12-M-Blue", ""), None).await;
        let c = s
            .ok(Method::POST, &add("MH07-M-Black", "?flush_cart=true"), None)
            .await;
        let lines = c["line_items"].as_array().expect("lines");
        assert_eq!(lines.len(), 1, "{c}");
        assert_eq!(
            (&lines[0]["sku"], &lines[0]["quantity"]),
            (&json!("MH07-M-Black"), &json!(1))
        );
        let c = s
            .ok(Method::POST, &add("WS12-M-Blue", "?flush_cart=false"), None)
            .await;
        assert_eq!(c["line_items"].as_array().expect("lines").len(), 2);
        // Never silently ignored: a value that is not a boolean is refused.
        let r = s
            .post(&add("WS12-M-Blue", "?flush_cart=yes"), json!({}))
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
        assert!(r.body["description"]
            .as_str()
            .is_some_and(|d| d.contains("flush_cart")));
    }
}

#[tokio::test]
async fn pickup_needs_a_location_in_docs() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let c = s.add(HG, "HG-LAMP-01", 1).await;
        let id = c["shipments"][0]["shipment_id"].clone();
        let path = format!("/api/v2/domains/{HG}/cart/shipments/fulfillment-type");
        let r = s
            .post(
                &path,
                json!({ "shipment_id": id, "fulfillment_type": "PICKUP_IN_STORE" }),
            )
            .await;
        match profile {
            Profile::Demo => assert_eq!(r.status, 200, "demo: the store may come later"),
            Profile::Docs => {
                assert_eq!(
                    (r.status, r.error_id().as_str()),
                    (400, "ErrorInvalidInputBody")
                );
                let d = r.body["description"].as_str().expect("description");
                assert!(d.contains("location_id"), "{d}");
            }
        }
        let c = s
            .ok(
                Method::POST,
                &path,
                Some(json!({ "shipment_id": id, "fulfillment_type": "PICKUP_IN_STORE", "location_id": "HG-TAC-03" })),
            )
            .await;
        assert_eq!(
            shipment(&c, "PICKUP_IN_STORE")["selected_location"]["location_id"],
            "HG-TAC-03"
        );
    }
}

#[tokio::test]
async fn renewal_refuses_tokens_that_are_not_ours() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let renew = |token: &str| {
            s.raw(
                Method::POST,
                "/api/v1/browser-session",
                Some(json!({ "access_token": token }).to_string()),
                &[("x-firmly-app-id", "sandbox-app")],
            )
        };
        let r = renew("garbage").await;
        assert_eq!((r.status, r.error_id().as_str()), (400, "InvalidToken"));
        let r = renew("abc.def.ghi").await;
        assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));
        // A readable token signed by another server (another sandbox run).
        let other = Sbx::with(profile).await;
        let r = renew(&other.token).await;
        assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));
        // The same through the documented cookie.
        let r = s
            .raw(
                Method::POST,
                "/api/v1/browser-session",
                None,
                &[
                    ("x-firmly-app-id", "sandbox-app"),
                    ("cookie", &format!("fsession_v2={}", other.token)),
                ],
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidJWTToken"));
        // Our own token renews the same device.
        let r = renew(&s.token).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["device_created"], false);
        assert_eq!(r.body["device_id"], s.device_id.as_str());
    }
}

#[tokio::test]
async fn missing_card_fields_are_named() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s.ship_to(LUMA).await;
        s.grant_required_consents(LUMA).await;
        let full = card("4111111111111111", "08", "2030", "123");
        for field in ["number", "month", "year", "verification_value"] {
            let mut partial = full.clone();
            partial.as_object_mut().expect("card").remove(field);
            let jwe = s.encrypt_card(partial, "RSA-OAEP-256").await;
            let r = s
                .post(
                    "/api/v3/payment/complete-order",
                    json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe }),
                )
                .await;
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (412, "CheckoutError"),
                "{field}"
            );
            let d = r.body["description"].as_str().expect("description");
            assert!(
                d.contains(&format!("'{field}'")) && d.contains("missing"),
                "{d}"
            );
        }
        // The v2 per-field body: a missing field is named the same way.
        let r = s
            .post(
                "/api/v2/payment/complete-order",
                json!({ "handle": c["payment_handle"], "billing_info": address(),
                        "credit_card": { "number": "x|AAAA", "year": "x|AAAA", "verification_value": "x|AAAA" } }),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
        assert!(r.body["description"]
            .as_str()
            .is_some_and(|d| d.contains("'month'")));
        assert_eq!(s.get("/__sandbox/orders").await.body, json!([]));
    }
}

/// One unknown field on every documented body (path, body with the field, the family's id).
fn unknown_field_cases(shipment_id: &Value) -> Vec<(String, Value, &'static str)> {
    let v1 = format!("/api/v1/domains/{LUMA}");
    let v2 = format!("/api/v2/domains/{LUMA}");
    let mut addr = address();
    addr["street"] = json!("1 Main St");
    vec![
        (
            format!("{v1}/cart/line-items/MH07-M-Black/quantity/1"),
            json!({ "variant_handles": [], "color": "Black" }),
            "color",
        ),
        (
            format!("{v1}/cart/line-items/MH07-M-Black"),
            json!({ "quantity": 2, "qty": 2 }),
            "qty",
        ),
        (format!("{v1}/cart/shipping-info"), addr.clone(), "street"),
        (
            format!("{v1}/cart/shipping-method"),
            json!({ "shipping_method": "STANDARD_GROUND", "id": "x" }),
            "id",
        ),
        (
            format!("{v1}/cart/attribution"),
            json!({ "attribution": { "utm": "u", "campaign": "c" } }),
            "attribution.campaign",
        ),
        (
            format!("{v1}/cart/promo-codes"),
            json!({ "promo_codes": ["SAVE10"], "code": "SAVE10" }),
            "code",
        ),
        (
            format!("{v1}/cart/consents"),
            json!({ "consents": [{ "id": "terms", "granted": true }] }),
            "consents[0].granted",
        ),
        (
            format!("{v1}/session/transfer"),
            json!({ "handle": "h", "cookies": [], "source": "web" }),
            "source",
        ),
        (
            format!("{v1}/express/paypal/authorize"),
            json!({ "attributes": { "payer_id": "P", "token": "EC-1" } }),
            "attributes.token",
        ),
        (
            format!("{v1}/cart/complete-order-with-saved-payment"),
            json!({ "payment_id": "pm", "cvv": "123" }),
            "cvv",
        ),
        (
            format!("{v1}/cart/complete-order"),
            json!({ "payment_token": { "id": "t", "type": "card" }, "vault_token": true }),
            "payment_token.type",
        ),
        (
            "/api/v1/browser-session".to_string(),
            json!({ "access_token": null, "device_id": "d" }),
            "device_id",
        ),
        (
            format!("{v2}/cart/line-items"),
            json!({ "variant_id": "MH07-M-Black", "quantity": 1, "variantId": "x" }),
            "variantId",
        ),
        (format!("{v2}/cart/billing-info"), addr, "street"),
        (
            format!("{v2}/cart/addons"),
            json!({ "selections": [{ "addon_id": "shipping_protection", "quantity": 1 }] }),
            "selections[0].quantity",
        ),
        (
            format!("{v2}/cart/addons/_remove"),
            json!({ "addon_id": "shipping_protection", "all": true }),
            "all",
        ),
        (
            format!("{v2}/cart/promo-codes"),
            json!({ "promo_codes": ["SAVE10"], "replace": true }),
            "replace",
        ),
        (
            format!("{v2}/cart/shipments/get-availability"),
            json!({ "shipment_id": shipment_id, "date": "2030-01-01" }),
            "date",
        ),
        (
            format!("{v2}/cart/shipments/fulfillment-type"),
            json!({ "shipment_id": shipment_id, "fulfillment_type": "SHIP_TO_ADDRESS", "type": "x" }),
            "type",
        ),
        (
            format!("{v2}/session/transfer"),
            json!({ "handle": { "handle": "h", "merchant_data": {} } }),
            "handle.merchant_data",
        ),
        (
            "/api/v2/carts/postal-code".to_string(),
            json!({ "postal_code": "98101", "country": "US" }),
            "country",
        ),
        (
            "/api/v3/payment/complete-order".to_string(),
            json!({ "handle": "h", "encrypted_card": "x", "billing_info": { "street": "s" } }),
            "billing_info.street",
        ),
        (
            "/api/v2/payment/complete-order".to_string(),
            json!({ "handle": "h", "credit_card": { "number": "x", "cvv": "y" } }),
            "credit_card.cvv",
        ),
        (
            "/api/v1/payment/tokenize".to_string(),
            json!({ "data": "d", "metadata": "m", "handle": "h", "iv": "i" }),
            "iv",
        ),
        (
            "/api/v1/wallets/shoppay/unlock-start".to_string(),
            json!({ "email": "a@b.co", "phone": "1" }),
            "phone",
        ),
    ]
}

#[tokio::test]
async fn unknown_body_fields_are_refused_naming_them() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let c = s.add(LUMA, "MH07-M-Black", 1).await;
        let shipment_id = c["shipments"][0]["shipment_id"].clone();
        for (path, body, field) in unknown_field_cases(&shipment_id) {
            let r = if path == "/api/v1/browser-session" {
                s.raw(
                    Method::POST,
                    &path,
                    Some(body.to_string()),
                    &[("x-firmly-app-id", "sandbox-app")],
                )
                .await
            } else {
                s.post(&path, body).await
            };
            let v2 = path.starts_with("/api/v2/") && !path.starts_with("/api/v2/payment/");
            let want = if v2 {
                (400, "ErrorInvalidInputBody")
            } else {
                (422, "InvalidInputBody")
            };
            assert_eq!(
                (r.status, r.error_id().as_str()),
                want,
                "{path}: {}",
                r.body
            );
            let d = r.body["description"].as_str().expect("description");
            assert!(d.contains(&format!("'{field}'")), "{path}: {d}");
        }
        // Nothing was changed by a refused body.
        assert_eq!(s.cart(LUMA).await["line_items"][0]["quantity"], 1);
    }
}

#[tokio::test]
async fn documented_spellings_and_samples_pass_the_check() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        // The v1 shipping-info sample (`state_or_province` as a name, `country` spelled out),
        // the 004 spellings and the return-only `state_name` (C6, C22).
        let v1 = format!("/api/v1/domains/{LUMA}/cart/shipping-info");
        s.ok(
            Method::POST,
            &v1,
            Some(
                json!({ "first_name": "John", "last_name": "Smith", "email": "john@firmly.ai",
                         "phone": "(206) 555-0000", "address1": "123 Nice St", "city": "Newcastle",
                         "postal_code": "98056", "state_or_province": "Washington",
                         "country": "United States" }),
            ),
        )
        .await;
        let v2 = format!("/api/v2/domains/{LUMA}/cart/billing-info");
        s.ok(
            Method::POST,
            &v2,
            Some(
                json!({ "first_name": "A", "last_name": "B", "email": "a@b.co", "phone": "1",
                         "company": "C", "address_line_1": "1 Main St", "address_line_2": "",
                         "city": "Seattle", "state_code": "WA", "state_name": "Washington",
                         "zip": "98101", "country_code": "US" }),
            ),
        )
        .await;
        // Attribution wrapped and flat (C18); consents with `revoke`.
        let attr = format!("/api/v1/domains/{LUMA}/cart/attribution");
        s.ok(
            Method::PUT,
            &attr,
            Some(json!({ "utm": "u", "referrer_url": "https://x.example", "referral_code": "R" })),
        )
        .await;
        let consents = format!("/api/v1/domains/{LUMA}/cart/consents");
        let list = s.ok(Method::GET, &consents, None).await;
        let marketing = list
            .as_array()
            .expect("list")
            .iter()
            .find(|c| c["type"] == "marketing")
            .expect("marketing")["id"]
            .clone();
        s.ok(
            Method::POST,
            &consents,
            Some(json!({ "consents": [{ "id": marketing, "revoke": false }] })),
        )
        .await;
        // The v2 transfer object handle with its documented members (000's sample).
        let r = s
            .post(
                &format!("/api/v2/domains/{HG}/session/transfer"),
                json!({ "handle": { "handle": "external-session-7", "token": "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0",
                                    "version": "2.0", "merchantData": { "anything": { "goes": 1 } } },
                        "cookies": ["_s=1"] }),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // Add line item v2 with variant_handles (ENDPOINTS.md §1 row 11).
        s.ok(
            Method::POST,
            &format!("/api/v2/domains/{LUMA}/cart/line-items"),
            Some(json!({ "variant_id": "WS12-M-Blue", "quantity": 1, "variant_handles": ["color:blue"] })),
        )
        .await;
        let _: Value = s.cart(LUMA).await;
    }
}
