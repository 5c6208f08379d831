//! Real calendars (issue 10): recurring series on the read side, all-day events in extreme
//! zones, provider errors. Now = Tue 2026-12-01 09:00 America/New_York. Upstream calls are
//! counted per scenario.

use crate::helpers;

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

/// The calendar of every Nylas request, in order (`-` for requests without one).
fn calendar_ids(app: &TestApp) -> Vec<String> {
    app.fakes
        .requests_to(Provider::Nylas)
        .iter()
        .map(|r| match r.query.get("calendar_id") {
            Some(c) => format!(
                "{} {} {c}",
                r.method,
                r.path.rsplit('/').next().unwrap_or("")
            ),
            None => format!("{} {}", r.method, r.path.rsplit('/').next().unwrap_or("")),
        })
        .collect()
}

#[test]
fn an_icloud_calendar_is_resolved_up_front_and_never_a_read_only_one() {
    let mut app = TestApp::new();
    app.warm_calendars = false;
    let n = &app.fakes.nylas;
    n.make_icloud(NYLAS_GRANT);
    // A read-only subscribed calendar listed first must never be chosen or counted.
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
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Parade broadcast")
            .calendar("us-holidays")
            .at("2026-12-01T18:00:00Z", 60),
    );
    app.fakes.clear_log();
    let ask = |start: &str| {
        let r = app.call_tool(
            "check_availability",
            ctx(json!({"start": start, "duration_minutes": 30})),
        );
        assert_eq!(r.json["success"], true, "{}", r.json);
        r.json["available"].as_bool().unwrap()
    };
    assert!(!ask("2026-12-01T11:00:00-05:00"), "the Home dentist blocks");
    assert_eq!(
        calendar_ids(&app),
        ["GET calendars", "GET events home-cal"],
        "cold: the list first, then only the own calendar; `primary` is never tried"
    );
    app.fakes.clear_log();
    assert!(
        ask("2026-12-01T13:00:00-05:00"),
        "the holiday calendar's event is not the user's busy time"
    );
    assert_eq!(
        calendar_ids(&app),
        ["GET events home-cal"],
        "warm: one read"
    );
    app.fakes.clear_log();
    let made = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "create_event", "title": "Gym", "start": "2026-12-01T18:00:00-05:00", "duration_minutes": 60})),
    );
    assert_eq!(made.json["success"], true, "{}", made.json);
    assert_eq!(
        calendar_ids(&app),
        ["GET events home-cal", "POST events home-cal"],
        "the write goes to the writable calendar at once"
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

// ---------------------------------------------------------------------------------------------
// Every calendar the user owns (issue 10 item 3)

const PERSONAL: &str = "personal-cal";
const HOLIDAYS: &str = "us-holidays";
const PRIMARY_ID: &str = juli_testkit::defaults::USER_EMAIL;

/// The primary calendar plus "Personal" (own, writable) and "US Holidays" (read-only,
/// subscribed). Wed Dec 2 (New York): a standup 09:00 on the primary, the dentist 10:00 on
/// Personal, a holiday broadcast 11:00 on US Holidays.
fn three_calendars(warm: bool) -> TestApp {
    let mut app = TestApp::new();
    app.warm_calendars = warm;
    let n = &app.fakes.nylas;
    n.add_calendar(NYLAS_GRANT, PERSONAL, "Personal", false);
    n.add_calendar(NYLAS_GRANT, HOLIDAYS, "US Holidays", true);
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Standup").at("2026-12-02T14:00:00Z", 30),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist")
            .id("dentist")
            .calendar(PERSONAL)
            .at("2026-12-02T15:00:00Z", 60),
    );
    n.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Holiday broadcast")
            .calendar(HOLIDAYS)
            .at("2026-12-02T16:00:00Z", 60),
    );
    app.fakes.clear_log();
    app
}

fn available(app: &TestApp, start: &str) -> bool {
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": start, "duration_minutes": 30})),
    );
    assert_eq!(r.json["success"], true, "{}", r.json);
    r.json["available"].as_bool().unwrap()
}

#[test]
fn one_calendar_costs_one_list_when_cold_and_no_extra_call_when_warm() {
    let mut app = TestApp::new();
    app.warm_calendars = false;
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Review").at("2026-12-02T15:00:00Z", 60),
    );
    app.fakes.clear_log();
    assert!(!available(&app, "2026-12-02T10:00:00-05:00"));
    assert_eq!(
        calendar_ids(&app),
        ["GET calendars", &format!("GET events {PRIMARY_ID}")],
        "cold cache: one GET /calendars, then the one events read"
    );
    app.fakes.clear_log();
    assert!(available(&app, "2026-12-02T12:00:00-05:00"));
    assert_eq!(counts(&app), (0, 0, 1), "warm cache: nothing extra");
    // The cache is keyed by a hash: no key or value names the grant id or the API key.
    for key in app.store.keys() {
        assert!(!key.contains(NYLAS_GRANT), "{key}");
    }
    // After the TTL (10 min) the list is read again.
    app.set_now(default_now() + chrono::Duration::minutes(11));
    app.fakes.clear_log();
    assert!(available(&app, "2026-12-02T12:00:00-05:00"));
    assert_eq!(counts(&app), (0, 0, 2), "expired: listed again");
}

#[test]
fn busy_time_counts_from_every_own_calendar_but_not_read_only_ones() {
    let app = three_calendars(true);
    assert!(
        !available(&app, "2026-12-02T10:00:00-05:00"),
        "the dentist on Personal blocks"
    );
    let mut reads = calendar_ids(&app);
    reads.sort();
    assert_eq!(
        reads,
        [
            format!("GET events {PRIMARY_ID}"),
            format!("GET events {PERSONAL}"),
        ],
        "warm: one read per own calendar, none of the holiday calendar"
    );
    assert!(
        available(&app, "2026-12-02T11:00:00-05:00"),
        "the read-only holiday calendar does not block"
    );
    let cold = three_calendars(false);
    assert!(!available(&cold, "2026-12-02T10:00:00-05:00"));
    assert_eq!(counts(&cold), (0, 0, 3), "cold: the list + two reads");
}

#[test]
fn free_slots_and_conflicts_see_the_other_calendar() {
    let app = three_calendars(true);
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"mode": "find_slots", "duration_minutes": 60, "range": "2026-12-02", "working_hours_start": "09:00", "working_hours_end": "12:00"})),
    );
    assert_eq!(r.json["success"], true, "{}", r.json);
    let starts: Vec<&str> = r.json["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["2026-12-02T11:00:00-05:00"],
        "09:30-10:00 is too short, 10-11 is the dentist on Personal; the holiday hour is free: {}",
        r.json
    );
    assert_eq!(counts(&app), (0, 0, 2));
    app.fakes.clear_log();
    let made = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "create_event", "title": "Deep work", "start": "2026-12-02T10:00:00-05:00", "duration_minutes": 60})),
    );
    let v = &made.json;
    assert_eq!(v["rescheduled_due_to_conflict"], true, "{v}");
    assert_eq!(v["conflicts"][0]["title"], "Dentist", "{v}");
}

#[test]
fn search_results_say_which_calendar_an_item_is_on() {
    let app = three_calendars(true);
    let r = app.call_tool(
        "find_and_analyze",
        ctx(json!({"scope": "events", "time_range": "tomorrow"})),
    );
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    let got: Vec<(String, String)> = v["data"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap().to_string(),
                e["calendar"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Standup".to_string(), PRIMARY_ID.to_string()),
            ("Dentist".to_string(), "Personal".to_string())
        ]
    );
    assert_eq!(counts(&app), (0, 0, 2));
    // Only one calendar: the list_events `calendar` filter reads just that one.
    app.fakes.clear_log();
    let r = app.call_tool(
        "find_and_analyze",
        ctx(json!({"scope": "events", "time_range": "tomorrow", "calendar": "us holidays"})),
    );
    assert_eq!(
        event_titles_and_starts(&r.json),
        [(
            "Holiday broadcast".to_string(),
            "2026-12-02T11:00:00-05:00".to_string()
        )]
    );
    assert_eq!(calendar_ids(&app), [format!("GET events {HOLIDAYS}")]);
    // With a single calendar, items carry no calendar name.
    let single = TestApp::new();
    single.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Solo").at("2026-12-02T15:00:00Z", 30),
    );
    let r = single.call_tool(
        "find_and_analyze",
        ctx(json!({"scope": "events", "time_range": "tomorrow"})),
    );
    assert!(
        r.json["data"]["events"][0].get("calendar").is_none(),
        "{}",
        r.json
    );
}

fn posts(app: &TestApp) -> Vec<String> {
    app.fakes
        .requests_to(Provider::Nylas)
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.query.get("calendar_id").cloned().unwrap_or_default())
        .collect()
}

/// A new event on its own day (Dec 3 + `day` days), so no create looks like a duplicate.
fn create(app: &TestApp, calendar: Option<&str>) -> Value {
    let day = app.fakes.nylas.events(NYLAS_GRANT).len();
    let start = format!("2026-12-{:02}T18:00:00-05:00", 3 + day);
    let args =
        json!({"action": "create_event", "title": "Gym", "start": start, "duration_minutes": 60});
    app.call_tool("manage_productivity", ctx(with_calendar(args, calendar)))
        .json
}

/// `args` with `calendar` when one is given.
fn with_calendar(mut args: Value, calendar: Option<&str>) -> Value {
    if let Some(c) = calendar {
        args["calendar"] = json!(c);
    }
    args
}

/// An explicit `/mcp` tool called with Juli's context added; the envelope it answers.
fn mcp_call(app: &TestApp, name: &str, arguments: Value) -> Value {
    let mut headers = user_headers();
    headers.extend([
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", "2025-06-18"),
    ]);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": name, "arguments": ctx(arguments)}});
    let r = app.request("POST", "/mcp", &headers, body.to_string());
    r.json["result"]["structuredContent"].clone()
}

#[test]
fn writes_go_to_the_primary_unless_the_request_names_a_calendar() {
    let app = three_calendars(true);
    assert_eq!(create(&app, None)["success"], true);
    assert_eq!(posts(&app), [PRIMARY_ID]);
    app.fakes.clear_log();
    let v = create(&app, Some("my personal calendar"));
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(posts(&app), [PERSONAL], "named case-insensitively");
    app.fakes.clear_log();
    let v = create(&app, Some(PERSONAL));
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(posts(&app), [PERSONAL], "named by id");
    for (named, why) in [("Gym stuff", "unknown"), ("US Holidays", "read-only")] {
        app.fakes.clear_log();
        let v = create(&app, Some(named));
        assert_eq!(v["needs_clarification"], true, "{why}: {v}");
        let listed: Vec<&str> = v["candidates"]
            .as_array()
            .or_else(|| v["matches"].as_array())
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(listed.contains(&PERSONAL), "{why}: {v}");
        assert_eq!(posts(&app), Vec::<String>::new(), "{why}: nothing written");
        assert_eq!(counts(&app), (0, 0, 0), "{why}: the cached list answers");
    }
}

#[test]
fn the_model_and_the_explicit_mcp_tool_fill_the_calendar_argument() {
    let app = three_calendars(true);
    app.fakes.openai.push_output(model(json!({"action": "create_event", "title": "Gym", "start": "Thursday 6pm", "duration": "1 hour", "calendar": "Personal"})));
    let r = app.call_tool(
        "manage_productivity",
        ctx(json!({"query": "add gym Thursday 6pm for an hour to my Personal calendar"})),
    );
    assert_eq!(r.json["success"], true, "{}", r.json);
    assert_eq!(posts(&app), [PERSONAL]);
    app.fakes.clear_log();
    let result = mcp_call(
        &app,
        "create_event",
        json!({"title": "Swim", "start": "2026-12-04T07:00:00-05:00", "duration_minutes": 45, "calendar": "personal"}),
    );
    assert_eq!(result["success"], true, "{result}");
    assert_eq!(posts(&app), [PERSONAL]);
}

#[test]
fn what_calendars_do_i_have() {
    let app = three_calendars(true);
    let r = app.call_tool("find_and_analyze", ctx(json!({"mode": "calendars"})));
    let v = &r.json;
    assert_eq!(v["success"], true, "{v}");
    let cals = v["data"]["calendars"].as_array().unwrap();
    assert_eq!(cals.len(), 3, "{v}");
    let by_id = |id: &str| cals.iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(by_id(PRIMARY_ID)["primary"], true);
    assert_eq!(by_id(PRIMARY_ID)["default_for_writes"], true);
    assert_eq!(by_id(PERSONAL)["counts_as_busy"], true);
    assert_eq!(by_id(HOLIDAYS)["read_only"], true);
    assert_eq!(by_id(HOLIDAYS)["counts_as_busy"], false);
    assert_eq!(
        v["data"]["counts_as_busy"],
        json!([PRIMARY_ID, PERSONAL]),
        "{v}"
    );
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("US Holidays (read-only)"), "{msg}");
    assert_eq!(counts(&app), (0, 0, 0), "warm: answered from the cache");
    let cold = three_calendars(false);
    let r = cold.call_tool("find_and_analyze", ctx(json!({"mode": "calendars"})));
    assert_eq!(r.json["success"], true);
    assert_eq!(counts(&cold), (0, 0, 1), "cold: one GET /calendars");
    // In plain language, read by the rules: no model call.
    let mut rules = three_calendars(true);
    rules.set_config("rules_interpreter", "on");
    let r = rules.call_tool(
        "find_and_analyze",
        ctx(json!({"query": "What calendars do I have?"})),
    );
    assert_eq!(
        r.json["data"]["calendars"].as_array().map(Vec::len),
        Some(3),
        "{}",
        r.json
    );
    assert_eq!(counts(&rules), (0, 0, 0));
    // The explicit MCP tools are read-only views: list_events takes `calendar` too.
    let tool = juli_calendar::mcp::catalog::find("list_events").unwrap();
    assert!(tool.input_schema()["properties"].get("calendar").is_some());
}

#[test]
fn a_calendar_that_disappeared_is_forgotten_and_listed_again() {
    let app = three_calendars(false);
    assert!(!available(&app, "2026-12-02T10:00:00-05:00"));
    assert_eq!(counts(&app), (0, 0, 3), "list cached by the app itself");
    // Personal is deleted at the provider; the cached list still names it.
    app.fakes.nylas.set_calendars(
        NYLAS_GRANT,
        vec![json!({"id": PRIMARY_ID, "name": PRIMARY_ID, "is_primary": true})],
    );
    app.fakes.clear_log();
    let v = create(&app, Some("Personal"));
    assert_eq!(v["success"], false, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("calendar not found"),
        "{v}"
    );
    assert_eq!(
        posts(&app),
        [PERSONAL],
        "the write to the gone calendar is refused by Nylas, nothing is created: {v}"
    );
    app.fakes.clear_log();
    let v = create(&app, Some("Personal"));
    assert_eq!(v["needs_clarification"], true, "listed again: {v}");
    assert_eq!(calendar_ids(&app), ["GET calendars"]);
}

#[test]
fn microsoft_and_icloud_never_promise_silence() {
    for provider in ["google", "microsoft", "icloud"] {
        let app = TestApp::new();
        app.fakes.nylas.set_provider(NYLAS_GRANT, provider);
        if provider == "icloud" {
            app.fakes
                .nylas
                .set_calendars(NYLAS_GRANT, vec![json!({"id": "home-cal", "name": "Home"})]);
        }
        let cal = if provider == "icloud" {
            "home-cal"
        } else {
            PRIMARY_ID
        };
        // Only the user is listed: no one else to ask about, so no approval and
        // notify_participants=false.
        app.fakes.nylas.seed_event(
            NYLAS_GRANT,
            EventSeed::new("Budget review")
                .calendar(cal)
                .participant(PRIMARY_ID, "Pat")
                .at("2026-12-02T15:00:00Z", 60),
        );
        app.fakes.clear_log();
        let mut args = ctx(
            json!({"action": "update_event", "target": {"title_hint": "budget review"}, "location": "Room 4"}),
        );
        args["user_email"] = json!(PRIMARY_ID);
        let v = app.call_tool("manage_productivity", args).json;
        assert_eq!(v["success"], true, "{provider}: {v}");
        let warned = v["warnings"].as_array().is_some_and(|w| {
            w.iter()
                .any(|w| w.as_str().unwrap_or("").contains("may still email"))
        });
        let sent = app.fakes.nylas.notifications().last().unwrap().sent;
        assert_eq!(warned, provider != "google", "{provider}: {v}");
        assert_eq!(
            sent,
            provider != "google",
            "{provider}: the fake models the provider"
        );
        assert_eq!(
            counts(&app),
            (0, 0, 2),
            "{provider}: the provider came with the cache"
        );
    }
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

#[test]
fn changes_and_cancellations_go_to_the_calendar_the_event_is_on() {
    let app = three_calendars(true);
    let moved = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "update_event", "target": {"title_hint": "dentist"}, "start": "2026-12-02T16:00:00-05:00"})),
    );
    assert_eq!(moved.json["success"], true, "{}", moved.json);
    let cancelled = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "cancel_event", "item_id": "dentist", "calendar": "Personal"})),
    );
    assert_eq!(cancelled.json["success"], true, "{}", cancelled.json);
    let writes: Vec<String> = calendar_ids(&app)
        .into_iter()
        .filter(|r| !r.starts_with("GET"))
        .collect();
    assert_eq!(
        writes,
        [
            format!("PUT dentist {PERSONAL}"),
            format!("DELETE dentist {PERSONAL}")
        ]
    );
    // By id without a calendar: the write calendar first, then the others that count.
    let app = three_calendars(true);
    let r = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "update_event", "item_id": "dentist", "location": "Suite 4"})),
    );
    assert_eq!(r.json["success"], true, "{}", r.json);
    assert_eq!(
        calendar_ids(&app),
        [
            format!("GET dentist {PRIMARY_ID}"),
            format!("GET dentist {PERSONAL}"),
            format!("PUT dentist {PERSONAL}")
        ]
    );
}

// Availability on one named calendar; conflicts that name their calendar (issue 10, w8)

fn check(app: &TestApp, start: &str, calendar: Option<&str>) -> Value {
    let args = json!({"start": start, "duration_minutes": 30});
    app.call_tool("check_availability", ctx(with_calendar(args, calendar)))
        .json
}

#[test]
fn availability_on_a_named_calendar_reads_only_that_calendar() {
    let app = three_calendars(true);
    // 09:00 Wed: the standup is on the primary calendar, not on Personal.
    let v = check(
        &app,
        "2026-12-02T09:00:00-05:00",
        Some("my Personal calendar"),
    );
    assert_eq!(v["available"], true, "{v}");
    assert_eq!(v["data"]["calendar"]["id"], PERSONAL, "{v}");
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("on your Personal calendar"), "{msg}");
    assert_eq!(
        calendar_ids(&app),
        [format!("GET events {PERSONAL}")],
        "warm: the cached list + one read"
    );
    app.fakes.clear_log();
    let v = check(&app, "2026-12-02T10:00:00-05:00", Some("personal"));
    assert_eq!(v["available"], false, "the dentist is on Personal: {v}");
    assert_eq!(v["conflicts"][0]["title"], "Dentist", "{v}");
    assert_eq!(counts(&app), (0, 0, 1));
    // By id, and "primary": the dentist on Personal no longer counts.
    app.fakes.clear_log();
    let v = check(&app, "2026-12-02T10:00:00-05:00", Some("primary"));
    assert_eq!(v["available"], true, "{v}");
    assert_eq!(calendar_ids(&app), [format!("GET events {PRIMARY_ID}")]);
    app.fakes.clear_log();
    let v = check(&app, "2026-12-02T10:00:00-05:00", Some(PERSONAL));
    assert_eq!(v["available"], false, "{v}");
    assert_eq!(counts(&app), (0, 0, 1));
    // Cold cache: the list, then one read.
    let cold = three_calendars(false);
    let v = check(&cold, "2026-12-02T09:00:00-05:00", Some("Personal"));
    assert_eq!(v["available"], true, "{v}");
    assert_eq!(
        calendar_ids(&cold),
        [
            "GET calendars".to_string(),
            format!("GET events {PERSONAL}")
        ]
    );
    // Without `calendar`, unchanged: one read per own calendar.
    app.fakes.clear_log();
    let v = check(&app, "2026-12-02T09:00:00-05:00", None);
    assert_eq!(v["available"], false, "{v}");
    assert!(v["data"].get("calendar").is_none(), "{v}");
    assert_eq!(counts(&app), (0, 0, 2));
}

#[test]
fn an_unknown_calendar_is_a_clarification_and_nothing_is_read() {
    let app = three_calendars(true);
    let v = check(&app, "2026-12-02T10:00:00-05:00", Some("Gym"));
    assert_eq!(v["needs_clarification"], true, "{v}");
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("no calendar called 'Gym'"), "{msg}");
    assert!(msg.contains("Personal"), "{msg}");
    let listed: Vec<&str> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&PERSONAL), "{v}");
    assert_eq!(counts(&app), (0, 0, 0), "no events read");
    // The slot search too.
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"mode": "find_slots", "range": "tomorrow", "calendar": "Gym"})),
    );
    assert_eq!(r.json["needs_clarification"], true, "{}", r.json);
    assert_eq!(counts(&app), (0, 0, 0));
}

#[test]
fn free_slots_on_a_named_calendar_and_through_the_mcp_tool() {
    let app = three_calendars(true);
    let args = json!({"duration_minutes": 60, "range": "2026-12-02", "working_hours_start": "09:00", "working_hours_end": "12:00", "calendar": "Personal"});
    let mut find = args.clone();
    find["mode"] = json!("find_slots");
    let r = app.call_tool("check_availability", ctx(find));
    let starts = |v: &Value| -> Vec<String> {
        v["slots"]
            .as_array()
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .map(|s| s["start"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        starts(&r.json),
        ["2026-12-02T09:00:00-05:00", "2026-12-02T11:00:00-05:00"],
        "the standup on the primary does not count on Personal: {}",
        r.json
    );
    let msg = r.json["message"].as_str().unwrap();
    assert!(msg.contains("on your Personal calendar"), "{msg}");
    assert_eq!(calendar_ids(&app), [format!("GET events {PERSONAL}")]);
    // The explicit MCP tool takes the same argument.
    app.fakes.clear_log();
    let result = mcp_call(&app, "find_free_slots", args);
    assert_eq!(
        starts(&result),
        ["2026-12-02T09:00:00-05:00", "2026-12-02T11:00:00-05:00"]
    );
    assert_eq!(calendar_ids(&app), [format!("GET events {PERSONAL}")]);
}

#[test]
fn in_plain_language_the_model_or_the_rules_name_the_calendar() {
    let app = three_calendars(true);
    app.fakes.openai.push_output(availability_model(
        json!({"mode": "check_time", "start": "tomorrow at 9am", "calendar": "Personal"}),
    ));
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "tomorrow 9am, anything on my Personal calendar?"})),
    );
    assert_eq!(r.json["available"], true, "{}", r.json);
    assert_eq!(counts(&app), (1, 0, 1), "one model call, one read");
    assert_eq!(calendar_ids(&app), [format!("GET events {PERSONAL}")]);
    // A structured `calendar` next to a plain-language query wins over the model's null.
    app.fakes.clear_log();
    app.fakes.openai.push_output(availability_model(
        json!({"mode": "check_time", "start": "tomorrow at 10am"}),
    ));
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"query": "am I free tomorrow at 10am?", "calendar": "primary"})),
    );
    assert_eq!(r.json["available"], true, "{}", r.json);
    assert_eq!(calendar_ids(&app), [format!("GET events {PRIMARY_ID}")]);
    // The rules read "on my <name> calendar" without a model call.
    let mut rules = three_calendars(true);
    rules.set_config("rules_interpreter", "on");
    let r = rules.call_tool(
        "check_availability",
        ctx(json!({"query": "am i free tomorrow at 10am on my personal calendar"})),
    );
    assert_eq!(r.json["available"], false, "{}", r.json);
    assert_eq!(counts(&rules), (0, 0, 1));
    assert_eq!(calendar_ids(&rules), [format!("GET events {PERSONAL}")]);
}

#[test]
fn conflicts_name_their_calendar_when_busy_time_spans_several() {
    let app = three_calendars(true);
    let r = app.call_tool(
        "check_availability",
        ctx(json!({"start": "2026-12-02T09:00:00-05:00", "duration_minutes": 120})),
    );
    let v = &r.json;
    assert_eq!(v["available"], false, "{v}");
    let named: Vec<(&str, &str, &str)> = v["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["title"].as_str().unwrap(),
                c["calendar"].as_str().unwrap(),
                c["calendar_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("Standup", PRIMARY_ID, PRIMARY_ID),
            ("Dentist", "Personal", PERSONAL)
        ],
        "the holiday broadcast never counts: {v}"
    );
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.contains("'Dentist' (Personal, 10:00 AM – 11:00 AM)"),
        "{msg}"
    );
    assert_eq!(counts(&app), (0, 0, 2), "no extra call for the names");
    // A new event over the dentist says where the conflict is.
    app.fakes.clear_log();
    let made = app.call_tool(
        "manage_productivity",
        ctx(json!({"action": "create_event", "title": "Deep work", "start": "2026-12-02T10:00:00-05:00", "duration_minutes": 60})),
    );
    let v = &made.json;
    assert_eq!(v["conflicts"][0]["calendar"], "Personal", "{v}");
    assert!(v.to_string().contains("'Dentist' (Personal)"), "{v}");
}

#[test]
fn candidate_events_of_a_clarification_name_their_calendar() {
    let app = three_calendars(true);
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist").at("2026-12-03T15:00:00Z", 60),
    );
    app.fakes.clear_log();
    let v = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "cancel_event", "target": {"title_hint": "dentist"}})),
        )
        .json;
    assert_eq!(v["needs_clarification"], true, "{v}");
    let calendars: Vec<&str> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["calendar"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(calendars, ["Personal", PRIMARY_ID], "{v}");
    assert_eq!(counts(&app), (0, 0, 2), "the two reads, nothing more");
}
