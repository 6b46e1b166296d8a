//! The application service: every user action of the desktop app and the CLI is one
//! method here. It keeps the multi-merchant cart set (the "hive"), serializes mutations per
//! merchant domain, emits a change event after every cart change, places orders exactly
//! once, and keeps card data in memory only until it is encrypted.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex as StdMutex};

use firmly_api::{
    AddonSelectionRequest, ApiError, CartV2, ConsentChange, FirmlyClient, FulfillmentType,
    SetShipmentMethod,
};
use tokio::sync::Mutex;

use crate::mapping::{self, address_wire};
use crate::orders::{self, OrderGuard, Reconciled};
use crate::storage::{CardEncryption, Persistence};
use crate::validation;
use crate::view::*;

pub type Result<T> = std::result::Result<T, ApiError>;

/// The checkout component whose health is asked for (the docs' example id,
/// `002_599d5acdabf6b74d.txt:12293`).
pub const HEALTH_COMPONENT: &str = "v2024-02-27-0-chkt";

/// Receives state changes for the UI (the app turns them into Tauri events).
pub trait EventSink: Send + Sync {
    /// A cart changed; `hive_total` is the new total over all open carts, per currency.
    fn cart_updated(&self, cart: &CartView, hive_total: &[MoneyView]);
    fn order_placed(&self, order: &OrderView);
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
    /// `Sandbox` or `Live`.
    pub name: String,
    pub mode: crate::storage::Mode,
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

/// Input of a shipment method choice.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct ShipmentChoice {
    pub shipment_id: String,
    pub shipping_method_id: String,
    pub selected_date: Option<String>,
    pub time_slot_id: Option<String>,
    pub notes: Option<String>,
}

/// Input of an addon selection.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct AddonChoice {
    pub addon_id: String,
    pub line_item_ids: Vec<String>,
    pub child_ids: Vec<String>,
}

pub struct CheckoutService {
    client: FirmlyClient,
    persistence: Persistence,
    env: Environment,
    events: Arc<dyn EventSink>,
    hive: StdMutex<BTreeMap<String, CartV2>>,
    domain_locks: StdMutex<HashMap<String, Arc<Mutex<()>>>>,
    orders: OrderGuard,
    /// The PayPal token of the approval in progress, per domain.
    paypal_tokens: StdMutex<HashMap<String, String>>,
    /// The wallet unlock in progress: wallet name → its `access_token` from unlock-start.
    wallet_unlocks: StdMutex<HashMap<String, String>>,
}

impl CheckoutService {
    pub fn new(
        client: FirmlyClient,
        persistence: Persistence,
        env: Environment,
        events: Arc<dyn EventSink>,
    ) -> Self {
        CheckoutService {
            client,
            persistence,
            env,
            events,
            hive: StdMutex::new(BTreeMap::new()),
            domain_locks: StdMutex::new(HashMap::new()),
            orders: OrderGuard::default(),
            paypal_tokens: StdMutex::new(HashMap::new()),
            wallet_unlocks: StdMutex::new(HashMap::new()),
        }
    }

    pub fn client(&self) -> &FirmlyClient {
        &self.client
    }

    pub fn persistence(&self) -> &Persistence {
        &self.persistence
    }

    fn display_name(&self, domain: &str) -> String {
        self.env
            .merchants
            .iter()
            .find(|m| m.domain == domain)
            .map(|m| m.display_name.clone())
            .unwrap_or_else(|| domain.to_string())
    }

    fn lock_for(&self, domain: &str) -> Arc<Mutex<()>> {
        let mut locks = self.domain_locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(domain.to_string()).or_default().clone()
    }

    fn known_domain(&self, domain: &str) -> Result<()> {
        if domain.trim().is_empty() {
            return Err(ApiError::validation("Choose a merchant first."));
        }
        Ok(())
    }

    /// Records the cart, remembers its domain and tells the UI.
    fn publish(&self, domain: &str, cart: CartV2) -> CartView {
        let view = mapping::cart_view(domain, &self.display_name(domain), &cart);
        let total = match self.hive.lock() {
            Ok(mut h) => {
                h.insert(domain.to_string(), cart);
                let views: Vec<CartView> =
                    h.iter().map(|(d, c)| mapping::cart_view(d, d, c)).collect();
                hive_total(&views)
            }
            Err(_) => Vec::new(),
        };
        if !view.line_items.is_empty() {
            let d = domain.to_string();
            let known = self.persistence.session().known_domains;
            if !known.contains(&d) {
                self.persistence.update_session(|s| s.known_domains.push(d));
            }
        }
        self.events.cart_updated(&view, &total);
        view
    }

    /// Runs one cart mutation with the domain's lock held and publishes the new cart.
    async fn mutate<F, Fut>(&self, domain: &str, f: F) -> Result<CartView>
    where
        F: FnOnce(FirmlyClient) -> Fut,
        Fut: std::future::Future<Output = Result<CartV2>>,
    {
        self.known_domain(domain)?;
        let lock = self.lock_for(domain);
        let _g = lock.lock().await;
        let cart = f(self.client.clone()).await?;
        Ok(self.publish(domain, cart))
    }

    fn cached_cart(&self, domain: &str) -> Option<CartV2> {
        self.hive.lock().ok()?.get(domain).cloned()
    }

    // ----- environment -------------------------------------------------------------------

    pub async fn app_info(&self) -> Result<AppInfo> {
        let session = self.client.ensure_session().await?;
        // Merchants with carts on this device (`001_deb22a4e58c57bde.txt:51`) join the list;
        // an API without the route simply adds none.
        if let Ok(active) = self.client.active_domains().await {
            self.remember_domains(&active);
        }
        Ok(AppInfo {
            environment: self.env.name.clone(),
            mode: self.env.mode.as_str().to_string(),
            device_id: Some(session.device_id),
            api_base: self.client.config().api_base.to_string(),
            merchants: self.merchants(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            idle_seconds: self.env.idle_seconds,
        })
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

    fn remember_domains(&self, domains: &[String]) {
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

    /// Adds a merchant by its domain (live mode has no merchant directory: the docs'
    /// `get-available-merchants` is undocumented, ENDPOINTS.md §1.1). Reads its cart to
    /// prove the domain is served.
    pub async fn add_merchant(&self, domain: &str) -> Result<AppInfo> {
        let d = validation::check_domain(domain)?;
        self.cart(&d).await?;
        self.remember_domains(std::slice::from_ref(&d));
        self.app_info().await
    }

    /// The merchant's checkout health (`operational`, `degraded`, `outage`) from the status
    /// host (`002_599d5acdabf6b74d.txt:12293`); `unknown` when it cannot be read, since a
    /// health check must never block shopping.
    pub async fn merchant_health(&self, domain: &str) -> String {
        match self.client.merchant_health(domain, HEALTH_COMPONENT).await {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(domain, code = %e.code, "merchant health unavailable");
                "unknown".to_string()
            }
        }
    }

    pub fn request_log(&self) -> Vec<RequestLogView> {
        self.client
            .request_log()
            .into_iter()
            .map(|e| RequestLogView {
                method: e.method,
                path: e.path,
                status: e.status,
                duration_ms: u32::try_from(e.duration_ms).unwrap_or(u32::MAX),
                request_id: e.request_id,
                at: e.at,
            })
            .collect()
    }

    /// The raw JSON of the last cart read for `domain`, for the support inspector.
    pub fn raw_cart(&self, domain: &str) -> Option<serde_json::Value> {
        self.cached_cart(domain).map(|c| c.raw)
    }

    /// A support snapshot of the device session and every known cart, as JSON text.
    pub async fn export_snapshot(&self) -> Result<String> {
        let session = self.client.ensure_session().await?;
        let hive = self.hive().await?;
        let carts = hive
            .carts
            .iter()
            .filter_map(|c| self.raw_cart(&c.domain).map(|raw| (c.domain.clone(), raw)))
            .collect();
        let snap = crate::snapshot::Snapshot {
            format: crate::snapshot::FORMAT.to_string(),
            exported_at: chrono::Utc::now().to_rfc3339(),
            api_base: self.client.config().api_base.to_string(),
            device_id: session.device_id,
            access_token: session.access_token,
            expires: session.expires,
            known_domains: self.persistence.session().known_domains,
            carts,
        };
        serde_json::to_string_pretty(&snap).map_err(|e| ApiError::internal(e.to_string()))
    }

    /// Resumes a case from a snapshot: its device session becomes this app's.
    pub async fn import_snapshot(&self, text: &str) -> Result<HiveView> {
        let api = self.client.config().api_base.to_string();
        let snap = crate::snapshot::Snapshot::parse(text, &api)?;
        if let Ok(mut h) = self.hive.lock() {
            h.clear();
        }
        self.client.adopt_session(snap.session()).await;
        self.persistence
            .update_session(|s| s.known_domains = snap.known_domains.clone());
        self.hive().await
    }

    /// The same, pretty-printed for display.
    pub fn raw_cart_pretty(&self, domain: &str) -> Option<String> {
        self.raw_cart(domain)
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
    }

    /// Forgets the customer: new device session, no carts, nothing of theirs in the store.
    pub async fn wipe_customer(&self) -> Result<AppInfo> {
        if let Ok(mut h) = self.hive.lock() {
            h.clear();
        }
        if let Ok(mut p) = self.paypal_tokens.lock() {
            p.clear();
        }
        if let Ok(mut w) = self.wallet_unlocks.lock() {
            w.clear();
        }
        self.persistence.wipe_session();
        self.client.new_session().await?;
        self.app_info().await
    }

    // ----- catalog -----------------------------------------------------------------------

    pub async fn products(&self, domain: &str) -> Result<Vec<ProductSummaryView>> {
        self.known_domain(domain)?;
        let list = self.client.product_list(domain).await?;
        Ok(list.iter().map(mapping::product_summary_view).collect())
    }

    pub async fn product(&self, domain: &str, handle: &str) -> Result<ProductView> {
        self.known_domain(domain)?;
        let p = self.client.product(domain, handle).await?;
        Ok(mapping::product_view(&p))
    }

    // ----- carts -------------------------------------------------------------------------

    pub async fn cart(&self, domain: &str) -> Result<CartView> {
        self.mutate(domain, |c| async move { c.cart(domain).await })
            .await
    }

    /// Every merchant's cart at once, with the hive total per currency.
    pub async fn hive(&self) -> Result<HiveView> {
        let domains: Vec<String> = self.merchants().into_iter().map(|m| m.domain).collect();
        let mut carts = Vec::new();
        for d in &domains {
            carts.push(self.cart(d).await?);
        }
        Ok(HiveView {
            total: hive_total(&carts),
            carts,
        })
    }

    pub async fn add_item(
        &self,
        domain: &str,
        variant_id: &str,
        quantity: u32,
    ) -> Result<CartView> {
        if quantity == 0 {
            return Err(ApiError::validation("Quantity must be at least 1."));
        }
        if variant_id.trim().is_empty() {
            return Err(ApiError::validation("Choose a variant first."));
        }
        self.mutate(domain, |c| async move {
            c.add_line_item(domain, variant_id, i64::from(quantity), false)
                .await
        })
        .await
    }

    pub async fn set_quantity(
        &self,
        domain: &str,
        line_item_id: &str,
        quantity: u32,
    ) -> Result<CartView> {
        self.mutate(domain, |c| async move {
            c.update_line_item(domain, line_item_id, i64::from(quantity))
                .await
        })
        .await
    }

    pub async fn clear_cart(&self, domain: &str) -> Result<CartView> {
        self.mutate(domain, |c| async move { c.clear_cart(domain).await })
            .await
    }

    // ----- addresses ---------------------------------------------------------------------

    pub async fn set_shipping_info(&self, domain: &str, address: AddressView) -> Result<CartView> {
        let optional = self
            .cached_cart(domain)
            .map(|c| mapping::cart_view(domain, "", &c).optional_fields)
            .unwrap_or_default();
        validation::check_address(&address, true, &optional)?;
        let wire = address_wire(&address);
        self.mutate(domain, |c| async move {
            c.set_shipping_info(domain, &wire).await
        })
        .await
    }

    pub async fn set_billing_info(&self, domain: &str, address: AddressView) -> Result<CartView> {
        validation::check_address(&address, false, &[])?;
        let wire = address_wire(&address);
        self.mutate(domain, |c| async move {
            c.set_billing_info(domain, &wire).await
        })
        .await
    }

    // ----- shipments ---------------------------------------------------------------------

    pub async fn availability(&self, domain: &str, shipment_id: &str) -> Result<AvailabilityView> {
        self.known_domain(domain)?;
        let a = self.client.availability(domain, shipment_id).await?;
        let currency = self
            .cached_cart(domain)
            .map(|c| c.currency())
            .unwrap_or_else(|| "USD".into());
        Ok(mapping::availability_view(shipment_id, &a, &currency))
    }

    pub async fn set_fulfillment(
        &self,
        domain: &str,
        shipment_id: &str,
        fulfillment_type: &str,
        location_id: Option<String>,
    ) -> Result<CartView> {
        let ft = FulfillmentType::parse(fulfillment_type);
        self.mutate(domain, |c| async move {
            c.set_fulfillment_type(domain, shipment_id, &ft, location_id.as_deref())
                .await
        })
        .await
    }

    pub async fn set_shipment_method(
        &self,
        domain: &str,
        choice: ShipmentChoice,
    ) -> Result<CartView> {
        let req = SetShipmentMethod {
            shipment_id: choice.shipment_id,
            shipping_method_id: choice.shipping_method_id,
            selected_date: choice.selected_date.filter(|d| !d.is_empty()),
            notes: choice.notes.filter(|n| !n.trim().is_empty()),
            selected_time_slot_id: choice.time_slot_id.filter(|s| !s.is_empty()),
        };
        self.mutate(domain, |c| async move {
            c.set_shipment_method(domain, &req).await
        })
        .await
    }

    // ----- addons and promotions ---------------------------------------------------------

    pub async fn select_addon(&self, domain: &str, choice: AddonChoice) -> Result<CartView> {
        let req = AddonSelectionRequest {
            addon_id: choice.addon_id,
            selected_line_item_ids: choice.line_item_ids,
            selected_child_ids: choice.child_ids,
        };
        self.mutate(
            domain,
            |c| async move { c.set_addons(domain, &[req]).await },
        )
        .await
    }

    pub async fn remove_addon(&self, domain: &str, addon_id: &str) -> Result<CartView> {
        self.mutate(
            domain,
            |c| async move { c.remove_addon(domain, addon_id).await },
        )
        .await
    }

    /// Adds a promo code to those already applied.
    pub async fn apply_promo(&self, domain: &str, code: &str) -> Result<CartView> {
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(ApiError::validation("Enter a promo code."));
        }
        let mut codes = self
            .cached_cart(domain)
            .map(|c| c.promo_codes)
            .unwrap_or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
        self.mutate(domain, |c| async move {
            c.apply_promo_codes(domain, &codes).await
        })
        .await
    }

    pub async fn clear_promos(&self, domain: &str) -> Result<CartView> {
        self.mutate(domain, |c| async move { c.clear_promo_codes(domain).await })
            .await
    }

    // ----- consents ----------------------------------------------------------------------

    pub async fn consents(&self, domain: &str) -> Result<Vec<ConsentView>> {
        self.known_domain(domain)?;
        let list = self.client.consents(domain).await?;
        Ok(list.iter().map(consent_view).collect())
    }

    pub async fn set_consent(
        &self,
        domain: &str,
        id: &str,
        granted: bool,
    ) -> Result<Vec<ConsentView>> {
        self.known_domain(domain)?;
        let list = self
            .client
            .set_consents(
                domain,
                &[ConsentChange {
                    id: id.to_string(),
                    revoke: !granted,
                }],
            )
            .await?;
        Ok(list.iter().map(consent_view).collect())
    }

    // ----- payment -----------------------------------------------------------------------

    /// Client-side card checks (Luhn, expiry in the future, CVV length for the brand),
    /// field by field, so the form can explain before anything is sent.
    pub fn validate_card(&self, card: &CardInput) -> Vec<FieldErrorView> {
        validation::check_card(card)
    }

    /// Places the order with a new card: fresh payment key, encryption, completion,
    /// exactly once. The card is dropped (and wiped) when this returns.
    pub async fn place_card_order(
        &self,
        domain: &str,
        card: CardInput,
        billing: Option<AddressView>,
    ) -> Result<OrderView> {
        let problems = validation::check_card(&card);
        if let Some(first) = problems.first() {
            return Err(ApiError::validation(&first.message));
        }
        let details = validation::card_details(&card);
        drop(card);
        let encryption = self.persistence.settings().card_encryption;
        self.complete_order(domain, billing, move |client, handle, billing| async move {
            // Keys rotate: fetch a fresh one for every order (ARCHITECTURE.md contract 6).
            let key = client.payment_key().await?;
            match encryption {
                CardEncryption::Jwe => {
                    let jwe = firmly_api::encrypt_card_jwe(&key, &details)?;
                    drop(details);
                    client.complete_order_v3(&handle, &billing, &jwe).await
                }
                CardEncryption::PerField => {
                    let fields = firmly_api::encrypt_card_per_field(
                        &key,
                        &details,
                        firmly_api::OaepHash::Sha1,
                    )?;
                    drop(details);
                    client.complete_order_v2(&handle, &billing, &fields).await
                }
            }
        })
        .await
    }

    pub async fn place_saved_card_order(
        &self,
        domain: &str,
        payment_id: &str,
    ) -> Result<OrderView> {
        let domain_owned = domain.to_string();
        let payment_id = payment_id.to_string();
        self.complete_order(domain, None, move |client, _handle, _billing| async move {
            client
                .complete_order_with_saved_payment(&domain_owned, &payment_id)
                .await
        })
        .await
    }

    /// Starts PayPal express checkout; returns the approval URL to open in the popup.
    pub async fn paypal_start(&self, domain: &str) -> Result<String> {
        self.known_domain(domain)?;
        let lock = self.lock_for(domain);
        let _g = lock.lock().await;
        let cart = self.client.paypal_start(domain).await?;
        let attrs = cart
            .payment_method
            .as_ref()
            .and_then(|p| p.attributes.clone())
            .ok_or_else(|| {
                ApiError::decode(
                    "payment_method.attributes",
                    "PayPal start returned no approval data",
                )
            })?;
        let url = attrs.url.clone().ok_or_else(|| {
            ApiError::decode(
                "payment_method.attributes.url",
                "PayPal start returned no approval URL",
            )
        })?;
        if let (Some(token), Ok(mut t)) = (attrs.paypal_token.clone(), self.paypal_tokens.lock()) {
            t.insert(domain.to_string(), token);
        }
        self.publish(domain, cart);
        Ok(url)
    }

    /// Handles the return from the PayPal approval page (`token`, `PayerID`).
    pub async fn paypal_approved(
        &self,
        domain: &str,
        token: &str,
        payer_id: &str,
    ) -> Result<CartView> {
        let expected = self
            .paypal_tokens
            .lock()
            .ok()
            .and_then(|t| t.get(domain).cloned());
        if let Some(expected) = expected {
            if expected != token {
                return Err(ApiError::validation(
                    "The PayPal approval does not belong to this checkout. Start PayPal again.",
                ));
            }
        }
        if payer_id.trim().is_empty() {
            return Err(ApiError::validation("PayPal did not return a payer id."));
        }
        self.mutate(domain, |c| async move {
            c.paypal_authorize(domain, payer_id).await
        })
        .await
    }

    /// Forgets a PayPal approval that was cancelled or abandoned.
    pub fn paypal_cancelled(&self, domain: &str) {
        if let Ok(mut t) = self.paypal_tokens.lock() {
            t.remove(domain);
        }
    }

    pub async fn paypal_complete(&self, domain: &str) -> Result<OrderView> {
        let d = domain.to_string();
        let view = self
            .complete_order(domain, None, move |client, _h, _b| async move {
                client.paypal_complete(&d).await
            })
            .await?;
        self.paypal_cancelled(domain);
        Ok(view)
    }

    /// The exactly-once completion: one in flight per domain, never retried, and a lost
    /// outcome is settled by re-reading the cart.
    async fn complete_order<F, Fut>(
        &self,
        domain: &str,
        billing: Option<AddressView>,
        complete: F,
    ) -> Result<OrderView>
    where
        F: FnOnce(FirmlyClient, String, firmly_api::Address) -> Fut,
        Fut: std::future::Future<Output = Result<CartV2>>,
    {
        self.known_domain(domain)?;
        let _in_flight = self.orders.begin(domain)?;
        let lock = self.lock_for(domain);
        let _g = lock.lock().await;
        let before = self.client.cart(domain).await?;
        if before.is_submitted() {
            return Err(ApiError::validation(
                "This cart has already been ordered. Start a new order.",
            ));
        }
        let handle = before.payment_handle.clone().unwrap_or_default();
        let billing_wire = match billing {
            Some(b) => {
                validation::check_address(&b, false, &[])?;
                address_wire(&b)
            }
            None => before
                .billing_info
                .clone()
                .or(before.shipping_info.clone())
                .unwrap_or_default(),
        };
        let before_id = before.cart_id.clone();
        let before_copy = before.clone();
        match complete(self.client.clone(), handle, billing_wire).await {
            Ok(order) => Ok(self.finish_order(domain, order, &before_copy)),
            Err(err) if orders::outcome_may_be_lost(&err) => {
                tracing::warn!(domain, code = %err.code, "completion outcome lost; re-reading the cart");
                for delay in orders::RECONCILE_DELAYS {
                    tokio::time::sleep(delay).await;
                    match self.client.cart(domain).await {
                        Ok(after) => {
                            return match orders::reconcile(before_id.as_deref(), after) {
                                Reconciled::Placed(order) => {
                                    Ok(self.finish_order(domain, *order, &before_copy))
                                }
                                Reconciled::NotPlaced => Err(ApiError {
                                    message: format!(
                                        "The order was not placed: {}. Nothing was charged; you can try again.",
                                        err.message
                                    ),
                                    ..err
                                }),
                            };
                        }
                        Err(e) => tracing::warn!(code = %e.code, "reconciliation read failed"),
                    }
                }
                Err(ApiError::outcome_unknown(
                    "The connection was lost while placing the order and the cart cannot be read. \
                     The order may still go through: check the cart again before retrying.",
                ))
            }
            Err(err) => Err(err),
        }
    }

    fn finish_order(&self, domain: &str, order: CartV2, before: &CartV2) -> OrderView {
        let currency = order.currency();
        let source = if order.line_items.is_empty() {
            before
        } else {
            &order
        };
        let cart_view = mapping::cart_view(domain, &self.display_name(domain), source);
        let total = order
            .total
            .as_ref()
            .or(before.total.as_ref())
            .map(|a| MoneyView::from(&a.to_money(&currency)))
            .unwrap_or(cart_view.totals.total.clone());
        let payment_summary = order
            .payment_method
            .as_ref()
            .map(|p| match p.payment_type.as_deref() {
                Some("PayPal") => format!(
                    "PayPal{}",
                    p.attributes
                        .as_ref()
                        .and_then(|a| a.email.clone())
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default()
                ),
                _ => format!(
                    "{} ending in {}",
                    mapping::brand_name(p.card_type.as_deref().unwrap_or_default()),
                    p.last_four.clone().unwrap_or_else(|| "????".into())
                ),
            })
            .unwrap_or_else(|| "Paid".into());
        let view = OrderView {
            domain: domain.to_string(),
            order_number: order.platform_order_number.clone().unwrap_or_default(),
            total,
            payment_summary,
            thank_you_url: order.thank_you_page(),
            placed_at: order
                .submitted_at
                .clone()
                .unwrap_or_else(|| chrono::Utc::now().to_rfc3339()),
            line_items: cart_view.line_items.clone(),
            totals: cart_view.totals.clone(),
        };
        self.publish(domain, order);
        self.events.order_placed(&view);
        view
    }

    // ----- login, wallet, sessions -------------------------------------------------------

    pub async fn request_otp(&self, domain: &str, email: &str) -> Result<Vec<String>> {
        validation::check_email(email)?;
        let d = self.client.create_otp(domain, email.trim()).await?;
        Ok(d.emails.into_iter().chain(d.phones).collect())
    }

    pub async fn verify_otp(&self, domain: &str, email: &str, otp: &str) -> Result<CartView> {
        if otp.trim().is_empty() {
            return Err(ApiError::validation("Enter the code we sent you."));
        }
        let (email, otp) = (email.trim().to_string(), otp.trim().to_string());
        self.mutate(domain, |c| async move {
            c.validate_otp(domain, &email, &otp).await
        })
        .await
    }

    /// Starts unlocking a wallet (e.g. `shoppay`): the provider sends a one-time code;
    /// returns where it went (masked).
    pub async fn wallet_start(&self, wallet: &str, email: &str) -> Result<Vec<String>> {
        validation::check_email(email)?;
        let start = self
            .client
            .wallet_unlock_start(wallet, email.trim())
            .await?;
        if let Ok(mut w) = self.wallet_unlocks.lock() {
            w.insert(wallet.to_string(), start.access_token.clone());
        }
        let d = start.otp_destination;
        Ok(d.emails.into_iter().chain(d.phones).collect())
    }

    /// Completes the unlock with the code; the wallet's saved cards then appear among the
    /// cart's payment options (`002_599d5acdabf6b74d.txt:10470`).
    pub async fn wallet_complete(&self, domain: &str, wallet: &str, otp: &str) -> Result<CartView> {
        if otp.trim().is_empty() {
            return Err(ApiError::validation("Enter the code the wallet sent you."));
        }
        let token = self
            .wallet_unlocks
            .lock()
            .ok()
            .and_then(|w| w.get(wallet).cloned())
            .ok_or_else(|| ApiError::validation("Request a wallet code first."))?;
        self.client
            .wallet_unlock_complete(wallet, &token, otp.trim())
            .await?;
        if let Ok(mut w) = self.wallet_unlocks.lock() {
            w.remove(wallet);
        }
        self.cart(domain).await
    }

    pub async fn transfer_session(
        &self,
        domain: &str,
        handle: &str,
        cookies: Vec<String>,
    ) -> Result<CartView> {
        let handle = handle.trim();
        let handle_value = if handle.starts_with('{') {
            serde_json::from_str(handle)
                .map_err(|e| ApiError::validation(format!("The handle is not valid JSON: {e}")))?
        } else {
            serde_json::Value::String(handle.to_string())
        };
        let cookies: Vec<String> = cookies
            .into_iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        self.mutate(domain, |c| async move {
            c.session_transfer(domain, handle_value, &cookies).await
        })
        .await
    }
}

fn consent_view(c: &firmly_api::Consent) -> ConsentView {
    ConsentView {
        id: c.id.clone(),
        text: c.text.clone().unwrap_or_default(),
        rich_text: c.rich_text,
        required: c.required,
        revokable: c.revokable,
        signed: c.signed,
        slot: c.ui_slot.clone(),
    }
}

/// Sum of cart totals per currency (decimal arithmetic, never floats).
pub fn hive_total(carts: &[CartView]) -> Vec<MoneyView> {
    let mut sums: BTreeMap<String, rust_decimal::Decimal> = BTreeMap::new();
    for c in carts
        .iter()
        .filter(|c| c.item_count > 0 && c.status != "submitted")
    {
        let amount = c
            .totals
            .total
            .amount
            .parse::<rust_decimal::Decimal>()
            .unwrap_or_default();
        *sums.entry(c.totals.total.currency.clone()).or_default() += amount;
    }
    sums.into_iter()
        .map(|(currency, amount)| MoneyView::from(&firmly_api::Money { amount, currency }))
        .collect()
}
