//! The payment key, generated off the start path: RSA-2048 key generation takes ≈ 250 ms
//! (up to ≈ 700 ms, a random prime search), so [`PaymentKey::generate`] starts it on its own
//! thread and the routes that need the key (`GET /api/v1/payment/key`, the decrypting payment
//! routes) await it — a payment comes seconds after the sandbox starts. It begins after a
//! short grace period (start-up has the CPU first) or as soon as the key is asked for.
//! Unasked, it runs at a background priority, so the prime search takes only CPU that the
//! window, the page and its IPC leave idle (docs/BENCHMARKS.md §1 and §6).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt, Shared};
use tokio::sync::oneshot;

use crate::vault::keys::VaultKeys;

type Outcome = Result<Arc<VaultKeys>, Arc<str>>;

/// How long the generator lets start-up have the CPU before it begins, unless the key is
/// asked for sooner. On 2 cores the prime search (a full core for 250–700 ms) otherwise
/// competes with the app's window, page and first carts (docs/BENCHMARKS.md §1).
const GRACE: Duration = Duration::from_millis(1500);

/// Wakes the generator early: someone needs the key now.
#[derive(Default)]
struct Wanted {
    now: Mutex<bool>,
    signal: Condvar,
}

impl Wanted {
    fn ask(&self) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        if !*now {
            *now = true;
            self.signal.notify_all();
        }
    }

    /// Returns when asked (true), or after `grace` (false).
    fn wait(&self, grace: Duration) -> bool {
        let now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        match self.signal.wait_timeout_while(now, grace, |asked| !*asked) {
            Ok((asked, _)) => *asked,
            Err(poisoned) => *poisoned.into_inner().0,
        }
    }
}

/// The niceness of a key generation nobody is waiting for yet: it yields the CPU to anything
/// at the default priority (0) but is not starved on an idle machine.
#[cfg(target_os = "linux")]
const BACKGROUND_NICE: libc::c_int = 10;

/// Lowers the calling thread's priority (Linux: a thread's nice value is its own). Best
/// effort: a failure leaves the thread at the default priority. A thread cannot raise its
/// priority again without privileges, so it is called only when nobody waits for the key.
fn run_in_background() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority take no pointers; PRIO_PROCESS with `who` 0 is the
    // calling thread only (setpriority(2), "Linux notes"). Never raised: an already nicer
    // thread keeps its value.
    unsafe {
        let now = libc::getpriority(libc::PRIO_PROCESS, 0);
        let _ = libc::setpriority(libc::PRIO_PROCESS, 0, now.max(BACKGROUND_NICE));
    }
}

/// A payment key pair that is ready or being generated; cheap to clone.
#[derive(Clone)]
pub struct PaymentKey {
    ready: Shared<BoxFuture<'static, Outcome>>,
    wanted: Option<Arc<Wanted>>,
}

impl PaymentKey {
    /// Starts generating a fresh key pair on a new thread: after a grace period that leaves
    /// the CPU to start-up, or at once when the key is asked for; not at all when every
    /// holder is gone by then. (If no thread can be started, it is generated here.)
    pub fn generate() -> PaymentKey {
        let (tx, rx) = oneshot::channel();
        let wanted = Arc::new(Wanted::default());
        let waker = wanted.clone();
        let started = std::thread::Builder::new()
            .name("sandbox-keygen".into())
            .spawn(move || {
                if !waker.wait(GRACE) {
                    run_in_background();
                }
                if !tx.is_closed() {
                    let _ = tx.send(VaultKeys::generate());
                }
            });
        match started {
            Ok(_) => PaymentKey {
                wanted: Some(wanted),
                ..PaymentKey::from_channel(rx)
            },
            Err(_) => PaymentKey::from_result(VaultKeys::generate()),
        }
    }

    /// A key pair that whoever holds the sender provides.
    pub fn from_channel(rx: oneshot::Receiver<std::io::Result<VaultKeys>>) -> PaymentKey {
        let ready = async move {
            match rx.await {
                Ok(generated) => generated
                    .map(Arc::new)
                    .map_err(|e| Arc::from(e.to_string())),
                Err(_) => Err(Arc::from("payment key generation stopped")),
            }
        };
        PaymentKey {
            ready: ready.boxed().shared(),
            wanted: None,
        }
    }

    /// A key pair generated already.
    pub fn from_result(generated: std::io::Result<VaultKeys>) -> PaymentKey {
        let outcome: Outcome = generated
            .map(Arc::new)
            .map_err(|e| Arc::from(e.to_string()));
        PaymentKey {
            ready: futures_util::future::ready(outcome).boxed().shared(),
            wanted: None,
        }
    }

    /// The key pair, once generated; the error says why generation failed.
    pub async fn get(&self) -> Result<Arc<VaultKeys>, Arc<str>> {
        if let Some(w) = &self.wanted {
            w.ask();
        }
        self.ready.clone().await
    }

    /// The key pair if it is ready now.
    pub fn peek(&self) -> Option<Arc<VaultKeys>> {
        self.ready.peek().and_then(|r| r.as_ref().ok().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[tokio::test]
    async fn waits_for_the_generator() {
        let (tx, rx) = oneshot::channel();
        let key = PaymentKey::from_channel(rx);
        assert!(key.get().now_or_never().is_none(), "not ready yet");
        assert!(key.peek().is_none());
        let generated = VaultKeys::generate().expect("keys");
        let kid = generated.kid.clone();
        assert!(tx.send(Ok(generated)).is_ok());
        assert_eq!(key.get().await.expect("ready").kid, kid);
        assert_eq!(key.clone().peek().map(|k| k.kid.clone()), Some(kid));
    }

    #[tokio::test]
    async fn a_generated_key_is_served_to_whoever_asks() {
        let key = PaymentKey::generate();
        let (a, b) = (key.clone(), key);
        let (ka, kb) = tokio::join!(a.get(), b.get());
        let (ka, kb) = (ka.expect("a key"), kb.expect("a key"));
        assert_eq!(ka.kid.len(), 32);
        assert_eq!(ka.kid, kb.kid, "one key, shared by its clones");
    }

    #[test]
    fn asking_wakes_the_generator_before_its_grace_period_ends() {
        let w = Arc::new(Wanted::default());
        let asker = w.clone();
        let t = std::thread::spawn(move || asker.ask());
        // Returns only because it was asked: an hour's grace would otherwise hold the test.
        assert!(w.wait(Duration::from_secs(3600)), "it says it was asked");
        t.join().expect("asker");
        assert!(*w.now.lock().expect("flag"));
    }

    #[test]
    fn an_unasked_generator_says_so_after_its_grace_period() {
        assert!(!Wanted::default().wait(Duration::from_millis(5)));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn background_work_lowers_only_its_own_threads_priority() {
        // SAFETY (both): no pointers; `who` 0 is the calling thread on Linux.
        let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let before = nice();
        let lowered = std::thread::spawn(move || {
            run_in_background();
            nice()
        })
        .join()
        .expect("thread");
        assert_eq!(lowered, before.max(BACKGROUND_NICE), "the thread is niced");
        assert_eq!(nice(), before, "the calling thread keeps its priority");
    }

    #[tokio::test]
    async fn a_stopped_generator_is_an_error_not_a_hang() {
        let (tx, rx) = oneshot::channel::<std::io::Result<VaultKeys>>();
        drop(tx);
        assert!(PaymentKey::from_channel(rx).get().await.is_err());
        let failed = PaymentKey::from_result(Err(std::io::Error::other("no entropy")));
        assert_eq!(failed.get().await.err().as_deref(), Some("no entropy"));
    }
}
