//! The desk's helpers in the real app window (issue #27): the demo helper (one-time codes,
//! test cards, scenario switches over the sandbox's faults), Reset demo's confirmation, the
//! undo after a removal, the agent's support side panel (live request log, filter, copy,
//! paste a snapshot), the calendar's keyboard, and a second launch handing over to the first.
//! Run by `.ci/desk test`:
//! `xvfb-run -a cargo test --test e2e_desk -- --ignored --test-threads=1`.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::*;

// WebDriver's codes for the keys the journeys press.
const ARROW_LEFT: &str = "\u{E012}";
const ARROW_UP: &str = "\u{E013}";
const ARROW_RIGHT: &str = "\u{E014}";
const ARROW_DOWN: &str = "\u{E015}";
const TAB: &str = "\u{E004}";
const SHIFT: &str = "\u{E008}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// A Luma cart with a hoodie, the address saved and the consents granted.
fn luma_ready(app: &App) {
    open_merchant(app, "staging.luma.gift");
    add_product(app, "hero-hoodie");
    save_shipping(app);
    accept_consents(app);
}

/// Opens the demo helper from the header and waits for its contents.
fn open_demo_helper(app: &App) {
    app.click("demo-helper-open");
    app.el("demo-helper");
    app.el("demo-otp");
}

/// The desk's clipboard, read the way the page reads it (`paste_text`).
fn clipboard(app: &App) -> String {
    let v = app.script_async(
        "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('paste_text').then(t => done({text: t}), e => done({error: JSON.stringify(e)}));",
        vec![],
    );
    assert!(v.get("error").is_none(), "paste_text failed: {v}");
    v["text"].as_str().unwrap_or_default().to_string()
}

/// Puts text on the desk's clipboard (`copy_text`), as another program would.
fn set_clipboard(app: &App, text: &str) {
    let v = app.script_async(
        "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('copy_text', {text: arguments[0]}).then(() => done('ok'), e => done(JSON.stringify(e)));",
        vec![json!(text)],
    );
    assert_eq!(v, json!("ok"), "copy_text failed");
}

/// The sandbox's journal entries whose fault is `kind` on a path containing `path`.
fn faulted(app: &App, kind: &str, path: &str) -> Vec<Value> {
    app.sandbox_get("/__sandbox/requests")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| {
            r["fault"] == json!(kind) && r["path"].as_str().is_some_and(|p| p.contains(path))
        })
        .collect()
}

/// Presses keys with a modifier held (Shift+Tab).
fn chord(app: &App, modifier: &str, key: &str) {
    app.post(
        "/actions",
        json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": modifier},
            {"type": "keyDown", "value": key},
            {"type": "keyUp", "value": key},
            {"type": "keyUp", "value": modifier},
        ]}]}),
    )
    .unwrap_or_else(|e| panic!("chord: {e}"));
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_demo_helper_shows_the_one_time_code_the_members_sign_in_uses() {
    let app = App::launch(Launch::default());
    open_merchant(&app, "members.test");
    add_product(&app, "member-tote");
    save_shipping(&app);
    open_demo_helper(&app);
    assert!(
        !app.text("demo-otp").contains("member@example.com"),
        "no code before one is sent"
    );
    app.type_into("otp-email", "member@example.com");
    app.click("otp-request");
    app.idle();
    // The helper shows the code by itself, the same one the sandbox sent.
    app.wait_text("demo-otp", "the one-time code in the helper", |t| {
        t.contains("member@example.com")
    });
    let shown = app.text("demo-otp-code-member@example.com");
    let sent = app.sandbox_get("/__sandbox/otp?email=member@example.com")["otp"]
        .as_str()
        .map(String::from);
    assert_eq!(Some(shown.clone()), sent);
    app.screenshot("demo-helper");
    // "Use" puts it into the sign-in, which then signs the member in.
    app.click("demo-otp-use-member@example.com");
    assert_eq!(app.value("otp-code"), json!(shown));
    app.click("otp-verify");
    app.idle();
    app.wait_gone("otp-verify");
    assert!(!app.exists("error-banner"), "signed in without an error");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_test_card_fills_the_form_and_the_declined_scenario_declines_the_next_order() {
    let app = App::launch(Launch::default());
    luma_ready(&app);
    open_demo_helper(&app);
    app.click("demo-card-1111");
    assert_eq!(app.value("card-number"), json!("4111 1111 1111 1111"));
    assert_eq!(app.value("card-cvv"), json!("123"));
    assert!(app
        .value("card-name")
        .as_str()
        .is_some_and(|n| !n.is_empty()));
    // The switch arms the sandbox's labelled fault.
    app.click("demo-scenario-declined");
    app.wait_until("the declined scenario to be on", || {
        (app.attr("demo-scenario-declined", "aria-checked")
            .as_deref()
            == Some("true"))
        .then_some(())
    });
    app.click("place-order");
    app.idle();
    app.wait_until("the declined-card banner", || {
        (app.attr("error-banner", "data-error-code").as_deref() == Some("CreditCardDeclined"))
            .then_some(())
    });
    // The fault fired (the sandbox's journal says so) and nothing was ordered.
    let fired = faulted(&app, "status", "complete-order");
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0]["status"], json!(422));
    assert!(app.orders().is_empty());
    // A one-time scenario switches itself off once it happened: the same card then pays.
    app.wait_until("the declined scenario to be off again", || {
        (app.attr("demo-scenario-declined", "aria-checked")
            .as_deref()
            == Some("false"))
        .then_some(())
    });
    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_lost_response_scenario_shows_a_pending_order_that_settles_by_itself() {
    let app = App::launch(Launch::default());
    luma_ready(&app);
    open_demo_helper(&app);
    app.click("demo-card-1111");
    app.click("demo-scenario-lost_response");
    app.wait_until("the lost-response scenario to be on", || {
        (app.attr("demo-scenario-lost_response", "aria-checked")
            .as_deref()
            == Some("true"))
        .then_some(())
    });
    app.click("place-order");
    // The merchant took it and the answer was lost: pending, never "not placed".
    app.el("order-pending");
    assert_eq!(app.faults_fired("after_commit"), 1);
    assert_eq!(app.orders().len(), 1, "the order did land, once");
    assert!(!app.exists("order-number"));
    // The desk finds it placed by itself.
    let number = app.wait_text("order-number", "the order to settle", |t| !t.is_empty());
    assert_one_order(&app, &number);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn remove_offers_an_undo_and_reset_demo_asks_first() {
    let app = App::launch(Launch::default());
    open_merchant(&app, "staging.luma.gift");
    add_product(&app, "hero-hoodie");
    let (_, line) = app.el_prefix("line-item-");
    let id = line.trim_start_matches("line-item-").to_string();
    app.click(&format!("remove-{id}"));
    app.idle();
    app.wait_gone(&line);
    assert!(app.text("undo-message").contains("Hero Hoodie"));
    let announced = app.script(
        "return document.querySelector('[data-testid=\"announcer\"]').textContent",
        vec![],
    );
    assert!(
        announced.as_str().is_some_and(|t| t.contains("Undo")),
        "announced: {announced}"
    );
    app.screenshot("undo");
    app.click("undo-button");
    app.idle();
    app.wait_gone("undo");
    // The line is back (added again: the same item, maybe a new line id).
    app.el_prefix("line-item-");
    app.wait_text("cart-total", "the hoodie's total again", |t| {
        t.contains("$54.00")
    });

    // Left alone, the toast goes after about 5 s and the removal stays.
    let (_, line) = app.el_prefix("line-item-");
    let id = line.trim_start_matches("line-item-").to_string();
    app.click(&format!("remove-{id}"));
    app.el("undo");
    let shown = Instant::now();
    app.wait_gone("undo");
    let stayed = shown.elapsed();
    assert!(
        stayed >= Duration::from_secs(4) && stayed < Duration::from_secs(10),
        "the toast stayed {stayed:?}"
    );
    assert!(app.all_testids("line-item-").is_empty());

    // Reset demo asks first: cancelling keeps the cart as it is.
    add_product(&app, "hero-hoodie");
    app.click("reset-demo");
    app.el("confirm-reset-demo");
    assert_eq!(
        app.focused(),
        "reset-demo-cancel",
        "the safe choice has the focus"
    );
    app.click("reset-demo-cancel");
    app.wait_gone("confirm-reset-demo");
    assert_eq!(app.all_testids("line-item-").len(), 1, "the cart is kept");
    // Escape cancels too.
    app.click("reset-demo");
    app.el("confirm-reset-demo");
    app.keys(ESCAPE);
    app.wait_gone("confirm-reset-demo");
    assert_eq!(app.all_testids("line-item-").len(), 1, "the cart is kept");
    // Confirmed, it resets.
    app.click("reset-demo");
    app.click("reset-demo-confirm");
    app.idle();
    app.wait_until("the carts to be empty after the reset", || {
        app.all_testids("line-item-").is_empty().then_some(())
    });
}

/// WebKitGTK paints its overlay scrollbars after the whole page: the merchants column's
/// scrollbar used to show through an open dialog (a grey line across it) and through the side
/// panels. The app styles its scrollbars, which are then painted in the page's order.
#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_columns_scrollbar_does_not_show_through_a_dialog() {
    let app = App::launch(Launch::default());
    open_merchant(&app, "staging.luma.gift");
    let column = app.script(
        "const c = document.querySelector('#app > .columns > .col');
         const r = c.getBoundingClientRect();
         return {scrolls: c.scrollHeight > c.clientHeight, right: r.right,
                 border: parseFloat(getComputedStyle(c).borderRightWidth),
                 scale: window.devicePixelRatio};",
        vec![],
    );
    assert_eq!(
        column["scrolls"],
        json!(true),
        "the merchants column scrolls: {column}"
    );
    app.click("reset-demo");
    app.el("confirm-reset-demo");
    let dialog = app.script(
        "const r = document.querySelector('[data-testid=\"confirm-reset-demo\"]').getBoundingClientRect();
         return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};",
        vec![],
    );
    let f = |v: &Value| v.as_f64().expect("a number");
    let scale = f(&column["scale"]);
    // The middle of the column's scrollbar track (10 px inside its right border), halfway down
    // the dialog, against a point of the dialog's own background (inside its 20-px padding).
    let x = f(&column["right"]) - f(&column["border"]) - 5.0;
    let y = (f(&dialog["top"]) + f(&dialog["bottom"])) / 2.0;
    assert!(
        x > f(&dialog["left"]) + 20.0 && x < f(&dialog["right"]) - 20.0,
        "the dialog {dialog} lies over the column's scrollbar at x = {x}"
    );
    let px = |v: f64| (v * scale).round() as u32;
    let shot = app.pixels();
    let over_scrollbar = shot.rgb(px(x), px(y));
    let background = shot.rgb(px(f(&dialog["left"]) + 10.0), px(y));
    if over_scrollbar != background {
        app.screenshot("failure-scrollbar-through-dialog");
    }
    assert_eq!(
        over_scrollbar, background,
        "at ({x}, {y}) the dialog shows the column's scrollbar through it"
    );
    app.keys(ESCAPE);
    app.wait_gone("confirm-reset-demo");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_support_panel_filters_the_live_log_copies_ids_and_pastes_a_snapshot() {
    let app = App::launch(Launch {
        mode: "agent",
        ..Launch::default()
    });
    add_product(&app, "hero-hoodie");
    assert!(!app.exists("device-id"), "no device id in the header");
    app.click("support-open");
    app.el("support-panel");
    app.wait_until("the focus in the panel", || {
        (app.script(
            "return document.activeElement && document.activeElement.id",
            vec![],
        ) == json!("support-panel-h"))
        .then_some(())
    });
    app.wait_text("request-log", "the request log", |t| t.contains("/cart"));
    // The platform and the device id are in the diagnostics.
    app.wait_text("diagnostics-platform", "the platform", |t| {
        t.contains("WebKitGTK")
    });
    assert!(!app.text("device-id").is_empty());

    // Live: a request made with the panel open shows without a refresh (another merchant's
    // cart, read from its tab beside the panel).
    let before = app.all_testids("request-log-entry-").len();
    app.click("cart-tab-homegoods.test");
    app.idle();
    app.wait_until("a new entry in the live log", || {
        (app.all_testids("request-log-entry-").len() > before).then_some(())
    });

    // The filter narrows the entries to those that match.
    let all = app.all_testids("request-log-entry-").len();
    app.type_into("request-log-filter", "POST");
    app.wait_until("the log to narrow to POST requests", || {
        let n = app.all_testids("request-log-entry-").len();
        (n > 0 && n < all).then_some(())
    });
    let texts = app.script(
        "return Array.from(document.querySelectorAll('[data-testid^=\"request-log-entry-\"]')).map(e => e.textContent)",
        vec![],
    );
    for t in texts.as_array().unwrap() {
        assert!(t.as_str().unwrap().contains("POST"), "{t}");
    }
    app.type_into("request-log-filter", "no-request-looks-like-this");
    app.wait_until("nothing to match", || {
        app.all_testids("request-log-entry-")
            .is_empty()
            .then_some(())
    });
    app.type_into("request-log-filter", "POST");

    // Copy a request id: it is on the desk's clipboard.
    let (_, copy) = app.el_prefix("copy-request-id-");
    let request_id = copy.trim_start_matches("copy-request-id-").to_string();
    app.click(&copy);
    app.idle();
    assert_eq!(clipboard(&app), request_id);
    // And the raw cart JSON (of the cart on screen: Luma's again).
    app.click("cart-tab-staging.luma.gift");
    app.idle();
    app.wait_text("raw-json", "Luma's raw cart", |t| {
        t.contains("\"line_items\"")
    });
    app.screenshot("support-panel");
    app.click("copy-raw-json");
    app.idle();
    let raw: Value = serde_json::from_str(&clipboard(&app)).expect("the raw JSON");
    assert_eq!(raw["line_items"].as_array().map(Vec::len), Some(1));

    // Paste a snapshot: other text is refused, clearly, and nothing changes.
    set_clipboard(&app, "Dear support, my order is stuck.");
    app.click("paste-snapshot");
    let refused = app.wait_text("field-error-paste-snapshot", "the paste error", |t| {
        !t.is_empty()
    });
    assert!(refused.contains("Firmly Desk snapshot"), "{refused}");
    assert_eq!(app.all_testids("line-item-").len(), 1);
    // A snapshot exported to a file, copied, then pasted, opens (read-only: redacted).
    app.click("export-snapshot");
    let saved = app.wait_text("support-saved-to", "the snapshot's path", |t| {
        t.contains(".json")
    });
    let path = saved.trim_start_matches("Saved to ").trim();
    let text = std::fs::read_to_string(path).expect("snapshot file");
    set_clipboard(&app, &text);
    app.click("paste-snapshot");
    app.el("snapshot-view");
    app.el("snapshot-cart-staging.luma.gift");
    assert!(!app.exists("field-error-paste-snapshot"));

    // Escape closes the panel and the focus goes back to its button.
    app.click("request-log-filter");
    app.keys(ESCAPE);
    app.wait_gone("support-panel");
    assert_eq!(app.focused(), "support-open");
    assert_eq!(
        app.attr("support-open", "aria-expanded").as_deref(),
        Some("false")
    );
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_calendar_is_one_tab_stop_moved_with_the_arrow_keys() {
    let app = App::launch(Launch::default());
    open_merchant(&app, "homegoods.test");
    add_product(&app, "harbor-sofa");
    save_shipping(&app);
    app.first_enabled("date-option-");
    // English weeks start on Sunday.
    assert_eq!(
        app.script(
            "return document.querySelector('[role=grid] [role=columnheader]').getAttribute('aria-label')",
            vec![]
        ),
        json!("Sunday")
    );
    let stops = || {
        app.script(
            "return Array.from(document.querySelectorAll('[role=grid] [data-date][tabindex=\"0\"]')).map(b => b.dataset.date)",
            vec![],
        )
    };
    let start = stops();
    assert_eq!(
        start.as_array().map(Vec::len),
        Some(1),
        "one Tab stop: {start}"
    );
    let start = start[0].as_str().unwrap().to_string();
    let focused_date = || {
        app.script(
            "const e = document.activeElement; return e && e.dataset ? (e.dataset.date || null) : null",
            vec![],
        )
        .as_str()
        .map(String::from)
    };
    // Shift+Tab from the next control lands on the one day that holds the Tab stop.
    app.script(
        "const b = document.querySelector('[role=grid] [data-date][tabindex=\"0\"]'); b.focus();",
        vec![],
    );
    app.keys(TAB);
    assert_eq!(focused_date(), None, "Tab leaves the calendar at once");
    chord(&app, SHIFT, TAB);
    assert_eq!(focused_date().as_deref(), Some(start.as_str()));

    // A day and a week, staying inside the month; the Tab stop follows the focus.
    let shifted = |days: i64| {
        app.script(
            "const d = new Date(arguments[0] + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + arguments[1]); return d.toISOString().slice(0, 10)",
            vec![json!(start), json!(days)],
        )
        .as_str()
        .unwrap()
        .to_string()
    };
    let day: u32 = start[8..].parse().unwrap();
    let (day_key, back_key, day_step) = if day < 28 {
        (ARROW_RIGHT, ARROW_LEFT, 1)
    } else {
        (ARROW_LEFT, ARROW_RIGHT, -1)
    };
    let (week_key, week_back, week_step) = if day <= 20 {
        (ARROW_DOWN, ARROW_UP, 7)
    } else {
        (ARROW_UP, ARROW_DOWN, -7)
    };
    app.keys(day_key);
    let next = shifted(day_step);
    app.wait_until("the focus to move a day", || {
        (focused_date().as_deref() == Some(next.as_str())).then_some(())
    });
    assert_eq!(stops(), json!([next]));
    app.keys(back_key);
    app.keys(week_key);
    let week = shifted(week_step);
    app.wait_until("the focus to move a week", || {
        (focused_date().as_deref() == Some(week.as_str())).then_some(())
    });
    assert_eq!(stops(), json!([week]));
    app.keys(week_back);
    app.wait_until("the focus back on the first day", || {
        (focused_date().as_deref() == Some(start.as_str())).then_some(())
    });
    // Enter picks the focused day (an offered one): it becomes the selected one.
    let selected = |date: &str| {
        app.script(
            "const b = document.querySelector(`[role=grid] [data-date=\"${arguments[0]}\"]`); return b && b.closest('[role=gridcell]').getAttribute('aria-selected')",
            vec![json!(date)],
        )
    };
    assert_eq!(selected(&start), json!("false"), "no date chosen yet");
    app.keys(ENTER);
    app.idle();
    app.wait_until("the day to be selected", || {
        (selected(&start) == json!("true")).then_some(())
    });
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_second_launch_on_the_same_data_hands_over_to_the_first_and_exits() {
    let app = App::launch(Launch::default());
    let data = app.data_path().to_path_buf();
    // The running app answers later launches through the socket beside its lock.
    app.wait_until("the hand-over socket", || {
        data.join("instance.sock").exists().then_some(())
    });
    let mut second = std::process::Command::new(env!("CARGO_BIN_EXE_firmly-desk"))
        .env("FIRMLY_DESK_DATA_DIR", &data)
        .env("FIRMLY_DESK_MODE", "demo")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("a second launch");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = second.try_wait().expect("the second launch's status") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("the second launch did not end within 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut said = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut said).unwrap();
    assert!(
        status.success(),
        "the second launch exited {status}: {said}"
    );
    assert!(
        said.contains("already running") && said.contains("brought it to the front"),
        "the second launch says what it did: {said}"
    );
    // The first app is still the one at work.
    app.click("settings-open");
    app.idle();
    assert!(
        app.exists("settings-dialog"),
        "the first window still answers"
    );
}
