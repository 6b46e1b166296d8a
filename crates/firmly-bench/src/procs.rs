//! The process-tree measurements of the start-up and memory figures (`/proc`): the app's
//! process under the driver, its start time, and the PSS of its tree. The WebDriver side
//! (launching tauri-driver, the session) is `firmly-webdriver`, shared with the e2e tests.

use std::path::Path;

use firmly_webdriver::descendants;

pub fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The process under `root` running `exe`.
pub fn find_exe(root: u32, exe: &Path) -> Option<u32> {
    let want = std::fs::canonicalize(exe).ok()?;
    descendants(root).into_iter().find(|pid| {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .map(|p| p == want)
            .unwrap_or(false)
    })
}

/// One process's proportional set size in KiB (`/proc/<pid>/smaps_rollup`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Pss {
    pub process: String,
    pub pss_kib: u64,
    pub anon_kib: u64,
    pub file_kib: u64,
    pub shmem_kib: u64,
}

pub fn pss(pid: u32) -> Option<Pss> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some(Pss {
        process: comm(pid),
        pss_kib: field("Pss:")?,
        anon_kib: field("Pss_Anon:").unwrap_or(0),
        file_kib: field("Pss_File:").unwrap_or(0),
        shmem_kib: field("Pss_Shmem:").unwrap_or(0),
    })
}

/// PSS of `pid` and its whole process tree: total KiB and each process.
pub fn tree_pss(pid: u32) -> (u64, Vec<Pss>) {
    let mut procs = vec![pid];
    procs.extend(descendants(pid));
    let each: Vec<Pss> = procs.into_iter().filter_map(pss).collect();
    (each.iter().map(|p| p.pss_kib).sum(), each)
}

/// When the process started, in ms since the Unix epoch (10 ms resolution: clock ticks).
/// Read while the process runs.
pub fn started_epoch_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    // Field 22 (starttime) is the 20th after `state`.
    let ticks: f64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // USER_HZ is 100 on Linux; /proc/uptime has the same 10 ms resolution.
    Some(epoch_ms() - (uptime - ticks / 100.0) * 1000.0)
}

pub fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}
