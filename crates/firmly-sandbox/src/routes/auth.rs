//! Device authentication (`002_599d5acdabf6b74d.txt:6938` browser session, renewal `:6943`,
//! auth model `:10770`). Tokens are HS256 JWTs signed with a per-process secret carrying the
//! documented claims (`deviceid`, `appid`, `iss: "identity"`, `iat`, `exp`; decoded samples
//! `:10820`); expiry is judged on the sandbox clock. The device header is
//! `x-firmly-authorization`; `x-firmly-authentication` and `Authorization: Bearer` are
//! documented spellings too (ENDPOINTS.md §7 C1).
//!
//! Auth errors, one documented trigger each (the ids of `:11966` and §3):
//!
//! | trigger | answer |
//! |---|---|
//! | no device header | `MissingAuthHeader 400` (401 on the v2 session-transfer and active-carts pages, `000_…:99`, `003_…:76`) |
//! | a header value that is not three dot-separated base64url parts | `InvalidToken 400` (401 on active carts v2) |
//! | a JWT whose header or claims cannot be read | `InvalidJWTToken 401` |
//! | a readable JWT whose signature is wrong (e.g. issued by another sandbox run) | `InvalidDeviceIssuedJWT 401` |
//! | a valid token for a device the sandbox does not know (e.g. after a reset) | `UnregisteredDevice 404` |
//! | a token expired less than a week ago (renewable) | `InvalidJWTToken 401` ("invalid or expired", `004_…:463`) |
//! | a token expired more than a week ago (beyond renewal) | `SessionTokenExpired 401` |

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::Json;
use base64::Engine;
use josekit::jws::{JwsHeader, HS256};
use josekit::jwt::{self, JwtPayload};
use serde::{Deserialize, Serialize};

use crate::errors::{parse_body, ApiError, ApiResult};
use crate::model::world::DeviceRecord;
use crate::state::{AppState, Shared};

/// Lifetime of an access token (`002_599d5acdabf6b74d.txt:7003`).
pub const TOKEN_TTL_SECONDS: i64 = 3600;
/// Expired tokens can be renewed for a week (`002_599d5acdabf6b74d.txt:6943`).
pub const RENEWAL_WINDOW_SECONDS: i64 = 7 * 24 * 3600;

/// An authenticated device.
#[derive(Debug, Clone)]
pub struct Device {
    pub device_id: String,
    pub app_id: String,
}

/// Why a device token is refused (see the module docs).
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

impl AuthFault {
    /// The envelope; `strict_401` for the pages that give 401 to MissingAuthHeader and
    /// InvalidToken.
    pub fn api(self, strict_401: bool) -> ApiError {
        let bad_request = if strict_401 { 401 } else { 400 };
        match self {
            AuthFault::Missing => ApiError::missing_auth_header().with_status(bad_request),
            AuthFault::NotAJwt => {
                ApiError::new(bad_request, "InvalidToken", "Jwt token is invalid.")
            }
            AuthFault::Unreadable | AuthFault::Expired => ApiError::invalid_jwt(),
            AuthFault::BadSignature => ApiError::new(
                401,
                "InvalidDeviceIssuedJWT",
                "Device issued JWT is invalid. Either it has expired or the signature is incorrect.",
            ),
            AuthFault::UnknownDevice => ApiError::new(
                404,
                "UnregisteredDevice",
                "Device does not have an active registration in the system.",
            ),
            AuthFault::ExpiredBeyondRenewal => ApiError::new(
                401,
                "SessionTokenExpired",
                "Your session expired. Please, refresh your cart and try again",
            ),
        }
    }
}

/// App ids the sandbox accepts: `sandbox-app` and any UUID (CONTRACTS.md §3).
pub fn valid_app_id(id: &str) -> bool {
    id == "sandbox-app" || uuid::Uuid::parse_str(id).is_ok()
}

/// The device token from any of the accepted headers.
pub fn device_token(headers: &HeaderMap) -> Option<String> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    get("x-firmly-authorization")
        .or_else(|| get("x-firmly-authentication"))
        .or_else(|| {
            get("authorization").map(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
                    .unwrap_or(&v)
                    .trim()
                    .to_string()
            })
        })
}

struct Claims {
    device_id: String,
    app_id: String,
    exp: i64,
}

fn issue(secret: &[u8], device_id: &str, app_id: &str, now: i64) -> Option<(String, i64)> {
    let exp = now + TOKEN_TTL_SECONDS;
    let mut header = JwsHeader::new();
    header.set_token_type("JWT");
    header.set_key_id("sandbox-hs256");
    let mut payload = JwtPayload::new();
    payload.set_claim("deviceid", Some(device_id.into())).ok()?;
    payload.set_claim("appid", Some(app_id.into())).ok()?;
    payload.set_claim("sub", Some("Developer".into())).ok()?;
    payload.set_claim("env", Some("sandbox".into())).ok()?;
    payload.set_issuer("identity");
    payload.set_jwt_id(uuid::Uuid::new_v4().simple().to_string());
    // Integer seconds, as in the documented samples (josekit would write floats).
    payload.set_claim("iat", Some(now.into())).ok()?;
    payload.set_claim("exp", Some(exp.into())).ok()?;
    let signer = HS256.signer_from_bytes(secret).ok()?;
    let token = jwt::encode_with_signer(&payload, &header, &signer).ok()?;
    Some((token, exp))
}

fn is_b64url(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=')
}

/// Reads the claims without checking the signature.
fn read_claims(token: &str) -> Result<Claims, AuthFault> {
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

fn signature_ok(secret: &[u8], token: &str) -> bool {
    HS256
        .verifier_from_bytes(secret)
        .ok()
        .is_some_and(|v| jwt::decode_with_verifier(token, &v).is_ok())
}

/// Checks a device token against the signature, the known devices and the sandbox clock.
pub fn verify(state: &Shared, token: &str) -> Result<Device, AuthFault> {
    let claims = read_claims(token)?;
    if !signature_ok(&state.jwt_secret, token) {
        return Err(AuthFault::BadSignature);
    }
    let world = state.world.lock();
    if !world.devices.contains_key(&claims.device_id) {
        return Err(AuthFault::UnknownDevice);
    }
    let now = world.now().timestamp();
    if claims.exp + RENEWAL_WINDOW_SECONDS < now {
        return Err(AuthFault::ExpiredBeyondRenewal);
    }
    if claims.exp <= now {
        return Err(AuthFault::Expired);
    }
    Ok(Device {
        device_id: claims.device_id,
        app_id: claims.app_id,
    })
}

/// The v2 session-transfer and active-carts pages give 401 to MissingAuthHeader and
/// InvalidToken (`000_03e4b5113d1b58ff.txt:99`, `003_3e14cad37ed8d963.txt:76`).
fn strict_401(path: &str) -> bool {
    path == "/api/v2/carts/active"
        || (path.starts_with("/api/v2/domains/") && path.ends_with("/session/transfer"))
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let strict = strict_401(parts.uri.path());
        let token = device_token(&parts.headers).ok_or_else(|| AuthFault::Missing.api(strict))?;
        verify(state, &token).map_err(|f| f.api(strict))
    }
}

/// Either a device token or an app id (catalog routes accept both, ENDPOINTS.md §1 rows 2-4).
pub fn catalog_auth(state: &Shared, headers: &HeaderMap) -> ApiResult<()> {
    if let Some(token) = device_token(headers) {
        return verify(state, &token).map(|_| ()).map_err(|f| f.api(false));
    }
    match headers.get("x-firmly-app-id").and_then(|v| v.to_str().ok()) {
        Some(id) if valid_app_id(id.trim()) => Ok(()),
        Some(_) => Err(invalid_app_id()),
        None => Err(ApiError::missing_auth_header()),
    }
}

fn invalid_app_id() -> ApiError {
    ApiError::new(400, "InvalidAppId", "App ID is invalid.")
}

#[derive(Debug, Default, Deserialize)]
struct SessionRequest {
    #[serde(default)]
    access_token: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct BrowserSession {
    pub device_created: bool,
    pub access_token: String,
    pub expires_in: i64,
    pub expires: i64,
    pub device_id: String,
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get("cookie")?.to_str().ok()?;
    cookies.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == "fsession_v2" && !v.is_empty()).then(|| v.to_string())
    })
}

/// `POST /api/v1/browser-session`: new device, or renewal keeping the device when a token
/// (body `access_token` or cookie `fsession_v2`) of a known device is at most a week past
/// expiry.
pub async fn browser_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<BrowserSession>> {
    let missing = || {
        ApiError::new(
            400,
            "MissingAppId",
            "x-firmly-app-id header is missing or invalid.",
        )
    };
    let app_id = match headers.get("x-firmly-app-id").and_then(|v| v.to_str().ok()) {
        None => return Err(missing()),
        Some(v) if v.trim().is_empty() => return Err(missing()),
        Some(v) if !valid_app_id(v.trim()) => return Err(invalid_app_id()),
        Some(v) => v.trim().to_string(),
    };
    let req: SessionRequest = parse_body(&body, false)?;
    let old = req
        .access_token
        .filter(|t| !t.trim().is_empty())
        .or_else(|| cookie_token(&headers));
    let mut world = state.world.lock();
    let now = world.now().timestamp();
    let renewed = old
        .filter(|t| signature_ok(&state.jwt_secret, t))
        .and_then(|t| read_claims(&t).ok())
        .filter(|c| {
            c.exp + RENEWAL_WINDOW_SECONDS >= now && world.devices.contains_key(&c.device_id)
        })
        .map(|c| c.device_id);
    let (device_id, created) = match renewed {
        Some(id) => (id, false),
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            world.devices.insert(
                id.clone(),
                DeviceRecord {
                    app_id: app_id.clone(),
                    logged_in: BTreeMap::new(),
                    postal_code: None,
                },
            );
            (id, true)
        }
    };
    drop(world);
    let (access_token, expires) =
        issue(&state.jwt_secret, &device_id, &app_id, now).ok_or_else(ApiError::unexpected)?;
    tracing::debug!(device_id = %device_id, created, "browser session issued");
    Ok(Json(BrowserSession {
        device_created: created,
        access_token,
        expires_in: TOKEN_TTL_SECONDS,
        expires,
        device_id,
    }))
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
        assert!(valid_app_id("sandbox-app"));
        assert!(valid_app_id("6f1c1e0a-7b7e-4c55-9a53-0f5d1a6f3d11"));
        assert!(!valid_app_id("nope"));
    }
}
