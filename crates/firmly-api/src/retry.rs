//! The retry policy as a pure function, tested as a table. Only idempotent GETs are ever
//! retried; payment calls never are (docs/ARCHITECTURE.md, "Orders tell the truth").

use std::time::Duration;

/// Attempts in total (first try included) for a retryable request.
pub const MAX_ATTEMPTS: u32 = 3;
/// Upper bound of the exponential backoff.
pub const BACKOFF_CAP: Duration = Duration::from_secs(2);
/// First backoff delay; doubles per attempt.
pub const BACKOFF_BASE: Duration = Duration::from_millis(250);
/// A `Retry-After` longer than this is not worth blocking an interactive checkout for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// What happened on one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status (and, when parsed, this error code).
    Status { status: u16, code: Option<String> },
    /// Connection failed or dropped.
    Network,
    /// No answer in time.
    Timeout,
}

impl Outcome {
    pub fn from_error(e: &crate::ApiError) -> Outcome {
        match (e.status, e.code) {
            (Some(status), _) => Outcome::Status {
                status,
                code: Some(e.id().to_string()),
            },
            (None, crate::error::ErrorCode::Timeout) => Outcome::Timeout,
            _ => Outcome::Network,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    Retry(Duration),
    GiveUp,
}

/// Decides whether to try again after `attempt` (1-based) attempts ended in `outcome`.
pub fn retry_decision(
    method_is_idempotent: bool,
    is_payment: bool,
    attempt: u32,
    outcome: &Outcome,
    retry_after: Option<Duration>,
) -> RetryDecision {
    if is_payment || !method_is_idempotent || attempt >= MAX_ATTEMPTS {
        return RetryDecision::GiveUp;
    }
    let transient = match outcome {
        Outcome::Network | Outcome::Timeout => true,
        Outcome::Status { status, .. } => *status >= 500,
    };
    if !transient {
        return RetryDecision::GiveUp;
    }
    match retry_after {
        Some(d) if d > MAX_RETRY_AFTER => RetryDecision::GiveUp,
        Some(d) => RetryDecision::Retry(d),
        None => {
            let factor = 1u32 << attempt.saturating_sub(1).min(16);
            RetryDecision::Retry(BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_CAP))
        }
    }
}

/// Parses `Retry-After` given in seconds (HTTP dates are ignored: servers here send seconds).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(status: u16) -> Outcome {
        Outcome::Status { status, code: None }
    }

    #[test]
    fn retry_table() {
        use RetryDecision::*;
        let ms = Duration::from_millis;
        let table: Vec<(bool, bool, u32, Outcome, Option<Duration>, RetryDecision)> = vec![
            // idempotent GET, transient failures: backoff 250, 500 ms, then give up at 3 attempts
            (true, false, 1, st(503), None, Retry(ms(250))),
            (true, false, 2, st(500), None, Retry(ms(500))),
            (true, false, 3, st(503), None, GiveUp),
            (true, false, 1, Outcome::Network, None, Retry(ms(250))),
            (true, false, 2, Outcome::Timeout, None, Retry(ms(500))),
            // Retry-After honoured, but not when absurdly long
            (true, false, 1, st(503), Some(ms(1500)), Retry(ms(1500))),
            (
                true,
                false,
                1,
                st(503),
                Some(Duration::from_secs(60)),
                GiveUp,
            ),
            // never 4xx
            (true, false, 1, st(400), None, GiveUp),
            (true, false, 1, st(404), None, GiveUp),
            (true, false, 1, st(409), None, GiveUp),
            (true, false, 1, st(429), Some(ms(100)), GiveUp),
            // never non-idempotent
            (false, false, 1, st(503), None, GiveUp),
            (false, false, 1, Outcome::Network, None, GiveUp),
            // never payment, even when idempotent
            (true, true, 1, st(503), None, GiveUp),
            (false, true, 1, Outcome::Timeout, None, GiveUp),
            // success-ish statuses are not retried
            (true, false, 1, st(200), None, GiveUp),
        ];
        for (i, (idem, pay, attempt, outcome, ra, want)) in table.into_iter().enumerate() {
            assert_eq!(
                retry_decision(idem, pay, attempt, &outcome, ra),
                want,
                "row {i}: {outcome:?}"
            );
        }
    }

    #[test]
    fn backoff_is_capped() {
        for attempt in 1..40 {
            if let RetryDecision::Retry(d) =
                retry_decision(true, false, attempt.min(2), &Outcome::Network, None)
            {
                assert!(d <= BACKOFF_CAP);
            }
        }
        // Cap applies with a higher attempt budget too (pure computation check).
        let factor = 1u32 << 15;
        assert_eq!(
            BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_CAP),
            BACKOFF_CAP
        );
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
