//! The payment key, generated off the start path: RSA-2048 key generation takes ≈ 250 ms
//! (up to ≈ 700 ms, a random prime search), so [`PaymentKey::generate`] starts it on its own
//! thread and the routes that need the key (`GET /api/v1/payment/key`, the decrypting payment
//! routes) await it — a payment comes seconds after the sandbox starts.

use std::sync::Arc;

use futures_util::future::{BoxFuture, FutureExt, Shared};
use tokio::sync::oneshot;

use crate::vault::keys::VaultKeys;

type Outcome = Result<Arc<VaultKeys>, Arc<str>>;

/// A payment key pair that is ready or being generated; cheap to clone.
#[derive(Clone)]
pub struct PaymentKey {
    ready: Shared<BoxFuture<'static, Outcome>>,
}

impl PaymentKey {
    /// Starts generating a fresh key pair on a new thread (or, if no thread can be started,
    /// generates it here).
    pub fn generate() -> PaymentKey {
        let (tx, rx) = oneshot::channel();
        let started = std::thread::Builder::new()
            .name("sandbox-keygen".into())
            .spawn(move || {
                let _ = tx.send(VaultKeys::generate());
            });
        match started {
            Ok(_) => PaymentKey::from_channel(rx),
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
        }
    }

    /// A key pair generated already.
    pub fn from_result(generated: std::io::Result<VaultKeys>) -> PaymentKey {
        let outcome: Outcome = generated
            .map(Arc::new)
            .map_err(|e| Arc::from(e.to_string()));
        PaymentKey {
            ready: futures_util::future::ready(outcome).boxed().shared(),
        }
    }

    /// The key pair, once generated; the error says why generation failed.
    pub async fn get(&self) -> Result<Arc<VaultKeys>, Arc<str>> {
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
    async fn a_stopped_generator_is_an_error_not_a_hang() {
        let (tx, rx) = oneshot::channel::<std::io::Result<VaultKeys>>();
        drop(tx);
        assert!(PaymentKey::from_channel(rx).get().await.is_err());
        let failed = PaymentKey::from_result(Err(std::io::Error::other("no entropy")));
        assert_eq!(failed.get().await.err().as_deref(), Some("no entropy"));
    }
}
