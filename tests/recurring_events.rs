//! Recurring series and all-day events, WRITE side (issue 10, items 2 and 4), over the
//! stateful fakes (now = 2026-12-01 09:00 America/New_York, a Tuesday). Upstream call
//! counts are asserted per scenario.

use crate::helpers;

use helpers::*;
use juli_testkit::defaults::NYLAS_GRANT;
use serde_json::{json, Value};

fn posts(app: &TestApp) -> Vec<Value> {
    app.fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.body)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Creating a series
// ---------------------------------------------------------------------------------------------

#[test]
fn weekly_one_on_one_with_an_invitee_is_one_series_after_approval() {
    let app = TestApp::new();
    let query = "Weekly 1:1 with sam@acme.com every Tuesday at 10am";
    let first = nl(
        &app,
        query,
        json!({"action": "create_event", "title": "1:1 with Sam", "start": "10am", "recurrence": "every Tuesday",
            "participants": [{"name": "Sam", "email": "sam@acme.com"}], "implies_others": true}),
    );
    assert_eq!(first["needs_approval"], true, "{first}");
    assert_eq!(first["action_type"], "event_create_with_participants");
    let event = &first["preview"]["details"]["event"];
    assert_eq!(event["recurrence"], json!(["RRULE:FREQ=WEEKLY;BYDAY=TU"]));
    assert_eq!(event["repeats"], "weekly on Tue");
    assert_eq!(event["occurrences"], Value::Null, "no end");
    assert_eq!(
        event["start"], "2026-12-01T10:00:00-05:00",
        "today, still ahead"
    );
    let summary = first["preview"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("repeating weekly on Tue (no end date)"),
        "{summary}"
    );
    assert_eq!(
        app.upstream_count(Provider::Nylas),
        1,
        "one window read, no write yet"
    );
    assert!(posts(&app).is_empty());

    let done = approve(&app, &first, json!({"query": query}));
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(done["data"]["repeats"], "weekly on Tue");
    let bodies = posts(&app);
    assert_eq!(bodies.len(), 1, "one series, not one event per week");
    assert_eq!(
        bodies[0]["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TU"])
    );
    assert_eq!(bodies[0]["when"]["start_time"], ts("2026-12-01T15:00:00Z"));
    assert_eq!(bodies[0]["when"]["start_timezone"], "America/New_York");
    assert_eq!(bodies[0]["participants"][0]["email"], "sam@acme.com");
    assert_eq!(
        app.upstream_count(Provider::OpenAi),
        1,
        "the approval re-interprets nothing"
    );
    assert_eq!(
        app.upstream_count(Provider::Nylas),
        2,
        "window read + one POST"
    );
}

#[test]
fn standup_every_weekday_until_the_end_of_march_ends_on_the_last_local_day() {
    let app = TestApp::new();
    let out = structured(
        &app,
        // A solo title: "Standup" implies other people and would need approval (issue 11 item 3).
        json!({"action": "create_event", "title": "Stretch break", "start": "9:30", "duration_minutes": 15,
            "recurrence": "every weekday until the end of March"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let body = &posts(&app)[0];
    // 23:59:59 EDT on Mar 31 2027 is 03:59:59Z on Apr 1.
    assert_eq!(
        body["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270401T035959Z"])
    );
    assert_eq!(body["when"]["start_time"], ts("2026-12-01T14:30:00Z"));
    assert_eq!(body["when"]["end_time"], ts("2026-12-01T14:45:00Z"));
    assert_eq!(out["data"]["repeats"], "every weekday until Mar 31, 2027");
    assert!(
        out["message"]
            .as_str()
            .unwrap()
            .contains("repeating every weekday"),
        "{out}"
    );
    assert_eq!(
        app.upstream_count(Provider::Nylas),
        2,
        "window read + one POST"
    );
}

#[test]
fn a_series_whose_time_has_passed_today_starts_at_the_next_allowed_day() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Gym", "start": "7am", "recurrence": "every Tuesday and Thursday"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let body = &posts(&app)[0];
    assert_eq!(body["recurrence"], json!(["RRULE:FREQ=WEEKLY;BYDAY=TU,TH"]));
    assert_eq!(
        body["when"]["start_time"],
        ts("2026-12-03T12:00:00Z"),
        "Thu 07:00 EST"
    );
}

#[test]
fn an_rrule_with_exdates_is_sent_as_given() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Team lunch", "start": "2026-12-04T12:00",
            "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=4\nEXDATE;TZID=America/New_York:20261225T120000"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        posts(&app)[0]["recurrence"],
        json!([
            "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=4",
            "EXDATE;TZID=America/New_York:20261225T120000"
        ])
    );
    assert!(
        out["data"]["repeats"].as_str().unwrap().contains("4 times"),
        "{out}"
    );
}

#[test]
fn exceptions_in_words_become_exdates() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Piano lesson", "start": "4pm",
            "recurrence": "every Tuesday except Dec 22 and Dec 29"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        posts(&app)[0]["recurrence"],
        json!([
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "EXDATE:20261222T210000Z",
            "EXDATE:20261229T210000Z"
        ])
    );
}

#[test]
fn pay_rent_on_the_first_of_every_month_is_an_all_day_series_that_does_not_block_time() {
    let app = TestApp::new();
    let out = nl(
        &app,
        "pay rent on the first of every month",
        json!({"action": "create_event", "title": "Pay rent", "recurrence": "on the first of every month"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let body = &posts(&app)[0];
    assert_eq!(
        body["recurrence"],
        json!(["RRULE:FREQ=MONTHLY;BYMONTHDAY=1"])
    );
    assert_eq!(body["when"], json!({"date": "2026-12-01"}));
    assert_eq!(body["busy"], false, "a reminder, not blocked time");
    assert_eq!(out["data"]["repeats"], "monthly on the 1st");
    assert_eq!(
        app.upstream_count(Provider::Reclaim),
        0,
        "not a Reclaim task"
    );
}

#[test]
fn an_unreadable_repeat_rule_is_refused_and_nothing_is_written() {
    let app = TestApp::new();
    for rule in [
        "now and then",
        "RRULE:FREQ=WEEKLY;BYSETPOS=1",
        "RRULE:FREQ=WEEKLY;INTERVAL=0",
    ] {
        let out = structured(
            &app,
            json!({"action": "create_event", "title": "Sync", "start": "10am", "recurrence": rule}),
        );
        assert_eq!(out["success"], false, "{rule}: {out}");
        assert!(
            out["error"].as_str().unwrap().contains("repeat rule"),
            "{out}"
        );
    }
    assert_eq!(
        app.upstream_count(Provider::Nylas),
        0,
        "refused before any call"
    );
}

// ---------------------------------------------------------------------------------------------
// All-day events
// ---------------------------------------------------------------------------------------------

#[test]
fn block_friday_as_vacation_is_a_busy_all_day_date() {
    let app = TestApp::new();
    let out = nl(
        &app,
        "block Friday as vacation",
        json!({"action": "create_event", "title": "Vacation", "start": "Friday", "all_day": true}),
    );
    assert_eq!(out["success"], true, "{out}");
    let body = &posts(&app)[0];
    assert_eq!(body["when"], json!({"date": "2026-12-04"}));
    assert_eq!(body["busy"], true);
    assert!(
        out["message"]
            .as_str()
            .unwrap()
            .contains("on Fri Dec 4 (all day)"),
        "{out}"
    );
    assert_eq!(app.upstream_count(Provider::Nylas), 2);
}

#[test]
fn a_birthday_is_a_free_all_day_date_next_year_when_past() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Mom's birthday", "start": "March 3", "all_day": true}),
    );
    assert_eq!(out["success"], true, "{out}");
    let body = &posts(&app)[0];
    assert_eq!(body["when"], json!({"date": "2027-03-03"}));
    assert_eq!(body["busy"], false);
}

#[test]
fn out_dec_22_to_jan_2_is_one_datespan_with_the_last_day_inclusive() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Out of office", "start": "Dec 22", "end": "Jan 2", "all_day": true}),
    );
    assert_eq!(out["success"], true, "{out}");
    let body = &posts(&app)[0];
    assert_eq!(
        body["when"],
        json!({"start_date": "2026-12-22", "end_date": "2027-01-02"})
    );
    assert_eq!(
        out["data"]["all_day"],
        json!({"first_day": "2026-12-22", "last_day": "2027-01-02"})
    );
}

#[test]
fn out_dec_22_to_jan_2_is_the_same_datespan_from_utc_minus_12_to_plus_14() {
    for zone in ["Etc/GMT+12", "Pacific/Kiritimati"] {
        for time in ["00:05:00", "23:55:00"] {
            let app = TestApp::new();
            let out = structured(
                &app,
                json!({"action": "create_event", "title": "Out of office", "start": "Dec 22", "end": "Jan 2",
                    "all_day": true, "user_timezone": zone, "current_date": "2026-12-01", "current_time": time}),
            );
            assert_eq!(out["success"], true, "{zone} {time}: {out}");
            assert_eq!(
                posts(&app)[0]["when"],
                json!({"start_date": "2026-12-22", "end_date": "2027-01-02"}),
                "{zone} {time}"
            );
            assert_eq!(
                out["data"]["all_day"],
                json!({"first_day": "2026-12-22", "last_day": "2027-01-02"}),
                "{zone} {time}"
            );
        }
    }
}

#[test]
fn all_day_dates_never_shift_in_any_zone_from_utc_minus_12_to_plus_14() {
    for zone in [
        "Etc/GMT+12",
        "Pacific/Pago_Pago",
        "America/New_York",
        "UTC",
        "Asia/Tokyo",
        "Pacific/Kiritimati",
    ] {
        for time in ["00:05:00", "23:55:00"] {
            let app = TestApp::new();
            let out = structured(
                &app,
                json!({"action": "create_event", "title": "Holiday", "start": "tomorrow", "all_day": true,
                    "user_timezone": zone, "current_date": "2026-12-01", "current_time": time}),
            );
            assert_eq!(out["success"], true, "{zone} {time}: {out}");
            assert_eq!(
                posts(&app)[0]["when"],
                json!({"date": "2026-12-02"}),
                "{zone} {time}"
            );
        }
    }
}

#[test]
fn an_all_day_end_before_its_start_is_refused() {
    let app = TestApp::new();
    let out = structured(
        &app,
        json!({"action": "create_event", "title": "Trip", "start": "2026-12-10", "end": "2026-12-08", "all_day": true}),
    );
    assert_eq!(out["success"], false, "{out}");
    assert!(
        out["error"]
            .as_str()
            .unwrap()
            .contains("before the first day"),
        "{out}"
    );
    assert_eq!(app.upstream_count(Provider::Nylas), 0);
}

// ---------------------------------------------------------------------------------------------
// A Reclaim due date without a time
// ---------------------------------------------------------------------------------------------

#[test]
fn a_due_date_without_a_time_is_five_pm_local_in_any_zone() {
    let tools = TestApp::new().get("/mcp/tools").json;
    let manage = tools["tools"]
        .as_array()
        .and_then(|list| list.iter().find(|t| t["name"] == "manage_productivity"))
        .unwrap_or_else(|| panic!("manage_productivity is listed: {tools}"));
    let due = manage.to_string();
    assert!(
        due.contains("A date without a time means 17:00 local on that day"),
        "the default is documented in the tool schema: {manage}"
    );
    for (zone, utc) in [
        ("Pacific/Kiritimati", "2026-12-04T03:00:00Z"),
        ("Etc/GMT+12", "2026-12-05T05:00:00Z"),
        ("America/New_York", "2026-12-04T22:00:00Z"),
    ] {
        let app = TestApp::new();
        let out = structured(
            &app,
            json!({"action": "create_task", "title": "Send invoice", "due": "Dec 4", "user_timezone": zone}),
        );
        assert_eq!(out["success"], true, "{zone}: {out}");
        let body = app
            .fakes
            .requests_to(Provider::Reclaim)
            .into_iter()
            .find(|r| r.method == "POST")
            .unwrap()
            .body;
        assert_eq!(body["due"], utc, "{zone}");
    }
}

// ---------------------------------------------------------------------------------------------
// Changing and cancelling with a scope
// ---------------------------------------------------------------------------------------------

use juli_testkit::nylas::EventSeed;

const WEEKDAYS: &str = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";

/// A solo weekday standup since Mon Nov 2 2026, 09:30–09:45 New York.
fn seed_standup(app: &TestApp) {
    seed_standup_with(app, &[]);
}

/// The weekday standup with these extra `recurrence` lines (`EXDATE`s).
fn seed_standup_with(app: &TestApp, exdates: &[&str]) {
    let mut lines = vec![WEEKDAYS];
    lines.extend_from_slice(exdates);
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("standup")
            .at("2026-11-02T14:30:00Z", 15)
            .timezone("America/New_York")
            .recurrence(&lines),
    );
}

/// A weekly sync with sam@acme.com on Tuesdays 10:00 New York since Nov 3, 10 occurrences.
fn seed_weekly_sync(app: &TestApp) {
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Weekly sync")
            .id("sync")
            .at("2026-11-03T15:00:00Z", 30)
            .timezone("America/New_York")
            .participant("sam@acme.com", "Sam")
            .recurrence(&["RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10"]),
    );
}

fn stored(app: &TestApp, id: &str) -> Value {
    app.fakes
        .nylas
        .event(NYLAS_GRANT, id)
        .expect("stored event")
}

fn methods(app: &TestApp) -> Vec<String> {
    app.fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .map(|r| r.method)
        .collect()
}

#[test]
fn move_all_future_standups_ends_the_old_series_and_starts_a_new_one() {
    let app = TestApp::new();
    seed_standup(&app);
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "start": "9:45", "scope": "following"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["data"]["scope"], "following");
    // The old series keeps Nov 2 .. Nov 30 (21 weekdays) and ends one second before Dec 1 09:30 EST.
    assert_eq!(
        stored(&app, "standup")["recurrence"],
        json!([format!("{WEEKDAYS};UNTIL=20261201T142959Z")])
    );
    let new = posts(&app).pop().expect("a new series");
    assert_eq!(new["recurrence"], json!([WEEKDAYS]));
    assert_eq!(
        new["when"]["start_time"],
        ts("2026-12-01T14:45:00Z"),
        "09:45 EST"
    );
    assert_eq!(
        new["when"]["end_time"],
        ts("2026-12-01T15:00:00Z"),
        "duration kept"
    );
    assert_eq!(new["title"], "Standup");
    let calls = methods(&app);
    assert_eq!(calls.iter().filter(|m| *m == "PUT").count(), 1);
    assert_eq!(calls.iter().filter(|m| *m == "POST").count(), 1);
    assert!(
        calls.len() <= 4,
        "find (list, maybe one GET of the master), PUT, POST: {calls:?}"
    );
}

#[test]
fn moving_the_whole_series_keeps_its_first_day_and_days() {
    let app = TestApp::new();
    seed_standup(&app);
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "start": "9:45", "scope": "series"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let master = stored(&app, "standup");
    assert_eq!(
        master["when"]["start_time"],
        ts("2026-11-02T14:45:00Z"),
        "Nov 2 at 09:45 EST"
    );
    assert_eq!(master["recurrence"], json!([WEEKDAYS]), "rule unchanged");
    assert!(posts(&app).is_empty(), "no new series");
    assert!(
        out["message"]
            .as_str()
            .unwrap()
            .ends_with("for the whole series (every occurrence, with no end date)."),
        "{out}"
    );
}

#[test]
fn delete_the_series_deletes_the_master_once() {
    let app = TestApp::new();
    seed_standup(&app);
    let out = structured(
        &app,
        json!({"action": "cancel_event", "item_id": "standup", "scope": "series"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["action"], "cancelled");
    assert_eq!(stored(&app, "standup")["status"], "cancelled");
    let calls = methods(&app);
    assert_eq!(
        calls.iter().filter(|m| *m == "DELETE").count(),
        1,
        "{calls:?}"
    );
    assert!(!calls.iter().any(|m| m == "POST" || m == "PUT"));
}

#[test]
fn cancelling_following_occurrences_of_a_shared_series_needs_approval_with_the_count() {
    let app = TestApp::new();
    seed_weekly_sync(&app);
    let args = json!({"action": "cancel_event", "item_id": "sync", "scope": "following"});
    let first = structured(&app, args.clone());
    assert_eq!(first["needs_approval"], true, "{first}");
    assert_eq!(first["action_type"], "event_series_cancel");
    let details = &first["preview"]["details"];
    assert_eq!(
        details["occurrences_cancelled"], 6,
        "Dec 1 .. Jan 5 of 10 since Nov 3"
    );
    assert_eq!(details["notified"], json!(["sam@acme.com"]));
    let summary = first["preview"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("6 occurrences from Tue Dec 1"),
        "{summary}"
    );
    assert!(summary.contains("weekly on Tue, 10 times"), "{summary}");
    assert!(
        !methods(&app).iter().any(|m| m != "GET"),
        "nothing written before approval"
    );

    let done = approve(&app, &first, args);
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(
        stored(&app, "sync")["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201T145959Z"])
    );
    let puts: Vec<_> = app
        .fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0].query.get("notify_participants").map(String::as_str),
        Some("true")
    );
}

#[test]
fn changing_a_shared_series_needs_event_series_update_approval() {
    let app = TestApp::new();
    seed_weekly_sync(&app);
    let args =
        json!({"action": "update_event", "item_id": "sync", "start": "11am", "scope": "series"});
    let first = structured(&app, args.clone());
    assert_eq!(first["needs_approval"], true, "{first}");
    assert_eq!(first["action_type"], "event_series_update");
    assert_eq!(first["preview"]["details"]["occurrences_changed"], 10);
    let summary = first["preview"]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Change all 10 occurrences of 'Weekly sync'"),
        "{summary}"
    );
    let done = approve(&app, &first, args);
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(
        stored(&app, "sync")["when"]["start_time"],
        ts("2026-11-03T16:00:00Z"),
        "Nov 3 11:00 EST"
    );
}

#[test]
fn a_wide_scope_on_a_single_event_or_one_new_day_for_a_weekday_series_is_refused() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist").at("2026-12-02T20:00:00Z", 60),
    );
    let out = structured(
        &app,
        json!({"action": "cancel_event", "target": {"title_hint": "dentist"}, "scope": "series"}),
    );
    assert_eq!(out["success"], false, "{out}");
    assert!(
        out["error"]
            .as_str()
            .unwrap()
            .contains("not a recurring event"),
        "{out}"
    );
    seed_standup(&app);
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "start": "Thursday 9:30", "scope": "following"}),
    );
    assert_eq!(out["success"], false, "{out}");
    assert!(
        out["error"]
            .as_str()
            .unwrap()
            .contains("so one new day does not say which days"),
        "a weekday series has no single day to move: {out}"
    );
    assert!(!methods(&app).iter().any(|m| m != "GET"), "nothing written");
}

#[test]
fn cancel_just_this_weeks_standup_cancels_one_occurrence_only() {
    let app = TestApp::new();
    let weekly = "RRULE:FREQ=WEEKLY;BYDAY=TH";
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("standup")
            .at("2026-11-05T14:30:00Z", 15)
            .timezone("America/New_York")
            .recurrence(&[weekly]),
    );
    let out = nl(
        &app,
        "cancel just this week's standup",
        json!({"action": "cancel_event", "target": {"title_hint": "standup", "time_hint": "this week", "all_matching": false},
            "scope": "occurrence"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let deletes: Vec<_> = app
        .fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert_eq!(deletes.len(), 1, "one occurrence");
    assert!(
        deletes[0]
            .path
            .ends_with("/events/standup_20261203T143000Z"),
        "{}",
        deletes[0].path
    );
    assert_eq!(
        stored(&app, "standup")["recurrence"],
        json!([weekly]),
        "series untouched"
    );
    assert_ne!(stored(&app, "standup")["status"], "cancelled");
    assert_eq!(methods(&app), vec!["GET", "DELETE"], "one list, one delete");
}

#[test]
fn move_all_future_standups_by_title_splits_at_the_next_occurrence() {
    let app = TestApp::new();
    seed_standup(&app);
    let out = nl(
        &app,
        "move all future standups to 9:45",
        json!({"action": "update_event", "target": {"title_hint": "standup", "time_hint": null, "all_matching": false},
            "start": "9:45", "scope": "following"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        stored(&app, "standup")["recurrence"],
        json!([format!("{WEEKDAYS};UNTIL=20261201T142959Z")])
    );
    let new = posts(&app).pop().expect("a new series");
    assert_eq!(new["when"]["start_time"], ts("2026-12-01T14:45:00Z"));
    let calls = methods(&app);
    assert_eq!(
        calls,
        vec!["GET", "GET", "PUT", "POST"],
        "list, master, end old, create new"
    );
}

// ---------------------------------------------------------------------------------------------
// Moving a series to other days; exceptions that move with it (issue 10 item 2)
// ---------------------------------------------------------------------------------------------

fn occurrence_starts(app: &TestApp, id: &str, until: &str) -> Vec<i64> {
    app.fakes
        .nylas
        .occurrence_starts(NYLAS_GRANT, id, &rfc3339(until))
}

fn rfc3339(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().into()
}

fn new_series_id(app: &TestApp, old: &str) -> String {
    app.fakes
        .nylas
        .events(NYLAS_GRANT)
        .into_iter()
        .find(|e| {
            e["recurrence"].is_array() && e["id"] != old && e.get("master_event_id").is_none()
        })
        .and_then(|e| e["id"].as_str().map(str::to_string))
        .expect("a new series")
}

#[test]
fn moving_the_weekly_sync_to_wednesdays_from_now_on_keeps_the_remaining_count_after_approval() {
    let app = TestApp::new();
    seed_weekly_sync(&app);
    let query = "move the weekly sync to Wednesdays from now on";
    let first = nl(
        &app,
        query,
        json!({"action": "update_event", "target": {"title_hint": "weekly sync", "time_hint": null, "all_matching": false},
            "recurrence": "every Wednesday", "scope": "following"}),
    );
    assert_eq!(first["needs_approval"], true, "{first}");
    assert_eq!(first["action_type"], "event_series_update");
    let details = &first["preview"]["details"];
    assert_eq!(details["occurrences_changed"], 6, "Dec 1 .. Jan 5 of 10");
    assert_eq!(details["repeats"], "weekly on Wed, 6 times");
    let summary = first["preview"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("6 occurrences from Tue Dec 1")
            && summary.contains("to repeat weekly on Wed"),
        "{summary}"
    );
    assert!(
        !methods(&app).iter().any(|m| m != "GET"),
        "nothing written yet"
    );
    let reads = app.upstream_count(Provider::Nylas);

    let done = approve(&app, &first, json!({"query": query}));
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(
        stored(&app, "sync")["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201T145959Z"])
    );
    let new = posts(&app).pop().expect("a new series");
    assert_eq!(
        new["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=6"])
    );
    assert_eq!(
        new["when"]["start_time"],
        ts("2026-12-02T15:00:00Z"),
        "Wed Dec 2, 10:00 EST"
    );
    assert_eq!(new["when"]["end_time"], ts("2026-12-02T15:30:00Z"));
    assert_eq!(new["when"]["start_timezone"], "America/New_York");
    assert_eq!(new["participants"][0]["email"], "sam@acme.com");
    assert_eq!(
        done["data"]["new_series"]["repeats"],
        "weekly on Wed, 6 times"
    );
    let id = new_series_id(&app, "sync");
    assert_eq!(
        occurrence_starts(&app, &id, "2027-03-01T00:00:00Z"),
        [
            "2026-12-02",
            "2026-12-09",
            "2026-12-16",
            "2026-12-23",
            "2026-12-30",
            "2027-01-06"
        ]
        .iter()
        .map(|d| ts(&format!("{d}T15:00:00Z")))
        .collect::<Vec<_>>(),
        "six Wednesdays at 10:00 New York"
    );
    assert_eq!(
        app.upstream_count(Provider::Nylas) - reads,
        2,
        "approved: one PUT ending the old series, one POST, no re-read: {:?}",
        methods(&app)
    );
}

#[test]
fn move_all_future_monday_standups_to_thursday_at_9_45_starts_this_thursday_with_the_exception_moved(
) {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("monday")
            .at("2026-11-02T14:30:00Z", 15)
            .timezone("America/New_York")
            .recurrence(&["RRULE:FREQ=WEEKLY;BYDAY=MO", "EXDATE:20261214T143000Z"]),
    );
    let out = nl(
        &app,
        "move all future standups to Thursday at 9:45",
        json!({"action": "update_event", "target": {"title_hint": "standup", "time_hint": null, "all_matching": false},
            "start": "Thursday 9:45", "scope": "following"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        stored(&app, "monday")["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261207T142959Z"]),
        "the Mondays end before the next one (Dec 7); the later exception goes with the new series"
    );
    let new = posts(&app).pop().expect("a new series");
    // The skipped 3rd Monday (Dec 14) is the skipped 3rd Thursday (Dec 10) at the new time.
    assert_eq!(
        new["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TH", "EXDATE:20261210T144500Z"])
    );
    assert_eq!(
        new["when"]["start_time"],
        ts("2026-12-03T14:45:00Z"),
        "this Thursday 09:45 EST"
    );
    assert_eq!(
        new["when"]["end_time"],
        ts("2026-12-03T15:00:00Z"),
        "15 minutes kept"
    );
    let id = new_series_id(&app, "monday");
    assert_eq!(
        occurrence_starts(&app, &id, "2026-12-25T00:00:00Z"),
        vec![
            ts("2026-12-03T14:45:00Z"),
            ts("2026-12-17T14:45:00Z"),
            ts("2026-12-24T14:45:00Z")
        ]
    );
    assert_eq!(
        methods(&app),
        vec!["GET", "GET", "PUT", "POST"],
        "list, master, end old, create new"
    );
}

#[test]
fn moving_the_whole_monthly_series_to_another_day_of_the_month_moves_its_first_start() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Pay rent")
            .id("rent")
            .at("2026-10-01T13:00:00Z", 15)
            .timezone("America/New_York")
            .recurrence(&["RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12"]),
    );
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "rent", "start": "December 5", "scope": "series"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let master = stored(&app, "rent");
    assert_eq!(
        master["recurrence"],
        json!(["RRULE:FREQ=MONTHLY;BYMONTHDAY=5;COUNT=12"])
    );
    assert_eq!(
        master["when"]["start_time"],
        ts("2026-10-05T13:00:00Z"),
        "Oct 5, 09:00 EDT"
    );
    assert_eq!(master["when"]["start_timezone"], "America/New_York");
    let starts = occurrence_starts(&app, "rent", "2027-01-01T00:00:00Z");
    assert_eq!(
        starts,
        vec![
            ts("2026-10-05T13:00:00Z"),
            ts("2026-11-05T14:00:00Z"),
            ts("2026-12-05T14:00:00Z")
        ],
        "09:00 local before and after the November change"
    );
    assert!(posts(&app).is_empty(), "no new series");
}

#[test]
fn new_days_for_a_multi_day_series_come_from_the_recurrence_argument() {
    let app = TestApp::new();
    seed_standup(&app);
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "recurrence": "every Tuesday and Thursday", "scope": "series"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let master = stored(&app, "standup");
    assert_eq!(
        master["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TU,TH"])
    );
    assert_eq!(
        master["when"]["start_time"],
        ts("2026-11-03T14:30:00Z"),
        "the first Tuesday from Mon Nov 2"
    );
    let refused = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "recurrence": "every month on the 3rd", "scope": "series"}),
    );
    assert_eq!(refused["success"], false, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("changing how often it repeats"),
        "{refused}"
    );
    assert_eq!(
        methods(&app).iter().filter(|m| *m == "PUT").count(),
        1,
        "the refusal wrote nothing"
    );
}

#[test]
fn a_new_time_from_now_on_moves_the_carried_exceptions_to_that_time() {
    let app = TestApp::new();
    seed_standup_with(
        &app,
        &[
            "EXDATE:20261110T143000Z",
            "EXDATE:20261208T143000Z",
            "EXDATE;TZID=America/New_York:20270316T093000",
        ],
    );
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "start": "9:45", "scope": "following"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        stored(&app, "standup")["recurrence"],
        json!([
            format!("{WEEKDAYS};UNTIL=20261201T142959Z"),
            "EXDATE:20261110T143000Z"
        ]),
        "the exception before the split stays with the old series"
    );
    let new = posts(&app).pop().expect("a new series");
    assert_eq!(
        new["recurrence"],
        json!([
            WEEKDAYS,
            "EXDATE:20261208T144500Z",
            "EXDATE;TZID=America/New_York:20270316T094500"
        ]),
        "moved to 09:45 local, EST and EDT alike"
    );
    let id = new_series_id(&app, "standup");
    let starts = occurrence_starts(&app, &id, "2027-03-18T00:00:00Z");
    assert!(
        !starts.contains(&ts("2026-12-08T14:45:00Z")),
        "Dec 8 still skipped"
    );
    assert!(
        !starts.contains(&ts("2027-03-16T13:45:00Z")),
        "Mar 16 still skipped"
    );
    assert!(
        starts.contains(&ts("2027-03-15T13:45:00Z")),
        "09:45 EDT on the Monday before"
    );
}

#[test]
fn a_new_time_for_the_whole_series_moves_its_exceptions_too() {
    let app = TestApp::new();
    seed_standup_with(&app, &["EXDATE:20261208T143000Z"]);
    let out = structured(
        &app,
        json!({"action": "update_event", "item_id": "standup", "start": "9:45", "scope": "series"}),
    );
    assert_eq!(out["success"], true, "{out}");
    let master = stored(&app, "standup");
    assert_eq!(
        master["recurrence"],
        json!([WEEKDAYS, "EXDATE:20261208T144500Z"])
    );
    assert_eq!(master["when"]["start_time"], ts("2026-11-02T14:45:00Z"));
    let starts = occurrence_starts(&app, "standup", "2026-12-10T00:00:00Z");
    assert!(starts.contains(&ts("2026-12-07T14:45:00Z")));
    assert!(
        !starts.contains(&ts("2026-12-08T14:45:00Z")),
        "Dec 8 still skipped"
    );
}
