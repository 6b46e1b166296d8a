//! The benchmarks' side of a WebDriver session (`firmly-webdriver`, shared with the e2e
//! tests): a session whose async scripts may run for minutes, the bench scripts' error
//! convention, and a wait for an element that is timed in the page itself.

use std::path::Path;
use std::time::{Duration, Instant};

use firmly_webdriver::{Driver, Session};
use serde_json::{json, Value};

/// A session launching `app` on `driver`, whose async scripts may run 10 minutes (the IPC
/// and re-render loops).
pub async fn session(driver: &Driver, app: &Path) -> Result<Session, String> {
    let mut s = Session::new(driver.url(), app).await?;
    s.set_script_timeout(Duration::from_secs(600)).await?;
    Ok(s)
}

/// A synchronous script's answer.
pub async fn sync(s: &Session, js: &str, args: Vec<Value>) -> Result<Value, String> {
    Ok(s.execute(js, args).await?)
}

/// Runs an async bench script (its last argument is the callback) and returns what it
/// passed; a script that passes `{error}` failed.
pub async fn script(s: &Session, js: &str, args: Vec<Value>) -> Result<Value, String> {
    let v = s.execute_async(js, args).await?;
    if let Some(e) = v.get("error").and_then(Value::as_str) {
        return Err(e.to_string());
    }
    Ok(v)
}

/// Waits (in the page, by MutationObserver, re-trying across page loads) until the element
/// with this test id is visible.
pub async fn wait_visible(s: &Session, testid: &str, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        let r = s
            .execute_async(WAIT_VISIBLE_JS, vec![json!(testid), json!(5000)])
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
