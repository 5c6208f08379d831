//! Scenarios of `check_availability` over the fakes (now = Tue 2026-12-01 09:00
//! America/New_York), through the REST route, with the upstream calls counted.

use crate::helpers;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use helpers::*;
use juli_testkit::defaults::NYLAS_GRANT;
use serde_json::{json, Value};

const TZ: &str = "America/New_York";

/// Today: sync 09:30–10:30, review 11:00–12:00, lunch 12:00–13:00. Tomorrow: standup
/// 09:00–10:00, design review 13:30–14:30, a free (non-busy) reminder at 14:00, a cancelled
/// call at 15:00.
fn seeded() -> TestApp {
    let app = TestApp::new();
    let n = &app.fakes.nylas;
    for (id, title, start, minutes) in [
        ("t1", "Sync", "2026-12-01T14:30:00Z", 60),
        ("t2", "Quarterly review", "2026-12-01T16:00:00Z", 60),
        ("t3", "Lunch", "2026-12-01T17:00:00Z", 60),
        ("w1", "Standup", "2026-12-02T14:00:00Z", 60),
        ("w2", "Design review", "2026-12-02T18:30:00Z", 60),
    ] {
        n.seed_event(NYLAS_GRANT, EventSeed::new(title).id(id).at(start, minutes));
    }
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Reminder: water plants")
            .id("w3")
            .at("2026-12-02T19:00:00Z", 30)
            .busy(false),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Cancelled call")
            .id("w4")
            .at("2026-12-02T20:00:00Z", 60)
            .status("cancelled"),
    );
    app.fakes.clear_log();
    app
}

fn model_says(app: &TestApp, v: Value) {
    let mut out = json!({"mode": "check_time"});
    for (k, x) in v.as_object().unwrap() {
        out[k] = x.clone();
    }
    app.fakes.openai.push_output(availability_model(out));
}

fn t(s: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s.as_str().unwrap()).unwrap()
}

#[test]
fn am_i_free_tomorrow_at_2pm_for_30_minutes_busy() {
    let app = seeded();
    model_says(
        &app,
        json!({"start": "tomorrow at 2pm", "duration": "30 minutes"}),
    );
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "Am I free tomorrow at 2pm for 30 minutes?"})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["available"], false);
    assert_eq!(
        v["requested_time"],
        json!({"start": "2026-12-02T14:00:00-05:00", "end": "2026-12-02T14:30:00-05:00", "duration_minutes": 30, "timezone": TZ})
    );
    let conflicts = v["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "the free reminder does not block: {v}");
    assert_eq!(conflicts[0]["title"], "Design review");
    assert_eq!(conflicts[0]["id"], "w2");
    assert_eq!(conflicts[0]["type"], "event");
    assert_eq!(conflicts[0]["provider"], "nylas");
    assert_eq!(conflicts[0]["start"], "2026-12-02T13:30:00-05:00");
    assert_eq!(conflicts[0]["end"], "2026-12-02T14:30:00-05:00");
    assert_eq!(v["outside_working_hours"], false);
    // The next free half hour that day is 14:30.
    assert_eq!(v["alternatives"][0]["start"], "2026-12-02T14:30:00-05:00");
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("busy") && m.contains("Design review"), "{m}");
    // One calendar: conflicts name no calendar, the message neither.
    assert!(conflicts[0].get("calendar").is_none(), "{v}");
    assert!(m.contains("'Design review' (1:30 PM – 2:30 PM)"), "{m}");
    assert_eq!(counts(&app), (1, 0, 1));
}

#[test]
fn a_named_calendar_with_one_calendar_costs_the_same_one_read() {
    let app = seeded();
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "tomorrow at 2pm", "duration_minutes": 30, "calendar": "primary"})),
    );
    let v = &r.json;
    assert_eq!(v["available"], false, "{v}");
    assert_eq!(v["conflicts"][0]["title"], "Design review");
    assert_eq!(counts(&app), (0, 0, 1), "the cached list + one read");
    app.fakes.clear_log();
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "tomorrow at 2pm", "calendar": "Work"})),
    );
    assert_eq!(r.json["needs_clarification"], true, "{}", r.json);
    assert_eq!(counts(&app), (0, 0, 0), "nothing read");
    // The argument is in the tool's schema and its model schema (strict, nullable).
    let schema = juli_calendar::tools::check_availability::input_schema();
    assert_eq!(schema["properties"]["calendar"]["type"], "string");
    let model = juli_calendar::interpret::availability::model_schema();
    assert_eq!(
        model["properties"]["calendar"]["type"],
        json!(["string", "null"])
    );
    assert!(model["required"]
        .as_array()
        .unwrap()
        .contains(&json!("calendar")));
}

#[test]
fn am_i_free_tomorrow_at_3pm_free_without_the_model() {
    let app = seeded();
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "tomorrow at 3pm", "duration_minutes": 30})),
    );
    let v = &r.json;
    assert_eq!(v["available"], true, "{v}");
    assert_eq!(
        v["conflicts"],
        json!([]),
        "a cancelled event is no conflict"
    );
    assert_eq!(v["requested_time"]["start"], "2026-12-02T15:00:00-05:00");
    assert!(v["message"].as_str().unwrap().starts_with("You're free"));
    assert_eq!(counts(&app), (0, 0, 1));
}

#[test]
fn outside_working_hours_and_past_times_are_noted() {
    let app = seeded();
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "tomorrow at 7pm"})),
    );
    assert_eq!(r.json["available"], true);
    assert_eq!(r.json["outside_working_hours"], true);
    assert_eq!(r.json["requested_time"]["duration_minutes"], 60);
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .contains("outside your working hours"));
    let r = app.call_tool("check_availability", ctx(json!({"start": "today at 8am"})));
    assert_eq!(r.json["in_past"], true);
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .starts_with("That time has already passed"));
}

#[test]
fn find_2_hours_for_deep_work_this_week_preferably_mornings() {
    let app = seeded();
    model_says(
        &app,
        json!({"mode": "find_slots", "range": "this week", "duration": "2 hours", "preference": "morning"}),
    );
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "Find 2 hours for deep work this week, preferably in the morning"})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["duration_minutes"], 120);
    assert_eq!(v["time_range"]["start"], "2026-12-01T09:00:00-05:00");
    assert_eq!(v["time_range"]["end"], "2026-12-07T00:00:00-05:00");
    let slots = v["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 5);
    // Today's morning is broken up; tomorrow 10:00–12:00 is the best morning slot.
    assert_eq!(slots[0]["start"], "2026-12-02T10:00:00-05:00");
    assert_eq!(slots[0]["end"], "2026-12-02T12:00:00-05:00");
    let busy = [
        ("2026-12-01T09:30:00-05:00", "2026-12-01T13:00:00-05:00"),
        ("2026-12-02T09:00:00-05:00", "2026-12-02T10:00:00-05:00"),
        ("2026-12-02T13:30:00-05:00", "2026-12-02T14:30:00-05:00"),
    ];
    for s in slots {
        let (start, end) = (t(&s["start"]), t(&s["end"]));
        assert_eq!((end - start).num_minutes(), 120);
        assert!(
            start >= t(&json!("2026-12-01T09:00:00-05:00")),
            "not in the past"
        );
        assert!(start.hour() >= 9 && (end.hour() < 18 || (end.hour() == 18 && end.minute() == 0)));
        assert!(
            start.weekday().number_from_monday() <= 5,
            "working days only"
        );
        for (b0, b1) in busy {
            assert!(
                end <= t(&json!(b0)) || start >= t(&json!(b1)),
                "{s} overlaps busy time"
            );
        }
        let c = s["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        assert!(s["reason"].as_str().unwrap().len() > 5);
    }
    // Mornings first.
    assert!(t(&slots[0]["end"]).hour() <= 12);
    assert_eq!(
        counts(&app),
        (1, 0, 1),
        "one events query for the whole week"
    );
}

#[test]
fn do_i_have_15_minutes_free_this_afternoon() {
    let app = seeded();
    model_says(
        &app,
        json!({"mode": "find_slots", "range": "this afternoon", "duration": "15 minutes"}),
    );
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "Do I have 15 minutes free this afternoon?"})),
    );
    let v = &r.json;
    assert_eq!(v["available"], true, "{v}");
    assert_eq!(v["duration_minutes"], 15);
    let slots = v["slots"].as_array().unwrap();
    assert!(!slots.is_empty());
    for s in slots {
        let start = t(&s["start"]);
        assert_eq!(start.day(), 1);
        assert!(start.hour() >= 13, "after lunch: {s}");
        assert!(t(&s["end"]).hour() <= 17);
    }
    assert_eq!(counts(&app), (1, 0, 1));
}

#[test]
fn working_hours_can_be_extended_per_request() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Workshop").at("2026-12-02T14:00:00Z", 9 * 60),
    );
    app.fakes.clear_log();
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"range": "tomorrow", "duration_minutes": 60})),
    );
    assert_eq!(r.json["available"], false, "{}", r.json);
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .starts_with("No free 1 h slot"));
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"range": "tomorrow", "duration_minutes": 60, "working_hours_end": "8pm"})),
    );
    assert_eq!(r.json["slots"][0]["start"], "2026-12-02T18:00:00-05:00");
    assert_eq!(r.json["data"]["working_hours"]["end"], "20:00");
}

#[test]
fn availability_needs_nylas() {
    let app = seeded();
    let r = app.call_tool_with(
        "check_availability",
        &reclaim_only_headers(),
        ctx(json!({"query": "am I free at 3pm?"})),
    );
    assert_eq!(r.json["needs_setup"], true);
    assert_eq!(
        r.json["missing"],
        json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
    );
    assert_eq!(counts(&app), (0, 0, 0));
}

#[test]
fn bad_inputs_are_readable_errors_without_upstream_calls() {
    let app = seeded();
    for args in [
        json!({"start": "at the end of time"}),
        json!({"range": "this week", "duration_minutes": 0}),
        json!({"range": "overdue"}),
        json!({"range": "this week", "working_hours_end": "5am"}),
    ] {
        let r = app.call_tool("check_availability", ctx(args.clone()));
        assert_eq!(r.json["success"], false, "{args}: {}", r.json);
        assert!(r.json["error"].as_str().unwrap().len() > 10);
    }
    assert_eq!(counts(&app), (0, 0, 0));
}

/// "No request fails only because of how a time was phrased": a structured `start` that
/// names a day, a past day, a holiday or a day-first date reports the moment it read in
/// `requested_time.start` (RFC 3339), with one Nylas read each and no model call.
#[test]
fn structured_start_reports_days_past_days_holidays_and_day_first_dates() {
    let app = seeded();
    let cases = [
        ("christmas", json!({}), "2026-12-25"),
        ("the 24th", json!({}), "2026-12-24"),
        ("last friday", json!({}), "2026-11-27"),
        ("3 days ago", json!({}), "2026-11-28"),
        ("3/4", json!({"date_order": "dmy"}), "2027-04-03"),
        ("3/4", json!({}), "2027-03-04"),
        ("2 weeks from january 15", json!({}), "2027-01-29"),
        ("tonight around 8", json!({}), "2026-12-01"),
    ];
    for (start, extra, want_day) in &cases {
        let mut args = json!({ "start": start });
        for (k, v) in extra.as_object().unwrap() {
            args[k] = v.clone();
        }
        let r = app.call_tool("check_availability", ctx(args));
        assert_eq!(r.json["success"], true, "{start}: {}", r.json);
        let got = t(&r.json["requested_time"]["start"]);
        assert_eq!(
            got.date_naive().to_string(),
            *want_day,
            "{start}: {}",
            r.json
        );
    }
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "tonight around 8"})),
    );
    assert_eq!(t(&r.json["requested_time"]["start"]).hour(), 20);
    let r = app.call_tool("check_availability", ctx(json!({"start": "last friday"})));
    assert_eq!(r.json["in_past"], true, "{}", r.json);
    assert_eq!(counts(&app), (0, 0, cases.len() + 2));

    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "3/4", "date_order": "backwards"})),
    );
    assert_eq!(r.json["success"], false);
    assert!(r.json["error"].as_str().unwrap().contains("date_order"));
    assert_eq!(
        counts(&app),
        (0, 0, cases.len() + 2),
        "a bad date_order reads nothing"
    );
}

/// Rust's reading of the model-copied phrase wins; when Rust cannot read it, the model's own
/// valid, in-bounds ISO reading is used and the log line says so; with neither, the user is
/// asked (no Nylas read).
#[test]
fn the_models_iso_reading_is_a_fallback_only() {
    let app = seeded();
    // Rust reads the words: the (wrong) ISO reading is ignored.
    model_says(
        &app,
        json!({"start": "tomorrow at 2pm", "start_iso": "2026-12-09T10:00"}),
    );
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "Am I free tomorrow at 2pm?"})),
    );
    assert_eq!(
        r.json["requested_time"]["start"],
        "2026-12-02T14:00:00-05:00"
    );
    assert_eq!(app.last_log()["model_time_readings"], json!([]));

    // Words Rust cannot read: the model's reading is used and logged.
    model_says(
        &app,
        json!({"start": "when the cows come home", "start_iso": "2026-12-02T15:00"}),
    );
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "Am I free when the cows come home?"})),
    );
    assert_eq!(r.json["success"], true, "{}", r.json);
    assert_eq!(
        r.json["requested_time"]["start"],
        "2026-12-02T15:00:00-05:00"
    );
    assert_eq!(app.last_log()["model_time_readings"], json!(["start"]));

    // Neither: an out-of-bounds or non-ISO reading is not used; the user is asked.
    for iso in [json!("3026-12-02T15:00"), json!("soonish"), Value::Null] {
        model_says(
            &app,
            json!({"start": "when the cows come home", "start_iso": iso}),
        );
        let r = app.call_tool(
            "check_availability",
            ctx(json!({"query": "Am I free when the cows come home?"})),
        );
        assert_eq!(r.json["success"], false, "{iso}: {}", r.json);
        assert!(r.json["error"].as_str().unwrap().contains("cows"));
        assert_eq!(app.last_log()["model_time_readings"], json!([]));
    }
    assert_eq!(counts(&app), (5, 0, 2));
}
