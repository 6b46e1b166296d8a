//! Accessibility, measured (issue #27): axe-core runs in the real window on every screen a
//! person meets — the kiosk's attract screen, PIN pad and staff panel, the carts, the
//! shipments, checkout, the order confirmation, pay all (its form and its outcome),
//! settings and the agent's support drawer — and finds no serious or critical violation.
//! axe-core comes from ui/'s devDependencies (`ui/node_modules/axe-core/axe.min.js`, or
//! `FIRMLY_AXE_JS`); nothing is fetched at run time. The keyboard-only order is
//! `tests/e2e_many.rs`.

mod support;

use serde_json::json;
use support::*;

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_card_order_has_no_serious_violation_on_any_screen() {
    let app = App::launch(Launch::default());
    app.el("cart-total");
    app.idle();
    app.axe("the carts (empty cart)");

    open_merchant(&app, "homegoods.test");
    add_product(&app, "harbor-sofa");
    app.axe("the carts (a line item)");

    save_shipping(&app);
    app.el_prefix("shipment-");
    let date = app.first_enabled("date-option-");
    app.click(&date);
    app.idle();
    app.first_enabled("slot-option-");
    app.el("addons-panel");
    app.axe("the shipments (calendar, time slots, addons)");

    accept_consents(&app);
    fill_card(&app, "4111 1111 1111 1111");
    let slot = app.first_enabled("slot-option-");
    app.click(&slot);
    app.idle();
    app.axe("checkout (address, consents, card)");

    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
    app.axe("the order confirmation");

    app.click("settings-open");
    app.el("settings-save");
    app.axe("settings");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn pay_all_has_no_serious_violation() {
    let app = App::launch(Launch::default());
    for (domain, product) in [
        ("staging.luma.gift", "hero-hoodie"),
        ("gadgets.test", "usb-c-hub"),
    ] {
        open_merchant(&app, domain);
        add_product(&app, product);
    }
    save_shipping(&app);
    app.click("apply-address-all");
    app.idle();
    app.el("apply-address-result-gadgets.test");
    for domain in ["staging.luma.gift", "gadgets.test"] {
        open_merchant(&app, domain);
        accept_consents(&app);
    }
    app.click("pay-all");
    app.el("pay-all-panel");
    app.axe("pay all (the card form)");
    for (field, value) in [
        ("number", "4111 1111 1111 1111"),
        ("name", "Ada Lovelace"),
        ("exp", "12/31"),
        ("cvv", "123"),
    ] {
        app.type_into(&format!("pay-all-card-{field}"), value);
    }
    app.click("pay-all-submit");
    for domain in ["staging.luma.gift", "gadgets.test"] {
        let id = format!("pay-all-result-{domain}");
        let outcome = app.wait_until(&format!("{domain}'s result"), || {
            app.exists(&id)
                .then(|| app.attr(&id, "data-outcome"))
                .flatten()
        });
        assert_eq!(outcome, "placed", "{domain}: {}", app.text(&id));
    }
    app.axe("pay all (each merchant's outcome)");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_kiosk_has_no_serious_violation() {
    let app = App::launch(kiosk_launch(None, json!({})));
    app.el("attract-screen");
    app.axe("the kiosk's attract screen");

    long_press(&app, "app-logo", std::time::Duration::from_millis(1800));
    app.el("staff-pin");
    app.axe("the kiosk's staff PIN pad");
    app.type_into("staff-pin-input", PIN);
    app.click("staff-pin-submit");
    app.el("staff-panel");
    app.axe("the kiosk's staff panel");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_support_drawer_has_no_serious_violation() {
    let app = App::launch(Launch {
        mode: "agent",
        ..Launch::default()
    });
    add_product(&app, "hero-hoodie");
    app.click("support-open");
    app.wait_text("request-log", "the request log", |t| t.contains("/cart"));
    app.wait_text("raw-json", "the raw cart JSON", |t| {
        t.contains("\"line_items\"")
    });
    app.axe("the support drawer (agent)");
}

/// The check itself: a page with a known serious violation (an image without a text
/// alternative) fails `App::axe`, naming the rule and the element.
#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn axe_finds_a_serious_violation_when_there_is_one() {
    let app = App::launch(Launch::default());
    app.el("cart-total");
    app.script(
        "const i = document.createElement('img'); i.id = 'a11y-probe'; i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.body.appendChild(i);",
        vec![],
    );
    let found = app.axe_violations();
    let ids: Vec<&str> = found.iter().filter_map(|v| v["id"].as_str()).collect();
    assert!(
        ids.contains(&"image-alt"),
        "{}",
        describe_violations(&found)
    );
    let text = describe_violations(&found);
    assert!(text.contains("#a11y-probe"), "{text}");
    assert!(text.contains("dequeuniversity.com"), "the help URL: {text}");
    app.script("document.getElementById('a11y-probe').remove()", vec![]);
}
