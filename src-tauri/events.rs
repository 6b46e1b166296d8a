//! Events the backend sends to the UI (typed through tauri-specta).

use firmly_checkout::{CartView, EventSink, MoneyView, OrderView};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Runtime};
use tauri_specta::Event;

/// A cart changed (after any mutation or read); the UI re-renders from it. The hive
/// total (all open carts, per currency) is computed in Rust: the UI never adds money.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct CartUpdated {
    pub cart: CartView,
    pub hive_total: Vec<MoneyView>,
}

/// An order was placed (also after reconciliation of a lost response).
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct OrderPlaced(pub OrderView);

/// Progress of the PayPal approval popup.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct PaypalStatus {
    pub domain: String,
    /// `open`, `approved`, `cancelled` or `error`.
    pub state: String,
    pub message: Option<String>,
}

/// Sends service events to the window as Tauri events.
pub struct TauriEvents<R: Runtime> {
    pub app: AppHandle<R>,
}

impl<R: Runtime> EventSink for TauriEvents<R> {
    fn cart_updated(&self, cart: &CartView, hive_total: &[MoneyView]) {
        let ev = CartUpdated {
            cart: cart.clone(),
            hive_total: hive_total.to_vec(),
        };
        if let Err(e) = ev.emit(&self.app) {
            tracing::warn!(error = %e, "cart-updated not delivered");
        }
    }
    fn order_placed(&self, order: &OrderView) {
        if let Err(e) = OrderPlaced(order.clone()).emit(&self.app) {
            tracing::warn!(error = %e, "order-placed not delivered");
        }
    }
}
