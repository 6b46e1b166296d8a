//! The payment key, generated off the start path: RSA-2048 key generation takes ≈ 250 ms
//! (up to ≈ 700 ms, a random prime search), so [`PaymentKey::generate`] starts it on its own
//! thread and the routes that need the key (`GET /api/v1/payment/key`, the decrypting payment
//! routes) await it — a payment comes seconds after the sandbox starts.
//!
//! * It begins after a short grace period (start-up has the CPU first), at once if the key is
//!   asked for sooner.
//! * Unasked, it runs at idle priority (Linux `SCHED_IDLE`): the prime search takes only CPU
//!   that nothing else wants, and any other thread that wakes up takes the core back at once.
//!   (A lower nice value was not enough: the scheduler lets a running thread finish its slice,
//!   a few ms, before a waking one runs, which showed as the app's IPC tail;
//!   docs/BENCHMARKS.md §6.)
//! * Asked while that idle generation runs, a second generator starts at normal priority;
//!   whichever finishes first provides the key, so a payment never waits on idle CPU.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt, Shared};
use tokio::sync::oneshot;

use crate::vault::keys::VaultKeys;

type Outcome = Result<Arc<VaultKeys>, Arc<str>>;
type Generated = std::io::Result<VaultKeys>;

/// How long the generator lets start-up have the CPU before it begins, unless the key is
/// asked for sooner. On 2 cores the prime search (a full core for 250–700 ms) otherwise
/// competes with the app's window, page and first carts (docs/BENCHMARKS.md §1).
const GRACE: Duration = Duration::from_millis(1500);

#[derive(Default)]
struct State {
    /// Someone needs the key now.
    asked: bool,
    /// A generation at idle priority has begun.
    idle: bool,
    /// A generation at normal priority has begun (after `asked`).
    urgent: bool,
}

/// The generators' shared state: who asked, who is generating, where the key goes.
struct Generator {
    state: Mutex<State>,
    signal: Condvar,
    /// Taken by the first generator to finish.
    slot: Mutex<Option<oneshot::Sender<Generated>>>,
}

impl Generator {
    fn new(tx: oneshot::Sender<Generated>) -> Arc<Generator> {
        Arc::new(Generator {
            state: Mutex::default(),
            signal: Condvar::new(),
            slot: Mutex::new(Some(tx)),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The key is needed now: wakes the waiting generator, or, when the only generation
    /// under way is at idle priority, starts one at normal priority.
    fn ask(self: &Arc<Self>) {
        let mut st = self.state();
        if st.asked && (st.urgent || !st.idle) {
            return;
        }
        st.asked = true;
        self.signal.notify_all();
        if st.idle && !st.urgent && !self.delivered() {
            st.urgent = true;
            drop(st);
            let g = self.clone();
            let spawned = std::thread::Builder::new()
                .name("sandbox-keygen-now".into())
                .spawn(move || g.deliver(VaultKeys::generate()));
            if spawned.is_err() {
                // The idle generation still delivers.
                self.state().urgent = false;
            }
        }
    }

    /// Returns when asked (true), or after `grace` (false). Unasked, the caller is recorded
    /// as the idle generator before the lock is let go: an ask from then on starts an urgent
    /// one.
    fn wait_or_go_idle(&self, grace: Duration) -> bool {
        let st = self.state();
        let (mut st, _) = match self.signal.wait_timeout_while(st, grace, |s| !s.asked) {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !st.asked {
            st.idle = true;
        }
        st.asked
    }

    fn delivered(&self) -> bool {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().is_none_or(|tx| tx.is_closed())
    }

    fn deliver(&self, generated: Generated) {
        let tx = self.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(tx) = tx {
            let _ = tx.send(generated);
        }
    }

    /// The background generator's work.
    fn run(&self, grace: Duration) {
        if !self.wait_or_go_idle(grace) {
            run_at_idle_priority();
        }
        // Nobody holds the key any more (the sandbox stopped), or the urgent one won.
        if !self.delivered() {
            self.deliver(VaultKeys::generate());
        }
    }
}

/// Puts the calling thread in the idle scheduling class (`SCHED_IDLE`, Linux: the calling
/// thread only). Best effort: a failure leaves it at the default priority.
fn run_at_idle_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `param` is a valid sched_param for the call's duration; pid 0 is the calling
    // thread (sched_setscheduler(2)); lowering one's own policy needs no privilege.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        let _ = libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
    }
}

/// A payment key pair that is ready or being generated; cheap to clone.
#[derive(Clone)]
pub struct PaymentKey {
    ready: Shared<BoxFuture<'static, Outcome>>,
    generator: Option<Arc<Generator>>,
}

impl PaymentKey {
    /// Starts generating a fresh key pair on a new thread: after a grace period that leaves
    /// the CPU to start-up, or at once when the key is asked for; not at all when every
    /// holder is gone by then. (If no thread can be started, it is generated here.)
    pub fn generate() -> PaymentKey {
        Self::generate_after(GRACE)
    }

    fn generate_after(grace: Duration) -> PaymentKey {
        let (tx, rx) = oneshot::channel();
        let generator = Generator::new(tx);
        let background = generator.clone();
        let started = std::thread::Builder::new()
            .name("sandbox-keygen".into())
            .spawn(move || background.run(grace));
        match started {
            Ok(_) => PaymentKey {
                generator: Some(generator),
                ..PaymentKey::from_channel(rx)
            },
            Err(_) => PaymentKey::from_result(VaultKeys::generate()),
        }
    }

    /// A key pair that whoever holds the sender provides.
    pub fn from_channel(rx: oneshot::Receiver<Generated>) -> PaymentKey {
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
            generator: None,
        }
    }

    /// A key pair generated already.
    pub fn from_result(generated: Generated) -> PaymentKey {
        let outcome: Outcome = generated
            .map(Arc::new)
            .map_err(|e| Arc::from(e.to_string()));
        PaymentKey {
            ready: futures_util::future::ready(outcome).boxed().shared(),
            generator: None,
        }
    }

    /// The key pair, once generated; the error says why generation failed.
    pub async fn get(&self) -> Result<Arc<VaultKeys>, Arc<str>> {
        if self.ready.peek().is_none() {
            if let Some(g) = &self.generator {
                g.ask();
            }
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
        let (tx, _rx) = oneshot::channel();
        let g = Generator::new(tx);
        let asker = g.clone();
        let t = std::thread::spawn(move || asker.ask());
        // Returns only because it was asked: an hour's grace would otherwise hold the test.
        assert!(
            g.wait_or_go_idle(Duration::from_secs(3600)),
            "it says it was asked"
        );
        t.join().expect("asker");
        let st = g.state();
        assert!(
            st.asked && !st.idle && !st.urgent,
            "one generator, at normal priority"
        );
    }

    #[test]
    fn an_unasked_generator_goes_idle_and_an_ask_then_starts_an_urgent_one() {
        let (tx, rx) = oneshot::channel();
        let g = Generator::new(tx);
        assert!(!g.wait_or_go_idle(Duration::from_millis(5)));
        assert!(g.state().idle);
        g.ask();
        assert!(g.state().urgent, "asked during the idle generation");
        g.ask();
        // The urgent generator delivers (the idle one never ran here).
        let key = rx.blocking_recv().expect("delivered").expect("a key");
        assert_eq!(key.kid.len(), 32);
        assert!(g.delivered());
    }

    #[tokio::test]
    async fn a_key_asked_for_after_the_grace_period_comes_from_whichever_finishes_first() {
        let key = PaymentKey::generate_after(Duration::from_millis(1));
        // Let the background generator go idle and start its search.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let generator = key.generator.clone().expect("generating");
        let got = key.get().await.expect("a key");
        assert_eq!(got.kid.len(), 32);
        assert!(generator.state().idle);
        assert_eq!(
            key.peek().map(|k| k.kid.clone()),
            Some(got.kid.clone()),
            "one key for all"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn idle_priority_is_the_calling_threads_only() {
        // SAFETY (both): no pointers; pid 0 is the calling thread on Linux.
        let policy = || unsafe { libc::sched_getscheduler(0) };
        let before = policy();
        let lowered = std::thread::spawn(move || {
            run_at_idle_priority();
            policy()
        })
        .join()
        .expect("thread");
        assert_eq!(lowered, libc::SCHED_IDLE);
        assert_eq!(policy(), before, "the calling thread keeps its class");
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
