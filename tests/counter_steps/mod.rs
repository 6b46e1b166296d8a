//! The counter's forms as a journey fills them (issue #27): the country and the state are
//! chosen from lists, the card's expiry is one `MM/YY` field, and the address saves itself
//! once complete. These replace `support::journeys`' `fill_shipping`, `fill_card` and
//! `save_shipping` (which type into text fields and two expiry fields that are gone); the
//! e2e files import them by name, which shadows the glob import of `support`.

#![allow(dead_code)]

use serde_json::json;

use crate::support::App;

/// Waits until the control with this test id is a `<select>` (the lists came from Rust).
pub fn wait_select(app: &App, testid: &str) {
    app.wait_until(&format!("{testid} to be a list"), || {
        (app.script(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return e ? e.tagName : ''",
            vec![json!(testid)],
        ) == json!("SELECT"))
        .then_some(())
    });
}

/// Types into a field after scrolling it to the middle of its column (each column scrolls
/// on its own; a field half hidden at a column's edge is one WebDriver will not type into).
pub fn type_in(app: &App, testid: &str, text: &str) {
    app.el(testid);
    app.script(
        "document.querySelector(`[data-testid=\"${arguments[0]}\"]`).scrollIntoView({block: 'center'})",
        vec![json!(testid)],
    );
    app.type_into(testid, text);
}

/// Fills the shipping form with a valid Seattle address: typed fields, then the country and
/// the state from their lists.
pub fn fill_shipping(app: &App) {
    for (f, v) in [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", "2065550100"),
        ("address1", "1 Pike Place"),
        ("city", "Seattle"),
        ("postal_code", "98101"),
    ] {
        type_in(app, &format!("shipping-{f}"), v);
    }
    wait_select(app, "shipping-country");
    app.select_value("shipping-country", "US");
    wait_select(app, "shipping-state_or_province");
    app.select_value("shipping-state_or_province", "WA");
}

/// The card form: number, name, one `MM/YY` expiry, CVV.
pub fn fill_card(app: &App, number: &str) {
    type_in(app, "card-number", number);
    type_in(app, "card-name", "Ada Lovelace");
    type_in(app, "card-exp", "12/31");
    type_in(app, "card-cvv", "123");
}

/// Waits until the cart on screen holds the address (its form says it is saved).
pub fn wait_address_saved(app: &App) {
    app.wait_until("the address to be saved", || {
        (app.attr("shipping-status", "data-state").as_deref() == Some("saved")).then_some(())
    });
}

/// Fills the shipping address and waits until it saved itself (no button to press).
pub fn save_shipping(app: &App) {
    fill_shipping(app);
    wait_address_saved(app);
    app.idle();
}
