//! Steps the journeys share: filling forms (the country and state from their lists, the
//! card's one `MM/YY` expiry, an address that saves itself), adding products, paying, and
//! what the sandbox recorded.

use serde_json::{json, Value};

use super::App;

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

/// Grants every consent the merchant asks for (the required terms among them).
pub fn accept_consents(app: &App) {
    app.el_prefix("consent-");
    for id in app.all_testids("consent-") {
        let checked = app.script(
            "return document.querySelector(`[data-testid=\"${arguments[0]}\"]`).checked",
            vec![serde_json::json!(id)],
        );
        if checked != serde_json::json!(true) {
            app.click(&id);
            app.idle();
            // The click took: the box is ticked once the merchant answered.
            let ticked = app.wait_for_quiet(super::TIMEOUT, || app.checked(&id).then_some(()));
            if ticked.is_none() {
                let sent: Vec<Value> = app
                    .sandbox_get("/__sandbox/requests")
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e["path"].as_str().is_some_and(|p| p.ends_with("/consents")))
                    .map(|e| json!([e["method"], e["path"], e["status"], e["start_us"]]))
                    .collect();
                let page = app.script(
                    "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); \
                     const r = e.getBoundingClientRect(); \
                     const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
                     return {rect: [r.x, r.y, r.width, r.height], at: at && (at.dataset.testid || at.tagName), \
                       busy: !!document.querySelector('[data-testid=busy]')}",
                    vec![json!(id)],
                );
                app.fail_waiting(
                    &format!("{id} to be ticked"),
                    &format!(" (consent requests: {sent:?}; the box: {page})"),
                );
            }
        }
    }
}

/// Adds the first available variant of `handle` from the selected merchant's catalog.
pub fn add_product(app: &App, handle: &str) {
    app.click(&format!("product-card-{handle}"));
    app.el("variant-select");
    app.click("add-to-cart");
    app.idle();
}

impl App {
    /// The test id of the first element with this prefix that is not disabled.
    pub fn first_enabled(&self, prefix: &str) -> String {
        self.wait_until(&format!("an enabled {prefix}"), || {
            self.script(
                "const e = Array.from(document.querySelectorAll(`[data-testid^=\"${arguments[0]}\"]`)).find(e => !e.disabled); return e ? e.dataset.testid : null",
                vec![json!(prefix)],
            )
            .as_str()
            .map(String::from)
        })
    }

    /// Whether the input with this test id is checked.
    pub fn checked(&self, testid: &str) -> bool {
        self.script(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return !!(e && e.checked)",
            vec![json!(testid)],
        ) == json!(true)
    }

    /// Scrolls the element into view (for README screenshots).
    pub fn scroll_to(&self, testid: &str) {
        self.el(testid);
        self.script(
            "document.querySelector(`[data-testid=\"${arguments[0]}\"]`).scrollIntoView({block:'start'}); const top = document.querySelector('.sticky-top'); if (top) window.scrollBy(0, -top.offsetHeight - 8);",
            vec![json!(testid)],
        );
    }

    /// The orders the sandbox recorded.
    pub fn orders(&self) -> Vec<Value> {
        self.sandbox_get("/__sandbox/orders")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// Selects a merchant's cart tab and waits for its catalog.
pub fn open_merchant(app: &App, domain: &str) {
    app.click(&format!("cart-tab-{domain}"));
    app.idle();
    app.el_prefix("product-card-");
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

/// Places the order and returns the order number shown on the confirmation.
pub fn place_and_confirm(app: &App) -> String {
    app.click("place-order");
    app.wait_text("order-number", "the order number", |t| !t.is_empty())
}

/// The window (1280×800 under Xvfb) needs no horizontal scrolling.
pub fn assert_no_horizontal_scroll(app: &App) {
    let overflow = app.script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        vec![],
    );
    assert!(
        overflow.as_i64().unwrap_or(0) <= 0,
        "horizontal overflow of {overflow}px"
    );
}

/// Exactly one order exists in the sandbox, and it is `number`.
pub fn assert_one_order(app: &App, number: &str) {
    let orders = app.orders();
    assert_eq!(orders.len(), 1, "exactly one order: {orders:?}");
    assert_eq!(orders[0]["order_number"].as_str(), Some(number));
}

impl App {
    /// Whether any element's test id starts with `prefix` (no wait).
    pub fn exists_prefix(&self, prefix: &str) -> bool {
        !self.all_testids(prefix).is_empty()
    }
}
