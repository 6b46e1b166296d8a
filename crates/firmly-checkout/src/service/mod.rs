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
mod customer;
mod fulfillment;
mod session;
mod shipments;
mod staff;
mod support;
mod warm;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use firmly_api::{ApiError, CartV2, ClientConfig, ErrorClass, ErrorCode, FirmlyClient, Money};
use parking_lot::RwLock;

use crate::audit::AuditLog;
use crate::domain::Domain;
use crate::mapping::{self, CartContext};
use crate::orders::{OrderJournal, ReconcilePolicy};
use crate::settings::Mode;
use crate::settings::SettingsSource;
use crate::storage::Persistence;
use crate::view::*;

pub use carts::HIVE_CONCURRENCY;
pub use checkout::{AddonChoice, ShipmentChoice};
pub(crate) use customer::{CustomerSession, CustomerState};
pub use fulfillment::ShipmentStep;
pub use session::{IdleClock, IdleTick};
pub use staff::{Attempt, StaffGate, STAFF_SESSION};

pub type Result<T> = std::result::Result<T, ApiError>;

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
    /// One merchant's order of a pay-all run moved on (waiting, paying, its outcome).
    fn pay_all_progress(&self, _domain: &str, _progress: &crate::orders::PayAllProgress) {}
    /// The staff's list changed: an order of a customer who has left settled, or an
    /// unknown order ran out of time and was handed to staff.
    fn staff_updated(&self) {}
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
    /// How to reach the API; every customer gets a client of its own built from it.
    pub config: ClientConfig,
    pub persistence: Persistence,
    /// The settings in force (stored, with the environment's and the policy's).
    pub settings: SettingsSource,
    pub env: Environment,
    pub events: Arc<dyn EventSink>,
    pub journal: Arc<OrderJournal>,
    pub policy: ReconcilePolicy,
    pub audit: Option<Arc<AuditLog>>,
}

pub struct CheckoutService {
    pub(crate) me: Weak<CheckoutService>,
    pub(crate) config: ClientConfig,
    pub(crate) persistence: Persistence,
    pub(crate) settings: SettingsSource,
    pub(crate) env: Environment,
    pub(crate) events: Arc<dyn EventSink>,
    pub(crate) journal: Arc<OrderJournal>,
    pub(crate) policy: ReconcilePolicy,
    pub(crate) audit: Option<Arc<AuditLog>>,
    /// The customer at the desk. A wipe replaces it whole (`customer.rs`).
    customer: RwLock<Arc<CustomerState>>,
    generations: AtomicU64,
    /// False while an earlier run's order is being settled at start-up.
    pub(crate) ready: AtomicBool,
    pub(crate) ready_changed: tokio::sync::Notify,
    /// The staff's PIN pad and the outcomes that are theirs, not the customer's at the
    /// desk: an earlier run's, a customer's who has left.
    pub(crate) staff: staff::Staff,
    pub(crate) idle: IdleClock,
    /// The vault's payment key, fetched ahead and reused while valid.
    pub(crate) keys: Arc<crate::orders::KeyCache>,
}

impl CheckoutService {
    pub fn new(parts: ServiceParts) -> Result<Arc<CheckoutService>> {
        let idle = IdleClock::new(parts.env.idle_seconds);
        let session = CustomerSession::new(parts.persistence.clone());
        let client = FirmlyClient::new(parts.config.clone(), session.clone())?;
        let first = Arc::new(CustomerState::new(0, client, session));
        Ok(Arc::new_cyclic(|me| CheckoutService {
            me: me.clone(),
            config: parts.config,
            persistence: parts.persistence,
            settings: parts.settings,
            env: parts.env,
            events: parts.events,
            journal: parts.journal,
            policy: parts.policy,
            audit: parts.audit,
            customer: RwLock::new(first),
            generations: AtomicU64::new(0),
            ready: AtomicBool::new(true),
            ready_changed: tokio::sync::Notify::new(),
            staff: staff::Staff::default(),
            idle,
            keys: Arc::default(),
        }))
    }

    /// A strong handle to this service, for background tasks.
    pub(crate) fn arc(&self) -> Option<Arc<CheckoutService>> {
        self.me.upgrade()
    }

    /// The customer at the desk now. Work that must not cross into the next customer keeps
    /// this `Arc` and checks [`Self::is_current`] before it shows anything.
    pub(crate) fn customer(&self) -> Arc<CustomerState> {
        self.customer.read().clone()
    }

    pub(crate) fn is_current(&self, customer: &Arc<CustomerState>) -> bool {
        Arc::ptr_eq(customer, &self.customer.read())
    }

    /// Starts a new customer: the old one's whole state is dropped with its last user, its
    /// client stops writing into the store, and the persisted session is forgotten. Never
    /// waits: an order of the old customer goes on with its own client and journal record.
    pub(crate) fn replace_customer(&self) -> Result<Arc<CustomerState>> {
        let generation = self.generations.fetch_add(1, Ordering::SeqCst) + 1;
        // The old customer stops writing into the store, the store forgets them, and only
        // then is the new client made (it reads the store as it is made).
        self.customer().retire();
        self.persistence.wipe_session();
        let session = CustomerSession::new(self.persistence.clone());
        let client = FirmlyClient::new(self.config.clone(), session.clone())?;
        let fresh = Arc::new(CustomerState::new(generation, client, session));
        let old = std::mem::replace(&mut *self.customer.write(), fresh.clone());
        old.retire();
        Ok(fresh)
    }

    /// The current customer's API client.
    pub fn client(&self) -> FirmlyClient {
        self.customer().client.clone()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
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

    /// Records an action of the shell's own (e.g. a restart) in the audit log.
    pub fn audit_action(&self, action: &str) {
        self.audit(None, action, "ok");
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

    pub(crate) fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
        self.ready_changed.notify_waiters();
    }

    /// Waits until an earlier run's orders are settled.
    pub async fn settled(&self) {
        loop {
            let changed = self.ready_changed.notified();
            if self.is_ready() {
                return;
            }
            changed.await;
        }
    }

    /// Fails while the desk is still settling an earlier run's order (start-up).
    pub(crate) fn ensure_ready(&self) -> Result<()> {
        if self.is_ready() {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::DeskNotReady,
                "One moment: the desk is checking the last order of the previous session.",
            ))
        }
    }

    pub(crate) fn display_name(&self, domain: &str) -> String {
        self.merchants()
            .into_iter()
            .find(|m| m.domain == domain)
            .map(|m| m.display_name)
            .unwrap_or_else(|| domain.to_string())
    }

    /// The unknown-outcome order of this customer's cart at `domain`, if any.
    pub(crate) fn pending_view(
        &self,
        customer: &CustomerState,
        domain: &str,
    ) -> Option<PendingOrderView> {
        let device = customer.device_id()?;
        self.journal
            .cached()
            .into_iter()
            .find(|r| r.domain == domain && r.session.device_id == device && !r.with_staff())
            .map(|r| r.view(customer.orders.is_busy(domain)))
    }

    /// The view of a cart with everything the service knows about it.
    pub(crate) fn view_of(
        &self,
        customer: &CustomerState,
        domain: &Domain,
        cart: &CartV2,
    ) -> CartView {
        let (consents, slots, load_error, account_email) = customer
            .read(domain, |m| {
                (
                    m.consents.clone(),
                    m.requested_slots.clone(),
                    m.load_error.clone(),
                    m.account_email.clone(),
                )
            })
            .unwrap_or_default();
        let wallets = customer.wallets.lock().clone();
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
                pending: self.pending_view(customer, domain),
                requested_slots: Some(&slots),
                load_error,
                merchant_site,
                wallets: &wallets,
                account_email,
            },
        )
    }

    /// Records the cart and tells the UI, only while `customer` is still the one at the
    /// desk (a wipe never receives the previous customer's cart).
    pub(crate) fn publish_in(
        &self,
        customer: &Arc<CustomerState>,
        domain: &Domain,
        cart: impl Into<Arc<CartV2>>,
    ) -> Result<CartView> {
        self.publish_read(customer, domain, cart, None)
    }

    /// [`Self::publish_in`] for a read made without the merchant's lock, begun at revision
    /// `since`: when a newer cart was published meanwhile (a change that answered first),
    /// the kept cart stays and is what the view shows.
    pub(crate) fn publish_read(
        &self,
        customer: &Arc<CustomerState>,
        domain: &Domain,
        cart: impl Into<Arc<CartV2>>,
        since: Option<u64>,
    ) -> Result<CartView> {
        let read: Arc<CartV2> = cart.into();
        if !self.is_current(customer) {
            return Err(ApiError::new(
                ErrorCode::SessionEnded,
                "The customer session ended while this was running.",
            ));
        }
        let cart = customer.merchant(domain, |m| {
            if since.is_some_and(|r| r != m.revision) {
                if let Some(kept) = &m.cart {
                    return kept.clone();
                }
            }
            if let Some(h) = read.payment_handle.clone().filter(|h| !h.is_empty()) {
                m.handle = Some(h);
            }
            m.revision += 1;
            m.cart = Some(read.clone());
            read.clone()
        });
        let has_items = !cart.line_items.is_empty();
        customer.changes.fetch_add(1, Ordering::SeqCst);
        let view = self.view_of(customer, domain, &cart);
        if has_items {
            self.remember_domains(std::slice::from_ref(domain));
            customer.touched.store(true, Ordering::SeqCst);
            // A cart with a payment handle can be paid: have the key ready before the click.
            if cart
                .payment_handle
                .as_deref()
                .is_some_and(|h| !h.is_empty())
            {
                self.keys.prefetch(customer.client.clone());
            }
        }
        self.events.cart_updated(&view, &hive_total_of(customer));
        Ok(view)
    }

    /// Re-publishes the kept cart (after a change that is not a cart read: consents,
    /// pending order state, load errors), if `customer` is still at the desk.
    pub(crate) fn republish(&self, customer: &Arc<CustomerState>, domain: &Domain) {
        if !self.is_current(customer) {
            return;
        }
        let cart = customer
            .cart(domain)
            .unwrap_or_else(|| empty_cart(domain).into());
        let view = self.view_of(customer, domain, &cart);
        customer.changes.fetch_add(1, Ordering::SeqCst);
        self.events.cart_updated(&view, &hive_total_of(customer));
    }

    /// Runs one cart mutation with the domain's lock held and publishes the new cart.
    pub(crate) async fn mutate<F, Fut>(&self, domain: &Domain, f: F) -> Result<CartView>
    where
        F: FnOnce(FirmlyClient, String) -> Fut,
        Fut: std::future::Future<Output = Result<CartV2>>,
    {
        self.ensure_ready()?;
        let domain = domain.clone();
        let customer = self.customer();
        let lock = customer.lock_for(&domain);
        let _g = lock.lock().await;
        let cart = f(customer.client.clone(), domain.to_string()).await?;
        customer.merchant(&domain, |m| m.load_error = None);
        self.publish_in(&customer, &domain, cart)
    }

    /// The configured merchants, then every other domain this device has used.
    pub fn merchants(&self) -> Vec<MerchantView> {
        let mut out = self.env.merchants.clone();
        for d in self.persistence.session().known_domains {
            if !out.iter().any(|m| m.domain == d.as_str()) {
                out.push(MerchantView {
                    display_name: d.to_string(),
                    domain: d.to_string(),
                });
            }
        }
        out
    }

    pub(crate) fn remember_domains(&self, domains: &[Domain]) {
        let known = self.persistence.session().known_domains;
        let new: Vec<Domain> = domains
            .iter()
            .filter(|d| !known.contains(d) && !self.env.merchants.iter().any(|m| m.domain == ***d))
            .cloned()
            .collect();
        if !new.is_empty() {
            self.persistence
                .update_session(|s| s.known_domains.extend(new));
        }
    }
}

/// The hive's total over the customer's open carts.
pub(crate) fn hive_total_of(customer: &CustomerState) -> Vec<MoneyView> {
    let carts = customer.carts();
    hive_total(carts.iter().map(|(_, c)| &**c))
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
/// `ErrorCartNotFound`, ENDPOINTS.md §6.3).
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
