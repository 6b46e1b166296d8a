//! Orders as the UI shows them: placed, not placed, or unknown (pending, with the cause),
//! how they were paid, the reports of earlier runs and the staff panel's list.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::*;

/// How an order was (or will be) paid, without any secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum PaymentKind {
    Card,
    SavedCard,
    PayPal,
}

/// An order whose outcome is not known yet: the request may still land. Never pay again
/// until it is settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PendingOrderView {
    /// The journal record's id (staff settle it by this).
    pub id: String,
    pub domain: String,
    pub cart_id: Option<String>,
    pub payment: PaymentKind,
    /// RFC 3339 time the completion was sent.
    pub started_at: String,
    /// How many times the cart was re-read for evidence.
    pub checks: u32,
    pub last_checked_at: Option<String>,
    /// Still checking by itself (bounded polling with backoff).
    pub checking: bool,
    /// Why the outcome is unknown; `None` when nothing was recorded.
    pub cause: Option<UnknownCause>,
    /// Still unknown after the time limit: handed to staff, who settle it with the merchant;
    /// it no longer blocks paying the cart.
    pub with_staff: bool,
}

/// Why an order's outcome is unknown. The UI words it in the shopper's language;
/// [`UnknownCause::text`] is the English wording for the CLI and the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnknownCause {
    /// The merchant did not answer in time.
    Timeout,
    /// The connection dropped before the answer arrived.
    ConnectionDropped,
    /// The server failed (HTTP 5xx) while placing the order.
    ServerFailed { status: u16 },
    /// The server answered an error that proves neither outcome.
    ServerAnswered { status: u16, error_id: String },
    /// The desk stopped (closed or crashed) while the order was being placed.
    Interrupted,
    /// Any other problem, in the words it came with (a transport's or a merchant's).
    Other { message: String },
}

impl UnknownCause {
    /// In English, for the CLI and the log.
    pub fn text(&self) -> String {
        match self {
            UnknownCause::Timeout => "The merchant did not answer in time.".into(),
            UnknownCause::ConnectionDropped => {
                "The connection dropped before the answer arrived.".into()
            }
            UnknownCause::ServerFailed { status } => {
                format!("The server failed while placing the order (HTTP {status}).")
            }
            UnknownCause::ServerAnswered { status, error_id } => {
                format!("The server answered {error_id} (HTTP {status}).")
            }
            UnknownCause::Interrupted => {
                "The desk stopped while the order was being placed.".into()
            }
            UnknownCause::Other { message } => message.clone(),
        }
    }
}

/// How an order was paid, from the order answer. The UI words it in the shopper's language
/// (the confirmation, and the receipt file's words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaidWith {
    /// A card: its network's name (`None` when the answer gives none) and last four digits.
    Card {
        brand: Option<String>,
        last_four: Option<String>,
    },
    /// PayPal, with the payer's email when the answer gives it.
    #[serde(rename = "paypal")]
    PayPal { email: Option<String> },
    /// The answer does not say (an unreadable answer, or no payment method in it).
    NotStated,
}

/// The result of placing (or settling) one order.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OrderOutcome {
    Placed {
        order: Box<OrderView>,
    },
    /// Provably not placed: nothing was charged; the cart and the input are kept.
    NotPlaced {
        error: firmly_api::ApiError,
    },
    /// May still land: do not pay again.
    Unknown {
        pending: PendingOrderView,
    },
}

/// An order of an earlier run, settled at start-up.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct OrderReportView {
    pub domain: String,
    pub outcome: OrderOutcome,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct HiveView {
    pub carts: Vec<CartView>,
    pub total: Vec<MoneyView>,
}

/// A QR code to draw: `size` rows of `size` modules, `1` dark and `0` light (the quiet zone
/// is the drawer's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct QrView {
    pub size: u32,
    pub rows: Vec<String>,
    /// What the code says.
    pub url: String,
}

/// The staff panel's orders.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct StaffView {
    /// Every unsettled order in the journal, whoever's device (still checking, unknown, or
    /// handed to staff after the time limit).
    pub pending: Vec<PendingOrderView>,
    /// Outcomes that settled after their customer left, and an earlier run's (latest last).
    pub reports: Vec<OrderReportView>,
}
