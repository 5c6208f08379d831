//! Per-request observability: upstream call counting and the one structured log line.

use std::cell::{Cell, RefCell};

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::config::Settings;
use crate::ports::{HttpRequest, HttpResponse, LocalBoxFuture, Outbound, TransportError};
use crate::time_budget::RequestBudget;

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

/// How the natural-language request of a tool call was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpretation {
    /// `"rules"` (the deterministic interpreter) or `"model"` (one OpenAI call).
    pub by: &'static str,
    pub model: Option<String>,
    pub reasoning_effort: Option<String>,
}

impl Interpretation {
    pub fn rules() -> Interpretation {
        Interpretation {
            by: "rules",
            model: None,
            reasoning_effort: None,
        }
    }

    pub fn model(model: &str, reasoning_effort: Option<&str>) -> Interpretation {
        Interpretation {
            by: "model",
            model: Some(model.to_string()),
            reasoning_effort: reasoning_effort.map(str::to_string),
        }
    }
}

/// What the tools note about one request for its log line, the one per-request place: how
/// it was interpreted (the latest call's, for the log line; `take_current` hands a tool call
/// its own) and which time fields came from the model's ISO reading.
#[derive(Debug, Default)]
pub struct RequestNotes {
    current: RefCell<Option<Interpretation>>,
    last: RefCell<Option<Interpretation>>,
    model_time_readings: RefCell<Vec<&'static str>>,
}

impl RequestNotes {
    pub fn note_interpretation(&self, i: Interpretation) {
        *self.current.borrow_mut() = Some(i.clone());
        *self.last.borrow_mut() = Some(i);
    }

    /// The interpretation noted since the last call, cleared.
    pub fn take_current(&self) -> Option<Interpretation> {
        self.current.borrow_mut().take()
    }

    pub fn last(&self) -> Option<Interpretation> {
        self.last.borrow().clone()
    }

    /// Records the fields whose time phrase was not readable, so the model's ISO reading
    /// was used.
    pub fn note_model_time_readings(&self, fields: &[&'static str]) {
        self.model_time_readings
            .borrow_mut()
            .extend_from_slice(fields);
    }

    pub fn model_time_readings(&self) -> Vec<&'static str> {
        self.model_time_readings.borrow().clone()
    }
}

/// Wraps the real outbound port and counts calls per upstream; carries the request's notes
/// and its time budget.
pub struct CountingOutbound<'a> {
    inner: &'a dyn Outbound,
    bases: [(String, Upstream); 3],
    counts: Cell<UpstreamCounts>,
    notes: RequestNotes,
    budget: RequestBudget,
}

impl<'a> CountingOutbound<'a> {
    /// The wrapper of one incoming request, whose time budget starts `now`.
    pub fn new(inner: &'a dyn Outbound, settings: &Settings, now: DateTime<Utc>) -> Self {
        CountingOutbound {
            budget: RequestBudget::new(now, settings.outbound_timeout_scale),
            inner,
            bases: [
                (settings.openai_base_url.clone(), Upstream::OpenAi),
                (settings.reclaim_base_url.clone(), Upstream::Reclaim),
                (settings.nylas_base_url.clone(), Upstream::Nylas),
            ],
            counts: Cell::new(UpstreamCounts::default()),
            notes: RequestNotes::default(),
        }
    }

    pub fn notes(&self) -> &RequestNotes {
        &self.notes
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

    fn notes(&self) -> Option<&RequestNotes> {
        Some(&self.notes)
    }

    fn budget(&self) -> Option<&RequestBudget> {
        Some(&self.budget)
    }
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
    pub interpretation: Option<Interpretation>,
    /// Fields whose time phrase Rust could not read, so the model's ISO reading was used.
    pub model_time_readings: Vec<&'static str>,
}

impl RequestLogLine<'_> {
    pub fn render(&self) -> String {
        let mut line = json!({
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
        });
        if let Some(i) = &self.interpretation {
            line["interpreted_by"] = json!(i.by);
            if let Some(model) = &i.model {
                line["model"] = json!(model);
                line["reasoning_effort"] = json!(i.reasoning_effort);
            }
        }
        line.to_string()
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
            interpretation: Some(Interpretation::model("gpt-5-mini", Some("minimal"))),
            model_time_readings: vec!["start"],
        }
        .render();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["upstream_calls"]["reclaim"], 2);
        assert_eq!(v["tool"], "manage_productivity");
        assert_eq!(v["duration_ms"], 1.235);
        assert_eq!(v["interpreted_by"], "model");
        assert_eq!(v["model"], "gpt-5-mini");
        assert_eq!(v["reasoning_effort"], "minimal");
        assert_eq!(v["model_time_readings"], serde_json::json!(["start"]));
    }

    #[test]
    fn notes_keep_each_requests_model_time_readings_apart() {
        let first = RequestNotes::default();
        let second = RequestNotes::default();
        first.note_model_time_readings(&["start", "range_end"]);
        second.note_model_time_readings(&["due"]);
        assert_eq!(first.model_time_readings(), vec!["start", "range_end"]);
        assert_eq!(second.model_time_readings(), vec!["due"]);
    }
}
