//! A faithful, stateful local Firmly API server (CONTRACTS.md §3): the demo merchants, the
//! extra merchants that trigger documented errors, fifty generated merchants, device sessions,
//! catalog, v1 and v2 carts, shipments, addons, promo codes, consents, the card vault, a PayPal
//! simulator and the `/__sandbox/` admin API. One server serves the `{api}`, `{vault}` and
//! `{status}` paths (ENDPOINTS.md §9). Two profiles: `docs` answers strictly as the Firmly docs
//! say; `demo` (default) adds the extensions CONTRACTS.md §3 lists.
//!
//! Layers, each depending only on those above it:
//! [`model`] (data) → [`rules`], [`tokens`] and [`vault::keys`] (pure decisions, domain errors) →
//! [`body_shapes`], [`errors`], [`rule_errors`], [`state`], [`holds`] → [`views`] (JSON
//! shapes) → [`carts`] (finding and creating carts) and [`vault::completion`] → [`routes`],
//! [`network`] and [`middleware`] (HTTP).
//!
//! Safety: only a loopback host is bound and only loopback `Host` headers are answered unless
//! [`SandboxConfig::allow_remote`] ([`network`]); the admin API has no authentication.
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

pub mod body_shapes;
pub mod carts;
pub mod errors;
pub mod holds;
pub mod middleware;
pub mod model;
pub mod network;
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
pub use model::world::{FaultMatch, FaultRule};
pub use routes::router;
pub use rules::cards::TEST_CARDS;
pub use rules::promos::DEMO_PROMO_CODES;
pub use state::{AppState, Shared};

/// The demo merchants of CONTRACTS.md §3 (the ones an app lists). The extra merchants
/// (`digital.test`, `onecode.test`, `taxsync.test`, `closed.test`, `nocatalog.test`,
/// `vat.test`) and the generated `shop-01.test` … `shop-50.test` are reachable by domain but
/// not listed here.
pub const DEMO_MERCHANTS: [&str; 4] = [
    "staging.luma.gift",
    "homegoods.test",
    "gadgets.test",
    "members.test",
];

/// Where the sandbox listens, which profile it serves and how it treats the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Default `127.0.0.1`. A non-loopback host is refused unless `allow_remote`.
    pub host: IpAddr,
    /// `0` = any free port.
    pub port: u16,
    /// Default [`Profile::Demo`].
    pub profile: Profile,
    /// Default `false`: only a loopback `host` may be bound and only loopback `Host`
    /// headers are answered (a web page cannot reach the sandbox by DNS rebinding). `true`
    /// lifts both.
    pub allow_remote: bool,
    /// Every API request (not `/__sandbox/`) waits this long before it is handled. Default 0.
    pub latency_ms: u64,
    /// A uniform random `±jitter_ms` around `latency_ms` (never below 0). Default 0.
    pub jitter_ms: u64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            profile: Profile::Demo,
            allow_remote: false,
            latency_ms: 0,
            jitter_ms: 0,
        }
    }
}

/// The parts of [`SandboxConfig`] that requests read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServeOptions {
    pub allow_remote: bool,
    pub latency_ms: u64,
    pub jitter_ms: u64,
}

impl From<&SandboxConfig> for ServeOptions {
    fn from(c: &SandboxConfig) -> Self {
        ServeOptions {
            allow_remote: c.allow_remote,
            latency_ms: c.latency_ms,
            jitter_ms: c.jitter_ms,
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

    /// The requests a `hold` fault rule holds now (as `GET /__sandbox/holds`).
    pub fn held(&self) -> Vec<holds::HeldRequest> {
        self.state.holds.list()
    }

    /// Waits until at least one request is held and answers them (no polling; wrap it in a
    /// timeout in a test).
    pub async fn wait_held(&self) -> Vec<holds::HeldRequest> {
        self.state.holds.wait_held(None).await
    }

    /// Releases one held request; `false` if it is not held (any more).
    pub fn release(&self, id: u64) -> bool {
        self.state.holds.release(Some(id)) == 1
    }

    /// Releases every held request; answers how many.
    pub fn release_all(&self) -> usize {
        self.state.holds.release(None)
    }

    /// The one-time codes sent and not used yet, per email (the shopper's inbox, as
    /// `GET /__sandbox/otp`), for the demo helper.
    pub fn one_time_codes(&self) -> Vec<(String, String)> {
        let world = self.state.world.lock();
        let mut codes: Vec<(String, String)> = world
            .otps
            .iter()
            .map(|(e, c)| (e.clone(), c.clone()))
            .collect();
        codes.sort();
        codes
    }

    /// Replaces the fault rules named `label` with `rules` (none = switched off); rules of
    /// other labels and the admin API's own stay.
    pub fn set_labelled_faults(&self, label: &str, rules: Vec<model::world::FaultRule>) {
        let mut world = self.state.world.lock();
        world.faults.retain(|r| r.label.as_deref() != Some(label));
        world.faults.extend(rules.into_iter().map(|mut r| {
            r.label = Some(label.to_string());
            r
        }));
    }

    /// Whether rules named `label` are still armed (a rule for one request is gone once it
    /// fired).
    pub fn labelled_faults_armed(&self, label: &str) -> bool {
        self.state
            .world
            .lock()
            .faults
            .iter()
            .any(|r| r.label.as_deref() == Some(label))
    }

    /// Stops accepting connections and waits (briefly) for the server task to end; held
    /// requests are released first, so they answer instead of holding the shutdown up.
    pub async fn shutdown(self) {
        self.state.holds.close();
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
    new_state_with(base_url, profile, ServeOptions::default())
}

/// [`new_state`] with the network options of a [`SandboxConfig`].
pub fn new_state_with(
    base_url: &str,
    profile: Profile,
    serve: ServeOptions,
) -> std::io::Result<AppState> {
    let mut secret = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    Ok(Arc::new(Shared {
        catalog: model::catalog::Catalog::load().map_err(std::io::Error::other)?,
        profile,
        serve,
        holds: Arc::new(holds::Holds::default()),
        base_url: base_url.trim_end_matches('/').to_string(),
        jwt_secret: secret,
        tokens: tokens::TokenCache::default(),
        vault: parking_lot::RwLock::new(vault::pending::PaymentKey::generate()),
        world: parking_lot::Mutex::new(model::world::World::default()),
        started: std::time::Instant::now(),
    }))
}

/// Whether `host` may be bound: loopback always; anything else (`0.0.0.0`, a LAN address)
/// only with `allow_remote`, since the admin API (OTPs, orders, the journal) has no auth.
pub fn check_bind(host: IpAddr, allow_remote: bool) -> std::io::Result<()> {
    if host.is_loopback() || allow_remote {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "refusing to listen on non-loopback host {host} without allow_remote (--allow-remote)"
        ),
    ))
}

/// Binds, spawns the server on the current tokio runtime and returns once listening. A
/// non-loopback host without `allow_remote` is refused ([`check_bind`]).
pub async fn start(config: SandboxConfig) -> std::io::Result<SandboxHandle> {
    openssl::init();
    check_bind(config.host, config.allow_remote)?;
    if config.allow_remote && !config.host.is_loopback() {
        tracing::warn!(host = %config.host, "sandbox reachable from other machines; its admin API has no authentication");
    }
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
    let state = new_state_with(&base_url, config.profile, ServeOptions::from(&config))?;
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
        let catalog = model::catalog::Catalog::load().expect("embedded data");
        let listed: Vec<&str> = catalog
            .demo_merchants()
            .map(|m| m.domain.as_str())
            .collect();
        assert_eq!(listed, DEMO_MERCHANTS);
        assert_eq!(catalog.merchants.len(), 4 + 6 + 50);
        assert_eq!(SandboxConfig::default().profile, Profile::Demo);
    }

    #[test]
    fn only_loopback_binds_without_allow_remote() {
        let any: IpAddr = "0.0.0.0".parse().expect("ip");
        let lan: IpAddr = "192.0.2.7".parse().expect("ip");
        let v6: IpAddr = "::1".parse().expect("ip");
        assert!(check_bind(IpAddr::V4(Ipv4Addr::LOCALHOST), false).is_ok());
        assert!(check_bind(v6, false).is_ok());
        assert!(check_bind(any, false).is_err());
        assert!(check_bind(lan, false).is_err());
        assert!(check_bind(any, true).is_ok());
    }
}
