//! Tests of the test kit itself (`tests/testkit`): the fakes, the contract validator, fault
//! injection and the loopback server. They live here so that plain `cargo test` runs them.

use std::time::Instant;

use juli_testkit::ContractValidator;

#[test]
fn specs_load_and_index_operations() {
    for (v, min_ops) in [
        (ContractValidator::reclaim(), 100),
        (ContractValidator::nylas(), 50),
        (ContractValidator::openai(), 50),
    ] {
        eprintln!(
            "{}: {} operations, loaded in {:?}",
            v.name(),
            v.operation_count(),
            v.load_time()
        );
        assert!(v.operation_count() >= min_ops, "{}", v.name());
    }
    assert_eq!(ContractValidator::openai().server_path(), "/v1");
    assert_eq!(ContractValidator::nylas().server_path(), "");
    let started = Instant::now();
    let _ = ContractValidator::openai();
    assert!(started.elapsed().as_millis() < 5, "second access is cached");
}

fn check(v: &ContractValidator, method: &str, path_and_query: &str, body: &str) -> Vec<String> {
    let req = http::Request::builder()
        .method(method)
        .uri(format!("http://x.test{path_and_query}"))
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap();
    v.validate_request(&req)
}

fn assert_ok(problems: Vec<String>) {
    assert!(problems.is_empty(), "unexpected violations: {problems:#?}");
}

fn assert_problem(problems: Vec<String>, needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "expected a violation mentioning {needle:?}, got {problems:#?}"
    );
}

const EVENT_BODY: &str = r#"{"title":"Sync","when":{"start_time":1796137200,"end_time":1796140800,"start_timezone":"America/New_York","end_timezone":"America/New_York"},"participants":[{"email":"a@b.example","name":"A"}]}"#;

#[test]
fn nylas_requests_are_checked() {
    let v = ContractValidator::nylas();
    assert_ok(check(
        v,
        "GET",
        "/v3/grants/g1/events?calendar_id=primary&start=1796000000&end=1796600000&limit=200&page_token=abc",
        "",
    ));
    assert_problem(
        check(v, "GET", "/v3/grants/g1/events?start=1&end=2", ""),
        "required query parameter 'calendar_id' is missing",
    );
    assert_problem(
        check(
            v,
            "GET",
            "/v3/grants/g1/events?calendar_id=primary&limit=500",
            "",
        ),
        "exceeds the maximum 200",
    );
    assert_problem(
        check(
            v,
            "GET",
            "/v3/grants/g1/events?calendar_id=primary&start=tomorrow",
            "",
        ),
        "not an integer",
    );
    assert_problem(
        check(
            v,
            "GET",
            "/v3/grants/g1/events?calendar_id=primary&sort=asc",
            "",
        ),
        "unknown query parameter 'sort'",
    );
    assert_problem(
        check(v, "GET", "/v3/grants/g1/evnts?calendar_id=primary", ""),
        "no operation",
    );
    assert_ok(check(
        v,
        "POST",
        "/v3/grants/g1/events?calendar_id=primary&notify_participants=true",
        EVENT_BODY,
    ));
    assert_problem(
        check(
            v,
            "POST",
            "/v3/grants/g1/events?calendar_id=primary",
            &EVENT_BODY.replace(r#""title":"Sync""#, r#""title":5"#),
        ),
        "body at /title",
    );
    assert_problem(
        check(
            v,
            "POST",
            "/v3/grants/g1/events?calendar_id=primary",
            r#"{"title":"x"}"#,
        ),
        "\"when\" is a required property",
    );
    assert_problem(
        check(
            v,
            "POST",
            "/v3/grants/g1/events?calendar_id=primary",
            "{not json",
        ),
        "not valid JSON",
    );
    assert_problem(
        check(
            v,
            "PATCH",
            "/v3/grants/g1/events/e1?calendar_id=primary",
            "{}",
        ),
        "method PATCH is not defined",
    );
    assert_ok(check(
        v,
        "PUT",
        "/v3/grants/g1/events/e1?calendar_id=primary&notify_participants=false",
        r#"{"when":{"start_time":1796137200,"end_time":1796140800}}"#,
    ));
    assert_ok(check(
        v,
        "DELETE",
        "/v3/grants/g1/events/e1?calendar_id=primary",
        "",
    ));
    assert_ok(check(v, "GET", "/v3/grants/g1/calendars", ""));
    assert_ok(check(
        v,
        "POST",
        "/v3/grants/g1/calendars/free-busy",
        r#"{"start_time":1,"end_time":2,"emails":["a@b.example"]}"#,
    ));
    assert_problem(
        check(
            v,
            "POST",
            "/v3/grants/g1/calendars/free-busy",
            r#"{"start_time":"1","end_time":2,"emails":[]}"#,
        ),
        "body at /start_time",
    );
    // Grant info lives in the Administration API: accepted as a documented extra.
    assert_ok(check(v, "GET", "/v3/grants/g1", ""));
}

#[test]
fn reclaim_requests_are_checked() {
    let v = ContractValidator::reclaim();
    let task = r#"{"title":"Review Q4 budget","notes":"","eventCategory":"WORK","timeChunksRequired":8,"minChunkSize":2,"maxChunkSize":8,"priority":"P2","due":"2026-12-04T22:00:00.000Z","snoozeUntil":null,"alwaysPrivate":false}"#;
    assert_ok(check(v, "POST", "/api/tasks", task));
    assert_ok(check(
        v,
        "GET",
        "/api/tasks?status=NEW,SCHEDULED&priority=P1",
        "",
    ));
    assert_ok(check(v, "GET", "/api/tasks/1001", ""));
    assert_ok(check(v, "PATCH", "/api/tasks/1001", r#"{"priority":"P1"}"#));
    assert_ok(check(v, "DELETE", "/api/tasks/1001", ""));
    assert_ok(check(v, "POST", "/api/planner/done/task/1001", ""));
    assert_ok(check(
        v,
        "POST",
        "/api/planner/add-time/task/1001?minutes=30",
        "",
    ));
    assert_ok(check(
        v,
        "POST",
        "/api/planner/log-work/task/1001?minutes=30",
        "",
    ));
    assert_ok(check(v, "GET", "/api/users/current", ""));
    assert_problem(
        check(v, "POST", "/api/tasks", &task.replace("\"P2\"", "\"HIGH\"")),
        "body at /priority",
    );
    assert_problem(
        check(
            v,
            "POST",
            "/api/tasks",
            &task.replace("\"WORK\"", "\"WORKISH\""),
        ),
        "body at /eventCategory",
    );
    assert_problem(
        check(
            v,
            "POST",
            "/api/tasks",
            &task.replace(":8,\"min", ":\"8\",\"min"),
        ),
        "body at /timeChunksRequired",
    );
    assert_problem(
        check(
            v,
            "POST",
            "/api/planner/add-time/task/1001?minutes=lots",
            "",
        ),
        "not an integer",
    );
    assert_problem(check(v, "GET", "/api/tasks/abc", ""), "path parameter 'id'");
    assert_problem(check(v, "GET", "/api/tasks?status=DONE", ""), "not one of");
    assert_problem(check(v, "PUT", "/api/users/current", "{}"), "method PUT");
    assert_problem(
        check(v, "POST", "/api/planner/done/task/1001", r#"{"x":1}"#),
        "defines no requestBody",
    );
}

#[test]
fn openai_requests_are_checked() {
    let v = ContractValidator::openai();
    let body = serde_json::json!({
        "model": "gpt-5-mini",
        "input": [
            {"role": "system", "content": "You turn requests into JSON."},
            {"role": "user", "content": "create a task"}
        ],
        "text": {"format": {"type": "json_schema", "name": "intent", "strict": true, "schema": {
            "type": "object", "properties": {"intent": {"type": "string"}},
            "required": ["intent"], "additionalProperties": false
        }}},
        "max_output_tokens": 800,
        "store": false
    });
    let started = Instant::now();
    assert_ok(check(v, "POST", "/v1/responses", &body.to_string()));
    eprintln!(
        "first /responses validation (compiles the schema): {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    assert_ok(check(v, "POST", "/v1/responses", &body.to_string()));
    eprintln!("second /responses validation: {:?}", started.elapsed());
    let mut bad = body.clone();
    bad["max_output_tokens"] = serde_json::json!("many");
    assert_problem(
        check(v, "POST", "/v1/responses", &bad.to_string()),
        "body at /max_output_tokens",
    );
    assert_problem(
        check(v, "POST", "/v1/respond", &body.to_string()),
        "no operation",
    );
    assert_problem(check(v, "POST", "/v1/responses", ""), "required but empty");
}

// ---------------------------------------------------------------------------------------------
// Vendored specs

#[test]
fn vendored_specs_match_the_shared_copies() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = repo.join("../shared/specs");
    if !shared.exists() {
        eprintln!("{} not present: nothing to compare", shared.display());
        return;
    }
    for name in [
        "reclaim-openapi.yml",
        "nylas-v3-email-calendar.yaml",
        "openai-openapi.yaml",
    ] {
        let vendored = std::fs::read(repo.join("tests/specs").join(name)).unwrap();
        let original = std::fs::read(shared.join(name)).unwrap();
        assert!(
            vendored == original,
            "tests/specs/{name} differs from ../shared/specs/{name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Fakes through FakeUpstreams::handle

use juli_testkit::defaults::*;
use juli_testkit::{
    EventSeed, FakeUpstreams, Fault, FaultRule, Provider, ScriptedOutput, TaskSeed,
};
use serde_json::{json, Value};

fn send(
    fakes: &FakeUpstreams,
    method: &str,
    url: &str,
    key: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let req = http::Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/json")
        .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
        .unwrap();
    let resp = fakes.handle(&req);
    let status = resp.status().as_u16();
    let json = serde_json::from_slice(resp.body()).unwrap_or(Value::Null);
    (status, json)
}

const R: &str = "http://reclaim.test";
const N: &str = "http://nylas.test";
const O: &str = "http://openai.test/v1";

#[test]
fn reclaim_fake_keeps_tasks_per_account_and_behaves_like_reclaim() {
    let f = FakeUpstreams::new().with_default_user();
    f.reclaim
        .add_account(OTHER_RECLAIM_KEY, OTHER_USER_EMAIL, "Sam Other");
    let (s, body) = send(
        &f,
        "GET",
        &format!("{R}/api/users/current"),
        "rk_wrong",
        None,
    );
    assert_eq!(s, 401);
    assert_eq!(body["message"], "Unauthorized");
    let (s, user) = send(
        &f,
        "GET",
        &format!("{R}/api/users/current"),
        RECLAIM_KEY,
        None,
    );
    assert_eq!((s, user["email"].as_str()), (200, Some(USER_EMAIL)));

    let (s, t) = send(
        &f,
        "POST",
        &format!("{R}/api/tasks"),
        RECLAIM_KEY,
        Some(
            json!({"title": "Review Q4 budget", "timeChunksRequired": 8, "priority": "P2", "due": "2026-12-04T17:00:00-05:00", "eventCategory": "WORK"}),
        ),
    );
    assert_eq!(s, 200);
    let id = t["id"].as_i64().unwrap();
    assert_eq!(t["due"], "2026-12-04T22:00:00.000Z");
    assert_eq!(t["timeChunksRemaining"], 8);
    assert_eq!(t["status"], "NEW");
    assert_eq!(t["minChunkSize"], 2);

    // Another account cannot see or touch it.
    let (s, _) = send(
        &f,
        "GET",
        &format!("{R}/api/tasks/{id}"),
        OTHER_RECLAIM_KEY,
        None,
    );
    assert_eq!(s, 404);
    let (_, list) = send(
        &f,
        "GET",
        &format!("{R}/api/tasks"),
        OTHER_RECLAIM_KEY,
        None,
    );
    assert_eq!(list, json!([]));

    let (s, t) = send(
        &f,
        "PATCH",
        &format!("{R}/api/tasks/{id}"),
        RECLAIM_KEY,
        Some(json!({"priority": "P1", "title": "Review Q4 budget v2"})),
    );
    assert_eq!(
        (s, t["priority"].as_str(), t["title"].as_str()),
        (200, Some("P1"), Some("Review Q4 budget v2"))
    );
    let (s, _) = send(
        &f,
        "PATCH",
        &format!("{R}/api/tasks/{id}"),
        RECLAIM_KEY,
        Some(json!({"priority": "URGENT"})),
    );
    assert_eq!(s, 400);

    let (s, r) = send(
        &f,
        "POST",
        &format!("{R}/api/planner/add-time/task/{id}?minutes=50"),
        RECLAIM_KEY,
        None,
    );
    assert_eq!(
        (s, r["taskOrHabit"]["timeChunksRequired"].as_i64()),
        (200, Some(12))
    );
    let (_, r) = send(
        &f,
        "POST",
        &format!("{R}/api/planner/log-work/task/{id}?minutes=180"),
        RECLAIM_KEY,
        None,
    );
    assert_eq!(
        r["taskOrHabit"]["status"], "COMPLETE",
        "all time used is COMPLETE, not done"
    );
    let (_, r) = send(
        &f,
        "POST",
        &format!("{R}/api/planner/done/task/{id}"),
        RECLAIM_KEY,
        None,
    );
    assert_eq!(r["taskOrHabit"]["status"], "ARCHIVED");

    let seeded = f.reclaim.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Old").status("NEW").priority("P4"),
    );
    let (_, list) = send(
        &f,
        "GET",
        &format!("{R}/api/tasks?status=NEW"),
        RECLAIM_KEY,
        None,
    );
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], seeded["id"]);
    let (s, _) = send(
        &f,
        "DELETE",
        &format!("{R}/api/tasks/{}", seeded["id"]),
        RECLAIM_KEY,
        None,
    );
    assert_eq!(s, 200);
    let (_, list) = send(&f, "GET", &format!("{R}/api/tasks"), RECLAIM_KEY, None);
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "deleted tasks leave the list"
    );
    assert_eq!(
        f.reclaim.tasks(RECLAIM_KEY).len(),
        2,
        "read-back keeps them"
    );
    f.assert_no_contract_violations();
    assert_eq!(f.count(Provider::Reclaim), 13);
}

fn ts(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

#[test]
fn nylas_fake_filters_paginates_and_checks_keys() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas
        .add_grant(OTHER_NYLAS_GRANT, OTHER_NYLAS_KEY, OTHER_USER_EMAIL);
    for i in 0..5 {
        f.nylas.seed_event(
            NYLAS_GRANT,
            EventSeed::new(&format!("Meeting {i}"))
                .at(&format!("2026-12-0{}T15:00:00Z", i + 1), 60),
        );
    }
    f.nylas
        .seed_event(NYLAS_GRANT, EventSeed::new("Offsite").all_day("2026-12-03"));
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Gone")
            .at("2026-12-02T18:00:00Z", 30)
            .status("cancelled"),
    );
    let events = |q: &str, key: &str| {
        send(
            &f,
            "GET",
            &format!("{N}/v3/grants/{NYLAS_GRANT}/events?{q}"),
            key,
            None,
        )
    };

    let (s, e) = events("calendar_id=primary", OTHER_NYLAS_KEY);
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (401, Some("unauthorized"))
    );
    assert!(e["request_id"].is_string());
    let (s, e) = events("start=1", NYLAS_KEY);
    assert_eq!(s, 400, "calendar_id is required: {e}");
    let (s, _) = events("calendar_id=primary&limit=201", NYLAS_KEY);
    assert_eq!(s, 400);
    assert_eq!(
        f.violations().len(),
        2,
        "the two bad requests also broke the contract"
    );
    f.clear_log();

    let window = format!(
        "calendar_id=primary&start={}&end={}",
        ts("2026-12-02T00:00:00Z"),
        ts("2026-12-04T00:00:00Z")
    );
    let (s, e) = events(&window, NYLAS_KEY);
    assert_eq!(s, 200);
    let titles: Vec<&str> = e["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec!["Meeting 1", "Offsite", "Meeting 2"],
        "sorted by start"
    );
    assert_eq!(
        e["data"][0]["calendar_id"], USER_EMAIL,
        "primary resolves to the real id"
    );
    let (_, e) = events(&format!("{window}&show_cancelled=true"), NYLAS_KEY);
    assert_eq!(e["data"].as_array().unwrap().len(), 4);

    // Pagination to completion.
    let mut seen = 0;
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = format!(
            "calendar_id=primary&start={}&end={}&limit=2{}",
            ts("2026-11-01T00:00:00Z"),
            ts("2027-01-01T00:00:00Z"),
            token
                .as_ref()
                .map(|t| format!("&page_token={t}"))
                .unwrap_or_default()
        );
        let (s, e) = events(&q, NYLAS_KEY);
        assert_eq!(s, 200);
        seen += e["data"].as_array().unwrap().len();
        pages += 1;
        match e["next_cursor"].as_str() {
            Some(c) => token = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!((seen, pages), (6, 3));

    // Create, update, delete.
    let (s, e) = send(
        &f,
        "POST",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary&notify_participants=true"),
        NYLAS_KEY,
        Some(serde_json::from_str(EVENT_BODY).unwrap()),
    );
    assert_eq!(s, 200, "{e}");
    let id = e["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(e["data"]["when"]["object"], "timespan");
    let (s, _) = send(
        &f,
        "POST",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary"),
        NYLAS_KEY,
        Some(json!({"title": "bad", "when": {"start_time": 10, "end_time": 5}})),
    );
    assert_eq!(s, 400);
    let (s, e) = send(
        &f,
        "PUT",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events/{id}?calendar_id=primary"),
        NYLAS_KEY,
        Some(json!({"when": {"start_time": 1796144400, "end_time": 1796148000}})),
    );
    assert_eq!(
        (s, e["data"]["when"]["start_time"].as_i64()),
        (200, Some(1796144400))
    );
    assert_eq!(e["data"]["title"], "Sync", "PUT keeps fields not sent");
    let (s, _) = send(
        &f,
        "DELETE",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events/{id}?calendar_id=primary"),
        NYLAS_KEY,
        None,
    );
    assert_eq!(s, 200);
    assert_eq!(
        f.nylas.event(NYLAS_GRANT, &id).unwrap()["status"],
        "cancelled"
    );
    let (s, _) = send(
        &f,
        "GET",
        &format!("{N}/v3/grants/{OTHER_NYLAS_GRANT}/events/{id}?calendar_id=primary"),
        OTHER_NYLAS_KEY,
        None,
    );
    assert_eq!(s, 404, "other grants cannot see it");

    let (s, g) = send(
        &f,
        "GET",
        &format!("{N}/v3/grants/{NYLAS_GRANT}"),
        NYLAS_KEY,
        None,
    );
    assert_eq!((s, g["data"]["email"].as_str()), (200, Some(USER_EMAIL)));
    let (s, c) = send(
        &f,
        "GET",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/calendars"),
        NYLAS_KEY,
        None,
    );
    assert_eq!((s, c["data"][0]["is_primary"].as_bool()), (200, Some(true)));
    let (s, fb) = send(
        &f,
        "POST",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/calendars/free-busy"),
        NYLAS_KEY,
        Some(
            json!({"start_time": ts("2026-12-01T00:00:00Z"), "end_time": ts("2026-12-02T00:00:00Z"), "emails": [USER_EMAIL, "x@y.example"]}),
        ),
    );
    assert_eq!(s, 200);
    assert_eq!(fb["data"][0]["time_slots"].as_array().unwrap().len(), 1);
    assert_eq!(fb["data"][1]["time_slots"], json!([]));
    f.assert_no_contract_violations();
}

#[test]
fn openai_fake_answers_from_its_script_and_fails_loudly_when_empty() {
    let f = FakeUpstreams::new();
    let req = json!({"model": "gpt-5-mini", "input": "hi", "text": {"format": {"type": "json_schema", "name": "x", "strict": true, "schema": {"type": "object", "properties": {}, "required": [], "additionalProperties": false}}}});
    let (s, e) = send(
        &f,
        "POST",
        &format!("{O}/responses"),
        "sk-wrong",
        Some(req.clone()),
    );
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (401, Some("invalid_api_key"))
    );
    f.openai
        .push_output(json!({"intent": "create_task", "title": "Review"}));
    f.openai
        .push(ScriptedOutput::Refusal("I can't help with that".into()));
    f.openai
        .push(ScriptedOutput::Incomplete("max_output_tokens".into()));
    f.openai
        .push(ScriptedOutput::InvalidJson("{not json".into()));
    f.openai.push(ScriptedOutput::Status(429));
    let (s, r) = send(
        &f,
        "POST",
        &format!("{O}/responses"),
        OPENAI_KEY,
        Some(req.clone()),
    );
    assert_eq!(
        (s, r["status"].as_str(), r["object"].as_str()),
        (200, Some("completed"), Some("response"))
    );
    let text = r["output"][0]["content"][0]["text"].as_str().unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(text).unwrap()["intent"],
        "create_task"
    );
    assert!(r["usage"]["total_tokens"].as_u64().unwrap() > 0);
    let (_, r) = send(
        &f,
        "POST",
        &format!("{O}/responses"),
        OPENAI_KEY,
        Some(req.clone()),
    );
    assert_eq!(r["output"][0]["content"][0]["type"], "refusal");
    let (_, r) = send(
        &f,
        "POST",
        &format!("{O}/responses"),
        OPENAI_KEY,
        Some(req.clone()),
    );
    assert_eq!(
        (
            r["status"].as_str(),
            r["incomplete_details"]["reason"].as_str()
        ),
        (Some("incomplete"), Some("max_output_tokens"))
    );
    let (_, r) = send(
        &f,
        "POST",
        &format!("{O}/responses"),
        OPENAI_KEY,
        Some(req.clone()),
    );
    assert!(
        serde_json::from_str::<Value>(r["output"][0]["content"][0]["text"].as_str().unwrap())
            .is_err()
    );
    let (s, _) = send(
        &f,
        "POST",
        &format!("{O}/responses"),
        OPENAI_KEY,
        Some(req.clone()),
    );
    assert_eq!(s, 429);
    let (s, e) = send(&f, "POST", &format!("{O}/responses"), OPENAI_KEY, Some(req));
    assert_eq!(s, 500);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no scripted output"));
    assert_eq!(
        f.requests_to(Provider::OpenAi)[1].body["model"],
        "gpt-5-mini"
    );
    f.assert_no_contract_violations();
}

#[test]
fn unknown_hosts_and_contract_breaks_are_recorded() {
    let f = FakeUpstreams::new().with_default_user();
    let resp = f.handle(
        &http::Request::builder()
            .uri("https://api.app.reclaim.ai/api/tasks")
            .body(vec![])
            .unwrap(),
    );
    assert_eq!(resp.status(), 502);
    assert!(resp
        .headers()
        .contains_key(juli_testkit::UNKNOWN_HOST_HEADER));
    send(
        &f,
        "GET",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events?limit=10"),
        NYLAS_KEY,
        None,
    );
    let v = f.violations();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].provider, Provider::Unknown);
    assert!(v[1].problems[0].contains("calendar_id"));
    let panic = std::panic::catch_unwind(|| f.assert_no_contract_violations()).unwrap_err();
    let msg = panic.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("2 upstream request(s)") && msg.contains("calendar_id"),
        "{msg}"
    );
    f.reset();
    assert!(f.violations().is_empty() && f.requests().is_empty());
    assert!(!f.reclaim.has_account(RECLAIM_KEY));
}

#[test]
fn faults_happen_before_the_write_unless_after_apply() {
    let f = FakeUpstreams::new().with_default_user();
    let create = |f: &FakeUpstreams| {
        send(
            f,
            "POST",
            &format!("{R}/api/tasks"),
            RECLAIM_KEY,
            Some(json!({"title": "T"})),
        )
    };
    f.inject(
        Provider::Reclaim,
        FaultRule::new(Fault::rate_limited(7))
            .method("POST")
            .path_contains("/api/tasks"),
    );
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("{R}/api/tasks"))
        .header("authorization", format!("Bearer {RECLAIM_KEY}"))
        .body(br#"{"title":"T"}"#.to_vec())
        .unwrap();
    let resp = f.handle(&req);
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert!(
        f.reclaim.tasks(RECLAIM_KEY).is_empty(),
        "nothing created before the fault"
    );
    f.inject(Provider::Reclaim, Fault::status(503));
    assert_eq!(create(&f).0, 503);
    assert!(f.reclaim.tasks(RECLAIM_KEY).is_empty());
    f.inject(Provider::Reclaim, Fault::FailAfterApply { status: 502 });
    assert_eq!(create(&f).0, 502);
    assert_eq!(
        f.reclaim.tasks(RECLAIM_KEY).len(),
        1,
        "applied, then failed"
    );
    f.inject(Provider::Reclaim, Fault::MalformedJson);
    let resp = f.handle(
        &http::Request::builder()
            .uri(format!("{R}/api/tasks"))
            .header("authorization", format!("Bearer {RECLAIM_KEY}"))
            .body(vec![])
            .unwrap(),
    );
    assert_eq!(resp.status(), 200);
    assert!(serde_json::from_slice::<Value>(resp.body()).is_err());
    f.inject(Provider::Reclaim, Fault::TruncatedBody);
    let resp = f.handle(
        &http::Request::builder()
            .uri(format!("{R}/api/tasks"))
            .header("authorization", format!("Bearer {RECLAIM_KEY}"))
            .body(vec![])
            .unwrap(),
    );
    assert!(serde_json::from_slice::<Value>(resp.body()).is_err());
    assert_eq!(create(&f).0, 200, "faults are used up");
    let log = f.requests_to(Provider::Reclaim);
    assert_eq!(log.len(), 6, "faulted requests are logged");
    assert!(log[0].fault.as_deref().unwrap().contains("429"));
    assert!(f.pending_faults().is_empty());

    // Endless pagination on Nylas lists.
    f.nylas.seed_event(NYLAS_GRANT, "Only one");
    f.inject(
        Provider::Nylas,
        FaultRule::new(Fault::EndlessPagination).forever(),
    );
    let mut token = String::new();
    for _ in 0..5 {
        let (s, e) = send(
            &f,
            "GET",
            &format!("{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary{token}"),
            NYLAS_KEY,
            None,
        );
        assert_eq!(s, 200);
        token = format!(
            "&page_token={}",
            e["next_cursor"].as_str().expect("always a cursor")
        );
    }
    f.assert_no_contract_violations();
}

// ---------------------------------------------------------------------------------------------
// Served over HTTP

use std::io::{Read, Write};
use std::sync::Arc;

/// A minimal HTTP/1.1 client: one request, `Connection: close`; returns status, body and
/// whether the body was as long as announced.
fn http_call(
    addr: std::net::SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Value, bool) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let announced: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (
        status,
        serde_json::from_str(body).unwrap_or(Value::Null),
        announced == body.len(),
    )
}

#[test]
fn served_fakes_route_by_prefix_and_obey_the_control_api() {
    let fakes = Arc::new(FakeUpstreams::new());
    let server = juli_testkit::serve(fakes.clone(), "127.0.0.1:0").unwrap();
    let addr = server.addr();
    assert_eq!(server.openai_base_url(), format!("http://{addr}/openai/v1"));
    let ctl = |m: &str, p: &str, b: Value| {
        let body = if b.is_null() {
            String::new()
        } else {
            b.to_string()
        };
        let (s, v, _) = http_call(
            addr,
            m,
            &format!("/_control{p}"),
            &[("content-type", "application/json")],
            &body,
        );
        (s, v)
    };

    assert_eq!(ctl("POST", "/reset", json!({"default_user": true})).0, 200);
    let (s, task) = ctl(
        "POST",
        "/reclaim/tasks",
        json!({"api_key": RECLAIM_KEY, "task": {"title": "Seeded", "priority": "P1"}}),
    );
    assert_eq!((s, task["priority"].as_str()), (200, Some("P1")));
    let (s, ev) = ctl(
        "POST",
        "/nylas/events",
        json!({"grant_id": NYLAS_GRANT, "event": {"title": "Day off", "when": {"date": "2026-12-02"}}}),
    );
    assert_eq!((s, ev["when"]["object"].as_str()), (200, Some("date")));
    assert_eq!(
        ctl(
            "POST",
            "/nylas/events",
            json!({"grant_id": "nope", "event": {}})
        )
        .0,
        404
    );
    assert_eq!(
        ctl(
            "POST",
            "/openai/script",
            json!({"outputs": [{"output": {"a": 1}}, {"status": 503}]})
        )
        .1["queued"],
        2
    );
    assert_eq!(
        ctl(
            "POST",
            "/faults",
            json!({"provider": "nylas", "fault": "truncated_body", "path_contains": "/events"})
        )
        .0,
        200
    );
    assert_eq!(
        ctl(
            "POST",
            "/latency",
            json!({"provider": "reclaim", "ms": 120})
        )
        .0,
        200
    );
    assert_eq!(ctl("GET", "/nope", Value::Null).0, 404);

    let bearer = format!("Bearer {RECLAIM_KEY}");
    let started = Instant::now();
    let (s, list, complete) = http_call(
        addr,
        "GET",
        "/reclaim/api/tasks",
        &[("authorization", &bearer)],
        "",
    );
    assert!(started.elapsed().as_millis() >= 120, "latency is slept");
    assert_eq!(
        (s, list[0]["title"].as_str(), complete),
        (200, Some("Seeded"), true)
    );

    let nylas_bearer = format!("Bearer {NYLAS_KEY}");
    let (s, _, complete) = http_call(
        addr,
        "GET",
        &format!("/nylas/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary"),
        &[("authorization", &nylas_bearer)],
        "",
    );
    assert_eq!(s, 200);
    assert!(!complete, "a truncated body is shorter than announced");

    let openai_bearer = format!("Bearer {OPENAI_KEY}");
    let (s, r, _) = http_call(
        addr,
        "POST",
        "/openai/v1/responses",
        &[
            ("authorization", &openai_bearer),
            ("content-type", "application/json"),
        ],
        r#"{"model":"gpt-5-mini","input":"x"}"#,
    );
    assert_eq!(
        (s, r["output"][0]["content"][0]["text"].as_str()),
        (200, Some(r#"{"a":1}"#))
    );

    // Keep-alive: two requests on one connection.
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    for _ in 0..2 {
        write!(
            conn,
            "GET /reclaim/api/users/current HTTP/1.1\r\nhost: x\r\nauthorization: {bearer}\r\n\r\n"
        )
        .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&got).ends_with('}') {
            let n = conn.read(&mut buf).unwrap();
            assert!(n > 0, "connection closed early");
            got.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&got);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains("connection: keep-alive"));
    }
    drop(conn);

    let (s, _, _) = http_call(addr, "GET", "/elsewhere/x", &[], "");
    assert_eq!(s, 502, "unknown prefixes are unknown hosts");
    let (_, counts) = ctl("GET", "/counts", Value::Null);
    assert_eq!(
        counts,
        json!({"reclaim": 3, "nylas": 1, "openai": 1, "unknown": 1})
    );
    let (_, log) = ctl("GET", "/requests?provider=nylas", Value::Null);
    assert_eq!(log[0]["path"], format!("/v3/grants/{NYLAS_GRANT}/events"));
    let (_, violations) = ctl("GET", "/violations", Value::Null);
    let v = violations.as_array().unwrap();
    assert_eq!(v.len(), 1, "{violations}");
    assert_eq!(v[0]["provider"], "unknown");
    assert_eq!(fakes.openai.remaining(), 1);
    server.shutdown();
}
