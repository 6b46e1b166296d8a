//! The vault's payment key, fetched ahead and reused while it is valid, so that a card order
//! is one round trip after the click (docs/BENCHMARKS.md "Round trips"). The key is the
//! vault's, not a customer's: one per desk. It is fetched again when it is older than
//! [`KEY_TTL`], and at once after the documented key error (`InvalidKey`: the key rotated),
//! before the one retry that error allows (ENDPOINTS.md §4.1).

use std::time::{Duration, Instant};

use firmly_api::{FirmlyClient, PaymentKey};
use parking_lot::Mutex;

use crate::service::Result;

/// How long a fetched key is used before it is fetched again.
pub const KEY_TTL: Duration = Duration::from_secs(10 * 60);

/// The last key fetched, and when.
#[derive(Default)]
pub struct KeyCache {
    held: Mutex<Option<(PaymentKey, Instant)>>,
    /// A fetch ahead is running (one at a time).
    fetching: tokio::sync::Mutex<()>,
}

impl KeyCache {
    fn fresh(&self, now: Instant) -> Option<PaymentKey> {
        self.held
            .lock()
            .as_ref()
            .filter(|(_, at)| now.saturating_duration_since(*at) < KEY_TTL)
            .map(|(k, _)| k.clone())
    }

    /// The key to encrypt with: the one held while it is valid, else a new fetch.
    pub async fn get(&self, client: &FirmlyClient) -> Result<PaymentKey> {
        if let Some(k) = self.fresh(Instant::now()) {
            return Ok(k);
        }
        let _one = self.fetching.lock().await;
        if let Some(k) = self.fresh(Instant::now()) {
            return Ok(k);
        }
        let key = client.payment_key().await?;
        *self.held.lock() = Some((key.clone(), Instant::now()));
        Ok(key)
    }

    /// The vault said the key is not its current one: forget it.
    pub fn invalidate(&self) {
        *self.held.lock() = None;
    }

    /// Fetches the key in the background unless a valid one is held (a cart became ready
    /// to pay). A failure is only logged: the order fetches it again when it needs it.
    pub fn prefetch(self: &std::sync::Arc<Self>, client: FirmlyClient) {
        if self.fresh(Instant::now()).is_some() {
            return;
        }
        let me = self.clone();
        tokio::spawn(async move {
            if let Err(e) = me.get(&client).await {
                tracing::debug!(code = %e.code, "the payment key could not be fetched ahead");
            }
        });
    }

    #[cfg(test)]
    fn hold(&self, key: PaymentKey, at: Instant) {
        *self.held.lock() = Some((key, at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str) -> PaymentKey {
        PaymentKey {
            kid: kid.into(),
            jwk: serde_json::json!({"kid": kid}),
        }
    }

    #[test]
    fn a_key_is_reused_while_valid_and_forgotten_when_refused() {
        let cache = KeyCache::default();
        let t0 = Instant::now();
        cache.hold(key("k1"), t0);
        assert_eq!(cache.fresh(t0 + Duration::from_secs(60)).unwrap().kid, "k1");
        assert!(cache.fresh(t0 + KEY_TTL).is_none(), "too old");
        cache.invalidate();
        assert!(cache.fresh(t0).is_none());
    }
}
