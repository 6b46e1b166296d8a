//! Request shapes (method, host, path, query, JSON body, auth) per endpoint, without a
//! network: each endpoint is a pure function returning a `RequestSpec` (ENDPOINTS.md §1).

use firmly_api::requests::{self, seg};
use firmly_api::*;
use serde_json::{json, Value};

fn check(spec: &RequestSpec, method: Method, host: Host, path: &str, body: Option<Value>) {
    assert_eq!(spec.method, method, "{path}");
    assert_eq!(spec.host, host, "{path}");
    assert_eq!(spec.path, path);
    assert_eq!(spec.body, body, "{path}");
}

fn addr() -> Address {
    Address {
        first_name: Some("John".into()),
        last_name: Some("Smith".into()),
        email: Some("john@example.com".into()),
        phone: Some("2065550100".into()),
        address1: Some("1 Main St".into()),
        address2: None,
        city: Some("Seattle".into()),
        state_or_province: Some("WA".into()),
        state_name: Some("Washington".into()),
        postal_code: Some("98101".into()),
        country: Some("US".into()),
        company: None,
    }
}

fn addr_json() -> Value {
    json!({"first_name": "John", "last_name": "Smith", "email": "john@example.com", "phone": "2065550100",
           "address1": "1 Main St", "city": "Seattle", "state_or_province": "WA", "postal_code": "98101", "country": "US"})
}

const D: &str = "shop.example";

#[test]
fn auth_and_catalog() {
    let s = requests::browser_session(None);
    check(&s, Method::Post, Host::Api, "/api/v1/browser-session", None);
    assert!(!s.auth && s.app_id);
    let s = requests::browser_session(Some("old"));
    assert_eq!(s.body, Some(json!({"access_token": "old"})));

    let s = requests::product(D, "DRX123-0/2,BLWH", Some("98101"));
    check(
        &s,
        Method::Get,
        Host::Api,
        "/api/v1/domains-products/shop.example/DRX123-0%2F2%2CBLWH",
        None,
    );
    assert_eq!(
        s.query,
        vec![("postal_code".to_string(), "98101".to_string())]
    );
    assert!(
        !s.app_id && s.auth,
        "device token only (ENDPOINTS.md §1 #2)"
    );
    check(
        &requests::product_list(D),
        Method::Get,
        Host::Api,
        "/api/v1/domains-products/shop.example",
        None,
    );
    let s = requests::product_by_url("https://shop.example/p?x=1", None);
    check(&s, Method::Get, Host::Api, "/api/v1/domains-pdp", None);
    assert_eq!(
        s.query[0],
        ("url".to_string(), "https://shop.example/p?x=1".to_string())
    );
}

#[test]
fn cart_v1() {
    check(
        &requests::v1_add_line_item(D, "MH07-XS", 2, &[]),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/line-items/MH07-XS/quantity/2",
        None,
    );
    let s = requests::v1_add_line_item(D, "S", 1, &["h".to_string()]);
    assert_eq!(s.body, Some(json!({"variant_handles": ["h"]})));
    check(
        &requests::v1_update_line_item(D, "S", 0),
        Method::Put,
        Host::Api,
        "/api/v1/domains/shop.example/cart/line-items/S",
        Some(json!({"quantity": 0})),
    );
    check(
        &requests::v1_cart_get(D),
        Method::Get,
        Host::Api,
        "/api/v1/domains/shop.example/cart/",
        None,
    );
    check(
        &requests::v1_clear_cart(D),
        Method::Delete,
        Host::Api,
        "/api/v1/domains/shop.example/cart/line-items",
        None,
    );
    let a = Attribution {
        utm: Some("utm_source=x".into()),
        referrer_url: None,
        referral_code: Some("R".into()),
        immutable: Some(true),
    };
    check(
        &requests::set_attribution(D, &a),
        Method::Put,
        Host::Api,
        "/api/v1/domains/shop.example/cart/attribution",
        Some(json!({"attribution": {"utm": "utm_source=x", "referral_code": "R"}})),
    );
    check(
        &requests::v1_apply_coupons(D, &["A".into()]),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/promo-codes",
        Some(json!({"promo_codes": ["A"]})),
    );
    check(
        &requests::v1_clear_coupons(D),
        Method::Delete,
        Host::Api,
        "/api/v1/domains/shop.example/cart/promo-codes",
        None,
    );
    check(
        &requests::v1_shipping_rates(D),
        Method::Get,
        Host::Api,
        "/api/v1/domains/shop.example/cart/shipping-rates",
        None,
    );
    check(
        &requests::v1_set_shipping_info(D, &addr()),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/shipping-info",
        Some(addr_json()),
    );
    check(
        &requests::v1_set_shipping_method(D, "Economy-0.00"),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/shipping-method",
        Some(json!({"shipping_method": "Economy-0.00"})),
    );
}

#[test]
fn cart_v2() {
    check(
        &requests::cart(D),
        Method::Get,
        Host::Api,
        "/api/v2/domains/shop.example/cart/",
        None,
    );
    let s = requests::add_line_item(D, "V1", 2, true);
    check(
        &s,
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/line-items",
        Some(json!({"variant_id": "V1", "quantity": 2})),
    );
    assert_eq!(
        s.query,
        vec![("flush_cart".to_string(), "true".to_string())]
    );
    assert!(s.auth && !s.app_id && !s.payment);
    check(
        &requests::update_line_item(D, "li 1", 0),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/line-items/li%201",
        Some(json!({"quantity": 0})),
    );
    check(
        &requests::clear_cart(D),
        Method::Delete,
        Host::Api,
        "/api/v2/domains/shop.example/cart/line-items",
        None,
    );
    check(
        &requests::set_shipping_info(D, &addr()),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/shipping-info",
        Some(addr_json()),
    );
    check(
        &requests::set_billing_info(D, &addr()),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/billing-info",
        Some(addr_json()),
    );
    check(
        &requests::apply_promo_codes(D, &["SAVE10".into(), "FREESHIP".into()]),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/promo-codes",
        Some(json!({"promo_codes": ["SAVE10", "FREESHIP"]})),
    );
    check(
        &requests::clear_promo_codes(D),
        Method::Delete,
        Host::Api,
        "/api/v2/domains/shop.example/cart/promo-codes",
        None,
    );
}

#[test]
fn shipments_and_addons() {
    check(
        &requests::availability(D, "s1"),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/shipments/get-availability",
        Some(json!({"shipment_id": "s1"})),
    );
    check(
        &requests::set_fulfillment_type(D, "s1", &FulfillmentType::pickup_in_store(), Some("L1")),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/shipments/fulfillment-type",
        Some(
            json!({"shipment_id": "s1", "fulfillment_type": "PICKUP_IN_STORE", "location_id": "L1"}),
        ),
    );
    let s = requests::set_fulfillment_type(D, "s1", &FulfillmentType::ship_to_address(), None);
    assert_eq!(
        s.body,
        Some(json!({"shipment_id": "s1", "fulfillment_type": "SHIP_TO_ADDRESS"}))
    );
    let m = SetShipmentMethod {
        shipment_id: "s1".into(),
        shipping_method_id: "WHITE_GLOVE".into(),
        selected_date: Some("2025-07-14".into()),
        notes: None,
        selected_time_slot_id: None,
    };
    check(
        &requests::set_shipment_method(D, &m, Extensions::NONE),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/shipment/methods",
        Some(
            json!({"shipment_id": "s1", "shipping_method_id": "WHITE_GLOVE", "selected_date": "2025-07-14"}),
        ),
    );
    let sel = vec![
        AddonSelectionRequest {
            addon_id: "prot".into(),
            ..Default::default()
        },
        AddonSelectionRequest {
            addon_id: "war".into(),
            selected_line_item_ids: vec!["l1".into()],
            selected_child_ids: vec![],
        },
        AddonSelectionRequest {
            addon_id: "p".into(),
            selected_line_item_ids: vec![],
            selected_child_ids: vec!["c1".into(), "c2".into()],
        },
    ];
    check(
        &requests::set_addons(D, &sel),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/addons",
        Some(
            json!({"selections": [{"addon_id": "prot"}, {"addon_id": "war", "selected_line_item_ids": ["l1"]}, {"addon_id": "p", "selected_child_ids": ["c1", "c2"]}]}),
        ),
    );
    check(
        &requests::remove_addon(D, "prot"),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/cart/addons/_remove",
        Some(json!({"addon_id": "prot"})),
    );
}

#[test]
fn consents_paypal() {
    check(
        &requests::consents(D),
        Method::Get,
        Host::Api,
        "/api/v1/domains/shop.example/cart/consents",
        None,
    );
    check(
        &requests::set_consents(
            D,
            &[
                ConsentChange {
                    id: "a".into(),
                    revoke: false,
                },
                ConsentChange {
                    id: "b".into(),
                    revoke: true,
                },
            ],
        ),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/consents",
        Some(json!({"consents": [{"id": "a"}, {"id": "b", "revoke": true}]})),
    );
    check(
        &requests::paypal_start(D),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/express/paypal/start",
        None,
    );
    check(
        &requests::paypal_authorize(D, "PAYER1"),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/express/paypal/authorize",
        Some(json!({"attributes": {"payer_id": "PAYER1"}})),
    );
    let s = requests::paypal_complete(D);
    check(
        &s,
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/express/paypal/complete-order",
        None,
    );
    assert!(s.payment);
}

#[test]
fn payment() {
    let s = requests::payment_key(KeyFormat::Jwk);
    check(&s, Method::Get, Host::Vault, "/api/v1/payment/key", None);
    assert!(!s.auth && s.query.is_empty());
    assert_eq!(
        requests::payment_key(KeyFormat::Rsa).query,
        vec![("format".to_string(), "RSA".to_string())]
    );
    let s = requests::complete_order_v3("h|abc", &addr(), "a.b.c.d.e", None);
    check(
        &s,
        Method::Post,
        Host::Vault,
        "/api/v3/payment/complete-order",
        Some(
            json!({"handle": "h|abc", "billing_info": addr_json(), "encrypted_card": "a.b.c.d.e"}),
        ),
    );
    assert!(s.payment && s.auth);
    let s = requests::complete_order_v3("h", &addr(), "x", Some("cap"));
    assert_eq!(s.body.unwrap()["captcha_token"], "cap");
    let f = EncryptedCardFields {
        name: "k|n".into(),
        number: "k|1".into(),
        month: "k|m".into(),
        year: "k|y".into(),
        verification_value: "k|v".into(),
    };
    check(
        &requests::complete_order_v2("h", &addr(), &f),
        Method::Post,
        Host::Vault,
        "/api/v2/payment/complete-order",
        Some(
            json!({"handle": "h", "billing_info": addr_json(), "credit_card": {"name": "k|n", "number": "k|1", "month": "k|m", "year": "k|y", "verification_value": "k|v"}}),
        ),
    );
    let s = requests::complete_order_with_saved_payment(D, "pm_1");
    check(
        &s,
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/complete-order-with-saved-payment",
        Some(json!({"payment_id": "pm_1"})),
    );
    assert!(s.payment);
    let t = TokenizePayload {
        data: "ZGF0YQ==".into(),
        metadata: "kid|bWV0YQ==".into(),
    };
    check(
        &requests::tokenize(&t, "h"),
        Method::Post,
        Host::Vault,
        "/api/v1/payment/tokenize",
        Some(json!({"data": "ZGF0YQ==", "metadata": "kid|bWV0YQ==", "handle": "h"})),
    );
    check(
        &requests::complete_order_v1(D, "tok"),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/cart/complete-order",
        Some(json!({"payment_token": {"id": "tok"}, "vault_token": true})),
    );
}

#[test]
fn sessions_wallet_health() {
    check(
        &requests::session_transfer_v1(D, "", &["a=b".into()]),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/session/transfer",
        Some(json!({"handle": "", "cookies": ["a=b"]})),
    );
    check(
        &requests::session_transfer(D, &json!("external-session-1"), &[]),
        Method::Post,
        Host::Api,
        "/api/v2/domains/shop.example/session/transfer",
        Some(json!({"handle": "external-session-1"})),
    );
    let obj = json!({"handle": "h", "token": "t".repeat(36), "version": "2.0"});
    assert_eq!(
        requests::session_transfer(D, &obj, &["c=d".into()]).body,
        Some(json!({"handle": obj, "cookies": ["c=d"]}))
    );
    check(
        &requests::active_carts_v1(),
        Method::Get,
        Host::Api,
        "/api/v1/carts/active",
        None,
    );
    let s = requests::active_carts(&["a.example".into(), "b.example".into()]);
    check(&s, Method::Get, Host::Api, "/api/v2/carts/active", None);
    assert_eq!(
        s.query,
        vec![("excludes".to_string(), "a.example,b.example".to_string())]
    );
    assert!(requests::active_carts(&[]).query.is_empty());
    check(
        &requests::active_domains(),
        Method::Get,
        Host::Api,
        "/api/v2/carts/active-domains",
        None,
    );
    check(
        &requests::set_postal_code(Some("98101")),
        Method::Post,
        Host::Api,
        "/api/v2/carts/postal-code",
        Some(json!({"postal_code": "98101"})),
    );
    assert_eq!(
        requests::set_postal_code(None).body,
        Some(json!({"postal_code": null}))
    );
    check(
        &requests::create_otp(D, "m@x"),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/session/create-otp",
        Some(json!({"email": "m@x"})),
    );
    check(
        &requests::validate_otp(D, "m@x", "123456"),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/session/validate-otp",
        Some(json!({"email": "m@x", "otp": "123456"})),
    );
    check(
        &requests::forgot_password(D, "m@x"),
        Method::Post,
        Host::Api,
        "/api/v1/domains/shop.example/session/forgot-password",
        Some(json!({"email": "m@x"})),
    );
    check(
        &requests::wallet_unlock_start("shoppay", "m@x", None),
        Method::Post,
        Host::Api,
        "/api/v1/wallets/shoppay/unlock-start",
        Some(json!({"email": "m@x"})),
    );
    check(
        &requests::wallet_unlock_complete("shoppay", "uuid|tok", "123456"),
        Method::Post,
        Host::Api,
        "/api/v1/wallets/shoppay/unlock-complete",
        Some(json!({"otp": "123456", "access_token": "uuid|tok"})),
    );
    let s = requests::merchant_health(D, "v2024-02-27-0-chkt");
    check(
        &s,
        Method::Get,
        Host::Status,
        "/api/v1/domains/shop.example",
        None,
    );
    assert!(!s.auth && s.app_id);
    assert_eq!(
        s.query,
        vec![("id".to_string(), "v2024-02-27-0-chkt".to_string())]
    );
}

#[test]
fn segments_are_percent_encoded() {
    assert_eq!(seg("a/b,c d"), "a%2Fb%2Cc%20d");
    assert_eq!(seg("MH07-XS_Gray.1~"), "MH07-XS_Gray.1~");
    assert_eq!(seg("é"), "%C3%A9");
}

#[test]
fn only_payment_calls_are_marked_payment() {
    let payment = [
        requests::paypal_complete(D),
        requests::complete_order_v3("h", &addr(), "x", None),
        requests::complete_order_with_saved_payment(D, "p"),
        requests::complete_order_v1(D, "t"),
    ];
    assert!(payment.iter().all(|s| s.payment));
    let not_payment = [
        requests::cart(D),
        requests::paypal_start(D),
        requests::paypal_authorize(D, "p"),
        requests::add_line_item(D, "v", 1, false),
    ];
    assert!(not_payment.iter().all(|s| !s.payment));
}

#[test]
fn debug_hides_body_values() {
    let s = requests::browser_session(Some("eyJ.secret.sig"));
    let d = format!("{s:?}");
    assert!(!d.contains("secret"), "{d}");
    assert!(d.contains("access_token"));
    let s = requests::validate_otp(D, "m@x", "654321");
    assert!(!format!("{s:?}").contains("654321"));
}
