//! One measured figure (value, its baseline from the same run, the ratio, the target) and
//! the small statistics every benchmark needs. Each benchmark writes its figures as JSON
//! files into the output folder; `report` merges them into `results.json`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    /// Stable key: `start`, `memory`, `size`, `fanout`, `client`, `ipc`, `render`, `sandbox`, `crypto`.
    pub id: String,
    pub title: String,
    /// What was measured (e.g. "median ms from launch to the cart tab").
    pub value_label: String,
    pub value: f64,
    pub unit: String,
    pub baseline_label: String,
    pub baseline: f64,
    /// `value / baseline` (for throughput: `value / baseline` too, where bigger is better).
    pub ratio: f64,
    /// Human text of the target, e.g. "ratio ≤ 1.3".
    pub target: String,
    /// `None` = no target.
    pub met: Option<bool>,
    /// Samples behind the value (and behind the baseline).
    pub runs: usize,
    /// Everything else worth keeping: raw samples, sizes, breakdowns.
    pub details: Value,
}

impl Figure {
    pub fn line(&self) -> String {
        let met = match self.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "-",
        };
        format!(
            "{:<8} {:>12} {:<3} vs {:>12} {:<3} ratio {:>7.3}  target {:<18} {}",
            self.id,
            fmt_num(self.value),
            self.unit,
            fmt_num(self.baseline),
            self.unit,
            self.ratio,
            self.target,
            met
        )
    }

    pub fn write(&self, out: &Path) -> Result<(), String> {
        let dir = out.join("figures");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{}.json", self.id));
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("{}", self.line());
        Ok(())
    }
}

/// The sandbox's approved test card (its own list, `firmly_sandbox::TEST_CARDS`).
pub fn approved_card() -> &'static str {
    firmly_sandbox::TEST_CARDS
        .iter()
        .find(|(_, outcome)| *outcome == "approved")
        .map(|(number, _)| *number)
        .unwrap_or_default()
}

pub fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

pub fn sorted(v: &[f64]) -> Vec<f64> {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    s.sort_by(|a, b| a.total_cmp(b));
    s
}

pub fn median(v: &[f64]) -> f64 {
    let s = sorted(v);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile (`p` in 0..=100).
pub fn percentile(v: &[f64], p: f64) -> f64 {
    let s = sorted(v);
    if s.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

pub fn mean(v: &[f64]) -> f64 {
    let s = sorted(v);
    if s.is_empty() {
        return f64::NAN;
    }
    s.iter().sum::<f64>() / s.len() as f64
}

/// Rounds for JSON readability.
pub fn r3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

pub fn r3s(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| r3(*x)).collect()
}

/// A folder for scratch files under the output folder (itself under `target/`).
pub fn scratch(out: &Path, name: &str) -> Result<std::path::PathBuf, String> {
    let dir = out
        .join("tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
