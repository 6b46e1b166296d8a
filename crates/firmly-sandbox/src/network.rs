//! The sandbox's network face: which `Host` headers it answers and the simulated shop latency.
//!
//! * Host guard: unless started with `allow_remote`, only loopback `Host` headers
//!   (`127.0.0.1[:port]`, `localhost[:port]`, `[::1][:port]`) are answered; any other is
//!   `403 Forbidden` in the normalized envelope (the id of ENDPOINTS.md §6.2). A web page that
//!   rebinds its own DNS name to 127.0.0.1 sends its own name as `Host`, so it cannot read the
//!   OTPs, orders or journal of `/__sandbox/`, nor drive the API.
//! * Latency: every API request (not `/__sandbox/`) waits `latency_ms ± jitter_ms` (uniform,
//!   never below 0) before it is handled, as a shop's network would make it wait.

use axum::http::{header, HeaderMap, Uri};
use rand::Rng;

use crate::errors::ApiError;
use crate::ServeOptions;

/// Whether a `Host` value (`host[:port]`) names the loopback interface.
pub fn loopback_host(value: &str) -> bool {
    let value = value.trim();
    // `(host, port)`, the port without its colon; `None` = no port given.
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        match rest.split_once(']') {
            Some((h, "")) => (h, None),
            Some((h, p)) => match p.strip_prefix(':') {
                Some(p) => (h, Some(p)),
                None => return false,
            },
            None => return false,
        }
    } else {
        match value.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (value, None),
        }
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    port_ok && (host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost") || host == "::1")
}

/// The host guard (see the module docs); `None` lets the request through. A request without
/// any host (no `Host` header, no authority) is not from a browser and passes.
pub fn host_guard(serve: &ServeOptions, headers: &HeaderMap, uri: &Uri) -> Option<ApiError> {
    if serve.allow_remote {
        return None;
    }
    let host = match headers.get(header::HOST) {
        // A Host that is not even text is not loopback.
        Some(v) => Some(v.to_str().unwrap_or("")),
        None => uri.authority().map(|a| a.as_str()),
    };
    match host {
        None => None,
        Some(h) if loopback_host(h) => None,
        _ => Some(ApiError::new(
            403,
            "Forbidden",
            "The requested resource is forbidden: the sandbox answers only loopback Host headers (127.0.0.1, localhost, [::1]); start it with --allow-remote to serve others.",
        )),
    }
}

/// The delay for one request: `latency + r − jitter`, floored at 0, for `r` in
/// `0..=2·jitter` (a uniform `±jitter` around `latency`).
pub fn pick_latency(latency_ms: u64, jitter_ms: u64, r: u64) -> u64 {
    (latency_ms + r.min(jitter_ms.saturating_mul(2))).saturating_sub(jitter_ms)
}

/// A random delay per [`pick_latency`]; 0 when no latency is configured.
pub fn latency_for(serve: &ServeOptions) -> u64 {
    if serve.latency_ms == 0 && serve.jitter_ms == 0 {
        return 0;
    }
    let r = rand::thread_rng().gen_range(0..=serve.jitter_ms.saturating_mul(2));
    pick_latency(serve.latency_ms, serve.jitter_ms, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8787",
            "localhost",
            "LocalHost:1420",
            "[::1]",
            "[::1]:9",
        ] {
            assert!(loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8787",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "127.0.0.2",
            "0.0.0.0:80",
            "[::1",
            "[::2]:80",
            "localhost:",
            "localhost:80:80",
            "127.0.0.1:123456",
            "",
        ] {
            assert!(!loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn the_guard_is_off_with_allow_remote() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "evil.example".parse().expect("value"));
        let uri: Uri = "/__sandbox/otp".parse().expect("uri");
        let strict = ServeOptions::default();
        let e = host_guard(&strict, &h, &uri).expect("refused");
        assert_eq!((e.status.as_u16(), e.error.as_str()), (403, "Forbidden"));
        let open = ServeOptions {
            allow_remote: true,
            ..ServeOptions::default()
        };
        assert!(host_guard(&open, &h, &uri).is_none());
        h.insert(header::HOST, "127.0.0.1:9".parse().expect("value"));
        assert!(host_guard(&strict, &h, &uri).is_none());
        assert!(host_guard(&strict, &HeaderMap::new(), &uri).is_none());
    }

    #[test]
    fn latency_is_uniform_around_the_base_and_never_negative() {
        assert_eq!(pick_latency(100, 20, 0), 80);
        assert_eq!(pick_latency(100, 20, 20), 100);
        assert_eq!(pick_latency(100, 20, 40), 120);
        assert_eq!(
            pick_latency(100, 20, 99),
            120,
            "r beyond the range is clamped"
        );
        assert_eq!(pick_latency(5, 20, 0), 0, "never below 0");
        assert_eq!(pick_latency(0, 0, 0), 0);
        assert_eq!(latency_for(&ServeOptions::default()), 0);
        let serve = ServeOptions {
            latency_ms: 50,
            jitter_ms: 10,
            ..ServeOptions::default()
        };
        for _ in 0..200 {
            assert!((40..=60).contains(&latency_for(&serve)));
        }
    }
}
