//! The keyboard shortcuts a kiosk's webviews swallow (issue #25): print, reload, zoom,
//! devtools, open, save, view source, new window or tab, full screen, close and quit, history
//! navigation, and the hardware keys for the same. Everything else reaches the page: letters,
//! digits, Tab, Enter, the arrows, and the editing shortcuts (Ctrl+A/C/V/X/Z) in its inputs.
//! Alt+F4 is swallowed here too, though a window manager would take it first: the kiosk
//! session runs without one (src-tauri/instance.rs).

#[cfg(target_os = "linux")]
use gtk::gdk::{keys::constants as key, keys::Key, ModifierType};

/// Letters refused with Ctrl (and with Ctrl+Shift): print, reload, open, save, close, quit,
/// view source, new window, new tab.
#[cfg(target_os = "linux")]
const CTRL_LETTERS: &[Key] = &[
    key::p,
    key::r,
    key::o,
    key::s,
    key::w,
    key::q,
    key::u,
    key::n,
    key::t,
];

/// Letters refused with Ctrl+Shift: the inspector, its console, its element picker.
#[cfg(target_os = "linux")]
const CTRL_SHIFT_LETTERS: &[Key] = &[key::i, key::j, key::c];

/// Zoom in, out and back to 100 %.
#[cfg(target_os = "linux")]
const CTRL_ZOOM: &[Key] = &[
    key::plus,
    key::equal,
    key::minus,
    key::underscore,
    key::_0,
    key::KP_Add,
    key::KP_Subtract,
    key::KP_0,
    key::KP_Insert,
];

/// Refused whatever the modifiers: reload, full screen, devtools, and the hardware keys.
#[cfg(target_os = "linux")]
const ALWAYS: &[Key] = &[
    key::F5,
    key::F11,
    key::F12,
    key::Print,
    key::Back,
    key::Forward,
    key::Refresh,
    key::Reload,
    key::ZoomIn,
    key::ZoomOut,
    key::HomePage,
];

/// History back and forward, home.
#[cfg(target_os = "linux")]
const ALT_KEYS: &[Key] = &[
    key::Left,
    key::Right,
    key::Home,
    key::KP_Left,
    key::KP_Right,
    key::F4,
];

/// The shortcut's name (for the log) when a kiosk must swallow this key press.
#[cfg(target_os = "linux")]
pub fn refused_shortcut(keyval: Key, state: ModifierType) -> Option<String> {
    let ctrl = state.contains(ModifierType::CONTROL_MASK);
    let shift = state.contains(ModifierType::SHIFT_MASK);
    let alt = state.contains(ModifierType::MOD1_MASK);
    // Shift turns `p` into `P`: compare letters in lower case.
    let k = keyval.to_lower();
    let refused = ALWAYS.contains(&k)
        || (ctrl && (CTRL_LETTERS.contains(&k) || CTRL_ZOOM.contains(&k) || k == key::F4))
        || (ctrl && shift && CTRL_SHIFT_LETTERS.contains(&k))
        || (alt && ALT_KEYS.contains(&k));
    refused.then(|| name(keyval, ctrl, shift, alt))
}

#[cfg(target_os = "linux")]
fn name(keyval: Key, ctrl: bool, shift: bool, alt: bool) -> String {
    let mut out = String::new();
    for (on, word) in [(ctrl, "Ctrl+"), (shift, "Shift+"), (alt, "Alt+")] {
        if on {
            out.push_str(word);
        }
    }
    let key = keyval
        .to_lower()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|| format!("{:#x}", *keyval));
    if key.chars().count() == 1 {
        out.push_str(&key.to_uppercase());
    } else {
        out.push_str(&key);
    }
    out
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    const NONE: ModifierType = ModifierType::empty();
    const CTRL: ModifierType = ModifierType::CONTROL_MASK;
    const SHIFT: ModifierType = ModifierType::SHIFT_MASK;
    const ALT: ModifierType = ModifierType::MOD1_MASK;

    #[test]
    fn the_kiosk_shortcuts_are_swallowed() {
        let table: &[(Key, ModifierType, &str)] = &[
            (key::p, CTRL, "Ctrl+P"),
            (key::P, CTRL.union(SHIFT), "Ctrl+Shift+P"),
            (key::r, CTRL, "Ctrl+R"),
            (key::R, CTRL.union(SHIFT), "Ctrl+Shift+R"),
            (key::F5, NONE, "F5"),
            (key::F5, CTRL, "Ctrl+F5"),
            (key::plus, CTRL.union(SHIFT), "Ctrl+Shift+plus"),
            (key::equal, CTRL, "Ctrl+equal"),
            (key::minus, CTRL, "Ctrl+minus"),
            (key::_0, CTRL, "Ctrl+0"),
            (key::KP_Add, CTRL, "Ctrl+KP_Add"),
            (key::KP_Subtract, CTRL, "Ctrl+KP_Subtract"),
            (key::F12, NONE, "F12"),
            (key::I, CTRL.union(SHIFT), "Ctrl+Shift+I"),
            (key::J, CTRL.union(SHIFT), "Ctrl+Shift+J"),
            (key::o, CTRL, "Ctrl+O"),
            (key::s, CTRL, "Ctrl+S"),
            (key::F11, NONE, "F11"),
            (key::F4, ALT, "Alt+F4"),
            (key::F4, CTRL, "Ctrl+F4"),
            (key::w, CTRL, "Ctrl+W"),
            (key::q, CTRL, "Ctrl+Q"),
            (key::u, CTRL, "Ctrl+U"),
            (key::n, CTRL, "Ctrl+N"),
            (key::t, CTRL, "Ctrl+T"),
            (key::Left, ALT, "Alt+Left"),
            (key::Print, NONE, "Print"),
            (key::Reload, NONE, "Reload"),
            (key::Back, NONE, "Back"),
        ];
        for (k, state, want) in table {
            assert_eq!(
                refused_shortcut(*k, *state).as_deref(),
                Some(*want),
                "{want}"
            );
        }
    }

    #[test]
    fn typing_and_editing_reach_the_page() {
        // Num Lock (Mod2) and Caps Lock do not make a shortcut of a letter.
        let locks = ModifierType::MOD2_MASK.union(ModifierType::LOCK_MASK);
        let table: &[(Key, ModifierType)] = &[
            (key::p, NONE),
            (key::P, SHIFT),
            (key::r, locks),
            (key::_0, NONE),
            (key::plus, SHIFT),
            (key::minus, NONE),
            (key::KP_Add, NONE),
            (key::F4, NONE),
            (key::Left, NONE),
            (key::Left, SHIFT),
            (key::Tab, NONE),
            (key::Return, NONE),
            (key::BackSpace, NONE),
            (key::space, NONE),
            (key::a, CTRL),
            (key::c, CTRL),
            (key::v, CTRL),
            (key::x, CTRL),
            (key::z, CTRL),
            (key::Z, CTRL.union(SHIFT)),
            (key::i, CTRL),
            (key::at, SHIFT),
        ];
        for (k, state) in table {
            assert_eq!(refused_shortcut(*k, *state), None, "{k:?} {state:?}");
        }
    }
}
