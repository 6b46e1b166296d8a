//! The `firmly` command line as scripts use it (CONTRACTS.md §2): the sandbox server line,
//! `inspect` summaries and exit codes, `encrypt-card` output decrypted by independent
//! implementations, and a whole checkout against `firmly sandbox serve`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use base64::Engine;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_firmly");

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    serve_with(&[])
}

fn serve_with(extra: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .args(["sandbox", "serve", "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("firmly sandbox serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    Server { child, url }
}

fn firmly(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn json_out(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

#[test]
fn serve_refuses_a_non_loopback_host_without_allow_remote() {
    let o = firmly(
        &["sandbox", "serve", "--host", "0.0.0.0", "--port", "0"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("0.0.0.0") && err.contains("--allow-remote"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "never listened");
}

#[test]
fn serve_flags_latency_and_remote_hosts() {
    let client = reqwest::blocking::Client::new();
    let get_key = |url: &str, host: &str| {
        client
            .get(format!("{url}/api/v1/payment/key"))
            .header("host", host)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    // Loopback only by default: a rebinding page's Host is refused.
    let plain = serve();
    assert_eq!(get_key(&plain.url, "evil.example"), 403);
    assert_eq!(get_key(&plain.url, "localhost"), 200);
    // --allow-remote answers any Host; --latency-ms is journaled per API request.
    let s = serve_with(&["--allow-remote", "--latency-ms", "25", "--jitter-ms", "0"]);
    assert_eq!(get_key(&s.url, "evil.example"), 200);
    let journal: Value = client
        .get(format!("{}/__sandbox/requests", s.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(journal[0]["path"], "/api/v1/payment/key");
    assert_eq!(journal[0]["latency_ms"], 25);
    assert!(journal[0]["duration_ms"].as_u64().unwrap() >= 25);
}

#[test]
fn serve_prints_the_listening_line_and_answers() {
    let s = serve();
    let key: Value = reqwest::blocking::get(format!("{}/api/v1/payment/key", s.url))
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(key["kty"], "RSA");
}

#[test]
fn inspect_summarizes_a_cart_and_names_the_failing_path() {
    let dir = tempfile::tempdir().unwrap();
    let cart = dir.path().join("cart.json");
    std::fs::write(
        &cart,
        json!({
            "cart_id": "c-1", "shop_id": "staging.luma.gift",
            "line_items": [{"line_item_id": "l1", "quantity": 2, "price": {"value": 10, "currency": "USD"}}],
            "shipments": [{"shipment_id": "s1", "fulfillment_type": {"id": "IN_STORE_PICKUP"}}],
            "sub_total": {"value": 20, "number": 2000, "currency": "USD", "symbol": "$"},
            "tax": {"value": "1.65", "currency": "USD"},
            "total": {"value": 21.65, "currency": "USD"}
        })
        .to_string(),
    )
    .unwrap();
    let v = json_out(&firmly(
        &["inspect", "--kind", "cart", cart.to_str().unwrap()],
        None,
    ));
    assert_eq!(v["line_items"], 1);
    assert_eq!(v["shipments"], 1);
    assert_eq!(v["subtotal"], "20.00");
    assert_eq!(v["tax_total"], "1.65");
    assert_eq!(v["total"], "21.65");
    assert_eq!(v["currency"], "USD");

    let bad = firmly(
        &["inspect", "--kind", "cart", "-"],
        Some(r#"{"cart_id":"c","line_items":[{"line_item_id":"l","quantity":{"x":1}}]}"#),
    );
    assert_eq!(bad.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(msg.contains("line_items[0].quantity"), "{msg}");

    let err = json_out(&firmly(
        &["inspect", "--kind", "error", "-"],
        Some(r#"{"code":422,"error":"ErrorNotEnoughStock","description":"Only 2 left"}"#),
    ));
    assert_eq!(err["error"], "ErrorNotEnoughStock");
    assert_eq!(err["canonical"], "NotEnoughStock");
    let unknown = firmly(&["inspect", "--kind", "nope", "-"], Some("{}"));
    assert_eq!(unknown.status.code(), Some(2));
}

fn test_key() -> (rsa::RsaPrivateKey, tempfile::TempDir, String) {
    use rsa::traits::PublicKeyParts;
    let mut rng = rand::thread_rng();
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let b64 = |b: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let jwk = json!({
        "kid": "0123456789abcdef0123456789abcdef", "kty": "RSA", "use": "enc",
        "n": b64(key.n().to_bytes_be()), "e": b64(key.e().to_bytes_be()),
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.jwk");
    std::fs::write(&path, jwk.to_string()).unwrap();
    (key, dir, path.to_str().unwrap().to_string())
}

const CARD: &str = r#"{"number":"4111 1111 1111 1111","name":"Ada Lovelace","month":"8","year":"2031","verification_value":"123"}"#;

#[test]
fn encrypt_card_jwe_decrypts_with_an_independent_implementation() {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let (key, _dir, path) = test_key();
    let out = firmly(&["encrypt-card", "--key", &path], Some(CARD));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let jwe = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let parts: Vec<&str> = jwe.split('.').collect();
    assert_eq!(parts.len(), 5);
    let d = |s: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .unwrap()
    };
    let header: Value = serde_json::from_slice(&d(parts[0])).unwrap();
    assert_eq!(header["alg"], "RSA-OAEP-256");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["kid"], "0123456789abcdef0123456789abcdef");
    let cek = key
        .decrypt(rsa::Oaep::new::<sha2::Sha256>(), &d(parts[1]))
        .unwrap();
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&cek).unwrap();
    let mut ct = d(parts[3]);
    ct.extend(d(parts[4]));
    let plain = cipher
        .decrypt(
            aes_gcm::Nonce::from_slice(&d(parts[2])),
            Payload {
                msg: &ct,
                aad: parts[0].as_bytes(),
            },
        )
        .unwrap();
    let card: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(card["number"], "4111111111111111");
    assert_eq!(card["month"], "08");
    assert_eq!(card["year"], "2031");
    assert_eq!(card["verification_value"], "123");
}

#[test]
fn encrypt_card_per_field_decrypts_with_independent_oaep_sha1() {
    let (key, _dir, path) = test_key();
    let out = firmly(&["encrypt-card", "--key", &path, "--per-field"], Some(CARD));
    let v = json_out(&out);
    for (field, expected) in [
        ("number", "4111111111111111"),
        ("name", "Ada Lovelace"),
        ("month", "08"),
        ("year", "2031"),
        ("verification_value", "123"),
    ] {
        let s = v[field].as_str().unwrap();
        let (kid, b64) = s.split_once('|').unwrap();
        assert_eq!(kid, "0123456789abcdef0123456789abcdef");
        let ct = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let plain = key.decrypt(rsa::Oaep::new::<sha1::Sha1>(), &ct).unwrap();
        assert_eq!(String::from_utf8(plain).unwrap(), expected, "{field}");
    }
}

#[test]
fn cart_and_checkout_against_the_sandbox() {
    let s = serve();
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session.json");
    let g = [
        "--api",
        s.url.as_str(),
        "--session",
        session.to_str().unwrap(),
    ];
    let run = |args: &[&str]| firmly(&[&g[..], args].concat(), None);

    let added = json_out(&run(&[
        "cart",
        "add",
        "--domain",
        "staging.luma.gift",
        "--variant",
        "MH07-M-Black",
        "--qty",
        "2",
    ]));
    assert_eq!(added["domain"], "staging.luma.gift");
    assert_eq!(added["line_items"], 1);
    assert_eq!(added["subtotal"], "108.00");
    // The session file keeps the device: a second invocation sees the same cart.
    let shown = json_out(&run(&["cart", "show", "--domain", "staging.luma.gift"]));
    assert_eq!(shown["cart_id"], added["cart_id"]);
    let raw = json_out(&run(&[
        "cart",
        "show",
        "--domain",
        "staging.luma.gift",
        "--raw",
    ]));
    assert_eq!(raw["line_items"][0]["quantity"], 2);
    let active = json_out(&run(&["carts", "active"]));
    assert_eq!(active.as_array().unwrap().len(), 1);

    let ship = dir.path().join("ship.json");
    std::fs::write(&ship, json!({
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "2065550100",
        "address1": "1 Pike Place", "city": "Seattle", "state_or_province": "WA", "postal_code": "98101", "country": "US"
    }).to_string()).unwrap();
    let card = dir.path().join("card.json");
    std::fs::write(&card, CARD).unwrap();
    let ship_s = ship.to_str().unwrap();
    let card_s = card.to_str().unwrap();

    // Without accepting the merchant's terms the command explains what is missing.
    let refused = run(&[
        "checkout",
        "--domain",
        "staging.luma.gift",
        "--shipping",
        ship_s,
        "--card",
        card_s,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--accept-consents"));

    let order = json_out(&run(&[
        "checkout",
        "--domain",
        "staging.luma.gift",
        "--shipping",
        ship_s,
        "--card",
        card_s,
        "--accept-consents",
    ]));
    assert!(order["order_number"].as_str().unwrap().starts_with("SBX-"));
    let orders: Value = reqwest::blocking::get(format!("{}/__sandbox/orders", s.url))
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(orders[0]["order_number"], order["order_number"]);
    assert_eq!(orders[0]["total"], order["total"]);

    // An API error prints the normalized error JSON and exits 1.
    let bad = run(&[
        "cart",
        "add",
        "--domain",
        "staging.luma.gift",
        "--variant",
        "NOPE-1",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert!(
        err["code"].as_str().unwrap().contains("ProductNotFound"),
        "{err}"
    );
}

#[test]
fn session_transfer_imports_a_cart() {
    let s = serve();
    let out = json_out(&firmly(
        &[
            "--api",
            &s.url,
            "session",
            "transfer",
            "--domain",
            "gadgets.test",
            "--handle",
            "external-session-42",
            "--cookie",
            "cart=abc",
        ],
        None,
    ));
    assert_eq!(out["line_items"], 2);
    let failed = firmly(
        &[
            "--api",
            &s.url,
            "session",
            "transfer",
            "--domain",
            "gadgets.test",
            "--handle",
            "expired-1",
        ],
        None,
    );
    assert_eq!(failed.status.code(), Some(1));
}

#[test]
fn a_soak_slice_has_no_duplicates_and_no_false_reports() {
    soak_slice(serve(), "100");
}

/// The same slice against the documented API: a lost answer cannot be settled from the
/// cart there (it answers 404 after an order), so it stays unknown; nothing else may.
#[test]
fn a_soak_slice_against_the_documented_api_is_honest_too() {
    soak_slice(serve_with(&["--profile", "docs"]), "60");
}

fn soak_slice(s: Server, default_orders: &str) {
    let n = std::env::var("FIRMLY_SOAK_ORDERS").unwrap_or_else(|_| default_orders.into());
    let out = firmly(
        &[
            "--api",
            &s.url,
            "soak",
            "--orders",
            &n,
            "--seed",
            "11",
            "--timeout-ms",
            "400",
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "soak failed: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(v["orders"], json!(n.parse::<u64>().unwrap()));
    assert_eq!(
        (
            v["duplicates"].as_u64(),
            v["false_reports"].as_u64(),
            v["needless_unknowns"].as_u64()
        ),
        (Some(0), Some(0), Some(0)),
        "{v}"
    );
    // Every kind of fault was exercised and every outcome seen.
    assert!(v["faults"].as_object().unwrap().len() >= 7, "{v}");
    for k in ["placed", "not_placed", "unknown"] {
        assert!(v[k].as_u64().unwrap() > 0, "{k}: {v}");
    }
    println!("soak: {v}");
}

/// Stdout as JSON, whatever the exit status.
fn json_any(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON on stdout ({e}): {} / {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn write_files(dir: &std::path::Path, card: &str) -> (String, String) {
    let ship = dir.join("ship.json");
    std::fs::write(&ship, json!({
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "2065550100",
        "address1": "1 Pike Place", "city": "Seattle", "state_or_province": "WA", "postal_code": "98101", "country": "US"
    }).to_string()).unwrap();
    let card_file = dir.join("card.json");
    std::fs::write(&card_file, card).unwrap();
    (
        ship.to_str().unwrap().to_string(),
        card_file.to_str().unwrap().to_string(),
    )
}

#[test]
fn checkout_all_pays_every_cart_once_and_reports_each() {
    let s = serve();
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session.json");
    let g = [
        "--api",
        s.url.as_str(),
        "--session",
        session.to_str().unwrap(),
    ];
    let run = |args: &[&str]| firmly(&[&g[..], args].concat(), None);
    for (d, v) in [
        ("staging.luma.gift", "MH07-M-Black"),
        ("shop-01.test", "S01-CANVAS-TOTE"),
        ("shop-02.test", "S02-ENAMEL-MUG-Navy"),
    ] {
        assert!(run(&["cart", "add", "--domain", d, "--variant", v])
            .status
            .success());
    }
    let (ship, card) = write_files(dir.path(), CARD);
    let out = run(&[
        "carts",
        "checkout-all",
        "--shipping",
        &ship,
        "--card",
        &card,
        "--accept-consents",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = json_out(&out);
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(
        results
            .iter()
            .all(|r| r["outcome"] == "placed" && r["order_number"].is_string()),
        "{results:?}"
    );
    let orders: Value = reqwest::blocking::get(format!("{}/__sandbox/orders", s.url))
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        orders.as_array().unwrap().len(),
        3,
        "one order per merchant"
    );
    // The audit log of the session's folder saw it.
    let audit = json_out(&run(&["audit", "show", "--limit", "100"]));
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "pay_all"));

    // A declined card: nothing placed, exit 1, each merchant says why.
    for (d, v) in [
        ("shop-03.test", "S03-CANVAS-TOTE"),
        ("shop-04.test", "S04-CANVAS-TOTE"),
    ] {
        assert!(run(&["cart", "add", "--domain", d, "--variant", v])
            .status
            .success());
    }
    let (_, declined) = write_files(
        dir.path(),
        r#"{"number":"4000000000000002","name":"Ada Lovelace","month":"12","year":"2031","verification_value":"123"}"#,
    );
    let out = run(&[
        "carts",
        "checkout-all",
        "--shipping",
        &ship,
        "--card",
        &declined,
        "--accept-consents",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let results = json_any(&out);
    assert!(
        results
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "not_placed"),
        "{results}"
    );
}

#[test]
fn an_interrupted_order_is_unknown_until_order_status_can_tell() {
    let s = serve();
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session.json");
    let g = [
        "--api",
        s.url.as_str(),
        "--session",
        session.to_str().unwrap(),
    ];
    let run = |args: &[&str]| firmly(&[&g[..], args].concat(), None);
    assert!(run(&[
        "cart",
        "add",
        "--domain",
        "staging.luma.gift",
        "--variant",
        "MH07-M-Black"
    ])
    .status
    .success());
    let (ship, card) = write_files(dir.path(), CARD);
    // The connection drops after the request was sent: the outcome is unknown (exit 3).
    let fault = reqwest::blocking::Client::new()
        .post(format!("{}/__sandbox/faults", s.url))
        .json(&json!({"match": {"path_contains": "/payment/complete-order"}, "drop_connection": true, "times": 1}))
        .send()
        .unwrap();
    assert!(fault.status().is_success());
    let out = run(&[
        "checkout",
        "--domain",
        "staging.luma.gift",
        "--shipping",
        &ship,
        "--card",
        &card,
        "--accept-consents",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("order status"));
    // The in-flight record lives beside the session file; `order status` reads it.
    assert!(dir.path().join("session.orders.json").exists());
    let status = run(&["order", "status", "--domain", "staging.luma.gift"]);
    assert_eq!(status.status.code(), Some(3));
    assert_eq!(json_any(&status)["outcome"], "unknown");
    // Paying again is refused while the outcome is unknown.
    let again = run(&[
        "checkout",
        "--domain",
        "staging.luma.gift",
        "--shipping",
        &ship,
        "--card",
        &card,
        "--accept-consents",
    ]);
    assert_eq!(
        again.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let orders: Value = reqwest::blocking::get(format!("{}/__sandbox/orders", s.url))
        .unwrap()
        .json()
        .unwrap();
    assert!(orders.as_array().unwrap().is_empty());
}

/// The shipment steps the app takes, scriptable: a pickup-only item's stores, the store
/// chosen, its only method pre-selected, a pickup option.
#[test]
fn a_shipment_is_prepared_and_chosen_from_the_command_line() {
    let s = serve_with(&["--profile", "docs"]);
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session.json");
    let g = ["--api", &s.url, "--session", session.to_str().unwrap()];
    let run = |args: &[&str]| firmly(&[&g[..], args].concat(), None);
    json_out(&run(&[
        "cart",
        "add",
        "--domain",
        "gadgets.test",
        "--variant",
        "GAD-LAP-01",
    ]));
    let raw = json_out(&run(&["cart", "show", "--domain", "gadgets.test", "--raw"]));
    let sid = raw["shipments"][0]["shipment_id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = json_out(&run(&[
        "shipment",
        "show",
        "--domain",
        "gadgets.test",
        "--shipment",
        &sid,
    ]));
    let stores = shown["availability"]["locations"]
        .as_array()
        .unwrap()
        .clone();
    assert!(stores.len() >= 2, "{shown}");
    let store = stores[0]["location_id"].as_str().unwrap();
    let chosen = json_out(&run(&[
        "shipment",
        "type",
        "--domain",
        "gadgets.test",
        "--shipment",
        &sid,
        "--kind",
        "PICKUP_IN_STORE",
        "--location",
        store,
    ]));
    assert_eq!(
        chosen["shipment"]["selected_location"]["location_id"],
        store
    );
    assert!(
        chosen["shipment"]["selected_method"].is_string(),
        "the only method: {chosen}"
    );
    let curbside = json_out(&run(&[
        "shipment",
        "pickup-option",
        "--domain",
        "gadgets.test",
        "--shipment",
        &sid,
        "--option",
        "curbside",
    ]));
    assert_eq!(curbside["availability"]["chosen_pickup_option"], "curbside");
    let bad = run(&[
        "shipment",
        "pickup-option",
        "--domain",
        "gadgets.test",
        "--shipment",
        &sid,
        "--option",
        "teleport",
    ]);
    assert_eq!(bad.status.code(), Some(2), "a field error is bad input");
}
