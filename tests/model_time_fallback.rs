//! Issue #12 item 3: every time phrase the model returns comes with the model's own ISO-8601
//! reading. Rust's reading of the words wins; when Rust cannot read them, a valid, in-bounds
//! model reading is used and the log line names the field (`model_time_readings`); with
//! neither, the request asks the user and reads nothing. One scenario per field, with
//! scripted model answers (now = Tue 2026-12-01 09:00 America/New_York).

use crate::helpers;

use helpers::*;
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::{json, Value};

/// Words no grammar reads.
const UNREADABLE: &str = "when the cows come home";

fn readings(app: &TestApp) -> Value {
    app.last_log()["model_time_readings"].clone()
}

fn with(mut base: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn availability(app: &TestApp, fields: Value) -> Value {
    let base = json!({"mode": "find_slots", "start": null, "start_iso": null, "range": null,
        "range_start_iso": null, "range_end_iso": null, "duration": "30 minutes",
        "preference": null, "working_hours_start": null, "working_hours_end": null, "max_slots": null});
    app.fakes
        .openai
        .push_output(availability_model(with(base, fields)));
    let query = format!("Find 30 minutes {UNREADABLE}");
    app.call_tool("check_availability", ctx(json!({"query": query})))
        .json
}

fn find(app: &TestApp, fields: Value) -> Value {
    let base = json!({"mode": "search", "scope": "events", "time_range": null,
        "time_range_start_iso": null, "time_range_end_iso": null, "keywords": [],
        "priorities": [], "status": null, "participant": null});
    app.fakes.openai.push_output(find_model(with(base, fields)));
    let query = format!("What's on {UNREADABLE}?");
    app.call_tool("find_and_analyze", ctx(json!({"query": query})))
        .json
}

fn manage(app: &TestApp, fields: Value) -> Value {
    app.fakes.openai.push_output(model(fields));
    let query = format!("Sort it out {UNREADABLE}");
    app.call_tool("manage_productivity", ctx(json!({"query": query})))
        .json
}

fn seed_event(app: &TestApp, id: &str, title: &str, start: &str) {
    let seed = EventSeed::new(title).id(id).at(start, 60);
    app.fakes.nylas.seed_event(NYLAS_GRANT, seed);
}

#[test]
fn availability_range_falls_back_to_the_models_bounds() {
    let app = TestApp::new();
    // Rust reads "tomorrow": the (different) model bounds are ignored.
    let v = availability(
        &app,
        json!({"range": "tomorrow", "range_start_iso": "2026-12-09", "range_end_iso": "2026-12-09"}),
    );
    assert_eq!(v["success"], true, "{v}");
    let first = v["slots"][0]["start"].as_str().unwrap().to_string();
    assert!(first.starts_with("2026-12-02T"), "{first}");
    assert_eq!(readings(&app), json!([]));

    // Rust cannot read the words: the model's day is searched and the log says so.
    let v = availability(
        &app,
        json!({"range": UNREADABLE, "range_start_iso": "2026-12-03", "range_end_iso": "2026-12-03"}),
    );
    assert_eq!(v["success"], true, "{v}");
    for slot in v["slots"].as_array().unwrap() {
        let start = slot["start"].as_str().unwrap();
        assert!(start.starts_with("2026-12-03T"), "{slot}");
    }
    assert_eq!(readings(&app), json!(["range"]));

    // Neither: an out-of-bounds reading is not used; the user is asked, nothing is read.
    let v = availability(
        &app,
        json!({"range": UNREADABLE, "range_start_iso": "3026-12-03", "range_end_iso": null}),
    );
    assert_eq!(v["success"], false, "{v}");
    assert!(v["error"].as_str().unwrap().contains("cows"), "{v}");
    assert_eq!(readings(&app), json!([]));
    assert_eq!(counts(&app), (3, 0, 2));
}

#[test]
fn search_time_range_falls_back_to_the_models_bounds() {
    let app = TestApp::new();
    seed_event(&app, "e-wed", "Standup", "2026-12-02T14:00:00Z");
    seed_event(&app, "e-thu", "Retro", "2026-12-03T14:00:00Z");
    let v = find(
        &app,
        json!({"time_range": UNREADABLE, "time_range_start_iso": "2026-12-03T00:00", "time_range_end_iso": "2026-12-04T00:00"}),
    );
    assert_eq!(v["success"], true, "{v}");
    let ids: Vec<&str> = v["data"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["e-thu"], "{v}");
    assert_eq!(
        v["data"]["time_range"]["start"],
        "2026-12-03T00:00:00-05:00"
    );
    assert_eq!(v["data"]["time_range"]["end"], "2026-12-04T00:00:00-05:00");
    assert_eq!(readings(&app), json!(["time_range"]));

    // An end before the start is no window: the user is asked.
    let v = find(
        &app,
        json!({"time_range": UNREADABLE, "time_range_start_iso": "2026-12-03", "time_range_end_iso": "2026-12-01"}),
    );
    assert_eq!(v["success"], false, "{v}");
    assert_eq!(readings(&app), json!([]));
    assert_eq!(counts(&app), (2, 0, 1));
}

#[test]
fn optimize_range_falls_back_to_the_models_bounds() {
    let app = TestApp::new();
    let base = json!({"range": UNREADABLE, "range_start_iso": "2026-12-02", "range_end_iso": "2026-12-03", "apply": false, "optimization_type": null});
    app.fakes.openai.push_output(base);
    let query = format!("Optimize my schedule {UNREADABLE}");
    let v = app
        .call_tool("optimize_schedule", ctx(json!({"request": query})))
        .json;
    assert_eq!(v["success"], true, "{v}");
    let range = &v["metrics"]["time_range"];
    assert_eq!(range["start"], "2026-12-02T00:00:00-05:00", "{v}");
    assert_eq!(range["end"], "2026-12-04T00:00:00-05:00", "through Dec 3");
    assert_eq!(readings(&app), json!(["range"]));
}

#[test]
fn event_end_falls_back_to_the_models_reading() {
    let app = TestApp::new();
    let v = manage(
        &app,
        json!({"action": "create_event", "title": "Planning", "start": "tomorrow at 2pm",
            "start_iso": "2026-12-09T09:00", "end": UNREADABLE, "end_iso": "2026-12-02T15:30"}),
    );
    assert_eq!(v["success"], true, "{v}");
    let post = app
        .fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("the event is created");
    let body = post.body;
    let start = body["when"]["start_time"].as_i64().unwrap();
    let end = body["when"]["end_time"].as_i64().unwrap();
    assert_eq!(
        start, 1_796_238_000,
        "Rust's 14:00 wins over the model's start"
    );
    assert_eq!(end - start, 90 * 60, "the model's 15:30 end");
    assert_eq!(readings(&app), json!(["end"]));
}

#[test]
fn reschedule_target_falls_back_to_the_models_reading() {
    let app = TestApp::new();
    seed_event(&app, "ev-r", "Project sync", "2026-12-02T19:00:00Z");
    let target = json!({"title_hint": "project sync", "time_hint": null, "time_hint_iso": null, "all_matching": false});
    let v = manage(
        &app,
        json!({"action": "update_event", "target": target, "start": UNREADABLE, "start_iso": "2026-12-03T16:00"}),
    );
    assert_eq!(v["success"], true, "{v}");
    let ev = app.fakes.nylas.event(NYLAS_GRANT, "ev-r").unwrap();
    assert_eq!(
        ev["when"]["start_time"].as_i64(),
        Some(1_796_331_600),
        "Thu Dec 3 16:00 New York: {ev}"
    );
    assert_eq!(readings(&app), json!(["start"]));

    // Neither: the user is asked and nothing is written.
    let v = manage(
        &app,
        json!({"action": "update_event", "target": target, "start": UNREADABLE, "start_iso": "soon"}),
    );
    assert_eq!(v["success"], false, "{v}");
    assert_eq!(readings(&app), json!([]));
    let writes = app
        .fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(writes, 1);
}

#[test]
fn time_hint_falls_back_to_the_models_reading() {
    let app = TestApp::new();
    seed_event(&app, "d-wed", "Dentist", "2026-12-02T16:00:00Z");
    seed_event(&app, "d-next", "Dentist", "2026-12-09T16:00:00Z");
    let target = json!({"title_hint": "dentist", "time_hint": UNREADABLE, "time_hint_iso": "2026-12-09", "all_matching": false});
    let v = manage(&app, json!({"action": "cancel_event", "target": target}));
    assert_eq!(v["success"], true, "{v}");
    let deletes: Vec<String> = app
        .fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.path)
        .collect();
    assert_eq!(deletes.len(), 1);
    assert!(deletes[0].ends_with("/events/d-next"), "{deletes:?}");
    assert_eq!(readings(&app), json!(["time_hint"]));
}

#[test]
fn snooze_and_due_fall_back_to_the_models_readings() {
    let app = TestApp::new();
    let v = manage(
        &app,
        json!({"action": "create_task", "title": "Taxes", "due": UNREADABLE, "due_iso": "2026-12-11T17:00",
            "snooze_until": "after the holiday lull", "snooze_until_iso": "2026-12-07T09:00"}),
    );
    assert_eq!(v["success"], true, "{v}");
    let post = app
        .fakes
        .requests_to(Provider::Reclaim)
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("the task is created");
    let body = post.body;
    assert_eq!(body["due"], "2026-12-11T22:00:00Z", "{body}");
    assert_eq!(body["snoozeUntil"], "2026-12-07T14:00:00Z", "{body}");
    assert_eq!(readings(&app), json!(["due", "snooze_until"]));
    assert!(app.fakes.reclaim.tasks(RECLAIM_KEY).len() == 1);
}
