//! The kiosk's wave-3 screen in the real app (issue #25): the end of an order (the receipt's
//! QR code, the countdown that clears the screen by itself, Done), the staff PIN pad and
//! panel, and End session while an order's answer is held by the sandbox. Every wait is on
//! a condition; the only timed step is the long press itself (a gesture, not a wait).

mod support;

use std::time::Duration;

use serde_json::json;
use support::*;

/// Seconds on the order confirmation before the kiosk clears it by itself (the policy's
/// smallest allowed value).
const ORDER_DONE_SECONDS: u64 = 5;

/// A kiosk launched with a policy file in its own data dir: the staff PIN, a short order
/// confirmation, and an idle timeout long enough to stay out of the way.
fn launch_kiosk() -> App {
    App::launch(kiosk_launch(
        None,
        json!({ "order_done_seconds": ORDER_DONE_SECONDS }),
    ))
}

/// A Hero Hoodie (MH07-M-Black) in the Luma cart, the address saved, the card typed.
fn ready_to_pay(app: &App) {
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    open_merchant(app, "staging.luma.gift");
    app.click("product-card-hero-hoodie");
    app.select_value("variant-select", "MH07-M-Black");
    app.click("add-to-cart");
    app.idle();
    app.el_prefix("line-item-");
    save_shipping(app);
    accept_consents(app);
    fill_card(app, "4111 1111 1111 1111");
}

fn assert_nothing_of_the_shopper(app: &App, extra: &[&str]) {
    let page = page_and_inputs(app);
    for trace in [
        "Lovelace",
        "1 Pike Place",
        "ada@example.com",
        "2065550100",
        "4111",
    ]
    .iter()
    .chain(extra)
    {
        assert!(
            !page.contains(trace),
            "the screen still holds {trace:?}: {page}"
        );
    }
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_order_confirmation_clears_itself_and_done_ends_it_at_once() {
    let app = launch_kiosk();
    app.el("attract-screen");
    ready_to_pay(&app);
    let number = place_and_confirm(&app);
    // The receipt's QR code (an inline SVG) and the countdown; nobody touches anything now.
    app.el("receipt-qr");
    let seconds =
        |a: &App| -> Option<u64> { a.attr("order-done-countdown", "data-seconds")?.parse().ok() };
    let first = seconds(&app).expect("the countdown's seconds");
    assert!(
        (1..=ORDER_DONE_SECONDS).contains(&first),
        "a countdown from {ORDER_DONE_SECONDS} s: {first}"
    );
    assert!(app
        .text("order-done-countdown")
        .contains(&first.to_string()));
    assert!(!app.exists("print-receipt"), "no printer in the policy");
    let qr = app.script(
        "const s = document.querySelector('[data-testid=\"receipt-qr\"]'); return [s.tagName.toLowerCase(), s.querySelectorAll('rect').length, s.outerHTML.includes('data:')]",
        vec![],
    );
    assert_eq!(qr[0], json!("svg"));
    assert!(
        qr[1].as_u64().unwrap_or(0) > 20,
        "the QR code's modules: {qr}"
    );
    assert_eq!(qr[2], json!(false), "never a data: URI");
    app.screenshot("kiosk-confirmation");
    // It counts down, then the attract screen comes back by itself.
    app.wait_until("the countdown to go down", || {
        if !app.exists("order-done-countdown") {
            return Some(());
        }
        app.try_script(
            "const e = document.querySelector('[data-testid=\"order-done-countdown\"]'); return e ? Number(e.dataset.seconds) : -1",
            vec![],
        )
        .ok()?
        .as_u64()
        .filter(|s| *s < first)
        .map(|_| ())
    });
    app.el("attract-screen");
    assert_nothing_of_the_shopper(&app, &["Hero Hoodie", &number]);
    assert_eq!(app.orders().len(), 1);

    // The next shopper: empty carts; their order ends with Done, at once.
    ready_to_pay(&app);
    let second = place_and_confirm(&app);
    assert_ne!(second, number);
    app.el("order-done-countdown");
    app.click("order-done");
    app.wait_for(
        Duration::from_secs(2),
        "the attract screen after Done",
        || app.exists("attract-screen").then_some(()),
    );
    assert_nothing_of_the_shopper(&app, &["Hero Hoodie", &second]);
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    app.wait_text("hive-total", "every cart to be empty", |t| {
        t.contains("empty")
    });
    assert!(app.all_testids("line-item-").is_empty());
    assert_eq!(app.orders().len(), 2);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_staff_pin_opens_the_panel_and_close_locks_it() {
    let app = launch_kiosk();
    app.el("attract-screen");
    long_press(&app, "app-logo", Duration::from_millis(1800));
    app.el("staff-pin");
    let masked = app.script(
        "return document.querySelector('[data-testid=\"staff-pin-input\"]').type",
        vec![],
    );
    assert_eq!(masked, json!("password"));
    // A wrong PIN on the number pad is refused and says how many tries are left.
    for d in ["1", "1", "1", "1"] {
        app.click(&format!("staff-pin-key-{d}"));
    }
    app.click("staff-pin-submit");
    let refused = app.wait_text("field-error-staff-pin", "the wrong PIN refused", |t| {
        !t.is_empty()
    });
    assert!(refused.contains("tries left"), "{refused}");
    assert!(!app.exists("staff-panel"));
    app.screenshot("staff-pin");
    // The right one opens the panel.
    app.type_into("staff-pin-input", PIN);
    app.click("staff-pin-submit");
    app.el("staff-panel");
    app.el("staff-reports");
    app.screenshot("staff-panel");
    app.click("staff-close");
    app.wait_gone("staff-panel");
    // Closed means locked: the backend refuses the staff's orders now.
    let refused = app.script_async(
        "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('staff_orders').then(v => done('ok ' + JSON.stringify(v)), e => done(JSON.stringify(e)))",
        vec![],
    );
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(refused.contains("StaffOnly"), "{refused}");
    // A shopper's language: Spanish is a script of its own, fetched through the app's
    // protocol under its content security policy when it is first asked for.
    app.click("language-es");
    app.wait_text("start-shopping", "the attract screen in Spanish", |t| {
        t.contains("Empezar a comprar")
    });
    assert_eq!(
        app.script("return document.documentElement.lang", vec![]),
        json!("es")
    );
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn end_session_while_the_order_answer_is_held_clears_at_once_and_staff_see_the_order() {
    let app = launch_kiosk();
    app.el("attract-screen");
    ready_to_pay(&app);
    // The sandbox places the order, then holds its answer until the test lets it go.
    app.sandbox_post(
        "/__sandbox/faults",
        json!({"match": {"method": "POST", "path_contains": "complete-order"}, "after_commit": true, "hold": true, "times": 1}),
    );
    app.click("place-order");
    app.wait_until("the order answer to be held", || {
        let held = app.sandbox_get("/__sandbox/holds?wait_ms=5000");
        held.as_array().filter(|a| !a.is_empty()).map(|_| ())
    });
    app.click("end-session");
    app.el("confirm-end-session");
    app.click("end-session-confirm");
    app.wait_for(Duration::from_secs(2), "the screen to clear", || {
        (app.exists("attract-screen")
            && app.all_testids("line-item-").is_empty()
            && !page_and_inputs(&app).contains("1 Pike Place"))
        .then_some(())
    });
    assert_nothing_of_the_shopper(&app, &["Hero Hoodie"]);
    app.screenshot("kiosk-wiped-during-order");
    app.sandbox_post("/__sandbox/holds/release", json!({}));
    let orders = app.orders();
    assert_eq!(orders.len(), 1, "{orders:?}");
    let number = orders[0]["order_number"]
        .as_str()
        .expect("an order number")
        .to_string();
    // Staff see the placed order among the outcomes of customers who left.
    open_staff_panel(&app);
    app.wait_text("staff-reports", "the held order in the staff panel", |t| {
        t.contains(&number)
    });
    app.screenshot("staff-panel-held-order");
    app.click("staff-close");
    app.wait_gone("staff-panel");
    // The next shopper sees nothing of it.
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    app.wait_text("hive-total", "every cart to be empty", |t| {
        t.contains("empty")
    });
    assert!(app.all_testids("line-item-").is_empty());
    for gone in ["order-confirmation", "order-pending", "error-banner"] {
        assert!(!app.exists(gone), "the next shopper sees {gone}");
    }
    // (The catalog still lists the Hero Hoodie: a product, not the last shopper's.)
    assert_nothing_of_the_shopper(&app, &[&number]);
}
