//! Admin fault injection and clock.

mod common;

use std::time::Instant;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::json;

const LUMA: &str = "staging.luma.gift";

async fn fault(s: &Sbx, rule: serde_json::Value) {
    let r = s
        .raw(
            Method::POST,
            "/__sandbox/faults",
            Some(rule.to_string()),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Sends an authenticated request and reports whether a complete response came back.
async fn completes(s: &Sbx, method: Method, path: &str, body: Option<serde_json::Value>) -> bool {
    let mut req = s
        .http
        .request(method, format!("{}{}", s.base, path))
        .header("x-firmly-authorization", s.token.as_str());
    if let Some(b) = body {
        req = req.json(&b);
    }
    match req.send().await {
        Ok(resp) => resp.bytes().await.is_ok(),
        Err(_) => false,
    }
}

#[tokio::test]
async fn status_faults_count_down_and_clear() {
    for profile in PROFILES {
        status_faults_count_down_and_clear_in(profile).await;
    }
}

async fn status_faults_count_down_and_clear_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let path = format!("/api/v2/domains/{LUMA}/cart");
    s.add(LUMA, "MH07-M-Black", 1).await;
    fault(
        &s,
        json!({ "match": { "method": "GET", "path_contains": "/cart" }, "status": 503, "times": 2 }),
    )
    .await;
    for _ in 0..2 {
        let r = s.get(&path).await;
        assert_eq!((r.status, r.error_id().as_str()), (503, "StoreUnavailable"));
        assert!(r.headers.contains_key("cf-ray"));
    }
    assert_eq!(s.get(&path).await.status, 200);
    fault(
        &s,
        json!([{ "match": { "path_contains": "line-items" }, "status": 409, "error": "PleaseTryAgainLater" }]),
    )
    .await;
    let r = s
        .post(
            &format!("{path}/line-items"),
            json!({ "variant_id": "MH07-M-Black", "quantity": 1 }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (409, "PleaseTryAgainLater")
    );
    // Admin routes are never faulted, so rules can always be removed.
    fault(
        &s,
        json!({ "match": { "path_contains": "/" }, "status": 500 }),
    )
    .await;
    assert_eq!(s.get("/__sandbox/orders").await.status, 200);
    let r = s.admin(Method::DELETE, "/__sandbox/faults", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(s.get(&path).await.status, 200);
    let r = s
        .raw(
            Method::POST,
            "/__sandbox/faults",
            Some(json!({ "status": 500 }).to_string()),
            &[],
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
}

#[tokio::test]
async fn delay_drop_and_after_commit() {
    for profile in PROFILES {
        delay_drop_and_after_commit_in(profile).await;
    }
}

async fn delay_drop_and_after_commit_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let cart = format!("/api/v2/domains/{LUMA}/cart");
    s.add(LUMA, "WS12-M-Blue", 1).await;
    fault(
        &s,
        json!({ "match": { "path_contains": "/cart" }, "delay_ms": 300, "times": 1 }),
    )
    .await;
    let t = Instant::now();
    assert_eq!(s.get(&cart).await.status, 200);
    assert!(t.elapsed().as_millis() >= 300);

    fault(
        &s,
        json!({ "match": { "method": "GET", "path_contains": "/cart" }, "drop_connection": true, "times": 1 }),
    )
    .await;
    assert!(
        !completes(&s, Method::GET, &cart, None).await,
        "connection dropped"
    );
    assert!(completes(&s, Method::GET, &cart, None).await);

    // after_commit: the item is added but the response is lost.
    fault(
        &s,
        json!({ "match": { "method": "POST", "path_contains": "line-items" }, "after_commit": true, "times": 1 }),
    )
    .await;
    let ok = completes(
        &s,
        Method::POST,
        &format!("{cart}/line-items"),
        Some(json!({ "variant_id": "MH07-M-Black", "quantity": 1 })),
    )
    .await;
    assert!(!ok);
    let c = s.cart(LUMA).await;
    assert_eq!(c["line_items"][1]["sku"], "MH07-M-Black");
    let journal = s.get("/__sandbox/requests").await.body;
    assert!(journal
        .as_array()
        .expect("j")
        .iter()
        .any(|e| e["status"] == 0 && e["method"] == "POST"));

    // after_commit with a status: committed, but the client gets an error.
    fault(
        &s,
        json!({ "match": { "path_contains": "line-items" }, "after_commit": true, "status": 503, "times": 1 }),
    )
    .await;
    let r = s
        .post(
            &format!("{cart}/line-items"),
            json!({ "variant_id": "MH07-M-Black", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status, 503);
    assert_eq!(s.cart(LUMA).await["line_items"][1]["quantity"], 2);
}

#[tokio::test]
async fn clock_moves_dates_and_reset_restores() {
    for profile in PROFILES {
        clock_moves_dates_and_reset_restores_in(profile).await;
    }
}

async fn clock_moves_dates_and_reset_restores_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let r = s
        .raw(
            Method::POST,
            "/__sandbox/clock",
            Some(json!({ "advance_seconds": 86_400 }).to_string()),
            &[],
        )
        .await;
    assert_eq!(r.body["offset_seconds"], 86_400);
    let r = s
        .raw(
            Method::POST,
            "/__sandbox/clock",
            Some(json!({ "advance_seconds": "soon" }).to_string()),
            &[],
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));
    s.admin(Method::POST, "/__sandbox/reset", None).await;
    let s2 = s.session().await;
    assert_eq!(s2.status, 200);
    assert_eq!(s2.body["device_created"], true);
}

#[tokio::test]
async fn lost_order_response_is_reconciled_by_reading_the_cart() {
    let s = Sbx::new().await;
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    fault(
        &s,
        json!({ "match": { "method": "POST", "path_contains": "/complete-order" }, "after_commit": true, "times": 1 }),
    )
    .await;
    let jwe = s
        .encrypt_card(
            card("4111111111111111", "08", "2030", "123"),
            "RSA-OAEP-256",
        )
        .await;
    let ok = completes(
        &s,
        Method::POST,
        "/api/v3/payment/complete-order",
        Some(json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe })),
    )
    .await;
    assert!(!ok, "the response is lost");
    let again = s.cart(LUMA).await;
    assert_eq!(again["cart_id"], c["cart_id"]);
    assert_eq!(again["cart_status"], "submitted");
    assert_eq!(again["platform_order_number"], "SBX-1001");
    // A blind retry cannot place a second order.
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    assert_eq!(
        s.get("/__sandbox/orders")
            .await
            .body
            .as_array()
            .expect("o")
            .len(),
        1
    );
}

#[tokio::test]
async fn key_rotation_invalidates_the_old_kid() {
    let s = Sbx::new().await;
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    let old = s.get("/api/v1/payment/key").await.body;
    let jwe = encrypt_with(
        &old,
        old["kid"].as_str().expect("kid"),
        card("4111111111111111", "08", "2030", "123"),
        "RSA-OAEP-256",
    );
    let r = s.admin(Method::POST, "/__sandbox/rotate-key", None).await;
    assert_eq!(r.status, 200);
    assert_ne!(r.body["kid"], old["kid"]);
    let r = s
        .post(
            "/api/v3/payment/complete-order",
            json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (409, "InvalidKey"));
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_completions_place_one_order() {
    for profile in PROFILES {
        concurrent_completions_place_one_order_in(profile).await;
    }
}

async fn concurrent_completions_place_one_order_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    let (a, b) = tokio::join!(
        s.pay_card(&c, "4111111111111111"),
        s.pay_card(&c, "4111111111111111")
    );
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![200, 412]);
    assert_eq!(
        s.get("/__sandbox/orders")
            .await
            .body
            .as_array()
            .expect("o")
            .len(),
        1
    );
}

#[tokio::test]
async fn after_commit_with_delay_commits_then_holds_the_response() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s.ship_to(LUMA).await;
        s.grant_required_consents(LUMA).await;
        let path = "/api/v3/payment/complete-order";
        // A client whose timeout is shorter than the hold gives up; the order is placed anyway.
        s.fault(json!({ "match": { "method": "POST", "path_contains": path }, "after_commit": true, "delay_ms": 1500, "times": 1 }))
            .await;
        let jwe = s
            .encrypt_card(
                card("4111111111111111", "08", "2030", "123"),
                "RSA-OAEP-256",
            )
            .await;
        let body = json!({ "handle": c["payment_handle"], "billing_info": address(), "encrypted_card": jwe });
        let impatient = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(300))
            .build()
            .expect("client");
        let t = Instant::now();
        let sent = impatient
            .post(format!("{}{path}", s.base))
            .header("x-firmly-authorization", s.token.as_str())
            .json(&body)
            .send()
            .await;
        assert!(sent.is_err(), "the client timed out");
        assert!(t.elapsed().as_millis() < 1500);
        let orders = s.get("/__sandbox/orders").await.body;
        assert_eq!(
            orders.as_array().expect("orders").len(),
            1,
            "committed before the response"
        );

        // A patient client gets the real response after the hold.
        s.add(LUMA, "WS12-M-Blue", 1).await;
        let c = s.ship_to(LUMA).await;
        s.grant_required_consents(LUMA).await;
        s.fault(json!({ "match": { "method": "POST", "path_contains": path }, "after_commit": true, "delay_ms": 400, "times": 1 }))
            .await;
        let t = Instant::now();
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(t.elapsed().as_millis() >= 400);
        assert_eq!(
            s.get("/__sandbox/orders")
                .await
                .body
                .as_array()
                .expect("o")
                .len(),
            2
        );
        tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
        let held: Vec<serde_json::Value> = s
            .journal(path)
            .await
            .into_iter()
            .filter(|e| e["fault"] == "after_commit_delay")
            .collect();
        // The abandoned hold never reached its client (status 0); the other was sent.
        let statuses: Vec<u64> = held
            .iter()
            .map(|e| e["status"].as_u64().expect("status"))
            .collect();
        assert_eq!(
            statuses,
            vec![0, 200],
            "both holds are journaled as faulted"
        );
        assert!(held[1]["duration_ms"].as_u64() >= Some(400));
    }
}

#[tokio::test]
async fn faulted_requests_are_recognisable_in_the_journal() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let cart = format!("/api/v2/domains/{LUMA}/cart");
        s.fault(json!([
            { "match": { "method": "GET", "path_contains": "/cart" }, "drop_connection": true, "times": 1 },
            { "match": { "method": "GET", "path_contains": "/cart" }, "status": 503, "times": 1 },
            { "match": { "method": "GET", "path_contains": "/cart" }, "delay_ms": 50, "times": 1 }
        ]))
        .await;
        assert!(!completes(&s, Method::GET, &cart, None).await);
        assert_eq!(s.get(&cart).await.status, 503);
        assert_eq!(s.get(&cart).await.status, 200);
        assert_eq!(s.get(&cart).await.status, 200);
        let entries = s.journal(&cart).await;
        let seen: Vec<(u64, Option<&str>)> = entries
            .iter()
            .map(|e| (e["status"].as_u64().expect("status"), e["fault"].as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, Some("drop_connection")),
                (503, Some("status")),
                (200, Some("delay")),
                (200, None)
            ]
        );
    }
}

#[tokio::test]
async fn admin_writes_need_json_and_a_loopback_origin() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let json_ct = ("content-type", "application/json");
        for (method, path) in [
            (Method::POST, "/__sandbox/reset"),
            (Method::POST, "/__sandbox/faults"),
            (Method::DELETE, "/__sandbox/faults"),
            (Method::POST, "/__sandbox/clock"),
        ] {
            let r = s.raw(method.clone(), path, None, &[]).await;
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (415, "UnsupportedMediaType"),
                "{path}"
            );
            let mut req = s.http.request(method.clone(), format!("{}{path}", s.base));
            req = req.header("content-type", "text/plain").body("{}");
            assert_eq!(req.send().await.expect("sent").status(), 415, "{path}");
            let r = s
                .raw(
                    method.clone(),
                    path,
                    Some("{}".into()),
                    &[("origin", "https://evil.example")],
                )
                .await;
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (403, "Forbidden"),
                "{path}"
            );
            let r = s
                .raw(method.clone(), path, None, &[json_ct, ("origin", "null")])
                .await;
            assert_eq!(r.status, 403, "{path}");
        }
        // Nothing was reset by the refused calls.
        assert_eq!(
            s.cart(LUMA).await["line_items"]
                .as_array()
                .expect("l")
                .len(),
            1
        );
        // A loopback page may call; GETs stay open to any origin.
        let r = s
            .raw(
                Method::POST,
                "/__sandbox/clock",
                Some(json!({ "advance_seconds": 1 }).to_string()),
                &[("origin", "http://localhost:1420")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = s
            .raw(
                Method::POST,
                "/__sandbox/faults",
                Some("[]".into()),
                &[("origin", "http://[::1]:8080")],
            )
            .await;
        assert_eq!(r.status, 200);
        let r = s
            .raw(
                Method::GET,
                "/__sandbox/orders",
                None,
                &[("origin", "https://evil.example")],
            )
            .await;
        assert_eq!(r.status, 200);
        let r = s
            .raw(
                Method::GET,
                "/__sandbox/requests",
                None,
                &[("origin", "https://evil.example")],
            )
            .await;
        assert_eq!(r.status, 200);
        // The API itself is not guarded.
        let r = s
            .raw(
                Method::POST,
                "/api/v1/browser-session",
                None,
                &[
                    ("x-firmly-app-id", "sandbox-app"),
                    ("origin", "https://evil.example"),
                ],
            )
            .await;
        assert_eq!(r.status, 200);
    }
}
