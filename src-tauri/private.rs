//! What the process keeps to itself (issue #25): files readable by the kiosk account only,
//! and no core dumps in kiosk mode.
//!
//! - **umask 077 for the whole process, in every mode.** Every file the app writes holds a
//!   customer's or a device's data (the logs, the store, the order journal and its lock
//!   files, `sandbox-url`, WebKit's caches and cookies) and none is meant for another
//!   account: on a shared office PC (agent mode) as much as on a kiosk. Set first thing in
//!   `run`, it covers the files of every crate and plugin (tauri-plugin-log opens its files
//!   with the default mode) and the WebKit processes, which inherit it. A receipt a person
//!   saves with "Save as" is owner-only too; they own it and may share it.
//! - **The data dir is 0700**, created so and tightened at start if an earlier version left
//!   it 0755, together with the files an earlier version left readable in it and in `logs/`.
//! - **Kiosk: not dumpable.** `PR_SET_DUMPABLE 0`: no core file (a dump would hold the
//!   customer's card fields and session), and no other process of the same account may
//!   attach a debugger or read `/proc/<pid>/mem`. The systemd unit adds `LimitCORE=0`
//!   (docs/kiosk/). Outside kiosk mode developers keep their core dumps.

use std::path::Path;

/// The process's file mode mask: new files 0600, new folders 0700.
pub const PRIVATE_UMASK: u32 = 0o077;

/// Makes every file and folder the process creates from now on owner-only.
pub fn private_umask() {
    #[cfg(unix)]
    // SAFETY: `umask` only sets the process's file mode creation mask; it takes no
    // pointers and cannot fail.
    unsafe {
        libc::umask(PRIVATE_UMASK as libc::mode_t);
    }
}

/// Kiosk mode: no core dumps, no debugger from the same account.
pub fn disable_core_dumps() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `prctl(PR_SET_DUMPABLE, 0)` only changes a flag of this process; the
        // unused arguments are zero as the man page asks.
        let rc = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Whether the process may dump core (`PR_GET_DUMPABLE`).
pub fn is_dumpable() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `prctl(PR_GET_DUMPABLE)` reads a flag of this process.
        let rc = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        rc != 0
    }
    #[cfg(not(target_os = "linux"))]
    true
}

/// Creates the data dir owner-only (0700), or tightens an existing one and the files an
/// earlier version left readable in it and in its `logs/` folder.
pub fn private_data_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        // A sticky, shared folder (`FIRMLY_DESK_DATA_DIR=/tmp`) is someone else's too: it
        // keeps its mode, and its files are still owner-only (umask, tightened below).
        if mode & 0o1000 != 0 {
            tracing::warn!(
                "the data dir is a shared folder (sticky bit): its mode is left as it is"
            );
        } else if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        tighten_files(dir)?;
        let logs = dir.join("logs");
        if std::fs::symlink_metadata(&logs).is_ok_and(|m| m.is_dir()) {
            std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o700))?;
            tighten_files(&logs)?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// Makes the regular files directly in `dir` owner-only (symbolic links are not followed:
/// one planted in the folder must not make the app change a file elsewhere).
#[cfg(unix)]
fn tighten_files(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_data_dir_is_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("data");
        private_data_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn an_old_readable_data_dir_and_its_files_are_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let logs = dir.join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        let set = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        for (name, body) in [("sandbox-url", "x"), ("instance.lock", "")] {
            std::fs::write(dir.join(name), body).unwrap();
            set(&dir.join(name), 0o644);
        }
        std::fs::write(logs.join("firmly-desk.log"), "line").unwrap();
        set(&logs.join("firmly-desk.log"), 0o644);
        // A link to a file outside is left alone (and so is that file).
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, "mine").unwrap();
        set(&outside, 0o644);
        std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();
        set(&dir, 0o755);
        set(&logs, 0o755);
        private_data_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&logs), 0o700);
        assert_eq!(mode(&dir.join("sandbox-url")), 0o600);
        assert_eq!(mode(&dir.join("instance.lock")), 0o600);
        assert_eq!(mode(&logs.join("firmly-desk.log")), 0o600);
        assert_eq!(mode(&outside), 0o644);
    }

    #[test]
    fn a_shared_sticky_folder_keeps_its_mode() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("shared");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
        private_data_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o1777);
    }

    /// Runs one test of this binary alone in a child process (the umask and the dumpable
    /// flag are the whole process's: they must not change under the other tests).
    fn in_child(test: &str) {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env("FIRMLY_PRIVATE_CHILD", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{test} in a child: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn is_child() -> bool {
        std::env::var("FIRMLY_PRIVATE_CHILD").as_deref() == Ok("1")
    }

    #[test]
    fn kiosk_processes_are_not_dumpable() {
        in_child("private::tests::child_disables_core_dumps");
    }

    #[test]
    fn files_created_after_the_umask_are_owner_only() {
        in_child("private::tests::child_creates_private_files");
    }

    #[test]
    fn child_disables_core_dumps() {
        if !is_child() {
            return;
        }
        assert!(is_dumpable(), "a test process starts dumpable");
        disable_core_dumps().unwrap();
        assert!(!is_dumpable());
        // Where the kernel reports it (some sandboxed kernels leave the line out).
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        if let Some(line) = status.lines().find(|l| l.starts_with("Dumpable:")) {
            assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
        }
    }

    #[test]
    fn child_creates_private_files() {
        if !is_child() {
            return;
        }
        private_umask();
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("firmly-desk.log");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(mode(&file), 0o600);
        let dir = tmp.path().join("logs");
        std::fs::create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
    }
}
