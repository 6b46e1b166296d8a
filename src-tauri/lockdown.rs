//! No system window reachable from a webview (issue #25). WebKitGTK opens GTK windows of its
//! own for a few page actions: the print dialog (`window.print()`, whose "Print to File"
//! file chooser browses and overwrites the account's files), the context menu (with "Open
//! link in new window", "Download", "Inspect"), file and colour choosers, downloads, new
//! windows and the inspector. This module swallows them, per webview:
//!
//! | what | main window | PayPal popup |
//! |---|---|---|
//! | print (`print` signal) | every mode | every mode |
//! | new windows (`decide-policy`, Tauri `on_new_window`) | every mode | every mode |
//! | downloads (`decide-policy` response, `download-started`) | every mode | every mode |
//! | devtools, file and colour choosers | kiosk | every mode |
//! | context menu, shortcuts, zoom held at 1 | kiosk | kiosk |
//!
//! Print, new windows and downloads go in every mode: the main window shows the app's one
//! page, which opens no window and downloads nothing (a receipt is saved, and printed, by
//! the backend, never by the page), and the popup shows PayPal only. Outside kiosk mode a person at a desk keeps the
//! main window's context menu (copy, paste) and devtools in debug builds; the popup keeps its
//! context menu, whose dangerous entries lead to the refusals above.
//!
//! Each refusal writes one log line starting with [`REFUSED`] (no URL query, no typed text):
//! the e2e suite reads them to prove the handlers are connected, since WebDriver automation
//! hides some dialogs.

use std::sync::atomic::{AtomicUsize, Ordering};

use tauri::webview::NewWindowResponse;
use tauri::{Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

use crate::redact::loggable_url;

/// The start of every refusal's log line (tests/e2e_kiosk.rs counts them).
pub const REFUSED: &str = "lockdown: refused";

/// What a refusal stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Refusal {
    Print,
    ContextMenu,
    Shortcut,
    NewWindow,
    Download,
    FileChooser,
    ColorChooser,
    Navigation,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Print => "print",
            Refusal::ContextMenu => "context-menu",
            Refusal::Shortcut => "shortcut",
            Refusal::NewWindow => "new-window",
            Refusal::Download => "download",
            Refusal::FileChooser => "file-chooser",
            Refusal::ColorChooser => "color-chooser",
            Refusal::Navigation => "navigation",
        }
    }
}

/// The log line of a refusal: `lockdown: refused <what> in <webview>[: <detail>]`. The
/// detail is a shortcut's name or a URL already shortened by `crate::redact`.
pub fn log_line(what: Refusal, webview: &str, detail: Option<&str>) -> String {
    let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
    format!("{REFUSED} {} in {webview}{detail}", what.as_str())
}

/// Refusals so far, per kind, in this process (a test that drives a bare webview reads them).
static COUNTS: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];

pub fn refused(what: Refusal, webview: &str, detail: Option<&str>) {
    COUNTS[what as usize].fetch_add(1, Ordering::SeqCst);
    tracing::info!("{}", log_line(what, webview, detail));
}

/// How many refusals of this kind the process made.
pub fn refusal_count(what: Refusal) -> usize {
    COUNTS[what as usize].load(Ordering::SeqCst)
}

/// Which webview, in which mode.
#[derive(Debug, Clone, Copy)]
pub struct Lockdown {
    /// The window label, for the log (`main`, `paypal`).
    pub webview: &'static str,
    pub kiosk: bool,
    /// The PayPal popup: a page that is not ours.
    pub popup: bool,
}

impl Lockdown {
    fn devtools_off(self) -> bool {
        self.kiosk || self.popup
    }
    fn choosers_off(self) -> bool {
        self.kiosk || self.popup
    }
    /// Context menu, shortcuts and zoom.
    fn kiosk_only(self) -> bool {
        self.kiosk
    }

    /// What must be set before the webview exists: devtools, Tauri's zoom hotkeys and its
    /// new-window handler (a backstop to `decide-policy` below).
    pub fn builder<'a, R: Runtime, M: Manager<R>>(
        self,
        builder: WebviewWindowBuilder<'a, R, M>,
    ) -> WebviewWindowBuilder<'a, R, M> {
        let webview = self.webview;
        let builder = builder
            .zoom_hotkeys_enabled(false)
            .on_new_window(move |url, _| {
                refused(Refusal::NewWindow, webview, Some(&loggable_url(&url)));
                NewWindowResponse::Deny
            });
        if self.devtools_off() {
            builder.devtools(false)
        } else {
            builder
        }
    }

    /// Connects the WebKit handlers to a built window's webview (on the main thread, before
    /// the page can act). An error fails the caller: a window without its handlers is not
    /// shown to a shopper.
    pub fn apply<R: Runtime>(self, window: &WebviewWindow<R>) -> tauri::Result<()> {
        #[cfg(target_os = "linux")]
        window.with_webview(move |w| connect_webview(&w.inner(), self))?;
        #[cfg(not(target_os = "linux"))]
        let _ = window;
        Ok(())
    }
}

#[cfg(target_os = "linux")]
pub use gtk_handlers::connect_webview;

#[cfg(target_os = "linux")]
mod gtk_handlers {
    use gtk::glib::Propagation;
    use gtk::prelude::*;
    use webkit2gtk::{
        ColorChooserRequestExt, DownloadExt, FileChooserRequestExt, PolicyDecisionExt,
        PolicyDecisionType, ResponsePolicyDecision, ResponsePolicyDecisionExt, SettingsExt,
        URIRequestExt, WebContextExt, WebViewExt,
    };

    use super::{refused, Lockdown, Refusal};
    use crate::redact::loggable_host_str;
    use crate::shortcuts::refused_shortcut;

    /// A web context's mark that its `download-started` handler is connected (the popup's
    /// context is shared with the main window's under WebDriver automation).
    const CONTEXT_MARK: &str = "firmly-lockdown-downloads";

    /// Connects the handlers to a WebKit webview (the app's windows, or a bare webview in a
    /// test: WebDriver automation turns `window.print()` off, so only a webview outside
    /// automation can show that the print handler works).
    pub fn connect_webview(view: &webkit2gtk::WebView, lock: Lockdown) {
        let name = lock.webview;
        view.connect_print(move |_, _| {
            refused(Refusal::Print, name, None);
            true
        });
        view.connect_decide_policy(move |_, decision, kind| match kind {
            PolicyDecisionType::NewWindowAction => {
                refused(Refusal::NewWindow, name, None);
                decision.ignore();
                true
            }
            PolicyDecisionType::Response => {
                // What WebKit cannot show it would download: refuse it here already.
                let Some(response) = decision.downcast_ref::<ResponsePolicyDecision>() else {
                    return false;
                };
                if response.is_mime_type_supported() {
                    return false;
                }
                let uri = response.request().and_then(|r| r.uri()).unwrap_or_default();
                refused(Refusal::Download, name, Some(&loggable_host_str(&uri)));
                decision.ignore();
                true
            }
            _ => false,
        });
        if let Some(context) = view.context() {
            // SAFETY: this key is only ever stored and read as `bool`, on the main thread.
            let marked = unsafe { context.data::<bool>(CONTEXT_MARK).is_some() };
            if !marked {
                // SAFETY: as above.
                unsafe { context.set_data(CONTEXT_MARK, true) };
                // Attachments (`Content-Disposition`) come here without a response decision.
                // The log names the first webview of the context.
                context.connect_download_started(move |_, download| {
                    let uri = download.request().and_then(|r| r.uri()).unwrap_or_default();
                    refused(Refusal::Download, name, Some(&loggable_host_str(&uri)));
                    download.cancel();
                });
            }
        }
        if lock.devtools_off() {
            if let Some(settings) = WebViewExt::settings(view) {
                settings.set_enable_developer_extras(false);
            }
        }
        if lock.choosers_off() {
            view.connect_run_file_chooser(move |_, request| {
                refused(Refusal::FileChooser, name, None);
                request.cancel();
                true
            });
            view.connect_run_color_chooser(move |_, request| {
                refused(Refusal::ColorChooser, name, None);
                request.cancel();
                true
            });
        }
        if lock.kiosk_only() {
            view.connect_context_menu(move |_, _, _, _| {
                refused(Refusal::ContextMenu, name, None);
                true
            });
            // Runs before WebKit's own key handling (the signal's class handler runs last):
            // a refused shortcut never reaches WebKit or the page; every other key, typing
            // into the page's inputs among them, goes on as usual.
            view.connect_key_press_event(move |_, event| {
                match refused_shortcut(event.keyval(), event.state()) {
                    Some(shortcut) => {
                        refused(Refusal::Shortcut, name, Some(&shortcut));
                        Propagation::Stop
                    }
                    None => Propagation::Proceed,
                }
            });
            view.set_zoom_level(1.0);
            view.connect_zoom_level_notify(|view| {
                if (view.zoom_level() - 1.0).abs() > f64::EPSILON {
                    view.set_zoom_level(1.0);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_log_one_line_without_more_than_asked() {
        assert_eq!(
            log_line(Refusal::Print, "main", None),
            "lockdown: refused print in main"
        );
        assert_eq!(
            log_line(Refusal::Navigation, "paypal", Some("https://example.org/")),
            "lockdown: refused navigation in paypal: https://example.org/"
        );
    }

    #[test]
    fn each_refusal_is_counted_under_its_own_kind() {
        assert_eq!(Refusal::Navigation as usize, COUNTS.len() - 1);
        let before = refusal_count(Refusal::ColorChooser);
        refused(Refusal::ColorChooser, "test", None);
        assert_eq!(refusal_count(Refusal::ColorChooser), before + 1);
    }

    #[test]
    fn each_webview_gets_its_share() {
        let main_demo = Lockdown {
            webview: "main",
            kiosk: false,
            popup: false,
        };
        assert!(!main_demo.devtools_off() && !main_demo.choosers_off());
        assert!(!main_demo.kiosk_only());
        let popup_demo = Lockdown {
            popup: true,
            ..main_demo
        };
        assert!(popup_demo.devtools_off() && popup_demo.choosers_off());
        assert!(!popup_demo.kiosk_only());
        let main_kiosk = Lockdown {
            kiosk: true,
            ..main_demo
        };
        assert!(main_kiosk.devtools_off() && main_kiosk.choosers_off());
        assert!(main_kiosk.kiosk_only());
    }
}
