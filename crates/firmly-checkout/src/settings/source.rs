//! The one place settings are read from: what is stored, with what the environment and a
//! fleet policy decide, where a locked policy value always wins. Payment, the idle rule, the
//! language and the Settings dialog all ask [`SettingsSource`]; nothing reads the store's
//! settings directly.

use std::sync::Arc;

use super::{Language, SettingField, Settings};
use crate::launch::LaunchConfig;
use crate::storage::Persistence;

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
