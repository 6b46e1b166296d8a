//! End-to-end support: launches the real Firmly Desk binary through `tauri-driver`
//! (which drives WebKitWebDriver) and talks W3C WebDriver over HTTP. Elements are found
//! only by `data-testid` (CONTRACTS.md §4). Every wait polls a condition; nothing sleeps
//! for a fixed time to "let things settle". A WebDriver error fails the test loudly,
//! except the two that polling expects ("no such element" while waiting for something to
//! appear, "stale element reference" while the view re-renders).

#![allow(dead_code, unused_imports)]

mod journeys;
mod kiosk;
mod lockdown;
mod sandbox;

pub use journeys::*;
pub use kiosk::*;
pub use lockdown::*;
pub use sandbox::*;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The W3C WebDriver web element identifier.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver element reference, as a script argument.
pub fn element_ref(id: &str) -> Value {
    json!({ ELEMENT_KEY: id })
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the e2e suite writes its screenshots: under `target/`, never into the source tree.
/// `./.ci/desk screenshots` copies the README's pictures from here into `docs/screenshots/`
/// deliberately; no test run changes a tracked file.
pub fn screenshot_dir() -> PathBuf {
    repo_root().join("target").join("e2e-screenshots")
}

/// A data dir under `target/e2e-data/`, removed when the last holder drops it; shared so a
/// test can restart the app on the same data (a crash, a reboot).
pub type DataDir = Arc<tempfile::TempDir>;

pub fn new_data_dir() -> DataDir {
    let parent = repo_root().join("target").join("e2e-data");
    std::fs::create_dir_all(&parent).expect("target/e2e-data");
    Arc::new(
        tempfile::Builder::new()
            .prefix("desk-")
            .tempdir_in(parent)
            .expect("a data dir under target/"),
    )
}

/// A WebDriver error: its W3C `error` code and message.
#[derive(Debug)]
pub struct WdError {
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl WdError {
    /// The errors a poll may see while the page changes under it.
    fn is_transient(&self) -> bool {
        matches!(
            self.error.as_str(),
            "no such element" | "stale element reference"
        )
    }
}

pub struct App {
    driver: Child,
    http: reqwest::blocking::Client,
    wd: String,
    session: String,
    pub sandbox: String,
    pub data_dir: DataDir,
}

pub struct Launch {
    pub mode: &'static str,
    pub idle_seconds: Option<u32>,
    /// Extra environment for the app (live settings, a policy file, the language).
    pub env: Vec<(String, String)>,
    /// Live mode against this API base (an external sandbox): the embedded sandbox does
    /// not start and `App::sandbox` is this URL.
    pub live_api: Option<String>,
    /// Reuse a data dir (a restart); default a fresh one under `target/`.
    pub data_dir: Option<DataDir>,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            mode: "demo",
            idle_seconds: None,
            env: Vec::new(),
            live_api: None,
            data_dir: None,
        }
    }
}

fn tauri_driver() -> PathBuf {
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

impl App {
    pub fn launch(opts: Launch) -> App {
        let data_dir = opts.data_dir.clone().unwrap_or_else(new_data_dir);
        let sandbox_port = free_port();
        let wd_port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &wd_port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("FIRMLY_DESK_DATA_DIR", data_dir.path())
        .env("FIRMLY_DESK_SANDBOX_PORT", sandbox_port.to_string())
        .env("FIRMLY_DESK_MODE", opts.mode)
        .env("FIRMLY_DESK_LANG", "en")
        .env_remove("FIRMLY_APP_ID")
        .env_remove("FIRMLY_API_BASE")
        .env_remove("FIRMLY_VAULT_BASE")
        .env_remove("FIRMLY_STATUS_BASE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Some(api) = &opts.live_api {
            // A real app id is a UUID (the sandbox accepts any UUID, CONTRACTS.md §3).
            cmd.env("FIRMLY_APP_ID", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
                .env("FIRMLY_API_BASE", api)
                .env("FIRMLY_VAULT_BASE", api);
        }
        // Its own process group, so WebKitWebDriver and the app go with it on drop.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        if let Some(s) = opts.idle_seconds {
            cmd.env("FIRMLY_DESK_IDLE_SECONDS", s.to_string());
        }
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let driver = cmd
            .spawn()
            .expect("tauri-driver (cargo install tauri-driver)");
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        let wd = format!("http://127.0.0.1:{wd_port}");
        let deadline = Instant::now() + TIMEOUT;
        while http.get(format!("{wd}/status")).send().is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let app_path = env!("CARGO_BIN_EXE_firmly-desk");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app_path}
        }}});
        let resp: Value = http
            .post(format!("{wd}/session"))
            .json(&caps)
            .send()
            .and_then(|r| r.json())
            .expect("new WebDriver session");
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {resp}"))
            .to_string();
        let mut app = App {
            driver,
            http,
            wd,
            session,
            sandbox: opts.live_api.clone().unwrap_or_default(),
            data_dir,
        };
        if opts.live_api.is_none() {
            // The app writes the sandbox URL once it is listening (CONTRACTS.md §1).
            let url_file = app.data_dir.path().join("sandbox-url");
            app.sandbox = app.wait_until("the sandbox-url file", || {
                std::fs::read_to_string(&url_file)
                    .ok()
                    .filter(|s| !s.is_empty())
            });
        }
        app
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.wd, self.session, path)
    }

    fn answer(r: reqwest::Result<reqwest::blocking::Response>) -> Result<Value, WdError> {
        let r = r.map_err(|e| WdError {
            error: "transport".into(),
            message: e.to_string(),
        })?;
        let status = r.status();
        let v: Value = r.json().map_err(|e| WdError {
            error: "undecodable answer".into(),
            message: e.to_string(),
        })?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(WdError {
                error: v["value"]["error"].as_str().unwrap_or("unknown").into(),
                message: v["value"]["message"].as_str().unwrap_or_default().into(),
            })
        }
    }

    pub fn post(&self, path: &str, body: Value) -> Result<Value, WdError> {
        Self::answer(self.http.post(self.url(path)).json(&body).send())
    }

    pub fn get(&self, path: &str) -> Result<Value, WdError> {
        Self::answer(self.http.get(self.url(path)).send())
    }

    /// A GET on an element that a poll may retry: `None` when the element went away.
    fn poll_get(&self, path: &str) -> Option<Value> {
        match self.get(path) {
            Ok(v) => Some(v),
            Err(e) if e.is_transient() => None,
            Err(e) => panic!("WebDriver GET {path}: {e}"),
        }
    }

    /// Polls `f` until it returns `Some`, failing the test with `what` after the timeout.
    pub fn wait_until<T>(&self, what: &str, f: impl FnMut() -> Option<T>) -> T {
        self.wait_for(TIMEOUT, what, f)
    }

    pub fn wait_for<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut f: impl FnMut() -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = f() {
                return v;
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!(
                    "failure-{}",
                    what.replace(|c: char| !c.is_alphanumeric(), "-")
                ));
                panic!("timed out waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs a script in the page; a script error fails the test.
    pub fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.try_script(js, args)
            .unwrap_or_else(|e| panic!("script failed ({e}): {js}"))
    }

    pub fn try_script(&self, js: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.post("/execute/sync", json!({"script": js, "args": args}))
    }

    /// Runs an async script (its last argument is the callback) and returns its answer.
    pub fn script_async(&self, js: &str, args: Vec<Value>) -> Value {
        self.post("/execute/async", json!({"script": js, "args": args}))
            .unwrap_or_else(|e| panic!("async script failed ({e}): {js}"))
    }

    fn find_css(&self, css: &str) -> Option<String> {
        match self.post("/element", json!({"using": "css selector", "value": css})) {
            Ok(v) => Some(
                v[ELEMENT_KEY]
                    .as_str()
                    .unwrap_or_else(|| panic!("no W3C element reference in {v}"))
                    .to_string(),
            ),
            Err(e) if e.is_transient() => None,
            Err(e) => panic!("WebDriver find {css}: {e}"),
        }
    }

    fn selector(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    pub fn exists(&self, testid: &str) -> bool {
        self.find_css(&Self::selector(testid)).is_some()
    }

    /// Waits for an element with this test id and returns its WebDriver id.
    pub fn el(&self, testid: &str) -> String {
        let css = Self::selector(testid);
        self.wait_until(testid, || self.find_css(&css))
    }

    /// The first element whose test id starts with `prefix`, and that test id.
    pub fn el_prefix(&self, prefix: &str) -> (String, String) {
        let css = format!("[data-testid^=\"{prefix}\"]");
        self.wait_until(prefix, || {
            let id = self.find_css(&css)?;
            let tid = self.poll_get(&format!("/element/{id}/attribute/data-testid"))?;
            Some((id, tid.as_str()?.to_string()))
        })
    }

    pub fn all_testids(&self, prefix: &str) -> Vec<String> {
        let v = self.script(
            "return Array.from(document.querySelectorAll(`[data-testid^=\"${arguments[0]}\"]`)).map(e => e.dataset.testid)",
            vec![json!(prefix)],
        );
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Clicks the element once it is enabled. A click that finds the element replaced by a
    /// re-render (stale) is retried on the new element; any other WebDriver error fails.
    pub fn click(&self, testid: &str) {
        let css = Self::selector(testid);
        self.wait_until(&format!("{testid} to be enabled and clicked"), || {
            let id = self.find_css(&css)?;
            if !self
                .poll_get(&format!("/element/{id}/enabled"))?
                .as_bool()?
            {
                return None;
            }
            // Scroll into view first; WebKit refuses clicks on obscured elements.
            if let Err(e) = self.try_script(
                "arguments[0].scrollIntoView({block:'center'})",
                vec![element_ref(&id)],
            ) {
                if e.is_transient() {
                    return None;
                }
                panic!("scroll to {testid}: {e}");
            }
            match self.post(&format!("/element/{id}/click"), json!({})) {
                Ok(_) => Some(()),
                Err(e) if e.is_transient() => None,
                Err(e) => {
                    let _ = self.screenshot(&format!("failure-click-{testid}"));
                    panic!("click {testid}: {e}");
                }
            }
        });
    }

    pub fn type_into(&self, testid: &str, text: &str) {
        let id = self.el(testid);
        self.post(&format!("/element/{id}/clear"), json!({}))
            .unwrap_or_else(|e| panic!("clear {testid}: {e}"));
        self.post(&format!("/element/{id}/value"), json!({"text": text}))
            .unwrap_or_else(|e| panic!("type into {testid}: {e}"));
    }

    /// Sends keys to whatever has the focus (keyboard-only journeys).
    pub fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        )
        .unwrap_or_else(|e| panic!("keys {text:?}: {e}"));
    }

    /// The test id of the focused element (empty when it has none).
    pub fn focused(&self) -> String {
        self.script(
            "const e = document.activeElement; return e && e.dataset ? (e.dataset.testid || '') : ''",
            vec![],
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    pub fn select_value(&self, testid: &str, value: &str) {
        let id = self.el(testid);
        self.script(
            "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![element_ref(&id), json!(value)],
        );
    }

    /// The element's value (inputs, selects).
    pub fn value(&self, testid: &str) -> Value {
        self.el(testid);
        self.script(
            "return document.querySelector(`[data-testid=\"${arguments[0]}\"]`).value",
            vec![json!(testid)],
        )
    }

    pub fn text(&self, testid: &str) -> String {
        let css = Self::selector(testid);
        self.wait_until(testid, || {
            let id = self.find_css(&css)?;
            Some(
                self.poll_get(&format!("/element/{id}/text"))?
                    .as_str()?
                    .to_string(),
            )
        })
    }

    pub fn attr(&self, testid: &str, name: &str) -> Option<String> {
        let css = Self::selector(testid);
        self.wait_until(testid, || {
            let id = self.find_css(&css)?;
            Some(
                self.poll_get(&format!("/element/{id}/attribute/{name}"))?
                    .as_str()
                    .map(String::from),
            )
        })
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub fn wait_text(&self, testid: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, || {
            let id = self.find_css(&Self::selector(testid))?;
            let t = self
                .poll_get(&format!("/element/{id}/text"))?
                .as_str()?
                .to_string();
            pred(&t).then_some(t)
        })
    }

    pub fn wait_gone(&self, testid: &str) {
        self.wait_until(&format!("{testid} to disappear"), || {
            (!self.exists(testid)).then_some(())
        });
    }

    /// Waits until no request is in flight.
    pub fn idle(&self) {
        self.wait_gone("busy");
    }

    pub fn screenshot(&self, name: &str) -> Option<PathBuf> {
        // Two animation frames: the picture shows what the last change rendered.
        let _ = self.post(
            "/execute/async",
            json!({"script": "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", "args": []}),
        );
        let b64 = self.get("/screenshot").ok()?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str()?)
            .ok()?;
        let dir = if name.starts_with("failure-") {
            repo_root().join("target").join("e2e-failures")
        } else {
            screenshot_dir()
        };
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).ok()?;
        Some(path)
    }

    pub fn window_handles(&self) -> Vec<String> {
        let v = self
            .get("/window/handles")
            .unwrap_or_else(|e| panic!("window handles: {e}"));
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn current_window(&self) -> String {
        self.get("/window")
            .unwrap_or_else(|e| panic!("current window: {e}"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn switch_to(&self, handle: &str) {
        self.post("/window", json!({"handle": handle}))
            .unwrap_or_else(|e| panic!("switch window: {e}"));
    }

    /// Waits for an element by a plain CSS selector (pages that are not ours).
    pub fn el_css(&self, css: &str) -> String {
        self.wait_until(css, || self.find_css(css))
    }

    /// Clicks a plain CSS selector (pages that are not ours, e.g. the PayPal simulator).
    /// A click that navigates away may close the window (the PayPal popup closes itself
    /// on its return URL) before WebDriver answers; that counts as done when the window
    /// is gone. Other errors (the page still loading) are retried until the timeout.
    pub fn click_css(&self, css: &str) {
        let window = self.current_window();
        self.wait_until(&format!("a click on {css}"), || {
            let id = self.find_css(css)?;
            let clicked = self.post(&format!("/element/{id}/click"), json!({}));
            (clicked.is_ok() || !self.window_handles().contains(&window)).then_some(())
        });
    }

    pub fn sandbox_get(&self, path: &str) -> Value {
        let url = format!("{}{}", self.sandbox, path);
        self.http
            .get(&url)
            .send()
            .and_then(|r| r.error_for_status())
            .and_then(|r| r.json())
            .unwrap_or_else(|e| panic!("sandbox GET {url}: {e}"))
    }

    pub fn sandbox_post(&self, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.sandbox, path);
        self.http
            .post(&url)
            .json(&body)
            .send()
            .and_then(|r| r.error_for_status())
            .and_then(|r| r.json())
            .unwrap_or_else(|e| panic!("sandbox POST {url}: {e}"))
    }

    pub fn sandbox_delete(&self, path: &str) {
        let url = format!("{}{}", self.sandbox, path);
        self.http
            .delete(&url)
            .header("content-type", "application/json")
            .send()
            .and_then(|r| r.error_for_status())
            .unwrap_or_else(|e| panic!("sandbox DELETE {url}: {e}"));
    }

    /// The sandbox's journal entries whose `fault` is `kind` (proof that a fault fired).
    pub fn faults_fired(&self, kind: &str) -> usize {
        self.sandbox_get("/__sandbox/requests")
            .as_array()
            .map(|a| a.iter().filter(|r| r["fault"] == json!(kind)).count())
            .unwrap_or(0)
    }

    pub fn data_path(&self) -> &Path {
        self.data_dir.path()
    }

    /// Kills the app and its driver at once (SIGKILL: no exit handler runs), as a crash or
    /// a pulled plug would. The data dir stays for a restart.
    pub fn crash(mut self) -> DataDir {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
        self.data_dir.clone()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.http.delete(self.url("")).send();
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
