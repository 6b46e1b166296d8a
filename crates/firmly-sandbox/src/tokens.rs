//! Device tokens (ENDPOINTS.md §1 #1, decoded samples ENDPOINTS.md §2.6): HS256 JWTs
//! (RFC 7519 / RFC 7515 compact) signed with a per-process secret, carrying `deviceid`,
//! `appid`, `sub`, `env`, `iss: "identity"`, `jti`, `iat` and `exp` in integer seconds; and the
//! cache of verified tokens. Pure: the HTTP side (headers, devices, the sandbox clock, the
//! error envelopes) is [`crate::routes::auth`].

use base64::Engine;
use serde::Serialize;
use serde_json::Value;

/// Lifetime of an access token (ENDPOINTS.md §7 C28).
pub const TOKEN_TTL_SECONDS: i64 = 3600;
/// Expired tokens can be renewed for a week (ENDPOINTS.md §3).
pub const RENEWAL_WINDOW_SECONDS: i64 = 7 * 24 * 3600;

/// Why a device token is refused (see [`crate::routes::auth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFault {
    Missing,
    NotAJwt,
    Unreadable,
    BadSignature,
    UnknownDevice,
    Expired,
    ExpiredBeyondRenewal,
}

#[derive(Debug, Clone)]
pub struct Claims {
    pub device_id: String,
    pub app_id: String,
    pub exp: i64,
}

/// The protected header of a device token (members in the order clients have always seen).
#[derive(Serialize)]
struct JwtHeader<'a> {
    typ: &'a str,
    kid: &'a str,
    alg: &'a str,
}

/// The documented claims (decoded samples ENDPOINTS.md §2.6), integer seconds.
#[derive(Serialize)]
struct JwtClaims<'a> {
    deviceid: &'a str,
    appid: &'a str,
    sub: &'a str,
    env: &'a str,
    iss: &'a str,
    jti: &'a str,
    iat: i64,
    exp: i64,
}

/// HMAC-SHA256 of `message` under `secret`.
fn hs256(secret: &[u8], message: &[u8]) -> Option<Vec<u8>> {
    // OpenSSL's first use decides whether it cleans up at exit; without that clean-up
    // (`openssl::init`), a key generated on another thread while the process exits is safe.
    openssl::init();
    let key = openssl::pkey::PKey::hmac(secret).ok()?;
    let mut signer =
        openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &key).ok()?;
    signer.update(message).ok()?;
    signer.sign_to_vec().ok()
}

pub fn issue(secret: &[u8], device_id: &str, app_id: &str, now: i64) -> Option<(String, i64)> {
    let exp = now + TOKEN_TTL_SECONDS;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = JwtHeader {
        typ: "JWT",
        kid: "sandbox-hs256",
        alg: "HS256",
    };
    let jti = uuid::Uuid::new_v4().simple().to_string();
    let claims = JwtClaims {
        deviceid: device_id,
        appid: app_id,
        sub: "Developer",
        env: "sandbox",
        iss: "identity",
        jti: &jti,
        iat: now,
        exp,
    };
    let mut token = b64.encode(serde_json::to_vec(&header).ok()?);
    token.push('.');
    b64.encode_string(serde_json::to_vec(&claims).ok()?, &mut token);
    let signature = hs256(secret, token.as_bytes())?;
    token.push('.');
    b64.encode_string(signature, &mut token);
    Some((token, exp))
}

fn is_b64url(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=')
}

/// Reads the claims without checking the signature.
pub fn read_claims(token: &str) -> Result<Claims, AuthFault> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| is_b64url(p)) {
        return Err(AuthFault::NotAJwt);
    }
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let json = |p: &str| -> Option<serde_json::Value> {
        serde_json::from_slice(&b64.decode(p.trim_end_matches('=')).ok()?).ok()
    };
    let (Some(header), Some(claims)) = (json(parts[0]), json(parts[1])) else {
        return Err(AuthFault::Unreadable);
    };
    let readable = header.get("alg").is_some() && claims["iss"] == "identity";
    let claims = readable
        .then(|| {
            Some(Claims {
                device_id: claims.get("deviceid")?.as_str()?.to_string(),
                app_id: claims.get("appid")?.as_str()?.to_string(),
                exp: claims.get("exp")?.as_i64()?,
            })
        })
        .flatten();
    claims.ok_or(AuthFault::Unreadable)
}

/// A JWS (RFC 7515) compact token signed HS256 with `secret`: three strict base64url parts, a
/// JSON-object header with `alg: "HS256"` and no `crit`, a JSON-object payload and the
/// signature over `header.payload` (compared in constant time).
pub fn signature_ok(secret: &[u8], token: &str) -> bool {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let object = |part: &str| -> Option<serde_json::Map<String, Value>> {
        serde_json::from_slice(&b64.decode(part).ok()?).ok()
    };
    let Some(h) = object(header) else {
        return false;
    };
    if h.get("alg").and_then(Value::as_str) != Some("HS256") || h.contains_key("crit") {
        return false;
    }
    if object(payload).is_none() {
        return false;
    }
    let (Ok(given), Some(expected)) = (
        b64.decode(signature),
        hs256(
            secret,
            &token.as_bytes()[..header.len() + 1 + payload.len()],
        ),
    ) else {
        return false;
    };
    given.len() == expected.len() && openssl::memcmp::eq(&given, &expected)
}

/// Tokens kept by [`TokenCache`] before it starts over.
const TOKEN_CACHE_CAP: usize = 4096;

/// Tokens whose signature and claims were verified, with their claims: both are a function of
/// the token and the process's secret alone, so the HMAC and the JSON parsing run once per
/// token. The device and the expiry are still judged on every request (by [`crate::routes::auth::verify`]), so an
/// expired token is refused at its expiry, cached or not. Bounded: emptied when full.
#[derive(Default)]
pub struct TokenCache {
    verified: parking_lot::Mutex<std::collections::HashMap<String, Claims>>,
}

impl TokenCache {
    /// The claims of a token signed with `secret`, from the cache or verified now.
    pub fn claims(&self, secret: &[u8], token: &str) -> Result<Claims, AuthFault> {
        if let Some(c) = self.verified.lock().get(token) {
            return Ok(c.clone());
        }
        let claims = read_claims(token)?;
        if !signature_ok(secret, token) {
            return Err(AuthFault::BadSignature);
        }
        let mut verified = self.verified.lock();
        if verified.len() >= TOKEN_CACHE_CAP {
            verified.clear();
        }
        verified.insert(token.to_string(), claims.clone());
        Ok(claims)
    }

    /// Whether `token` is cached (for tests and inspection).
    pub fn contains(&self, token: &str) -> bool {
        self.verified.lock().contains_key(token)
    }

    pub fn len(&self) -> usize {
        self.verified.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_faults() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let (t, exp) = issue(secret, "dev-1", "sandbox-app", 1_000).expect("issue");
        assert_eq!(exp, 1_000 + TOKEN_TTL_SECONDS);
        let c = read_claims(&t).expect("claims");
        assert_eq!(c.device_id, "dev-1");
        assert_eq!(c.app_id, "sandbox-app");
        assert!(signature_ok(secret, &t));
        assert!(!signature_ok(b"another-secret-another-secret-xx", &t));
        assert_eq!(read_claims("garbage").err(), Some(AuthFault::NotAJwt));
        assert_eq!(read_claims("a b.c.d").err(), Some(AuthFault::NotAJwt));
        assert_eq!(
            read_claims("abc.def.ghi").err(),
            Some(AuthFault::Unreadable)
        );
    }

    #[test]
    fn the_token_has_the_documented_header_and_claims() {
        let (t, _) = issue(
            b"0123456789abcdef0123456789abcdef",
            "dev-3",
            "sandbox-app",
            1_000,
        )
        .expect("issue");
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let part = |i: usize| -> Value {
            let raw = b64.decode(t.split('.').nth(i).expect("part")).expect("b64");
            serde_json::from_slice(&raw).expect("json")
        };
        assert_eq!(
            part(0),
            serde_json::json!({ "typ": "JWT", "kid": "sandbox-hs256", "alg": "HS256" })
        );
        let claims = part(1);
        assert_eq!(claims["deviceid"], "dev-3");
        assert_eq!(claims["appid"], "sandbox-app");
        assert_eq!(
            (&claims["sub"], &claims["env"]),
            (
                &serde_json::json!("Developer"),
                &serde_json::json!("sandbox")
            )
        );
        assert_eq!(claims["iss"], "identity");
        assert_eq!(claims["jti"].as_str().map(str::len), Some(32));
        assert_eq!(
            (claims["iat"].as_i64(), claims["exp"].as_i64()),
            (Some(1_000), Some(1_000 + TOKEN_TTL_SECONDS))
        );
        assert_eq!(claims.as_object().map(|o| o.len()), Some(8));
    }
}
