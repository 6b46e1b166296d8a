//! A W3C WebDriver session over fantoccini, with a deadline on every command and errors
//! that name the command.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use http::Method;
use serde_json::{json, Value};

/// How long one command may take before it counts as hung (WebKitWebDriver answers each
/// within seconds; a new session launches the app).
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a screenshot may take.
pub const SCREENSHOT_TIMEOUT: Duration = Duration::from_secs(30);

/// A failed WebDriver command: which command, the W3C error code (`no such element`,
/// `stale element reference`, `javascript error`, …, or `timeout` when it did not answer in
/// time, `transport` when the driver could not be reached) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WdError {
    pub command: String,
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.command, self.error, self.message)
    }
}

impl std::error::Error for WdError {}

impl From<WdError> for String {
    fn from(e: WdError) -> String {
        e.to_string()
    }
}

impl WdError {
    fn new(command: &str, e: CmdError) -> WdError {
        let (error, message) = match e {
            CmdError::Standard(w) => (w.error.description().to_string(), w.message.into_owned()),
            CmdError::Lost(e) => ("transport".into(), e.to_string()),
            CmdError::Failed(e) => ("transport".into(), e.to_string()),
            CmdError::FailedC(e) => ("transport".into(), e.to_string()),
            CmdError::NotJson(body) => ("undecodable answer".into(), body),
            CmdError::Json(e) => ("undecodable answer".into(), e.to_string()),
            CmdError::NotW3C(v) => ("not a W3C answer".into(), v.to_string()),
            other => ("client error".into(), other.to_string()),
        };
        WdError {
            command: command.to_string(),
            error,
            message,
        }
    }

    fn timeout(command: &str, after: Duration) -> WdError {
        WdError {
            command: command.to_string(),
            error: "timeout".into(),
            message: format!("no answer within {after:?}"),
        }
    }

    /// The errors a poll may see while the page changes under it: the element is not there
    /// yet (`no such element`) or was replaced by a re-render (`stale element reference`).
    pub fn is_transient(&self) -> bool {
        matches!(
            self.error.as_str(),
            "no such element" | "stale element reference"
        )
    }

    /// The command got no answer in time; the session is blocked behind it.
    pub fn is_timeout(&self) -> bool {
        self.error == "timeout"
    }
}

/// A raw W3C command on the session: `METHOD /session/{id}{path}` with a JSON body.
#[derive(Debug)]
struct Raw {
    method: Method,
    path: String,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for Raw {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (Method, Option<String>) {
        (
            self.method.clone(),
            self.body.as_ref().map(Value::to_string),
        )
    }
}

/// One WebDriver session (one launched app).
pub struct Session {
    client: Client,
    /// The session's script timeout: an async script may run this long.
    script_timeout: Duration,
}

/// Keeps a transparent 1-px element changing on every animation frame until the element is
/// removed, so that each rendering update has something to paint. See [`Session::screenshot`].
const DAMAGE_START: &str = "document.getElementById('wd-screenshot-damage')?.remove(); const el = document.createElement('div'); el.id = 'wd-screenshot-damage'; el.setAttribute('aria-hidden', 'true'); el.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647;background-color:rgba(0,0,0,0)'; document.documentElement.appendChild(el); let n = 0; const step = () => { if (!el.isConnected) return; el.style.backgroundColor = n++ % 2 ? 'rgba(0,0,0,0)' : 'rgba(255,255,255,0)'; requestAnimationFrame(step); }; requestAnimationFrame(step); return true;";
const DAMAGE_STOP: &str = "document.getElementById('wd-screenshot-damage')?.remove(); return true;";

impl Session {
    /// A new session on `driver_url` whose application is `app`: WebKitWebDriver launches it.
    pub async fn new(driver_url: &str, app: &Path) -> Result<Session, WdError> {
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": app },
        });
        let Value::Object(caps) = caps else {
            unreachable!("capabilities are an object")
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let connect = async {
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(driver_url)
                .await
        };
        let command = format!("new session for {}", app.display());
        let client = match tokio::time::timeout(COMMAND_TIMEOUT, connect).await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                return Err(WdError {
                    command,
                    error: "session not created".into(),
                    message: e.to_string(),
                })
            }
            Err(_) => return Err(WdError::timeout(&command, COMMAND_TIMEOUT)),
        };
        Ok(Session {
            client,
            // The W3C default.
            script_timeout: Duration::from_secs(30),
        })
    }

    /// The fantoccini client, for what this type does not wrap.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs one command with a deadline; its error names `command`.
    pub async fn run<T>(
        &self,
        command: &str,
        timeout: Duration,
        f: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<T, WdError> {
        match tokio::time::timeout(timeout, f).await {
            Ok(r) => r.map_err(|e| WdError::new(command, e)),
            Err(_) => Err(WdError::timeout(command, timeout)),
        }
    }

    /// A raw command: `method /session/{id}{path}` with `body` (`None` for GET and DELETE).
    /// Answers the W3C `value`.
    pub async fn command(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, WdError> {
        let name = format!("{method} {path}");
        let cmd = Raw {
            method,
            path: path.to_string(),
            body,
        };
        self.run(&name, COMMAND_TIMEOUT, self.client.issue_cmd(cmd))
            .await
    }

    /// Sets the session's script timeout (how long an async script may run).
    pub async fn set_script_timeout(&mut self, timeout: Duration) -> Result<(), WdError> {
        self.command(
            Method::POST,
            "/timeouts",
            Some(json!({ "script": timeout.as_millis() as u64 })),
        )
        .await?;
        self.script_timeout = timeout;
        Ok(())
    }

    /// Runs a script in the page and answers what it returned.
    pub async fn execute(&self, js: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.run(
            &format!("execute script `{}`", abbreviate(js)),
            COMMAND_TIMEOUT,
            self.client.execute(js, args),
        )
        .await
    }

    /// Runs an async script (its last argument is the callback) and answers what it passed.
    pub async fn execute_async(&self, js: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.run(
            &format!("execute async script `{}`", abbreviate(js)),
            self.script_timeout + COMMAND_TIMEOUT,
            self.client.execute_async(js, args),
        )
        .await
    }

    /// The WebDriver id of the first element matching `css` (`no such element` when none).
    pub async fn find(&self, css: &str) -> Result<String, WdError> {
        let el = self
            .run(
                &format!("find {css}"),
                COMMAND_TIMEOUT,
                self.client.find(Locator::Css(css)),
            )
            .await?;
        Ok(el.element_id().to_string())
    }

    /// The element with this WebDriver id, for fantoccini's element commands.
    pub fn element(&self, id: &str) -> Element {
        Element::from_element_id(self.client.clone(), id.to_string().into())
    }

    /// An attribute of the element with this WebDriver id (`None` when it has none).
    pub async fn attr(&self, id: &str, name: &str) -> Result<Option<String>, WdError> {
        let el = self.element(id);
        self.run(
            &format!("get attribute {name}"),
            COMMAND_TIMEOUT,
            el.attr(name),
        )
        .await
    }

    /// The element's rendered text.
    pub async fn text(&self, id: &str) -> Result<String, WdError> {
        let el = self.element(id);
        self.run("get element text", COMMAND_TIMEOUT, el.text())
            .await
    }

    pub async fn is_enabled(&self, id: &str) -> Result<bool, WdError> {
        let el = self.element(id);
        self.run("is element enabled", COMMAND_TIMEOUT, el.is_enabled())
            .await
    }

    /// A WebDriver click (the element is scrolled into view and must not be obscured).
    pub async fn click(&self, id: &str) -> Result<(), WdError> {
        let el = self.element(id);
        self.run("element click", COMMAND_TIMEOUT, el.click()).await
    }

    pub async fn clear(&self, id: &str) -> Result<(), WdError> {
        let el = self.element(id);
        self.run("element clear", COMMAND_TIMEOUT, el.clear()).await
    }

    /// Types `text` into the element (W3C Element Send Keys).
    pub async fn send_keys(&self, id: &str, text: &str) -> Result<(), WdError> {
        let el = self.element(id);
        self.run("element send keys", COMMAND_TIMEOUT, el.send_keys(text))
            .await
    }

    /// The handles of the session's windows.
    pub async fn windows(&self) -> Result<Vec<String>, WdError> {
        let all = self
            .run("get window handles", COMMAND_TIMEOUT, self.client.windows())
            .await?;
        Ok(all.into_iter().map(String::from).collect())
    }

    /// The handle of the current window.
    pub async fn window(&self) -> Result<String, WdError> {
        self.run("get window handle", COMMAND_TIMEOUT, self.client.window())
            .await
            .map(String::from)
    }

    pub async fn switch_to_window(&self, handle: &str) -> Result<(), WdError> {
        let command = format!("switch to window {handle}");
        let h = fantoccini::wd::WindowHandle::try_from(handle).map_err(|e| WdError {
            command: command.clone(),
            error: "invalid argument".into(),
            message: e.to_string(),
        })?;
        self.run(&command, COMMAND_TIMEOUT, self.client.switch_to_window(h))
            .await
    }

    /// A PNG of the current window.
    ///
    /// WebKitWebDriver answers a screenshot once the web process has drawn a frame after the
    /// request (WebKit's `callAfterNextPresentationUpdate`). In WebKitGTK 2.50 without
    /// compositing — the app's default, `WEBKIT_DISABLE_COMPOSITING_MODE=1` — the web
    /// process's `DrawingAreaCoordinatedGraphics::dispatchAfterEnsuringDrawing` only schedules
    /// a display, without marking anything dirty, and `display()` answers the pending
    /// callbacks only when it painted something. A page that changes nothing (the order
    /// confirmation, any page a second after its last change) paints nothing, so the call
    /// waits for the next change, which may never come. With compositing on the same call
    /// forces a frame and answers at once. So while the screenshot is taken, a transparent
    /// 1-px element changes colour (transparent to transparent: no pixel differs) on every
    /// animation frame, which gives each display something to paint; it is removed after.
    pub async fn screenshot(&self) -> Result<Vec<u8>, WdError> {
        self.execute(DAMAGE_START, vec![]).await?;
        let png = self
            .run(
                "take screenshot",
                SCREENSHOT_TIMEOUT,
                self.client.screenshot(),
            )
            .await?;
        self.execute(DAMAGE_STOP, vec![]).await?;
        Ok(png)
    }

    /// Ends the session (WebKitWebDriver closes the app), waiting at most 5 s: a session
    /// blocked behind a hung command is left to the driver's stop.
    pub async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.close()).await;
    }
}

/// The first line of a script, cut to 80 characters (for error messages).
fn abbreviate(js: &str) -> String {
    let line = js.trim().lines().next().unwrap_or_default();
    if line.chars().count() > 80 || js.trim().lines().count() > 1 {
        format!("{}…", line.chars().take(80).collect::<String>())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    /// A WebDriver server on loopback that answers from `reply(method, path, body)` and
    /// records each request.
    async fn fake_driver(
        reply: fn(&str, &str, &str) -> (u16, Value),
    ) -> (String, Arc<Mutex<Vec<String>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                tokio::spawn(async move {
                    let mut r = BufReader::new(stream);
                    loop {
                        let mut line = String::new();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let mut parts = line.split_whitespace();
                        let (method, path) = (
                            parts.next().unwrap_or_default().to_string(),
                            parts.next().unwrap_or_default().to_string(),
                        );
                        let mut len = 0;
                        loop {
                            let mut h = String::new();
                            r.read_line(&mut h).await.unwrap();
                            if h.trim().is_empty() {
                                break;
                            }
                            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:")
                            {
                                len = v.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0; len];
                        r.read_exact(&mut body).await.unwrap();
                        let body = String::from_utf8(body).unwrap();
                        log.lock().unwrap().push(format!("{method} {path} {body}"));
                        let (status, value) = reply(&method, &path, &body);
                        let text = json!({ "value": value }).to_string();
                        let answer = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n{text}",
                            text.len()
                        );
                        r.get_mut().write_all(answer.as_bytes()).await.unwrap();
                    }
                });
            }
        });
        (url, seen)
    }

    fn replies(method: &str, path: &str, _body: &str) -> (u16, Value) {
        match (method, path) {
            ("POST", "/session") => (
                200,
                json!({"sessionId": "s1", "capabilities": {"browserName": "wry"}}),
            ),
            ("POST", "/session/s1/element") => (
                404,
                json!({"error": "no such element", "message": "nothing", "stacktrace": ""}),
            ),
            ("POST", "/session/s1/actions") => (200, Value::Null),
            ("GET", "/session/s1/url") => (200, json!("tauri://localhost/")),
            ("POST", "/session/s1/execute/sync") => (
                500,
                json!({"error": "javascript error", "message": "boom", "stacktrace": ""}),
            ),
            _ => (404, json!({"error": "unknown command", "message": path})),
        }
    }

    #[tokio::test]
    async fn commands_and_errors_name_what_failed() {
        let (url, seen) = fake_driver(replies).await;
        let s = Session::new(&url, Path::new("/bin/app")).await.unwrap();
        let new_session = seen.lock().unwrap()[0].clone();
        assert!(
            new_session.contains(r#""tauri:options":{"application":"/bin/app"}"#),
            "{new_session}"
        );
        assert!(
            new_session.contains(r#""browserName":"wry""#),
            "{new_session}"
        );

        let missing = s.find("[data-testid=\"nope\"]").await.unwrap_err();
        assert_eq!(missing.error, "no such element");
        assert!(missing.is_transient());
        assert!(
            missing.to_string().contains("find [data-testid=\"nope\"]"),
            "{missing}"
        );

        let raw = s
            .command(Method::POST, "/actions", Some(json!({"actions": []})))
            .await
            .unwrap();
        assert_eq!(raw, Value::Null);
        assert!(seen
            .lock()
            .unwrap()
            .iter()
            .any(|r| r == r#"POST /session/s1/actions {"actions":[]}"#));
        assert_eq!(
            s.command(Method::GET, "/url", None).await.unwrap(),
            json!("tauri://localhost/")
        );

        let js = s
            .execute("throw new Error('boom')", vec![])
            .await
            .unwrap_err();
        assert_eq!(
            (js.error.as_str(), js.message.as_str()),
            ("javascript error", "boom")
        );
        assert!(!js.is_transient());
    }

    #[tokio::test]
    async fn a_command_without_an_answer_times_out() {
        let (url, _) = fake_driver(replies).await;
        let s = Session::new(&url, Path::new("/bin/app")).await.unwrap();
        let never = std::future::pending::<Result<(), CmdError>>();
        let e = s
            .run("take screenshot", Duration::from_millis(50), never)
            .await
            .unwrap_err();
        assert!(e.is_timeout());
        assert_eq!(e.command, "take screenshot");
    }

    #[test]
    fn long_scripts_are_abbreviated() {
        assert_eq!(abbreviate("return 1"), "return 1");
        assert_eq!(abbreviate("a\nb"), "a…");
        assert_eq!(abbreviate(&"x".repeat(100)).chars().count(), 81);
    }
}
