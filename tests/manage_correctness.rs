//! Write-side correctness of `manage_productivity` (issue #11 items 1, 2, 3, 7, 8, 9, 13, 16)
//! over the stateful fakes (now = 2026-12-01 09:00 America/New_York, a Tuesday). Each test
//! failed before its fix; upstream calls are counted where the count matters.

mod helpers;

use helpers::*;
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::{json, Value};

fn nl(app: &TestApp, query: &str, output: Value) -> Value {
    app.fakes.openai.push_output(model(output));
    app.call_tool("manage_productivity", ctx(json!({"query": query})))
        .json
}

fn structured(app: &TestApp, args: Value) -> Value {
    app.call_tool("manage_productivity", ctx(args)).json
}

fn counts(app: &TestApp) -> (usize, usize, usize) {
    (
        app.upstream_count(Provider::OpenAi),
        app.upstream_count(Provider::Reclaim),
        app.upstream_count(Provider::Nylas),
    )
}

fn requests(app: &TestApp, p: Provider, method: &str) -> Vec<juli_testkit::RecordedRequest> {
    app.fakes
        .requests_to(p)
        .into_iter()
        .filter(|r| r.method == method)
        .collect()
}

fn text(v: &Value) -> String {
    v.to_string()
}

// ---------------------------------------------------------------------------------------------
// 16. Reclaim details
// ---------------------------------------------------------------------------------------------

#[test]
fn add_time_rounds_up_to_whole_quarter_hours_and_says_so() {
    let app = TestApp::new();
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Write the report").id(51));
    let out = structured(
        &app,
        json!({"action": "add_time", "item_id": "51", "minutes": 20}),
    );
    assert_eq!(out["success"], true, "{out}");
    let add = &requests(&app, Provider::Reclaim, "POST")[0];
    assert!(add.path.starts_with("/api/planner/add-time"));
    assert_eq!(add.query.get("minutes").map(String::as_str), Some("30"));
    let message = out["message"].as_str().unwrap();
    assert!(message.contains("Added 30 minutes"), "{message}");
    assert!(message.contains("Rounded 20 minutes up to 30"), "{message}");
    assert_eq!(counts(&app), (0, 2, 0), "one read, one add-time");

    let exact = structured(
        &app,
        json!({"action": "add_time", "item_id": "51", "minutes": 45}),
    );
    assert!(
        !exact["message"].as_str().unwrap().contains("Rounded"),
        "{exact}"
    );
    assert!(exact.get("warnings").is_none());
}

// ---------------------------------------------------------------------------------------------
// 2. An end time at or before the start rolls to the next day
// ---------------------------------------------------------------------------------------------

#[test]
fn an_event_across_midnight_ends_the_next_day() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Party", "start": "tomorrow 10pm", "end": "1am"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["data"]["when"]["start"], "2026-12-02T22:00:00-05:00");
    assert_eq!(
        out["data"]["when"]["end"], "2026-12-03T01:00:00-05:00",
        "a 3 h event"
    );
    assert_eq!(counts(&app), (0, 0, 2));
}

#[test]
fn an_explicit_end_date_before_the_start_is_still_refused() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Party", "start": "2026-12-02T22:00", "end": "2026-12-02T21:00"}),
    );
    assert_eq!(out["success"], false, "{out}");
    assert!(out["error"]
        .as_str()
        .unwrap()
        .contains("end after it starts"));
    assert_eq!(counts(&app), (0, 0, 0), "refused before any call");
}

#[test]
fn rescheduling_with_an_end_after_midnight_rolls_the_end() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Release night")
            .id("ev-n")
            .at("2026-12-02T20:00:00Z", 60)
            .timezone("America/New_York"),
    );
    let out = structured(
        &app,
        json!({"action": "update_event", "target": {"title_hint": "release night"}, "start": "11pm", "end": "2am"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let ev = app.fakes.nylas.event(NYLAS_GRANT, "ev-n").unwrap();
    let start = ev["when"]["start_time"].as_i64().unwrap();
    let end = ev["when"]["end_time"].as_i64().unwrap();
    assert_eq!(end - start, 3 * 3600, "{ev}");
}

// ---------------------------------------------------------------------------------------------
// 13. A wall time inside a spring-forward gap
// ---------------------------------------------------------------------------------------------

#[test]
fn an_event_start_in_the_dst_gap_moves_forward_and_says_so() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Night shift handover", "start": "2027-03-14T02:30", "duration_minutes": 30}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["data"]["when"]["start"], "2027-03-14T03:30:00-04:00");
    let warnings = text(&out["warnings"]);
    assert!(warnings.contains("does not exist"), "{out}");
    assert!(warnings.contains("3:30 AM"), "{out}");
}

#[test]
fn a_task_due_in_the_dst_gap_moves_forward_and_says_so() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_task", "title": "Rotate the keys", "due": "2027-03-14T02:30"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["data"]["due"], "2027-03-14T03:30:00-04:00");
    assert!(text(&out["warnings"]).contains("spring forward"), "{out}");

    let plain = structured(
        &app,
        json!({"action": "create_task", "title": "Water the plants", "due": "2027-03-15T09:00"}),
    );
    assert!(plain.get("warnings").is_none(), "{plain}");
}

// ---------------------------------------------------------------------------------------------
// 9. A due date moved relative to the current one
// ---------------------------------------------------------------------------------------------

#[test]
fn push_the_task_back_two_days_moves_the_current_due_date() {
    let app = TestApp::new();
    app.fakes.reclaim.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Quarterly report")
            .id(71)
            .due("2026-12-10T22:00:00Z"),
    );
    let out = nl(
        &app,
        "Push the report task back 2 days",
        json!({"action": "update_task", "target": {"title_hint": "report", "time_hint": null, "all_matching": false}, "due_shift": "2 days later"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let patch = &requests(&app, Provider::Reclaim, "PATCH")[0];
    assert_eq!(
        patch.body["due"], "2026-12-12T22:00:00Z",
        "relative to the current due"
    );
    assert_eq!(counts(&app), (1, 2, 0), "model, list, patch");

    let earlier = structured(
        &app,
        json!({"action": "update_task", "item_id": "71", "due_shift": "3 days earlier"}),
    );
    assert_eq!(earlier["success"], true, "{earlier}");
    let patch = requests(&app, Provider::Reclaim, "PATCH").pop().unwrap();
    assert_eq!(patch.body["due"], "2026-12-09T22:00:00Z");

    let signed = structured(
        &app,
        json!({"action": "update_task", "item_id": "71", "due_shift": "+1 week"}),
    );
    assert_eq!(signed["success"], true, "{signed}");
    let patch = requests(&app, Provider::Reclaim, "PATCH").pop().unwrap();
    assert_eq!(patch.body["due"], "2026-12-16T22:00:00Z");
}

#[test]
fn a_shift_needs_a_current_due_date() {
    let app = TestApp::new();
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Someday idea").id(72));
    let out = structured(
        &app,
        json!({"action": "update_task", "item_id": "72", "due_shift": "2 days later"}),
    );
    assert_eq!(out["success"], false, "{out}");
    assert!(
        out["error"].as_str().unwrap().contains("no due date"),
        "{out}"
    );
    assert!(requests(&app, Provider::Reclaim, "PATCH").is_empty());
}
