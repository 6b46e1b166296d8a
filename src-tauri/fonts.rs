//! The desktop's UI font as the page's `sans-serif` (docs/BENCHMARKS.md §1).
//!
//! The stylesheet names one family, `sans-serif`. CSS's `system-ui` would say "the desktop's
//! UI font", but WebKitGTK (2.50) resolves it by asking fontconfig for Cantarell first — even
//! where GTK's own setting is `Sans 10`, as on this machine — and where Cantarell is not
//! installed (a kiosk's minimal system) for `sans-serif` next: two searches for every weight
//! and size on the page, ≈ 30 ms of the first frame (an `LD_PRELOAD` counter of fontconfig's
//! calls showed the pairs). Instead the app tells WebKit what `sans-serif` is: the family of
//! GTK's font setting when it is installed, else fontconfig's own default (WebKit's setting
//! left alone). Either way one search per weight and size, and a desktop that has a UI font
//! gets it.

use gtk::pango::FontDescription;

/// Font names that are themselves fontconfig's generic families: WebKit's default already
/// asks for them.
const GENERIC: &[&str] = &[
    "sans",
    "sans-serif",
    "sans serif",
    "serif",
    "monospace",
    "mono",
    "system-ui",
];

/// The families of GTK's font setting (`"Cantarell 11"`, `"Noto Sans Bold 10"`,
/// `"Ubuntu, Cantarell 11"`), in order, without the generic ones.
pub fn ui_families(gtk_font_name: &str) -> Vec<String> {
    let Some(families) = FontDescription::from_string(gtk_font_name).family() else {
        return Vec::new();
    };
    families
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty() && !GENERIC.iter().any(|g| f.eq_ignore_ascii_case(g)))
        .map(str::to_string)
        .collect()
}

/// The first of `wanted` that one of the installed families names (as fontconfig compares
/// them: without regard to case).
pub fn first_installed<'a>(wanted: &'a [String], installed: &[String]) -> Option<&'a str> {
    wanted
        .iter()
        .find(|w| installed.iter().any(|f| f.eq_ignore_ascii_case(w)))
        .map(String::as_str)
}

/// Makes the desktop's UI font the webview's `sans-serif` when it is installed; otherwise
/// leaves WebKit's default (fontconfig's `sans-serif`). Runs before the page loads.
pub fn use_desktop_font(webview: &webkit2gtk::WebView) {
    use gtk::pango::prelude::FontFamilyExt;
    use gtk::prelude::{GtkSettingsExt, WidgetExt};
    use webkit2gtk::{SettingsExt, WebViewExt};
    let started = std::time::Instant::now();
    let Some(name) = gtk::Settings::default().and_then(|s| s.gtk_font_name()) else {
        return;
    };
    let wanted = ui_families(&name);
    if wanted.is_empty() {
        tracing::debug!(font = %name, "the desktop's font is a generic family: WebKit's default kept");
        return;
    }
    let installed: Vec<String> = webview
        .pango_context()
        .list_families()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let Some(family) = first_installed(&wanted, &installed) else {
        tracing::debug!(font = %name, "the desktop's font is not installed: WebKit's default kept");
        return;
    };
    if let Some(settings) = WebViewExt::settings(webview) {
        settings.set_sans_serif_font_family(family);
        tracing::debug!(
            %family,
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "the desktop's font is the page's sans-serif"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_families_are_read_from_gtks_font_name() {
        assert_eq!(ui_families("Cantarell 11"), ["Cantarell"]);
        assert_eq!(ui_families("Noto Sans Bold 10"), ["Noto Sans"]);
        assert_eq!(ui_families("DejaVu Serif"), ["DejaVu Serif"]);
        assert_eq!(ui_families("Ubuntu, Cantarell 11"), ["Ubuntu", "Cantarell"]);
        assert_eq!(ui_families("Cantarell, Sans 11"), ["Cantarell"]);
    }

    #[test]
    fn generic_or_empty_names_leave_webkits_default() {
        for name in [
            "",
            "11",
            "Sans 10",
            "sans-serif 10",
            "Sans Serif 9",
            "Monospace 10",
            "system-ui 11",
        ] {
            assert!(ui_families(name).is_empty(), "{name:?}");
        }
    }

    #[test]
    fn the_first_installed_family_wins_compared_without_regard_to_case() {
        let installed = ["DejaVu Sans".to_string(), "Noto Sans Mono".to_string()];
        let wanted = ["Cantarell".to_string(), "dejavu sans".to_string()];
        assert_eq!(first_installed(&wanted, &installed), Some("dejavu sans"));
        assert_eq!(
            first_installed(&["Cantarell".to_string()], &installed),
            None
        );
        assert_eq!(first_installed(&["DejaVu".to_string()], &installed), None);
        assert_eq!(first_installed(&[], &installed), None);
    }
}
