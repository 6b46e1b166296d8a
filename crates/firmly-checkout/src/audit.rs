//! The audit log of operator actions: when, mode, merchant, action, outcome. Append-only
//! JSON lines in the data dir (`audit.jsonl`, owner-only). It never holds card data, tokens
//! or addresses: callers pass only action names, merchant domains, error codes and order
//! numbers.
//!
//! A kiosk runs all day: the file is rotated at [`MAX_FILE_BYTES`] (`audit.1.jsonl` …
//! `audit.3.jsonl`, the oldest dropped), and entries are read from the tail, never the whole
//! history at once.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::settings::Mode;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AuditEntry {
    /// RFC 3339 UTC.
    pub at: String,
    pub mode: Mode,
    pub merchant: Option<String>,
    pub action: String,
    pub outcome: String,
}

/// The log file (or, without a data dir, memory).
pub struct AuditLog {
    path: Option<PathBuf>,
    mem: Mutex<Vec<AuditEntry>>,
}

/// Longest outcome text kept (outcomes are codes and order numbers, never free text).
const MAX_OUTCOME_CHARS: usize = 80;
/// The size at which the file is rotated.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Rotated files kept (`audit.1.jsonl` is the newest of them).
pub const KEPT_FILES: usize = 3;
/// Entries kept in memory when there is no data dir.
const MAX_MEMORY_ENTRIES: usize = 10_000;

impl AuditLog {
    pub fn in_dir(dir: &Path) -> AuditLog {
        AuditLog {
            path: Some(dir.join("audit.jsonl")),
            mem: Mutex::new(Vec::new()),
        }
    }

    pub fn in_memory() -> AuditLog {
        AuditLog {
            path: None,
            mem: Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Appends one entry. Failing to write is logged, never fatal.
    pub fn record(&self, mode: Mode, merchant: Option<&str>, action: &str, outcome: &str) {
        let entry = AuditEntry {
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            mode,
            merchant: merchant.map(str::to_string),
            action: action.to_string(),
            outcome: outcome.chars().take(MAX_OUTCOME_CHARS).collect(),
        };
        tracing::info!(
            mode = entry.mode.as_str(),
            merchant = entry.merchant.as_deref().unwrap_or("-"),
            action = %entry.action,
            outcome = %entry.outcome,
            "audit"
        );
        let mut mem = self.mem.lock();
        if let Some(path) = &self.path {
            if let Err(e) = rotate_if_full(path).and_then(|()| append(path, &entry)) {
                tracing::warn!(error = %e, "could not append to the audit log");
            }
        } else {
            mem.push(entry);
            let excess = mem.len().saturating_sub(MAX_MEMORY_ENTRIES);
            mem.drain(..excess);
        }
    }

    /// The file and its rotated predecessors, newest first.
    fn files(&self) -> Vec<PathBuf> {
        let Some(path) = &self.path else {
            return Vec::new();
        };
        std::iter::once(path.clone())
            .chain((1..=KEPT_FILES).map(|n| rotated(path, n)))
            .collect()
    }

    /// The newest `limit` entries, oldest first, read from the end of the files.
    pub fn entries(&self, limit: usize) -> Vec<AuditEntry> {
        if self.path.is_none() {
            let mem = self.mem.lock();
            let skip = mem.len().saturating_sub(limit);
            return mem.iter().skip(skip).cloned().collect();
        }
        let mut newest_first: Vec<AuditEntry> = Vec::new();
        for file in self.files() {
            if newest_first.len() >= limit {
                break;
            }
            let lines = tail_lines(&file, limit - newest_first.len()).unwrap_or_default();
            newest_first.extend(
                lines
                    .iter()
                    .rev()
                    .filter_map(|l| serde_json::from_str::<AuditEntry>(l).ok()),
            );
        }
        newest_first.truncate(limit);
        newest_first.reverse();
        newest_first
    }

    /// The whole log (the kept files) as text (JSON lines), for export.
    pub fn export_text(&self) -> String {
        self.entries(usize::MAX)
            .iter()
            .filter_map(|e| serde_json::to_string(e).ok())
            .map(|l| l + "\n")
            .collect()
    }
}

/// `audit.jsonl` → `audit.N.jsonl`.
fn rotated(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "audit".into());
    path.with_file_name(format!("{stem}.{n}.jsonl"))
}

/// Moves a full file aside (`.1`, `.2` … the oldest dropped) so the next entry starts a new
/// one.
fn rotate_if_full(path: &Path) -> std::io::Result<()> {
    let full = std::fs::metadata(path).is_ok_and(|m| m.len() >= MAX_FILE_BYTES);
    if !full {
        return Ok(());
    }
    for n in (1..KEPT_FILES).rev() {
        let from = rotated(path, n);
        if from.exists() {
            std::fs::rename(&from, rotated(path, n + 1))?;
        }
    }
    std::fs::rename(path, rotated(path, 1))?;
    crate::storage::sync_dir(path)
}

/// The last `want` lines of a file, read backwards in blocks (never the whole file).
fn tail_lines(path: &Path, want: usize) -> std::io::Result<Vec<String>> {
    const BLOCK: u64 = 64 * 1024;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let len = f.metadata()?.len();
    let mut start = len;
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let newlines = buf.iter().filter(|b| **b == b'\n').count();
        if start == 0 || newlines > want {
            break;
        }
        let from = start.saturating_sub(BLOCK);
        let mut block = vec![0; usize::try_from(start - from).unwrap_or(0)];
        f.seek(SeekFrom::Start(from))?;
        f.read_exact(&mut block)?;
        block.extend_from_slice(&buf);
        buf = block;
        start = from;
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // A first line cut in the middle is not a line.
    if start > 0 && !lines.is_empty() {
        lines.remove(0);
    }
    let skip = lines.len().saturating_sub(want);
    Ok(lines.into_iter().skip(skip).map(str::to_string).collect())
}

fn append(path: &Path, entry: &AuditEntry) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::storage::create_private_dir(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    f.write_all(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(dir.path());
        log.record(Mode::Agent, Some("a.test"), "add_item", "ok");
        log.record(Mode::Agent, None, "wipe_customer", "ok");
        // A second handle (another process) appends to the same file.
        AuditLog::in_dir(dir.path()).record(Mode::Kiosk, Some("b.test"), "order_placed", "SBX-1");
        let entries = log.entries(10);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].outcome, "SBX-1");
        assert_eq!(log.entries(1).len(), 1);
        assert_eq!(log.export_text().lines().count(), 3);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_file_rotates_at_its_cap_and_the_tail_reads_across_files() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(dir.path());
        let path = log.path().unwrap().to_path_buf();
        // Start close to the cap: one more entry rotates.
        let filler = serde_json::to_string(&AuditEntry {
            at: "2026-12-01T00:00:00.000Z".into(),
            mode: Mode::Kiosk,
            merchant: None,
            action: "filler".into(),
            outcome: "ok".into(),
        })
        .unwrap()
            + "\n";
        let copies = (MAX_FILE_BYTES as usize / filler.len()) + 1;
        std::fs::write(&path, filler.repeat(copies)).unwrap();
        log.record(Mode::Kiosk, None, "after_rotation", "ok");
        assert!(rotated(&path, 1).exists(), "the full file moved aside");
        assert!(std::fs::metadata(&path).unwrap().len() < 1024);
        let tail = log.entries(3);
        assert_eq!(
            tail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            vec!["filler", "filler", "after_rotation"]
        );
        // The oldest generation is dropped: the files stay bounded.
        for _ in 0..KEPT_FILES + 1 {
            std::fs::write(&path, filler.repeat(copies)).unwrap();
            log.record(Mode::Kiosk, None, "again", "ok");
        }
        assert!(!rotated(&path, KEPT_FILES + 1).exists());
        let total: u64 = log
            .files()
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        assert!(total <= MAX_FILE_BYTES * (KEPT_FILES as u64 + 1) + 4096);
    }

    #[test]
    fn a_tail_read_skips_a_line_cut_at_the_block_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let lines: Vec<String> = (0..5000).map(|i| format!("{{\"n\":{i}}}")).collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let tail = tail_lines(&path, 3).unwrap();
        assert_eq!(
            tail,
            vec![r#"{"n":4997}"#, r#"{"n":4998}"#, r#"{"n":4999}"#]
        );
        let many = tail_lines(&path, 4000).unwrap();
        assert_eq!(many.len(), 4000);
        assert_eq!(many[0], r#"{"n":1000}"#);
    }
}
