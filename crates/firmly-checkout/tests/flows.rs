//! Checkout flows of the application service against the real sandbox on 127.0.0.1:0:
//! a card order end to end, exactly-once completion under double submission and lost
//! responses, a declined card that loses nothing, and no card data at rest.

use std::sync::Arc;

use firmly_api::{ClientConfig, FirmlyClient};
use firmly_checkout::*;
use serde_json::{json, Value};

struct Rig {
    sandbox: firmly_sandbox::SandboxHandle,
    service: Arc<CheckoutService>,
    _dir: tempfile::TempDir,
    store_path: std::path::PathBuf,
}

async fn rig() -> Rig {
    let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
        .await
        .expect("sandbox");
    let (service, dir, store_path) = desk(&sandbox.base_url());
    Rig {
        sandbox,
        service,
        _dir: dir,
        store_path,
    }
}

/// A desk (service with its own store file) talking to the server at `base`.
fn desk(base: &str) -> (Arc<CheckoutService>, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store.json");
    let service = desk_at(base, &store_path, demo_merchants());
    (service, dir, store_path)
}

/// A desk whose configured merchant list is `merchants` (empty = like live mode).
fn desk_at(
    base: &str,
    store_path: &std::path::Path,
    merchants: Vec<MerchantView>,
) -> Arc<CheckoutService> {
    let persistence = Persistence::new(Arc::new(JsonFileStore::open(store_path).unwrap()));
    let url = url::Url::parse(base).unwrap();
    let client = FirmlyClient::new(
        ClientConfig::same_host(url, launch::SANDBOX_APP_ID),
        Arc::new(persistence.clone()),
    )
    .unwrap();
    let env = Environment {
        name: "Sandbox".into(),
        mode: Mode::Demo,
        merchants,
        idle_seconds: 120,
    };
    Arc::new(CheckoutService::new(
        client,
        persistence,
        env,
        Arc::new(NoEvents),
    ))
}

impl Rig {
    async fn admin_get(&self, path: &str) -> Value {
        reqwest::get(format!("{}{}", self.sandbox.base_url(), path))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
    async fn admin_post(&self, path: &str, body: Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{}", self.sandbox.base_url(), path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
}

const LUMA: &str = "staging.luma.gift";

fn address() -> AddressView {
    AddressView {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        phone: "2065550100".into(),
        address1: "1 Pike Place".into(),
        city: "Seattle".into(),
        state_or_province: "WA".into(),
        postal_code: "98101".into(),
        country: "US".into(),
        ..Default::default()
    }
}

fn card(number: &str) -> CardInput {
    CardInput {
        number: number.into(),
        name: "Ada Lovelace".into(),
        exp_month: "12".into(),
        exp_year: "2031".into(),
        cvv: "123".into(),
    }
}

async fn hoodie_ready(r: &Rig) -> CartView {
    let product = r.service.product(LUMA, "hero-hoodie").await.unwrap();
    let variant = product
        .variants
        .iter()
        .find(|v| v.available)
        .unwrap()
        .variant_id
        .clone();
    r.service.add_item(LUMA, &variant, 1).await.unwrap();
    let cart = r.service.set_shipping_info(LUMA, address()).await.unwrap();
    assert!(
        cart.ready_for_payment,
        "cart ready after shipping info: {:?}",
        cart.shipments
    );
    for c in r.service.consents(LUMA).await.unwrap() {
        if c.required && !c.signed {
            let after = r.service.set_consent(LUMA, &c.id, true).await.unwrap();
            assert!(after.iter().any(|x| x.id == c.id && x.signed));
        }
    }
    cart
}

#[tokio::test]
async fn a_card_order_is_placed_and_recorded_once() {
    let r = rig().await;
    let cart = hoodie_ready(&r).await;
    let order = r
        .service
        .place_card_order(LUMA, card("4111 1111 1111 1111"), None)
        .await
        .unwrap();
    assert!(!order.order_number.is_empty());
    assert_eq!(order.total, cart.totals.total);
    assert!(
        order.payment_summary.ends_with("1111"),
        "{}",
        order.payment_summary
    );
    let orders = r.admin_get("/__sandbox/orders").await;
    assert_eq!(orders.as_array().unwrap().len(), 1);
    assert_eq!(orders[0]["order_number"], json!(order.order_number));
}

#[tokio::test]
async fn a_double_submission_places_exactly_one_order() {
    let r = rig().await;
    hoodie_ready(&r).await;
    let (a, b) = tokio::join!(
        r.service
            .place_card_order(LUMA, card("4111111111111111"), None),
        r.service
            .place_card_order(LUMA, card("4111111111111111"), None),
    );
    let ok = [&a, &b].iter().filter(|x| x.is_ok()).count();
    assert_eq!(ok, 1, "one succeeds: {a:?} {b:?}");
    let err = a.err().or(b.err()).unwrap();
    assert!(
        err.code == "OrderInProgress" || err.message.contains("already been ordered"),
        "{err:?}"
    );
    let orders = r.admin_get("/__sandbox/orders").await;
    assert_eq!(orders.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_lost_response_after_commit_is_reconciled_as_placed() {
    let r = rig().await;
    hoodie_ready(&r).await;
    r.admin_post(
        "/__sandbox/faults",
        json!({"match": {"path_contains": "/payment/complete-order"}, "after_commit": true, "times": 1}),
    )
    .await;
    let order = r
        .service
        .place_card_order(LUMA, card("4111111111111111"), None)
        .await
        .expect("reconciled as placed");
    let orders = r.admin_get("/__sandbox/orders").await;
    assert_eq!(orders.as_array().unwrap().len(), 1);
    assert_eq!(orders[0]["order_number"], json!(order.order_number));
}

#[tokio::test]
async fn a_dropped_request_before_commit_is_reported_not_placed() {
    let r = rig().await;
    hoodie_ready(&r).await;
    r.admin_post(
        "/__sandbox/faults",
        json!({"match": {"path_contains": "/payment/complete-order"}, "drop_connection": true, "times": 1}),
    )
    .await;
    let err = r
        .service
        .place_card_order(LUMA, card("4111111111111111"), None)
        .await
        .unwrap_err();
    assert!(err.message.contains("not placed"), "{err:?}");
    assert!(r
        .admin_get("/__sandbox/orders")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // Nothing was lost: the same cart can be ordered now.
    let order = r
        .service
        .place_card_order(LUMA, card("4111111111111111"), None)
        .await
        .unwrap();
    assert!(!order.order_number.is_empty());
}

#[tokio::test]
async fn a_declined_card_keeps_the_cart_and_the_address() {
    let r = rig().await;
    let before = hoodie_ready(&r).await;
    let err = r
        .service
        .place_card_order(LUMA, card("4000000000000002"), None)
        .await
        .unwrap_err();
    assert!(err.is("CreditCardDeclined"), "{err:?}");
    let after = r.service.cart(LUMA).await.unwrap();
    assert_eq!(after.line_items.len(), before.line_items.len());
    assert_eq!(after.shipping_info, before.shipping_info);
    assert_eq!(after.status, "active");
}

#[tokio::test]
async fn card_numbers_and_cvvs_never_reach_the_store_logs_or_request_log() {
    let logs = captured_logs();
    let r = rig().await;
    hoodie_ready(&r).await;
    let mut c = card("4111111111111111");
    c.cvv = "987".into();
    r.service.place_card_order(LUMA, c, None).await.unwrap();
    let store = std::fs::read_to_string(&r.store_path).unwrap();
    let log = serde_json::to_string(&r.service.request_log()).unwrap();
    let journal = r.admin_get("/__sandbox/requests").await.to_string();
    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    assert!(
        logs.contains("complete-order"),
        "the logs did record the checkout"
    );
    for haystack in [&store, &log, &journal, &logs] {
        assert!(!haystack.contains("4111111111111111"));
        assert!(!haystack.contains("\"987\""), "cvv leaked");
        assert!(!haystack.contains("verification_value"));
    }
    // The token is kept, but never in the request log.
    assert!(store.contains("access_token"));
}

#[tokio::test]
async fn the_hive_lists_every_demo_merchant() {
    let r = rig().await;
    hoodie_ready(&r).await;
    let hive = r.service.hive().await.unwrap();
    assert_eq!(hive.carts.len(), 4);
    assert_eq!(hive.total.len(), 1);
    let luma = hive.carts.iter().find(|c| c.domain == LUMA).unwrap();
    assert_eq!(hive.total[0], luma.totals.total);
}

#[tokio::test]
async fn wiping_the_customer_leaves_nothing_of_them_in_memory_or_the_store() {
    let r = rig().await;
    hoodie_ready(&r).await;
    let before = r.service.app_info().await.unwrap().device_id.unwrap();
    let store_before = std::fs::read_to_string(&r.store_path).unwrap();
    assert!(store_before.contains(&before));
    assert!(store_before.contains(LUMA), "known domains persisted");

    let info = r.service.wipe_customer().await.unwrap();
    let after = info.device_id.unwrap();
    assert_ne!(before, after, "a new device session");
    assert!(r.service.raw_cart(LUMA).is_none(), "no cart kept in memory");
    let store = std::fs::read_to_string(&r.store_path).unwrap();
    assert!(!store.contains(&before), "old device gone from the store");
    assert!(!store.contains("Lovelace") && !store.contains(LUMA));
    // The new device starts with empty carts everywhere.
    let hive = r.service.hive().await.unwrap();
    assert!(hive.carts.iter().all(|c| c.item_count == 0));
    assert!(hive.total.is_empty());
}

#[tokio::test]
async fn a_snapshot_resumes_the_case_on_another_desk() {
    let first = rig().await;
    hoodie_ready(&first).await;
    let text = first.service.export_snapshot().await.unwrap();
    assert!(!text.contains("4111"), "no card data");
    let device = first.service.app_info().await.unwrap().device_id.unwrap();
    // A second desk with an empty store, on the same API.
    let (second, _dir, _path) = desk(&first.sandbox.base_url());
    let hive = second.import_snapshot(&text).await.unwrap();
    let luma = hive.carts.iter().find(|c| c.domain == LUMA).unwrap();
    assert_eq!(luma.item_count, 1);
    assert_eq!(second.app_info().await.unwrap().device_id.unwrap(), device);
    let err = second.import_snapshot("{}").await.unwrap_err();
    assert_eq!(err.code, "Validation");
}

/// Every log line of every test in this binary (client, service and sandbox), at the
/// most verbose level, collected in memory by a global subscriber installed once.
fn captured_logs() -> Arc<std::sync::Mutex<Vec<u8>>> {
    static LOGS: std::sync::OnceLock<Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(std::sync::Mutex::new(Vec::new()));
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

/// Collects formatted log output in memory.
struct LogWriter(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_wallet_unlock_brings_saved_cards_that_pay() {
    const M: &str = "members.test";
    let r = rig().await;
    r.service.add_item(M, "MEM-TOTE-01", 1).await.unwrap();
    let mut a = address();
    a.email = "member@example.com".into();
    let cart = r.service.set_shipping_info(M, a).await.unwrap();
    assert!(cart.session.requires_login);
    let wallet = cart
        .payment_options
        .iter()
        .find(|p| p.kind == "Wallet")
        .expect("the locked wallet is offered");
    assert_eq!(wallet.id.as_deref(), Some("shoppay"));
    // The merchant requires an account login as well (OTP).
    r.service
        .request_otp(M, "member@example.com")
        .await
        .unwrap();
    let otp = r.admin_get("/__sandbox/otp?email=member@example.com").await["otp"]
        .as_str()
        .unwrap()
        .to_string();
    r.service
        .verify_otp(M, "member@example.com", &otp)
        .await
        .unwrap();
    // Unlock the wallet with its own code.
    let sent = r
        .service
        .wallet_start("shoppay", "member@example.com")
        .await
        .unwrap();
    assert!(!sent.is_empty());
    let bad = r
        .service
        .wallet_complete(M, "shoppay", "000000")
        .await
        .unwrap_err();
    assert!(
        bad.is("InvalidOtp") || bad.code.contains("Otp") || bad.code.contains("OTP"),
        "{bad:?}"
    );
    // A failed code keeps the unlock open: ask again, then use the right code.
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
        .wallet_complete(M, "shoppay", &code)
        .await
        .unwrap();
    let card = cart
        .payment_options
        .iter()
        .find(|p| p.kind == "SavedCard" && p.wallet.as_deref() == Some("shoppay"))
        .expect("wallet cards offered");
    assert!(!cart.payment_options.iter().any(|p| p.kind == "Wallet"));
    for c in r.service.consents(M).await.unwrap() {
        if c.required {
            r.service.set_consent(M, &c.id, true).await.unwrap();
        }
    }
    let order = r
        .service
        .place_saved_card_order(M, card.id.as_deref().unwrap())
        .await
        .unwrap();
    assert!(order.payment_summary.contains(
        card.label
            .split("•••• ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
    ));
}

#[tokio::test]
async fn merchants_added_by_domain_are_remembered() {
    let r = rig().await;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("live.json");
    // A desk with no configured merchants, as in live mode.
    let live = desk_at(&r.sandbox.base_url(), &store, Vec::new());
    assert!(live.app_info().await.unwrap().merchants.is_empty());
    let bad = live.add_merchant("not a domain").await.unwrap_err();
    assert_eq!(bad.code, "Validation");
    let info = live.add_merchant(" HTTPS://Gadgets.Test/ ").await.unwrap();
    let domains: Vec<&str> = info.merchants.iter().map(|m| m.domain.as_str()).collect();
    assert_eq!(domains, vec!["gadgets.test"]);
    // A cart on another merchant is discovered through active domains.
    live.add_item(LUMA, "MH07-M-Black", 1).await.unwrap();
    let again = desk_at(&r.sandbox.base_url(), &store, Vec::new());
    let domains: Vec<String> = again
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

#[tokio::test]
async fn merchant_health_comes_from_the_status_host() {
    let r = rig().await;
    assert_eq!(r.service.merchant_health(LUMA).await, "operational");
    assert_eq!(r.service.merchant_health("gadgets.test").await, "degraded");
    assert_eq!(
        r.service.merchant_health("nowhere.example").await,
        "unknown"
    );
}
