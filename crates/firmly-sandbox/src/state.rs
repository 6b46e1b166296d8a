//! The server's shared state: the immutable catalog, profile, base URL and token secret, the
//! current payment key, and the one lock around the [`World`]. The lock is short-lived and
//! never held across an `.await`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use parking_lot::{Mutex, RwLock};

use crate::errors::ApiError;
use crate::model::catalog::Catalog;
use crate::model::fixtures::MerchantFixture;
use crate::model::profile::Profile;
use crate::model::world::World;
use crate::vault::keys::VaultKeys;
use crate::vault::pending::PaymentKey;

/// Shared, immutable-after-start parts plus the locked world.
pub struct Shared {
    pub catalog: Catalog,
    pub profile: Profile,
    /// Remote access and simulated latency ([`crate::SandboxConfig`]).
    pub serve: crate::ServeOptions,
    /// Requests held by a `hold` fault rule (its own lock; a reset releases them).
    pub holds: Arc<crate::holds::Holds>,
    /// `http://HOST:PORT`, used for absolute image, product and thank-you URLs.
    pub base_url: String,
    pub jwt_secret: Vec<u8>,
    /// Device tokens verified already (signature and claims).
    pub tokens: crate::tokens::TokenCache,
    /// The current payment key (ready, or being generated in the background);
    /// `POST /__sandbox/rotate-key` (demo) replaces it.
    pub vault: RwLock<PaymentKey>,
    pub world: Mutex<World>,
    /// When the server state was made: the journal's `start_us`/`end_us` count from it.
    pub started: std::time::Instant,
}

pub type AppState = Arc<Shared>;

/// The profile, for extractors that need only it (`crate::errors::ApiJson`).
impl axum::extract::FromRef<AppState> for Profile {
    fn from_ref(state: &AppState) -> Profile {
        state.profile
    }
}

impl Shared {
    pub fn now(&self) -> DateTime<Utc> {
        self.world.lock().now()
    }

    /// The current payment key pair, waiting for its generation if needed; a failed
    /// generation is `Unexpected 500`.
    pub async fn keys(&self) -> Result<Arc<VaultKeys>, ApiError> {
        let pending = self.vault.read().clone();
        pending.get().await.map_err(|e| {
            tracing::error!(error = %e, "payment key unavailable");
            ApiError::unexpected()
        })
    }

    pub fn merchant(&self, domain: &str) -> Option<&MerchantFixture> {
        self.catalog.merchant(domain)
    }

    /// Restores the seeded world: forgets devices, carts, orders, faults, the journal and the
    /// clock offset, and releases every held request (`POST /__sandbox/reset`).
    pub fn reset(&self) {
        *self.world.lock() = World::default();
        self.holds.release(None);
        tracing::info!("sandbox reset");
    }
}
