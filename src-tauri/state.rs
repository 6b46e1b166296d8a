//! The app's managed state: the desk (the composition root of `firmly-checkout`) and the
//! window operations. Everything else lives in the desk.
//!
//! The desk starts *after* the main window is created (docs/BENCHMARKS.md §1): WebKit spawns
//! and loads the page while the embedded sandbox and the client come up. A command that
//! arrives first waits for the desk (async commands without blocking a thread; the few
//! synchronous ones block their thread, bounded).

use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use firmly_api::ApiError;
use firmly_checkout::{CheckoutService, Desk, StartError};

/// Longest a synchronous command waits for the desk to start.
const SYNC_WAIT: Duration = Duration::from_secs(30);

pub struct AppState {
    desk: OnceLock<Result<Arc<Desk>, StartError>>,
    ready: tokio::sync::Notify,
    ready_sync: (Mutex<()>, Condvar),
    windows: OnceLock<Arc<dyn crate::desktop::WindowOps>>,
}

impl AppState {
    /// A state whose desk is already running (the IPC tests).
    pub fn new(desk: Arc<Desk>) -> AppState {
        let state = AppState::starting();
        state.set_desk(Ok(desk));
        state
    }

    /// A state whose desk is still starting; [`AppState::set_desk`] completes it.
    pub fn starting() -> AppState {
        AppState {
            desk: OnceLock::new(),
            ready: tokio::sync::Notify::new(),
            ready_sync: (Mutex::new(()), Condvar::new()),
            windows: OnceLock::new(),
        }
    }

    /// The desk's start finished (or failed: every command then answers that error).
    pub fn set_desk(&self, desk: Result<Arc<Desk>, StartError>) {
        let _ = self.desk.set(desk);
        self.ready.notify_waiters();
        let _guard = self.ready_sync.0.lock().unwrap_or_else(|e| e.into_inner());
        self.ready_sync.1.notify_all();
    }

    fn ready(&self) -> Option<Result<Arc<Desk>, ApiError>> {
        self.desk.get().map(|r| {
            r.clone()
                .map_err(|e| ApiError::internal(format!("Firmly Desk could not start: {e}")))
        })
    }

    /// The desk, once started.
    pub async fn desk(&self) -> Result<Arc<Desk>, ApiError> {
        loop {
            let notified = self.ready.notified();
            tokio::pin!(notified);
            // Registered before the check, so a `set_desk` in between is not missed.
            notified.as_mut().enable();
            if let Some(r) = self.ready() {
                return r;
            }
            notified.await;
        }
    }

    pub async fn service(&self) -> Result<Arc<CheckoutService>, ApiError> {
        Ok(self.desk().await?.service())
    }

    /// The desk for a synchronous command: waits (bounded) on this thread.
    pub fn desk_now(&self) -> Result<Arc<Desk>, ApiError> {
        if let Some(r) = self.ready() {
            return r;
        }
        let guard = self.ready_sync.0.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self
            .ready_sync
            .1
            .wait_timeout_while(guard, SYNC_WAIT, |_| self.desk.get().is_none());
        self.ready()
            .unwrap_or_else(|| Err(ApiError::internal("Firmly Desk is still starting.")))
    }

    pub fn service_now(&self) -> Result<Arc<CheckoutService>, ApiError> {
        Ok(self.desk_now()?.service())
    }

    /// Connects the window operations (set once in the app's setup).
    pub fn set_windows(&self, ops: Arc<dyn crate::desktop::WindowOps>) {
        let _ = self.windows.set(ops);
    }

    pub fn windows(&self) -> Result<Arc<dyn crate::desktop::WindowOps>, ApiError> {
        self.windows
            .get()
            .cloned()
            .ok_or_else(|| ApiError::internal("windows are not available in this process"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_start_is_every_command_s_answer() {
        let state = AppState::starting();
        state.set_desk(Err(StartError::Journal(
            "the data folder is read-only".into(),
        )));
        let e = state.desk_now().err().expect("an error");
        assert!(e.message.contains("could not start"), "{}", e.message);
        assert!(e.message.contains("read-only"), "{}", e.message);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        assert!(rt.block_on(state.desk()).is_err());
    }

    #[test]
    fn async_waiters_wake_when_the_desk_fails_later() {
        let state = Arc::new(AppState::starting());
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let waiter = {
            let s = state.clone();
            rt.spawn(async move { s.desk().await.err().map(|e| e.message) })
        };
        let sync_waiter = {
            let s = state.clone();
            std::thread::spawn(move || s.desk_now().err().map(|e| e.message))
        };
        std::thread::sleep(Duration::from_millis(20));
        state.set_desk(Err(StartError::Client("boom".into())));
        let msg = rt.block_on(waiter).expect("joined").expect("an error");
        assert!(msg.contains("boom"));
        let msg = sync_waiter.join().expect("joined").expect("an error");
        assert!(msg.contains("boom"));
    }
}
