//! Order placement, in one home (ARCHITECTURE.md contract 5): one [`Payment`] type for card,
//! saved card, wallet and PayPal; the in-process guard and the cross-process journal lock;
//! the in-flight record written before the request is sent; the completion; the verdict on
//! its answer; and reconciliation of an unknown outcome by polling for evidence with backoff.
//! A completion is never retried blindly: only after a documented rejection that came before
//! any charge (a rotated key, taxes not synced) is it sent once more.

mod complete;
pub mod journal;
pub mod key;
mod pay_all;
mod place;
mod reconcile;
pub mod verdict;

use std::collections::HashSet;
use std::time::Duration;

use firmly_api::{ApiError, CardDetails, ErrorCode};
use parking_lot::Mutex;

use crate::settings::CardEncryption;
use crate::view::PaymentKind;

pub use journal::{InFlightRecord, OrderJournal, RecordCause, RecordPayment, RecordState};
pub use key::KeyCache;
pub use pay_all::{PayAllEntry, PayAllPreview, PayAllProgress, PayAllSkip};

/// How an order is paid. The card lives here only until the order settles and is wiped on
/// drop (`CardDetails` zeroizes itself).
pub enum Payment {
    /// A new card, encrypted with the vault key the desk holds (`key.rs`; JWE v3 or per-field
    /// v2).
    Card {
        card: CardDetails,
        encryption: CardEncryption,
        /// A billing address different from the shipping one.
        billing: Option<Box<crate::view::AddressView>>,
    },
    /// A saved card of the merchant account or of an unlocked wallet (`payment_method_options[].id`).
    SavedCard { payment_id: String },
    /// The approved PayPal express checkout of the cart.
    PayPal,
}

impl Payment {
    pub fn kind(&self) -> PaymentKind {
        match self {
            Payment::Card { .. } => PaymentKind::Card,
            Payment::SavedCard { .. } => PaymentKind::SavedCard,
            Payment::PayPal => PaymentKind::PayPal,
        }
    }
}

impl std::fmt::Debug for Payment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Payment::{:?}", self.kind())
    }
}

/// How long an unknown outcome is polled for, and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconcilePolicy {
    /// Reads done before the placing call returns (a quick answer for the common case).
    pub immediate: Vec<Duration>,
    /// Further reads in the background, with backoff; bounded.
    pub background: Vec<Duration>,
    /// Reads at start-up for an order of an earlier run (before a kiosk's wipe).
    pub at_start: Vec<Duration>,
    /// How long after it was sent an order still unknown is handed to staff (it then no
    /// longer blocks paying the cart).
    pub staff_after: Duration,
}

impl Default for ReconcilePolicy {
    fn default() -> Self {
        let ms = Duration::from_millis;
        ReconcilePolicy {
            immediate: vec![ms(300), ms(800)],
            background: vec![ms(1500), ms(3000), ms(6000), ms(12_000), ms(24_000)],
            at_start: vec![ms(0), ms(1000), ms(2000), ms(4000)],
            staff_after: Duration::from_secs(5 * 60),
        }
    }
}

impl ReconcilePolicy {
    /// Short delays for tests and the soak run.
    pub fn quick() -> ReconcilePolicy {
        let ms = Duration::from_millis;
        ReconcilePolicy {
            immediate: vec![ms(50), ms(100)],
            background: vec![ms(150), ms(300)],
            at_start: vec![ms(0), ms(100)],
            staff_after: Duration::from_secs(30),
        }
    }
}

/// The in-process part of the exactly-once rule: one completion per merchant at a time for
/// one customer (each customer has its own guard; a wipe never waits for it).
#[derive(Default)]
pub struct OrderGuard {
    busy: Mutex<HashSet<String>>,
    reconciling: Mutex<HashSet<String>>,
}

/// Releases the merchant when dropped, whatever way the completion ended.
pub struct InFlight<'a> {
    guard: &'a OrderGuard,
    domain: String,
}

impl OrderGuard {
    /// Claims the right to complete `domain`'s cart, or says an order is being placed.
    pub fn begin(&self, domain: &str) -> Result<InFlight<'_>, ApiError> {
        if !self.busy.lock().insert(domain.to_string()) {
            return Err(ApiError::new(
                ErrorCode::OrderInProgress,
                "An order for this cart is already being placed. Wait for it to finish.",
            ));
        }
        Ok(InFlight {
            guard: self,
            domain: domain.to_string(),
        })
    }

    pub fn is_busy(&self, domain: &str) -> bool {
        self.busy.lock().contains(domain) || self.reconciling.lock().contains(domain)
    }

    pub(crate) fn start_reconciling(&self, domain: &str) -> bool {
        self.reconciling.lock().insert(domain.to_string())
    }

    pub(crate) fn stop_reconciling(&self, domain: &str) {
        self.reconciling.lock().remove(domain);
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.guard.busy.lock().remove(&self.domain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_completion_per_domain_at_a_time() {
        let g = OrderGuard::default();
        let first = g.begin("a.test").unwrap();
        assert_eq!(
            g.begin("a.test").err().unwrap().code,
            ErrorCode::OrderInProgress
        );
        let _other = g.begin("b.test").unwrap();
        drop(first);
        assert!(g.begin("a.test").is_ok());
    }
}
