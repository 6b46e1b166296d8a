//! Accessibility, measured: axe-core (ui/'s npm devDependency, never fetched at run time) run
//! in the real window on whatever the app shows.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{repo_root, slug, App};

/// axe-core's browser build: `ui/node_modules/axe-core/axe.min.js` (installed by `npm ci`
/// from ui/'s lock file), or the file named by `FIRMLY_AXE_JS` when that is set.
pub fn axe_js_path() -> PathBuf {
    match std::env::var_os("FIRMLY_AXE_JS") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("ui/node_modules/axe-core/axe.min.js"),
    }
}

fn axe_js() -> String {
    let path = axe_js_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core's {} ({e}): run `npm ci` in ui/ (axe-core is a devDependency), or set FIRMLY_AXE_JS",
            path.display()
        )
    })
}

/// Runs axe on the document and answers what the page's axe answered: its version and the
/// serious and critical violations, each as rule id, impact, help, help URL and the
/// offending nodes (target selectors, HTML, summary).
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done({
  version: axe.version,
  violations: r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
    })),
})).catch(e => done({ error: String(e && e.stack || e) }));
"#;

/// One line per violation and one per node, for a test's failure message.
pub fn describe_violations(violations: &[Value]) -> String {
    let mut out = String::new();
    for v in violations {
        out.push_str(&format!(
            "- {} ({}): {} — {}\n",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or_default(),
            v["helpUrl"].as_str().unwrap_or_default(),
        ));
        for n in v["nodes"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    at {} {}\n",
                n["target"],
                n["html"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(160)
                    .collect::<String>()
            ));
        }
    }
    out
}

impl App {
    /// axe-core's serious and critical violations on the current document (injected once
    /// per page).
    pub fn axe_violations(&self) -> Vec<Value> {
        let loaded = self.script("return typeof window.axe === 'object'", vec![]);
        if loaded != json!(true) {
            // The script runs as a function body: axe's UMD wrapper sets `window.axe`.
            self.script(&format!("{};\nreturn typeof window.axe", axe_js()), vec![]);
        }
        let r = self.script_async(RUN_AXE, vec![]);
        if let Some(e) = r.get("error") {
            panic!("axe-core failed to run: {e}");
        }
        r["violations"].as_array().cloned().unwrap_or_default()
    }

    /// Fails the test listing every serious or critical axe-core violation on `screen` (the
    /// name says which screen in the message and the failure screenshot).
    pub fn axe(&self, screen: &str) {
        let violations = self.axe_violations();
        if violations.is_empty() {
            return;
        }
        let shot = self
            .screenshot(&format!("failure-axe-{}", slug(screen)))
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        panic!(
            "axe-core: {} serious or critical violation(s) on {screen} (screenshot: {shot}):\n{}",
            violations.len(),
            describe_violations(&violations)
        );
    }
}
