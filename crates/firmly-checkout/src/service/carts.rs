//! Carts: the catalog, one merchant's cart, the whole hive loaded in parallel, line items,
//! merchants added by domain, the device's postal-code preference and one address applied
//! to every cart. A device without a cart at a merchant gets the documented 404, which is an
//! empty cart here, never an error (ENDPOINTS.md §1 #7/#10).

use firmly_api::Field;
use std::sync::Arc;

use firmly_api::{ApiError, CartV2, ErrorClass, ErrorCode};
use futures_util::stream::{self, StreamExt};

use super::{empty_cart, is_no_cart, CheckoutService, CustomerState, Result};
use crate::domain::Domain;
use crate::mapping;
use crate::validation;
use crate::view::*;

/// The component id of the docs' health example (ENDPOINTS.md §1 #50), which the embedded
/// sandbox serves; a live desk names its own in Settings (`status_component`).
pub const SANDBOX_HEALTH_COMPONENT: &str = "v2024-02-27-0-chkt";

/// How long after a removal or a clear it can be undone (the screen offers it for 5 s; the
/// backend allows a little more for a slow click).
pub const UNDO_FOR: std::time::Duration = std::time::Duration::from_secs(15);

/// Most products a catalog grid asks prices for at once (its first page), and how many of
/// their detail reads are in flight together.
pub const PRICES_MAX: usize = 60;
pub const PRICES_CONCURRENCY: usize = 6;

/// Most merchant reads in flight at once when the hive loads (20 merchants load in one round).
pub const HIVE_CONCURRENCY: usize = 32;

impl CheckoutService {
    // ----- catalog -----------------------------------------------------------------------

    pub async fn products(&self, domain: &Domain) -> Result<Vec<ProductSummaryView>> {
        let domain = domain.clone();
        let customer = self.customer();
        match customer.client.product_list(&domain).await {
            Ok(list) => Ok(list.iter().map(mapping::product_summary_view).collect()),
            Err(e) => {
                self.note_load_error(&customer, &domain, &e);
                Err(e)
            }
        }
    }

    /// Prices for the catalog's cards, read from each product's details a few at a time (the
    /// product list carries none, ENDPOINTS.md §2.9). A product whose details cannot be read
    /// has no entry (its card shows no price); its add-to-cart payloads are kept for later.
    pub async fn product_prices(
        &self,
        domain: &Domain,
        handles: Vec<String>,
    ) -> Result<Vec<ProductPriceView>> {
        let customer = self.customer();
        let prices = stream::iter(handles.into_iter().take(PRICES_MAX))
            .map(|handle| {
                let customer = customer.clone();
                let domain = domain.clone();
                async move {
                    let p = customer.client.product(&domain, &handle).await.ok()?;
                    keep_payloads(&customer, &domain, &p);
                    Some(mapping::product_price_view(&p))
                }
            })
            .buffered(PRICES_CONCURRENCY)
            .filter_map(|p| async move { p })
            .collect()
            .await;
        Ok(prices)
    }

    pub async fn product(&self, domain: &Domain, handle: &str) -> Result<ProductView> {
        let domain = domain.clone();
        let customer = self.customer();
        let p = customer.client.product(&domain, handle).await?;
        keep_payloads(&customer, &domain, &p);
        Ok(mapping::product_view(&p))
    }

    /// Adds a product from a link to its page, as typed, pasted or sent by a barcode scanner
    /// (ENDPOINTS.md §1 #4, Get Product from URL): the link's host is the merchant. A product
    /// with one available variant (or the one chosen) is added; otherwise its variants come
    /// back to choose from.
    pub async fn add_by_link(
        &self,
        link: &str,
        variant_id: Option<String>,
        quantity: u32,
    ) -> Result<LinkAdd> {
        let (url, domain) = product_link(link)?;
        let customer = self.customer();
        let postal = self.persistence.session().postal_code;
        let p = match customer
            .client
            .product_by_url(url.as_str(), postal.as_deref())
            .await
        {
            Ok(p) => p,
            Err(e) if e.status == Some(404) || e.status == Some(400) => {
                let mut unknown = ApiError::field(
                    Field::Link,
                    "This link is not a product page this merchant sells through Firmly.",
                );
                unknown.raw_code = e.raw_code;
                unknown.request_id = e.request_id;
                return Err(unknown);
            }
            Err(e) => return Err(e),
        };
        keep_payloads(&customer, &domain, &p);
        let available: Vec<&firmly_api::ProductVariant> =
            p.variants.iter().filter(|v| v.available).collect();
        let chosen = match variant_id.filter(|v| !v.trim().is_empty()) {
            Some(v) => Some(v),
            None => match available.as_slice() {
                [only] => Some(only.variant_id()),
                _ => None,
            },
        };
        match chosen {
            Some(v) => {
                let cart = self.add_item(&domain, &v, quantity.max(1)).await?;
                self.remember_domains(std::slice::from_ref(&domain));
                Ok(LinkAdd::Added {
                    cart: Box::new(cart),
                })
            }
            None if available.is_empty() => Err(ApiError::new(
                ErrorCode::NotEnoughStock,
                "This product is sold out at the moment.",
            )
            .with_field(Field::Link)),
            None => Ok(LinkAdd::Choose {
                domain: domain.to_string(),
                product: Box::new(mapping::product_view(&p)),
            }),
        }
    }

    // ----- one cart ------------------------------------------------------------------------

    /// Reads one merchant's cart (and its consents, for readiness). No cart yet = empty cart.
    pub async fn cart(&self, domain: &Domain) -> Result<CartView> {
        let domain = domain.clone();
        let customer = self.customer();
        let lock = customer.lock_for(&domain);
        let _g = lock.lock().await;
        // Consents change without the cart's lock (a tick never waits for a read): a list
        // read before a tick answered is not kept over it.
        let since = customer.consents_revision(&domain);
        let (cart, consents) = tokio::join!(
            read_cart(&customer, &domain),
            customer.client.consents(&domain)
        );
        if let Ok(list) = consents {
            customer.keep_consents(&domain, list, Some(since));
        }
        match cart {
            Ok(cart) => {
                customer.merchant(&domain, |m| m.load_error = None);
                self.publish_in(&customer, &domain, cart)
            }
            Err(e) => {
                self.note_load_error(&customer, &domain, &e);
                Err(e)
            }
        }
    }

    /// Remembers a merchant's failure for its tab and tells the UI; the others are untouched.
    pub(crate) fn note_load_error(
        &self,
        customer: &Arc<CustomerState>,
        domain: &Domain,
        e: &ApiError,
    ) {
        if e.class() == ErrorClass::Transport || e.status.is_some() {
            customer.merchant(domain, |m| m.load_error = Some(e.clone()));
            self.republish(customer, domain);
        }
    }

    // ----- the hive --------------------------------------------------------------------------

    /// Every merchant's cart, read in parallel (bounded). Merchants with carts on this device
    /// that this desk does not know yet are discovered through `/api/v2/carts/active` (with
    /// `excludes` = the known ones, ENDPOINTS.md §1 #39), falling back to what is
    /// known when the route is missing. A merchant that fails shows its error on its own tab;
    /// the others load. (`hive`, in `warm.rs`, answers the start-up's warm read first.)
    pub(crate) async fn read_hive(&self, customer: &Arc<CustomerState>) -> Result<HiveView> {
        customer.client.ensure_session().await?;
        let known = Domain::parse_all(self.merchants().iter().map(|m| m.domain.as_str()));
        let known_text: Vec<String> = known.iter().map(|d| d.to_string()).collect();
        let (active, mut views) = tokio::join!(
            customer.client.active_carts(&known_text),
            self.load_carts(customer, known.clone())
        );
        match active {
            Ok(active) => {
                let mut discovered: Vec<Domain> = Domain::parse_all(
                    active
                        .domains
                        .iter()
                        .map(String::as_str)
                        .chain(active.carts.iter().filter_map(|c| c.domain.as_deref())),
                );
                discovered.retain(|d| !known.contains(d));
                discovered.sort();
                if !discovered.is_empty() {
                    self.remember_domains(&discovered);
                    views.extend(self.load_carts(customer, discovered).await);
                }
            }
            Err(e) => {
                tracing::debug!(code = %e.code, "active carts unavailable; using the known merchants")
            }
        }
        let order: Vec<String> = self.merchants().into_iter().map(|m| m.domain).collect();
        views.sort_by_key(|v| order.iter().position(|d| *d == v.domain));
        let total = super::hive_total_of(customer);
        Ok(HiveView {
            carts: views,
            total,
        })
    }

    /// Reads these merchants' carts concurrently; a failure becomes that cart's `load_error`.
    async fn load_carts(
        &self,
        customer: &Arc<CustomerState>,
        domains: Vec<Domain>,
    ) -> Vec<CartView> {
        stream::iter(domains)
            .map(|domain| async move {
                // Read without the merchant's lock (a change is never kept waiting by the
                // hive), so a change published meanwhile wins over this answer.
                let since = customer.revision(&domain);
                let read = read_cart(customer, &domain).await;
                match read {
                    Ok(cart) => {
                        customer.merchant(&domain, |m| m.load_error = None);
                        self.publish_read(customer, &domain, cart, Some(since)).unwrap_or_else(|_| {
                            self.view_of(customer, &domain, &empty_cart(&domain))
                        })
                    }
                    Err(e) => {
                        tracing::info!(%domain, code = %e.code, "a merchant's cart could not be read");
                        customer.merchant(&domain, |m| m.load_error = Some(e));
                        let cached = customer
                            .cart(&domain)
                            .unwrap_or_else(|| empty_cart(&domain).into());
                        self.view_of(customer, &domain, &cached)
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
        domain: &Domain,
        variant_id: &str,
        quantity: u32,
    ) -> Result<CartView> {
        if quantity == 0 {
            return Err(ApiError::field(
                Field::Quantity,
                "Quantity must be at least 1.",
            ));
        }
        if variant_id.trim().is_empty() {
            return Err(ApiError::field(Field::Variant, "Choose a variant first."));
        }
        // The catalog's own payload when the desk read it (sent as given), else the variant.
        let payload = self
            .customer()
            .read(domain, |m| m.payloads.get(variant_id).cloned())
            .flatten();
        let view = self
            .mutate(domain, |c, d| async move {
                match payload {
                    Some(p) => c.add_to_cart(&d, &p, i64::from(quantity), false).await,
                    None => {
                        c.add_line_item(&d, variant_id, i64::from(quantity), false)
                            .await
                    }
                }
            })
            .await;
        self.audit(Some(domain), "add_item", super::outcome_of(&view));
        view
    }

    /// Changes a line's quantity; 0 removes it (and can be undone, [`Self::undo_removal`]).
    pub async fn set_quantity(
        &self,
        domain: &Domain,
        line_item_id: &str,
        quantity: u32,
    ) -> Result<CartView> {
        if quantity == 0 {
            self.keep_for_undo(domain, |li| li.line_item_id == line_item_id);
        }
        self.mutate(domain, |c, d| async move {
            c.update_line_item(&d, line_item_id, i64::from(quantity))
                .await
        })
        .await
    }

    /// Empties the cart (undoable, [`Self::undo_removal`]).
    pub async fn clear_cart(&self, domain: &Domain) -> Result<CartView> {
        self.keep_for_undo(domain, |_| true);
        self.mutate(domain, |c, d| async move {
            match c.clear_cart(&d).await {
                Err(e) if is_no_cart(&e) => Ok(empty_cart(&d)),
                other => other,
            }
        })
        .await
    }

    /// Remembers the lines a removal or a clear is about to take away.
    fn keep_for_undo(&self, domain: &Domain, which: impl Fn(&firmly_api::LineItem) -> bool) {
        let d = domain;
        let customer = self.customer();
        let Some(cart) = customer.cart(d) else {
            return;
        };
        let lines: Vec<(String, i64)> = cart
            .line_items
            .iter()
            .filter(|li| which(li))
            .filter_map(|li| {
                let v = li.variant_id.clone().or_else(|| li.sku.clone())?;
                Some((v, li.quantity.max(1)))
            })
            .collect();
        customer.merchant(d, |m| {
            m.undo = (!lines.is_empty()).then(|| super::customer::Undo {
                lines,
                at: std::time::Instant::now(),
            });
        });
    }

    /// Puts back what the last removal or clear took away, within [`UNDO_FOR`] of it. The
    /// lines are added again (a cart cleared then restored is the same items, not the same
    /// line ids).
    pub async fn undo_removal(&self, domain: &Domain) -> Result<CartView> {
        let d = domain.clone();
        let customer = self.customer();
        let undo = customer
            .merchant(&d, |m| m.undo.take())
            .filter(|u| u.at.elapsed() < UNDO_FOR)
            .ok_or_else(|| ApiError::field(Field::Undo, "There is nothing to undo any more."))?;
        let mut view = None;
        for (variant, qty) in undo.lines {
            let qty = u32::try_from(qty).unwrap_or(1);
            view = Some(self.add_item(&d, &variant, qty).await?);
        }
        self.audit(Some(&d), "undo_removal", "ok");
        match view {
            Some(v) => Ok(v),
            None => self.cart(&d).await,
        }
    }

    // ----- merchants ------------------------------------------------------------------------

    /// Adds a merchant by its domain (there is no documented merchant directory,
    /// ENDPOINTS.md §1.1). A merchant without a cart for this device is normal (404 = empty
    /// cart); a domain the API does not serve is refused with the API's reason.
    pub async fn add_merchant(&self, domain: &Domain) -> Result<AppInfo> {
        self.refuse_on_kiosk("Adding a merchant")?;
        let d = domain;
        self.cart(d).await?;
        self.remember_domains(std::slice::from_ref(d));
        self.audit(Some(d), "add_merchant", "ok");
        self.app_info().await
    }

    /// The merchant's checkout health from the status host (ENDPOINTS.md §1 #50, flow F3):
    /// `NotConfigured` without a status host or component id, `Failed` with the error when
    /// it cannot be read. A health check never blocks shopping.
    pub async fn merchant_health(&self, domain: &Domain) -> MerchantHealth {
        let Some(component) = self.health_component() else {
            return MerchantHealth::NotConfigured;
        };
        match self.client().merchant_health(domain, &component).await {
            Ok(s) => MerchantHealth::from_status(&s),
            Err(error) => {
                tracing::debug!(%domain, code = %error.code, "merchant health unavailable");
                MerchantHealth::Failed { error }
            }
        }
    }

    /// The component whose health is asked: the setting; on the embedded sandbox, the
    /// docs' example component when none is set. None without a status host.
    fn health_component(&self) -> Option<String> {
        self.config.status_base.as_ref()?;
        let set = self.settings.current().status_component.trim().to_string();
        if !set.is_empty() {
            Some(set)
        } else if self.env.kind == EnvironmentKind::Sandbox {
            Some(SANDBOX_HEALTH_COMPONENT.to_string())
        } else {
            None
        }
    }

    // ----- the device's postal code -------------------------------------------------------------

    /// Sets the device-wide postal-code preference used for shipping and tax estimates
    /// (`POST /api/v2/carts/postal-code`, ENDPOINTS.md §1 #41); `None` clears it.
    /// The carts are re-read so their estimates follow.
    pub async fn set_postal_code(&self, postal_code: Option<&str>) -> Result<HiveView> {
        let code = postal_code.map(str::trim).filter(|p| !p.is_empty());
        if let Some(c) = code {
            validation::check_postal_code(c)?;
        }
        self.client().set_postal_code(code).await?;
        self.persistence
            .update_session(|s| s.postal_code = code.map(str::to_string));
        self.audit(None, "set_postal_code", "ok");
        self.hive().await
    }

    /// Applies one shipping address to every cart that has items (the JS SDK's
    /// `CartHive.setShippingInfo`, ENDPOINTS.md §8 F4); each cart reports its
    /// own result and one failure does not stop the others.
    pub async fn apply_address_to_all(&self, address: AddressView) -> Result<Vec<CartResult>> {
        let problems = validation::address_problems(&address, true, &[]);
        if let Some(p) = problems.first() {
            return Err(ApiError::field(p.field, &p.message));
        }
        let domains: Vec<Domain> = self
            .customer()
            .carts()
            .into_iter()
            .filter(|(_, c)| !c.line_items.is_empty() && !c.is_submitted())
            .map(|(d, _)| d)
            .collect();
        let results = stream::iter(domains)
            .map(|d| {
                let address = address.clone();
                async move {
                    let r = self.set_shipping_info(&d, address).await;
                    CartResult {
                        domain: d.to_string(),
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

/// GET cart, where the documented 404 is an empty cart. Shared with the client's kept
/// answer: an unchanged cart is not copied.
pub(crate) async fn read_cart(customer: &CustomerState, domain: &Domain) -> Result<Arc<CartV2>> {
    match customer.client.cart_shared(domain).await {
        Ok(c) => Ok(c),
        Err(e) if is_no_cart(&e) => Ok(Arc::new(empty_cart(domain))),
        Err(e) => Err(e),
    }
}

/// Keeps the catalog's add-to-cart payload of each variant of a product read.
fn keep_payloads(customer: &CustomerState, domain: &Domain, p: &firmly_api::ProductDetails) {
    customer.merchant(domain, |m| {
        for v in &p.variants {
            if let Some(payload) = &v.add_to_cart_payload {
                m.payloads.insert(v.variant_id(), payload.clone());
            }
        }
    });
}

/// A product page link as typed, pasted or scanned (`https://` may be left out), and the
/// merchant it belongs to.
fn product_link(text: &str) -> Result<(url::Url, Domain)> {
    let t = text.trim();
    let problem = || {
        ApiError::field(
            Field::Link,
            "Enter a product page link (https://shop.example/products/...).",
        )
    };
    if t.is_empty() || t.chars().any(char::is_whitespace) {
        return Err(problem());
    }
    let with_scheme = if t.contains("://") {
        t.to_string()
    } else {
        format!("https://{t}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| problem())?;
    if !matches!(url.scheme(), "https" | "http") || url.path().trim_matches('/').is_empty() {
        return Err(problem());
    }
    let domain = url
        .host_str()
        .and_then(|h| Domain::parse(h).ok())
        .ok_or_else(problem)?;
    Ok((url, domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_link_names_its_merchant() {
        let (u, d) = product_link(" staging.luma.gift/products/hero-hoodie ").unwrap();
        assert_eq!(
            (u.as_str(), d.as_str()),
            (
                "https://staging.luma.gift/products/hero-hoodie",
                "staging.luma.gift"
            )
        );
        let (u, _) = product_link("https://shop.example/p?id=1&variant=2").unwrap();
        assert_eq!(u.query(), Some("id=1&variant=2"));
        for bad in [
            "",
            "hero hoodie",
            "https://shop.example/",
            "javascript:alert(1)",
            "ftp://shop.example/p",
        ] {
            assert_eq!(
                product_link(bad).unwrap_err().field,
                Some(Field::Link),
                "{bad}"
            );
        }
    }
}
