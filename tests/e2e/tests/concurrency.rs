//! Concurrency and isolation (issue 7 item 4): many users with their own credentials hit the
//! compiled component at the same time, creating tasks and events and reading them back.
//! Afterwards every item is in the account of the user who created it, and no response holds
//! another user's data or credentials. Prints requests/s and errors (visible on stderr).

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use juli_e2e::fakes::{credential_headers, ctx};
use juli_e2e::FakeEnv;
use juli_testkit::{FakeUpstreams, Provider};
use serde_json::{json, Value};

const USERS: usize = 16;
/// Rounds of (2 task creates, 1 event create, 1 search, 1 availability check) per user.
const ROUNDS: usize = 2;

struct User {
    tag: String,
    reclaim_key: String,
    nylas_key: String,
    grant: String,
    email: String,
}

fn users() -> Vec<User> {
    (0..USERS)
        .map(|i| User {
            tag: format!("u{i:02}x"),
            reclaim_key: format!("rk_e2e_concurrent_user_{i:02}_7c1d9e"),
            nylas_key: format!("nyk_e2e_concurrent_user_{i:02}_4b2a8f"),
            grant: format!("grant-e2e-concurrent-{i:02}-0c9d"),
            email: format!("user{i:02}@tenant{i:02}.example"),
        })
        .collect()
}

struct Outcome {
    user: usize,
    body: String,
    ok: bool,
    latency: Duration,
}

/// One user's requests, in order; returns every reply.
fn run_user(env: &FakeEnv, index: usize, u: &User) -> Vec<Outcome> {
    let headers = credential_headers(&u.reclaim_key, &u.nylas_key, &u.grant);
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut out = Vec::new();
    let mut call = |tool: &str, args: Value, check: &dyn Fn(&Value) -> bool| {
        let started = Instant::now();
        let reply = env.call_tool_with(tool, &h, ctx(args));
        let latency = started.elapsed();
        let v: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        out.push(Outcome {
            user: index,
            ok: reply.status == 200 && check(&v),
            body: reply.text(),
            latency,
        });
    };
    for round in 0..ROUNDS {
        for subject in ["budget review", "travel booking"] {
            call(
                "manage_productivity",
                json!({"action": "create_task", "title": format!("{} {subject} r{round}", u.tag), "duration_minutes": 30}),
                &|v| v["success"] == true && v["action"] == "created",
            );
        }
        call(
            "manage_productivity",
            json!({"action": "create_event", "title": format!("{} dentist r{round}", u.tag),
                "start": format!("2026-12-0{}T{}:00", 2 + round, 10 + index % 6), "duration_minutes": 30}),
            &|v| v["success"] == true && v["action"] == "created",
        );
        call(
            "find_and_analyze",
            json!({"keywords": [u.tag.clone()], "scope": "both"}),
            &|v| v["success"] == true,
        );
        call(
            "check_availability",
            json!({"start": format!("2026-12-0{}T{}:00", 2 + round, 10 + index % 6), "duration_minutes": 30}),
            &|v| v["success"] == true && v["available"] == false,
        );
    }
    // The final search sees exactly this user's items.
    let n_tasks = 2 * ROUNDS;
    let tag = u.tag.clone();
    call(
        "find_and_analyze",
        json!({"keywords": [u.tag.clone()], "scope": "both"}),
        &move |v| {
            let tasks = v["data"]["tasks"].as_array().map(Vec::len);
            let events = v["data"]["events"].as_array().map(Vec::len);
            let all_mine = v["data"]["tasks"]
                .as_array()
                .into_iter()
                .chain(v["data"]["events"].as_array())
                .flatten()
                .all(|x| x["title"].as_str().is_some_and(|t| t.starts_with(&tag)));
            tasks == Some(n_tasks) && events == Some(ROUNDS) && all_mine
        },
    );
    out
}

#[test]
fn many_users_at_once_each_see_only_their_own_items() {
    let users = users();
    let fakes = Arc::new(FakeUpstreams::new());
    for u in &users {
        fakes.add_user(&u.reclaim_key, &u.nylas_key, &u.grant, &u.email, &u.tag);
    }
    let env = FakeEnv::start_with(fakes, |config| config.worker_threads = 4).expect("env");
    for u in &users {
        for s in [&u.reclaim_key, &u.nylas_key, &u.grant] {
            env.add_secret(s);
        }
    }

    let started = Instant::now();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = users
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let env = &env;
                scope.spawn(move || run_user(env, i, u))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("user thread"))
            .collect()
    });
    let elapsed = started.elapsed();

    let errors: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok).collect();
    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let _ = writeln!(
        std::io::stderr(),
        "concurrency: {USERS} users x {} requests = {} requests in {:.2} s: {:.0} requests/s, \
         {} errors, latency p50 {:.1} ms p99 {:.1} ms ({} upstream calls)",
        outcomes.len() / USERS,
        outcomes.len(),
        elapsed.as_secs_f64(),
        outcomes.len() as f64 / elapsed.as_secs_f64(),
        errors.len(),
        p(0.5).as_secs_f64() * 1000.0,
        p(0.99).as_secs_f64() * 1000.0,
        env.fakes.requests().len(),
    );
    assert!(
        errors.is_empty(),
        "{} failed requests, e.g. user {}: {}",
        errors.len(),
        errors[0].user,
        errors[0].body
    );

    // No response holds another user's data or credentials.
    for o in &outcomes {
        for (j, other) in users.iter().enumerate() {
            if j == o.user {
                continue;
            }
            for needle in [
                &other.tag,
                &other.email,
                &other.reclaim_key,
                &other.nylas_key,
                &other.grant,
            ] {
                assert!(
                    !o.body.contains(needle.as_str()),
                    "user {}'s response holds user {j}'s {needle}: {}",
                    o.user,
                    o.body
                );
            }
        }
    }

    // Every item is in the account of the user who created it.
    for u in &users {
        let tasks = env.fakes.reclaim.tasks(&u.reclaim_key);
        assert_eq!(tasks.len(), 2 * ROUNDS, "{}: {tasks:?}", u.tag);
        let events = env.fakes.nylas.events(&u.grant);
        assert_eq!(events.len(), ROUNDS, "{}: {events:?}", u.tag);
        for title in tasks
            .iter()
            .chain(events.iter())
            .map(|x| x["title"].as_str().unwrap_or_default())
        {
            assert!(title.starts_with(&u.tag), "{} holds {title}", u.tag);
        }
    }
    // Every upstream write carried the creating user's own key.
    for r in env.fakes.requests() {
        if r.method == "POST" && r.provider != Provider::OpenAi {
            let title = r.body["title"].as_str().unwrap_or_default();
            let owner = users
                .iter()
                .find(|u| title.starts_with(&u.tag))
                .unwrap_or_else(|| panic!("unexpected write {} {}", r.method, r.path));
            let expected = match r.provider {
                Provider::Reclaim => &owner.reclaim_key,
                _ => &owner.nylas_key,
            };
            assert_eq!(r.bearer.as_deref(), Some(expected.as_str()), "{}", r.path);
            if r.provider == Provider::Nylas {
                assert!(r.path.contains(&owner.grant), "{}", r.path);
            }
        }
    }
    assert_eq!(
        env.fakes.count(Provider::OpenAi),
        0,
        "structured calls only"
    );
}
