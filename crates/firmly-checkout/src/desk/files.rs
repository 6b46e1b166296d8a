//! The desk's files for people: receipts, support snapshots and the audit log saved where
//! the agent chooses (a save dialog) or in the data dir's `saved/`, never silently into a
//! home folder; and the diagnostics support pastes into a ticket. All refused on a kiosk.

use std::path::{Path, PathBuf};

use std::io::Write;
use std::time::Duration;

use firmly_api::{ApiError, ErrorCode};

use super::{Desk, FileChooser};
use crate::view::*;

impl Desk {
    /// Where the rotating log files are written (`<data dir>/logs`).
    pub fn log_dir(&self) -> Option<PathBuf> {
        self.files.data_dir.as_ref().map(|d| d.join("logs"))
    }

    /// Version, mode, target, device, the latest failed requests and the log's tail, for
    /// "Copy diagnostics" in the support drawer. Refused on a kiosk.
    pub async fn diagnostics(&self, platform: &str) -> Result<DiagnosticsView, ApiError> {
        let svc = self.service();
        svc.refuse_on_kiosk("Diagnostics")?;
        let info = svc.app_info().await?;
        let recent_errors: Vec<RequestLogView> = svc
            .request_log()?
            .into_iter()
            .rev()
            .filter(|e| e.status.is_none_or(|s| s >= 400))
            .take(20)
            .collect();
        let log_tail = self
            .log_dir()
            .map(|d| log_tail(&d, 100))
            .unwrap_or_default();
        let mut text = format!(
            "Firmly Desk {}\nplatform: {platform}\nmode: {}\nenvironment: {:?} ({})\ndevice: {}\n\nlast errors:\n",
            info.version,
            info.mode.as_str(),
            info.environment,
            info.api_base,
            info.device_id.clone().unwrap_or_else(|| "none".into()),
        );
        for e in &recent_errors {
            text.push_str(&format!(
                "  {} {} {} {} {}\n",
                e.at,
                e.method,
                e.path,
                e.status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "no answer".into()),
                e.request_id.clone().unwrap_or_default()
            ));
        }
        text.push_str("\nlog:\n");
        for l in &log_tail {
            text.push_str(l);
            text.push('\n');
        }
        Ok(DiagnosticsView {
            version: info.version,
            platform: platform.to_string(),
            mode: info.mode,
            environment: info.environment,
            api_base: info.api_base,
            device_id: info.device_id,
            recent_errors,
            log_tail,
            text,
        })
    }

    /// The newest audit entries (support drawer); refused on a kiosk.
    pub fn audit_entries(&self, limit: u32) -> Result<Vec<crate::audit::AuditEntry>, ApiError> {
        self.service().refuse_on_kiosk("The audit log")?;
        Ok(self.audit.entries(limit as usize))
    }

    /// Saves a copy of the audit log where the agent chooses, or in the data dir.
    pub async fn export_audit(
        &self,
        chooser: &dyn FileChooser,
        choose: bool,
    ) -> Result<Option<String>, ApiError> {
        self.service().refuse_on_kiosk("Exporting the audit log")?;
        let name = format!("firmly-audit-{}.jsonl", stamp());
        let text = self.audit.export_text();
        self.save_to(chooser, &name, text.as_bytes(), choose).await
    }

    /// Saves a receipt as a text file; refused on a kiosk (no files on a shared machine).
    pub async fn save_receipt(
        &self,
        chooser: &dyn FileChooser,
        order: &OrderView,
        words: &crate::receipt::ReceiptWords,
        choose: bool,
    ) -> Result<Option<String>, ApiError> {
        self.service().refuse_on_kiosk("Saving receipt files")?;
        let text = crate::receipt::receipt_text(order, words);
        let name = crate::receipt::receipt_file_name(order);
        self.save_to(chooser, &name, text.as_bytes(), choose).await
    }

    /// Prints a receipt on the policy's printer through the OS print system, with no
    /// dialog and no file: `lp -d PRINTER -t TITLE`, the receipt's text on its input.
    /// Refused where no printer is configured.
    pub async fn print_receipt(
        &self,
        order: &OrderView,
        words: &crate::receipt::ReceiptWords,
    ) -> Result<(), ApiError> {
        let kiosk = &self.launch.kiosk;
        let Some(printer) = kiosk.printer.clone() else {
            return Err(ApiError::new(
                ErrorCode::PrintFailed,
                "No printer is configured for this desk.",
            ));
        };
        let text = crate::receipt::receipt_text(order, words);
        let title: String = format!("Receipt {}", order.order_number)
            .chars()
            .filter(|c| !c.is_control())
            .take(80)
            .collect();
        let command = kiosk.print_command.clone();
        let outcome = tokio::time::timeout(
            PRINT_TIMEOUT,
            tokio::task::spawn_blocking(move || run_print(&command, &printer, &title, &text)),
        )
        .await;
        let result = match outcome {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(format!("the print task failed: {e}")),
            Err(_) => Err("the print system did not answer".into()),
        };
        self.service().audit(
            Some(&order.domain),
            "print_receipt",
            if result.is_ok() { "ok" } else { "failed" },
        );
        result.map_err(|why| {
            tracing::warn!(%why, "a receipt could not be printed");
            let mut e = ApiError::new(
                ErrorCode::PrintFailed,
                format!("The receipt could not be printed: {why}"),
            );
            e.retryable = true;
            e
        })
    }

    /// Exports a support snapshot (optionally without personal data) where the agent
    /// chooses, or in the data dir; never silently into a home folder.
    pub async fn export_snapshot(
        &self,
        chooser: &dyn FileChooser,
        redact: bool,
        choose: bool,
    ) -> Result<Option<String>, ApiError> {
        let text = self.service().export_snapshot(redact).await?;
        let name = format!("firmly-snapshot-{}.json", stamp());
        self.save_to(chooser, &name, text.as_bytes(), choose).await
    }

    /// `Some(path)` where the file went; `None` when the person cancelled the dialog.
    async fn save_to(
        &self,
        chooser: &dyn FileChooser,
        name: &str,
        bytes: &[u8],
        choose: bool,
    ) -> Result<Option<String>, ApiError> {
        if !choose {
            return self.save_file(None, name, bytes).map(Some);
        }
        let Some(path) = chooser.choose_save_path(name).await else {
            return Ok(None);
        };
        crate::storage::write_private_file(&path, bytes)
            .map_err(|e| ApiError::internal(format!("cannot save {}: {e}", path.display())))?;
        Ok(Some(path.display().to_string()))
    }

    /// Writes a user-facing file (owner-only) into `dir`, else the data dir's `saved/`;
    /// never silently into a home folder. Returns where it went.
    pub fn save_file(
        &self,
        dir: Option<&Path>,
        name: &str,
        bytes: &[u8],
    ) -> Result<String, ApiError> {
        let safe: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if safe.is_empty() || safe.starts_with('.') {
            return Err(ApiError::validation("That file name cannot be used."));
        }
        let base = match dir {
            Some(d) => d.to_path_buf(),
            None => self
                .files
                .data_dir
                .clone()
                .ok_or_else(|| ApiError::internal("no data folder to save into"))?
                .join("saved"),
        };
        let path = base.join(&safe);
        crate::storage::write_private_file(&path, bytes)
            .map_err(|e| ApiError::internal(format!("cannot save {}: {e}", path.display())))?;
        Ok(path.display().to_string())
    }
}

/// Longest a print job may take to be handed to the OS.
const PRINT_TIMEOUT: Duration = Duration::from_secs(15);

/// Runs the print command with the text on its input; the printer and the title are
/// arguments, never a shell line.
fn run_print(command: &str, printer: &str, title: &str, text: &str) -> Result<(), String> {
    let mut child = std::process::Command::new(command)
        .args(["-d", printer, "-t", title])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot send the receipt to `{command}`: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("`{command}` failed: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let why: String = String::from_utf8_lossy(&out.stderr)
            .chars()
            .take(200)
            .collect();
        Err(format!(
            "`{command}` answered {}: {}",
            out.status,
            why.trim()
        ))
    }
}

/// A file-name-safe UTC timestamp.
fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string()
}

/// The last `lines` lines of the newest `*.log` file in `dir`.
fn log_tail(dir: &Path, lines: usize) -> Vec<String> {
    let newest = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "log"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    let Some(file) = newest else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(file.path()).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..]
        .iter()
        .map(|l| l.to_string())
        .collect()
}
