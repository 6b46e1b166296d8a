//! Commands through real IPC serialization: the app's handlers on Tauri's mock runtime,
//! invoked with JSON bodies as the webview sends them, against the embedded sandbox.
//! Proves argument names (camelCase from the UI), result shapes and the error contract.

use std::sync::Arc;

use firmly_checkout::launch::LaunchConfig;
use firmly_checkout::{MemoryStore, NoEvents, Persistence, Settings};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

fn invoke(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn commands_round_trip_through_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let builder = firmly_desk_lib::specta_builder::<tauri::test::MockRuntime>();
    let app = mock_builder()
        .invoke_handler(builder.invoke_handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    let launch = LaunchConfig::resolve(|_| None, &Settings::default()).unwrap();
    let persistence = Persistence::new(Arc::new(MemoryStore::default()));
    let state = tauri::async_runtime::block_on(firmly_desk_lib::state::AppState::start(
        launch,
        dir.path().to_path_buf(),
        persistence,
        Arc::new(NoEvents),
    ))
    .unwrap();
    app.manage(state);
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();

    let info = invoke(&webview, "app_info", json!({})).unwrap();
    assert_eq!(info["environment"], "Sandbox");
    assert_eq!(info["merchants"].as_array().unwrap().len(), 4);

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

    // Errors cross IPC in the pinned contract shape.
    let err = invoke(
        &webview,
        "add_to_cart",
        json!({"domain": "staging.luma.gift", "variantId": "NOPE", "quantity": 1}),
    )
    .unwrap_err();
    assert!(
        err["code"].as_str().unwrap().contains("ProductNotFound"),
        "{err}"
    );
    assert_eq!(err["status"], 404);
    assert_eq!(err["retryable"], false);
    assert!(err["request_id"].as_str().unwrap().ends_with("-SBX"));

    // Local validation answers without a request.
    let problems = invoke(
        &webview,
        "validate_card",
        json!({"card": {"number": "4111111111111112", "name": "A", "exp_month": "01", "exp_year": "2020", "cvv": "1"}}),
    )
    .unwrap();
    let fields: Vec<&str> = problems
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
        json!({"settings": {"app_id": "x", "api_base": "ftp://nope", "vault_base": "", "status_base": "", "idle_seconds": 120, "card_encryption": "jwe"}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "Validation");
    assert!(bad["message"].as_str().unwrap().contains("API base URL"));
}

#[test]
fn a_receipt_is_saved_as_a_private_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let launch = LaunchConfig::resolve(|_| None, &Settings::default()).unwrap();
    let state = tauri::async_runtime::block_on(firmly_desk_lib::state::AppState::start(
        launch,
        dir.path().to_path_buf(),
        Persistence::new(Arc::new(MemoryStore::default())),
        Arc::new(NoEvents),
    ))
    .unwrap();
    let usd = |a: &str| firmly_checkout::MoneyView {
        amount: a.into(),
        currency: "USD".into(),
    };
    let order = firmly_checkout::OrderView {
        domain: "staging.luma.gift".into(),
        order_number: "SBX-1001".into(),
        total: usd("63.87"),
        payment_summary: "Visa ending in 1111".into(),
        thank_you_url: None,
        placed_at: "2026-11-22T00:00:00Z".into(),
        line_items: vec![],
        totals: firmly_checkout::TotalsView {
            subtotal: usd("54.00"),
            shipping: usd("5.00"),
            tax: usd("4.87"),
            addons: usd("0.00"),
            discount: usd("0.00"),
            total: usd("63.87"),
        },
    };
    // No windows in this process: the receipt goes to the data dir.
    let path = state.save_receipt(&order).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Order SBX-1001") && text.contains("63.87 USD"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn settings_switch_between_live_and_the_embedded_sandbox_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let launch = LaunchConfig::resolve(|_| None, &Settings::default()).unwrap();
    tauri::async_runtime::block_on(async {
        let state = firmly_desk_lib::state::AppState::start(
            launch,
            dir.path().to_path_buf(),
            Persistence::new(Arc::new(MemoryStore::default())),
            Arc::new(NoEvents),
        )
        .await
        .unwrap();
        let embedded = state.service().app_info().await.unwrap();
        assert_eq!(embedded.environment, "Sandbox");
        // A "live" Firmly API: here a second, separate sandbox server.
        let live = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
            .await
            .unwrap();
        let info = state
            .apply_settings(Settings {
                app_id: "sandbox-app".into(),
                api_base: live.base_url(),
                ..Settings::default()
            })
            .await
            .unwrap();
        assert_eq!(info.environment, "Live");
        assert_eq!(info.api_base.trim_end_matches('/'), live.base_url());
        assert!(
            info.merchants.is_empty(),
            "live mode starts without demo merchants"
        );
        assert_ne!(
            info.device_id, embedded.device_id,
            "a new device on the new API"
        );
        // The embedded sandbox is stopped in live mode.
        let old = std::fs::read_to_string(dir.path().join("sandbox-url")).unwrap();
        assert!(reqwest::get(format!("{old}/api/v1/payment/key"))
            .await
            .is_err());
        // Invalid settings are refused and change nothing.
        let err = state
            .apply_settings(Settings {
                app_id: "x".into(),
                api_base: "not a url".into(),
                ..Settings::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "Validation");
        assert_eq!(
            state.service().app_info().await.unwrap().environment,
            "Live"
        );
        // Clearing the app id returns to the embedded sandbox.
        let back = state.apply_settings(Settings::default()).await.unwrap();
        assert_eq!(back.environment, "Sandbox");
        assert_eq!(back.merchants.len(), 4);
    });
}

#[test]
fn a_kiosk_starts_with_a_new_customer_while_other_modes_resume() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let start = |mode: &'static str| {
        let launch = LaunchConfig::resolve(
            move |k| (k == "FIRMLY_DESK_MODE").then(|| mode.to_string()),
            &Settings::default(),
        )
        .unwrap();
        tauri::async_runtime::block_on(firmly_desk_lib::state::AppState::start(
            launch,
            dir.path().to_path_buf(),
            Persistence::new(store.clone()),
            Arc::new(NoEvents),
        ))
        .unwrap()
    };
    let device = |s: &firmly_desk_lib::state::AppState| {
        tauri::async_runtime::block_on(s.service().app_info())
            .unwrap()
            .device_id
    };
    let agent = start("agent");
    let first = device(&agent);
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
