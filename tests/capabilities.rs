//! Every command registered with tauri-specta has a generated permission (build.rs) and
//! is granted to the `main` window only; no other capability file exists, so the PayPal
//! popup cannot invoke anything (ARCHITECTURE.md contract 7).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn registered_commands() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(root().join("src-tauri/lib.rs")).unwrap();
    let start = lib.find("collect_commands![").unwrap();
    let end = lib[start..].find(']').unwrap() + start;
    lib[start..end]
        .split("commands::")
        .skip(1)
        .map(|s| {
            s.trim_end_matches(|c: char| c == ',' || c.is_whitespace())
                .to_string()
        })
        .collect()
}

#[test]
fn build_script_generates_a_permission_for_every_command() {
    let build = std::fs::read_to_string(root().join("src-tauri/build.rs")).unwrap();
    let listed: BTreeSet<String> = build
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .strip_suffix("\",")
                .map(String::from)
        })
        .collect();
    assert_eq!(listed, registered_commands());
}

#[test]
fn only_the_main_window_may_invoke_commands() {
    let dir = root().join("src-tauri/capabilities");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1, "one capability file (main.json)");
    let cap: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("main.json")).unwrap()).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let perms: BTreeSet<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str().map(String::from))
        .collect();
    for c in registered_commands() {
        let p = format!("allow-{}", c.replace('_', "-"));
        assert!(perms.contains(&p), "main.json lacks {p}");
    }
    // No shell, file-system, opener or webview-creation rights for the UI.
    for p in &perms {
        assert!(
            !p.starts_with("shell:")
                && !p.starts_with("fs:")
                && !p.starts_with("opener:")
                && !p.contains("webview:allow-create"),
            "unexpected permission {p}"
        );
    }
}

#[test]
fn csp_allows_no_remote_scripts() {
    let conf: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("tauri.conf.json")).unwrap()).unwrap();
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    // Images: the app's own, merchants' https images, the local sandbox; no data: URIs.
    assert_eq!(csp["img-src"], "'self' https: http://127.0.0.1:*");
    // No dialog, log or other plugin commands for the webview either.
    let cap: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("src-tauri/capabilities/main.json")).unwrap(),
    )
    .unwrap();
    for p in cap["permissions"].as_array().unwrap() {
        let p = p.as_str().unwrap();
        assert!(
            !p.starts_with("dialog:") && !p.starts_with("log:"),
            "unexpected permission {p}"
        );
    }
}
