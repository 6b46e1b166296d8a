//! The kiosk's staff side as a test drives it: the fleet policy with a staff PIN, the long
//! press on the app's name, the PIN pad.

use std::time::Duration;

use serde_json::{json, Value};

use super::{new_data_dir, App, DataDir, Launch, ELEMENT_KEY};

/// The staff PIN of these tests and its SHA-256 (`printf 2468 | sha256sum`), as a fleet
/// policy holds it.
pub const PIN: &str = "2468";
pub const PIN_SHA256: &str = "a1fb4e703a9ef1fa4936801721ff285a97ac85330856674412e054892afe6972";

/// A kiosk launch with a policy file in `data_dir` (fresh when `None`): the staff PIN, an
/// idle timeout long enough to stay out of the way, plus `extra` policy keys.
pub fn kiosk_launch(data_dir: Option<DataDir>, extra: Value) -> Launch {
    let data_dir = data_dir.unwrap_or_else(new_data_dir);
    let policy = data_dir.path().join("policy.json");
    let mut body = json!({
        "mode": "kiosk",
        "idle_seconds": 900,
        "staff_pin_sha256": PIN_SHA256,
    });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    std::fs::write(&policy, body.to_string()).expect("the policy file");
    Launch {
        mode: "kiosk",
        env: vec![(
            "FIRMLY_DESK_POLICY".into(),
            policy.to_string_lossy().into_owned(),
        )],
        data_dir: Some(data_dir),
        ..Launch::default()
    }
}

/// Holds the pointer down on an element for `hold` (the staff's long press), then lets go.
pub fn long_press(app: &App, testid: &str, hold: Duration) {
    let id = app.el(testid);
    let origin = json!({ ELEMENT_KEY: id });
    app.post(
        "/actions",
        json!({"actions": [{
            "type": "pointer",
            "id": "finger",
            "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0},
                {"type": "pointerDown", "button": 0},
                {"type": "pause", "duration": hold.as_millis() as u64},
                {"type": "pointerUp", "button": 0},
            ],
        }]}),
    )
    .unwrap_or_else(|e| panic!("long press on {testid}: {e}"));
}

/// Opens the staff panel: a long press on the app's name, then the PIN on the pad.
pub fn open_staff_panel(app: &App) {
    long_press(app, "app-logo", Duration::from_millis(1800));
    app.el("staff-pin");
    app.type_into("staff-pin-input", PIN);
    app.click("staff-pin-submit");
    app.el("staff-panel");
}

/// What the page shows and holds in its inputs.
pub fn page_and_inputs(app: &App) -> String {
    app.script(
        "return document.body.innerText + '|' + Array.from(document.querySelectorAll('input, textarea')).map(e => e.value).join('|')",
        vec![],
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}
