//! The scenario table of `juli-bench`: each scenario once per run against fresh fakes with
//! simulated upstream latency (OpenAI 800 ms, Reclaim 150 ms, Nylas 150 ms), its upstream call
//! counts, and its end-to-end latency next to the critical-path minimum (one OpenAI round trip
//! plus the upstream round trips that must happen one after the other).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use juli_testkit::{EventSeed, FakeUpstreams, Provider, TaskSeed};
use serde_json::{json, Value};

use crate::fakes::{ctx, FakeEnv};
use crate::model_outputs::{availability_model, find_model, manage_model};

pub const OPENAI_LATENCY: Duration = Duration::from_millis(800);
pub const RECLAIM_LATENCY: Duration = Duration::from_millis(150);
pub const NYLAS_LATENCY: Duration = Duration::from_millis(150);

/// One benchmarked request.
struct Scenario {
    name: &'static str,
    tool: &'static str,
    /// Seeds the fakes (default user present) and scripts the model.
    seed: fn(&FakeUpstreams),
    args: Value,
    /// Times the approval of the first answer's `needs_approval` instead of the first call.
    approve: bool,
    /// What the answer must be (the bench fails otherwise).
    expect: fn(&Value) -> bool,
    /// The critical path: OpenAI round trips and sequential upstream round trips.
    critical: (&'static str, u32, u32, u32),
}

fn success(v: &Value) -> bool {
    v["success"] == true
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "vertical slice: create task (NL)",
            tool: "manage_productivity",
            seed: |f| {
                f.openai
                    .push_output(manage_model(json!({"action": "create_task",
                    "title": "Review the Q4 budget", "due": "Friday", "duration": "about 2 hours",
                    "priority": "P2"})))
            },
            args: json!({"query": "Create a task to review the Q4 budget by Friday, about 2 hours, high priority"}),
            approve: false,
            expect: |v| success(v) && v["action"] == "created",
            critical: ("OpenAI → Reclaim list → Reclaim create", 1, 2, 0),
        },
        Scenario {
            name: "event create, no conflict (NL)",
            tool: "manage_productivity",
            seed: |f| {
                f.openai.push_output(manage_model(
                    json!({"action": "create_event", "title": "Dentist", "start": "tomorrow at 3pm"}),
                ))
            },
            args: json!({"query": "dentist tomorrow at 3pm"}),
            approve: false,
            expect: |v| success(v) && v["action"] == "created",
            critical: ("OpenAI → Nylas window query → Nylas create", 1, 0, 2),
        },
        Scenario {
            name: "event create with conflict, solo (NL)",
            tool: "manage_productivity",
            seed: |f| {
                f.nylas.seed_event(
                    NYLAS_GRANT,
                    EventSeed::new("Board meeting")
                        .id("ev-b")
                        .at("2026-12-02T19:00:00Z", 120),
                );
                f.openai
                    .push_output(manage_model(json!({"action": "create_event",
                    "title": "Write proposal", "start": "tomorrow at 3pm", "duration": "1 hour"})))
            },
            args: json!({"query": "write proposal tomorrow at 3pm for an hour"}),
            approve: false,
            expect: |v| success(v) && v["rescheduled_due_to_conflict"] == true,
            critical: ("OpenAI → Nylas window query → Nylas create", 1, 0, 2),
        },
        Scenario {
            name: "reschedule by reference (NL)",
            tool: "manage_productivity",
            seed: |f| {
                f.nylas.seed_event(
                    NYLAS_GRANT,
                    EventSeed::new("Project sync")
                        .id("ev-r")
                        .at("2026-12-02T19:00:00Z", 45)
                        .timezone("America/New_York"),
                );
                f.openai.push_output(manage_model(json!({"action": "update_event",
                    "target": {"title_hint": "project sync", "time_hint": null, "all_matching": false},
                    "start": "4pm"})))
            },
            args: json!({"query": "Reschedule the project sync to 4pm"}),
            approve: false,
            expect: |v| success(v) && v["action"] == "updated",
            critical: ("OpenAI → Nylas find → Nylas update", 1, 0, 2),
        },
        Scenario {
            name: "complete by reference (NL)",
            tool: "manage_productivity",
            seed: |f| {
                f.reclaim.seed_task(
                    RECLAIM_KEY,
                    TaskSeed::new("Prepare client presentation").id(21),
                );
                f.reclaim
                    .seed_task(RECLAIM_KEY, TaskSeed::new("Book flights").id(22));
                f.openai.push_output(manage_model(json!({"action": "complete_task",
                    "target": {"title_hint": "presentation", "time_hint": null, "all_matching": false}})))
            },
            args: json!({"query": "mark the presentation task as done"}),
            approve: false,
            expect: |v| success(v) && v["action"] == "completed",
            critical: ("OpenAI → Reclaim list → Reclaim done", 1, 2, 0),
        },
        Scenario {
            name: "find: items about budget (NL)",
            tool: "find_and_analyze",
            seed: |f| {
                f.reclaim.seed_task(
                    RECLAIM_KEY,
                    TaskSeed::new("Prepare Q4 budget deck")
                        .id(101)
                        .due("2026-12-04T22:00:00Z"),
                );
                f.nylas.seed_event(
                    NYLAS_GRANT,
                    EventSeed::new("Budget review meeting")
                        .id("ev-budget")
                        .at("2026-12-01T19:00:00Z", 60),
                );
                f.openai
                    .push_output(find_model(json!({"keywords": ["budget"]})))
            },
            args: json!({"query": "Find all items about budget"}),
            approve: false,
            expect: |v| success(v) && v["action"] == "found",
            critical: ("OpenAI → (Reclaim list ∥ Nylas query)", 1, 1, 0),
        },
        Scenario {
            name: "availability check (NL)",
            tool: "check_availability",
            seed: |f| {
                f.nylas.seed_event(
                    NYLAS_GRANT,
                    EventSeed::new("Design review")
                        .id("w2")
                        .at("2026-12-02T18:30:00Z", 60),
                );
                f.openai
                    .push_output(availability_model(json!({"mode": "check_time",
                    "start": "tomorrow at 2pm", "duration": "30 minutes"})))
            },
            args: json!({"query": "Am I free tomorrow at 2pm for 30 minutes?"}),
            approve: false,
            expect: |v| success(v) && v["available"] == false,
            critical: ("OpenAI → Nylas query", 1, 0, 1),
        },
        Scenario {
            name: "approved action: event with invitee",
            tool: "manage_productivity",
            seed: |_| {},
            args: json!({"action": "create_event", "title": "Sync", "start": "2026-12-02T14:00",
                "participants": ["ana@example.com"]}),
            approve: true,
            expect: |v| success(v) && v["action"] == "created",
            critical: ("Nylas create (no model, no re-read)", 0, 0, 1),
        },
    ]
}

fn critical_minimum(openai: u32, reclaim: u32, nylas: u32) -> Duration {
    OPENAI_LATENCY * openai + RECLAIM_LATENCY * reclaim + NYLAS_LATENCY * nylas
}

/// Runs every scenario `runs` times and prints the table. `rules` false sets
/// `rules_interpreter=off`: every natural-language request goes to the model.
pub fn run(wasm: &Path, runs: usize, rules: bool) -> Result<()> {
    let fakes = Arc::new(FakeUpstreams::new().with_default_user());
    // As deployed: the deterministic interpreter answers what it can, the model the rest.
    let env = FakeEnv::start_with(fakes.clone(), |c| {
        c.wasm_path = wasm.to_path_buf();
        if rules {
            c.variables.remove("rules_interpreter");
        }
    })?;
    println!(
        "Scenarios with simulated upstream latency (OpenAI {} ms, Reclaim {} ms, Nylas {} ms), \
         rules interpreter {}, medians of {runs} runs",
        OPENAI_LATENCY.as_millis(),
        RECLAIM_LATENCY.as_millis(),
        NYLAS_LATENCY.as_millis(),
        if rules { "on" } else { "off" }
    );
    println!();
    println!(
        "| scenario | OpenAI | Reclaim | Nylas | end to end | critical-path minimum | over minimum |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut total = (Duration::ZERO, 0);
    for s in scenarios() {
        let mut latencies = Vec::new();
        let mut counts = (0, 0, 0);
        // One extra, untimed first run warms up the connection pools and the fakes' contract
        // validators.
        for run in 0..=runs {
            fakes.reset();
            fakes.add_default_user();
            (s.seed)(&fakes);
            let first_args = ctx(s.args.clone());
            let args = if s.approve {
                let first = env.call_tool(s.tool, first_args.clone()).json();
                if first["needs_approval"] != true {
                    bail!("{}: expected needs_approval, got {first}", s.name);
                }
                let mut a = first_args;
                a["approved"] = json!(true);
                a["action_type"] = first["action_type"].clone();
                a["action_data"] = first["action_data"].clone();
                a
            } else {
                first_args
            };
            fakes.clear_log();
            fakes.set_latency(Provider::OpenAi, OPENAI_LATENCY);
            fakes.set_latency(Provider::Reclaim, RECLAIM_LATENCY);
            fakes.set_latency(Provider::Nylas, NYLAS_LATENCY);
            let started = Instant::now();
            let reply = env.call_tool(s.tool, args);
            if run > 0 {
                latencies.push(started.elapsed());
            }
            let v = reply.json();
            if !(s.expect)(&v) {
                bail!("{}: unexpected answer {v}", s.name);
            }
            counts = env.counts();
        }
        latencies.sort();
        let median = latencies[latencies.len() / 2];
        let (path, o, r, n) = s.critical;
        // A request the rules read makes no model call: its path starts after "OpenAI → ".
        let o = o.min(counts.0 as u32);
        let path = if o == 0 {
            path.trim_start_matches("OpenAI → ")
        } else {
            path
        };
        let minimum = critical_minimum(o, r, n);
        total.0 += median;
        total.1 += counts.0;
        println!(
            "| {} | {} | {} | {} | {} ms | {} ms ({path}) | {:+} ms |",
            s.name,
            counts.0,
            counts.1,
            counts.2,
            median.as_millis(),
            minimum.as_millis(),
            median.as_millis() as i64 - minimum.as_millis() as i64
        );
    }
    println!(
        "| **all scenarios, one after the other** | {} | | | {} ms | | |",
        total.1,
        total.0.as_millis()
    );
    println!();
    env.check();
    Ok(())
}
