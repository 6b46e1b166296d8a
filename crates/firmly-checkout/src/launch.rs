//! How the desk starts: defaults, then the stored settings, then the environment variables
//! (CONTRACTS.md §1), then a kiosk fleet policy file, whose values win. With no app id the
//! embedded sandbox is the target (ARCHITECTURE.md contract 8); with one, the live API is
//! used. Live URLs are `https`, or `http` on loopback for a local sandbox; the vault and the
//! status host are explicit and never silently the API host.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;
use url::Url;

use crate::domain::Domain;
use crate::settings::{CardEncryption, Mode, Settings};
use crate::settings::{Language, Lock, SettingField};

/// Where the live Firmly API lives.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveTarget {
    pub app_id: String,
    pub api_base: Url,
    pub vault_base: Url,
    /// Merchant health host; `None` = no health dots.
    pub status_base: Option<Url>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LaunchConfig {
    pub mode: Mode,
    pub data_dir: Option<PathBuf>,
    pub sandbox_port: u16,
    /// `None` = embedded sandbox.
    pub live: Option<LiveTarget>,
    pub idle_seconds: u32,
    /// The desk's language when none is stored: the environment's, the policy's or the
    /// system locale's.
    pub language: Language,
    /// Merchants a fleet policy lists (empty = the demo merchants / the device's own).
    pub merchants: Vec<Domain>,
    /// What a fleet policy locks.
    pub locked: Vec<Lock>,
    /// The policy file that was applied, if any.
    pub policy_file: Option<PathBuf>,
    /// The settings in force (stored, overridden by environment and policy).
    pub settings: Settings,
    /// The kiosk's policy: the end of an order, the staff PIN, the on-screen keyboard,
    /// printing.
    pub kiosk: KioskPolicy,
}

/// What a fleet policy decides for a kiosk beyond the settings (CONTRACTS.md §1 policy keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskPolicy {
    /// Seconds on the confirmation before the kiosk wipes by itself.
    pub order_done_seconds: u32,
    /// Hex SHA-256 of the staff PIN; no staff panel without it.
    pub staff_pin_sha256: Option<String>,
    /// The on-screen keyboard for touch screens.
    pub touch_keyboard: bool,
    /// The OS printer receipts go to; without it a kiosk offers no printing.
    pub printer: Option<String>,
    /// The OS print command (`lp` from CUPS; `FIRMLY_DESK_LP` names another, e.g. a test's
    /// fake printer).
    pub print_command: String,
}

/// Default seconds on a kiosk's order confirmation.
pub const ORDER_DONE_SECONDS: u32 = 30;

impl Default for KioskPolicy {
    fn default() -> Self {
        KioskPolicy {
            order_done_seconds: ORDER_DONE_SECONDS,
            staff_pin_sha256: None,
            touch_keyboard: false,
            printer: None,
            print_command: "lp".into(),
        }
    }
}

/// The app id the embedded sandbox accepts (CONTRACTS.md §3).
pub const SANDBOX_APP_ID: &str = "sandbox-app";

/// The policy file used when `FIRMLY_DESK_POLICY` is not set and this file exists.
pub const DEFAULT_POLICY_FILE: &str = "/etc/firmly-desk/policy.json";

fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Checks a base URL typed into settings: absolute `https` (or `http` on loopback, for a
/// local sandbox), no credentials, query or fragment.
pub fn parse_base_url(field: &str, value: &str) -> Result<Url, String> {
    let v = value.trim();
    let url = Url::parse(v).map_err(|e| format!("{field}: not a valid URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(format!(
                "{field}: must use https:// (plain http is allowed only for a local sandbox on 127.0.0.1)"
            ))
        }
        _ => return Err(format!("{field}: must start with https://")),
    }
    if url.host_str().unwrap_or("").is_empty() {
        return Err(format!("{field}: the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{field}: remove the user name and password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{field}: remove the query string or fragment"));
    }
    Ok(url)
}

/// A connection setting that cannot be used: which one (its `Settings` field, so a form
/// can find it and word it) and why, in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub field: SettingField,
    pub message: String,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<SettingError> for String {
    fn from(e: SettingError) -> String {
        e.message
    }
}

/// The live target described by settings, if they name an app id; errors name the field.
pub fn live_target(settings: &Settings) -> Result<Option<LiveTarget>, SettingError> {
    let problem = |field: SettingField, message: String| SettingError { field, message };
    let app_id = settings.app_id.trim();
    if app_id.is_empty() {
        return Ok(None);
    }
    if app_id.chars().count() > 128 || app_id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(problem(
            SettingField::AppId,
            "Firmly app id: letters, digits and dashes only".into(),
        ));
    }
    if settings.api_base.trim().is_empty() {
        return Err(problem(
            SettingField::ApiBase,
            "API base URL: required when an app id is set".into(),
        ));
    }
    if settings.vault_base.trim().is_empty() {
        return Err(problem(
            SettingField::VaultBase,
            "Card vault base URL: required when an app id is set (the vault is its own host)"
                .into(),
        ));
    }
    let url = |field: SettingField, label: &str, value: &str| {
        parse_base_url(label, value).map_err(|m| problem(field, m))
    };
    let api_base = url(SettingField::ApiBase, "API base URL", &settings.api_base)?;
    let vault_base = url(
        SettingField::VaultBase,
        "Card vault base URL",
        &settings.vault_base,
    )?;
    let status_base = if settings.status_base.trim().is_empty() {
        None
    } else {
        Some(url(
            SettingField::StatusBase,
            "Status base URL",
            &settings.status_base,
        )?)
    };
    Ok(Some(LiveTarget {
        app_id: app_id.to_string(),
        api_base,
        vault_base,
        status_base,
    }))
}

// The policy's JSON Schema (docs/kiosk/policy.schema.json, installed as
// /usr/share/firmly-desk/policy.schema.json) is derived from these types and their doc
// comments; the `schemars` attributes add the limits `kiosk_policy` and
// `LaunchConfig::resolve` enforce, so an editor flags them before a desk refuses to start
// (tests/policy_schema.rs regenerates it and fails on drift).

/// A kiosk fleet policy (`FIRMLY_DESK_POLICY`, default `/etc/firmly-desk/policy.json`; its
/// values win over stored settings and the environment). Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Firmly Desk fleet policy")]
pub struct Policy {
    /// `demo`, `kiosk` or `agent`.
    #[schemars(extend("enum" = ["demo", "kiosk", "agent", null]))]
    pub mode: Option<String>,
    /// Seconds without input before a kiosk wipes the customer session (at least 5).
    #[schemars(range(min = 5))]
    pub idle_seconds: Option<u32>,
    /// The UI language (`en`, `es`).
    pub language: Option<String>,
    /// The merchants the desk lists, by domain.
    #[serde(default)]
    pub merchants: Vec<String>,
    /// The live Firmly API; without it the embedded sandbox is used.
    pub live: Option<PolicyLive>,
    /// How card data is encrypted for the vault: `jwe` (v3, recommended) or `per-field` (v2).
    pub card_encryption: Option<CardEncryption>,
    /// Settings the desk's operator cannot change.
    #[serde(default)]
    pub locked: Vec<Lock>,
    /// Kiosk: seconds on the order confirmation before it wipes by itself (default 30).
    #[schemars(range(min = 5, max = 600))]
    pub order_done_seconds: Option<u32>,
    /// Kiosk: hex SHA-256 of the staff PIN; no staff panel without it.
    #[schemars(regex(pattern = r"^\s*[0-9A-Fa-f]{64}\s*$"))]
    pub staff_pin_sha256: Option<String>,
    /// Kiosk: the on-screen keyboard for touch screens.
    pub touch_keyboard: Option<bool>,
    /// Kiosk: an OS printer name for receipts; without it a kiosk offers no printing.
    #[schemars(regex(pattern = r"^\s*[A-Za-z0-9._@-]{1,127}\s*$"))]
    pub printer: Option<String>,
}

/// The live Firmly API a fleet's desks use (it replaces the stored connection settings).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyLive {
    /// The Firmly application id.
    pub app_id: String,
    /// The API's base URL: `https://`, or `http://` on loopback for a local sandbox.
    pub api_base: String,
    /// The card vault's base URL (its own host, never the API's).
    pub vault_base: String,
    /// The merchant-health (status) host; empty = no health dots.
    #[serde(default)]
    pub status_base: String,
    /// The checkout component whose health the status host reports.
    #[serde(default)]
    pub status_component: String,
}

impl Policy {
    pub fn read(path: &Path) -> Result<Policy, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the policy {}: {e}", path.display()))?;
        let de = &mut serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            format!(
                "the policy {} is invalid at `{}`: {}",
                path.display(),
                e.path(),
                e.inner()
            )
        })
    }
}

/// The kiosk keys of a policy, checked.
fn kiosk_policy(policy: &Policy) -> Result<KioskPolicy, String> {
    let mut k = KioskPolicy::default();
    if let Some(s) = policy.order_done_seconds {
        if !(5..=600).contains(&s) {
            return Err("the policy's order_done_seconds: between 5 and 600".into());
        }
        k.order_done_seconds = s;
    }
    if let Some(hash) = &policy.staff_pin_sha256 {
        let h = hash.trim().to_ascii_lowercase();
        if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(
                "the policy's staff_pin_sha256: 64 hex digits (sha256sum of the PIN)".into(),
            );
        }
        k.staff_pin_sha256 = Some(h);
    }
    k.touch_keyboard = policy.touch_keyboard.unwrap_or(false);
    if let Some(p) = policy.printer.as_deref().map(str::trim) {
        let ok = !p.is_empty()
            && p.chars().count() <= 127
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
        if !ok {
            return Err(format!(
                "the policy's printer `{p}`: an OS printer name (letters, digits, - _ . @)"
            ));
        }
        k.printer = Some(p.to_string());
    }
    Ok(k)
}

impl LaunchConfig {
    /// Stored settings, overridden by the environment, overridden by the policy file.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        stored: &Settings,
    ) -> Result<LaunchConfig, String> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let mut settings = stored.clone();
        let mut mode = match get("FIRMLY_DESK_MODE") {
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
        if let Some(s) = get("FIRMLY_DESK_IDLE_SECONDS") {
            settings.idle_seconds = s
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|v| *v >= 5)
                .ok_or_else(|| {
                    format!("FIRMLY_DESK_IDLE_SECONDS={s}: expected seconds (at least 5)")
                })?;
        }
        if let Some(l) = get("FIRMLY_DESK_LANG") {
            settings.language =
                Some(Language::from_tag(&l).ok_or_else(|| {
                    format!("FIRMLY_DESK_LANG={l}: expected {}", Language::codes())
                })?);
        }
        for (var, field) in [
            ("FIRMLY_APP_ID", &mut settings.app_id),
            ("FIRMLY_API_BASE", &mut settings.api_base),
            ("FIRMLY_VAULT_BASE", &mut settings.vault_base),
            ("FIRMLY_STATUS_BASE", &mut settings.status_base),
        ] {
            if let Some(v) = get(var) {
                *field = v;
            }
        }
        let policy_file = match get("FIRMLY_DESK_POLICY") {
            Some(p) => Some(PathBuf::from(p)),
            None => Some(PathBuf::from(DEFAULT_POLICY_FILE)).filter(|p| p.exists()),
        };
        let mut merchants = Vec::new();
        let mut locked = Vec::new();
        let mut kiosk = KioskPolicy::default();
        if let Some(path) = &policy_file {
            let policy = Policy::read(path)?;
            if let Some(m) = &policy.mode {
                mode = Mode::parse(m).ok_or_else(|| {
                    format!("the policy's mode `{m}`: expected demo, kiosk or agent")
                })?;
            }
            if let Some(s) = policy.idle_seconds {
                if s < 5 {
                    return Err("the policy's idle_seconds: at least 5".into());
                }
                settings.idle_seconds = s;
            }
            if let Some(l) = &policy.language {
                settings.language = Some(Language::from_tag(l).ok_or_else(|| {
                    format!(
                        "the policy's language `{l}`: expected {}",
                        Language::codes()
                    )
                })?);
            }
            if let Some(enc) = policy.card_encryption {
                settings.card_encryption = enc;
            }
            if let Some(live) = &policy.live {
                settings.app_id = live.app_id.clone();
                settings.api_base = live.api_base.clone();
                settings.vault_base = live.vault_base.clone();
                settings.status_base = live.status_base.clone();
                settings.status_component = live.status_component.clone();
            }
            for m in &policy.merchants {
                let d = Domain::parse(m)
                    .map_err(|_| format!("the policy's merchant `{m}` is not a domain"))?;
                if !merchants.contains(&d) {
                    merchants.push(d);
                }
            }
            locked = policy.locked.clone();
            kiosk = kiosk_policy(&policy)?;
        }
        if let Some(lp) = get("FIRMLY_DESK_LP") {
            kiosk.print_command = lp.trim().to_string();
        }
        let system = get("LC_ALL").or_else(|| get("LANG")).unwrap_or_default();
        let language = settings
            .language
            .or_else(|| Language::from_tag(&system))
            .unwrap_or_default();
        Ok(LaunchConfig {
            mode,
            data_dir: get("FIRMLY_DESK_DATA_DIR").map(PathBuf::from),
            sandbox_port,
            live: live_target(&settings)?,
            idle_seconds: settings.idle_seconds,
            language,
            merchants,
            locked,
            policy_file,
            settings,
            kiosk,
        })
    }

    /// Whether the policy locks this setting (`live` covers the connection fields).
    pub fn is_locked(&self, field: SettingField) -> bool {
        self.locked
            .iter()
            .any(|l| *l == Lock::All || *l == field.lock())
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
        assert_eq!(c.language, Language::En);
    }

    #[test]
    fn env_overrides_and_live_target() {
        let c = LaunchConfig::resolve(
            env(&[
                ("FIRMLY_DESK_MODE", "kiosk"),
                ("FIRMLY_DESK_SANDBOX_PORT", "4567"),
                ("FIRMLY_DESK_IDLE_SECONDS", "30"),
                ("FIRMLY_DESK_LANG", "es"),
                ("FIRMLY_APP_ID", "abc"),
                ("FIRMLY_API_BASE", "https://api.example.test"),
                ("FIRMLY_VAULT_BASE", "https://vault.example.test"),
            ]),
            &Settings::default(),
        )
        .unwrap();
        assert_eq!(
            (c.mode, c.sandbox_port, c.idle_seconds),
            (Mode::Kiosk, 4567, 30)
        );
        assert_eq!(c.language, Language::Es);
        let live = c.live.unwrap();
        assert_eq!(live.vault_base.as_str(), "https://vault.example.test/");
        assert_eq!(live.status_base, None, "no status host: no health dots");
    }

    #[test]
    fn live_urls_are_https_or_loopback_and_explicit() {
        let s = |api: &str, vault: &str| Settings {
            app_id: "x".into(),
            api_base: api.into(),
            vault_base: vault.into(),
            ..Settings::default()
        };
        assert!(live_target(&s("https://a.example", "https://v.example")).is_ok());
        assert!(live_target(&s("http://127.0.0.1:8787", "http://127.0.0.1:8787")).is_ok());
        assert!(live_target(&s("http://localhost:1", "http://[::1]:1")).is_ok());
        let plain = live_target(&s("http://a.example", "https://v.example")).unwrap_err();
        assert!(
            plain.field == SettingField::ApiBase
                && plain.message.starts_with("API base URL")
                && plain.message.contains("https"),
            "{plain:?}"
        );
        assert!(live_target(&s("ftp://a.example", "https://v.example")).is_err());
        assert!(live_target(&s("https://u:p@a.example", "https://v.example")).is_err());
        let no_vault = live_target(&s("https://a.example", "")).unwrap_err();
        assert!(
            no_vault.field == SettingField::VaultBase && no_vault.message.contains("vault"),
            "{no_vault:?}"
        );
        let status = Settings {
            status_base: "http://status.example".into(),
            ..s("https://a.example", "https://v.example")
        };
        assert_eq!(
            live_target(&status).unwrap_err().field,
            SettingField::StatusBase
        );
        assert!(parse_base_url("Vault", "https://v.test/?a=1").is_err());
        assert!(parse_base_url("Vault", "not a url").is_err());
    }

    #[test]
    fn bad_values_are_named() {
        let e = LaunchConfig::resolve(env(&[("FIRMLY_DESK_MODE", "party")]), &Settings::default())
            .unwrap_err();
        assert!(e.contains("FIRMLY_DESK_MODE"));
        let e = LaunchConfig::resolve(env(&[("FIRMLY_DESK_LANG", "fr")]), &Settings::default())
            .unwrap_err();
        assert!(e.contains("FIRMLY_DESK_LANG"));
        let s = Settings {
            app_id: "x".into(),
            ..Settings::default()
        };
        let e = live_target(&s).unwrap_err();
        assert!(
            e.field == SettingField::ApiBase && e.message.contains("required"),
            "{e:?}"
        );
    }

    #[test]
    fn the_policy_wins_over_store_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(
            &path,
            serde_json::json!({
                "mode": "kiosk",
                "idle_seconds": 45,
                "language": "es",
                "merchants": ["Shop-01.test", "https://homegoods.test/"],
                "live": {"app_id": "fleet", "api_base": "https://api.example", "vault_base": "https://vault.example", "status_base": "https://status.example"},
                "locked": ["live", "language"]
            })
            .to_string(),
        )
        .unwrap();
        let stored = Settings {
            idle_seconds: 300,
            language: Some(Language::En),
            ..Settings::default()
        };
        let p = path.display().to_string();
        let c = LaunchConfig::resolve(
            env(&[
                ("FIRMLY_DESK_POLICY", p.as_str()),
                ("FIRMLY_DESK_MODE", "agent"),
                ("FIRMLY_DESK_IDLE_SECONDS", "60"),
                ("FIRMLY_APP_ID", "from-env"),
            ]),
            &stored,
        )
        .unwrap();
        assert_eq!(
            (c.mode, c.idle_seconds, c.language),
            (Mode::Kiosk, 45, Language::Es)
        );
        assert_eq!(c.merchants, vec!["shop-01.test", "homegoods.test"]);
        assert_eq!(c.kiosk, KioskPolicy::default());
        assert_eq!(c.live.as_ref().unwrap().app_id, "fleet");
        assert!(c.live.as_ref().unwrap().status_base.is_some());
        assert!(c.is_locked(SettingField::ApiBase) && c.is_locked(SettingField::Language));
        assert!(!c.is_locked(SettingField::IdleSeconds));
        // An invalid policy is refused with its path and the failing field.
        std::fs::write(&path, r#"{"mode": "kiosk", "idle": 3}"#).unwrap();
        let e =
            LaunchConfig::resolve(env(&[("FIRMLY_DESK_POLICY", p.as_str())]), &stored).unwrap_err();
        assert!(e.contains("policy") && e.contains("idle"), "{e}");
    }

    #[test]
    fn languages_come_from_locale_tags() {
        assert_eq!(Language::from_tag("es_MX.UTF-8"), Some(Language::Es));
        assert_eq!(Language::from_tag("en-US"), Some(Language::En));
        assert_eq!(Language::from_tag("C.UTF-8"), None);
        let c =
            LaunchConfig::resolve(env(&[("LANG", "es_ES.UTF-8")]), &Settings::default()).unwrap();
        assert_eq!((c.language, c.settings.language), (Language::Es, None));
    }

    #[test]
    fn the_kiosk_keys_of_a_policy_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        let p = path.display().to_string();
        let read = |v: serde_json::Value| {
            std::fs::write(&path, v.to_string()).unwrap();
            LaunchConfig::resolve(
                env(&[("FIRMLY_DESK_POLICY", p.as_str())]),
                &Settings::default(),
            )
        };
        let pin = "03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4";
        let c = read(serde_json::json!({"mode": "kiosk", "order_done_seconds": 20,
            "staff_pin_sha256": pin.to_uppercase(), "touch_keyboard": true, "printer": "Front_Desk"}))
        .unwrap();
        assert_eq!(
            c.kiosk,
            KioskPolicy {
                order_done_seconds: 20,
                staff_pin_sha256: Some(pin.into()),
                touch_keyboard: true,
                printer: Some("Front_Desk".into()),
                print_command: "lp".into(),
            }
        );
        for bad in [
            serde_json::json!({"order_done_seconds": 2}),
            serde_json::json!({"staff_pin_sha256": "1234"}),
            serde_json::json!({"printer": "x; rm -rf /"}),
            serde_json::json!({"locked": ["everything"]}),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
    }
}
