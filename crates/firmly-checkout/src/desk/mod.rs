//! The one composition root: [`Desk::start`] builds the checkout service from a launch
//! config, persistence and an event sink, for the Tauri shell, the CLI and the benchmarks
//! alike. It owns what outlives one service: the embedded sandbox (when no live API is
//! configured), the order journal beside the store file, the audit log, the start-up
//! settlement of an earlier run's orders, the kiosk's wipe-at-start and idle rule, and
//! settings changes that reconnect without a restart.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use firmly_api::{ApiError, ClientConfig};
use parking_lot::RwLock;

use crate::audit::AuditLog;
use crate::launch::{live_target, LaunchConfig, LiveTarget, SANDBOX_APP_ID};
use crate::orders::{OrderJournal, ReconcilePolicy};
use crate::service::{demo_merchants, CheckoutService, Environment, EventSink, ServiceParts};
use crate::settings::{Mode, Settings};
use crate::settings::{SettingField, SettingsSource};
use crate::storage::Persistence;
use crate::view::*;

mod demo;
mod files;

pub use demo::{DemoCard, DemoCode, DemoHelperView, DemoPromo, DemoScenario, DemoScenarioState};

/// Why the desk could not start. Each is shown to the person starting the app and ends it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StartError {
    /// The order journal beside the store cannot be read: an order may be unsettled, so the
    /// desk does not start over it.
    #[error("the order journal cannot be read: {0}")]
    Journal(String),
    /// The embedded sandbox could not listen on its port.
    #[error("cannot start the embedded sandbox on port {port}: {reason}")]
    Sandbox { port: u16, reason: String },
    /// This build has no embedded sandbox and no live API is configured.
    #[error("No live API is configured (set FIRMLY_APP_ID, FIRMLY_API_BASE and FIRMLY_VAULT_BASE); this build has no embedded sandbox.")]
    NoTarget,
    /// A file the desk writes (the sandbox's URL) could not be written.
    #[error("cannot write {path}: {reason}")]
    File { path: PathBuf, reason: String },
    /// The API client could not be built (its TLS set-up failed).
    #[error("the API client could not be built: {0}")]
    Client(String),
    /// The task starting the desk ended without handing it over (it stopped on an error that
    /// no other variant names).
    #[error("the desk's start ended without an answer")]
    Unanswered,
}

/// Where the desk keeps its files.
#[derive(Debug, Clone, Default)]
pub struct DeskFiles {
    /// Data dir: `sandbox-url`, the audit log, saved receipts and snapshots. `None` = memory.
    pub data_dir: Option<PathBuf>,
    /// The store file; the order journal lives beside it. `None` = journal in memory.
    pub store_file: Option<PathBuf>,
}

/// Options a test or a tool may change.
#[derive(Debug, Clone, Default)]
pub struct DeskOptions {
    pub policy: ReconcilePolicy,
    /// Client timeout; `None` = the client's default (30 s).
    pub timeout: Option<Duration>,
    /// Read the device session and every cart as the desk starts, before anyone asks (the
    /// app: its window loads meanwhile). Not when an earlier run's order is being settled.
    pub warm_up: bool,
}

/// A boxed future (object-safe async).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Asks the person where to save a file (the app's save dialog).
pub trait FileChooser: Send + Sync {
    /// `None` = cancelled.
    fn choose_save_path(&self, default_name: &str) -> BoxFuture<'_, Option<PathBuf>>;
}

/// A chooser that never asks (CLI, tests): files go to the data dir.
pub struct NoChooser;
impl FileChooser for NoChooser {
    fn choose_save_path(&self, _: &str) -> BoxFuture<'_, Option<PathBuf>> {
        Box::pin(async { None })
    }
}

#[cfg(feature = "embedded-sandbox")]
type Sandbox = firmly_sandbox::SandboxHandle;
#[cfg(not(feature = "embedded-sandbox"))]
type Sandbox = ();

pub struct Desk {
    launch: Arc<LaunchConfig>,
    persistence: Persistence,
    events: Arc<dyn EventSink>,
    files: DeskFiles,
    options: DeskOptions,
    journal: Arc<OrderJournal>,
    audit: Arc<AuditLog>,
    service: RwLock<Arc<CheckoutService>>,
    sandbox: tokio::sync::Mutex<Option<Sandbox>>,
}

impl Desk {
    /// Starts the desk: settles an earlier run's orders first (before a kiosk's
    /// new-customer wipe), then serves. Returns once the service answers; settlement of a
    /// pending order continues in the background while the desk says it is `settling`.
    pub async fn start(
        launch: LaunchConfig,
        persistence: Persistence,
        events: Arc<dyn EventSink>,
        files: DeskFiles,
        options: DeskOptions,
    ) -> Result<Arc<Desk>, StartError> {
        let journal = Arc::new(match &files.store_file {
            Some(f) => OrderJournal::beside(f),
            None => OrderJournal::in_memory(),
        });
        let pending: Vec<_> = journal
            .records()
            .map_err(|e| StartError::Journal(e.message))?
            .into_iter()
            .filter(|r| !r.with_staff())
            .collect();
        // A kiosk never resumes the previous customer's session; an unsettled order keeps
        // its own session in the journal and is settled first.
        if launch.mode == Mode::Kiosk && pending.is_empty() {
            persistence.wipe_session();
        }
        let launch = Arc::new(launch);
        let audit = Arc::new(match &files.data_dir {
            Some(d) => AuditLog::in_dir(d),
            None => AuditLog::in_memory(),
        });
        let mut sandbox = None;
        let service = build_service(
            &launch,
            launch.live.clone(),
            &files,
            &persistence,
            &events,
            &journal,
            &audit,
            &options,
            &mut sandbox,
        )
        .await?;
        let desk = Arc::new(Desk {
            launch,
            persistence,
            events,
            files,
            options,
            journal,
            audit,
            service: RwLock::new(service.clone()),
            sandbox: tokio::sync::Mutex::new(sandbox),
        });
        service.audit(None, "desk_started", desk.launch.mode.as_str());
        if desk.options.warm_up && pending.is_empty() {
            service.warm_up();
        }
        if !pending.is_empty() {
            service.set_ready(false);
            let kiosk = desk.launch.mode == Mode::Kiosk;
            tokio::spawn(async move {
                let reports = service.settle_earlier_orders().await;
                if kiosk {
                    // The last customer's orders are the staff's; the next one starts clean.
                    for r in &reports {
                        service.report_to_staff(r.clone());
                    }
                    if let Err(e) = service.wipe_customer() {
                        tracing::warn!(code = %e.code, "kiosk start-up wipe incomplete");
                    }
                } else {
                    service.show_startup_orders(reports.clone());
                }
                service.set_ready(true);
                service.events.startup_settled(&reports);
            });
        }
        if desk.launch.mode == Mode::Kiosk {
            let weak = Arc::downgrade(&desk);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(1));
                loop {
                    tick.tick().await;
                    let Some(desk) = weak.upgrade() else { break };
                    desk.service().idle_tick().await;
                }
            });
        }
        Ok(desk)
    }

    pub fn service(&self) -> Arc<CheckoutService> {
        self.service.read().clone()
    }

    /// Waits until an earlier run's orders are settled (the CLI does, before anything else).
    pub async fn settled(&self) {
        self.service().settled().await;
    }

    pub fn launch(&self) -> &LaunchConfig {
        &self.launch
    }

    pub fn persistence(&self) -> &Persistence {
        &self.persistence
    }

    pub fn audit_log(&self) -> &AuditLog {
        &self.audit
    }

    pub fn journal(&self) -> &OrderJournal {
        &self.journal
    }

    pub fn data_dir(&self) -> Option<&Path> {
        self.files.data_dir.as_deref()
    }

    /// The settings in force: stored, with what the environment and the policy decide.
    pub fn settings(&self) -> Settings {
        self.settings_source().current()
    }

    /// The settings for the Settings dialog: the app id and the hosts are the operator's,
    /// never a kiosk shopper's.
    pub fn settings_for_operator(&self) -> Result<Settings, ApiError> {
        self.service().refuse_on_kiosk("Settings")?;
        Ok(self.settings())
    }

    fn settings_source(&self) -> SettingsSource {
        SettingsSource::new(self.persistence.clone(), self.launch.clone())
    }

    /// Validates and stores new settings, then reconnects to what they describe, without a
    /// restart. Refused on a kiosk and for settings a fleet policy locks.
    pub async fn apply_settings(&self, settings: Settings) -> Result<AppInfo, ApiError> {
        self.service().refuse_on_kiosk("Changing settings")?;
        let source = self.settings_source();
        let current = source.current();
        let changed: Vec<SettingField> = SettingField::ALL
            .into_iter()
            .filter(|f| f.differs(&settings, &current))
            .collect();
        if let Some(field) = changed.iter().find(|f| source.is_locked(**f)) {
            return Err(ApiError::mode_restricted(format!(
                "The fleet policy locks `{}`; it cannot be changed here.",
                field.name()
            )));
        }
        live_target(&settings).map_err(|e| ApiError::field(e.field.into(), e.message))?;
        if settings.idle_seconds < 5 {
            return Err(ApiError::field(
                SettingField::IdleSeconds.into(),
                "Idle timeout: at least 5 seconds.",
            ));
        }
        let connection_changed = changed.iter().any(|f| f.is_connection());
        self.persistence.update_settings(|s| *s = settings);
        if connection_changed {
            self.reconnect().await?;
        }
        self.service().audit(None, "settings_changed", "ok");
        self.service().app_info().await
    }

    /// Rebuilds the service for the stored settings: the live API or the embedded sandbox.
    pub async fn reconnect(&self) -> Result<(), ApiError> {
        let target = live_target(&self.settings())
            .map_err(|e| ApiError::field(e.field.into(), e.message))?;
        let mut sandbox = self.sandbox.lock().await;
        if target.is_some() {
            #[cfg(feature = "embedded-sandbox")]
            if let Some(h) = sandbox.take() {
                h.shutdown().await;
            }
        }
        // Another API means another device session.
        self.persistence.wipe_session();
        let service = build_service(
            &self.launch,
            target,
            &self.files,
            &self.persistence,
            &self.events,
            &self.journal,
            &self.audit,
            &self.options,
            &mut sandbox,
        )
        .await
        .map_err(|e| ApiError::validation(e.to_string()))?;
        // The old service's customer is forgotten with it.
        self.service().wipe_customer()?;
        *self.service.write() = service;
        Ok(())
    }

    /// Restores the embedded sandbox's demo data in-process (demo mode's reset button) and
    /// starts a new customer.
    pub async fn reset_sandbox(&self) -> Result<AppInfo, ApiError> {
        self.service().refuse_on_kiosk("Resetting the demo")?;
        #[cfg(feature = "embedded-sandbox")]
        {
            let sandbox = self.sandbox.lock().await;
            let Some(h) = sandbox.as_ref() else {
                return Err(ApiError::mode_restricted(
                    "The embedded sandbox is not running (live mode).",
                ));
            };
            h.reset();
        }
        #[cfg(not(feature = "embedded-sandbox"))]
        return Err(ApiError::mode_restricted(
            "This build has no embedded sandbox.",
        ));
        #[cfg(feature = "embedded-sandbox")]
        self.service().wipe_customer()
    }
}

#[allow(clippy::too_many_arguments)]
async fn build_service(
    launch: &Arc<LaunchConfig>,
    live: Option<LiveTarget>,
    files: &DeskFiles,
    persistence: &Persistence,
    events: &Arc<dyn EventSink>,
    journal: &Arc<OrderJournal>,
    audit: &Arc<AuditLog>,
    options: &DeskOptions,
    sandbox: &mut Option<Sandbox>,
) -> Result<Arc<CheckoutService>, StartError> {
    let policy_merchants: Vec<MerchantView> = launch
        .merchants
        .iter()
        .map(|d| MerchantView {
            display_name: d.to_string(),
            domain: d.to_string(),
        })
        .collect();
    let (mut config, kind, merchants) = match live {
        Some(t) => {
            let cfg = ClientConfig::new(t.api_base, t.vault_base, t.status_base, &t.app_id);
            (cfg, EnvironmentKind::Live, policy_merchants)
        }
        None => {
            let base = embedded_sandbox(launch, files, sandbox).await?;
            let url = url::Url::parse(&base).map_err(|e| StartError::Sandbox {
                port: launch.sandbox_port,
                reason: e.to_string(),
            })?;
            let merchants = if policy_merchants.is_empty() {
                demo_merchants()
            } else {
                policy_merchants
            };
            (
                ClientConfig::same_host(url, SANDBOX_APP_ID),
                EnvironmentKind::Sandbox,
                merchants,
            )
        }
    };
    if let Some(t) = options.timeout {
        config.timeout = t;
    }
    let env = Environment {
        kind,
        mode: launch.mode,
        merchants,
        idle_seconds: launch.idle_seconds,
    };
    CheckoutService::new(ServiceParts {
        config,
        persistence: persistence.clone(),
        settings: SettingsSource::new(persistence.clone(), launch.clone()),
        env,
        events: events.clone(),
        journal: journal.clone(),
        policy: options.policy.clone(),
        audit: Some(audit.clone()),
    })
    .map_err(|e| StartError::Client(e.message))
}

/// Starts (once) the in-process sandbox and writes its URL to `<data dir>/sandbox-url`.
#[cfg(feature = "embedded-sandbox")]
async fn embedded_sandbox(
    launch: &LaunchConfig,
    files: &DeskFiles,
    sandbox: &mut Option<Sandbox>,
) -> Result<String, StartError> {
    if sandbox.is_none() {
        let handle = firmly_sandbox::start(firmly_sandbox::SandboxConfig {
            port: launch.sandbox_port,
            ..firmly_sandbox::SandboxConfig::default()
        })
        .await
        .map_err(|e| StartError::Sandbox {
            port: launch.sandbox_port,
            reason: e.to_string(),
        })?;
        if let Some(dir) = &files.data_dir {
            let url_file = dir.join("sandbox-url");
            crate::storage::write_private_file(&url_file, handle.base_url().as_bytes()).map_err(
                |e| StartError::File {
                    path: url_file.clone(),
                    reason: e.to_string(),
                },
            )?;
        }
        tracing::info!(url = %handle.base_url(), "embedded sandbox listening");
        *sandbox = Some(handle);
    }
    Ok(sandbox.as_ref().map(|h| h.base_url()).unwrap_or_default())
}

#[cfg(not(feature = "embedded-sandbox"))]
async fn embedded_sandbox(
    _launch: &LaunchConfig,
    _files: &DeskFiles,
    _sandbox: &mut Option<Sandbox>,
) -> Result<String, StartError> {
    Err(StartError::NoTarget)
}
