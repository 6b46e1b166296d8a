//! Checkout flows of the application service against the sandbox on 127.0.0.1:0, in both
//! profiles (`docs`: strictly as the Firmly docs say; `demo`: with the documented
//! extensions): a card order end to end, a double submission, a declined card that loses
//! nothing, the hive, the wipe, snapshots, wallet and login, merchants by domain, health,
//! and no card data at rest.

mod support;

use firmly_api::ErrorCode;
use firmly_api::Field;
use firmly_checkout::*;
use firmly_sandbox::Profile;
use serde_json::json;
use support::*;

async fn a_card_order_is_placed_and_recorded_once(profile: Profile) {
    let r = rig(profile).await;
    let cart = hoodie_ready(&r.service).await;
    let order = placed(
        r.service
            .place_card_order(&LUMA, card("4111 1111 1111 1111"), None, false)
            .await
            .unwrap(),
    );
    assert!(!order.order_number.is_empty());
    assert_eq!(order.total, cart.totals.total);
    assert_eq!(
        order.paid_with,
        PaidWith::Card {
            brand: Some("Visa".into()),
            last_four: Some("1111".into())
        }
    );
    let orders = r.orders().await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["order_number"], json!(order.order_number));
    // After the order the merchant's cart is empty for this device (docs: 404 → empty).
    let after = r.service.cart(&LUMA).await.unwrap();
    assert!(after.line_items.is_empty() || after.status == CartStatus::Submitted);
    assert!(
        r.desk.journal().records().unwrap().is_empty(),
        "nothing left in flight"
    );
}
both_profiles!(a_card_order_is_placed_and_recorded_once);

async fn a_double_submission_places_exactly_one_order(profile: Profile) {
    let r = rig(profile).await;
    hoodie_ready(&r.service).await;
    let (a, b) = tokio::join!(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false),
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false),
    );
    let placed_count = [&a, &b]
        .iter()
        .filter(|x| matches!(x, Ok(OrderOutcome::Placed { .. })))
        .count();
    assert_eq!(placed_count, 1, "one order: {a:?} {b:?}");
    let refused = [a, b]
        .into_iter()
        .find_map(|x| x.err())
        .expect("one refused");
    assert!(
        refused.code == ErrorCode::OrderInProgress || refused.code == ErrorCode::AlreadyOrdered,
        "{refused:?}"
    );
    assert_eq!(r.orders().await.len(), 1);
}
both_profiles!(a_double_submission_places_exactly_one_order);

async fn a_declined_card_keeps_the_cart_and_the_address(profile: Profile) {
    let r = rig(profile).await;
    let before = hoodie_ready(&r.service).await;
    let out = r
        .service
        .place_card_order(&LUMA, card("4000000000000002"), None, false)
        .await
        .unwrap();
    let OrderOutcome::NotPlaced { error } = out else {
        panic!("declined is not placed: {out:?}")
    };
    assert_eq!(error.code, ErrorCode::CreditCardDeclined);
    assert_eq!(error.field, Some(Field::Number));
    let after = r.service.cart(&LUMA).await.unwrap();
    assert_eq!(after.line_items.len(), before.line_items.len());
    assert_eq!(after.shipping_info, before.shipping_info);
    assert_eq!(after.status, CartStatus::Active);
    assert!(
        after.pending_order.is_none(),
        "a rejection leaves nothing pending"
    );
    // A good card then pays the same cart.
    placed(
        r.service
            .place_card_order(&LUMA, card(APPROVED), None, false)
            .await
            .unwrap(),
    );
}
both_profiles!(a_declined_card_keeps_the_cart_and_the_address);

#[tokio::test]
async fn card_numbers_and_cvvs_never_reach_the_store_logs_or_request_log() {
    let logs = captured_logs();
    let r = rig(Profile::Demo).await;
    hoodie_ready(&r.service).await;
    let mut c = card(APPROVED);
    c.cvv = "987".into();
    placed(
        r.service
            .place_card_order(&LUMA, c, None, false)
            .await
            .unwrap(),
    );
    let store = std::fs::read_to_string(&r.store_path).unwrap();
    let journal_file =
        std::fs::read_to_string(r.desk.journal().path().unwrap()).unwrap_or_default();
    let audit = std::fs::read_to_string(r.dir.path().join("audit.jsonl")).unwrap();
    let log = serde_json::to_string(&r.service.request_log().unwrap()).unwrap();
    let journal = r.admin_get("/__sandbox/requests").await.to_string();
    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    assert!(
        logs.contains("complete-order"),
        "the logs did record the checkout"
    );
    assert!(
        audit.contains("order_placed"),
        "the audit log recorded the order"
    );
    for haystack in [&store, &journal_file, &audit, &log, &journal, &logs] {
        assert!(!haystack.contains(APPROVED));
        assert!(!haystack.contains("\"987\""), "cvv leaked");
        assert!(!haystack.contains("verification_value"));
    }
    // The token is kept in the store, but never in the request log or the audit log.
    assert!(store.contains("access_token"));
    assert!(!audit.contains("access_token"));
}

async fn the_hive_lists_every_demo_merchant(profile: Profile) {
    let r = rig(profile).await;
    hoodie_ready(&r.service).await;
    let hive = r.service.hive().await.unwrap();
    assert_eq!(hive.carts.len(), 4);
    assert_eq!(hive.total.len(), 1);
    let luma = hive
        .carts
        .iter()
        .find(|c| c.domain == LUMA.as_str())
        .unwrap();
    assert_eq!(hive.total[0], luma.totals.total);
    // Merchants with no cart for this device (the documented 404) are empty, not errors.
    for c in hive.carts.iter().filter(|c| c.domain != LUMA.as_str()) {
        assert!(c.load_error.is_none(), "{}: {:?}", c.domain, c.load_error);
        assert_eq!(c.item_count, 0);
    }
}
both_profiles!(the_hive_lists_every_demo_merchant);

async fn wiping_the_customer_leaves_nothing_of_them_in_memory_or_the_store(profile: Profile) {
    let r = rig(profile).await;
    hoodie_ready(&r.service).await;
    let before = r.service.app_info().await.unwrap().device_id.unwrap();
    let store_before = std::fs::read_to_string(&r.store_path).unwrap();
    assert!(store_before.contains(&before));
    assert!(!r.service.request_log().unwrap().is_empty());

    let info = r.service.wipe_customer().unwrap();
    assert_eq!(
        info.device_id, None,
        "the wipe answers at once, before any network call"
    );
    let after = r.service.app_info().await.unwrap().device_id.unwrap();
    assert_ne!(before, after, "a new device session");
    assert!(
        r.service.raw_cart(&LUMA).unwrap().is_none(),
        "no cart kept in memory"
    );
    let store = std::fs::read_to_string(&r.store_path).unwrap();
    assert!(!store.contains(&before), "old device gone from the store");
    assert!(!store.contains("Lovelace") && !store.contains(LUMA.as_str()));
    let hive = r.service.hive().await.unwrap();
    assert!(hive.carts.iter().all(|c| c.item_count == 0));
    assert!(hive.total.is_empty());
}
both_profiles!(wiping_the_customer_leaves_nothing_of_them_in_memory_or_the_store);

#[tokio::test]
async fn a_wipe_clears_local_state_even_when_the_api_is_unreachable() {
    let r = rig(Profile::Demo).await;
    hoodie_ready(&r.service).await;
    let before = r.service.app_info().await.unwrap().device_id.unwrap();
    let base = r.sandbox.base_url();
    let (service, store_path) = (r.service.clone(), r.store_path.clone());
    r.sandbox.shutdown().await;
    let info = service.wipe_customer().unwrap();
    assert_eq!(info.device_id, None, "no new session yet");
    assert!(service.raw_cart(&LUMA).unwrap().is_none());
    let log = service.request_log().unwrap();
    assert!(
        log.iter().all(|e| !e.path.contains("/domains/")),
        "the old customer's requests are forgotten: {log:?}"
    );
    let store = std::fs::read_to_string(&store_path).unwrap();
    assert!(
        !store.contains(&before) && !store.contains("Lovelace"),
        "{base}"
    );
}

async fn a_snapshot_resumes_the_case_on_another_desk(profile: Profile) {
    let first = rig(profile).await;
    hoodie_ready(&first.service).await;
    let text = first.service.export_snapshot(false).await.unwrap();
    assert!(!text.contains("4111"), "no card data");
    assert!(text.contains("Lovelace"));
    let redacted = first.service.export_snapshot(true).await.unwrap();
    assert!(!redacted.contains("Lovelace") && !redacted.contains("ada@example.com"));
    let r: serde_json::Value = serde_json::from_str(&redacted).unwrap();
    assert!(
        r.get("access_token").is_none() && r.get("device_id").is_none(),
        "a redacted snapshot resumes nothing: {r}"
    );
    let device = first.service.app_info().await.unwrap().device_id.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let second = desk_at(
        &first.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Agent,
    )
    .await;
    // The redacted one opens read-only and leaves this desk's customer alone.
    let before_device = second.service().app_info().await.unwrap().device_id;
    let read_only = second.service().import_snapshot(&redacted).await.unwrap();
    assert!(read_only.read_only);
    assert_eq!(
        read_only
            .hive
            .carts
            .iter()
            .find(|c| c.domain == LUMA.as_str())
            .map(|c| c.item_count),
        Some(1)
    );
    assert_eq!(
        second.service().app_info().await.unwrap().device_id,
        before_device
    );
    let opened = second.service().import_snapshot(&text).await.unwrap();
    assert!(!opened.read_only);
    let luma = opened
        .hive
        .carts
        .iter()
        .find(|c| c.domain == LUMA.as_str())
        .unwrap();
    assert_eq!(luma.item_count, 1);
    assert_eq!(
        second
            .service()
            .app_info()
            .await
            .unwrap()
            .device_id
            .unwrap(),
        device
    );
    let err = second.service().import_snapshot("{}").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
}
both_profiles!(a_snapshot_resumes_the_case_on_another_desk);

/// Every log line of every test in this binary (client, service and sandbox), at the
/// most verbose level, collected in memory by a global subscriber installed once.
fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || LogWriter(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        logs
    })
    .clone()
}

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn a_wallet_unlock_brings_saved_cards_that_pay(profile: Profile) {
    let r = rig(profile).await;
    r.service
        .add_item(&MEMBERS, "MEM-TOTE-01", 1)
        .await
        .unwrap();
    let mut a = address();
    a.email = "member@example.com".into();
    let cart = r.service.set_shipping_info(&MEMBERS, a).await.unwrap();
    assert!(cart.session.requires_login);
    assert!(cart.blockers.contains(&Blocker::Login));
    let wallet = cart
        .payment_options
        .iter()
        .find(|p| p.kind == PaymentOptionKind::Wallet)
        .expect("the locked wallet is offered");
    assert_eq!(wallet.id.as_deref(), Some("shoppay"));
    assert_eq!(
        wallet.blocker,
        Some(Blocker::WalletLocked {
            wallet: "shoppay".into()
        })
    );
    r.service
        .request_otp(&MEMBERS, "member@example.com")
        .await
        .unwrap();
    let otp = r.admin_get("/__sandbox/otp?email=member@example.com").await["otp"]
        .as_str()
        .unwrap()
        .to_string();
    // A wrong code is a login refusal on the field, not a device-token expiry.
    let wrong = r
        .service
        .verify_otp(&MEMBERS, "member@example.com", "000000")
        .await
        .unwrap_err();
    assert_eq!(wrong.field, Some(Field::Otp), "{wrong:?}");
    r.service
        .verify_otp(&MEMBERS, "member@example.com", &otp)
        .await
        .unwrap();
    r.service
        .wallet_start("shoppay", "member@example.com")
        .await
        .unwrap();
    let bad = r
        .service
        .wallet_complete(&MEMBERS, "shoppay", "000000")
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidOtp, "{bad:?}");
    r.service
        .wallet_start("shoppay", "member@example.com")
        .await
        .unwrap();
    let code = r.admin_get("/__sandbox/otp?email=member@example.com").await["otp"]
        .as_str()
        .unwrap()
        .to_string();
    let cart = r
        .service
        .wallet_complete(&MEMBERS, "shoppay", &code)
        .await
        .unwrap();
    let card = cart
        .payment_options
        .iter()
        .find(|p| p.kind == PaymentOptionKind::SavedCard && p.wallet.as_deref() == Some("shoppay"))
        .expect("wallet cards offered")
        .clone();
    assert!(!cart
        .payment_options
        .iter()
        .any(|p| p.kind == PaymentOptionKind::Wallet));
    accept_consents(&r.service, &MEMBERS).await;
    let order = placed(
        r.service
            .place_saved_card_order(&MEMBERS, card.id.as_deref().unwrap(), false)
            .await
            .unwrap(),
    );
    let saved = card.card.clone().expect("a saved card names its card");
    assert!(
        saved.last_four.as_deref().is_some_and(|l| l.len() == 4),
        "{saved:?}"
    );
    assert!(saved.brand.is_some(), "{saved:?}");
    let PaidWith::Card { last_four, .. } = &order.paid_with else {
        panic!("{:?}", order.paid_with)
    };
    assert_eq!(last_four, &saved.last_four);
}
both_profiles!(a_wallet_unlock_brings_saved_cards_that_pay);

async fn the_apps_own_refusals_carry_codes_the_ui_can_word(profile: Profile) {
    let r = rig(profile).await;
    let svc = &r.service;
    let code = |e: firmly_api::ApiError| {
        assert!(e.code.refused_before_sending(), "{e:?}");
        e.code
    };
    // Nothing in any cart: nothing to pay, and nothing to check.
    assert_eq!(
        code(svc.pay_all(card(APPROVED), None).await.unwrap_err()),
        ErrorCode::NothingToPay
    );
    assert_eq!(
        code(svc.check_order(&LUMA).await.unwrap_err()),
        ErrorCode::NoPendingOrder
    );
    // PayPal: cancelled by the shopper, or a return no checkout here started.
    assert_eq!(
        code(
            svc.paypal_approved(&LUMA, firmly_checkout::paypal::PaypalReturn::Cancelled)
                .await
                .unwrap_err()
        ),
        ErrorCode::PaypalCancelled
    );
    let stray = firmly_checkout::paypal::PaypalReturn::Approved {
        token: "EC-NOT-OURS".into(),
        payer_id: "PAYER".into(),
    };
    assert_eq!(
        code(svc.paypal_approved(&LUMA, stray).await.unwrap_err()),
        ErrorCode::PaypalReturnRejected
    );
    // A wallet code before one was asked for.
    assert_eq!(
        code(
            svc.wallet_complete(&MEMBERS, "shoppay", "000000")
                .await
                .unwrap_err()
        ),
        ErrorCode::WalletCodeNotRequested
    );
    assert!(r.orders().await.is_empty());
}
both_profiles!(the_apps_own_refusals_carry_codes_the_ui_can_word);

async fn merchants_added_by_domain_are_remembered(profile: Profile) {
    let r = rig(profile).await;
    let dir = tempfile::tempdir().unwrap();
    // A desk with no configured merchants, as a live desk starts.
    let live = desk_at(&r.sandbox.base_url(), dir.path(), Vec::new(), Mode::Demo).await;
    let svc = live.service();
    assert!(svc.app_info().await.unwrap().merchants.is_empty());
    // A domain is checked where it enters (a command, the CLI, a file), once.
    let bad = Domain::parse("not a domain").unwrap_err();
    assert_eq!(
        (bad.code, bad.field),
        (ErrorCode::Validation, Some(Field::Domain))
    );
    // A merchant where this device has no cart yet (the documented 404) is added.
    let info = svc
        .add_merchant(&dom(" HTTPS://Gadgets.Test/ "))
        .await
        .unwrap();
    let domains: Vec<&str> = info.merchants.iter().map(|m| m.domain.as_str()).collect();
    assert_eq!(domains, vec!["gadgets.test"]);
    // A domain the API does not serve is refused with the API's reason.
    let unknown = svc.add_merchant(&dom("nowhere.example")).await.unwrap_err();
    assert!(unknown.status.is_some(), "{unknown:?}");
    // A cart on another merchant is discovered through active domains/carts.
    svc.add_item(&LUMA, "MH07-M-Black", 1).await.unwrap();
    let again = desk_at(&r.sandbox.base_url(), dir.path(), Vec::new(), Mode::Demo).await;
    let domains: Vec<String> = again
        .service()
        .app_info()
        .await
        .unwrap()
        .merchants
        .into_iter()
        .map(|m| m.domain)
        .collect();
    assert!(
        domains.contains(&"gadgets.test".to_string()) && domains.contains(&LUMA.to_string()),
        "{domains:?}"
    );
}
both_profiles!(merchants_added_by_domain_are_remembered);

async fn merchant_health_comes_from_the_status_host(profile: Profile) {
    let r = rig(profile).await;
    // A live desk asks for the component its settings name; none named, no health.
    assert_eq!(
        r.service.merchant_health(&LUMA).await,
        MerchantHealth::NotConfigured
    );
    r.service
        .persistence()
        .update_settings(|s| s.status_component = "v2024-02-27-0-chkt".into());
    assert_eq!(
        r.service.merchant_health(&LUMA).await,
        MerchantHealth::Operational
    );
    assert_eq!(
        r.service.merchant_health(&GADGETS).await,
        MerchantHealth::Degraded
    );
    // Errors are errors, never "unknown".
    match r.service.merchant_health(&dom("nowhere.example")).await {
        MerchantHealth::Failed { error } => assert_eq!(error.code, ErrorCode::DomainNotFound),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Domain::parse("../../etc").unwrap_err().field,
        Some(Field::Domain),
        "a path is no domain"
    );
}
both_profiles!(merchant_health_comes_from_the_status_host);
