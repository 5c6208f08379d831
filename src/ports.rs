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
    /// Anything else the runtime reported.
    Other(String),
}

impl TransportError {
    /// True when the request provably never reached the upstream, so even a
    /// non-idempotent call may be retried.
    pub fn request_not_sent(&self) -> bool {
        matches!(self, TransportError::Denied(_) | TransportError::Connect(_))
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Denied(d) => write!(f, "outbound request denied by the runtime: {d}"),
            TransportError::Connect(d) => write!(f, "could not connect: {d}"),
            TransportError::Timeout => write!(f, "timed out"),
            TransportError::Other(d) => write!(f, "{d}"),
        }
    }
}

/// Outbound HTTP. `spin_sdk::http::send` in the component; fakes in tests.
pub trait Outbound {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// The request's telemetry notes, when this port is the per-request counting wrapper.
    fn notes(&self) -> Option<&crate::telemetry::RequestNotes> {
        None
    }
}

/// Raw configuration values (Spin variables). `None` when unset or empty.
pub trait ConfigSource {
    fn get(&self, name: &str) -> Option<String>;
}

/// The optional Spin key-value store (`default`).
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String>;
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String>;
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
