//! The HTTP error layer: the normalized error envelope `{code, error, description}`
//! (ENDPOINTS.md §6.1, v2 confirmation ENDPOINTS.md §6.1), plus
//! `details` on v2-family errors (the v2 error schema, ENDPOINTS.md §6.1); the
//! route [`Family`]; and the JSON body extractor: a malformed body, or one with a member its
//! documented shape does not allow ([`crate::body_shapes`]), is
//! `ErrorInvalidInputBody 400` on v2 routes (ENDPOINTS.md §6.3) and `InvalidInputBody 422` on v1 routes
//! (ENDPOINTS.md §7 C40), never a 500. Bodies are parsed whatever the Content-Type (ENDPOINTS.md §7 C44).
//! Domain errors ([`crate::rules::Rule`]) become envelopes in [`crate::rule_errors`].

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::body_shapes::{self, Documented};
use crate::model::profile::Profile;

/// An API error as the real service reports it (boxed: it travels in every `Result`).
#[derive(Debug, Clone)]
pub struct ApiError(Box<ErrorBody>);

#[derive(Debug, Clone)]
pub struct ErrorBody {
    pub status: StatusCode,
    pub error: String,
    pub description: String,
    pub details: Option<serde_json::Value>,
}

impl std::ops::Deref for ApiError {
    type Target = ErrorBody;
    fn deref(&self) -> &ErrorBody {
        &self.0
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    code: u16,
    error: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a serde_json::Value>,
}

impl ApiError {
    pub fn new(status: u16, error: &str, description: impl Into<String>) -> ApiError {
        ApiError(Box::new(ErrorBody {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            error: error.to_string(),
            description: description.into(),
            details: None,
        }))
    }

    pub fn with_details(mut self, details: serde_json::Value) -> ApiError {
        self.0.details = Some(details);
        self
    }

    /// The same error with another status (routes whose page documents a different one).
    pub fn with_status(mut self, status: u16) -> ApiError {
        self.0.status = StatusCode::from_u16(status).unwrap_or(self.0.status);
        self
    }

    pub fn route_not_found() -> ApiError {
        ApiError::new(
            404,
            "RouteNotFound",
            "This route was not found in this server.",
        )
    }

    pub fn missing_auth_header() -> ApiError {
        ApiError::new(
            400,
            "MissingAuthHeader",
            "x-firmly-authorization header is missing or invalid.",
        )
    }

    pub fn invalid_jwt() -> ApiError {
        ApiError::new(401, "InvalidJWTToken", "The JWT token is invalid.")
    }

    pub fn unexpected() -> ApiError {
        ApiError::new(500, "Unexpected", "Unexpected server error.")
    }

    /// Malformed or mistyped body, in the id/status of the route family.
    pub fn invalid_body(v2: bool, detail: &str) -> ApiError {
        if v2 {
            ApiError::new(
                400,
                "ErrorInvalidInputBody",
                format!("The body is not processable: {detail}"),
            )
        } else {
            ApiError::new(
                422,
                "InvalidInputBody",
                format!("The body is not processable: {detail}"),
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Envelope {
            code: self.status.as_u16(),
            error: &self.error,
            description: &self.description,
            details: self.details.as_ref(),
        };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Which error ids a route uses: v2 routes use the `Error*` spellings and statuses of the v2
/// pages, v1 routes (and the vault) the v1 ones (ENDPOINTS.md §7 C4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V1,
    V2,
}

/// True for the v2 route family (`/api/v2/...`), whose error ids carry the `Error` prefix.
/// The vault's `/api/v2/payment/complete-order` is a payment route (v1-style ids, like v3).
pub fn is_v2_path(path: &str) -> bool {
    path.starts_with("/api/v2/") && !path.starts_with("/api/v2/payment/")
}

/// A JSON body parsed leniently as to Content-Type (any; empty body = `{}`) and strictly as
/// to members (a member its documented shape does not allow is refused, naming it —
/// [`crate::body_shapes`]), rejecting with the route family's invalid-body error and the JSON
/// path of the failure.
pub struct ApiJson<T>(pub T);

/// Any router state that says which profile the sandbox runs (the app's `AppState`), so the
/// body rules need nothing else of it.
impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned + Documented,
    S: Send + Sync,
    Profile: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let v2 = is_v2_path(req.uri().path());
        let profile = Profile::from_ref(state);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::invalid_body(v2, "the body could not be read"))?;
        parse_documented(&bytes, v2, profile).map(ApiJson)
    }
}

/// [`parse_body`] after the shape check of [`crate::body_shapes`]: an unknown member is
/// refused before the types are judged, so a misspelt field is named as unknown rather than
/// reported as a missing one.
pub fn parse_documented<T: DeserializeOwned + Documented>(
    bytes: &[u8],
    v2: bool,
    profile: Profile,
) -> ApiResult<T> {
    if T::shape(profile).is_some() {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            body_shapes::check::<T>(&value, profile).map_err(|d| ApiError::invalid_body(v2, &d))?;
        }
    }
    parse_body(bytes, v2)
}

/// Parses a request body; an empty body is read as `{}`.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8], v2: bool) -> ApiResult<T> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let mut de = serde_json::Deserializer::from_slice(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = if path.is_empty() || path == "." {
            inner.to_string()
        } else {
            format!("{path}: {inner}")
        };
        ApiError::invalid_body(v2, &msg)
    })?;
    de.end()
        .map_err(|e| ApiError::invalid_body(v2, &e.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Q {
        #[allow(dead_code)]
        quantity: i64,
    }

    #[test]
    fn invalid_body_ids_per_family() {
        let e = parse_body::<Q>(br#"{"quantity":"x"}"#, true).expect_err("bad");
        assert_eq!(e.error, "ErrorInvalidInputBody");
        assert_eq!(e.status.as_u16(), 400);
        assert!(e.description.contains("quantity"));
        let e = parse_body::<Q>(b"{", false).expect_err("bad");
        assert_eq!(e.error, "InvalidInputBody");
        assert_eq!(e.status.as_u16(), 422);
        assert!(parse_body::<Q>(br#"{"quantity":2}"#, true).is_ok());
    }
}
