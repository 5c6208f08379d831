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
