//! Every command of the one list (src-tauri/command_list.rs) is registered with tauri-specta
//! and granted, through the `desk-commands` set build.rs generates from the same list, to the
//! `main` window only; no other capability file exists, so the PayPal popup cannot invoke
//! anything (ARCHITECTURE.md contract 7). Tests/ipc.rs invokes commands through the ACL.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
    // Every command, through the set build.rs makes from the one list.
    assert!(perms.contains("desk-commands"), "{perms:?}");
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
fn the_one_list_names_every_command_once() {
    let names: BTreeSet<&str> = firmly_desk_lib::COMMANDS.iter().copied().collect();
    assert_eq!(
        names.len(),
        firmly_desk_lib::COMMANDS.len(),
        "a command is listed twice"
    );
    // The bindings come from the same list: each command is in them.
    let bindings = firmly_desk_lib::bindings_typescript().unwrap();
    for name in &names {
        let camel: String = name
            .split('_')
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    w.to_string()
                } else {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                }
            })
            .collect();
        assert!(
            bindings.contains(&format!("async {camel}(")),
            "{camel} not in the bindings"
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
