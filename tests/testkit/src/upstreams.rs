//! `FakeUpstreams`: the three fakes behind their base URLs, with one request log, fault
//! injection, per-upstream latency and contract validation of every request received.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::contract::{ContractValidator, ContractViolation};
use crate::defaults;
use crate::faults::{take_matching, Fault, FaultRule};
use crate::http_util::{
    body_for_log, json_response, query_map, query_pairs, Call, Request, Response,
};
use crate::nylas::FakeNylas;
use crate::openai::{openai_error, FakeOpenAi};
use crate::reclaim::FakeReclaim;
use crate::record::{Provider, RecordedRequest};

/// Header set on the answer to a request for a host no fake serves (status 502). The native
/// harness maps it to `TransportError::Denied`, as Spin does for hosts outside
/// `allowed_outbound_hosts`.
pub const UNKNOWN_HOST_HEADER: &str = "x-fake-upstreams-unknown-host";

/// Where the fakes live. Requests are routed by scheme + host (+ port) + path prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamBases {
    pub reclaim: String,
    pub nylas: String,
    pub openai: String,
}

impl Default for UpstreamBases {
    fn default() -> Self {
        UpstreamBases {
            reclaim: "http://reclaim.test".into(),
            nylas: "http://nylas.test".into(),
            openai: "http://openai.test/v1".into(),
        }
    }
}

impl UpstreamBases {
    pub fn get(&self, p: Provider) -> Option<&str> {
        match p {
            Provider::Reclaim => Some(&self.reclaim),
            Provider::Nylas => Some(&self.nylas),
            Provider::OpenAi => Some(&self.openai),
            Provider::Unknown => None,
        }
    }
}

/// What the server needs besides the response: how long to wait, and whether to cut the
/// connection after part of the body.
#[derive(Debug)]
pub struct Served {
    pub response: Response,
    pub delay: Duration,
    pub truncate: bool,
}

/// The three fakes bundled. `Send + Sync`; share it with `Arc`.
#[derive(Debug)]
pub struct FakeUpstreams {
    pub reclaim: FakeReclaim,
    pub nylas: FakeNylas,
    pub openai: FakeOpenAi,
    bases: UpstreamBases,
    log: Mutex<Vec<RecordedRequest>>,
    faults: Mutex<BTreeMap<Provider, Vec<FaultRule>>>,
    latency: Mutex<BTreeMap<Provider, Duration>>,
    violations: Mutex<Vec<ContractViolation>>,
    validate: AtomicBool,
    endless: AtomicU64,
}

impl Default for FakeUpstreams {
    fn default() -> Self {
        FakeUpstreams::new()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeUpstreams {
    /// Empty fakes at the default base URLs (`http://reclaim.test`, `http://nylas.test`,
    /// `http://openai.test/v1`), contract validation on.
    pub fn new() -> FakeUpstreams {
        FakeUpstreams::with_bases(UpstreamBases::default())
    }

    pub fn with_bases(bases: UpstreamBases) -> FakeUpstreams {
        let trim = |s: &str| s.trim_end_matches('/').to_string();
        FakeUpstreams {
            reclaim: FakeReclaim::new(),
            nylas: FakeNylas::new(),
            openai: FakeOpenAi::new(),
            bases: UpstreamBases {
                reclaim: trim(&bases.reclaim),
                nylas: trim(&bases.nylas),
                openai: trim(&bases.openai),
            },
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(BTreeMap::new()),
            latency: Mutex::new(BTreeMap::new()),
            violations: Mutex::new(Vec::new()),
            validate: AtomicBool::new(true),
            endless: AtomicU64::new(0),
        }
    }

    /// Adds the default user of [`crate::defaults`] (Reclaim account + Nylas grant).
    pub fn with_default_user(self) -> FakeUpstreams {
        self.add_default_user();
        self
    }

    pub fn add_default_user(&self) {
        self.add_user(
            defaults::RECLAIM_KEY,
            defaults::NYLAS_KEY,
            defaults::NYLAS_GRANT,
            defaults::USER_EMAIL,
            "Pat User",
        );
    }

    /// Adds a user on both providers: a Reclaim account and a Nylas grant with the same email.
    pub fn add_user(
        &self,
        reclaim_key: &str,
        nylas_key: &str,
        grant: &str,
        email: &str,
        name: &str,
    ) {
        self.reclaim.add_account(reclaim_key, email, name);
        self.nylas.add_grant(grant, nylas_key, email);
    }

    pub fn bases(&self) -> &UpstreamBases {
        &self.bases
    }

    /// Sets "now" for the fakes' timestamps and Nylas's default list window.
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.reclaim.set_now(now);
        self.nylas.set_now(now);
    }

    /// Turns contract validation of received requests on or off (on by default).
    pub fn set_contract_validation(&self, on: bool) {
        self.validate.store(on, Ordering::SeqCst);
    }

    /// Queues a fault for requests to `provider`.
    pub fn inject(&self, provider: Provider, rule: impl Into<FaultRule>) {
        lock(&self.faults)
            .entry(provider)
            .or_default()
            .push(rule.into());
    }

    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Faults not consumed yet.
    pub fn pending_faults(&self) -> Vec<(Provider, FaultRule)> {
        lock(&self.faults)
            .iter()
            .flat_map(|(p, rules)| rules.iter().map(move |r| (*p, r.clone())))
            .collect()
    }

    /// Latency added before every answer of `provider` (served over HTTP only).
    pub fn set_latency(&self, provider: Provider, latency: Duration) {
        lock(&self.latency).insert(provider, latency);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.log).clone()
    }

    pub fn requests_to(&self, provider: Provider) -> Vec<RecordedRequest> {
        lock(&self.log)
            .iter()
            .filter(|r| r.provider == provider)
            .cloned()
            .collect()
    }

    /// The last request received by `provider`.
    pub fn last_request_to(&self, provider: Provider) -> Option<RecordedRequest> {
        lock(&self.log)
            .iter()
            .rev()
            .find(|r| r.provider == provider)
            .cloned()
    }

    /// Number of requests received by `provider`.
    pub fn count(&self, provider: Provider) -> usize {
        lock(&self.log)
            .iter()
            .filter(|r| r.provider == provider)
            .count()
    }

    /// Number of requests to `provider` with this method whose path contains `path_part`.
    pub fn count_matching(&self, provider: Provider, method: &str, path_part: &str) -> usize {
        lock(&self.log)
            .iter()
            .filter(|r| {
                r.provider == provider
                    && r.method.eq_ignore_ascii_case(method)
                    && r.path.contains(path_part)
            })
            .count()
    }

    /// Contract violations (and requests to unknown hosts) recorded so far.
    pub fn violations(&self) -> Vec<ContractViolation> {
        lock(&self.violations).clone()
    }

    /// Panics listing every recorded contract violation.
    pub fn assert_no_contract_violations(&self) {
        let v = self.violations();
        if !v.is_empty() {
            let list: Vec<String> = v.iter().map(|x| format!("  - {x}")).collect();
            panic!(
                "{} upstream request(s) broke the OpenAPI contract:\n{}",
                v.len(),
                list.join("\n")
            );
        }
    }

    /// Clears the request log and the recorded violations only.
    pub fn clear_log(&self) {
        lock(&self.log).clear();
        lock(&self.violations).clear();
    }

    /// Clears everything: fakes' data (accounts, grants, tasks, events, script), log,
    /// violations, faults and latency. Contract validation is switched back on.
    pub fn reset(&self) {
        self.reclaim.reset();
        self.nylas.reset();
        self.openai.reset();
        self.clear_log();
        self.clear_faults();
        lock(&self.latency).clear();
        self.validate.store(true, Ordering::SeqCst);
    }

    /// Which fake serves a URL, and the path below its base URL.
    pub fn route(&self, uri: &http::Uri) -> Option<(Provider, String)> {
        let scheme = uri.scheme_str()?;
        let authority = uri.authority()?.as_str();
        let path = uri.path();
        for p in [Provider::Reclaim, Provider::Nylas, Provider::OpenAi] {
            let base = self.bases.get(p)?;
            let Ok(b) = base.parse::<http::Uri>() else {
                continue;
            };
            let same_origin = b
                .scheme_str()
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                && b.authority()
                    .is_some_and(|a| a.as_str().eq_ignore_ascii_case(authority));
            if !same_origin {
                continue;
            }
            let base_path = b.path().trim_end_matches('/');
            if let Some(rest) = path.strip_prefix(base_path) {
                if rest.is_empty() || rest.starts_with('/') {
                    let rest = if rest.is_empty() { "/" } else { rest };
                    return Some((p, rest.to_string()));
                }
            }
        }
        None
    }

    /// Answers one request in-process (delays and latency are not slept).
    pub fn handle(&self, request: &Request) -> Response {
        self.serve_request(request).response
    }

    /// Answers one request and says how the HTTP server should deliver it.
    pub fn serve_request(&self, request: &Request) -> Served {
        let method = request.method().as_str().to_string();
        let query = query_pairs(request.uri());
        let bearer = crate::http_util::bearer(request.headers());
        let body_log = body_for_log(request.body());
        let Some((provider, rel)) = self.route(request.uri()) else {
            let shown = format!(
                "{}://{}{}",
                request.uri().scheme_str().unwrap_or("?"),
                request.uri().authority().map(|a| a.as_str()).unwrap_or("?"),
                request.uri().path()
            );
            lock(&self.violations).push(ContractViolation {
                provider: Provider::Unknown,
                method: method.clone(),
                path: shown.clone(),
                problems: vec!["request to a host no fake serves".into()],
            });
            let mut response = json_response(
                502,
                &json!({"error": format!("fake upstreams: no fake serves {shown}")}),
            );
            response
                .headers_mut()
                .insert(UNKNOWN_HOST_HEADER, http::HeaderValue::from_static("1"));
            self.record(
                Provider::Unknown,
                &method,
                request.uri().path(),
                &query,
                body_log,
                bearer,
                502,
                None,
            );
            return Served {
                response,
                delay: Duration::ZERO,
                truncate: false,
            };
        };

        if self.validate.load(Ordering::SeqCst) {
            if let Some(validator) = ContractValidator::for_provider(provider) {
                let api_path = format!("{}{}", validator.server_path(), rel);
                let problems = validator.validate(
                    &method,
                    &api_path,
                    &query,
                    request.headers(),
                    request.body(),
                );
                if !problems.is_empty() {
                    lock(&self.violations).push(ContractViolation {
                        provider,
                        method: method.clone(),
                        path: request.uri().path().to_string(),
                        problems,
                    });
                }
            }
        }

        let fault = take_matching(
            lock(&self.faults).entry(provider).or_default(),
            &method,
            &rel,
        );
        let mut delay = lock(&self.latency)
            .get(&provider)
            .copied()
            .unwrap_or_default();
        let mut truncate = false;
        let call = |q: &[(String, String)]| {
            let c = Call {
                method: request.method(),
                path: &rel,
                query: q,
                headers: request.headers(),
                body: request.body(),
            };
            match provider {
                Provider::Reclaim => self.reclaim.handle(&c),
                Provider::Nylas => self.nylas.handle(&c),
                Provider::OpenAi => self.openai.handle(&c),
                Provider::Unknown => unreachable!("unknown hosts answered above"),
            }
        };
        let response = match &fault {
            None => call(&query),
            Some(Fault::Status {
                status,
                retry_after,
            }) => {
                let mut r = provider_error(provider, *status, "injected fault");
                if let Some(secs) = retry_after {
                    r.headers_mut()
                        .insert(http::header::RETRY_AFTER, http::HeaderValue::from(*secs));
                }
                r
            }
            Some(Fault::MalformedJson) => raw_json(
                200,
                b"{\"request_id\": \"x\", \"data\": [{\"id\": ,,]".to_vec(),
            ),
            Some(Fault::TruncatedBody) => {
                let full = if request.method() == http::Method::GET {
                    call(&query)
                } else {
                    json_response(
                        200,
                        &json!({"request_id": "fake-truncated", "data": {"id": "never-created", "title": "this body is cut short"}}),
                    )
                };
                truncate = true;
                let status = full.status().as_u16();
                let body = full.into_body();
                let cut = body.len() / 2;
                raw_json(status, body[..cut].to_vec())
            }
            Some(Fault::Delay { ms }) => {
                delay += *ms;
                call(&query)
            }
            Some(Fault::EndlessPagination) => {
                let is_list = provider == Provider::Nylas
                    && request.method() == http::Method::GET
                    && rel.trim_end_matches('/').ends_with("/events");
                if is_list {
                    let q: Vec<(String, String)> = query
                        .iter()
                        .filter(|(k, v)| !(k == "page_token" && v.starts_with("ENDLESS")))
                        .cloned()
                        .collect();
                    let r = call(&q);
                    let status = r.status().as_u16();
                    let mut body: Value = serde_json::from_slice(r.body()).unwrap_or(Value::Null);
                    if status == 200 {
                        let n = self.endless.fetch_add(1, Ordering::SeqCst);
                        body["next_cursor"] = json!(format!("ENDLESS{n:08}"));
                    }
                    json_response(status, &body)
                } else {
                    call(&query)
                }
            }
            Some(Fault::FailAfterApply { status }) => {
                let _applied = call(&query);
                provider_error(
                    provider,
                    *status,
                    "injected fault after the request was applied",
                )
            }
        };
        self.collect_openai_violations(provider, request.uri().path());
        self.record(
            provider,
            &method,
            request.uri().path(),
            &query,
            body_log,
            bearer,
            response.status().as_u16(),
            fault.as_ref().map(|f| format!("{f:?}")),
        );
        Served {
            response,
            delay,
            truncate,
        }
    }

    /// Moves the OpenAI fake's strict-mode breaches into the violations (dropped when contract
    /// validation is off).
    fn collect_openai_violations(&self, provider: Provider, path: &str) {
        if provider != Provider::OpenAi {
            return;
        }
        let taken = self.openai.take_violations();
        if self.validate.load(Ordering::SeqCst) {
            lock(&self.violations).extend(taken.into_iter().map(|mut v| {
                v.path = path.to_string();
                v
            }));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        provider: Provider,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Value,
        bearer: Option<String>,
        status: u16,
        fault: Option<String>,
    ) {
        let mut log = lock(&self.log);
        let seq = log.len();
        log.push(RecordedRequest {
            seq,
            provider,
            method: method.to_string(),
            path: path.to_string(),
            query: query_map(query),
            body,
            bearer,
            status,
            fault,
        });
    }
}

fn raw_json(status: u16, body: Vec<u8>) -> Response {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body)
        .expect("valid response parts")
}

/// An error answer in the provider's own shape.
pub fn provider_error(provider: Provider, status: u16, message: &str) -> Response {
    match provider {
        Provider::Nylas => json_response(
            status,
            &json!({"request_id": "fake-nylas-fault", "error": {"type": match status {
                401 => "api.authentication_error", 404 => "api.not_found_error",
                429 => "api.rate_limit_error", 400..=499 => "api.invalid_request_error",
                _ => "api.internal_error" }, "message": message}}),
        ),
        Provider::OpenAi => openai_error(
            status,
            message,
            if status >= 500 {
                "server_error"
            } else {
                "invalid_request_error"
            },
            None,
        ),
        _ => json_response(
            status,
            &json!({"message": message, "_embedded": {"errors": [{"message": message}]}}),
        ),
    }
}
