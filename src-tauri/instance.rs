//! One app instance per data dir, in every mode: the data dir's lock file is held for the
//! life of the process, so two windows can never keep separate order guards over one store.
//! A second launch on the same data dir hands over to the first and exits: it asks the first,
//! over a Unix socket beside the lock (`instance.sock`, in the owner-only data dir), to come
//! to the front. This replaces tauri-plugin-single-instance, whose D-Bus client (zbus) was
//! 0.44 MiB of the binary (docs/BENCHMARKS.md §3) and which needed a session bus.
//!
//! What Tauri cannot do from inside the app, and the OS must lock down on a kiosk: system
//! shortcuts (Alt+Tab, Ctrl+Alt+F1…, the Super key), the window manager's own menus, and
//! starting other programs. Run the app as the only client of a kiosk session (e.g. a
//! dedicated user whose X session starts `firmly-desk` with `FIRMLY_DESK_MODE=kiosk` and
//! no desktop environment), with VT switching disabled in the X server configuration.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Holds the instance lock for the life of the process.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another instance holds it.
    Running(String),
    /// The lock file could not be opened, protected or locked.
    Failed(String),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Running(m) | Self::Failed(m) => f.write_str(m),
        }
    }
}

/// Takes the instance lock in `data_dir`, or explains that another instance holds it.
pub fn single_instance(data_dir: &Path) -> Result<InstanceLock, LockError> {
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
        .map_err(|e| LockError::Failed(format!("cannot open {}: {e}", path.display())))?;
    // A lock file an earlier version created readable by everyone.
    firmly_checkout::storage::restrict_permissions(&path)
        .map_err(|e| LockError::Failed(format!("cannot protect {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(InstanceLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Running(format!(
            "Firmly Desk is already running with data dir {}",
            data_dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(LockError::Failed(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

/// The word a second launch sends, and the first's answer once it has asked for the front.
const FRONT: &[u8] = b"front\n";
const DONE: &[u8] = b"done\n";

/// Where the hand-over socket of `data_dir` lives: in the data dir itself, or, when that path
/// is too long for a Unix socket address (108 bytes with its NUL), in the owner-only
/// `$XDG_RUNTIME_DIR` under a name derived from the data dir.
pub fn socket_path(data_dir: &Path, runtime_dir: Option<&Path>) -> Option<PathBuf> {
    let inside = data_dir.join("instance.sock");
    if inside.as_os_str().len() < 100 {
        return Some(inside);
    }
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut h);
    let outside = runtime_dir?.join(format!("firmly-desk-{:016x}.sock", h.finish()));
    (outside.as_os_str().len() < 100).then_some(outside)
}

/// The running instance's side: answers each later launch by calling `front` (which brings
/// the main window to the front). The socket is replaced if an earlier run left it behind
/// (only the lock's holder calls this). Runs on a thread of its own for the process's life.
#[cfg(unix)]
pub fn serve_handover(path: &Path, front: impl Fn() + Send + 'static) -> std::io::Result<()> {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixListener;
    let _ = std::fs::remove_file(path);
    let listener = UnixListener::bind(path)?;
    // The data dir is owner-only already; the socket too, wherever it is.
    firmly_checkout::storage::restrict_permissions(path)?;
    std::thread::Builder::new()
        .name("instance-handover".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else {
                    // Out of descriptors, for instance: no busy loop meanwhile.
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    continue;
                };
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
                let mut word = [0u8; 6];
                if stream.read_exact(&mut word).is_ok() && word == FRONT {
                    front();
                    let _ = stream.write_all(DONE);
                }
            }
        })?;
    Ok(())
}

/// A later launch's side: asks the running instance to come to the front. `Ok` once it has
/// answered.
#[cfg(unix)]
pub fn hand_over(path: &Path) -> std::io::Result<()> {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    let mut stream = UnixStream::connect(path)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
    stream.write_all(FRONT)?;
    let mut answer = [0u8; 5];
    stream.read_exact(&mut answer)?;
    if answer == DONE {
        Ok(())
    } else {
        Err(std::io::Error::other("unexpected answer"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_sits_in_the_data_dir_unless_its_path_is_too_long() {
        let run = Path::new("/run/user/1000");
        assert_eq!(
            socket_path(Path::new("/data"), Some(run)),
            Some(PathBuf::from("/data/instance.sock"))
        );
        let long = PathBuf::from(format!("/{}", "d".repeat(120)));
        let outside = socket_path(&long, Some(run)).unwrap();
        assert!(outside.starts_with(run));
        let other = PathBuf::from(format!("/{}", "e".repeat(120)));
        assert_ne!(socket_path(&other, Some(run)), Some(outside));
        assert_eq!(socket_path(&long, None), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_later_launch_brings_the_running_one_to_the_front() {
        let dir = tempfile::tempdir().unwrap();
        let path = socket_path(dir.path(), None).unwrap();
        // Left behind by a run that crashed: replaced, not an error.
        std::fs::write(&path, b"stale").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        serve_handover(&path, move || tx.send(()).unwrap()).unwrap();
        hand_over(&path).unwrap();
        rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        hand_over(&path).unwrap();
        rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_hand_over_without_a_running_instance_fails() {
        let dir = tempfile::tempdir().unwrap();
        assert!(hand_over(&dir.path().join("instance.sock")).is_err());
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
        match single_instance(dir.path()) {
            Err(LockError::Running(m)) => assert!(m.contains("already running")),
            other => panic!("expected Running, got {other:?}"),
        }
        drop(first);
        assert!(single_instance(dir.path()).is_ok());
    }
}
