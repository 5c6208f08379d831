//! The thin Spin layer: implements the `ports` traits with spin-sdk and exports the handler.
//! Everything here is glue; the logic lives in plain Rust elsewhere.

use chrono::{DateTime, Utc};
use spin_sdk::http::{self as spin_http, IntoResponse};
use spin_sdk::http_component;

use crate::api::MAX_BODY_BYTES;
use crate::body::{self, BodyError, BodyTooLarge};
use crate::ports::{Clock, ConfigSource, Context, HttpRequest, KeyValue, LogSink, Random};

mod outbound;
use outbound::SpinOutbound;

struct SpinVariables;

impl ConfigSource for SpinVariables {
    fn get(&self, name: &str) -> Option<String> {
        spin_sdk::variables::get(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
    }
}

/// The `default` store: plain operations through `fermyon:spin/key-value`, the atomic ones
/// through `wasi:keyvalue/atomics` on the same store (Spin backs both with one store per label),
/// opened on first use.
struct SpinStore {
    store: spin_sdk::key_value::Store,
    bucket: std::cell::OnceCell<Result<wasi_kv::store::Bucket, String>>,
}

use spin_sdk::wit::wasi::keyvalue as wasi_kv;

impl SpinStore {
    fn bucket(&self) -> Result<&wasi_kv::store::Bucket, String> {
        self.bucket
            .get_or_init(|| wasi_kv::store::open("default").map_err(|e| format!("{e:?}")))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl KeyValue for SpinStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        self.store.get(key).map_err(|e| e.to_string())
    }
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
        self.store.set(key, value).map_err(|e| e.to_string())
    }
    fn delete(&self, key: &str) -> Result<(), String> {
        self.store.delete(key).map_err(|e| e.to_string())
    }
    fn list_keys(&self) -> Result<Vec<String>, String> {
        self.store.get_keys().map_err(|e| e.to_string())
    }
    fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<bool, String> {
        let cas = wasi_kv::atomics::Cas::new(self.bucket()?, key).map_err(|e| format!("{e:?}"))?;
        if cas.current().map_err(|e| format!("{e:?}"))?.as_deref() != expected {
            return Ok(false);
        }
        match wasi_kv::atomics::swap(cas, value) {
            Ok(()) => Ok(true),
            Err(wasi_kv::atomics::CasError::CasFailed(_)) => Ok(false),
            Err(wasi_kv::atomics::CasError::StoreError(e)) => Err(format!("{e:?}")),
        }
    }
    fn increment(&self, key: &str, delta: i64) -> Result<i64, String> {
        wasi_kv::atomics::increment(self.bucket()?, key, delta).map_err(|e| format!("{e:?}"))
    }
}

struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn sleep(&self, duration: std::time::Duration) {
        std::thread::sleep(duration);
    }
}

struct WasiRandom;

impl Random for WasiRandom {
    fn fill(&self, buf: &mut [u8]) {
        if getrandom::getrandom(buf).is_err() {
            // Never fall back to a predictable value silently: mix the clock in as a last resort.
            let nanos = Utc::now()
                .timestamp_nanos_opt()
                .unwrap_or_default()
                .to_le_bytes();
            for (i, b) in buf.iter_mut().enumerate() {
                *b ^= nanos[i % nanos.len()];
            }
        }
    }
}

struct StderrLog;

impl LogSink for StderrLog {
    fn line(&self, line: &str) {
        eprintln!("{line}");
    }
}

#[http_component]
async fn handle_request(incoming: spin_http::IncomingRequest) -> impl IntoResponse {
    let request = read_request(incoming).await;
    let store = spin_sdk::key_value::Store::open_default()
        .ok()
        .map(|store| SpinStore {
            store,
            bucket: std::cell::OnceCell::new(),
        });
    let ctx = Context {
        outbound: &SpinOutbound,
        config: &SpinVariables,
        store: store.as_ref().map(|s| s as &dyn KeyValue),
        clock: &SystemClock,
        random: &WasiRandom,
        log: &StderrLog,
    };
    crate::app::handle(request, ctx).await
}

/// The incoming request with its body read up to [`MAX_BODY_BYTES`] as it streams; a larger
/// body is left unread and the request marked [`BodyTooLarge`] (the routes answer 413).
async fn read_request(incoming: spin_http::IncomingRequest) -> HttpRequest {
    let mut builder = http::Request::builder()
        .method(http::Method::from(incoming.method()))
        .uri(incoming.uri());
    for (name, value) in incoming.headers().entries() {
        builder = builder.header(name, value);
    }
    let too_large = builder
        .headers_ref()
        .is_some_and(|h| body::declared_too_large(h, MAX_BODY_BYTES));
    let body = if too_large {
        Err(BodyError::TooLarge)
    } else {
        body::read_limited(incoming.into_body_stream(), MAX_BODY_BYTES).await
    };
    let request = match body {
        Ok(bytes) => builder.body(bytes),
        Err(BodyError::TooLarge) => builder.extension(BodyTooLarge).body(Vec::new()),
        // A body that broke off is treated as empty: the routes then refuse or ignore it.
        Err(BodyError::Stream(_)) => builder.body(Vec::new()),
    };
    request.unwrap_or_else(|_| http::Request::new(Vec::new()))
}
