//! `/mcp` across the four protocol revisions, every response checked against the published
//! schema types of its revision (the `rust-mcp-schema` crate, one major version per revision:
//! 2025-03-26 from 0.8, 2025-06-18 from 0.9, 2025-11-25 from 1.x, 2026-07-28 from 2.x), over
//! the stateful fakes. Covers the explicit tools, structured results, the 2026-07-28 stateless
//! rules, approvals as `input_required`, setup as URL elicitation and the batch cap.

use crate::helpers;

use helpers::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use mcp_schema_2025_03_26::mcp_2025_03_26 as r0326;
use mcp_schema_2025_06_18::mcp_2025_06_18 as r0618;
use mcp_schema_2025_11_25 as r1125;
use mcp_schema_2026_07_28 as r0728;

const SESSION_REVISIONS: [&str; 3] = ["2025-03-26", "2025-06-18", "2025-11-25"];
const STATELESS: &str = "2026-07-28";

/// Deserializes `value` into the schema type `T`, failing the test with the serde error.
fn conforms<T: DeserializeOwned>(what: &str, value: &Value) {
    if let Err(e) = serde_json::from_value::<T>(value.clone()) {
        panic!("{what} does not match the published schema: {e}\n{value:#}");
    }
}

fn post(app: &TestApp, headers: &[(&str, &str)], body: &Value) -> TestResponse {
    let mut h = user_headers();
    h.push(("content-type", "application/json"));
    h.push(("accept", "application/json, text/event-stream"));
    h.extend_from_slice(headers);
    app.request("POST", "/mcp", &h, body.to_string())
}

/// One request of a session revision (negotiated with `initialize`).
fn session_rpc(app: &TestApp, rev: &str, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let r = post(app, &[("mcp-protocol-version", rev)], &body);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json
}

/// The `_meta` every 2026-07-28 request carries.
fn meta(capabilities: Value) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": STATELESS,
        "io.modelcontextprotocol/clientCapabilities": capabilities,
        "io.modelcontextprotocol/clientInfo": {"name": "schema-test", "version": "1"},
    })
}

/// One 2026-07-28 request with matching `Mcp-Method` / `Mcp-Name` headers.
fn stateless_rpc(app: &TestApp, method: &str, mut params: Value, caps: Value) -> TestResponse {
    params["_meta"] = meta(caps);
    let name = params["name"].as_str().unwrap_or("").to_string();
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
    let mut headers = vec![("mcp-protocol-version", STATELESS), ("mcp-method", method)];
    if !name.is_empty() {
        headers.push(("mcp-name", name.as_str()));
    }
    post(app, &headers, &body)
}

fn check_session_result(rev: &str, kind: &str, response: &Value) {
    let result = &response["result"];
    match (rev, kind) {
        ("2025-03-26", "initialize") => conforms::<r0326::InitializeResult>(kind, result),
        ("2025-03-26", "tools/list") => conforms::<r0326::ListToolsResult>(kind, result),
        ("2025-03-26", "tools/call") => conforms::<r0326::CallToolResult>(kind, result),
        ("2025-06-18", "initialize") => conforms::<r0618::InitializeResult>(kind, result),
        ("2025-06-18", "tools/list") => conforms::<r0618::ListToolsResult>(kind, result),
        ("2025-06-18", "tools/call") => conforms::<r0618::CallToolResult>(kind, result),
        ("2025-11-25", "initialize") => conforms::<r1125::InitializeResult>(kind, result),
        ("2025-11-25", "tools/list") => conforms::<r1125::ListToolsResult>(kind, result),
        ("2025-11-25", "tools/call") => conforms::<r1125::CallToolResult>(kind, result),
        _ => unreachable!(),
    }
    match rev {
        "2025-03-26" => conforms::<r0326::JsonrpcResponse>(kind, response),
        "2025-06-18" => conforms::<r0618::JsonrpcResponse>(kind, response),
        _ => conforms::<r1125::JsonrpcResultResponse>(kind, response),
    }
}

fn check_session_error(rev: &str, response: &Value) {
    match rev {
        "2025-03-26" => conforms::<r0326::JsonrpcError>("error", response),
        "2025-06-18" => conforms::<r0618::JsonrpcError>("error", response),
        _ => conforms::<r1125::JsonrpcErrorResponse>("error", response),
    }
}

fn nylas_writes(app: &TestApp) -> usize {
    app.fakes
        .requests_to(Provider::Nylas)
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

fn names(list: &Value) -> Vec<String> {
    list["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn session_revisions_answer_schema_valid_results_with_the_explicit_tools() {
    for rev in SESSION_REVISIONS {
        let app = TestApp::new();
        let init = session_rpc(
            &app,
            rev,
            "initialize",
            json!({"protocolVersion": rev, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
        );
        check_session_result(rev, "initialize", &init);
        assert_eq!(init["result"]["protocolVersion"], rev);

        let list = session_rpc(&app, rev, "tools/list", json!({}));
        check_session_result(rev, "tools/list", &list);
        let listed = names(&list["result"]);
        assert_eq!(listed.len(), 15, "{listed:?}");
        for n in [
            "list_events",
            "create_event",
            "find_free_slots",
            "apply_schedule_optimization",
        ] {
            assert!(listed.iter().any(|l| l == n), "{rev}: {n} missing");
        }
        for t in list["result"]["tools"].as_array().unwrap() {
            assert_eq!(t["outputSchema"]["type"], "object", "{}", t["name"]);
            assert!(t["annotations"]["readOnlyHint"].is_boolean());
        }

        let listed_events = session_rpc(
            &app,
            rev,
            "tools/call",
            json!({"name": "list_events", "arguments": ctx(json!({"time_range": "this week"}))}),
        );
        check_session_result(rev, "tools/call", &listed_events);
        let result = &listed_events["result"];
        assert_eq!(result["isError"], false, "{result:#}");
        assert_eq!(result["structuredContent"]["success"], true);
        let mirrored: Value =
            serde_json::from_str(result["content"][1]["text"].as_str().unwrap()).unwrap();
        assert_eq!(mirrored, result["structuredContent"]);
        assert_eq!(
            app.upstream_count(Provider::OpenAi),
            0,
            "explicit tools use no model"
        );

        let unknown = session_rpc(&app, rev, "resources/list", json!({}));
        check_session_error(rev, &unknown);
        assert_eq!(unknown["error"]["code"], -32601);
    }
}

#[test]
fn explicit_create_event_on_older_revisions_keeps_the_needs_approval_flow() {
    let app = TestApp::new();
    let args = ctx(json!({
        "title": "Budget sync", "start": "tomorrow at 2pm", "duration_minutes": 30,
        "participants": ["bob@example.com"]
    }));
    let first = session_rpc(
        &app,
        "2025-11-25",
        "tools/call",
        json!({"name": "create_event", "arguments": args}),
    );
    check_session_result("2025-11-25", "tools/call", &first);
    let envelope = &first["result"]["structuredContent"];
    assert_eq!(envelope["needs_approval"], true, "{envelope:#}");
    assert_eq!(nylas_writes(&app), 0);
    let mut approved = args.clone();
    approved["approved"] = json!(true);
    approved["action_type"] = envelope["action_type"].clone();
    approved["action_data"] = envelope["action_data"].clone();
    let done = session_rpc(
        &app,
        "2025-11-25",
        "tools/call",
        json!({"name": "create_event", "arguments": approved}),
    );
    check_session_result("2025-11-25", "tools/call", &done);
    assert_eq!(
        done["result"]["structuredContent"]["success"], true,
        "{done:#}"
    );
    assert_eq!(nylas_writes(&app), 1);
    assert_eq!(app.upstream_count(Provider::OpenAi), 0);
}

#[test]
fn stateless_discover_list_and_call_follow_2026_07_28() {
    let app = TestApp::new();
    let discover = stateless_rpc(&app, "server/discover", json!({}), json!({}));
    assert_eq!(discover.status, 200, "{}", discover.text());
    conforms::<r0728::DiscoverResult>("server/discover", &discover.json["result"]);
    conforms::<r0728::JsonrpcResultResponse>("server/discover", &discover.json);
    assert_eq!(
        discover.json["result"]["supportedVersions"],
        json!(["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"])
    );

    let list = stateless_rpc(&app, "tools/list", json!({}), json!({}));
    conforms::<r0728::ListToolsResult>("tools/list", &list.json["result"]);
    assert_eq!(list.json["result"]["resultType"], "complete");
    assert_eq!(list.json["result"]["cacheScope"], "public");
    assert!(list.json["result"]["ttlMs"].as_u64().unwrap() > 0);
    assert_eq!(names(&list.json["result"]).len(), 15);

    let call = stateless_rpc(
        &app,
        "tools/call",
        json!({"name": "find_free_slots", "arguments": ctx(json!({"duration_minutes": 60, "range": "tomorrow"}))}),
        json!({}),
    );
    conforms::<r0728::CallToolResult>("tools/call", &call.json["result"]);
    assert_eq!(call.json["result"]["resultType"], "complete");
    assert_eq!(call.json["result"]["isError"], false, "{:#}", call.json);

    let ping = stateless_rpc(&app, "ping", json!({}), json!({}));
    assert_eq!(ping.json["result"], json!({"resultType": "complete"}));

    let init = stateless_rpc(
        &app,
        "initialize",
        json!({"protocolVersion": STATELESS}),
        json!({}),
    );
    conforms::<r0728::JsonrpcErrorResponse>("initialize", &init.json);
    assert_eq!(init.json["error"]["code"], -32601);
    // The REST listing for Juli stays the four natural-language tools.
    let rest = app.get("/mcp/tools");
    assert_eq!(
        names(&rest.json),
        [
            "manage_productivity",
            "find_and_analyze",
            "check_availability",
            "optimize_schedule"
        ]
    );
}

#[test]
fn stateless_header_and_meta_mismatches_are_refused() {
    let app = TestApp::new();
    let body = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "list_events", "arguments": {}, "_meta": meta(json!({}))}});
    for headers in [
        vec![("mcp-method", "tools/call"), ("mcp-name", "list_tasks")],
        vec![("mcp-method", "tools/list"), ("mcp-name", "list_events")],
        vec![("mcp-name", "list_events")],
    ] {
        let mut h = vec![("mcp-protocol-version", STATELESS)];
        h.extend(headers);
        let r = post(&app, &h, &body);
        assert_eq!(r.status, 400);
        conforms::<r0728::HeaderMismatchError>("mismatch", &r.json);
        assert_eq!(r.json["error"]["code"], -32020);
        assert_eq!(r.json["id"], 3);
    }
    let mut other_version = body.clone();
    other_version["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] =
        json!("2099-01-01");
    let r = post(
        &app,
        &[
            ("mcp-protocol-version", STATELESS),
            ("mcp-method", "tools/call"),
            ("mcp-name", "list_events"),
        ],
        &other_version,
    );
    conforms::<r0728::UnsupportedProtocolVersionError>("unsupported", &r.json);
    assert!(
        serde_json::from_value::<r0728::UnsupportedProtocolVersionError>(
            json!({"jsonrpc": "2.0", "id": 3, "error": {"code": -32022, "message": "x"}})
        )
        .is_err(),
        "the schema types do refuse what is missing"
    );
    assert_eq!(r.json["error"]["code"], -32022);
    let mut older = body.clone();
    older["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] = json!("2025-06-18");
    let r = post(
        &app,
        &[
            ("mcp-protocol-version", STATELESS),
            ("mcp-method", "tools/call"),
            ("mcp-name", "list_events"),
        ],
        &older,
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error"]["code"], -32020);
    assert_eq!(
        app.fakes.requests_to(Provider::Nylas).len(),
        0,
        "nothing ran"
    );
}

#[test]
fn stateless_approval_is_input_required_and_the_follow_up_executes_once() {
    let app = TestApp::new();
    let args = ctx(json!({
        "title": "Budget sync", "start": "tomorrow at 2pm", "duration_minutes": 30,
        "participants": ["bob@example.com"]
    }));
    let caps = json!({"elicitation": {"form": {}}});
    let first = stateless_rpc(
        &app,
        "tools/call",
        json!({"name": "create_event", "arguments": args}),
        caps.clone(),
    );
    let result = &first.json["result"];
    conforms::<r0728::InputRequiredResult>("input_required", result);
    assert_eq!(result["resultType"], "input_required", "{result:#}");
    assert!(result["requestState"].is_string());
    assert_eq!(
        result["inputRequests"]["approval"]["method"],
        "elicitation/create"
    );
    assert_eq!(nylas_writes(&app), 0, "nothing written before approval");

    let follow_up = json!({
        "name": "create_event", "arguments": args,
        "requestState": result["requestState"],
        "inputResponses": {"approval": {"action": "accept", "content": {"approve": true}}},
    });
    let done = stateless_rpc(&app, "tools/call", follow_up.clone(), caps.clone());
    conforms::<r0728::CallToolResult>("approved", &done.json["result"]);
    assert_eq!(done.json["result"]["resultType"], "complete");
    assert_eq!(
        done.json["result"]["structuredContent"]["success"], true,
        "{:#}",
        done.json
    );
    assert_eq!(nylas_writes(&app), 1);

    let again = stateless_rpc(&app, "tools/call", follow_up, caps.clone());
    assert_eq!(again.json["result"]["structuredContent"]["replayed"], true);
    assert_eq!(nylas_writes(&app), 1, "the approval executes once");

    let declined = stateless_rpc(
        &app,
        "tools/call",
        json!({"name": "create_event", "arguments": args, "requestState": result["requestState"],
               "inputResponses": {"approval": {"action": "decline"}}}),
        caps,
    );
    assert_eq!(
        declined.json["result"]["structuredContent"]["action"],
        "not_approved"
    );
    assert_eq!(nylas_writes(&app), 1);
}

#[test]
fn needs_setup_is_a_url_elicitation_where_the_client_declared_it() {
    let app = TestApp::new();
    let call = |caps: Value| {
        let params =
            json!({"name": "list_events", "arguments": ctx(json!({})), "_meta": meta(caps)});
        let body = json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": params});
        app.request(
            "POST",
            "/mcp",
            &[
                ("content-type", "application/json"),
                ("mcp-protocol-version", STATELESS),
                ("mcp-method", "tools/call"),
                ("mcp-name", "list_events"),
            ],
            body.to_string(),
        )
    };
    let elicited = call(json!({"elicitation": {"url": {}}}));
    assert_eq!(
        elicited.json["error"]["code"],
        -32042,
        "{}",
        elicited.text()
    );
    conforms::<r0728::JsonrpcErrorResponse>("-32042", &elicited.json);
    conforms::<r1125::UrlElicitationRequiredError>("-32042", &elicited.json);
    let url = elicited.json["error"]["data"]["elicitations"][0]["url"]
        .as_str()
        .unwrap();
    assert!(url.ends_with("/auth/setup-instructions"), "{url}");
    let plain = call(json!({}));
    conforms::<r0728::CallToolResult>("needs_setup", &plain.json["result"]);
    assert_eq!(
        plain.json["result"]["structuredContent"]["needs_setup"],
        true
    );
    // Older revisions keep today's result.
    let old = app.request(
        "POST",
        "/mcp",
        &[
            ("content-type", "application/json"),
            ("mcp-protocol-version", "2025-11-25"),
        ],
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"name": "list_events", "arguments": {}}})
        .to_string(),
    );
    check_session_result("2025-11-25", "tools/call", &old.json);
    assert_eq!(old.json["result"]["structuredContent"]["needs_setup"], true);
}

#[test]
fn batches_are_capped_at_ten_messages() {
    let app = TestApp::new();
    let batch: Vec<Value> = (1..=12)
        .map(|i| json!({"jsonrpc": "2.0", "id": i, "method": "ping"}))
        .collect();
    let r = post(
        &app,
        &[("mcp-protocol-version", "2025-03-26")],
        &Value::Array(batch),
    );
    assert_eq!(r.status, 200);
    conforms::<r0326::JsonrpcBatchResponse>("batch", &r.json);
    let answers = r.json.as_array().unwrap();
    assert_eq!(answers.len(), 12);
    assert_eq!(
        answers.iter().filter(|a| a.get("result").is_some()).count(),
        10
    );
    for over in &answers[10..] {
        assert_eq!(over["error"]["code"], -32600);
    }
    assert_eq!(answers[11]["id"], 12);
}

#[test]
fn read_only_optimize_schedule_refuses_to_apply_on_mcp() {
    let app = TestApp::new();
    let r = session_rpc(
        &app,
        "2025-06-18",
        "tools/call",
        json!({"name": "optimize_schedule", "arguments": ctx(json!({"approved": true, "action_type": "schedule_optimization", "action_data": {}}))}),
    );
    assert_eq!(r["result"]["isError"], true);
    assert!(r["result"]["structuredContent"]["error"]
        .as_str()
        .unwrap()
        .contains("apply_schedule_optimization"));
    let apply = session_rpc(
        &app,
        "2025-06-18",
        "tools/call",
        json!({"name": "apply_schedule_optimization", "arguments": ctx(json!({"range": "tomorrow"}))}),
    );
    check_session_result("2025-06-18", "tools/call", &apply);
    let envelope = &apply["result"]["structuredContent"];
    assert!(
        envelope["needs_approval"] == true || envelope["success"] == true,
        "{envelope:#}"
    );
    assert_eq!(app.upstream_count(Provider::OpenAi), 0);
    assert_eq!(
        nylas_writes(&app)
            + app
                .fakes
                .requests_to(Provider::Reclaim)
                .iter()
                .filter(|r| r.method != "GET")
                .count(),
        0
    );
}
