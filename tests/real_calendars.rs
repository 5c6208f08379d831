//! Real calendars (issue 10): recurring series on the read side, all-day events in extreme
//! zones, provider errors. Now = Tue 2026-12-01 09:00 America/New_York. Upstream calls are
//! counted per scenario.

mod helpers;

use helpers::*;
use juli_testkit::defaults::NYLAS_GRANT;
use serde_json::{json, Value};

/// A weekly 1:1 on Tuesdays 10:00 New York (started in October, before the DST change) and a
/// weekday standup 09:30 whose Wednesday occurrence was moved to 11:00.
fn with_series() -> TestApp {
    let app = TestApp::new();
    let n = &app.fakes.nylas;
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("1:1 with Sam")
            .id("oneonone")
            .at("2026-10-06T14:00:00Z", 30)
            .timezone("America/New_York")
            .participant("sam@acme.com", "Sam")
            .recurrence(&["RRULE:FREQ=WEEKLY;BYDAY=TU"]),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("standup")
            .at("2026-11-02T14:30:00Z", 15)
            .timezone("America/New_York")
            .recurrence(&["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup")
            .id("standup_20261202T143000Z")
            .at("2026-12-02T16:00:00Z", 15)
            .timezone("America/New_York")
            .with("master_event_id", json!("standup")),
    );
    app.fakes.clear_log();
    app
}

fn event_titles_and_starts(v: &Value) -> Vec<(String, String)> {
    v["data"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap().to_string(),
                e["start"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn find_shows_the_occurrences_of_a_series_with_how_it_repeats() {
    let app = with_series();
    let r = app.call_tool(
        "find_and_analyze",
        ctx(json!({"scope": "events", "time_range": "today"})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(
        event_titles_and_starts(v),
        vec![
            ("Standup".into(), "2026-12-01T09:30:00-05:00".into()),
            ("1:1 with Sam".into(), "2026-12-01T10:00:00-05:00".into()),
        ],
        "both series appear on their local times (the 1:1 started under EDT)"
    );
    let one = &v["data"]["events"][1];
    assert_eq!(one["is_occurrence"], true);
    assert_eq!(one["series_id"], "oneonone");
    assert_eq!(one["repeats"], "weekly on Tue");
    assert_eq!(v["data"]["events"][0]["repeats"], "every weekday");
    // One events read (expand_recurring=true) + one master lookup per series shown.
    assert_eq!(counts(&app), (0, 0, 3));
    let lists: Vec<_> = app
        .fakes
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/events"))
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(
        lists[0].query.get("expand_recurring").map(String::as_str),
        Some("true")
    );
}

#[test]
fn a_moved_occurrence_is_seen_at_its_new_time_and_not_at_the_old_one() {
    let app = with_series();
    let r = app.call_tool(
        "find_and_analyze",
        ctx(json!({"scope": "events", "time_range": "tomorrow", "keywords": ["standup"]})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(
        event_titles_and_starts(v),
        vec![("Standup".into(), "2026-12-02T11:00:00-05:00".into())]
    );
    assert_eq!(v["data"]["events"][0]["series_id"], "standup");
}

#[test]
fn availability_sees_recurring_meetings() {
    let app = with_series();
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "2026-12-08T10:00:00-05:00", "duration_minutes": 30})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(
        v["available"], false,
        "the weekly 1:1 occupies next Tuesday 10:00: {v}"
    );
    assert_eq!(
        v["data"]["conflicts"][0]["series_id"], "oneonone",
        "the conflict says which series it is an occurrence of: {v}"
    );
    assert_eq!(v["data"]["conflicts"][0]["title"], "1:1 with Sam");
    assert_eq!(counts(&app), (0, 0, 1), "one expanded events read");
}

#[test]
fn all_day_events_cover_exactly_their_local_day_at_both_ends_of_the_clock() {
    for (zone, offset) in [
        ("Pacific/Kiritimati", "+14:00"),
        ("Etc/GMT+12", "-12:00"),
        ("America/New_York", "-05:00"),
        ("Asia/Kathmandu", "+05:45"),
    ] {
        let app = TestApp::new();
        app.fakes.nylas.seed_event(
            NYLAS_GRANT,
            EventSeed::new("Vacation").id("vac").all_day("2026-12-04"),
        );
        app.fakes.nylas.seed_event(
            NYLAS_GRANT,
            EventSeed::new("Conference")
                .id("conf")
                .all_day_span("2026-12-07", "2026-12-08"),
        );
        app.fakes.clear_log();
        let find = |range: &str| {
            let r = app.call_tool(
                "find_and_analyze",
                ctx(json!({"scope": "events", "time_range": range, "user_timezone": zone})),
            );
            assert_eq!(r.json["success"], true, "{zone}: {}", r.json);
            r.json
        };
        let friday = find("2026-12-04");
        let ev = &friday["data"]["events"];
        assert_eq!(ev.as_array().unwrap().len(), 1, "{zone}: {friday}");
        assert_eq!(ev[0]["all_day"], true);
        assert!(
            ev[0]["start"] == json!(format!("2026-12-04T00:00:00{offset}")),
            "{zone}: starts at local midnight of its own day: {}",
            ev[0]["start"]
        );
        assert!(
            ev[0]["end"] == json!(format!("2026-12-05T00:00:00{offset}")),
            "{zone}: {}",
            ev[0]["end"]
        );
        for neighbour in ["2026-12-03", "2026-12-05", "2026-12-06", "2026-12-09"] {
            let v = find(neighbour);
            assert_eq!(
                v["data"]["events"].as_array().unwrap().len(),
                0,
                "{zone}: nothing all-day leaks into {neighbour}: {v}"
            );
        }
        let span = find("2026-12-08");
        assert_eq!(
            span["data"]["events"][0]["id"], "conf",
            "{zone}: last day included"
        );
        // Busy time: a 10:00 local hour on the vacation day is taken, the day after is free.
        let busy = |start: &str| {
            let r = app.call_tool(
                "check_availability",
                ctx(json!({"start": start, "duration_minutes": 60, "user_timezone": zone})),
            );
            assert_eq!(r.json["success"], true, "{zone}: {}", r.json);
            r.json["available"].as_bool().unwrap()
        };
        assert!(
            !busy("2026-12-04T10:00:00"),
            "{zone}: vacation blocks its day"
        );
        assert!(busy("2026-12-05T10:00:00"), "{zone}: the next day is free");
        assert!(
            busy("2026-12-03T23:00:00"),
            "{zone}: the evening before is free"
        );
    }
}

#[test]
fn an_icloud_calendar_is_found_once_then_used_up_front() {
    let app = TestApp::new();
    let n = &app.fakes.nylas;
    n.make_icloud(NYLAS_GRANT);
    // A read-only subscribed calendar listed first must never be chosen.
    n.set_calendars(
        NYLAS_GRANT,
        vec![
            json!({"id": "us-holidays", "name": "US Holidays", "read_only": true, "is_owned_by_user": false}),
            json!({"id": "home-cal", "name": "Home", "is_primary": false}),
        ],
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist")
            .id("d1")
            .calendar("home-cal")
            .at("2026-12-01T16:00:00Z", 60),
    );
    app.fakes.clear_log();
    let ask = || {
        app.call_tool(
            "check_availability",
            ctx(json!({"start": "2026-12-01T11:00:00-05:00", "duration_minutes": 30})),
        )
    };
    let first = ask();
    assert_eq!(first.json["available"], false, "{}", first.json);
    assert_eq!(
        counts(&app),
        (0, 0, 3),
        "refused primary, GET /calendars, retry"
    );
    app.fakes.clear_log();
    let second = ask();
    assert_eq!(second.json["available"], false, "{}", second.json);
    assert_eq!(
        counts(&app),
        (0, 0, 1),
        "the remembered calendar is used up front"
    );
    let req = app.fakes.requests().pop().unwrap();
    assert_eq!(
        req.query.get("calendar_id").map(String::as_str),
        Some("home-cal")
    );
}

#[test]
fn google_out_of_office_and_focus_time_count_as_busy() {
    let app = TestApp::new();
    let n = &app.fakes.nylas;
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Out of office")
            .event_type("outOfOffice")
            .at("2026-12-02T15:00:00Z", 120),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Focus time")
            .event_type("focusTime")
            .at("2026-12-02T19:00:00Z", 60),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Home")
            .event_type("workingLocation")
            .busy(false)
            .all_day("2026-12-02"),
    );
    app.fakes.clear_log();
    let free = |start: &str| {
        let r = app.call_tool(
            "check_availability",
            ctx(json!({"start": start, "duration_minutes": 30})),
        );
        assert_eq!(r.json["success"], true, "{}", r.json);
        r.json["available"].as_bool().unwrap()
    };
    assert!(!free("2026-12-02T10:30:00-05:00"), "out of office blocks");
    assert!(!free("2026-12-02T14:00:00-05:00"), "focus time blocks");
    assert!(
        free("2026-12-02T16:00:00-05:00"),
        "the working location does not"
    );
    assert_eq!(counts(&app), (0, 0, 3), "one events read per question");
    let req = app.fakes.requests().pop().unwrap();
    assert_eq!(
        req.query.get("event_type").map(String::as_str),
        Some("default,outOfOffice,focusTime")
    );
}

#[test]
fn a_create_that_hits_an_occurrence_names_its_series_in_the_conflict_it_moved_around() {
    let app = with_series();
    let r = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "create_event", "title": "Dentist", "start": "2026-12-08T10:00", "duration_minutes": 30})),
    );
    let v = &r.json;
    let conflicts = v["conflicts"]
        .as_array()
        .or_else(|| v["preview"]["details"]["conflicts"].as_array())
        .unwrap_or_else(|| panic!("a conflict is reported: {v}"));
    assert_eq!(conflicts[0]["series_id"], "oneonone", "{v}");
    assert_eq!(v["rescheduled_due_to_conflict"], true, "{v}");
    assert_eq!(
        counts(&app).2,
        2,
        "one expanded window read + the POST at the next free slot: {v}"
    );
}
