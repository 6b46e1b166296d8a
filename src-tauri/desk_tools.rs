//! What the page asks of the desktop: opening a merchant's link (a consent's terms) and the
//! clipboard. A link is opened only when it is a checked `https` address
//! (`firmly_checkout::mapping::rich_text::safe_link`): on an agent or demo desk in the
//! person's own browser (the desktop's handler for https, through GIO), on a kiosk in a read-only viewer window of its own
//! that stays on the link's site and has the kiosk's lockdown. The clipboard is GTK's, on the
//! main thread (the opener and the viewer are on it too); a kiosk refuses it in the commands.

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};
use url::Url;

use crate::lockdown::Lockdown;

pub const VIEWER: &str = "viewer";

/// Whether the viewer may load `url` while showing a page of `start`'s site: a checked link
/// (https, or http on loopback where the embedded sandbox serves its pages) of the same origin.
pub fn viewer_may_load(url: &Url, start: &Url) -> bool {
    url.origin() == start.origin()
        && firmly_checkout::mapping::rich_text::safe_link(url.as_str()).is_some()
}

/// Opens a checked link: the viewer on a kiosk, else the system's browser.
pub fn open_link<R: Runtime>(app: &AppHandle<R>, url: Url, kiosk: bool) -> Result<(), String> {
    if !kiosk {
        return open_in_browser(&url);
    }
    close_viewer(app);
    let start = url.clone();
    let lockdown = Lockdown {
        webview: VIEWER,
        kiosk: true,
        popup: true,
    };
    let builder = WebviewWindowBuilder::new(app, VIEWER, WebviewUrl::External(url))
        .title("Firmly Desk")
        .inner_size(760.0, 820.0)
        .incognito(true)
        .on_navigation(move |u| {
            let ok = viewer_may_load(u, &start);
            if !ok {
                crate::lockdown::refused(
                    crate::lockdown::Refusal::Navigation,
                    VIEWER,
                    u.host_str(),
                );
            }
            ok
        });
    let window = lockdown
        .builder(builder)
        .build()
        .map_err(|e| format!("cannot open the viewer: {e}"))?;
    if let Err(e) = lockdown.apply(&window) {
        let _ = window.close();
        return Err(format!("cannot lock the viewer down: {e}"));
    }
    Ok(())
}

/// The person's own browser: the desktop's default handler for the link (GIO, as
/// `gio open` does; tauri-plugin-opener did the same through the `open` crate, with a D-Bus
/// client the app does not otherwise need). Only checked https links get here.
fn open_in_browser(url: &Url) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        use gtk::gio;
        gio::AppInfo::launch_default_for_uri(url.as_str(), None::<&gio::AppLaunchContext>)
            .map_err(|e| format!("cannot open the link: {e}"))
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(format!(
            "cannot open {url}: no browser handler on this platform"
        ))
    }
}

/// Closes the viewer, if it is open (its Close button, a wipe).
pub fn close_viewer<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(VIEWER) {
        let _ = w.close();
    }
}

/// Asks where to save a file: GTK's save dialog, modal over the main window, asking before it
/// replaces a file (what tauri-plugin-dialog showed through rfd, without that plugin's file
/// system plugin and IPC commands: docs/BENCHMARKS.md §3). `None` when cancelled.
pub fn choose_save_path<R: Runtime>(
    app: &AppHandle<R>,
    default_name: String,
) -> tokio::sync::oneshot::Receiver<Option<std::path::PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let main = app.get_webview_window(crate::desktop::MAIN);
    let shown = app.run_on_main_thread(move || {
        #[cfg(target_os = "linux")]
        {
            use gtk::prelude::*;
            let parent = main.and_then(|w| w.gtk_window().ok());
            let dialog = gtk::FileChooserDialog::with_buttons(
                Some("Save"),
                parent.as_ref(),
                gtk::FileChooserAction::Save,
                &[
                    ("_Cancel", gtk::ResponseType::Cancel),
                    ("_Save", gtk::ResponseType::Accept),
                ],
            );
            dialog.set_current_name(&default_name);
            dialog.set_do_overwrite_confirmation(true);
            dialog.set_modal(true);
            let tx = std::cell::Cell::new(Some(tx));
            dialog.connect_response(move |d, response| {
                let path = if response == gtk::ResponseType::Accept {
                    d.filename()
                } else {
                    None
                };
                if let Some(tx) = tx.take() {
                    let _ = tx.send(path);
                }
                // SAFETY: the dialog is ours alone and not used after this.
                unsafe { d.destroy() };
            });
            dialog.show();
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (main, default_name);
            let _ = tx.send(None);
        }
    });
    if let Err(e) = shown {
        tracing::warn!(error = %e, "the save dialog could not be shown");
    }
    rx
}

/// Puts text on the clipboard (GTK, main thread).
pub fn copy_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), String> {
    app.run_on_main_thread(move || {
        #[cfg(target_os = "linux")]
        {
            let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
            clipboard.set_text(&text);
            clipboard.store();
        }
        #[cfg(not(target_os = "linux"))]
        let _ = text;
    })
    .map_err(|e| format!("cannot reach the clipboard: {e}"))
}

/// The clipboard's text, if it holds text.
pub async fn paste_text<R: Runtime>(app: &AppHandle<R>) -> Result<Option<String>, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        #[cfg(target_os = "linux")]
        {
            let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
            clipboard.request_text(move |_, text| {
                let _ = tx.send(text.map(|t| t.to_string()));
            });
        }
        #[cfg(not(target_os = "linux"))]
        let _ = tx.send(None);
    })
    .map_err(|e| format!("cannot reach the clipboard: {e}"))?;
    rx.await
        .map_err(|_| "the clipboard did not answer".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_viewer_stays_on_the_links_site() {
        let start = Url::parse("https://staging.luma.gift/terms").unwrap();
        let ok = |u: &str| viewer_may_load(&Url::parse(u).unwrap(), &start);
        assert!(ok("https://staging.luma.gift/privacy#x"));
        assert!(!ok("https://evil.example/"));
        assert!(!ok("http://staging.luma.gift/terms"));
        assert!(!ok("https://staging.luma.gift:8443/terms"));
        assert!(!ok("https://sub.staging.luma.gift/"));
        let sandbox = Url::parse("http://127.0.0.1:8123/terms").unwrap();
        let local = |u: &str| viewer_may_load(&Url::parse(u).unwrap(), &sandbox);
        assert!(local("http://127.0.0.1:8123/privacy"));
        assert!(!local("http://127.0.0.1:9999/privacy"));
    }
}
