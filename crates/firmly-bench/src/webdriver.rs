//! A minimal W3C WebDriver client over `tauri-driver` (as `tests/support/mod.rs` drives the
//! e2e tests), plus the process-tree helpers the start-up and memory figures need. Elements
//! are located only by `data-testid`.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

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

/// A running `tauri-driver` (its own process group) ready for a session.
pub struct Driver {
    child: Child,
    stopped: bool,
    pub wd: String,
    pub http: reqwest::Client,
}

impl Driver {
    /// Starts `tauri-driver` with `env` for the app it will launch, and waits for it.
    pub async fn start(env: &[(&str, String)]) -> Result<Driver, String> {
        let (port, native) = (free_port()?, free_port()?);
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        for k in [
            "FIRMLY_APP_ID",
            "FIRMLY_API_BASE",
            "FIRMLY_VAULT_BASE",
            "FIRMLY_STATUS_BASE",
            "FIRMLY_DESK_POLICY",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .spawn()
            .map_err(|e| format!("tauri-driver ({}): {e}", tauri_driver().display()))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| e.to_string())?;
        let wd = format!("http://127.0.0.1:{port}");
        let mut driver = Driver {
            child,
            stopped: false,
            wd,
            http,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if driver
                .http
                .get(format!("{}/status", driver.wd))
                .send()
                .await
                .is_ok()
            {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                driver.stop();
                return Err("tauri-driver did not start".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Creates the session: WebKitWebDriver launches `app`. Returns once the session exists.
    pub async fn session(&self, app: &Path) -> Result<Session, String> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app}
        }}});
        let resp: Value = self
            .http
            .post(format!("{}/session", self.wd))
            .json(&caps)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let id = resp["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {resp}"))?
            .to_string();
        let s = Session {
            base: format!("{}/session/{id}", self.wd),
            http: self.http.clone(),
        };
        s.post("/timeouts", json!({"script": 600_000})).await?;
        Ok(s)
    }

    /// Ends everything this driver started (its process group), and waits for the app's
    /// process tree to be gone so runs do not overlap.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let tree = descendants(self.child.id());
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
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
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

pub struct Session {
    base: String,
    http: reqwest::Client,
}

impl Session {
    pub async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let ok = r.status().is_success();
        let v: Value = r.json().await.map_err(|e| e.to_string())?;
        if ok {
            Ok(v["value"].clone())
        } else {
            Err(v["value"]["message"]
                .as_str()
                .unwrap_or("webdriver error")
                .to_string())
        }
    }

    pub async fn sync(&self, js: &str, args: Vec<Value>) -> Result<Value, String> {
        self.post("/execute/sync", json!({"script": js, "args": args}))
            .await
    }

    /// Runs an async script (its last argument is the callback) and returns what it passed.
    pub async fn run(&self, js: &str, args: Vec<Value>) -> Result<Value, String> {
        let v = self
            .post("/execute/async", json!({"script": js, "args": args}))
            .await?;
        if let Some(e) = v.get("error").and_then(Value::as_str) {
            return Err(e.to_string());
        }
        Ok(v)
    }

    /// Waits (in the page, by MutationObserver, re-trying across page loads) until the element
    /// with this test id is visible.
    pub async fn wait_visible(&self, testid: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let r = self
                .run(WAIT_VISIBLE_JS, vec![json!(testid), json!(5000)])
                .await;
            if let Ok(Value::Bool(true)) = r {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {testid} ({r:?})"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub async fn delete(&self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

const WAIT_VISIBLE_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [testid, ms] = arguments;
const sel = `[data-testid="${testid}"]`;
const vis = () => {
  const e = document.querySelector(sel);
  if (!e) return false;
  const r = e.getBoundingClientRect();
  const s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
if (vis()) { done(true); return; }
const mo = new MutationObserver(() => { if (vis()) { mo.disconnect(); done(true); } });
mo.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
setTimeout(() => { mo.disconnect(); done(vis()); }, ms);
"#;

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
        // `pid (comm) state ppid …` — comm may hold spaces and parentheses.
        if let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) {
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
                map.insert(pid, ppid);
            }
        }
    }
    map
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

pub fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The process under `root` running `exe`.
pub fn find_exe(root: u32, exe: &Path) -> Option<u32> {
    let want = std::fs::canonicalize(exe).ok()?;
    descendants(root).into_iter().find(|pid| {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .map(|p| p == want)
            .unwrap_or(false)
    })
}

/// One process's proportional set size in KiB (`/proc/<pid>/smaps_rollup`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Pss {
    pub process: String,
    pub pss_kib: u64,
    pub anon_kib: u64,
    pub file_kib: u64,
    pub shmem_kib: u64,
}

pub fn pss(pid: u32) -> Option<Pss> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some(Pss {
        process: comm(pid),
        pss_kib: field("Pss:")?,
        anon_kib: field("Pss_Anon:").unwrap_or(0),
        file_kib: field("Pss_File:").unwrap_or(0),
        shmem_kib: field("Pss_Shmem:").unwrap_or(0),
    })
}

/// PSS of `pid` and its whole process tree: total KiB and each process.
pub fn tree_pss(pid: u32) -> (u64, Vec<Pss>) {
    let mut procs = vec![pid];
    procs.extend(descendants(pid));
    let each: Vec<Pss> = procs.into_iter().filter_map(pss).collect();
    (each.iter().map(|p| p.pss_kib).sum(), each)
}

/// When the process started, in ms since the Unix epoch (10 ms resolution: clock ticks).
/// Read while the process runs.
pub fn started_epoch_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    // Field 22 (starttime) is the 20th after `state`.
    let ticks: f64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // USER_HZ is 100 on Linux; /proc/uptime has the same 10 ms resolution.
    Some(epoch_ms() - (uptime - ticks / 100.0) * 1000.0)
}

pub fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}
