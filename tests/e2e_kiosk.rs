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
