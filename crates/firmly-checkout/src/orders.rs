//! Exactly-once order placement (ARCHITECTURE.md contract 5): at most one completion call
//! per cart is in flight, a completion is never retried blindly, and when its outcome is
//! lost (timeout, dropped connection, 5xx) the cart is re-read to learn what really happened.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use firmly_api::{ApiError, CartV2};

/// The set of merchant domains with a completion in flight.
#[derive(Debug, Default, Clone)]
pub struct OrderGuard {
    in_flight: Arc<Mutex<HashSet<String>>>,
}

/// Releases the domain when dropped, whatever way the completion ended.
#[derive(Debug)]
pub struct InFlight {
    guard: OrderGuard,
    domain: String,
}

impl OrderGuard {
    /// Claims the right to complete `domain`'s cart, or says an order is already being placed.
    pub fn begin(&self, domain: &str) -> Result<InFlight, ApiError> {
        let mut set = self
            .in_flight
            .lock()
            .map_err(|_| ApiError::internal("order guard poisoned"))?;
        if !set.insert(domain.to_string()) {
            return Err(ApiError {
                code: "OrderInProgress".into(),
                message: "An order for this cart is already being placed. Wait for it to finish."
                    .into(),
                status: None,
                description: None,
                retryable: false,
                request_id: None,
            });
        }
        Ok(InFlight {
            guard: self.clone(),
            domain: domain.to_string(),
        })
    }

    pub fn is_in_flight(&self, domain: &str) -> bool {
        self.in_flight
            .lock()
            .map(|s| s.contains(domain))
            .unwrap_or(false)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut set) = self.guard.in_flight.lock() {
            set.remove(&self.domain);
        }
    }
}

/// Whether a failed completion may nevertheless have placed the order: the request may
/// have reached the merchant (lost response, timeout, server error) rather than being
/// refused for a reason the API named.
pub fn outcome_may_be_lost(err: &ApiError) -> bool {
    match err.code.as_str() {
        "Network" | "Timeout" => true,
        _ => matches!(err.status, Some(s) if s >= 500) && !err.is("StoreUnavailable"),
    }
}

/// What re-reading the cart after a lost completion tells.
#[derive(Debug, PartialEq)]
pub enum Reconciled {
    /// The cart we tried to complete is submitted: the order exists.
    Placed(Box<CartV2>),
    /// The cart is still open: nothing was placed.
    NotPlaced,
}

/// Decides from the cart read after a lost completion whether the order was placed.
/// `before_cart_id` is the id of the cart the completion was for.
pub fn reconcile(before_cart_id: Option<&str>, after: CartV2) -> Reconciled {
    let same_cart = match (before_cart_id, after.cart_id.as_deref()) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    if same_cart && after.is_submitted() {
        Reconciled::Placed(Box::new(after))
    } else {
        Reconciled::NotPlaced
    }
}

/// Pause between reconciliation reads.
pub const RECONCILE_DELAYS: [Duration; 3] = [
    Duration::from_millis(0),
    Duration::from_millis(400),
    Duration::from_millis(1200),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn cart(json: serde_json::Value) -> CartV2 {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn one_completion_per_domain_at_a_time() {
        let g = OrderGuard::default();
        let first = g.begin("a.test").unwrap();
        assert_eq!(g.begin("a.test").unwrap_err().code, "OrderInProgress");
        // Another merchant is independent.
        let _other = g.begin("b.test").unwrap();
        drop(first);
        assert!(g.begin("a.test").is_ok());
    }

    #[test]
    fn lost_outcomes_are_network_timeouts_and_5xx() {
        assert!(outcome_may_be_lost(&ApiError::network("reset")));
        assert!(outcome_may_be_lost(&ApiError::timeout("slow")));
        let declined = ApiError::from_response(
            422,
            br#"{"code":422,"error":"CreditCardDeclined","description":"Declined"}"#,
            None,
        );
        assert!(!outcome_may_be_lost(&declined));
        let boom = ApiError::from_response(
            500,
            br#"{"code":500,"error":"Unexpected","description":"x"}"#,
            None,
        );
        assert!(outcome_may_be_lost(&boom));
    }

    #[test]
    fn reconcile_reads_the_submitted_cart() {
        let placed = cart(serde_json::json!({
            "cart_id": "c1", "cart_status": "submitted", "platform_order_number": "SBX-1", "line_items": []
        }));
        assert!(matches!(
            reconcile(Some("c1"), placed),
            Reconciled::Placed(_)
        ));
        let open =
            cart(serde_json::json!({"cart_id": "c1", "cart_status": "active", "line_items": []}));
        assert_eq!(reconcile(Some("c1"), open), Reconciled::NotPlaced);
        let other = cart(
            serde_json::json!({"cart_id": "c2", "cart_status": "submitted", "line_items": []}),
        );
        assert_eq!(reconcile(Some("c1"), other), Reconciled::NotPlaced);
    }
}
