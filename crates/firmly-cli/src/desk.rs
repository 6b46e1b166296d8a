//! Building the desk for one CLI invocation through the same composition root as the app
//! (`firmly_checkout::Desk::start`), and serving the sandbox.

use std::path::PathBuf;
use std::sync::Arc;

use firmly_checkout::launch::{parse_base_url, KioskPolicy, LaunchConfig, LiveTarget};
use firmly_checkout::{
    Desk, DeskFiles, DeskOptions, JsonFileStore, KeyValueStore, Language, MemoryStore, Mode,
    NoEvents, Persistence, Settings,
};

use crate::{Failure, Global};

/// The live target of the global options. A loopback sandbox serves the vault too; any
/// other API needs its vault named (it is never silently the API host).
pub fn target(g: &Global) -> Result<LiveTarget, Failure> {
    let api = g.api.clone().ok_or_else(|| {
        Failure::Input("--api URL is required (or FIRMLY_API_BASE); e.g. the URL printed by `firmly sandbox serve`".into())
    })?;
    let api_base = parse_base_url("--api", &api).map_err(Failure::Input)?;
    let vault_base = match &g.vault {
        Some(v) => parse_base_url("--vault", v).map_err(Failure::Input)?,
        None if api_base.scheme() == "http" => api_base.clone(),
        None => {
            return Err(Failure::Input(
                "--vault URL is required for a remote API (or FIRMLY_VAULT_BASE)".into(),
            ))
        }
    };
    let status_base = (api_base.scheme() == "http").then(|| api_base.clone());
    Ok(LiveTarget {
        app_id: g.app_id.clone(),
        api_base,
        vault_base,
        status_base,
    })
}

/// The desk for the global options, with the options a tool may tune.
pub async fn open_with(g: &Global, options: DeskOptions) -> Result<Arc<Desk>, Failure> {
    let live = target(g)?;
    let (store, files): (Arc<dyn KeyValueStore>, DeskFiles) = match &g.session {
        Some(path) => (
            Arc::new(
                JsonFileStore::open(path)
                    .map_err(|e| Failure::Input(format!("cannot open {}: {e}", path.display())))?,
            ),
            DeskFiles {
                data_dir: path.parent().map(|p| {
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p.to_path_buf()
                    }
                }),
                store_file: Some(path.clone()),
            },
        ),
        None => (Arc::new(MemoryStore::default()), DeskFiles::default()),
    };
    let settings = Settings {
        app_id: live.app_id.clone(),
        api_base: live.api_base.to_string(),
        vault_base: live.vault_base.to_string(),
        ..Settings::default()
    };
    let launch = LaunchConfig {
        mode: Mode::Agent,
        data_dir: files.data_dir.clone(),
        sandbox_port: 0,
        live: Some(live),
        idle_seconds: settings.idle_seconds,
        language: Language::En,
        merchants: Vec::new(),
        locked: Vec::new(),
        policy_file: None,
        settings,
        kiosk: KioskPolicy::default(),
    };
    let desk = Desk::start(
        launch,
        Persistence::new(store),
        Arc::new(NoEvents),
        files,
        options,
    )
    .await
    .map_err(|e| Failure::Input(e.to_string()))?;
    // An interrupted order of an earlier run is settled before anything else.
    desk.settled().await;
    Ok(desk)
}

pub async fn open(g: &Global) -> Result<Arc<Desk>, Failure> {
    open_with(g, DeskOptions::default()).await
}

/// The flags of `firmly sandbox serve`.
pub struct ServeFlags {
    pub host: std::net::IpAddr,
    pub port: u16,
    pub profile: String,
    pub allow_remote: bool,
    pub latency_ms: u64,
    pub jitter_ms: u64,
}

/// `firmly sandbox serve`: prints `listening on http://HOST:PORT` first, serves until ^C. A
/// non-loopback `--host` needs `--allow-remote` (the admin API has no authentication), and
/// then a warning goes to stderr.
pub async fn serve(flags: ServeFlags) -> crate::Out {
    let ServeFlags {
        host,
        port,
        ref profile,
        allow_remote,
        latency_ms,
        jitter_ms,
    } = flags;
    let profile = firmly_sandbox::Profile::parse(profile)
        .ok_or_else(|| Failure::Input(format!("--profile {profile}: expected demo or docs")))?;
    if !host.is_loopback() {
        if !allow_remote {
            return Err(Failure::Input(format!(
                "--host {host} is not a loopback address: the sandbox's admin API (OTPs, orders, the request journal) has no authentication; add --allow-remote to serve other machines anyway"
            )));
        }
        // A message for the person at the terminal, not a log line.
        eprintln!(
            "warning: --allow-remote: the sandbox on {host}:{port} answers other machines and any Host header; its admin API has no authentication"
        );
    }
    let handle = firmly_sandbox::start(firmly_sandbox::SandboxConfig {
        host,
        port,
        profile,
        allow_remote,
        latency_ms,
        jitter_ms,
    })
    .await
    .map_err(|e| Failure::Input(format!("cannot listen on {host}:{port}: {e}")))?;
    println!("listening on {}", handle.base_url());
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    Ok(())
}
