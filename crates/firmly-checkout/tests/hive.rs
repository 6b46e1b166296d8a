//! Many merchants at once: the hive loads in parallel (proven by counting overlapping
//! requests, never by timing), one merchant's failure stays on its tab, the postal-code
//! preference changes estimates, one address applies to every cart, pay-all pays each
//! ready cart on its own, and the audit log records operator actions without card data.

mod support;

use firmly_api::ErrorCode;
use firmly_checkout::*;
use firmly_sandbox::Profile;
use serde_json::json;
use support::*;

fn shops(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("shop-{i:02}.test")).collect()
}

#[tokio::test]
async fn the_hive_reads_twenty_merchants_concurrently() {
    let r = rig(Profile::Docs).await;
    let proxy = proxy::start(&r.sandbox.base_url()).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(&proxy.url, dir.path(), shops(20), Mode::Demo).await;
    let svc = desk.service();
    svc.add_item(&dom("shop-07.test"), "S07-CANVAS-TOTE", 1)
        .await
        .unwrap();
    // Every cart read is held by the server until released: the reads are concurrent only
    // if all 20 are held at once.
    r.admin_post(
        "/__sandbox/faults",
        json!({"match": {"method": "GET", "path_contains": "/cart"}, "hold": true, "times": 20}),
    )
    .await;
    proxy.reset();
    let loading = {
        let svc = svc.clone();
        tokio::spawn(async move { svc.hive().await })
    };
    while r.sandbox.held().len() < 20 {
        r.sandbox.wait_held().await;
        tokio::task::yield_now().await;
    }
    r.sandbox.release_all();
    let hive = loading.await.unwrap().unwrap();
    r.clear_faults().await;
    assert_eq!(hive.carts.len(), 20);
    assert!(hive.carts.iter().all(|c| c.load_error.is_none()));
    assert_eq!(hive.carts.iter().filter(|c| c.item_count > 0).count(), 1);
    let max = proxy.max_in_flight();
    assert!(max >= 15, "the reads overlapped: at most {max} at once");
    assert!(max <= HIVE_CONCURRENCY, "and stayed bounded: {max}");
}

async fn one_failing_merchant_never_hides_the_others(profile: Profile) {
    let r = rig(profile).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(&r.sandbox.base_url(), dir.path(), shops(5), Mode::Demo).await;
    let svc = desk.service();
    svc.add_item(&dom("shop-02.test"), "S02-CANVAS-TOTE", 1)
        .await
        .unwrap();
    svc.add_item(&dom("shop-03.test"), "S03-CANVAS-TOTE", 2)
        .await
        .unwrap();
    r.admin_post(
        "/__sandbox/faults",
        json!({"match": {"path_contains": "shop-03.test/cart"}, "status": 503, "error": "StoreUnavailable"}),
    )
    .await;
    let hive = svc.hive().await.unwrap();
    r.clear_faults().await;
    assert_eq!(hive.carts.len(), 5);
    let failed = hive
        .carts
        .iter()
        .find(|c| c.domain == "shop-03.test")
        .unwrap();
    let e = failed
        .load_error
        .as_ref()
        .expect("the failure is on its tab");
    assert_eq!(e.code, ErrorCode::StoreUnavailable);
    assert_eq!(failed.item_count, 2, "the last known cart stays visible");
    let ok = hive
        .carts
        .iter()
        .find(|c| c.domain == "shop-02.test")
        .unwrap();
    assert!(ok.load_error.is_none() && ok.item_count == 1);
    // The failure clears on the next good read.
    let again = svc.cart(&dom("shop-03.test")).await.unwrap();
    assert!(again.load_error.is_none());
}
both_profiles!(one_failing_merchant_never_hides_the_others);

#[tokio::test]
async fn the_postal_code_preference_changes_shipping_estimates() {
    let r = rig(Profile::Docs).await;
    r.service.add_item(&LUMA, "MH07-M-Black", 1).await.unwrap();
    let west = r.service.cart(&LUMA).await.unwrap();
    let west_ground = west.shipments[0]
        .methods
        .iter()
        .find(|m| m.id == "STANDARD_GROUND")
        .unwrap()
        .price
        .clone();
    let hive = r.service.set_postal_code(Some("10001")).await.unwrap();
    let east = hive
        .carts
        .iter()
        .find(|c| c.domain == LUMA.as_str())
        .unwrap();
    let east_ground = east.shipments[0]
        .methods
        .iter()
        .find(|m| m.id == "STANDARD_GROUND")
        .unwrap()
        .price
        .clone();
    assert_ne!(
        west_ground, east_ground,
        "the zone follows the device's postal code"
    );
    assert_eq!(
        r.service.app_info().await.unwrap().postal_code.as_deref(),
        Some("10001")
    );
    assert_eq!(
        r.service
            .set_postal_code(Some("<script>"))
            .await
            .unwrap_err()
            .field,
        Some(firmly_api::Field::PostalCode)
    );
    // Cleared again.
    r.service.set_postal_code(None).await.unwrap();
    assert_eq!(r.service.app_info().await.unwrap().postal_code, None);
}

async fn one_address_applies_to_every_cart(profile: Profile) {
    let r = rig(profile).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(
        &r.sandbox.base_url(),
        dir.path(),
        vec![
            LUMA.to_string(),
            "shop-01.test".into(),
            "digital.test".into(),
        ],
        Mode::Demo,
    )
    .await;
    let svc = desk.service();
    svc.add_item(&LUMA, "MH07-M-Black", 1).await.unwrap();
    svc.add_item(&dom("shop-01.test"), "S01-ENAMEL-MUG-Navy", 1)
        .await
        .unwrap();
    svc.add_item(&dom("digital.test"), "DIG-COURSE-01", 1)
        .await
        .unwrap();
    let results = svc.apply_address_to_all(address()).await.unwrap();
    assert_eq!(results.len(), 3);
    for r in &results {
        if r.domain == "digital.test" {
            // A digital-only cart needs no shipping: it says so on its own.
            assert_eq!(r.error.as_ref().unwrap().code, ErrorCode::ShippingNotNeeded);
        } else {
            assert!(r.error.is_none(), "{}: {:?}", r.domain, r.error);
            assert!(r.cart.as_ref().unwrap().shipping_info.is_some());
        }
    }
}
both_profiles!(one_address_applies_to_every_cart);

async fn pay_all_pays_each_cart_on_its_own(profile: Profile) {
    let r = rig(profile).await;
    let dir = tempfile::tempdir().unwrap();
    let merchants = vec![
        LUMA.to_string(),
        "shop-01.test".into(),
        "shop-02.test".into(),
        HOME.to_string(),
    ];
    let desk = desk_at(&r.sandbox.base_url(), dir.path(), merchants, Mode::Demo).await;
    let svc = desk.service();
    for (d, v) in [
        (&*LUMA, "MH07-M-Black"),
        (&dom("shop-01.test"), "S01-CANVAS-TOTE"),
        (&dom("shop-02.test"), "S02-CANVAS-TOTE"),
    ] {
        svc.add_item(d, v, 1).await.unwrap();
        svc.set_shipping_info(d, address()).await.unwrap();
        accept_consents(&svc, d).await;
    }
    // A sofa whose delivery date is not chosen: not ready, listed with the reason.
    svc.add_item(&HOME, "HG-SOFA-01-Slate", 1).await.unwrap();
    svc.set_shipping_info(&HOME, address()).await.unwrap();
    // The first completion is declined, the second loses its connection, the third lands.
    r.admin_post(
        "/__sandbox/faults",
        json!([
            {"match": {"path_contains": "/payment/complete-order"}, "status": 422, "error": "CreditCardDeclined", "times": 1},
            {"match": {"path_contains": "/payment/complete-order"}, "drop_connection": true, "times": 1}
        ]),
    )
    .await;
    let entries = svc.pay_all(card(APPROVED), None).await.unwrap();
    r.clear_faults().await;
    assert_eq!(entries.len(), 4);
    let home = entries.iter().find(|e| e.domain == HOME.as_str()).unwrap();
    assert!(home.outcome.is_none());
    assert!(
        home.not_ready
            .iter()
            .any(|b| matches!(b, Blocker::ShipmentDate { .. })),
        "{:?}",
        home.not_ready
    );
    let outcomes: Vec<&OrderOutcome> = entries.iter().filter_map(|e| e.outcome.as_ref()).collect();
    let placed: Vec<&OrderView> = outcomes
        .iter()
        .filter_map(|o| match o {
            OrderOutcome::Placed { order } => Some(order.as_ref()),
            _ => None,
        })
        .collect();
    let declined = outcomes
        .iter()
        .filter(|o| matches!(o, OrderOutcome::NotPlaced { error } if error.code == ErrorCode::CreditCardDeclined))
        .count();
    let unknown = outcomes
        .iter()
        .filter(|o| matches!(o, OrderOutcome::Unknown { .. }))
        .count();
    assert_eq!((placed.len(), declined, unknown), (1, 1, 1), "{outcomes:?}");
    // One sandbox order, the placed one; one key, fetched ahead once and used by every
    // merchant's order (pay all is one round trip deep).
    let orders = r.orders().await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["order_number"], json!(placed[0].order_number));
    assert_eq!(r.journal("/payment/key").await.len(), 1);
    let audit = desk.audit_log().entries(200);
    assert!(audit.iter().any(|e| e.action == "pay_all"));
}
both_profiles!(pay_all_pays_each_cart_on_its_own);

#[tokio::test]
async fn the_audit_log_records_operator_actions_without_secrets() {
    let r = rig(Profile::Demo).await;
    hoodie_ready(&r.service).await;
    placed(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
    r.service.wipe_customer().unwrap();
    let entries = r.desk.audit_log().entries(100);
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for want in [
        "desk_started",
        "add_item",
        "set_shipping_info",
        "grant_consent",
        "place_order",
        "order_placed",
        "wipe_customer",
    ] {
        assert!(actions.contains(&want), "{want} in {actions:?}");
    }
    let placed = entries.iter().find(|e| e.action == "order_placed").unwrap();
    assert_eq!(placed.merchant.as_deref(), Some(LUMA.as_str()));
    assert!(placed.outcome.starts_with("SBX-"));
    assert!(entries
        .iter()
        .all(|e| e.mode == Mode::Demo && !e.at.is_empty()));
    let text = std::fs::read_to_string(r.dir.path().join("audit.jsonl")).unwrap();
    for secret in [APPROVED, "Lovelace", "ada@example.com", "access_token"] {
        assert!(!text.contains(secret), "{secret} in the audit log");
    }
}

// ----- the start-up's warm read (`service/warm.rs`) ------------------------------------------

/// A desk that reads the carts as it starts (as the app's does), in `dir`.
async fn warm_desk(r: &Rig, dir: &std::path::Path) -> std::sync::Arc<Desk> {
    desk_options(
        &r.sandbox.base_url(),
        dir,
        demo_domains(),
        Mode::Demo,
        std::sync::Arc::new(NoEvents),
        DeskOptions {
            warm_up: true,
            ..DeskOptions::default()
        },
    )
    .await
}

/// An earlier run of the desk in `dir` left an item in the luma cart (same store, same
/// device session).
async fn earlier_run_left_an_item(r: &Rig, dir: &std::path::Path) {
    let earlier = desk_at(&r.sandbox.base_url(), dir, demo_domains(), Mode::Demo).await;
    earlier
        .service()
        .add_item(&LUMA, "24-MB02", 1)
        .await
        .unwrap();
}

/// The sandbox journal's GET cart reads so far.
async fn cart_reads(r: &Rig) -> usize {
    r.journal("/cart")
        .await
        .iter()
        .filter(|e| {
            e["method"] == "GET" && e["path"].as_str().is_some_and(|p| p.ends_with("/cart/"))
        })
        .count()
}

#[tokio::test]
async fn the_carts_are_read_as_the_desk_starts_and_the_first_hive_answers_from_them() {
    let r = rig(Profile::Docs).await;
    let dir = tempfile::tempdir().unwrap();
    earlier_run_left_an_item(&r, dir.path()).await;

    let desk = warm_desk(&r, dir.path()).await;
    let svc = desk.service();
    // `app_info` waits for the warm read and asks no merchants of its own.
    let domains_before = r.journal("/carts/active-domains").await.len();
    let info = svc.app_info().await.unwrap();
    assert!(info.device_id.is_some());
    assert_eq!(
        r.journal("/carts/active-domains").await.len(),
        domains_before
    );
    let read_at_start = cart_reads(&r).await;
    assert!(
        read_at_start >= demo_domains().len(),
        "every merchant's cart was read as the desk started: {read_at_start}"
    );

    let hive = svc.hive().await.unwrap();
    assert_eq!(
        cart_reads(&r).await,
        read_at_start,
        "the first hive read nothing more"
    );
    let luma = hive
        .carts
        .iter()
        .find(|c| c.domain == LUMA.as_str())
        .unwrap();
    assert_eq!(luma.item_count, 1);
    assert_eq!(hive.carts.len(), demo_domains().len());

    // Used once: the next hive reads the carts again.
    svc.hive().await.unwrap();
    assert!(cart_reads(&r).await >= read_at_start + demo_domains().len());
}

#[tokio::test]
async fn a_cart_changed_after_the_warm_read_is_read_again() {
    let r = rig(Profile::Docs).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = warm_desk(&r, dir.path()).await;
    let svc = desk.service();
    svc.app_info().await.unwrap();
    svc.add_item(&HOME, "HG-PIL-01-Sage", 2).await.unwrap();
    let before = cart_reads(&r).await;
    let hive = svc.hive().await.unwrap();
    assert!(cart_reads(&r).await > before, "the hive was read again");
    let home = hive
        .carts
        .iter()
        .find(|c| c.domain == HOME.as_str())
        .unwrap();
    assert_eq!(home.item_count, 2);
}

#[tokio::test]
async fn a_wipe_after_the_warm_read_reads_the_new_session() {
    let r = rig(Profile::Docs).await;
    let dir = tempfile::tempdir().unwrap();
    earlier_run_left_an_item(&r, dir.path()).await;
    let desk = warm_desk(&r, dir.path()).await;
    let svc = desk.service();
    svc.app_info().await.unwrap();
    svc.wipe_customer().unwrap();
    let before = cart_reads(&r).await;
    let hive = svc.hive().await.unwrap();
    assert!(
        cart_reads(&r).await > before,
        "the new session's carts were read"
    );
    assert!(
        hive.carts.iter().all(|c| c.item_count == 0),
        "nothing of the last customer"
    );
}

#[tokio::test]
async fn a_desk_without_the_warm_up_reads_nothing_before_it_is_asked() {
    let r = rig(Profile::Docs).await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Demo,
    )
    .await;
    // A full round trip of its own: a read started in the background would be journaled
    // by now.
    desk.service().app_info().await.unwrap();
    assert_eq!(cart_reads(&r).await, 0);
    desk.service().hive().await.unwrap();
    assert!(cart_reads(&r).await >= demo_domains().len());
}

#[tokio::test]
async fn app_info_never_waits_for_a_slow_cart_of_the_warm_read() {
    let r = rig(Profile::Docs).await;
    // The warm read's homegoods cart answer is held until released.
    r.admin_post(
        "/__sandbox/faults",
        json!({"match": {"method": "GET", "path_contains": "homegoods.test/cart"}, "hold": true, "times": 1}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let desk = warm_desk(&r, dir.path()).await;
    let svc = desk.service();
    let info = svc.app_info().await.unwrap();
    assert!(info.device_id.is_some());
    // Answered while that cart read was still held: the journal records a request when it
    // is answered, and has no homegoods cart yet.
    let home_reads = |j: Vec<serde_json::Value>| {
        j.iter()
            .filter(|e| {
                e["path"]
                    .as_str()
                    .is_some_and(|p| p.contains("homegoods.test/cart"))
            })
            .count()
    };
    assert_eq!(home_reads(r.journal("/cart").await), 0);
    assert_eq!(r.sandbox.wait_held().await.len(), 1, "still held");
    // The first hive waits for the warm read, which then has every cart.
    let first_hive = {
        let svc = svc.clone();
        tokio::spawn(async move { svc.hive().await })
    };
    r.sandbox.release_all();
    let hive = first_hive.await.unwrap().unwrap();
    let held = r.journal("/cart").await;
    assert_eq!(home_reads(held.clone()), 1);
    assert!(held.iter().any(|e| e["fault"] == "hold"), "the hold fired");
    assert!(hive.carts.iter().all(|c| c.load_error.is_none()));
}

#[tokio::test]
async fn a_hive_answer_that_left_before_a_change_never_replaces_the_change() {
    let r = rig(Profile::Docs).await;
    let svc = r.service.clone();
    svc.add_item(&LUMA, "MH07-M-Black", 1).await.unwrap();
    // The server reads Luma's cart for the hive, then holds the answer: the change below is
    // made and published while that older answer is on its way.
    r.hold_next_answer("staging.luma.gift/cart").await;
    let loading = {
        let svc = svc.clone();
        tokio::spawn(async move { svc.hive().await })
    };
    r.until_held("the hive's read of luma's cart").await;
    let changed = svc.set_shipping_info(&LUMA, address()).await.unwrap();
    assert!(changed.shipping_info.is_some());
    assert_eq!(
        r.sandbox.release_all(),
        1,
        "the hive's read was the one held"
    );
    let hive = loading.await.unwrap().unwrap();
    r.clear_faults().await;
    let luma = hive
        .carts
        .iter()
        .find(|c| c.domain == LUMA.as_str())
        .expect("luma's cart");
    assert!(
        luma.shipping_info.is_some(),
        "the older answer (no address) replaced the change: {luma:?}"
    );
}

#[tokio::test]
async fn a_consent_list_read_before_a_tick_never_replaces_the_tick() {
    // `demo`: its required consent starts unsigned and blocks the order until ticked (in
    // `docs` the sample's required consent reads as signed already).
    let r = rig(Profile::Demo).await;
    let svc = r.service.clone();
    svc.add_item(&GADGETS, "GAD-LAP-01", 1).await.unwrap();
    let required = svc
        .consents(&GADGETS)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.required)
        .expect("gadgets asks for a consent");
    assert!(!required.signed);
    // The cart's read asks for the consents too; the server answers, then holds the answer:
    // the shopper's tick is made and answered while that older list is on its way.
    r.hold_next_answer("gadgets.test/cart/consents").await;
    let reading = {
        let svc = svc.clone();
        tokio::spawn(async move { svc.cart(&GADGETS).await })
    };
    r.until_held("the cart's consents read").await;
    let ticked = svc.set_consent(&GADGETS, &required.id, true).await.unwrap();
    assert!(ticked.iter().any(|c| c.id == required.id && c.signed));
    assert_eq!(
        r.sandbox.release_all(),
        1,
        "the cart's consents read was held"
    );
    let read = reading.await.unwrap().unwrap();
    r.clear_faults().await;
    let held = r.journal("/consents").await;
    assert!(
        held.iter().any(|e| e["fault"] == "after_commit_hold"),
        "the hold fired: {held:?}"
    );
    // The hive reads the carts only: its view shows the consents the desk kept.
    let hive = svc.hive().await.unwrap();
    let kept = hive
        .carts
        .into_iter()
        .find(|c| c.domain == GADGETS.as_str())
        .expect("gadgets' cart")
        .consents;
    for (what, list) in [
        ("the held read's view", read.consents),
        ("the desk's list now", kept),
    ] {
        assert!(
            list.iter().any(|c| c.id == required.id && c.signed),
            "{what}: the older list (not ticked) replaced the tick: {list:?}"
        );
    }
    assert!(
        !read
            .blockers
            .iter()
            .any(|b| matches!(b, Blocker::Consents { .. })),
        "{:?}",
        read.blockers
    );
}
