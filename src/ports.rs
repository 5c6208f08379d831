//! The small traits behind which every piece of I/O sits.
//!
//! The component implements them with Spin (`crate::spin_glue`, wasm only); tests implement
//! them with in-memory fakes. Nothing else in the crate touches the outside world.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};

/// A boxed, non-`Send` future: Spin runs one request per single-threaded Wasm instance.
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A buffered HTTP request or response, as everything in this crate passes them around.
pub type HttpRequest = http::Request<Vec<u8>>;
pub type HttpResponse = http::Response<Vec<u8>>;

/// Why an outbound request produced no HTTP response at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The runtime refused the destination (not in `allowed_outbound_hosts`).
    Denied(String),
    /// DNS failure, connection refused or reset before a response arrived.
    Connect(String),
    /// The upstream did not answer in time.
    Timeout,
    /// Not sent: the incoming request had used up its time budget
    /// (`crate::time_budget::REQUEST_BUDGET`) on earlier calls.
    OutOfTime,
    /// Anything else the runtime reported.
    Other(String),
}

impl TransportError {
    /// True when the request provably never reached the upstream, so even a
    /// non-idempotent call may be retried.
    pub fn request_not_sent(&self) -> bool {
        matches!(
            self,
            TransportError::Denied(_) | TransportError::Connect(_) | TransportError::OutOfTime
        )
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Denied(d) => write!(f, "outbound request denied by the runtime: {d}"),
            TransportError::Connect(d) => write!(f, "could not connect: {d}"),
            TransportError::Timeout => write!(f, "timed out"),
            TransportError::OutOfTime => {
                write!(f, "not sent: the request's time budget is used up")
            }
            TransportError::Other(d) => write!(f, "{d}"),
        }
    }
}

pub use crate::time_budget::Timeouts;

/// Outbound HTTP. wasi-http with [`Timeouts`] in the component; fakes in tests.
pub trait Outbound {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// The request's telemetry notes, when this port is the per-request counting wrapper.
    fn notes(&self) -> Option<&crate::telemetry::RequestNotes> {
        None
    }

    /// The incoming request's time budget, when this port is the per-request wrapper.
    fn budget(&self) -> Option<&crate::time_budget::RequestBudget> {
        None
    }
}

/// Raw configuration values (Spin variables). `None` when unset or empty.
pub trait ConfigSource {
    fn get(&self, name: &str) -> Option<String>;
}

/// The optional Spin key-value store (`default`).
///
/// `compare_and_swap` and `increment` are atomic (Spin: `wasi:keyvalue/atomics`); everything
/// that must happen once (an approval claim, a budget count, who sweeps) goes through them.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String>;
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String>;
    /// Removes `key`; no error when it is absent.
    fn delete(&self, key: &str) -> Result<(), String>;
    /// Every key in the store.
    fn list_keys(&self) -> Result<Vec<String>, String>;
    /// Atomically sets `key` to `value` if its current value is `expected` (`None`: absent).
    /// `Ok(false)` when the current value was something else (nothing was written).
    fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<bool, String>;
    /// Atomically adds `delta` to the counter at `key` (absent: 0) and returns the new value.
    fn increment(&self, key: &str, delta: i64) -> Result<i64, String>;
}

/// An in-memory store honouring the atomic operations (tests, benchmarks, the e2e host's model).
#[derive(Default)]
pub struct MemoryStore(std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

impl MemoryStore {
    fn map(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<String, Vec<u8>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.map().keys().cloned().collect()
    }
    pub fn len(&self) -> usize {
        self.map().len()
    }
    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }
}

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.map().get(key).cloned())
    }
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
        self.map().insert(key.to_string(), value.to_vec());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), String> {
        self.map().remove(key);
        Ok(())
    }
    fn list_keys(&self) -> Result<Vec<String>, String> {
        Ok(self.keys())
    }
    fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<bool, String> {
        let mut map = self.map();
        if map.get(key).map(Vec::as_slice) != expected {
            return Ok(false);
        }
        map.insert(key.to_string(), value.to_vec());
        Ok(true)
    }
    fn increment(&self, key: &str, delta: i64) -> Result<i64, String> {
        let mut map = self.map();
        let current = match map.get(key) {
            Some(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| format!("{key} does not hold a counter"))?,
            None => 0,
        };
        let next = current.saturating_add(delta);
        map.insert(key.to_string(), next.to_string().into_bytes());
        Ok(next)
    }
}

/// The wall clock.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
    /// Waits (retry backoff). Test clocks return at once.
    fn sleep(&self, _duration: std::time::Duration) {}
}

/// Cryptographic randomness (only used to mint a local approval secret and request ids).
pub trait Random {
    fn fill(&self, buf: &mut [u8]);
}

/// Where the one structured log line per request goes (stderr in Spin).
pub trait LogSink {
    fn line(&self, line: &str);
}

/// A fixed clock, for tests and benchmarks.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Configuration from a map, for tests and the e2e host.
impl ConfigSource for std::collections::HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        std::collections::HashMap::get(self, name)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    }
}

/// Everything a handler may use to reach the outside world, passed explicitly.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub outbound: &'a dyn Outbound,
    pub config: &'a dyn ConfigSource,
    pub store: Option<&'a dyn KeyValue>,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Random,
    pub log: &'a dyn LogSink,
}
