//! The sandbox's own safety and test switches: loopback-only `Host` headers (DNS rebinding),
//! the simulated latency (checked through the journal, never by timing), and the `hold`
//! fault rule with its admin routes and `SandboxHandle` methods — every wait here is on an
//! explicit signal, never a sleep.

mod common;

use std::time::Duration;

use common::*;
use firmly_sandbox::{start, SandboxConfig};
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";
/// A bound on waits for a signal that must come (a failing test ends instead of hanging).
const SIGNAL: Duration = Duration::from_secs(20);

#[tokio::test]
async fn only_loopback_host_headers_are_answered() {
    let s = Sbx::new().await;
    for host in [
        "evil.example",
        "evil.example:80",
        "127.0.0.1.nip.io",
        "10.0.0.8",
    ] {
        for path in [
            "/__sandbox/otp?email=member@example.com",
            "/__sandbox/orders",
            "/api/v1/payment/key",
        ] {
            let r = s.raw(Method::GET, path, None, &[("host", host)]).await;
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (403, "Forbidden"),
                "{host} {path}"
            );
            assert!(r.body["description"]
                .as_str()
                .is_some_and(|d| d.contains("loopback")));
        }
    }
    let port = s.base.rsplit(':').next().expect("port").to_string();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".into(),
        format!("[::1]:{port}"),
    ] {
        let r = s
            .raw(Method::GET, "/__sandbox/orders", None, &[("host", &host)])
            .await;
        assert_eq!(r.status, 200, "{host}");
    }
    // With allow_remote the check is off.
    let open = start(SandboxConfig {
        allow_remote: true,
        ..SandboxConfig::default()
    })
    .await
    .expect("start");
    let r = reqwest::Client::new()
        .get(format!("{}/__sandbox/orders", open.base_url()))
        .header("host", "evil.example")
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), 200);
    open.shutdown().await;
}

#[tokio::test]
async fn latency_applies_to_api_requests_only_and_is_journaled() {
    let h = start(SandboxConfig {
        latency_ms: 40,
        jitter_ms: 10,
        ..SandboxConfig::default()
    })
    .await
    .expect("start");
    let base = h.base_url();
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let r = http
            .get(format!("{base}/api/v1/payment/key"))
            .send()
            .await
            .expect("key");
        assert_eq!(r.status(), 200);
    }
    let _ = http
        .get(format!("{base}/__sandbox/orders"))
        .send()
        .await
        .expect("orders");
    let journal: Value = http
        .get(format!("{base}/__sandbox/requests"))
        .send()
        .await
        .expect("journal")
        .json()
        .await
        .expect("json");
    let entries = journal.as_array().expect("entries");
    for e in entries
        .iter()
        .filter(|e| e["path"] == "/api/v1/payment/key")
    {
        let latency = e["latency_ms"].as_u64().expect("latency recorded");
        assert!((30..=50).contains(&latency), "{e}");
        // A sleep never ends early: the handling took at least the chosen delay.
        assert!(
            e["duration_ms"].as_u64().expect("duration") >= latency,
            "{e}"
        );
    }
    let admin = entries
        .iter()
        .find(|e| e["path"] == "/__sandbox/orders")
        .expect("admin");
    assert!(
        admin.get("latency_ms").is_none(),
        "admin routes are not delayed: {admin}"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn a_held_request_waits_for_its_release() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let path = format!("/api/v2/domains/{LUMA}/cart/line-items");
        s.fault(json!({ "match": { "method": "POST", "path_contains": path }, "hold": true, "times": 1 }))
            .await;
        // The held add runs in the background; nothing has happened yet.
        let held = {
            let (http, base, token, path) = (
                s.http.clone(),
                s.base.clone(),
                s.token.clone(),
                path.clone(),
            );
            tokio::spawn(async move {
                http.post(format!("{base}{path}"))
                    .header("x-firmly-authorization", token)
                    .json(&json!({ "variant_id": "WS12-M-Blue", "quantity": 1 }))
                    .send()
                    .await
                    .expect("sent")
                    .status()
                    .as_u16()
            })
        };
        let listed = s.get("/__sandbox/holds?wait_ms=20000").await.body;
        let listed = listed.as_array().expect("held").clone();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(
            (&listed[0]["method"], &listed[0]["path"]),
            (&json!("POST"), &json!(path))
        );
        assert_eq!(
            s.cart(LUMA).await["line_items"]
                .as_array()
                .expect("l")
                .len(),
            1,
            "before the handler"
        );
        // Releasing an id that is not held is refused; the right one answers normally.
        let r = s
            .admin(
                Method::POST,
                "/__sandbox/holds/release",
                Some(json!({ "id": 999_999 })),
            )
            .await;
        assert_eq!((r.status, r.error_id().as_str()), (404, "ItemNotFound"));
        let r = s
            .admin(
                Method::POST,
                "/__sandbox/holds/release",
                Some(json!({ "id": listed[0]["id"] })),
            )
            .await;
        assert_eq!(r.body["released"], 1);
        assert_eq!(
            tokio::time::timeout(SIGNAL, held)
                .await
                .expect("answered")
                .expect("task"),
            200
        );
        assert_eq!(
            s.cart(LUMA).await["line_items"]
                .as_array()
                .expect("l")
                .len(),
            2
        );
        assert_eq!(s.get("/__sandbox/holds").await.body, json!([]));
        let j = s.journal(&path).await;
        assert_eq!(
            (
                &j.last().expect("line")["fault"],
                &j.last().expect("line")["status"]
            ),
            (&json!("hold"), &json!(200))
        );
    }
}

#[tokio::test]
async fn after_commit_hold_commits_then_holds_the_response() {
    let s = Sbx::new().await;
    let handle = s.handle.as_ref().expect("server");
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    let path = "/api/v3/payment/complete-order";
    s.fault(json!({ "match": { "path_contains": path }, "hold": true, "after_commit": true, "times": 1 }))
        .await;
    let jwe = s
        .encrypt_card(
            card("4111111111111111", "08", "2030", "123"),
            "RSA-OAEP-256",
        )
        .await;
    let body =
        json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe });
    let pay = {
        let (http, base, token) = (s.http.clone(), s.base.clone(), s.token.clone());
        tokio::spawn(async move {
            let r = http
                .post(format!("{base}{path}"))
                .header("x-firmly-authorization", token)
                .json(&body)
                .send()
                .await
                .expect("sent");
            (r.status().as_u16(), r.json::<Value>().await.expect("json"))
        })
    };
    let held = tokio::time::timeout(SIGNAL, handle.wait_held())
        .await
        .expect("held");
    assert_eq!(held.len(), 1);
    assert_eq!(handle.held(), held);
    // The order is placed while its response is held.
    let orders = s.get("/__sandbox/orders").await.body;
    assert_eq!(orders.as_array().expect("orders").len(), 1);
    assert_eq!(handle.release_all(), 1);
    let (status, order) = tokio::time::timeout(SIGNAL, pay)
        .await
        .expect("answered")
        .expect("task");
    assert_eq!(status, 200);
    assert_eq!(order["platform_order_number"], orders[0]["order_number"]);
    assert_eq!(s.journal(path).await[0]["fault"], "after_commit_hold");
}

#[tokio::test]
async fn a_client_that_gives_up_is_journaled_and_leaves_the_holds() {
    let s = Sbx::new().await;
    let handle = s.handle.as_ref().expect("server");
    let path = "/api/v1/payment/key";
    s.fault(json!({ "match": { "path_contains": path }, "hold": true, "times": 1 }))
        .await;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let gives_up = {
        let (http, base) = (s.http.clone(), s.base.clone());
        tokio::spawn(async move {
            tokio::select! {
                _ = http.get(format!("{base}{path}")).send() => false,
                _ = rx => true,
            }
        })
    };
    tokio::time::timeout(SIGNAL, handle.wait_held())
        .await
        .expect("held");
    assert!(tx.send(()).is_ok());
    assert!(
        gives_up.await.expect("task"),
        "the client gave up while held"
    );
    // The server notices the closed connection on its own schedule: wait for the hold to
    // leave (a signal), then for the line the dropped request writes right after it.
    let state = handle.state();
    assert!(
        state.holds.wait_empty(SIGNAL).await,
        "the abandoned hold left"
    );
    let line = tokio::time::timeout(SIGNAL, async {
        loop {
            let found = state
                .world
                .lock()
                .journal
                .iter()
                .rev()
                .find(|e| e.path == path)
                .cloned();
            if let Some(l) = found {
                return serde_json::to_value(l).expect("json");
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("journaled");
    assert_eq!(
        (&line["status"], &line["fault"]),
        (&json!(0), &json!("hold"))
    );
    assert!(handle.held().is_empty());
}

#[tokio::test]
async fn reset_and_shutdown_release_every_hold() {
    let s = Sbx::new().await;
    let path = "/api/v1/payment/key";
    s.fault(json!({ "match": { "path_contains": path }, "hold": true }))
        .await;
    let fetch = || {
        let (http, base) = (s.http.clone(), s.base.clone());
        tokio::spawn(async move {
            http.get(format!("{base}{path}"))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    };
    let first = fetch();
    let handle = s.handle.as_ref().expect("server");
    tokio::time::timeout(SIGNAL, handle.wait_held())
        .await
        .expect("held");
    let r = s.admin(Method::POST, "/__sandbox/reset", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        tokio::time::timeout(SIGNAL, first)
            .await
            .expect("released")
            .expect("task")
            .expect("sent"),
        200
    );
    // A reset also cleared the rule; hold again and shut the server down while held.
    s.fault(json!({ "match": { "path_contains": path }, "hold": true }))
        .await;
    let second = fetch();
    tokio::time::timeout(SIGNAL, handle.wait_held())
        .await
        .expect("held");
    let Sbx { handle, .. } = s;
    handle.expect("server").shutdown().await;
    let answered = tokio::time::timeout(SIGNAL, second)
        .await
        .expect("released")
        .expect("task");
    assert_eq!(answered.expect("sent"), 200);
}
