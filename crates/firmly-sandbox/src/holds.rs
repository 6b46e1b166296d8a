//! Held requests: the `hold` fault rule parks a matching request (before its handler, or —
//! with `after_commit` — after it, before the response is sent) until a test releases it
//! through `POST /__sandbox/holds/release` or the [`crate::SandboxHandle`]. A test waits for
//! "a request is held" on a signal (`GET /__sandbox/holds?wait_ms=N`,
//! [`Holds::wait_held`]) instead of racing a sleep against a delay. Shutdown and reset
//! release everything; a request whose client gave up leaves the list by itself.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use serde::Serialize;
use tokio::sync::{oneshot, watch};

/// One held request as the admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldRequest {
    pub id: u64,
    pub method: String,
    pub path: String,
}

struct Entry {
    info: HeldRequest,
    release: oneshot::Sender<()>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    held: BTreeMap<u64, Entry>,
    /// After shutdown nothing is held any more: a late hold passes at once.
    closed: bool,
}

/// The registry of held requests (shared; its own lock, never held across an `.await`).
pub struct Holds {
    inner: Mutex<Inner>,
    /// The number of held requests, for waiters.
    count: watch::Sender<usize>,
    /// Set at shutdown, so a long-poll waiting for a hold answers at once.
    closed: watch::Sender<bool>,
}

impl Default for Holds {
    fn default() -> Self {
        Holds {
            inner: Mutex::new(Inner::default()),
            count: watch::Sender::new(0),
            closed: watch::Sender::new(false),
        }
    }
}

/// A request's place in the registry; leaving it (release, or a client that went away and
/// dropped the request) takes the entry out of the list.
pub struct Hold {
    holds: Arc<Holds>,
    id: u64,
    released: Option<oneshot::Receiver<()>>,
}

impl Hold {
    /// Waits until the request is released (or the registry shuts down).
    pub async fn released(mut self) {
        if let Some(rx) = self.released.take() {
            // A dropped sender (release_all during shutdown) also ends the hold.
            let _ = rx.await;
        }
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.holds.remove(self.id);
    }
}

impl Holds {
    fn publish(&self, inner: &Inner) {
        self.count.send_replace(inner.held.len());
    }

    fn remove(&self, id: u64) {
        let mut inner = self.inner.lock();
        if inner.held.remove(&id).is_some() {
            self.publish(&inner);
        }
    }

    /// Registers a held request; await [`Hold::released`] to wait for its release.
    pub fn hold(self: &Arc<Self>, method: &str, path: &str) -> Hold {
        let mut inner = self.inner.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        let (tx, rx) = oneshot::channel();
        if inner.closed {
            let _ = tx.send(());
        } else {
            let info = HeldRequest {
                id,
                method: method.to_string(),
                path: path.to_string(),
            };
            tracing::debug!(id, method, path, "request held");
            inner.held.insert(id, Entry { info, release: tx });
            self.publish(&inner);
        }
        Hold {
            holds: Arc::clone(self),
            id,
            released: Some(rx),
        }
    }

    /// The held requests, oldest first.
    pub fn list(&self) -> Vec<HeldRequest> {
        self.inner
            .lock()
            .held
            .values()
            .map(|e| e.info.clone())
            .collect()
    }

    /// Releases one request (`Some(id)`) or all (`None`); answers how many were released.
    pub fn release(&self, id: Option<u64>) -> usize {
        let mut inner = self.inner.lock();
        let entries: Vec<Entry> = match id {
            Some(id) => inner.held.remove(&id).into_iter().collect(),
            None => std::mem::take(&mut inner.held).into_values().collect(),
        };
        self.publish(&inner);
        drop(inner);
        let n = entries.len();
        for e in entries {
            let _ = e.release.send(());
        }
        n
    }

    /// Releases everything and lets every later hold pass at once (server shutdown).
    pub fn close(&self) {
        self.inner.lock().closed = true;
        self.release(None);
        self.closed.send_replace(true);
    }

    /// Waits until no request is held (released, or its client went away), at most
    /// `timeout`; answers whether that happened.
    pub async fn wait_empty(&self, timeout: Duration) -> bool {
        let mut rx = self.count.subscribe();
        tokio::time::timeout(timeout, rx.wait_for(|n| *n == 0))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Waits until at least one request is held, at most `timeout` (`None` = no limit), and
    /// answers the list (empty when the time ran out). Waits on the registry's signal, never
    /// by polling.
    pub async fn wait_held(&self, timeout: Option<Duration>) -> Vec<HeldRequest> {
        let mut rx = self.count.subscribe();
        let mut closed = self.closed.subscribe();
        let wait = async {
            tokio::select! {
                _ = rx.wait_for(|n| *n > 0) => {}
                _ = closed.wait_for(|c| *c) => {}
            }
        };
        match timeout {
            Some(t) => {
                let _ = tokio::time::timeout(t, wait).await;
            }
            None => {
                let _ = wait.await;
            }
        }
        self.list()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hold_list_release_and_leave() {
        let holds = Arc::new(Holds::default());
        assert!(holds
            .wait_held(Some(Duration::from_millis(1)))
            .await
            .is_empty());
        let a = holds.hold("POST", "/a");
        let b = holds.hold("GET", "/b");
        let listed = holds.wait_held(None).await;
        assert_eq!(
            listed.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(),
            ["/a", "/b"]
        );
        assert_eq!(holds.release(Some(listed[0].id)), 1);
        a.released().await;
        assert_eq!(holds.list().len(), 1);
        // A client that went away: its request (and hold) is dropped.
        drop(b);
        assert!(holds.list().is_empty());
        assert_eq!(holds.release(Some(99)), 0);
        holds.close();
        holds.hold("GET", "/late").released().await;
        assert!(holds.list().is_empty());
    }

    #[tokio::test]
    async fn shutdown_wakes_a_waiter() {
        let holds = Arc::new(Holds::default());
        let waiter = {
            let holds = Arc::clone(&holds);
            tokio::spawn(async move { holds.wait_held(None).await })
        };
        holds.close();
        assert!(waiter.await.expect("waiter").is_empty());
    }

    #[tokio::test]
    async fn a_waiter_wakes_when_a_request_is_held() {
        let holds = Arc::new(Holds::default());
        let waiter = {
            let holds = Arc::clone(&holds);
            tokio::spawn(async move { holds.wait_held(None).await })
        };
        let h = holds.hold("POST", "/x");
        let listed = waiter.await.expect("waiter");
        assert_eq!(listed.len(), 1);
        assert_eq!(holds.release(None), 1);
        h.released().await;
    }
}
