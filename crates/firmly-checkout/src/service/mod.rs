//! The application service: every user action of the desktop app and the CLI is one method
//! here. It keeps the multi-merchant cart set (the "hive"), serializes mutations per merchant
//! domain, emits a change event after every cart change, and keeps card data in memory only
//! until it is encrypted. Sections live in submodules: carts, shipments, checkout (address,
//! consents, PayPal, login, wallet), session (start-up, idle, wipe) and support. Order
//! placement has its own home in [`crate::orders`].
//!
//! Locks: `parking_lot` mutexes (no poisoning, so a panic elsewhere can never make a kiosk
//! wipe skip its work) for short in-memory sections; per-merchant `tokio` mutexes around
//! network mutations.

mod carts;
mod checkout;
mod session;
mod shipments;
mod support;
mod warm;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use firmly_api::{ApiError, CartV2, Consent, ErrorClass, ErrorCode, FirmlyClient, Money};
use parking_lot::Mutex;

use crate::audit::AuditLog;
use crate::mapping::{self, CartContext};
use crate::orders::{OrderGuard, OrderJournal, ReconcilePolicy};
use crate::storage::{Mode, Persistence};
use crate::validation;
use crate::view::*;

pub use carts::HIVE_CONCURRENCY;
pub use checkout::{AddonChoice, ShipmentChoice};
pub use session::{IdleClock, IdleTick};

pub type Result<T> = std::result::Result<T, ApiError>;

/// The checkout component whose health is asked for (the docs' example id,
/// `002_599d5acdabf6b74d.txt:12293`).
pub const HEALTH_COMPONENT: &str = "v2024-02-27-0-chkt";

/// Receives state changes for the UI (the app turns them into Tauri events).
pub trait EventSink: Send + Sync {
    /// A cart changed; `hive_total` is the new total over all open carts, per currency.
    fn cart_updated(&self, cart: &CartView, hive_total: &[MoneyView]);
    fn order_placed(&self, order: &OrderView);
    /// The kiosk idle rule: the session ends in `seconds_left` unless someone touches the
    /// screen (`None` = the warning is over).
    fn idle_warning(&self, _seconds_left: Option<u32>) {}
    /// The customer session was wiped (idle timeout or "End session").
    fn session_wiped(&self, _info: &AppInfo) {}
    /// Orders of an earlier run were settled at start-up.
    fn startup_settled(&self, _orders: &[OrderReportView]) {}
}

/// An event sink that drops everything (CLI, tests).
pub struct NoEvents;
impl EventSink for NoEvents {
    fn cart_updated(&self, _: &CartView, _: &[MoneyView]) {}
    fn order_placed(&self, _: &OrderView) {}
}

/// What the service was started against.
#[derive(Debug, Clone)]
pub struct Environment {
    pub kind: EnvironmentKind,
    pub mode: Mode,
    /// The configured merchants (demo list in the sandbox, a fleet policy's list, or none).
    pub merchants: Vec<MerchantView>,
    pub idle_seconds: u32,
    /// UI language (`en`, `es`).
    pub language: String,
    /// Settings locked by a fleet policy.
    pub locked_settings: Vec<String>,
}

/// The merchants of the embedded sandbox (CONTRACTS.md §3).
pub fn demo_merchants() -> Vec<MerchantView> {
    [
        ("staging.luma.gift", "Luma"),
        ("homegoods.test", "HomeGoods"),
        ("gadgets.test", "Gadgets"),
        ("members.test", "Members Club"),
    ]
    .into_iter()
    .map(|(d, n)| MerchantView {
        domain: d.into(),
        display_name: n.into(),
    })
    .collect()
}

/// Everything the service is built from (see [`crate::desk::Desk`], the one composition root).
pub struct ServiceParts {
    pub client: FirmlyClient,
    pub persistence: Persistence,
    pub env: Environment,
    pub events: Arc<dyn EventSink>,
    pub journal: Arc<OrderJournal>,
    pub policy: ReconcilePolicy,
    pub audit: Option<Arc<AuditLog>>,
}

pub struct CheckoutService {
    pub(crate) me: Weak<CheckoutService>,
    pub(crate) client: FirmlyClient,
    pub(crate) persistence: Persistence,
    pub(crate) env: Environment,
    pub(crate) events: Arc<dyn EventSink>,
    pub(crate) hive: Mutex<BTreeMap<String, Arc<CartV2>>>,
    /// Per-merchant read failures, shown on that merchant's tab.
    pub(crate) load_errors: Mutex<HashMap<String, ApiError>>,
    pub(crate) consents: Mutex<HashMap<String, Vec<Consent>>>,
    /// Slots this desk asked for: domain → shipment id → slot id (shown as booked only when
    /// the cart echoes them).
    pub(crate) requested_slots: Mutex<HashMap<String, HashMap<String, String>>>,
    pub(crate) domain_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    pub(crate) orders: OrderGuard,
    pub(crate) journal: Arc<OrderJournal>,
    pub(crate) policy: ReconcilePolicy,
    pub(crate) audit: Option<Arc<AuditLog>>,
    /// The last payment handle seen per merchant: later answers may omit it (it is issued
    /// with the shipping or billing info, `002_599d5acdabf6b74d.txt:10028`).
    pub(crate) handles: Mutex<HashMap<String, String>>,
    /// The PayPal checkout in progress (token, return URL), per domain.
    pub(crate) paypal_tokens: Mutex<HashMap<String, crate::paypal::PaypalStart>>,
    /// The wallet unlock in progress: wallet name → its `access_token` from unlock-start.
    pub(crate) wallet_unlocks: Mutex<HashMap<String, String>>,
    /// The customer session's generation: a wipe or an import starts a new one, and nothing
    /// begun in an older one is published into it.
    pub(crate) epoch: AtomicU64,
    /// False while an earlier run's order is being settled at start-up.
    pub(crate) ready: AtomicBool,
    pub(crate) startup_orders: Mutex<Vec<OrderReportView>>,
    pub(crate) idle: IdleClock,
    /// Carts published so far (every `publish_in` and `republish`): a warm read is true only
    /// while this has not moved since (`warm.rs`).
    pub(crate) changes: AtomicU64,
    /// The start-up's warm read of the carts, until the first `hive` takes it (`warm.rs`).
    pub(crate) warm_task: Mutex<Option<warm::WarmTask>>,
    /// The warm-up's call for the active merchants (`warm.rs`), for `app_info`.
    pub(crate) warm_domains: Mutex<Option<warm::WarmDomains>>,
}

impl CheckoutService {
    pub fn new(parts: ServiceParts) -> Arc<CheckoutService> {
        let idle = IdleClock::new(parts.env.idle_seconds);
        Arc::new_cyclic(|me| CheckoutService {
            me: me.clone(),
            client: parts.client,
            persistence: parts.persistence,
            env: parts.env,
            events: parts.events,
            hive: Mutex::new(BTreeMap::new()),
            load_errors: Mutex::new(HashMap::new()),
            consents: Mutex::new(HashMap::new()),
            requested_slots: Mutex::new(HashMap::new()),
            domain_locks: Mutex::new(HashMap::new()),
            orders: OrderGuard::default(),
            journal: parts.journal,
            policy: parts.policy,
            audit: parts.audit,
            handles: Mutex::new(HashMap::new()),
            paypal_tokens: Mutex::new(HashMap::new()),
            wallet_unlocks: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            ready: AtomicBool::new(true),
            startup_orders: Mutex::new(Vec::new()),
            idle,
            changes: AtomicU64::new(0),
            warm_task: Mutex::new(None),
            warm_domains: Mutex::new(None),
        })
    }

    /// A strong handle to this service, for background tasks.
    pub(crate) fn arc(&self) -> Option<Arc<CheckoutService>> {
        self.me.upgrade()
    }

    pub fn client(&self) -> &FirmlyClient {
        &self.client
    }

    pub fn persistence(&self) -> &Persistence {
        &self.persistence
    }

    pub fn environment(&self) -> &Environment {
        &self.env
    }

    pub fn mode(&self) -> Mode {
        self.env.mode
    }

    /// Refuses what a kiosk must not do, whatever the UI shows (CONTRACTS.md §1 modes).
    pub fn refuse_on_kiosk(&self, what: &str) -> Result<()> {
        if self.env.mode == Mode::Kiosk {
            Err(ApiError::mode_restricted(format!(
                "{what} is not available on a kiosk."
            )))
        } else {
            Ok(())
        }
    }

    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    pub(crate) fn audit(&self, domain: Option<&str>, action: &str, outcome: &str) {
        if let Some(a) = &self.audit {
            a.record(self.env.mode, domain, action, outcome);
        }
    }

    /// False while an earlier run's order is being settled at start-up.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }

    /// Fails while the desk is still settling an earlier run's order (start-up).
    pub(crate) fn ensure_ready(&self) -> Result<()> {
        if self.ready.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::DeskNotReady,
                "One moment: the desk is checking the last order of the previous session.",
            ))
        }
    }

    fn display_name(&self, domain: &str) -> String {
        self.env
            .merchants
            .iter()
            .find(|m| m.domain == domain)
            .map(|m| m.display_name.clone())
            .unwrap_or_else(|| domain.to_string())
    }

    pub(crate) fn lock_for(&self, domain: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.domain_locks
            .lock()
            .entry(domain.to_string())
            .or_default()
            .clone()
    }

    /// The merchant domain of a command, validated as a hostname (`https://Shop.example/` →
    /// `shop.example`).
    pub(crate) fn domain(&self, domain: &str) -> Result<String> {
        if domain.trim().is_empty() {
            return Err(ApiError::field("domain", "Choose a merchant first."));
        }
        validation::check_domain(domain)
    }

    /// The device's current id (for matching pending orders to this customer).
    pub(crate) fn device_id(&self) -> String {
        self.persistence.session().device_id
    }

    /// The unknown-outcome order of this customer's cart at `domain`, if any.
    pub(crate) fn pending_view(&self, domain: &str) -> Option<PendingOrderView> {
        let device = self.device_id();
        self.journal
            .cached()
            .into_iter()
            .find(|r| r.domain == domain && r.session.device_id == device)
            .map(|r| r.view(self.orders.is_busy(domain)))
    }

    /// The view of a cart with everything the service knows about it.
    pub(crate) fn view_of(&self, domain: &str, cart: &CartV2) -> CartView {
        let consents = self.consents.lock().get(domain).cloned();
        let slots = self.requested_slots.lock().get(domain).cloned();
        let load_error = self.load_errors.lock().get(domain).cloned();
        let merchant_site = load_error
            .as_ref()
            .filter(|e| e.class() == ErrorClass::Fallback)
            .map(|_| format!("https://{domain}/"));
        mapping::cart_view(
            domain,
            &self.display_name(domain),
            cart,
            CartContext {
                consents: consents.as_deref(),
                pending: self.pending_view(domain),
                requested_slots: slots.as_ref(),
                load_error,
                merchant_site,
            },
        )
    }

    fn hive_total_locked(hive: &BTreeMap<String, Arc<CartV2>>) -> Vec<MoneyView> {
        hive_total(hive.values().map(|c| &**c))
    }

    /// Records the cart, remembers its domain and tells the UI. Nothing is published when the
    /// customer session changed since `epoch` (a wipe never receives the previous customer's
    /// cart).
    pub(crate) fn publish_in(
        &self,
        epoch: u64,
        domain: &str,
        cart: impl Into<Arc<CartV2>>,
    ) -> Result<CartView> {
        let cart: Arc<CartV2> = cart.into();
        if epoch != self.epoch() {
            return Err(ApiError::new(
                ErrorCode::SessionEnded,
                "The customer session ended while this was running.",
            ));
        }
        let view = self.view_of(domain, &cart);
        let has_items = !cart.line_items.is_empty();
        if let Some(h) = cart.payment_handle.clone().filter(|h| !h.is_empty()) {
            self.handles.lock().insert(domain.to_string(), h);
        }
        let total = {
            let mut h = self.hive.lock();
            self.changes.fetch_add(1, Ordering::SeqCst);
            h.insert(domain.to_string(), cart);
            Self::hive_total_locked(&h)
        };
        if has_items {
            self.remember_domains(std::slice::from_ref(&domain.to_string()));
            self.mark_dirty();
        }
        self.events.cart_updated(&view, &total);
        Ok(view)
    }

    /// Re-publishes the cached cart (after a change that is not a cart read: consents,
    /// pending order state, load errors).
    pub(crate) fn republish(&self, domain: &str) {
        let cart = self
            .hive
            .lock()
            .get(domain)
            .cloned()
            .unwrap_or_else(|| empty_cart(domain).into());
        let view = self.view_of(domain, &cart);
        let total = Self::hive_total_locked(&self.hive.lock());
        self.changes.fetch_add(1, Ordering::SeqCst);
        self.events.cart_updated(&view, &total);
    }

    /// Runs one cart mutation with the domain's lock held and publishes the new cart.
    pub(crate) async fn mutate<F, Fut>(&self, domain: &str, f: F) -> Result<CartView>
    where
        F: FnOnce(FirmlyClient, String) -> Fut,
        Fut: std::future::Future<Output = Result<CartV2>>,
    {
        self.ensure_ready()?;
        let domain = self.domain(domain)?;
        let epoch = self.epoch();
        let lock = self.lock_for(&domain);
        let _g = lock.lock().await;
        let cart = f(self.client.clone(), domain.clone()).await?;
        self.load_errors.lock().remove(&domain);
        self.publish_in(epoch, &domain, cart)
    }

    pub(crate) fn cached_cart(&self, domain: &str) -> Option<Arc<CartV2>> {
        self.hive.lock().get(domain).cloned()
    }

    /// The last answer kept for a merchant's cart, as received (a cheap clone: shared text).
    pub(crate) fn cached_raw(&self, domain: &str) -> Option<firmly_api::RawJson> {
        self.hive.lock().get(domain).map(|c| c.raw.clone())
    }

    /// The configured merchants, then every other domain this device has used.
    pub fn merchants(&self) -> Vec<MerchantView> {
        let mut out = self.env.merchants.clone();
        for d in self.persistence.session().known_domains {
            if !out.iter().any(|m| m.domain == d) {
                out.push(MerchantView {
                    display_name: d.clone(),
                    domain: d,
                });
            }
        }
        out
    }

    pub(crate) fn remember_domains(&self, domains: &[String]) {
        let known = self.persistence.session().known_domains;
        let new: Vec<String> = domains
            .iter()
            .filter(|d| !known.contains(d) && !self.env.merchants.iter().any(|m| &m.domain == *d))
            .cloned()
            .collect();
        if !new.is_empty() {
            self.persistence
                .update_session(|s| s.known_domains.extend(new));
        }
    }
}

/// `"ok"` or the error's code, for the audit log.
pub(crate) fn outcome_of<T>(r: &Result<T>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code.as_str(),
    }
}

/// A cart that does not exist yet: the documented `404 CartNotFound` means "no cart at this
/// merchant for this device", which the desk shows as an empty cart.
pub fn empty_cart(domain: &str) -> CartV2 {
    CartV2 {
        domain: Some(domain.to_string()),
        ..CartV2::default()
    }
}

/// Whether an error says "this device has no cart at this merchant" (v1 `CartNotFound`, v2
/// `ErrorCartNotFound`, `002_599d5acdabf6b74d.txt:2181`).
pub fn is_no_cart(e: &ApiError) -> bool {
    e.code == ErrorCode::CartNotFound
}

/// Sum of open carts' totals per currency, from the domain types (decimal arithmetic).
pub fn hive_total<'a>(carts: impl Iterator<Item = &'a CartV2>) -> Vec<MoneyView> {
    let mut sums: BTreeMap<String, Money> = BTreeMap::new();
    for c in carts.filter(|c| !c.line_items.is_empty() && !c.is_submitted()) {
        let total = c.totals().total;
        let entry = sums
            .entry(total.currency.clone())
            .or_insert_with(|| Money::zero(&total.currency));
        // Absurd server totals saturate instead of overflowing.
        entry.amount = entry.amount.saturating_add(total.amount);
    }
    sums.values().map(MoneyView::from).collect()
}
