//! Per-request observability: upstream call counting and the one structured log line.

use std::cell::Cell;

use serde_json::json;

use crate::config::Settings;
use crate::ports::{HttpRequest, HttpResponse, LocalBoxFuture, Outbound, TransportError};

/// Which upstream an outbound request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upstream {
    OpenAi,
    Reclaim,
    Nylas,
    Other,
}

/// Upstream call counts of one request.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpstreamCounts {
    pub openai: u32,
    pub reclaim: u32,
    pub nylas: u32,
    pub other: u32,
}

/// Wraps the real outbound port and counts calls per upstream.
pub struct CountingOutbound<'a> {
    inner: &'a dyn Outbound,
    bases: [(String, Upstream); 3],
    counts: Cell<UpstreamCounts>,
}

impl<'a> CountingOutbound<'a> {
    pub fn new(inner: &'a dyn Outbound, settings: &Settings) -> Self {
        CountingOutbound {
            inner,
            bases: [
                (settings.openai_base_url.clone(), Upstream::OpenAi),
                (settings.reclaim_base_url.clone(), Upstream::Reclaim),
                (settings.nylas_base_url.clone(), Upstream::Nylas),
            ],
            counts: Cell::new(UpstreamCounts::default()),
        }
    }

    pub fn counts(&self) -> UpstreamCounts {
        self.counts.get()
    }

    fn classify(&self, uri: &str) -> Upstream {
        self.bases
            .iter()
            .find(|(base, _)| uri.starts_with(base.as_str()))
            .map(|(_, u)| *u)
            .unwrap_or(Upstream::Other)
    }
}

impl Outbound for CountingOutbound<'_> {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut c = self.counts.get();
        match self.classify(&request.uri().to_string()) {
            Upstream::OpenAi => c.openai += 1,
            Upstream::Reclaim => c.reclaim += 1,
            Upstream::Nylas => c.nylas += 1,
            Upstream::Other => c.other += 1,
        }
        self.counts.set(c);
        self.inner.send(request)
    }
}

thread_local! {
    /// Fields of the current request whose time came from the model's ISO reading.
    static MODEL_TIME_READINGS: std::cell::RefCell<Vec<&'static str>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Records that `field`'s time phrase was not readable and the model's ISO reading was used.
/// A request runs on one thread (one per instance in Spin), so this is per request.
pub fn note_model_time_reading(field: &'static str) {
    MODEL_TIME_READINGS.with(|r| r.borrow_mut().push(field));
}

/// Takes (and clears) the fields noted since the last call.
pub fn take_model_time_readings() -> Vec<&'static str> {
    MODEL_TIME_READINGS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// What the request log line records. Nothing secret goes in here: only ids, names and numbers.
pub struct RequestLogLine<'a> {
    pub request_id: &'a str,
    pub method: &'a str,
    pub route: &'a str,
    pub tool: Option<&'a str>,
    pub status: u16,
    pub duration_ms: f64,
    pub upstream: UpstreamCounts,
    /// Fields whose time phrase Rust could not read, so the model's ISO reading was used.
    pub model_time_readings: Vec<&'static str>,
}

impl RequestLogLine<'_> {
    pub fn render(&self) -> String {
        json!({
            "request_id": self.request_id,
            "method": self.method,
            "route": self.route,
            "tool": self.tool,
            "status": self.status,
            "duration_ms": (self.duration_ms * 1000.0).round() / 1000.0,
            "upstream_calls": {
                "openai": self.upstream.openai,
                "reclaim": self.upstream.reclaim,
                "nylas": self.upstream.nylas,
                "other": self.upstream.other,
            },
            "model_time_readings": self.model_time_readings,
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_line_is_json_with_counts() {
        let line = RequestLogLine {
            request_id: "req-1",
            method: "POST",
            route: "/mcp/tools/{name}",
            tool: Some("manage_productivity"),
            status: 200,
            duration_ms: 1.23456,
            upstream: UpstreamCounts {
                openai: 1,
                reclaim: 2,
                nylas: 0,
                other: 0,
            },
            model_time_readings: vec!["start"],
        }
        .render();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["upstream_calls"]["reclaim"], 2);
        assert_eq!(v["tool"], "manage_productivity");
        assert_eq!(v["duration_ms"], 1.235);
        assert_eq!(v["model_time_readings"], serde_json::json!(["start"]));
    }
}
