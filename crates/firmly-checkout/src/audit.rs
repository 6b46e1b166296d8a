//! The audit log of operator actions: when, mode, merchant, action, outcome. Append-only
//! JSON lines in the data dir (`audit.jsonl`, owner-only). It never holds card data, tokens
//! or addresses: callers pass only action names, merchant domains, error codes and order
//! numbers.

use std::io::Write;
use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::storage::Mode;

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
            if let Err(e) = append(path, &entry) {
                tracing::warn!(error = %e, "could not append to the audit log");
            }
        } else {
            mem.push(entry);
        }
    }

    /// The newest `limit` entries, oldest first.
    pub fn entries(&self, limit: usize) -> Vec<AuditEntry> {
        let all: Vec<AuditEntry> = match &self.path {
            None => self.mem.lock().clone(),
            Some(path) => std::fs::read_to_string(path)
                .unwrap_or_default()
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect(),
        };
        let skip = all.len().saturating_sub(limit);
        all.into_iter().skip(skip).collect()
    }

    /// The whole log as text (JSON lines), for export.
    pub fn export_text(&self) -> String {
        self.entries(usize::MAX)
            .iter()
            .filter_map(|e| serde_json::to_string(e).ok())
            .map(|l| l + "\n")
            .collect()
    }
}

fn append(path: &Path, entry: &AuditEntry) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
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
}
