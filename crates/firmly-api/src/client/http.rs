//! The HTTP transport, shared by every [`FirmlyClient`](super::FirmlyClient) of the process.
//!
//! Building a `reqwest::Client` builds a TLS connector, and OpenSSL 3 parses the whole system
//! CA bundle for each one: 25–70 ms of a core (docs/BENCHMARKS.md §1). One transport per
//! connect timeout is built once and cloned (a clone shares the connection pool);
//! [`prepare_http`] builds the default one on its own thread while the app's window starts.
//! What differs per client (the total timeout, the user agent, the cookies) is set on each
//! request.
//!
//! Redirects are never followed: a followed 3xx would carry `x-firmly-authorization` (and
//! the request body) to whatever host the `Location` names, and a redirect is no documented
//! answer of any endpoint (ENDPOINTS.md §1). The client turns a 3xx into an error of its own
//! (`ErrorCode::Redirected`, client/exchange.rs).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::error::{ApiError, Result};

/// The longest a connection may take to open; a client with a shorter total timeout uses
/// that instead (a connect that fails in time is "unreachable": the request never left).
pub const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

type Built = std::result::Result<reqwest::Client, String>;

fn transports() -> &'static Mutex<HashMap<Duration, &'static OnceLock<Built>>> {
    static ALL: OnceLock<Mutex<HashMap<Duration, &'static OnceLock<Built>>>> = OnceLock::new();
    ALL.get_or_init(Mutex::default)
}

/// The connect timeout of a client whose requests may take `timeout` in all.
pub fn connect_timeout(timeout: Duration) -> Duration {
    timeout.min(MAX_CONNECT_TIMEOUT)
}

/// The shared transport for requests that may take `timeout` in all. The first caller for a
/// connect timeout builds it; callers meanwhile wait for that build instead of starting theirs.
pub fn shared_http(timeout: Duration) -> Result<reqwest::Client> {
    let connect = connect_timeout(timeout);
    let slot: &'static OnceLock<Built> = {
        let mut all = transports().lock().unwrap_or_else(|e| e.into_inner());
        // A handful of distinct timeouts per process at most (settings, tests): leaked once each.
        all.entry(connect)
            .or_insert_with(|| Box::leak(Box::new(OnceLock::new())))
    };
    slot.get_or_init(|| {
        reqwest::Client::builder()
            .connect_timeout(connect)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(|e| ApiError::internal(format!("cannot build the HTTP client: {e}")))
}

/// Builds the transport for `timeout` on a thread of its own, so that a client made later
/// finds it ready. Best effort: without a thread, the first client builds it.
pub fn prepare_http(timeout: Duration) {
    let _ = std::thread::Builder::new()
        .name("http-prepare".into())
        .spawn(move || {
            let _ = shared_http(timeout);
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_transport_per_connect_timeout() {
        // Totals above the cap share the capped connect timeout.
        assert_eq!(
            connect_timeout(Duration::from_secs(30)),
            MAX_CONNECT_TIMEOUT
        );
        assert_eq!(
            connect_timeout(Duration::from_secs(3)),
            Duration::from_secs(3)
        );
        shared_http(Duration::from_secs(30)).expect("built");
        shared_http(Duration::from_secs(31)).expect("reused");
        shared_http(Duration::from_millis(1234)).expect("its own");
        let all = transports().lock().expect("lock");
        assert!(all.contains_key(&MAX_CONNECT_TIMEOUT));
        assert!(all.contains_key(&Duration::from_millis(1234)));
        assert!(
            !all.contains_key(&Duration::from_secs(30)),
            "capped, not one per total"
        );
    }

    #[test]
    fn a_prepared_transport_is_the_one_clients_get() {
        let t = Duration::from_millis(4321);
        prepare_http(t);
        shared_http(t).expect("built by whoever came first");
        let all = transports().lock().expect("lock");
        assert!(all[&t].get().is_some_and(|b| b.is_ok()));
    }
}
