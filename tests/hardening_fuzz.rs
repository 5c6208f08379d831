//! Hardening, item 2: fuzz targets as bounded proptest properties (issue #7).
//!
//! `cargo fuzz` needs a nightly toolchain this project does not use, so each fuzz target is a
//! property run with a bounded number of cases (fast enough for every `cargo test`), plus a
//! committed corpus of interesting inputs under `tests/corpus/<target>/` that is replayed on
//! every run. Longer campaigns: `JULI_FUZZ_CASES=100000 cargo test --release --test
//! hardening_fuzz -- --nocapture` (every target then runs that many cases).
//!
//! Targets: `router` (juli_calendar::handle with arbitrary method/path/headers/body),
//! `credentials` (the credential header parser), `approval` (the token verifier against
//! arbitrary mutations of a valid token), `time` (resolve_moment / resolve_window /
//! apply_time_keep_date / parse_duration_minutes on arbitrary strings and nows), `model_output`
//! (arbitrary JSON as the model's answer through the manage_productivity NL path) and `jsonrpc`
//! (the JSON-RPC decoder, and POST /mcp + /a2a/rpc end to end).

use crate::helpers;

use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, TimeZone as _, Utc};
use helpers::*;
use juli_calendar::approval::{self, Issue};
use juli_calendar::config::SecretString;
use juli_calendar::credentials::{credential_for_header, Credentials};
use juli_calendar::domain::duration::parse_duration_minutes;
use juli_calendar::domain::time::{apply_time_keep_date, resolve_moment, MomentRole};
use juli_calendar::domain::time_window::resolve_window;
use juli_calendar::jsonrpc;
use juli_testkit::defaults::RECLAIM_KEY;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::{json, Value};

const DEV_SECRET: &str = "a2a-dev-secret-for-fuzzing-0123456789";

/// Cases per target: `JULI_FUZZ_CASES`, else the target's default.
fn cases(default: u32) -> u32 {
    std::env::var("JULI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(n: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: n,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 2000,
        ..Config::default()
    })
}

/// Runs one target: the corpus first, then `n` generated cases; prints the figures.
fn campaign<S: Strategy>(
    target: &str,
    default_cases: u32,
    corpus: impl Fn(&[u8]),
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let started = Instant::now();
    let files = corpus_files(target);
    for (name, bytes) in &files {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| corpus(bytes)));
        assert!(r.is_ok(), "{target}: corpus input {name} failed");
    }
    let n = cases(default_cases);
    let mut runner = runner(n);
    if let Err(e) = runner.run(&strategy, property) {
        panic!("{target}: {e}");
    }
    println!(
        "fuzz target {target}: {} corpus inputs + {n} generated cases in {:.2} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(!files.is_empty(), "{target}: the corpus is empty");
}

fn corpus_files(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// router: juli_calendar::handle with arbitrary method, path, headers and body
// ---------------------------------------------------------------------------------------------

const ROUTES: [&str; 14] = [
    "/health",
    "/debug/headers",
    "/mcp/needs-setup",
    "/auth/setup-instructions",
    "/auth/validate-credentials",
    "/mcp/tools",
    "/mcp/tools/manage_productivity",
    "/mcp/tools/find_and_analyze",
    "/mcp/tools/check_availability",
    "/mcp/tools/optimize_schedule",
    "/mcp",
    "/.well-known/a2a.json",
    "/.well-known/a2a-credentials.json",
    "/a2a/rpc",
];

/// One request: the app must answer below 500, in JSON, and write nothing upstream.
fn check_request(method: &str, path: &str, extra: &[(String, String)], body: &[u8]) {
    let mut app = TestApp::new();
    app.set_config("debug_endpoints", "true");
    app.set_config("a2a_dev_secret", DEV_SECRET);
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Existing task").id(1));
    let mut headers: Vec<(&str, &str)> = user_headers();
    headers.push(("content-type", "application/json"));
    headers.push(("x-a2a-dev-secret", DEV_SECRET));
    for (k, v) in extra {
        headers.push((k, v));
    }
    let Ok(method) = http::Method::from_bytes(method.as_bytes()) else {
        return;
    };
    let Ok(_) = format!("http://127.0.0.1:3000{path}").parse::<http::Uri>() else {
        return; // not a request `http` can even represent
    };
    let r = app.request(method.as_str(), path, &headers, body);
    assert!(r.status < 500, "{method} {path}: {} {}", r.status, r.text());
    if !r.body.is_empty() {
        assert!(
            r.json.is_object() || r.json.is_array(),
            "{method} {path}: not JSON"
        );
    }
    let writes = app
        .fakes
        .requests()
        .into_iter()
        .filter(|q| matches!(q.provider, Provider::Reclaim | Provider::Nylas) && q.method != "GET")
        .count();
    // Bodies are arbitrary: a write may only come from a structured tool call that asked for one.
    if writes > 0 {
        let asked: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        assert!(
            asked.to_string().contains("action") || asked.to_string().contains("approved"),
            "{method} {path} wrote upstream from {}",
            String::from_utf8_lossy(body)
        );
    }
}

fn path_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(ROUTES.to_vec()).prop_map(str::to_string),
        (
            proptest::sample::select(ROUTES.to_vec()),
            "[a-zA-Z0-9_./%~-]{0,24}"
        )
            .prop_map(|(r, tail)| format!("{r}/{tail}")),
        "/[a-zA-Z0-9_./%?&=#~-]{0,60}",
    ]
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        tool_args().prop_map(|v| v.to_string().into_bytes()),
        rpc_message().prop_map(|v| v.to_string().into_bytes()),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,20}".prop_map(Value::String),
        proptest::sample::select(vec![
            "create_task",
            "complete_task",
            "delete_task",
            "cancel_event",
            "P1",
            "tomorrow 2pm",
            "2026-02-30",
            "Mars/Base",
            "-30",
            "../../",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "query",
            "action",
            "item_id",
            "target",
            "title_hint",
            "time_hint",
            "all_matching",
            "title",
            "due",
            "start",
            "end",
            "duration",
            "duration_minutes",
            "priority",
            "participants",
            "minutes",
            "approved",
            "action_type",
            "action_data",
            "arguments",
            "user_timezone",
            "current_date",
            "current_time",
            "jsonrpc",
            "id",
            "method",
            "params",
            "name",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,10}",
    ]
}

/// Arguments that look like a real tool call (read-only actions and bogus values), so the
/// fuzzer reaches deep into the tools rather than stopping at the JSON parser.
fn tool_args() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(vec![
            "complete_task",
            "update_task",
            "cancel_event",
            "update_event",
            "add_time",
            "bogus",
        ]),
        proptest::option::of("\\PC{0,30}"),
        proptest::option::of(proptest::sample::select(vec![
            "tomorrow",
            "2pm",
            "Feb 30",
            "next week",
            "0000-01-01",
            "in 99999 days",
        ])),
        proptest::option::of(any::<i64>()),
        proptest::option::of(proptest::sample::select(vec![
            "America/New_York",
            "Mars/Base",
            "",
            "UTC",
        ])),
    )
        .prop_map(|(action, hint, time, minutes, tz)| {
            let mut v = json!({"action": action, "target": {"title_hint": hint, "time_hint": time, "all_matching": true}});
            if let Some(m) = minutes {
                v["minutes"] = json!(m);
                v["duration_minutes"] = json!(m);
            }
            if let Some(tz) = tz {
                v["user_timezone"] = json!(tz);
            }
            v
        })
}

fn rpc_message() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(vec![json!("2.0"), json!("1.0"), Value::Null, json!(2)]),
        proptest::sample::select(vec![
            json!(1),
            json!("a"),
            Value::Null,
            json!({"x": 1}),
            json!(1.5),
        ]),
        proptest::sample::select(vec![
            "initialize",
            "ping",
            "tools/list",
            "tools/call",
            "tool.execute",
            "tool.approve",
            "tool.list",
            "agent.card",
            "agent.handshake",
            "notifications/initialized",
            "x",
        ]),
        json_value(),
        proptest::option::of(tool_args()),
        proptest::sample::select(vec!["manage_productivity", "find_and_analyze", "nope"]),
    )
        .prop_map(|(v, id, method, params, args, tool)| {
            let params = match args {
                Some(a) => json!({"name": tool, "tool": tool, "arguments": a}),
                None => params,
            };
            json!({"jsonrpc": v, "id": id, "method": method, "params": params})
        })
}

#[test]
fn fuzz_router() {
    campaign(
        "router",
        2000,
        |bytes| {
            // Corpus format: first line "METHOD PATH", the rest is the body.
            let text = String::from_utf8_lossy(bytes);
            let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
            let (method, path) = head.trim().split_once(' ').unwrap_or(("POST", head));
            check_request(method, path.trim(), &[], body.as_bytes());
        },
        (
            proptest::sample::select(vec![
                "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO",
            ]),
            path_strategy(),
            proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "accept",
                        "mcp-protocol-version",
                        "origin",
                        "content-type",
                        "x-platform-request-id",
                        "authorization",
                        "x-user-credential-reclaim-api-key",
                    ]),
                    "[ -~]{0,40}",
                ),
                0..3,
            ),
            body_strategy(),
        ),
        |(method, path, headers, body)| {
            let headers: Vec<(String, String)> = headers
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            check_request(method, &path, &headers, &body);
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// credentials: the header parser
// ---------------------------------------------------------------------------------------------

fn check_credentials(pairs: &[(Vec<u8>, Vec<u8>)]) {
    let mut headers = http::HeaderMap::new();
    for (k, v) in pairs {
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(k),
            http::HeaderValue::from_bytes(v),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    let creds = Credentials::from_headers(&headers);
    for v in creds.values() {
        assert!(!v.is_empty() && v.len() <= 4096);
        assert_eq!(v, v.trim());
        assert!(!v.chars().any(char::is_control));
        // Every accepted value came from a credential header.
        assert!(headers
            .iter()
            .any(|(n, hv)| credential_for_header(n.as_str()).is_some()
                && std::str::from_utf8(hv.as_bytes()).is_ok_and(|s| s.trim() == v)));
    }
    assert_eq!(
        creds.missing().len(),
        3 - creds.values().len(),
        "missing + present = 3"
    );
    // The Debug form never shows a value.
    let debug = format!("{creds:?}");
    for v in creds.values().into_iter().filter(|v| v.len() >= 4) {
        assert!(!debug.contains(v), "Debug shows a credential");
    }
}

#[test]
fn fuzz_credentials() {
    let name = prop_oneof![
        proptest::sample::select(vec![
            "X-User-Credential-RECLAIM_API_KEY",
            "x-user-credential-nylas-api-key",
            "X_USER_CREDENTIAL_NYLAS_GRANT_ID",
            "x-user-credential-reclaim_api-key",
            "X-Reclaim-Key",
            "x-nylas-key",
            "X-Nylas-Grant",
            "x-user-credential-other",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..40),
    ];
    let value = proptest::collection::vec(any::<u8>(), 0..80);
    campaign(
        "credentials",
        3000,
        |bytes| {
            // Corpus format: one "name: value" header per line.
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = bytes
                .split(|b| *b == b'\n')
                .filter_map(|line| {
                    let i = line.iter().position(|b| *b == b':')?;
                    Some((line[..i].to_vec(), line[i + 1..].to_vec()))
                })
                .collect();
            check_credentials(&pairs);
        },
        proptest::collection::vec((name, value), 0..6),
        |pairs| {
            check_credentials(&pairs);
            // Name normalisation: any case and `_`/`-` spelling maps to the same key.
            for (k, _) in &pairs {
                if let Ok(s) = std::str::from_utf8(k) {
                    let flipped: String = s
                        .chars()
                        .map(|c| match c {
                            '_' => '-',
                            '-' => '_',
                            c if c.is_ascii_lowercase() => c.to_ascii_uppercase(),
                            c => c.to_ascii_lowercase(),
                        })
                        .collect();
                    prop_assert_eq!(credential_for_header(s), credential_for_header(&flipped));
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// approval: arbitrary mutations of a valid token never verify, never panic
// ---------------------------------------------------------------------------------------------

struct FixedRandom;
impl juli_calendar::ports::Random for FixedRandom {
    fn fill(&self, buf: &mut [u8]) {
        buf.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
    }
}

fn approval_now() -> DateTime<Utc> {
    "2026-12-01T14:00:00Z".parse().unwrap()
}

fn valid_token(secret: &SecretString) -> Value {
    approval::issue(
        secret,
        &FixedRandom,
        Issue {
            tool: "manage_productivity",
            action_type: "bulk_delete",
            operation: json!({"kind": "delete_tasks", "tasks": [{"id": "101", "title": "Bulk test 1"}, {"id": "102", "title": "Bulk test 2"}]}),
            subject: "subject-of-alice".into(),
            now: approval_now(),
        },
    )
}

/// All JSON pointers of a value (objects and arrays included).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| pointers(x, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    Insert(usize, String, Value),
    FlipSignatureChar(usize, char),
}

fn apply(token: &Value, m: &Mutation) -> Value {
    let mut t = token.clone();
    let mut ps = vec![];
    pointers(&t, String::new(), &mut ps);
    match m {
        Mutation::Replace(i, v) => {
            let p = &ps[i % ps.len()];
            if p.is_empty() {
                t = v.clone();
            } else if let Some(slot) = t.pointer_mut(p) {
                *slot = v.clone();
            }
        }
        Mutation::Remove(i) => {
            let p = &ps[i % ps.len()];
            if let Some((parent, key)) = p.rsplit_once('/') {
                match t.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(key);
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Insert(i, k, v) => {
            let p = &ps[i % ps.len()];
            if let Some(Value::Object(m)) = t.pointer_mut(p) {
                m.insert(k.clone(), v.clone());
            }
        }
        Mutation::FlipSignatureChar(i, c) => {
            if let Some(Value::String(s)) = t.pointer_mut("/_approval/signature") {
                let mut chars: Vec<char> = s.chars().collect();
                if !chars.is_empty() {
                    let n = chars.len();
                    chars[i % n] = *c;
                }
                *s = chars.into_iter().collect();
            }
        }
    }
    t
}

fn check_mutated(secret: &SecretString, original: &Value, mutated: &Value) {
    let result = approval::verify(
        secret,
        Some(mutated),
        "manage_productivity",
        Some("bulk_delete"),
        "subject-of-alice",
        approval_now(),
    );
    if mutated == original {
        assert!(result.is_ok(), "the unmutated token must verify");
    } else {
        assert!(
            result.is_err(),
            "a mutated token verified: {}",
            serde_json::to_string(mutated).unwrap()
        );
    }
}

#[test]
fn fuzz_approval() {
    let secret = SecretString::new("approval-secret-for-fuzzing-0123456789");
    let token = valid_token(&secret);
    let mutation = prop_oneof![
        (any::<usize>(), json_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), field_name(), json_value())
            .prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        (any::<usize>(), proptest::char::any())
            .prop_map(|(i, c)| Mutation::FlipSignatureChar(i, c)),
    ];
    let original = token.clone();
    campaign(
        "approval",
        3000,
        |bytes| {
            // Corpus format: a JSON object {"pointer": "/…", "value": …} (or "remove": true)
            // applied to the valid token.
            let spec: Value = serde_json::from_slice(bytes).unwrap();
            let mut t = token.clone();
            let p = spec["pointer"].as_str().unwrap();
            if spec["remove"] == true {
                let (parent, key) = p.rsplit_once('/').unwrap();
                t.pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .unwrap()
                    .remove(key);
            } else {
                *t.pointer_mut(p).unwrap() = spec["value"].clone();
            }
            check_mutated(&secret, &token, &t);
        },
        proptest::collection::vec(mutation, 1..4),
        |ms| {
            let mut t = original.clone();
            for m in &ms {
                t = apply(&t, m);
            }
            check_mutated(&secret, &original, &t);
            Ok(())
        },
    );
    // Other secrets, tools, types, users and times on the untouched token.
    let v = |secret: &SecretString, tool: &str, ty: &str, sub: &str, now: DateTime<Utc>| {
        approval::verify(secret, Some(&original), tool, Some(ty), sub, now)
    };
    let now = approval_now();
    assert!(v(
        &secret,
        "manage_productivity",
        "bulk_delete",
        "subject-of-alice",
        now
    )
    .is_ok());
    assert!(v(
        &SecretString::new("other"),
        "manage_productivity",
        "bulk_delete",
        "subject-of-alice",
        now
    )
    .is_err());
    assert!(v(
        &secret,
        "optimize_schedule",
        "bulk_delete",
        "subject-of-alice",
        now
    )
    .is_err());
    assert!(v(
        &secret,
        "manage_productivity",
        "bulk_complete",
        "subject-of-alice",
        now
    )
    .is_err());
    assert!(v(
        &secret,
        "manage_productivity",
        "bulk_delete",
        "subject-of-bob",
        now
    )
    .is_err());
    assert!(v(
        &secret,
        "manage_productivity",
        "bulk_delete",
        "subject-of-alice",
        now + chrono::Duration::minutes(16)
    )
    .is_err());
}

// ---------------------------------------------------------------------------------------------
// time: the natural-time resolver
// ---------------------------------------------------------------------------------------------

const ZONES: [chrono_tz::Tz; 6] = [
    chrono_tz::America::New_York,
    chrono_tz::Europe::London,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Chatham,
    chrono_tz::UTC,
];

fn check_time(phrase: &str, zone: usize, secs: i64) {
    let tz = ZONES[zone % ZONES.len()];
    let now = tz.from_utc_datetime(&DateTime::from_timestamp(secs, 0).unwrap().naive_utc());
    for role in [MomentRole::Due, MomentRole::EventStart, MomentRole::Generic] {
        if let Ok(m) = resolve_moment(phrase, now, role) {
            assert_eq!(m.instant.timezone(), tz);
            assert!(
                (1970..=2199).contains(&chrono::Datelike::year(&m.utc())),
                "{phrase:?}"
            );
        }
    }
    if let Ok(w) = resolve_window(phrase, now) {
        assert!(w.start <= w.end, "{phrase:?}: window ends before it starts");
    }
    let _ = apply_time_keep_date(now, phrase, now);
    if let Ok(m) = parse_duration_minutes(phrase) {
        assert!((1..=7 * 24 * 60).contains(&m), "{phrase:?} → {m}");
    }
}

fn time_phrase() -> impl Strategy<Value = String> {
    let word = proptest::sample::select(vec![
        "tomorrow",
        "today",
        "next",
        "last",
        "this",
        "week",
        "month",
        "friday",
        "tuesday",
        "at",
        "2pm",
        "14:30",
        "noon",
        "midnight",
        "morning",
        "end",
        "of",
        "day",
        "in",
        "2",
        "hours",
        "minutes",
        "days",
        "ago",
        "later",
        "earlier",
        "feb",
        "30",
        "2026-02-30",
        "9999-12-31",
        "0000-01-01T00:00",
        "dec",
        "4",
        "-",
        "and",
        "half",
        "an",
        "hour",
        "1.5",
        "1e9",
        "99999999999",
        "-3",
        "quarter",
        "first",
        "thing",
        "8.30am",
        "12am",
        "13pm",
        "week of",
        "between",
        "to",
        "from",
        "now",
        "+05:00",
        "Z",
        "T",
        "½",
        "١٢",
    ]);
    prop_oneof![
        "\\PC{0,40}",
        proptest::collection::vec(word, 1..7).prop_map(|w| w.join(" ")),
        "[0-9:T+\\-Z ]{0,25}",
    ]
}

#[test]
fn fuzz_time() {
    campaign(
        "time",
        4000,
        |bytes| {
            // Corpus format: one phrase per line.
            for line in String::from_utf8_lossy(bytes).lines() {
                for (zone, secs) in [(0, 1_796_133_600), (3, 1_775_000_000), (4, 4_000_000_000)] {
                    check_time(line, zone, secs);
                }
            }
        },
        (time_phrase(), 0..ZONES.len(), 0i64..7_258_118_400),
        |(phrase, zone, secs)| {
            check_time(&phrase, zone, secs);
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// model_output: arbitrary JSON as the model's answer (manage_productivity NL path)
// ---------------------------------------------------------------------------------------------

fn check_model_output(output: &Value) {
    let app = TestApp::new();
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Existing task").id(1));
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Existing task two").id(2));
    // Arbitrary JSON, mostly what strict mode cannot produce: a robustness test.
    app.fakes
        .openai
        .push(ScriptedOutput::OffSchema(output.clone()));
    let r = app.call_tool(
        "manage_productivity",
        json!({"query": "do something", "user_timezone": "America/New_York", "current_date": "2026-12-01", "current_time": "09:00:00"}),
    );
    assert!(r.status < 500);
    assert!(r.json.is_object(), "{}", r.text());
    let writes = app
        .fakes
        .requests()
        .into_iter()
        .filter(|q| matches!(q.provider, Provider::Reclaim | Provider::Nylas) && q.method != "GET")
        .map(|q| q.line())
        .collect::<Vec<_>>();
    // An answer that is not a valid interpretation never writes.
    let valid =
        serde_json::from_value::<juli_calendar::interpret::manage::ManageRequest>(output.clone())
            .is_ok_and(|r| r.action.is_some());
    if !valid {
        assert!(
            writes.is_empty(),
            "invalid model output wrote {writes:?}: {output}"
        );
        assert_eq!(r.json["success"], false, "{}", r.json);
    }
    // Whatever the model says, an operation on several items is never executed at once (two
    // open tasks match "Existing": a bulk answer must come back as needs_approval).
    assert!(
        writes.len() <= 1,
        "a model answer made several writes without approval: {writes:?}"
    );
}

fn model_output() -> impl Strategy<Value = Value> {
    let action = proptest::sample::select(vec![
        json!("create_task"),
        json!("update_task"),
        json!("complete_task"),
        json!("delete_task"),
        json!("add_time"),
        json!("create_event"),
        json!("update_event"),
        json!("cancel_event"),
        json!("block_focus_time"),
        json!("unsupported"),
        json!("drop_database"),
        json!(3),
        Value::Null,
    ]);
    (action, json_value(), json_value(), any::<bool>()).prop_map(|(action, a, b, all)| {
        let mut out = json!({
            "action": action, "target": {"title_hint": "Existing", "time_hint": null, "all_matching": all},
            "title": "Fuzzed", "notes": null, "due": null, "start": "tomorrow 3pm", "end": null,
            "duration": null, "priority": null, "category": null, "snooze_until": null,
            "location": null, "description": null, "participants": [], "implies_others": false,
            "minutes": null, "clarification": null
        });
        // Overwrite fields with arbitrary JSON.
        if let (Value::Object(o), Value::Object(extra)) = (&mut out, a) {
            for (k, v) in extra {
                o.insert(k, v);
            }
        }
        if !b.is_object() {
            out["title"] = b;
        }
        out
    })
}

#[test]
fn fuzz_model_output() {
    campaign(
        "model_output",
        400,
        |bytes| {
            // Corpus format: one model answer (any JSON) per file.
            let v: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            check_model_output(&v);
        },
        prop_oneof![model_output(), json_value()],
        |v| {
            check_model_output(&v);
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// jsonrpc: the decoder, and /mcp + /a2a/rpc end to end
// ---------------------------------------------------------------------------------------------

fn check_jsonrpc(body: &[u8]) {
    match jsonrpc::decode(body) {
        Err(e) => assert!(e.code == jsonrpc::PARSE_ERROR || e.code == jsonrpc::INVALID_REQUEST),
        Ok(jsonrpc::Incoming::Batch(items)) => assert!(!items.is_empty()),
        Ok(jsonrpc::Incoming::Single(_)) => {}
    }
    for path in ["/mcp", "/a2a/rpc"] {
        check_request(
            "POST",
            path,
            &[(
                "accept".to_string(),
                "application/json, text/event-stream".to_string(),
            )],
            body,
        );
    }
}

#[test]
fn fuzz_jsonrpc() {
    campaign(
        "jsonrpc",
        800,
        check_jsonrpc,
        prop_oneof![
            rpc_message().prop_map(|v| v.to_string().into_bytes()),
            proptest::collection::vec(rpc_message(), 0..4)
                .prop_map(|v| Value::Array(v).to_string().into_bytes()),
            proptest::collection::vec(any::<u8>(), 0..100),
        ],
        |body| {
            check_jsonrpc(&body);
            Ok(())
        },
    );
}
