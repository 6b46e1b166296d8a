//! Naming a found sample: its role (response, request, error, other), its model kind, a
//! title, a stable file name, and — for samples that are not JSON — what is wrong with it.
//! Used by the fixture generator; the rules are by keys, with a short table of exceptions.

use crate::extract::{strip_comments, strip_trailing_commas, Found, Origin};
use serde_json::Value;

/// A found sample with everything a fixture file records.
#[derive(Debug, Clone)]
pub struct Classified {
    pub found: Found,
    pub role: &'static str,
    pub kind: String,
    pub title: String,
    pub file_name: String,
    /// `None` when the sample is valid JSON.
    pub why: Option<String>,
}

fn has(v: &Value, keys: &[&str]) -> bool {
    keys.iter().all(|k| v.get(k).is_some())
}

fn any(v: &Value, keys: &[&str]) -> bool {
    keys.iter().any(|k| v.get(k).is_some())
}

fn only(v: &Value, keys: &[&str]) -> bool {
    v.as_object()
        .is_some_and(|o| !o.is_empty() && o.keys().all(|k| keys.contains(&k.as_str())))
}

/// Model kind of a JSON value, decided from its keys.
pub fn kind_of(v: &Value) -> &'static str {
    if let Some(a) = v.as_array() {
        let Some(f) = a.first().filter(|f| f.is_object()) else {
            return "unknown-list";
        };
        if any(f, &["ui_slot", "revokable"]) {
            return "consents";
        }
        if has(f, &["handle", "loc"]) || has(f, &["handle", "title"]) {
            return "product-list";
        }
        if has(f, &["sku", "price"]) || has(f, &["id", "price"]) {
            return "shipping-methods";
        }
        return "unknown-list";
    }
    if !v.is_object() {
        return "unknown";
    }
    if has(v, &["domains", "carts"]) {
        return "active-carts";
    }
    if has(v, &["merchants"]) {
        return "cart-hive";
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
        return "payment-key";
    }
    if has(v, &["payment_method_options", "access_token"]) {
        return "wallet-unlock-complete";
    }
    if has(v, &["access_token", "otp_destination"]) {
        return "wallet-unlock-start";
    }
    if has(v, &["otp_destination"]) {
        return "otp";
    }
    if only(v, &["status"]) {
        return "health";
    }
    if only(v, &["token"]) {
        return "tokenize-response";
    }
    if only(v, &["device_id"]) {
        return "device-id";
    }
    if has(v, &["alg", "enc"]) {
        return "jwe-header";
    }
    if has(v, &["number", "verification_value"]) {
        return "card-plaintext";
    }
    if has(v, &["addon_id"]) && any(v, &["display", "scope", "price", "name"]) {
        return "addon-offer";
    }
    if has(v, &["utc", "local"]) {
        return "zoned-time";
    }
    // Request bodies.
    if has(v, &["selections"]) {
        return "addons-request";
    }
    if only(v, &["addon_id"]) {
        return "remove-addon-request";
    }
    if has(v, &["credit_card", "billing_info"]) {
        return "complete-order-v2-request";
    }
    if has(v, &["encrypted_card"]) {
        return "complete-order-v3-request";
    }
    if has(v, &["payment_token"]) {
        return "complete-order-v1-request";
    }
    if has(v, &["data", "metadata"]) {
        return "tokenize-request";
    }
    if has(v, &["attribution"]) || any(v, &["utm", "referrer_url", "referral_code"]) {
        return "attribution-request";
    }
    if has(v, &["handle"]) {
        return "session-transfer-request";
    }
    if only(v, &["payment_id"]) {
        return "saved-payment-request";
    }
    if only(v, &["shipping_method"]) {
        return "shipping-method-request";
    }
    if has(v, &["otp", "access_token"]) {
        return "wallet-unlock-complete-request";
    }
    if has(v, &["email", "hcaptcha_token"]) {
        return "wallet-unlock-start-request";
    }
    if only(v, &["email", "otp"]) && has(v, &["otp"]) {
        return "validate-otp-request";
    }
    if only(v, &["email"]) {
        return "email-request";
    }
    if only(v, &["promo_codes"]) {
        return "promo-codes-request";
    }
    if has(v, &["consents"]) {
        return "consents-request";
    }
    if has(v, &["attributes"]) {
        return "paypal-authorize-request";
    }
    if has(v, &["shipment_id", "shipping_method_id"]) {
        return "shipment-method-request";
    }
    if has(v, &["shipment_id", "fulfillment_type"]) {
        return "fulfillment-type-request";
    }
    if only(v, &["shipment_id"]) {
        return "availability-request";
    }
    if has(v, &["variant_id", "quantity"]) {
        return "add-line-item-request";
    }
    if only(v, &["quantity"]) {
        return "update-line-item-request";
    }
    if only(v, &["access_token"]) {
        return "browser-session-request";
    }
    if any(v, &["address1", "address_line_1"]) && any(v, &["city", "postal_code", "zip"]) {
        return "address";
    }
    if has(v, &["currency", "value"]) {
        return "amount";
    }
    if has(v, &["sku", "quantity"]) {
        return "line-item";
    }
    if has(v, &["payment_type"]) {
        return "payment-method";
    }
    if has(v, &["sku", "description", "price"]) || has(v, &["id", "description", "price"]) {
        return "shipping-method";
    }
    if has(v, &["url"]) {
        return "image";
    }
    "unknown"
}

/// Kinds of samples that are not an API response or request but illustrate a value.
const OTHER_KINDS: &[&str] = &[
    "jwe-header",
    "card-plaintext",
    "device-id",
    "cart-hive",
    "zoned-time",
    "placeholder",
    "fragment",
    "discount",
    "session-info",
    "time-slot",
];

/// Exceptions to the key rules: `(file prefix, line, kind)`. Each says why.
const KIND_EXCEPTIONS: &[(&str, usize, &str)] = &[
    // 003: the API playground's schema skeleton `{"domains": [{}], "carts": [{}]}`.
    ("003", 11, "placeholder"),
    // Invalid samples whose repaired text cannot be parsed (classified by their heading).
    ("000", 39, "session-transfer-request"),
    ("002", 559, "cart"),
    ("002", 6243, "product"),
    ("002", 12099, "ray-id"),
    ("002", 12122, "fragment"),
    ("002", 12171, "fragment"),
    ("002", 12217, "fragment"),
    ("002", 12227, "fragment"),
    ("002", 12417, "fragment"),
    ("002", 12537, "cart"),
    ("002", 12934, "product-list"),
    ("002", 13217, "cart"),
    ("002", 8372, "complete-order-v2-request"),
    ("002", 12707, "discount"),
    ("002", 13384, "discount"),
    ("002", 13078, "session-info"),
    ("002", 13605, "session-info"),
    // Schema Reference examples: a time slot, and addon constraint fragments.
    ("002", 4131, "time-slot"),
    ("002", 4346, "addon-offer"),
    ("002", 4357, "addon-offer"),
    // "Cart with Multiple Addon Types": the `addons` part of a cart.
    ("002", 4370, "cart"),
    // v2 request schemas written as commented JSON ("string" placeholders).
    ("002", 844, "addons-request"),
    ("002", 1199, "remove-addon-request"),
    ("002", 2211, "update-line-item-request"),
    ("002", 2352, "address"),
    ("002", 2759, "address"),
    ("002", 3266, "promo-codes-request"),
    ("002", 4706, "availability-request"),
    ("002", 5191, "fulfillment-type-request"),
    ("002", 5664, "shipment-method-request"),
];

/// Exceptions to the role rules: `(file prefix, line, role)`.
const ROLE_EXCEPTIONS: &[(&str, usize, &str)] = &[
    // Request-schema blocks of the v2 pages are request bodies.
    ("002", 844, "request"),
    ("002", 1199, "request"),
    ("002", 2211, "request"),
    ("002", 2352, "request"),
    ("002", 2759, "request"),
    ("002", 3266, "request"),
    ("002", 4706, "request"),
    ("002", 5191, "request"),
    ("002", 5664, "request"),
    ("000", 39, "request"),
    // The card plaintext that v3 encrypts into `encrypted_card` (not a body itself).
    ("002", 8547, "other"),
    // The JS SDK's `merchantOrder` variable, not an HTTP response.
    ("002", 14171, "other"),
];

fn exception<'a>(table: &'a [(&str, usize, &'a str)], f: &Found) -> Option<&'a str> {
    table
        .iter()
        .find(|(p, l, _)| f.file.starts_with(p) && *l == f.line)
        .map(|(_, _, k)| *k)
}

/// What is wrong with a sample that is not JSON, in words (rules: comments, elisions,
/// placeholders, trailing commas, then the parser's own message for what remains).
pub fn why_invalid(text: &str) -> Option<String> {
    let err = serde_json::from_str::<Value>(text).err()?;
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[') || t.starts_with("...") || t.starts_with('"')) {
        return Some(format!("not JSON at all (a bare value): {err}"));
    }
    let mut defects = Vec::new();
    let mut repaired = text.to_string();
    let no_comments = strip_comments(&repaired);
    if no_comments != repaired {
        defects.push("JavaScript `//` comments".to_string());
        repaired = no_comments;
    }
    if repaired.contains("{...}") {
        defects.push("placeholder `{...}` instead of a value".to_string());
    } else if repaired.contains("...") && !has_in_string(&repaired, "...") {
        defects.push("elided with `...`: a fragment of a larger object, not a document".into());
    }
    let no_commas = strip_trailing_commas(&repaired);
    if no_commas != repaired {
        defects.push("trailing comma before `}` or `]`".to_string());
        repaired = no_commas;
    }
    if let Err(e) = serde_json::from_str::<Value>(&repaired) {
        if defects
            .iter()
            .all(|d| !d.starts_with("elided") && !d.starts_with("placeholder"))
        {
            let more = if defects.is_empty() { "" } else { "also " };
            defects.push(format!("{more}{}", describe(&repaired, &e)));
        }
    }
    Some(defects.join("; "))
}

/// `"..."` counted only when the dots are outside strings (JWE samples end in `..."`).
fn has_in_string(text: &str, needle: &str) -> bool {
    text.lines().all(|l| {
        !l.contains(needle) || {
            let before = &l[..l.find(needle).unwrap_or(0)];
            before.matches('"').count() % 2 == 1
        }
    })
}

fn describe(text: &str, e: &serde_json::Error) -> String {
    let line = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .unwrap_or("")
        .trim();
    let msg = e.to_string();
    let msg = msg.split(" at line").next().unwrap_or(&msg);
    if msg.contains("duplicate") {
        return format!("{msg} (sample line {}: `{line}`)", e.line());
    }
    let what = if msg.contains("expected `:`") {
        "missing `:` after a key"
    } else if msg.contains("expected `,` or `}`") || msg.contains("expected `,` or `]`") {
        "missing `,` between members"
    } else if msg.contains("trailing characters") {
        "more than one value (a list element with its comma, or a value after the document)"
    } else {
        msg
    };
    format!("{what} (sample line {}: `{line}`)", e.line())
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// At most `max` characters, cut at a word boundary.
fn cut(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let head: String = slug.chars().take(max).collect();
    match head.rfind('-') {
        Some(i) => head[..i].to_string(),
        None => head,
    }
}

const GENERIC_CONTEXT: &[&str] = &[
    "sample response",
    "sample responses",
    "sample request",
    "sample requests",
    "response example",
    "response",
    "request",
    "request body",
    "request schema",
    "sample request & response",
    "api playground example",
    "to build the payload",
];

/// Classifies a found sample.
pub fn classify(found: Found) -> Classified {
    let parsed: Option<Value> = serde_json::from_str(&found.text).ok();
    let repaired: Option<Value> = parsed.clone().or_else(|| {
        serde_json::from_str(&strip_trailing_commas(&strip_comments(&found.text))).ok()
    });
    let why = if parsed.is_some() {
        None
    } else {
        why_invalid(&found.text)
    };
    let kind = exception(KIND_EXCEPTIONS, &found)
        .map(str::to_string)
        .or_else(|| repaired.as_ref().map(|v| kind_of(v).to_string()))
        .unwrap_or_else(|| "unknown".into());
    let caption = found.context.iter().any(|c| {
        let c = c.to_ascii_lowercase();
        (c == "request" || c.contains("payload") || c.contains("sample request"))
            && !c.contains("response")
    }) as u8;
    let role: &'static str = if let Some(r) = exception(ROLE_EXCEPTIONS, &found) {
        match r {
            "request" => "request",
            "response" => "response",
            "error" => "error",
            _ => "other",
        }
    } else if found.origin == Origin::CurlBody
        || found.request_line.is_some()
        || caption == 1
        || kind.ends_with("-request")
    {
        "request"
    } else if kind == "error" {
        "error"
    } else if OTHER_KINDS.contains(&kind.as_str())
        || kind == "ray-id"
        || found.page == "Schema"
        || found.page == "Schema Reference"
    {
        "other"
    } else {
        "response"
    };
    let prefix = found.file.get(..3).unwrap_or("xxx").to_string();
    let version = found
        .endpoint
        .as_deref()
        .and_then(|e| {
            ["/api/v1/", "/api/v2/", "/api/v3/"]
                .iter()
                .find(|v| e.contains(*v))
                .map(|v| v.trim_matches('/').trim_start_matches("api/").to_string())
        })
        .filter(|_| found.file.starts_with("002"));
    let mut page_slug = slug(&found.page);
    if let Some(v) = &version {
        if v != "v1" && !page_slug.contains(v.as_str()) {
            page_slug = format!("{page_slug}-{v}");
        }
    }
    let detail = found
        .context
        .iter()
        .find(|c| !GENERIC_CONTEXT.contains(&c.to_ascii_lowercase().as_str()))
        .map(|c| slug(c))
        .filter(|s| !s.is_empty() && !page_slug.contains(s.as_str()));
    let mut stem = cut(&page_slug, 40);
    if let Some(d) = detail {
        stem = format!("{stem}-{}", cut(&d, 30));
    }
    if found.origin == Origin::CurlBody {
        stem.push_str("-curl");
    }
    let file_name = format!("{prefix}-L{}-{stem}-{role}.json", found.line);
    let mut title = found.page.clone();
    if let Some(v) = &version {
        if !title.to_ascii_lowercase().contains(v.as_str()) && v != "v1" {
            title = format!("{title} ({v})");
        }
    }
    for c in &found.context {
        title.push_str(" — ");
        title.push_str(c);
    }
    match found.origin {
        Origin::CurlBody => title.push_str(" — curl request body"),
        Origin::Unfenced => title.push_str(" — unfenced in the scraped page"),
        _ => {}
    }
    if let Some(r) = &found.request_line {
        title.push_str(&format!(" — body of `{r}`"));
    }
    Classified {
        found,
        role,
        kind,
        title,
        file_name,
        why,
    }
}
