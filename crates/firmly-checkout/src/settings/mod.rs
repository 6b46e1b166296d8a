//! The settings as values: what a person or a fleet policy sets ([`Settings`]), its fields
//! and the policy's locks, the languages, the modes and the card encryption. Nothing here
//! reads a store or the environment; [`source::SettingsSource`] is the one place the settings
//! in force are read from.

use serde::{Deserialize, Deserializer, Serialize};
use specta::Type;

pub mod source;

pub use source::SettingsSource;

/// A language of the UI's catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Es,
}

impl Language {
    /// Every language the catalog has, in the order the UI offers them.
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    /// The language of a locale or a setting (`es_MX.UTF-8` → `es`), if the UI has it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let lower = tag.trim().to_ascii_lowercase();
        let primary = lower.split(['_', '-', '.']).next().unwrap_or_default();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The codes, for messages ("en or es").
    pub fn codes() -> String {
        let all: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
        all.join(" or ")
    }
}

/// A stored language: `""` (the system's) and codes this build does not know read as none.
pub(crate) fn lenient_language<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Language>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.as_ref()
        .and_then(|v| v.as_str())
        .and_then(Language::from_tag))
}

/// One field of [`Settings`], as the Settings dialog and the policy's locks name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SettingField {
    AppId,
    ApiBase,
    VaultBase,
    StatusBase,
    StatusComponent,
    IdleSeconds,
    CardEncryption,
    Language,
}

impl SettingField {
    pub const ALL: [SettingField; 8] = [
        SettingField::AppId,
        SettingField::ApiBase,
        SettingField::VaultBase,
        SettingField::StatusBase,
        SettingField::StatusComponent,
        SettingField::IdleSeconds,
        SettingField::CardEncryption,
        SettingField::Language,
    ];

    /// The field's name in [`Settings`] (and an error's `field`).
    pub fn name(self) -> &'static str {
        firmly_api::Field::from(self).as_str()
    }

    /// The error field of this setting.
    pub fn field(self) -> firmly_api::Field {
        self.into()
    }
}

impl From<SettingField> for firmly_api::Field {
    fn from(f: SettingField) -> firmly_api::Field {
        use firmly_api::Field;
        match f {
            SettingField::AppId => Field::AppId,
            SettingField::ApiBase => Field::ApiBase,
            SettingField::VaultBase => Field::VaultBase,
            SettingField::StatusBase => Field::StatusBase,
            SettingField::StatusComponent => Field::StatusComponent,
            SettingField::IdleSeconds => Field::IdleSeconds,
            SettingField::CardEncryption => Field::CardEncryption,
            SettingField::Language => Field::Language,
        }
    }
}

impl SettingField {
    /// The policy lock that covers this field.
    pub fn lock(self) -> Lock {
        match self {
            SettingField::AppId
            | SettingField::ApiBase
            | SettingField::VaultBase
            | SettingField::StatusBase
            | SettingField::StatusComponent => Lock::Live,
            SettingField::IdleSeconds => Lock::IdleSeconds,
            SettingField::CardEncryption => Lock::CardEncryption,
            SettingField::Language => Lock::Language,
        }
    }

    /// Whether this field says where the API is (a change reconnects).
    pub fn is_connection(self) -> bool {
        self.lock() == Lock::Live
    }

    /// Whether the two settings differ in this field.
    pub fn differs(self, a: &Settings, b: &Settings) -> bool {
        let text = |x: &str, y: &str| x.trim() != y.trim();
        match self {
            SettingField::AppId => text(&a.app_id, &b.app_id),
            SettingField::ApiBase => text(&a.api_base, &b.api_base),
            SettingField::VaultBase => text(&a.vault_base, &b.vault_base),
            SettingField::StatusBase => text(&a.status_base, &b.status_base),
            SettingField::StatusComponent => text(&a.status_component, &b.status_component),
            SettingField::IdleSeconds => a.idle_seconds != b.idle_seconds,
            SettingField::CardEncryption => a.card_encryption != b.card_encryption,
            SettingField::Language => a.language != b.language,
        }
    }

    /// Copies this field from `from` into `to`.
    pub fn copy(self, from: &Settings, to: &mut Settings) {
        match self {
            SettingField::AppId => to.app_id = from.app_id.clone(),
            SettingField::ApiBase => to.api_base = from.api_base.clone(),
            SettingField::VaultBase => to.vault_base = from.vault_base.clone(),
            SettingField::StatusBase => to.status_base = from.status_base.clone(),
            SettingField::StatusComponent => to.status_component = from.status_component.clone(),
            SettingField::IdleSeconds => to.idle_seconds = from.idle_seconds,
            SettingField::CardEncryption => to.card_encryption = from.card_encryption,
            SettingField::Language => to.language = from.language,
        }
    }
}

/// What a fleet policy can lock: one group of settings, or all of them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// Every setting.
    All,
    /// The connection: app id, API, vault and status hosts, status component.
    Live,
    /// The kiosk's idle timeout.
    IdleSeconds,
    /// The UI language.
    Language,
    /// The card encryption (`jwe` or `per-field`).
    CardEncryption,
}

/// How the app runs (CONTRACTS.md §1 `FIRMLY_DESK_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Demo,
    Kiosk,
    Agent,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "demo" => Some(Mode::Demo),
            "kiosk" => Some(Mode::Kiosk),
            "agent" => Some(Mode::Agent),
            _ => None,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Demo => "demo",
            Mode::Kiosk => "kiosk",
            Mode::Agent => "agent",
        }
    }
}

/// Which card encryption the order uses: v3 JWE (recommended) or v2 per-field RSA.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CardEncryption {
    #[default]
    Jwe,
    PerField,
}

/// User settings. Every field has a default so store files written by older versions load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Settings {
    /// Firmly application id; empty = embedded sandbox.
    pub app_id: String,
    pub api_base: String,
    pub vault_base: String,
    pub status_base: String,
    /// The checkout component whose health the status host reports (ENDPOINTS.md §1 #50);
    /// empty = the docs' example component on a sandbox, no health dots on a live API.
    pub status_component: String,
    pub idle_seconds: u32,
    pub card_encryption: CardEncryption,
    /// The desk's language; none = the system's.
    #[serde(deserialize_with = "lenient_language")]
    pub language: Option<Language>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            app_id: String::new(),
            api_base: String::new(),
            vault_base: String::new(),
            status_base: String::new(),
            status_component: String::new(),
            idle_seconds: 120,
            card_encryption: CardEncryption::Jwe,
            language: None,
        }
    }
}
