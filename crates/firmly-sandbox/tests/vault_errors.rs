//! The vault tells a malformed payload (`CheckoutError 412`, "Payment info … invalid") from a
//! key mismatch (`InvalidKey 409`: unknown or rotated kid), for JWEs (v3) and per-field values
//! (v2), and charges nothing in either case.

mod common;

use base64::Engine;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";

fn b64url(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

fn jwe_with_header(jwk: &Value, header: Value) -> String {
    let plain = card("4111111111111111", "08", "2030", "123").to_string();
    jwe(jwk, &header, plain.as_bytes())
}

#[tokio::test]
async fn v3_malformed_payloads_and_key_mismatches_differ() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s.ship_to(LUMA).await;
        s.grant_required_consents(LUMA).await;
        let jwk = s.get("/api/v1/payment/key").await.body;
        let kid = jwk["kid"].as_str().expect("kid").to_string();
        let pay = |jwe: String| {
            let body = json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe });
            let s = &s;
            async move { s.post("/api/v3/payment/complete-order", body).await }
        };
        let malformed = [
            ("not a JWE", "hello".to_string()),
            ("bad base64 header", "%%%.a.b.c.d".to_string()),
            (
                "no kid",
                jwe_with_header(&jwk, json!({ "alg": "RSA-OAEP-256", "enc": "A256GCM" })),
            ),
            (
                "wrong enc",
                jwe_with_header(
                    &jwk,
                    json!({ "alg": "RSA-OAEP-256", "enc": "A128GCM", "kid": kid }),
                ),
            ),
            (
                "no enc",
                format!(
                    "{}.a.b.c.d",
                    b64url(&json!({ "alg": "RSA-OAEP-256", "kid": kid }))
                ),
            ),
            (
                "no alg",
                format!(
                    "{}.a.b.c.d",
                    b64url(&json!({ "enc": "A256GCM", "kid": kid }))
                ),
            ),
            (
                "undecryptable garbage",
                format!(
                    "{}.AAAA.AAAA.AAAA.AAAA",
                    b64url(&json!({ "alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": kid }))
                ),
            ),
        ];
        for (what, jwe) in malformed {
            let r = pay(jwe).await;
            assert_eq!(r.status, 412, "{what}: {}", r.body);
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (412, "CheckoutError"),
                "{what}"
            );
        }
        let foreign = jwe_with_header(
            &jwk,
            json!({ "alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": "0123456789abcdef0123456789abcdef" }),
        );
        let r = pay(foreign).await;
        assert_eq!((r.status, r.error_id().as_str()), (409, "InvalidKey"));
        assert_eq!(
            s.get("/__sandbox/orders").await.body,
            json!([]),
            "nothing charged"
        );
        // Only the documented alg decrypts: `RSA-OAEP` (the sample token's header) is refused.
        let sha1 = s
            .encrypt_card(card("4111111111111111", "08", "2030", "123"), "RSA-OAEP")
            .await;
        let r = pay(sha1).await;
        assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
        assert!(
            r.body["description"]
                .as_str()
                .is_some_and(|d| d.contains("RSA-OAEP-256")),
            "{}",
            r.body
        );
        let ok = s
            .encrypt_card(
                card("4111111111111111", "08", "2030", "123"),
                "RSA-OAEP-256",
            )
            .await;
        assert_eq!(pay(ok).await.status, 200);
    }
}

#[tokio::test]
async fn v2_per_field_values_must_be_kid_bar_base64() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s.ship_to(LUMA).await;
        s.grant_required_consents(LUMA).await;
        let kid = s.get("/api/v1/payment/key").await.body["kid"]
            .as_str()
            .expect("kid")
            .to_string();
        let field = |number: &str| {
            json!({
                "handle": c["payment_handle"], "billing_info": address(),
                "credit_card": { "number": number, "month": number, "year": number, "verification_value": number },
            })
        };
        for (what, value, status, id) in [
            (
                "no bar",
                "4111111111111111".to_string(),
                412,
                "CheckoutError",
            ),
            ("empty kid", "|AAAA".to_string(), 412, "CheckoutError"),
            ("not base64", format!("{kid}|***"), 412, "CheckoutError"),
            (
                "garbage for our key",
                format!("{kid}|AAAAAAAA"),
                412,
                "CheckoutError",
            ),
            (
                "unknown kid",
                "ffffffffffffffffffffffffffffffff|AAAA".to_string(),
                409,
                "InvalidKey",
            ),
        ] {
            let r = s
                .post("/api/v2/payment/complete-order", field(&value))
                .await;
            assert_eq!((r.status, r.error_id()), (status, id.to_string()), "{what}");
        }
        // A body that is not the documented JSON at all stays InvalidInputBody (vault ids).
        let r = s
            .call(
                Method::POST,
                "/api/v2/payment/complete-order",
                Some(json!({ "handle": 5 })),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
        assert_eq!(s.get("/__sandbox/orders").await.body, json!([]));
    }
}
