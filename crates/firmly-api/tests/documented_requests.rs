//! "Send exactly what the docs describe": every request body carries documented keys only
//! (extensions only when the server announced them), ids and user input go back as given,
//! billing carries its contact, and a captcha can ride along when given.

use firmly_api::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const D: &str = "shop.example";

fn keys(spec: &RequestSpec) -> BTreeSet<String> {
    spec.body
        .as_ref()
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

fn full_address() -> Address {
    Address {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        email: Some("ada@example.com".into()),
        phone: Some("2065550100".into()),
        company: Some("Engines Ltd".into()),
        address1: Some("1 Main St".into()),
        address2: Some("Apt 2".into()),
        city: Some("Seattle".into()),
        state_or_province: Some("wa".into()),
        state_name: Some("Washington".into()),
        postal_code: Some("98101".into()),
        country: Some("us".into()),
    }
}

const ADDRESS_KEYS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "address1",
    "address2",
    "city",
    "state_or_province",
    "postal_code",
    "country",
];

#[test]
fn the_default_shipment_method_request_has_documented_fields_only() {
    let m = SetShipmentMethod {
        shipment_id: "s1".into(),
        shipping_method_id: "STANDARD_SCHEDULED".into(),
        selected_date: Some("2025-07-14".into()),
        notes: Some("gate code 12".into()),
        selected_time_slot_id: Some("2025-07-14#0".into()),
    };
    let s = requests::set_shipment_method(D, &m, Extensions::NONE);
    assert_eq!(
        keys(&s),
        set(&[
            "shipment_id",
            "shipping_method_id",
            "selected_date",
            "notes"
        ]),
        "no undocumented slot id (C31) by default"
    );
    assert_eq!(
        serde_json::to_value(&m)
            .unwrap()
            .get("selected_time_slot_id"),
        None,
        "serializing the struct never adds it either"
    );
    let s = requests::set_shipment_method(D, &m, Extensions { time_slot: true });
    assert_eq!(
        s.body.as_ref().unwrap()["selected_time_slot_id"],
        "2025-07-14#0",
        "sent to a server that announced the extension"
    );
    let no_slot = SetShipmentMethod {
        selected_time_slot_id: None,
        ..m
    };
    let s = requests::set_shipment_method(D, &no_slot, Extensions { time_slot: true });
    assert!(!keys(&s).contains("selected_time_slot_id"));
    assert_eq!(Extensions::default(), Extensions::NONE);
}

/// Every request builder with a body, and the keys its endpoint documents (ENDPOINTS.md §1).
#[test]
fn every_body_has_documented_keys_only() {
    let a = full_address();
    let payload = TokenizePayload {
        data: "d".into(),
        metadata: "m".into(),
    };
    let card = EncryptedCardFields {
        name: "k|n".into(),
        number: "k|x".into(),
        month: "k|m".into(),
        year: "k|y".into(),
        verification_value: "k|v".into(),
    };
    let table: Vec<(RequestSpec, &[&str])> = vec![
        (requests::browser_session(Some("t")), &["access_token"]),
        (
            requests::v1_add_line_item(D, "S", 1, &["h".into()]),
            &["variant_handles"],
        ),
        (requests::v1_update_line_item(D, "S", 1), &["quantity"]),
        (
            requests::set_attribution(D, &Attribution::default()),
            &["attribution"],
        ),
        (
            requests::add_line_item(D, "V", 1, false),
            &["variant_id", "quantity"],
        ),
        (requests::update_line_item(D, "l", 0), &["quantity"]),
        (requests::set_addons(D, &[]), &["selections"]),
        (requests::remove_addon(D, "a"), &["addon_id"]),
        (requests::availability(D, "s"), &["shipment_id"]),
        (
            requests::set_fulfillment_type(D, "s", &FulfillmentType::pickup_in_store(), Some("L")),
            &["shipment_id", "fulfillment_type", "location_id"],
        ),
        (requests::set_shipping_info(D, &a), ADDRESS_KEYS),
        (requests::set_billing_info(D, &a), ADDRESS_KEYS),
        (requests::v1_set_shipping_info(D, &a), ADDRESS_KEYS),
        (
            requests::apply_promo_codes(D, &["A".into()]),
            &["promo_codes"],
        ),
        (
            requests::v1_apply_coupons(D, &["A".into()]),
            &["promo_codes"],
        ),
        (requests::set_consents(D, &[]), &["consents"]),
        (requests::paypal_authorize(D, "P"), &["attributes"]),
        (
            requests::complete_order_v2("h", &a, &card),
            &["handle", "billing_info", "credit_card"],
        ),
        (
            requests::complete_order_v3("h", &a, "jwe", Some("c")),
            &["handle", "billing_info", "encrypted_card", "captcha_token"],
        ),
        (
            requests::complete_order_with_saved_payment(D, "p"),
            &["payment_id"],
        ),
        (
            requests::tokenize(&payload, "h"),
            &["data", "metadata", "handle"],
        ),
        (
            requests::complete_order_v1(D, "t"),
            &["payment_token", "vault_token"],
        ),
        (requests::session_transfer_v1(D, "", &[]), &["handle"]),
        (
            requests::session_transfer_v1(D, "h", &["c=1".into()]),
            &["handle", "cookies"],
        ),
        (requests::set_postal_code(Some("98101")), &["postal_code"]),
        (requests::create_otp(D, "e"), &["email"]),
        (requests::validate_otp(D, "e", "1"), &["email", "otp"]),
        (requests::forgot_password(D, "e"), &["email"]),
        (
            requests::v1_set_shipping_method(D, "Economy-0.00"),
            &["shipping_method"],
        ),
        (
            requests::wallet_unlock_start("shoppay", "e", Some("hc")),
            &["email", "hcaptcha_token"],
        ),
        (
            requests::wallet_unlock_complete("shoppay", "t", "1"),
            &["otp", "access_token"],
        ),
        (
            requests::wallet_unlock_complete_with("shoppay", "t", "1", Some("e"), Some("hc")),
            &["otp", "access_token", "email", "hcaptcha_token"],
        ),
    ];
    for (spec, want) in table {
        assert_eq!(
            keys(&spec),
            set(want),
            "{} {}",
            spec.method.as_str(),
            spec.path
        );
    }
}

#[test]
fn addresses_go_as_typed_without_company_or_state_name() {
    for spec in [
        requests::set_shipping_info(D, &full_address()),
        requests::set_billing_info(D, &full_address()),
        requests::v1_set_shipping_info(D, &full_address()),
    ] {
        let body = spec.body.unwrap();
        // Sent as typed: no upper-casing of the state or the country.
        assert_eq!(body["state_or_province"], "wa");
        assert_eq!(body["country"], "us");
        assert_eq!(body.get("company"), None);
        assert_eq!(body.get("state_name"), None);
    }
}

#[test]
fn billing_carries_email_and_phone() {
    let a = full_address();
    let v2 = requests::set_billing_info(D, &a).body.unwrap();
    assert_eq!(
        (&v2["email"], &v2["phone"]),
        (&json!("ada@example.com"), &json!("2065550100"))
    );
    let v3 = requests::complete_order_v3("h", &a, "jwe", None)
        .body
        .unwrap();
    let billing = &v3["billing_info"];
    assert_eq!(billing["email"], "ada@example.com");
    assert_eq!(billing["phone"], "2065550100");
    assert_eq!(billing["first_name"], "Ada");
    assert_eq!(billing.get("state_name"), None, "return-only (C22)");
    assert_eq!(v3.get("captcha_token"), None, "no captcha unless given");
}

#[test]
fn promo_codes_go_as_typed() {
    let codes = vec!["save10".to_string(), "FreeShip".to_string()];
    for spec in [
        requests::apply_promo_codes(D, &codes),
        requests::v1_apply_coupons(D, &codes),
    ] {
        assert_eq!(
            spec.body.unwrap()["promo_codes"],
            json!(["save10", "FreeShip"])
        );
    }
}

#[test]
fn the_pickup_id_goes_back_as_the_cart_offered_it() {
    let cart: CartV2 = decode_value(&json!({"cart_id": "c", "shipments": [{
        "shipment_id": "s1",
        "fulfillment_type": "SHIP_TO_ADDRESS",
        "fulfillment_type_options": [{"id": "SHIP_TO_ADDRESS"}, {"id": "IN_STORE_PICKUP", "name": "Pick up"}]
    }]}))
    .unwrap();
    let offered = &cart.shipments[0].fulfillment_type_options[1].id;
    assert!(offered.is_pickup());
    let s = requests::set_fulfillment_type(D, "s1", offered, Some("L1"));
    assert_eq!(s.body.unwrap()["fulfillment_type"], "IN_STORE_PICKUP");
    // What the UI echoes back parses to the same id, unchanged.
    let echoed = FulfillmentType::parse(offered.as_str());
    let s = requests::set_fulfillment_type(D, "s1", &echoed, None);
    assert_eq!(s.body.unwrap()["fulfillment_type"], "IN_STORE_PICKUP");
}

#[test]
fn the_catalog_payload_goes_as_given_with_the_chosen_quantity() {
    let p: ProductDetails = decode_value(&json!({"title": "Sofa", "handle": "sofa", "variants": [
        {"sku": "SOFA-1", "add_to_cart_payload": {"variant_id": "configurable-furniture-001", "quantity": 1,
            "variant_handles": ["color:blue", "size:large"], "merchant_extra": {"k": 1}}},
        {"sku": "SOFA-2", "add_to_cart_payload": "not an object"},
        {"sku": "SOFA-3", "add_to_cart_payload": {"variant_id": 42, "quantity": "1"}}
    ]}))
    .unwrap();
    let payload = p.variants[0].add_to_cart_payload.as_ref().unwrap();
    assert_eq!(payload.variant_handles(), vec!["color:blue", "size:large"]);
    assert_eq!(payload.quantity(), Some(1));
    let s = requests::add_to_cart(D, payload, 3, false);
    assert_eq!(s.path, "/api/v2/domains/shop.example/cart/line-items");
    assert!(
        s.query.is_empty(),
        "flush_cart=false is the default, not sent"
    );
    assert_eq!(
        s.body.unwrap(),
        json!({"variant_id": "configurable-furniture-001", "quantity": 3,
               "variant_handles": ["color:blue", "size:large"], "merchant_extra": {"k": 1}})
    );
    let s = requests::add_to_cart(D, payload, 1, true);
    assert_eq!(s.query, vec![("flush_cart".into(), "true".into())]);
    assert_eq!(p.variants[1].add_to_cart_payload, None);
    assert_eq!(p.variants[1].variant_id(), "SOFA-2");
    assert_eq!(p.variants[2].variant_id(), "42");
}

#[test]
fn credentials_only_where_documented() {
    for s in [
        requests::product(D, "h", None),
        requests::product_list(D),
        requests::product_by_url("https://shop.example/p", None),
    ] {
        assert!(s.auth && !s.app_id, "{}: device token only", s.path);
    }
    let t = requests::tokenize(
        &TokenizePayload {
            data: "d".into(),
            metadata: "m".into(),
        },
        "h",
    );
    assert!(
        !t.auth && t.payment,
        "tokenize's curl sends no device token"
    );
    let h = requests::merchant_health(D, "c");
    assert!(!h.auth && h.app_id, "health's curl sends the app id");
    let b = requests::browser_session(None);
    assert!(!b.send_cookies, "a cookie on browser-session means renewal");
    let w = requests::wallet_unlock_complete("shoppay", "t", "1");
    assert!(w.keep_cookies && w.send_cookies && w.login);
    assert!(!requests::cart(D).keep_cookies);
}

#[test]
fn captcha_errors_are_recognisable() {
    // No captcha error id is documented; an id, text or details naming one marks it.
    for body in [
        json!({"code": 400, "error": "CaptchaRequired"}),
        json!({"code": 401, "error": "Unauthorized", "description": "hCaptcha verification failed"}),
        json!({"error": "ErrorBadRequest", "message": "x", "details": {"captcha_token": "missing"}}),
    ] {
        let e = ApiError::from_response(400, body.to_string().as_bytes(), None);
        assert!(e.is_captcha(), "{body}");
        assert_eq!(e.field, Some(Field::Captcha));
    }
    let e = ApiError::from_response(422, br#"{"code":422,"error":"CreditCardDeclined"}"#, None);
    assert!(!e.is_captcha());
    assert_eq!(e.field, Some(Field::Number), "a documented field wins");
}

#[test]
fn v2_error_details_are_kept_and_serialized() {
    // The docs' ErrorInvalidFulfillmentType sample (ENDPOINTS.md §6.1).
    let body = json!({"error": "ErrorInvalidFulfillmentType", "message": "Invalid fulfillment type provided",
        "details": {"provided": "INVALID_TYPE", "allowed": ["SHIP_TO_ADDRESS", "SCHEDULED_DELIVERY", "PICKUP_IN_STORE"]}});
    let e = ApiError::from_response(400, body.to_string().as_bytes(), None);
    let d = e.details.as_deref().unwrap();
    assert_eq!(d.provided.as_deref(), Some("INVALID_TYPE"));
    assert_eq!(d.allowed.len(), 3);
    let wire = serde_json::to_value(&e).unwrap();
    assert_eq!(wire["details"]["allowed"][2], "PICKUP_IN_STORE");
    let back: ApiError = serde_json::from_value(wire).unwrap();
    assert_eq!(back, e);
    // Redaction-safe: a card number echoed in details never survives.
    let body = json!({"error": "ErrorInvalidInputBody", "details": {"provided": "4111111111111111", "card": {"number": "4111111111111111"}}});
    let e = ApiError::from_response(400, body.to_string().as_bytes(), None);
    assert!(!serde_json::to_string(&e).unwrap().contains("4111"));
    // Without details the shape is unchanged.
    let e = ApiError::from_response(404, br#"{"code":404,"error":"CartNotFound"}"#, None);
    assert!(serde_json::to_value(&e).unwrap().get("details").is_none());
}
