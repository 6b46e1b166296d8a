//! The carts read as the desk starts, before anyone asks (`DeskOptions::warm_up`; the app
//! turns it on). The window takes about half a second to load its page; the device session,
//! the merchants with carts on this device and every merchant's cart are read meanwhile, so
//! the page's first `get_hive` and `app_info` answer from memory instead of waiting on the
//! API (docs/BENCHMARKS.md §1: "a start-up that waits on the network before the first paint").
//!
//! `app_info` waits only for the warm-up's one call for the active merchants, never for
//! the carts: a slow or lost cart answer cannot hold up the page's shell.
//!
//! The warm answer is only ever a head start, never a cache: it is used once, only for the
//! customer it was read for (it lives in that customer's state), only if no cart changed
//! after it was read (every publish counts, `CustomerState::changes`), and only within
//! `WARM_FOR`. Otherwise the carts are
//! read again, as without it. A failed warm read is simply forgotten.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::{BoxFuture, FutureExt, Shared};

use super::{CheckoutService, CustomerState, Result};
use crate::view::HiveView;

/// How long a warm read stands in for a fresh one.
pub(crate) const WARM_FOR: Duration = Duration::from_secs(10);

/// What the warm-up read, and when.
pub(crate) struct Warm {
    changes: u64,
    at: Instant,
    hive: HiveView,
}

/// The warm-up in progress or done, until the first `hive` takes it.
pub(crate) type WarmTask = Shared<BoxFuture<'static, Option<Arc<Warm>>>>;

/// The warm-up's one call for the merchants with carts on this device: `true` once it
/// answered. `app_info` waits for this call only, never for the carts, so a slow or lost
/// cart answer cannot hold up the shell.
pub(crate) type WarmDomains = Shared<BoxFuture<'static, bool>>;

impl CheckoutService {
    /// Starts reading the device session, the active merchants and every cart in the
    /// background. Called once, as the desk starts. Kept with the customer: a wipe forgets
    /// it with everything else.
    pub fn warm_up(&self) {
        let Some(me) = self.arc() else { return };
        let customer = self.customer();
        // What `app_info` would ask, and what `get_hive` would; the session first, as both
        // need it (concurrent callers wait for one `ensure_session`).
        let domains = {
            let (me, customer) = (me.clone(), customer.clone());
            async move {
                if customer.client.ensure_session().await.is_err() {
                    return false;
                }
                me.discover_active_domains(&customer).await
            }
        }
        .boxed()
        .shared();
        *customer.warm_domains.lock() = Some(domains.clone());
        let reader = customer.clone();
        let task = async move {
            if let Err(e) = reader.client.ensure_session().await {
                tracing::debug!(code = %e.code, "warm-up: no device session yet");
                return None;
            }
            let (_, hive) = tokio::join!(domains, me.read_hive(&reader));
            match hive {
                Ok(hive) => Some(Arc::new(Warm {
                    changes: reader.changes.load(Ordering::SeqCst),
                    at: Instant::now(),
                    hive,
                })),
                Err(e) => {
                    tracing::debug!(code = %e.code, "warm-up: the carts are read when asked");
                    None
                }
            }
        }
        .boxed()
        .shared();
        *customer.warm_task.lock() = Some(task.clone());
        tokio::spawn(task);
    }

    /// Takes the warm read, if one was made and is still true (see the module comment).
    async fn take_warm(&self, customer: &CustomerState) -> Option<Arc<Warm>> {
        let task = customer.warm_task.lock().take()?;
        let warm = task.await?;
        let still_true =
            warm.changes == customer.changes.load(Ordering::SeqCst) && warm.at.elapsed() < WARM_FOR;
        still_true.then_some(warm)
    }

    /// Whether the warm-up asked for the merchants with carts on this device, for this
    /// customer; waits for that one call only.
    pub(crate) async fn warm_domains_asked(&self, customer: &CustomerState) -> bool {
        let Some(domains) = customer.warm_domains.lock().clone() else {
            return false;
        };
        domains.await
    }

    /// Every merchant's cart: the warm read once, when it is still true, else read now.
    pub async fn hive(&self) -> Result<HiveView> {
        let customer = self.customer();
        match self.take_warm(&customer).await {
            Some(warm) if self.is_current(&customer) => Ok(warm.hive.clone()),
            _ => self.read_hive(&customer).await,
        }
    }
}
