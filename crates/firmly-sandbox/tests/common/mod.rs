//! Test harness: a sandbox on 127.0.0.1:0 per test, a device session and JSON helpers.
#![allow(dead_code)]

use firmly_sandbox::{start, Profile, SandboxConfig, SandboxHandle};
use reqwest::Method;
use serde_json::{json, Value};

pub struct Sbx {
    pub profile: Profile,
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
    pub device_id: String,
    /// The server, owned by the first device of a test.
    pub handle: Option<SandboxHandle>,
}

pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Resp {
    /// Asserts the normalized error envelope and returns the error id.
    pub fn error_id(&self) -> String {
        assert_eq!(
            self.body["code"].as_u64(),
            Some(self.status as u64),
            "envelope code mirrors status: {}",
            self.body
        );
        assert!(self.body["description"].is_string(), "{}", self.body);
        self.body["error"].as_str().unwrap_or_default().to_string()
    }
}

impl Sbx {
    /// A `demo` sandbox and a device on it.
    pub async fn new() -> Sbx {
        Sbx::with(Profile::Demo).await
    }

    /// A sandbox of `profile` and a device on it.
    pub async fn with(profile: Profile) -> Sbx {
        let handle = start(SandboxConfig {
            profile,
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox starts");
        let base = handle.base_url();
        let http = reqwest::Client::new();
        let mut s = Sbx {
            profile,
            base,
            http,
            token: String::new(),
            device_id: String::new(),
            handle: Some(handle),
        };
        let r = s.session().await;
        s.token = r.body["access_token"].as_str().expect("token").to_string();
        s.device_id = r.body["device_id"].as_str().expect("device").to_string();
        s
    }

    /// A second device on the same server (the server stays owned by `first`).
    pub async fn new_device(first: &Sbx) -> Sbx {
        let r = first.session().await;
        Sbx {
            profile: first.profile,
            base: first.base.clone(),
            http: first.http.clone(),
            token: r.body["access_token"].as_str().expect("token").to_string(),
            device_id: r.body["device_id"].as_str().expect("device").to_string(),
            handle: None,
        }
    }

    pub async fn session(&self) -> Resp {
        self.raw(
            Method::POST,
            "/api/v1/browser-session",
            None,
            &[("x-firmly-app-id", "sandbox-app")],
        )
        .await
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            headers,
        }
    }

    /// An admin write (`POST`/`DELETE` under `/__sandbox/`) with the JSON content type the
    /// admin guard requires.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let body = body.unwrap_or_else(|| json!({})).to_string();
        self.raw(method, path, Some(body), &[]).await
    }

    /// Adds fault rules and asserts they were accepted.
    pub async fn fault(&self, rule: Value) {
        let r = self
            .admin(Method::POST, "/__sandbox/faults", Some(rule))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// Moves the sandbox clock.
    pub async fn advance(&self, seconds: i64) -> Resp {
        self.admin(
            Method::POST,
            "/__sandbox/clock",
            Some(json!({ "advance_seconds": seconds })),
        )
        .await
    }

    /// The journal entries of `path`.
    pub async fn journal(&self, path: &str) -> Vec<Value> {
        let j = self.get("/__sandbox/requests").await.body;
        j.as_array()
            .expect("journal")
            .iter()
            .filter(|e| e["path"] == path)
            .cloned()
            .collect()
    }

    /// An authenticated JSON request.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let token = self.token.clone();
        self.raw(
            method,
            path,
            body.map(|b| b.to_string()),
            &[("x-firmly-authorization", token.as_str())],
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let r = self.call(method.clone(), path, body).await;
        assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
        r.body
    }

    pub async fn add(&self, domain: &str, variant: &str, qty: i64) -> Value {
        self.ok(
            Method::POST,
            &format!("/api/v2/domains/{domain}/cart/line-items"),
            Some(json!({ "variant_id": variant, "quantity": qty })),
        )
        .await
    }

    pub async fn cart(&self, domain: &str) -> Value {
        self.ok(Method::GET, &format!("/api/v2/domains/{domain}/cart"), None)
            .await
    }

    pub async fn ship_to(&self, domain: &str) -> Value {
        self.ok(
            Method::POST,
            &format!("/api/v2/domains/{domain}/cart/shipping-info"),
            Some(address()),
        )
        .await
    }

    /// Grants every required consent of the merchant (they block completion).
    pub async fn grant_required_consents(&self, domain: &str) {
        let path = format!("/api/v1/domains/{domain}/cart/consents");
        let list = self.ok(Method::GET, &path, None).await;
        let grants: Vec<Value> = list
            .as_array()
            .expect("consents")
            .iter()
            .filter(|c| c["required"] == true)
            .map(|c| json!({ "id": c["id"] }))
            .collect();
        self.ok(Method::POST, &path, Some(json!({ "consents": grants })))
            .await;
    }

    /// Encrypts a card as a compact JWE with the sandbox's JWK.
    pub async fn encrypt_card(&self, card: Value, alg: &str) -> String {
        let jwk = self.get("/api/v1/payment/key?format=JWK").await.body;
        let kid = jwk["kid"].as_str().expect("kid").to_string();
        encrypt_with(&jwk, &kid, card, alg)
    }

    pub async fn pay_card(&self, cart: &Value, number: &str) -> Resp {
        let jwe = self
            .encrypt_card(card(number, "08", "2030", "123"), "RSA-OAEP-256")
            .await;
        self.post(
            "/api/v3/payment/complete-order",
            json!({
                "handle": cart["payment_handle"],
                "billing_info": address(),
                "encrypted_card": jwe,
            }),
        )
        .await
    }
}

pub fn encrypt_with(jwk: &Value, kid: &str, card: Value, alg: &str) -> String {
    jwe(
        jwk,
        &json!({ "alg": alg, "enc": "A256GCM", "kid": kid }),
        card.to_string().as_bytes(),
    )
}

/// A compact JWE (RFC 7516) assembled with RustCrypto, independently of the sandbox's openssl
/// code: `header` is the protected header as given; the CEK is wrapped for the JWK's RSA key
/// with OAEP-SHA-1 when `alg` is `RSA-OAEP`, OAEP-SHA-256 otherwise; the content is sealed with
/// AES-256-GCM, the encoded header as additional data.
pub fn jwe(jwk: &Value, header: &Value, plaintext: &[u8]) -> String {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use base64::Engine;
    use rand::RngCore;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let d = |s: &Value| {
        b64.decode(s.as_str().expect("jwk member"))
            .expect("base64url")
    };
    let public = rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&d(&jwk["n"])),
        rsa::BigUint::from_bytes_be(&d(&jwk["e"])),
    )
    .expect("public key");
    let protected = b64.encode(header.to_string());
    let mut rng = rand::thread_rng();
    let mut cek = [0u8; 32];
    rng.fill_bytes(&mut cek);
    let mut iv = [0u8; 12];
    rng.fill_bytes(&mut iv);
    let padding = match header["alg"].as_str() {
        Some("RSA-OAEP") => rsa::Oaep::new::<sha1::Sha1>(),
        _ => rsa::Oaep::new::<sha2::Sha256>(),
    };
    let wrapped = public.encrypt(&mut rng, padding, &cek).expect("wrap cek");
    let sealed = aes_gcm::Aes256Gcm::new_from_slice(&cek)
        .expect("aes key")
        .encrypt(
            aes_gcm::Nonce::from_slice(&iv),
            Payload {
                msg: plaintext,
                aad: protected.as_bytes(),
            },
        )
        .expect("seal");
    let (ciphertext, tag) = sealed.split_at(sealed.len() - 16);
    format!(
        "{protected}.{}.{}.{}.{}",
        b64.encode(wrapped),
        b64.encode(iv),
        b64.encode(ciphertext),
        b64.encode(tag)
    )
}

pub fn card(number: &str, month: &str, year: &str, cvv: &str) -> Value {
    json!({ "number": number, "name": "Ada Lovelace", "month": month, "year": year, "verification_value": cvv })
}

pub fn address() -> Value {
    json!({
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
        "phone": "+12065550100", "address1": "1 Main St", "address2": "",
        "city": "Seattle", "state_or_province": "WA", "postal_code": "98101", "country": "US"
    })
}

/// The cart's shipment of fulfillment type `ft`.
pub fn shipment<'a>(cart: &'a Value, ft: &str) -> &'a Value {
    cart["shipments"]
        .as_array()
        .expect("shipments")
        .iter()
        .find(|s| s["fulfillment_type"]["id"] == ft)
        .unwrap_or_else(|| panic!("no {ft} shipment in {cart}"))
}

/// A shipment's cost: its method's price plus a chosen slot's price (the full cart carries
/// no per-shipment total).
pub fn shipment_cost(s: &Value) -> i64 {
    let method = s["shipping_method"]["price"]["number"]
        .as_i64()
        .unwrap_or(0);
    let slot = s["selected_time_slot"]["price"]["number"]
        .as_i64()
        .unwrap_or(0);
    method + slot
}

/// Checks a v1 Cart / Order: full Amounts and `total = sub_total + shipping_total + tax −
/// cart_discount` (no addons).
pub fn assert_totals_v1(cart: &Value) {
    for k in [
        "sub_total",
        "shipping_total",
        "tax",
        "cart_discount",
        "total",
    ] {
        assert_eq!(cart[k]["currency"], "USD", "{k}: {cart}");
        assert!(cart[k]["number"].is_i64(), "{k}: {cart}");
    }
    assert!(
        cart.get("tax_total").is_none(),
        "v1 carts have tax, not tax_total"
    );
    assert_eq!(
        cents(&cart["sub_total"]) + cents(&cart["shipping_total"]) + cents(&cart["tax"])
            - cents(&cart["cart_discount"]),
        cents(&cart["total"]),
        "v1 totals: {cart}"
    );
}

/// Checks the simplified cart of active carts v2 / transfer v2 (`003_…:104`,
/// `000_…:215`): its keys, bare-number money, string fulfillment types and the totals identity
/// (carts without discounts).
pub fn assert_simple_cart(c: &Value) {
    for k in [
        "id",
        "domain",
        "schema_version",
        "line_items",
        "shipments",
        "addons",
        "subtotal",
        "shipping_total",
        "tax_total",
        "addon_total",
        "total",
        "currency",
    ] {
        assert!(c.get(k).is_some(), "simplified cart lacks {k}: {c}");
    }
    for k in ["cart_id", "sub_total", "shipping_info", "payment_handle"] {
        assert!(c.get(k).is_none(), "simplified cart has {k}: {c}");
    }
    assert_eq!(c["schema_version"], "2.0");
    assert_eq!(c["currency"], "USD");
    assert_eq!(c["addons"], json!([]));
    let n = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("bare number: {v}"));
    for l in c["line_items"].as_array().expect("lines") {
        for k in ["id", "variant_id", "quantity"] {
            assert!(l.get(k).is_some(), "line lacks {k}");
        }
        n(&l["unit_price"]);
        n(&l["total_price"]);
        for k in ["id", "title", "handle"] {
            assert!(l["product"][k].is_string(), "product lacks {k}: {l}");
        }
    }
    let mut shipments_total = 0.0;
    for s in c["shipments"].as_array().expect("shipments") {
        assert!(s["fulfillment_type"].is_string(), "{s}");
        assert!(s["id"].is_string() && s["line_items"].is_array(), "{s}");
        let parts = n(&s["subtotal"]) + n(&s["shipping_total"]) + n(&s["tax_total"]);
        assert!(
            (parts - n(&s["total"])).abs() < 0.005,
            "shipment total: {s}"
        );
        shipments_total += n(&s["total"]);
    }
    let sum =
        n(&c["subtotal"]) + n(&c["shipping_total"]) + n(&c["tax_total"]) + n(&c["addon_total"]);
    assert!((sum - n(&c["total"])).abs() < 0.005, "totals identity: {c}");
    assert!(
        (shipments_total + n(&c["addon_total"]) - n(&c["total"])).abs() < 0.005,
        "{c}"
    );
}

/// Both profiles, for tests of shared behaviour.
pub const PROFILES: [Profile; 2] = [Profile::Demo, Profile::Docs];

pub fn cents(v: &Value) -> i64 {
    v["number"]
        .as_i64()
        .unwrap_or_else(|| panic!("amount: {v}"))
}

/// Checks every Amount's shape and the totals identity of ENDPOINTS.md §7 C15.
pub fn assert_totals(cart: &Value) {
    for k in [
        "sub_total",
        "shipping_total",
        "tax_total",
        "addon_total",
        "discount_total",
        "total",
    ] {
        let a = &cart[k];
        assert_eq!(a["currency"], "USD", "{k}");
        assert_eq!(a["symbol"], "$", "{k}");
        let n = cents(a);
        let v = a["value"].as_f64().expect("value");
        assert!(((n as f64) / 100.0 - v).abs() < 1e-9, "{k}: {a}");
    }
    let sum = cents(&cart["sub_total"])
        + cents(&cart["shipping_total"])
        + cents(&cart["tax_total"])
        + cents(&cart["addon_total"])
        - cents(&cart["discount_total"]);
    assert_eq!(sum, cents(&cart["total"]), "totals identity: {cart}");
    let lines: i64 = cart["line_items"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| cents(&l["line_price"]))
        .sum();
    assert_eq!(lines, cents(&cart["sub_total"]));
    assert_eq!(cart["discount_total"], cart["cart_discount"]);
    assert_eq!(cart["promo_codes"], cart["coupons"]);
}
