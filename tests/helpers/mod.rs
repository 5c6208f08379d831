//! The shared harness of the root integration tests (`mod helpers;` in `tests/integration.rs`, `use crate::helpers;` in each test module).
//!
//! [`TestApp`] drives `juli_calendar::handle` in-process with `futures::executor::block_on`,
//! over the stateful fakes of `juli-testkit` (every upstream request is contract-checked).
//! Every response body, response header and log line the app produces is kept, and dropping a
//! `TestApp` fails the test when any of them contains a credential value, the OpenAI key or the
//! approval secret (see [`assert_no_secret_leaks`]), or when any upstream request broke the
//! OpenAPI contract (`FakeUpstreams::assert_no_contract_violations`). Opt out per app with
//! `disable_leak_check_on_drop` / `disable_contract_check_on_drop`.
//!
//! The suites script the model's answer for each plain-language request, so a `TestApp` runs
//! with `rules_interpreter=off` (every such request reaches the scripted model). On drop it
//! then checks each served model answer against the deterministic interpreter's reading of
//! the same request ([`rules_compare`]): where the rules answer, they must agree. Tests whose
//! scripted answer deliberately does not match the request opt out with
//! `disable_rules_check_on_drop`; `set_config("rules_interpreter", "on")` runs the rules.
#![allow(dead_code, unused_imports)]

pub mod rules_compare;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use juli_calendar::ports::{
    Context, FixedClock, HttpRequest, HttpResponse, KeyValue, LocalBoxFuture, LogSink, Outbound,
    Random, TransportError,
};
use juli_testkit::defaults;
pub use juli_testkit::{
    EventSeed, FakeUpstreams, Fault, FaultRule, Provider, ScriptedOutput, TaskSeed,
};
use serde_json::Value;

/// 2026-12-01 09:00 America/New_York.
pub fn default_now() -> DateTime<Utc> {
    defaults::NOW_RFC3339.parse().expect("valid instant")
}

/// The key-value store, in memory (atomic operations honoured).
pub use juli_calendar::ports::MemoryStore;

/// Deterministic "randomness" (xorshift64*), so request ids and generated secrets repeat.
pub struct SeqRandom(Mutex<u64>);

impl Default for SeqRandom {
    fn default() -> Self {
        SeqRandom(Mutex::new(0x9E37_79B9_7F4A_7C15))
    }
}

impl Random for SeqRandom {
    fn fill(&self, buf: &mut [u8]) {
        let mut s = self.0.lock().unwrap();
        for b in buf.iter_mut() {
            *s ^= *s >> 12;
            *s ^= *s << 25;
            *s ^= *s >> 27;
            *b = (s.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
        }
    }
}

/// Captures log lines.
#[derive(Default)]
pub struct CapturedLog(Mutex<Vec<String>>);

impl LogSink for CapturedLog {
    fn line(&self, line: &str) {
        self.0.lock().unwrap().push(line.to_string());
    }
}

/// `Outbound` over the fakes: a request to a host no fake serves fails with
/// `TransportError::Denied`, as Spin does outside `allowed_outbound_hosts`.
pub struct FakeOutbound<'a> {
    fakes: &'a FakeUpstreams,
    transport_faults: &'a RefCell<VecDeque<TransportFault>>,
}

/// A transport-level failure for the next outbound request (the fakes' HTTP faults are
/// injected with `app.fakes.inject`).
#[derive(Debug, Clone)]
pub enum TransportFault {
    /// Fails without reaching the fakes (connection refused, DNS, denied...).
    NotSent(TransportError),
    /// The fakes apply the request, then the caller sees a timeout (the answer was lost).
    TimeoutAfterApply,
}

impl<'a> FakeOutbound<'a> {
    pub fn new(
        fakes: &'a FakeUpstreams,
        transport_faults: &'a RefCell<VecDeque<TransportFault>>,
    ) -> Self {
        FakeOutbound {
            fakes,
            transport_faults,
        }
    }
}

impl Outbound for FakeOutbound<'_> {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        let fault = self.transport_faults.borrow_mut().pop_front();
        Box::pin(async move {
            match fault {
                Some(TransportFault::NotSent(e)) => return Err(e),
                Some(TransportFault::TimeoutAfterApply) => {
                    let _ = self.fakes.handle(&request);
                    return Err(TransportError::Timeout);
                }
                None => {}
            }
            let response = self.fakes.handle(&request);
            if response
                .headers()
                .contains_key(juli_testkit::UNKNOWN_HOST_HEADER)
            {
                return Err(TransportError::Denied(format!(
                    "{} is not an allowed outbound host",
                    request.uri().host().unwrap_or("?")
                )));
            }
            Ok(response)
        })
    }
}

/// One answer of the app.
#[derive(Debug, Clone)]
pub struct TestResponse {
    pub status: u16,
    pub headers: http::HeaderMap,
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub json: Value,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The app under test, with its fakes, configuration, store, clock, randomness and log.
pub struct TestApp {
    pub fakes: Arc<FakeUpstreams>,
    pub config: HashMap<String, String>,
    pub store: MemoryStore,
    /// `false` runs requests without a key-value store.
    pub with_store: bool,
    /// `true` (default): before each request the store holds every fake grant's current
    /// calendar list and provider, as if an earlier request had just read them, so a request
    /// costs what it costs once the list is cached (the common case). Set `false` to count
    /// the cold-cache `GET /calendars` (see `tests/real_calendars.rs`).
    pub warm_calendars: bool,
    pub clock: FixedClock,
    pub random: SeqRandom,
    pub log: CapturedLog,
    transport_faults: RefCell<VecDeque<TransportFault>>,
    responses: RefCell<Vec<TestResponse>>,
    secrets: RefCell<Vec<String>>,
    leak_check_on_drop: bool,
    contract_check_on_drop: bool,
    rules_check_on_drop: bool,
}

impl Default for TestApp {
    fn default() -> Self {
        TestApp::new()
    }
}

impl TestApp {
    /// Fakes with the default user (see `juli_testkit::defaults`), configuration pointing at
    /// them, an OpenAI key and an approval secret, the clock at [`default_now`].
    pub fn new() -> TestApp {
        TestApp::with_fakes(Arc::new(FakeUpstreams::new().with_default_user()))
    }

    pub fn with_fakes(fakes: Arc<FakeUpstreams>) -> TestApp {
        let bases = fakes.bases().clone();
        let config: HashMap<String, String> = [
            ("reclaim_base_url", bases.reclaim.as_str()),
            ("nylas_base_url", bases.nylas.as_str()),
            ("openai_base_url", bases.openai.as_str()),
            ("openai_api_key", defaults::OPENAI_KEY),
            ("approval_secret", defaults::APPROVAL_SECRET),
            ("rules_interpreter", "off"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        fakes.set_now(default_now());
        TestApp {
            fakes,
            config,
            store: MemoryStore::default(),
            with_store: true,
            warm_calendars: true,
            clock: FixedClock(default_now()),
            random: SeqRandom::default(),
            log: CapturedLog::default(),
            transport_faults: RefCell::new(VecDeque::new()),
            responses: RefCell::new(Vec::new()),
            secrets: RefCell::new(
                [
                    defaults::RECLAIM_KEY,
                    defaults::NYLAS_KEY,
                    defaults::NYLAS_GRANT,
                    defaults::OPENAI_KEY,
                    defaults::APPROVAL_SECRET,
                    defaults::OTHER_RECLAIM_KEY,
                    defaults::OTHER_NYLAS_KEY,
                    defaults::OTHER_NYLAS_GRANT,
                ]
                .map(str::to_string)
                .to_vec(),
            ),
            leak_check_on_drop: true,
            contract_check_on_drop: true,
            rules_check_on_drop: true,
        }
    }

    /// Sets a Spin variable.
    pub fn set_config(&mut self, name: &str, value: &str) -> &mut Self {
        self.config.insert(name.to_string(), value.to_string());
        if matches!(
            name,
            "openai_api_key" | "approval_secret" | "a2a_dev_secret"
        ) {
            self.add_secret(value);
        }
        self
    }

    /// Unsets a Spin variable.
    pub fn remove_config(&mut self, name: &str) -> &mut Self {
        self.config.remove(name);
        self
    }

    /// Moves the app's clock and the fakes' "now".
    pub fn set_now(&mut self, now: DateTime<Utc>) -> &mut Self {
        self.clock = FixedClock(now);
        self.fakes.set_now(now);
        self
    }

    /// A value that must never appear in any output (credential values sent in headers are
    /// added automatically).
    pub fn add_secret(&self, value: &str) {
        if value.len() >= 6 && !self.secrets.borrow().iter().any(|s| s == value) {
            self.secrets.borrow_mut().push(value.to_string());
        }
    }

    pub fn secrets(&self) -> Vec<String> {
        self.secrets.borrow().clone()
    }

    /// The next outbound request fails at the transport level.
    pub fn inject_transport_fault(&self, fault: TransportFault) {
        self.transport_faults.borrow_mut().push_back(fault);
    }

    /// Skips the leak check when this app is dropped (for tests that check leaks themselves).
    pub fn disable_leak_check_on_drop(&mut self) {
        self.leak_check_on_drop = false;
    }

    /// Skips the contract-violation check when this app is dropped (for tests that send
    /// bad upstream requests on purpose, e.g. to a host outside the fakes).
    /// For tests whose scripted model answers deliberately differ from what was asked.
    pub fn disable_rules_check_on_drop(&mut self) {
        self.rules_check_on_drop = false;
    }

    pub fn disable_contract_check_on_drop(&mut self) {
        self.contract_check_on_drop = false;
    }

    /// Sends one request through `juli_calendar::handle`.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl AsRef<[u8]>,
    ) -> TestResponse {
        let mut builder = http::Request::builder()
            .method(method)
            .uri(format!("http://127.0.0.1:3000{path}"));
        for (name, value) in headers {
            if juli_calendar::credentials::credential_for_header(name).is_some() {
                self.add_secret(value.trim());
            }
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(body.as_ref().to_vec())
            .expect("a valid test request");
        if self.with_store && self.warm_calendars {
            self.warm_calendar_cache();
        }
        let outbound = FakeOutbound {
            fakes: &self.fakes,
            transport_faults: &self.transport_faults,
        };
        let ctx = Context {
            outbound: &outbound,
            config: &self.config,
            store: if self.with_store {
                Some(&self.store)
            } else {
                None
            },
            clock: &self.clock,
            random: &self.random,
            log: &self.log,
        };
        let response = futures::executor::block_on(juli_calendar::handle(request, ctx));
        let (parts, body) = response.into_parts();
        let out = TestResponse {
            status: parts.status.as_u16(),
            headers: parts.headers,
            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
            body,
        };
        self.responses.borrow_mut().push(out.clone());
        out
    }

    /// Writes every fake grant's calendar list and provider into the store (see
    /// [`TestApp::warm_calendars`]).
    pub fn warm_calendar_cache(&self) {
        use juli_calendar::upstream::nylas_calendars::{cache_key, remember, CalendarSet};
        let base = self
            .config
            .get("nylas_base_url")
            .cloned()
            .unwrap_or_default();
        let base = base.trim().trim_end_matches('/');
        let now = juli_calendar::ports::Clock::now(&self.clock).timestamp();
        for grant in self.fakes.nylas.grant_ids() {
            let set = CalendarSet {
                calendars: self
                    .fakes
                    .nylas
                    .calendars(&grant)
                    .into_iter()
                    .filter_map(|c| serde_json::from_value(c).ok())
                    .collect(),
                provider: self.fakes.nylas.provider(&grant),
            };
            remember(&self.store, &cache_key(base, &grant), &set, now);
        }
    }

    pub fn get(&self, path: &str) -> TestResponse {
        self.request("GET", path, &[], b"")
    }

    /// POST with a JSON body and the default user's credentials.
    pub fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        let mut headers = user_headers();
        headers.push(("content-type", "application/json"));
        self.request("POST", path, &headers, body.to_string())
    }

    /// `POST /mcp/tools/{name}` with the default user's credentials.
    pub fn call_tool(&self, name: &str, args: Value) -> TestResponse {
        self.post_json(&format!("/mcp/tools/{name}"), &args)
    }

    /// `POST /mcp/tools/{name}` with the given headers (e.g. partial credentials).
    pub fn call_tool_with(
        &self,
        name: &str,
        headers: &[(&str, &str)],
        args: Value,
    ) -> TestResponse {
        let mut h = headers.to_vec();
        h.push(("content-type", "application/json"));
        self.request("POST", &format!("/mcp/tools/{name}"), &h, args.to_string())
    }

    /// Every log line written so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.0.lock().unwrap().clone()
    }

    /// The last log line, parsed as JSON.
    pub fn last_log(&self) -> Value {
        self.log_lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or(Value::Null)
    }

    /// Every response produced so far.
    pub fn responses(&self) -> Vec<TestResponse> {
        self.responses.borrow().clone()
    }

    /// Upstream requests of one provider.
    pub fn upstream_count(&self, provider: Provider) -> usize {
        self.fakes.count(provider)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if self.leak_check_on_drop {
            assert_no_secret_leaks(self);
        }
        if self.contract_check_on_drop {
            self.fakes.assert_no_contract_violations();
        }
        rules_compare::report(&self.fakes.openai.served_outputs());
        if self.rules_check_on_drop {
            let wrong = rules_compare::disagreements(&self.fakes.openai.served_outputs());
            assert!(
                wrong.is_empty(),
                "the rules read these requests differently from the scripted model:\n{}",
                wrong.join("\n")
            );
        }
    }
}

/// The default user's credential headers (standard spelling) plus Juli's platform headers.
pub fn user_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("X-User-Credential-RECLAIM_API_KEY", defaults::RECLAIM_KEY),
        ("X-User-Credential-NYLAS_API_KEY", defaults::NYLAS_KEY),
        ("X-User-Credential-NYLAS_GRANT_ID", defaults::NYLAS_GRANT),
        ("X-Platform-User-ID", "juli-user-42"),
    ]
}

/// Only the Reclaim credential.
pub fn reclaim_only_headers() -> Vec<(&'static str, &'static str)> {
    vec![("X-User-Credential-RECLAIM_API_KEY", defaults::RECLAIM_KEY)]
}

/// Only the Nylas credentials.
pub fn nylas_only_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("X-User-Credential-NYLAS_API_KEY", defaults::NYLAS_KEY),
        ("X-User-Credential-NYLAS_GRANT_ID", defaults::NYLAS_GRANT),
    ]
}

/// Fails when any response body, response header or log line of `app` contains a credential
/// value, the OpenAI key or the approval secret (also as a URL-encoded form).
pub fn assert_no_secret_leaks(app: &TestApp) {
    let secrets = app.secrets();
    let mut hits = Vec::new();
    let mut check = |what: String, text: &str| {
        for s in &secrets {
            let encoded: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            if text.contains(s.as_str()) || text.contains(encoded.as_str()) {
                let shown: String = s.chars().take(4).collect();
                hits.push(format!("{what} contains the secret starting {shown:?}…"));
            }
        }
    };
    for (i, r) in app.responses.borrow().iter().enumerate() {
        check(
            format!("response #{i} body (status {})", r.status),
            &r.text(),
        );
        for (name, value) in &r.headers {
            check(
                format!("response #{i} header {name}"),
                &String::from_utf8_lossy(value.as_bytes()),
            );
        }
    }
    for (i, line) in app.log_lines().iter().enumerate() {
        check(format!("log line #{i}"), line);
    }
    assert!(hits.is_empty(), "secrets leaked:\n{}", hits.join("\n"));
}

/// Adds the context fields Juli injects (America/New_York, 2026-12-01 09:00) unless present.
pub fn ctx(mut args: Value) -> Value {
    if let Some(o) = args.as_object_mut() {
        o.entry("user_timezone")
            .or_insert(serde_json::json!("America/New_York"));
        o.entry("current_date")
            .or_insert(serde_json::json!("2026-12-01"));
        o.entry("current_time")
            .or_insert(serde_json::json!("09:00:00"));
    }
    args
}

/// A complete `manage_productivity` model output: the given fields, every other one
/// null/false/empty as a strict model fills them ([`juli_testkit::strict_output::fill_empty`]
/// over the schema the component sends).
pub fn model(fields: Value) -> Value {
    fill_empty(&juli_calendar::interpret::manage::model_schema(), fields)
}

/// A complete `find_and_analyze` model output (see [`model`]).
pub fn find_model(fields: Value) -> Value {
    fill_empty(&juli_calendar::interpret::find::model_schema(), fields)
}

/// A complete `check_availability` model output (see [`model`]).
pub fn availability_model(fields: Value) -> Value {
    fill_empty(
        &juli_calendar::interpret::availability::model_schema(),
        fields,
    )
}

/// A complete `optimize_schedule` model output (see [`model`]).
pub fn optimize_model(fields: Value) -> Value {
    fill_empty(&juli_calendar::interpret::optimize::model_schema(), fields)
}

fn fill_empty(schema: &Value, fields: Value) -> Value {
    assert!(fields.is_object(), "an object of fields: {fields}");
    juli_testkit::strict_output::fill_empty(schema, fields)
}

/// `manage_productivity` with structured arguments (Juli's context added); the answer.
pub fn structured(app: &TestApp, args: Value) -> Value {
    app.call_tool("manage_productivity", ctx(args)).json
}

/// `manage_productivity` for a plain-language `query`, the model scripted to answer `output`
/// (completed by [`model`]); the answer.
pub fn nl(app: &TestApp, query: &str, output: Value) -> Value {
    app.fakes.openai.push_output(model(output));
    app.call_tool(
        "manage_productivity",
        ctx(serde_json::json!({"query": query})),
    )
    .json
}

/// Upstream calls so far: (OpenAI, Reclaim, Nylas).
pub fn counts(app: &TestApp) -> (usize, usize, usize) {
    (
        app.upstream_count(Provider::OpenAi),
        app.upstream_count(Provider::Reclaim),
        app.upstream_count(Provider::Nylas),
    )
}

/// Unix seconds of an RFC 3339 instant (as Nylas `when` carries them).
pub fn ts(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .expect("an RFC 3339 instant")
        .timestamp()
}

/// Approves a `needs_approval` answer of `manage_productivity` with the original arguments.
pub fn approve(app: &TestApp, first: &Value, original: Value) -> Value {
    let mut args = ctx(original);
    args["approved"] = serde_json::json!(true);
    args["action_type"] = first["action_type"].clone();
    args["action_data"] = first["action_data"].clone();
    app.call_tool("manage_productivity", args).json
}

/// Issue #11 item 11: today (Tue Dec 1) is one all-day-long meeting with a colleague, and the
/// open 4 h task "Write the spec" (id 801, due Wed Dec 2 13:00 New York) is fully scheduled by
/// Reclaim as four 1 h busy blocks Wed 9–13, titled after the task behind a status emoji (as
/// Reclaim names its Task Events). Without the blocks no working time is left before the due.
pub fn seed_fully_scheduled_task(app: &TestApp) {
    let n = &app.fakes.nylas;
    n.seed_event(
        defaults::NYLAS_GRANT,
        EventSeed::new("Offsite")
            .id("ev-offsite")
            .at("2026-12-01T14:00:00Z", 8 * 60)
            .participant("colleague@acme.com", "Colleague"),
    );
    for (i, start) in [
        "2026-12-02T14:00:00Z",
        "2026-12-02T15:00:00Z",
        "2026-12-02T16:00:00Z",
        "2026-12-02T17:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        n.seed_event(
            defaults::NYLAS_GRANT,
            EventSeed::new("🛡 Write the spec")
                .id(&format!("ev-block-{i}"))
                .at(start, 60)
                .description("Scheduled by Reclaim (reclaim.ai)"),
        );
    }
    app.fakes.reclaim.seed_task(
        defaults::RECLAIM_KEY,
        TaskSeed::new("Write the spec")
            .id(801)
            .priority("P2")
            .due("2026-12-02T18:00:00Z")
            .minutes(4 * 60),
    );
    app.fakes.clear_log();
}
