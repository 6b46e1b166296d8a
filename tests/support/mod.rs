//! End-to-end support: launches the real Firmly Desk binary through `tauri-driver` (which
//! drives WebKitWebDriver) and drives it over W3C WebDriver with the shared client of
//! `crates/firmly-webdriver` (fantoccini underneath; the launch is ours). `App` is blocking:
//! it runs that async client on its own single-threaded runtime.
//!
//! Elements are found only by `data-testid` (CONTRACTS.md §4). Every wait polls a condition;
//! nothing sleeps for a fixed time to "let things settle". A WebDriver error fails the test
//! loudly — the command, the W3C error and a screenshot in `target/e2e-failures/` — except
//! the two that polling expects ("no such element" while waiting for something to appear,
//! "stale element reference" while the view re-renders).

#![allow(dead_code, unused_imports)]

mod a11y;
mod journeys;
mod kiosk;
mod lockdown;
mod sandbox;

pub use a11y::*;
pub use journeys::*;
pub use kiosk::*;
pub use lockdown::*;
pub use sandbox::*;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use firmly_webdriver::fantoccini::actions::{InputSource, KeyAction, KeyActions};
use firmly_webdriver::fantoccini::wd::WindowHandle;
use firmly_webdriver::{testid_css, Driver, Session};
use serde_json::{json, Value};

use firmly_webdriver::http::Method;
pub use firmly_webdriver::{element_ref, WdError, ELEMENT_KEY};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub fn free_port() -> u16 {
    firmly_webdriver::free_port().expect("a free loopback port")
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

/// Where a failing test leaves its last screenshot.
pub fn failure_dir() -> PathBuf {
    repo_root().join("target").join("e2e-failures")
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

pub struct App {
    rt: tokio::runtime::Runtime,
    wd: Option<Session>,
    driver: Driver,
    http: reqwest::blocking::Client,
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

/// A file name made of `what` (failure screenshots).
fn slug(what: &str) -> String {
    let s: String = what
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    s.chars().take(100).collect()
}

impl App {
    pub fn launch(opts: Launch) -> App {
        let data_dir = opts.data_dir.clone().unwrap_or_else(new_data_dir);
        let mut env: Vec<(String, String)> = vec![
            (
                "FIRMLY_DESK_DATA_DIR".into(),
                data_dir.path().display().to_string(),
            ),
            ("FIRMLY_DESK_SANDBOX_PORT".into(), free_port().to_string()),
            ("FIRMLY_DESK_MODE".into(), opts.mode.into()),
            ("FIRMLY_DESK_LANG".into(), "en".into()),
        ];
        if let Some(api) = &opts.live_api {
            // A real app id is a UUID (the sandbox accepts any UUID, CONTRACTS.md §3).
            env.push((
                "FIRMLY_APP_ID".into(),
                "7c9e6679-7425-40de-944b-e07fc1f90ae7".into(),
            ));
            env.push(("FIRMLY_API_BASE".into(), api.clone()));
            env.push(("FIRMLY_VAULT_BASE".into(), api.clone()));
        }
        if let Some(s) = opts.idle_seconds {
            env.push(("FIRMLY_DESK_IDLE_SECONDS".into(), s.to_string()));
        }
        env.extend(opts.env.iter().cloned());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime for the WebDriver client");
        let mut driver = rt
            .block_on(Driver::start(&env, TIMEOUT))
            .unwrap_or_else(|e| panic!("{e}"));
        let app_path = Path::new(env!("CARGO_BIN_EXE_firmly-desk"));
        let wd = match rt.block_on(Session::new(driver.url(), app_path)) {
            Ok(s) => s,
            Err(e) => {
                driver.stop();
                panic!("WebDriver {e}");
            }
        };
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        let mut app = App {
            rt,
            wd: Some(wd),
            driver,
            http,
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

    /// The session (present until the app is dropped or crashed).
    fn wd(&self) -> &Session {
        self.wd.as_ref().expect("a WebDriver session")
    }

    /// Runs one call of the async client to its end.
    fn block<T>(&self, f: impl Future<Output = T>) -> T {
        self.rt.block_on(f)
    }

    /// Fails the test on a WebDriver error: what was asked, the command and its W3C error,
    /// and a screenshot of the window as it was (none when the session is blocked behind a
    /// command that did not answer).
    #[track_caller]
    fn fail(&self, what: &str, e: &WdError) -> ! {
        let shot = if e.is_timeout() || e.error == "transport" {
            "none: the session does not answer".to_string()
        } else {
            match self.save_screenshot(&format!("failure-{}", slug(what))) {
                Ok(p) => p.display().to_string(),
                Err(e) => format!("none: {e}"),
            }
        };
        panic!("WebDriver {what}: {e} (screenshot: {shot})");
    }

    /// `Some` on success, `None` on an error a poll retries, a failed test on any other.
    fn poll<T>(&self, what: &str, r: Result<T, WdError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) if e.is_transient() => None,
            Err(e) => self.fail(what, &e),
        }
    }

    /// A raw W3C command: POST `/session/{id}{path}` with `body` (pointer and key actions,
    /// anything the methods below do not cover). Answers the W3C `value`.
    pub fn post(&self, path: &str, body: Value) -> Result<Value, WdError> {
        self.block(self.wd().command(Method::POST, path, Some(body)))
    }

    pub fn get(&self, path: &str) -> Result<Value, WdError> {
        self.block(self.wd().command(Method::GET, path, None))
    }

    pub fn delete(&self, path: &str) -> Result<Value, WdError> {
        self.block(self.wd().command(Method::DELETE, path, None))
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
        self.wait_for_quiet(timeout, &mut f)
            .unwrap_or_else(|| self.fail_waiting(what, ""))
    }

    /// Polls `f` until it returns `Some` or the timeout passes (`None`).
    pub(crate) fn wait_for_quiet<T>(
        &self,
        timeout: Duration,
        mut f: impl FnMut() -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = f() {
                return Some(v);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Fails the test after a wait for `what` timed out, with a screenshot of the window
    /// named after `what` and `detail` (what was last seen) in the message.
    pub(crate) fn fail_waiting(&self, what: &str, detail: &str) -> ! {
        let shot = match self.save_screenshot(&format!("failure-{}", slug(what))) {
            Ok(p) => p.display().to_string(),
            Err(e) => format!("none: {e}"),
        };
        panic!("timed out waiting for {what}{detail} (screenshot: {shot})");
    }

    /// Runs a script in the page; a script error fails the test.
    pub fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.try_script(js, args)
            .unwrap_or_else(|e| self.fail("script", &e))
    }

    pub fn try_script(&self, js: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.block(self.wd().execute(js, args))
    }

    /// Runs an async script (its last argument is the callback) and returns its answer.
    pub fn script_async(&self, js: &str, args: Vec<Value>) -> Value {
        self.block(self.wd().execute_async(js, args))
            .unwrap_or_else(|e| self.fail("async script", &e))
    }

    fn find_css(&self, css: &str) -> Option<String> {
        let found = self.block(self.wd().find(css));
        self.poll(&format!("find {css}"), found)
    }

    fn selector(testid: &str) -> String {
        testid_css(testid)
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
            let tid = self.block(self.wd().attr(&id, "data-testid"));
            let tid = self.poll(&format!("the test id of {css}"), tid)??;
            Some((id, tid))
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
            let enabled = self.block(self.wd().is_enabled(&id));
            if !self.poll(&format!("is {testid} enabled"), enabled)? {
                return None;
            }
            // Scroll into view first; WebKit refuses clicks on obscured elements. The click
            // waits until the element stays put for a frame (a layout still settling after
            // the scroll would move it away from where the click is aimed).
            let scrolled = self.block(self.wd().execute_async(
                "const [e, done] = arguments; e.scrollIntoView({block:'center'}); \
                 const at = () => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(); }; \
                 let last = at(), frames = 0; \
                 const step = () => { const now = at(); frames++; \
                   if (now === last || frames > 30) done(null); else { last = now; requestAnimationFrame(step); } }; \
                 requestAnimationFrame(step);",
                vec![element_ref(&id)],
            ));
            self.poll(&format!("scroll to {testid}"), scrolled)?;
            let clicked = self.block(self.wd().click(&id));
            self.poll(&format!("click {testid}"), clicked)
        });
    }

    pub fn type_into(&self, testid: &str, text: &str) {
        let id = self.el(testid);
        if let Err(e) = self.block(self.wd().clear(&id)) {
            self.fail(&format!("clear {testid}"), &e);
        }
        if let Err(e) = self.block(self.wd().send_keys(&id, text)) {
            self.fail(&format!("type into {testid}"), &e);
        }
    }

    /// Sends keys to whatever has the focus (keyboard-only journeys).
    pub fn keys(&self, text: &str) {
        let mut keys = KeyActions::new("keyboard".into());
        for c in text.chars() {
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        let wd = self.wd();
        let sent = self.block(wd.run(
            "perform key actions",
            firmly_webdriver::COMMAND_TIMEOUT,
            wd.client().perform_actions(keys),
        ));
        if let Err(e) = sent {
            self.fail(&format!("keys {text:?}"), &e);
        }
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
            let text = self.block(self.wd().text(&id));
            self.poll(&format!("the text of {testid}"), text)
        })
    }

    pub fn attr(&self, testid: &str, name: &str) -> Option<String> {
        let css = Self::selector(testid);
        self.wait_until(testid, || {
            let id = self.find_css(&css)?;
            let value = self.block(self.wd().attr(&id, name));
            self.poll(&format!("the {name} of {testid}"), value)
        })
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub fn wait_text(&self, testid: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let css = Self::selector(testid);
        // The failure says what the element last read.
        let last = std::cell::RefCell::new(None::<String>);
        let found = self.wait_for_quiet(TIMEOUT, || {
            let id = self.find_css(&css)?;
            let text = self.block(self.wd().text(&id));
            let t = self.poll(&format!("the text of {testid}"), text)?;
            if pred(&t) {
                return Some(t);
            }
            *last.borrow_mut() = Some(t);
            None
        });
        found.unwrap_or_else(|| {
            let seen = match last.into_inner() {
                Some(t) => format!("it read {t:?}"),
                None => format!("{testid} was not found"),
            };
            self.fail_waiting(what, &format!(" ({seen})"))
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

    /// Saves a screenshot of the current window as `target/e2e-screenshots/{name}.png`
    /// (`target/e2e-failures/` for a name starting with `failure-`) and returns its path.
    /// It never hangs on a still page (`firmly_webdriver::Session::screenshot` says why) and
    /// a screenshot that fails or does not answer in time fails the test: the answer is
    /// always `Some` (the `Option` stays for the callers written against the old helper).
    pub fn screenshot(&self, name: &str) -> Option<PathBuf> {
        match self.save_screenshot(name) {
            Ok(p) => Some(p),
            Err(e) => panic!("screenshot {name}: {e}"),
        }
    }

    /// The window as it is painted now: RGB(A) pixels, for a test that checks what is on top
    /// where. Fails the test on a WebDriver error or an image it cannot read.
    pub fn pixels(&self) -> Pixels {
        let png = self
            .screenshot_png()
            .unwrap_or_else(|e| panic!("screenshot for pixels: {e}"));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("the screenshot is no PNG: {e}"));
        let mut buf = vec![0; reader.output_buffer_size().expect("a frame size")];
        let info = reader
            .next_frame(&mut buf)
            .unwrap_or_else(|e| panic!("the screenshot's pixels: {e}"));
        buf.truncate(info.buffer_size());
        Pixels {
            width: info.width,
            height: info.height,
            channels: info.color_type.samples(),
            line: info.line_size,
            data: buf,
        }
    }

    /// The current window as PNG bytes.
    fn screenshot_png(&self) -> Result<Vec<u8>, String> {
        self.block(self.wd().screenshot())
            .map_err(|e| e.to_string())
    }

    fn save_screenshot(&self, name: &str) -> Result<PathBuf, String> {
        let png = self.screenshot_png()?;
        let dir = if name.starts_with("failure-") {
            failure_dir()
        } else {
            screenshot_dir()
        };
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    pub fn window_handles(&self) -> Vec<String> {
        self.block(self.wd().windows())
            .unwrap_or_else(|e| self.fail("window handles", &e))
    }

    pub fn current_window(&self) -> String {
        self.block(self.wd().window())
            .unwrap_or_else(|e| self.fail("current window", &e))
    }

    pub fn switch_to(&self, handle: &str) {
        if let Err(e) = self.block(self.wd().switch_to_window(handle)) {
            self.fail("switch window", &e);
        }
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
            let clicked = self.block(self.wd().click(&id));
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
        self.driver.crash();
        self.wd = None;
        self.data_dir.clone()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // Ending the session closes the app; then the driver's process group goes.
        if let Some(wd) = self.wd.take() {
            self.rt.block_on(wd.close());
        }
        self.driver.stop();
    }
}

/// A decoded screenshot ([`App::pixels`]).
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    channels: usize,
    line: usize,
    data: Vec<u8>,
}

impl Pixels {
    /// The RGB colour at (x, y) in the image's pixels; panics outside it.
    pub fn rgb(&self, x: u32, y: u32) -> [u8; 3] {
        assert!(
            x < self.width && y < self.height,
            "({x}, {y}) is outside the {}×{} screenshot",
            self.width,
            self.height
        );
        let at = y as usize * self.line + x as usize * self.channels;
        match self.channels {
            1 | 2 => [self.data[at]; 3],
            _ => [self.data[at], self.data[at + 1], self.data[at + 2]],
        }
    }
}
