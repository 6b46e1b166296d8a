//! Device authentication (ENDPOINTS.md §1 #1 browser session, renewal ENDPOINTS.md §3,
//! auth model ENDPOINTS.md §3). Tokens are HS256 JWTs signed with a per-process secret carrying the
//! documented claims (`deviceid`, `appid`, `iss: "identity"`, `iat`, `exp`; decoded samples
//! ENDPOINTS.md §2.6; see [`crate::tokens`]); expiry is judged on the sandbox clock. The device header is
//! `x-firmly-authorization`; `x-firmly-authentication` and `Authorization: Bearer` are
//! documented spellings too (ENDPOINTS.md §7 C1).
//!
//! Auth errors, one documented trigger each (the ids of ENDPOINTS.md §6.2 and §3):
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
//!
//! Renewal (`POST /api/v1/browser-session {access_token}` or cookie `fsession_v2`) answers
//! `InvalidToken 400` for a value that is not a JWT and `InvalidJWTToken 401` for an unreadable
//! or foreign one (ENDPOINTS.md §3); our own token past the week, or of a forgotten device,
//! gets a new device.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::errors::{parse_documented, ApiError, ApiResult};
use crate::model::world::DeviceRecord;
use crate::state::{AppState, Shared};
use crate::tokens::{issue, read_claims, signature_ok};
pub use crate::tokens::{AuthFault, RENEWAL_WINDOW_SECONDS, TOKEN_TTL_SECONDS};

/// An authenticated device.
#[derive(Debug, Clone)]
pub struct Device {
    pub device_id: String,
    pub app_id: String,
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

/// Checks a device token against the signature, the known devices and the sandbox clock.
pub fn verify(state: &Shared, token: &str) -> Result<Device, AuthFault> {
    let claims = state.tokens.claims(&state.jwt_secret, token)?;
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
/// InvalidToken (ENDPOINTS.md §7 C3).
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
pub struct SessionRequest {
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
/// expiry. A token that is not ours is refused (see the module table).
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
    let req: SessionRequest = parse_documented(&body, false, state.profile)?;
    let old = req
        .access_token
        .filter(|t| !t.trim().is_empty())
        .or_else(|| cookie_token(&headers));
    // A token to renew must be one of ours: garbage is `InvalidToken 400`, an unreadable or
    // foreign (wrongly signed) JWT `InvalidJWTToken 401` (ENDPOINTS.md §3 "Auth failures") —
    // never silently a new device, which would hide a client's broken renewal.
    let claims = match old.as_deref().map(str::trim) {
        None => None,
        Some(t) => {
            let claims = read_claims(t).map_err(|f| match f {
                AuthFault::NotAJwt => AuthFault::NotAJwt.api(false),
                _ => ApiError::invalid_jwt(),
            })?;
            if !signature_ok(&state.jwt_secret, t) {
                return Err(ApiError::new(
                    401,
                    "InvalidJWTToken",
                    "The JWT token is invalid: it was not issued by this server.",
                ));
            }
            Some(claims)
        }
    };
    let mut world = state.world.lock();
    let now = world.now().timestamp();
    // Our own token beyond the renewal week, or of a device forgotten by a reset, starts a
    // new session (ENDPOINTS.md §3 step 4).
    let renewed = claims
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
    use crate::tokens::issue;

    #[test]
    fn app_ids() {
        assert!(valid_app_id("sandbox-app"));
        assert!(valid_app_id("6f1c1e0a-7b7e-4c55-9a53-0f5d1a6f3d11"));
        assert!(!valid_app_id("nope"));
    }

    fn state_with_device(device_id: &str) -> crate::state::AppState {
        let state = crate::new_state("http://127.0.0.1:9", crate::Profile::Demo).expect("state");
        state.world.lock().devices.insert(
            device_id.to_string(),
            DeviceRecord {
                app_id: "sandbox-app".to_string(),
                logged_in: BTreeMap::new(),
                postal_code: None,
            },
        );
        state
    }

    #[test]
    fn a_cached_token_is_still_refused_at_its_expiry() {
        let state = state_with_device("dev-1");
        let now = state.now().timestamp();
        let (t, exp) = issue(&state.jwt_secret, "dev-1", "sandbox-app", now).expect("issue");
        assert_eq!(
            verify(&state, &t).map(|d| d.device_id).ok().as_deref(),
            Some("dev-1")
        );
        assert!(state.tokens.contains(&t), "verified once, cached");
        assert!(verify(&state, &t).is_ok(), "served from the cache");
        // The sandbox clock reaches the expiry: refused although cached.
        state.world.lock().clock_offset = exp - now;
        assert_eq!(verify(&state, &t).err(), Some(AuthFault::Expired));
        state.world.lock().clock_offset = exp - now + RENEWAL_WINDOW_SECONDS + 1;
        assert_eq!(
            verify(&state, &t).err(),
            Some(AuthFault::ExpiredBeyondRenewal)
        );
        // And a reset forgets the device, cached token or not.
        state.reset();
        assert_eq!(verify(&state, &t).err(), Some(AuthFault::UnknownDevice));
    }

    #[test]
    fn an_unknown_token_is_verified_and_only_good_tokens_are_cached() {
        let state = state_with_device("dev-2");
        let now = state.now().timestamp();
        let (good, _) = issue(&state.jwt_secret, "dev-2", "sandbox-app", now).expect("issue");
        assert!(!state.tokens.contains(&good));
        assert!(verify(&state, &good).is_ok());
        assert!(state.tokens.contains(&good));
        let (foreign, _) = issue(
            b"another-secret-another-secret-xx",
            "dev-2",
            "sandbox-app",
            now,
        )
        .expect("issue");
        assert_eq!(
            verify(&state, &foreign).err(),
            Some(AuthFault::BadSignature)
        );
        let mut forged = good.clone();
        forged.truncate(good.len() - 4);
        forged.push_str("AAAA");
        assert_eq!(verify(&state, &forged).err(), Some(AuthFault::BadSignature));
        assert_eq!(
            verify(&state, "abc.def.ghi").err(),
            Some(AuthFault::Unreadable)
        );
        assert_eq!(verify(&state, "garbage").err(), Some(AuthFault::NotAJwt));
        assert_eq!(state.tokens.len(), 1, "refused tokens are not cached");
    }
}
