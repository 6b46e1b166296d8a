//! Persistence behind a small key-value trait: the desktop app and the CLI implement it with
//! a JSON file written crash-safe (`JsonFileStore`), tests in memory. Settings and the device
//! session are stored with a default for every field so older store files keep loading,
//! and every update is read-modify-write. Card data never passes through here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::Mutex;

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;

/// A persistent JSON key-value store.
pub trait KeyValueStore: Send + Sync {
    fn get(&self, key: &str) -> Option<Value>;
    fn set(&self, key: &str, value: Value);
    fn delete(&self, key: &str);
    /// Flushes to durable storage.
    fn flush(&self) -> std::io::Result<()>;
}

/// In-memory store for tests and for kiosk sessions that must not touch the disk.
#[derive(Default, Clone)]
pub struct MemoryStore {
    map: Arc<Mutex<BTreeMap<String, Value>>>,
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Option<Value> {
        self.map.lock().get(key).cloned()
    }
    fn set(&self, key: &str, value: Value) {
        self.map.lock().insert(key.to_string(), value);
    }
    fn delete(&self, key: &str) {
        self.map.lock().remove(key);
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A store kept in one JSON file, written atomically with owner-only permissions.
/// Used by the `firmly` CLI (`--session FILE`).
pub struct JsonFileStore {
    path: PathBuf,
    map: Mutex<BTreeMap<String, Value>>,
}

impl JsonFileStore {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the store file. A torn temporary file of an interrupted write is removed (the
    /// store itself is never torn: writes are atomic). A store that cannot be read at all
    /// (written by something else) is kept aside as `<name>.unreadable` and the desk starts
    /// with defaults, never silently over it.
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let _ = std::fs::remove_file(temp_path(&path));
        let map = match std::fs::read(&path) {
            Ok(bytes) if !bytes.is_empty() => match serde_json::from_slice(&bytes) {
                Ok(map) => map,
                Err(e) => {
                    let aside = path.with_extension("unreadable");
                    tracing::error!(error = %e, file = %path.display(), "the store cannot be read; kept aside");
                    std::fs::rename(&path, &aside)?;
                    BTreeMap::new()
                }
            },
            Ok(_) => BTreeMap::new(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e),
        };
        Ok(JsonFileStore {
            path,
            map: Mutex::new(map),
        })
    }
}

impl KeyValueStore for JsonFileStore {
    fn get(&self, key: &str) -> Option<Value> {
        self.map.lock().get(key).cloned()
    }
    fn set(&self, key: &str, value: Value) {
        self.map.lock().insert(key.to_string(), value);
        let _ = self.flush();
    }
    fn delete(&self, key: &str) {
        self.map.lock().remove(key);
        let _ = self.flush();
    }
    fn flush(&self) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(&*self.map.lock()).map_err(std::io::Error::other)?;
        write_private_file(&self.path, &bytes)
    }
}

/// Writes `bytes` to `path` crash-safe and readable by the owner only: a temporary file
/// beside it, flushed to disk, renamed over the old one, and the folder flushed, so a power
/// cut leaves either the old version or the new one, never a torn file.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic(path, bytes, None)
}

/// [`write_private_file`] cut off after `cut_after` bytes, as a power cut would: the
/// temporary file is left torn and nothing is renamed. For the crash tests only.
#[doc(hidden)]
pub fn write_private_file_cut(path: &Path, bytes: &[u8], cut_after: usize) -> std::io::Result<()> {
    write_atomic(path, bytes, Some(cut_after))
}

fn temp_path(path: &Path) -> PathBuf {
    path.with_extension(format!("tmp{}", std::process::id()))
}

fn write_atomic(path: &Path, bytes: &[u8], cut_after: Option<usize>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let tmp = temp_path(path);
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        if let Some(cut) = cut_after {
            f.write_all(&bytes[..cut.min(bytes.len())])?;
            return Err(std::io::Error::other("the write was cut off"));
        }
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    restrict_permissions(path)?;
    sync_dir(path)
}

/// Flushes the folder holding `path`, so a rename in it survives a power cut.
pub fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates a folder (and its parents) that only its owner can enter.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Makes a file readable and writable by its owner only.
pub fn restrict_permissions(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

fn load<T: DeserializeOwned + Default>(store: &dyn KeyValueStore, key: &str) -> T {
    store
        .get(key)
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn save<T: Serialize>(store: &dyn KeyValueStore, key: &str, value: &T) {
    if let Ok(v) = serde_json::to_value(value) {
        store.set(key, v);
    }
    if let Err(e) = store.flush() {
        tracing::warn!(error = %e, "could not flush the store");
    }
}

use crate::settings::Settings;

/// The device session and customer preferences, persisted between launches. Debug never
/// shows the token.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersistedSession {
    pub access_token: String,
    pub expires: i64,
    pub device_id: String,
    pub postal_code: Option<String>,
    #[serde(deserialize_with = "crate::domain::lenient_domains")]
    pub known_domains: Vec<crate::domain::Domain>,
}

impl std::fmt::Debug for PersistedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersistedSession")
            .field("access_token", &firmly_api::Redacted(&self.access_token))
            .field("expires", &self.expires)
            .field("device_id", &self.device_id)
            .field("postal_code", &self.postal_code)
            .field("known_domains", &self.known_domains)
            .finish()
    }
}

const SETTINGS_KEY: &str = "settings";
const SESSION_KEY: &str = "session";

/// Typed access to the store.
#[derive(Clone)]
pub struct Persistence {
    store: Arc<dyn KeyValueStore>,
    lock: Arc<Mutex<()>>,
}

impl Persistence {
    pub fn new(store: Arc<dyn KeyValueStore>) -> Self {
        Persistence {
            store,
            lock: Arc::new(Mutex::new(())),
        }
    }

    pub fn settings(&self) -> Settings {
        load(self.store.as_ref(), SETTINGS_KEY)
    }

    /// Read-modify-write of the settings.
    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) -> Settings {
        let _g = self.lock.lock();
        let mut s = self.settings();
        f(&mut s);
        save(self.store.as_ref(), SETTINGS_KEY, &s);
        s
    }

    pub fn session(&self) -> PersistedSession {
        load(self.store.as_ref(), SESSION_KEY)
    }

    /// Read-modify-write of the persisted session.
    pub fn update_session(&self, f: impl FnOnce(&mut PersistedSession)) -> PersistedSession {
        let _g = self.lock.lock();
        let mut s = self.session();
        f(&mut s);
        save(self.store.as_ref(), SESSION_KEY, &s);
        s
    }

    /// Forgets the customer: token, device, postal code and known carts.
    pub fn wipe_session(&self) {
        let _g = self.lock.lock();
        self.store.delete(SESSION_KEY);
        if let Err(e) = self.store.flush() {
            tracing::warn!(error = %e, "could not flush the store");
        }
    }
}

/// The client's token storage, backed by the persisted session.
impl firmly_api::SessionStore for Persistence {
    fn load(&self) -> Option<firmly_api::StoredSession> {
        let s = self.session();
        if s.access_token.is_empty() {
            return None;
        }
        Some(firmly_api::StoredSession {
            access_token: s.access_token,
            expires: s.expires,
            device_id: s.device_id,
        })
    }

    fn save(&self, session: &firmly_api::StoredSession) {
        self.update_session(|p| {
            p.access_token = session.access_token.clone();
            p.expires = session.expires;
            p.device_id = session.device_id.clone();
        });
    }

    fn clear(&self) {
        self.update_session(|p| {
            p.access_token.clear();
            p.expires = 0;
            p.device_id.clear();
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let s = PersistedSession {
            access_token: "eyJhbGciOiJSUzI1NiJ9.secret.sig".into(),
            ..Default::default()
        };
        assert!(!format!("{s:?}").contains("secret"));
    }

    #[test]
    fn settings_from_an_older_store_file_get_defaults() {
        let store = MemoryStore::default();
        // Written by a version that only knew the app id.
        store.set(
            "settings",
            serde_json::json!({"app_id": "abc", "retired_field": 1}),
        );
        let p = Persistence::new(Arc::new(store.clone()));
        let s = p.settings();
        assert_eq!(s.app_id, "abc");
        assert_eq!(s.idle_seconds, 120);
        assert_eq!(s.card_encryption, crate::settings::CardEncryption::Jwe);
        // An empty or unknown stored language is the system's, not a failed load.
        store.set(
            "settings",
            serde_json::json!({"language": "", "idle_seconds": 30}),
        );
        assert_eq!(
            (p.settings().language, p.settings().idle_seconds),
            (None, 30)
        );
        store.set("settings", serde_json::json!({"language": "es"}));
        assert_eq!(p.settings().language, Some(crate::settings::Language::Es));
    }

    #[test]
    fn updates_are_read_modify_write() {
        let store = MemoryStore::default();
        let p = Persistence::new(Arc::new(store.clone()));
        p.update_settings(|s| s.idle_seconds = 30);
        // Another writer changes a different field directly in the store.
        let mut raw = store.get("settings").unwrap();
        raw["app_id"] = serde_json::json!("x");
        store.set("settings", raw);
        p.update_settings(|s| s.api_base = "https://api.example".into());
        let s = p.settings();
        assert_eq!((s.idle_seconds, s.app_id.as_str()), (30, "x"));
        assert_eq!(s.api_base, "https://api.example");
    }

    #[test]
    fn json_file_store_round_trips_with_owner_only_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.json");
        {
            let p = Persistence::new(Arc::new(JsonFileStore::open(&path).unwrap()));
            p.update_session(|s| {
                s.device_id = "dev-1".into();
                s.known_domains = crate::domain::Domain::parse_all(["staging.luma.gift"]);
            });
        }
        let p = Persistence::new(Arc::new(JsonFileStore::open(&path).unwrap()));
        assert_eq!(p.session().device_id, "dev-1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_power_cut_during_a_store_write_leaves_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.json");
        let store = JsonFileStore::open(&path).unwrap();
        store.set("settings", serde_json::json!({"idle_seconds": 45}));
        // The next write is cut off halfway, as by a power cut.
        let next = serde_json::to_vec_pretty(&serde_json::json!({
            "settings": {"idle_seconds": 90, "app_id": "x".repeat(4000)}
        }))
        .unwrap();
        assert!(write_private_file_cut(&path, &next, next.len() / 2).is_err());
        let reopened = Persistence::new(Arc::new(JsonFileStore::open(&path).unwrap()));
        assert_eq!(
            reopened.settings().idle_seconds,
            45,
            "the previous version loads"
        );
        assert!(
            !temp_path(&path).exists(),
            "the torn temporary file is gone"
        );
        // A store file something else broke is kept aside, not overwritten.
        std::fs::write(&path, b"{\"settings\": {\"idle_se").unwrap();
        let fresh = JsonFileStore::open(&path).unwrap();
        assert!(fresh.get("settings").is_none());
        assert!(path.with_extension("unreadable").exists());
    }

    #[test]
    fn folders_made_for_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/desk.json");
        write_private_file(&file, b"{}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&file), 0o600);
    }
}
