//! The official MCP TypeScript SDK client (`tests/mcp-client`, `@modelcontextprotocol/sdk`
//! 1.32.x with `StreamableHTTPClientTransport`) against the compiled component in the e2e host,
//! over the fakes: initialize, tools/list with annotations, a call of each tool and of the explicit
//! tools (structured results the SDK validates against each outputSchema), an error
//! result, the approval round trip (and its replay), a wrong Origin → 403.
//!
//! Needs `node` and `tests/mcp-client/node_modules` (`npm ci --prefix tests/mcp-client`, which
//! `.ci/run` does). Without them the test prints a SKIP line and passes, so `cargo test
//! --workspace` works on a machine without Node.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use juli_e2e::fakes::{CURRENT_DATE, CURRENT_TIME, TZ};
use juli_e2e::model_outputs::manage_model;
use juli_e2e::{guest, FakeEnv};
use juli_testkit::defaults::{NYLAS_GRANT, NYLAS_KEY, RECLAIM_KEY};
use juli_testkit::{FakeUpstreams, Provider, TaskSeed};
use serde_json::json;

fn client_dir() -> PathBuf {
    guest::workspace_root().join("tests/mcp-client")
}

/// Why the Node client cannot run here, if it cannot.
fn skip_reason() -> Option<String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => return Some("`node` is not installed".into()),
    }
    let sdk = client_dir().join("node_modules/@modelcontextprotocol/sdk/package.json");
    if !sdk.exists() {
        return Some(format!(
            "{} is missing (run `npm ci --prefix tests/mcp-client`)",
            sdk.display()
        ));
    }
    None
}

#[test]
fn official_mcp_sdk_client_passes_against_the_component() {
    if let Some(reason) = skip_reason() {
        // Straight to stderr (not `eprintln!`), so the line shows without `--nocapture`.
        let _ = writeln!(
            std::io::stderr(),
            "SKIP official_mcp_sdk_client_passes_against_the_component: {reason}"
        );
        return;
    }
    let fakes = Arc::new(FakeUpstreams::new().with_default_user());
    fakes.reclaim.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Prepare Q4 budget deck")
            .id(101)
            .due("2026-12-04T22:00:00Z")
            .priority("P2"),
    );
    // The one natural-language call of the JS test.
    fakes.openai.push_output(manage_model(json!({
        "action": "create_task", "title": "Review the Q4 budget", "due": "Friday",
        "duration": "about 2 hours", "priority": "P2"
    })));
    let env = FakeEnv::start_with(fakes, |_| {}).expect("e2e environment");

    let output = Command::new("node")
        .args(["--test", "--test-reporter=tap", "mcp_client_test.mjs"])
        .current_dir(client_dir())
        .env("JULI_URL", env.base_url())
        .env("RECLAIM_API_KEY", RECLAIM_KEY)
        .env("NYLAS_API_KEY", NYLAS_KEY)
        .env("NYLAS_GRANT_ID", NYLAS_GRANT)
        .env("TEST_USER_TIMEZONE", TZ)
        .env("TEST_CURRENT_DATE", CURRENT_DATE)
        .env("TEST_CURRENT_TIME", CURRENT_TIME)
        .env("JULI_EXPECT_FIND_TITLE", "Prepare Q4 budget deck")
        .env_remove("JULI_EXTRA_HEADERS")
        .env_remove("NODE_OPTIONS")
        .output()
        .expect("running node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "node --test failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let summary = |name: &str| -> usize {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("# {name} ")))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no '# {name}' line in the TAP output:\n{stdout}"))
    };
    assert_eq!(summary("fail"), 0);
    assert_eq!(summary("skipped"), 0, "every JS test ran:\n{stdout}");
    assert!(summary("pass") >= 18, "{stdout}");

    // What the client did really reached the fakes, once.
    assert_eq!(
        env.fakes.openai.remaining(),
        0,
        "the scripted model answer was used"
    );
    assert_eq!(
        env.fakes.count(Provider::OpenAi),
        1,
        "one model call in the whole run"
    );
    let titles: Vec<String> = env
        .fakes
        .reclaim
        .tasks(RECLAIM_KEY)
        .iter()
        .map(|t| t["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(titles.contains(&"MCP check task".to_string()), "{titles:?}");
    assert!(
        titles.contains(&"MCP explicit task".to_string()),
        "the explicit create_task reached Reclaim: {titles:?}"
    );
    assert!(
        titles.contains(&"Review the Q4 budget".to_string()),
        "{titles:?}"
    );
    let syncs: Vec<_> = env
        .fakes
        .nylas
        .events(NYLAS_GRANT)
        .into_iter()
        .filter(|e| e["title"] == "Sync")
        .collect();
    assert_eq!(syncs.len(), 1, "the approved event exists once: {syncs:?}");
    assert_eq!(syncs[0]["participants"][0]["email"], "ana@example.com");
}
