//! The doc-replay server: every documented endpoint answers with the docs' own sample
//! response of that endpoint's page, verbatim. No state, no validation of requests.
//!
//! [`ROUTES`] is the endpoint table (ENDPOINTS.md §1 numbering); each substitution made to a
//! sample is named there and in the crate README.

pub use crate::routes::{Route, Substitution, ROUTES};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Response, StatusCode, Uri};
use axum::Router;
use std::sync::{Arc, Mutex};

/// One request seen by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub method: String,
    /// Request path without the query.
    pub path: String,
    pub status: u16,
    /// The matched route (`METHOD|METHOD /pattern`), `None` when nothing matched.
    pub route: Option<String>,
}

struct Served {
    route: Route,
    body: Option<String>,
}

struct Shared {
    routes: Vec<Served>,
    key_pem: String,
    key_pkcs1: String,
    key_kid: String,
    journal: Mutex<Vec<JournalEntry>>,
}

/// The running doc-replay server. Dropping it stops the server too.
pub struct DocReplay {
    base_url: String,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for DocReplay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocReplay")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl DocReplay {
    /// `http://127.0.0.1:PORT` (api, vault and status paths all live here).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Every request so far, oldest first.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.shared
            .journal
            .lock()
            .map(|j| j.clone())
            .unwrap_or_default()
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        if let Ok(mut j) = self.shared.journal.lock() {
            j.clear();
        }
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DocReplay {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// PEM forms of the docs' JWK (SPKI for `format=PEM`, PKCS#1 for `format=RSA`).
fn key_pem(jwk: &serde_json::Value) -> std::io::Result<(String, String, String)> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let part = |k: &str| -> std::io::Result<openssl::bn::BigNum> {
        let s = jwk[k]
            .as_str()
            .ok_or_else(|| std::io::Error::other(format!("JWK sample has no `{k}`")))?;
        let bytes = b64
            .decode(s)
            .map_err(|e| std::io::Error::other(format!("JWK `{k}`: {e}")))?;
        openssl::bn::BigNum::from_slice(&bytes).map_err(std::io::Error::other)
    };
    let rsa = openssl::rsa::Rsa::from_public_components(part("n")?, part("e")?)
        .map_err(std::io::Error::other)?;
    let spki = rsa.public_key_to_pem().map_err(std::io::Error::other)?;
    let pkcs1 = rsa
        .public_key_to_pem_pkcs1()
        .map_err(std::io::Error::other)?;
    let kid = jwk["kid"].as_str().unwrap_or_default().to_string();
    Ok((
        String::from_utf8_lossy(&spki).into_owned(),
        String::from_utf8_lossy(&pkcs1).into_owned(),
        kid,
    ))
}

/// The docs' Ray ID example (ENDPOINTS.md §2.11), sent as `CF-RAY` on every answer.
pub const RAY_ID: &str = "881d0d5048e6752c-SEA";

/// Starts the server on `127.0.0.1:0`.
///
/// # Panics
/// When a fixture named in [`ROUTES`] is missing or unusable (see [`Route::body`]).
pub async fn start() -> std::io::Result<DocReplay> {
    let routes: Vec<Served> = ROUTES
        .iter()
        .map(|r| Served {
            route: *r,
            body: r.body(),
        })
        .collect();
    let jwk: serde_json::Value = routes
        .iter()
        .find(|s| s.route.number == 30)
        .and_then(|s| s.body.as_deref())
        .and_then(|b| serde_json::from_str(b).ok())
        .ok_or_else(|| std::io::Error::other("no payment key sample"))?;
    let (key_pem, key_pkcs1, key_kid) = key_pem(&jwk)?;
    let shared = Arc::new(Shared {
        routes,
        key_pem,
        key_pkcs1,
        key_kid,
        journal: Mutex::new(Vec::new()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = Router::new().fallback(answer).with_state(shared.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(DocReplay {
        base_url: format!("http://{addr}"),
        shared,
        stop: Some(stop),
        task: Some(task),
    })
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response<Body> {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert("cf-ray", HeaderValue::from_static(RAY_ID));
    resp
}

fn not_found(description: String) -> Response<Body> {
    let body = serde_json::json!({
        "code": 404,
        "error": "RouteNotFound",
        "description": description,
    });
    respond(StatusCode::NOT_FOUND, "application/json", body.to_string())
}

async fn answer(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response<Body> {
    let path = uri.path().to_string();
    let matched = shared
        .routes
        .iter()
        .find(|s| s.route.methods.contains(&method.as_str()) && s.route.matches_path(&path));
    let resp = match matched {
        None => not_found(format!(
            "This route was not found in this server: {method} {path} is not a documented endpoint."
        )),
        Some(s) => match &s.body {
            None => not_found(format!(
                "This route was not found in this server: the docs show no sample response for {}.",
                s.route.label()
            )),
            Some(body) if s.route.number == 30 => {
                let format = uri
                    .query()
                    .unwrap_or("")
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("format="))
                    .unwrap_or("JWK")
                    .to_ascii_uppercase();
                match format.as_str() {
                    "PEM" | "RSA" => {
                        let pem = if format == "PEM" {
                            shared.key_pem.clone()
                        } else {
                            shared.key_pkcs1.clone()
                        };
                        // The docs write this content type as `plain/text`.
                        let mut resp = respond(StatusCode::OK, "plain/text", pem);
                        if let Ok(kid) = HeaderValue::from_str(&shared.key_kid) {
                            resp.headers_mut().insert("x-firmly-kid", kid);
                        }
                        resp
                    }
                    _ => respond(StatusCode::OK, "application/json", body.clone()),
                }
            }
            Some(body) => respond(StatusCode::OK, "application/json", body.clone()),
        },
    };
    if let Ok(mut j) = shared.journal.lock() {
        j.push(JournalEntry {
            method: method.to_string(),
            path,
            status: resp.status().as_u16(),
            route: matched.map(|s| s.route.label()),
        });
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_segments() {
        let route = ROUTES.iter().find(|r| r.number == 5).unwrap();
        assert!(route.matches_path("/api/v1/domains/a.com/cart/line-items/SKU-1/quantity/2"));
        assert!(route.matches_path("/api/v1/domains/a.com/cart/line-items/SKU-1/quantity/2/"));
        assert!(!route.matches_path("/api/v1/domains/a.com/cart/line-items/SKU-1"));
        let product = ROUTES.iter().find(|r| r.number == 2).unwrap();
        assert!(product.matches_path("/api/v1/domains-products/a.com/x/y,1"));
        assert!(!product.matches_path("/api/v1/domains-products/a.com"));
        let health = ROUTES.iter().find(|r| r.number == 50).unwrap();
        assert!(health.matches_path("/api/v1/domains/a.com"));
        assert!(!health.matches_path("/api/v1/domains/a.com/cart"));
    }

    #[test]
    fn every_route_serves_json_and_every_documented_endpoint_has_a_row() {
        let mut numbers: Vec<u8> = ROUTES.iter().map(|r| r.number).collect();
        numbers.dedup();
        assert_eq!(numbers, (1..=50).collect::<Vec<u8>>());
        for r in ROUTES {
            if let Some(body) = r.body() {
                assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok());
            }
        }
    }

    #[test]
    fn pem_forms_are_the_docs_key() {
        // The docs' `format=RSA` sample (ENDPOINTS.md §1 #30, a ```text block).
        let docs_rsa = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAyURqBPP1k/kwMp8AiHeZya7zgO9ZulKrNvFYcQK2eIvkbl7VlhxY
t6bnJ0urrUrJbuM/bbRg3yiwXtAN/BsHWTm6JwWSjRx3PQMIm0Yb+HGj2YM6moJ9
YFACqtZB2zjkE98Q/TOhfAnYuoSIPsY3k9U1iJmi6gpaZ7E01QFGoRlAwB55yMET
l3UT7uodGLRPBz/JGhRuDCJ1dVEfzcojUxOt7FFbRIGDGQzMTvmskRID3N50z6Uw
JOFwmP6N17qIMYCbr3IQg0fU75HsL+lChpA8m+EnvK0hL4CcNnBVqupxzhsKq2SS
LigNBFC6J4gs3mV7L7qu1Q8u/Cg5tGVZiQIDAQAB
-----END RSA PUBLIC KEY-----";
        let jwk = ROUTES
            .iter()
            .find(|r| r.number == 30)
            .unwrap()
            .body()
            .unwrap();
        let (spki, pkcs1, kid) = key_pem(&serde_json::from_str(&jwk).unwrap()).unwrap();
        assert_eq!(pkcs1.trim(), docs_rsa);
        assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(kid, "a81b2d581f2a42c09143eb6fdb918fff");
    }
}
