//! Figure `shop` (docs/BENCHMARKS.md): the real app in a real window on a shop's network.
//! The sandbox runs in this process and delays every API request by `latency ± jitter` ms;
//! the release app reaches it as a live API (`FIRMLY_APP_ID`, `FIRMLY_API_BASE`,
//! `FIRMLY_VAULT_BASE`), with 20 merchants listed by a fleet policy. Two times are measured:
//!
//! * **launch to interactive**: from the WebDriver new-session request (which launches the
//!   app) to the selected cart's total on screen, with a new device (no token) and again
//!   with the token the first launch stored;
//! * **Place order to confirmation**: from the click (in the page) to the confirmation in
//!   the DOM, the card typed into the real form.
//!
//! The hello-world Tauri app's launch to first paint is measured in the same run: a launch
//! cannot beat the window's own start, so its floor is the larger of that and depth × RTT.
//! Each is set beside its depth × RTT (the depth of the requests the sandbox journaled inside
//! the measured span; `rtt.rs`) and beside the network wait the journal shows on the critical
//! path (under jitter a level of parallel requests waits for its slowest one).

use std::path::Path;
use std::time::Instant;

use firmly_checkout::launch::SANDBOX_APP_ID;
use firmly_sandbox::{Profile, SandboxConfig, SandboxHandle};
use firmly_webdriver::Driver;
use serde_json::{json, Value};

use crate::app::{APP_MARKER, HELLO_MARKER};
use crate::drive::{fill_card, luma_ready, place_enabled, place_order_ms, LUMA, WAIT};
use crate::figure::{median, r3, r3s, scratch, Figure};
use crate::journal::{critical_path, critical_path_besides, key_fetched, KEY_PATH_SUFFIX};
use crate::page::{session, wait_visible};

const MERCHANTS: usize = 20;

struct Span {
    ms: f64,
    depth: usize,
    waited: f64,
    /// The API requests inside the span: method and path, ms from its start to their arrival
    /// and to their answer (where the time went).
    requests: Vec<Value>,
}

/// One launch; with `order`, a card order placed through the window after it.
async fn launch(
    app: &Path,
    sandbox: &SandboxHandle,
    data: &Path,
    order: bool,
) -> Result<(Span, Option<Span>), String> {
    let base = sandbox.base_url();
    let policy = data.join("policy.json");
    let mut merchants = vec![LUMA.to_string()];
    merchants.extend((1..MERCHANTS).map(|i| format!("shop-{i:02}.test")));
    std::fs::write(&policy, json!({ "merchants": merchants }).to_string())
        .map_err(|e| e.to_string())?;
    let env = [
        ("FIRMLY_DESK_DATA_DIR", data.display().to_string()),
        ("FIRMLY_DESK_MODE", "demo".to_string()),
        ("FIRMLY_DESK_POLICY", policy.display().to_string()),
        ("FIRMLY_APP_ID", SANDBOX_APP_ID.to_string()),
        ("FIRMLY_API_BASE", base.clone()),
        ("FIRMLY_VAULT_BASE", base.clone()),
    ];
    let mut driver = Driver::start(&env, WAIT).await?;
    let t0 = Instant::now();
    let s = session(&driver, app).await?;
    wait_visible(&s, APP_MARKER, WAIT).await?;
    let t1 = Instant::now();
    // The payment key the desk fetches ahead once a cart can be paid is not waited for by the
    // launch: listed, not counted (docs/BENCHMARKS.md §12).
    let p = critical_path_besides(sandbox, t0, t1, &[KEY_PATH_SUFFIX]).await?;
    let start = Span {
        ms: (t1 - t0).as_secs_f64() * 1000.0,
        depth: p.depth,
        waited: p.waited_ms,
        requests: p.requests,
    };
    let mut placed = None;
    if order {
        luma_ready(&s).await?;
        crate::drive::click(&s, &format!("cart-tab-{LUMA}")).await?;
        fill_card(&s).await?;
        place_enabled(&s).await?;
        key_fetched(&base).await?;
        let t0 = Instant::now();
        let ms = place_order_ms(&s).await?;
        let t1 = Instant::now();
        let p = critical_path(sandbox, t0, t1).await?;
        placed = Some(Span {
            ms,
            depth: p.depth,
            waited: p.waited_ms,
            requests: p.requests,
        });
    }
    s.close().await;
    driver.stop();
    Ok((start, placed))
}

/// The hello app's launch to its first paint: the window's own floor on this machine.
async fn hello_launch(hello: &Path) -> Result<f64, String> {
    let env: [(&str, &str); 0] = [];
    let mut driver = Driver::start(&env, WAIT).await?;
    let t0 = Instant::now();
    let s = session(&driver, hello).await?;
    wait_visible(&s, HELLO_MARKER, WAIT).await?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    s.close().await;
    driver.stop();
    Ok(ms)
}

pub async fn run(
    out: &Path,
    app: &Path,
    hello: &Path,
    latency_ms: u64,
    jitter_ms: u64,
    runs: usize,
) -> Result<(), String> {
    let sandbox = firmly_sandbox::start(SandboxConfig {
        profile: Profile::Demo,
        latency_ms,
        jitter_ms,
        ..SandboxConfig::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let (mut new, mut cached, mut orders) = (Vec::new(), Vec::new(), Vec::new());
    let mut hellos = Vec::new();
    for i in 0..runs.max(1) {
        hellos.push(hello_launch(hello).await?);
        let data = scratch(out, &format!("shop-{i}"))?;
        let (start, placed) = launch(app, &sandbox, &data, true).await?;
        new.push(start);
        orders.extend(placed);
        cached.push(launch(app, &sandbox, &data, false).await?.0);
    }
    sandbox.shutdown().await;
    let rtt = latency_ms as f64;
    let hello_ms = median(&hellos);
    // A launch cannot beat the window's own start nor its network path; the desk starts its
    // requests before the window is up, so the floor is the larger of the two.
    let summary = |v: &[Span], window: f64| {
        let ms: Vec<f64> = v.iter().map(|s| s.ms).collect();
        let depth = v.iter().map(|s| s.depth).max().unwrap_or(0);
        let waited = median(&v.iter().map(|s| s.waited).collect::<Vec<_>>());
        let med = median(&ms);
        json!({
            "median_ms": r3(med),
            "ms": r3s(&ms),
            "depth": depth,
            "depth_x_rtt_ms": depth as f64 * rtt,
            "ratio_to_depth_x_rtt": r3(med / (depth.max(1) as f64 * rtt)),
            "waited_ms": r3(waited),
            "ratio_to_waited": r3(med / waited.max(1.0)),
            "floor_ms": r3(window.max(depth as f64 * rtt)),
            "depth_per_run": v.iter().map(|s| s.depth).collect::<Vec<_>>(),
            // The run that set `depth` (the deepest), so its chain can be read.
            "requests_of_the_deepest_run": v
                .iter()
                .max_by_key(|s| s.depth)
                .map(|s| s.requests.clone())
                .unwrap_or_default(),
            "ratio_to_floor": r3(med / window.max(depth.max(1) as f64 * rtt)),
        })
    };
    let (n, c, o) = (
        summary(&new, hello_ms),
        summary(&cached, hello_ms),
        summary(&orders, 0.0),
    );
    for (what, v) in [
        ("launch, new device", &n),
        ("launch, token cached", &c),
        ("Place order → confirmation", &o),
    ] {
        println!(
            "  {what:<28} {:>8.1} ms  depth {}  × {rtt} ms = {:>5}  ratio {:>6.3}  (network wait {:>6.1} ms, ratio {:>6.3}; floor {:>6.1} ms, ratio {:>6.3})",
            v["median_ms"].as_f64().unwrap_or(f64::NAN),
            v["depth"],
            v["depth_x_rtt_ms"],
            v["ratio_to_depth_x_rtt"].as_f64().unwrap_or(f64::NAN),
            v["waited_ms"].as_f64().unwrap_or(f64::NAN),
            v["ratio_to_waited"].as_f64().unwrap_or(f64::NAN),
            v["floor_ms"].as_f64().unwrap_or(f64::NAN),
            v["ratio_to_floor"].as_f64().unwrap_or(f64::NAN),
        );
    }
    let worst = [&n, &c, &o]
        .iter()
        .map(|v| v["ratio_to_depth_x_rtt"].as_f64().unwrap_or(f64::INFINITY))
        .fold(0.0, f64::max);
    Figure {
        id: "shop".into(),
        title: format!(
            "The app on a shop's network ({latency_ms} ± {jitter_ms} ms per request, {MERCHANTS} merchants)"
        ),
        value_label: "the worst of launch (new, cached) and Place order: median ms / (depth × RTT)"
            .into(),
        value: r3(worst),
        unit: "×".into(),
        baseline_label: "1 = depth × RTT".into(),
        baseline: 1.0,
        ratio: r3(worst),
        target: "ratio ≤ 1.2".into(),
        met: Some(worst <= 1.2),
        runs,
        details: json!({
            "latency_ms": latency_ms, "jitter_ms": jitter_ms, "merchants": MERCHANTS,
            "hello_launch_ms": r3s(&hellos),
            "hello_launch_median_ms": r3(hello_ms),
            "worst_ratio_to_floor": r3([&n, &c, &o].iter().map(|v| v["ratio_to_floor"].as_f64().unwrap_or(f64::INFINITY)).fold(0.0, f64::max)),
            "launch_new_device": n, "launch_token_cached": c, "place_order": o,
        }),
    }
    .write(out)
}
