//! Windows: the main window (kiosk-aware, never navigates away from the app) and the
//! PayPal approval popup, a separate webview with no IPC rights whose navigation the
//! backend watches for the return URL carrying `token` and `PayerID`
//! (ENDPOINTS.md §5, `002_599d5acdabf6b74d.txt:14425`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use firmly_api::ApiError;
use firmly_checkout::Mode;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};
use tauri_specta::Event;
use url::Url;

use crate::events::PaypalStatus;
use crate::state::AppState;

pub const MAIN: &str = "main";
pub const PAYPAL: &str = "paypal";

/// Only the app's own pages may load in the main window.
fn is_app_url(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        "about" => true,
        _ => false,
    }
}

pub fn create_main<R: Runtime>(app: &AppHandle<R>, mode: Mode) -> tauri::Result<()> {
    let kiosk = mode == Mode::Kiosk;
    let builder = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("Firmly Desk")
        .inner_size(1280.0, 800.0)
        .min_inner_size(960.0, 640.0)
        .fullscreen(kiosk)
        .decorations(!kiosk)
        .resizable(!kiosk)
        .on_navigation(|url| {
            let ok = is_app_url(url);
            if !ok {
                tracing::warn!(%url, "blocked navigation away from the app");
            }
            ok
        });
    let window = builder.build()?;
    if !kiosk {
        // Window size and position are remembered outside kiosk mode.
        use tauri_plugin_window_state::{StateFlags, WindowExt};
        let _ =
            window.restore_state(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED);
    }
    Ok(())
}

/// What the popup's navigation means for the checkout.
#[derive(Debug, PartialEq)]
pub enum PaypalReturn {
    Approved { token: String, payer_id: String },
    Cancelled,
}

/// Recognizes PayPal's return to the partner: a URL with `PayerID` (approved) or
/// `cancel=1` (cancelled) next to the EC `token`.
pub fn paypal_return(url: &Url) -> Option<PaypalReturn> {
    let mut token = None;
    let mut payer = None;
    let mut cancel = false;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "token" => token = Some(v.to_string()),
            "PayerID" => payer = Some(v.to_string()),
            "cancel" => cancel = v == "1" || v == "true",
            _ => {}
        }
    }
    match (token, payer, cancel) {
        (Some(token), Some(payer_id), false) => Some(PaypalReturn::Approved { token, payer_id }),
        (_, _, true) => Some(PaypalReturn::Cancelled),
        _ => None,
    }
}

fn status<R: Runtime>(app: &AppHandle<R>, domain: &str, state: &str, message: Option<String>) {
    let ev = PaypalStatus {
        domain: domain.to_string(),
        state: state.to_string(),
        message,
    };
    if let Err(e) = ev.emit(app) {
        tracing::warn!(error = %e, "paypal-status not delivered");
    }
}

/// Starts PayPal express checkout and opens the approval page in its own window.
pub async fn open_paypal<R: Runtime>(app: AppHandle<R>, domain: String) -> Result<(), ApiError> {
    if let Some(w) = app.get_webview_window(PAYPAL) {
        let _ = w.close();
    }
    let state = app.state::<AppState>();
    let approval = state.service().paypal_start(&domain).await?;
    let url = Url::parse(&approval)
        .map_err(|e| ApiError::decode("payment_method.attributes.url", e.to_string()))?;
    let settled = Arc::new(AtomicBool::new(false));
    let (nav_app, nav_domain, nav_settled) = (app.clone(), domain.clone(), settled.clone());
    let window = WebviewWindowBuilder::new(&app, PAYPAL, WebviewUrl::External(url))
        .title("PayPal")
        .inner_size(480.0, 680.0)
        .on_navigation(move |url| {
            let Some(ret) = paypal_return(url) else {
                return true;
            };
            nav_settled.store(true, Ordering::SeqCst);
            let (app, domain) = (nav_app.clone(), nav_domain.clone());
            tauri::async_runtime::spawn(async move {
                if let Some(w) = app.get_webview_window(PAYPAL) {
                    let _ = w.close();
                }
                let service = app.state::<AppState>().service();
                match ret {
                    PaypalReturn::Approved { token, payer_id } => {
                        match service.paypal_approved(&domain, &token, &payer_id).await {
                            Ok(cart) => status(&app, &domain, "approved", cart.paypal_account),
                            Err(e) => status(&app, &domain, "error", Some(e.message)),
                        }
                    }
                    PaypalReturn::Cancelled => {
                        service.paypal_cancelled(&domain);
                        status(
                            &app,
                            &domain,
                            "cancelled",
                            Some(
                                "PayPal was cancelled. Choose a payment method to continue.".into(),
                            ),
                        );
                    }
                }
            });
            false
        })
        .build()
        .map_err(|e| ApiError::internal(format!("cannot open the PayPal window: {e}")))?;
    let (close_app, close_domain) = (app.clone(), domain.clone());
    window.on_window_event(move |ev| {
        if matches!(ev, tauri::WindowEvent::Destroyed) && !settled.swap(true, Ordering::SeqCst) {
            close_app
                .state::<AppState>()
                .service()
                .paypal_cancelled(&close_domain);
            status(
                &close_app,
                &close_domain,
                "cancelled",
                Some("The PayPal window was closed before approval.".into()),
            );
        }
    });
    status(&app, &domain, "open", None);
    Ok(())
}

/// Window operations the commands need, behind a trait so IPC tests can run the
/// command handlers on Tauri's mock runtime without real windows.
pub trait WindowOps: Send + Sync {
    fn open_paypal(&self, domain: String) -> BoxFuture<Result<(), ApiError>>;
    fn close_paypal(&self);
    /// The user's Downloads folder, where saved receipts go.
    fn download_dir(&self) -> Option<std::path::PathBuf>;
}

pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// The real windows of a running app.
pub struct AppWindows<R: Runtime> {
    pub app: AppHandle<R>,
}

impl<R: Runtime> WindowOps for AppWindows<R> {
    fn open_paypal(&self, domain: String) -> BoxFuture<Result<(), ApiError>> {
        Box::pin(open_paypal(self.app.clone(), domain))
    }
    fn close_paypal(&self) {
        close_paypal(&self.app)
    }
    fn download_dir(&self) -> Option<std::path::PathBuf> {
        self.app.path().download_dir().ok()
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
    fn return_urls_are_recognized() {
        let u =
            Url::parse("http://127.0.0.1:1/__sandbox/paypal/return?token=EC-1&PayerID=P9").unwrap();
        assert_eq!(
            paypal_return(&u),
            Some(PaypalReturn::Approved {
                token: "EC-1".into(),
                payer_id: "P9".into()
            })
        );
        let c =
            Url::parse("http://127.0.0.1:1/__sandbox/paypal/return?token=EC-1&cancel=1").unwrap();
        assert_eq!(paypal_return(&c), Some(PaypalReturn::Cancelled));
        // PayPal's own approval page carries the token but is not a return.
        let p = Url::parse("http://127.0.0.1:1/__sandbox/paypal/checkoutnow?token=EC-1").unwrap();
        assert_eq!(paypal_return(&p), None);
    }

    #[test]
    fn main_window_stays_on_app_pages() {
        assert!(is_app_url(
            &Url::parse("tauri://localhost/index.html").unwrap()
        ));
        assert!(is_app_url(&Url::parse("http://tauri.localhost/").unwrap()));
        assert!(!is_app_url(&Url::parse("https://evil.example/").unwrap()));
    }
}
