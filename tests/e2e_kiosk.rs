//! Kiosk journey: attract screen, an order, the idle warning and the wipe back to the
//! attract screen with empty carts.

mod support;

use support::*;

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn kiosk_wipes_the_session_after_an_idle_order() {
    let app = App::launch(Launch {
        mode: "kiosk",
        idle_seconds: Some(8),
        ..Launch::default()
    });
    app.el("attract-screen");
    app.screenshot("kiosk-attract");
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    assert_eq!(app.text("mode-badge").to_lowercase(), "kiosk");
    // The device id is not displayed in kiosk mode; read it from the DOM.
    let device_id = || {
        app.script(
            "return document.querySelector('[data-testid=\"device-id\"]').textContent",
            vec![],
        )
    };
    let device = device_id();
    assert!(device.as_str().is_some_and(|d| !d.is_empty()));
    assert_no_horizontal_scroll(&app);
    open_merchant(&app, "staging.luma.gift");
    add_product(&app, "hero-hoodie");
    save_shipping(&app);
    accept_consents(&app);
    fill_card(&app, "4111 1111 1111 1111");
    place_and_confirm(&app);
    assert_eq!(app.orders().len(), 1);
    // Nobody touches the screen now: first the warning, then the attract screen.
    app.el("idle-warning");
    app.screenshot("kiosk-idle-warning");
    app.el("attract-screen");
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    app.el("cart-empty");
    app.wait_text("hive-total", "every cart to be empty", |t| {
        t.contains("empty")
    });
    assert!(app.all_testids("line-item-").is_empty());
    assert_ne!(device_id(), device, "a new device session");
}

/// What the journey below types or sees: none of it may survive the wipe anywhere.
const TRACES: [&str; 7] = [
    "Lovelace",
    "1 Pike Place",
    "ada@example.com",
    "2065550100",
    "member@example.com",
    "4111",
    "Hero Hoodie",
];

fn assert_no_trace(what: &str, text: &str) {
    for t in TRACES {
        assert!(!text.contains(t), "{what} still holds {t:?}: {text}");
    }
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn end_session_leaves_no_trace_in_memory_on_screen_in_the_store_or_the_webview() {
    let app = App::launch(Launch {
        mode: "kiosk",
        idle_seconds: Some(900),
        ..Launch::default()
    });
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    let device = app.script(
        "return document.querySelector('[data-testid=\"device-id\"]').textContent",
        vec![],
    );
    // A customer touches everything: a product page, a cart, an address, consents, card
    // fields, a login code request, a promo code, and the PayPal window.
    open_merchant(&app, "staging.luma.gift");
    add_product(&app, "hero-hoodie");
    save_shipping(&app);
    accept_consents(&app);
    app.type_into("promo-input", "EXPIRED");
    app.click("promo-apply");
    app.idle();
    fill_card(&app, "4111 1111 1111 1111");
    app.click("pay-method-PayPal");
    let main = app.current_window();
    app.click("paypal-button");
    app.wait_until("the PayPal window", || {
        (app.window_handles().len() == 2).then_some(())
    });
    app.switch_to(&main);
    open_merchant(&app, "members.test");
    add_product(&app, "member-tote");
    app.type_into("otp-email", "member@example.com");
    app.click("otp-request");
    app.idle();
    app.click("end-session");
    // Asked first (wave 3): the confirmation wipes at once.
    app.click("end-session-confirm");
    app.el("attract-screen");
    // The PayPal window went with the customer.
    app.wait_until("the PayPal window to close", || {
        (app.window_handles().len() == 1).then_some(())
    });
    // On screen and in the page: no text, no input value, no announcement.
    let page = app.script("return document.body.innerText", vec![]);
    assert_no_trace("the screen", page.as_str().unwrap_or_default());
    let inputs = app.script(
        "return Array.from(document.querySelectorAll('input, textarea')).filter(e => e.type !== 'checkbox' && e.type !== 'radio').map(e => e.value).join('|')",
        vec![],
    );
    assert_no_trace("an input", inputs.as_str().unwrap_or_default());
    let live_regions = app.script(
        "return Array.from(document.querySelectorAll('[aria-live], [role=status], [role=alert]')).map(e => e.textContent.trim()).join('|')",
        vec![],
    );
    assert_no_trace("a live region", live_regions.as_str().unwrap_or_default());
    // The webview's storage and cookies.
    let storage = app.script(
        "const dump = s => Array.from({length: s.length}, (_, i) => s.key(i) + '=' + s.getItem(s.key(i))).join(';'); return dump(localStorage) + '|' + dump(sessionStorage) + '|' + document.cookie",
        vec![],
    );
    assert_no_trace("the webview storage", storage.as_str().unwrap_or_default());
    // In the backend's memory: every cart is empty, and the device is a new one.
    let hive = app.script_async(
        "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('get_hive').then(v => done(JSON.stringify(v)), e => done('error: ' + JSON.stringify(e)))",
        vec![],
    );
    let hive = hive.as_str().unwrap_or_default().to_string();
    assert!(!hive.starts_with("error"), "{hive}");
    assert!(
        !hive.contains("\"line_item_id\""),
        "carts left after the wipe: {hive}"
    );
    assert_no_trace("the backend's carts", &hive);
    // In the store: nothing of the customer, not even the old device.
    let store =
        std::fs::read_to_string(app.data_path().join("firmly-desk.json")).unwrap_or_default();
    assert_no_trace("the store", &store);
    if let Some(old) = device.as_str().filter(|d| !d.is_empty()) {
        assert!(!store.contains(old), "the old device id is still stored");
    }
    // The next customer starts on empty carts.
    app.click("start-shopping");
    app.wait_gone("attract-screen");
    app.wait_text("hive-total", "every cart to be empty", |t| {
        t.contains("empty")
    });
    assert!(app.all_testids("line-item-").is_empty());
}
