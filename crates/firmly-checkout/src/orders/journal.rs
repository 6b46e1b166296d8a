//! The in-flight order journal: a record written (and flushed) BEFORE a completion request
//! is sent, so an order survives a crash, a restart or a kiosk wipe and is settled
//! afterwards. It lives beside the store file (`<store>.orders.json`, owner-only: it holds
//! the device session needed to re-read the cart). Per-merchant lock files make the app and
//! the CLI, sharing one store file, complete a cart one at a time.

use std::fs::File;
use std::path::{Path, PathBuf};

use firmly_api::{ApiError, StoredSession};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::view::{PaymentKind, PendingOrderView, UnknownCause};

/// Where an in-flight order stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// The completion request is being sent (a crash here means: may have landed).
    Sending,
    /// The answer was lost; polling for evidence.
    Unknown,
    /// Still unknown after the time limit: handed to staff, who settle it with the
    /// merchant. It no longer blocks paying the cart.
    WithStaff,
}

/// How the order was paid, as the journal writes it (the names earlier builds wrote).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordPayment {
    Card,
    SavedCard,
    PayPal,
}

impl From<PaymentKind> for RecordPayment {
    fn from(k: PaymentKind) -> Self {
        match k {
            PaymentKind::Card => RecordPayment::Card,
            PaymentKind::SavedCard => RecordPayment::SavedCard,
            PaymentKind::PayPal => RecordPayment::PayPal,
        }
    }
}

impl From<RecordPayment> for PaymentKind {
    fn from(k: RecordPayment) -> Self {
        match k {
            RecordPayment::Card => PaymentKind::Card,
            RecordPayment::SavedCard => PaymentKind::SavedCard,
            RecordPayment::PayPal => PaymentKind::PayPal,
        }
    }
}

/// Why the outcome is unknown, as the journal writes it (tagged by `kind`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordCause {
    Timeout,
    ConnectionDropped,
    ServerFailed { status: u16 },
    ServerAnswered { status: u16, error_id: String },
    Interrupted,
    Other { message: String },
}

impl From<&RecordCause> for UnknownCause {
    fn from(c: &RecordCause) -> Self {
        match c.clone() {
            RecordCause::Timeout => UnknownCause::Timeout,
            RecordCause::ConnectionDropped => UnknownCause::ConnectionDropped,
            RecordCause::ServerFailed { status } => UnknownCause::ServerFailed { status },
            RecordCause::ServerAnswered { status, error_id } => {
                UnknownCause::ServerAnswered { status, error_id }
            }
            RecordCause::Interrupted => UnknownCause::Interrupted,
            RecordCause::Other { message } => UnknownCause::Other { message },
        }
    }
}

impl From<UnknownCause> for RecordCause {
    fn from(c: UnknownCause) -> Self {
        match c {
            UnknownCause::Timeout => RecordCause::Timeout,
            UnknownCause::ConnectionDropped => RecordCause::ConnectionDropped,
            UnknownCause::ServerFailed { status } => RecordCause::ServerFailed { status },
            UnknownCause::ServerAnswered { status, error_id } => {
                RecordCause::ServerAnswered { status, error_id }
            }
            UnknownCause::Interrupted => RecordCause::Interrupted,
            UnknownCause::Other { message } => RecordCause::Other { message },
        }
    }
}

/// One order whose outcome is not settled yet. Holds no card data.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct InFlightRecord {
    pub id: String,
    pub domain: String,
    pub cart_id: Option<String>,
    /// The API the order went to (settled only against the same API).
    pub api_base: String,
    /// The device session that owns the cart (a kiosk wipe replaces the app's session;
    /// this one stays to settle the order).
    pub session: StoredSession,
    pub payment: RecordPayment,
    /// RFC 3339.
    pub started_at: String,
    pub state: RecordState,
    /// Why the outcome is unknown. Journals written before it was structured hold an
    /// English `reason` text, read here as [`RecordCause::Other`].
    #[serde(default, alias = "reason", deserialize_with = "cause_or_text")]
    pub cause: Option<RecordCause>,
    #[serde(default)]
    pub checks: u32,
    #[serde(default)]
    pub last_checked_at: Option<String>,
}

impl std::fmt::Debug for InFlightRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InFlightRecord")
            .field("id", &self.id)
            .field("domain", &self.domain)
            .field("cart_id", &self.cart_id)
            .field("session", &self.session)
            .field("payment", &self.payment)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl InFlightRecord {
    pub fn view(&self, checking: bool) -> PendingOrderView {
        PendingOrderView {
            id: self.id.clone(),
            domain: self.domain.clone(),
            cart_id: self.cart_id.clone(),
            payment: self.payment.into(),
            started_at: self.started_at.clone(),
            checks: self.checks,
            last_checked_at: self.last_checked_at.clone(),
            checking,
            cause: self.cause.as_ref().map(UnknownCause::from),
            with_staff: self.with_staff(),
        }
    }

    /// Handed to staff: it no longer blocks paying the cart.
    pub fn with_staff(&self) -> bool {
        self.state == RecordState::WithStaff
    }

    /// How long ago the completion was sent (zero for a time this build cannot read).
    pub fn age(&self, now: chrono::DateTime<chrono::Utc>) -> std::time::Duration {
        chrono::DateTime::parse_from_rfc3339(&self.started_at)
            .ok()
            .and_then(|t| (now - t.with_timezone(&chrono::Utc)).to_std().ok())
            .unwrap_or_default()
    }
}

/// A record's cause as written now (tagged), or the English text of an older journal. A
/// cause this build cannot read (a newer one's) is dropped, never the record: the order
/// must still be settled.
fn cause_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<RecordCause>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Cause(RecordCause),
        Text(String),
        Unreadable(serde::de::IgnoredAny),
    }
    Ok(match Option::<Written>::deserialize(d)? {
        Some(Written::Cause(c)) => Some(c),
        Some(Written::Text(t)) if !t.trim().is_empty() => Some(RecordCause::Other { message: t }),
        _ => None,
    })
}

#[derive(Default, Serialize, Deserialize)]
struct JournalFile {
    #[serde(default)]
    records: Vec<InFlightRecord>,
}

/// Holds a merchant's cross-process completion lock until dropped.
pub struct DomainLock {
    _file: Option<File>,
}

/// The journal: a file (shared with other processes) or memory (tests, tools).
pub struct OrderJournal {
    path: Option<PathBuf>,
    /// In-memory copy (memory mode) and the serializer for this process's writes.
    mem: Mutex<Vec<InFlightRecord>>,
}

impl OrderJournal {
    /// A journal kept in memory only: no crash safety, no cross-process guard.
    pub fn in_memory() -> OrderJournal {
        OrderJournal {
            path: None,
            mem: Mutex::new(Vec::new()),
        }
    }

    /// The journal beside a store file: `desk.json` → `desk.orders.json`.
    pub fn beside(store_file: &Path) -> OrderJournal {
        let stem = store_file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "firmly-desk".into());
        OrderJournal {
            path: Some(store_file.with_file_name(format!("{stem}.orders.json"))),
            mem: Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock_file(&self, name: &str) -> Result<Option<File>, ApiError> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let lock_path = path.with_file_name(format!(
            "{}.{name}.lock",
            path.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        if let Some(dir) = lock_path.parent() {
            crate::storage::create_private_dir(dir)
                .map_err(|e| ApiError::internal(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut opts = File::options();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        opts.open(&lock_path)
            .map(Some)
            .map_err(|e| ApiError::internal(format!("cannot open {}: {e}", lock_path.display())))
    }

    /// Claims the right to complete `domain`'s cart across processes (another desk or the
    /// CLI on the same store holds it while it completes).
    pub fn lock_domain(&self, domain: &str) -> Result<DomainLock, ApiError> {
        let file = self.lock_file(domain)?;
        if let Some(f) = &file {
            match f.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(ApiError::new(
                        firmly_api::ErrorCode::OrderInProgress,
                        "Another window or the command line is placing an order for this cart. Wait for it to finish.",
                    ))
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(ApiError::internal(format!("cannot lock the order journal: {e}")))
                }
            }
        }
        Ok(DomainLock { _file: file })
    }

    /// Runs a read-modify-write of the records under the journal's file lock.
    fn update<T>(&self, f: impl FnOnce(&mut Vec<InFlightRecord>) -> T) -> Result<T, ApiError> {
        let mut mem = self.mem.lock();
        let Some(path) = &self.path else {
            return Ok(f(&mut mem));
        };
        let lock = self.lock_file("journal")?;
        if let Some(l) = &lock {
            l.lock()
                .map_err(|e| ApiError::internal(format!("cannot lock the order journal: {e}")))?;
        }
        let mut file: JournalFile = match std::fs::read(path) {
            Ok(bytes) if !bytes.is_empty() => serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::internal(format!(
                    "the order journal {} is unreadable ({e}); move it aside to continue",
                    path.display()
                ))
            })?,
            Ok(_) => JournalFile::default(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => JournalFile::default(),
            Err(e) => {
                return Err(ApiError::internal(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        let before = serde_json::to_vec(&file.records).unwrap_or_default();
        let out = f(&mut file.records);
        let after = serde_json::to_vec(&file.records).unwrap_or_default();
        if before != after {
            let bytes = serde_json::to_vec_pretty(&file)
                .map_err(|e| ApiError::internal(format!("cannot encode the journal: {e}")))?;
            crate::storage::write_private_file(path, &bytes)
                .map_err(|e| ApiError::internal(format!("cannot write {}: {e}", path.display())))?;
        }
        *mem = file.records;
        Ok(out)
    }

    /// Every unsettled record (re-read from disk).
    pub fn records(&self) -> Result<Vec<InFlightRecord>, ApiError> {
        self.update(|r| r.clone())
    }

    /// The records as last seen by this process (no disk access).
    pub fn cached(&self) -> Vec<InFlightRecord> {
        self.mem.lock().clone()
    }

    /// Writes the record durably before the completion is sent.
    pub fn begin(&self, record: InFlightRecord) -> Result<(), ApiError> {
        self.update(|r| {
            r.retain(|x| x.id != record.id);
            r.push(record);
        })
    }

    /// Updates one record in place.
    pub fn modify(&self, id: &str, f: impl FnOnce(&mut InFlightRecord)) -> Result<(), ApiError> {
        self.update(|r| {
            if let Some(x) = r.iter_mut().find(|x| x.id == id) {
                f(x);
            }
        })
    }

    /// The order settled (placed, or provably not placed): forget the record.
    pub fn settle(&self, id: &str) -> Result<(), ApiError> {
        self.update(|r| r.retain(|x| x.id != id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, domain: &str) -> InFlightRecord {
        InFlightRecord {
            id: id.into(),
            domain: domain.into(),
            cart_id: Some("c1".into()),
            api_base: "http://127.0.0.1:1/".into(),
            session: StoredSession {
                access_token: "t".into(),
                expires: 1,
                device_id: "d".into(),
            },
            payment: RecordPayment::Card,
            started_at: "2026-11-30T00:00:00Z".into(),
            state: RecordState::Sending,
            cause: None,
            checks: 0,
            last_checked_at: None,
        }
    }

    #[test]
    fn records_survive_a_restart_and_settle() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("desk.json");
        let j = OrderJournal::beside(&store);
        j.begin(record("a", "x.test")).unwrap();
        j.begin(record("b", "y.test")).unwrap();
        // A new process reads what the first one wrote.
        let again = OrderJournal::beside(&store);
        assert_eq!(again.records().unwrap().len(), 2);
        again
            .modify("a", |r| {
                r.state = RecordState::Unknown;
                r.checks = 3
            })
            .unwrap();
        again.settle("b").unwrap();
        let left = j.records().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(
            (left[0].state.clone(), left[0].checks),
            (RecordState::Unknown, 3)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(j.path().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_cause_is_kept_as_written_and_an_older_journals_text_still_reads() {
        let cause = RecordCause::ServerAnswered {
            status: 409,
            error_id: "ErrorConflict".into(),
        };
        let mut r = record("a", "x.test");
        r.cause = Some(cause.clone());
        let text = serde_json::to_string(&r).unwrap();
        assert!(
            text.contains(r#""cause":{"kind":"server_answered","status":409"#),
            "{text}"
        );
        let back: InFlightRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back.cause, Some(cause));
        // Journals written before the cause was structured hold an English `reason`.
        let mut old = serde_json::to_value(record("b", "y.test")).unwrap();
        old.as_object_mut().unwrap().remove("cause");
        let read = |reason: Option<&str>| {
            let mut v = old.clone();
            if let Some(text) = reason {
                v["reason"] = serde_json::json!(text);
            }
            serde_json::from_value::<InFlightRecord>(v).unwrap().cause
        };
        assert_eq!(
            read(Some("The merchant did not answer in time.")),
            Some(RecordCause::Other {
                message: "The merchant did not answer in time.".into()
            })
        );
        assert_eq!(read(Some("")), None);
        assert_eq!(read(None), None, "no reason at all");
        // A cause of a newer build is dropped; the record, which settles an order, is kept.
        let mut newer = old.clone();
        newer["cause"] = serde_json::json!({"kind": "from_the_future", "detail": 1});
        let rec: InFlightRecord = serde_json::from_value(newer).unwrap();
        assert_eq!((rec.id.as_str(), rec.cause), ("b", None));
    }

    #[test]
    fn one_process_at_a_time_completes_a_merchant() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("desk.json");
        let app = OrderJournal::beside(&store);
        let cli = OrderJournal::beside(&store);
        let held = app.lock_domain("x.test").unwrap();
        let refused = cli.lock_domain("x.test").err().unwrap();
        assert_eq!(refused.code, firmly_api::ErrorCode::OrderInProgress);
        assert!(
            cli.lock_domain("y.test").is_ok(),
            "other merchants are independent"
        );
        drop(held);
        assert!(cli.lock_domain("x.test").is_ok());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let mut r = record("a", "x.test");
        r.session.access_token = "secret-token-value".into();
        assert!(!format!("{r:?}").contains("secret-token-value"));
    }
}
