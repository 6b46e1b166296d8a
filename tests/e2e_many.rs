//! Many merchants at once (one address for every cart, pay all with one card entry) and a
//! whole order placed from the keyboard alone.

mod support;

use support::*;

const CARTS: [(&str, &str); 3] = [
    ("staging.luma.gift", "hero-hoodie"),
    ("gadgets.test", "usb-c-hub"),
    ("homegoods.test", "linen-throw-pillow"),
];

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn fills_three_carts_and_pays_all_of_them_with_one_card_entry() {
    let app = App::launch(Launch::default());
    for (domain, product) in CARTS {
        open_merchant(&app, domain);
        add_product(&app, product);
    }
    // One address, typed once, for every cart.
    save_shipping(&app);
    app.click("apply-address-all");
    app.idle();
    for (domain, _) in &CARTS[..2] {
        app.wait_until(&format!("the address to reach {domain}"), || {
            let id = format!("apply-address-result-{domain}");
            app.exists(&id).then(|| app.attr(&id, "data-outcome"))
        })
        .filter(|o| o == "ok")
        .unwrap_or_else(|| panic!("the address was not applied at {domain}"));
    }
    for (domain, _) in CARTS {
        open_merchant(&app, domain);
        accept_consents(&app);
    }
    app.click("pay-all");
    app.el("pay-all-panel");
    for (field, value) in [
        ("number", "4111 1111 1111 1111"),
        ("name", "Ada Lovelace"),
        ("exp", "12/31"),
        ("cvv", "123"),
    ] {
        app.type_into(&format!("pay-all-card-{field}"), value);
    }
    app.click("pay-all-submit");
    for (domain, _) in CARTS {
        let id = format!("pay-all-result-{domain}");
        let outcome = app.wait_until(&format!("{domain}'s result"), || {
            app.exists(&id)
                .then(|| app.attr(&id, "data-outcome"))
                .flatten()
        });
        assert_eq!(outcome, "placed", "{domain}: {}", app.text(&id));
    }
    // (The README's pay-all.png, the live rows, is taken by e2e_counter.)
    app.screenshot("pay-all-results");
    // Exactly one sandbox order per merchant.
    let orders = app.orders();
    let mut domains: Vec<&str> = orders.iter().filter_map(|o| o["domain"].as_str()).collect();
    domains.sort_unstable();
    let mut want: Vec<&str> = CARTS.iter().map(|(d, _)| *d).collect();
    want.sort_unstable();
    assert_eq!(domains, want, "{orders:?}");
    // The card typed once is gone from the panel after the run.
    assert!(
        !app.exists("pay-all-card-number")
            || app.value("pay-all-card-number") == serde_json::json!(""),
        "the card number outlived the run"
    );
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// Presses Tab until `testid` has the focus (the control is reachable by keyboard).
fn tab_to(app: &App, testid: &str) {
    for _ in 0..400 {
        if app.focused() == testid {
            return;
        }
        app.keys(TAB);
    }
    let _ = app.screenshot(&format!("failure-tab-to-{testid}"));
    panic!("{testid} is not reachable with Tab");
}

fn type_field(app: &App, testid: &str, text: &str) {
    tab_to(app, testid);
    app.keys(text);
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn an_order_from_the_keyboard_alone() {
    let app = App::launch(Launch::default());
    app.el("cart-tab-staging.luma.gift");
    tab_to(&app, "cart-tab-staging.luma.gift");
    app.keys(ENTER);
    app.idle();
    tab_to(&app, "product-card-hero-hoodie");
    app.keys(ENTER);
    app.el("variant-select");
    tab_to(&app, "add-to-cart");
    app.keys(ENTER);
    app.idle();
    app.el_prefix("line-item-");
    for (f, v) in [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", "2065550100"),
        ("address1", "1 Pike Place"),
        ("city", "Seattle"),
        ("postal_code", "98101"),
    ] {
        type_field(&app, &format!("shipping-{f}"), v);
    }
    // The country (the US already) and the state are lists: typing a name picks it.
    assert_eq!(app.value("shipping-country"), serde_json::json!("US"));
    type_field(&app, "shipping-state_or_province", "Washington");
    app.wait_until("Washington to be chosen", || {
        (app.value("shipping-state_or_province") == serde_json::json!("WA")).then_some(())
    });
    // The address saves itself once complete; Enter on its Save now button saves it at once.
    tab_to(&app, "shipping-submit");
    app.keys(ENTER);
    app.wait_until("the address to be saved", || {
        (app.attr("shipping-status", "data-state").as_deref() == Some("saved")).then_some(())
    });
    app.idle();
    app.el_prefix("consent-");
    for id in app.all_testids("consent-") {
        if !app.checked(&id) {
            tab_to(&app, &id);
            app.keys(" ");
            app.idle();
        }
    }
    for (id, v) in [
        ("card-number", "4111 1111 1111 1111"),
        ("card-name", "Ada Lovelace"),
        ("card-exp", "12/31"),
        ("card-cvv", "123"),
    ] {
        type_field(&app, id, v);
    }
    app.wait_until("place-order to be enabled", || {
        (app.script(
            "return !document.querySelector('[data-testid=place-order]').disabled",
            vec![],
        ) == serde_json::json!(true))
        .then_some(())
    });
    tab_to(&app, "place-order");
    app.keys(ENTER);
    let number = app.wait_text("order-number", "the order number", |t| !t.is_empty());
    assert_one_order(&app, &number);
}
