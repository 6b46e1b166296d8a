//! What the commands and events ask of the desktop, without the windows themselves: the
//! window labels and the `WindowOps` trait the real windows (`windows.rs`, `desk_tools.rs`)
//! implement and IPC tests fake. The state reaches the windows only through this trait (it
//! never imports `windows.rs`); the windows read the state and send events.

use firmly_api::ApiError;
use firmly_checkout::{BoxFuture, Domain, FileChooser};
use url::Url;

/// The main window's label.
pub const MAIN: &str = "main";
/// The PayPal approval popup's label.
pub const PAYPAL: &str = "paypal";

/// Window operations the commands need, behind a trait so IPC tests can run the command
/// handlers on Tauri's mock runtime without real windows.
pub trait WindowOps: FileChooser {
    fn open_paypal(&self, domain: Domain) -> BoxFuture<'static, Result<(), ApiError>>;
    fn close_paypal(&self);
    /// Restarts the whole app (the staff panel's Restart).
    fn restart(&self);
    /// Opens a checked https link: a read-only viewer on a kiosk, else the system browser.
    fn open_link(&self, url: Url, kiosk: bool) -> Result<(), ApiError>;
    fn close_link(&self);
    fn copy_text(&self, text: String) -> Result<(), ApiError>;
    fn paste_text(&self) -> BoxFuture<'static, Result<Option<String>, ApiError>>;
}
