//! The deterministic interpreter against `tests/data/rules_requests.jsonl`: requests written
//! the way people type them (typos, lower case, no punctuation, politeness), each labelled
//! with the typed request the model should give (fields as in the model schema; missing =
//! null) or "defer". No wrong answer is allowed: a labelled request must be read exactly as
//! labelled (compared by what the tools do with it, see `helpers::rules_compare`), and a
//! "defer" must go to the model.

use crate::helpers;

use chrono::{DateTime, TimeZone as _};
use chrono_tz::Tz;
use helpers::rules_compare::{agree, model_reading, rules_reading, schema_of};
use serde_json::Value;

fn now() -> DateTime<Tz> {
    chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .unwrap()
}

fn rows() -> Vec<Value> {
    let text = include_str!("data/rules_requests.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn every_labelled_request_is_read_as_labelled_or_deferred_as_labelled() {
    let rows = rows();
    assert!(rows.len() >= 300, "{} requests", rows.len());
    let mut wrong = Vec::new();
    let mut answered = 0;
    for row in &rows {
        let (tool, query) = (
            row["tool"].as_str().unwrap(),
            row["query"].as_str().unwrap(),
        );
        let schema = schema_of(tool);
        let ours = rules_reading(schema, query, now());
        answered += usize::from(ours.is_some());
        match (&row["expect"], ours) {
            (Value::String(d), None) if d == "defer" => {}
            (Value::String(_), Some(r)) => {
                wrong.push(format!("{tool} {query:?}: should defer, read {r}"))
            }
            (expect, None) => wrong.push(format!("{tool} {query:?}: deferred, expected {expect}")),
            (expect, Some(r)) => {
                let theirs = model_reading(schema, expect, now());
                if !agree(&r, &theirs) {
                    wrong.push(format!(
                        "{tool} {query:?}:\n  rules: {r}\n  label: {theirs}"
                    ));
                }
            }
        }
    }
    let defers = rows.iter().filter(|r| r["expect"] == "defer").count();
    println!(
        "{} requests ({} labelled defer): the rules answer {answered} ({:.0}%)",
        rows.len(),
        defers,
        100.0 * answered as f64 / rows.len() as f64
    );
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_requests_are_distinct() {
    let mut seen = std::collections::HashSet::new();
    for row in rows() {
        let key = (
            row["tool"].to_string(),
            row["query"].as_str().unwrap().to_lowercase(),
        );
        assert!(seen.insert(key.clone()), "duplicate {key:?}");
    }
}

#[test]
fn no_prefix_or_suffix_of_any_request_panics() {
    let schemas = helpers::rules_compare::SCHEMAS;
    for row in rows() {
        let words: Vec<&str> = row["query"].as_str().unwrap().split(' ').collect();
        for k in 0..=words.len() {
            for part in [words[..k].join(" "), words[k..].join(" ")] {
                for schema in schemas {
                    rules_reading(schema, &part, now());
                }
            }
        }
    }
}

/// Median time to interpret one request natively (every request of the file, 20 rounds).
/// `cargo test --profile host --test integration rules_interpreter:: -- --ignored --nocapture`
#[test]
#[ignore]
fn interpreting_a_request_takes_under_200_microseconds() {
    let rows = rows();
    let mut times = Vec::new();
    for _ in 0..20 {
        for row in &rows {
            let schema = schema_of(row["tool"].as_str().unwrap());
            let query = row["query"].as_str().unwrap();
            let started = std::time::Instant::now();
            std::hint::black_box(interpret(schema, query));
            times.push(started.elapsed());
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    println!(
        "interpretation: median {median:?}, p99 {p99:?} over {} runs",
        times.len()
    );
    assert!(
        median < std::time::Duration::from_micros(200),
        "median {median:?}"
    );
}

fn interpret(schema: &str, query: &str) -> bool {
    use juli_calendar::interpret::rules;
    match schema {
        "manage_productivity_operation" => rules::manage_request(query, now().into()).is_some(),
        "availability_request" => rules::availability_request(query, now().into()).is_some(),
        "find_request" => rules::find_request(query, now().into()).is_some(),
        _ => rules::optimize_request(query, now().into()).is_some(),
    }
}

// ---------------------------------------------------------------------------------------------
// Through the app, with the rules on (as deployed)
// ---------------------------------------------------------------------------------------------

use helpers::{
    availability_model, counts, ctx, find_model, model, EventSeed, Provider, TaskSeed, TestApp,
};
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::json;

fn rules_on() -> TestApp {
    let mut app = TestApp::new();
    app.set_config("rules_interpreter", "on");
    app
}

#[test]
fn without_an_openai_key_covered_requests_work_and_others_get_the_clear_error() {
    let mut app = rules_on();
    app.remove_config("openai_api_key");
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"query": "Create a task to review the Q4 budget by Friday, about 2 hours, high priority"})),
        )
        .json;
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["metadata"]["interpreted_by"], "rules", "{out}");
    assert_eq!(
        counts(&app),
        (0, 2, 0),
        "duplicate check + create, no model call"
    );
    let line = app.last_log();
    assert_eq!(line["interpreted_by"], "rules", "{line}");
    assert!(line.get("model").is_none(), "{line}");
    let created = app
        .fakes
        .requests_to(Provider::Reclaim)
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("a create");
    assert_eq!(created.body["title"], "Review the Q4 budget");
    assert_eq!(created.body["priority"], "P2");

    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"query": "move that thing we talked about somewhere better"})),
        )
        .json;
    assert_eq!(out["success"], false, "{out}");
    assert!(
        out["error"].as_str().unwrap().contains("openai_api_key"),
        "{out}"
    );
    assert_eq!(counts(&app).0, 0);
}

#[test]
fn model_calls_send_the_lowest_effort_and_a_bounded_output_and_log_them() {
    let app = rules_on();
    app.fakes.openai.push_output(model(
        json!({"action": "create_task", "title": "Think about the roadmap"}),
    ));
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"query": "I should probably think about the roadmap at some point"})),
        )
        .json;
    assert_eq!(out["metadata"]["interpreted_by"], "model", "{out}");
    let body = &app.fakes.requests_to(Provider::OpenAi)[0].body;
    assert_eq!(body["reasoning"]["effort"], "minimal", "{body}");
    assert_eq!(body["max_output_tokens"], 1500, "{body}");
    let line = app.last_log();
    assert_eq!(line["interpreted_by"], "model");
    assert_eq!(line["model"], "gpt-5-mini");
    assert_eq!(line["reasoning_effort"], "minimal");
}

/// The body of the one model call a request the rules defer makes, under these variables.
fn model_request_body(variables: &[(&str, &str)]) -> Value {
    let mut app = rules_on();
    for (name, value) in variables {
        app.set_config(name, value);
    }
    app.fakes
        .openai
        .push_output(model(json!({"action": "create_task", "title": "Roadmap"})));
    app.call_tool(
        "manage_productivity",
        ctx(json!({"query": "roadmap thoughts sometime"})),
    );
    app.fakes.requests_to(Provider::OpenAi)[0].body.clone()
}

#[test]
fn a_non_reasoning_model_gets_no_reasoning_field_and_a_configured_effort_is_sent() {
    let body = model_request_body(&[
        ("openai_model", "gpt-4.1-mini"),
        ("openai_reasoning_effort", "low"),
    ]);
    assert!(body.get("reasoning").is_none(), "{body}");
    let body = model_request_body(&[("openai_reasoning_effort", "low")]);
    assert_eq!(body["reasoning"]["effort"], "low", "{body}");
    assert_eq!(body["max_output_tokens"], 3000, "{body}");
}

/// Seeds what the suites' scenarios need.
fn seed(app: &TestApp) {
    let r = &app.fakes.reclaim;
    r.seed_task(RECLAIM_KEY, TaskSeed::new("Presentation slides"));
    r.seed_task(RECLAIM_KEY, TaskSeed::new("Quarterly report"));
    let n = &app.fakes.nylas;
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist appointment")
            .id("ev-dentist")
            .at("2026-12-02T20:00:00Z", 60),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Project sync")
            .id("ev-sync")
            .at("2026-12-01T19:00:00Z", 60),
    );
}

/// Everything the app sent to Reclaim and Nylas and answered, without the interpretation tag.
fn outcome(app: &TestApp, answer: &Value) -> Value {
    let mut answer = answer.clone();
    answer.as_object_mut().map(|o| o.remove("metadata"));
    let sent: Vec<Value> = [Provider::Reclaim, Provider::Nylas]
        .into_iter()
        .flat_map(|p| app.fakes.requests_to(p))
        .map(|r| json!([r.method, r.path, r.query, r.body]))
        .collect();
    json!({"answer": answer, "sent": sent})
}

#[test]
fn the_rules_and_the_model_path_have_the_same_outcome() {
    let cases = [
        (
            "manage_productivity",
            "Create a task to review the Q4 budget by Friday, about 2 hours, high priority",
            model(
                json!({"action": "create_task", "title": "Review the Q4 budget", "due": "Friday", "duration": "about 2 hours", "priority": "P2"}),
            ),
        ),
        (
            "manage_productivity",
            "mark the presentation task as done",
            model(
                json!({"action": "complete_task", "target": {"title_hint": "presentation", "time_hint": null, "all_matching": false}}),
            ),
        ),
        (
            "manage_productivity",
            "add 30 minutes to the report task",
            model(
                json!({"action": "add_time", "target": {"title_hint": "report", "time_hint": null, "all_matching": false}, "minutes": 30}),
            ),
        ),
        (
            "manage_productivity",
            "cancel the dentist appointment tomorrow",
            model(
                json!({"action": "cancel_event", "target": {"title_hint": "dentist", "time_hint": "tomorrow", "all_matching": false}}),
            ),
        ),
        (
            "manage_productivity",
            "Reschedule the project sync to 4pm",
            model(
                json!({"action": "update_event", "target": {"title_hint": "project sync", "time_hint": null, "all_matching": false}, "start": "4pm"}),
            ),
        ),
        (
            "manage_productivity",
            "block 2 hours tomorrow morning for deep work",
            model(
                json!({"action": "block_focus_time", "title": "Deep work", "start": "tomorrow morning", "duration": "2 hours"}),
            ),
        ),
        (
            "manage_productivity",
            "set up a team standup tomorrow at 9:30",
            model(
                json!({"action": "create_event", "title": "Team standup", "start": "tomorrow at 9:30am", "implies_others": true}),
            ),
        ),
        (
            "manage_productivity",
            "schedule a 1-hour meeting with sarah@acme.com tomorrow at 10am",
            model(
                json!({"action": "create_event", "title": "Meeting", "start": "tomorrow at 10am", "duration": "1 hour", "participants": [{"name": null, "email": "sarah@acme.com"}]}),
            ),
        ),
        (
            "find_and_analyze",
            "What's on my calendar today?",
            find_model(
                json!({"mode": "search", "scope": "events", "time_range": "today", "keywords": [], "priorities": [], "status": null, "participant": null}),
            ),
        ),
        (
            "find_and_analyze",
            "How's my workload this week?",
            find_model(
                json!({"mode": "workload", "scope": null, "time_range": "this week", "keywords": [], "priorities": [], "status": null, "participant": null}),
            ),
        ),
        (
            "find_and_analyze",
            "Show me overdue tasks",
            find_model(
                json!({"mode": "search", "scope": "tasks", "time_range": "overdue", "keywords": [], "priorities": [], "status": null, "participant": null}),
            ),
        ),
        (
            "check_availability",
            "Am I free tomorrow at 2pm for 30 minutes?",
            availability_model(
                json!({"mode": "check_time", "start": "tomorrow at 2pm", "range": null, "duration": "30 minutes", "preference": null, "working_hours_start": null, "working_hours_end": null, "max_slots": null}),
            ),
        ),
        (
            "check_availability",
            "Find 2 hours for deep work this week, preferably in the morning",
            availability_model(
                json!({"mode": "find_slots", "start": null, "range": "this week", "duration": "2 hours", "preference": "morning", "working_hours_start": null, "working_hours_end": null, "max_slots": null}),
            ),
        ),
    ];
    for (tool, query, scripted) in cases {
        let by_model = TestApp::new();
        seed(&by_model);
        by_model.fakes.openai.push_output(scripted);
        let a = by_model.call_tool(tool, ctx(json!({"query": query}))).json;
        assert_eq!(a["metadata"]["interpreted_by"], "model", "{query}: {a}");
        let by_rules = rules_on();
        seed(&by_rules);
        let b = by_rules.call_tool(tool, ctx(json!({"query": query}))).json;
        assert_eq!(b["metadata"]["interpreted_by"], "rules", "{query}: {b}");
        assert_eq!(counts(&by_rules).0, 0, "{query}");
        assert_eq!(outcome(&by_model, &a), outcome(&by_rules, &b), "{query}");
    }
}

/// The rules read a numeric date in the caller's `date_order`, as the model path does:
/// "3/4" is 3 April for a day-month user and March 4 otherwise, with no model call.
#[test]
fn the_rules_read_numeric_dates_in_the_users_date_order() {
    for (extra, want_day) in [
        (json!({"date_order": "dmy"}), "2027-04-03"),
        (json!({}), "2027-03-04"),
    ] {
        let app = rules_on();
        let mut args = json!({"query": "Am I free on 3/4 at 2pm for 30 minutes?"});
        for (k, v) in extra.as_object().unwrap() {
            args[k] = v.clone();
        }
        let out = app.call_tool("check_availability", ctx(args)).json;
        assert_eq!(out["success"], true, "{out}");
        assert_eq!(out["metadata"]["interpreted_by"], "rules", "{out}");
        let start = out["requested_time"]["start"].as_str().unwrap_or_default();
        assert!(start.starts_with(want_day), "{extra}: {out}");
        assert_eq!(counts(&app).0, 0, "no model call");
    }
}
