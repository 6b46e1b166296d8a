//! The fixtures load, and the replay server answers documented routes with them.

use firmly_docreplay::*;

#[test]
fn fixtures_load_and_name_their_source() {
    let all = fixtures();
    assert!(all.len() >= 80, "only {} fixtures", all.len());
    for f in &all {
        let prefix = &f.file[..3];
        assert!(
            f.name.starts_with(&format!("{prefix}-L{}-", f.line)),
            "{} does not name {}",
            f.name,
            f.at()
        );
        assert!(
            f.name.ends_with(&format!("-{}.json", f.role.as_str())),
            "{}",
            f.name
        );
        match &f.sample {
            Ok(v) => assert_eq!(
                &serde_json::from_str::<serde_json::Value>(&f.text).unwrap(),
                v,
                "{}",
                f.name
            ),
            Err(bad) => {
                assert!(serde_json::from_str::<serde_json::Value>(&bad.text).is_err());
                assert!(!bad.why.is_empty());
            }
        }
    }
    // Every file of the docs contributes, except the JavaScript-only overview (001).
    for prefix in ["000", "002", "003", "004"] {
        assert!(all.iter().any(|f| f.file.starts_with(prefix)), "{prefix}");
    }
}

#[tokio::test]
async fn replays_samples_verbatim_and_journals_every_request() {
    let server = start().await.unwrap();
    let base = server.base_url();
    let http = reqwest::Client::new();

    let r = http
        .post(format!(
            "{base}/api/v2/domains/shop.example/cart/line-items?flush_cart=true"
        ))
        .body(r#"{"variant_id":"x","quantity":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cf-ray"], RAY_ID);
    let body = r.text().await.unwrap();
    assert_eq!(
        body,
        fixture("002-L1588-add-line-item-v2-response.json").text
    );
    assert!(body.contains("\"value\": 1299.99"), "served byte for byte");

    // A fixed sample (C41): the colon is back and the rest is the docs' text.
    let r = http
        .put(format!(
            "{base}/api/v1/domains/shop.example/cart/attribution"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["attribution"]["utm"].is_string());

    let r = http
        .get(format!("{base}/api/v1/payment/key?format=RSA"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["x-firmly-kid"],
        "a81b2d581f2a42c09143eb6fdb918fff"
    );
    assert!(r
        .text()
        .await
        .unwrap()
        .starts_with("-----BEGIN RSA PUBLIC KEY-----"));

    // Documented without a sample, and not documented at all: the normalized 404.
    for (method, path) in [
        (reqwest::Method::POST, "/api/v2/carts/postal-code"),
        (reqwest::Method::GET, "/api/v9/nothing"),
        (reqwest::Method::DELETE, "/api/v1/browser-session"),
    ] {
        let r = http
            .request(method, format!("{base}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["code"], 404);
        assert_eq!(v["error"], "RouteNotFound");
        assert!(v["description"].as_str().unwrap().contains("not found"));
    }

    let j = server.journal();
    let seen: Vec<(&str, &str, u16)> = j
        .iter()
        .map(|e| (e.method.as_str(), e.path.as_str(), e.status))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("POST", "/api/v2/domains/shop.example/cart/line-items", 200),
            ("PUT", "/api/v1/domains/shop.example/cart/attribution", 200),
            ("GET", "/api/v1/payment/key", 200),
            ("POST", "/api/v2/carts/postal-code", 404),
            ("GET", "/api/v9/nothing", 404),
            ("DELETE", "/api/v1/browser-session", 404),
        ]
    );
    assert_eq!(
        j[0].route.as_deref(),
        Some("POST /api/v2/domains/{domain}/cart/line-items")
    );
    assert_eq!(j[4].route, None);
    server.shutdown().await;
}

/// The README's endpoint table names every fixture the server serves.
#[test]
fn readme_lists_every_route() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for r in ROUTES {
        assert!(
            readme.contains(&format!("`{}`", r.pattern)),
            "{}",
            r.label()
        );
        if let Some(f) = r.fixture {
            assert!(readme.contains(f), "{f} missing from the README table");
        }
    }
}
