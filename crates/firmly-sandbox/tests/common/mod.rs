//! Test harness: a sandbox on 127.0.0.1:0 per test, a device session and JSON helpers.
#![allow(dead_code)]

use firmly_sandbox::{start, SandboxConfig, SandboxHandle};
use reqwest::Method;
use serde_json::{json, Value};

pub struct Sbx {
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
    pub async fn new() -> Sbx {
        let handle = start(SandboxConfig::default())
            .await
            .expect("sandbox starts");
        let base = handle.base_url();
        let http = reqwest::Client::new();
        let mut s = Sbx {
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
    let key = josekit::jwk::Jwk::from_bytes(jwk.to_string().as_bytes()).expect("jwk");
    let encrypter = match alg {
        "RSA-OAEP" => josekit::jwe::RSA_OAEP.encrypter_from_jwk(&key),
        _ => josekit::jwe::RSA_OAEP_256.encrypter_from_jwk(&key),
    }
    .expect("encrypter");
    let mut header = josekit::jwe::JweHeader::new();
    header.set_content_encryption("A256GCM");
    header.set_key_id(kid);
    josekit::jwe::serialize_compact(card.to_string().as_bytes(), &header, &encrypter).expect("jwe")
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
