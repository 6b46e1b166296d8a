//! Session transfer, active carts, OTP login, wallets, saved cards, per-field and tokenized
//! card completion, merchant health.

mod common;

use base64::Engine;
use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";
const MEM: &str = "members.test";

#[tokio::test]
async fn session_transfer_v1_and_v2() {
    for profile in PROFILES {
        session_transfer_v1_and_v2_in(profile).await;
    }
}

async fn session_transfer_v1_and_v2_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let v1 = format!("/api/v1/domains/{LUMA}/session/transfer");
    let v2 = "/api/v2/domains/gadgets.test/session/transfer";
    let r = s.post(&v1, json!({ "cookies": ["a=b"] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "MissingRequiredHandle")
    );
    let r = s.post(&v1, json!({ "handle": "" })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "MissingRequiredCookie")
    );
    let r = s.post(&v1, json!({ "handle": "expired-123" })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (409, "CannotTransferSession")
    );
    let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
    assert_eq!(
        active["carts"],
        json!([]),
        "a failed transfer creates nothing"
    );

    let c = s
        .ok(
            Method::POST,
            &v1,
            Some(json!({ "handle": "external-session-abc", "cookies": ["cart=xyz"] })),
        )
        .await;
    assert_eq!(c["line_items"].as_array().expect("l").len(), 2);
    assert!(c.get("tax").is_some());
    let c2 = s
        .ok(
            Method::POST,
            &v1,
            Some(json!({ "handle": "", "cookies": ["x=1"] })),
        )
        .await;
    assert_eq!(
        c2["cart_id"], c["cart_id"],
        "cookie-only transfer keeps the cart"
    );
    let c3 = s
        .ok(
            Method::POST,
            &v1,
            Some(json!({ "handle": { "handle": "external-session-obj" } })),
        )
        .await;
    assert_ne!(c3["cart_id"], c["cart_id"], "object handles work on v1 too");

    let r = s
        .post(
            v2,
            json!({ "handle": { "handle": "external-session-1", "token": "short" } }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorCannotTransferSession")
    );
    let r = s.post(v2, json!({ "handle": "expired-9" })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorCannotTransferSession")
    );
    let r = s.post(v2, json!({ "cookies": [] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    let token = "0123456789abcdef0123456789abcdef0123";
    let c = s
        .ok(
            Method::POST,
            v2,
            Some(json!({ "handle": { "handle": "external-session-2", "token": token, "version": "2.0" } })),
        )
        .await;
    assert_eq!(c["schema_version"], "2.0");
    assert_eq!(c["domain"], "gadgets.test");
    assert_eq!(c["line_items"].as_array().expect("l").len(), 2);
    assert_eq!(c["metadata"]["source"], "external_session");
    assert!(c["metadata"]["transferred_at"].is_string());
    assert_simple_cart(&c);

    let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
    assert_eq!(active["domains"], json!(["gadgets.test", LUMA]));
    assert_eq!(active["carts"][0]["domain"], "gadgets.test");
    assert_eq!(active["carts"][0]["schema_version"], "2.0");
    for c in active["carts"].as_array().expect("carts") {
        assert_simple_cart(c);
    }
    let active = s
        .ok(
            Method::GET,
            "/api/v2/carts/active?excludes=gadgets.test,other.example",
            None,
        )
        .await;
    assert_eq!(active["domains"], json!([LUMA]));
    let d = s
        .ok(Method::GET, "/api/v2/carts/active-domains", None)
        .await;
    assert_eq!(d["domains"], json!(["gadgets.test", LUMA]));
    let p = s
        .ok(
            Method::POST,
            "/api/v2/carts/postal-code",
            Some(json!({ "postal_code": "98101" })),
        )
        .await;
    assert_eq!(p["postal_code"], "98101");
    let r = s
        .post("/api/v2/carts/postal-code", json!({ "postal_code": 5 }))
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
}

async fn login_member(s: &Sbx) -> Value {
    let r = s
        .post(
            &format!("/api/v1/domains/{MEM}/session/create-otp"),
            json!({ "email": "nobody@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "UserNotFound"));
    let sent = s
        .ok(
            Method::POST,
            &format!("/api/v1/domains/{MEM}/session/create-otp"),
            Some(json!({ "email": "member@example.com" })),
        )
        .await;
    assert_eq!(sent["otp_destination"]["emails"][0], "m•••@example.com");
    let otp = s
        .ok(Method::GET, "/__sandbox/otp?email=member@example.com", None)
        .await["otp"]
        .as_str()
        .expect("otp")
        .to_string();
    assert_eq!(otp.len(), 6);
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    let r = s
        .post(
            &format!("/api/v1/domains/{MEM}/session/validate-otp"),
            json!({ "email": "member@example.com", "otp": wrong }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidOTP"));
    s.ok(
        Method::POST,
        &format!("/api/v1/domains/{MEM}/session/validate-otp"),
        Some(json!({ "email": "member@example.com", "otp": otp })),
    )
    .await
}

#[tokio::test]
async fn otp_login_and_saved_card_checkout() {
    for profile in PROFILES {
        otp_login_and_saved_card_checkout_in(profile).await;
    }
}

async fn otp_login_and_saved_card_checkout_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(MEM, "MEM-HD-01-M", 1).await;
    let r = s
        .post(
            &format!("/api/v1/domains/{LUMA}/session/create-otp"),
            json!({ "email": "member@example.com" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (412, "OperationNotSupported")
    );
    let c = login_member(&s).await;
    assert_eq!(c["session"]["is_logged_in"], true);
    let r = s
        .post(
            &format!("/api/v1/domains/{MEM}/session/forgot-password"),
            json!({ "email": "member@example.com" }),
        )
        .await;
    assert_eq!(r.status, 200);
    // Logged in, the account email wins over the one sent (ENDPOINTS.md §8 F9).
    let c = s
        .ok(
            Method::POST,
            &format!("/api/v2/domains/{MEM}/cart/shipping-info"),
            Some(address()),
        )
        .await;
    assert_eq!(c["shipping_info"]["email"], "member@example.com");
    assert_eq!(c["session"]["is_logged_in"], true);
    assert_eq!(c["session"]["is_email_registered"], true);
    let options = c["payment_method_options"].as_array().expect("pm");
    assert!(
        options.iter().all(|o| o["wallet"] != "user"),
        "no new-card entry"
    );
    assert!(options.iter().any(|o| o["type"] == "PayPal"));
    let saved: Vec<&str> = options.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(saved, vec!["pm_sbx_visa_4242", "pm_sbx_mc_4444"]);
    // A new card is refused on members.test.
    s.grant_required_consents(MEM).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (409, "PaymentMethodNotAvailable")
    );
    let path = format!("/api/v1/domains/{MEM}/cart/complete-order-with-saved-payment");
    let r = s.post(&path, json!({ "payment_id": "pm_unknown" })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (409, "PaymentMethodNotAvailable")
    );
    let o = s
        .ok(
            Method::POST,
            &path,
            Some(json!({ "payment_id": "pm_sbx_mc_4444" })),
        )
        .await;
    assert_eq!(o["cart_status"], "submitted");
    assert_eq!(o["payment_method"]["last_four"], "4444");
    assert_eq!(o["payment_method"]["card_type"], "mastercard");
    assert!(o["platform_order_number"]
        .as_str()
        .expect("n")
        .starts_with("SBX-"));
}

#[tokio::test]
async fn shoppay_wallet_unlock() {
    for profile in PROFILES {
        shoppay_wallet_unlock_in(profile).await;
    }
}

async fn shoppay_wallet_unlock_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s
        .post(
            "/api/v1/wallets/applepay/unlock-start",
            json!({ "email": "member@example.com" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "WalletProviderNotFound")
    );
    let r = s
        .post(
            "/api/v1/wallets/shoppay/unlock-start",
            json!({ "email": "ada@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "WalletNotFound"));
    let start = s
        .ok(
            Method::POST,
            "/api/v1/wallets/shoppay/unlock-start",
            Some(json!({ "email": "member@example.com" })),
        )
        .await;
    let token = start["access_token"].as_str().expect("token").to_string();
    assert!(token.contains('|'));
    assert!(start["otp_destination"]["phones"][0]
        .as_str()
        .expect("p")
        .ends_with("622"));
    let otp = s.get("/__sandbox/otp?email=member@example.com").await.body["otp"].clone();
    let r = s
        .post(
            "/api/v1/wallets/shoppay/unlock-complete",
            json!({ "otp": "999999x", "access_token": token }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (401, "InvalidOtp"));
    let r = s
        .post(
            "/api/v1/wallets/shoppay/unlock-complete",
            json!({ "otp": otp, "access_token": "nope" }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (401, "Unauthorized"));
    let r = s
        .post(
            "/api/v1/wallets/shoppay/unlock-complete",
            json!({ "otp": otp, "access_token": token }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.headers["set-cookie"]
        .to_str()
        .expect("c")
        .starts_with("shoppay_session="));
    let cards = r.body["payment_method_options"].as_array().expect("cards");
    assert_eq!(cards[0]["wallet"], "shoppay");
    assert_eq!(cards[0]["month"], 4);
    assert_eq!(r.body["shipping_info_options"][0]["city"], "Seattle");

    // Wallet cards show on members.test only, and pay there once logged in.
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.cart(LUMA).await;
    assert!(c["payment_method_options"]
        .as_array()
        .expect("pm")
        .iter()
        .all(|o| o["wallet"] != "shoppay"));
    s.add(MEM, "MEM-TOTE-01", 1).await;
    let c = s.ship_to(MEM).await;
    assert!(c["payment_method_options"]
        .as_array()
        .expect("pm")
        .iter()
        .any(|o| o["id"] == "pm_shoppay_visa_1881"));
    s.grant_required_consents(MEM).await;
    let path = format!("/api/v1/domains/{MEM}/cart/complete-order-with-saved-payment");
    let r = s
        .post(&path, json!({ "payment_id": "pm_shoppay_visa_1881" }))
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (409, "UserMustLogin"));
    login_member(&s).await;
    let o = s
        .ok(
            Method::POST,
            &path,
            Some(json!({ "payment_id": "pm_shoppay_visa_1881" })),
        )
        .await;
    assert_eq!(o["payment_method"]["wallet"], "shoppay");
}

fn rsa_oaep(pem: &str, data: &[u8], sha256: bool) -> String {
    let key = openssl::pkey::PKey::public_key_from_pem(pem.as_bytes()).expect("pem");
    let mut ctx = openssl::pkey_ctx::PkeyCtx::new(&key).expect("ctx");
    ctx.encrypt_init().expect("init");
    ctx.set_rsa_padding(openssl::rsa::Padding::PKCS1_OAEP)
        .expect("pad");
    let md = if sha256 {
        openssl::md::Md::sha256()
    } else {
        openssl::md::Md::sha1()
    };
    ctx.set_rsa_oaep_md(md).expect("md");
    ctx.set_rsa_mgf1_md(md).expect("mgf");
    let mut out = Vec::new();
    ctx.encrypt_to_vec(data, &mut out).expect("enc");
    base64::engine::general_purpose::STANDARD.encode(out)
}

#[tokio::test]
async fn per_field_v2_and_tokenized_completion() {
    for profile in PROFILES {
        per_field_v2_and_tokenized_completion_in(profile).await;
    }
}

async fn per_field_v2_and_tokenized_completion_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let pem = s
        .raw(Method::GET, "/api/v1/payment/key?format=PEM", None, &[])
        .await;
    let kid = pem.headers["x-firmly-kid"]
        .to_str()
        .expect("kid")
        .to_string();
    let pem = pem.body.as_str().expect("pem").to_string();
    s.add(LUMA, "MH07-L-Gray", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    let field = |v: &str, sha256: bool| format!("{kid}|{}", rsa_oaep(&pem, v.as_bytes(), sha256));
    let body = |number: &str, sha256: bool| {
        json!({
            "handle": c["payment_handle"],
            "billing_info": address(),
            "credit_card": {
                "name": field("Ada Lovelace", sha256),
                "number": field(number, sha256),
                "month": field("12", sha256),
                "year": field("2031", sha256),
                "verification_value": field("123", sha256),
            }
        })
    };
    // OAEP SHA-1 only (the documented sample code): SHA-256 fields are malformed.
    let r = s
        .post(
            "/api/v2/payment/complete-order",
            body("4111111111111111", true),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    let r = s
        .post(
            "/api/v2/payment/complete-order",
            body("4000000000000002", false),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "CreditCardDeclined")
    );
    let mut bad = body("4111111111111111", false);
    bad["credit_card"]["number"] = json!(format!(
        "ffffffffffffffffffffffffffffffff|{}",
        rsa_oaep(&pem, b"4111111111111111", false)
    ));
    let r = s.post("/api/v2/payment/complete-order", bad).await;
    assert_eq!((r.status, r.error_id().as_str()), (409, "InvalidKey"));
    let r = s
        .post(
            "/api/v2/payment/complete-order",
            body("4111111111111111", false),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["payment_method"]["last_four"], "1111");

    // Tokenize (hybrid AES-256-GCM, 16-byte IV as in the sample) and complete on the api host.
    s.add(LUMA, "WS12-M-Orange", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    let plain = json!({
        "credit_card": { "number": "5555555555554444", "name": "Ada", "month": 12, "year": 2031, "verification_value": "321" },
        "billing_info": address(),
    })
    .to_string();
    let key = [7u8; 32];
    let iv = [9u8; 16];
    let mut tag = [0u8; 16];
    let data = openssl::symm::encrypt_aead(
        openssl::symm::Cipher::aes_256_gcm(),
        &key,
        Some(&iv),
        &[],
        plain.as_bytes(),
        &mut tag,
    )
    .expect("aead");
    let meta: Vec<u8> = key
        .iter()
        .chain(iv.iter())
        .chain(tag.iter())
        .copied()
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD;
    let t = s
        .raw(
            Method::POST,
            "/api/v1/payment/tokenize",
            Some(
                json!({
                    "data": b64.encode(&data),
                    "metadata": format!("{kid}|{}", rsa_oaep(&pem, &meta, false)),
                    "handle": c["payment_handle"],
                })
                .to_string(),
            ),
            &[],
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.body);
    let token = t.body["token"].as_str().expect("token").to_string();
    let path = format!("/api/v1/domains/{LUMA}/cart/complete-order");
    let r = s
        .post(
            &path,
            json!({ "payment_token": { "id": "nope" }, "vault_token": true }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    let o = s
        .ok(
            Method::POST,
            &path,
            Some(json!({ "payment_token": { "id": token }, "vault_token": true })),
        )
        .await;
    assert_eq!(o["cart_status"], "submitted");
    assert_eq!(o["payment_method"]["card_type"], "mastercard");
    assert_eq!(o["payment_method"]["last_four"], "4444");
    assert!(o.get("tax").is_some());
    let orders = s.get("/__sandbox/orders").await.body;
    assert_eq!(orders.as_array().expect("o").len(), 2);
}

#[tokio::test]
async fn merchant_health() {
    for profile in PROFILES {
        merchant_health_in(profile).await;
    }
}

async fn merchant_health_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s
        .raw(
            Method::GET,
            "/api/v1/domains/staging.luma.gift?id=v2024-02-27-0-chkt",
            None,
            &[],
        )
        .await;
    assert_eq!(r.body, json!({ "status": "operational" }));
    let r = s
        .raw(Method::GET, "/api/v1/domains/gadgets.test?id=x", None, &[])
        .await;
    assert_eq!(r.body["status"], "degraded");
    let r = s
        .raw(Method::GET, "/api/v1/domains/staging.luma.gift", None, &[])
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "BadRequest"));
    let r = s
        .raw(Method::GET, "/api/v1/domains/nope.example?id=x", None, &[])
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "DomainNotFound"));
    let r = s
        .raw(
            Method::GET,
            "/__sandbox/otp?email=none@example.com",
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 404);
}
