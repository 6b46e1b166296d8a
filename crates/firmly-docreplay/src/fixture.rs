//! The vendored fixtures: loading and the typed view of one fixture file.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::path::PathBuf;

/// What a sample illustrates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A success response body of an endpoint.
    Response,
    /// A request body.
    Request,
    /// An error envelope.
    Error,
    /// A value shown for illustration (schema examples, JWE header, card plaintext, …).
    Other,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Response => "response",
            Role::Request => "request",
            Role::Error => "error",
            Role::Other => "other",
        }
    }
}

/// A docs sample that is not valid JSON, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSample {
    /// The sample exactly as in the docs.
    pub text: String,
    /// What is wrong with it.
    pub why: String,
}

/// One vendored docs sample.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// File name under [`fixtures_dir`], e.g. `002-L1588-add-line-item-v2-response.json`.
    pub name: String,
    /// Docs file the sample comes from, e.g. `002_<16 hex digits>.txt` (a page of the Firmly docs; the fixtures name their source page and line).
    pub file: String,
    /// 1-based line: the opening fence, or the first line of a curl body / unfenced JSON.
    pub line: usize,
    /// `json`, `javascript` (fence), `curl` (a curl's data) or `unfenced`.
    pub origin: String,
    /// Endpoint / section it illustrates.
    pub title: String,
    /// `METHOD /path` of the page or curl the sample belongs to, when the docs name one.
    pub endpoint: Option<String>,
    pub role: Role,
    /// Model kind (`cart`, `order`, `availability`, `consents`, `product`, …).
    pub kind: String,
    /// The parsed sample, or the verbatim text and defect of an invalid one.
    pub sample: Result<Value, InvalidSample>,
    /// The sample's exact text (also for valid samples: numbers such as `54.00` as written).
    pub text: String,
}

impl Fixture {
    /// `file:line` for messages.
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    pub fn is_valid(&self) -> bool {
        self.sample.is_ok()
    }
}

#[derive(Deserialize)]
struct Source {
    file: String,
    line: usize,
    #[serde(default)]
    origin: String,
}

#[derive(Deserialize)]
struct FileForm<'a> {
    source: Source,
    title: String,
    #[serde(default)]
    endpoint: Option<String>,
    role: Role,
    kind: String,
    #[serde(borrow, default)]
    sample: Option<&'a RawValue>,
    #[serde(default)]
    invalid_text: Option<String>,
    #[serde(default)]
    why: Option<String>,
}

/// `crates/firmly-docreplay/fixtures` (found through this crate's manifest dir).
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn parse(name: &str, text: &str) -> Fixture {
    let f: FileForm = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("fixture {name} is not a fixture file: {e}"));
    let (sample, text) = match (f.sample, f.invalid_text) {
        (Some(raw), None) => {
            let v: Value = serde_json::from_str(raw.get())
                .unwrap_or_else(|e| panic!("fixture {name}: sample: {e}"));
            (Ok(v), raw.get().to_string())
        }
        (None, Some(text)) => {
            let why = f
                .why
                .unwrap_or_else(|| panic!("fixture {name}: invalid_text without why"));
            (
                Err(InvalidSample {
                    text: text.clone(),
                    why,
                }),
                text,
            )
        }
        _ => panic!("fixture {name}: needs exactly one of sample / invalid_text"),
    };
    Fixture {
        name: name.to_string(),
        file: f.source.file,
        line: f.source.line,
        origin: f.source.origin,
        title: f.title,
        endpoint: f.endpoint,
        role: f.role,
        kind: f.kind,
        sample,
        text,
    }
}

/// Every vendored fixture, sorted by docs file and line.
///
/// # Panics
/// When the fixtures directory is missing, holds no fixture, or a file is malformed: a
/// contract test must fail, never skip, without its fixtures.
pub fn fixtures() -> Vec<Fixture> {
    let dir = fixtures_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "firmly-docreplay fixtures directory {} is missing ({e}); regenerate it with \
             `cargo run -p firmly-docreplay --example vendor_fixtures -- <seeds-dir>`",
            dir.display()
        )
    });
    let mut out: Vec<Fixture> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", p.display()));
            parse(&name, &text)
        })
        .collect();
    assert!(
        !out.is_empty(),
        "firmly-docreplay fixtures directory {} holds no fixture",
        dir.display()
    );
    out.sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
    out
}

/// One fixture by file name.
///
/// # Panics
/// When it does not exist (see [`fixtures`]).
pub fn fixture(name: &str) -> Fixture {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {} is missing: {e}", path.display()));
    parse(name, &text)
}
