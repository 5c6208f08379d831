//! End-to-end scenarios: the compiled component in the e2e host, talking over real HTTP to the
//! `juli-testkit` fakes (Reclaim, Nylas, OpenAI) on loopback. Every `FakeEnv` checks on drop:
//! no trap, no allow-list violation, no upstream contract violation, and no credential or
//! secret value in any response body or guest log line.
//!
//! The component's clock is real, so every tool call carries Juli's injected context
//! (`current_date` 2026-12-01, `current_time` 09:00:00, America/New_York).

use std::sync::Arc;

use juli_e2e::fakes::{ctx, default_user_headers, KV_APPROVAL_SECRET, KV_EXECUTED_PREFIX};
use juli_e2e::model_outputs::{availability_model, find_model, manage_model};
use juli_e2e::FakeEnv;
use juli_testkit::defaults::{NYLAS_GRANT, NYLAS_KEY, RECLAIM_KEY, USER_EMAIL};
use juli_testkit::{EventSeed, FakeUpstreams, Provider, TaskSeed};
use serde_json::{json, Value};

fn approve(env: &FakeEnv, tool: &str, first: &Value, original: Value) -> Value {
    let mut args = ctx(original);
    args["approved"] = json!(true);
    args["action_type"] = first["action_type"].clone();
    args["action_data"] = first["action_data"].clone();
    env.call_tool(tool, args).json()
}

fn ts(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp()
}

fn writes(env: &FakeEnv) -> usize {
    env.fakes
        .requests()
        .iter()
        .filter(|r| r.provider != Provider::OpenAi && r.method != "GET")
        .count()
}

// ---------------------------------------------------------------------------------------------
// manage_productivity
// ---------------------------------------------------------------------------------------------

#[test]
fn vertical_slice_nl_task_create_through_real_http() {
    let env = FakeEnv::start();
    env.fakes.openai.push_output(manage_model(json!({
        "action": "create_task", "title": "Review the Q4 budget", "due": "Friday",
        "duration": "about 2 hours", "priority": "P2"
    })));
    let reply = env.call_tool(
        "manage_productivity",
        ctx(json!({"query": "Create a task to review the Q4 budget by Friday, about 2 hours, high priority"})),
    );
    assert_eq!(reply.status, 200);
    let out = reply.json();
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["provider"], "reclaim");
    assert_eq!(out["action"], "created");
    assert_eq!(out["data"]["title"], "Review the Q4 budget");
    assert_eq!(out["data"]["priority"], "P2");
    assert_eq!(out["data"]["due"], "2026-12-04T17:00:00-05:00");

    assert_eq!(
        env.counts(),
        (1, 2, 0),
        "exactly 1 OpenAI call and 2 Reclaim calls (duplicate check + create)"
    );
    let create = env
        .fakes
        .requests_to(Provider::Reclaim)
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/api/tasks")
        .expect("a task create");
    assert_eq!(create.body["due"], "2026-12-04T22:00:00Z");
    assert_eq!(create.body["timeChunksRequired"], 8);
    assert_eq!(create.body["priority"], "P2");
    assert_eq!(create.bearer.as_deref(), Some(RECLAIM_KEY));
    let model = env.fakes.requests_to(Provider::OpenAi).remove(0);
    assert_eq!(model.path, "/v1/responses");
    assert_eq!(model.body["text"]["format"]["strict"], true);
    let tasks = env.fakes.reclaim.tasks(RECLAIM_KEY);
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["title"], "Review the Q4 budget");

    // One JSON log line for the request, counting the upstream calls.
    let logs = env.host.log_json();
    let line = logs
        .iter()
        .rev()
        .find(|l| l["tool"] == "manage_productivity")
        .unwrap_or_else(|| panic!("a log line for the tool call: {logs:#?}"));
    assert_eq!(line["upstream_calls"]["openai"], 1, "{line}");
}

#[test]
fn event_with_invitees_needs_approval_then_is_created_once() {
    let env = FakeEnv::start();
    let args = json!({"action": "create_event", "title": "Sync", "start": "2026-12-02T14:00",
        "participants": ["ana@example.com"]});
    let first = env
        .call_tool("manage_productivity", ctx(args.clone()))
        .json();
    assert_eq!(first["needs_approval"], true, "{first}");
    assert_eq!(first["action_type"], "event_create_with_participants");
    assert!(first["preview"]["summary"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(
        first["preview"]["details"]["invitees"][0]["email"],
        "ana@example.com"
    );
    assert!(
        env.fakes.nylas.events(NYLAS_GRANT).is_empty(),
        "nothing before approval"
    );
    assert_eq!(env.counts().0, 0, "structured: no model call");

    let done = approve(&env, "manage_productivity", &first, args.clone());
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(done["action"], "created");
    assert_eq!(done["data"]["when"]["start"], "2026-12-02T14:00:00-05:00");
    let events = env.fakes.nylas.events(NYLAS_GRANT);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["title"], "Sync");
    assert_eq!(events[0]["when"]["start_time"], ts("2026-12-02T19:00:00Z"));
    assert_eq!(events[0]["participants"][0]["email"], "ana@example.com");
    let create = env
        .fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        create.query.get("notify_participants").map(String::as_str),
        Some("true")
    );
    let executed: Vec<String> = env
        .host
        .kv_keys()
        .into_iter()
        .filter(|k| k.starts_with(KV_EXECUTED_PREFIX))
        .collect();
    assert_eq!(
        executed.len(),
        1,
        "the key-value store records the executed token"
    );

    // The same approval again: executed once only.
    let posts = env.fakes.count_matching(Provider::Nylas, "POST", "/events");
    let again = approve(&env, "manage_productivity", &first, args);
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(
        env.fakes.count_matching(Provider::Nylas, "POST", "/events"),
        posts
    );
    assert_eq!(env.fakes.nylas.events(NYLAS_GRANT).len(), 1);
    assert!(!first["action_data"].to_string().contains(NYLAS_KEY));
}

#[test]
fn approval_without_a_configured_secret_generates_one_in_the_store() {
    let fakes = Arc::new(FakeUpstreams::new().with_default_user());
    let env = FakeEnv::start_with(fakes, |config| {
        config.variables.remove("approval_secret");
    })
    .unwrap();
    for (i, title) in ["Bulk test A", "Bulk test B"].iter().enumerate() {
        env.fakes
            .reclaim
            .seed_task(RECLAIM_KEY, TaskSeed::new(title).id(300 + i as i64));
    }
    let args = json!({"action": "delete_task", "target": {"title_hint": "bulk test", "all_matching": true}});
    let first = env
        .call_tool("manage_productivity", ctx(args.clone()))
        .json();
    assert_eq!(first["action_type"], "bulk_delete", "{first}");
    let secret = env
        .host
        .kv_get(KV_APPROVAL_SECRET)
        .expect("the component generated an approval secret and keeps it in the store");
    assert!(secret.len() >= 32, "a long random secret");
    let done = approve(&env, "manage_productivity", &first, args);
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(
        env.fakes
            .count_matching(Provider::Reclaim, "DELETE", "/api/tasks/"),
        2
    );
    assert_eq!(
        env.host.kv_get(KV_APPROVAL_SECRET),
        Some(secret),
        "the same secret is reused"
    );
    // The leak scan on drop includes the generated secret.
}

#[test]
fn a_tampered_token_is_rejected_and_nothing_is_written() {
    let env = FakeEnv::start();
    let args = json!({"action": "create_event", "title": "Sync", "start": "2026-12-02T14:00",
        "participants": ["ana@example.com"]});
    let mut first = env
        .call_tool("manage_productivity", ctx(args.clone()))
        .json();
    let data = first["action_data"].to_string();
    let tampered = data.replace("ana@example.com", "eve@example.com");
    assert_ne!(data, tampered, "the invitee is in the signed operation");
    first["action_data"] = serde_json::from_str(&tampered).unwrap();
    let out = approve(&env, "manage_productivity", &first, args);
    assert_eq!(out["success"], false, "{out}");
    assert_eq!(writes(&env), 0);
}

// ---------------------------------------------------------------------------------------------
// The read tools and optimize_schedule
// ---------------------------------------------------------------------------------------------

fn seed_week(fakes: &FakeUpstreams) {
    let n = &fakes.nylas;
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Team standup")
            .id("ev-standup")
            .at("2026-12-01T15:00:00Z", 30)
            .participant("sarah.lee@acme.com", "Sarah Lee"),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Budget review meeting")
            .id("ev-budget")
            .at("2026-12-01T19:00:00Z", 60),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Design review")
            .id("ev-design")
            .at("2026-12-02T18:30:00Z", 60),
    );
    let r = &fakes.reclaim;
    r.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Prepare Q4 budget deck")
            .id(101)
            .due("2026-12-04T22:00:00Z")
            .priority("P2")
            .minutes(120),
    );
    r.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Submit expense report")
            .id(102)
            .due("2026-11-28T22:00:00Z")
            .priority("P1"),
    );
}

fn seeded_env() -> FakeEnv {
    let fakes = Arc::new(FakeUpstreams::new().with_default_user());
    seed_week(&fakes);
    fakes.clear_log();
    FakeEnv::start_with(fakes, |_| {}).unwrap()
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|x| x["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn find_and_analyze_search_nl_and_structured() {
    let env = seeded_env();
    env.fakes.openai.push_output(find_model(
        json!({"mode": "search", "scope": "events", "time_range": "today"}),
    ));
    let v = env
        .call_tool(
            "find_and_analyze",
            ctx(json!({"query": "What's on my calendar today?"})),
        )
        .json();
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["action"], "found");
    assert_eq!(
        titles(&v["data"]["events"]),
        ["Team standup", "Budget review meeting"]
    );
    assert_eq!(v["data"]["events"][0]["start"], "2026-12-01T10:00:00-05:00");
    assert_eq!(
        env.counts(),
        (1, 0, 2),
        "one model call, the calendar list (cold cache), one events query"
    );

    env.fakes.clear_log();
    let v = env
        .call_tool("find_and_analyze", ctx(json!({"keywords": ["budget"]})))
        .json();
    assert_eq!(titles(&v["data"]["tasks"]), ["Prepare Q4 budget deck"]);
    assert_eq!(titles(&v["data"]["events"]), ["Budget review meeting"]);
    assert_eq!(v["data"]["tasks"][0]["due"], "2026-12-04T17:00:00-05:00");
    assert_eq!(env.counts(), (0, 1, 1), "structured: no model call");

    env.fakes.clear_log();
    let v = env
        .call_tool(
            "find_and_analyze",
            ctx(json!({"mode": "workload", "time_range": "this week"})),
        )
        .json();
    assert_eq!(v["success"], true, "{v}");
    assert!(
        v["data"]["metrics"]["tasks"]["overdue"].as_u64().unwrap() >= 1,
        "{v}"
    );
    assert_eq!(writes(&env), 0);
}

#[test]
fn check_availability_specific_time_and_slot_search() {
    let env = seeded_env();
    env.fakes
        .openai
        .push_output(availability_model(json!({"mode": "check_time",
        "start": "tomorrow at 2pm", "duration": "30 minutes"})));
    let v = env
        .call_tool(
            "check_availability",
            ctx(json!({"query": "Am I free tomorrow at 2pm for 30 minutes?"})),
        )
        .json();
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["available"], false);
    assert_eq!(v["conflicts"][0]["title"], "Design review");
    assert_eq!(v["requested_time"]["start"], "2026-12-02T14:00:00-05:00");
    assert_eq!(
        env.counts(),
        (1, 0, 2),
        "the calendar list (cold cache) + one read"
    );

    env.fakes.clear_log();
    let v = env
        .call_tool(
            "check_availability",
            ctx(json!({"range": "this week", "duration_minutes": 120, "preference": "morning"})),
        )
        .json();
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["duration_minutes"], 120);
    let slots = v["slots"].as_array().unwrap();
    assert!(!slots.is_empty(), "{v}");
    for s in slots {
        let start = s["start"].as_str().unwrap();
        assert!(start >= "2026-12-01T09:00:00-05:00", "not in the past: {s}");
    }
    assert_eq!(
        env.counts(),
        (0, 0, 1),
        "one events query for the whole week"
    );
    assert_eq!(writes(&env), 0);
}

#[test]
fn optimize_schedule_analyses_then_applies_after_approval() {
    let env = seeded_env();
    let v = env
        .call_tool("optimize_schedule", ctx(json!({"range": "this week"})))
        .json();
    assert_eq!(v["success"], true, "{v}");
    assert!(v["metrics"].is_object(), "{v}");
    assert!(v["suggestions"].is_array(), "{v}");
    assert_eq!(
        env.counts(),
        (0, 1, 2),
        "one task list, the calendar list (cold cache), one events query"
    );

    let args = json!({"request": "yes, do it", "range": "this week", "apply": true});
    let first = env.call_tool("optimize_schedule", ctx(args.clone())).json();
    assert_eq!(first["needs_approval"], true, "{first}");
    assert_eq!(first["action_type"], "schedule_optimization");
    assert_eq!(writes(&env), 0, "nothing is written before approval");
    let done = approve(&env, "optimize_schedule", &first, args);
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(done["action"], "applied");
    assert_eq!(done["data"]["failed"], json!([]));
    assert!(writes(&env) >= 1);
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

#[test]
fn validate_credentials_checks_live_against_the_fakes() {
    let env = FakeEnv::start();
    let valid = env
        .post_json(
            "/auth/validate-credentials",
            &[],
            &json!({"reclaim_api_key": RECLAIM_KEY, "nylas_api_key": NYLAS_KEY, "nylas_grant_id": NYLAS_GRANT}),
        )
        .json();
    assert_eq!(valid["valid"], true, "{valid}");
    assert_eq!(valid["reclaim"]["valid"], true);
    assert_eq!(valid["nylas"]["valid"], true);
    assert_eq!(valid["nylas"]["email"], USER_EMAIL);
    assert_eq!(valid["warnings"], json!([]));
    assert_eq!(env.counts(), (0, 1, 1));
    assert!(env
        .fakes
        .requests_to(Provider::Reclaim)
        .iter()
        .any(|r| r.path == "/api/users/current"));

    // Headers work too.
    let headers = default_user_headers();
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let via_headers = env
        .post_json("/auth/validate-credentials", &h, &json!({}))
        .json();
    assert_eq!(via_headers["valid"], true, "{via_headers}");

    let wrong = "rk_wrong_key_e2e_0000000";
    env.add_secret(wrong);
    let invalid = env
        .post_json(
            "/auth/validate-credentials",
            &[],
            &json!({"reclaim_api_key": wrong, "nylas_api_key": NYLAS_KEY, "nylas_grant_id": NYLAS_GRANT}),
        )
        .json();
    assert_eq!(invalid["valid"], false, "{invalid}");
    assert_eq!(invalid["reclaim"]["valid"], false);
    assert!(invalid["reclaim"]["error"].is_string());
    assert_eq!(invalid["nylas"]["valid"], true);
}

#[test]
fn missing_and_partial_credentials_need_setup_without_upstream_writes() {
    let env = FakeEnv::start();
    let none = env
        .call_tool_with(
            "manage_productivity",
            &[],
            ctx(json!({"action": "create_task", "title": "x"})),
        )
        .json();
    assert_eq!(none["needs_setup"], true, "{none}");
    assert!(none["missing"]
        .as_array()
        .unwrap()
        .contains(&json!("RECLAIM_API_KEY")));

    let partial = env
        .call_tool_with(
            "manage_productivity",
            &[("X-User-Credential-RECLAIM_API_KEY", RECLAIM_KEY)],
            ctx(json!({"action": "create_event", "title": "x", "start": "tomorrow 3pm"})),
        )
        .json();
    assert_eq!(partial["needs_setup"], true, "{partial}");
    assert_eq!(
        partial["missing"],
        json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
    );

    // Nylas key without its grant (legacy header spelling for the key).
    let partial = env
        .call_tool_with(
            "check_availability",
            &[("X-Nylas-Key", NYLAS_KEY)],
            ctx(json!({"start": "tomorrow at 3pm", "duration_minutes": 30})),
        )
        .json();
    assert_eq!(partial["needs_setup"], true, "{partial}");
    assert_eq!(partial["missing"], json!(["NYLAS_GRANT_ID"]));
    assert_eq!(env.counts(), (0, 0, 0), "nothing reached an upstream");
}

#[test]
fn an_upstream_401_is_needs_setup() {
    let env = FakeEnv::start();
    let wrong = "rk_revoked_key_e2e_123456";
    let out = env
        .call_tool_with(
            "manage_productivity",
            &[("X-User-Credential-RECLAIM_API_KEY", wrong)],
            ctx(json!({"action": "create_task", "title": "x"})),
        )
        .json();
    assert_eq!(out["needs_setup"], true, "{out}");
    assert_eq!(out["missing"], json!(["RECLAIM_API_KEY"]));
    assert_eq!(writes(&env), 0);
    assert_eq!(env.fakes.requests_to(Provider::Reclaim)[0].status, 401);
}

// ---------------------------------------------------------------------------------------------
// Bad inputs and the allow-list
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_inputs_are_clear_json_errors() {
    let env = FakeEnv::start();
    let headers = default_user_headers();
    let mut h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    h.push(("content-type", "application/json"));

    let r = env.request("POST", "/mcp/tools/manage_productivity", &h, b"{not json");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "Invalid JSON in request body");

    // A 5 MiB body is refused from its declared length, before any of it is sent.
    let r = juli_e2e::client::send_head_only(
        env.host.addr(),
        "POST",
        "/mcp/tools/manage_productivity",
        &h,
        5 << 20,
    )
    .expect("an answer to the head of a 5 MiB POST");
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.json()["error"].is_string());

    let r = env.request("POST", "/mcp/tools/no_such_tool", &h, b"{}");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "Tool 'no_such_tool' not found");

    let r = env.call_tool(
        "manage_productivity",
        ctx(json!({"action": "create_task", "title": "x", "due": "the day after never"})),
    );
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["success"], false, "{v}");
    assert!(v["error"].as_str().unwrap().contains("due date"), "{v}");

    let r = env.call_tool(
        "check_availability",
        json!({"start": "tomorrow at 3pm", "user_timezone": "Mars/Olympus"}),
    );
    let v = r.json();
    assert_eq!(v["success"], false, "{v}");
    assert!(v["error"].as_str().unwrap().contains("Mars/Olympus"), "{v}");

    assert_eq!(env.counts(), (0, 0, 0), "nothing reached an upstream");
}

#[test]
fn an_upstream_outside_the_allow_list_is_denied_with_a_readable_error() {
    let fakes = Arc::new(FakeUpstreams::new().with_default_user());
    let env = FakeEnv::start_with(fakes, |config| {
        // An origin the allow-list does not hold (the fakes are on another port).
        config
            .variables
            .insert("nylas_base_url".into(), "http://127.0.0.1:9/nylas".into());
    })
    .unwrap();
    env.expect_denials();
    let out = env
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "create_event", "title": "Dentist", "start": "2026-12-02T15:00"})),
        )
        .json();
    assert_eq!(out["success"], false, "{out}");
    let err = out["error"].as_str().unwrap();
    assert!(err.contains("Nylas"), "{err}");
    assert!(err.contains("allowed_outbound_hosts"), "{err}");
    let denied = env.host.denied_requests();
    assert!(!denied.is_empty(), "the host recorded the denial");
    assert!(
        denied.iter().all(|d| d.origin == "http://127.0.0.1:9"),
        "{denied:#?}"
    );
    assert_eq!(env.counts().2, 0, "nothing reached the Nylas fake");
}
