//! Issue 15 item 4 through the compiled component: 20 concurrent approvals of one token, each
//! in its own instance, claim it with `wasi:keyvalue/atomics` compare-and-swap on the host's
//! shared store. Exactly one executes; the 19 others answer the first result as a replay.

use std::sync::Arc;

use juli_e2e::fakes::ctx;
use juli_e2e::FakeEnv;
use juli_testkit::{defaults, FakeUpstreams, Provider, TaskSeed};
use serde_json::{json, Value};

const APPROVALS: usize = 20;

#[test]
fn twenty_concurrent_approvals_of_one_token_execute_exactly_once() {
    let fakes = Arc::new(FakeUpstreams::new().with_default_user());
    let env = FakeEnv::start_with(fakes, |config| config.worker_threads = 4).expect("env");
    for i in 0..3 {
        env.fakes.reclaim.seed_task(
            defaults::RECLAIM_KEY,
            TaskSeed::new(&format!("Bulk race task {i}")).id(500 + i),
        );
    }
    let args = ctx(json!({"action": "complete_task",
                          "target": {"title_hint": "Bulk race", "all_matching": true}}));
    let first: Value = env.call_tool("manage_productivity", args.clone()).json();
    assert_eq!(first["needs_approval"], true, "{first}");
    let mut approval = args;
    approval["approved"] = json!(true);
    approval["action_type"] = first["action_type"].clone();
    approval["action_data"] = first["action_data"].clone();

    let writes_before = env.fakes.count(Provider::Reclaim);
    let barrier = std::sync::Barrier::new(APPROVALS);
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..APPROVALS)
            .map(|_| {
                let (env, barrier, approval) = (&env, &barrier, &approval);
                scope.spawn(move || {
                    barrier.wait();
                    env.call_tool("manage_productivity", approval.clone())
                        .json()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    assert_eq!(
        env.fakes.count(Provider::Reclaim) - writes_before,
        3,
        "one execution: three task completions"
    );
    let (executed, replays): (Vec<&Value>, Vec<&Value>) =
        answers.iter().partition(|v| v.get("replayed").is_none());
    assert_eq!(executed.len(), 1, "{executed:?}");
    assert_eq!(executed[0]["success"], true, "{}", executed[0]);
    assert_eq!(replays.len(), APPROVALS - 1);
    for r in replays {
        assert_eq!(r["replayed"], true, "{r}");
        assert_eq!(r["data"], executed[0]["data"]);
    }
    eprintln!(
        "approval race (compiled component): {APPROVALS} concurrent approvals, 1 executed, {} replayed",
        APPROVALS - 1
    );
}
