//! Kiosk-only behaviour that needs the OS: one instance per data dir (a second launch
//! exits instead of opening a second customer session on the same store).
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

/// Takes the kiosk lock in `data_dir`, or explains that another instance holds it.
pub fn single_instance(data_dir: &Path) -> Result<InstanceLock, String> {
    let path = data_dir.join("kiosk.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(InstanceLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "Firmly Desk is already running in kiosk mode with data dir {}",
            data_dir.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
