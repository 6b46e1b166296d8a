//! One HTTP exchange: the request as the docs describe it (headers, a JSON body only when
//! there is one, the client's cookies), the answer read within bounds, and every failure
//! mapped to an [`ApiError`]. Redirects are answers, never followed.

use std::time::{Duration, Instant};

use super::{FirmlyClient, RequestLogEntry, MAX_RESPONSE_BYTES};
use crate::error::{ApiError, Result};
use crate::requests::{Method, RequestSpec};
use crate::retry::parse_retry_after;

/// Query parameters whose values are safe to show in the log; everything else is redacted.
const LOG_VISIBLE_QUERY: &[&str] = &["flush_cart", "format", "id", "excludes"];

pub(super) fn log_path(spec: &RequestSpec) -> String {
    if spec.query.is_empty() {
        return spec.path.clone();
    }
    let q: Vec<String> = spec
        .query
        .iter()
        .map(|(k, v)| {
            if LOG_VISIBLE_QUERY.contains(&k.as_str()) {
                format!("{k}={v}")
            } else {
                format!("{k}=<redacted>")
            }
        })
        .collect();
    format!("{}?{}", spec.path, q.join("&"))
}

/// A raw HTTP answer (success only; errors become [`ApiError`]).
pub(crate) struct RawResponse {
    pub(crate) body: Vec<u8>,
    pub(crate) headers: reqwest::header::HeaderMap,
}

/// A failed exchange plus the server's `Retry-After`, which the retry policy honours.
pub(super) struct Failure {
    pub(super) error: ApiError,
    pub(super) retry_after: Option<Duration>,
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

enum BodyError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads a response body, refusing more than `limit` bytes.
async fn read_limited(
    mut resp: reqwest::Response,
    limit: usize,
) -> std::result::Result<Vec<u8>, BodyError> {
    let announced = resp.content_length();
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut out = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if out.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The host (and a non-default port) a redirect points to, resolved against the request's
/// URL. Never the path or the query: they may carry tokens.
fn location_host(request: &url::Url, headers: &reqwest::header::HeaderMap) -> Option<String> {
    let location = headers
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()?
        .trim();
    let target = request.join(location).ok()?;
    let host = target.host_str()?;
    Some(match target.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

impl FirmlyClient {
    pub(super) fn url_for(&self, spec: &RequestSpec) -> Result<url::Url> {
        let base = self
            .inner
            .config
            .base(spec.host)
            .ok_or_else(|| ApiError::validation(format!("no {:?} host is configured", spec.host)))?
            .as_str()
            .trim_end_matches('/');
        let mut url = url::Url::parse(&format!("{base}{}", spec.path))
            .map_err(|e| ApiError::internal(format!("bad request URL: {e}")))?;
        if !spec.query.is_empty() {
            url.query_pairs_mut().extend_pairs(spec.query.iter());
        }
        Ok(url)
    }

    /// One HTTP exchange; logs it; maps transport and HTTP errors to [`ApiError`].
    pub(super) async fn send_once(
        &self,
        spec: &RequestSpec,
        token: Option<&str>,
    ) -> std::result::Result<RawResponse, Failure> {
        let url = self.url_for(spec)?;
        let method = match spec.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut req = self
            .inner
            .http
            .request(method, url.clone())
            .timeout(self.inner.config.timeout)
            .header(reqwest::header::USER_AGENT, self.inner.user_agent.clone())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(t) = token {
            req = req.header("x-firmly-authorization", t);
        }
        if spec.app_id {
            req = req.header("x-firmly-app-id", &self.inner.config.app_id);
        }
        if spec.send_cookies {
            // Only cookies this origin set (cookies.rs); the value is a sensitive header.
            if let Some(cookie) = self.inner.cookies.header_for(&url) {
                req = req.header(reqwest::header::COOKIE, cookie);
            }
        }
        if let Some(body) = &spec.body {
            let bytes = serde_json::to_vec(body)
                .map_err(|e| ApiError::internal(format!("cannot encode body: {e}")))?;
            // A JSON body is announced as such; a request without a body announces nothing,
            // as the docs' curls of body-less calls do (ENDPOINTS.md §0, #1 #27 #29).
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let started = Instant::now();
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let result = req.send().await;
        let mut entry = RequestLogEntry {
            method: spec.method.as_str().to_string(),
            path: log_path(spec),
            status: None,
            duration_ms: 0,
            request_id: None,
            at,
        };
        let resp = match result {
            Ok(r) => r,
            Err(e) => {
                entry.duration_ms = started.elapsed().as_millis() as u64;
                self.record(entry);
                // `without_url`: URLs may carry sensitive query values.
                let e = e.without_url();
                return Err(if e.is_connect() {
                    // No connection was made: the request provably never left.
                    ApiError::unreachable(format!("could not connect to the server: {e}"))
                } else if e.is_timeout() {
                    ApiError::timeout(format!("no answer from the server in time: {e}"))
                } else {
                    ApiError::network(format!("the connection failed: {e}"))
                }
                .into());
            }
        };
        let mut resp = resp;
        let status = resp.status().as_u16();
        // Moved out, not copied: the body is read from what is left.
        let headers = std::mem::take(resp.headers_mut());
        let request_id = headers
            .get("cf-ray")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = read_limited(resp, MAX_RESPONSE_BYTES).await;
        entry.status = Some(status);
        entry.request_id = request_id.clone();
        entry.duration_ms = started.elapsed().as_millis() as u64;
        self.record(entry);
        let body = match body {
            Ok(b) => b,
            Err(BodyError::TooLarge) => {
                return Err(ApiError::decode(
                    ".",
                    format!("the answer is larger than {MAX_RESPONSE_BYTES} bytes"),
                )
                .with_request_id(request_id)
                .into());
            }
            Err(BodyError::Transport(e)) => {
                let e = e.without_url();
                return Err(if e.is_timeout() {
                    ApiError::timeout(format!("the answer did not arrive in time: {e}"))
                } else {
                    ApiError::network(format!(
                        "the connection dropped while reading the answer: {e}"
                    ))
                }
                .with_request_id(request_id)
                .into());
            }
        };
        tracing::info!(method = spec.method.as_str(), path = %spec.path, status, request_id = ?request_id, "firmly request");
        if spec.keep_cookies {
            // Wallet unlock-complete sets the cookies later cart calls need (§2.8); kept
            // whatever the status, as a browser would.
            self.inner.cookies.store(&url, &headers);
        }
        if let Some(list) = headers
            .get(crate::requests::EXTENSIONS_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            let heard = crate::requests::Extensions::announced_in(list);
            if let Ok(mut a) = self.inner.announced.lock() {
                *a = a.union(heard);
            }
        }
        if (300..400).contains(&status) {
            // The transport follows no redirect (http.rs): the device token must not travel
            // to whatever host a 3xx names, and a redirect is not the documented answer.
            let host = location_host(&url, &headers);
            tracing::warn!(status, location_host = ?host, payment = spec.payment, "redirect answer not followed");
            return Err(ApiError::redirected(status, host.as_deref(), spec.payment)
                .with_request_id(request_id)
                .into());
        }
        if (200..300).contains(&status) {
            Ok(RawResponse { body, headers })
        } else {
            let retry_after = headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            Err(Failure {
                error: ApiError::from_response(status, &body, request_id),
                retry_after,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_host_never_keeps_path_or_query() {
        let req = url::Url::parse("https://api.example/api/v1/x?token=secret").unwrap();
        let mut h = reqwest::header::HeaderMap::new();
        let mut at = |loc: &str| {
            h.insert(reqwest::header::LOCATION, loc.parse().unwrap());
            location_host(&req, &h)
        };
        assert_eq!(
            at("https://evil.example/p?q=1").as_deref(),
            Some("evil.example")
        );
        assert_eq!(
            at("http://evil.example:8080/x").as_deref(),
            Some("evil.example:8080")
        );
        assert_eq!(at("/elsewhere?token=1").as_deref(), Some("api.example"));
        assert_eq!(
            location_host(&req, &reqwest::header::HeaderMap::new()),
            None
        );
    }
}
