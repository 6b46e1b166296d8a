//! Commands through real IPC serialization: the app's handlers on Tauri's mock runtime,
//! invoked with JSON bodies as the webview sends them, against the embedded sandbox.
//! Proves argument names (camelCase from the UI), result shapes, the error contract, and
//! that a kiosk's backend refuses what a kiosk must not do whatever the UI shows.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use firmly_api::{ApiError, Field};
use firmly_checkout::launch::LaunchConfig;
use firmly_checkout::{BoxFuture, FileChooser, MemoryStore, NoEvents, Persistence, Settings};
use firmly_desk_lib::desktop::WindowOps;
use firmly_desk_lib::state::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

type Webview = tauri::WebviewWindow<tauri::test::MockRuntime>;

fn request(cmd: &str, body: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn invoke(webview: &Webview, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(webview, request(cmd, body)).map(|b| b.deserialize::<Value>().unwrap())
}

/// A command's answer as Tauri sends it to the page (JSON text or raw bytes).
fn invoke_body(webview: &Webview, cmd: &str, body: Value) -> InvokeResponseBody {
    get_ipc_response(webview, request(cmd, body)).unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// Windows of a test process: the save dialog answers with a path in `dir`.
struct FakeWindows {
    dir: PathBuf,
    /// What the page asked of the desktop, in order ("open <url> kiosk=<bool>", "copy <text>").
    calls: Arc<Mutex<Vec<String>>>,
}

impl FileChooser for FakeWindows {
    fn choose_save_path(&self, default_name: &str) -> BoxFuture<'_, Option<PathBuf>> {
        let p = self.dir.join(format!("chosen-{default_name}"));
        Box::pin(async move { Some(p) })
    }
}

impl WindowOps for FakeWindows {
    fn open_paypal(
        &self,
        _domain: firmly_checkout::Domain,
    ) -> BoxFuture<'static, Result<(), ApiError>> {
        Box::pin(async { Err(ApiError::internal("no windows in tests")) })
    }
    fn close_paypal(&self) {}
    fn restart(&self) {}
    fn open_link(&self, url: url::Url, kiosk: bool) -> Result<(), ApiError> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("open {url} kiosk={kiosk}"));
        Ok(())
    }
    fn close_link(&self) {
        self.calls.lock().unwrap().push("close".into());
    }
    fn copy_text(&self, text: String) -> Result<(), ApiError> {
        self.calls.lock().unwrap().push(format!("copy {text}"));
        Ok(())
    }
    fn paste_text(&self) -> BoxFuture<'static, Result<Option<String>, ApiError>> {
        let last = self
            .calls
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find_map(|c| c.strip_prefix("copy ").map(String::from));
        Box::pin(async move { Ok(last) })
    }
}

fn launch_for(mode: &'static str) -> LaunchConfig {
    LaunchConfig::resolve(
        move |k| (k == "FIRMLY_DESK_MODE").then(|| mode.to_string()),
        &Settings::default(),
    )
    .unwrap()
}

fn state(mode: &'static str, dir: &std::path::Path, store: Arc<MemoryStore>) -> AppState {
    state_recording(mode, dir, store).0
}

/// A desk whose desktop calls (links, clipboard) are recorded.
type Calls = Arc<Mutex<Vec<String>>>;

fn state_recording(
    mode: &'static str,
    dir: &std::path::Path,
    store: Arc<MemoryStore>,
) -> (AppState, Calls) {
    let desk = tauri::async_runtime::block_on(firmly_desk_lib::start_desk(
        launch_for(mode),
        dir.to_path_buf(),
        Persistence::new(store),
        Arc::new(NoEvents),
    ))
    .unwrap();
    let state = AppState::new(desk);
    let calls = Calls::default();
    state.set_windows(Arc::new(FakeWindows {
        dir: dir.to_path_buf(),
        calls: calls.clone(),
    }));
    (state, calls)
}

fn app_with(state: AppState) -> (tauri::App<tauri::test::MockRuntime>, Webview) {
    // The handler the app runs (not tauri-specta's builder: the app does not build it).
    let app = mock_builder()
        .invoke_handler(firmly_desk_lib::invoke_handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(state);
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, webview)
}

#[test]
fn commands_round_trip_through_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(state("demo", dir.path(), Arc::default()));

    let info = invoke(&webview, "app_info", json!({})).unwrap();
    assert_eq!(info["environment"], "Sandbox");
    assert_eq!(info["mode"], "demo");
    assert_eq!(info["merchants"].as_array().unwrap().len(), 4);
    assert_eq!(info["idle"]["idle_seconds"], 120);

    // Arguments arrive in camelCase from the generated bindings.
    let cart = invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "MH07-M-Black", "quantity": 2}),
    )
    .unwrap();
    assert_eq!(cart["item_count"], 2);
    assert_eq!(
        cart["totals"]["subtotal"],
        json!({"amount": "108.00", "currency": "USD"})
    );
    assert_eq!(cart["status"], "active");
    assert_eq!(cart["blockers"][0]["kind"], "shipping_address");
    let line = cart["line_items"][0]["line_item_id"]
        .as_str()
        .unwrap()
        .to_string();
    let cart = invoke(
        &webview,
        "set_quantity",
        json!({"domain": "staging.luma.gift", "lineItemId": line, "quantity": 1}),
    )
    .unwrap();
    assert_eq!(cart["item_count"], 1);

    // Errors cross IPC in the pinned contract shape, with the typed code.
    let err = invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "NOPE", "quantity": 1}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "ProductNotFound", "{err}");
    assert_eq!(err["raw_code"], "ErrorProductNotFound");
    assert_eq!(err["status"], 404);
    assert_eq!(err["retryable"], false);
    assert!(err["request_id"].as_str().unwrap().ends_with("-SBX"));

    // A merchant domain is validated before it reaches a request path.
    let err = invoke(
        &webview,
        "get_cart",
        json!({"domain": "../../__sandbox/reset"}),
    )
    .unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("Validation"), Some("domain"))
    );

    // Local validation answers without a request, naming the card fields.
    let problems = invoke(
        &webview,
        "validate_card",
        json!({"card": {"number": "4111111111111112", "name": "A", "exp_month": "01", "exp_year": "2020", "cvv": "1"}}),
    )
    .unwrap();
    assert_eq!(problems["brand"], "visa", "{problems}");
    assert_eq!(problems["cvv_digits"], 3, "{problems}");
    let fields: Vec<&str> = problems["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"number") && fields.contains(&"exp_year") && fields.contains(&"cvv"),
        "{fields:?}"
    );

    let settings = invoke(&webview, "get_settings", json!({})).unwrap();
    assert_eq!(settings["idle_seconds"], 120);
    let bad = invoke(
        &webview,
        "save_settings",
        json!({"settings": {"app_id": "x", "api_base": "http://api.example", "vault_base": "https://v.example", "status_base": "", "idle_seconds": 120, "card_encryption": "jwe", "language": ""}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "Validation");
    assert!(bad["message"].as_str().unwrap().contains("https"), "{bad}");

    // The agent tools answer outside a kiosk.
    assert!(
        invoke(&webview, "request_log", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len()
            > 1
    );
    assert!(invoke(&webview, "audit_log", json!({"limit": 10}))
        .unwrap()
        .as_array()
        .is_some());

    // The raw cart crosses as bytes (an ArrayBuffer in the page), not as an escaped JSON
    // string; a merchant without a cart answers JSON `null`.
    match invoke_body(&webview, "raw_cart", json!({"domain": "staging.luma.gift"})) {
        InvokeResponseBody::Raw(bytes) => {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                text.contains("\n  \"line_items\""),
                "pretty-printed: {text:.80}"
            );
            let cart: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(cart["line_items"].as_array().unwrap().len(), 1);
        }
        other => panic!("raw_cart answered {other:?}"),
    }
    match invoke_body(&webview, "raw_cart", json!({"domain": "gadgets.test"})) {
        InvokeResponseBody::Json(j) => assert_eq!(j, "null"),
        other => panic!("raw_cart without a cart answered {other:?}"),
    }
}

#[test]
fn a_kiosk_refuses_what_a_kiosk_must_not_do() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(state("kiosk", dir.path(), Arc::default()));
    let order = json!({
        "domain": "staging.luma.gift", "order_number": "SBX-1", "total": {"amount": "1.00", "currency": "USD"},
        "paid_with": {"kind": "card", "brand": "Visa", "last_four": "1111"}, "thank_you_url": null, "placed_at": "2026-11-30T00:00:00Z", "line_items": [],
        "totals": {"subtotal": {"amount": "1.00", "currency": "USD"}, "shipping": {"amount": "0.00", "currency": "USD"},
            "tax": {"amount": "0.00", "currency": "USD"}, "addons": {"amount": "0.00", "currency": "USD"},
            "discount": {"amount": "0.00", "currency": "USD"}, "total": {"amount": "1.00", "currency": "USD"}},
        "raw_answer": null
    });
    let refused = [
        (
            "save_settings",
            json!({"settings": {"app_id": "", "api_base": "", "vault_base": "", "status_base": "", "idle_seconds": 30, "card_encryption": "jwe", "language": ""}}),
        ),
        (
            "export_snapshot",
            json!({"redact": true, "chooseLocation": false}),
        ),
        ("import_snapshot", json!({"text": "{}"})),
        (
            "save_receipt",
            json!({"order": order, "words": {"order": "Order", "merchant": "Merchant", "placed": "Placed",
                "subtotal": "Subtotal", "shipping": "Shipping", "tax": "Tax", "addons": "Add-ons",
                "discount": "Discount", "total": "Total", "paid_with": "Paid with Visa ending in 1111",
                "merchant_receipt": "Merchant receipt:"}, "chooseLocation": false}),
        ),
        ("reset_sandbox", json!({})),
        ("request_log", json!({})),
        ("raw_cart", json!({"domain": "staging.luma.gift"})),
        ("audit_log", json!({"limit": 10})),
        ("export_audit", json!({"chooseLocation": false})),
        ("get_settings", json!({})),
        ("add_merchant", json!({"domain": "shop-01.test"})),
        (
            "transfer_session",
            json!({"domain": "staging.luma.gift", "handle": "external-session-1", "cookies": []}),
        ),
        ("diagnostics", json!({})),
        ("copy_text", json!({"text": "req-1"})),
        ("paste_text", json!({})),
    ];
    for (cmd, body) in refused {
        let err = invoke(&webview, cmd, body).unwrap_err();
        assert_eq!(err["code"], "ModeRestricted", "{cmd}: {err}");
        assert!(
            err["message"].as_str().unwrap().contains("kiosk"),
            "{cmd}: {err}"
        );
    }
    // The staff's list is behind the PIN (none is set here).
    let staff = invoke(&webview, "staff_orders", json!({})).unwrap_err();
    assert_eq!(staff["code"], "StaffOnly", "{staff}");
    let no_pin = invoke(&webview, "staff_unlock", json!({"pin": "1234"})).unwrap_err();
    assert_eq!(no_pin["code"], "ModeRestricted", "{no_pin}");
    // Nothing was written.
    assert!(!dir.path().join("saved").exists());
    // Shopping still works.
    let cart = invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "MH07-M-Black", "quantity": 1}),
    )
    .unwrap();
    assert_eq!(cart["item_count"], 1);
}

#[test]
fn files_go_where_the_agent_chooses_or_into_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(state("agent", dir.path(), Arc::default()));
    invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "MH07-M-Black", "quantity": 1}),
    )
    .unwrap();
    let default = invoke(
        &webview,
        "export_snapshot",
        json!({"redact": false, "chooseLocation": false}),
    )
    .unwrap();
    let default = PathBuf::from(default.as_str().unwrap());
    assert!(default.starts_with(dir.path().join("saved")), "{default:?}");
    let chosen = invoke(
        &webview,
        "export_snapshot",
        json!({"redact": true, "chooseLocation": true}),
    )
    .unwrap();
    let chosen = PathBuf::from(chosen.as_str().unwrap());
    assert!(chosen
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("chosen-"));
    use std::os::unix::fs::PermissionsExt;
    for p in [&default, &chosen] {
        assert_eq!(
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let audit = invoke(&webview, "export_audit", json!({"chooseLocation": false})).unwrap();
    let text = std::fs::read_to_string(audit.as_str().unwrap()).unwrap();
    assert!(text.contains("export_snapshot"), "{text}");
}

#[test]
fn settings_switch_between_live_and_the_embedded_sandbox_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = state("demo", dir.path(), Arc::default());
    tauri::async_runtime::block_on(async {
        let embedded = state.service().await.unwrap().app_info().await.unwrap();
        assert_eq!(
            embedded.environment,
            firmly_checkout::EnvironmentKind::Sandbox
        );
        // A "live" Firmly API: here a second, separate sandbox server (loopback http).
        let live = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
            .await
            .unwrap();
        let info = state
            .desk()
            .await
            .unwrap()
            .apply_settings(Settings {
                app_id: "sandbox-app".into(),
                api_base: live.base_url(),
                vault_base: live.base_url(),
                ..Settings::default()
            })
            .await
            .unwrap();
        assert_eq!(info.environment, firmly_checkout::EnvironmentKind::Live);
        assert_eq!(info.api_base.trim_end_matches('/'), live.base_url());
        assert!(
            info.merchants.is_empty(),
            "live mode starts without demo merchants"
        );
        assert_ne!(
            info.device_id, embedded.device_id,
            "a new device on the new API"
        );
        // No status host: no health, never asked of the API host.
        assert_eq!(
            state
                .service()
                .await
                .unwrap()
                .merchant_health(&firmly_checkout::Domain::parse("staging.luma.gift").unwrap())
                .await,
            firmly_checkout::MerchantHealth::NotConfigured
        );
        let old = std::fs::read_to_string(dir.path().join("sandbox-url")).unwrap();
        assert!(reqwest::get(format!("{old}/api/v1/payment/key"))
            .await
            .is_err());
        // Invalid settings are refused and change nothing.
        let err = state
            .desk()
            .await
            .unwrap()
            .apply_settings(Settings {
                app_id: "x".into(),
                api_base: "not a url".into(),
                vault_base: "https://v.example".into(),
                ..Settings::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, firmly_api::ErrorCode::Validation);
        assert_eq!(err.field, Some(Field::ApiBase), "the form finds the field");
        assert_eq!(
            state
                .service()
                .await
                .unwrap()
                .app_info()
                .await
                .unwrap()
                .environment,
            firmly_checkout::EnvironmentKind::Live
        );
        let back = state
            .desk()
            .await
            .unwrap()
            .apply_settings(Settings::default())
            .await
            .unwrap();
        assert_eq!(back.environment, firmly_checkout::EnvironmentKind::Sandbox);
        assert_eq!(back.merchants.len(), 4);
    });
}

#[test]
fn a_kiosk_starts_with_a_new_customer_while_other_modes_resume() {
    // The API outlives the desks (the embedded sandbox would start afresh with each, and
    // forget the device the next start resumes).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let api = runtime
        .block_on(firmly_sandbox::start(
            firmly_sandbox::SandboxConfig::default(),
        ))
        .unwrap();
    let url = api.base_url();
    let launch = |mode: &'static str| {
        let url = url.clone();
        LaunchConfig::resolve(
            move |k| match k {
                "FIRMLY_DESK_MODE" => Some(mode.to_string()),
                "FIRMLY_APP_ID" => Some("7c9e6679-7425-40de-944b-e07fc1f90ae7".into()),
                "FIRMLY_API_BASE" | "FIRMLY_VAULT_BASE" => Some(url.clone()),
                _ => None,
            },
            &Settings::default(),
        )
        .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let start = |mode: &'static str| {
        let desk = tauri::async_runtime::block_on(firmly_desk_lib::start_desk(
            launch(mode),
            dir.path().to_path_buf(),
            Persistence::new(store.clone()),
            Arc::new(NoEvents),
        ))
        .unwrap();
        AppState::new(desk)
    };
    let device = |s: &AppState| {
        tauri::async_runtime::block_on(async {
            let service = s.service().await?;
            service.settled().await;
            service.app_info().await
        })
        .unwrap()
        .device_id
    };
    let agent = start("agent");
    let first = device(&agent);
    assert!(first.is_some());
    drop(agent);
    let agent_again = start("agent");
    assert_eq!(device(&agent_again), first, "an agent resumes the session");
    drop(agent_again);
    let kiosk = start("kiosk");
    assert_ne!(
        device(&kiosk),
        first,
        "a kiosk starts a new customer session"
    );
}

/// The window comes before the desk (src-tauri/lib.rs): a command that arrives while the
/// desk is starting waits and then answers; a desk that fails to start is every command's
/// answer, said plainly.
#[test]
fn commands_wait_for_a_desk_that_is_still_starting() {
    let dir = tempfile::tempdir().unwrap();
    let (app, webview) = app_with(AppState::starting());
    let early = {
        let w = webview.clone();
        std::thread::spawn(move || {
            (
                invoke(&w, "app_info", json!({})),
                invoke(&w, "get_settings", json!({})),
            )
        })
    };
    let desk = tauri::async_runtime::block_on(firmly_desk_lib::start_desk(
        launch_for("demo"),
        dir.path().to_path_buf(),
        Persistence::new(Arc::new(MemoryStore::default())),
        Arc::new(NoEvents),
    ))
    .unwrap();
    app.state::<AppState>().set_desk(Ok(desk));
    let (info, settings) = early.join().unwrap();
    let info = info.expect("app_info answers once the desk is up");
    assert_eq!(info["mode"], "demo");
    assert_eq!(info["environment"], "Sandbox");
    assert!(settings.unwrap().is_object());

    let (app, webview) = app_with(AppState::starting());
    app.state::<AppState>()
        .set_desk(Err(firmly_checkout::StartError::Journal(
            "cannot open the store: permission denied".into(),
        )));
    let e = invoke(&webview, "get_hive", json!({})).unwrap_err();
    let msg = e["message"].as_str().unwrap_or_default();
    assert!(msg.contains("could not start"), "{e}");
    assert!(msg.contains("permission denied"), "{e}");
}

#[test]
fn the_demo_helper_serves_codes_cards_and_scenarios_in_demo_mode_only() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(state("demo", dir.path(), Arc::default()));
    let helper = invoke(&webview, "demo_helper", json!({})).unwrap();
    let cards: Vec<&str> = helper["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap())
        .collect();
    assert!(cards.contains(&"approved") && cards.contains(&"CreditCardDeclined"));
    assert!(helper["promo_codes"].as_array().unwrap().len() >= 3);
    assert!(helper["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["on"] == false));
    // A one-time code "sent" to the member shows in the helper.
    invoke(
        &webview,
        "request_otp",
        json!({"domain": "members.test", "email": "member@example.com"}),
    )
    .unwrap();
    let helper = invoke(&webview, "demo_helper", json!({})).unwrap();
    assert!(helper["codes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["email"] == "member@example.com"
            && c["code"].as_str().is_some_and(|c| !c.is_empty())));
    // A scenario is armed, then switched off.
    let on = invoke(
        &webview,
        "demo_scenario",
        json!({"scenario": "store_unavailable", "on": true}),
    )
    .unwrap();
    assert!(on["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["scenario"] == "store_unavailable" && s["on"] == true));
    let err = invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "MH07-M-Black", "quantity": 1}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "StoreUnavailable", "{err}");
    invoke(
        &webview,
        "demo_scenario",
        json!({"scenario": "store_unavailable", "on": false}),
    )
    .unwrap();
    invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "MH07-M-Black", "quantity": 1}),
    )
    .unwrap();
    // Anywhere but demo mode the helper does not exist.
    let agent_dir = tempfile::tempdir().unwrap();
    let (_a, agent) = app_with(state("agent", agent_dir.path(), Arc::default()));
    let refused = invoke(&agent, "demo_helper", json!({})).unwrap_err();
    assert_eq!(refused["code"], "ModeRestricted");
}

#[test]
fn the_lost_response_scenario_shows_a_pending_order_that_the_desk_then_finds_placed() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app_with(state("demo", dir.path(), Arc::default()));
    let luma = "staging.luma.gift";
    invoke(
        &webview,
        "add_to_cart",
        json!({"domain": luma, "variantId": "MH07-M-Black", "quantity": 1}),
    )
    .unwrap();
    invoke(
        &webview,
        "set_shipping_info",
        json!({"domain": luma, "address": {
            "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
            "phone": "2065550100", "company": "", "address1": "1 Pike Place", "address2": "",
            "city": "Seattle", "state_or_province": "WA", "postal_code": "98101", "country": "US"
        }}),
    )
    .unwrap();
    let consents = invoke(&webview, "get_consents", json!({"domain": luma})).unwrap();
    for c in consents.as_array().unwrap() {
        invoke(
            &webview,
            "set_consent",
            json!({"domain": luma, "id": c["id"], "granted": true}),
        )
        .unwrap();
    }
    let armed = invoke(
        &webview,
        "demo_scenario",
        json!({"scenario": "lost_response", "on": true}),
    )
    .unwrap();
    assert!(armed["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["scenario"] == "lost_response" && s["on"] == true));
    let card = json!({"number": "4111111111111111", "name": "Ada Lovelace", "exp_month": "12", "exp_year": "2031", "cvv": "123"});
    let outcome = invoke(
        &webview,
        "place_card_order",
        json!({"domain": luma, "card": card, "billing": null, "overridePending": false}),
    )
    .unwrap();
    // The merchant took it, the answer was lost and the quick checks found no evidence:
    // the order shows pending, never "not placed".
    assert_eq!(outcome["outcome"], "unknown", "{outcome}");
    let sandbox = std::fs::read_to_string(dir.path().join("sandbox-url")).unwrap();
    let orders: Value = reqwest::blocking::get(format!("{sandbox}/__sandbox/orders"))
        .unwrap()
        .json()
        .unwrap();
    let requests = reqwest::blocking::get(format!("{sandbox}/__sandbox/requests"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(
        orders.as_array().map(Vec::len),
        Some(1),
        "{orders}\n{requests}"
    );
    // Then the desk finds it placed by itself (the background check), and the scenario is
    // spent.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let number = loop {
        let cart = invoke(&webview, "check_order", json!({"domain": luma})).unwrap();
        if cart["outcome"] == "placed" {
            break cart["order"]["order_number"].as_str().unwrap().to_string();
        }
        assert_eq!(cart["outcome"], "unknown", "{cart}");
        assert!(
            std::time::Instant::now() < deadline,
            "never settled: {cart}"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    assert_eq!(orders[0]["order_number"].as_str(), Some(number.as_str()));
    let helper = invoke(&webview, "demo_helper", json!({})).unwrap();
    assert!(helper["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["on"] == false));
}

#[test]
fn links_open_only_when_checked_and_the_clipboard_round_trips_off_a_kiosk() {
    let dir = tempfile::tempdir().unwrap();
    let (state, calls) = state_recording("agent", dir.path(), Arc::default());
    let (_app, webview) = app_with(state);
    for bad in [
        "javascript:alert(1)",
        "http://staging.luma.gift/terms",
        "http://10.0.0.1/terms",
        "file:///etc/passwd",
        "https://user:pw@staging.luma.gift/",
        "not a link",
    ] {
        let err = invoke(&webview, "open_link", json!({"url": bad})).unwrap_err();
        assert_eq!(err["code"], "Validation", "{bad}: {err}");
        assert_eq!(err["field"], "url", "{bad}: {err}");
    }
    assert!(
        calls.lock().unwrap().is_empty(),
        "no bad link reached the desktop"
    );
    invoke(
        &webview,
        "open_link",
        json!({"url": "https://staging.luma.gift/terms"}),
    )
    .unwrap();
    invoke(&webview, "copy_text", json!({"text": "req-42"})).unwrap();
    let pasted = invoke(&webview, "paste_text", json!({})).unwrap();
    assert_eq!(pasted, json!("req-42"));
    assert_eq!(
        *calls.lock().unwrap(),
        [
            "open https://staging.luma.gift/terms kiosk=false",
            "copy req-42"
        ]
    );

    // A kiosk opens a checked link too, in its own viewer.
    let dir = tempfile::tempdir().unwrap();
    let (state, calls) = state_recording("kiosk", dir.path(), Arc::default());
    let (_app, webview) = app_with(state);
    invoke(
        &webview,
        "open_link",
        json!({"url": "https://staging.luma.gift/privacy"}),
    )
    .unwrap();
    invoke(&webview, "close_link", json!({})).unwrap();
    assert_eq!(
        *calls.lock().unwrap(),
        ["open https://staging.luma.gift/privacy kiosk=true", "close"]
    );
}

/// Whether `ev`, sent as the app sends events (`events::emit`), reaches a listener that
/// tauri-specta registered for that type (the bindings' name for it).
fn heard_by_the_bindings_listener<E>(ev: E) -> bool
where
    E: tauri_specta::Event
        + serde::Serialize
        + serde::de::DeserializeOwned
        + Clone
        + Send
        + 'static,
{
    let app = mock_builder()
        .invoke_handler(firmly_desk_lib::invoke_handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    firmly_desk_lib::specta_builder::<tauri::test::MockRuntime>().mount_events(&app);
    let heard = Arc::new(Mutex::new(0));
    let count = heard.clone();
    E::listen(&app, move |_| *count.lock().unwrap() += 1);
    firmly_desk_lib::events::emit(app.handle(), ev).unwrap();
    let n = *heard.lock().unwrap();
    n == 1
}

#[test]
fn events_go_out_under_the_names_the_bindings_listen_to() {
    use firmly_desk_lib::events::{IdleWarning, StaffUpdated};
    use tauri_specta::Event;
    assert!(heard_by_the_bindings_listener(IdleWarning {
        seconds_left: Some(9)
    }));
    assert!(heard_by_the_bindings_listener(StaffUpdated));
    // Every event's name is the one the generated bindings give the UI.
    let bindings = firmly_desk_lib::bindings_typescript().unwrap();
    for name in [
        firmly_desk_lib::events::CartUpdated::NAME,
        firmly_desk_lib::events::OrderPlaced::NAME,
        firmly_desk_lib::events::PaypalStatus::NAME,
        IdleWarning::NAME,
        firmly_desk_lib::events::SessionWiped::NAME,
        firmly_desk_lib::events::StartupSettled::NAME,
        StaffUpdated::NAME,
        firmly_desk_lib::events::PayAllProgressed::NAME,
    ] {
        assert!(
            bindings.contains(&format!(": \"{name}\"")),
            "{name} is not an event of the bindings"
        );
    }
}

/// The desk starts before Tauri's app exists, so the app finds its data dir itself: the same
/// as Tauri's resolver would give it (the platform's data dir, then the identifier).
#[test]
fn the_data_dir_before_the_app_is_the_one_tauri_resolves() {
    let mut context = mock_context(noop_assets());
    context.config_mut().identifier = "ai.firmly.desk".into();
    let app = mock_builder().build(context).unwrap();
    let identifier = app.config().identifier.clone();
    assert_eq!(identifier, "ai.firmly.desk");
    assert!(firmly_desk_lib::app_data_dir(&identifier).is_some());
    assert_eq!(
        firmly_desk_lib::app_data_dir(&identifier),
        app.path().app_data_dir().ok(),
    );
}

/// The desk's events sink is made before the app: what it sends before it is attached goes
/// nowhere (the page asks for the state once it listens); after, it reaches the listeners.
#[test]
fn events_sent_before_the_app_exists_are_dropped_and_delivered_after() {
    use firmly_checkout::EventSink;
    use firmly_desk_lib::events::{IdleWarning, TauriEvents};
    use tauri_specta::Event;
    let app = mock_builder()
        .invoke_handler(firmly_desk_lib::invoke_handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    firmly_desk_lib::specta_builder::<tauri::test::MockRuntime>().mount_events(&app);
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    IdleWarning::listen(&app, move |e| {
        log.lock().unwrap().push(e.payload.seconds_left)
    });
    let sink = TauriEvents::pending();
    sink.idle_warning(Some(30));
    assert!(heard.lock().unwrap().is_empty());
    sink.attach(app.handle().clone());
    sink.idle_warning(Some(9));
    assert_eq!(*heard.lock().unwrap(), vec![Some(9)]);
}
