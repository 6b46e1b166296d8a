//! One app instance per data dir, in every mode: the data dir's lock file is held for the
//! life of the process, so two windows can never keep separate order guards over one store.
//! A second launch on the same data dir hands over to the first (which comes to the front,
//! through tauri-plugin-single-instance where a D-Bus session exists) and exits.
//!
//! What Tauri cannot do from inside the app, and the OS must lock down on a kiosk: system
//! shortcuts (Alt+Tab, Ctrl+Alt+F1…, the Super key), the window manager's own menus, and
//! starting other programs. Run the app as the only client of a kiosk session (e.g. a
//! dedicated user whose X session starts `firmly-desk` with `FIRMLY_DESK_MODE=kiosk` and
//! no desktop environment), with VT switching disabled in the X server configuration.

use std::fs::File;
use std::path::Path;

/// Holds the instance lock for the life of the process.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// Takes the instance lock in `data_dir`, or explains that another instance holds it.
pub fn single_instance(data_dir: &Path) -> Result<InstanceLock, String> {
    let path = data_dir.join("instance.lock");
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        // Owner-only like every file of the data dir (src-tauri/private.rs).
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    // A lock file an earlier version created readable by everyone.
    firmly_checkout::storage::restrict_permissions(&path)
        .map_err(|e| format!("cannot protect {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(InstanceLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "Firmly Desk is already running with data dir {}",
            data_dir.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// The single-instance plugin's D-Bus id for a data dir: one app per data dir, not per user.
pub fn dbus_id(identifier: &str, data_dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut h);
    format!("{identifier}.d{:016x}", h.finish())
}

/// Whether a D-Bus session bus can be reached (the single-instance plugin needs one; without
/// it the lock file alone keeps one instance per data dir).
pub fn session_bus_available() -> bool {
    if let Ok(addr) = std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        return addr
            .split(';')
            .filter_map(|a| a.strip_prefix("unix:path="))
            .map(|p| p.split(',').next().unwrap_or(p))
            .any(|p| Path::new(p).exists())
            || addr.contains("abstract=");
    }
    std::env::var("XDG_RUNTIME_DIR")
        .map(|d| Path::new(&d).join("bus").exists())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbus_ids_differ_per_data_dir() {
        let a = dbus_id("ai.firmly.desk", Path::new("/a"));
        assert_ne!(a, dbus_id("ai.firmly.desk", Path::new("/b")));
        assert!(a.starts_with("ai.firmly.desk.d"));
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_file_is_owner_only_even_when_it_was_not() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("instance.lock");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        drop(single_instance(dir.path()).unwrap());
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let _lock = single_instance(dir.path()).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_second_instance_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = single_instance(dir.path()).unwrap();
        assert!(single_instance(dir.path())
            .unwrap_err()
            .contains("already running"));
        drop(first);
        assert!(single_instance(dir.path()).is_ok());
    }
}
