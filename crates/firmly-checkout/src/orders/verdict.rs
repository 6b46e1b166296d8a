//! What a completion's answer, or its absence, proves about an order. Pure functions, tested
//! as tables. Three outcomes, honestly assigned from the documented signals only
//! (ENDPOINTS.md §8a "Which signals settle an order"):
//! - placed: an order answer (even one our models cannot read), or the same cart read back
//!   with the documented `cart_status: "submitted"`;
//! - not placed: the request provably never left (no connection), or the server answered
//!   with a documented rejection that comes before any charge (the CHK errors of the
//!   completion pages, ENDPOINTS.md §6.2; card errors; key; auth; validation), or the
//!   documented "store temporarily unavailable, try again later" (`StoreUnavailable` 503);
//! - unknown: everything else — a timeout, a dropped response, another 5xx, an id this app
//!   does not know, a changed or emptied cart, a 404 after the attempt (the docs do not say
//!   what a cart read answers after an order).

use firmly_api::{ApiError, CartV2, ErrorClass, ErrorCode};

use crate::view::UnknownCause;

/// What a failed completion call proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    NotPlaced,
    Unknown,
}

/// Ids the completion routes document as refusals made before payment is attempted.
fn documented_rejection(code: ErrorCode) -> bool {
    use ErrorCode::*;
    code.is_card()
        || code.class() == ErrorClass::Auth
        || matches!(
            code,
            MissingTaxSync
                | NoLineItem
                | Checkout
                | MissingShippingMethod
                | MissingShippingInfo
                | MissingEmail
                | MissingEmailAddressOnCheckout
                | UserMustLogin
                | InvalidKey
                | Validation
                | InvalidInputBody
                | BadRequest
                | MissingAppId
                | InvalidAppId
                | StartExpressCheckout
                | SubmitExpressCheckout
                | PaymentMethodNotAvailable
                | ConsentNotFound
        )
}

/// The verdict on a completion call that did not answer with an order.
pub fn after_failure(err: &ApiError) -> Verdict {
    match (err.code, err.status) {
        // No connection was made: nothing reached the server.
        (ErrorCode::Unreachable, _) => Verdict::NotPlaced,
        // Refused on our side before anything was sent.
        (code, None)
            if code.refused_before_sending()
                || matches!(code, ErrorCode::OrderInProgress | ErrorCode::OrderPending) =>
        {
            Verdict::NotPlaced
        }
        // Timeout, dropped connection, unreadable error: the request may have landed.
        (_, None) => Verdict::Unknown,
        // The documented "store temporarily unavailable, please try again later" of the
        // completion pages: the store did not take the order.
        (ErrorCode::StoreUnavailable, Some(503)) => Verdict::NotPlaced,
        (_, Some(s)) if s >= 500 => Verdict::Unknown,
        (code, Some(_)) if documented_rejection(code) => Verdict::NotPlaced,
        _ => Verdict::Unknown,
    }
}

/// Why a completion's outcome is unknown, from the failure that left it so.
pub fn unknown_cause(err: &ApiError) -> UnknownCause {
    match err.code {
        ErrorCode::Timeout => UnknownCause::Timeout,
        ErrorCode::Network => UnknownCause::ConnectionDropped,
        _ => match err.status {
            Some(status) if status >= 500 => UnknownCause::ServerFailed { status },
            Some(status) => UnknownCause::ServerAnswered {
                status,
                error_id: err.id().to_string(),
            },
            None => UnknownCause::Other {
                message: err.message.clone(),
            },
        },
    }
}

/// Whether a cart read after an unknown outcome proves the order was placed: the same cart
/// (by id), seen submitted. A changed, emptied or missing cart proves nothing.
pub fn placed_evidence(expected_cart_id: Option<&str>, read: &CartV2) -> bool {
    if !read.is_submitted() {
        return false;
    }
    match (expected_cart_id, read.cart_id.as_deref()) {
        (Some(want), Some(got)) => want == got,
        (None, _) => read.platform_order_number.is_some(),
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, id: &str) -> ApiError {
        ApiError::from_response(
            status,
            format!(r#"{{"code":{status},"error":"{id}","description":"x"}}"#).as_bytes(),
            None,
        )
    }

    #[test]
    fn verdict_table() {
        use Verdict::*;
        let table: Vec<(ApiError, Verdict)> = vec![
            (ApiError::unreachable("refused"), NotPlaced),
            (ApiError::network("reset after send"), Unknown),
            (ApiError::timeout("slow"), Unknown),
            (ApiError::decode(".", "garbage error body"), Unknown),
            (ApiError::validation("card"), NotPlaced),
            (
                ApiError::new(ErrorCode::AlreadyOrdered, "ordered"),
                NotPlaced,
            ),
            (server(422, "CreditCardDeclined"), NotPlaced),
            (server(422, "CreditCardInvalidExpiryMonth"), NotPlaced),
            (server(412, "CheckoutError"), NotPlaced),
            (server(412, "MissingTaxSync"), NotPlaced),
            (server(409, "InvalidKey"), NotPlaced),
            (server(409, "UserMustLogin"), NotPlaced),
            (server(401, "InvalidJWTToken"), NotPlaced),
            (server(400, "ErrorSubmitExpressCheckout"), NotPlaced),
            (server(500, "Unexpected"), Unknown),
            (server(503, "StoreUnavailable"), NotPlaced),
            (server(503, "ErrorServiceUnavailable"), Unknown),
            (server(500, "StoreUnavailable"), Unknown),
            (server(502, "CreditCardDeclined"), Unknown),
            (server(404, "CartNotFound"), Unknown),
            (server(409, "PleaseTryAgainLater"), Unknown),
            (server(409, "SomethingNew"), Unknown),
            (server(404, "RouteNotFound"), Unknown),
        ];
        for (err, want) in table {
            assert_eq!(after_failure(&err), want, "{err}");
        }
    }

    #[test]
    fn causes_of_an_unknown_outcome() {
        assert_eq!(
            unknown_cause(&ApiError::timeout("slow")),
            UnknownCause::Timeout
        );
        assert_eq!(
            unknown_cause(&ApiError::network("reset")),
            UnknownCause::ConnectionDropped
        );
        assert_eq!(
            unknown_cause(&server(502, "Unexpected")),
            UnknownCause::ServerFailed { status: 502 }
        );
        assert_eq!(
            unknown_cause(&server(409, "SomethingNew")),
            UnknownCause::ServerAnswered {
                status: 409,
                error_id: "SomethingNew".into()
            }
        );
    }

    fn cart(v: serde_json::Value) -> CartV2 {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn only_the_same_cart_seen_submitted_is_evidence() {
        let placed = cart(serde_json::json!({
            "cart_id": "c1", "cart_status": "submitted", "platform_order_number": "SBX-1", "line_items": []
        }));
        assert!(placed_evidence(Some("c1"), &placed));
        let open =
            cart(serde_json::json!({"cart_id": "c1", "cart_status": "active", "line_items": []}));
        assert!(!placed_evidence(Some("c1"), &open));
        let other = cart(
            serde_json::json!({"cart_id": "c2", "cart_status": "submitted", "line_items": []}),
        );
        assert!(
            !placed_evidence(Some("c1"), &other),
            "a changed cart id proves nothing"
        );
        let anonymous = cart(serde_json::json!({"cart_status": "submitted", "line_items": []}));
        assert!(!placed_evidence(Some("c1"), &anonymous));
    }
}
