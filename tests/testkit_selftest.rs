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
        (401, Some("api.authentication_error"))
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
    let req = json!({"model": "gpt-5-mini", "input": "hi", "text": {"format": {"type": "json_schema", "name": "x", "strict": true, "schema": {"type": "object", "properties": {"intent": {"type": "string"}, "title": {"type": ["string", "null"]}}, "required": ["intent", "title"], "additionalProperties": false}}}});
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
fn openai_fake_serves_only_what_strict_structured_outputs_can_produce() {
    let f = FakeUpstreams::new();
    let schema = json!({"type": "object", "additionalProperties": false,
        "required": ["mode", "minutes"], "properties": {
            "mode": {"type": "string", "enum": ["check_time", "find_slots"]},
            "minutes": {"type": ["integer", "null"]}}});
    let req = json!({"model": "gpt-5-mini", "input": "am I free?", "text": {"format": {
        "type": "json_schema", "name": "availability", "strict": true, "schema": schema}}});
    let ask = |body: &Value| {
        send(
            &f,
            "POST",
            &format!("{O}/responses"),
            OPENAI_KEY,
            Some(body.clone()),
        )
    };

    f.openai
        .push_output(json!({"mode": "check_time", "minutes": null}));
    assert_eq!(ask(&req).0, 200);
    f.assert_no_contract_violations();
    assert_eq!(f.openai.served_outputs().len(), 1);

    f.openai
        .push_output(json!({"mode": "free_time", "minutes": 30}));
    let (s, r) = ask(&req);
    assert_eq!(
        (s, r["status"].as_str()),
        (200, Some("completed")),
        "still served"
    );
    let v = f.violations();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].provider, v[0].path.as_str()),
        (Provider::OpenAi, "/v1/responses")
    );
    assert!(
        v[0].problems[0].contains("schema `availability` at /mode"),
        "{v:?}"
    );

    f.clear_log();
    f.openai.push_output(json!({"mode": "check_time"}));
    ask(&req);
    assert!(
        f.violations()[0].problems[0].contains("at /:"),
        "a missing field is named at the root"
    );

    f.clear_log();
    f.openai
        .push(ScriptedOutput::OffSchema(json!({"mode": "free_time"})));
    let (_, r) = ask(&req);
    assert_eq!(
        r["output"][0]["content"][0]["text"],
        r#"{"mode":"free_time"}"#
    );
    f.assert_no_contract_violations();
    assert_eq!(
        f.openai.served_outputs().len(),
        3,
        "off-schema answers are not kept"
    );

    let mut loose = req.clone();
    loose["text"]["format"]["strict"] = json!(false);
    f.openai.push(ScriptedOutput::Refusal("no".into()));
    ask(&loose);
    let v = f.violations();
    assert_eq!(v[0].problems, vec!["text.format.strict is false, not true"]);

    f.reset();
    f.set_contract_validation(false);
    f.openai.push_output(json!({"mode": "nope"}));
    ask(&req);
    f.assert_no_contract_violations();
    assert!(
        f.openai.take_violations().is_empty(),
        "moved out, then dropped"
    );
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
        r#"{"model":"gpt-5-mini","input":"x","text":{"format":{"type":"json_schema","name":"a","strict":true,"schema":{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"],"additionalProperties":false}}}}"#,
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

// ---- Nylas: recurring series, several calendars, providers, event types, errors ----

fn nylas_list(f: &FakeUpstreams, grant: &str, key: &str, q: &str) -> (u16, Value) {
    send(
        f,
        "GET",
        &format!("{N}/v3/grants/{grant}/events?{q}"),
        key,
        None,
    )
}

fn ids(v: &Value) -> Vec<String> {
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn starts_local(v: &Value, tz: chrono_tz::Tz) -> Vec<String> {
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            chrono::DateTime::from_timestamp(e["when"]["start_time"].as_i64().unwrap(), 0)
                .unwrap()
                .with_timezone(&tz)
                .format("%a %m-%d %H:%M")
                .to_string()
        })
        .collect()
}

fn window(start: &str, end: &str) -> String {
    format!("calendar_id=primary&start={}&end={}", ts(start), ts(end))
}

#[test]
fn nylas_series_are_expanded_only_with_expand_recurring() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("1:1 with Sam")
            .id("series1")
            .at("2026-11-03T15:00:00Z", 30)
            .timezone("America/New_York")
            .recurrence(&["RRULE:FREQ=WEEKLY;BYDAY=TU"]),
    );
    let w = window("2026-12-01T00:00:00Z", "2026-12-16T00:00:00Z");
    let (s, plain) = nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &w);
    assert_eq!(s, 200);
    assert_eq!(
        ids(&plain),
        vec!["series1"],
        "only the master without expansion"
    );
    assert_eq!(
        plain["data"][0]["when"]["start_time"].as_i64(),
        Some(ts("2026-11-03T15:00:00Z")),
        "the master's when is its first occurrence"
    );
    let (s, expanded) = nylas_list(
        &f,
        NYLAS_GRANT,
        NYLAS_KEY,
        &format!("{w}&expand_recurring=true"),
    );
    assert_eq!(s, 200);
    assert_eq!(
        ids(&expanded),
        vec![
            "series1_20261201T150000Z",
            "series1_20261208T150000Z",
            "series1_20261215T150000Z"
        ]
    );
    for occ in expanded["data"].as_array().unwrap() {
        assert_eq!(occ["master_event_id"], "series1");
        assert!(occ.get("recurrence").is_none());
        assert_eq!(occ["title"], "1:1 with Sam");
        assert_eq!(
            occ["when"]["end_time"].as_i64().unwrap() - occ["when"]["start_time"].as_i64().unwrap(),
            1800
        );
    }
    assert!(
        f.violations().is_empty(),
        "expand_recurring is in the (extended) contract: {:?}",
        f.violations()
    );
    // A window before the series starts shows nothing in either mode.
    let before = window("2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z");
    assert!(ids(&nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &before).1).is_empty());
}

#[test]
fn nylas_expansion_keeps_local_time_across_dst_in_the_series_zone() {
    let f = FakeUpstreams::new().with_default_user();
    // 10:00 New York every Monday from October 2026 (EDT) into November (EST).
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("dst")
            .at("2026-10-26T14:00:00Z", 15)
            .timezone("America/New_York")
            .recurrence(&["RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3"]),
    );
    let q = format!(
        "{}&expand_recurring=true",
        window("2026-10-01T00:00:00Z", "2026-12-31T00:00:00Z")
    );
    let (_, v) = nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &q);
    assert_eq!(
        starts_local(&v, chrono_tz::America::New_York),
        vec!["Mon 10-26 10:00", "Mon 11-02 10:00", "Mon 11-09 10:00"],
        "COUNT=3, always 10:00 local"
    );
    let utc: Vec<i64> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["when"]["start_time"].as_i64().unwrap())
        .collect();
    assert_eq!(
        utc[1] - utc[0],
        7 * 86_400 + 3600,
        "the week across the change is 169 hours"
    );
}

#[test]
fn nylas_rrule_parts_daily_monthly_interval_until_exdate() {
    let f = FakeUpstreams::new().with_default_user();
    let ny = chrono_tz::America::New_York;
    let seed = |id: &str, start: &str, rule: &[&str]| {
        f.nylas.seed_event(
            NYLAS_GRANT,
            EventSeed::new(id)
                .id(id)
                .at(start, 30)
                .timezone("America/New_York")
                .recurrence(rule),
        );
    };
    seed(
        "weekday",
        "2026-12-01T14:30:00Z",
        &[
            "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261207T235959Z",
            "EXDATE:20261203T143000Z",
        ],
    );
    seed(
        "rent",
        "2026-12-01T14:00:00Z",
        &["RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3"],
    );
    seed(
        "lastfri",
        "2026-12-25T20:00:00Z",
        &["RRULE:FREQ=MONTHLY;BYDAY=-1FR"],
    );
    seed(
        "biweekly",
        "2026-12-02T16:00:00Z",
        &[
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
            "EXDATE;TZID=America/New_York:20261216T110000",
        ],
    );
    let list = |title: &str| {
        let q = format!(
            "{}&expand_recurring=true&title={title}",
            window("2026-12-01T00:00:00Z", "2027-03-31T00:00:00Z")
        );
        starts_local(&nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &q).1, ny)
    };
    assert_eq!(
        list("weekday"),
        vec![
            "Tue 12-01 09:30",
            "Wed 12-02 09:30",
            "Fri 12-04 09:30",
            "Mon 12-07 09:30"
        ]
    );
    assert_eq!(
        list("rent"),
        vec!["Tue 12-01 09:00", "Fri 01-01 09:00", "Mon 02-01 09:00"]
    );
    assert_eq!(
        list("lastfri"),
        vec![
            "Fri 12-25 15:00",
            "Fri 01-29 15:00",
            "Fri 02-26 15:00",
            "Fri 03-26 15:00"
        ]
    );
    assert_eq!(
        list("biweekly"),
        vec![
            "Wed 12-02 11:00",
            "Wed 12-30 11:00",
            "Wed 01-13 11:00",
            "Wed 01-27 11:00",
            "Wed 02-10 11:00",
            "Wed 02-24 11:00",
            "Wed 03-10 11:00",
            "Wed 03-24 11:00"
        ]
    );
    // EXRULE is not supported by Nylas.
    let (s, e) = send(
        &f,
        "POST",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary"),
        NYLAS_KEY,
        Some(
            json!({"title": "x", "when": {"start_time": 1796144400, "end_time": 1796148000}, "recurrence": ["RRULE:FREQ=DAILY", "EXRULE:FREQ=WEEKLY"]}),
        ),
    );
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (400, Some("api.invalid_request_error"))
    );
}

#[test]
fn nylas_all_day_series_expand_by_date() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Mom's birthday")
            .id("bday")
            .all_day("2026-03-03")
            .recurrence(&["RRULE:FREQ=YEARLY"]),
    );
    let (_, v) = nylas_list(
        &f,
        NYLAS_GRANT,
        NYLAS_KEY,
        &format!(
            "{}&expand_recurring=true",
            window("2027-01-01T00:00:00Z", "2027-12-31T00:00:00Z")
        ),
    );
    assert_eq!(ids(&v), vec!["bday_20270303"]);
    assert_eq!(
        v["data"][0]["when"],
        json!({"object": "date", "date": "2027-03-03"})
    );
}

#[test]
fn nylas_occurrences_can_be_moved_cancelled_and_the_series_changed() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("su")
            .at("2026-12-01T14:30:00Z", 15)
            .timezone("America/New_York")
            .participant("sam@acme.com", "Sam")
            .recurrence(&["RRULE:FREQ=DAILY;COUNT=5"]),
    );
    let url = |id: &str| format!("{N}/v3/grants/{NYLAS_GRANT}/events/{id}?calendar_id=primary");
    // GET a generated occurrence by id.
    let (s, occ) = send(&f, "GET", &url("su_20261202T143000Z"), NYLAS_KEY, None);
    assert_eq!(
        (s, occ["data"]["master_event_id"].as_str()),
        (200, Some("su"))
    );
    let (s, _) = send(&f, "GET", &url("su_20261202T150000Z"), NYLAS_KEY, None);
    assert_eq!(s, 404, "not an occurrence of the rule");
    // Move one occurrence (an override) and cancel another.
    let (s, moved) = send(
        &f,
        "PUT",
        &url("su_20261202T143000Z"),
        NYLAS_KEY,
        Some(
            json!({"when": {"start_time": ts("2026-12-02T16:00:00Z"), "end_time": ts("2026-12-02T16:15:00Z")}}),
        ),
    );
    assert_eq!(
        (s, moved["data"]["id"].as_str()),
        (200, Some("su_20261202T143000Z"))
    );
    let (s, _) = send(&f, "DELETE", &url("su_20261203T143000Z"), NYLAS_KEY, None);
    assert_eq!(s, 200);
    let (s, _) = send(&f, "DELETE", &url("su_20261203T143000Z"), NYLAS_KEY, None);
    assert_eq!(s, 404, "deleting a cancelled occurrence again is a 404");
    let (s, e) = send(
        &f,
        "PUT",
        &url("su_20261204T143000Z"),
        NYLAS_KEY,
        Some(json!({"recurrence": ["RRULE:FREQ=WEEKLY"]})),
    );
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (400, Some("api.invalid_request_error"))
    );
    let w = window("2026-12-01T00:00:00Z", "2026-12-10T00:00:00Z");
    let (_, v) = nylas_list(
        &f,
        NYLAS_GRANT,
        NYLAS_KEY,
        &format!("{w}&expand_recurring=true"),
    );
    assert_eq!(
        starts_local(&v, chrono_tz::America::New_York),
        vec![
            "Tue 12-01 09:30",
            "Wed 12-02 11:00",
            "Fri 12-04 09:30",
            "Sat 12-05 09:30"
        ]
    );
    // Without expansion: the master and the (non-cancelled) override.
    let (_, v) = nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &w);
    assert_eq!(ids(&v), vec!["su", "su_20261202T143000Z"]);
    assert_eq!(
        f.nylas
            .occurrences(
                NYLAS_GRANT,
                "su",
                chrono::Utc::now() + chrono::Duration::days(3650)
            )
            .len(),
        4
    );
    // Change the whole series (end it early with UNTIL), then cancel it.
    let (s, _) = send(
        &f,
        "PUT",
        &url("su"),
        NYLAS_KEY,
        Some(json!({"recurrence": ["RRULE:FREQ=DAILY;UNTIL=20261201T235959Z"]})),
    );
    assert_eq!(s, 200);
    let (_, v) = nylas_list(
        &f,
        NYLAS_GRANT,
        NYLAS_KEY,
        &format!("{w}&expand_recurring=true"),
    );
    assert_eq!(
        ids(&v),
        vec!["su_20261201T143000Z", "su_20261202T143000Z"],
        "the override stays"
    );
    let (s, _) = send(&f, "DELETE", &url("su"), NYLAS_KEY, None);
    assert_eq!(s, 200);
    let (_, v) = nylas_list(
        &f,
        NYLAS_GRANT,
        NYLAS_KEY,
        &format!("{w}&expand_recurring=true"),
    );
    assert!(
        ids(&v).is_empty(),
        "the series and its overrides are cancelled: {v}"
    );
    assert_eq!(
        f.nylas
            .notifications()
            .iter()
            .map(|n| n.action.as_str())
            .collect::<Vec<_>>(),
        vec!["updated", "cancelled", "updated", "cancelled"],
        "every write to an event with participants is announced (Google, notify by default)"
    );
}

#[test]
fn nylas_several_calendars_read_only_ones_refuse_writes() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas
        .add_calendar(NYLAS_GRANT, "personal-cal", "Personal", false);
    f.nylas.add_calendar(
        NYLAS_GRANT,
        "holidays-cal",
        "Holidays in United States",
        true,
    );
    f.nylas.add_calendar_with(
        NYLAS_GRANT,
        "team-cal",
        "Team (shared)",
        json!({"is_owned_by_user": false}),
    );
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist")
            .calendar("personal-cal")
            .at("2026-12-02T15:00:00Z", 60),
    );
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Holiday")
            .calendar("holidays-cal")
            .all_day("2026-12-25"),
    );
    let (s, cals) = send(
        &f,
        "GET",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/calendars"),
        NYLAS_KEY,
        None,
    );
    assert_eq!(s, 200);
    let summary: Vec<(String, bool, bool, bool)> = cals["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["is_primary"].as_bool().unwrap(),
                c["read_only"].as_bool().unwrap(),
                c["is_owned_by_user"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (USER_EMAIL.to_string(), true, false, true),
            ("Personal".into(), false, false, true),
            ("Holidays in United States".into(), false, true, false),
            ("Team (shared)".into(), false, false, false),
        ]
    );
    let w = |cal: &str| {
        format!(
            "calendar_id={cal}&start={}&end={}",
            ts("2026-12-01T00:00:00Z"),
            ts("2026-12-31T00:00:00Z")
        )
    };
    assert_eq!(
        nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &w("personal-cal")).1["data"][0]["title"],
        "Dentist"
    );
    assert!(
        ids(&nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &w("primary")).1).is_empty(),
        "events are per calendar"
    );
    let (s, e) = send(
        &f,
        "POST",
        &format!("{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=holidays-cal"),
        NYLAS_KEY,
        Some(json!({"title": "x", "when": {"start_time": 1796144400, "end_time": 1796148000}})),
    );
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (403, Some("api.provider_error"))
    );
    let (s, e) = nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, &w("nope"));
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (404, Some("api.not_found_error"))
    );
}

#[test]
fn nylas_providers_icloud_has_no_primary_microsoft_ignores_silence() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas
        .add_grant(OTHER_NYLAS_GRANT, OTHER_NYLAS_KEY, "sam@icloud.com");
    f.nylas.make_icloud(OTHER_NYLAS_GRANT);
    let (s, g) = send(
        &f,
        "GET",
        &format!("{N}/v3/grants/{OTHER_NYLAS_GRANT}"),
        OTHER_NYLAS_KEY,
        None,
    );
    assert_eq!((s, g["data"]["provider"].as_str()), (200, Some("icloud")));
    let (s, e) = nylas_list(
        &f,
        OTHER_NYLAS_GRANT,
        OTHER_NYLAS_KEY,
        &window("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"),
    );
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (404, Some("api.not_found_error")),
        "iCloud has no primary"
    );
    let (s, _) = nylas_list(
        &f,
        OTHER_NYLAS_GRANT,
        OTHER_NYLAS_KEY,
        &format!(
            "calendar_id=sam@icloud.com&start={}&end={}",
            ts("2026-12-01T00:00:00Z"),
            ts("2026-12-02T00:00:00Z")
        ),
    );
    assert_eq!(s, 200, "the real calendar id works");
    let (s, _) = nylas_list(
        &f,
        OTHER_NYLAS_GRANT,
        OTHER_NYLAS_KEY,
        &format!(
            "calendar_id=sam@icloud.com&start={}&end={}",
            ts("2026-01-01T00:00:00Z"),
            ts("2026-12-02T00:00:00Z")
        ),
    );
    assert_eq!(s, 400, "iCloud windows are at most six months");
    let (s, _) = send(
        &f,
        "POST",
        &format!("{N}/v3/grants/{OTHER_NYLAS_GRANT}/calendars/free-busy"),
        OTHER_NYLAS_KEY,
        Some(
            json!({"start_time": 1796144400, "end_time": 1796148000, "emails": ["sam@icloud.com"]}),
        ),
    );
    assert_eq!(s, 400, "no free/busy on iCloud");

    f.nylas.make_microsoft(NYLAS_GRANT);
    let body = json!({"title": "Sync", "when": {"start_time": 1796144400, "end_time": 1796148000}, "participants": [{"email": "kim@acme.com"}]});
    let (s, _) = send(
        &f,
        "POST",
        &format!(
            "{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary&notify_participants=false"
        ),
        NYLAS_KEY,
        Some(body.clone()),
    );
    assert_eq!(s, 200);
    f.nylas.set_provider(NYLAS_GRANT, "google");
    let (s, _) = send(
        &f,
        "POST",
        &format!(
            "{N}/v3/grants/{NYLAS_GRANT}/events?calendar_id=primary&notify_participants=false"
        ),
        NYLAS_KEY,
        Some(body),
    );
    assert_eq!(s, 200);
    let sent: Vec<bool> = f.nylas.notifications().iter().map(|n| n.sent).collect();
    assert_eq!(
        sent,
        vec![true, false],
        "Microsoft notifies anyway; Google honours false"
    );
}

#[test]
fn nylas_google_event_types_are_listed_only_when_asked_for() {
    let f = FakeUpstreams::new().with_default_user();
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Meeting").at("2026-12-02T15:00:00Z", 60),
    );
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("OOO")
            .event_type("outOfOffice")
            .at("2026-12-02T17:00:00Z", 120),
    );
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Focus")
            .event_type("focusTime")
            .at("2026-12-02T20:00:00Z", 60),
    );
    f.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Office")
            .event_type("workingLocation")
            .all_day("2026-12-02"),
    );
    let w = window("2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z");
    let titles = |q: &str| -> Vec<String> {
        nylas_list(&f, NYLAS_GRANT, NYLAS_KEY, q).1["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&w), vec!["Meeting"]);
    assert_eq!(
        titles(&format!(
            "{w}&event_type=default&event_type=outOfOffice&event_type=focusTime"
        )),
        vec!["Meeting", "OOO", "Focus"]
    );
    assert!(f.violations().is_empty(), "{:?}", f.violations());
    f.nylas.make_microsoft(NYLAS_GRANT);
    assert_eq!(titles(&w).len(), 4, "other providers ignore event_type");
}

#[test]
fn nylas_error_types_follow_the_documented_table() {
    let f = FakeUpstreams::new().with_default_user();
    let q = window("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z");
    let kind = |grant: &str, key: &str| {
        let (s, e) = nylas_list(&f, grant, key, &q);
        (
            s,
            e["error"]["type"].as_str().unwrap_or("").to_string(),
            e["error"]["message"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(
        kind(NYLAS_GRANT, "nyk_unknown"),
        (
            401,
            "api.authentication_error".into(),
            "Unauthorized".into()
        )
    );
    assert_eq!(
        kind("grant-nobody", NYLAS_KEY),
        (404, "grant.not_found".into(), "Grant not found.".into())
    );
    f.nylas.revoke_key(NYLAS_KEY);
    assert_eq!(
        kind(NYLAS_GRANT, NYLAS_KEY),
        (
            400,
            "token.unauthorized_access".into(),
            "Invalid API key.".into()
        )
    );
}
