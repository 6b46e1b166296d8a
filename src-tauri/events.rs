//! Events the backend sends to the UI (typed through tauri-specta).

use firmly_api::ApiError;
use firmly_checkout::paypal::PaypalRefusal;
use firmly_checkout::{AppInfo, CartView, EventSink, MoneyView, OrderReportView, OrderView};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::sync::OnceLock;
use tauri::{AppHandle, Emitter, Manager, Runtime};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum PaypalState {
    Open,
    Approved,
    Cancelled,
    Error,
}

/// Why PayPal ended without an approval (facts; the UI words them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PaypalEnd {
    /// The buyer cancelled in PayPal.
    Cancelled,
    /// The PayPal window was closed before an approval.
    WindowClosed,
    /// The return was refused: no checkout started for this cart.
    NotStarted,
    /// The return was refused: it belongs to another checkout.
    OtherCheckout,
}

impl From<PaypalRefusal> for PaypalEnd {
    fn from(r: PaypalRefusal) -> Self {
        match r {
            PaypalRefusal::NotStarted => PaypalEnd::NotStarted,
            PaypalRefusal::OtherCheckout => PaypalEnd::OtherCheckout,
        }
    }
}

/// Where the PayPal popup stands, as facts: the approved account, why it ended, or the
/// error of the approval's last step. No sentence is made here; the UI words each fact.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct PaypalStatus {
    pub domain: String,
    pub state: PaypalState,
    /// The PayPal account that approved (state `approved`).
    pub account: Option<String>,
    /// Why it ended without an approval (states `cancelled` and `error`).
    pub end: Option<PaypalEnd>,
    /// The error of recording the approval (state `error`).
    pub error: Option<ApiError>,
}

/// The kiosk idle rule (decided in Rust): the session ends in `seconds_left`, or the
/// warning is over (`None`).
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct IdleWarning {
    pub seconds_left: Option<u32>,
}

/// The customer session was wiped (idle timeout or "End session"): forget everything shown.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct SessionWiped(pub AppInfo);

/// Orders an earlier run left in flight were settled at start-up.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct StartupSettled(pub Vec<OrderReportView>);

/// The staff panel's orders changed (an order of a customer who left settled, or an
/// unknown order was handed to staff): a staff panel that is open reads them again.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct StaffUpdated;

/// One merchant's row of a pay-all run moved on (waiting → paying → its outcome).
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct PayAllProgressed {
    pub domain: String,
    pub progress: firmly_checkout::PayAllProgress,
}

/// Sends a typed event to every webview under its `Event::NAME`: the name the bindings listen
/// to (tauri-specta's `Event::emit` sends the same, once its builder has registered the event;
/// the app does not build that registry: `specta_builder`). Tested in `tests/ipc.rs`.
pub fn emit<R: Runtime, E: Event + Serialize + Clone>(
    app: &AppHandle<R>,
    ev: E,
) -> tauri::Result<()> {
    app.emit(E::NAME, ev)
}

/// Sends service events to the window as Tauri events.
///
/// The desk starts before Tauri's app exists (src-tauri/lib.rs `run`): its sink is made
/// without the app and `attach`ed to it in `setup`. An event sent before that is dropped, as
/// one sent before the page listens is: the page asks for the state it draws once it listens
/// (ui/src/session.ts `boot`).
pub struct TauriEvents<R: Runtime> {
    app: OnceLock<AppHandle<R>>,
}

impl<R: Runtime> TauriEvents<R> {
    /// A sink for an app that does not exist yet.
    pub fn pending() -> TauriEvents<R> {
        TauriEvents {
            app: OnceLock::new(),
        }
    }

    /// From now on, events reach this app's windows (the first app attached stays).
    pub fn attach(&self, app: AppHandle<R>) {
        let _ = self.app.set(app);
    }

    fn send<E: Event + Serialize + Clone>(&self, ev: E, what: &str) {
        let Some(app) = self.app.get() else {
            tracing::debug!("{what} before the window existed: not sent");
            return;
        };
        if let Err(e) = emit(app, ev) {
            tracing::warn!(error = %e, "{what} not delivered");
        }
    }
}

impl<R: Runtime> EventSink for TauriEvents<R> {
    fn cart_updated(&self, cart: &CartView, hive_total: &[MoneyView]) {
        self.send(
            CartUpdated {
                cart: cart.clone(),
                hive_total: hive_total.to_vec(),
            },
            "cart-updated",
        );
    }
    fn order_placed(&self, order: &OrderView) {
        self.send(OrderPlaced(order.clone()), "order-placed");
    }
    fn idle_warning(&self, seconds_left: Option<u32>) {
        self.send(IdleWarning { seconds_left }, "idle-warning");
    }
    fn session_wiped(&self, info: &AppInfo) {
        // PayPal's window belongs to the customer who just left.
        if let Some(app) = self.app.get() {
            if let Some(w) = app.get_webview_window(crate::desktop::PAYPAL) {
                let _ = w.close();
            }
            // So does a link the shopper was reading.
            crate::desk_tools::close_viewer(app);
        }
        self.send(SessionWiped(info.clone()), "session-wiped");
    }
    fn startup_settled(&self, orders: &[OrderReportView]) {
        self.send(StartupSettled(orders.to_vec()), "startup-settled");
    }
    fn staff_updated(&self) {
        self.send(StaffUpdated, "staff-updated");
    }
    fn pay_all_progress(&self, domain: &str, progress: &firmly_checkout::PayAllProgress) {
        self.send(
            PayAllProgressed {
                domain: domain.to_string(),
                progress: progress.clone(),
            },
            "pay-all-progressed",
        );
    }
}
