//! The documented flows (ENDPOINTS.md §8) run with `FirmlyClient` against the doc-replay
//! server (`firmly-docreplay`), which answers every endpoint with the docs' own sample for
//! it. Every step must decode with our models and every flow must reach an order; the
//! server's journal must show exactly the documented calls.
//!
//! The replay is stateless: ids sent by the client (shipment, addon, payment) are not
//! checked, and each answer is the page's sample whatever the request. What this proves is
//! that the client speaks the documented paths and methods and understands the documented
//! answers end to end.

use firmly_api::*;
use firmly_docreplay::{DocReplay, JournalEntry};
use std::sync::Arc;

const DOMAIN: &str = "staging.luma.gift";

async fn client() -> (DocReplay, FirmlyClient) {
    let server = firmly_docreplay::start().await.expect("doc-replay server");
    let base = url::Url::parse(&server.base_url()).unwrap();
    let client = FirmlyClient::new(
        ClientConfig::same_host(base, "docs-app-id"),
        Arc::new(MemorySessionStore::new()),
    )
    .unwrap();
    (server, client)
}

fn address() -> Address {
    Address {
        first_name: Some("John".into()),
        last_name: Some("Smith".into()),
        email: Some("john@firmly.ai".into()),
        phone: Some("2065550100".into()),
        address1: Some("123 Main St".into()),
        city: Some("Seattle".into()),
        state_or_province: Some("WA".into()),
        postal_code: Some("98101".into()),
        country: Some("US".into()),
        ..Default::default()
    }
}

fn card() -> CardDetails {
    CardDetails {
        number: "4111111111111111".into(),
        name: "John Smith".into(),
        month: "08".into(),
        year: "2030".into(),
        verification_value: "123".into(),
    }
}

fn step<T>(name: &str, r: Result<T>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{name}: {} {} ({:?})", e.code, e.message, e.status),
    }
}

/// The order a flow ends with: submitted, with the platform's order number.
fn assert_order(name: &str, order: &Order) {
    let number = order.platform_order_number.as_deref().unwrap_or_default();
    assert!(
        !number.trim().is_empty(),
        "{name}: no platform_order_number"
    );
    assert!(order.is_submitted(), "{name}: order not submitted");
    println!("{name}: order {number}");
}

/// The journal as `METHOD /path status` lines, without the browser-session calls. The docs'
/// browser-session sample has `expires` in 2023, so the client asks for a new session
/// before every authenticated call; those calls are checked separately.
fn calls(journal: &[JournalEntry]) -> Vec<String> {
    journal
        .iter()
        .filter(|e| e.path != "/api/v1/browser-session")
        .map(|e| format!("{} {} {}", e.method, e.path, e.status))
        .collect()
}

fn assert_sessions(journal: &[JournalEntry]) {
    let sessions: Vec<_> = journal
        .iter()
        .filter(|e| e.path == "/api/v1/browser-session")
        .collect();
    assert!(!sessions.is_empty(), "no browser-session call");
    assert!(sessions
        .iter()
        .all(|e| e.method == "POST" && e.status == 200));
    assert!(journal.iter().all(|e| e.route.is_some()), "{journal:#?}");
}

#[tokio::test]
async fn f1_v1_card_checkout_with_tokenize() {
    let (server, c) = client().await;
    let s = step("browser-session", c.ensure_session().await);
    assert!(!s.access_token.is_empty());
    assert_eq!(s.device_id, "82b10522-5483-4719-b599-6d78b12827f0");

    let cart = step(
        "v1 add line item",
        c.v1_add_line_item(DOMAIN, "42961836507384", 1, &[]).await,
    );
    assert!(!cart.line_items.is_empty());
    let cart = step(
        "v1 shipping-info",
        c.v1_set_shipping_info(DOMAIN, &address()).await,
    );
    assert!(cart.shipping_method.is_some());
    let handle = cart
        .payment_handle
        .clone()
        .expect("payment_handle after shipping info");

    let key = step("payment key", c.payment_key().await);
    assert_eq!(key.kid, "a81b2d581f2a42c09143eb6fdb918fff");
    // The docs' JWK is a usable RSA-2048 key: hybrid encryption with it works as is.
    let payload = step(
        "encrypt",
        encrypt_tokenize_payload(&key, &card(), &address(), OaepHash::Sha1),
    );
    assert!(payload
        .metadata
        .starts_with("a81b2d581f2a42c09143eb6fdb918fff|"));
    let token = step("tokenize", c.tokenize(&payload, &handle).await);
    assert!(token.contains('|'));
    let order = step(
        "v1 complete-order",
        c.complete_order_v1(DOMAIN, &token)
            .await
            .and_then(CompletionAnswer::into_order),
    );
    assert_order("F1", &order);
    assert_eq!(order.platform_order_number.as_deref(), Some("#14002"));

    let j = server.journal();
    assert_sessions(&j);
    assert_eq!(
        calls(&j),
        [
            "POST /api/v1/domains/staging.luma.gift/cart/line-items/42961836507384/quantity/1 200",
            "POST /api/v1/domains/staging.luma.gift/cart/shipping-info 200",
            "GET /api/v1/payment/key 200",
            "POST /api/v1/payment/tokenize 200",
            "POST /api/v1/domains/staging.luma.gift/cart/complete-order 200",
        ]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn f6_v2_multi_shipment_checkout_with_jwe() {
    let (server, c) = client().await;
    let cart = step(
        "v2 add line item",
        c.add_line_item(DOMAIN, "blue-sofa-large", 1, false).await,
    );
    let shipment = cart
        .shipments
        .first()
        .expect("a shipment")
        .shipment_id
        .clone();
    assert_eq!(shipment, "auto-generated-shipment-1");
    assert!(
        !cart.addons.offers.is_empty(),
        "add-line-item sample offers an addon"
    );

    let cart = step(
        "v2 shipping-info",
        c.set_shipping_info(DOMAIN, &address()).await,
    );
    assert!(cart.shipping_info.is_some());
    let handle = cart
        .payment_handle
        .clone()
        .expect("payment_handle after shipping info");
    let shipment = cart
        .shipments
        .first()
        .expect("a shipment")
        .shipment_id
        .clone();

    let cart = step(
        "fulfillment-type",
        c.set_fulfillment_type(DOMAIN, &shipment, &FulfillmentType::ship_to_address(), None)
            .await,
    );
    let s = cart.shipments.first().expect("a shipment");
    assert_eq!(s.fulfillment(), FulfillmentTypeKind::ShipToAddress);
    let method = s
        .shipping_method_options
        .first()
        .expect("shipping method options")
        .id
        .clone();

    let availability = step("get-availability", c.availability(DOMAIN, &shipment).await);
    assert!(!availability.dates.is_empty());

    let cart = step(
        "shipment/methods",
        c.set_shipment_method(
            DOMAIN,
            &SetShipmentMethod {
                shipment_id: shipment.clone(),
                shipping_method_id: method,
                ..Default::default()
            },
            Extensions::NONE,
        )
        .await,
    );
    assert!(cart.shipments.iter().any(|s| s.shipping_method.is_some()));

    let cart = step(
        "addons",
        c.set_addons(
            DOMAIN,
            &[AddonSelectionRequest {
                addon_id: "shipping_protection".into(),
                ..Default::default()
            }],
        )
        .await,
    );
    assert!(!cart.addons.selections.is_empty());
    let cart = step(
        "promo codes",
        c.apply_promo_codes(DOMAIN, &["SAVE20".into()]).await,
    );
    assert_eq!(cart.promo_codes, vec!["SAVE20"]);
    let cart = step("billing-info", c.set_billing_info(DOMAIN, &address()).await);
    assert!(cart.billing_info.is_some());

    let consents = step("consents", c.consents(DOMAIN).await);
    let required: Vec<ConsentChange> = consents
        .iter()
        .filter(|c| c.required || c.explicit)
        .map(|c| ConsentChange {
            id: c.id.clone(),
            revoke: false,
        })
        .collect();
    assert!(!required.is_empty());
    let signed = step("set consents", c.set_consents(DOMAIN, &required).await);
    assert!(signed.iter().any(|c| c.signed));

    let key = step("payment key", c.payment_key().await);
    let jwe = step("encrypt JWE", encrypt_card_jwe(&key, &card()));
    assert_eq!(jwe.split('.').count(), 5);
    let order = step(
        "v3 complete-order",
        c.complete_order_v3(&handle, &address(), &jwe)
            .await
            .and_then(CompletionAnswer::into_order),
    );
    assert_order("F6", &order);

    let j = server.journal();
    assert_sessions(&j);
    let cart = "/api/v2/domains/staging.luma.gift/cart";
    assert_eq!(
        calls(&j),
        [
            format!("POST {cart}/line-items 200"),
            format!("POST {cart}/shipping-info 200"),
            format!("POST {cart}/shipments/fulfillment-type 200"),
            format!("POST {cart}/shipments/get-availability 200"),
            format!("POST {cart}/shipment/methods 200"),
            format!("POST {cart}/addons 200"),
            format!("POST {cart}/promo-codes 200"),
            format!("POST {cart}/billing-info 200"),
            "GET /api/v1/domains/staging.luma.gift/cart/consents 200".into(),
            "POST /api/v1/domains/staging.luma.gift/cart/consents 200".into(),
            "GET /api/v1/payment/key 200".into(),
            "POST /api/v3/payment/complete-order 200".into(),
        ]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn f5_paypal_express_checkout() {
    let (server, c) = client().await;
    step(
        "v1 add line item",
        c.v1_add_line_item(DOMAIN, "42961836507384", 1, &[]).await,
    );
    let cart = step("paypal start", c.paypal_start(DOMAIN).await);
    let pm = cart
        .payment_method
        .as_ref()
        .expect("payment_method after start");
    assert!(pm.is_paypal());
    let attrs = pm.attributes.as_ref().expect("PayPal attributes");
    let token = attrs.paypal_token.as_deref().expect("paypal token");
    assert!(token.starts_with("EC-"), "{token}");
    assert!(attrs.url.as_deref().is_some_and(|u| u.contains(token)));
    let cart = step(
        "paypal authorize",
        c.paypal_authorize(DOMAIN, "VSFDSFDSFA").await,
    );
    assert!(cart
        .payment_method
        .as_ref()
        .is_some_and(|p| p.paypal_authorized()));
    let order = step(
        "paypal complete",
        c.paypal_complete(DOMAIN)
            .await
            .and_then(CompletionAnswer::into_order),
    );
    assert_order("F5", &order);

    let j = server.journal();
    assert_sessions(&j);
    let base = "/api/v1/domains/staging.luma.gift";
    assert_eq!(
        calls(&j),
        [
            format!("POST {base}/cart/line-items/42961836507384/quantity/1 200"),
            format!("POST {base}/express/paypal/start 200"),
            format!("POST {base}/express/paypal/authorize 200"),
            format!("POST {base}/express/paypal/complete-order 200"),
        ]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn f7_wallet_unlock_and_saved_card() {
    let (server, c) = client().await;
    let start = step(
        "unlock-start",
        c.wallet_unlock_start("shoppay", "tester@tester.com").await,
    );
    assert!(!start.access_token.is_empty());
    assert!(!start.otp_destination.phones.is_empty() || !start.otp_destination.emails.is_empty());
    let wallet = step(
        "unlock-complete",
        c.wallet_unlock_complete("shoppay", &start.access_token, "830178")
            .await,
    );
    let saved = wallet
        .payment_method_options
        .iter()
        .find(|o| o.id.is_some())
        .expect("a saved card with an id");
    let address = wallet
        .shipping_info_options
        .first()
        .cloned()
        .expect("a saved address");
    let cart = step(
        "v1 shipping-info",
        c.v1_set_shipping_info(DOMAIN, &address).await,
    );
    assert!(cart.shipping_method.is_some());
    let order = step(
        "complete-order-with-saved-payment",
        c.complete_order_with_saved_payment(DOMAIN, saved.id.as_deref().unwrap())
            .await
            .and_then(CompletionAnswer::into_order),
    );
    assert_order("F7", &order);

    let j = server.journal();
    assert_sessions(&j);
    assert_eq!(
        calls(&j),
        [
            "POST /api/v1/wallets/shoppay/unlock-start 200",
            "POST /api/v1/wallets/shoppay/unlock-complete 200",
            "POST /api/v1/domains/staging.luma.gift/cart/shipping-info 200",
            "POST /api/v1/domains/staging.luma.gift/cart/complete-order-with-saved-payment 200",
        ]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn f8_merchant_login_by_otp_then_card_order() {
    let (server, c) = client().await;
    let dest = step("create-otp", c.create_otp(DOMAIN, "john@firmly.ai").await);
    assert!(!dest.emails.is_empty() || !dest.phones.is_empty());
    let cart = step(
        "validate-otp",
        c.validate_otp(DOMAIN, "john@firmly.ai", "123456").await,
    );
    assert!(!cart.line_items.is_empty());
    // The validate-otp sample lists no saved card, so the logged-in shopper pays by card.
    let cart = step(
        "v1 shipping-info",
        c.v1_set_shipping_info(DOMAIN, &address()).await,
    );
    let handle = cart.payment_handle.clone().expect("payment_handle");
    let key = step("payment key", c.payment_key().await);
    let payload = step(
        "encrypt",
        encrypt_tokenize_payload(&key, &card(), &address(), OaepHash::Sha1),
    );
    let token = step("tokenize", c.tokenize(&payload, &handle).await);
    let order = step(
        "v1 complete-order",
        c.complete_order_v1(DOMAIN, &token)
            .await
            .and_then(CompletionAnswer::into_order),
    );
    assert_order("F8", &order);

    let j = server.journal();
    assert_sessions(&j);
    let base = "/api/v1/domains/staging.luma.gift";
    assert_eq!(
        calls(&j),
        [
            format!("POST {base}/session/create-otp 200"),
            format!("POST {base}/session/validate-otp 200"),
            format!("POST {base}/cart/shipping-info 200"),
            "GET /api/v1/payment/key 200".into(),
            "POST /api/v1/payment/tokenize 200".into(),
            format!("POST {base}/cart/complete-order 200"),
        ]
    );
    server.shutdown().await;
}

/// The endpoints no flow above touches: each documented sample decodes through its client
/// method; the three endpoints whose pages show no response sample answer RouteNotFound.
#[tokio::test]
async fn every_other_endpoint_decodes_through_the_client() {
    let (server, c) = client().await;
    let d = DOMAIN;
    assert_eq!(step("product list", c.product_list(d).await).len(), 2);
    assert!(
        !step("product", c.product(d, "/Button-Up-Sleepshirt,1234").await)
            .variants
            .is_empty()
    );
    assert!(!step(
        "product by url",
        c.product_by_url("https://shop/p?x=1", None).await
    )
    .variants
    .is_empty());
    assert_eq!(
        step("active carts v2", c.active_carts(&[]).await)
            .carts
            .len(),
        2
    );
    assert!(!step("active carts v1", c.active_carts_v1().await)
        .carts
        .is_empty());
    assert_eq!(
        step("shipping rates", c.v1_shipping_rates(d).await).len(),
        3
    );
    assert!(step(
        "v1 set shipping method",
        c.v1_set_shipping_method(d, "x").await
    )
    .shipping_method
    .is_some());
    assert!(!step("v1 cart", c.v1_cart(d).await).line_items.is_empty());
    step("v2 cart", c.cart(d).await);
    step("v1 update item", c.v1_update_line_item(d, "sku", 2).await);
    step("v2 update item", c.update_line_item(d, "item", 2).await);
    step("v1 clear", c.v1_clear_cart(d).await);
    step("v2 clear", c.clear_cart(d).await);
    step(
        "attribution",
        c.set_attribution(d, &Attribution::default()).await,
    );
    step(
        "remove addon",
        c.remove_addon(d, "shipping_protection").await,
    );
    assert!(step("clear promos", c.clear_promo_codes(d).await)
        .promo_codes
        .is_empty());
    assert!(
        !step("v1 coupons", c.v1_apply_coupons(d, &["SAVE".into()]).await)
            .promo_codes
            .is_empty()
    );
    step("v1 clear coupons", c.v1_clear_coupons(d).await);
    step(
        "session transfer v2",
        c.session_transfer(d, serde_json::json!("h"), &[]).await,
    );
    step(
        "session transfer v1",
        c.session_transfer_v1(d, "h", &[]).await,
    );
    assert_eq!(
        step("health", c.merchant_health(d, "v2024-02-27-0-chkt").await),
        "operational"
    );
    for format in [KeyFormat::Pem, KeyFormat::Rsa] {
        let key = step("payment key PEM", c.payment_key_pem(format).await);
        assert_eq!(key.kid, "a81b2d581f2a42c09143eb6fdb918fff");
    }
    let key = step("payment key", c.payment_key().await);
    let fields = step(
        "per-field RSA",
        encrypt_card_per_field(&key, &card(), OaepHash::Sha1),
    );
    let order = step(
        "v2 complete-order",
        c.complete_order_v2("h", &address(), &fields)
            .await
            .and_then(CompletionAnswer::into_order),
    );
    assert_order("card v2", &order);

    for (name, r) in [
        ("active domains", c.active_domains().await.map(|_| ())),
        ("postal code", c.set_postal_code(Some("98101")).await),
        (
            "forgot password",
            c.forgot_password(d, "john@firmly.ai").await,
        ),
    ] {
        let e = r.expect_err(name);
        assert_eq!(
            (e.status, e.code.as_str()),
            (Some(404), "RouteNotFound"),
            "{name}"
        );
    }
    let j = server.journal();
    assert!(
        j.iter().all(|e| e.route.is_some()),
        "an undocumented path was called"
    );
    assert_eq!(j.iter().filter(|e| e.status == 404).count(), 3);
    server.shutdown().await;
}
