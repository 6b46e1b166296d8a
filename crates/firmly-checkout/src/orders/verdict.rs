//! What a completion's answer, or its absence, proves about an order. Pure functions, tested
//! as tables. Three outcomes, honestly assigned:
//! - placed: an order answer (even one our models cannot read), or the cart seen submitted;
//! - not placed: the request provably never left (no connection), or the server answered
//!   with a documented rejection that comes before any charge (the CHK errors of the
//!   completion pages, `002_599d5acdabf6b74d.txt:8186`, `:8514`, `:7827`; card errors; key;
//!   auth; validation);
//! - unknown: everything else — a timeout, a dropped response, a 5xx, an id this app does not
//!   know, a changed or emptied cart, a 404 after the attempt.

use firmly_api::{ApiError, CartV2, ErrorClass, ErrorCode};

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
        (_, Some(s)) if s >= 500 => Verdict::Unknown,
        (code, Some(_)) if documented_rejection(code) => Verdict::NotPlaced,
        _ => Verdict::Unknown,
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
            (server(503, "StoreUnavailable"), Unknown),
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
