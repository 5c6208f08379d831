//! The live suite: the real Reclaim, Nylas and OpenAI APIs, driven through `juli_calendar::handle`
//! in-process with a real HTTPS client. Opt-in: it needs `.env.test` at the repository root (see
//! `.env.test.example`) and skips cleanly without it. It creates items with a unique title and
//! deletes them again; use test accounts.

use std::collections::HashMap;
use std::sync::Mutex;

use juli_calendar::ports::{Clock, Context, HttpRequest, HttpResponse, KeyValue, LocalBoxFuture, LogSink, Outbound, Random, TransportError};
use serde_json::{json, Value};

struct Env(HashMap<String, String>);

fn load_env() -> Option<Env> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.env.test");
    let text = std::fs::read_to_string(path).ok()?;
    let map: HashMap<String, String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect();
    let needed = ["OPENAI_API_KEY", "RECLAIM_API_KEY", "NYLAS_API_KEY", "NYLAS_GRANT_ID"];
    if needed.iter().any(|k| map.get(*k).is_none_or(|v| v.is_empty() || v.ends_with("..."))) {
        eprintln!("SKIP live suite: .env.test lacks one of {needed:?}");
        return None;
    }
    Some(Env(map))
}

struct RealOutbound(ureq::Agent);

impl Outbound for RealOutbound {
    fn send(&self, request: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        let result = self.0.run(request).map_err(|e| TransportError::Other(e.to_string())).and_then(|resp| {
            let (parts, mut body) = resp.into_parts();
            let bytes = body.read_to_vec().map_err(|e| TransportError::Other(e.to_string()))?;
            Ok(http::Response::from_parts(parts, bytes))
        });
        Box::pin(async move { result })
    }
}

struct SystemClock;
impl Clock for SystemClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
    fn sleep(&self, d: std::time::Duration) {
        std::thread::sleep(d);
    }
}

struct TimeRandom;
impl Random for TimeRandom {
    fn fill(&self, buf: &mut [u8]) {
        let mut x = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64 | 1;
        for b in buf.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
    }
}

use juli_calendar::ports::MemoryStore as Store;

struct Log(Mutex<Vec<String>>);
impl LogSink for Log {
    fn line(&self, line: &str) {
        self.0.lock().unwrap().push(line.to_string());
    }
}

struct Live {
    env: Env,
    config: HashMap<String, String>,
    outbound: RealOutbound,
    store: Store,
    log: Log,
}

impl Live {
    fn new(env: Env) -> Live {
        let mut config = HashMap::new();
        config.insert("openai_api_key".to_string(), env.0["OPENAI_API_KEY"].clone());
        config.insert("approval_secret".to_string(), "live-suite-approval-secret-0123456789".to_string());
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
        Live { env, config, outbound: RealOutbound(agent), store: Store::default(), log: Log(Mutex::new(vec![])) }
    }

    fn tz(&self) -> String {
        self.env.0.get("TEST_USER_TIMEZONE").cloned().unwrap_or_else(|| "America/New_York".into())
    }

    fn call(&self, path: &str, body: Value) -> (u16, Value) {
        let e = &self.env.0;
        let request = http::Request::builder()
            .method("POST")
            .uri(format!("http://localhost{path}"))
            .header("content-type", "application/json")
            .header("X-User-Credential-RECLAIM_API_KEY", &e["RECLAIM_API_KEY"])
            .header("X-User-Credential-NYLAS_API_KEY", &e["NYLAS_API_KEY"])
            .header("X-User-Credential-NYLAS_GRANT_ID", &e["NYLAS_GRANT_ID"])
            .body(body.to_string().into_bytes())
            .unwrap();
        let ctx = Context { outbound: &self.outbound, config: &self.config, store: Some(&self.store), clock: &SystemClock, random: &TimeRandom, log: &self.log };
        let response = futures::executor::block_on(juli_calendar::handle(request, ctx));
        let text = String::from_utf8_lossy(response.body()).to_string();
        for secret in [&e["RECLAIM_API_KEY"], &e["NYLAS_API_KEY"], &e["OPENAI_API_KEY"]] {
            assert!(!text.contains(secret.as_str()), "a credential leaked into a response");
        }
        (response.status().as_u16(), serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn tool(&self, name: &str, mut args: Value) -> Value {
        args["user_timezone"] = json!(self.tz());
        let (status, body) = self.call(&format!("/mcp/tools/{name}"), args);
        assert_eq!(status, 200, "{body}");
        body
    }
}

#[test]
fn live_suite() {
    let Some(env) = load_env() else { return };
    let live = Live::new(env);
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();

    let (status, v) = live.call("/auth/validate-credentials", json!({}));
    assert_eq!(status, 200);
    assert_eq!(v["valid"], true, "credentials: {v}");

    // A task through the language model, then deleted by id.
    let title = format!("juli live test {stamp}");
    let created = live.tool("manage_productivity", json!({"query": format!("Create a task called '{title}' due tomorrow, 30 minutes, low priority")}));
    assert_eq!(created["success"], true, "{created}");
    let id = created["data"]["id"].as_str().unwrap().to_string();
    let deleted = live.tool("manage_productivity", json!({"action": "delete_task", "item_id": id}));
    assert_eq!(deleted["success"], true, "{deleted}");

    // A solo event three days ahead at 06:10 (unlikely to conflict), then cancelled by id.
    let day = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let event = live.tool("manage_productivity", json!({"action": "create_event", "title": format!("juli live event {stamp}"), "start": format!("{day}T06:10"), "duration_minutes": 15}));
    assert_eq!(event["success"], true, "{event}");
    let event_id = event["data"]["id"].as_str().unwrap().to_string();
    let cancelled = live.tool("manage_productivity", json!({"action": "cancel_event", "item_id": event_id}));
    assert_eq!(cancelled["success"], true, "{cancelled}");

    // Reads through the language model.
    let found = live.tool("find_and_analyze", json!({"query": "what's on my calendar this week?"}));
    assert_eq!(found["success"], true, "{found}");
    let free = live.tool("check_availability", json!({"query": "find 30 minutes tomorrow afternoon"}));
    assert!(free.get("slots").is_some() || free["success"] == false, "{free}");
    eprintln!("live suite passed; {} log lines", live.log.0.lock().unwrap().len());
}
