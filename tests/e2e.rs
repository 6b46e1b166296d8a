//! End-to-end journeys in the real app window under Xvfb, driven through tauri-driver.
//! Run by `.ci/desk test` (they need a display and tauri-driver, hence `#[ignore]` in a
//! plain `cargo test`): `xvfb-run -a cargo test --test e2e -- --ignored --test-threads=1`.

mod support;

use support::*;

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn buys_a_hoodie_with_a_card() {
    let app = App::launch(Launch::default());
    assert_eq!(app.text("env-badge"), "Sandbox");
    app.click("cart-tab-staging.luma.gift");
    add_product(&app, "hero-hoodie");
    let (_, line) = app.el_prefix("line-item-");
    assert!(line.starts_with("line-item-"));
    app.wait_text("cart-total", "a non-zero cart total", |t| {
        t.contains('$') && !t.contains("$0.00")
    });
    fill_shipping(&app);
    app.click("shipping-submit");
    app.idle();
    accept_consents(&app);
    fill_card(&app, "4111 1111 1111 1111");
    app.screenshot("cart");
    app.click("place-order");
    let number = app.wait_text("order-number", "the order number", |t| !t.is_empty());
    app.screenshot("confirmation");
    let orders = app.sandbox_get("/__sandbox/orders");
    let orders = orders.as_array().expect("orders list");
    assert_eq!(orders.len(), 1, "exactly one order: {orders:?}");
    assert_eq!(orders[0]["order_number"].as_str(), Some(number.as_str()));
}
