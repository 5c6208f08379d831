//! A scripted fake `Outbound` (a queue of canned answers plus a log of what was sent) and a
//! clock that records its sleeps. For unit tests inside the crate; the stateful fakes live in
//! the separate test kit.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use crate::ports::{
    Clock, HttpRequest, HttpResponse, LocalBoxFuture, Outbound, Timeouts, TransportError,
};

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub url: url::Url,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
    /// The time limits the client attached (`None`: none attached).
    pub timeouts: Option<Timeouts>,
}

impl Recorded {
    /// The path, still percent-encoded.
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// A decoded query parameter (the first one of that name).
    pub fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    pub fn query_names(&self) -> Vec<String> {
        self.url
            .query_pairs()
            .map(|(k, _)| k.into_owned())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Answers each request with the next canned answer (500 when the script is exhausted).
#[derive(Default)]
pub struct ScriptedOutbound {
    script: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    log: RefCell<Vec<Recorded>>,
}

impl ScriptedOutbound {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, response: HttpResponse) {
        self.script.borrow_mut().push_back(Ok(response));
    }

    pub fn push_json(&self, status: u16, body: Value) {
        self.push(json_response(status, body));
    }

    pub fn push_err(&self, error: TransportError) {
        self.script.borrow_mut().push_back(Err(error));
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.borrow().clone()
    }

    pub fn remaining(&self) -> usize {
        self.script.borrow().len()
    }
}

impl Outbound for ScriptedOutbound {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        let (parts, body) = request.into_parts();
        self.log.borrow_mut().push(Recorded {
            method: parts.method.to_string(),
            url: url::Url::parse(&parts.uri.to_string()).expect("absolute URL"),
            headers: parts.headers,
            body,
            timeouts: parts.extensions.get::<Timeouts>().copied(),
        });
        let next = self.script.borrow_mut().pop_front().unwrap_or_else(|| {
            Ok(json_response(
                500,
                serde_json::json!({"error": "script exhausted"}),
            ))
        });
        Box::pin(async move { next })
    }
}

pub fn json_response(status: u16, body: Value) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap()
}

/// A fixed "now" that records every sleep instead of waiting.
pub struct FakeClock {
    now: DateTime<Utc>,
    sleeps: RefCell<Vec<Duration>>,
}

impl FakeClock {
    pub fn new() -> Self {
        FakeClock {
            now: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
            sleeps: RefCell::new(vec![]),
        }
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.borrow().clone()
    }
}

impl Default for FakeClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
    }
    fn sleep(&self, duration: Duration) {
        self.sleeps.borrow_mut().push(duration);
    }
}
