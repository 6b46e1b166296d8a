//! The app's managed state: the desk (the composition root of `firmly-checkout`) and the
//! window operations. Everything else lives in the desk.

use std::sync::Arc;

use firmly_api::ApiError;
use firmly_checkout::{CheckoutService, Desk};

pub struct AppState {
    pub desk: Arc<Desk>,
    windows: std::sync::OnceLock<Arc<dyn crate::windows::WindowOps>>,
}

impl AppState {
    pub fn new(desk: Arc<Desk>) -> AppState {
        AppState {
            desk,
            windows: std::sync::OnceLock::new(),
        }
    }

    pub fn service(&self) -> Arc<CheckoutService> {
        self.desk.service()
    }

    /// Connects the window operations (set once in the app's setup).
    pub fn set_windows(&self, ops: Arc<dyn crate::windows::WindowOps>) {
        let _ = self.windows.set(ops);
    }

    pub fn windows(&self) -> Result<Arc<dyn crate::windows::WindowOps>, ApiError> {
        self.windows
            .get()
            .cloned()
            .ok_or_else(|| ApiError::internal("windows are not available in this process"))
    }
}
