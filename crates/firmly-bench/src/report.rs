//! Merges the figures of one run into `results.json` (with the machine they ran on) and
//! prints the table.

use std::path::Path;

use serde_json::json;

use crate::figure::{fmt_num, Figure};

pub const ORDER: [&str; 14] = [
    "start",
    "memory",
    "size",
    "size-live",
    "fanout",
    "client",
    "ipc",
    "render",
    "sandbox",
    "crypto",
    "rtt",
    "latency",
    "shop",
    "endurance",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

pub fn machine() -> serde_json::Value {
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_default();
    let meminfo = read("/proc/meminfo");
    let mem_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let nproc = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    json!({
        "nproc": nproc,
        "cpu_model": cpu,
        "mem_total_kib": mem_kb,
        "mem_total_gib": (mem_kb as f64 / 1024.0 / 1024.0 * 10.0).round() / 10.0,
        "kernel": read("/proc/sys/kernel/osrelease").trim(),
        "loadavg_at_report": read("/proc/loadavg").trim(),
    })
}

pub fn run(out: &Path, json_path: &Path, elapsed: Option<f64>) -> Result<(), String> {
    let mut figures = Vec::new();
    let mut missing = Vec::new();
    for id in ORDER {
        let p = out.join("figures").join(format!("{id}.json"));
        match std::fs::read_to_string(&p) {
            Ok(t) => figures.push(
                serde_json::from_str::<Figure>(&t).map_err(|e| format!("{}: {e}", p.display()))?,
            ),
            Err(_) => missing.push(id),
        }
    }
    let errors: Vec<String> = std::fs::read_to_string(out.join("errors.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let m = machine();
    println!();
    println!(
        "Firmly Desk benchmarks — {} × {}, {} GiB",
        m["nproc"],
        m["cpu_model"].as_str().unwrap_or("?"),
        m["mem_total_gib"]
    );
    println!(
        "{:<8} {:>18} {:>18} {:>8}  {:<24} status",
        "figure", "value", "baseline", "ratio", "target"
    );
    for f in &figures {
        println!(
            "{:<8} {:>18} {:>18} {:>8.3}  {:<24} {}",
            f.id,
            format!("{} {}", fmt_num(f.value), f.unit),
            format!("{} {}", fmt_num(f.baseline), f.unit),
            f.ratio,
            f.target,
            match f.met {
                Some(true) => "met",
                Some(false) => "MISSED",
                None => "-",
            }
        );
    }
    for id in &missing {
        println!("{id:<8} not measured in this run");
    }
    for e in &errors {
        println!("error: {e}");
    }
    let doc = json!({
        "schema": 1,
        "machine": m,
        "elapsed_seconds": elapsed,
        "figures": figures,
        "missing": missing,
        "errors": errors,
    });
    if let Some(dir) = json_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(
        json_path,
        serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("{}: {e}", json_path.display()))?;
    println!("\nwrote {}", json_path.display());
    Ok(())
}
