//! Windows: the main window (kiosk-aware, never navigates away from the app) and the PayPal
//! approval popup: a separate webview with no IPC rights and a non-persistent data store
//! (PayPal cookies never pass from one customer to the next), whose navigations are judged
//! by `firmly_checkout::paypal` (ENDPOINTS.md §5).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use firmly_api::ApiError;
use firmly_checkout::paypal::{PaypalReturn, ReturnCheck};
use firmly_checkout::{BoxFuture, Domain, FileChooser, Mode};
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};
use url::Url;

use crate::events::{PaypalEnd, PaypalState, PaypalStatus};
use crate::lockdown::{refused, Lockdown, Refusal};
use crate::popup_hosts::popup_may_load;
use crate::redact::{loggable_host, loggable_url};
use crate::state::AppState;

use crate::desktop::{WindowOps, MAIN, PAYPAL};

/// Only the app's own pages may load in the main window: the embedded UI, or — in a build
/// without `custom-protocol` (`cargo run --no-default-features --features embedded-sandbox`,
/// README "Develop") — the Vite dev server named by `build.devUrl`.
fn is_app_url(url: &Url, dev_server: Option<&Url>) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || dev_server.is_some_and(|d| d.origin() == url.origin())
        }
        "about" => true,
        _ => false,
    }
}

/// The Vite dev server the main window loads in a development build; never in a release.
fn dev_server<R: Runtime>(app: &AppHandle<R>) -> Option<Url> {
    if cfg!(feature = "custom-protocol") {
        return None;
    }
    app.config().build.dev_url.clone()
}

pub fn create_main<R: Runtime>(app: &AppHandle<R>, mode: Mode) -> tauri::Result<()> {
    let kiosk = mode == Mode::Kiosk;
    let lockdown = Lockdown {
        webview: MAIN,
        kiosk,
        popup: false,
    };
    let dev = dev_server(app);
    let builder = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("Firmly Desk")
        .inner_size(1280.0, 800.0)
        .min_inner_size(960.0, 640.0)
        .fullscreen(kiosk)
        .decorations(!kiosk)
        .resizable(!kiosk)
        .on_navigation(move |url| {
            let ok = is_app_url(url, dev.as_ref());
            if !ok {
                refused(Refusal::Navigation, MAIN, Some(&loggable_url(url)));
            }
            ok
        });
    let window = lockdown.builder(builder).build()?;
    lockdown.apply(&window)?;
    lean_webkit(&window);
    if !kiosk {
        // Window size and position are remembered outside kiosk mode.
        use tauri_plugin_window_state::{StateFlags, WindowExt};
        let _ =
            window.restore_state(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED);
    }
    Ok(())
}

/// WebKit caches meant for browsing (back/forward page cache, large memory caches for
/// pages visited before): one page that never navigates needs none of them
/// (docs/BENCHMARKS.md §2).
fn lean_webkit<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        let result = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not tune the WebKit context");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// The desktop's UI font as the main window's `sans-serif`, when it is installed
/// (`fonts.rs`, docs/BENCHMARKS.md §1). Called once the logs are up, before the page's first
/// layout (WebKit is still starting its web process).
pub fn use_desktop_font<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    if let Some(window) = app.get_webview_window(MAIN) {
        if let Err(e) =
            window.with_webview(|webview| crate::fonts::use_desktop_font(&webview.inner()))
        {
            tracing::warn!(error = %e, "could not set the page's font");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

fn status<R: Runtime>(app: &AppHandle<R>, domain: &str, state: PaypalState, facts: Facts) {
    let ev = PaypalStatus {
        domain: domain.to_string(),
        state,
        account: facts.account,
        end: facts.end,
        error: facts.error,
    };
    if let Err(e) = crate::events::emit(app, ev) {
        tracing::warn!(error = %e, "paypal-status not delivered");
    }
}

/// What a PayPal status says besides its state.
#[derive(Default)]
struct Facts {
    account: Option<String>,
    end: Option<PaypalEnd>,
    error: Option<ApiError>,
}

impl Facts {
    fn ended(end: PaypalEnd) -> Facts {
        Facts {
            end: Some(end),
            ..Facts::default()
        }
    }
}

/// Starts PayPal express checkout and opens the approval page in its own window.
/// The PayPal popup gets a non-persistent (ephemeral) web data store, except while a
/// WebDriver session drives the app (`TAURI_WEBVIEW_AUTOMATION=true`, set only by
/// tauri-driver): WebKitGTK automates one web context, and wry never allows automation on an
/// ephemeral one (wry 0.57 `webkitgtk/web_context.rs`, `create_context`), so an ephemeral
/// popup would be invisible to the e2e suite. A wipe closes the popup either way.
fn popup_is_ephemeral() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() != Ok("true")
}

pub async fn open_paypal<R: Runtime>(app: AppHandle<R>, domain: Domain) -> Result<(), ApiError> {
    if let Some(w) = app.get_webview_window(PAYPAL) {
        let _ = w.close();
    }
    // The popup exists only once the desk is running: its handlers share this service.
    let service = app.state::<AppState>().service().await?;
    let url = service.paypal_start(&domain).await?;
    // The popup may go only where PayPal's flow goes (src-tauri/popup_hosts.rs).
    let approval = url.clone();
    let kiosk = service.mode() == Mode::Kiosk;
    let lockdown = Lockdown {
        webview: PAYPAL,
        kiosk,
        popup: true,
    };
    let settled = Arc::new(AtomicBool::new(false));
    let (nav_app, nav_domain, nav_settled) = (app.clone(), domain.clone(), settled.clone());
    let (nav_service, close_service) = (service.clone(), service.clone());
    let builder = WebviewWindowBuilder::new(&app, PAYPAL, WebviewUrl::External(url))
        .title("PayPal")
        .inner_size(480.0, 680.0)
        // No cookies or storage survive the window: the next customer starts clean.
        .incognito(popup_is_ephemeral())
        .on_navigation(move |url| {
            let service = nav_service.clone();
            // The customer is busy in PayPal: that counts for the kiosk's idle rule.
            service.activity();
            let ret = match service.paypal_check_return(&nav_domain, url) {
                ReturnCheck::NotAReturn => {
                    let ok = popup_may_load(url, &approval);
                    if !ok {
                        // The host only: a refused page's path or query may carry anything.
                        refused(Refusal::Navigation, PAYPAL, Some(&loggable_host(url)));
                    }
                    return ok;
                }
                ReturnCheck::Refused(why) => {
                    tracing::warn!(url = %loggable_url(url), "refused a PayPal return");
                    status(
                        &nav_app,
                        &nav_domain,
                        PaypalState::Error,
                        Facts::ended(why.into()),
                    );
                    return false;
                }
                ReturnCheck::Return(ret) => ret,
            };
            nav_settled.store(true, Ordering::SeqCst);
            let (app, domain) = (nav_app.clone(), nav_domain.clone());
            tauri::async_runtime::spawn(async move {
                if let Some(w) = app.get_webview_window(PAYPAL) {
                    let _ = w.close();
                }
                match ret {
                    PaypalReturn::Approved { .. } => {
                        match service.paypal_approved(&domain, ret).await {
                            Ok(cart) => status(
                                &app,
                                &domain,
                                PaypalState::Approved,
                                Facts {
                                    account: cart.paypal_account,
                                    ..Facts::default()
                                },
                            ),
                            Err(e) => status(
                                &app,
                                &domain,
                                PaypalState::Error,
                                Facts {
                                    error: Some(e),
                                    ..Facts::default()
                                },
                            ),
                        }
                    }
                    PaypalReturn::Cancelled => {
                        service.paypal_cancelled(&domain);
                        status(
                            &app,
                            &domain,
                            PaypalState::Cancelled,
                            Facts::ended(PaypalEnd::Cancelled),
                        );
                    }
                }
            });
            false
        });
    let window = lockdown
        .builder(builder)
        .build()
        .map_err(|e| ApiError::internal(format!("cannot open the PayPal window: {e}")))?;
    if let Err(e) = lockdown.apply(&window) {
        let _ = window.close();
        return Err(ApiError::internal(format!(
            "cannot lock the PayPal window down: {e}"
        )));
    }
    let (close_app, close_domain) = (app.clone(), domain.clone());
    window.on_window_event(move |ev| match ev {
        tauri::WindowEvent::Focused(_) => close_service.activity(),
        tauri::WindowEvent::Destroyed if !settled.swap(true, Ordering::SeqCst) => {
            close_service.paypal_cancelled(&close_domain);
            status(
                &close_app,
                &close_domain,
                PaypalState::Cancelled,
                Facts::ended(PaypalEnd::WindowClosed),
            );
        }
        _ => {}
    });
    status(&app, &domain, PaypalState::Open, Facts::default());
    Ok(())
}

/// The real windows of a running app.
pub struct AppWindows<R: Runtime> {
    pub app: AppHandle<R>,
}

impl<R: Runtime> FileChooser for AppWindows<R> {
    fn choose_save_path(&self, default_name: &str) -> BoxFuture<'_, Option<PathBuf>> {
        let rx = crate::desk_tools::choose_save_path(&self.app, default_name.to_string());
        Box::pin(async move { rx.await.ok().flatten() })
    }
}

impl<R: Runtime> WindowOps for AppWindows<R> {
    fn open_paypal(&self, domain: Domain) -> BoxFuture<'static, Result<(), ApiError>> {
        Box::pin(open_paypal(self.app.clone(), domain))
    }
    fn close_paypal(&self) {
        close_paypal(&self.app)
    }
    fn restart(&self) {
        self.app.restart()
    }
    fn open_link(&self, url: Url, kiosk: bool) -> Result<(), ApiError> {
        crate::desk_tools::open_link(&self.app, url, kiosk).map_err(ApiError::internal)
    }
    fn close_link(&self) {
        crate::desk_tools::close_viewer(&self.app)
    }
    fn copy_text(&self, text: String) -> Result<(), ApiError> {
        crate::desk_tools::copy_text(&self.app, text).map_err(ApiError::internal)
    }
    fn paste_text(&self) -> BoxFuture<'static, Result<Option<String>, ApiError>> {
        let app = self.app.clone();
        Box::pin(async move {
            crate::desk_tools::paste_text(&app)
                .await
                .map_err(ApiError::internal)
        })
    }
}

/// Closes the popup if it is open (the UI's cancel button).
pub fn close_paypal<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(PAYPAL) {
        let _ = w.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_window_stays_on_app_pages() {
        assert!(is_app_url(
            &Url::parse("tauri://localhost/index.html").unwrap(),
            None
        ));
        assert!(is_app_url(
            &Url::parse("http://tauri.localhost/").unwrap(),
            None
        ));
        assert!(!is_app_url(
            &Url::parse("https://evil.example/").unwrap(),
            None
        ));
        // The dev server only when a development build names it, and only its origin.
        let dev = Url::parse("http://localhost:1420/").unwrap();
        assert!(!is_app_url(
            &Url::parse("http://localhost:1420/").unwrap(),
            None
        ));
        assert!(is_app_url(
            &Url::parse("http://localhost:1420/src/main.ts").unwrap(),
            Some(&dev)
        ));
        assert!(!is_app_url(
            &Url::parse("http://localhost:1421/").unwrap(),
            Some(&dev)
        ));
    }
}
