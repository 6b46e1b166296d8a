//! Figure `endurance` (docs/BENCHMARKS.md): a kiosk's day. The release app runs as a kiosk
//! (fleet policy, embedded sandbox) in a real window, and N shopper sessions go through it:
//! start from the attract screen, a hoodie into the cart (through the page's IPC, as the UI
//! adds it), every third session an order (address and consents through IPC, the card typed
//! into the real form, Place order clicked), and every session ends with End session and its
//! confirmation, which wipes the customer and brings the attract screen back.
//!
//! Every `--every` sessions it records the process tree's PSS, open file descriptors,
//! threads and WebKit processes, and the size of every file in the data folder. The figure
//! is the growth from session 20 to the last one (goal ≤ 5 %), and the series.

use std::path::Path;
use std::time::Instant;

use firmly_webdriver::Driver;
use serde_json::{json, Value};

use crate::drive::{
    click, file_sizes, fill_card, invoke, luma_ready, place_enabled, place_order_ms, resources,
    Resources, HOODIE, LUMA, WAIT,
};
use crate::figure::{r3, scratch, Figure};
use crate::page::{session, wait_visible};
use crate::procs::find_exe;

/// The session the growth is measured from (after warm-up: caches filled, JIT done).
const FROM: usize = 20;

struct Sample {
    session: usize,
    res: Resources,
    /// PSS of each process of the tree (which one grows).
    procs: Vec<(String, u64)>,
    page: Value,
    files_bytes: u64,
    largest: Vec<(String, u64)>,
}

fn growth(a: f64, b: f64) -> f64 {
    if a > 0.0 {
        (b - a) / a * 100.0
    } else {
        0.0
    }
}

pub async fn run(out: &Path, app: &Path, sessions: usize, every: usize) -> Result<(), String> {
    let data = scratch(out, "endurance")?;
    let policy = data.join("policy.json");
    std::fs::write(
        &policy,
        json!({"mode": "kiosk", "idle_seconds": 900}).to_string(),
    )
    .map_err(|e| e.to_string())?;
    let data_dir = data.join("data");
    std::fs::create_dir_all(&data_dir).map_err(|e| e.to_string())?;
    let env = [
        ("FIRMLY_DESK_DATA_DIR", data_dir.display().to_string()),
        ("FIRMLY_DESK_POLICY", policy.display().to_string()),
        ("FIRMLY_DESK_SANDBOX_PORT", "0".to_string()),
    ];
    let mut driver = Driver::start(&env, WAIT).await?;
    let s = session(&driver, app).await?;
    let pid = find_exe(driver.pid(), app).ok_or("the app's process was not found")?;
    let every = every.max(1);
    let mut samples: Vec<Sample> = Vec::new();
    let mut orders = 0usize;
    let mut order_ms = Vec::new();
    let started = Instant::now();
    for n in 1..=sessions {
        wait_visible(&s, "attract-screen", WAIT)
            .await
            .map_err(|e| format!("session {n}: {e}"))?;
        click(&s, "start-shopping").await?;
        if n % 3 == 0 {
            luma_ready(&s)
                .await
                .map_err(|e| format!("session {n}: {e}"))?;
            click(&s, &format!("cart-tab-{LUMA}")).await?;
            fill_card(&s).await?;
            place_enabled(&s)
                .await
                .map_err(|e| format!("session {n}: {e}"))?;
            order_ms.push(
                place_order_ms(&s)
                    .await
                    .map_err(|e| format!("session {n}: {e}"))?,
            );
            orders += 1;
        } else {
            invoke(
                &s,
                "add_to_cart",
                json!({"domain": LUMA, "variantId": HOODIE, "quantity": 1}),
            )
            .await
            .map_err(|e| format!("session {n}: {e}"))?;
        }
        click(&s, "end-session").await?;
        click(&s, "end-session-confirm").await?;
        if n == 1 || n == FROM || n % every == 0 || n == sessions {
            // The attract screen first: the wipe has finished when it shows.
            wait_visible(&s, "attract-screen", WAIT).await?;
            let files = file_sizes(&data_dir);
            let mut largest = files.clone();
            largest.sort_by_key(|f| std::cmp::Reverse(f.1));
            largest.truncate(6);
            let sample = Sample {
                session: n,
                res: resources(pid),
                procs: crate::procs::tree_pss(pid)
                    .1
                    .into_iter()
                    .map(|p| (p.process, p.pss_kib))
                    .collect(),
                page: crate::drive::page_facts(&s).await,
                files_bytes: files.iter().map(|f| f.1).sum(),
                largest,
            };
            eprintln!(
                "  session {n:>4}: PSS {:>7} KiB {:?}, {:>4} fds, {:>4} threads, {} WebKit processes, data {:>9} B, page {} ({:.0} s)",
                sample.res.pss_kib,
                sample.procs,
                sample.res.fds,
                sample.res.threads,
                sample.res.webkit_processes,
                sample.files_bytes,
                sample.page,
                started.elapsed().as_secs_f64()
            );
            samples.push(sample);
        }
    }
    s.close().await;
    driver.stop();

    let at = |k: usize| samples.iter().find(|x| x.session == k);
    let first = at(FROM.min(sessions)).ok_or("no sample at the reference session")?;
    let last = samples.last().ok_or("no samples")?;
    let g = |f: fn(&Resources) -> f64| r3(growth(f(&first.res), f(&last.res)));
    let pss_growth = g(|r| r.pss_kib as f64);
    let fds_growth = g(|r| r.fds as f64);
    let threads_growth = g(|r| r.threads as f64);
    let webkit_growth = g(|r| r.webkit_processes as f64);
    let worst = [pss_growth, fds_growth, threads_growth, webkit_growth]
        .into_iter()
        .fold(f64::MIN, f64::max);
    let series: Vec<Value> = samples
        .iter()
        .map(|x| {
            json!({
                "session": x.session,
                "pss_kib": x.res.pss_kib,
                "fds": x.res.fds,
                "threads": x.res.threads,
                "webkit_processes": x.res.webkit_processes,
                "processes": x.res.processes,
                "data_bytes": x.files_bytes,
                "procs_pss_kib": x.procs,
                "page": x.page,
                "largest_files": x.largest,
            })
        })
        .collect();
    println!("  session   PSS KiB   fds  threads  WebKit  data bytes");
    for x in &samples {
        println!(
            "  {:>7} {:>9} {:>5} {:>8} {:>7} {:>11}",
            x.session,
            x.res.pss_kib,
            x.res.fds,
            x.res.threads,
            x.res.webkit_processes,
            x.files_bytes
        );
    }
    Figure {
        id: "endurance".into(),
        title: format!(
            "A kiosk day: {sessions} shopper sessions in one window ({orders} orders), each ended by a wipe"
        ),
        value_label: format!(
            "the largest growth from session {FROM} to {sessions} of PSS, fds, threads, WebKit processes"
        ),
        value: r3(worst),
        unit: "%".into(),
        baseline_label: "the goal".into(),
        baseline: 5.0,
        ratio: r3(worst / 5.0),
        target: "growth ≤ 5 %".into(),
        met: Some(worst <= 5.0),
        runs: sessions,
        details: json!({
            "growth_percent": {
                "pss": pss_growth, "fds": fds_growth, "threads": threads_growth,
                "webkit_processes": webkit_growth,
            },
            "data_bytes_growth_percent": r3(growth(first.files_bytes as f64, last.files_bytes as f64)),
            "orders": orders,
            "order_ms": order_ms.iter().map(|v| r3(*v)).collect::<Vec<_>>(),
            "series": series,
            "minutes": r3(started.elapsed().as_secs_f64() / 60.0),
        }),
    }
    .write(out)
}
