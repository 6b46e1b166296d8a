//! The app's managed state: the checkout service (replaced when live settings change),
//! the embedded sandbox when no app id is configured, and where files go.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use firmly_api::{ApiError, ClientConfig, FirmlyClient};
use firmly_checkout::launch::{live_target, LaunchConfig, LiveTarget, SANDBOX_APP_ID};
use firmly_checkout::{
    demo_merchants, AppInfo, CheckoutService, Environment, EventSink, MerchantView, OrderView,
    Persistence, Settings,
};
use firmly_sandbox::{SandboxConfig, SandboxHandle};

pub struct AppState {
    service: RwLock<Arc<CheckoutService>>,
    pub launch: LaunchConfig,
    pub data_dir: PathBuf,
    pub persistence: Persistence,
    pub events: Arc<dyn EventSink>,
    sandbox: tokio::sync::Mutex<Option<SandboxHandle>>,
    windows: std::sync::OnceLock<Arc<dyn crate::windows::WindowOps>>,
}

impl AppState {
    pub fn service(&self) -> Arc<CheckoutService> {
        self.service
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Connects the window operations (set once in the app's setup).
    pub fn set_windows(&self, ops: Arc<dyn crate::windows::WindowOps>) {
        let _ = self.windows.set(ops);
    }

    pub fn windows(&self) -> Result<Arc<dyn crate::windows::WindowOps>, ApiError> {
        self.windows
            .get()
            .cloned()
            .ok_or_else(|| ApiError::internal("windows are not available in this process"))
    }

    /// Starts everything for `launch`: the sandbox when there is no live target.
    pub async fn start(
        launch: LaunchConfig,
        data_dir: PathBuf,
        persistence: Persistence,
        events: Arc<dyn EventSink>,
    ) -> Result<AppState, String> {
        // A kiosk never resumes the previous customer's session, even after a restart;
        // agent and demo desks keep theirs so a case can be picked up again.
        if launch.mode == firmly_checkout::Mode::Kiosk {
            persistence.wipe_session();
        }
        let mut sandbox = None;
        let service = build_service(
            &launch,
            launch.live.clone(),
            &data_dir,
            &persistence,
            &events,
            &mut sandbox,
        )
        .await?;
        Ok(AppState {
            service: RwLock::new(Arc::new(service)),
            launch,
            data_dir,
            persistence,
            events,
            sandbox: tokio::sync::Mutex::new(sandbox),
            windows: std::sync::OnceLock::new(),
        })
    }

    /// Applies changed settings without a restart: the stored settings decide between
    /// the live API and the embedded sandbox.
    pub async fn reconnect(&self) -> Result<(), ApiError> {
        let target =
            live_target(&self.persistence.settings()).map_err(|e| ApiError::validation(&e))?;
        let mut sandbox = self.sandbox.lock().await;
        if target.is_some() {
            if let Some(h) = sandbox.take() {
                h.shutdown().await;
            }
        }
        // A different API means a different device session.
        self.persistence.wipe_session();
        let service = build_service(
            &self.launch,
            target,
            &self.data_dir,
            &self.persistence,
            &self.events,
            &mut sandbox,
        )
        .await
        .map_err(|e| ApiError::validation(&e))?;
        *self.service.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(service);
        Ok(())
    }

    /// Validates and stores new settings, then reconnects to what they describe.
    pub async fn apply_settings(&self, settings: Settings) -> Result<AppInfo, ApiError> {
        live_target(&settings).map_err(|e| ApiError::validation(&e))?;
        if settings.idle_seconds < 5 {
            return Err(ApiError::validation("Idle timeout: at least 5 seconds."));
        }
        self.persistence.update_settings(|s| *s = settings);
        self.reconnect().await?;
        self.service().app_info().await
    }

    /// Writes a user-facing file (owner-only) into the Downloads folder, else the data
    /// dir's `saved/`, and returns where it went.
    fn save_user_file(&self, name: &str, bytes: &[u8]) -> Result<String, ApiError> {
        let downloads = self.windows().ok().and_then(|w| w.download_dir());
        let dir = downloads
            .filter(|d| d.is_dir())
            .unwrap_or_else(|| self.data_dir.join("saved"));
        let path = dir.join(name);
        firmly_checkout::storage::write_private_file(&path, bytes)
            .map_err(|e| ApiError::internal(format!("cannot save {}: {e}", path.display())))?;
        Ok(path.display().to_string())
    }

    /// Saves a receipt as a text file and returns its path.
    pub fn save_receipt(&self, order: &OrderView) -> Result<String, ApiError> {
        let text = firmly_checkout::receipt::receipt_text(order);
        self.save_user_file(
            &firmly_checkout::receipt::receipt_file_name(order),
            text.as_bytes(),
        )
    }

    /// Saves a support snapshot of the current customer and returns its path.
    pub async fn export_snapshot(&self) -> Result<String, ApiError> {
        let text = self.service().export_snapshot().await?;
        let name = format!("firmly-snapshot-{}.json", chrono_stamp());
        self.save_user_file(&name, text.as_bytes())
    }

    /// Restores the embedded sandbox's demo data (demo mode's reset button).
    pub async fn reset_sandbox(&self) -> Result<AppInfo, ApiError> {
        let base = {
            let sandbox = self.sandbox.lock().await;
            match sandbox.as_ref() {
                Some(h) => h.base_url(),
                None => {
                    return Err(ApiError::validation(
                        "The embedded sandbox is not running (live mode).",
                    ))
                }
            }
        };
        reqwest::Client::new()
            .post(format!("{base}/__sandbox/reset"))
            .send()
            .await
            .map_err(|e| ApiError::network(e.to_string()))?
            .error_for_status()
            .map_err(|e| ApiError::network(e.to_string()))?;
        self.persistence.wipe_session();
        self.service().wipe_customer().await
    }
}

async fn build_service(
    launch: &LaunchConfig,
    live: Option<LiveTarget>,
    data_dir: &std::path::Path,
    persistence: &Persistence,
    events: &Arc<dyn EventSink>,
    sandbox: &mut Option<SandboxHandle>,
) -> Result<CheckoutService, String> {
    let (config, name, merchants) = match live {
        Some(t) => {
            let merchants: Vec<MerchantView> = persistence
                .session()
                .known_domains
                .into_iter()
                .map(|d| MerchantView {
                    display_name: d.clone(),
                    domain: d,
                })
                .collect();
            let mut cfg = ClientConfig::same_host(t.api_base, &t.app_id);
            cfg.vault_base = t.vault_base;
            cfg.status_base = t.status_base;
            (cfg, "Live", merchants)
        }
        None => {
            if sandbox.is_none() {
                let handle = firmly_sandbox::start(SandboxConfig {
                    port: launch.sandbox_port,
                    ..SandboxConfig::default()
                })
                .await
                .map_err(|e| {
                    format!(
                        "cannot start the embedded sandbox on port {}: {e}",
                        launch.sandbox_port
                    )
                })?;
                let url_file = data_dir.join("sandbox-url");
                std::fs::write(&url_file, handle.base_url())
                    .map_err(|e| format!("cannot write {}: {e}", url_file.display()))?;
                tracing::info!(url = %handle.base_url(), "embedded sandbox listening");
                *sandbox = Some(handle);
            }
            let base = sandbox.as_ref().map(|h| h.base_url()).unwrap_or_default();
            let url = url::Url::parse(&base).map_err(|e| e.to_string())?;
            (
                ClientConfig::same_host(url, SANDBOX_APP_ID),
                "Sandbox",
                demo_merchants(),
            )
        }
    };
    let client = FirmlyClient::new(config, Arc::new(persistence.clone())).map_err(|e| e.message)?;
    let env = Environment {
        name: name.to_string(),
        mode: launch.mode,
        merchants,
        idle_seconds: launch.idle_seconds,
    };
    Ok(CheckoutService::new(
        client,
        persistence.clone(),
        env,
        events.clone(),
    ))
}

/// A file-name-safe UTC timestamp.
fn chrono_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    secs.to_string()
}
