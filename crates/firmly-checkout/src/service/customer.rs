//! The customer: everything one shopper's session touched, held in one value. A wipe (the
//! kiosk's idle rule, End session, a snapshot import, a reconnect) replaces the whole value,
//! so a field added here later is forgotten by construction, never cleared by hand.
//!
//! Work begun for a customer holds that customer's `Arc` and its own API client (device
//! session, request log, cookies, decoded carts): it finishes on the old customer's session
//! and can never publish into the next one's screen (`CheckoutService::is_current`).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use firmly_api::{ApiError, CartV2, Consent, FirmlyClient, SessionStore, StoredSession};
use parking_lot::Mutex;

use super::warm::{WarmDomains, WarmTask};
use crate::domain::Domain;
use crate::orders::OrderGuard;
use crate::paypal::PaypalStart;
use crate::settings::Language;
use crate::storage::Persistence;
use crate::view::OrderReportView;

/// What the desk knows of one merchant for the current customer.
#[derive(Default)]
pub(crate) struct MerchantState {
    /// The last cart read or returned by a change.
    pub(crate) cart: Option<Arc<CartV2>>,
    /// The last read failure, shown on that merchant's tab.
    pub(crate) load_error: Option<ApiError>,
    /// The merchant's consents as last read or changed (kept with [`CustomerState::keep_consents`]).
    pub(crate) consents: Option<Vec<Consent>>,
    /// Counts the consent lists kept. A read notes it before asking and keeps its answer only
    /// if no list was kept meanwhile, so a list that left the server before a change (a tick)
    /// never replaces the change.
    pub(crate) consents_revision: u64,
    /// Serializes this merchant's consent changes: each answer is the whole list after that
    /// change, so two ticks in flight at once could otherwise keep the older list last.
    pub(crate) consent_lock: Arc<tokio::sync::Mutex<()>>,
    /// Slots this desk asked for: shipment id → slot id (shown as booked only when the cart
    /// echoes them).
    pub(crate) requested_slots: HashMap<String, String>,
    /// The last payment handle seen: later answers may omit it (it is issued with the
    /// shipping or billing info, ENDPOINTS.md §4.5).
    pub(crate) handle: Option<String>,
    /// The PayPal checkout in progress (token, return URL).
    pub(crate) paypal: Option<PaypalStart>,
    /// The email the shopper logged in with here (one-time code), for the shipping email.
    pub(crate) account_email: Option<String>,
    /// The last availability read per shipment (its stores, dates, windows, options).
    pub(crate) availability: HashMap<String, firmly_api::Availability>,
    /// The shopper's window and pickup option per shipment (no API field takes them).
    pub(crate) picks: HashMap<String, super::fulfillment::ShipmentPicks>,
    /// The catalog's `add_to_cart_payload` per variant id, as the catalog gave it: an add
    /// sends it unchanged (some merchants need its `variant_handles`, ENDPOINTS.md §2.9).
    pub(crate) payloads: HashMap<String, firmly_api::AddToCartPayload>,
    /// What the last removal or clear took away, for a short undo.
    pub(crate) undo: Option<Undo>,
    /// Pre-selections made (`shipment|fulfillment id|what`): each is made once, so the
    /// shopper can change it.
    pub(crate) auto_chosen: std::collections::HashSet<String>,
    /// Serializes this merchant's network mutations.
    pub(crate) lock: Arc<tokio::sync::Mutex<()>>,
    /// Counts the carts published for this merchant. A read that runs without the lock (the
    /// hive's) notes it first and publishes only if no newer cart was published meanwhile,
    /// so an answer that left the server before a change never replaces the change.
    pub(crate) revision: u64,
}

/// Lines a removal or a clear took away: variant id and quantity, and when.
pub(crate) struct Undo {
    pub(crate) lines: Vec<(String, i64)>,
    pub(crate) at: std::time::Instant,
}

/// Everything of one customer session.
pub(crate) struct CustomerState {
    /// Counts customers since the desk started (logs and tests).
    pub(crate) generation: u64,
    /// This customer's own client: device session, request log, cookies, decoded carts.
    pub(crate) client: FirmlyClient,
    session: Arc<CustomerSession>,
    pub(crate) merchants: Mutex<BTreeMap<Domain, MerchantState>>,
    /// Wallet unlocks in progress: wallet name → its `access_token` from unlock-start.
    pub(crate) wallet_unlocks: Mutex<HashMap<String, String>>,
    /// Unlocked wallets: their saved cards and addresses (the unlock-complete answer). The
    /// cookies that answer set live in this customer's client.
    pub(crate) wallets: Mutex<Vec<firmly_api::WalletUnlockComplete>>,
    /// One completion per merchant at a time, for this customer.
    pub(crate) orders: OrderGuard,
    /// Carts published so far: a warm read is true only while this has not moved since.
    pub(crate) changes: AtomicU64,
    /// The start-up's warm read of the carts, until the first `hive` takes it (`warm.rs`).
    pub(crate) warm_task: Mutex<Option<WarmTask>>,
    /// The warm-up's call for the active merchants (`warm.rs`), for `app_info`.
    pub(crate) warm_domains: Mutex<Option<WarmDomains>>,
    /// Something of this customer exists (an input, a cart change): the idle rule wipes.
    pub(crate) touched: AtomicBool,
    /// The language this shopper chose (none = the desk's).
    pub(crate) language: Mutex<Option<Language>>,
    /// Orders of an earlier run settled as the desk started, shown once to whoever is at
    /// the desk until the first wipe.
    pub(crate) startup_orders: Mutex<Vec<OrderReportView>>,
}

impl CustomerState {
    pub(crate) fn new(
        generation: u64,
        client: FirmlyClient,
        session: Arc<CustomerSession>,
    ) -> Self {
        CustomerState {
            generation,
            client,
            session,
            merchants: Mutex::new(BTreeMap::new()),
            wallet_unlocks: Mutex::new(HashMap::new()),
            wallets: Mutex::new(Vec::new()),
            orders: OrderGuard::default(),
            changes: AtomicU64::new(0),
            warm_task: Mutex::new(None),
            warm_domains: Mutex::new(None),
            touched: AtomicBool::new(false),
            language: Mutex::new(None),
            startup_orders: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on the merchant's state, creating it when new.
    pub(crate) fn merchant<R>(
        &self,
        domain: &Domain,
        f: impl FnOnce(&mut MerchantState) -> R,
    ) -> R {
        f(self.merchants.lock().entry(domain.clone()).or_default())
    }

    /// Reads the merchant's state, if the desk has any.
    pub(crate) fn read<R>(
        &self,
        domain: &Domain,
        f: impl FnOnce(&MerchantState) -> R,
    ) -> Option<R> {
        self.merchants.lock().get(domain).map(f)
    }

    /// The merchant's consent revision (see [`MerchantState::consents_revision`]).
    pub(crate) fn consents_revision(&self, domain: &Domain) -> u64 {
        self.read(domain, |m| m.consents_revision).unwrap_or(0)
    }

    /// Keeps a consent list: a change's answer always (`since` = `None`), a read's only when
    /// no list was kept since it began at revision `since`. Returns the list kept now.
    pub(crate) fn keep_consents(
        &self,
        domain: &Domain,
        list: Vec<Consent>,
        since: Option<u64>,
    ) -> Vec<Consent> {
        self.merchant(domain, |m| {
            if since.is_some_and(|r| r != m.consents_revision) {
                if let Some(kept) = &m.consents {
                    return kept.clone();
                }
            }
            m.consents_revision += 1;
            m.consents = Some(list.clone());
            list
        })
    }

    pub(crate) fn consent_lock(&self, domain: &Domain) -> Arc<tokio::sync::Mutex<()>> {
        self.merchant(domain, |m| m.consent_lock.clone())
    }

    pub(crate) fn lock_for(&self, domain: &Domain) -> Arc<tokio::sync::Mutex<()>> {
        self.merchant(domain, |m| m.lock.clone())
    }

    /// The merchant's revision (see [`MerchantState::revision`]).
    pub(crate) fn revision(&self, domain: &Domain) -> u64 {
        self.read(domain, |m| m.revision).unwrap_or(0)
    }

    pub(crate) fn cart(&self, domain: &Domain) -> Option<Arc<CartV2>> {
        self.read(domain, |m| m.cart.clone()).flatten()
    }

    /// Every merchant's last cart, in domain order.
    pub(crate) fn carts(&self) -> Vec<(Domain, Arc<CartV2>)> {
        self.merchants
            .lock()
            .iter()
            .filter_map(|(d, m)| m.cart.clone().map(|c| (d.clone(), c)))
            .collect()
    }

    pub(crate) fn language(&self) -> Option<Language> {
        *self.language.lock()
    }

    /// The device this customer's session belongs to, once it has one.
    pub(crate) fn device_id(&self) -> Option<String> {
        self.session
            .load()
            .map(|s| s.device_id)
            .filter(|d| !d.is_empty())
    }

    /// The customer is no longer the desk's: its client keeps working (an order's answer,
    /// a late token renewal) but writes nothing into the store any more.
    pub(crate) fn retire(&self) {
        self.session.retire();
    }
}

/// A customer's device session as its client stores it: in the persisted store while the
/// customer is the desk's, in memory once it is not, so a late renewal by an old customer's
/// request can never replace the next customer's session.
pub(crate) struct CustomerSession {
    persistence: Persistence,
    retired: AtomicBool,
    /// The session as of retirement (and every later save).
    kept: Mutex<Option<StoredSession>>,
}

impl CustomerSession {
    pub(crate) fn new(persistence: Persistence) -> Arc<CustomerSession> {
        Arc::new(CustomerSession {
            persistence,
            retired: AtomicBool::new(false),
            kept: Mutex::new(None),
        })
    }

    fn retire(&self) {
        let mut kept = self.kept.lock();
        if !self.retired.swap(true, Ordering::SeqCst) {
            *kept = SessionStore::load(&self.persistence);
        }
    }

    fn is_retired(&self) -> bool {
        self.retired.load(Ordering::SeqCst)
    }
}

impl SessionStore for CustomerSession {
    fn load(&self) -> Option<StoredSession> {
        let kept = self.kept.lock();
        if self.is_retired() {
            kept.clone()
        } else {
            SessionStore::load(&self.persistence)
        }
    }

    fn save(&self, session: &StoredSession) {
        let mut kept = self.kept.lock();
        if self.is_retired() {
            *kept = Some(session.clone());
        } else {
            SessionStore::save(&self.persistence, session);
        }
    }

    fn clear(&self) {
        let mut kept = self.kept.lock();
        if self.is_retired() {
            *kept = None;
        } else {
            SessionStore::clear(&self.persistence);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    fn session(token: &str) -> StoredSession {
        StoredSession {
            access_token: token.into(),
            expires: 1,
            device_id: format!("dev-{token}"),
        }
    }

    #[test]
    fn a_retired_customer_never_writes_into_the_store() {
        let p = Persistence::new(Arc::new(MemoryStore::default()));
        let old = CustomerSession::new(p.clone());
        old.save(&session("a"));
        assert_eq!(SessionStore::load(&p).unwrap().access_token, "a");
        old.retire();
        p.wipe_session();
        let new = CustomerSession::new(p.clone());
        new.save(&session("b"));
        // The old customer's late renewal stays with it.
        old.save(&session("a2"));
        assert_eq!(old.load().unwrap().access_token, "a2");
        assert_eq!(SessionStore::load(&p).unwrap().access_token, "b");
        old.clear();
        assert_eq!(SessionStore::load(&p).unwrap().access_token, "b");
    }
}
