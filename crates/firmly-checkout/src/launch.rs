//! How the app starts: the environment variables of CONTRACTS.md §1 merged with the stored
//! settings. With no app id anywhere the embedded sandbox is the target (ARCHITECTURE.md
//! contract 8); with an app id the live API is used and no sandbox is started.

use std::path::PathBuf;

use url::Url;

use crate::storage::{Mode, Settings};

/// Where the live Firmly API lives.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveTarget {
    pub app_id: String,
    pub api_base: Url,
    pub vault_base: Url,
    pub status_base: Url,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LaunchConfig {
    pub mode: Mode,
    pub data_dir: Option<PathBuf>,
    pub sandbox_port: u16,
    /// `None` = embedded sandbox.
    pub live: Option<LiveTarget>,
    pub idle_seconds: u32,
}

/// The app id the embedded sandbox accepts (CONTRACTS.md §3).
pub const SANDBOX_APP_ID: &str = "sandbox-app";

/// Checks a base URL typed into settings: absolute http(s), no query or fragment.
pub fn parse_base_url(field: &str, value: &str) -> Result<Url, String> {
    let v = value.trim();
    let url = Url::parse(v).map_err(|e| format!("{field}: not a valid URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{field}: must start with https:// (or http:// for a local server)"
        ));
    }
    if url.host_str().unwrap_or("").is_empty() {
        return Err(format!("{field}: the URL has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{field}: remove the query string or fragment"));
    }
    Ok(url)
}

/// The live target described by settings, if they name an app id; errors name the field.
pub fn live_target(settings: &Settings) -> Result<Option<LiveTarget>, String> {
    let app_id = settings.app_id.trim();
    if app_id.is_empty() {
        return Ok(None);
    }
    if settings.api_base.trim().is_empty() {
        return Err("API base URL: required when an app id is set".into());
    }
    let api_base = parse_base_url("API base URL", &settings.api_base)?;
    let vault_base = if settings.vault_base.trim().is_empty() {
        api_base.clone()
    } else {
        parse_base_url("Vault base URL", &settings.vault_base)?
    };
    let status_base = if settings.status_base.trim().is_empty() {
        api_base.clone()
    } else {
        parse_base_url("Status base URL", &settings.status_base)?
    };
    Ok(Some(LiveTarget {
        app_id: app_id.to_string(),
        api_base,
        vault_base,
        status_base,
    }))
}

impl LaunchConfig {
    /// Environment variables win over stored settings.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        stored: &Settings,
    ) -> Result<LaunchConfig, String> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let mode = match get("FIRMLY_DESK_MODE") {
            Some(m) => Mode::parse(&m)
                .ok_or_else(|| format!("FIRMLY_DESK_MODE={m}: expected demo, kiosk or agent"))?,
            None => Mode::Demo,
        };
        let sandbox_port = match get("FIRMLY_DESK_SANDBOX_PORT") {
            Some(p) => p
                .trim()
                .parse::<u16>()
                .map_err(|_| format!("FIRMLY_DESK_SANDBOX_PORT={p}: expected a port number"))?,
            None => 0,
        };
        let idle_seconds = match get("FIRMLY_DESK_IDLE_SECONDS") {
            Some(s) => s
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|v| *v >= 5)
                .ok_or_else(|| {
                    format!("FIRMLY_DESK_IDLE_SECONDS={s}: expected seconds (at least 5)")
                })?,
            None => stored.idle_seconds,
        };
        let mut settings = stored.clone();
        if let Some(id) = get("FIRMLY_APP_ID") {
            settings.app_id = id;
        }
        if let Some(v) = get("FIRMLY_API_BASE") {
            settings.api_base = v;
        }
        if let Some(v) = get("FIRMLY_VAULT_BASE") {
            settings.vault_base = v;
        }
        Ok(LaunchConfig {
            mode,
            data_dir: get("FIRMLY_DESK_DATA_DIR").map(PathBuf::from),
            sandbox_port,
            live: live_target(&settings)?,
            idle_seconds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn no_app_id_means_embedded_sandbox_in_demo_mode() {
        let c = LaunchConfig::resolve(env(&[]), &Settings::default()).unwrap();
        assert_eq!(c.mode, Mode::Demo);
        assert!(c.live.is_none());
        assert_eq!((c.sandbox_port, c.idle_seconds), (0, 120));
    }

    #[test]
    fn env_overrides_and_live_target() {
        let c = LaunchConfig::resolve(
            env(&[
                ("FIRMLY_DESK_MODE", "kiosk"),
                ("FIRMLY_DESK_SANDBOX_PORT", "4567"),
                ("FIRMLY_DESK_IDLE_SECONDS", "30"),
                ("FIRMLY_APP_ID", "abc"),
                ("FIRMLY_API_BASE", "https://api.example.test"),
            ]),
            &Settings::default(),
        )
        .unwrap();
        assert_eq!(
            (c.mode, c.sandbox_port, c.idle_seconds),
            (Mode::Kiosk, 4567, 30)
        );
        let live = c.live.unwrap();
        assert_eq!(live.vault_base.as_str(), "https://api.example.test/");
    }

    #[test]
    fn bad_values_are_named() {
        let e = LaunchConfig::resolve(env(&[("FIRMLY_DESK_MODE", "party")]), &Settings::default())
            .unwrap_err();
        assert!(e.contains("FIRMLY_DESK_MODE"));
        let s = Settings {
            app_id: "x".into(),
            api_base: "ftp://nope".into(),
            ..Settings::default()
        };
        assert!(live_target(&s).unwrap_err().starts_with("API base URL"));
        let s = Settings {
            app_id: "x".into(),
            ..Settings::default()
        };
        assert!(live_target(&s).unwrap_err().contains("required"));
        assert!(parse_base_url("Vault", "https://v.test/?a=1").is_err());
        assert!(parse_base_url("Vault", "not a url").is_err());
    }
}
