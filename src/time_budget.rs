//! Bounded time for outbound calls: the per-attempt [`Timeouts`] (the API and the OpenAI
//! profile; `upstream::Provider::timeouts` says which provider gets which) and the time budget
//! of one whole incoming request (every call and retry included). Every figure lives here, and
//! nothing here depends on an upstream; `docs/RELIABILITY.md` ("Bounded time") derives the worst cases from them.
//!
//! Rules, applied by the transport before each attempt:
//! - an attempt gets its provider's profile, times the `outbound_timeout_scale` variable;
//! - a retry is made only when the backoff wait plus a whole attempt still fit in the budget;
//! - a first attempt that does not fit gets its limits shrunk to what is left, and is not sent
//!   at all (`TransportError::OutOfTime`) when less than [`MIN_ATTEMPT`] is left.
//!
//! So a request never spends (much) more than [`REQUEST_BUDGET`] waiting for upstreams.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Connecting (DNS + TCP), every provider.
pub const CONNECT: Duration = Duration::from_secs(5);
/// Longest pause between two body chunks, every provider.
pub const BETWEEN_BYTES: Duration = Duration::from_secs(5);
/// The whole response body once the headers are in, every provider (bodies are small JSON).
pub const BODY: Duration = Duration::from_secs(5);

/// Reclaim, Nylas and the A2A key documents: a JSON API answers within seconds.
pub const API_TIMEOUTS: Timeouts = Timeouts {
    connect: CONNECT,
    first_byte: Duration::from_secs(20),
    between_bytes: BETWEEN_BYTES,
    body: BODY,
};

/// OpenAI: the model thinks before the first byte (no streaming), so a longer wait for it.
/// Its whole attempt (50 s) stays under the budget, so a first model call is never shrunk.
pub const OPENAI_TIMEOUTS: Timeouts = Timeouts {
    connect: CONNECT,
    first_byte: Duration::from_secs(35),
    between_bytes: BETWEEN_BYTES,
    body: BODY,
};

/// The time one incoming request may spend on upstream calls, retries and backoff included:
/// under the 60 s an MCP client typically waits for a tool call.
pub const REQUEST_BUDGET: Duration = Duration::from_secs(55);

/// Below this much time left, a call is not started at all.
pub const MIN_ATTEMPT: Duration = Duration::from_secs(1);

/// Accepted range of the `outbound_timeout_scale` variable (other values: 1).
pub const SCALE_RANGE: std::ops::RangeInclusive<f64> = 0.01..=10.0;

/// Per-attempt time limits of one outbound call.
///
/// The upstream clients attach them to every request as an `http` extension
/// ([`Timeouts::attach`]); whoever sends the request reads them back with [`Timeouts::of`]. The
/// Spin layer passes the first three to wasi-http as request options and enforces `body`
/// itself; fakes record them so tests can assert them. The figures are below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting (DNS and TCP; the runtime applies it again to the HTTP handshake).
    pub connect: Duration,
    /// From the request sent to the response headers.
    pub first_byte: Duration,
    /// Longest pause between two chunks of the response body.
    pub between_bytes: Duration,
    /// The whole response body, from the headers on (checked between chunks).
    pub body: Duration,
}

impl Timeouts {
    /// The longest one attempt can take: connect, first byte, the body allowance, plus one
    /// pause that began just before the body allowance ran out.
    pub fn attempt_bound(&self) -> Duration {
        self.connect + self.first_byte + self.body + self.between_bytes
    }

    /// Attaches these limits to `request`.
    pub fn attach(self, request: &mut crate::ports::HttpRequest) {
        request.extensions_mut().insert(self);
    }

    /// The limits attached to `request`, or the API profile when none are.
    pub fn of(request: &crate::ports::HttpRequest) -> Timeouts {
        request
            .extensions()
            .get::<Timeouts>()
            .copied()
            .unwrap_or(API_TIMEOUTS)
    }
}

/// The clock and scale of one incoming request's budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestBudget {
    started: DateTime<Utc>,
    scale: f64,
}

impl RequestBudget {
    /// A budget starting at `started`; `scale` outside [`SCALE_RANGE`] counts as 1.
    pub fn new(started: DateTime<Utc>, scale: f64) -> RequestBudget {
        let scale = if SCALE_RANGE.contains(&scale) {
            scale
        } else {
            1.0
        };
        RequestBudget { started, scale }
    }

    /// The whole budget, scaled.
    pub fn total(&self) -> Duration {
        REQUEST_BUDGET.mul_f64(self.scale)
    }

    fn remaining(&self, now: DateTime<Utc>) -> Duration {
        let spent = (now - self.started).to_std().unwrap_or_default();
        self.total().saturating_sub(spent)
    }

    /// The limits for an attempt with `profile` starting `now`: the scaled profile, shrunk to
    /// fit what is left; `None` when less than [`MIN_ATTEMPT`] (scaled) is left.
    pub fn attempt(&self, profile: Timeouts, now: DateTime<Utc>) -> Option<Timeouts> {
        let left = self.remaining(now);
        if left < MIN_ATTEMPT.mul_f64(self.scale) {
            return None;
        }
        Some(fit(scaled(profile, self.scale), left))
    }

    /// Whether waiting `wait` and then a whole (unshrunk) attempt with `profile` still fits.
    pub fn allows_retry(&self, profile: Timeouts, now: DateTime<Utc>, wait: Duration) -> bool {
        wait + scaled(profile, self.scale).attempt_bound() <= self.remaining(now)
    }
}

/// The limits of the next attempt: from the budget when there is one, else the profile as is.
pub fn next_attempt(
    budget: Option<&RequestBudget>,
    profile: Timeouts,
    now: DateTime<Utc>,
) -> Option<Timeouts> {
    match budget {
        Some(b) => b.attempt(profile, now),
        None => Some(profile),
    }
}

/// Whether a retry fits: always without a budget (the attempt count still bounds it).
pub fn retry_fits(
    budget: Option<&RequestBudget>,
    profile: Timeouts,
    now: DateTime<Utc>,
    wait: Duration,
) -> bool {
    budget.is_none_or(|b| b.allows_retry(profile, now, wait))
}

fn scaled(t: Timeouts, factor: f64) -> Timeouts {
    Timeouts {
        connect: t.connect.mul_f64(factor),
        first_byte: t.first_byte.mul_f64(factor),
        between_bytes: t.between_bytes.mul_f64(factor),
        body: t.body.mul_f64(factor),
    }
}

/// `t` with every phase shrunk in proportion so its attempt bound is at most `limit`.
fn fit(t: Timeouts, limit: Duration) -> Timeouts {
    let bound = t.attempt_bound();
    if bound <= limit || bound.is_zero() {
        return t;
    }
    scaled(t, limit.as_secs_f64() / bound.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap() + chrono::Duration::seconds(secs)
    }

    #[test]
    fn openai_waits_longer_for_its_first_byte_than_the_apis() {
        assert!(OPENAI_TIMEOUTS.first_byte > API_TIMEOUTS.first_byte);
        assert_eq!(API_TIMEOUTS.attempt_bound(), Duration::from_secs(35));
        assert_eq!(OPENAI_TIMEOUTS.attempt_bound(), Duration::from_secs(50));
        assert!(OPENAI_TIMEOUTS.attempt_bound() < REQUEST_BUDGET);
    }

    #[test]
    fn an_attempt_gets_its_profile_while_it_fits() {
        let b = RequestBudget::new(at(0), 1.0);
        assert_eq!(b.attempt(API_TIMEOUTS, at(0)), Some(API_TIMEOUTS));
        assert_eq!(b.attempt(API_TIMEOUTS, at(20)), Some(API_TIMEOUTS));
    }

    #[test]
    fn a_late_attempt_is_shrunk_to_what_is_left_then_not_made() {
        let b = RequestBudget::new(at(0), 1.0);
        let late = b.attempt(API_TIMEOUTS, at(48)).unwrap();
        assert!((late.attempt_bound().as_secs_f64() - 7.0).abs() < 1e-6);
        assert!(late.first_byte < API_TIMEOUTS.first_byte);
        assert!(b.attempt(API_TIMEOUTS, at(54)).is_some());
        assert_eq!(b.attempt(API_TIMEOUTS, at(55)), None);
        assert_eq!(b.attempt(API_TIMEOUTS, at(600)), None);
    }

    #[test]
    fn a_retry_needs_room_for_the_wait_and_a_whole_attempt() {
        let b = RequestBudget::new(at(0), 1.0);
        let wait = Duration::from_millis(250);
        assert!(b.allows_retry(API_TIMEOUTS, at(19), wait));
        assert!(!b.allows_retry(API_TIMEOUTS, at(20), wait));
        assert!(b.allows_retry(OPENAI_TIMEOUTS, at(0), wait));
        assert!(!b.allows_retry(OPENAI_TIMEOUTS, at(5), wait));
        assert!(retry_fits(None, OPENAI_TIMEOUTS, at(0), wait));
    }

    #[test]
    fn the_scale_shrinks_limits_and_budget_alike_and_odd_scales_count_as_one() {
        let b = RequestBudget::new(at(0), 0.1);
        assert_eq!(b.total(), Duration::from_millis(5500));
        let t = b.attempt(API_TIMEOUTS, at(0)).unwrap();
        assert_eq!(t.first_byte, Duration::from_secs(2));
        assert_eq!(t.connect, Duration::from_millis(500));
        for odd in [0.0, -1.0, 11.0, f64::NAN, f64::INFINITY] {
            assert_eq!(RequestBudget::new(at(0), odd).total(), REQUEST_BUDGET);
        }
    }

    #[test]
    fn without_a_budget_the_profile_is_used_as_is() {
        assert_eq!(
            next_attempt(None, OPENAI_TIMEOUTS, at(10_000)),
            Some(OPENAI_TIMEOUTS)
        );
    }
}
