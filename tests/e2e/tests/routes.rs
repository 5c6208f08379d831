//! The Juli HTTP API of the real compiled component, through real HTTP on loopback.
//! Every test ends with `assert_clean()`: no trap, no call outside the allow-list.

use std::collections::HashMap;

use juli_e2e::{guest, E2eHost, HostConfig};
use serde_json::Value;

fn host_with(vars: &[(&str, &str)]) -> E2eHost {
    let wasm = guest::component_wasm().expect("the release component wasm");
    E2eHost::start(HostConfig {
        wasm_path: wasm,
        variables: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
        ..HostConfig::default()
    })
    .expect("host starts")
}

fn host() -> E2eHost {
    host_with(&[])
}

#[test]
fn health_reports_version_and_model_not_configured() {
    let host = host();
    let reply = host.get("/health");
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    let body = reply.json();
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["version"], "0.1.0");
    assert_eq!(body["model_configured"], false);
    host.assert_clean();
}

#[test]
fn variables_reach_the_component() {
    let host = host_with(&[("openai_api_key", "sk-e2e"), ("openai_model", "gpt-e2e")]);
    let body = host.get("/health").json();
    assert_eq!(body["model_configured"], true);
    assert_eq!(body["model"], "gpt-e2e");
    assert!(
        !body.to_string().contains("sk-e2e"),
        "the key is never echoed"
    );
    host.assert_clean();
}

#[test]
fn tool_listing_has_the_four_tools_in_order() {
    let host = host();
    let reply = host.get("/mcp/tools");
    assert_eq!(reply.status, 200);
    let names: Vec<String> = reply.json()["tools"]
        .as_array()
        .expect("tools array")
        .iter()
        .map(|t| {
            assert!(t["inputSchema"].is_object(), "{t}");
            assert!(t["description"].as_str().is_some_and(|d| !d.is_empty()));
            t["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "manage_productivity",
            "find_and_analyze",
            "check_availability",
            "optimize_schedule"
        ]
    );
    host.assert_clean();
}

#[test]
fn unknown_tool_is_a_json_404() {
    let host = host();
    let reply = host.post_json("/mcp/tools/unknown", "{}", &[]);
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["error"], "Tool 'unknown' not found");
    host.assert_clean();
}

#[test]
fn invalid_json_is_a_400() {
    let host = host();
    let reply = host.post_json("/mcp/tools/manage_productivity", "{not json", &[]);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"], "Invalid JSON in request body");
    host.assert_clean();
}

#[test]
fn one_mebibyte_body_is_a_413() {
    let host = host();
    // Refused from the declared length, before the body is sent (sending it would race the
    // server closing the connection).
    let reply = juli_e2e::client::send_head_only(
        host.addr(),
        "POST",
        "/mcp/tools/manage_productivity",
        &[("content-type", "application/json")],
        1 << 20,
    )
    .expect("an answer to the head of a 1 MiB POST");
    assert_eq!(reply.status, 413);
    assert!(reply.json()["error"]
        .as_str()
        .unwrap()
        .contains("too large"));
    host.assert_clean();
}

#[test]
fn get_on_a_post_route_is_a_405_with_allow() {
    let host = host();
    let reply = host.get("/mcp/tools/manage_productivity");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("POST"));
    reply.json();
    let reply = host.get("/debug/headers");
    assert_eq!(reply.status, 405);
    host.assert_clean();
}

#[test]
fn unknown_route_is_a_json_404() {
    let host = host();
    let reply = host.get("/no/such/route");
    assert_eq!(reply.status, 404);
    assert!(reply.json()["error"].is_string());
    host.assert_clean();
}

#[test]
fn needs_setup_reads_underscore_and_hyphen_spellings() {
    let host = host();
    let none = host.get("/mcp/needs-setup").json();
    assert_eq!(none["needs_setup"], true);
    assert_eq!(
        none["missing"],
        serde_json::json!(["RECLAIM_API_KEY", "NYLAS_API_KEY", "NYLAS_GRANT_ID"])
    );

    let underscore = host
        .request(
            "GET",
            "/mcp/needs-setup",
            &[("X-User-Credential-RECLAIM_API_KEY", "reclaim-secret-value")],
            b"",
        )
        .json();
    assert_eq!(underscore["connected"]["reclaim"], true);
    assert_eq!(underscore["connected"]["nylas"], false);
    assert_eq!(
        underscore["missing"],
        serde_json::json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
    );

    let hyphen = host.request(
        "GET",
        "/mcp/needs-setup",
        &[
            ("x-user-credential-reclaim-api-key", "reclaim-secret-value"),
            ("x-user-credential-nylas-api-key", "nylas-secret-value"),
            ("x-user-credential-nylas-grant-id", "grant-secret-value"),
        ],
        b"",
    );
    let body = hyphen.json();
    assert_eq!(body["needs_setup"], false);
    assert_eq!(body["missing"], serde_json::json!([]));
    assert_eq!(
        body["connected"],
        serde_json::json!({"reclaim": true, "nylas": true})
    );
    assert!(!hyphen.text().contains("secret-value"));
    host.assert_clean();
}

#[test]
fn debug_headers_is_404_by_default() {
    let host = host();
    let reply = host.post_json(
        "/debug/headers",
        "{}",
        &[("X-User-Credential-RECLAIM_API_KEY", "reclaim-secret-value")],
    );
    assert_eq!(reply.status, 404);
    assert!(!reply.text().contains("secret"));
    host.assert_clean();
}

#[test]
fn debug_headers_redacts_when_enabled_and_sees_spin_headers() {
    let host = host_with(&[("debug_endpoints", "true")]);
    let reply = host.post_json(
        "/debug/headers",
        "{}",
        &[
            ("X-User-Credential-RECLAIM_API_KEY", "reclaim-secret-value"),
            ("x-nylas-key", "nylas-secret-value"),
        ],
    );
    assert_eq!(reply.status, 200);
    assert!(!reply.text().contains("secret-value"), "{}", reply.text());
    let body = reply.json();
    let found = body["credentials_found"].as_object().unwrap();
    let values: Vec<&str> = found
        .values()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 2, "{body}");
    assert!(values.contains(&"recl…"), "{values:?}");
    assert!(values.contains(&"nyla…"), "{values:?}");
    assert_eq!(body["connected"]["reclaim"], true);
    // The host adds Spin's request headers, as `spin up` does.
    let names: Vec<&str> = body["header_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for spin in [
        "spin-full-url",
        "spin-path-info",
        "spin-matched-route",
        "spin-client-addr",
    ] {
        assert!(names.contains(&spin), "{spin} missing from {names:?}");
    }
    host.assert_clean();
}

#[test]
fn every_request_writes_one_json_log_line_without_secrets() {
    let host = host_with(&[("openai_api_key", "sk-never-logged")]);
    host.request(
        "GET",
        "/health",
        &[("X-Platform-Request-ID", "juli-req-42")],
        b"",
    );
    host.post_json(
        "/mcp/tools/unknown",
        "{}",
        &[("X-User-Credential-RECLAIM_API_KEY", "reclaim-secret-value")],
    );
    host.get("/nowhere");
    let lines = host.log_json();
    assert_eq!(lines.len(), 3, "{:#?}", host.log_lines());
    assert_eq!(lines[0]["request_id"], "juli-req-42");
    assert_eq!(lines[0]["route"], "/health");
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[1]["route"], "/mcp/tools/{name}");
    assert_eq!(lines[1]["status"], 404);
    assert_eq!(lines[2]["status"], 404);
    for line in &lines {
        assert!(line["duration_ms"].is_number());
        assert_eq!(line["upstream_calls"]["other"], 0);
    }
    let all = host.log_lines().join("\n");
    assert!(!all.contains("sk-never-logged") && !all.contains("secret-value"));
    host.assert_clean();
}

#[test]
fn requests_get_fresh_instances_and_run_concurrently() {
    let host = host();
    let base = host.base_url();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| {
                        juli_e2e::client::send("GET", &format!("{base}/mcp/tools"), &[], b"")
                            .unwrap()
                            .status
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap().iter().all(|s| *s == 200));
    }
    assert_eq!(host.instantiation_times().len(), 40);
    assert_eq!(host.log_lines().len(), 40);
    let first: Value = host.log_json()[0].clone();
    assert_eq!(first["route"], "/mcp/tools");
    host.assert_clean();
}

#[test]
fn component_imports_only_wasi_and_the_two_spin_interfaces() {
    let host = host();
    let imports = &host.startup().imports;
    assert!(imports.contains(&"fermyon:spin/variables@2.0.0".to_string()));
    // Approval claims and the model budget need the atomic operations.
    assert!(imports.contains(&"wasi:keyvalue/atomics@0.2.0-draft2".to_string()));
    for import in imports {
        assert!(
            import.starts_with("wasi:")
                || import == "fermyon:spin/variables@2.0.0"
                || import == "fermyon:spin/key-value@2.0.0",
            "unexpected import {import}: the e2e host (and the manifest) must learn about it"
        );
    }
}

/// The wiring the upstream fakes use: base URLs in, variables and allow-list out.
/// (`juli-testkit`'s server drops in here in place of the stub.)
#[test]
fn upstream_wiring_configures_the_component() {
    let stub = juli_e2e::StubUpstream::start(|_| (500, "{}".into())).unwrap();
    let urls = juli_e2e::UpstreamUrls::single_server(stub.url());
    let config =
        juli_e2e::config_for_upstreams(guest::component_wasm().unwrap(), &urls, &[]).unwrap();
    assert_eq!(config.allowed_outbound, vec![stub.url().to_string()]);
    let host = E2eHost::start(config).unwrap();
    let body = host.get("/health").json();
    assert_eq!(body["model_configured"], true);
    assert_eq!(body["approval_secret_configured"], true);
    assert!(stub.requests().is_empty(), "/health calls no upstream");
    host.assert_clean();
}
