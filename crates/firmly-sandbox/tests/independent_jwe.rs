//! The vault accepts a JWE built by a second, independent implementation (RustCrypto RSA
//! OAEP-SHA-256 + AES-256-GCM, assembled by hand per RFC 7516), not only the sandbox's own
//! openssl code.

mod common;

use base64::Engine;
use common::*;
use firmly_sandbox::Profile;
use serde_json::{json, Value};

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The RustCrypto JWE of `common::jwe` with the v3 header (RSA-OAEP-256, A256GCM).
fn independent_jwe(jwk: &Value, plaintext: &[u8]) -> String {
    jwe(
        jwk,
        &json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": jwk["kid"]}),
        plaintext,
    )
}

#[tokio::test]
async fn the_vault_accepts_a_jwe_from_an_independent_implementation() {
    for profile in PROFILES {
        the_vault_accepts_a_jwe_from_an_independent_implementation_in(profile).await;
    }
}

async fn the_vault_accepts_a_jwe_from_an_independent_implementation_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add("staging.luma.gift", "MH07-M-Black", 1).await;
    let cart = s.ship_to("staging.luma.gift").await;
    s.grant_required_consents("staging.luma.gift").await;
    let jwk = s.get("/api/v1/payment/key?format=JWK").await.body;
    let plaintext = card("4111111111111111", "08", "2030", "123").to_string();
    let jwe = independent_jwe(&jwk, plaintext.as_bytes());
    let r = s
        .post(
            "/api/v3/payment/complete-order",
            json!({"handle": cart["payment_handle"], "billing_info": address(), "encrypted_card": jwe}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["cart_status"], "submitted");
    assert!(r.body["platform_order_number"]
        .as_str()
        .unwrap()
        .starts_with("SBX-"));
    assert_eq!(r.body["payment_method"]["last_four"], "1111");

    // Tampering with the ciphertext is detected, never accepted.
    s.add("staging.luma.gift", "MH07-M-Black", 1).await;
    let cart = s.ship_to("staging.luma.gift").await;
    s.grant_required_consents("staging.luma.gift").await;
    let mut parts: Vec<String> = independent_jwe(&jwk, plaintext.as_bytes())
        .split('.')
        .map(String::from)
        .collect();
    parts[3] = b64url(b"tampered ciphertext");
    let r = s
        .post(
            "/api/v3/payment/complete-order",
            json!({"handle": cart["payment_handle"], "billing_info": address(), "encrypted_card": parts.join(".")}),
        )
        .await;
    assert!(r.status >= 400 && r.status < 500, "{} {}", r.status, r.body);
}
