//! A recording proxy in front of the sandbox: counts requests in flight, keeps request bodies
//! for inspection, and can turn the completion's successful answer into a body no model can
//! read.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::response::Response;

#[derive(Clone, Default)]
struct Shared {
    upstream: String,
    now: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
    garble: Arc<AtomicBool>,
    bodies: Arc<Mutex<Vec<(String, String, String)>>>,
}

#[derive(Clone)]
pub struct Proxy {
    pub url: String,
    shared: Shared,
}

impl Proxy {
    /// Forgets the highest concurrency seen.
    pub fn reset(&self) {
        self.shared.max.store(0, Ordering::SeqCst);
    }
    /// The most cart reads in flight at once since the last reset.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max.load(Ordering::SeqCst)
    }
    /// Completion answers become `<html>…not json</html>` with their 2xx status.
    pub fn garble_completions(&self) {
        self.shared.garble.store(true, Ordering::SeqCst);
    }
    /// Bodies sent with `method` to paths containing `part`, oldest first.
    pub fn bodies(&self, method: &str, part: &str) -> Vec<serde_json::Value> {
        self.shared
            .bodies
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, p, _)| m == method && p.contains(part))
            .filter_map(|(_, _, b)| serde_json::from_str(b).ok())
            .collect()
    }
}

pub async fn start(upstream: &str) -> Proxy {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shared = Shared {
        upstream: upstream.to_string(),
        ..Shared::default()
    };
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(shared.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Proxy {
        url: format!("http://{addr}"),
        shared,
    }
}

async fn forward(State(p): State<Shared>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let counted = path.ends_with("/cart") || path.ends_with("/cart/");
    if counted {
        let n = p.now.fetch_add(1, Ordering::SeqCst) + 1;
        p.max.fetch_max(n, Ordering::SeqCst);
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap();
    p.bodies.lock().unwrap().push((
        parts.method.to_string(),
        path.clone(),
        String::from_utf8_lossy(&bytes).to_string(),
    ));
    let target = parts
        .uri
        .path_and_query()
        .map(|x| x.as_str())
        .unwrap_or("/")
        .to_string();
    let mut out =
        reqwest::Client::new().request(parts.method.clone(), format!("{}{target}", p.upstream));
    for (k, v) in parts.headers.iter() {
        if k != "host" {
            out = out.header(k, v);
        }
    }
    let resp = out.body(bytes).send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    if counted {
        p.now.fetch_sub(1, Ordering::SeqCst);
    }
    let garble = p.garble.load(Ordering::SeqCst)
        && path.contains("/payment/complete-order")
        && status.is_success();
    let mut b = Response::builder().status(status);
    for (k, v) in headers.iter() {
        if k != "content-length" && k != "transfer-encoding" {
            b = b.header(k, v);
        }
    }
    b.body(if garble {
        Body::from("<html>thank you — not json</html>")
    } else {
        Body::from(body)
    })
    .unwrap()
}
