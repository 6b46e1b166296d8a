//! Test rig: a sandbox on 127.0.0.1:0 in either profile, and desks built through the one
//! composition root (`Desk::start`) pointed at it as if it were the live API.

#![allow(dead_code)]

pub mod proxy;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use firmly_checkout::launch::{LaunchConfig, LiveTarget};
use firmly_checkout::*;
use firmly_sandbox::Profile;
use serde_json::{json, Value};

/// The demo merchants, as the service takes them (a `Domain` is checked once, here).
pub static LUMA: Merchant = Merchant::new("staging.luma.gift");
pub static HOME: Merchant = Merchant::new("homegoods.test");
pub static GADGETS: Merchant = Merchant::new("gadgets.test");
pub static MEMBERS: Merchant = Merchant::new("members.test");

/// A merchant of the tests: its domain, parsed on first use.
pub struct Merchant {
    name: &'static str,
    parsed: std::sync::OnceLock<Domain>,
}

impl Merchant {
    pub const fn new(name: &'static str) -> Merchant {
        Merchant {
            name,
            parsed: std::sync::OnceLock::new(),
        }
    }
}

impl std::ops::Deref for Merchant {
    type Target = Domain;
    fn deref(&self) -> &Domain {
        self.parsed
            .get_or_init(|| Domain::parse(self.name).unwrap())
    }
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl std::fmt::Display for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A domain of a test's own (`shop-07.test`).
pub fn dom(domain: &str) -> Domain {
    Domain::parse(domain).unwrap()
}

pub struct Rig {
    pub sandbox: firmly_sandbox::SandboxHandle,
    pub desk: Arc<Desk>,
    pub service: Arc<CheckoutService>,
    pub dir: tempfile::TempDir,
    pub store_path: PathBuf,
    pub profile: Profile,
}

pub async fn sandbox(profile: Profile) -> firmly_sandbox::SandboxHandle {
    firmly_sandbox::start(firmly_sandbox::SandboxConfig {
        profile,
        ..firmly_sandbox::SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

pub async fn rig(profile: Profile) -> Rig {
    let sandbox = sandbox(profile).await;
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("desk.json");
    let desk = desk_at(&sandbox.base_url(), dir.path(), demo_domains(), Mode::Demo).await;
    Rig {
        service: desk.service(),
        sandbox,
        desk,
        dir,
        store_path,
        profile,
    }
}

pub fn demo_domains() -> Vec<String> {
    demo_merchants().into_iter().map(|m| m.domain).collect()
}

pub fn launch(base: &str, merchants: Vec<String>, mode: Mode) -> LaunchConfig {
    let url = url::Url::parse(base).unwrap();
    LaunchConfig {
        mode,
        data_dir: None,
        sandbox_port: 0,
        live: Some(LiveTarget {
            app_id: launch::SANDBOX_APP_ID.into(),
            api_base: url.clone(),
            vault_base: url.clone(),
            status_base: Some(url),
        }),
        idle_seconds: 120,
        language: firmly_checkout::Language::En,
        merchants: firmly_checkout::Domain::parse_all(merchants.iter().map(String::as_str)),
        locked: Vec::new(),
        policy_file: None,
        settings: Settings::default(),
        kiosk: launch::KioskPolicy::default(),
    }
}

/// A desk whose store file and data live in `dir`, talking to `base` as its live API.
pub async fn desk_at(base: &str, dir: &Path, merchants: Vec<String>, mode: Mode) -> Arc<Desk> {
    desk_with(base, dir, merchants, mode, Arc::new(NoEvents), None).await
}

pub async fn desk_with(
    base: &str,
    dir: &Path,
    merchants: Vec<String>,
    mode: Mode,
    events: Arc<dyn EventSink>,
    timeout: Option<Duration>,
) -> Arc<Desk> {
    desk_options(
        base,
        dir,
        merchants,
        mode,
        events,
        DeskOptions {
            policy: ReconcilePolicy::quick(),
            timeout,
            ..DeskOptions::default()
        },
    )
    .await
}

pub async fn desk_options(
    base: &str,
    dir: &Path,
    merchants: Vec<String>,
    mode: Mode,
    events: Arc<dyn EventSink>,
    options: DeskOptions,
) -> Arc<Desk> {
    desk_launch(launch(base, merchants, mode), dir, events, options).await
}

/// A desk started from this launch config, its store file and data in `dir`.
pub async fn desk_launch(
    mut l: LaunchConfig,
    dir: &Path,
    events: Arc<dyn EventSink>,
    options: DeskOptions,
) -> Arc<Desk> {
    let store_file = dir.join("desk.json");
    let persistence = Persistence::new(Arc::new(JsonFileStore::open(&store_file).unwrap()));
    l.data_dir = Some(dir.to_path_buf());
    Desk::start(
        l,
        persistence,
        events,
        DeskFiles {
            data_dir: Some(dir.to_path_buf()),
            store_file: Some(store_file),
        },
        options,
    )
    .await
    .unwrap()
}

impl Rig {
    pub async fn admin_get(&self, path: &str) -> Value {
        admin_get(&self.sandbox.base_url(), path).await
    }
    pub async fn admin_post(&self, path: &str, body: Value) {
        admin_post(&self.sandbox.base_url(), path, body).await
    }
    pub async fn clear_faults(&self) {
        let r = reqwest::Client::new()
            .delete(format!("{}/__sandbox/faults", self.sandbox.base_url()))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "clearing faults: {}", r.status());
    }
    pub async fn orders(&self) -> Vec<Value> {
        self.admin_get("/__sandbox/orders")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
    /// Holds the answer of the next `GET` whose path contains `path_contains`: the server
    /// does the work, then keeps the answer until `release_all` (an answer on its way).
    pub async fn hold_next_answer(&self, path_contains: &str) {
        self.admin_post(
            "/__sandbox/faults",
            json!({"match": {"method": "GET", "path_contains": path_contains},
                   "after_commit": true, "hold": true, "times": 1}),
        )
        .await;
    }
    /// Waits until a request is held (bounded: a hold that never fires fails the test).
    pub async fn until_held(&self, what: &str) {
        tokio::time::timeout(Duration::from_secs(30), async {
            while self.sandbox.held().is_empty() {
                self.sandbox.wait_held().await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{what} was never held"));
    }
    /// The sandbox journal's entries for paths containing `part`.
    pub async fn journal(&self, part: &str) -> Vec<Value> {
        self.admin_get("/__sandbox/requests")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["path"].as_str().is_some_and(|p| p.contains(part)))
            .collect()
    }
}

pub async fn admin_get(base: &str, path: &str) -> Value {
    reqwest::get(format!("{base}{path}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub async fn admin_post(base: &str, path: &str, body: Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

/// A fault on the JWE completion route.
pub fn completion_fault(extra: Value) -> Value {
    let mut rule = json!({"match": {"method": "POST", "path_contains": "/payment/complete-order"}, "times": 1});
    if let (Some(o), Some(e)) = (rule.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    rule
}

pub fn address() -> AddressView {
    AddressView {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        phone: "206-555-0100".into(),
        address1: "1 Main St".into(),
        city: "Seattle".into(),
        state_or_province: "WA".into(),
        postal_code: "98101".into(),
        country: "US".into(),
        ..Default::default()
    }
}

pub fn card(number: &str) -> CardInput {
    CardInput {
        number: number.into(),
        name: "Ada Lovelace".into(),
        exp_month: "12".into(),
        exp_year: "2031".into(),
        cvv: "123".into(),
    }
}

pub const APPROVED: &str = "4111111111111111";

/// Grants every required consent of a merchant.
pub async fn accept_consents(service: &CheckoutService, domain: &str) {
    let domain = &dom(domain);
    for c in service.consents(domain).await.unwrap() {
        if c.required && !c.signed {
            let after = service.set_consent(domain, &c.id, true).await.unwrap();
            assert!(after.iter().any(|x| x.id == c.id && x.signed));
        }
    }
}

/// A Luma hoodie in the cart, the address saved and the terms accepted: ready to pay.
pub async fn hoodie_ready(service: &CheckoutService) -> CartView {
    service.add_item(&LUMA, "MH07-M-Black", 1).await.unwrap();
    service.set_shipping_info(&LUMA, address()).await.unwrap();
    accept_consents(service, &LUMA).await;
    let cart = service.cart(&LUMA).await.unwrap();
    assert!(cart.blockers.is_empty(), "ready: {:?}", cart.blockers);
    cart
}

pub fn placed(o: OrderOutcome) -> OrderView {
    match o {
        OrderOutcome::Placed { order } => *order,
        other => panic!("expected placed, got {other:?}"),
    }
}

/// Runs one async test body against both sandbox profiles.
#[macro_export]
macro_rules! both_profiles {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn demo() {
                super::$name(firmly_sandbox::Profile::Demo).await
            }
            #[tokio::test]
            async fn docs() {
                super::$name(firmly_sandbox::Profile::Docs).await
            }
        }
    };
}

/// Hex SHA-256 of a staff PIN, as a fleet policy holds it.
pub fn pin_hash(pin: &str) -> String {
    openssl::sha::sha256(pin.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
