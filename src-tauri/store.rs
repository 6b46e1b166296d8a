//! The app's store: one JSON file in the data dir (`firmly-desk.json`), owner-only, written
//! crash-safe after every change (`firmly_checkout::JsonFileStore`: a temporary file, flushed,
//! renamed over the old one, the folder flushed). A power cut leaves the previous version or
//! the new one, never a torn file that would load as empty.

use std::path::Path;

use firmly_checkout::JsonFileStore;

pub const STORE_FILE: &str = "firmly-desk.json";

/// Opens (or creates) the store in the data dir.
pub fn open(dir: &Path) -> Result<JsonFileStore, String> {
    let path = dir.join(STORE_FILE);
    JsonFileStore::open(&path).map_err(|e| format!("cannot open the store {}: {e}", path.display()))
}
