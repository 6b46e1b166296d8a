//! Regenerates `fixtures/` from the scraped Firmly docs:
//!
//! ```text
//! cargo run -p firmly-docreplay --example vendor_fixtures -- <seeds-dir> [<out-dir>]
//! ```
//!
//! `<out-dir>` defaults to this crate's `fixtures/`; every `*.json` in it is replaced. Each
//! sample is written verbatim (valid ones as the `sample` value, byte for byte as in the
//! docs; invalid ones as the string `invalid_text` with `why`).

use firmly_docreplay::classify::{classify, Classified};
use firmly_docreplay::extract::samples;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(seeds) = args.next().map(PathBuf::from) else {
        eprintln!("usage: vendor_fixtures <seeds-dir> [<out-dir>]");
        std::process::exit(2);
    };
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(firmly_docreplay::fixtures_dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", seeds.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.txt docs in {}", seeds.display());

    let mut all: Vec<Classified> = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).expect("docs file is UTF-8 text");
        all.extend(samples(&name, &text).into_iter().map(classify));
    }

    std::fs::create_dir_all(&out).expect("create fixtures dir");
    for e in std::fs::read_dir(&out)
        .expect("read fixtures dir")
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "json") {
            std::fs::remove_file(e.path()).expect("remove old fixture");
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for c in &all {
        assert!(
            names.insert(c.file_name.clone()),
            "duplicate fixture name {}",
            c.file_name
        );
        std::fs::write(out.join(&c.file_name), render(c)).expect("write fixture");
    }
    let invalid = all.iter().filter(|c| c.why.is_some()).count();
    for c in &all {
        println!(
            "{:<8} {:<24} {}{}",
            c.role,
            c.kind,
            c.file_name,
            c.why
                .as_deref()
                .map(|w| format!("  INVALID: {w}"))
                .unwrap_or_default()
        );
    }
    println!(
        "wrote {} fixtures ({} valid, {invalid} invalid) to {}",
        all.len(),
        all.len() - invalid,
        out.display()
    );
}

fn s(v: &str) -> String {
    serde_json::to_string(v).unwrap()
}

/// The fixture file. Written by hand so `sample` keeps the docs' exact text (number
/// formatting such as `54.00`, key order, indentation).
fn render(c: &Classified) -> String {
    let f = &c.found;
    let mut out = String::from("{\n");
    out.push_str(&format!(
        "  \"source\": {{\"file\": {}, \"line\": {}, \"origin\": {}}},\n",
        s(&f.file),
        f.line,
        s(f.origin.as_str())
    ));
    out.push_str(&format!("  \"title\": {},\n", s(&c.title)));
    if let Some(ep) = &f.endpoint {
        out.push_str(&format!("  \"endpoint\": {},\n", s(ep)));
    }
    if let Some(r) = &f.request_line {
        out.push_str(&format!("  \"request_line\": {},\n", s(r)));
    }
    out.push_str(&format!("  \"role\": {},\n", s(c.role)));
    out.push_str(&format!("  \"kind\": {},\n", s(&c.kind)));
    match &c.why {
        None => {
            out.push_str("  \"sample\": ");
            out.push_str(&f.text);
            out.push('\n');
        }
        Some(why) => {
            out.push_str(&format!("  \"why\": {},\n", s(why)));
            out.push_str(&format!("  \"invalid_text\": {}\n", s(&f.text)));
        }
    }
    out.push_str("}\n");
    // The file must itself be JSON whose `sample` equals the docs' sample.
    let check: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{} renders invalid JSON: {e}", c.file_name));
    if c.why.is_none() {
        let want: serde_json::Value = serde_json::from_str(&f.text).unwrap();
        assert_eq!(check["sample"], want, "{}", c.file_name);
    }
    out
}
