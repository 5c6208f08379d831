//! Abuse and cost control (issue 15) and the body content-type rule (issue 11 item 4): callers
//! without credentials, cross-site simple requests, the model budget, approval races and the
//! size of the key-value store.

use crate::helpers;

use helpers::*;
use serde_json::{json, Value};

const DEV_SECRET: &str = "a2a-dev-secret-for-tests";

fn mcp_call(app: &TestApp, headers: &[(&str, &str)], tool: &str, args: Value) -> TestResponse {
    let mut h = headers.to_vec();
    h.push(("content-type", "application/json"));
    h.push(("accept", "application/json, text/event-stream"));
    h.push(("mcp-protocol-version", "2025-06-18"));
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": tool, "arguments": args}});
    app.request("POST", "/mcp", &h, body.to_string())
}

fn a2a_execute(app: &TestApp, headers: &[(&str, &str)], tool: &str, args: Value) -> TestResponse {
    let mut h = headers.to_vec();
    h.push(("content-type", "application/json"));
    h.push(("x-a2a-dev-secret", DEV_SECRET));
    let body = json!({"jsonrpc": "2.0", "id": "r1", "method": "tool.execute",
                      "params": {"tool": tool, "arguments": args}});
    app.request("POST", "/a2a/rpc", &h, body.to_string())
}

fn a2a_app() -> TestApp {
    let mut app = TestApp::new();
    app.set_config("a2a_dev_secret", DEV_SECRET);
    app
}

#[test]
fn no_credentials_answers_needs_setup_with_zero_upstream_calls_on_every_surface() {
    let app = a2a_app();
    let queries = [
        (
            "manage_productivity",
            json!({"query": "add a task to call mom"}),
        ),
        ("find_and_analyze", json!({"query": "what's on today?"})),
        ("check_availability", json!({"query": "am I free at 3pm?"})),
        ("optimize_schedule", json!({"request": "optimize my week"})),
        (
            "manage_productivity",
            json!({"action": "create_task", "title": "x"}),
        ),
    ];
    for (tool, args) in &queries {
        let rest = app.call_tool_with(tool, &[], ctx(args.clone()));
        assert_eq!(rest.status, 200);
        assert_eq!(rest.json["needs_setup"], true, "REST {tool}: {}", rest.json);
        // Availability reads the calendar only, so it names only what Nylas needs.
        let missing = if *tool == "check_availability" {
            json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
        } else {
            json!(["RECLAIM_API_KEY", "NYLAS_API_KEY", "NYLAS_GRANT_ID"])
        };
        assert_eq!(rest.json["missing"], missing, "REST {tool}");

        let mcp = mcp_call(&app, &[], tool, ctx(args.clone()));
        assert_eq!(
            mcp.json["result"]["structuredContent"]["needs_setup"], true,
            "MCP {tool}: {}",
            mcp.json
        );

        let a2a = a2a_execute(&app, &[], tool, ctx(args.clone()));
        assert_eq!(
            a2a.json["result"]["result"]["needs_setup"], true,
            "A2A {tool}: {}",
            a2a.json
        );
    }
    // A Nylas key without its grant connects nothing either.
    let half = app.call_tool_with(
        "find_and_analyze",
        &[("X-User-Credential-NYLAS_API_KEY", "nylas-key-without-grant")],
        ctx(json!({"query": "what's on today?"})),
    );
    assert_eq!(half.json["needs_setup"], true);
    assert_eq!(
        half.json["missing"],
        json!(["RECLAIM_API_KEY", "NYLAS_GRANT_ID"])
    );
    assert_eq!(
        app.fakes.requests().len(),
        0,
        "no model or provider call at all"
    );
}

#[test]
fn bad_arguments_without_credentials_still_get_the_readable_error() {
    let app = TestApp::new();
    let r = app.call_tool_with(
        "check_availability",
        &[],
        json!({"query": "x", "user_timezone": "Mars/Base"}),
    );
    assert_eq!(r.json["success"], false);
    assert!(r.json["error"].as_str().unwrap().contains("Mars/Base"));
    assert_eq!(app.fakes.requests().len(), 0);
}

/// Issue 11 item 4: a body a browser can send cross-site without a preflight never executes.
#[test]
fn non_json_bodies_are_refused_with_415_and_nothing_runs() {
    let app = a2a_app();
    let tool_body = ctx(json!({"action": "create_task", "title": "Injected"})).to_string();
    let mcp_body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "manage_productivity", "arguments": ctx(json!({"action": "create_task", "title": "Injected"}))}})
    .to_string();
    let routes = [
        ("/mcp/tools/manage_productivity", tool_body.clone()),
        ("/mcp/tools/find_and_analyze", tool_body.clone()),
        ("/mcp", mcp_body.clone()),
        ("/a2a/rpc", mcp_body),
        (
            "/auth/validate-credentials",
            json!({"reclaim_api_key": "x"}).to_string(),
        ),
    ];
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=xyz"),
        None,
    ] {
        for (route, body) in &routes {
            let mut h = user_headers();
            h.push(("accept", "application/json, text/event-stream"));
            h.push(("x-a2a-dev-secret", DEV_SECRET));
            if let Some(ct) = content_type {
                h.push(("content-type", ct));
            }
            let r = app.request("POST", route, &h, body);
            assert_eq!(r.status, 415, "{route} {content_type:?}: {}", r.text());
            assert_eq!(r.header("content-type"), Some("application/json"));
            let message = r.json["error"]["message"]
                .as_str()
                .or(r.json["error"].as_str())
                .unwrap_or_default();
            assert!(
                message.contains("application/json"),
                "{route}: {}",
                r.text()
            );
        }
    }
    assert_eq!(app.fakes.requests().len(), 0);
    assert!(app.fakes.reclaim.tasks(defaults_key()).is_empty());

    // Any casing and parameters are fine.
    let mut h = user_headers();
    h.push(("Content-Type", "Application/JSON; charset=utf-8"));
    let r = app.request("POST", "/mcp/tools/manage_productivity", &h, tool_body);
    assert_eq!(r.status, 200);
    assert_eq!(r.json["success"], true, "{}", r.json);
}

fn defaults_key() -> &'static str {
    juli_testkit::defaults::RECLAIM_KEY
}

/// A clock fixed at `0` whose `sleep` really waits (a second approval polls for the first
/// one's result while it runs on another thread).
struct SleepingClock(chrono::DateTime<chrono::Utc>);

impl juli_calendar::ports::Clock for SleepingClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0
    }
    fn sleep(&self, duration: std::time::Duration) {
        std::thread::sleep(duration.min(std::time::Duration::from_millis(20)));
    }
}

/// Sends `n` copies of one JSON POST at once, each on its own thread with its own context,
/// sharing the app's store, fakes and configuration. Returns the parsed answers and statuses.
fn concurrently(
    app: &TestApp,
    n: usize,
    path: &str,
    body: &Value,
) -> Vec<(u16, Option<String>, Value)> {
    use juli_calendar::ports::Context;
    let barrier = std::sync::Barrier::new(n);
    let (store, fakes, config) = (&app.store, &*app.fakes, &app.config);
    let now = app.clock.0;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let barrier = &barrier;
                scope.spawn(move || {
                    let faults = std::cell::RefCell::new(std::collections::VecDeque::new());
                    let outbound = FakeOutbound::new(fakes, &faults);
                    let (clock, random, log) = (
                        SleepingClock(now),
                        SeqRandom::default(),
                        CapturedLog::default(),
                    );
                    let ctx = Context {
                        outbound: &outbound,
                        config,
                        store: Some(store),
                        clock: &clock,
                        random: &random,
                        log: &log,
                    };
                    let mut request = http::Request::builder()
                        .method("POST")
                        .uri(format!("http://127.0.0.1:3000{path}"))
                        .header("content-type", "application/json");
                    for (k, v) in user_headers() {
                        request = request.header(k, v);
                    }
                    let request = request.body(body.to_string().into_bytes()).unwrap();
                    barrier.wait();
                    let r = futures::executor::block_on(juli_calendar::handle(request, ctx));
                    let retry = r
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_string());
                    (
                        r.status().as_u16(),
                        retry,
                        serde_json::from_slice(r.body()).unwrap_or(Value::Null),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn bulk_preview(app: &TestApp) -> Value {
    for i in 0..3 {
        app.fakes.reclaim.seed_task(
            defaults_key(),
            TaskSeed::new(&format!("Bulk test task {i}")).id(100 + i),
        );
    }
    let args = ctx(json!({"action": "complete_task",
                          "target": {"title_hint": "Bulk test", "all_matching": true}}));
    let first = app.call_tool("manage_productivity", args.clone()).json;
    assert_eq!(first["needs_approval"], true, "{first}");
    let mut approval = args;
    approval["approved"] = json!(true);
    approval["action_type"] = first["action_type"].clone();
    approval["action_data"] = first["action_data"].clone();
    approval
}

#[test]
fn twenty_concurrent_approvals_of_one_token_execute_exactly_once() {
    let app = TestApp::new();
    let approval = bulk_preview(&app);
    let writes_before = app.fakes.count(Provider::Reclaim);
    let answers = concurrently(&app, 20, "/mcp/tools/manage_productivity", &approval);
    assert_eq!(
        app.fakes.count(Provider::Reclaim) - writes_before,
        3,
        "one execution: three task completions"
    );
    let (first, replays): (Vec<_>, Vec<_>) = answers
        .iter()
        .map(|(_, _, v)| v)
        .partition(|v| v.get("replayed").is_none());
    assert_eq!(first.len(), 1, "exactly one executed: {first:?}");
    assert_eq!(first[0]["success"], true, "{}", first[0]);
    assert_eq!(replays.len(), 19);
    for r in replays {
        assert_eq!(r["replayed"], true);
        assert_eq!(r["data"], first[0]["data"], "the first result is answered");
        assert!(r["message"].as_str().unwrap().contains("already executed"));
    }
    eprintln!("approval race (native, 20 threads): 1 executed (3 Reclaim writes), 19 replayed");
}

#[test]
fn the_model_budget_holds_under_concurrent_load_and_answers_429() {
    let mut app = TestApp::new();
    app.set_config("model_calls_per_hour", "5");
    // Requests the rule-based interpreter understands never reach the model: force the model.
    app.set_config("rules_interpreter", "off");
    for _ in 0..20 {
        app.fakes
            .openai
            .push(ScriptedOutput::Refusal("not today".into()));
    }
    let body = ctx(json!({"query": "what's on my calendar today?"}));
    let answers = concurrently(&app, 20, "/mcp/tools/find_and_analyze", &body);
    assert_eq!(app.fakes.count(Provider::OpenAi), 5, "exactly the budget");
    let limited: Vec<_> = answers.iter().filter(|(s, _, _)| *s == 429).collect();
    assert_eq!(limited.len(), 15);
    for (_, retry, v) in limited {
        // 09:00 New York is 14:00 UTC: the hour window ends in 3600 s.
        assert_eq!(retry.as_deref(), Some("3600"));
        assert_eq!(v["rate_limited"], true);
        assert!(v["error"]
            .as_str()
            .unwrap()
            .contains("5 plain-language requests per hour"));
    }
    eprintln!(
        "model budget 5/hour under 20 concurrent requests: {} model calls, {} answered 429",
        app.fakes.count(Provider::OpenAi),
        answers.iter().filter(|(s, _, _)| *s == 429).count()
    );
    // Structured calls do not count: they still work with the budget used up.
    let structured = app.call_tool(
        "find_and_analyze",
        ctx(json!({"scope": "tasks", "time_range": "today"})),
    );
    assert_eq!(structured.status, 200, "{}", structured.json);
    assert_eq!(app.fakes.count(Provider::OpenAi), 5);
    // The counters name the user by a keyed hash, never by a credential.
    for key in app.store.keys() {
        for secret in app.secrets() {
            assert!(!key.contains(&secret), "{key}");
        }
    }
}

#[test]
fn the_store_stays_bounded_after_many_approvals() {
    let mut app = TestApp::new();
    let start: chrono::DateTime<chrono::Utc> = "2026-12-01T14:00:00Z".parse().unwrap();
    let rounds = 150i64;
    let mut peak = 0;
    for i in 0..rounds {
        let now = start + chrono::Duration::minutes(i);
        app.set_now(now);
        for part in ["a", "b"] {
            app.fakes.reclaim.seed_task(
                defaults_key(),
                TaskSeed::new(&format!("Chore {i} {part}")).id(1000 + 2 * i + (part == "b") as i64),
            );
        }
        let args = json!({"action": "complete_task",
            "target": {"title_hint": format!("Chore {i} "), "all_matching": true},
            "user_timezone": "UTC",
            "current_date": now.format("%Y-%m-%d").to_string(),
            "current_time": now.format("%H:%M:%S").to_string()});
        let first = app.call_tool("manage_productivity", args.clone()).json;
        assert_eq!(first["needs_approval"], true, "{first}");
        let mut approval = args;
        approval["approved"] = json!(true);
        approval["action_type"] = first["action_type"].clone();
        approval["action_data"] = first["action_data"].clone();
        let done = app.call_tool("manage_productivity", approval).json;
        assert_eq!(done["success"], true, "{done}");
        peak = peak.max(app.store.len());
    }
    let executed = |app: &TestApp| {
        app.store
            .keys()
            .iter()
            .filter(|k| k.contains("approval-executed"))
            .count()
    };
    eprintln!(
        "{rounds} approvals, one a minute: peak {peak} keys, {} at the end ({} approval records)",
        app.store.len(),
        executed(&app)
    );
    // Records live 15 min (approval) + 2 min (grace) + up to 5 min (sweep interval).
    assert!(peak <= 24, "peak {peak} keys");
    assert!(executed(&app) <= 23);
}
