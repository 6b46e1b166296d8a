//! The sandbox's in-memory world (ENDPOINTS.md §9 "State"): devices, carts keyed by
//! `(device_id, domain)`, submitted carts and orders, fault rules, the request journal,
//! one-time passwords, wallet sessions, tokenized cards, sold stock and the sandbox clock.
//! Everything here is forgotten by a reset. Finding or creating a device's cart is the job of
//! [`crate::carts`], not of this module.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::model::address::AddressInput;
use crate::model::card::CardFault;
use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;

/// Active carts expire after this many idle days (sandbox convention; moving the clock with
/// `POST /__sandbox/clock` expires them).
pub const CART_TTL_DAYS: i64 = 7;

#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub app_id: String,
    /// Merchant accounts this device is logged in to (OTP login): domain → account email.
    pub logged_in: BTreeMap<String, String>,
    /// `POST /api/v2/carts/postal-code`: one per device, may be null (ENDPOINTS.md §1 #41).
    pub postal_code: Option<String>,
}

/// One line of `GET /__sandbox/requests` (never bodies or query strings).
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    pub method: String,
    pub path: String,
    /// `0` when the client got no response (dropped connection, response lost after commit).
    pub status: u16,
    pub duration_ms: u64,
    /// When the request arrived and when its answer was done, in µs since the sandbox
    /// started: requests that overlap ran in parallel, a request that starts after another
    /// ended waited for it (the round-trip depth of a flow, docs/BENCHMARKS.md).
    pub start_us: u64,
    pub end_us: u64,
    /// The simulated network latency this request waited before it was handled
    /// (`--latency-ms`/`--jitter-ms`); absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub latency_ms: u64,
    /// The fault rule that fired, if any: `status`, `delay`, `drop_connection`,
    /// `after_commit`, `after_commit_delay`, `hold` or `after_commit_hold`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<&'static str>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderRecord {
    pub order_number: String,
    pub domain: String,
    pub cart_id: String,
    /// Decimal string in the cart's currency.
    pub total: String,
    pub payment_type: String,
    pub placed_at: DateTime<Utc>,
}

/// A fault-injection rule (`POST /__sandbox/faults`, CONTRACTS.md §3).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FaultRule {
    #[serde(rename = "match")]
    pub matcher: FaultMatch,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub drop_connection: bool,
    #[serde(default)]
    pub after_commit: bool,
    /// Holds the request until released (`POST /__sandbox/holds/release`): before the
    /// handler, or with `after_commit` after it, before the response is sent.
    #[serde(default)]
    pub hold: bool,
    /// How many requests the rule applies to; absent = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// A name the embedding app gives its rules (the demo's scenario switches), never read
    /// from or shown by the admin API.
    #[serde(skip)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FaultMatch {
    #[serde(default)]
    pub method: Option<String>,
    pub path_contains: String,
}

/// One wallet unlock attempt, keyed by its access token.
#[derive(Debug, Clone)]
pub struct WalletSession {
    pub wallet: String,
    pub device_id: String,
    pub email: String,
    pub otp: String,
    pub unlocked: bool,
}

/// What `/api/v1/payment/tokenize` keeps until the token is used: the test-card outcome and
/// the order's `payment_method` (brand, last four, expiry) — never the number or the CVV.
#[derive(Debug, Clone)]
pub struct TokenizedCard {
    pub handle: String,
    pub outcome: Result<(), CardFault>,
    pub payment_method: serde_json::Value,
    pub billing: Option<AddressInput>,
}

/// What the cart views read from the [`World`] about one cart (everything else they read is
/// the cart, its merchant and the immutable catalog): captured under the world lock (by
/// `WorldFacts::capture` in [`crate::views::common`]) so a view can be rendered after the lock
/// is released, and compared to tell whether a rendered cart is still current.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldFacts {
    /// The device's app id (v1 `app_id`).
    pub app_id: Option<String>,
    /// The device is logged in to the merchant (saved cards, `session.is_logged_in`).
    pub logged_in: bool,
    /// The saved cards of the wallets the device unlocked that the merchant accepts.
    pub unlocked: Vec<serde_json::Value>,
    /// [`World::stock_left`] of each line item's variant, in item order.
    pub stock: Vec<Option<i64>>,
}

/// A rendered GET-cart body with exactly what it was rendered from: it is current as long as
/// the cart and the facts compare equal (so no change anywhere can leave it stale).
#[derive(Debug, Clone)]
pub struct RenderedCart {
    pub cart: Cart,
    pub facts: WorldFacts,
    pub body: axum::body::Bytes,
}

/// Which view a [`RenderedCart`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CartView {
    V1,
    V2,
}

/// Everything that a reset forgets.
pub struct World {
    /// Seconds added to the wall clock (`POST /__sandbox/clock`).
    pub clock_offset: i64,
    pub devices: HashMap<String, DeviceRecord>,
    /// The devices' current carts keyed by `(device_id, domain)`.
    pub carts: HashMap<(String, String), Cart>,
    /// Submitted carts by `cart_id`.
    pub submitted: BTreeMap<String, Cart>,
    pub orders: Vec<OrderRecord>,
    pub next_order: u64,
    /// Oldest first; bounded by the middleware.
    pub journal: VecDeque<JournalEntry>,
    pub faults: Vec<FaultRule>,
    /// Last one-time password sent to an email address.
    pub otps: HashMap<String, String>,
    pub wallet_sessions: HashMap<String, WalletSession>,
    /// Payment tokens from `/api/v1/payment/tokenize`.
    pub payment_tokens: HashMap<String, TokenizedCard>,
    /// Units sold per `(domain, sku)`; limited stock runs down as orders are placed.
    pub sold: HashMap<(String, String), i64>,
    /// The last GET-cart body of each cart and view ([`crate::carts::read`]).
    pub rendered: HashMap<(String, String, CartView), RenderedCart>,
}

impl Default for World {
    fn default() -> Self {
        World {
            clock_offset: 0,
            devices: HashMap::new(),
            carts: HashMap::new(),
            submitted: BTreeMap::new(),
            orders: Vec::new(),
            next_order: 1001,
            journal: VecDeque::new(),
            faults: Vec::new(),
            otps: HashMap::new(),
            wallet_sessions: HashMap::new(),
            payment_tokens: HashMap::new(),
            sold: HashMap::new(),
            rendered: HashMap::new(),
        }
    }
}

impl World {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.clock_offset)
    }

    /// Forgets carts idle for longer than [`CART_TTL_DAYS`] on the sandbox clock.
    pub fn prune_expired(&mut self) {
        let cutoff = self.now() - Duration::days(CART_TTL_DAYS);
        self.carts.retain(|_, c| c.updated_at >= cutoff);
    }

    /// Units left of a variant (`None` = unlimited).
    pub fn stock_left(&self, m: &MerchantFixture, sku: &str) -> Option<i64> {
        let (_, v) = m.variant(sku)?;
        let sold = self
            .sold
            .get(&(m.domain.clone(), v.sku.clone()))
            .copied()
            .unwrap_or(0);
        v.stock.map(|s| (s - sold).max(0))
    }

    pub fn logged_in(&self, device_id: &str, domain: &str) -> bool {
        self.devices
            .get(device_id)
            .is_some_and(|d| d.logged_in.contains_key(domain))
    }

    /// The account email the device is logged in with at `domain`.
    pub fn account_email(&self, device_id: &str, domain: &str) -> Option<&str> {
        self.devices
            .get(device_id)
            .and_then(|d| d.logged_in.get(domain))
            .map(String::as_str)
    }

    /// The device's preferred postal code.
    pub fn device_postal(&self, device_id: &str) -> Option<String> {
        self.devices
            .get(device_id)
            .and_then(|d| d.postal_code.clone())
    }
}
