//! The sandbox's request journal as the benchmarks read it: each API request's arrival and
//! answer (`start_us`/`end_us`, µs since the sandbox started) and the latency the sandbox
//! added (`latency_ms`). From them: the requests inside a measured span, their **depth** (the
//! longest chain in which each arrived after the previous one was answered; overlapping
//! requests ran in parallel and count once) and the network wait on that chain.

use std::time::{Duration, Instant};

use firmly_sandbox::SandboxHandle;
use serde_json::{json, Value};

use crate::figure::r3;

/// The longest chain of spans in which each starts after the previous one ended.
pub fn depth(spans: &[(u64, u64)]) -> usize {
    let mut s = spans.to_vec();
    s.sort_unstable();
    let mut d = vec![1usize; s.len()];
    for i in 0..s.len() {
        for j in 0..i {
            if s[j].1 <= s[i].0 {
                d[i] = d[i].max(d[j] + 1);
            }
        }
    }
    d.into_iter().max().unwrap_or(0)
}

/// The network wait on the critical path: the largest sum of the sandbox's per-request
/// latency (`latency_ms` in the journal) along a chain of spans `(start, end, latency)`. Under
/// jitter this is the true floor: a level of parallel requests waits for its slowest one.
pub fn critical_latency(spans: &[(u64, u64, u64)]) -> u64 {
    let mut s = spans.to_vec();
    s.sort_unstable();
    let mut w: Vec<u64> = s.iter().map(|x| x.2).collect();
    for i in 0..s.len() {
        for j in 0..i {
            if s[j].1 <= s[i].0 {
                w[i] = w[i].max(w[j] + s[i].2);
            }
        }
    }
    w.into_iter().max().unwrap_or(0)
}

/// µs from the sandbox's start to `t` (the journal's clock; the sandbox runs in this process).
pub fn us_since(sandbox: &SandboxHandle, t: Instant) -> u64 {
    u64::try_from(
        t.saturating_duration_since(sandbox.state().started)
            .as_micros(),
    )
    .unwrap_or(u64::MAX)
}

/// `GET /__sandbox/requests`.
pub async fn journal(base: &str) -> Result<Vec<Value>, String> {
    let v: Value = reqwest::get(format!("{base}/__sandbox/requests"))
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// The API requests the sandbox journaled inside a span, and what they cost.
pub struct CriticalPath {
    pub depth: usize,
    /// ms of network wait on the critical path ([`critical_latency`]).
    pub waited_ms: f64,
    /// `[method and path, ms from the span's start to the arrival, … to the answer]`.
    pub requests: Vec<Value>,
}

/// The payment key's path: the desk fetches it ahead, in the background, once a cart can be
/// paid; nothing on the screen waits for it.
pub const KEY_PATH_SUFFIX: &str = "/payment/key";

/// The requests that arrived after `t0` and were answered before `t1`.
pub async fn critical_path(
    sandbox: &SandboxHandle,
    t0: Instant,
    t1: Instant,
) -> Result<CriticalPath, String> {
    critical_path_besides(sandbox, t0, t1, &[]).await
}

/// The same, leaving out of the depth and the wait the requests whose path ends with one of
/// `background` (still listed, marked `"background"`): fetches the desk starts ahead that the
/// screen does not wait for, such as the payment key during a launch.
pub async fn critical_path_besides(
    sandbox: &SandboxHandle,
    t0: Instant,
    t1: Instant,
    background: &[&str],
) -> Result<CriticalPath, String> {
    let in_background = |e: &Value| {
        e["path"]
            .as_str()
            .is_some_and(|p| background.iter().any(|b| p.ends_with(b)))
    };
    let (a, b) = (us_since(sandbox, t0), us_since(sandbox, t1));
    let field = |e: &Value, k: &str, or: u64| e[k].as_u64().unwrap_or(or);
    let inside: Vec<Value> = journal(&sandbox.base_url())
        .await?
        .into_iter()
        .filter(|e| {
            !e["path"]
                .as_str()
                .unwrap_or("/__sandbox/")
                .starts_with("/__sandbox/")
                && field(e, "start_us", 0) >= a
                && field(e, "end_us", u64::MAX) <= b
        })
        .collect();
    let spans: Vec<(u64, u64, u64)> = inside
        .iter()
        .filter(|e| !in_background(e))
        .map(|e| {
            (
                field(e, "start_us", 0),
                field(e, "end_us", u64::MAX),
                field(e, "latency_ms", 0),
            )
        })
        .collect();
    let ms = |us: u64| r3(us.saturating_sub(a) as f64 / 1000.0);
    let requests = inside
        .iter()
        .map(|e| {
            let mut row = json!([
                format!(
                    "{} {}",
                    e["method"].as_str().unwrap_or("?"),
                    e["path"].as_str().unwrap_or("?")
                ),
                ms(field(e, "start_us", 0)),
                ms(field(e, "end_us", 0)),
            ]);
            if in_background(e) {
                if let Some(r) = row.as_array_mut() {
                    r.push(json!("background"));
                }
            }
            row
        })
        .collect();
    let pairs: Vec<(u64, u64)> = spans.iter().map(|s| (s.0, s.1)).collect();
    Ok(CriticalPath {
        depth: depth(&pairs),
        waited_ms: critical_latency(&spans) as f64,
        requests,
    })
}

/// Waits (30 s at most) until the journal holds an entry `seen` accepts.
pub async fn wait_for(base: &str, what: &str, seen: impl Fn(&Value) -> bool) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !journal(base).await?.iter().any(&seen) {
        if Instant::now() > deadline {
            return Err(format!("the journal never showed {what}"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// The payment key fetched ahead (an answered `GET …/payment/key`), so that a click comes
/// after it as a shopper's does.
pub async fn key_fetched(base: &str) -> Result<(), String> {
    wait_for(base, "the payment key fetched ahead", |e| {
        e["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(KEY_PATH_SUFFIX))
            && e["status"].as_u64() == Some(200)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::{critical_latency, depth};

    #[test]
    fn depth_counts_chains_not_requests() {
        assert_eq!(depth(&[]), 0);
        // Two in parallel, then one after both.
        assert_eq!(depth(&[(0, 10), (1, 12), (13, 20)]), 2);
        // Three one after another.
        assert_eq!(depth(&[(0, 5), (5, 9), (10, 11)]), 3);
        // A long one beside two short ones in a row.
        assert_eq!(depth(&[(0, 100), (10, 20), (30, 40)]), 2);
    }

    #[test]
    fn the_critical_latency_is_the_slowest_chain() {
        // Two parallel (120 and 180 ms), then one (150 ms) after both: 180 + 150.
        assert_eq!(
            critical_latency(&[(0, 120, 120), (0, 180, 180), (190, 340, 150)]),
            330
        );
        assert_eq!(critical_latency(&[]), 0);
    }
}
