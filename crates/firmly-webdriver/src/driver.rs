//! Launching `tauri-driver` (which launches WebKitWebDriver, which launches the app) and
//! stopping all of it.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Launch variables a developer's shell may hold that would point the app under test at a
/// live API or a fleet policy: removed before the caller's own environment is applied.
pub const CLEARED_ENV: [&str; 5] = [
    "FIRMLY_APP_ID",
    "FIRMLY_API_BASE",
    "FIRMLY_VAULT_BASE",
    "FIRMLY_STATUS_BASE",
    "FIRMLY_DESK_POLICY",
];

/// A free TCP port on the loopback interface.
pub fn free_port() -> std::io::Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
}

/// `$TAURI_DRIVER`, else `cargo install`'s `tauri-driver`, else the one on `PATH`.
pub fn tauri_driver() -> PathBuf {
    if let Ok(p) = std::env::var("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let p = home.join("bin").join("tauri-driver");
    if p.exists() {
        p
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// A running `tauri-driver` (its own process group, so WebKitWebDriver and the app go with
/// it), answering on `url`.
pub struct Driver {
    child: Child,
    stopped: bool,
    url: String,
}

impl Driver {
    /// Starts `tauri-driver` with `env` for the app it will launch (after [`CLEARED_ENV`] is
    /// removed) and waits until it answers `GET /status`.
    pub async fn start<K: AsRef<OsStr>, V: AsRef<OsStr>>(
        env: &[(K, V)],
        timeout: Duration,
    ) -> Result<Driver, String> {
        let port = free_port().map_err(|e| format!("a free port: {e}"))?;
        let native = free_port().map_err(|e| format!("a free port: {e}"))?;
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        for k in CLEARED_ENV {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().map_err(|e| {
            format!(
                "tauri-driver ({}; cargo install tauri-driver): {e}",
                tauri_driver().display()
            )
        })?;
        let mut driver = Driver {
            child,
            stopped: false,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + timeout;
        loop {
            if status_ok(port).await {
                return Ok(driver);
            }
            if let Ok(Some(exit)) = driver.child.try_wait() {
                driver.stopped = true;
                return Err(format!("tauri-driver exited before it answered: {exit}"));
            }
            if Instant::now() > deadline {
                driver.stop();
                return Err(format!(
                    "tauri-driver did not answer GET /status within {timeout:?}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The WebDriver endpoint (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ends everything this driver started (SIGTERM to its process group), and waits (up to
    /// 5 s, then SIGKILL) for the app's process tree to be gone so runs do not overlap.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let tree = descendants(self.child.id());
        signal_group(self.child.id(), "-TERM");
        let _ = self.child.kill();
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        for pid in &tree {
            while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if Path::new(&format!("/proc/{pid}")).exists() {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }

    /// Kills the driver, WebKitWebDriver and the app at once (SIGKILL to the group: no exit
    /// handler runs), as a crash or a pulled plug would.
    pub fn crash(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        signal_group(self.child.id(), "-KILL");
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

fn signal_group(leader: u32, signal: &str) {
    let group = format!("-{leader}");
    let _ = Command::new("kill")
        .args([signal, "--", &group])
        .stderr(Stdio::null())
        .status();
}

/// Whether the driver on this port answers `GET /status` with 200 (tauri-driver forwards it
/// to WebKitWebDriver, so both are up). Plain HTTP/1.1 on loopback.
async fn status_ok(port: u16) -> bool {
    let ask = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        s.write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await?;
        let mut head = [0u8; 12];
        s.read_exact(&mut head).await?;
        Ok::<_, std::io::Error>(head)
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), ask).await,
        Ok(Ok(head)) if head.starts_with(b"HTTP/1.1 200") || head.starts_with(b"HTTP/1.0 200")
    )
}

/// Parent pid of every process (from `/proc/*/stat`).
fn parents() -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return map;
    };
    for e in dir.flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        if let Some(ppid) = ppid_of_stat(&stat) {
            map.insert(pid, ppid);
        }
    }
    map
}

/// `pid (comm) state ppid …` — comm may hold spaces and parentheses.
fn ppid_of_stat(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Every descendant of `root` (not `root` itself).
pub fn descendants(root: u32) -> Vec<u32> {
    let map = parents();
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (child, parent) in &map {
            if *parent == p && !out.contains(child) {
                out.push(*child);
                frontier.push(*child);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_pid_survives_odd_process_names() {
        assert_eq!(ppid_of_stat("42 (a) b (c)) S 7 42 42 0"), Some(7));
        assert_eq!(ppid_of_stat("42 (plain) R 1 42 42 0"), Some(1));
        assert_eq!(ppid_of_stat("garbage"), None);
    }

    #[test]
    fn a_child_process_is_a_descendant() {
        let mut child = Command::new("sleep").arg("5").spawn().expect("sleep");
        let me = std::process::id();
        assert!(descendants(me).contains(&child.id()));
        let _ = child.kill();
        let _ = child.wait();
    }

    #[tokio::test]
    async fn nothing_listening_is_not_a_driver() {
        let port = free_port().expect("a port");
        assert!(!status_ok(port).await);
    }
}
