//! The app's `KeyValueStore`: tauri-plugin-store in one JSON file in the data dir, saved
//! explicitly after every change and readable by the owner only.

use std::path::PathBuf;
use std::sync::Arc;

use firmly_checkout::storage::restrict_permissions;
use firmly_checkout::KeyValueStore;
use serde_json::Value;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::{Store, StoreBuilder};

pub const STORE_FILE: &str = "firmly-desk.json";

pub struct PluginStore<R: Runtime> {
    store: Arc<Store<R>>,
    path: PathBuf,
}

impl<R: Runtime> PluginStore<R> {
    pub fn open(app: &AppHandle<R>, path: PathBuf) -> Result<Self, String> {
        // Create the file owner-only before the plugin first writes it; the plugin's
        // `fs::write` keeps an existing file's permissions.
        if !path.exists() {
            firmly_checkout::storage::write_private_file(&path, b"{}")
                .map_err(|e| format!("cannot create the store {}: {e}", path.display()))?;
        }
        restrict_permissions(&path)
            .map_err(|e| format!("cannot protect {}: {e}", path.display()))?;
        let store = StoreBuilder::new(app, path.clone())
            .disable_auto_save()
            .build()
            .map_err(|e| format!("cannot open the store {}: {e}", path.display()))?;
        Ok(PluginStore { store, path })
    }
}

impl<R: Runtime> KeyValueStore for PluginStore<R> {
    fn get(&self, key: &str) -> Option<Value> {
        self.store.get(key)
    }
    fn set(&self, key: &str, value: Value) {
        self.store.set(key, value);
    }
    fn delete(&self, key: &str) {
        self.store.delete(key);
    }
    fn flush(&self) -> std::io::Result<()> {
        self.store.save().map_err(std::io::Error::other)?;
        restrict_permissions(&self.path)
    }
}
