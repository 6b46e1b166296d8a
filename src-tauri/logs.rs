//! The desk's log: every `log` record (every crate logs through `tracing`, forwarded to `log`
//! by its `log` feature) goes to `<data dir>/logs/firmly-desk.log` and to stderr — or, under
//! systemd, to the journal (`journald.rs` chooses). The file rotates at 512 KiB and the five
//! newest rotated files are kept (≤ 3 MiB in all). Nothing logged anywhere carries card data,
//! tokens or addresses.
//!
//! Written here rather than through tauri-plugin-log: the plugin brought fern, the `time`
//! crate and IPC commands the page never calls, for what is a few dozen lines
//! (docs/BENCHMARKS.md §3). The line format is the plugin's: `[date][time][target][LEVEL] text`.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The live file's name; rotated files are `firmly-desk_<UTC stamp>.log` beside it.
pub const FILE_STEM: &str = "firmly-desk";
/// The size at which the file is rotated.
pub const MAX_FILE_BYTES: u64 = 512 * 1024;
/// How many rotated files are kept.
pub const KEEP_ROTATED: usize = 5;

/// Targets whose records below `Warn` are left out (the HTTP stack's and the windowing's
/// chatter).
const QUIET_TARGETS: &[&str] = &["hyper", "hyper_util", "reqwest", "tao", "wry"];

/// A log file that rotates by size.
pub struct RotatingFile {
    dir: PathBuf,
    file: Option<File>,
    size: u64,
    max: u64,
    keep: usize,
}

impl RotatingFile {
    pub fn open(dir: &Path, max: u64, keep: usize) -> std::io::Result<RotatingFile> {
        std::fs::create_dir_all(dir)?;
        let mut rotating = RotatingFile {
            dir: dir.to_path_buf(),
            file: None,
            size: 0,
            max,
            keep,
        };
        rotating.reopen()?;
        Ok(rotating)
    }

    fn live(&self) -> PathBuf {
        self.dir.join(format!("{FILE_STEM}.log"))
    }

    fn reopen(&mut self) -> std::io::Result<()> {
        let mut options = File::options();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            // Owner-only like every file of the data dir (src-tauri/private.rs).
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(self.live())?;
        self.size = file.metadata()?.len();
        self.file = Some(file);
        Ok(())
    }

    /// Appends one line, rotating first if it would take the file over its size.
    pub fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        if self.size > 0 && self.size + line.len() as u64 > self.max {
            self.rotate()?;
        }
        let file = match &mut self.file {
            Some(f) => f,
            None => {
                self.reopen()?;
                self.file.as_mut().ok_or(std::io::ErrorKind::NotFound)?
            }
        };
        file.write_all(line.as_bytes())?;
        self.size += line.len() as u64;
        Ok(())
    }

    /// The live file becomes `firmly-desk_<stamp>.log`; the oldest beyond `keep` go. A live
    /// file that cannot be moved (removed from outside, a read-only folder entry) is started
    /// afresh instead, so the log goes on and stays bounded.
    fn rotate(&mut self) -> std::io::Result<()> {
        self.file = None;
        let stamp = chrono::Utc::now().format("%Y-%m-%d_%H-%M-%S%.6f");
        let rotated = self.dir.join(format!("{FILE_STEM}_{stamp}.log"));
        if std::fs::rename(self.live(), rotated).is_err() {
            self.reopen()?;
            if let Some(f) = &self.file {
                f.set_len(0)?;
            }
            self.size = 0;
            return Ok(());
        }
        let mut old: Vec<PathBuf> = std::fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{FILE_STEM}_")) && n.ends_with(".log"))
            })
            .collect();
        // The stamp sorts as time does.
        old.sort();
        let extra = old.len().saturating_sub(self.keep);
        for path in &old[..extra] {
            let _ = std::fs::remove_file(path);
        }
        self.reopen()
    }
}

/// The `log` logger: the file, and the console sinks (stderr or the journal).
struct DeskLog {
    level: log::LevelFilter,
    file: Option<Mutex<RotatingFile>>,
    console: Vec<Box<dyn log::Log>>,
}

/// One record as a line of the file and of stderr.
pub fn format_line(record: &log::Record, now: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{}[{}][{}] {}\n",
        now.format("[%Y-%m-%d][%H:%M:%S]"),
        record.target(),
        record.level(),
        record.args()
    )
}

/// Whether a record of `target` at `level` is kept under `max`.
fn kept(max: log::LevelFilter, target: &str, level: log::Level) -> bool {
    let quiet = QUIET_TARGETS
        .iter()
        .any(|q| target == *q || target.starts_with(&format!("{q}::")));
    level <= max && (!quiet || level <= log::Level::Warn)
}

impl log::Log for DeskLog {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        kept(self.level, metadata.target(), metadata.level())
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if let Some(file) = &self.file {
            let line = format_line(record, chrono::Utc::now());
            if let Ok(mut f) = file.lock() {
                // A full disk must not stop the app; the console still gets the record.
                let _ = f.write_line(&line);
            }
        }
        for sink in &self.console {
            sink.log(record);
        }
    }

    fn flush(&self) {
        for sink in &self.console {
            sink.flush();
        }
    }
}

/// stderr, in the file's format.
pub struct StderrLog;

impl log::Log for StderrLog {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let _ = std::io::stderr().write_all(format_line(record, chrono::Utc::now()).as_bytes());
    }

    fn flush(&self) {}
}

/// The level from `FIRMLY_LOG` (`debug`, `warn`; `info` otherwise).
fn level_from_env() -> log::LevelFilter {
    match std::env::var("FIRMLY_LOG").as_deref() {
        Ok("debug") => log::LevelFilter::Debug,
        Ok("warn") => log::LevelFilter::Warn,
        _ => log::LevelFilter::Info,
    }
}

/// Installs the desk's logger for the process (once; a second call changes nothing): the file
/// in `data_dir/logs` and `console` (stderr or the journal: `journald::console_sinks`).
pub fn init(data_dir: &Path, console: Vec<Box<dyn log::Log>>) {
    let level = level_from_env();
    let file = match RotatingFile::open(&data_dir.join("logs"), MAX_FILE_BYTES, KEEP_ROTATED) {
        Ok(f) => Some(Mutex::new(f)),
        Err(e) => {
            eprintln!("Firmly Desk cannot write its log file: {e}");
            None
        }
    };
    let logger = DeskLog {
        level,
        file,
        console,
    };
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn the_file_rotates_by_size_and_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = RotatingFile::open(dir.path(), 100, 2).unwrap();
        let line = format!("{}\n", "x".repeat(39));
        for _ in 0..2 {
            file.write_line(&line).unwrap();
        }
        assert_eq!(names(dir.path()), ["firmly-desk.log"]);
        // The third line would take it over 100 bytes: rotated first.
        file.write_line(&line).unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        for _ in 0..12 {
            file.write_line(&line).unwrap();
        }
        let all = names(dir.path());
        assert_eq!(all.len(), 3, "the live file and 2 rotated: {all:?}");
        assert!(all.iter().all(|n| n.starts_with("firmly-desk")));
        for name in &all {
            let len = std::fs::metadata(dir.path().join(name)).unwrap().len();
            assert!(len <= 100, "{name} is {len} bytes");
        }
        let live = std::fs::read_to_string(dir.path().join("firmly-desk.log")).unwrap();
        assert_eq!(live, line.repeat(live.len() / line.len()));
    }

    #[test]
    fn a_live_file_removed_from_outside_does_not_stop_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = RotatingFile::open(dir.path(), 100, 2).unwrap();
        file.write_line(&"a".repeat(60)).unwrap();
        std::fs::remove_file(dir.path().join("firmly-desk.log")).unwrap();
        // Over the size: the rotation finds no file to move and starts a new one.
        file.write_line(&format!("{}\n", "b".repeat(59))).unwrap();
        file.write_line("c\n").unwrap();
        let live = std::fs::read_to_string(dir.path().join("firmly-desk.log")).unwrap();
        assert_eq!(live, format!("{}\nc\n", "b".repeat(59)));
    }

    #[test]
    fn an_existing_file_is_appended_to_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("firmly-desk.log"), "a".repeat(90)).unwrap();
        let mut file = RotatingFile::open(dir.path(), 100, 2).unwrap();
        file.write_line("0123456789abc\n").unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("firmly-desk.log")).unwrap(),
            "0123456789abc\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn log_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut file = RotatingFile::open(dir.path(), 100, 2).unwrap();
        file.write_line("line\n").unwrap();
        let mode = std::fs::metadata(dir.path().join("firmly-desk.log"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0);
    }

    #[test]
    fn lines_have_the_plugins_format_and_chatter_is_left_out() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-06T09:05:07Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let line = format_line(
            &log::Record::builder()
                .args(format_args!("desk ready 209 ms after launch"))
                .level(log::Level::Info)
                .target("firmly_desk_lib")
                .build(),
            now,
        );
        assert_eq!(
            line,
            "[2026-12-06][09:05:07][firmly_desk_lib][INFO] desk ready 209 ms after launch\n"
        );
        let info = log::LevelFilter::Info;
        assert!(kept(info, "firmly_checkout::orders", log::Level::Info));
        assert!(!kept(info, "firmly_checkout", log::Level::Debug));
        assert!(!kept(info, "hyper_util::client", log::Level::Info));
        assert!(kept(info, "hyper_util::client", log::Level::Warn));
        assert!(kept(info, "hyperion", log::Level::Info));
        assert!(kept(
            log::LevelFilter::Debug,
            "firmly_api",
            log::Level::Debug
        ));
    }
}
