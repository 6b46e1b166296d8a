//! A faithful, stateful local Firmly API server (CONTRACTS.md §3): the demo merchants, the
//! extra merchants that trigger documented errors, fifty generated merchants, device sessions,
//! catalog, v1 and v2 carts, shipments, addons, promo codes, consents, the card vault, a PayPal
//! simulator and the `/__sandbox/` admin API. One server serves the `{api}`, `{vault}` and
//! `{status}` paths (ENDPOINTS.md §9). Two profiles: `docs` answers strictly as the Firmly docs
//! say; `demo` (default) adds the extensions CONTRACTS.md §3 lists.
//!
//! Layers, each depending only on those above it:
//! [`model`] (data) → [`rules`], [`tokens`] and [`vault::keys`] (pure decisions, domain errors) →
//! [`errors`], [`rule_errors`], [`state`] → [`views`] (JSON shapes) → [`carts`] (finding and
//! creating carts) and [`vault::completion`] → [`routes`] and [`middleware`] (HTTP).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use firmly_sandbox::{start, Profile, SandboxConfig};
//! let sandbox = start(SandboxConfig { profile: Profile::Docs, ..SandboxConfig::default() }).await?;
//! let products = format!("{}/api/v1/domains-products/staging.luma.gift", sandbox.base_url());
//! # let _ = products;
//! sandbox.reset();
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod carts;
pub mod errors;
pub mod middleware;
pub mod model;
pub mod routes;
pub mod rule_errors;
pub mod rules;
pub mod state;
pub mod tokens;
pub mod vault;
pub mod views;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use model::profile::Profile;
pub use routes::router;
pub use state::{AppState, Shared};

/// The demo merchants of CONTRACTS.md §3 (the ones an app lists). The extra merchants
/// (`digital.test`, `onecode.test`, `taxsync.test`, `closed.test`, `nocatalog.test`) and the
/// generated `shop-01.test` … `shop-50.test` are reachable by domain but not listed here.
pub const DEMO_MERCHANTS: [&str; 4] = [
    "staging.luma.gift",
    "homegoods.test",
    "gadgets.test",
    "members.test",
];

/// Where the sandbox listens and which profile it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Default `127.0.0.1`.
    pub host: IpAddr,
    /// `0` = any free port.
    pub port: u16,
    /// Default [`Profile::Demo`].
    pub profile: Profile,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            profile: Profile::Demo,
        }
    }
}

/// A running sandbox; dropping it leaves the server running until the runtime ends.
pub struct SandboxHandle {
    base_url: String,
    port: u16,
    state: AppState,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl SandboxHandle {
    /// `http://HOST:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn profile(&self) -> Profile {
        self.state.profile
    }

    /// Restores the seeded world in process, as `POST /__sandbox/reset` does.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// The server's shared state (for in-process inspection).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Stops accepting connections and waits (briefly) for the server task to end.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(3), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}

/// Builds the shared state (fresh world; a fresh payment key starts generating in the
/// background) for a server reachable at `base_url`.
pub fn new_state(base_url: &str, profile: Profile) -> std::io::Result<AppState> {
    let mut secret = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    Ok(Arc::new(Shared {
        catalog: model::fixtures::Catalog::load().map_err(std::io::Error::other)?,
        profile,
        base_url: base_url.trim_end_matches('/').to_string(),
        jwt_secret: secret,
        tokens: tokens::TokenCache::default(),
        vault: parking_lot::RwLock::new(vault::pending::PaymentKey::generate()),
        world: parking_lot::Mutex::new(model::world::World::default()),
    }))
}

/// Binds, spawns the server on the current tokio runtime and returns once listening.
pub async fn start(config: SandboxConfig) -> std::io::Result<SandboxHandle> {
    let listener = TcpListener::bind((config.host, config.port)).await?;
    let mut addr = listener.local_addr()?;
    // A wildcard bind is still reached (and linked to, e.g. image URLs) over loopback.
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        });
    }
    let base_url = format!("http://{addr}");
    let state = new_state(&base_url, config.profile)?;
    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
    tracing::info!(%base_url, profile = %config.profile, "sandbox listening");
    Ok(SandboxHandle {
        base_url,
        port: addr.port(),
        state,
        shutdown: tx,
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_merchants_match_the_catalog() {
        let catalog = model::fixtures::Catalog::load().expect("embedded data");
        let listed: Vec<&str> = catalog
            .demo_merchants()
            .map(|m| m.domain.as_str())
            .collect();
        assert_eq!(listed, DEMO_MERCHANTS);
        assert_eq!(catalog.merchants.len(), 4 + 5 + 50);
        assert_eq!(SandboxConfig::default().profile, Profile::Demo);
    }
}
