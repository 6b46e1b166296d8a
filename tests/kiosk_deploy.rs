//! The kiosk deployment example in docs/kiosk/ (README "Kiosk setup"): the systemd user
//! unit and the autostart entry start the packaged binary in kiosk mode with the fleet
//! policy, and the example policy is one the app accepts and applies.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use firmly_checkout::launch::{LaunchConfig, Policy, DEFAULT_POLICY_FILE};
use firmly_checkout::{Mode, Settings};

fn kiosk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join("kiosk")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(kiosk_dir().join(name))
        .unwrap_or_else(|e| panic!("docs/kiosk/{name}: {e}"))
}

/// `KEY=VALUE` pairs of a unit's `Environment=` lines and its `ExecStart`.
fn unit_parts(unit: &str) -> (HashMap<String, String>, String) {
    let mut env = HashMap::new();
    let mut exec = String::new();
    for line in unit.lines().map(str::trim) {
        if let Some(kv) = line.strip_prefix("Environment=") {
            let (k, v) = kv.split_once('=').expect("KEY=VALUE");
            env.insert(k.to_string(), v.to_string());
        } else if let Some(e) = line.strip_prefix("ExecStart=") {
            exec = e.to_string();
        }
    }
    (env, exec)
}

/// The launch the unit's environment gives, with the policy path pointed at the example.
fn launch_with(env: &HashMap<String, String>) -> LaunchConfig {
    let policy = kiosk_dir().join("policy.example.json");
    LaunchConfig::resolve(
        |k| match k {
            "FIRMLY_DESK_POLICY" => Some(policy.display().to_string()),
            _ => env.get(k).cloned(),
        },
        &Settings::default(),
    )
    .expect("the example policy is accepted")
}

#[test]
fn the_systemd_unit_starts_the_packaged_binary_in_kiosk_mode_with_the_policy() {
    let unit = read("firmly-desk-kiosk.service");
    let (env, exec) = unit_parts(&unit);
    // The path the .deb installs (checked by .ci/check-packages.sh).
    assert_eq!(exec, "/usr/bin/firmly-desk");
    assert_eq!(
        env.get("FIRMLY_DESK_MODE").map(String::as_str),
        Some("kiosk")
    );
    assert_eq!(
        env.get("FIRMLY_DESK_POLICY").map(String::as_str),
        Some(DEFAULT_POLICY_FILE)
    );
    assert!(
        unit.contains("Restart=always"),
        "a kiosk comes back after a crash"
    );
    assert!(unit.contains("WantedBy=graphical-session.target"));
    // No core dumps, owner-only files (issue #25; the app does both itself as well).
    let lines: Vec<&str> = unit.lines().map(str::trim).collect();
    assert!(lines.contains(&"LimitCORE=0"), "a kiosk dumps no core");
    assert!(
        lines.contains(&"UMask=0077"),
        "a kiosk writes owner-only files"
    );
    let launch = launch_with(&env);
    assert_eq!(launch.mode, Mode::Kiosk);
    // systemd's own check of the unit, with ExecStart pointed at the binary built here.
    if let Ok(probe) = Command::new("systemd-analyze").arg("--version").output() {
        if probe.status.success() {
            let dir = tempfile::tempdir().unwrap();
            let copy = dir.path().join("firmly-desk-kiosk.service");
            std::fs::write(
                &copy,
                unit.replace("/usr/bin/firmly-desk", env!("CARGO_BIN_EXE_firmly-desk")),
            )
            .unwrap();
            let out = Command::new("systemd-analyze")
                .arg("verify")
                .arg(&copy)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "systemd-analyze verify: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn the_autostart_entry_starts_the_same_kiosk() {
    let entry = read("firmly-desk-kiosk.desktop");
    let exec = entry
        .lines()
        .find_map(|l| l.strip_prefix("Exec="))
        .expect("an Exec line");
    let words: Vec<&str> = exec.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"env"));
    assert_eq!(words.last(), Some(&"/usr/bin/firmly-desk"));
    let env: HashMap<String, String> = words[1..words.len() - 1]
        .iter()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("KEY=VALUE");
            (k.to_string(), v.to_string())
        })
        .collect();
    assert_eq!(
        env.get("FIRMLY_DESK_MODE").map(String::as_str),
        Some("kiosk")
    );
    assert_eq!(
        env.get("FIRMLY_DESK_POLICY").map(String::as_str),
        Some(DEFAULT_POLICY_FILE)
    );
    assert_eq!(launch_with(&env).mode, Mode::Kiosk);
    if Command::new("desktop-file-validate")
        .arg("--help")
        .output()
        .is_ok()
    {
        let out = Command::new("desktop-file-validate")
            .arg(kiosk_dir().join("firmly-desk-kiosk.desktop"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn the_example_policy_sets_and_locks_what_a_fleet_needs() {
    let policy = Policy::read(&kiosk_dir().join("policy.example.json")).unwrap();
    assert_eq!(policy.mode.as_deref(), Some("kiosk"));
    assert!(policy.locked.contains(&firmly_checkout::Lock::All));
    let live = policy.live.clone().expect("live settings");
    assert!(live.api_base.starts_with("https://") && live.vault_base.starts_with("https://"));
    // Its values win over the environment: a unit that asked for demo mode and English
    // still gets the policy's kiosk in Spanish.
    let env: HashMap<String, String> = [
        ("FIRMLY_DESK_MODE", "demo"),
        ("FIRMLY_DESK_LANG", "en"),
        ("FIRMLY_DESK_IDLE_SECONDS", "600"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let launch = launch_with(&env);
    assert_eq!(launch.mode, Mode::Kiosk);
    assert_eq!(launch.language, firmly_checkout::Language::Es);
    assert_eq!(launch.idle_seconds, 90);
    assert_eq!(launch.merchants, ["staging.luma.gift", "homegoods.test"]);
    let target = launch.live.expect("live mode");
    assert_eq!(target.app_id, "YOUR-FIRMLY-APP-ID");
}
