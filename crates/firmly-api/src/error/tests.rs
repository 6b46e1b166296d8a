//! The error's wire shape, canonical ids, classes and fields, as tables.

use super::*;

#[test]
fn json_shape_is_pinned() {
    let e = ApiError::from_response(
        422,
        br#"{"code":422,"error":"CreditCardDeclined","description":"Credit card declined"}"#,
        Some("8f2a1b3c4d5e6f70-SBX".into()),
    );
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"code":"CreditCardDeclined","raw_code":"CreditCardDeclined","message":"Credit card declined","field":"number","status":422,"description":"Credit card declined","retryable":false,"request_id":"8f2a1b3c4d5e6f70-SBX"}"#
    );
    assert_eq!(
        serde_json::to_string(&ApiError::network("connection refused")).unwrap(),
        r#"{"code":"Network","message":"connection refused","retryable":true}"#
    );
    assert_eq!(
        serde_json::to_string(&ApiError::decode("line_items[0].quantity", "invalid type")).unwrap(),
        r#"{"code":"Decode","message":"could not decode the response at `line_items[0].quantity`: invalid type","retryable":false}"#
    );
    assert_eq!(
        serde_json::to_string(&ApiError::field(Field::Email, "Enter an email")).unwrap(),
        r#"{"code":"Validation","message":"Enter an email","field":"email","retryable":false}"#
    );
    let back: ApiError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(back, e);
    // A code from a newer app version reads as Unmapped rather than failing.
    let future: ApiError =
        serde_json::from_str(r#"{"code":"SomethingNew","message":"m","retryable":false}"#).unwrap();
    assert_eq!(future.code, ErrorCode::Unmapped);
}

#[test]
fn v2_envelope_and_garbage_bodies() {
    let e = ApiError::from_response(
        400,
        br#"{"error":"ErrorInvalidFulfillmentType","message":"Not allowed","details":{"provided":"X"}}"#,
        None,
    );
    assert_eq!(e.code, ErrorCode::InvalidFulfillmentType);
    assert_eq!(e.raw_code.as_deref(), Some("ErrorInvalidFulfillmentType"));
    assert_eq!(e.description.as_deref(), Some("Not allowed"));
    let e = ApiError::from_response(502, b"<html>bad gateway</html>", None);
    assert_eq!(e.code, ErrorCode::BadGateway);
    assert!(e.retryable);
    assert_eq!(e.description, None);
    let e = ApiError::from_response(503, br#"{"code":503,"error":"StoreUnavailable"}"#, None);
    assert!(e.retryable);
    let e = ApiError::from_response(409, br#"{"code":409,"error":"PleaseTryAgainLater"}"#, None);
    assert!(e.retryable);
    let e = ApiError::from_response(
        422,
        br#"{"code":422,"error":"ErrorStoreUnavailable"}"#,
        None,
    );
    assert!(e.retryable, "classified by id, not status");
    let e = ApiError::from_response(409, br#"{"code":409,"error":"NotEnoughStockError"}"#, None);
    assert!(!e.retryable);
    let e = ApiError::from_response(418, b"", None);
    assert_eq!((e.code, e.id()), (ErrorCode::Unmapped, "Http418"));
}

#[test]
fn canonical_code_table() {
    let table = [
        ("ErrorNotEnoughStock", "NotEnoughStock"),
        ("NotEnoughStockError", "NotEnoughStock"),
        ("NotEnoughStock", "NotEnoughStock"),
        ("InventoryError", "NotEnoughStock"),
        ("NoLineItemError", "NoLineItem"),
        ("ErrorNoLineItem", "NoLineItem"),
        ("InvalidOTP", "InvalidOtp"),
        ("InvalidOtp", "InvalidOtp"),
        ("ErrorInvalidAppId", "InvalidAppId"),
        ("ErrorMissingAppId", "MissingAppId"),
        ("ErrorStoreUnavailable", "StoreUnavailable"),
        ("CheckoutError", "Checkout"),
        ("CreditCardDeclined", "CreditCardDeclined"),
        ("errorCartNotFound", "CartNotFound"),
        ("Error", "Error"),
    ];
    for (input, want) in table {
        assert_eq!(canonicalize(input), want, "{input}");
    }
    let e = ApiError::from_response(422, br#"{"code":422,"error":"ErrorNotEnoughStock"}"#, None);
    assert_eq!(
        e.id(),
        "ErrorNotEnoughStock",
        "the server's spelling is kept"
    );
    assert_eq!(e.code, ErrorCode::NotEnoughStock);
    assert_eq!(
        ErrorCode::from_id("InventoryError"),
        ErrorCode::NotEnoughStock
    );
    assert_eq!(ErrorCode::from_id("CheckoutError"), ErrorCode::Checkout);
    assert_eq!(ErrorCode::from_id("Teapot"), ErrorCode::Unmapped);
}

#[test]
fn non_ascii_identifiers_never_panic() {
    for id in [
        "é",
        "Errör",
        "ErrorÅ",
        "Åerror",
        "ÉRRORx",
        "x€rror",
        "日本語エラー",
        "Error",
        "error",
        "\u{0}",
        "",
        "Errorerror",
        "ÉrrorNotEnoughStock",
    ] {
        let _ = canonicalize(id);
        let body = serde_json::json!({"code": 400, "error": id, "description": id});
        let e = ApiError::from_response(400, body.to_string().as_bytes(), None);
        let _ = (e.class(), e.to_string());
    }
    // A very long merchant text is clipped on a character boundary.
    let long = "é".repeat(5000);
    let body = serde_json::json!({"error": "X", "description": long});
    let e = ApiError::from_response(400, body.to_string().as_bytes(), None);
    assert!(e.description.unwrap().chars().count() <= MAX_DESCRIPTION_CHARS + 1);
}

#[test]
fn auth_class() {
    for (status, id) in [
        (400, "MissingAuthHeader"),
        (401, "MissingAuthHeader"),
        (400, "InvalidToken"),
        (401, "InvalidJWTToken"),
        (401, "InvalidDeviceIssuedJWT"),
        (401, "SessionTokenExpired"),
        (404, "UnregisteredDevice"),
    ] {
        let body = format!(r#"{{"code":{status},"error":"{id}"}}"#);
        assert!(
            ApiError::from_response(status, body.as_bytes(), None).is_auth(),
            "{id}"
        );
    }
    assert!(!ApiError::from_response(401, br#"{"code":401,"error":"InvalidOtp"}"#, None).is_auth());
    assert!(!ApiError::network("x").is_auth());
}

#[test]
fn class_table() {
    let class = |status: u16, id: &str| {
        let body = format!(r#"{{"code":{status},"error":"{id}"}}"#);
        ApiError::from_response(status, body.as_bytes(), None).class()
    };
    assert_eq!(class(401, "InvalidJWTToken"), ErrorClass::Auth);
    assert_eq!(class(503, "StoreUnavailable"), ErrorClass::Retryable);
    assert_eq!(class(412, "MissingTaxSync"), ErrorClass::Stale);
    assert_eq!(class(409, "InvalidKey"), ErrorClass::Stale);
    assert_eq!(class(422, "CreditCardDeclined"), ErrorClass::UserFixable);
    assert_eq!(class(400, "ErrorInvalidEmail"), ErrorClass::UserFixable);
    assert_eq!(class(422, "ErrorNotEnoughStock"), ErrorClass::UserFixable);
    assert_eq!(class(409, "UserMustLogin"), ErrorClass::Flow);
    assert_eq!(class(412, "NoLineItemError"), ErrorClass::Flow);
    assert_eq!(class(404, "ProductUrlNotImplemented"), ErrorClass::Fallback);
    assert_eq!(class(501, "NotImplemented"), ErrorClass::Fallback);
    assert_eq!(class(404, "ShopNotFound"), ErrorClass::Fallback);
    assert_eq!(class(500, "Unexpected"), ErrorClass::Retryable);
    assert_eq!(class(418, "Teapot"), ErrorClass::Other);
    assert_eq!(ApiError::timeout("t").class(), ErrorClass::Transport);
    assert_eq!(
        ApiError::outcome_unknown("t").class(),
        ErrorClass::Transport
    );
    assert_eq!(ApiError::validation("v").class(), ErrorClass::UserFixable);
    assert_eq!(ApiError::decode("a", "b").class(), ErrorClass::Other);
}

#[test]
fn server_errors_name_their_field() {
    let e = ApiError::from_response(
        422,
        br#"{"code":422,"error":"CreditCardInvalidSecurityCode"}"#,
        None,
    );
    assert_eq!(e.field, Some(Field::Cvv));
    let e = ApiError::from_response(
        422,
        br#"{"code":422,"error":"CreditCardInvalidExpiryYear"}"#,
        None,
    );
    assert_eq!(e.field, Some(Field::ExpYear));
    let e = ApiError::from_response(400, br#"{"error":"ErrorInvalidPromoCode"}"#, None);
    assert_eq!(e.field, Some(Field::Promo));
}

#[test]
fn every_code_round_trips_by_name() {
    for c in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(c).unwrap(),
            serde_json::json!(c.as_str())
        );
        if *c != ErrorCode::Unmapped {
            assert_eq!(ErrorCode::from_id(c.as_str()), *c, "{c}");
        }
    }
}

#[test]
fn display_has_the_servers_id_and_request_id() {
    let e = ApiError::from_response(
        404,
        br#"{"code":404,"error":"CartNotFound","description":"Cart was not found."}"#,
        Some("abc".into()),
    );
    assert_eq!(
        e.to_string(),
        "CartNotFound: Cart was not found. (HTTP 404) [request abc]"
    );
}
