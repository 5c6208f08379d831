//! `POST /mcp` end to end through `juli_calendar::handle`, with in-test fakes.

use juli_calendar::ports::HttpResponse;
use pretty_assertions::assert_eq;
use serde_json::{json, Value};

mod support {
    //! Small local scaffolding (swap for the shared `tests/helpers` harness later).
    use std::cell::RefCell;
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use juli_calendar::ports::{
        Context, FixedClock, HttpRequest, HttpResponse, LocalBoxFuture, LogSink, Outbound, Random,
        TransportError,
    };

    /// Answers every outbound request with 404 and records its URI.
    #[derive(Default)]
    pub struct NotFoundOutbound {
        pub seen: RefCell<Vec<String>>,
    }

    impl Outbound for NotFoundOutbound {
        fn send(
            &self,
            request: HttpRequest,
        ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
            self.seen.borrow_mut().push(request.uri().to_string());
            Box::pin(async {
                Ok(http::Response::builder()
                    .status(404)
                    .body(b"{}".to_vec())
                    .unwrap())
            })
        }
    }

    pub struct ZeroRandom;
    impl Random for ZeroRandom {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(7);
        }
    }

    #[derive(Default)]
    pub struct Lines(pub RefCell<Vec<String>>);
    impl LogSink for Lines {
        fn line(&self, line: &str) {
            self.0.borrow_mut().push(line.to_string());
        }
    }

    pub struct World {
        pub outbound: NotFoundOutbound,
        pub config: HashMap<String, String>,
        pub clock: FixedClock,
        pub log: Lines,
    }

    impl World {
        pub fn new(config: &[(&str, &str)]) -> World {
            World {
                outbound: NotFoundOutbound::default(),
                config: config
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                clock: FixedClock("2026-11-26T10:00:00Z".parse::<DateTime<Utc>>().unwrap()),
                log: Lines::default(),
            }
        }

        pub fn send(&self, request: HttpRequest) -> HttpResponse {
            let ctx = Context {
                outbound: &self.outbound,
                config: &self.config,
                store: None,
                clock: &self.clock,
                random: &ZeroRandom,
                log: &self.log,
            };
            futures::executor::block_on(juli_calendar::handle(request, ctx))
        }
    }
}

use support::World;

fn post(world: &World, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    let mut b = http::Request::builder()
        .method("POST")
        .uri("http://localhost/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    world.send(b.body(body.as_bytes().to_vec()).unwrap())
}

fn json_of(r: &HttpResponse) -> Value {
    serde_json::from_slice(r.body()).unwrap_or_else(|_| {
        panic!(
            "not JSON ({}): {}",
            r.status(),
            String::from_utf8_lossy(r.body())
        )
    })
}

fn rpc(world: &World, id: u64, method: &str, params: Value) -> (u16, Value) {
    let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
    let r = post(world, &body, &[("mcp-protocol-version", "2025-06-18")]);
    (r.status().as_u16(), json_of(&r))
}

#[test]
fn initialize_negotiates_and_describes_the_server() {
    let w = World::new(&[]);
    for (asked, answered) in [
        ("2025-11-25", "2025-11-25"),
        ("2025-06-18", "2025-06-18"),
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2025-11-25"),
    ] {
        let body = json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{
            "protocolVersion": asked, "capabilities": {}, "clientInfo": {"name":"t","version":"1"}}});
        let r = post(&w, &body.to_string(), &[]);
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");
        assert!(r.headers().get("mcp-session-id").is_none());
        let v = json_of(&r);
        assert_eq!(v["id"], 1);
        assert_eq!(v["result"]["protocolVersion"], answered, "asked {asked}");
        assert_eq!(v["result"]["serverInfo"]["name"], "juli-calendar");
        assert_eq!(
            v["result"]["serverInfo"]["version"],
            env!("CARGO_PKG_VERSION")
        );
        assert!(v["result"]["serverInfo"]["title"].is_string());
        assert_eq!(
            v["result"]["capabilities"],
            json!({"tools": {"listChanged": false}})
        );
        assert!(v["result"]["instructions"].is_string());
    }
}

#[test]
fn initialize_without_protocol_version_is_invalid_params() {
    let w = World::new(&[]);
    let (status, v) = rpc(&w, 2, "initialize", json!({"capabilities": {}}));
    assert_eq!(status, 200);
    assert_eq!(v["error"]["code"], -32602);
    assert_eq!(v["id"], 2);
}

#[test]
fn notifications_and_client_responses_get_202_without_body() {
    let w = World::new(&[]);
    for body in [
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/whatever"}"#,
        r#"{"jsonrpc":"2.0","id":"s1","result":{}}"#,
    ] {
        let r = post(&w, body, &[("mcp-protocol-version", "2025-11-25")]);
        assert_eq!(r.status(), 202, "{body}");
        assert!(r.body().is_empty());
    }
}

#[test]
fn ping_answers_an_empty_object() {
    let w = World::new(&[]);
    let (status, v) = rpc(&w, 3, "ping", json!({}));
    assert_eq!(status, 200);
    assert_eq!(v, json!({"jsonrpc":"2.0","id":3,"result":{}}));
}

#[test]
fn tools_list_has_the_four_tools_then_the_explicit_ones_with_titles_and_annotations() {
    let w = World::new(&[]);
    let (_, v) = rpc(&w, 4, "tools/list", json!({}));
    let tools = v["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "manage_productivity",
            "find_and_analyze",
            "check_availability",
            "optimize_schedule",
            "list_events",
            "list_tasks",
            "find_free_slots",
            "create_task",
            "update_task",
            "complete_task",
            "delete_task",
            "create_event",
            "update_event",
            "cancel_event",
            "apply_schedule_optimization"
        ]
    );
    // The availability tools take an optional `calendar` (name or id).
    for name in ["check_availability", "find_free_slots"] {
        let t = tools.iter().find(|t| t["name"] == name).unwrap();
        assert_eq!(
            t["inputSchema"]["properties"]["calendar"]["type"], "string",
            "{name}"
        );
    }
    for t in tools {
        assert!(t["title"].is_string());
        assert!(t["description"].is_string());
        assert_eq!(t["inputSchema"]["type"], "object");
        assert_eq!(t["annotations"]["openWorldHint"], true);
    }
    assert_eq!(tools[1]["annotations"]["readOnlyHint"], true);
    assert_eq!(tools[0]["annotations"]["destructiveHint"], true);
    assert!(v["result"].get("nextCursor").is_none());
    let (_, v) = rpc(&w, 5, "tools/list", json!({"cursor": "abc"}));
    assert_eq!(v["error"]["code"], -32602);
}

#[test]
fn tools_call_returns_content_structured_envelope_and_error_flag() {
    let w = World::new(&[]);
    let (status, v) = rpc(
        &w,
        6,
        "tools/call",
        json!({"name": "find_and_analyze", "arguments": {"query": "what's on today", "user_timezone": "Europe/Berlin"}}),
    );
    assert_eq!(status, 200);
    let result = &v["result"];
    assert_eq!(result["content"][0]["type"], "text");
    assert!(result["content"][0]["text"].as_str().unwrap().len() > 3);
    let envelope = &result["structuredContent"];
    assert!(envelope.is_object());
    // The second text block is the envelope itself, for clients that ignore structuredContent.
    let echoed: Value =
        serde_json::from_str(result["content"][1]["text"].as_str().unwrap()).unwrap();
    assert_eq!(&echoed, envelope);
    assert_eq!(
        result["isError"],
        json!(juli_calendar::envelope::is_error(envelope))
    );
    // The log line names the tool.
    let lines = w.log.0.borrow();
    assert!(lines.last().unwrap().contains("find_and_analyze"));
}

#[test]
fn bad_arguments_are_tool_errors_not_protocol_errors() {
    let w = World::new(&[]);
    let (status, v) = rpc(
        &w,
        7,
        "tools/call",
        json!({"name": "check_availability", "arguments": {"query": "free at 3?", "user_timezone": "Mars/Olympus"}}),
    );
    assert_eq!(status, 200);
    assert!(v.get("error").is_none());
    assert_eq!(v["result"]["isError"], true);
    assert_eq!(v["result"]["structuredContent"]["success"], false);
    assert!(v["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Mars/Olympus"));
}

#[test]
fn unknown_tool_and_bad_params_are_invalid_params() {
    let w = World::new(&[]);
    for params in [
        json!({"name": "rm_rf"}),
        json!({}),
        json!({"name": "find_and_analyze", "arguments": "query=x"}),
    ] {
        let (status, v) = rpc(&w, 8, "tools/call", params.clone());
        assert_eq!(status, 200);
        assert_eq!(v["error"]["code"], -32602, "{params}");
        assert_eq!(v["id"], 8);
    }
    let (_, v) = rpc(&w, 9, "tools/call", json!({"name": "rm_rf"}));
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Unknown tool: rm_rf"));
    let body = r#"{"jsonrpc":"2.0","id":10,"method":"ping","params":[1]}"#;
    let r = post(&w, body, &[]);
    assert_eq!(json_of(&r)["error"]["code"], -32602);
}

#[test]
fn approval_fields_reach_the_tool_unchanged() {
    // The round trip is argument pass-through: the same call with approved/action_type/action_data
    // is a normal tools/call whose structured result is the tool's envelope.
    let w = World::new(&[]);
    let (status, v) = rpc(
        &w,
        11,
        "tools/call",
        json!({"name": "manage_productivity", "arguments": {
            "query": "invite sarah@acme.com tomorrow 2pm",
            "approved": true,
            "action_type": "event_create_with_participants",
            "action_data": {"token": "abc"}
        }}),
    );
    assert_eq!(status, 200);
    assert!(v["result"]["structuredContent"].is_object());
}

#[test]
fn unknown_methods_are_method_not_found() {
    let w = World::new(&[]);
    for m in ["resources/list", "prompts/list", "logging/setLevel", "foo"] {
        let (status, v) = rpc(&w, 12, m, json!({}));
        assert_eq!(status, 200);
        assert_eq!(v["error"]["code"], -32601, "{m}");
    }
}

#[test]
fn parse_errors_and_invalid_requests_are_http_400() {
    let w = World::new(&[]);
    let r = post(&w, "{not json", &[]);
    assert_eq!(r.status(), 400);
    let v = json_of(&r);
    assert_eq!(v["error"]["code"], -32700);
    assert_eq!(v["id"], Value::Null);
    for body in [
        r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
        r#"{"id":1,"method":"ping"}"#,
        r#"{"jsonrpc":"2.0","id":1}"#,
        r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
        r#""ping""#,
        "[]",
    ] {
        let r = post(&w, body, &[]);
        assert_eq!(r.status(), 400, "{body}");
        assert_eq!(json_of(&r)["error"]["code"], -32600, "{body}");
    }
}

#[test]
fn batches_only_in_2025_03_26() {
    let w = World::new(&[]);
    let batch = r#"[{"jsonrpc":"2.0","id":1,"method":"ping"},
                    {"jsonrpc":"2.0","method":"notifications/initialized"},
                    {"jsonrpc":"2.0","id":2,"method":"nope"},
                    {"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":"2025-03-26"}},
                    {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"optimize_schedule","arguments":{"request":"x"}}}]"#;
    for header in [None, Some("2025-03-26")] {
        let headers: Vec<(&str, &str)> = header
            .map(|h| vec![("mcp-protocol-version", h)])
            .unwrap_or_default();
        let r = post(&w, batch, &headers);
        assert_eq!(r.status(), 200);
        let v = json_of(&r);
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), 4, "the notification gets no response");
        assert_eq!(arr[0]["result"], json!({}));
        assert_eq!(arr[1]["error"]["code"], -32601);
        assert_eq!(
            arr[2]["error"]["code"], -32600,
            "initialize must not be batched"
        );
        assert!(arr[3]["result"]["structuredContent"].is_object());
    }
    let only_notes = r#"[{"jsonrpc":"2.0","method":"notifications/initialized"}]"#;
    assert_eq!(post(&w, only_notes, &[]).status(), 202);
    for v in ["2025-06-18", "2025-11-25"] {
        let r = post(&w, batch, &[("mcp-protocol-version", v)]);
        assert_eq!(r.status(), 400);
        assert_eq!(json_of(&r)["error"]["code"], -32600);
    }
}

#[test]
fn protocol_version_header_is_checked() {
    let w = World::new(&[]);
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    assert_eq!(post(&w, ping, &[]).status(), 200);
    let r = post(&w, ping, &[("mcp-protocol-version", "2024-01-01")]);
    assert_eq!(r.status(), 400);
    let v = json_of(&r);
    assert_eq!(v["error"]["code"], -32600);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2024-01-01"));
}

#[test]
fn get_and_delete_are_405_with_allow_post() {
    let w = World::new(&[]);
    for m in ["GET", "DELETE", "PUT"] {
        let r = w.send(
            http::Request::builder()
                .method(m)
                .uri("http://localhost/mcp")
                .header("accept", "text/event-stream")
                .body(Vec::new())
                .unwrap(),
        );
        assert_eq!(r.status(), 405, "{m}");
        assert_eq!(r.headers()["allow"], "POST");
    }
}

#[test]
fn origin_is_checked_against_allowed_origins() {
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    let closed = World::new(&[]);
    let r = post(&closed, ping, &[("origin", "https://evil.example")]);
    assert_eq!(r.status(), 403);
    assert!(json_of(&r)["error"].is_object());

    let open = World::new(&[("allowed_origins", "https://app.juli-ai.com")]);
    let r = post(&open, ping, &[("origin", "https://app.juli-ai.com")]);
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://app.juli-ai.com"
    );
    assert_eq!(
        post(&open, ping, &[("origin", "https://evil.example")]).status(),
        403
    );
    let preflight = open.send(
        http::Request::builder()
            .method("OPTIONS")
            .uri("http://localhost/mcp")
            .header("origin", "https://app.juli-ai.com")
            .body(Vec::new())
            .unwrap(),
    );
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-methods"], "POST");
}

#[test]
fn accept_without_json_is_406() {
    let w = World::new(&[]);
    let r = w.send(
        http::Request::builder()
            .method("POST")
            .uri("http://localhost/mcp")
            .header("content-type", "application/json")
            .header("accept", "text/html")
            .body(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.to_vec())
            .unwrap(),
    );
    assert_eq!(r.status(), 406);
    // No Accept header at all is fine (curl, server-to-server).
    let r = w.send(
        http::Request::builder()
            .method("POST")
            .uri("http://localhost/mcp")
            .header("content-type", "application/json")
            .body(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.to_vec())
            .unwrap(),
    );
    assert_eq!(r.status(), 200);
}

#[test]
fn oversized_bodies_are_413() {
    let w = World::new(&[]);
    let big = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"pad":"{}"}}}}"#,
        "x".repeat(juli_calendar::api::MAX_BODY_BYTES)
    );
    let r = post(&w, &big, &[]);
    assert_eq!(r.status(), 413);
    assert!(json_of(&r)["error"].is_object());
}

#[test]
fn credentials_from_headers_reach_tools_and_never_leak() {
    let w = World::new(&[]);
    let secret = "rk_live_SUPERSECRET_0123456789";
    let body = json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{
        "name":"manage_productivity","arguments":{"query":"create a task to review Q4 by Friday"}}});
    let r = post(
        &w,
        &body.to_string(),
        &[
            ("x-user-credential-reclaim-api-key", secret),
            ("X-User-Credential-NYLAS_API_KEY", "nyk_SECRET_abcdefghijkl"),
        ],
    );
    assert_eq!(r.status(), 200);
    let text = String::from_utf8_lossy(r.body());
    assert!(!text.contains("SUPERSECRET") && !text.contains("nyk_SECRET"));
    assert!(w.log.0.borrow().iter().all(|l| !l.contains("SECRET")));
}
