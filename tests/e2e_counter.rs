//! The counter (issue #27) in the real window: a checkout whose address saves itself and
//! whose blockers are links to the field, pay all with a live row per merchant and one
//! combined confirmation, adding by link or scanned code, the on-screen keyboard of a touch
//! kiosk, a tax-included cart, a consent's link opened in the kiosk's viewer, and a delivery
//! date, slot and window chosen. Run by `.ci/desk test`:
//! `xvfb-run -a cargo test --test e2e_counter -- --ignored --test-threads=1`.

mod support;

use serde_json::json;
use support::*;

const LUMA: &str = "staging.luma.gift";
const GADGETS: &str = "gadgets.test";
const HOME: &str = "homegoods.test";
const ENTER: &str = "\u{E007}";

/// The test id of the focused element, once focus has settled on one with a test id or an id.
fn focused_id(app: &App) -> String {
    app.script(
        "const e = document.activeElement; return e ? (e.dataset.testid || e.id || '') : ''",
        vec![],
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Whether the element is inside the window's visible area (not scrolled away).
fn on_screen(app: &App, testid: &str) -> bool {
    app.el(testid);
    app.script(
        "const r = document.querySelector(`[data-testid=\"${arguments[0]}\"]`).getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0",
        vec![json!(testid)],
    ) == json!(true)
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn the_address_saves_itself_and_each_blocker_leads_to_its_field() {
    let app = App::launch(Launch::default());
    open_merchant(&app, LUMA);
    add_product(&app, "hero-hoodie");
    // What blocks the order is a link: it moves the focus to the first field to fill.
    app.click("blocker-shipping_address");
    app.wait_until("the focus on the first name", || {
        (app.focused() == "shipping-first_name").then_some(())
    });
    fill_shipping(&app);
    // Nobody presses a button: the complete address saves itself.
    wait_address_saved(&app);
    app.wait_gone("blocker-shipping_address");
    app.idle();
    // The consents' blocker leads to the first one to grant.
    app.click("blocker-consents");
    let focused = app.wait_until("the focus on a consent", || {
        let f = app.focused();
        f.starts_with("consent-").then_some(f)
    });
    assert!(app.exists(&focused), "{focused}");
    // The README's picture: the address saved by itself, what still blocks as a link.
    app.script(
        "document.activeElement.blur(); document.getElementById('ship-h').closest('.col').scrollTop = document.getElementById('shipping-city').offsetTop - 60;",
        vec![],
    );
    app.screenshot("checkout");
    accept_consents(&app);
    fill_card(&app, "4111 1111 1111 1111");
    // The page does not scroll as one: each column does, and the order summary with the
    // total and Place order is on screen even with the checkout column at its top.
    app.script(
        "document.activeElement && document.activeElement.blur(); for (const e of document.querySelectorAll('.col')) e.scrollTop = 0;",
        vec![],
    );
    let page = app.script(
        "return [document.documentElement.scrollHeight - document.documentElement.clientHeight, getComputedStyle(document.querySelector('.col.checkout')).overflowY]",
        vec![],
    );
    assert_eq!(page, json!([0, "auto"]), "the page itself does not scroll");
    assert!(on_screen(&app, "place-order"), "Place order is on screen");
    assert!(on_screen(&app, "cart-total"), "the total is on screen");
    assert_no_horizontal_scroll(&app);
    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
    assert_eq!(app.text("order-merchant"), "Luma");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn pays_two_merchants_with_live_rows_and_one_confirmation() {
    let app = App::launch(Launch::default());
    open_merchant(&app, LUMA);
    add_product(&app, "fusion-backpack");
    save_shipping(&app);
    accept_consents(&app);
    // The address typed once saves itself at the next merchant when its checkout shows.
    open_merchant(&app, GADGETS);
    add_product(&app, "usb-c-hub");
    wait_address_saved(&app);
    app.idle();
    accept_consents(&app);
    // Pay all says how many orders and how much (Rust's count and sum).
    let label = app.wait_text("pay-all", "pay all to count two orders", |t| {
        t.starts_with("Pay 2 orders · $")
    });
    assert!(!label.contains("$0.00"), "{label}");
    // One completion is held a moment at the sandbox: its row shows it being paid.
    app.sandbox_post(
        "/__sandbox/faults",
        json!({"match": {"method": "POST", "path_contains": "/payment/complete-order"}, "delay_ms": 2500, "times": 1}),
    );
    app.click("pay-all");
    app.el("pay-all-panel");
    for d in [LUMA, GADGETS] {
        assert_eq!(
            app.attr(&format!("pay-all-row-{d}"), "data-state")
                .as_deref(),
            Some("ready")
        );
    }
    for (field, value) in [
        ("number", "4111 1111 1111 1111"),
        ("name", "Ada Lovelace"),
        ("exp", "12/31"),
        ("cvv", "123"),
    ] {
        type_in(&app, &format!("pay-all-card-{field}"), value);
    }
    app.click("pay-all-submit");
    // Live: one merchant placed while the other is still being paid.
    app.wait_until("one row placed while the other is paying", || {
        let states: Vec<String> = [LUMA, GADGETS]
            .iter()
            .filter_map(|d| {
                let id = format!("pay-all-row-{d}");
                app.exists(&id)
                    .then(|| app.attr(&id, "data-state"))
                    .flatten()
            })
            .collect();
        (states.contains(&"placed".to_string()) && states.contains(&"paying".to_string()))
            .then_some(())
    });
    app.screenshot("pay-all");
    // One confirmation for the whole run, each merchant by the name on its tab.
    app.el("pay-all-confirmation");
    for (d, name) in [(LUMA, "Luma"), (GADGETS, "Gadgets")] {
        let id = format!("pay-all-result-{d}");
        assert_eq!(app.attr(&id, "data-outcome").as_deref(), Some("placed"));
        assert!(app.text(&id).starts_with(name), "{}", app.text(&id));
    }
    app.screenshot("pay-all-confirmation");
    app.sandbox_delete("/__sandbox/faults");
    assert_eq!(app.faults_fired("delay"), 1);
    let orders = app.orders();
    let mut domains: Vec<&str> = orders.iter().filter_map(|o| o["domain"].as_str()).collect();
    domains.sort_unstable();
    assert_eq!(domains, vec![GADGETS, LUMA], "{orders:?}");
    app.click("pay-all-done");
    app.wait_gone("pay-all-confirmation");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn adds_by_link_or_scanned_code_and_says_when_a_link_is_unknown() {
    let app = App::launch(Launch::default());
    open_merchant(&app, LUMA);
    // The grid shows pictures and prices; the search narrows it.
    app.wait_text("product-price-hero-hoodie", "the hoodie's price", |t| {
        t.contains("$54.00")
    });
    type_in(&app, "product-search", "back");
    app.wait_gone("product-card-hero-hoodie");
    app.el("product-card-fusion-backpack");
    // A blank search shows every product again.
    type_in(&app, "product-search", " ");
    app.el("product-card-hero-hoodie");
    // A scanner types the link and presses Enter.
    type_in(
        &app,
        "add-by-link",
        &format!("https://{LUMA}/products/fusion-backpack{ENTER}"),
    );
    app.idle();
    app.wait_until("the backpack in the cart", || {
        app.exists_prefix("line-item-").then_some(())
    });
    assert_eq!(app.value("add-by-link"), json!(""));
    // Several variants: the product opens to choose one, added by the same link.
    type_in(&app, "add-by-link", &format!("{LUMA}/products/hero-hoodie"));
    app.click("add-by-link-submit");
    app.el("product-detail");
    app.select_value("variant-select", "MH07-M-Black");
    app.click("qty-increase");
    app.wait_text("qty-value", "two hoodies", |t| t == "2");
    app.click("add-to-cart");
    app.idle();
    app.wait_text("cart-total", "three items' total", |t| t.contains('$'));
    app.wait_until("three items", || {
        (app.all_testids("line-item-").len() == 2).then_some(())
    });
    // A link nobody sells: a clear error at the field, what was typed kept.
    let unknown = format!("https://{LUMA}/products/no-such-thing");
    type_in(&app, "add-by-link", &unknown);
    app.click("add-by-link-submit");
    let error = app.wait_text("field-error-add-by-link", "the unknown link's error", |t| {
        !t.is_empty()
    });
    assert!(
        error.contains("not a product that can be bought here"),
        "{error}"
    );
    assert_eq!(app.value("add-by-link"), json!(unknown));
    assert!(!app.exists("error-banner"));
    // The README's picture: the catalog at the top of its column.
    app.script(
        "document.activeElement && document.activeElement.blur(); const h = document.getElementById('catalog-h'); h.closest('.col').scrollTop = h.offsetTop - 8;",
        vec![],
    );
    app.screenshot("catalog");
}

/// Types text with the on-screen keyboard's keys (Shift before each capital).
fn press_keys(app: &App, text: &str) {
    for c in text.chars() {
        if c == ' ' {
            app.click("touch-key-space");
            continue;
        }
        if c.is_uppercase() {
            app.click("touch-key-shift");
        }
        app.click(&format!("touch-key-{c}"));
    }
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_touch_kiosk_types_an_address_with_its_on_screen_keyboard() {
    let app = App::launch(kiosk_launch(None, json!({"touch_keyboard": true})));
    app.click("start-shopping");
    open_merchant(&app, LUMA);
    add_product(&app, "fusion-backpack");
    assert!(
        !app.exists("touch-keyboard"),
        "no keyboard before a field has the focus"
    );
    for (field, text, pad) in [
        ("first_name", "Ada", "text"),
        ("last_name", "Lovelace", "text"),
        ("email", "ada@example.com", "email"),
        ("phone", "2065550100", "tel"),
        ("address1", "1 Pike Place", "text"),
        ("city", "Seattle", "text"),
        ("postal_code", "98101", "numeric"),
    ] {
        let id = format!("shipping-{field}");
        app.click(&id);
        app.wait_until(&format!("the {pad} keyboard for {id}"), || {
            (app.exists("touch-keyboard")
                && app.attr("touch-keyboard", "data-pad").as_deref() == Some(pad))
            .then_some(())
        });
        if field == "address1" {
            app.screenshot("touch-keyboard");
        }
        press_keys(&app, text);
        assert_eq!(app.value(&id), json!(text), "{id}");
    }
    app.click("touch-key-done");
    app.wait_gone("touch-keyboard");
    wait_select(&app, "shipping-state_or_province");
    app.select_value("shipping-state_or_province", "WA");
    wait_address_saved(&app);
    app.idle();
    // The card's number pad types digits only.
    app.click("card-number");
    app.wait_until("the number pad", || {
        (app.attr("touch-keyboard", "data-pad").as_deref() == Some("numeric")).then_some(())
    });
    assert!(!app.exists("touch-key-a"));
    press_keys(&app, "4111");
    assert_eq!(app.value("card-number"), json!("4111"));
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_tax_included_cart_shows_no_added_tax() {
    let app = App::launch(Launch::default());
    open_merchant(&app, LUMA);
    // A link to a merchant the desk does not list adds its product and its tab.
    type_in(
        &app,
        "add-by-link",
        &format!("https://vat.test/products/linen-apron{ENTER}"),
    );
    app.el("cart-tab-vat.test");
    app.wait_until("the apron in the VAT Shop's cart", || {
        app.exists_prefix("line-item-").then_some(())
    });
    save_shipping(&app);
    app.wait_text("tax-included", "incl. tax by the total", |t| {
        t == "incl. tax"
    });
    assert!(!app.exists("cart-tax-total"), "no tax line is added");
    assert_eq!(
        app.attr("env-badge", "data-env").as_deref(),
        Some("Sandbox")
    );
    accept_consents(&app);
    fill_card(&app, "4111 1111 1111 1111");
    let number = place_and_confirm(&app);
    assert_one_order(&app, &number);
    assert_eq!(app.orders()[0]["domain"].as_str(), Some("vat.test"));
}

/// The X display's top-level windows titled `title` (the kiosk's viewer runs in an
/// incognito web context, which WebDriver does not see: the display does).
fn windows_titled(title: &str) -> usize {
    let out = std::process::Command::new("xwininfo")
        .args(["-root", "-children"])
        .output()
        .expect("xwininfo (x11-utils) to list the display's windows");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(&format!("\"{title}\"")))
        .count()
}

/// The actions the app wrote to its audit log (`audit.jsonl` in its data dir).
fn audited(app: &App) -> Vec<String> {
    std::fs::read_to_string(app.data_path().join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["action"].as_str().map(String::from))
        .collect()
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn a_kiosk_opens_a_consents_link_in_its_viewer_and_closes_it() {
    let app = App::launch(kiosk_launch(None, json!({})));
    app.click("start-shopping");
    open_merchant(&app, LUMA);
    add_product(&app, "fusion-backpack");
    let before = windows_titled("Firmly Desk");
    assert!(before >= 1, "the app's own window is on the display");
    let (_, link) = app.el_prefix("link-consent-");
    assert!(app.text(&link).contains("terms of sale"));
    let box_id = format!(
        "consent-{}",
        link.trim_start_matches("link-consent-")
            .rsplit_once('-')
            .map(|(id, _)| id)
            .unwrap_or_default()
    );
    assert!(!audited(&app).contains(&"open_link".to_string()));
    app.click(&link);
    // The backend was asked (and checked the link) ...
    app.wait_until("open_link in the audit log", || {
        audited(&app)
            .contains(&"open_link".to_string())
            .then_some(())
    });
    // ... and opened its locked viewer: a window of its own on the display.
    app.wait_until("the viewer window", || {
        (windows_titled("Firmly Desk") == before + 1).then_some(())
    });
    assert!(
        !app.checked(&box_id),
        "reading the terms does not grant them"
    );
    app.click("link-viewer-close");
    app.wait_until("the viewer to close", || {
        (windows_titled("Firmly Desk") == before).then_some(())
    });
    app.wait_gone("link-viewer-close");
}

#[test]
#[ignore = "needs Xvfb and tauri-driver; run by .ci/desk test"]
fn chooses_a_delivery_date_slot_and_window() {
    let app = App::launch(Launch::default());
    open_merchant(&app, HOME);
    add_product(&app, "harbor-sofa");
    save_shipping(&app);
    // The date's blocker leads into the shipment's calendar.
    let (_, blocker) = app.el_prefix("blocker-shipment_date-");
    app.click(&blocker);
    let focused = app.wait_until("the focus in the calendar", || {
        let f = focused_id(&app);
        f.starts_with("date-option-").then_some(f)
    });
    assert!(!focused.is_empty());
    let date = app.first_enabled("date-option-");
    app.click(&date);
    app.idle();
    let slot = app.first_enabled("slot-option-");
    let words = app.text(&slot);
    app.click(&slot);
    app.idle();
    let (_, booked) = app.el_prefix("slot-booked-");
    let booked_text = app.wait_text(&booked, "the booked slot", |t| t.contains('–'));
    // The slot says its times once: "Morning · 8:00–12:00", not "08:00–12:00 / Morning (8 AM - 12 PM)".
    assert_eq!(booked_text.matches('–').count(), 1, "{booked_text}");
    assert!(!booked_text.contains("AM"), "{booked_text}");
    assert!(words.contains('·') || words.contains('–'), "{words}");
    // A delivery window narrows the dates.
    let window = app.wait_until("a delivery window", || {
        app.all_testids("delivery-window-")
            .into_iter()
            .find(|t| !t.starts_with("delivery-window-any-"))
    });
    app.click(&window);
    app.idle();
    app.wait_until("the window chosen", || app.checked(&window).then_some(()));
    assert!(!app.checked(&format!(
        "delivery-window-any-{}",
        booked.trim_start_matches("slot-booked-")
    )));
}
