//! Driving the real app from a benchmark: its own IPC (what the UI calls), clicks and typing
//! by test id (docs/CONTRACTS.md), the sandbox's journal, and the process tree's resources.
//! Used by the shop-network run (`app_latency.rs`) and the kiosk day (`endurance.rs`).

use std::path::Path;
use std::time::{Duration, Instant};

use firmly_webdriver::{descendants, Session};
use serde_json::{json, Value};

use crate::page::wait_visible;
use crate::procs::{comm, tree_pss};

pub const LUMA: &str = "staging.luma.gift";
pub const HOODIE: &str = "MH07-M-Black";
pub const WAIT: Duration = Duration::from_secs(60);

/// Calls one of the app's commands through the page's IPC, as the UI does.
pub async fn invoke(s: &Session, cmd: &str, args: Value) -> Result<Value, String> {
    const JS: &str = r#"
const done = arguments[arguments.length - 1];
window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
  .then(v => done({ok: v === undefined ? null : v}), e => done({error: JSON.stringify(e)}));
"#;
    let v = s
        .execute_async(JS, vec![json!(cmd), args])
        .await
        .map_err(|e| format!("{cmd}: {e}"))?;
    match v.get("error").and_then(Value::as_str) {
        Some(e) => Err(format!("{cmd}: {e}")),
        None => Ok(v.get("ok").cloned().unwrap_or(Value::Null)),
    }
}

/// Clicks by test id in the page. The endurance run never takes WebDriver element references:
/// WebKit's automation keeps every element it handed out alive for the page's lifetime, so a
/// day of clicks through references would grow the web process by the driver's doing.
pub async fn click(s: &Session, testid: &str) -> Result<(), String> {
    wait_visible(s, testid, WAIT).await?;
    let done = s
        .execute(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); if (!e) return false; e.click(); return true;",
            vec![json!(testid)],
        )
        .await
        .map_err(|e| format!("click {testid}: {e}"))?;
    if done == json!(true) {
        Ok(())
    } else {
        Err(format!("click {testid}: not in the page"))
    }
}

/// Types into a field by test id in the page, as a person's typing reaches the UI: focus, the
/// value, an `input` event (no WebDriver element reference, see [`click`]).
pub async fn type_into(s: &Session, testid: &str, text: &str) -> Result<(), String> {
    wait_visible(s, testid, WAIT).await?;
    let done = s
        .execute(
            r#"const e = document.querySelector(`[data-testid="${arguments[0]}"]`);
if (!e) return false;
e.focus();
const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(e), "value").set;
setter.call(e, e.value + arguments[1]);
e.dispatchEvent(new Event("input", {bubbles: true}));
e.dispatchEvent(new Event("change", {bubbles: true}));
return true;"#,
            vec![json!(testid), json!(text)],
        )
        .await
        .map_err(|e| format!("type into {testid}: {e}"))?;
    if done == json!(true) {
        Ok(())
    } else {
        Err(format!("type into {testid}: not in the page"))
    }
}

/// What the page holds (the web process's growth, if any, is read against these).
pub async fn page_facts(s: &Session) -> Value {
    s.execute(
        "return {nodes: document.getElementsByTagName('*').length, window_keys: Object.keys(window).length};",
        vec![],
    )
    .await
    .unwrap_or(Value::Null)
}

/// A Seattle address as the shipping-info command takes it.
pub fn address() -> Value {
    json!({
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
        "phone": "2065550100", "company": "", "address1": "1 Pike Place", "address2": "",
        "city": "Seattle", "state_or_province": "WA", "postal_code": "98101", "country": "US"
    })
}

/// A hoodie in Luma's cart, the address saved and every required consent granted (through
/// the app's IPC; the UI follows its events).
pub async fn luma_ready(s: &Session) -> Result<(), String> {
    invoke(
        s,
        "add_to_cart",
        json!({"domain": LUMA, "variantId": HOODIE, "quantity": 1}),
    )
    .await?;
    invoke(
        s,
        "set_shipping_info",
        json!({"domain": LUMA, "address": address()}),
    )
    .await?;
    let consents = invoke(s, "get_consents", json!({"domain": LUMA})).await?;
    for c in consents.as_array().into_iter().flatten() {
        if c["required"] == json!(true) && c["signed"] != json!(true) {
            invoke(
                s,
                "set_consent",
                json!({"domain": LUMA, "id": c["id"], "granted": true}),
            )
            .await?;
        }
    }
    Ok(())
}

/// Types the approved test card into the checkout's card form.
pub async fn fill_card(s: &Session) -> Result<(), String> {
    for (id, text) in [
        ("card-number", crate::figure::approved_card()),
        ("card-name", "Ada Lovelace"),
        ("card-exp", "12/31"),
        ("card-cvv", "123"),
    ] {
        type_into(s, id, text).await?;
    }
    Ok(())
}

/// Clicks Place order in the page and returns the ms (page clock) until the confirmation
/// is in the DOM.
pub async fn place_order_ms(s: &Session) -> Result<f64, String> {
    const JS: &str = r#"
const done = arguments[arguments.length - 1];
const btn = document.querySelector('[data-testid="place-order"]');
if (!btn || btn.disabled) { done({error: 'Place order is not enabled: ' + (document.querySelector('[data-testid="place-hint"]') || {}).textContent}); return; }
const seen = () => document.querySelector('[data-testid="order-confirmation"]');
const t0 = performance.now();
const mo = new MutationObserver(() => { if (seen()) { mo.disconnect(); done({ms: performance.now() - t0}); } });
mo.observe(document, {subtree: true, childList: true, attributes: true});
setTimeout(() => { mo.disconnect(); done({error: 'no confirmation within 60 s'}); }, 60000);
btn.click();
"#;
    let v = crate::page::script(s, JS, vec![]).await?;
    v["ms"]
        .as_f64()
        .ok_or_else(|| format!("no time from the page: {v}"))
}

/// Waits until `place-order` is enabled (the form complete, the cart ready).
pub async fn place_enabled(s: &Session) -> Result<(), String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let enabled = s
            .execute(
                "const b = document.querySelector('[data-testid=\"place-order\"]'); return !!b && !b.disabled;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if enabled == json!(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let hint = s
                .execute(
                    "const h = document.querySelector('[data-testid=\"place-hint\"]'); return h ? h.textContent : '';",
                    vec![],
                )
                .await
                .unwrap_or_default();
            return Err(format!("Place order never enabled: {hint}"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What a process tree holds: PSS, open file descriptors, threads, WebKit processes.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Resources {
    pub pss_kib: u64,
    pub fds: usize,
    pub threads: usize,
    pub webkit_processes: usize,
    pub processes: usize,
}

pub fn resources(pid: u32) -> Resources {
    let mut procs = vec![pid];
    procs.extend(descendants(pid));
    let count = |dir: String| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    Resources {
        pss_kib: tree_pss(pid).0,
        fds: procs.iter().map(|p| count(format!("/proc/{p}/fd"))).sum(),
        threads: procs.iter().map(|p| count(format!("/proc/{p}/task"))).sum(),
        webkit_processes: procs
            .iter()
            .filter(|p| comm(**p).starts_with("WebKit"))
            .count(),
        processes: procs.len(),
    }
}

/// Every file under `dir` with its size (the data folder: store, journal, logs, audit log).
pub fn file_sizes(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(p),
                Ok(m) => out.push((
                    p.strip_prefix(dir).unwrap_or(&p).display().to_string(),
                    m.len(),
                )),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}
