//! Payment journeys (PayPal popup, saved cards after OTP login, double submit, a lost
//! completion response) in the real app window under Xvfb, driven through tauri-driver.

mod support;

use serde_json::json;
use support::*;

/// Luma cart with a hoodie, a saved address and the consents granted.
fn luma_ready(app: &App) {
    open_merchant(app, "staging.luma.gift");
    add_product(app, "hero-hoodie");
    save_shipping(app);
    accept_consents(app);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn pays_with_paypal_in_the_popup() {
    let app = App::launch(Launch::default());
    luma_ready(&app);
    app.click("pay-method-PayPal");
    let main = app.current_window();
    app.click("paypal-button");
    let popup = app.wait_until("the PayPal window", || {
        app.window_handles().into_iter().find(|h| *h != main)
    });
    app.switch_to(&popup);
    // The popup shows PayPal's page, not ours: it has no way to call the app's commands.
    app.el_css("#paypal-approve");
    let ipc = app.script_async(
        "const done = arguments[arguments.length - 1]; try { window.__TAURI_INTERNALS__.invoke('app_info').then(() => done('allowed'), e => done('refused: ' + e)); } catch (e) { done('no ipc: ' + e); }",
        vec![],
    );
    let ipc = ipc.as_str().unwrap_or_default().to_string();
    assert!(
        !ipc.starts_with("allowed"),
        "the PayPal popup invoked a command"
    );
    println!("PayPal popup IPC: {ipc}");
    app.click_css("#paypal-approve");
    app.switch_to(&main);
    app.wait_text("paypal-status", "the PayPal approval", |t| {
        t.contains("Approved")
    });
    app.wait_until("the PayPal window to close", || {
        (app.window_handles().len() == 1).then_some(())
    });
    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
    assert_eq!(
        app.orders()[0]["payment_type"]
            .as_str()
            .map(str::to_lowercase),
        Some("paypal".to_string())
    );
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn pays_with_a_saved_card_after_otp_login() {
    let app = App::launch(Launch::default());
    open_merchant(&app, "members.test");
    add_product(&app, "member-tote");
    save_shipping(&app);
    assert!(
        !app.exists("card-number"),
        "members.test offers no new-card entry"
    );
    app.type_into("otp-email", "member@example.com");
    app.click("otp-request");
    app.idle();
    let otp = app.wait_until("the one-time password", || {
        app.sandbox_get("/__sandbox/otp?email=member@example.com")["otp"]
            .as_str()
            .map(String::from)
    });
    app.type_into("otp-code", &otp);
    app.click("otp-verify");
    app.idle();
    app.click("pay-method-saved-pm_sbx_visa_4242");
    assert!(app.exists("pay-method-saved-pm_sbx_mc_4444"));
    accept_consents(&app);
    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_double_click_places_one_order() {
    let app = App::launch(Launch::default());
    luma_ready(&app);
    fill_card(&app, "4111 1111 1111 1111");
    app.el("place-order");
    app.script(
        "const b = document.querySelector('[data-testid=\"place-order\"]'); b.click(); b.click();",
        vec![],
    );
    let number = app.wait_text("order-number", "the order number", |t| !t.is_empty());
    app.idle();
    assert_one_order(&app, &number);
    assert!(!app.exists("error-banner"), "no error after a double click");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_lost_completion_response_still_shows_the_order() {
    let app = App::launch(Launch::default());
    luma_ready(&app);
    fill_card(&app, "4111 1111 1111 1111");
    app.sandbox_post(
        "/__sandbox/faults",
        json!({"match": {"path_contains": "/payment/complete-order"}, "after_commit": true, "times": 1}),
    );
    let number = place_and_confirm(&app);
    app.sandbox_delete("/__sandbox/faults");
    // The response really was lost after the commit, and the order still shows, once.
    assert_eq!(app.faults_fired("after_commit"), 1);
    assert_one_order(&app, &number);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn pays_with_a_card_from_an_unlocked_wallet() {
    let app = App::launch(Launch::default());
    open_merchant(&app, "members.test");
    add_product(&app, "member-tote");
    save_shipping(&app);
    let code = |app: &App| {
        app.sandbox_get("/__sandbox/otp?email=member@example.com")["otp"]
            .as_str()
            .map(String::from)
    };
    // The merchant's account login first (it requires one to place orders).
    app.type_into("otp-email", "member@example.com");
    app.click("otp-request");
    app.idle();
    let otp = app.wait_until("the login code", || code(&app));
    app.type_into("otp-code", &otp);
    app.click("otp-verify");
    app.idle();
    // Then the Shop Pay wallet, unlocked with its own one-time code.
    app.click("pay-method-wallet-shoppay");
    app.type_into("wallet-email", "member@example.com");
    app.click("wallet-request");
    app.idle();
    let wallet_code = app.wait_until("the wallet code", || code(&app));
    app.type_into("wallet-otp", &wallet_code);
    app.click("wallet-unlock");
    app.idle();
    // The wallet's first card is chosen for the customer; they may pick another.
    app.el("pay-method-saved-pm_shoppay_amex_0005");
    assert!(app.checked("pay-method-saved-pm_shoppay_amex_0005"));
    app.click("pay-method-saved-pm_shoppay_visa_1881");
    accept_consents(&app);
    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
    assert!(app.text("order-confirmation").contains("1881"));
}
