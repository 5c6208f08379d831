//! Route tests of the Juli-facing HTTP API (PRODUCT §3), in-process over the fakes.

use crate::helpers;

use helpers::*;
use juli_testkit::defaults;
use serde_json::{json, Value};

const TOOLS: [&str; 4] = [
    "manage_productivity",
    "find_and_analyze",
    "check_availability",
    "optimize_schedule",
];

fn assert_json_error(r: &TestResponse, status: u16) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.json["error"].is_string(), "JSON error body: {}", r.text());
}

#[test]
fn health_reports_version_and_model_configuration() {
    let app = TestApp::new();
    let r = app.get("/health");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json["status"], "healthy");
    assert_eq!(r.json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(r.json["model_configured"], true);

    let mut bare = TestApp::new();
    bare.remove_config("openai_api_key");
    assert_eq!(bare.get("/health").json["model_configured"], false);
    assert_eq!(app.fakes.requests().len(), 0, "health calls no upstream");
}

#[test]
fn debug_headers_is_off_by_default() {
    let app = TestApp::new();
    let r = app.request("POST", "/debug/headers", &user_headers(), b"");
    assert_json_error(&r, 404);
}

#[test]
fn debug_headers_when_enabled_shows_names_and_redacted_values_only() {
    let mut app = TestApp::new();
    app.set_config("debug_endpoints", "true");
    let r = app.request(
        "POST",
        "/debug/headers",
        &[
            ("x-user-credential-reclaim-api-key", defaults::RECLAIM_KEY),
            ("X-Nylas-Key", defaults::NYLAS_KEY),
        ],
        b"",
    );
    assert_eq!(r.status, 200);
    let text = r.text();
    assert!(!text.contains(defaults::RECLAIM_KEY) && !text.contains(defaults::NYLAS_KEY));
    let names = r.json["header_names"].as_array().unwrap();
    assert!(names
        .iter()
        .any(|n| n == "x-user-credential-reclaim-api-key"));
    let found = &r.json["credentials_found"]["x-user-credential-reclaim-api-key"];
    assert_eq!(found["credential"], "RECLAIM_API_KEY");
    assert_eq!(found["value"], "rk_t…");
    assert_eq!(
        r.json["connected"],
        json!({"reclaim": true, "nylas": false})
    );
    assert_eq!(r.json["missing"], json!(["NYLAS_GRANT_ID"]));
}

fn needs_setup(app: &TestApp, headers: &[(&str, &str)]) -> Value {
    let r = app.request("GET", "/mcp/needs-setup", headers, b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["auth_type"], "api_key");
    assert_eq!(r.json["service_name"], "Reclaim.ai + Nylas");
    assert!(r.json["setup_instructions"].as_str().unwrap().len() > 20);
    r.json
}

#[test]
fn needs_setup_all_none_and_partial() {
    let app = TestApp::new();
    let all = needs_setup(&app, &user_headers());
    assert_eq!(all["needs_setup"], false);
    assert_eq!(all["missing"], json!([]));
    assert_eq!(all["connected"], json!({"reclaim": true, "nylas": true}));

    let none = needs_setup(&app, &[]);
    assert_eq!(none["needs_setup"], true);
    assert_eq!(
        none["missing"],
        json!(["RECLAIM_API_KEY", "NYLAS_API_KEY", "NYLAS_GRANT_ID"])
    );
    assert_eq!(none["connected"], json!({"reclaim": false, "nylas": false}));

    let reclaim = needs_setup(&app, &reclaim_only_headers());
    assert_eq!(reclaim["needs_setup"], true);
    assert_eq!(
        reclaim["missing"],
        json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
    );
    assert_eq!(
        reclaim["connected"],
        json!({"reclaim": true, "nylas": false})
    );

    let nylas_key_only = needs_setup(
        &app,
        &[("X-User-Credential-NYLAS_API_KEY", defaults::NYLAS_KEY)],
    );
    assert_eq!(
        nylas_key_only["missing"],
        json!(["RECLAIM_API_KEY", "NYLAS_GRANT_ID"])
    );
    assert_eq!(
        nylas_key_only["connected"],
        json!({"reclaim": false, "nylas": false}),
        "Nylas needs the key and the grant"
    );
}

#[test]
fn needs_setup_accepts_every_header_spelling() {
    let app = TestApp::new();
    let spellings: [[&str; 3]; 4] = [
        [
            "X-User-Credential-RECLAIM_API_KEY",
            "X-User-Credential-NYLAS_API_KEY",
            "X-User-Credential-NYLAS_GRANT_ID",
        ],
        [
            "x-user-credential-reclaim-api-key",
            "x-user-credential-nylas-api-key",
            "x-user-credential-nylas-grant-id",
        ],
        [
            "X_USER_CREDENTIAL_RECLAIM_API_KEY",
            "X_USER_CREDENTIAL_NYLAS_API_KEY",
            "X_USER_CREDENTIAL_NYLAS_GRANT_ID",
        ],
        ["X-Reclaim-Key", "X-Nylas-Key", "X-Nylas-Grant"],
    ];
    for names in spellings {
        let headers = [
            (names[0], defaults::RECLAIM_KEY),
            (names[1], defaults::NYLAS_KEY),
            (names[2], defaults::NYLAS_GRANT),
        ];
        let v = needs_setup(&app, &headers);
        assert_eq!(v["needs_setup"], false, "{names:?}");
        assert_eq!(v["missing"], json!([]), "{names:?}");
    }
    // Empty values count as missing.
    let v = needs_setup(&app, &[("X-Reclaim-Key", "  ")]);
    assert_eq!(v["connected"]["reclaim"], false);
}

#[test]
fn setup_instructions_cover_both_providers() {
    let app = TestApp::new();
    let r = app.get("/auth/setup-instructions");
    assert_eq!(r.status, 200);
    let text = r.text();
    for key in ["RECLAIM_API_KEY", "NYLAS_API_KEY", "NYLAS_GRANT_ID"] {
        assert!(text.contains(key), "mentions {key}");
    }
    assert!(!r.json["steps"]["reclaim"].as_array().unwrap().is_empty());
    assert!(!r.json["steps"]["nylas"].as_array().unwrap().is_empty());
}

#[test]
fn tools_listing_names_order_and_context_injection() {
    let app = TestApp::new();
    let r = app.get("/mcp/tools");
    assert_eq!(r.status, 200);
    let tools = r.json["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, TOOLS);
    for t in tools {
        assert!(t["description"].as_str().unwrap().len() > 30);
        let schema = &t["inputSchema"];
        assert_eq!(schema["type"], "object");
        for field in ["user_timezone", "current_date", "current_time"] {
            assert_eq!(
                schema["properties"][field]["x-context-injection"], field,
                "{} {field}",
                t["name"]
            );
        }
    }
    assert_eq!(app.fakes.requests().len(), 0);
}

#[test]
fn tool_route_errors_are_json() {
    let app = TestApp::new();
    let r = app.call_tool("nope", json!({"query": "x"}));
    assert_eq!(r.status, 404);
    assert_eq!(r.json, json!({"error": "Tool 'nope' not found"}));

    let mut h = user_headers();
    h.push(("content-type", "application/json"));
    let r = app.request("POST", "/mcp/tools/manage_productivity", &h, "{\"query\": ");
    assert_eq!(r.status, 400);
    assert_eq!(r.json, json!({"error": "Invalid JSON in request body"}));

    let big = format!("{{\"query\": \"{}\"}}", "a".repeat(300 * 1024));
    let r = app.request("POST", "/mcp/tools/manage_productivity", &h, big);
    assert_json_error(&r, 413);

    let r = app.get("/mcp/tools/manage_productivity");
    assert_json_error(&r, 405);
    assert_eq!(r.header("allow"), Some("POST"));
    let r = app.request("POST", "/health", &[], b"");
    assert_json_error(&r, 405);
    assert_eq!(r.header("allow"), Some("GET"));

    for path in ["/nope", "/mcp/toolz", "/../etc/passwd", "/mcp/tools/x/y"] {
        let r = app.get(path);
        assert!(r.status == 404 || r.status == 405, "{path}: {}", r.status);
        assert_eq!(r.header("content-type"), Some("application/json"), "{path}");
        assert!(!r.text().contains("<html"), "{path}");
    }
    assert_json_error(&app.get("/nope"), 404);
    assert_eq!(
        app.fakes.requests().len(),
        0,
        "no upstream call on bad input"
    );
}

#[test]
fn one_log_line_per_request_with_request_id() {
    let app = TestApp::new();
    let r = app.request(
        "GET",
        "/health",
        &[("X-Platform-Request-ID", "juli-req-123")],
        b"",
    );
    assert_eq!(r.header("x-request-id"), Some("juli-req-123"));
    assert_eq!(app.log_lines().len(), 1);
    let line = app.last_log();
    assert_eq!(line["request_id"], "juli-req-123");
    assert_eq!(line["route"], "/health");
    assert_eq!(line["status"], 200);
    assert_eq!(line["method"], "GET");
    assert!(line["upstream_calls"].is_object());

    let r = app.get("/mcp/tools");
    let generated = r.header("x-request-id").unwrap().to_string();
    assert!(generated.starts_with("req-"), "{generated}");
    assert_eq!(app.last_log()["request_id"], generated);

    // A hostile request id is replaced, not logged.
    app.request(
        "GET",
        "/health",
        &[("X-Platform-Request-ID", "bad id\" injected")],
        b"",
    );
    let line = app.log_lines().last().unwrap().clone();
    assert!(!line.contains("injected"), "{line}");

    app.call_tool("nope", json!({}));
    app.call_tool("find_and_analyze", json!({"query": "x"}));
    let lines = app.log_lines();
    assert_eq!(lines.len(), 5, "one line per request");
    let last: Value = serde_json::from_str(&lines[4]).unwrap();
    assert_eq!(last["route"], "/mcp/tools/{name}");
    assert_eq!(last["tool"], "find_and_analyze");
    let unknown: Value = serde_json::from_str(&lines[3]).unwrap();
    assert_eq!(unknown["status"], 404);
    assert!(
        !lines[3].contains("nope\""),
        "raw tool names are not logged as routes"
    );
}

/// Credential values given in headers (any spelling) appear in no response body, header or
/// log line, across every route and error path. (Every `TestApp` also checks this on drop.)
#[test]
fn credentials_never_leak_across_routes_and_error_paths() {
    const RK: &str = "rk_leakcheck_7d1f0c9e8b2a";
    const NK: &str = "nyk_leakcheck_4a5b6c7d8e9f";
    const GR: &str = "grant-leakcheck-1122334455";
    let mut app = TestApp::new();
    app.set_config("debug_endpoints", "true");
    app.disable_leak_check_on_drop();
    app.fakes
        .add_user(RK, NK, GR, "leak@example.com", "Leak Check");
    app.fakes.set_contract_validation(true);
    for v in [RK, NK, GR] {
        app.add_secret(v);
    }
    let spellings: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("X-User-Credential-RECLAIM_API_KEY", RK),
            ("X-User-Credential-NYLAS_API_KEY", NK),
            ("X-User-Credential-NYLAS_GRANT_ID", GR),
        ],
        vec![
            ("x-user-credential-reclaim-api-key", RK),
            ("x-user-credential-nylas-api-key", NK),
            ("x-user-credential-nylas-grant-id", GR),
        ],
        vec![
            ("X-Reclaim-Key", RK),
            ("X-Nylas-Key", NK),
            ("X-Nylas-Grant", GR),
        ],
        vec![("X-Reclaim-Key", RK)],
    ];
    let big = format!("{{\"query\": \"{}\"}}", "b".repeat(300 * 1024));
    let body_creds =
        json!({"reclaim_api_key": RK, "nylas_api_key": NK, "nylas_grant_id": GR}).to_string();
    let mut sent = 0;
    for headers in &spellings {
        let mut h = headers.clone();
        h.push(("content-type", "application/json"));
        let calls: Vec<(&str, String, String)> = vec![
            ("GET", "/health".into(), String::new()),
            ("POST", "/debug/headers".into(), String::new()),
            ("GET", "/mcp/needs-setup".into(), String::new()),
            ("GET", "/auth/setup-instructions".into(), String::new()),
            ("POST", "/auth/validate-credentials".into(), String::new()),
            (
                "POST",
                "/auth/validate-credentials".into(),
                body_creds.clone(),
            ),
            ("GET", "/mcp/tools".into(), String::new()),
            ("POST", "/mcp/tools/nope".into(), "{}".into()),
            (
                "POST",
                "/mcp/tools/manage_productivity".into(),
                "{bad".into(),
            ),
            ("POST", "/mcp/tools/manage_productivity".into(), big.clone()),
            (
                "POST",
                "/mcp/tools/manage_productivity".into(),
                "[1,2]".into(),
            ),
            (
                "GET",
                "/mcp/tools/manage_productivity".into(),
                String::new(),
            ),
            ("DELETE", "/mcp/needs-setup".into(), String::new()),
            ("GET", format!("/unknown/{RK}"), String::new()),
            ("POST", "/mcp".into(), "{bad".into()),
            ("POST", "/a2a/rpc".into(), "{}".into()),
        ];
        for tool in TOOLS {
            let args = json!({"query": format!("use key {RK}?"), "user_timezone": "America/New_York", "current_date": "2026-12-01", "current_time": "09:00:00"});
            app.request("POST", &format!("/mcp/tools/{tool}"), &h, args.to_string());
            sent += 1;
        }
        for (method, path, body) in calls {
            app.request(method, &path, &h, body);
            sent += 1;
        }
    }
    assert_eq!(app.responses().len(), sent);
    assert_eq!(app.log_lines().len(), sent, "one log line per request");
    // The unknown route embeds the key in its path; the path itself must not be echoed.
    assert_no_secret_leaks(&app);
}

#[test]
fn the_leak_check_catches_a_leak() {
    let mut app = TestApp::new();
    app.disable_leak_check_on_drop();
    app.add_secret("sk-this-is-secret");
    juli_calendar::ports::LogSink::line(&app.log, "oops sk-this-is-secret");
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_no_secret_leaks(&app)
    }));
    assert!(caught.is_err(), "a secret in a log line is reported");
}

#[test]
fn harness_outbound_reaches_the_fakes_and_denies_unknown_hosts() {
    use juli_calendar::ports::{Outbound, TransportError};
    let app = TestApp::new();
    let faults = std::cell::RefCell::new(std::collections::VecDeque::new());
    let outbound = FakeOutbound::new(&app.fakes, &faults);
    let get = |url: &str| {
        let req = http::Request::builder()
            .uri(url)
            .header("authorization", format!("Bearer {}", defaults::RECLAIM_KEY))
            .body(Vec::new())
            .unwrap();
        futures::executor::block_on(outbound.send(req))
    };
    let ok = get("http://reclaim.test/api/users/current").unwrap();
    assert_eq!(ok.status(), 200);
    match get("https://api.app.reclaim.ai/api/users/current") {
        Err(TransportError::Denied(_)) => {}
        other => panic!("expected Denied, got {other:?}"),
    }
    faults
        .borrow_mut()
        .push_back(TransportFault::NotSent(TransportError::Connect(
            "refused".into(),
        )));
    assert!(matches!(
        get("http://reclaim.test/api/users/current"),
        Err(TransportError::Connect(_))
    ));
    assert_eq!(
        app.fakes.count(Provider::Reclaim),
        1,
        "not sent means not received"
    );
    app.fakes.clear_log();
}

#[test]
fn context_dates_outside_1970_to_2199_or_malformed_answer_400_and_call_nothing() {
    let app = TestApp::new();
    let bad = [
        ("current_date", "2200-01-01"),
        ("current_date", "1969-12-31"),
        ("current_date", "262143-12-31"),
        ("current_date", "+2026-12-01"),
        ("current_time", "23:59:60"),
    ];
    for tool in TOOLS {
        for (field, value) in bad {
            let mut args = ctx(
                json!({"action": "create_task", "title": "Probe", "query": "what's on next month?", "range": "next month"}),
            );
            args[field] = json!(value);
            let r = app.call_tool(tool, args);
            assert_json_error(&r, 400);
            let error = r.json["error"].as_str().unwrap();
            assert!(
                error.contains(field) && error.contains(value),
                "{tool}: {error}"
            );
        }
    }
    // The last supported day still works.
    let mut args = ctx(json!({"range": "next month"}));
    args["current_date"] = json!("2199-12-31");
    let r = app.call_tool("optimize_schedule", args);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(app.fakes.requests().len(), 2, "only the last request reads");
}
