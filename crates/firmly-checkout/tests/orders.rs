//! Orders tell the truth under every fault: placed only on an order answer or the cart seen
//! submitted; not placed only when the request never left or the server refused before
//! charging; unknown otherwise, with polling, a refused second payment and settlement after
//! a crash. Every fault test shows in the sandbox journal that its fault fired.

mod support;

use std::sync::Arc;
use std::time::Duration;

use firmly_api::ErrorCode;
use firmly_checkout::*;
use firmly_sandbox::Profile;
use serde_json::json;
use support::*;

/// The journal shows a completion whose response was lost (status 0) or faulted.
async fn fault_fired(r: &Rig, status: u64) {
    let hits = r.journal("/payment/complete-order").await;
    assert!(
        hits.iter().any(|e| e["status"] == json!(status)),
        "the fault fired: {hits:?}"
    );
}

async fn unknown(o: OrderOutcome) -> PendingOrderView {
    match o {
        OrderOutcome::Unknown { pending } => pending,
        other => panic!("expected unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn a_lost_response_after_commit_is_placed_when_the_cart_says_so() {
    // Demo profile: the submitted cart stays readable, and the cart's own answer
    // (`cart_status: submitted`, same cart id) is the evidence.
    let r = rig(Profile::Demo).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"after_commit": true})),
    )
    .await;
    let order = placed(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    fault_fired(&r, 0).await;
    r.clear_faults().await;
    let orders = r.orders().await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["order_number"], json!(order.order_number));
}

#[tokio::test]
async fn a_lost_response_against_the_documented_api_stays_unknown_and_blocks_a_second_payment() {
    // Docs profile: a placed cart leaves the active carts (GET cart → 404), which proves
    // nothing; the desk must say "unknown", never "nothing was charged".
    let r = rig(Profile::Docs).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"after_commit": true})),
    )
    .await;
    let pending = unknown(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    )
    .await;
    fault_fired(&r, 0).await;
    r.clear_faults().await;
    assert!(pending.checks >= 1, "the cart was re-read for evidence");
    assert!(pending.cause.is_some(), "{pending:?}");
    assert_eq!(r.orders().await.len(), 1, "the order did land");
    let cart = r.service.cart(&LUMA).await.unwrap();
    assert!(cart.pending_order.is_some(), "shown as pending on the cart");
    assert_eq!(cart.blockers.first(), Some(&Blocker::OrderPending));
    let again = r
        .service
        .place_card_order(&LUMA, card(APPROVED), None, false)
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::OrderPending);
    // Override is an agent's, only with explicit confirmation.
    let demo = r
        .service
        .place_card_order(&LUMA, card(APPROVED), None, true)
        .await
        .unwrap_err();
    assert_eq!(demo.code, ErrorCode::ModeRestricted);
    assert_eq!(r.orders().await.len(), 1, "never a second charge");
    // Checking again keeps it honest.
    let still = r.service.check_order(&LUMA).await.unwrap();
    assert!(matches!(still, OrderOutcome::Unknown { .. }), "{still:?}");
}

async fn a_dropped_connection_is_unknown_not_not_placed(profile: Profile) {
    let r = rig(profile).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"drop_connection": true})),
    )
    .await;
    let pending = unknown(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    )
    .await;
    fault_fired(&r, 0).await;
    r.clear_faults().await;
    assert_eq!(pending.cause, Some(UnknownCause::ConnectionDropped));
    assert!(
        r.orders().await.is_empty(),
        "the fault came before the commit"
    );
    // An agent may pay again after confirming.
    let dir = tempfile::tempdir().unwrap();
    let agent = desk_at(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Agent,
    )
    .await;
    let svc = agent.service();
    hoodie_ready(&svc).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"drop_connection": true})),
    )
    .await;
    unknown(
        svc.place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    )
    .await;
    r.clear_faults().await;
    assert_eq!(
        svc.place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap_err()
            .code,
        ErrorCode::OrderPending
    );
    placed(
        svc.place_card_order(&LUMA, card(APPROVED), None, true)
            .await
            .unwrap(),
    );
    assert_eq!(r.orders().await.len(), 1);
    let audit = agent.audit_log().entries(100);
    assert!(
        audit.iter().any(|e| e.action == "override_pending_order"),
        "{audit:?}"
    );
}
both_profiles!(a_dropped_connection_is_unknown_not_not_placed);

async fn a_server_error_is_unknown(profile: Profile) {
    let r = rig(profile).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"status": 500, "error": "Unexpected"})),
    )
    .await;
    unknown(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    )
    .await;
    fault_fired(&r, 500).await;
    r.clear_faults().await;
}
both_profiles!(a_server_error_is_unknown);

/// The documented "store temporarily unavailable, please try again later" (v3 complete
/// order's `StoreUnavailable` 503) did not take the order: nothing is pending, the cart can
/// be paid again (ENDPOINTS.md §8a).
async fn the_documented_store_unavailable_is_not_placed(profile: Profile) {
    let r = rig(profile).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"status": 503, "error": "StoreUnavailable", "times": 1})),
    )
    .await;
    let out = r
        .service
        .place_card_order(&LUMA, card(APPROVED), None, false)
        .await
        .unwrap();
    let OrderOutcome::NotPlaced { error } = out else {
        panic!("{out:?}")
    };
    assert_eq!(error.code, ErrorCode::StoreUnavailable);
    fault_fired(&r, 503).await;
    assert!(r.desk.journal().records().unwrap().is_empty());
    placed(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    r.clear_faults().await;
}
both_profiles!(the_documented_store_unavailable_is_not_placed);

#[tokio::test]
async fn a_request_that_never_left_is_not_placed() {
    let r = rig(Profile::Demo).await;
    hoodie_ready(&r.service).await;
    let service = r.service.clone();
    r.sandbox.shutdown().await;
    let out = service
        .place_card_order(&LUMA, card(APPROVED), None, false)
        .await;
    // Either the cart read before the completion fails, or the connection is refused: in
    // both cases nothing reached the server and nothing is pending.
    match out {
        Ok(OrderOutcome::NotPlaced { error }) | Err(error) => {
            assert!(error.is_transport(), "{error:?}")
        }
        other => panic!("expected not placed, got {other:?}"),
    }
    assert!(service.cart(&LUMA).await.is_err());
}

#[tokio::test]
async fn a_timeout_is_unknown_then_settles_as_placed_when_the_cart_shows_it() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_with(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Demo,
        Arc::new(NoEvents),
        Some(Duration::from_millis(400)),
    )
    .await;
    let svc = desk.service();
    hoodie_ready(&svc).await;
    // The server commits, then holds its answer until released: the client's timeout
    // fires first, whatever the machine's speed.
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"after_commit": true, "hold": true, "times": 1})),
    )
    .await;
    let out = svc
        .place_card_order(&LUMA, card(APPROVED), None, false)
        .await
        .unwrap();
    r.sandbox.release_all();
    let number = match out {
        OrderOutcome::Placed { order } => order.order_number,
        OrderOutcome::Unknown { pending } => {
            assert_eq!(pending.cause, Some(UnknownCause::Timeout));
            // Background polling finds the submitted cart.
            wait_settled(&desk).await;
            r.orders().await[0]["order_number"]
                .as_str()
                .unwrap()
                .to_string()
        }
        other => panic!("{other:?}"),
    };
    r.clear_faults().await;
    assert_eq!(r.orders().await.len(), 1);
    assert!(!number.is_empty());
    assert!(desk.journal().records().unwrap().is_empty(), "settled");
}

async fn wait_settled(desk: &Desk) {
    for _ in 0..100 {
        if desk.journal().records().unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the order never settled: {:?}", desk.journal().records());
}

#[tokio::test]
async fn a_changed_or_emptied_cart_proves_nothing() {
    let r = rig(Profile::Docs).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"after_commit": true})),
    )
    .await;
    unknown(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    )
    .await;
    r.clear_faults().await;
    // Another cart appears at the merchant (new cart id): still no evidence either way.
    r.service.add_item(&LUMA, "WS12-M-Blue", 1).await.unwrap();
    let out = r.service.check_order(&LUMA).await.unwrap();
    assert!(matches!(out, OrderOutcome::Unknown { .. }), "{out:?}");
}

#[tokio::test]
async fn an_order_answer_our_models_cannot_read_is_placed_with_the_raw_body_kept() {
    let r = rig(Profile::Demo).await;
    let proxy = proxy::start(&r.sandbox.base_url()).await;
    proxy.garble_completions();
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(&proxy.url, dir.path(), demo_domains(), Mode::Demo).await;
    let svc = desk.service();
    hoodie_ready(&svc).await;
    let order = placed(
        svc.place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    let raw = order
        .raw_answer
        .clone()
        .expect("raw answer kept for support");
    assert!(raw.contains("not json"), "{raw}");
    assert_eq!(r.orders().await.len(), 1);
    assert!(desk.journal().records().unwrap().is_empty());
}

#[tokio::test]
async fn a_crash_mid_order_is_settled_at_the_next_start_before_a_kiosk_wipe() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let first = desk_at(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Kiosk,
    )
    .await;
    let svc = first.service();
    hoodie_ready(&svc).await;
    let device = svc.app_info().await.unwrap().device_id.unwrap();
    // The server commits and holds its answer; the desk dies while waiting.
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"after_commit": true, "hold": true})),
    )
    .await;
    let task = tokio::spawn(async move {
        let _ = svc
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await;
    });
    r.sandbox.wait_held().await;
    assert_eq!(
        r.orders().await.len(),
        1,
        "committed while the answer is held"
    );
    task.abort();
    drop(first);
    r.sandbox.release_all();
    let record = OrderJournal::beside(&dir.path().join("desk.json"))
        .records()
        .unwrap();
    assert_eq!(record.len(), 1, "the in-flight record survived");
    assert_eq!(record[0].state, RecordState::Sending);
    r.clear_faults().await;

    // The kiosk restarts: it settles the order with the old session, hands the outcome to
    // staff (never to the next shopper), and only then starts a new customer.
    let mut l = launch(&r.sandbox.base_url(), demo_domains(), Mode::Kiosk);
    l.kiosk.staff_pin_sha256 = Some(pin_hash("2468"));
    let events = Arc::new(Recorder::default());
    let second = desk_launch(
        l,
        dir.path(),
        events.clone(),
        DeskOptions {
            policy: ReconcilePolicy::quick(),
            ..DeskOptions::default()
        },
    )
    .await;
    let svc = second.service();
    if !svc.is_ready() {
        assert_eq!(
            svc.add_item(&LUMA, "MH07-M-Black", 1)
                .await
                .unwrap_err()
                .code,
            ErrorCode::DeskNotReady,
            "nothing runs before the earlier order is settled"
        );
    }
    svc.settled().await;
    let info = svc.app_info().await.unwrap();
    assert!(!info.settling);
    assert!(
        info.startup_orders.is_empty(),
        "a kiosk's shopper never sees it"
    );
    let staff = svc.staff_unlock("2468").unwrap();
    let OrderOutcome::Placed { order } = &staff.reports[0].outcome else {
        panic!("{:?}", staff.reports)
    };
    assert_eq!(
        json!(order.order_number),
        r.orders().await[0]["order_number"]
    );
    assert_ne!(info.device_id.unwrap(), device, "then a new customer");
    assert!(second.journal().records().unwrap().is_empty());
}

#[tokio::test]
async fn a_kiosk_wipe_never_waits_for_an_order_and_its_outcome_goes_to_staff() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Recorder::default());
    let mut l = launch(&r.sandbox.base_url(), demo_domains(), Mode::Kiosk);
    l.kiosk.staff_pin_sha256 = Some(pin_hash("2468"));
    let desk = desk_launch(
        l,
        dir.path(),
        events.clone(),
        DeskOptions {
            policy: ReconcilePolicy::quick(),
            ..DeskOptions::default()
        },
    )
    .await;
    let svc = desk.service();
    hoodie_ready(&svc).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"after_commit": true, "hold": true})),
    )
    .await;
    let paying = {
        let svc = svc.clone();
        tokio::spawn(async move {
            svc.place_card_order(&LUMA, card(APPROVED), None, false)
                .await
        })
    };
    // The order is committed and its answer is held by the sandbox: the wipe must not wait.
    r.sandbox.wait_held().await;
    let wiped = svc.wipe_customer().unwrap();
    assert_eq!(wiped.device_id, None, "a new customer, no session yet");
    let after = svc.hive().await.unwrap();
    assert!(after.carts.iter().all(|c| c.item_count == 0));
    assert!(!paying.is_finished(), "the order is still in flight");
    r.sandbox.release_all();
    let outcome = paying.await.unwrap();
    assert_eq!(
        outcome.unwrap_err().code,
        ErrorCode::SessionEnded,
        "the old customer's answer is not shown to the next one"
    );
    let staff = svc.staff_unlock("2468").unwrap();
    assert!(
        staff
            .reports
            .iter()
            .any(|o| matches!(o.outcome, OrderOutcome::Placed { .. })),
        "{staff:?}"
    );
    let marks = events.marks.lock().unwrap().clone();
    assert!(!marks.iter().any(|m| m == "order_placed"), "{marks:?}");
    r.clear_faults().await;
}

#[tokio::test]
async fn the_app_and_the_cli_on_one_store_do_not_both_complete_a_cart() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let app = desk_at(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Agent,
    )
    .await;
    hoodie_ready(&app.service()).await;
    // A second process on the same store file (the CLI with --session).
    let cli = desk_at(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Agent,
    )
    .await;
    // The app's completion is held by the server until the CLI has tried.
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"hold": true, "times": 1})),
    )
    .await;
    let first = {
        let svc = app.service();
        tokio::spawn(async move {
            svc.place_card_order(&LUMA, card(APPROVED), None, false)
                .await
        })
    };
    r.sandbox.wait_held().await;
    let second = cli
        .service()
        .place_card_order(&LUMA, card(APPROVED), None, false)
        .await;
    assert_eq!(second.unwrap_err().code, ErrorCode::OrderInProgress);
    r.sandbox.release_all();
    placed(first.await.unwrap().unwrap());
    r.clear_faults().await;
    assert_eq!(r.orders().await.len(), 1);
}

#[tokio::test]
async fn a_rotated_key_is_refetched_and_the_card_encrypted_once_more() {
    let r = rig(Profile::Demo).await;
    hoodie_ready(&r.service).await;
    r.admin_post(
        "/__sandbox/faults",
        completion_fault(json!({"status": 409, "error": "InvalidKey"})),
    )
    .await;
    placed(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    let completions = r.journal("/payment/complete-order").await;
    assert_eq!(completions.len(), 2, "{completions:?}");
    assert_eq!(completions[0]["status"], 409);
    assert_eq!(
        r.journal("/payment/key").await.len(),
        2,
        "a fresh key each time"
    );
    assert_eq!(r.orders().await.len(), 1);
}

#[tokio::test]
async fn an_error_id_in_any_script_never_crashes_the_desk() {
    let r = rig(Profile::Demo).await;
    for id in [
        "Érreur",
        "ErrorÅ",
        "日本語エラー",
        "€rror",
        "Error\u{0}x",
        "ÉRRORNotEnoughStock",
    ] {
        r.admin_post(
            "/__sandbox/faults",
            json!({"match": {"path_contains": "/cart/line-items"}, "status": 422, "error": id, "times": 1}),
        )
        .await;
        let e = r
            .service
            .add_item(&LUMA, "MH07-M-Black", 1)
            .await
            .unwrap_err();
        assert_eq!(e.status, Some(422));
        assert!(!e.to_string().is_empty());
    }
}

/// Records the order of events.
#[derive(Default)]
struct Recorder {
    marks: std::sync::Mutex<Vec<String>>,
}

impl EventSink for Recorder {
    fn cart_updated(&self, cart: &CartView, _: &[MoneyView]) {
        self.marks
            .lock()
            .unwrap()
            .push(format!("cart:{}:{}", cart.domain, cart.item_count));
    }
    fn order_placed(&self, _: &OrderView) {
        self.marks.lock().unwrap().push("order_placed".into());
    }
}
