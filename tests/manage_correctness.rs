//! Write-side correctness of `manage_productivity` (issue #11 items 1, 2, 3, 7, 8, 9, 13, 16)
//! over the stateful fakes (now = 2026-12-01 09:00 America/New_York, a Tuesday). Each test
//! failed before its fix; upstream calls are counted where the count matters.

use crate::helpers;

use helpers::*;
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::{json, Value};

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
fn an_event_rescheduled_into_the_dst_gap_moves_forward_and_says_so() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Server migration")
            .id("ev-m")
            .at("2027-03-14T05:00:00Z", 30)
            .timezone("America/New_York"),
    );
    let out = structured(
        &app,
        json!({"action": "update_event", "target": {"title_hint": "server migration", "time_hint": "2027-03-14"}, "start": "2:30am"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let ev = app.fakes.nylas.event(NYLAS_GRANT, "ev-m").unwrap();
    // 3:30 AM EDT on Mar 14 2027 = 07:30 UTC; the 30-minute length is kept.
    assert_eq!(
        ev["when"]["start_time"].as_i64(),
        Some(1_805_009_400),
        "{ev}"
    );
    assert_eq!(ev["when"]["end_time"].as_i64(), Some(1_805_011_200), "{ev}");
    let warnings = text(&out["warnings"]);
    assert!(warnings.contains("does not exist"), "{out}");
    assert!(warnings.contains("3:30 AM"), "{out}");
    assert_eq!(counts(&app).0, 0, "no model call for a structured request");
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

// ---------------------------------------------------------------------------------------------
// 1. A destructive action never hits an event whose title does not match
// ---------------------------------------------------------------------------------------------

/// 15:00 local on Tuesday Dec 1, with "Design meeting" today 14:00 and "Dentist" tomorrow 14:00.
fn afternoon_app() -> TestApp {
    let mut app = TestApp::new();
    app.set_now("2026-12-01T20:00:00Z".parse().unwrap());
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Design meeting")
            .id("ev-design")
            .at("2026-12-01T19:00:00Z", 60),
    );
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist")
            .id("ev-dentist")
            .at("2026-12-02T19:00:00Z", 60),
    );
    app
}

fn at_three(args: Value) -> Value {
    let mut args = ctx(args);
    args["current_time"] = json!("15:00:00");
    args
}

#[test]
fn cancel_the_2pm_meeting_never_cancels_the_dentist() {
    let app = afternoon_app();
    let out = app
        .call_tool(
            "manage_productivity",
            at_three(json!({"action": "cancel_event", "target": {"title_hint": "meeting", "time_hint": "2pm"}})),
        )
        .json;
    assert_eq!(out["needs_clarification"], true, "{out}");
    let ids: Vec<&str> = out["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec!["ev-design", "ev-dentist"],
        "today's past one and tomorrow's"
    );
    assert!(requests(&app, Provider::Nylas, "DELETE").is_empty());
    assert_eq!(counts(&app), (0, 0, 1), "one events query");
}

#[test]
fn a_kind_word_in_no_title_lists_the_candidates_instead_of_cancelling() {
    let mut app = TestApp::new();
    app.set_now("2026-12-01T20:00:00Z".parse().unwrap());
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist")
            .id("ev-dentist")
            .at("2026-12-02T19:00:00Z", 60),
    );
    let out = app
        .call_tool(
            "manage_productivity",
            at_three(json!({"action": "cancel_event", "target": {"title_hint": "meeting", "time_hint": "tomorrow 2pm"}})),
        )
        .json;
    assert_eq!(out["needs_clarification"], true, "{out}");
    assert_eq!(out["candidates"][0]["id"], "ev-dentist");
    assert!(out["message"]
        .as_str()
        .unwrap()
        .contains("nothing was cancelled"));
    assert!(requests(&app, Provider::Nylas, "DELETE").is_empty());
}

#[test]
fn a_matching_title_at_the_next_occurrence_is_still_cancelled() {
    let app = afternoon_app();
    let out = app
        .call_tool(
            "manage_productivity",
            at_three(json!({"action": "cancel_event", "target": {"title_hint": "dentist", "time_hint": "2pm"}})),
        )
        .json;
    assert_eq!(out["success"], true, "{out}");
    let deletes = requests(&app, Provider::Nylas, "DELETE");
    assert_eq!(deletes.len(), 1);
    assert!(deletes[0].path.ends_with("/events/ev-dentist"));
}

// ---------------------------------------------------------------------------------------------
// 3. Events that imply other people need approval on the structured path too
// ---------------------------------------------------------------------------------------------

#[test]
fn implied_group_titles_need_approval_without_the_model() {
    for title in [
        "Team standup",
        "1:1 with Sam",
        "Interview",
        "Sync with the team",
    ] {
        let app = TestApp::new();
        let out = structured(
            &app,
            json!({"action": "create_event", "title": title, "start": "2026-12-02T11:00"}),
        );
        assert_eq!(
            out["action_type"], "event_create_with_participants",
            "{title}: {out}"
        );
        assert!(app.fakes.nylas.events(NYLAS_GRANT).is_empty(), "{title}");
        assert_eq!(counts(&app), (0, 0, 1), "{title}: only the window read");
    }
}

#[test]
fn structured_implies_others_and_request_text_need_approval() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Design crit", "start": "2026-12-02T11:00", "implies_others": true}),
    );
    assert_eq!(
        out["action_type"], "event_create_with_participants",
        "{out}"
    );

    let app = TestApp::new();
    let out = nl(
        &app,
        "set up a sync with the team tomorrow at 11",
        json!({"action": "create_event", "title": "Planning", "start": "tomorrow at 11am", "implies_others": false}),
    );
    assert_eq!(
        out["action_type"], "event_create_with_participants",
        "{out}"
    );

    let app = TestApp::new();
    let solo = structured(
        &app,
        json!({"action": "create_event", "title": "Design crit prep", "start": "2026-12-02T11:00"}),
    );
    assert_eq!(
        solo["success"], true,
        "a solo event is created at once: {solo}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Invitee addresses must be in the user's own text
// ---------------------------------------------------------------------------------------------

#[test]
fn an_address_the_user_never_wrote_is_dropped_and_reported() {
    let app = TestApp::new();
    let args = json!({"query": "lunch with Sam and ana@acme.com tomorrow at noon"});
    app.fakes.openai.push_output(model(json!({"action": "create_event", "title": "Lunch", "start": "tomorrow at noon",
        "participants": [{"name": "Sam", "email": "sam@acme.com"}, {"name": null, "email": "ana@acme.com"}]})));
    let first = app.call_tool("manage_productivity", ctx(args.clone())).json;
    assert_eq!(
        first["action_type"], "event_create_with_participants",
        "{first}"
    );
    let invitees = &first["preview"]["details"]["invitees"];
    assert_eq!(invitees.as_array().unwrap().len(), 1, "{first}");
    assert_eq!(invitees[0]["email"], "ana@acme.com");
    assert_eq!(
        first["preview"]["details"]["unresolved_participants"],
        json!(["Sam"])
    );
    assert!(text(&first["warnings"]).contains("sam@acme.com"), "{first}");

    let done = approve(&app, &first, args);
    assert_eq!(done["success"], true, "{done}");
    let create = &requests(&app, Provider::Nylas, "POST")[0];
    assert_eq!(create.body["participants"].as_array().unwrap().len(), 1);
    assert!(
        !create.body.to_string().contains("sam@acme.com"),
        "never invited"
    );
}

#[test]
fn structured_participants_are_the_users_own_text() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Review", "start": "2026-12-02T11:00", "participants": ["Bo@Acme.com"]}),
    );
    assert_eq!(
        out["action_type"], "event_create_with_participants",
        "{out}"
    );
    assert_eq!(
        out["preview"]["details"]["invitees"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{out}"
    );
    assert!(out.get("warnings").is_none(), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 8. A duplicate that also invites people
// ---------------------------------------------------------------------------------------------

#[test]
fn a_duplicate_with_invitees_says_both_and_still_checks_conflicts() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Project sync")
            .id("ev-dup")
            .at("2026-12-02T19:30:00Z", 30),
    ); // 14:30-15:00 local
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Board meeting")
            .id("ev-board")
            .at("2026-12-02T19:00:00Z", 30),
    ); // 14:00-14:30 local
    let args = json!({"action": "create_event", "title": "Project Sync", "start": "2026-12-02T14:00", "participants": ["ana@acme.com"]});
    let first = structured(&app, args.clone());
    assert_eq!(first["action_type"], "event_create_duplicate", "{first}");
    let summary = first["preview"]["summary"].as_str().unwrap();
    assert!(summary.contains("already exists"), "{summary}");
    assert!(summary.contains("invite 'ana@acme.com'"), "{summary}");
    assert!(
        summary.contains("Board meeting"),
        "conflict named: {summary}"
    );
    let details = &first["preview"]["details"];
    assert_eq!(details["invitees"][0]["email"], "ana@acme.com");
    assert_eq!(
        details["conflicts"][0]["id"], "ev-board",
        "the duplicate itself is no conflict"
    );
    let risks = text(&first["preview"]["risks"]);
    assert!(
        risks.contains("duplicate") && risks.contains("invitation"),
        "{risks}"
    );

    let done = approve(&app, &first, args);
    assert_eq!(done["success"], true, "{done}");
    let proposed = details["new_event"]["start"].as_str().unwrap();
    assert_eq!(
        done["data"]["when"]["start"], proposed,
        "created at the free slot"
    );
    assert_ne!(proposed, "2026-12-02T14:00:00-05:00");
    assert_eq!(counts(&app), (0, 0, 2), "one window read, one create");
}
