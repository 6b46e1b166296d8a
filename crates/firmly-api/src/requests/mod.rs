//! Every documented endpoint as a pure function returning a [`RequestSpec`]: method, host,
//! path, query and JSON body. The client only executes specs, so request shapes are
//! unit-tested without a network (ENDPOINTS.md §1; numbers below are its table rows).

mod cart;
mod checkout;

pub use cart::*;
pub use checkout::*;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which configured base URL a request goes to (§0: `{api}`, `{vault}`, `{status}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Host {
    Api,
    Vault,
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Safe to repeat without side effects (only GETs are retried automatically).
    pub fn is_idempotent(&self) -> bool {
        matches!(self, Method::Get)
    }
}

/// A request before it is sent. Debug shows only the body's keys: bodies can hold tokens,
/// one-time passwords and (encrypted) card data.
#[derive(Clone, PartialEq)]
pub struct RequestSpec {
    pub method: Method,
    pub host: Host,
    /// Path with every dynamic segment percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Send `x-firmly-authorization` (device token).
    pub auth: bool,
    /// Send `x-firmly-app-id`.
    pub app_id: bool,
    /// Places an order or moves money: never retried, never replayed after a transport error.
    pub payment: bool,
    /// An account or wallet login: `Unauthorized` / `InvalidOtp` here mean the login was
    /// refused, not that the device token expired, so the client does not renew and replay.
    pub login: bool,
    /// Send the client's cookies for this origin (client/cookies.rs). Off for
    /// browser-session, where a cookie means "renew this token" (ENDPOINTS.md §3).
    pub send_cookies: bool,
    /// Keep the cookies this answer sets: wallet unlock-complete (ENDPOINTS.md §2.8, #49).
    pub keep_cookies: bool,
}

impl std::fmt::Debug for RequestSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
        let body: Option<Vec<&str>> = self.body.as_ref().map(|b| {
            b.as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default()
        });
        f.debug_struct("RequestSpec")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query_keys", &query)
            .field("body_keys", &body)
            .field("auth", &self.auth)
            .field("app_id", &self.app_id)
            .field("payment", &self.payment)
            .field("login", &self.login)
            .field("send_cookies", &self.send_cookies)
            .field("keep_cookies", &self.keep_cookies)
            .finish()
    }
}

impl RequestSpec {
    fn new(method: Method, host: Host, path: String) -> RequestSpec {
        RequestSpec {
            method,
            host,
            path,
            query: Vec::new(),
            body: None,
            auth: true,
            app_id: false,
            payment: false,
            login: false,
            send_cookies: true,
            keep_cookies: false,
        }
    }

    fn api(method: Method, path: String) -> RequestSpec {
        RequestSpec::new(method, Host::Api, path)
    }

    fn body(mut self, body: Value) -> RequestSpec {
        self.body = Some(body);
        self
    }

    fn query(mut self, k: &str, v: impl Into<String>) -> RequestSpec {
        self.query.push((k.to_string(), v.into()));
        self
    }

    fn payment(mut self) -> RequestSpec {
        self.payment = true;
        self
    }

    fn login(mut self) -> RequestSpec {
        self.login = true;
        self
    }

    fn keep_cookies(mut self) -> RequestSpec {
        self.keep_cookies = true;
        self
    }

    fn no_cookies(mut self) -> RequestSpec {
        self.send_cookies = false;
        self
    }

    /// The merchant domain in this request's path, if any (`/api/v2/domains/{domain}/…`,
    /// `/api/v1/domains-products/{domain}/…`). The client refuses to send a request whose
    /// domain is not a valid hostname, so paths are built from validated parts only.
    pub fn domain(&self) -> Option<&str> {
        let rest = self
            .path
            .strip_prefix("/api/v1/domains-products/")
            .or_else(|| self.path.strip_prefix("/api/v1/domains/"))
            .or_else(|| self.path.strip_prefix("/api/v2/domains/"))?;
        Some(rest.split('/').next().unwrap_or_default())
    }

    fn with_app_id(mut self) -> RequestSpec {
        self.app_id = true;
        self
    }

    fn no_auth(mut self) -> RequestSpec {
        self.auth = false;
        self
    }

    /// Same request with another method (C18 fallback for PUT-documented, POST-curled routes).
    pub fn with_method(mut self, method: Method) -> RequestSpec {
        self.method = method;
        self
    }
}

/// A merchant domain as the API expects it: a DNS hostname of at least two labels, each
/// 1–63 of `a-z 0-9 -` (not starting or ending with `-`), 253 characters at most.
pub fn is_hostname(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Percent-encodes one path segment: handles contain `/` and `,` (C37).
pub fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(super) fn v1_cart(domain: &str, rest: &str) -> String {
    format!("/api/v1/domains/{}/cart{}", seg(domain), rest)
}

pub(super) fn v2_cart(domain: &str, rest: &str) -> String {
    format!("/api/v2/domains/{}/cart{}", seg(domain), rest)
}

pub(super) fn to_value<T: Serialize>(v: &T) -> Value {
    // Serializing our own plain structs cannot fail; Null would surface as a server 4xx.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// What `POST …/cart/shipment/methods` takes (#18, ENDPOINTS.md §1): `shipment_id`,
/// `shipping_method_id`, `selected_date?`, `notes?`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetShipmentMethod {
    pub shipment_id: String,
    pub shipping_method_id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub selected_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub notes: Option<String>,
    /// Not documented (C31: the docs offer no slot choice): sent only to a server that
    /// announced [`Extensions::time_slot`], never by serializing this struct.
    #[serde(skip_serializing, default)]
    pub selected_time_slot_id: Option<String>,
}

/// Request fields beyond the documented ones that a server announced it accepts. The
/// default is none: a request carries exactly the documented fields. The caller decides
/// from the server's own announcement (docs/CONTRACTS.md §3: an extension is used only once
/// the API's response confirms it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Extensions {
    /// `selected_time_slot_id` on `POST …/cart/shipment/methods` (ENDPOINTS.md §7 C31, an
    /// extension of the demo sandbox).
    pub time_slot: bool,
}

/// The response header in which a server announces the extensions it takes (our demo
/// sandbox, CONTRACTS.md §3): a comma-separated list of names (`time-slot`).
pub const EXTENSIONS_HEADER: &str = "x-firmly-sandbox-extensions";

impl Extensions {
    /// Documented fields only.
    pub const NONE: Extensions = Extensions { time_slot: false };

    /// The extensions a header value names; unknown names are ignored.
    pub fn announced_in(list: &str) -> Extensions {
        let names: Vec<&str> = list.split(',').map(str::trim).collect();
        Extensions {
            time_slot: names.iter().any(|n| n.eq_ignore_ascii_case("time-slot")),
        }
    }

    pub fn union(self, other: Extensions) -> Extensions {
        Extensions {
            time_slot: self.time_slot || other.time_slot,
        }
    }
}

/// The documented keys of an address in a shipping-info or billing-info body (#19, #20,
/// #46: `first_name, last_name, email, phone, address1, address2, city, postal_code,
/// state_or_province, country`). `company` is a field of the Address schema but of no
/// payload table here, and `state_name` is return-only (C22), so neither is sent.
pub(super) fn address_body(a: &crate::models::address::Address) -> Value {
    let fields = [
        ("first_name", &a.first_name),
        ("last_name", &a.last_name),
        ("email", &a.email),
        ("phone", &a.phone),
        ("address1", &a.address1),
        ("address2", &a.address2),
        ("city", &a.city),
        ("state_or_province", &a.state_or_province),
        ("postal_code", &a.postal_code),
        ("country", &a.country),
    ];
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| {
                v.as_ref()
                    .map(|v| (k.to_string(), Value::String(v.clone())))
            })
            .collect(),
    )
}

/// `format` of the payment key (#30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyFormat {
    Jwk,
    /// SubjectPublicKeyInfo PEM.
    Pem,
    /// PKCS#1 `BEGIN RSA PUBLIC KEY`.
    Rsa,
}

impl KeyFormat {
    pub fn as_str(&self) -> &'static str {
        match self {
            KeyFormat::Jwk => "JWK",
            KeyFormat::Pem => "PEM",
            KeyFormat::Rsa => "RSA",
        }
    }
}
