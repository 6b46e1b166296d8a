//! Device authentication (`002_599d5acdabf6b74d.txt:6938` browser session, token lifecycle and
//! renewal `:6943`, auth model `:10770`). Tokens are HS256 JWTs signed with a per-process
//! secret carrying the documented claims (`deviceid`, `appid`, `iss: "identity"`, `iat`, `exp`;
//! decoded samples `:10820`). Expiry is judged on the sandbox clock. The device header is
//! `x-firmly-authorization`; `x-firmly-authentication` and `Authorization: Bearer` are accepted
//! too (ENDPOINTS.md §7 C1).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::Json;
use josekit::jws::{JwsHeader, HS256};
use josekit::jwt::{self, JwtPayload};
use serde::{Deserialize, Serialize};

use crate::errors::{parse_body, ApiError, ApiResult};
use crate::state::{AppState, DeviceRecord};

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

/// Verifies the signature and reads the claims; expiry is checked by the caller.
fn decode(secret: &[u8], token: &str) -> Option<Claims> {
    let verifier = HS256.verifier_from_bytes(secret).ok()?;
    let (payload, _) = jwt::decode_with_verifier(token, &verifier).ok()?;
    if payload.issuer() != Some("identity") {
        return None;
    }
    let exp = payload.claim("exp")?.as_i64()?;
    Some(Claims {
        device_id: payload.claim("deviceid")?.as_str()?.to_string(),
        app_id: payload.claim("appid")?.as_str()?.to_string(),
        exp,
    })
}

/// Checks a device token against the sandbox clock and the known devices.
pub fn verify(state: &AppState, token: &str) -> ApiResult<Device> {
    let claims = decode(&state.jwt_secret, token).ok_or_else(ApiError::invalid_jwt)?;
    let world = state.world.lock();
    if claims.exp <= world.now().timestamp() || !world.devices.contains_key(&claims.device_id) {
        return Err(ApiError::invalid_jwt());
    }
    Ok(Device {
        device_id: claims.device_id,
        app_id: claims.app_id,
    })
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = device_token(&parts.headers).ok_or_else(ApiError::missing_auth_header)?;
        verify(state, &token)
    }
}

/// Either a device token or an app id (catalog routes accept both, ENDPOINTS.md §1 rows 2-4).
pub fn catalog_auth(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    if let Some(token) = device_token(headers) {
        return verify(state, &token).map(|_| ());
    }
    match headers.get("x-firmly-app-id").and_then(|v| v.to_str().ok()) {
        Some(id) if valid_app_id(id.trim()) => Ok(()),
        Some(_) => Err(ApiError::new(400, "InvalidAppId", "App ID is invalid.")),
        None => Err(ApiError::missing_auth_header()),
    }
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
/// (body `access_token` or cookie `fsession_v2`) is at most a week past expiry.
pub async fn browser_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<BrowserSession>> {
    let app_id = match headers.get("x-firmly-app-id").and_then(|v| v.to_str().ok()) {
        None => {
            return Err(ApiError::new(
                400,
                "MissingAppId",
                "x-firmly-app-id header is missing or invalid.",
            ))
        }
        Some(v) if v.trim().is_empty() => {
            return Err(ApiError::new(
                400,
                "MissingAppId",
                "x-firmly-app-id header is missing or invalid.",
            ))
        }
        Some(v) if !valid_app_id(v.trim()) => {
            return Err(ApiError::new(400, "InvalidAppId", "App ID is invalid."))
        }
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
        .and_then(|t| decode(&state.jwt_secret, &t))
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
    let (access_token, expires) = issue(&state.jwt_secret, &device_id, &app_id, now)
        .ok_or_else(|| ApiError::new(500, "Unexpected", "Unexpected server error."))?;
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
    fn jwt_roundtrip_and_tamper() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let (t, exp) = issue(secret, "dev-1", "sandbox-app", 1_000).expect("issue");
        assert_eq!(exp, 1_000 + TOKEN_TTL_SECONDS);
        let c = decode(secret, &t).expect("decode");
        assert_eq!(c.device_id, "dev-1");
        assert_eq!(c.app_id, "sandbox-app");
        assert!(decode(b"another-secret-another-secret-xx", &t).is_none());
        assert!(valid_app_id("sandbox-app"));
        assert!(valid_app_id("6f1c1e0a-7b7e-4c55-9a53-0f5d1a6f3d11"));
        assert!(!valid_app_id("nope"));
    }
}
