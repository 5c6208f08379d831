//! The e2e host itself, checked with the probe component (`tests/e2e/probe`): outbound HTTP
//! through the allow-list, Spin variables and key-value, Spin headers, captured stderr, traps.

use std::time::Duration;

use juli_e2e::{guest, E2eHost, HostConfig, StubUpstream};

fn probe_host(allowed: Vec<String>, vars: &[(&str, &str)]) -> E2eHost {
    E2eHost::start(HostConfig {
        wasm_path: guest::probe_wasm().expect("the probe wasm"),
        variables: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        allowed_outbound: allowed,
        request_timeout: Duration::from_secs(5),
        ..HostConfig::default()
    })
    .expect("host starts")
}

fn pong() -> StubUpstream {
    StubUpstream::start(|req| (200, format!("{{\"pong\":\"{}\"}}", req.target))).unwrap()
}

#[test]
fn outbound_to_an_allowed_origin_reaches_it() {
    let stub = pong();
    let host = probe_host(vec![stub.url().to_string()], &[]);
    let reply = host.request(
        "POST",
        "/fetch",
        &[],
        format!("{}/api/tasks?x=1", stub.url()).as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["status"], 200);
    assert_eq!(body["body"], "{\"pong\":\"/api/tasks?x=1\"}");
    let seen = stub.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(
        seen[0].header("host"),
        Some(stub.url().trim_start_matches("http://"))
    );
    host.assert_clean();
}

#[test]
fn outbound_elsewhere_is_denied_like_spin_and_recorded() {
    let allowed = pong();
    let other = pong();
    let host = probe_host(vec![allowed.url().to_string()], &[]);
    let reply = host.request(
        "POST",
        "/fetch",
        &[],
        format!("{}/v3/grants/g/events?secret=1", other.url()).as_bytes(),
    );
    assert_eq!(reply.status, 502, "{}", reply.text());
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("HttpRequestDenied"),
        "{}",
        reply.text()
    );
    assert!(
        other.requests().is_empty(),
        "a denied request never leaves the host"
    );
    let denied = host.denied_requests();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].method, "GET");
    assert_eq!(denied[0].origin, other.url());
    assert_eq!(denied[0].path, "/v3/grants/g/events");

    // https to the same host:port is another origin.
    let https = other.url().replace("http://", "https://");
    host.request("POST", "/fetch", &[], format!("{https}/x").as_bytes());
    assert_eq!(host.denied_requests().len(), 2);
    assert!(host.traps().is_empty());
}

#[test]
fn variables_come_from_the_map() {
    let host = probe_host(vec![], &[("openai_api_key", "sk-probe")]);
    assert_eq!(host.get("/var/openai_api_key").json(), "sk-probe");
    let unknown = host.get("/var/reclaim_base_url");
    assert_eq!(unknown.status, 404);
    assert!(unknown.text().contains("Undefined"), "{}", unknown.text());
    assert!(host.get("/var/Not-Valid").text().contains("InvalidName"));
    host.assert_clean();
}

#[test]
fn key_value_default_store_is_shared_across_requests() {
    let host = probe_host(vec![], &[]);
    assert_eq!(host.get("/kv/token").status, 404);
    assert_eq!(host.request("PUT", "/kv/token", &[], b"used").status, 204);
    assert_eq!(host.get("/kv/token").json(), "used");
    assert_eq!(host.kv_get("token").as_deref(), Some(&b"used"[..]));
    host.kv_set("seeded", b"by the test");
    assert_eq!(host.get("/kv/seeded").json(), "by the test");
    assert_eq!(host.get("/kv-open/default").status, 200);
    let other = host.get("/kv-open/other");
    assert_eq!(other.status, 404);
    assert!(other.text().contains("NoSuchStore"), "{}", other.text());
    host.assert_clean();
}

#[test]
fn spin_request_headers_are_set_and_not_spoofable() {
    let host = probe_host(vec![], &[]);
    let reply = host.request(
        "GET",
        "/headers?q=1",
        &[("spin-path-info", "/spoofed")],
        b"",
    );
    let h = reply.json();
    assert_eq!(
        h["spin-full-url"],
        format!("{}/headers?q=1", host.base_url())
    );
    assert_eq!(h["spin-path-info"], "/headers");
    assert_eq!(h["spin-matched-route"], "/...");
    assert_eq!(h["spin-raw-component-route"], "/...");
    assert_eq!(h["spin-component-route"], "");
    assert_eq!(h["spin-base-path"], "/");
    assert!(h["spin-client-addr"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    host.assert_clean();
}

#[test]
fn guest_stderr_is_captured_line_by_line() {
    let host = probe_host(vec![], &[]);
    host.get("/log");
    host.get("/log");
    assert_eq!(host.log_lines(), vec!["{\"probe\":\"log line\"}"; 2]);
    assert_eq!(host.log_json()[1]["probe"], "log line");
    host.clear_records();
    assert!(host.log_lines().is_empty());
    host.assert_clean();
}

#[test]
fn a_guest_panic_is_a_500_and_a_recorded_trap() {
    let host = probe_host(vec![], &[]);
    let reply = host.get("/panic");
    assert_eq!(reply.status, 500);
    assert_eq!(reply.json()["error"], "the component trapped");
    let traps = host.traps();
    assert_eq!(traps.len(), 1, "{traps:#?}");
    assert!(
        host.log_lines()
            .iter()
            .any(|l| l.contains("probe panic on purpose")),
        "{:?}",
        host.log_lines()
    );
    // The next request gets a fresh instance.
    assert_eq!(host.get("/log").status, 200);
    assert_eq!(host.traps().len(), 1);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| host.assert_clean()));
    assert!(result.is_err(), "assert_clean must fail after a trap");
}

#[test]
fn a_guest_that_never_ends_is_interrupted_and_recorded() {
    let host = E2eHost::start(HostConfig {
        wasm_path: guest::probe_wasm().unwrap(),
        request_timeout: Duration::from_millis(500),
        ..HostConfig::default()
    })
    .unwrap();
    let started = std::time::Instant::now();
    let reply = host.get("/spin-forever");
    assert_eq!(reply.status, 500);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(host.traps().len(), 1, "{:#?}", host.traps());
}
