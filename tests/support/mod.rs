//! End-to-end support: launches the real Firmly Desk binary through `tauri-driver`
//! (which drives WebKitWebDriver) and talks W3C WebDriver over HTTP. Elements are found
//! only by `data-testid` (CONTRACTS.md §4). Every wait polls a condition; nothing sleeps
//! for a fixed time to "let things settle".

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(30);

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

pub struct App {
    driver: Child,
    http: reqwest::blocking::Client,
    wd: String,
    session: String,
    pub sandbox: String,
    pub data_dir: tempfile::TempDir,
}

pub struct Launch {
    pub mode: &'static str,
    pub idle_seconds: Option<u32>,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            mode: "demo",
            idle_seconds: None,
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
        let data_dir = tempfile::tempdir().expect("temp data dir");
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
        .env_remove("FIRMLY_APP_ID")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // Its own process group, so WebKitWebDriver and the app go with it on drop.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        if let Some(s) = opts.idle_seconds {
            cmd.env("FIRMLY_DESK_IDLE_SECONDS", s.to_string());
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
            sandbox: format!("http://127.0.0.1:{sandbox_port}"),
            data_dir,
        };
        // The app writes the sandbox URL once it is listening (CONTRACTS.md §1).
        let url_file = app.data_dir.path().join("sandbox-url");
        app.wait_until("the sandbox-url file", || {
            std::fs::read_to_string(&url_file)
                .ok()
                .filter(|s| !s.is_empty())
        });
        app.sandbox = std::fs::read_to_string(&url_file).expect("sandbox-url");
        app
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.wd, self.session, path)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let r = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .map_err(|e| e.to_string())?;
        let status = r.status();
        let v: Value = r.json().map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(v["value"]["message"]
                .as_str()
                .unwrap_or("webdriver error")
                .to_string())
        }
    }

    fn get(&self, path: &str) -> Result<Value, String> {
        let r = self
            .http
            .get(self.url(path))
            .send()
            .map_err(|e| e.to_string())?;
        let status = r.status();
        let v: Value = r.json().map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(v["value"]["message"]
                .as_str()
                .unwrap_or("webdriver error")
                .to_string())
        }
    }

    /// Polls `f` until it returns `Some`, failing the test with `what` after the timeout.
    pub fn wait_until<T>(&self, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + TIMEOUT;
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

    pub fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.post("/execute/sync", json!({"script": js, "args": args}))
            .unwrap_or(Value::Null)
    }

    fn find_css(&self, css: &str) -> Option<String> {
        let v = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .ok()?;
        v.as_object()?.values().next()?.as_str().map(String::from)
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
        let id = self.wait_until(prefix, || self.find_css(&css));
        let tid = self
            .get(&format!("/element/{id}/attribute/data-testid"))
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        (id, tid)
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

    pub fn click(&self, testid: &str) {
        let id = self.wait_until(&format!("{testid} to be enabled"), || {
            let id = self.find_css(&Self::selector(testid))?;
            let enabled = self
                .get(&format!("/element/{id}/enabled"))
                .ok()?
                .as_bool()?;
            enabled.then_some(id)
        });
        // Scroll into view first; WebKit refuses clicks on obscured elements.
        self.script(
            "arguments[0].scrollIntoView({block:'center'})",
            vec![json!({"element-6066-11e4-a52f-4a0d2b0c0ee3": id})],
        );
        if let Err(e) = self.post(&format!("/element/{id}/click"), json!({})) {
            let _ = self.screenshot(&format!("failure-click-{testid}"));
            panic!("click {testid}: {e}");
        }
    }

    pub fn type_into(&self, testid: &str, text: &str) {
        let id = self.el(testid);
        let _ = self.post(&format!("/element/{id}/clear"), json!({}));
        self.post(&format!("/element/{id}/value"), json!({"text": text}))
            .unwrap_or_else(|e| panic!("type into {testid}: {e}"));
    }

    pub fn select_value(&self, testid: &str, value: &str) {
        let id = self.el(testid);
        self.script(
            "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!({"element-6066-11e4-a52f-4a0d2b0c0ee3": id}), json!(value)],
        );
    }

    pub fn text(&self, testid: &str) -> String {
        let id = self.el(testid);
        self.get(&format!("/element/{id}/text"))
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    pub fn attr(&self, testid: &str, name: &str) -> Option<String> {
        let id = self.el(testid);
        self.get(&format!("/element/{id}/attribute/{name}"))
            .ok()
            .and_then(|v| v.as_str().map(String::from))
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub fn wait_text(&self, testid: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, || {
            let id = self.find_css(&Self::selector(testid))?;
            let t = self
                .get(&format!("/element/{id}/text"))
                .ok()?
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
        self.get("/window/handles")
            .ok()
            .and_then(|v| v.as_array().cloned())
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn current_window(&self) -> String {
        self.get("/window")
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    pub fn switch_to(&self, handle: &str) {
        self.post("/window", json!({"handle": handle}))
            .unwrap_or_else(|e| panic!("switch window: {e}"));
    }

    /// Clicks a plain CSS selector (pages that are not ours, e.g. the PayPal simulator).
    /// A click that navigates away may close the window (the PayPal popup closes itself
    /// on its return URL) before WebDriver answers; that counts as done. Other errors
    /// (the page still loading) are retried until the timeout.
    pub fn click_css(&self, css: &str) {
        let window = self.current_window();
        self.wait_until(&format!("a click on {css}"), || {
            let id = self.find_css(css)?;
            let clicked = self.post(&format!("/element/{id}/click"), json!({}));
            (clicked.is_ok() || !self.window_handles().contains(&window)).then_some(())
        });
    }

    pub fn sandbox_get(&self, path: &str) -> Value {
        reqwest::blocking::get(format!("{}{}", self.sandbox, path))
            .and_then(|r| r.json())
            .unwrap_or(Value::Null)
    }

    pub fn sandbox_post(&self, path: &str, body: Value) -> Value {
        self.http
            .post(format!("{}{}", self.sandbox, path))
            .json(&body)
            .send()
            .and_then(|r| r.json())
            .unwrap_or(Value::Null)
    }

    pub fn data_path(&self) -> &Path {
        self.data_dir.path()
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

/// Fills the shipping form with a valid Seattle address.
pub fn fill_shipping(app: &App) {
    for (f, v) in [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("phone", "2065550100"),
        ("address1", "1 Pike Place"),
        ("city", "Seattle"),
        ("state_or_province", "WA"),
        ("postal_code", "98101"),
        ("country", "US"),
    ] {
        app.type_into(&format!("shipping-{f}"), v);
    }
}

pub fn fill_card(app: &App, number: &str) {
    app.type_into("card-number", number);
    app.type_into("card-name", "Ada Lovelace");
    app.type_into("card-exp-month", "12");
    app.type_into("card-exp-year", "2031");
    app.type_into("card-cvv", "123");
}

/// Grants every consent the merchant asks for (the required terms among them).
pub fn accept_consents(app: &App) {
    app.el_prefix("consent-");
    for id in app.all_testids("consent-") {
        let checked = app.script(
            "return document.querySelector(`[data-testid=\"${arguments[0]}\"]`).checked",
            vec![serde_json::json!(id)],
        );
        if checked != serde_json::json!(true) {
            app.click(&id);
            app.idle();
        }
    }
}

/// Adds the first available variant of `handle` from the selected merchant's catalog.
pub fn add_product(app: &App, handle: &str) {
    app.click(&format!("product-card-{handle}"));
    app.el("variant-select");
    app.click("add-to-cart");
    app.idle();
}

impl App {
    /// The test id of the first element with this prefix that is not disabled.
    pub fn first_enabled(&self, prefix: &str) -> String {
        self.wait_until(&format!("an enabled {prefix}"), || {
            self.script(
                "const e = Array.from(document.querySelectorAll(`[data-testid^=\"${arguments[0]}\"]`)).find(e => !e.disabled); return e ? e.dataset.testid : null",
                vec![json!(prefix)],
            )
            .as_str()
            .map(String::from)
        })
    }

    /// Whether the input with this test id is checked.
    pub fn checked(&self, testid: &str) -> bool {
        self.script(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return !!(e && e.checked)",
            vec![json!(testid)],
        ) == json!(true)
    }

    /// Scrolls the element into view (for README screenshots).
    pub fn scroll_to(&self, testid: &str) {
        self.el(testid);
        self.script(
            "document.querySelector(`[data-testid=\"${arguments[0]}\"]`).scrollIntoView({block:'start'}); const top = document.querySelector('.sticky-top'); if (top) window.scrollBy(0, -top.offsetHeight - 8);",
            vec![json!(testid)],
        );
    }

    /// The orders the sandbox recorded.
    pub fn orders(&self) -> Vec<Value> {
        self.sandbox_get("/__sandbox/orders")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// Selects a merchant's cart tab and waits for its catalog.
pub fn open_merchant(app: &App, domain: &str) {
    app.click(&format!("cart-tab-{domain}"));
    app.idle();
    app.el_prefix("product-card-");
}

/// Fills and saves the shipping address.
pub fn save_shipping(app: &App) {
    fill_shipping(app);
    app.click("shipping-submit");
    app.idle();
}

/// Places the order and returns the order number shown on the confirmation.
pub fn place_and_confirm(app: &App) -> String {
    app.click("place-order");
    app.wait_text("order-number", "the order number", |t| !t.is_empty())
}

/// The window (1280×800 under Xvfb) needs no horizontal scrolling.
pub fn assert_no_horizontal_scroll(app: &App) {
    let overflow = app.script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        vec![],
    );
    assert!(
        overflow.as_i64().unwrap_or(0) <= 0,
        "horizontal overflow of {overflow}px"
    );
}

/// Exactly one order exists in the sandbox, and it is `number`.
pub fn assert_one_order(app: &App, number: &str) {
    let orders = app.orders();
    assert_eq!(orders.len(), 1, "exactly one order: {orders:?}");
    assert_eq!(orders[0]["order_number"].as_str(), Some(number));
}
