//! Contract test: every JSON sample in the Firmly docs (`shared/seeds/*.txt`) decodes with
//! our models (ARCHITECTURE.md contract 4). Samples are classified by their keys; request
//! bodies are decoded with the request-side types or skipped with a reason; invalid JSON
//! samples (ENDPOINTS.md §7 C41) are listed as skipped. A valid sample of a known response
//! kind that fails to decode fails the test, naming file:line and the JSON path.

use firmly_api::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn seeds_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ))
}

struct Sample {
    file: String,
    line: usize,
    text: String,
}

/// All ```json blocks (also ```json theme=...), with 1-based line of the fence.
fn json_blocks(path: &Path) -> Vec<Sample> {
    let text = std::fs::read_to_string(path).expect("seed file readable");
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim_start();
        if l.starts_with("```json") {
            let start = i;
            let mut j = i + 1;
            while j < lines.len() && !lines[j].trim_start().starts_with("```") {
                j += 1;
            }
            out.push(Sample {
                file: file.clone(),
                line: start + 1,
                text: lines[start + 1..j.min(lines.len())].join("\n"),
            });
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn has(v: &Value, keys: &[&str]) -> bool {
    keys.iter().all(|k| v.get(k).is_some())
}

fn any(v: &Value, keys: &[&str]) -> bool {
    keys.iter().any(|k| v.get(k).is_some())
}

fn first_obj(v: &Value) -> Option<&Value> {
    v.as_array()
        .and_then(|a| a.first())
        .filter(|f| f.is_object())
}

/// Kind of a sample, decided from its keys.
fn classify(v: &Value) -> &'static str {
    if let Some(f) = first_obj(v) {
        if has(f, &["ui_slot"]) || has(f, &["revokable"]) {
            return "consents";
        }
        if has(f, &["handle", "loc"]) || has(f, &["handle", "title"]) {
            return "product list";
        }
        if has(f, &["sku", "price"]) || has(f, &["id", "price"]) {
            return "shipping methods";
        }
        return "unknown list";
    }
    if !v.is_object() {
        return "unknown";
    }
    if has(v, &["domains", "carts"]) {
        return "active carts";
    }
    if has(v, &["error"])
        && any(v, &["code", "description", "message"])
        && !any(v, &["line_items", "cart_id"])
    {
        return "error";
    }
    if has(v, &["platform_order_number"]) || v.get("cart_status").is_some_and(|s| s == "submitted")
    {
        return "order";
    }
    if any(v, &["line_items", "cart_id", "shipments", "cart_status"]) {
        return "cart";
    }
    if any(
        v,
        &[
            "available_dates",
            "pickup_locations",
            "delivery_windows",
            "shipping_methods",
        ],
    ) {
        return "availability";
    }
    if any(v, &["variants", "variant_option_values", "product variant"]) {
        return "product";
    }
    if has(v, &["access_token", "device_id"]) {
        return "session";
    }
    if has(v, &["kty", "n"]) {
        return "payment key";
    }
    if has(v, &["payment_method_options", "access_token"]) {
        return "wallet unlock complete";
    }
    if has(v, &["access_token", "otp_destination"]) {
        return "wallet unlock start";
    }
    if has(v, &["otp_destination"]) {
        return "otp";
    }
    if has(v, &["status"]) && v.as_object().is_some_and(|o| o.len() == 1) {
        return "health";
    }
    if has(v, &["token"]) && v.as_object().is_some_and(|o| o.len() == 1) {
        return "tokenize response";
    }
    if has(v, &["selections"]) {
        return "addon request";
    }
    if has(v, &["credit_card", "billing_info"]) {
        return "complete order v2 request";
    }
    if has(v, &["alg", "enc"]) {
        return "jwe header";
    }
    if has(v, &["number", "verification_value"]) {
        return "card plaintext";
    }
    if has(v, &["attribution"]) {
        return "attribution";
    }
    if has(v, &["handle"]) {
        return "session transfer request";
    }
    if has(v, &["payment_id"])
        || has(v, &["shipping_method"])
        || has(v, &["otp", "access_token"])
        || has(v, &["email", "hcaptcha_token"])
    {
        return "other request";
    }
    if any(v, &["address1", "address_line_1"]) && any(v, &["city", "postal_code", "zip"]) {
        return "address";
    }
    if has(v, &["currency", "value"]) {
        return "amount";
    }
    if has(v, &["sku", "quantity"]) {
        return "line item";
    }
    if has(v, &["payment_type"]) {
        return "payment method";
    }
    if has(v, &["sku", "description", "price"]) {
        return "shipping method";
    }
    if has(v, &["url"]) {
        return "image";
    }
    "unknown"
}

fn dec<T: serde::de::DeserializeOwned>(v: &Value) -> std::result::Result<(), String> {
    decode_value::<T>(v).map(|_| ()).map_err(|e| e.message)
}

/// Decodes a sample of `kind`. `Ok(Some(reason))` = skipped on purpose.
fn decode(kind: &str, v: &Value) -> std::result::Result<Option<&'static str>, String> {
    match kind {
        "cart" => {
            let cart = decode_cart(v.clone()).map_err(|e| e.message)?;
            // Every cart sample carries at least one of these; the merge must not lose them.
            if v.get("line_items")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
                && cart.line_items.is_empty()
            {
                return Err("line_items lost".into());
            }
            Ok(None)
        }
        "order" => {
            let order: Order = decode_cart(v.clone()).map_err(|e| e.message)?;
            if !order.is_submitted() {
                return Err("order sample not recognised as submitted".into());
            }
            Ok(None)
        }
        "active carts" => dec::<ActiveCarts>(v).map(|_| None),
        "availability" => dec::<Availability>(v).map(|_| None),
        "product" => dec::<ProductDetails>(v).map(|_| None),
        "product list" => dec::<Vec<ProductSummary>>(v).map(|_| None),
        "consents" => dec::<Vec<Consent>>(v).map(|_| None),
        "session" => dec::<BrowserSession>(v).map(|_| None),
        "payment key" => PaymentKey::from_jwk(v.clone())
            .map(|_| None)
            .map_err(|e| e.message),
        "wallet unlock complete" => dec::<WalletUnlockComplete>(v).map(|_| None),
        "wallet unlock start" => dec::<WalletUnlockStart>(v).map(|_| None),
        "otp" => dec::<OtpDestination>(&v["otp_destination"]).map(|_| None),
        "health" => dec::<HealthStatus>(v).map(|_| None),
        "tokenize response" => dec::<TokenizeResponse>(v).map(|_| None),
        "shipping methods" => dec::<Vec<ShippingMethod>>(v).map(|_| None),
        "shipping method" => dec::<ShippingMethod>(v).map(|_| None),
        "address" => dec::<Address>(v).map(|_| None),
        "amount" => dec::<Amount>(v).map(|_| None),
        "line item" => dec::<LineItem>(v).map(|_| None),
        "payment method" => dec::<PaymentMethod>(v).map(|_| None),
        "image" => dec::<Image>(v).map(|_| None),
        "attribution" => dec::<Attribution>(&v["attribution"]).map(|_| None),
        "error" => {
            let e = ApiError::from_response(
                v.get("code").and_then(Value::as_u64).unwrap_or(400) as u16,
                v.to_string().as_bytes(),
                None,
            );
            let want = v["error"].as_str().unwrap_or_default();
            if e.code != want {
                return Err(format!("error id {want:?} parsed as {:?}", e.code));
            }
            Ok(None)
        }
        // Request bodies: decoded with the request-side types where we have them.
        "addon request" => dec::<Vec<AddonSelectionRequest>>(&v["selections"]).map(|_| None),
        "complete order v2 request" => {
            dec::<Address>(&v["billing_info"])?;
            dec::<EncryptedCardFields>(&v["credit_card"])?;
            Ok(None)
        }
        "card plaintext" => dec::<CardDetails>(v).map(|_| None),
        "session transfer request" => Ok(Some(
            "request body (session transfer); shape asserted in request tests",
        )),
        "other request" => Ok(Some("request body; shape asserted in request tests")),
        "jwe header" => Ok(Some("JWE protected header; covered by crypto tests")),
        _ => Ok(Some("unclassified sample")),
    }
}

#[test]
fn every_seed_json_sample_decodes() {
    let dir = seeds_dir();
    if !dir.is_dir() {
        println!(
            "seed directory {} not found; contract test skipped",
            dir.display()
        );
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut decoded = 0;
    let mut invalid = Vec::new();
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for f in &files {
        for s in json_blocks(f) {
            let at = format!("{}:{}", s.file, s.line);
            let v: Value = match serde_json::from_str(&s.text) {
                Ok(v) => v,
                Err(e) => {
                    invalid.push(format!("{at} ({e})"));
                    continue;
                }
            };
            let kind = classify(&v);
            match decode(kind, &v) {
                Ok(None) => {
                    decoded += 1;
                    *kinds.entry(kind).or_default() += 1;
                }
                Ok(Some(reason)) => skipped.push(format!("{at} [{kind}]: {reason}")),
                Err(e) => failures.push(format!("{at} [{kind}]: {e}")),
            }
        }
    }
    println!("decoded {decoded} samples by kind: {kinds:?}");
    println!("skipped {} invalid-JSON samples (C41):", invalid.len());
    for i in &invalid {
        println!("  {i}");
    }
    println!("skipped {} samples on purpose:", skipped.len());
    for s in &skipped {
        println!("  {s}");
    }
    assert!(
        !skipped.iter().any(|s| s.contains("unclassified")),
        "unclassified samples: {skipped:#?}"
    );
    assert!(
        failures.is_empty(),
        "samples that do not decode:\n{}",
        failures.join("\n")
    );
    assert!(decoded > 50, "suspiciously few samples decoded: {decoded}");
}

/// Extracts the balanced `{...}` that starts at the first `{` after `marker`.
fn object_after(text: &str, marker: &str) -> Option<String> {
    let start = text.find(marker)? + marker.len();
    let open = start + text[start..].find('{')?;
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(text[open..=open + i].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// Hand-fix for C41: drop commas directly before `}` or `]`.
fn strip_trailing_commas(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// 003 and 004 carry their samples outside code fences; decode them too (004 hand-fixed, C41).
#[test]
fn unfenced_samples_of_003_and_004_decode() {
    let dir = seeds_dir();
    let (Ok(t003), Ok(t004)) = (
        std::fs::read_to_string(dir.join("003_3e14cad37ed8d963.txt")),
        std::fs::read_to_string(dir.join("004_aafe42603e041247.txt")),
    ) else {
        println!("seed files 003/004 not found; skipped");
        return;
    };
    let active = object_after(&t003, "Response Example").expect("003 response sample");
    let v: Value = serde_json::from_str(&active).expect("003 sample is valid JSON");
    let carts: ActiveCarts = decode_value(&v).unwrap();
    assert_eq!(carts.domains.len(), 2);
    assert_eq!(carts.carts[0].cart_id.as_deref(), Some("cart_abc123"));
    assert_eq!(carts.carts[0].line_items[0].quantity, 2);
    assert_eq!(carts.carts[0].shipments[0].line_item_ids, vec!["item_1"]);
    assert_eq!(carts.carts[0].totals().total.to_string(), "126.63 USD");

    let cart_text = object_after(&t004, "Bearer <token>'").expect("004 cart sample");
    assert!(
        serde_json::from_str::<Value>(&cart_text).is_err(),
        "004 sample is known-invalid (C41)"
    );
    let v: Value =
        serde_json::from_str(&strip_trailing_commas(&cart_text)).expect("hand-fixed 004 parses");
    let cart = decode_cart(v).unwrap();
    assert_eq!(
        cart.cart_id.as_deref(),
        Some("cart_01H2XVBR8C8JS5MQSFPJ8HF9SA")
    );
    assert_eq!(cart.notices[0].code, "ITEM_NOT_SHIPPABLE");
    assert!(!cart.shipments.is_empty());
    println!("decoded 003 active carts and 004 cart (hand-fixed trailing comma)");
}
