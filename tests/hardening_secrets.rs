//! Hardening, item 4 (the brief's "secrets"): a broad sweep of requests over every route and
//! error path with distinctive credential values, OpenAI key and approval secret, scanning
//! every response body, response header and log line (plain, URL-encoded, base64, upper/lower
//! case, and 12-character prefixes); and approval tokens checked for tampering (every field),
//! expiry, replay, cross-tool and cross-user use — each rejected with nothing executed.

use crate::helpers;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use helpers::*;
use juli_testkit::defaults::{
    NYLAS_GRANT, OTHER_NYLAS_GRANT, OTHER_NYLAS_KEY, OTHER_RECLAIM_KEY, RECLAIM_KEY,
};
use serde_json::{json, Value};

const RK: &str = "rk_live_SECRET_reclaim_Zq8xW3vN7pL2";
const NK: &str = "nyk_v0_SECRET_nylas_Hh4Jj6Kk8Ll0Mm2";
const GRANT: &str = "grant-SECRET-7f3e9a1b-c2d4-4e6f-8a0b";
const OPENAI: &str = "sk-proj-SECRET-openai-Pp9Oo8Ii7Uu6Yy5";
const APPROVAL: &str = "approval-SECRET-signing-Tt4Rr3Ee2Ww1Qq0";
const DEV: &str = "a2a-SECRET-dev-Gg5Ff4Dd3Ss2Aa1";

fn app() -> TestApp {
    let fakes = std::sync::Arc::new(FakeUpstreams::new().with_default_user());
    fakes.add_user(RK, NK, GRANT, "secret.user@example.com", "Secret User");
    fakes.add_user(
        OTHER_RECLAIM_KEY,
        OTHER_NYLAS_KEY,
        OTHER_NYLAS_GRANT,
        "sam.other@example.com",
        "Sam",
    );
    fakes.openai.set_api_keys(&[OPENAI]);
    let mut app = TestApp::with_fakes(fakes);
    app.set_config("openai_api_key", OPENAI);
    app.set_config("approval_secret", APPROVAL);
    app.set_config("a2a_dev_secret", DEV);
    app.set_config("debug_endpoints", "true");
    for s in [RK, NK, GRANT] {
        app.add_secret(s);
    }
    app
}

fn headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("X-User-Credential-RECLAIM_API_KEY", RK),
        ("X-User-Credential-NYLAS_API_KEY", NK),
        ("X-User-Credential-NYLAS_GRANT_ID", GRANT),
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("x-a2a-dev-secret", DEV),
    ]
}

fn legacy_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("X-Reclaim-Key", RK),
        ("x-nylas-key", NK),
        ("X-Nylas-Grant", GRANT),
        ("content-type", "application/json"),
    ]
}

/// Every form of a secret that would count as a leak.
fn forms(secret: &str) -> Vec<String> {
    let mut f = vec![
        secret.to_string(),
        secret.to_lowercase(),
        secret.to_uppercase(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        STANDARD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ];
    // A 12-character window anywhere (redaction may show at most 4).
    let chars: Vec<char> = secret.chars().collect();
    for w in chars.windows(12).step_by(6) {
        f.push(w.iter().collect());
    }
    f
}

#[derive(Default, Debug)]
struct Scan {
    bodies: usize,
    headers: usize,
    log_lines: usize,
    hits: Vec<String>,
}

fn scan(app: &TestApp, secrets: &[&str]) -> Scan {
    let mut s = Scan::default();
    let all: Vec<(String, String)> = secrets
        .iter()
        .flat_map(|sec| forms(sec).into_iter().map(move |f| (sec.to_string(), f)))
        .collect();
    let check = |what: String, text: &str, hits: &mut Vec<String>| {
        for (sec, form) in &all {
            if text.contains(form.as_str()) {
                hits.push(format!("{what}: a form of {}…", &sec[..6]));
            }
        }
    };
    for (i, r) in app.responses().iter().enumerate() {
        s.bodies += 1;
        check(format!("response #{i} body"), &r.text(), &mut s.hits);
        for (n, v) in &r.headers {
            s.headers += 1;
            check(
                format!("response #{i} header {n}"),
                &String::from_utf8_lossy(v.as_bytes()),
                &mut s.hits,
            );
        }
    }
    for (i, line) in app.log_lines().iter().enumerate() {
        s.log_lines += 1;
        check(format!("log line #{i}"), line, &mut s.hits);
    }
    s
}

#[test]
fn broad_sweep_leaks_no_credential_or_secret_anywhere() {
    let app = app();
    app.fakes
        .reclaim
        .seed_task(RK, TaskSeed::new("Bulk test A").id(501));
    app.fakes
        .reclaim
        .seed_task(RK, TaskSeed::new("Bulk test B").id(502));
    app.fakes.nylas.seed_event(
        GRANT,
        EventSeed::new("Standup")
            .id("ev-s")
            .at("2026-12-02T15:00:00Z", 30),
    );
    let h = headers();
    let mut sent = 0usize;
    let mut send = |method: &str, path: &str, hs: &[(&str, &str)], body: Value| {
        sent += 1;
        app.request(method, path, hs, body.to_string())
    };
    // Every route, with credentials.
    for (m, p) in [
        ("GET", "/health"),
        ("POST", "/debug/headers"),
        ("GET", "/mcp/needs-setup"),
        ("GET", "/auth/setup-instructions"),
        ("POST", "/auth/validate-credentials"),
        ("GET", "/mcp/tools"),
        ("GET", "/.well-known/a2a.json"),
        ("GET", "/.well-known/a2a-credentials.json"),
        ("GET", "/nope"),
        ("DELETE", "/mcp"),
    ] {
        send(m, p, &h, json!({}));
        send(m, p, &legacy_headers(), json!({}));
    }
    // validate-credentials with credentials in the body, valid and invalid.
    send(
        "POST",
        "/auth/validate-credentials",
        &[("content-type", "application/json")],
        json!({"reclaim_api_key": RK, "nylas_api_key": NK, "nylas_grant_id": GRANT}),
    );
    send(
        "POST",
        "/auth/validate-credentials",
        &[("content-type", "application/json")],
        json!({"reclaim_api_key": format!("{RK}x"), "nylas_api_key": NK, "nylas_grant_id": format!("{GRANT}-gone")}),
    );
    // Tools: successes, business errors, needs_setup, needs_approval, upstream faults.
    let mp = "/mcp/tools/manage_productivity";
    for args in [
        json!({"action": "create_task", "title": "Secret sweep task"}),
        json!({"action": "complete_task", "target": {"title_hint": "Bulk test", "all_matching": true}}),
        json!({"action": "create_event", "title": "Sweep sync", "start": "2026-12-03T10:00", "participants": ["a@b.example"]}),
        json!({"action": "cancel_event", "item_id": "does-not-exist"}),
        json!({"action": "delete_task", "item_id": "987654"}),
        json!({"action": "bogus"}),
        json!({}),
    ] {
        send("POST", mp, &h, ctx(args.clone()));
        send("POST", mp, &legacy_headers(), ctx(args.clone()));
        // Wrong credentials → needs_setup naming the keys (never their values).
        send(
            "POST",
            mp,
            &[
                (
                    "X-User-Credential-RECLAIM_API_KEY",
                    "rk_wrong_SECRET_value_000",
                ),
                (
                    "X-User-Credential-NYLAS_API_KEY",
                    "nyk_wrong_SECRET_value_000",
                ),
                ("X-User-Credential-NYLAS_GRANT_ID", GRANT),
            ],
            ctx(args),
        );
    }
    for fault in [
        Fault::status(500),
        Fault::status(401),
        Fault::status(403),
        Fault::rate_limited(1),
        Fault::MalformedJson,
        Fault::TruncatedBody,
        Fault::FailAfterApply { status: 502 },
    ] {
        app.fakes
            .inject(Provider::Reclaim, FaultRule::new(fault.clone()).forever());
        app.fakes
            .inject(Provider::Nylas, FaultRule::new(fault.clone()).forever());
        app.fakes
            .inject(Provider::OpenAi, FaultRule::new(fault).forever());
        send(
            "POST",
            mp,
            &h,
            ctx(json!({"action": "create_task", "title": "Fault sweep"})),
        );
        send(
            "POST",
            mp,
            &h,
            ctx(json!({"query": "create a task to sweep"})),
        );
        send(
            "POST",
            mp,
            &h,
            ctx(json!({"action": "cancel_event", "target": {"title_hint": "Standup"}})),
        );
        send("POST", "/auth/validate-credentials", &h, json!({}));
        app.fakes.clear_faults();
    }
    for t in [
        "find_and_analyze",
        "check_availability",
        "optimize_schedule",
    ] {
        send(
            "POST",
            &format!("/mcp/tools/{t}"),
            &h,
            ctx(json!({"query": "what's on"})),
        );
    }
    // OpenAI path: success, refusal, and the server's key rejected.
    app.fakes.openai.push_output(model(
        json!({"action": "create_task", "title": "NL sweep task", "due": "Friday"}),
    ));
    send(
        "POST",
        mp,
        &h,
        ctx(json!({"query": "create a task NL sweep by Friday"})),
    );
    app.fakes
        .openai
        .push(ScriptedOutput::Refusal("I can't help with that".into()));
    send("POST", mp, &h, ctx(json!({"query": "refuse please"})));
    app.fakes
        .openai
        .set_api_keys(&["sk-some-other-key-entirely"]);
    send("POST", mp, &h, ctx(json!({"query": "key rejected"})));
    // MCP and A2A, with credentials in headers and in A2A user_context.
    for body in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "manage_productivity", "arguments": ctx(json!({"action": "create_task", "title": "MCP sweep"}))}}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "nope"}}),
        json!({"jsonrpc": "2.0", "id": 5, "method": "nope"}),
    ] {
        send("POST", "/mcp", &h, body);
    }
    for body in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "agent.handshake"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tool.execute", "params": {"tool": "manage_productivity", "arguments": ctx(json!({"action": "create_task", "title": "A2A sweep"})), "user_context": {"credentials": {"RECLAIM_API_KEY": RK, "NYLAS_API_KEY": NK, "NYLAS_GRANT_ID": GRANT}}}}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tool.execute", "params": {"tool": "manage_productivity", "arguments": ctx(json!({"action": "create_task", "title": "A2A wrong key"})), "user_context": {"credentials": {"RECLAIM_API_KEY": "rk_wrong_SECRET_a2a_0001"}}}}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "tool.approve", "params": {"tool": "manage_productivity", "action_data": {"_approval": {"signature": "x"}}}}),
    ] {
        send("POST", "/a2a/rpc", &h, body);
    }
    send(
        "POST",
        "/a2a/rpc",
        &[("x-a2a-dev-secret", "wrong-dev-secret")],
        json!({"jsonrpc": "2.0", "id": 1, "method": "tool.list"}),
    );

    // Malformed bodies, wrong methods and odd paths on every POST route.
    for route in [
        "/mcp/tools/manage_productivity",
        "/mcp/tools/find_and_analyze",
        "/mcp",
        "/a2a/rpc",
        "/auth/validate-credentials",
        "/debug/headers",
    ] {
        for body in ["{bad", "[]", "null", "\"x\"", ""] {
            sent += 1;
            app.request("POST", route, &h, body);
        }
        sent += 1;
        app.request("POST", route, &h, vec![b' '; 300 * 1024]);
        sent += 1;
        app.request("PUT", route, &h, "{}");
    }
    for path in [
        "/mcp/tools/../health",
        "/mcp/tools/%2e%2e",
        "/mcp/tools/rm_rf",
    ] {
        sent += 1;
        app.request("POST", path, &h, "{}");
    }

    // The secrets the app used really were in play.
    assert!(app
        .fakes
        .requests_to(Provider::Reclaim)
        .iter()
        .any(|r| r.bearer.as_deref() == Some(RK)));
    assert!(app
        .fakes
        .requests_to(Provider::OpenAi)
        .iter()
        .any(|r| r.bearer.as_deref() == Some(OPENAI)));

    let secrets = [
        RK,
        NK,
        GRANT,
        OPENAI,
        APPROVAL,
        DEV,
        "rk_wrong_SECRET_value_000",
        "nyk_wrong_SECRET_value_000",
        "rk_wrong_SECRET_a2a_0001",
        RECLAIM_KEY,
        NYLAS_GRANT,
    ];
    let s = scan(&app, &secrets);
    println!(
        "secret sweep: {sent} requests, scanned {} bodies, {} headers, {} log lines for {} secrets in {} forms each: {} hits",
        s.bodies,
        s.headers,
        s.log_lines,
        secrets.len(),
        forms(RK).len(),
        s.hits.len()
    );
    assert!(s.hits.is_empty(), "leaks:\n{}", s.hits.join("\n"));
    assert!(sent >= 130, "the sweep shrank: {sent}");
    assert_eq!(s.bodies, sent);
    assert_eq!(s.log_lines, sent, "one log line per request");
    assert!(s.headers >= 3 * sent);
    // The harness's own check runs again on drop.
}

// ---------------------------------------------------------------------------------------------
// Approval tokens
// ---------------------------------------------------------------------------------------------

fn bulk_preview(app: &TestApp) -> (Value, Value) {
    for (i, t) in ["Bulk test 1", "Bulk test 2"].iter().enumerate() {
        app.fakes
            .reclaim
            .seed_task(RK, TaskSeed::new(t).id(700 + i as i64));
    }
    let args = ctx(
        json!({"action": "delete_task", "target": {"title_hint": "Bulk test", "all_matching": true}}),
    );
    let first = app
        .request(
            "POST",
            "/mcp/tools/manage_productivity",
            &headers(),
            args.to_string(),
        )
        .json;
    assert_eq!(first["action_type"], "bulk_delete", "{first}");
    (first, args)
}

fn approve_with(
    app: &TestApp,
    tool: &str,
    hs: &[(&str, &str)],
    args: &Value,
    action_type: &Value,
    action_data: &Value,
) -> Value {
    let mut a = args.clone();
    a["approved"] = json!(true);
    a["action_type"] = action_type.clone();
    a["action_data"] = action_data.clone();
    app.request("POST", &format!("/mcp/tools/{tool}"), hs, a.to_string())
        .json
}

fn leaf_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| leaf_pointers(x, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaf_pointers(x, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

fn altered(v: &Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => json!("x"),
        Value::String(s) => {
            let mut c: Vec<char> = s.chars().collect();
            let last = c.len() - 1;
            c[last] = if c[last] == 'A' { 'B' } else { 'A' };
            json!(c.into_iter().collect::<String>())
        }
        Value::Number(n) => json!(n.as_i64().unwrap_or(0) + 1),
        Value::Bool(b) => json!(!b),
        Value::Null => json!(1),
        other => other.clone(),
    }
}

fn deletes(app: &TestApp) -> usize {
    app.fakes
        .count_matching(Provider::Reclaim, "DELETE", "/api/tasks")
}

#[test]
fn every_tampered_field_of_an_approval_is_rejected_and_executes_nothing() {
    let app = app();
    let (first, args) = bulk_preview(&app);
    let data = &first["action_data"];
    let mut ptrs = vec![];
    leaf_pointers(data, String::new(), &mut ptrs);
    assert!(ptrs.len() >= 12, "{ptrs:?}");
    let mut tried = 0;
    for p in &ptrs {
        let mut t = data.clone();
        let slot = t.pointer_mut(p).unwrap();
        *slot = altered(slot);
        let out = approve_with(
            &app,
            "manage_productivity",
            &headers(),
            &args,
            &first["action_type"],
            &t,
        );
        tried += 1;
        assert_eq!(out["success"], false, "{p}: {out}");
        assert!(
            out["error"]
                .as_str()
                .unwrap()
                .contains("nothing was executed"),
            "{p}: {out}"
        );
        // Removing the field is rejected too.
        let mut t = data.clone();
        let (parent, key) = p.rsplit_once('/').unwrap();
        if let Some(Value::Object(m)) = t.pointer_mut(parent) {
            m.remove(key);
            let out = approve_with(
                &app,
                "manage_productivity",
                &headers(),
                &args,
                &first["action_type"],
                &t,
            );
            tried += 1;
            assert_eq!(out["success"], false, "remove {p}: {out}");
        }
    }
    // Adding a field (e.g. another task to delete) is rejected.
    let mut t = data.clone();
    t["operation"]["tasks"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "999", "title": "Not previewed"}));
    let out = approve_with(
        &app,
        "manage_productivity",
        &headers(),
        &args,
        &first["action_type"],
        &t,
    );
    assert_eq!(out["success"], false, "{out}");
    assert_eq!(deletes(&app), 0, "nothing was executed");
    println!("approval tampering: {} tampered tokens rejected", tried + 1);

    // The untouched token still works once.
    let out = approve_with(
        &app,
        "manage_productivity",
        &headers(),
        &args,
        &first["action_type"],
        data,
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(deletes(&app), 2);
}

#[test]
fn expired_replayed_cross_tool_cross_type_and_cross_user_approvals_execute_nothing() {
    let mut app = app();
    let (first, args) = bulk_preview(&app);
    let (ty, data) = (&first["action_type"], &first["action_data"]);

    // Expired (15 minutes + 1 second later).
    app.set_now("2026-12-01T14:15:01Z".parse().unwrap());
    let out = approve_with(&app, "manage_productivity", &headers(), &args, ty, data);
    assert!(out["error"].as_str().unwrap().contains("expired"), "{out}");
    app.set_now("2026-12-01T14:05:00Z".parse().unwrap());

    // Another user (the other account's credentials), and a mix of both.
    let other = [
        ("X-User-Credential-RECLAIM_API_KEY", OTHER_RECLAIM_KEY),
        ("X-User-Credential-NYLAS_API_KEY", OTHER_NYLAS_KEY),
        ("X-User-Credential-NYLAS_GRANT_ID", OTHER_NYLAS_GRANT),
        ("content-type", "application/json"),
    ];
    let out = approve_with(&app, "manage_productivity", &other, &args, ty, data);
    assert!(
        out["error"].as_str().unwrap().contains("different account"),
        "{out}"
    );
    let mixed = [
        ("X-User-Credential-RECLAIM_API_KEY", RK),
        ("X-User-Credential-NYLAS_API_KEY", OTHER_NYLAS_KEY),
        ("X-User-Credential-NYLAS_GRANT_ID", OTHER_NYLAS_GRANT),
        ("content-type", "application/json"),
    ];
    let out = approve_with(&app, "manage_productivity", &mixed, &args, ty, data);
    assert_eq!(out["success"], false, "{out}");

    // Another action type.
    let out = approve_with(
        &app,
        "manage_productivity",
        &headers(),
        &args,
        &json!("bulk_complete"),
        data,
    );
    assert!(
        out["error"].as_str().unwrap().contains("action_type"),
        "{out}"
    );

    // Another tool: the REST route of each other tool and A2A tool.approve.
    for tool in [
        "find_and_analyze",
        "check_availability",
        "optimize_schedule",
    ] {
        let out = approve_with(&app, tool, &headers(), &args, ty, data);
        assert_ne!(out["success"], true, "{tool}: {out}");
    }
    let a2a = app
        .request(
            "POST",
            "/a2a/rpc",
            &headers(),
            json!({"jsonrpc": "2.0", "id": 1, "method": "tool.approve", "params": {
                "tool": "optimize_schedule", "original_arguments": args, "action_type": ty, "action_data": data}})
            .to_string(),
        )
        .json;
    assert_ne!(a2a["result"]["success"], true, "{a2a}");
    // At the verifier: the token is bound to its tool.
    let verified = juli_calendar::approval::verify(
        &juli_calendar::config::SecretString::new(APPROVAL),
        Some(data),
        "optimize_schedule",
        None,
        "any",
        "2026-12-01T14:05:00Z".parse().unwrap(),
    );
    assert!(matches!(
        verified,
        Err(juli_calendar::approval::ApprovalError::WrongTool { .. })
    ));
    assert_eq!(deletes(&app), 0, "nothing executed so far");
    assert_eq!(app.fakes.reclaim.tasks(OTHER_RECLAIM_KEY).len(), 0);

    // The right user, in time: executes once; a replay executes nothing.
    let out = approve_with(&app, "manage_productivity", &headers(), &args, ty, data);
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(deletes(&app), 2);
    let again = approve_with(&app, "manage_productivity", &headers(), &args, ty, data);
    assert_eq!(again["replayed"], true, "{again}");
    // Replay through MCP and A2A too.
    let mut mcp_args = args.clone();
    mcp_args["approved"] = json!(true);
    mcp_args["action_type"] = ty.clone();
    mcp_args["action_data"] = data.clone();
    let mcp = app
        .request(
            "POST",
            "/mcp",
            &headers(),
            json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "manage_productivity", "arguments": mcp_args}}).to_string(),
        )
        .json;
    assert_eq!(
        mcp["result"]["structuredContent"]["replayed"], true,
        "{mcp}"
    );
    assert_eq!(deletes(&app), 2, "replays execute nothing");
}

#[test]
fn tokens_never_carry_credentials_or_secrets() {
    let app = app();
    let (first, _) = bulk_preview(&app);
    let text = first["action_data"].to_string();
    for s in [RK, NK, GRANT, OPENAI, APPROVAL] {
        for f in forms(s) {
            assert!(!text.contains(&f), "token holds a form of {}", &s[..6]);
        }
    }
}

#[test]
fn the_scanner_sees_every_form_of_a_secret() {
    let text = |t: &str| forms(NK).iter().any(|f| t.contains(f.as_str()));
    assert!(text(&format!("x {NK} y")));
    assert!(text(&NK.to_uppercase()));
    assert!(text(&STANDARD.encode(NK)));
    assert!(text(
        &url::form_urlencoded::byte_serialize(NK.as_bytes()).collect::<String>()
    ));
    assert!(text(&NK[3..20]), "a 17-character slice");
    assert!(!text("nyk_…"), "the 4-character redaction is not a leak");
}
