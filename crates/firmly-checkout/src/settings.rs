//! The one place settings are read from: what is stored, with what the environment and a
//! fleet policy decide, where a locked policy value always wins. Payment, the idle rule, the
//! language and the Settings dialog all ask [`SettingsSource`]; nothing reads the store's
//! settings directly.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use specta::Type;

use crate::launch::LaunchConfig;
use crate::storage::{Persistence, Settings};

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

/// The settings in force, read from one place.
#[derive(Clone)]
pub struct SettingsSource {
    persistence: Persistence,
    launch: Arc<LaunchConfig>,
}

impl SettingsSource {
    pub fn new(persistence: Persistence, launch: Arc<LaunchConfig>) -> SettingsSource {
        SettingsSource {
            persistence,
            launch,
        }
    }

    /// The stored settings, with every policy-locked field taken from the policy, and the
    /// launch's language when none is stored.
    pub fn current(&self) -> Settings {
        let mut s = self.persistence.settings();
        for field in SettingField::ALL {
            if self.is_locked(field) {
                field.copy(&self.launch.settings, &mut s);
            }
        }
        if s.language.is_none() {
            s.language = Some(self.launch.language);
        }
        s
    }

    pub fn is_locked(&self, field: SettingField) -> bool {
        self.launch.is_locked(field)
    }

    /// The fields a policy locks, for the Settings dialog.
    pub fn locked(&self) -> Vec<SettingField> {
        SettingField::ALL
            .into_iter()
            .filter(|f| self.is_locked(*f))
            .collect()
    }

    /// The desk's language (stored, policy or system).
    pub fn language(&self) -> Language {
        self.current().language.unwrap_or(self.launch.language)
    }

    pub fn launch(&self) -> &LaunchConfig {
        &self.launch
    }

    pub fn persistence(&self) -> &Persistence {
        &self.persistence
    }
}
