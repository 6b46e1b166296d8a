//! Prints how much the app's layers add to a cart round trip, as ratios against baselines
//! measured in the same run (no timed assertions anywhere):
//!   1. decoding a full cart into `CartV2` vs parsing the same bytes into `serde_json::Value`;
//!   2. `CheckoutService::cart` (client + decode + view + event) vs a bare HTTP GET of the
//!      same cart from the in-process sandbox.
//!
//! Run: `cargo run --release -p firmly-checkout --example bench`

use std::sync::Arc;
use std::time::Instant;

use firmly_api::{ClientConfig, FirmlyClient};
use firmly_checkout::*;

fn per_op(n: u32, f: impl FnMut()) -> f64 {
    let mut f = f;
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

#[tokio::main]
async fn main() {
    let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
        .await
        .expect("sandbox");
    let base = sandbox.base_url();
    let persistence = Persistence::new(Arc::new(MemoryStore::default()));
    let client = FirmlyClient::new(
        ClientConfig::same_host(url::Url::parse(&base).expect("url"), launch::SANDBOX_APP_ID),
        Arc::new(persistence.clone()),
    )
    .expect("client");
    let env = Environment {
        name: "Sandbox".into(),
        mode: Mode::Demo,
        merchants: demo_merchants(),
        idle_seconds: 120,
    };
    let service = CheckoutService::new(client.clone(), persistence, env, Arc::new(NoEvents));
    let d = "homegoods.test";
    for v in [
        "HG-SOFA-01-Slate",
        "HG-PIL-01-Oat",
        "HG-LAMP-01",
        "HG-FRIDGE-01-Steel",
    ] {
        let _ = service.add_item(d, v, 1).await;
    }
    let token = client.ensure_session().await.expect("session").access_token;
    let http = reqwest::Client::new();
    let url = format!("{base}/api/v2/domains/{d}/cart/");
    let bytes = http
        .get(&url)
        .header("x-firmly-authorization", &token)
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("body");

    let n = 2000;
    let value = per_op(n, || {
        let _: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    });
    // What the client does: parse once, keep the raw JSON, decode the typed cart from it.
    let typed = per_op(n, || {
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        let _ = firmly_api::decode_cart(v).expect("cart");
    });
    println!(
        "decode a {}-byte cart: Value {value:.1} µs, Value+CartV2 {typed:.1} µs, ratio {:.2}",
        bytes.len(),
        typed / value
    );

    let rounds = 200;
    let t = Instant::now();
    for _ in 0..rounds {
        let r = http
            .get(&url)
            .header("x-firmly-authorization", &token)
            .send()
            .await
            .expect("get");
        let _ = r.bytes().await.expect("body");
    }
    let raw = t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds);
    let t = Instant::now();
    for _ in 0..rounds {
        let _ = service.cart(d).await.expect("cart");
    }
    let full = t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds);
    println!(
        "cart round trip: bare GET {raw:.3} ms, service.cart {full:.3} ms, ratio {:.2}",
        full / raw
    );
    sandbox.shutdown().await;
}
