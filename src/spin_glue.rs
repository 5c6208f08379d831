//! The thin Spin layer: implements the `ports` traits with spin-sdk and exports the handler.
//! Everything here is glue; the logic lives in plain Rust elsewhere.

use chrono::{DateTime, Utc};
use spin_sdk::http::{self as spin_http, IntoResponse};
use spin_sdk::http_component;

use crate::ports::{
    Clock, ConfigSource, Context, HttpRequest, HttpResponse, KeyValue, LocalBoxFuture, LogSink,
    Outbound, Random, TransportError,
};

struct SpinOutbound;

impl Outbound for SpinOutbound {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let result: Result<http::Response<Vec<u8>>, spin_http::SendError> =
                spin_http::send(request).await;
            result.map_err(map_send_error)
        })
    }
}

fn map_send_error(error: spin_http::SendError) -> TransportError {
    use spin_sdk::http::ErrorCode;
    use spin_sdk::http::SendError;
    match error {
        SendError::Http(code) => match code {
            ErrorCode::HttpRequestDenied => {
                TransportError::Denied("destination not in allowed_outbound_hosts".into())
            }
            ErrorCode::DnsTimeout
            | ErrorCode::ConnectionTimeout
            | ErrorCode::ConnectionReadTimeout
            | ErrorCode::ConnectionWriteTimeout
            | ErrorCode::HttpResponseTimeout => TransportError::Timeout,
            ErrorCode::DnsError(_)
            | ErrorCode::DestinationNotFound
            | ErrorCode::DestinationUnavailable
            | ErrorCode::DestinationIpUnroutable
            | ErrorCode::DestinationIpProhibited
            | ErrorCode::ConnectionRefused => TransportError::Connect(format!("{code:?}")),
            other => TransportError::Other(format!("{other:?}")),
        },
        other => TransportError::Other(other.to_string()),
    }
}

struct SpinVariables;

impl ConfigSource for SpinVariables {
    fn get(&self, name: &str) -> Option<String> {
        spin_sdk::variables::get(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
    }
}

struct SpinStore(spin_sdk::key_value::Store);

impl KeyValue for SpinStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        self.0.get(key).map_err(|e| e.to_string())
    }
    fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
        self.0.set(key, value).map_err(|e| e.to_string())
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
async fn handle_request(request: http::Request<Vec<u8>>) -> impl IntoResponse {
    let store = spin_sdk::key_value::Store::open_default()
        .ok()
        .map(SpinStore);
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
