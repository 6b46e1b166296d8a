//! Trying the kiosk's escapes (issue #25): real input through WebDriver actions, the app's
//! own record of what it refused (its log file, `firmly_desk_lib::lockdown`), and the X
//! server's list of top-level windows (`xwininfo`, Debian's x11-utils).

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::{json, Value};

use super::{element_ref, App};

/// WebDriver key codes (W3C WebDriver §17.4.2).
pub mod key {
    pub const CONTROL: &str = "\u{E009}";
    pub const SHIFT: &str = "\u{E008}";
    pub const ALT: &str = "\u{E00A}";
    pub const F4: &str = "\u{E034}";
    pub const F5: &str = "\u{E035}";
    pub const F11: &str = "\u{E03B}";
    pub const F12: &str = "\u{E03C}";
}

/// A top-level X window that is shown: its id and what `xwininfo` says of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct XWindow {
    pub id: u64,
    pub line: String,
}

fn xwininfo(args: &[&str]) -> String {
    let out = Command::new("xwininfo")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("xwininfo (Debian's x11-utils) {args:?}: {e}"));
    assert!(
        out.status.success(),
        "xwininfo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The root window's children that are mapped and viewable: every window a person can see
/// (a dialog, a menu, a file chooser, a second browser window), whoever made it.
pub fn shown_top_level_windows() -> BTreeSet<XWindow> {
    let tree = xwininfo(&["-root", "-children"]);
    let mut shown = BTreeSet::new();
    for line in tree.lines().map(str::trim).filter(|l| l.starts_with("0x")) {
        let hex = line.split_whitespace().next().unwrap_or_default();
        let id = u64::from_str_radix(hex.trim_start_matches("0x"), 16)
            .unwrap_or_else(|e| panic!("xwininfo window id {hex}: {e}"));
        // A window that went away between the two calls is not shown.
        let Ok(out) = Command::new("xwininfo").args(["-id", hex]).output() else {
            continue;
        };
        if String::from_utf8_lossy(&out.stdout).contains("Map State: IsViewable") {
            shown.insert(XWindow {
                id,
                line: line.to_string(),
            });
        }
    }
    shown
}

impl App {
    /// Runs W3C actions; a WebDriver error fails the test.
    pub fn actions(&self, actions: Value) {
        self.post("/actions", json!({ "actions": actions }))
            .unwrap_or_else(|e| panic!("WebDriver actions {actions}: {e}"));
        // Release whatever is still held (W3C "release actions").
        self.delete("/actions")
            .unwrap_or_else(|e| panic!("WebDriver release actions: {e}"));
    }

    /// A right click in the middle of an element (found by CSS selector).
    pub fn right_click_css(&self, css: &str) {
        let id = self.el_css(css);
        self.actions(json!([{
            "type": "pointer",
            "id": "mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "origin": element_ref(&id), "x": 0, "y": 0},
                {"type": "pointerDown", "button": 2},
                {"type": "pointerUp", "button": 2}
            ]
        }]));
    }

    /// Presses `keys` together (modifiers first) and lets them go in reverse order.
    pub fn chord(&self, keys: &[&str]) {
        let mut steps: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        steps.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.actions(json!([{"type": "key", "id": "keyboard", "actions": steps}]));
    }

    /// The app's log (tauri-plugin-log's file in the data dir), empty before it exists.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.data_path().join("logs").join("firmly-desk.log"))
            .unwrap_or_default()
    }

    /// How many log lines contain `needle`.
    pub fn log_count(&self, needle: &str) -> usize {
        self.log_text()
            .lines()
            .filter(|l| l.contains(needle))
            .count()
    }

    /// Waits until the log holds more than `before` lines with `needle`; returns the count.
    pub fn wait_log_more(&self, needle: &str, before: usize) -> usize {
        self.wait_until(&format!("a new log line with {needle:?}"), || {
            let n = self.log_count(needle);
            (n > before).then_some(n)
        })
    }

    /// The current window's URL.
    pub fn current_url(&self) -> String {
        self.get("/url")
            .unwrap_or_else(|e| panic!("current URL: {e}"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// Runs `xdotool` (Debian's xdotool): real X input, as a person's mouse and keyboard give
/// it. WebDriver's own actions go straight to the page and never pass GTK's key and
/// button handlers, where the kiosk swallows shortcuts and the context menu.
pub fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("xdotool (Debian's xdotool) {args:?}: {e}"));
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl App {
    /// The shown X window with this exact title (its id in decimal, as xdotool takes it).
    pub fn x_window(&self, title: &str) -> String {
        self.wait_until(&format!("an X window titled {title:?}"), || {
            let out = Command::new("xdotool")
                .args(["search", "--onlyvisible", "--name", &format!("^{title}$")])
                .output()
                .ok()?;
            let text = String::from_utf8_lossy(&out.stdout);
            text.lines().next().map(|l| l.trim().to_string())
        })
    }

    /// Puts the real pointer on the middle of an element of the current window (found by
    /// CSS selector) in the X window `x_window`: the webview fills its window.
    pub fn point_at(&self, x_window: &str, css: &str) {
        self.el_css(css);
        let at = self.script(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [Math.round(r.left + r.width / 2), Math.round(r.top + Math.min(r.height / 2, 20))]",
            vec![json!(css)],
        );
        let (x, y) = (at[0].to_string(), at[1].to_string());
        // No `--sync`: it waits (about 15 s) for a move that never comes when the pointer is
        // already there. The X server handles the move before the input sent after it.
        xdotool(&["mousemove", "--window", x_window, &x, &y]);
    }

    /// A person's right click on an element.
    pub fn real_right_click(&self, x_window: &str, css: &str) {
        self.point_at(x_window, css);
        xdotool(&["click", "3"]);
    }

    /// A person's key chord (xdotool names: `ctrl+p`, `F5`, `alt+F4`) into the window under
    /// the pointer (an X server without a window manager gives it the keyboard).
    pub fn real_keys(&self, x_window: &str, css: &str, chords: &[&str]) {
        self.point_at(x_window, css);
        let mut args = vec!["key", "--clearmodifiers"];
        args.extend_from_slice(chords);
        xdotool(&args);
    }
}
