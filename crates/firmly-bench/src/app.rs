//! Figures 1, 2, 3 (and 6, 7 in `app_ipc.rs`): the real release app in a real window under
//! Xvfb, driven through `tauri-driver` (WebDriver), against the hello-world Tauri app built
//! with the same release profile.
//!
//! * **start**: from the WebDriver new-session request (which launches the binary) to the
//!   first interactive cart — the selected merchant's cart loaded and shown (`cart-total`
//!   visible; the tab strip alone appears earlier, before the hive answers) AND the embedded sandbox
//!   answering at the URL the app wrote to `$FIRMLY_DESK_DATA_DIR/sandbox-url` — against the
//!   hello app's marker element visible (its first paint). Runs alternate app/hello.
//! * **memory**: PSS of the app process and its whole process tree (WebKitWebProcess,
//!   WebKitNetworkProcess, …) two seconds after the cart is interactive, same for hello.
//! * **size**: the two release binaries.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::app_scripts::{FRAME_LATENCY_JS, TIMELINE_JS};
use crate::figure::{median, percentile, r3, r3s, scratch, Figure};
use crate::page::{script, session, sync, wait_visible};
use crate::procs::{epoch_ms, find_exe, started_epoch_ms, tree_pss, Pss};
use firmly_webdriver::Driver;

pub(crate) const LUMA: &str = "staging.luma.gift";
pub(crate) const HOME: &str = "homegoods.test";
/// The selected cart's totals: drawn only once the hive has answered (not the tab strip,
/// which the UI draws as soon as `app_info` arrives).
pub(crate) const APP_MARKER: &str = "cart-total";
pub(crate) const HELLO_MARKER: &str = "hello-marker";
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);
const SETTLE: Duration = Duration::from_secs(2);

pub struct Apps {
    pub app: PathBuf,
    pub hello: PathBuf,
}

struct Launch {
    ms: f64,
    pss_kib: u64,
    /// The tree's PSS 4 s later (does it settle?).
    pss_later_kib: u64,
    procs: Vec<Pss>,
    /// ms after the launch request: process exec, navigation start, DOMContentLoaded end.
    phases: Phases,
    /// Median ms from a tiny DOM change to the first task after the next frame.
    frame_latency_ms: f64,
    /// The same for a change that repaints the whole viewport.
    full_repaint_ms: f64,
    page: Value,
}

#[derive(Debug, Clone, Copy, Default)]
struct Phases {
    exec: f64,
    navigation: f64,
    dom_content_loaded: f64,
    /// The page's load event (after its images): WebDriver's script commands wait for it.
    load: f64,
    /// The benchmark heard that the marker is visible (ms after the launch request).
    visible: f64,
    /// The embedded sandbox first answered the benchmark (app only).
    sandbox_answered: f64,
    /// The UI's boot marks (app only): its script starts, `app_info` answered, carts drawn.
    boot_start: f64,
    app_info: f64,
    hive_asked: f64,
    hive_answered: f64,
    hive: f64,
    /// The desk's start finished (the app's log: "desk ready N ms after launch"), from exec.
    desk_ready: f64,
    /// The shell asked for the main window (the app's log), from exec.
    window_asked: f64,
    /// The main window created (the app's log), from exec.
    window_created: f64,
    /// The desk's start asked for (the app's log), from exec.
    desk_asked: f64,
    /// Tauri's `setup` began (the app's log), from exec.
    setup_began: f64,
}

/// "<what> N ms after launch" in the app's log ("desk ready", "window asked for"), if there.
fn logged_ms(data: &Path, what: &str) -> f64 {
    let Ok(entries) = std::fs::read_dir(data.join("logs")) else {
        return f64::NAN;
    };
    for e in entries.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if let Some(rest) = text.split(&format!("{what} ")).nth(1) {
            if let Some(n) = rest.split(' ').next().and_then(|n| n.parse::<f64>().ok()) {
                return n;
            }
        }
    }
    f64::NAN
}

/// Polls the sandbox-url file and the sandbox itself until it answers; returns when.
async fn sandbox_answering(dir: PathBuf) -> Result<Instant, String> {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Ok(url) = std::fs::read_to_string(dir.join("sandbox-url")) {
            let url = url.trim().to_string();
            if !url.is_empty()
                && http
                    .get(format!("{url}/__sandbox/orders"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            {
                return Ok(Instant::now());
            }
        }
        if Instant::now() > deadline {
            return Err("the embedded sandbox never answered".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// One cold launch: returns the time to interactive and the tree's PSS after settling.
async fn launch_once(exe: &Path, is_app: bool, data: &Path) -> Result<Launch, String> {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data).map_err(|e| e.to_string())?;
    let env = [
        ("FIRMLY_DESK_DATA_DIR", data.display().to_string()),
        ("FIRMLY_DESK_MODE", "demo".to_string()),
        ("FIRMLY_DESK_SANDBOX_PORT", "0".to_string()),
    ];
    let mut driver = Driver::start(&env, TIMEOUT).await?;
    let t0 = Instant::now();
    let t0_epoch = epoch_ms();
    let sandbox = is_app.then(|| tokio::spawn(sandbox_answering(data.to_path_buf())));
    let session = session(&driver, exe).await?;
    let marker = if is_app { APP_MARKER } else { HELLO_MARKER };
    wait_visible(&session, marker, TIMEOUT).await?;
    let mut ready = Instant::now();
    let visible_ms = (ready - t0).as_secs_f64() * 1000.0;
    let pid = find_exe(driver.pid(), exe).ok_or("the launched process was not found")?;
    let timeline = sync(&session, TIMELINE_JS, vec![])
        .await
        .unwrap_or_default();
    if is_app {
        eprintln!(
            "  boot: origin+{:.0} marks {} resources {}",
            timeline["origin"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
            timeline["marks"],
            timeline["resources"]
        );
    }
    let origin = timeline["origin"].as_f64().unwrap_or(f64::NAN);
    let mut phases = Phases {
        exec: started_epoch_ms(pid).unwrap_or(f64::NAN) - t0_epoch,
        navigation: origin - t0_epoch,
        dom_content_loaded: origin + timeline["dcl"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        load: origin + timeline["load"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        visible: f64::NAN,
        sandbox_answered: f64::NAN,
        boot_start: origin + timeline["boot_start"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        app_info: origin + timeline["app_info"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        hive: origin + timeline["hive"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        hive_asked: origin + timeline["hive_asked"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        hive_answered: origin + timeline["hive_answered"].as_f64().unwrap_or(f64::NAN) - t0_epoch,
        desk_ready: f64::NAN,
        window_asked: f64::NAN,
        window_created: f64::NAN,
        desk_asked: f64::NAN,
        setup_began: f64::NAN,
    };
    if let Some(s) = sandbox {
        let answered = s.await.map_err(|e| e.to_string())??;
        phases.sandbox_answered = (answered - t0).as_secs_f64() * 1000.0;
        ready = ready.max(answered);
    }
    let ms = (ready - t0).as_secs_f64() * 1000.0;
    phases.visible = visible_ms;
    tokio::time::sleep(SETTLE).await;
    if is_app {
        phases.desk_ready = logged_ms(data, "desk ready");
        phases.window_asked = logged_ms(data, "window asked for");
        phases.window_created = logged_ms(data, "window created");
        phases.desk_asked = logged_ms(data, "desk asked for");
        phases.setup_began = logged_ms(data, "setup began");
    }
    let (pss_kib, procs) = tree_pss(pid);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let pss_later_kib = tree_pss(pid).0;
    let frames = script(&session, FRAME_LATENCY_JS, vec![json!(20)])
        .await
        .unwrap_or_default();
    let frame_latency_ms = median(&floats(&frames, "toAfter"));
    let full_repaint_ms = median(&floats(&frames, "full"));
    session.close().await;
    driver.stop();
    Ok(Launch {
        ms,
        pss_kib,
        pss_later_kib,
        procs,
        phases,
        frame_latency_ms,
        full_repaint_ms,
        page: frames["facts"].clone(),
    })
}

/// One launch's phases (ms after the launch request; `*_after_exec` from the process's exec):
/// which phase a slow launch lost its time in.
fn launch_phases(l: &Launch) -> serde_json::Value {
    let p = &l.phases;
    json!({
        "interactive": r3(l.ms),
        "exec": r3(p.exec),
        "setup_began_after_exec": r3(p.setup_began),
        "window_asked_after_exec": r3(p.window_asked),
        "window_created_after_exec": r3(p.window_created),
        "desk_asked_after_exec": r3(p.desk_asked),
        "desk_ready_after_exec": r3(p.desk_ready),
        "navigation_start": r3(p.navigation),
        "dom_content_loaded": r3(p.dom_content_loaded),
        "load_event": r3(p.load),
        "marker_visible": r3(p.visible),
        "sandbox_answered": r3(p.sandbox_answered),
        "ui_script_start": r3(p.boot_start),
        "hive_answered": r3(p.hive_answered),
        "carts_drawn": r3(p.hive),
    })
}

fn phases(v: &[Launch]) -> serde_json::Value {
    let m = |f: fn(&Phases) -> f64| r3(median(&v.iter().map(|l| f(&l.phases)).collect::<Vec<_>>()));
    let ready = r3(median(&v.iter().map(|l| l.ms).collect::<Vec<_>>()));
    json!({
        "exec": m(|p| p.exec),
        "navigation_start": m(|p| p.navigation),
        "dom_content_loaded": m(|p| p.dom_content_loaded),
        "load_event": m(|p| p.load),
        "ui_script_start": m(|p| p.boot_start),
        "setup_began_after_exec": m(|p| p.setup_began),
        "window_asked_after_exec": m(|p| p.window_asked),
        "window_created_after_exec": m(|p| p.window_created),
        "desk_asked_after_exec": m(|p| p.desk_asked),
        "desk_ready_after_exec": m(|p| p.desk_ready),
        "app_info_answered": m(|p| p.app_info),
        "hive_asked": m(|p| p.hive_asked),
        "hive_answered": m(|p| p.hive_answered),
        "carts_drawn": m(|p| p.hive),
        "interactive": ready,
    })
}

/// The frame-latency floor (median ms, app page and hello page) measured during the launches.
#[derive(Debug, Clone, Copy)]
pub struct FrameFloor {
    pub app_ms: f64,
    pub hello_ms: f64,
    pub app_full_ms: f64,
    pub hello_full_ms: f64,
}

/// What the app does on its start-up critical path before its window exists, measured in
/// this process (evidence for the start figure): the embedded sandbox's start, and within
/// it the vault's RSA-2048 key generation and the catalog load.
async fn startup_costs(n: usize, scratch_dir: &Path) -> serde_json::Value {
    let (mut start, mut keygen, mut catalog) = (Vec::new(), Vec::new(), Vec::new());
    let (mut client, mut desk, mut hive1, mut hive2) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        match crate::service::cold_desk(&scratch_dir.join(format!("desk-{i}"))).await {
            Ok((d, h1, h2)) => {
                desk.push(d);
                hive1.push(h1);
                hive2.push(h2);
            }
            Err(e) => eprintln!("  cold desk: {e}"),
        }
        let t = Instant::now();
        let _ = std::hint::black_box(crate::service::typed_client("http://127.0.0.1:9"));
        client.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        if let Ok(h) = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default()).await {
            start.push(t.elapsed().as_secs_f64() * 1000.0);
            h.shutdown().await;
        }
        let t = Instant::now();
        let _ = std::hint::black_box(firmly_sandbox::vault::keys::VaultKeys::generate());
        keygen.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let _ = std::hint::black_box(firmly_sandbox::model::catalog::Catalog::load());
        catalog.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    json!({
        "note": "ms, in the bench process. Desk::start runs while the window loads; the UI's boot then waits for the first hive",
        "desk_start_p50_ms": r3(median(&desk)),
        "first_hive_p50_ms": r3(median(&hive1)),
        "warm_hive_p50_ms": r3(median(&hive2)),
        "sandbox_start_ms": r3s(&start),
        "sandbox_start_p50_ms": r3(median(&start)),
        "rsa2048_keygen_p50_ms": r3(median(&keygen)),
        "rsa2048_keygen_max_ms": r3(percentile(&keygen, 100.0)),
        "catalog_load_p50_ms": r3(median(&catalog)),
        "firmly_client_new_p50_ms": r3(median(&client)),
    })
}

pub async fn start_and_memory(out: &Path, apps: &Apps, runs: usize) -> Result<FrameFloor, String> {
    let work = scratch(out, "launch")?;
    let costs = startup_costs(10, &work).await;
    // One untimed launch of each first (page cache, WebKit's first-run files).
    launch_once(&apps.app, true, &work.join("warm-app")).await?;
    launch_once(&apps.hello, false, &work.join("warm-hello")).await?;
    let (mut app, mut hello) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let a_dir = work.join(format!("app-{i}"));
        let h_dir = work.join(format!("hello-{i}"));
        if i % 2 == 0 {
            app.push(launch_once(&apps.app, true, &a_dir).await?);
            hello.push(launch_once(&apps.hello, false, &h_dir).await?);
        } else {
            hello.push(launch_once(&apps.hello, false, &h_dir).await?);
            app.push(launch_once(&apps.app, true, &a_dir).await?);
        }
        let (a, h) = (&app[i].phases, &hello[i].phases);
        eprintln!(
            "  launch {i}: app {:.0} ms {} KiB (exec {:.0}, setup +{:.0}, desk asked +{:.0}, window +{:.0}..+{:.0}, desk +{:.0}, navigation {:.0}, script {:.0}, drawn {:.0}, load {:.0}, seen {:.0}, sandbox {:.0}), hello {:.0} ms {} KiB (exec {:.0}, navigation {:.0}, loaded {:.0}, load {:.0})",
            app[i].ms, app[i].pss_kib, a.exec, a.setup_began, a.desk_asked, a.window_asked, a.window_created, a.desk_ready, a.navigation, a.boot_start, a.hive, a.load, a.visible, a.sandbox_answered,
            hello[i].ms, hello[i].pss_kib, h.exec, h.navigation, h.dom_content_loaded, h.load
        );
    }
    let ms = |v: &[Launch]| v.iter().map(|l| l.ms).collect::<Vec<_>>();
    let mib = |v: &[Launch]| {
        v.iter()
            .map(|l| l.pss_kib as f64 / 1024.0)
            .collect::<Vec<_>>()
    };
    let (a, h) = (median(&ms(&app)), median(&ms(&hello)));
    // The launch split in two: the window's own start (to navigation, the platform's part,
    // which moves with the machine's moment) and the page (navigation → interactive, what
    // the app's page adds), each compared with the hello app's in the same run (§1).
    let nav = |v: &[Launch]| v.iter().map(|l| l.phases.navigation).collect::<Vec<_>>();
    let page = |v: &[Launch]| {
        v.iter()
            .map(|l| l.ms - l.phases.navigation)
            .collect::<Vec<_>>()
    };
    let (a_nav, h_nav) = (median(&nav(&app)), median(&nav(&hello)));
    let (a_page, h_page) = (median(&page(&app)), median(&page(&hello)));
    eprintln!(
        "  window to navigation: app {a_nav:.0} ms, hello {h_nav:.0} ms; page (navigation → interactive): app {a_page:.0} ms, hello {h_page:.0} ms"
    );
    Figure {
        id: "start".into(),
        title: "Cold start to the first interactive cart".into(),
        value_label: "median ms: new WebDriver session (launch) → cart tab visible and embedded sandbox answering".into(),
        value: r3(a),
        unit: "ms".into(),
        baseline_label: "median ms: same launch of the hello-world Tauri app → its marker visible (first paint)".into(),
        baseline: r3(h),
        ratio: r3(a / h),
        target: "ratio ≤ 1.1".into(),
        met: Some(a / h <= 1.1),
        runs,
        details: json!({
            "navigation_start_ms": { "app": r3(a_nav), "hello": r3(h_nav) },
            "page_ms": {
                "note": "median ms from navigation start to interactive (the app) or its marker visible (hello)",
                "app": r3(a_page),
                "hello": r3(h_page),
                "app_runs": r3s(&page(&app)),
                "hello_runs": r3s(&page(&hello)),
            },
            "app_ms": r3s(&ms(&app)),
            "hello_ms": r3s(&ms(&hello)),
            "phases_note": "median ms after the launch request (process exec has 10 ms resolution)",
            "app_phases": phases(&app),
            "app_launch_phases": app.iter().map(launch_phases).collect::<Vec<_>>(),
            "hello_launch_phases": hello.iter().map(launch_phases).collect::<Vec<_>>(),
            "hello_phases": phases(&hello),
            "app_startup_costs": costs,
            "loadavg": read_loadavg(),
        }),
    }
    .write(out)?;
    let (am, hm) = (median(&mib(&app)), median(&mib(&hello)));
    let breakdown = |v: &[Launch]| v.iter().map(|l| json!(l.procs)).collect::<Vec<_>>();
    Figure {
        id: "memory".into(),
        title: "Memory (PSS of the whole process tree) once the cart is interactive".into(),
        value_label: format!(
            "median MiB PSS: app + WebKit children, {}s after the cart is interactive",
            SETTLE.as_secs()
        ),
        value: r3(am),
        unit: "MiB".into(),
        baseline_label: "median MiB PSS: hello-world app + WebKit children, measured the same way"
            .into(),
        baseline: r3(hm),
        ratio: r3(am / hm),
        target: "ratio ≤ 1.3".into(),
        met: Some(am / hm <= 1.3),
        runs,
        details: json!({
            "app_mib": r3s(&mib(&app)),
            "hello_mib": r3s(&mib(&hello)),
            "app_mib_4s_later": r3s(&app.iter().map(|l| l.pss_later_kib as f64 / 1024.0).collect::<Vec<_>>()),
            "hello_mib_4s_later": r3s(&hello.iter().map(|l| l.pss_later_kib as f64 / 1024.0).collect::<Vec<_>>()),
            "loadavg": read_loadavg(),
            "app_page": app.last().map(|l| l.page.clone()),
            "hello_page": hello.last().map(|l| l.page.clone()),
            "app_processes": breakdown(&app),
            "hello_processes": breakdown(&hello),
        }),
    }
    .write(out)?;
    let floor = |v: &[Launch]| median(&v.iter().map(|l| l.frame_latency_ms).collect::<Vec<_>>());
    let full = |v: &[Launch]| median(&v.iter().map(|l| l.full_repaint_ms).collect::<Vec<_>>());
    Ok(FrameFloor {
        app_ms: floor(&app),
        hello_ms: floor(&hello),
        app_full_ms: full(&app),
        hello_full_ms: full(&hello),
    })
}

pub fn size(out: &Path, apps: &Apps, live: Option<&Path>) -> Result<(), String> {
    let len = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let (a, h) = (len(&apps.app)?, len(&apps.hello)?);
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    Figure {
        id: "size".into(),
        title: "Release binary size (default build, with the embedded sandbox)".into(),
        value_label: "MiB of target/release/firmly-desk (stripped, LTO, opt-level s)".into(),
        value: r3(mib(a)),
        unit: "MiB".into(),
        baseline_label: "MiB of the hello-world Tauri app, same profile".into(),
        baseline: r3(mib(h)),
        ratio: r3(a as f64 / h as f64),
        target: "ratio ≤ 2.7".into(),
        met: Some(a as f64 / h as f64 <= 2.7),
        runs: 1,
        details: json!({"app_bytes": a, "hello_bytes": h}),
    }
    .write(out)?;
    let Some(live) = live else {
        return Ok(());
    };
    let l = len(live)?;
    Figure {
        id: "size-live".into(),
        title: "Release binary size (live-only build, no embedded sandbox)".into(),
        value_label: "MiB of firmly-desk built --no-default-features --features custom-protocol"
            .into(),
        value: r3(mib(l)),
        unit: "MiB".into(),
        baseline_label: "MiB of the hello-world Tauri app, same profile".into(),
        baseline: r3(mib(h)),
        ratio: r3(l as f64 / h as f64),
        target: "ratio ≤ 1.6".into(),
        met: Some(l as f64 / h as f64 <= 1.6),
        runs: 1,
        details: json!({"live_bytes": l, "hello_bytes": h, "sandbox_bytes": a.saturating_sub(l)}),
    }
    .write(out)
}

pub(crate) fn read_loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

pub(crate) fn floats(v: &Value, key: &str) -> Vec<f64> {
    v[key]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}
