//! The one way the clients talk HTTP: a JSON request with Bearer auth, status mapping to
//! [`UpstreamError`], and a bounded retry with exponential backoff.
//!
//! Retry rules:
//! - idempotent calls (GET/PUT/DELETE, and the OpenAI POST, which has no side effects) are
//!   retried on 429, 5xx, timeouts and connection failures, up to [`MAX_ATTEMPTS`];
//! - non-idempotent POST/PATCH are retried only when the upstream provably never saw the
//!   request (`TransportError::request_not_sent`) or answered 429 (rejected unprocessed);
//! - a request the runtime denied (host not allowed) is never retried: it cannot succeed.
//!
//! The backoff is 250 ms, 500 ms, … or the `Retry-After` seconds, capped at [`MAX_BACKOFF`].
//!
//! Every attempt carries its provider's [`crate::ports::Timeouts`], and the request's time
//! budget decides whether a retry still fits (see [`crate::time_budget`]).

use std::time::Duration;

use http::{HeaderValue, Method};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::Value;

use super::error::{scrub, tidy, Provider, UpstreamError, UpstreamErrorKind};
use crate::config::SecretString;
use crate::ports::{Clock, HttpResponse, Outbound, TransportError};
use crate::time_budget;

/// Characters escaped in a path segment (RFC 3986 `pchar` complement, plus `/` and `%`).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Attempts per call, the first one included.
pub const MAX_ATTEMPTS: u32 = 3;
/// First backoff delay; doubles per attempt.
pub const BASE_BACKOFF: Duration = Duration::from_millis(250);
/// Longest single wait, whatever `Retry-After` says.
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The `user-agent` sent upstream.
pub const USER_AGENT: &str = concat!("juli-calendar/", env!("CARGO_PKG_VERSION"));

/// Whether a call may be repeated without changing the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    Idempotent,
    NotIdempotent,
}

impl Idempotency {
    /// GET/HEAD/PUT/DELETE are idempotent; POST/PATCH are not.
    pub fn of(method: &Method) -> Idempotency {
        if matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        ) {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        }
    }
}

/// A provider endpoint with its credentials: builds URLs and sends JSON requests.
pub struct Transport<'a> {
    outbound: &'a dyn Outbound,
    clock: &'a dyn Clock,
    provider: Provider,
    base_url: String,
    token: SecretString,
    /// Values that must never appear in an error text (the token, a grant id, …).
    secrets: Vec<SecretString>,
}

impl<'a> Transport<'a> {
    pub fn new(
        outbound: &'a dyn Outbound,
        clock: &'a dyn Clock,
        provider: Provider,
        base_url: &str,
        token: &SecretString,
    ) -> Self {
        Transport {
            outbound,
            clock,
            provider,
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            token: token.clone(),
            secrets: vec![token.clone()],
        }
    }

    /// Adds another value to scrub from error texts (e.g. the Nylas grant id in the path).
    pub fn with_secret(mut self, secret: &SecretString) -> Self {
        self.secrets.push(secret.clone());
        self
    }

    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// `base_url` + the percent-encoded path segments + the percent-encoded query.
    /// (Built by hand rather than with the `url` crate, whose IDNA tables would add ~200 KB
    /// to the component.)
    pub fn url(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<String, UpstreamError> {
        let valid = self.base_url.parse::<http::Uri>().ok().is_some_and(|u| {
            matches!(u.scheme_str(), Some("http" | "https"))
                && u.authority().is_some()
                && u.query().is_none()
        });
        if !valid {
            return Err(
                self.error(UpstreamErrorKind::Transport(TransportError::Other(
                    format!(
                        "the configured {} base URL is not a valid http(s) URL",
                        self.provider
                    ),
                ))),
            );
        }
        let mut url = self.base_url.clone();
        for segment in segments {
            url.push('/');
            url.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())))
                    .finish(),
            );
        }
        Ok(url)
    }

    /// Sends one JSON request (retrying as the module doc says) and returns the parsed JSON body
    /// of the 2xx answer (`Value::Null` for an empty body).
    pub async fn send_json(
        &self,
        method: Method,
        url: String,
        body: Option<&Value>,
        idempotency: Idempotency,
    ) -> Result<Value, UpstreamError> {
        let body_bytes = match body {
            Some(v) => Some(serde_json::to_vec(v).map_err(|e| {
                self.error(UpstreamErrorKind::InvalidResponse(format!(
                    "request body could not be encoded: {e}"
                )))
            })?),
            None => None,
        };
        let profile = self.provider.timeouts();
        let mut attempt = 1;
        loop {
            let budget = self.outbound.budget();
            let Some(timeouts) = time_budget::next_attempt(budget, profile, self.clock.now())
            else {
                return Err(self.error(UpstreamErrorKind::Transport(TransportError::OutOfTime)));
            };
            let mut request = self.build_request(&method, &url, body_bytes.as_deref())?;
            timeouts.attach(&mut request);
            let outcome = self.outbound.send(request).await;
            let (error, retry_after) = match outcome {
                Ok(response) if response.status().is_success() => {
                    return self.parse_body(&response);
                }
                // A retried DELETE that finds nothing: an earlier attempt whose answer was
                // lost already deleted it.
                Ok(response)
                    if attempt > 1 && method == Method::DELETE && response.status() == 404 =>
                {
                    return Ok(Value::Null);
                }
                Ok(response) => {
                    let retry_after = retry_after(&response);
                    (self.status_error(&response), retry_after)
                }
                Err(transport) => (self.error(UpstreamErrorKind::Transport(transport)), None),
            };
            let wait = backoff(attempt, retry_after);
            let again = attempt < MAX_ATTEMPTS
                && retryable(&error.kind, idempotency)
                && time_budget::retry_fits(budget, profile, self.clock.now(), wait);
            if !again {
                return Err(error);
            }
            self.clock.sleep(wait);
            attempt += 1;
        }
    }

    fn build_request(
        &self,
        method: &Method,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<crate::ports::HttpRequest, UpstreamError> {
        let auth =
            HeaderValue::from_str(&format!("Bearer {}", self.token.expose())).map_err(|_| {
                self.error(UpstreamErrorKind::Transport(TransportError::Other(
                    "the credential contains characters that cannot be sent in a header".into(),
                )))
            })?;
        let mut builder = http::Request::builder()
            .method(method.clone())
            .uri(url)
            .header("authorization", auth)
            .header("accept", "application/json")
            .header("user-agent", USER_AGENT);
        if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        builder
            .body(body.map(<[u8]>::to_vec).unwrap_or_default())
            .map_err(|_| {
                self.error(UpstreamErrorKind::Transport(TransportError::Other(
                    "the request could not be built".into(),
                )))
            })
    }

    fn parse_body(&self, response: &HttpResponse) -> Result<Value, UpstreamError> {
        let body = response.body();
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(body).map_err(|e| {
            self.error(UpstreamErrorKind::InvalidResponse(format!(
                "the body is not JSON ({e})"
            )))
        })
    }

    fn status_error(&self, response: &HttpResponse) -> UpstreamError {
        let status = response.status().as_u16();
        let nylas_type = (self.provider == Provider::Nylas)
            .then(|| error_type(response.body()))
            .flatten();
        let kind = match (status, nylas_type.as_deref()) {
            // Nylas says which credential it refused (developer.nylas.com/docs/api/errors).
            (_, Some("grant.not_found")) => UpstreamErrorKind::GrantNotFound,
            (_, Some("api.authentication_error" | "token.unauthorized_access")) => {
                UpstreamErrorKind::KeyRejected { status }
            }
            _ => self.kind_of_status(status, response),
        };
        self.error(kind)
    }

    fn kind_of_status(&self, status: u16, response: &HttpResponse) -> UpstreamErrorKind {
        match status {
            401 | 403 => UpstreamErrorKind::Unauthorized { status },
            404 => UpstreamErrorKind::NotFound(self.clean(&error_message(response.body()))),
            429 => UpstreamErrorKind::RateLimited,
            500..=599 => UpstreamErrorKind::Unavailable { status },
            _ => UpstreamErrorKind::Rejected {
                status,
                message: self.clean(&error_message(response.body())),
            },
        }
    }

    /// Builds an error of this provider.
    pub fn error(&self, kind: UpstreamErrorKind) -> UpstreamError {
        let kind = match kind {
            UpstreamErrorKind::Transport(t) => UpstreamErrorKind::Transport(match t {
                TransportError::Denied(d) => TransportError::Denied(self.clean(&d)),
                TransportError::Connect(d) => TransportError::Connect(self.clean(&d)),
                TransportError::Other(d) => TransportError::Other(self.clean(&d)),
                TransportError::Timeout => TransportError::Timeout,
                TransportError::OutOfTime => TransportError::OutOfTime,
            }),
            UpstreamErrorKind::InvalidResponse(d) => {
                UpstreamErrorKind::InvalidResponse(self.clean(&d))
            }
            UpstreamErrorKind::Refusal(d) => UpstreamErrorKind::Refusal(self.clean(&d)),
            UpstreamErrorKind::Incomplete(d) => UpstreamErrorKind::Incomplete(self.clean(&d)),
            other => other,
        };
        UpstreamError::new(self.provider, kind)
    }

    /// Tidies upstream-provided text and removes any credential value from it.
    fn clean(&self, text: &str) -> String {
        let secrets: Vec<&str> = self.secrets.iter().map(SecretString::expose).collect();
        tidy(&scrub(text, &secrets))
    }
}

fn retryable(kind: &UpstreamErrorKind, idempotency: Idempotency) -> bool {
    match kind {
        // The upstream rejected the request without processing it.
        UpstreamErrorKind::RateLimited => true,
        UpstreamErrorKind::Transport(TransportError::Denied(_)) => false,
        UpstreamErrorKind::Transport(t) if t.request_not_sent() => true,
        UpstreamErrorKind::Transport(_) | UpstreamErrorKind::Unavailable { .. } => {
            idempotency == Idempotency::Idempotent
        }
        _ => false,
    }
}

/// The wait after failed attempt `attempt` (1-based).
fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    let exponential = BASE_BACKOFF * 2u32.saturating_pow(attempt.saturating_sub(1));
    retry_after.unwrap_or(exponential).min(MAX_BACKOFF)
}

/// `Retry-After` in seconds (the HTTP-date form is ignored).
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    response
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(3600.0)))
}

/// Nylas' `error.type` of an error body.
fn error_type(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v.pointer("/error/type")?.as_str().map(str::to_string)
}

/// The upstream's explanation from an error body: Nylas/OpenAI `error.message`, Reclaim
/// `message` (or its first embedded error), else the raw text.
fn error_message(body: &[u8]) -> String {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        // An HTML error page says nothing useful.
        return if text.trim_start().starts_with('<') {
            String::new()
        } else {
            text.into_owned()
        };
    };
    let candidates = [
        v.pointer("/error/message"),
        v.pointer("/_embedded/errors/0/message"),
        v.get("message"),
        v.get("error_description"),
        v.get("error"),
        v.get("detail"),
    ];
    let message = candidates
        .into_iter()
        .flatten()
        .find_map(|m| m.as_str().map(str::to_string))
        .unwrap_or_default();
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::testing::{json_response, FakeClock, ScriptedOutbound};
    use futures::executor::block_on;
    use serde_json::json;

    fn transport<'a>(out: &'a ScriptedOutbound, clock: &'a FakeClock) -> Transport<'a> {
        Transport::new(
            out,
            clock,
            Provider::Reclaim,
            "https://api.example.com/base/",
            &SecretString::new("secret-token-123"),
        )
    }

    #[test]
    fn builds_encoded_urls() {
        let out = ScriptedOutbound::new();
        let clock = FakeClock::new();
        let t = transport(&out, &clock);
        let url = t
            .url(
                &["v3", "grants", "a/b c", "events"],
                &[("calendar_id", "primary".into()), ("q", "a&b=c".into())],
            )
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/base/v3/grants/a%2Fb%20c/events?calendar_id=primary&q=a%26b%3Dc"
        );
    }

    #[test]
    fn sends_auth_accept_user_agent_and_content_type() {
        let out = ScriptedOutbound::new();
        out.push(json_response(200, json!({"ok": true})));
        out.push(json_response(200, json!({"ok": true})));
        let clock = FakeClock::new();
        let t = transport(&out, &clock);
        let url = t.url(&["x"], &[]).unwrap();
        block_on(t.send_json(Method::GET, url.clone(), None, Idempotency::Idempotent)).unwrap();
        block_on(t.send_json(
            Method::POST,
            url,
            Some(&json!({"a": 1})),
            Idempotency::NotIdempotent,
        ))
        .unwrap();
        let log = out.requests();
        assert_eq!(
            log[0].header("authorization"),
            Some("Bearer secret-token-123")
        );
        assert_eq!(log[0].header("accept"), Some("application/json"));
        assert!(log[0]
            .header("user-agent")
            .unwrap()
            .starts_with("juli-calendar/"));
        assert_eq!(log[0].header("content-type"), None);
        assert_eq!(log[1].header("content-type"), Some("application/json"));
        assert_eq!(log[1].json(), json!({"a": 1}));
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let out = ScriptedOutbound::new();
        let mut limited = json_response(429, json!({}));
        limited
            .headers_mut()
            .insert("retry-after", HeaderValue::from_static("30"));
        out.push(limited);
        let mut limited = json_response(429, json!({}));
        limited
            .headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
        out.push(limited);
        out.push(json_response(200, json!([])));
        let clock = FakeClock::new();
        let t = transport(&out, &clock);
        let url = t.url(&["x"], &[]).unwrap();
        block_on(t.send_json(Method::GET, url, None, Idempotency::Idempotent)).unwrap();
        assert_eq!(
            clock.sleeps(),
            vec![Duration::from_secs(2), Duration::from_secs(1)]
        );
    }

    #[test]
    fn exponential_backoff_without_retry_after() {
        assert_eq!(backoff(1, None), Duration::from_millis(250));
        assert_eq!(backoff(2, None), Duration::from_millis(500));
        assert_eq!(backoff(10, None), MAX_BACKOFF);
    }

    #[test]
    fn denied_is_never_retried() {
        let out = ScriptedOutbound::new();
        out.push_err(TransportError::Denied("host".into()));
        let clock = FakeClock::new();
        let t = transport(&out, &clock);
        let url = t.url(&["x"], &[]).unwrap();
        let err =
            block_on(t.send_json(Method::GET, url, None, Idempotency::Idempotent)).unwrap_err();
        assert_eq!(out.requests().len(), 1);
        assert!(err.to_string().contains("allowed_outbound_hosts"));
    }

    #[test]
    fn error_messages_are_extracted_truncated_and_scrubbed() {
        assert_eq!(
            error_message(br#"{"request_id":"r","error":{"type":"invalid_request_error","message":"bad when"}}"#),
            "bad when"
        );
        assert_eq!(
            error_message(br#"{"message":"Bad Request","_embedded":{"errors":[{"message":"title: must not be blank"}]}}"#),
            "title: must not be blank"
        );
        assert_eq!(error_message(b"<html>oops</html>"), "");
        let out = ScriptedOutbound::new();
        out.push(json_response(
            422,
            json!({"message": format!("token secret-token-123 {}", "y".repeat(900))}),
        ));
        let clock = FakeClock::new();
        let t = transport(&out, &clock);
        let url = t.url(&["x"], &[]).unwrap();
        let err =
            block_on(t.send_json(Method::POST, url, None, Idempotency::NotIdempotent)).unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("secret-token-123"));
        assert!(text.len() < 500, "{}", text.len());
        assert!(text.starts_with("Reclaim rejected the request (422): token ***"));
    }

    #[test]
    fn non_json_success_is_invalid_response() {
        let out = ScriptedOutbound::new();
        out.push(
            http::Response::builder()
                .status(200)
                .body(b"<html>".to_vec())
                .unwrap(),
        );
        let clock = FakeClock::new();
        let t = transport(&out, &clock);
        let url = t.url(&["x"], &[]).unwrap();
        let err =
            block_on(t.send_json(Method::GET, url, None, Idempotency::Idempotent)).unwrap_err();
        assert!(matches!(err.kind, UpstreamErrorKind::InvalidResponse(_)));
    }

    #[test]
    fn every_attempt_carries_its_providers_timeouts() {
        for (provider, expected) in [
            (Provider::Reclaim, time_budget::API_TIMEOUTS),
            (Provider::Nylas, time_budget::API_TIMEOUTS),
            (Provider::OpenAi, time_budget::OPENAI_TIMEOUTS),
        ] {
            let out = ScriptedOutbound::new();
            out.push_json(503, json!({}));
            out.push_json(200, json!({}));
            let clock = FakeClock::new();
            let t = Transport::new(&out, &clock, provider, "https://x.test", &token());
            let url = t.url(&["x"], &[]).unwrap();
            block_on(t.send_json(Method::GET, url, None, Idempotency::Idempotent)).unwrap();
            let carried: Vec<_> = out.requests().iter().map(|r| r.timeouts).collect();
            assert_eq!(carried, vec![Some(expected); 2], "{provider}");
        }
    }

    fn token() -> SecretString {
        SecretString::new("secret-token-123")
    }

    /// A wall clock that moves: by each sleep, and by what a hanging upstream costs.
    struct MovingClock(std::cell::Cell<chrono::DateTime<chrono::Utc>>);
    impl MovingClock {
        fn new() -> Self {
            MovingClock(std::cell::Cell::new(FakeClock::new().now()))
        }
        fn advance(&self, d: Duration) {
            self.0
                .set(self.0.get() + chrono::Duration::from_std(d).unwrap());
        }
        fn elapsed_since(&self, start: chrono::DateTime<chrono::Utc>) -> Duration {
            (self.0.get() - start).to_std().unwrap()
        }
    }
    impl Clock for MovingClock {
        fn now(&self) -> chrono::DateTime<chrono::Utc> {
            self.0.get()
        }
        fn sleep(&self, d: Duration) {
            self.advance(d);
        }
    }

    /// An upstream that accepts every connection and never answers: each attempt costs its
    /// connect + first-byte limits, then times out. Carries a request budget like the
    /// per-request wrapper of `app::handle`.
    struct Hanging<'a> {
        clock: &'a MovingClock,
        budget: Option<time_budget::RequestBudget>,
        sent: std::cell::RefCell<Vec<crate::ports::Timeouts>>,
    }
    impl<'a> Hanging<'a> {
        fn new(clock: &'a MovingClock, with_budget: bool) -> Self {
            Hanging {
                clock,
                budget: with_budget.then(|| time_budget::RequestBudget::new(clock.now(), 1.0)),
                sent: Default::default(),
            }
        }
    }
    impl Outbound for Hanging<'_> {
        fn send(
            &self,
            request: crate::ports::HttpRequest,
        ) -> crate::ports::LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
            let limits = crate::ports::Timeouts::of(&request);
            self.sent.borrow_mut().push(limits);
            self.clock.advance(limits.connect + limits.first_byte);
            Box::pin(async { Err(TransportError::Timeout) })
        }
        fn budget(&self) -> Option<&time_budget::RequestBudget> {
            self.budget.as_ref()
        }
    }

    fn hang(out: &Hanging<'_>, provider: Provider) -> UpstreamError {
        let t = Transport::new(out, out.clock, provider, "https://x.test", &token());
        let url = t.url(&["x"], &[]).unwrap();
        block_on(t.send_json(Method::GET, url, None, Idempotency::Idempotent)).unwrap_err()
    }

    #[test]
    fn without_a_budget_a_hanging_read_is_tried_three_times() {
        let clock = MovingClock::new();
        let out = Hanging::new(&clock, false);
        let start = clock.now();
        hang(&out, Provider::Nylas);
        assert_eq!(out.sent.borrow().len(), 3);
        assert_eq!(clock.elapsed_since(start), Duration::from_millis(75_750));
    }

    #[test]
    fn within_a_budget_a_hanging_read_is_not_retried_past_it_and_names_the_provider() {
        let clock = MovingClock::new();
        let out = Hanging::new(&clock, true);
        let start = clock.now();
        let err = hang(&out, Provider::Nylas);
        // 25 s spent; a retry would need 0.25 s + a whole 35 s attempt of the 30 s left.
        assert_eq!(out.sent.borrow().len(), 1);
        assert_eq!(clock.elapsed_since(start), Duration::from_secs(25));
        assert_eq!(
            err.to_string(),
            "Nylas did not answer in time. Please try again."
        );
    }

    #[test]
    fn quick_failures_are_still_retried_within_the_budget() {
        let out = ScriptedOutbound::new();
        out.push_json(503, json!({}));
        out.push_json(503, json!({}));
        out.push_json(200, json!({"ok": true}));
        let clock = MovingClock::new();
        let wrapper = crate::telemetry::CountingOutbound::new(
            &out,
            &crate::config::Settings::from_source(&std::collections::HashMap::new()),
            clock.now(),
        );
        let t = Transport::new(
            &wrapper,
            &clock,
            Provider::Reclaim,
            "https://x.test",
            &token(),
        );
        let url = t.url(&["x"], &[]).unwrap();
        block_on(t.send_json(Method::GET, url, None, Idempotency::Idempotent)).unwrap();
        assert_eq!(out.requests().len(), 3);
    }

    #[test]
    fn a_tool_whose_every_call_hangs_stays_within_the_budget() {
        let clock = MovingClock::new();
        let out = Hanging::new(&clock, true);
        let start = clock.now();
        // The worst tool shape: the model, then sequential calendar and task calls.
        let mut errors = vec![hang(&out, Provider::OpenAi)];
        for provider in [
            Provider::Nylas,
            Provider::Nylas,
            Provider::Reclaim,
            Provider::Nylas,
        ] {
            errors.push(hang(&out, provider));
        }
        // (Shrunk limits are rounded to the nanosecond.)
        let slack = Duration::from_micros(1);
        assert!(clock.elapsed_since(start) <= time_budget::REQUEST_BUDGET + slack);
        let sent = out.sent.borrow();
        assert_eq!(sent[0], time_budget::OPENAI_TIMEOUTS);
        // OpenAI hangs 40 s; the next calls get 15 s, 4.3 s, 1.2 s; the last finds < 1 s left.
        assert!(sent[1].attempt_bound() <= Duration::from_secs(15) + slack);
        assert_eq!(sent.len(), 4, "{sent:?}");
        assert_eq!(
            errors[0].to_string(),
            "OpenAI did not answer in time. Please try again."
        );
        assert_eq!(
            errors[3].to_string(),
            "Reclaim did not answer in time. Please try again."
        );
        assert!(errors[4].to_string().starts_with("Nylas was not called"));
        assert!(matches!(
            errors[4].kind,
            UpstreamErrorKind::Transport(TransportError::OutOfTime)
        ));
    }
}
