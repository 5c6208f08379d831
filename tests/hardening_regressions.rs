//! Hardening: one regression test per bug the hardening work found and fixed in `src/`
//! (see docs/RELIABILITY.md, "Bugs found and fixed").

use crate::helpers;

use chrono::{NaiveDate, TimeZone as _};
use chrono_tz::America::New_York;
use helpers::*;
use juli_calendar::domain::time::{apply_time_keep_date, resolve_moment, MomentRole, TimeError};
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::json;

fn now() -> chrono::DateTime<chrono_tz::Tz> {
    New_York
        .from_local_datetime(
            &NaiveDate::from_ymd_opt(2026, 12, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        )
        .unwrap()
}

/// Bug 1: explicit ISO dates were not bounded at all: a task due in year 0 or an
/// event starting 9999-12-31 (ending in year 10000, an invalid RFC 3339 year) was written.
#[test]
fn explicit_dates_far_from_today_are_out_of_range() {
    for phrase in [
        "0000-01-01T10:00",
        "0001-01-01",
        "9999-12-31T23:30",
        "9999-12-31T23:30:00Z",
        "2200-01-01",
        "1900-01-01T00:00:00+00:00",
    ] {
        for role in [MomentRole::Due, MomentRole::EventStart] {
            assert!(
                matches!(
                    resolve_moment(phrase, now(), role),
                    Err(TimeError::OutOfRange { .. })
                ),
                "{phrase} {role:?}"
            );
        }
        assert!(
            matches!(
                apply_time_keep_date(now(), phrase, now()),
                Err(TimeError::OutOfRange { .. })
            ),
            "{phrase}"
        );
    }
    // Nearby explicit dates still resolve, including ones years away.
    for phrase in [
        "2026-12-04T17:00",
        "2040-06-01",
        "2038-01-19T03:14:08Z",
        "2020-01-01T10:00",
    ] {
        assert!(
            resolve_moment(phrase, now(), MomentRole::Due).is_ok(),
            "{phrase}"
        );
    }

    let app = TestApp::new();
    for args in [
        json!({"action": "create_task", "title": "Probe", "due": "0000-01-01T10:00"}),
        json!({"action": "create_event", "title": "Probe", "start": "9999-12-31T23:30", "duration_minutes": 120}),
        json!({"action": "create_event", "title": "Probe", "start": "0000-01-01T10:00"}),
    ] {
        let out = app.call_tool("manage_productivity", ctx(args.clone())).json;
        assert_eq!(out["success"], false, "{args} → {out}");
        assert!(
            out["error"]
                .as_str()
                .unwrap()
                .contains("too far from today"),
            "{out}"
        );
    }
    assert!(app.fakes.reclaim.tasks(RECLAIM_KEY).is_empty());
    assert!(app.fakes.nylas.events(NYLAS_GRANT).is_empty());
}

/// Bug 2: a title made only of control characters created a task titled "\0\u{1}\u{1b}", and
/// control characters inside titles were sent upstream as they were.
#[test]
fn titles_lose_control_characters_and_an_unprintable_title_is_refused() {
    let app = TestApp::new();
    for args in [
        json!({"action": "create_task", "title": "\u{0}\u{1}\u{1b}"}),
        json!({"action": "create_event", "title": "\u{7}\u{8}", "start": "2026-12-03T10:00"}),
    ] {
        let out = app.call_tool("manage_productivity", ctx(args.clone())).json;
        assert_eq!(out["success"], false, "{args} → {out}");
        assert!(out["error"].as_str().unwrap().contains("title"), "{out}");
    }
    assert!(app.fakes.reclaim.tasks(RECLAIM_KEY).is_empty());
    assert!(app.fakes.nylas.events(NYLAS_GRANT).is_empty());

    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "create_task", "title": "Pay\u{1b}[31m the\nrent\u{0}"})),
        )
        .json;
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        app.fakes.reclaim.tasks(RECLAIM_KEY)[0]["title"],
        "Pay[31m the rent"
    );
}

/// Bug 3: an unknown `category` (e.g. "HOBBY") was silently treated as WORK and the task created.
#[test]
fn an_unknown_task_category_is_refused() {
    let app = TestApp::new();
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "create_task", "title": "Probe", "category": "HOBBY"})),
        )
        .json;
    assert_eq!(out["success"], false, "{out}");
    assert!(
        out["error"].as_str().unwrap().contains("WORK or PERSONAL"),
        "{out}"
    );
    assert!(app.fakes.reclaim.tasks(RECLAIM_KEY).is_empty());
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "create_task", "title": "Probe", "category": "personal"})),
        )
        .json;
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        app.fakes.reclaim.tasks(RECLAIM_KEY)[0]["eventCategory"],
        "PERSONAL"
    );
}

/// Bug 4: a Nylas that keeps answering `next_cursor` with the same page (endless pagination)
/// produced each event once per page: "cancel the dentist appointment" answered a clarification
/// with ten identical candidates. Events are now kept once per id (the page cap still applies).
#[test]
fn a_repeated_page_does_not_duplicate_events() {
    let app = TestApp::new();
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist appointment")
            .id("ev-dentist")
            .at("2026-12-02T20:00:00Z", 60),
    );
    app.fakes.inject(
        Provider::Nylas,
        FaultRule::new(Fault::EndlessPagination).forever(),
    );
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "cancel_event", "target": {"title_hint": "dentist", "time_hint": "tomorrow"}})),
        )
        .json;
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        app.fakes.count_matching(Provider::Nylas, "GET", "/events"),
        juli_calendar::upstream::nylas::DEFAULT_MAX_PAGES
    );
}

/// Bug 5: one field of an unexpected type in an upstream item (e.g. Reclaim's
/// `"alwaysPrivate": "not-a-bool"`) made the whole item undeserializable, and lists drop such
/// items silently: the task vanished ("searched 0 open tasks"). Odd fields now take their default.
#[test]
fn an_odd_field_type_does_not_hide_the_item() {
    use juli_calendar::upstream::{NylasEvent, ReclaimTask};
    let t: ReclaimTask = serde_json::from_value(json!({
        "id": 3, "title": "Gamma report", "status": "NEW", "priority": "P3",
        "alwaysPrivate": "not-a-bool", "deleted": {"x": 1}, "notes": 42
    }))
    .unwrap();
    assert_eq!(t.title, "Gamma report");
    assert!(!t.deleted && t.notes.is_empty());
    let e: NylasEvent = serde_json::from_value(json!({
        "id": "e", "title": "Lunch", "calendar_id": "c", "participants": "everyone",
        "when": {"start_time": 1796230800, "end_time": 1796234400}
    }))
    .unwrap();
    assert!(e.participants.is_empty());

    let app = TestApp::new();
    app.fakes.reclaim.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Gamma report")
            .id(3)
            .with("alwaysPrivate", json!("not-a-bool")),
    );
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "complete_task", "target": {"title_hint": "Gamma report"}})),
        )
        .json;
    assert_eq!(out["success"], true, "{out}");
}

/// Bug 6: a create that timed out after the upstream applied it answered "Reclaim did not
/// answer in time. Please try again." — which invites exactly the duplicate the no-retry rule
/// avoids. Now the answer says the item may exist and to check first.
#[test]
fn a_create_with_unknown_outcome_says_to_check_before_retrying() {
    let app = TestApp::new();
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Prepare the budget").id(1));
    let args = json!({"action": "create_task", "title": "Prepare the budget!"});
    let first = app.call_tool("manage_productivity", ctx(args.clone())).json;
    assert_eq!(first["action_type"], "task_create_duplicate", "{first}");
    let mut approve = ctx(args);
    approve["approved"] = json!(true);
    approve["action_type"] = first["action_type"].clone();
    approve["action_data"] = first["action_data"].clone();
    app.inject_transport_fault(TransportFault::TimeoutAfterApply);
    let out = app.call_tool("manage_productivity", approve).json;
    let text = out["error"].as_str().unwrap();
    assert!(text.contains("may have been created anyway"), "{text}");
    assert!(!text.contains("Please try again"), "{text}");
    assert_eq!(out["outcome_unknown"], true);

    // A create refused before it was applied (a 4xx) says nothing of the kind.
    let app = TestApp::new();
    app.fakes.inject(
        Provider::Reclaim,
        FaultRule::new(Fault::status(400)).method("POST"),
    );
    let out = app
        .call_tool(
            "manage_productivity",
            ctx(json!({"action": "create_task", "title": "Something new"})),
        )
        .json;
    assert_eq!(out["success"], false, "{out}");
    assert!(out.get("outcome_unknown").is_none(), "{out}");
}
