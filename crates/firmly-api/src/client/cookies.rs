//! The cookies one [`FirmlyClient`](super::FirmlyClient) keeps: its own jar, never shared
//! with another client (one client is one customer; a new client has no cookies).
//!
//! Wallet unlock-complete answers with `Set-Cookie` headers that are "required for utilizing
//! the unlocked wallet on various online shopping carts" (ENDPOINTS.md §2.8, #49), so they go
//! back with later cart calls. The transport is shared by every client (`http.rs`), and
//! reqwest's jar belongs to a transport, so this small jar sits beside it and the client
//! attaches a `Cookie` header itself. It is stricter than a browser's on purpose:
//! - a cookie goes back only to the origin (scheme, host, port) that set it: its `Domain`
//!   attribute is ignored, so an api-host cookie never reaches the vault or status host
//!   unless they are the same origin;
//! - `Path` (or the default path), `Max-Age`/`Expires` and `Secure` are honoured (RFC 6265);
//! - at most [`MAX_COOKIES`] cookies of at most [`MAX_COOKIE_BYTES`] each.
//!
//! Values never reach `Debug`, logs or errors.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};

/// Most cookies one client keeps (the oldest goes first).
pub const MAX_COOKIES: usize = 50;
/// Longest `name=value` kept (RFC 6265 §6.1 asks user agents for at least 4096 bytes).
pub const MAX_COOKIE_BYTES: usize = 4096;

#[derive(Clone, PartialEq, Eq)]
struct Cookie {
    origin: url::Origin,
    name: String,
    value: String,
    path: String,
    secure: bool,
    /// `None` = until the client is dropped or the jar cleared.
    expires: Option<SystemTime>,
}

impl Cookie {
    fn expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|e| e <= now)
    }

    /// RFC 6265 §5.1.4 path-match.
    fn path_matches(&self, request_path: &str) -> bool {
        match request_path.strip_prefix(self.path.as_str()) {
            Some("") => true,
            Some(rest) => self.path.ends_with('/') || rest.starts_with('/'),
            None => false,
        }
    }
}

/// A client's cookie jar. `Debug` shows names only.
#[derive(Default)]
pub(crate) struct CookieJar {
    cookies: Mutex<Vec<Cookie>>,
}

impl std::fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self
            .cookies
            .lock()
            .map(|c| c.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default();
        f.debug_struct("CookieJar").field("names", &names).finish()
    }
}

/// RFC 6265 §5.1.4 default-path of a request path.
fn default_path(request_path: &str) -> String {
    match request_path.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        _ => "/".to_string(),
    }
}

/// Characters a cookie name or value may hold in a `Cookie` header we build.
fn header_safe(s: &str) -> bool {
    s.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b';')
}

/// One `Set-Cookie` header, as answered by `url`. `None` when it is malformed.
fn parse(header: &str, url: &url::Url, now: SystemTime) -> Option<Cookie> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    if name.is_empty()
        || !header_safe(name)
        || !(value.is_empty() || header_safe(value))
        || name.len() + value.len() + 1 > MAX_COOKIE_BYTES
    {
        return None;
    }
    let mut cookie = Cookie {
        origin: url.origin(),
        name: name.to_string(),
        value: value.to_string(),
        path: default_path(url.path()),
        secure: false,
        expires: None,
    };
    let mut max_age: Option<i64> = None;
    for attr in parts {
        let (key, val) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (attr.trim(), ""),
        };
        if key.eq_ignore_ascii_case("max-age") {
            max_age = val.parse().ok().or(max_age);
        } else if key.eq_ignore_ascii_case("expires") {
            if let Ok(t) = chrono::DateTime::parse_from_rfc2822(val) {
                let secs = t.timestamp();
                cookie.expires = Some(if secs <= 0 {
                    SystemTime::UNIX_EPOCH
                } else {
                    SystemTime::UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
                });
            }
        } else if key.eq_ignore_ascii_case("path") {
            if val.starts_with('/') {
                cookie.path = val.to_string();
            }
        } else if key.eq_ignore_ascii_case("secure") {
            cookie.secure = true;
        }
        // `Domain` is ignored on purpose (host-only, see the module docs); `HttpOnly` and
        // `SameSite` concern browsers' scripts and sites, not this client.
    }
    // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
    if let Some(secs) = max_age {
        cookie.expires = Some(if secs <= 0 {
            SystemTime::UNIX_EPOCH
        } else {
            now + Duration::from_secs(secs.unsigned_abs())
        });
    }
    Some(cookie)
}

impl CookieJar {
    /// Keeps the cookies `headers` (an answer of `url`) set; an expired one deletes the kept
    /// cookie of the same name and path.
    pub(crate) fn store(&self, url: &url::Url, headers: &HeaderMap) {
        let now = SystemTime::now();
        let fresh: Vec<Cookie> = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|h| parse(h, url, now))
            .collect();
        if fresh.is_empty() {
            return;
        }
        let Ok(mut jar) = self.cookies.lock() else {
            return;
        };
        for c in fresh {
            jar.retain(|k| !(k.origin == c.origin && k.name == c.name && k.path == c.path));
            if !c.expired(now) {
                jar.push(c);
            }
        }
        jar.retain(|k| !k.expired(now));
        let excess = jar.len().saturating_sub(MAX_COOKIES);
        jar.drain(..excess);
        tracing::debug!(kept = jar.len(), "cookies kept from the answer");
    }

    /// The `Cookie` header for a request to `url`, if any cookie applies: same origin,
    /// matching path, not expired, `Secure` ones over https only. Longer paths first.
    pub(crate) fn header_for(&self, url: &url::Url) -> Option<HeaderValue> {
        let now = SystemTime::now();
        let origin = url.origin();
        let https = url.scheme() == "https";
        let jar = self.cookies.lock().ok()?;
        let mut fit: Vec<&Cookie> = jar
            .iter()
            .filter(|c| {
                c.origin == origin
                    && !c.expired(now)
                    && (https || !c.secure)
                    && c.path_matches(url.path())
            })
            .collect();
        if fit.is_empty() {
            return None;
        }
        fit.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let line: Vec<String> = fit
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        let mut value = HeaderValue::from_str(&line.join("; ")).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Forgets every cookie.
    pub(crate) fn clear(&self) {
        if let Ok(mut jar) = self.cookies.lock() {
            jar.clear();
        }
    }

    /// How many cookies are kept (names and values stay private).
    pub(crate) fn len(&self) -> usize {
        self.cookies.lock().map(|j| j.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    fn set(jar: &CookieJar, at: &str, cookies: &[&str]) {
        let mut h = HeaderMap::new();
        for c in cookies {
            h.append(SET_COOKIE, HeaderValue::from_str(c).unwrap());
        }
        jar.store(&url(at), &h);
    }

    fn sent(jar: &CookieJar, to: &str) -> Option<String> {
        jar.header_for(&url(to))
            .map(|v| v.to_str().unwrap().to_string())
    }

    #[test]
    fn only_the_origin_that_set_a_cookie_gets_it_back() {
        let jar = CookieJar::default();
        set(
            &jar,
            "https://api.example/api/v1/wallets/shoppay/unlock-complete",
            &["w=1; Path=/; Domain=example; HttpOnly"],
        );
        let cart = "https://api.example/api/v1/domains/shop.example/cart/";
        assert_eq!(sent(&jar, cart).as_deref(), Some("w=1"));
        assert_eq!(
            sent(&jar, "https://vault.example/api/v3/payment/complete-order"),
            None
        );
        assert_eq!(
            sent(&jar, "http://api.example/api/v1/x"),
            None,
            "another scheme"
        );
        assert_eq!(
            sent(&jar, "https://api.example:8443/api/v1/x"),
            None,
            "another port"
        );
        assert!(!format!("{jar:?}").contains('1'), "no value in Debug");
    }

    #[test]
    fn default_path_and_path_matching() {
        let jar = CookieJar::default();
        set(
            &jar,
            "http://h.test/api/v1/wallets/shoppay/unlock-complete",
            &[
                "a=1",
                "b=2; Path=/api",
                "c=3; Path=/api/v1/wallets/shoppay/",
            ],
        );
        assert_eq!(
            sent(&jar, "http://h.test/api/v1/wallets/shoppay/x").as_deref(),
            Some("c=3; a=1; b=2"),
            "longer paths first"
        );
        assert_eq!(
            sent(&jar, "http://h.test/api/v1/domains/d/cart").as_deref(),
            Some("b=2")
        );
        assert_eq!(
            sent(&jar, "http://h.test/apix"),
            None,
            "/api does not match /apix"
        );
    }

    #[test]
    fn expiry_replacement_and_deletion() {
        let jar = CookieJar::default();
        let at = "http://h.test/";
        set(
            &jar,
            at,
            &[
                "a=1",
                "gone=1; Max-Age=0",
                "old=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
            ],
        );
        assert_eq!(sent(&jar, at).as_deref(), Some("a=1"));
        set(&jar, at, &["a=2; Max-Age=3600"]);
        assert_eq!(
            sent(&jar, at).as_deref(),
            Some("a=2"),
            "same name and path replaced"
        );
        set(&jar, at, &["a=; Max-Age=0"]);
        assert_eq!(
            sent(&jar, at),
            None,
            "an expired cookie deletes the kept one"
        );
        assert_eq!(jar.len(), 0);
    }

    #[test]
    fn secure_cookies_only_over_https_and_malformed_ones_dropped() {
        let jar = CookieJar::default();
        set(
            &jar,
            "http://h.test/",
            &["s=1; Secure", "noequals", "=v", "sp=a b"],
        );
        assert_eq!(sent(&jar, "http://h.test/"), None);
        let jar = CookieJar::default();
        set(&jar, "https://h.test/", &["s=1; Secure"]);
        assert_eq!(sent(&jar, "https://h.test/").as_deref(), Some("s=1"));
    }

    #[test]
    fn bounded_and_clearable() {
        let jar = CookieJar::default();
        let many: Vec<String> = (0..MAX_COOKIES + 5).map(|i| format!("c{i}=v")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        set(&jar, "http://h.test/", &refs);
        assert_eq!(jar.len(), MAX_COOKIES);
        let big = format!("big={}", "x".repeat(MAX_COOKIE_BYTES));
        set(&jar, "http://h.test/", &[big.as_str()]);
        assert_eq!(jar.len(), MAX_COOKIES, "an oversized cookie is not kept");
        jar.clear();
        assert_eq!(jar.len(), 0);
    }
}
