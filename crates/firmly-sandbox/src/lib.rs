//! A faithful, stateful local Firmly API server: the four demo merchants of CONTRACTS.md §3,
//! device sessions, catalog, v1 and v2 carts, shipments, addons, promo codes, consents, the
//! card vault, a PayPal simulator and the `/__sandbox/` admin API. One server serves the
//! `{api}`, `{vault}` and `{status}` paths (ENDPOINTS.md §9 "One process, three base URLs").
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default()).await?;
//! let products = format!("{}/api/v1/domains-products/staging.luma.gift", sandbox.base_url());
//! # let _ = products;
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod addons;
pub mod address;
pub mod admin;
pub mod auth;
pub mod cart_v1;
pub mod cart_v2;
pub mod catalog;
pub mod checkout;
pub mod consents;
pub mod data;
pub mod errors;
pub mod paypal;
pub mod pricing;
pub mod promos;
pub mod sessions;
pub mod shipments;
pub mod state;
pub mod vault;
pub mod wallet;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{delete, get, post, put};
use axum::Router;
use rand::RngCore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use state::{AppState, Shared};

/// Where the sandbox listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Default `127.0.0.1`.
    pub host: IpAddr,
    /// `0` = any free port.
    pub port: u16,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
        }
    }
}

/// A running sandbox; dropping it leaves the server running until the runtime ends.
pub struct SandboxHandle {
    base_url: String,
    port: u16,
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

/// Builds the shared state (fresh keys, fresh world) for a server reachable at `base_url`.
pub fn new_state(base_url: &str) -> std::io::Result<AppState> {
    let mut secret = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    Ok(Arc::new(Shared {
        catalog: data::Catalog::load(),
        base_url: base_url.trim_end_matches('/').to_string(),
        jwt_secret: secret,
        vault: parking_lot::RwLock::new(Arc::new(vault::VaultKeys::generate()?)),
        world: parking_lot::Mutex::new(state::World::default()),
    }))
}

/// All routes. Paths follow the HTTP-request lines of the docs, plus the aliases of
/// ENDPOINTS.md §7 C18/C19 (trailing slashes, POST for PUT).
pub fn router(state: AppState) -> Router {
    let v2 = "/api/v2/domains/{domain}/cart";
    let v1 = "/api/v1/domains/{domain}/cart".to_string();
    Router::new()
        // Authentication.
        .route("/api/v1/browser-session", post(auth::browser_session))
        // Catalog.
        .route(
            "/api/v1/domains-products/{domain}",
            get(catalog::list_products),
        )
        .route(
            "/api/v1/domains-products/{domain}/{handle}",
            get(catalog::get_product),
        )
        .route("/api/v1/domains-pdp", get(catalog::product_from_url))
        // Cart v2.
        .route(v2, get(cart_v2::get_cart))
        .route(&format!("{v2}/"), get(cart_v2::get_cart))
        .route(
            &format!("{v2}/line-items"),
            post(cart_v2::add_line_item).delete(cart_v2::clear_cart),
        )
        .route(
            &format!("{v2}/line-items/{{line_item_id}}"),
            post(cart_v2::update_line_item).put(cart_v2::update_line_item),
        )
        .route(
            &format!("{v2}/shipping-info"),
            post(cart_v2::set_shipping_info).put(cart_v2::set_shipping_info),
        )
        .route(
            &format!("{v2}/billing-info"),
            post(cart_v2::set_billing_info).put(cart_v2::set_billing_info),
        )
        // Shipments.
        .route(
            &format!("{v2}/shipments/get-availability"),
            post(shipments::get_availability),
        )
        .route(
            &format!("{v2}/shipments/fulfillment-type"),
            post(shipments::set_fulfillment_type).put(shipments::set_fulfillment_type),
        )
        .route(
            &format!("{v2}/shipment/methods"),
            post(shipments::set_shipping_method).put(shipments::set_shipping_method),
        )
        .route(
            &format!("{v2}/shipments/methods"),
            post(shipments::set_shipping_method).put(shipments::set_shipping_method),
        )
        // Addons.
        .route(
            &format!("{v2}/addons"),
            post(addons::set_addons).put(addons::set_addons),
        )
        .route(
            &format!("{v2}/addons/_remove"),
            post(addons::remove_addon).put(addons::remove_addon),
        )
        // Promo codes.
        .route(
            &format!("{v2}/promo-codes"),
            post(promos::apply_v2)
                .put(promos::apply_v2)
                .delete(promos::clear_v2),
        )
        // Consents.
        .route(
            "/api/v1/domains/{domain}/cart/consents",
            get(consents::get_consents)
                .post(consents::set_consents)
                .put(consents::set_consents),
        )
        // Cart v1.
        .route(&v1, get(cart_v1::get_cart))
        .route(&format!("{v1}/"), get(cart_v1::get_cart))
        .route(
            &format!("{v1}/line-items/{{sku}}/quantity/{{quantity}}"),
            post(cart_v1::add_line_item),
        )
        .route(
            &format!("{v1}/line-items/{{sku}}"),
            put(cart_v1::update_line_item).post(cart_v1::update_line_item),
        )
        .route(
            &format!("{v1}/line-items/{{sku}}/"),
            put(cart_v1::update_line_item).post(cart_v1::update_line_item),
        )
        .route(&format!("{v1}/line-items"), delete(cart_v1::clear_cart))
        .route(
            &format!("{v1}/shipping-info"),
            post(cart_v1::set_shipping_info).put(cart_v1::set_shipping_info),
        )
        .route(
            &format!("{v1}/shipping-rates"),
            get(cart_v1::shipping_rates),
        )
        .route(
            &format!("{v1}/shipping-method"),
            get(cart_v1::shipping_rates)
                .post(cart_v1::set_shipping_method)
                .put(cart_v1::set_shipping_method),
        )
        .route(
            &format!("{v1}/attribution"),
            put(cart_v1::set_attribution).post(cart_v1::set_attribution),
        )
        .route(
            &format!("{v1}/promo-codes"),
            post(cart_v1::apply_coupons)
                .put(cart_v1::apply_coupons)
                .delete(cart_v1::clear_coupons),
        )
        .route("/api/v1/carts/active", get(cart_v1::active_carts))
        // PayPal.
        .route(
            "/api/v1/domains/{domain}/express/paypal/start",
            post(paypal::start),
        )
        .route(
            "/api/v1/domains/{domain}/express/paypal/authorize",
            post(paypal::authorize),
        )
        .route(
            "/api/v1/domains/{domain}/express/paypal/complete-order",
            post(paypal::complete),
        )
        .route("/__sandbox/paypal/checkoutnow", get(paypal::checkoutnow))
        .route("/__sandbox/paypal/return", get(paypal::return_page))
        // Sessions, login, wallets, health.
        .route(
            "/api/v1/domains/{domain}/session/transfer",
            post(sessions::transfer_v1),
        )
        .route(
            "/api/v2/domains/{domain}/session/transfer",
            post(sessions::transfer_v2),
        )
        .route("/api/v2/carts/active", get(sessions::active_carts_v2))
        .route(
            "/api/v2/carts/active-domains",
            get(sessions::active_domains),
        )
        .route("/api/v2/carts/postal-code", post(sessions::postal_code))
        .route(
            "/api/v1/domains/{domain}/session/create-otp",
            post(sessions::create_otp),
        )
        .route(
            "/api/v1/domains/{domain}/session/validate-otp",
            post(sessions::validate_otp),
        )
        .route(
            "/api/v1/domains/{domain}/session/forgot-password",
            post(sessions::forgot_password),
        )
        .route(
            "/api/v1/wallets/{wallet}/unlock-start",
            post(wallet::unlock_start),
        )
        .route(
            "/api/v1/wallets/{wallet}/unlock-complete",
            post(wallet::unlock_complete),
        )
        .route("/api/v1/domains/{domain}", get(sessions::merchant_health))
        .route("/__sandbox/otp", get(sessions::last_otp))
        // Vault.
        .route("/api/v1/payment/key", get(vault::payment_key))
        .route(
            "/api/v3/payment/complete-order",
            post(vault::complete_order_v3),
        )
        .route(
            "/api/v2/payment/complete-order",
            post(vault::complete_order_v2),
        )
        .route("/api/v1/payment/tokenize", post(vault::tokenize))
        .route(
            &format!("{v1}/complete-order"),
            post(vault::complete_with_token),
        )
        .route(
            &format!("{v1}/complete-order-with-saved-payment"),
            post(vault::complete_with_saved_payment),
        )
        // Admin.
        .route("/__sandbox/reset", post(admin::reset))
        .route("/__sandbox/orders", get(admin::orders))
        .route("/__sandbox/requests", get(admin::requests))
        .route("/__sandbox/clock", post(admin::clock))
        .route("/__sandbox/rotate-key", post(vault::rotate_key))
        .route(
            "/__sandbox/faults",
            post(admin::add_faults).delete(admin::clear_faults),
        )
        .route("/__sandbox/img/{file}", get(catalog::image))
        .route("/__sandbox/thank-you/{number}", get(admin::thank_you))
        .fallback(admin::route_not_found)
        .method_not_allowed_fallback(admin::route_not_found)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            admin::panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admin::observe,
        ))
        .with_state(state)
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
    let state = new_state(&base_url)?;
    let app = router(state);
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
    tracing::info!(%base_url, "sandbox listening");
    Ok(SandboxHandle {
        base_url,
        port: addr.port(),
        shutdown: tx,
        task,
    })
}
