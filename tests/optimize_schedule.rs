//! Scenarios of `optimize_schedule` over the fakes (now = Tue 2026-12-01 09:00
//! America/New_York), through the REST route, with the upstream calls counted.

use crate::helpers;

use chrono::{DateTime, FixedOffset, Timelike};
use helpers::*;
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::{json, Value};

const TZ: &str = "America/New_York";

fn t(s: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s.as_str().unwrap()).unwrap()
}

/// Four back-to-back meetings 9–12 tomorrow, a meeting today 13–17, and three tasks of
/// different priorities (the P1 one needs more time than is free before it is due).
fn heavy_week() -> TestApp {
    let app = TestApp::new();
    let n = &app.fakes.nylas;
    for (i, start) in [
        "2026-12-02T14:00:00Z",
        "2026-12-02T14:45:00Z",
        "2026-12-02T15:30:00Z",
        "2026-12-02T16:15:00Z",
    ]
    .iter()
    .enumerate()
    {
        n.seed_event(
            NYLAS_GRANT,
            EventSeed::new(&format!("Meeting {}", i + 1))
                .id(&format!("m{}", i + 1))
                .at(start, 45)
                .participant("colleague@acme.com", "Colleague"),
        );
    }
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Workshop")
            .id("ws")
            .at("2026-12-01T18:00:00Z", 240),
    );
    let r = &app.fakes.reclaim;
    r.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Board deck")
            .id(201)
            .priority("P1")
            .due("2026-12-02T17:00:00Z")
            .minutes(8 * 60),
    );
    r.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Budget memo")
            .id(202)
            .priority("P3")
            .due("2026-12-03T22:00:00Z")
            .minutes(120),
    );
    r.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Inbox zero")
            .id(203)
            .priority("P4")
            .due("2026-12-04T22:00:00Z")
            .minutes(60),
    );
    app.fakes.clear_log();
    app
}

fn busy() -> Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    [
        ("2026-12-02T09:00:00-05:00", "2026-12-02T12:00:00-05:00"),
        ("2026-12-01T13:00:00-05:00", "2026-12-01T17:00:00-05:00"),
    ]
    .iter()
    .map(|(a, b)| (t(&json!(a)), t(&json!(b))))
    .collect()
}

#[test]
fn optimize_a_heavy_week_proposes_real_slots_then_applies_after_approval() {
    let app = heavy_week();
    app.fakes.openai.push_output(optimize_model(
        json!({"range": "this week", "apply": false, "optimization_type": null}),
    ));
    let r = app.call_tool(
        "optimize_schedule",
        ctx(json!({"request": "Optimize my schedule this week"})),
    );
    let v = r.json.clone();
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["action"], "analyzed");
    assert_eq!(v["optimization_type"], "balanced");
    assert_eq!(
        counts(&app),
        (1, 1, 1),
        "one model call, one task list, one events query"
    );
    let m = &v["metrics"];
    assert_eq!(m["meeting_count"], 5);
    assert_eq!(m["meeting_hours"], 7.0);
    assert_eq!(
        m["back_to_back_chains"][0]["event_ids"],
        json!(["m1", "m2", "m3", "m4"])
    );
    assert_eq!(m["tasks_at_risk"][0]["task_id"], "201");
    assert_eq!(m["well_optimized"], false);
    assert!(!v["message"].as_str().unwrap().contains("well-optimized"));

    let suggestions = v["suggestions"].as_array().unwrap();
    let kinds: Vec<&str> = suggestions
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"block_focus_time"), "{kinds:?}");
    assert!(kinds.contains(&"move_task_due"), "{kinds:?}");
    assert!(kinds.contains(&"decline_or_shorten"), "{kinds:?}");
    for s in suggestions {
        for key in ["type", "action", "impact", "reasoning"] {
            assert!(s[key].is_string(), "{key} in {s}");
        }
        if s["type"] == "block_focus_time" {
            let (a, b) = (t(&s["slot"]["start"]), t(&s["slot"]["end"]));
            assert!(
                a >= t(&json!("2026-12-01T09:00:00-05:00")),
                "not in the past"
            );
            assert!(a.hour() >= 9 && b.hour() <= 18, "working hours: {s}");
            assert!((b - a).num_minutes() >= 60);
            for (b0, b1) in busy() {
                assert!(b <= b0 || a >= b1, "focus slot overlaps a meeting: {s}");
            }
        }
    }
    let decline = suggestions
        .iter()
        .find(|s| s["type"] == "decline_or_shorten")
        .unwrap();
    assert_eq!(decline["applicable"], false, "advisory only");

    // "Yes, do it": structured apply → approval listing exactly the writes.
    let r = app.call_tool(
        "optimize_schedule",
        ctx(json!({"request": "yes, do it", "apply": true})),
    );
    let a = r.json.clone();
    assert_eq!(a["needs_approval"], true, "{a}");
    assert_eq!(a["action_type"], "schedule_optimization");
    assert!(a["suggestions"].is_array() && a["metrics"].is_object());
    let details = &a["preview"]["details"];
    let focus = details["focus_blocks"].as_array().unwrap().clone();
    let expected_focus: Vec<(String, String)> = suggestions
        .iter()
        .filter(|s| s["type"] == "block_focus_time")
        .map(|s| {
            (
                s["slot"]["start"].as_str().unwrap().to_string(),
                s["slot"]["end"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let previewed: Vec<(String, String)> = focus
        .iter()
        .map(|f| {
            (
                f["start"].as_str().unwrap().to_string(),
                f["end"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(previewed, expected_focus);
    let changes = details["task_changes"].as_array().unwrap();
    assert_eq!(changes[0]["task_id"], "201");
    assert_eq!(changes[0]["due"]["from"], "2026-12-02T12:00:00-05:00");
    let new_due = changes[0]["due"]["to"].as_str().unwrap().to_string();
    assert!(
        app.fakes
            .requests()
            .iter()
            .all(|r| r.provider == Provider::OpenAi || r.method == "GET"),
        "nothing is written before approval"
    );
    assert_eq!(counts(&app), (1, 2, 2), "the apply call made no model call");

    // Approval executes exactly those writes.
    let approve = ctx(json!({
        "request": "yes, do it", "apply": true, "approved": true,
        "action_type": "schedule_optimization", "action_data": a["action_data"],
    }));
    let before = app.fakes.nylas.events(NYLAS_GRANT).len();
    let r = app.call_tool("optimize_schedule", approve.clone());
    let done = r.json.clone();
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(done["action"], "applied");
    assert_eq!(done["provider"], "both");
    assert_eq!(
        done["data"]["created"].as_array().unwrap().len(),
        focus.len()
    );
    assert_eq!(
        done["data"]["updated"].as_array().unwrap().len(),
        changes.len()
    );
    assert_eq!(done["data"]["failed"], json!([]));
    let events = app.fakes.nylas.events(NYLAS_GRANT);
    assert_eq!(events.len(), before + focus.len());
    let created: Vec<&Value> = events
        .iter()
        .filter(|e| e["title"] == "Focus time")
        .collect();
    assert_eq!(created.len(), focus.len());
    for (e, (start, end)) in created.iter().zip(&expected_focus) {
        assert_eq!(e["when"]["start_time"], t(&json!(start)).timestamp());
        assert_eq!(e["when"]["end_time"], t(&json!(end)).timestamp());
        assert_eq!(e["when"]["start_timezone"], TZ);
        assert_eq!(e["busy"], true);
    }
    let task = app.fakes.reclaim.task(RECLAIM_KEY, 201).unwrap();
    assert_eq!(
        t(&task["due"]).timestamp(),
        t(&json!(new_due)).timestamp(),
        "the due date moved as previewed"
    );
    assert_eq!(
        app.fakes.count_matching(Provider::Nylas, "POST", "/events"),
        focus.len()
    );
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "PATCH", "/api/tasks/201"),
        1
    );
    assert_eq!(
        app.upstream_count(Provider::OpenAi),
        1,
        "approval needs no model"
    );

    // Replaying the approval writes nothing again.
    let writes = app
        .fakes
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    let r = app.call_tool("optimize_schedule", approve);
    assert_eq!(r.json["replayed"], true, "{}", r.json);
    assert_eq!(
        app.fakes
            .requests()
            .iter()
            .filter(|r| r.method != "GET")
            .count(),
        writes
    );
}

#[test]
fn tampered_plans_are_rejected_and_nothing_is_written() {
    let app = heavy_week();
    let r = app.call_tool("optimize_schedule", ctx(json!({"apply": true})));
    let mut data = r.json["action_data"].clone();
    assert!(data.is_object(), "{}", r.json);
    // Widen the plan: one more focus block.
    let blocks = data
        .pointer_mut("/operation/focus_blocks")
        .and_then(Value::as_array_mut)
        .expect("the signed operation lists the focus blocks");
    let first = blocks[0].clone();
    blocks.push(first);
    app.fakes.clear_log();
    let r = app.call_tool(
        "optimize_schedule",
        ctx(json!({"approved": true, "action_type": "schedule_optimization", "action_data": data})),
    );
    assert_eq!(r.json["success"], false, "{}", r.json);
    assert_eq!(app.fakes.requests().len(), 0);
}

#[test]
fn reclaims_own_task_blocks_are_task_work_not_meetings_or_risk() {
    let app = TestApp::new();
    seed_fully_scheduled_task(&app);
    let r = app.call_tool("optimize_schedule", ctx(json!({"range": "this week"})));
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    let m = &v["metrics"];
    assert_eq!(m["meeting_count"], 1, "only the offsite: {m}");
    assert_eq!(m["meeting_hours"], 8.0, "{m}");
    assert_eq!(
        m["tasks_at_risk"],
        json!([]),
        "4 h of work, 4 h scheduled before the due: {m}"
    );
    assert_eq!(counts(&app), (0, 1, 1), "no extra upstream call");
}

#[test]
fn an_open_week_is_already_well_optimized() {
    let app = TestApp::new();
    let r = app.call_tool("optimize_schedule", ctx(json!({"range": "this week"})));
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["metrics"]["well_optimized"], true);
    assert!(v["message"]
        .as_str()
        .unwrap()
        .starts_with("Your schedule is already well-optimized"));
    assert_eq!(counts(&app), (0, 1, 1));
}

#[test]
fn focus_type_shows_only_focus_blocks_and_apply_without_writes_says_so() {
    let app = heavy_week();
    let r = app.call_tool(
        "optimize_schedule",
        ctx(json!({"optimization_type": "focus_time"})),
    );
    let kinds: Vec<Value> = r.json["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].clone())
        .collect();
    assert!(!kinds.is_empty());
    assert!(kinds.iter().all(|k| k == "block_focus_time"), "{kinds:?}");
    assert_eq!(r.json["optimization_type"], "focus_time");

    let r = app.call_tool(
        "optimize_schedule",
        ctx(json!({"optimization_type": "meetings", "apply": true})),
    );
    assert_eq!(r.json["success"], true, "{}", r.json);
    assert!(r.json.get("needs_approval").is_none());
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .contains("nothing to apply"));
}

#[test]
fn only_reclaim_connected_analyses_tasks_without_inventing_focus_slots() {
    let app = heavy_week();
    let r = app.call_tool_with(
        "optimize_schedule",
        &reclaim_only_headers(),
        ctx(json!({"range": "this week"})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["provider"], "reclaim");
    assert!(v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["type"] != "block_focus_time"));
    assert!(v["message"].as_str().unwrap().contains("Nylas"));
    assert_eq!(counts(&app), (0, 1, 0));

    let r = app.call_tool_with(
        "optimize_schedule",
        &[],
        ctx(json!({"request": "optimize"})),
    );
    assert_eq!(r.json["needs_setup"], true);
    assert_eq!(counts(&app), (0, 1, 0), "needs_setup costs nothing");
}
