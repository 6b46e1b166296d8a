//! Carts: the catalog, one merchant's cart, the whole hive loaded in parallel, line items,
//! merchants added by domain, the device's postal-code preference and one address applied
//! to every cart. A device without a cart at a merchant gets the documented 404, which is an
//! empty cart here, never an error (ENDPOINTS.md §1 #7/#10).

use std::sync::Arc;

use firmly_api::{ApiError, CartV2, ErrorClass};
use futures_util::stream::{self, StreamExt};

use super::{empty_cart, is_no_cart, CheckoutService, Result};
use crate::mapping;
use crate::validation;
use crate::view::*;

/// Most merchant reads in flight at once when the hive loads (20 merchants load in one round).
pub const HIVE_CONCURRENCY: usize = 32;

impl CheckoutService {
    // ----- catalog -----------------------------------------------------------------------

    pub async fn products(&self, domain: &str) -> Result<Vec<ProductSummaryView>> {
        let domain = self.domain(domain)?;
        match self.client.product_list(&domain).await {
            Ok(list) => Ok(list.iter().map(mapping::product_summary_view).collect()),
            Err(e) => {
                self.note_load_error(&domain, &e);
                Err(e)
            }
        }
    }

    pub async fn product(&self, domain: &str, handle: &str) -> Result<ProductView> {
        let domain = self.domain(domain)?;
        let p = self.client.product(&domain, handle).await?;
        Ok(mapping::product_view(&p))
    }

    // ----- one cart ------------------------------------------------------------------------

    /// Reads one merchant's cart (and its consents, for readiness). No cart yet = empty cart.
    pub async fn cart(&self, domain: &str) -> Result<CartView> {
        let domain = self.domain(domain)?;
        let epoch = self.epoch();
        let lock = self.lock_for(&domain);
        let _g = lock.lock().await;
        let (cart, consents) = tokio::join!(self.read_cart(&domain), self.client.consents(&domain));
        if let Ok(list) = consents {
            self.consents.lock().insert(domain.clone(), list);
        }
        match cart {
            Ok(cart) => {
                self.load_errors.lock().remove(&domain);
                self.publish_in(epoch, &domain, cart)
            }
            Err(e) => {
                self.note_load_error(&domain, &e);
                Err(e)
            }
        }
    }

    /// GET cart, where the documented 404 is an empty cart.
    /// Shared with the client's kept answer: an unchanged cart is not copied.
    pub(crate) async fn read_cart(&self, domain: &str) -> Result<Arc<CartV2>> {
        match self.client.cart_shared(domain).await {
            Ok(c) => Ok(c),
            Err(e) if is_no_cart(&e) => Ok(Arc::new(empty_cart(domain))),
            Err(e) => Err(e),
        }
    }

    /// Remembers a merchant's failure for its tab and tells the UI; the others are untouched.
    pub(crate) fn note_load_error(&self, domain: &str, e: &ApiError) {
        if e.class() == ErrorClass::Transport || e.status.is_some() {
            self.load_errors
                .lock()
                .insert(domain.to_string(), e.clone());
            self.republish(domain);
        }
    }

    // ----- the hive --------------------------------------------------------------------------

    /// Every merchant's cart, read in parallel (bounded). Merchants with carts on this device
    /// that this desk does not know yet are discovered through `/api/v2/carts/active` (with
    /// `excludes` = the known ones, `003_3e14cad37ed8d963.txt:7`), falling back to what is
    /// known when the route is missing. A merchant that fails shows its error on its own tab;
    /// the others load. (`hive`, in `warm.rs`, answers the start-up's warm read first.)
    pub(crate) async fn read_hive(&self) -> Result<HiveView> {
        self.client.ensure_session().await?;
        let known: Vec<String> = self.merchants().into_iter().map(|m| m.domain).collect();
        let (active, mut views) = tokio::join!(
            self.client.active_carts(&known),
            self.load_carts(known.clone())
        );
        match active {
            Ok(active) => {
                let mut discovered: Vec<String> = active
                    .domains
                    .iter()
                    .cloned()
                    .chain(active.carts.iter().filter_map(|c| c.domain.clone()))
                    .filter(|d| !known.contains(d) && crate::validation::check_domain(d).is_ok())
                    .collect();
                discovered.sort();
                discovered.dedup();
                if !discovered.is_empty() {
                    self.remember_domains(&discovered);
                    views.extend(self.load_carts(discovered).await);
                }
            }
            Err(e) => {
                tracing::debug!(code = %e.code, "active carts unavailable; using the known merchants")
            }
        }
        let order: Vec<String> = self.merchants().into_iter().map(|m| m.domain).collect();
        views.sort_by_key(|v| order.iter().position(|d| *d == v.domain));
        let total = super::hive_total(self.hive.lock().values().map(|c| &**c));
        Ok(HiveView {
            carts: views,
            total,
        })
    }

    /// Reads these merchants' carts concurrently; a failure becomes that cart's `load_error`.
    async fn load_carts(&self, domains: Vec<String>) -> Vec<CartView> {
        let epoch = self.epoch();
        stream::iter(domains)
            .map(|domain| async move {
                let read = self.read_cart(&domain).await;
                match read {
                    Ok(cart) => {
                        self.load_errors.lock().remove(&domain);
                        self.publish_in(epoch, &domain, cart)
                            .unwrap_or_else(|_| self.view_of(&domain, &empty_cart(&domain)))
                    }
                    Err(e) => {
                        tracing::info!(%domain, code = %e.code, "a merchant's cart could not be read");
                        self.load_errors.lock().insert(domain.clone(), e);
                        let cached = self.cached_cart(&domain).unwrap_or_else(|| empty_cart(&domain).into());
                        self.view_of(&domain, &cached)
                    }
                }
            })
            .buffer_unordered(super::HIVE_CONCURRENCY)
            .collect()
            .await
    }

    // ----- line items ---------------------------------------------------------------------

    pub async fn add_item(
        &self,
        domain: &str,
        variant_id: &str,
        quantity: u32,
    ) -> Result<CartView> {
        if quantity == 0 {
            return Err(ApiError::field("quantity", "Quantity must be at least 1."));
        }
        if variant_id.trim().is_empty() {
            return Err(ApiError::field("variant", "Choose a variant first."));
        }
        let view = self
            .mutate(domain, |c, d| async move {
                c.add_line_item(&d, variant_id, i64::from(quantity), false)
                    .await
            })
            .await;
        self.audit(Some(domain), "add_item", super::outcome_of(&view));
        view
    }

    pub async fn set_quantity(
        &self,
        domain: &str,
        line_item_id: &str,
        quantity: u32,
    ) -> Result<CartView> {
        self.mutate(domain, |c, d| async move {
            c.update_line_item(&d, line_item_id, i64::from(quantity))
                .await
        })
        .await
    }

    pub async fn clear_cart(&self, domain: &str) -> Result<CartView> {
        self.mutate(domain, |c, d| async move {
            match c.clear_cart(&d).await {
                Err(e) if is_no_cart(&e) => Ok(empty_cart(&d)),
                other => other,
            }
        })
        .await
    }

    // ----- merchants ------------------------------------------------------------------------

    /// Adds a merchant by its domain (there is no documented merchant directory,
    /// ENDPOINTS.md §1.1). A merchant without a cart for this device is normal (404 = empty
    /// cart); a domain the API does not serve is refused with the API's reason.
    pub async fn add_merchant(&self, domain: &str) -> Result<AppInfo> {
        let d = validation::check_domain(domain)?;
        self.cart(&d).await?;
        self.remember_domains(std::slice::from_ref(&d));
        self.audit(Some(&d), "add_merchant", "ok");
        self.app_info().await
    }

    /// The merchant's checkout health (`operational`, `degraded`, `outage`) from the status
    /// host (`002_599d5acdabf6b74d.txt:12293`); `unknown` when there is no status host or it
    /// cannot be read: a health check never blocks shopping.
    pub async fn merchant_health(&self, domain: &str) -> String {
        let Ok(domain) = self.domain(domain) else {
            return "unknown".into();
        };
        if !self.has_status_host() {
            return "unknown".into();
        }
        match self
            .client
            .merchant_health(&domain, super::HEALTH_COMPONENT)
            .await
        {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(%domain, code = %e.code, "merchant health unavailable");
                "unknown".to_string()
            }
        }
    }

    fn has_status_host(&self) -> bool {
        self.client.config().status_base.is_some()
    }

    // ----- the device's postal code -------------------------------------------------------------

    /// Sets the device-wide postal-code preference used for shipping and tax estimates
    /// (`POST /api/v2/carts/postal-code`, `001_deb22a4e58c57bde.txt:64`); `None` clears it.
    /// The carts are re-read so their estimates follow.
    pub async fn set_postal_code(&self, postal_code: Option<&str>) -> Result<HiveView> {
        let code = postal_code.map(str::trim).filter(|p| !p.is_empty());
        if let Some(c) = code {
            validation::check_postal_code(c)?;
        }
        self.client.set_postal_code(code).await?;
        self.persistence
            .update_session(|s| s.postal_code = code.map(str::to_string));
        self.audit(None, "set_postal_code", "ok");
        self.hive().await
    }

    /// Applies one shipping address to every cart that has items (the JS SDK's
    /// `CartHive.setShippingInfo`, `002_599d5acdabf6b74d.txt:13679`); each cart reports its
    /// own result and one failure does not stop the others.
    pub async fn apply_address_to_all(&self, address: AddressView) -> Result<Vec<CartResult>> {
        let problems = validation::address_problems(&address, true, &[]);
        if let Some(p) = problems.first() {
            return Err(ApiError::field(&p.field, &p.message));
        }
        let domains: Vec<String> = self
            .hive
            .lock()
            .iter()
            .filter(|(_, c)| !c.line_items.is_empty() && !c.is_submitted())
            .map(|(d, _)| d.clone())
            .collect();
        let results = stream::iter(domains)
            .map(|d| {
                let address = address.clone();
                async move {
                    let r = self.set_shipping_info(&d, address).await;
                    CartResult {
                        domain: d,
                        cart: r.as_ref().ok().cloned(),
                        error: r.err(),
                    }
                }
            })
            .buffer_unordered(super::HIVE_CONCURRENCY)
            .collect::<Vec<_>>()
            .await;
        Ok(results)
    }
}
