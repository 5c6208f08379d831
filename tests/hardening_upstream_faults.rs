//! Hardening, item 3: upstream faults (issue #7).
//!
//! The fakes misbehave — HTTP 500/502/503, 429 with `Retry-After`, malformed JSON, truncated
//! bodies, endless pagination, a create applied and then answered with an error
//! (`FailAfterApply`), and at the transport level connection refused (`NotSent`) and a timeout
//! after the upstream applied the request (`TimeoutAfterApply`). Reads must degrade with a
//! clear message naming the provider; writes must never be duplicated by retries; a partial
//! bulk operation must report exactly what succeeded and what failed. Every test counts the
//! faults it injected into `FAULTS` (printed by `fault_totals`).

use crate::helpers;

use std::sync::atomic::{AtomicUsize, Ordering};

use helpers::*;
use juli_calendar::ports::TransportError;
use juli_testkit::defaults::{NYLAS_GRANT, RECLAIM_KEY};
use serde_json::{json, Value};

static FAULTS: AtomicUsize = AtomicUsize::new(0);

fn inject(app: &TestApp, p: Provider, rule: FaultRule) {
    FAULTS.fetch_add(1, Ordering::SeqCst);
    app.fakes.inject(p, rule);
}

fn transport(app: &TestApp, f: TransportFault) {
    FAULTS.fetch_add(1, Ordering::SeqCst);
    app.inject_transport_fault(f);
}

fn call(app: &TestApp, args: Value) -> Value {
    app.call_tool("manage_productivity", ctx(args)).json
}

fn error_text(out: &Value) -> String {
    out["error"]
        .as_str()
        .or_else(|| out["message"].as_str())
        .unwrap_or_default()
        .to_string()
}

fn writes(app: &TestApp, p: Provider) -> usize {
    app.fakes
        .requests_to(p)
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

/// A read of Reclaim (complete a task by title lists the open tasks first).
fn reclaim_read(app: &TestApp) -> Value {
    call(
        app,
        json!({"action": "complete_task", "target": {"title_hint": "quarterly report"}}),
    )
}

/// A read of Nylas (cancel an event by title lists the events first).
fn nylas_read(app: &TestApp) -> Value {
    call(
        app,
        json!({"action": "cancel_event", "target": {"title_hint": "dentist", "time_hint": "tomorrow"}}),
    )
}

fn seeded() -> TestApp {
    let app = TestApp::new();
    app.fakes.reclaim.seed_task(
        RECLAIM_KEY,
        TaskSeed::new("Write the quarterly report").id(7),
    );
    app.fakes.nylas.seed_event(
        NYLAS_GRANT,
        EventSeed::new("Dentist appointment")
            .id("ev-dentist")
            .at("2026-12-02T20:00:00Z", 60),
    );
    app
}

// ---------------------------------------------------------------------------------------------
// Reads degrade with a clear message naming the provider
// ---------------------------------------------------------------------------------------------

#[test]
fn persistent_read_failures_degrade_with_the_provider_named() {
    let faults: Vec<(&str, Fault, &str)> = vec![
        ("500", Fault::status(500), "temporarily unavailable"),
        ("502", Fault::status(502), "temporarily unavailable"),
        ("503", Fault::status(503), "temporarily unavailable"),
        ("429 Retry-After", Fault::rate_limited(1), "rate limiting"),
        ("malformed JSON", Fault::MalformedJson, ""),
        ("truncated body", Fault::TruncatedBody, ""),
    ];
    for (provider, name, read) in [
        (
            Provider::Reclaim,
            "Reclaim",
            reclaim_read as fn(&TestApp) -> Value,
        ),
        (Provider::Nylas, "Nylas", nylas_read),
    ] {
        for (what, fault, words) in &faults {
            let app = seeded();
            inject(
                &app,
                provider,
                FaultRule::new(fault.clone()).method("GET").forever(),
            );
            let out = read(&app);
            let text = error_text(&out);
            assert_eq!(out["success"], false, "{name} {what}: {out}");
            assert!(text.contains(name), "{name} {what}: {text}");
            assert!(text.contains(words), "{name} {what}: {text}");
            assert!(!text.contains('{'), "no raw upstream body: {text}");
            let gets = app.fakes.requests_to(provider).len();
            match fault {
                // Idempotent reads are retried (3 attempts), unreadable 200s are not.
                Fault::Status { .. } => assert_eq!(gets, 3, "{name} {what}"),
                _ => assert_eq!(gets, 1, "{name} {what}"),
            }
            assert_eq!(
                writes(&app, Provider::Reclaim) + writes(&app, Provider::Nylas),
                0
            );
        }
    }
}

#[test]
fn transport_failures_on_reads_are_retried_then_reported() {
    for (provider, name, read) in [
        (
            Provider::Reclaim,
            "Reclaim",
            reclaim_read as fn(&TestApp) -> Value,
        ),
        (Provider::Nylas, "Nylas", nylas_read),
    ] {
        // One hang / one refused connection: the retry succeeds.
        for fault in [
            TransportFault::TimeoutAfterApply,
            TransportFault::NotSent(TransportError::Connect("connection refused".into())),
        ] {
            let app = seeded();
            transport(&app, fault.clone());
            let out = read(&app);
            assert!(
                out["success"] == true || out["needs_clarification"] == true,
                "{name} {fault:?}: {out}"
            );
        }
        // Three in a row: a clear error naming the provider.
        for fault in [
            TransportFault::TimeoutAfterApply,
            TransportFault::NotSent(TransportError::Connect("connection refused".into())),
            TransportFault::NotSent(TransportError::Other("reset by peer".into())),
        ] {
            let app = seeded();
            for _ in 0..3 {
                transport(&app, fault.clone());
            }
            let out = read(&app);
            let text = error_text(&out);
            assert_eq!(out["success"], false, "{name} {fault:?}: {out}");
            assert!(text.contains(name), "{name} {fault:?}: {text}");
            // Three attempts, then it gives up (only the timeouts reached the fake).
            let reached = app.fakes.requests_to(provider).len();
            let expected = if matches!(fault, TransportFault::TimeoutAfterApply) {
                3
            } else {
                0
            };
            assert_eq!(reached, expected, "{name} {fault:?}");
        }
    }
}

#[test]
fn rate_limit_with_retry_after_is_waited_out() {
    let app = seeded();
    inject(
        &app,
        Provider::Reclaim,
        FaultRule::new(Fault::rate_limited(1)).method("GET"),
    );
    let out = reclaim_read(&app);
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "GET", "/api/tasks"),
        2
    );
}

#[test]
fn openai_failures_name_openai_and_change_nothing() {
    for fault in [
        Fault::status(500),
        Fault::status(503),
        Fault::rate_limited(2),
        Fault::MalformedJson,
        Fault::TruncatedBody,
    ] {
        let app = seeded();
        inject(
            &app,
            Provider::OpenAi,
            FaultRule::new(fault.clone()).forever(),
        );
        let out = call(
            &app,
            json!({"query": "mark the quarterly report task as done"}),
        );
        assert_eq!(out["success"], false, "{fault:?}: {out}");
        assert!(error_text(&out).contains("OpenAI"), "{fault:?}: {out}");
        assert_eq!(app.upstream_count(Provider::Reclaim), 0);
        assert_eq!(app.upstream_count(Provider::Nylas), 0);
    }
}

// ---------------------------------------------------------------------------------------------
// Unexpected fields and enum values
// ---------------------------------------------------------------------------------------------

#[test]
fn unexpected_reclaim_priorities_statuses_and_fields_are_tolerated() {
    let app = TestApp::new();
    for (id, title, priority, status) in [
        (1, "Alpha report", "PRIORITIZE", "NEW"),
        (2, "Beta report", "DEFAULT", "SCHEDULED"),
        (3, "Gamma report", "P4", "IN_PROGRESS"),
        (4, "Delta report", "P2", "COMPLETE"),
    ] {
        app.fakes.reclaim.seed_task(
            RECLAIM_KEY,
            TaskSeed::new(title)
                .id(id)
                .priority(priority)
                .status(status)
                .with("brandNewField", json!({"nested": [1, 2, 3]}))
                .with("alwaysPrivate", json!("not-a-bool")),
        );
    }
    // Reading the list works and finds the right one despite the odd values.
    let out = call(
        &app,
        json!({"action": "complete_task", "target": {"title_hint": "Gamma report"}}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["data"]["id"], "3");
    // COMPLETE means "all scheduled time used", not done: still open, still found.
    let out = call(
        &app,
        json!({"action": "update_task", "target": {"title_hint": "Delta report"}, "priority": "P1"}),
    );
    assert_eq!(out["success"], true, "{out}");
    // A task whose priority is PRIORITIZE can be updated; the answer shows a valid priority.
    let out = call(
        &app,
        json!({"action": "update_task", "target": {"title_hint": "Alpha report"}, "notes": "x"}),
    );
    assert_eq!(out["success"], true, "{out}");
    assert!(out["data"]["priority"].is_string(), "{out}");
}

#[test]
fn all_day_and_unknown_when_events_are_tolerated() {
    let app = TestApp::new();
    let g = NYLAS_GRANT;
    app.fakes.nylas.seed_event(
        g,
        EventSeed::new("Company holiday")
            .id("ev-allday")
            .all_day("2026-12-02"),
    );
    app.fakes.nylas.seed_event(
        g,
        EventSeed::new("Offsite")
            .id("ev-span")
            .all_day_span("2026-12-02", "2026-12-04"),
    );
    app.fakes.nylas.seed_event(
        g,
        EventSeed::new("Point in time")
            .id("ev-point")
            .with("when", json!({"object": "time", "time": 1796230800})),
    );
    app.fakes.nylas.seed_event(
        g,
        EventSeed::new("Team lunch")
            .id("ev-lunch")
            .at("2026-12-02T17:00:00Z", 60)
            .status("tentative-ish")
            .with("brandNewField", json!([{"a": null}])),
    );
    // Creating an event the same day reads all of them (duplicates/conflicts) without failing.
    let out = call(
        &app,
        json!({"action": "create_event", "title": "Focus review", "start": "2026-12-02T09:00"}),
    );
    assert_eq!(out["success"], true, "{out}");
    // Finding by title still works with all-day and unknown events around.
    let out = call(
        &app,
        json!({"action": "cancel_event", "target": {"title_hint": "Team lunch", "time_hint": "tomorrow"}}),
    );
    assert_eq!(out["success"], true, "{out}");
    let out = call(
        &app,
        json!({"action": "cancel_event", "target": {"title_hint": "Company holiday", "time_hint": "tomorrow"}}),
    );
    assert_eq!(out["success"], true, "all-day events are found: {out}");
}

/// Shapes the fakes refuse to store (their seeds are validated), checked on the client types.
#[test]
fn unknown_when_objects_and_priorities_deserialize_leniently() {
    use juli_calendar::upstream::{NylasEvent, ReclaimTask};
    for when in [
        json!({"object": "hologram", "at": "soon"}),
        json!({}),
        json!(null),
        json!("2026-12-02"),
        json!({"start_time": "not a number", "end_time": []}),
    ] {
        let ev: NylasEvent = serde_json::from_value(json!({
            "id": "e1", "title": "Strange", "calendar_id": "c", "when": when, "new_field": {"x": 1}
        }))
        .unwrap_or_else(|e| panic!("{when}: {e}"));
        // An unreadable time is no time at all: never a panic, never an invented instant.
        assert_eq!(ev.start_end_in(chrono_tz::UTC), None, "{when}");
    }
    for (priority, status) in [
        ("PRIORITIZE", "NEW"),
        ("DEFAULT", "IN_PROGRESS"),
        ("P9", "SOMETHING_NEW"),
        ("", ""),
    ] {
        let t: Result<ReclaimTask, _> = serde_json::from_value(json!({
            "id": 5, "title": "t", "priority": priority, "status": status, "newField": [1]
        }));
        assert!(t.is_ok(), "{priority}/{status}: {:?}", t.err());
    }
}

// ---------------------------------------------------------------------------------------------
// Pagination that never ends
// ---------------------------------------------------------------------------------------------

#[test]
fn endless_pagination_stops_at_the_page_cap() {
    let app = seeded();
    inject(
        &app,
        Provider::Nylas,
        FaultRule::new(Fault::EndlessPagination).forever(),
    );
    let out = nylas_read(&app);
    let pages = app.fakes.count_matching(Provider::Nylas, "GET", "/events");
    assert_eq!(
        pages,
        juli_calendar::upstream::nylas::DEFAULT_MAX_PAGES,
        "stops at the page cap"
    );
    // The same event served on every page is one event, not ten candidates.
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        app.fakes.nylas.event(NYLAS_GRANT, "ev-dentist").unwrap()["status"],
        "cancelled"
    );
}

// ---------------------------------------------------------------------------------------------
// Writes are never duplicated by retries
// ---------------------------------------------------------------------------------------------

/// A task create held for approval (a similar task exists), so the approved execution's first
/// outbound request is the create itself.
fn duplicate_task_preview(app: &TestApp) -> (Value, Value) {
    app.fakes
        .reclaim
        .seed_task(RECLAIM_KEY, TaskSeed::new("Prepare the budget").id(1));
    let args = json!({"action": "create_task", "title": "Prepare the budget!"});
    let first = call(app, args.clone());
    assert_eq!(first["action_type"], "task_create_duplicate", "{first}");
    (first, args)
}

/// An event create held for approval (it invites someone): the approved execution's first
/// outbound request is the create itself.
fn invite_preview(app: &TestApp) -> (Value, Value) {
    let args = json!({"action": "create_event", "title": "Design review", "start": "2026-12-03T11:00", "participants": ["sarah@acme.com"]});
    let first = call(app, args.clone());
    assert_eq!(
        first["action_type"], "event_create_with_participants",
        "{first}"
    );
    (first, args)
}

fn tasks_titled(app: &TestApp, title: &str) -> usize {
    app.fakes
        .reclaim
        .tasks(RECLAIM_KEY)
        .iter()
        .filter(|t| t["title"] == title)
        .count()
}

fn events_titled(app: &TestApp, title: &str) -> usize {
    app.fakes
        .nylas
        .events(NYLAS_GRANT)
        .iter()
        .filter(|e| e["title"] == title)
        .count()
}

#[test]
fn a_create_applied_then_failed_is_not_retried() {
    // Reclaim: the create happened, the answer was a 500.
    let app = TestApp::new();
    let (first, args) = duplicate_task_preview(&app);
    inject(
        &app,
        Provider::Reclaim,
        FaultRule::new(Fault::FailAfterApply { status: 500 }).method("POST"),
    );
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], false, "{out}");
    assert!(error_text(&out).contains("Reclaim"), "{out}");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "POST", "/api/tasks"),
        1
    );
    assert_eq!(tasks_titled(&app, "Prepare the budget!"), 1, "exactly one");

    // Nylas: same.
    let app = TestApp::new();
    let (first, args) = invite_preview(&app);
    inject(
        &app,
        Provider::Nylas,
        FaultRule::new(Fault::FailAfterApply { status: 503 }).method("POST"),
    );
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], false, "{out}");
    assert!(error_text(&out).contains("Nylas"), "{out}");
    assert_eq!(
        app.fakes.count_matching(Provider::Nylas, "POST", "/events"),
        1
    );
    assert_eq!(events_titled(&app, "Design review"), 1, "exactly one");
}

#[test]
fn a_create_that_timed_out_after_it_was_applied_is_not_retried() {
    let app = TestApp::new();
    let (first, args) = duplicate_task_preview(&app);
    transport(&app, TransportFault::TimeoutAfterApply);
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], false, "{out}");
    assert!(error_text(&out).contains("Reclaim"), "{out}");
    assert_eq!(tasks_titled(&app, "Prepare the budget!"), 1, "exactly one");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "POST", "/api/tasks"),
        1
    );
    assert!(error_text(&out).contains("may have been created anyway"));

    let app = TestApp::new();
    let (first, args) = invite_preview(&app);
    transport(&app, TransportFault::TimeoutAfterApply);
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], false, "{out}");
    assert!(error_text(&out).contains("Nylas"), "{out}");
    assert_eq!(events_titled(&app, "Design review"), 1, "exactly one");
    assert_eq!(
        app.fakes.count_matching(Provider::Nylas, "POST", "/events"),
        1
    );
    assert!(error_text(&out).contains("may have been created anyway"));
}

#[test]
fn a_create_that_provably_never_left_is_retried_once_and_exists_once() {
    for fault in [
        TransportError::Connect("connection refused".into()),
        TransportError::Connect("dns lookup failed".into()),
    ] {
        let app = TestApp::new();
        let (first, args) = duplicate_task_preview(&app);
        transport(&app, TransportFault::NotSent(fault.clone()));
        let out = approve(&app, &first, args);
        assert_eq!(out["success"], true, "{fault:?}: {out}");
        assert_eq!(tasks_titled(&app, "Prepare the budget!"), 1);

        let app = TestApp::new();
        let (first, args) = invite_preview(&app);
        transport(&app, TransportFault::NotSent(fault));
        let out = approve(&app, &first, args);
        assert_eq!(out["success"], true, "{out}");
        assert_eq!(events_titled(&app, "Design review"), 1);
    }
}

#[test]
fn a_create_answered_5xx_before_applying_is_not_retried_but_429_is() {
    // 500 on a POST: the server cannot know whether it was applied → no retry, nothing made.
    let app = TestApp::new();
    let (first, args) = duplicate_task_preview(&app);
    inject(
        &app,
        Provider::Reclaim,
        FaultRule::new(Fault::status(500)).method("POST"),
    );
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], false, "{out}");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "POST", "/api/tasks"),
        1
    );
    assert_eq!(tasks_titled(&app, "Prepare the budget!"), 0);

    // 429: rejected unprocessed → retried → exactly one.
    let app = TestApp::new();
    let (first, args) = invite_preview(&app);
    inject(
        &app,
        Provider::Nylas,
        FaultRule::new(Fault::rate_limited(1)).method("POST"),
    );
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(
        app.fakes.count_matching(Provider::Nylas, "POST", "/events"),
        2
    );
    assert_eq!(events_titled(&app, "Design review"), 1);
}

#[test]
fn a_complete_applied_then_failed_is_not_sent_again() {
    let app = seeded();
    // Structured by id: GET the task, then POST done.
    let out = call(&app, json!({"action": "complete_task", "item_id": "7"}));
    assert_eq!(out["success"], true, "{out}");
    let app = seeded();
    // The POST is applied, then answered 502: not retried (it may have been applied).
    inject(
        &app,
        Provider::Reclaim,
        FaultRule::new(Fault::FailAfterApply { status: 502 })
            .method("POST")
            .path_contains("/planner/done/task/7"),
    );
    let out = call(&app, json!({"action": "complete_task", "item_id": "7"}));
    assert_eq!(out["success"], false, "{out}");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "POST", "/planner/done"),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Partial bulk operations report exactly what succeeded and what failed
// ---------------------------------------------------------------------------------------------

#[test]
fn partial_bulk_complete_reports_each_outcome() {
    let app = TestApp::new();
    for (i, t) in ["Bulk test task 1", "Bulk test task 2", "Bulk test task 3"]
        .iter()
        .enumerate()
    {
        app.fakes
            .reclaim
            .seed_task(RECLAIM_KEY, TaskSeed::new(t).id(100 + i as i64));
    }
    let args = json!({"action": "complete_task", "target": {"title_hint": "Bulk test", "all_matching": true}});
    let first = call(&app, args.clone());
    assert_eq!(first["action_type"], "bulk_complete", "{first}");
    // The 2nd of 3 fails (a 500 that was not applied; POST is not retried on 5xx).
    inject(
        &app,
        Provider::Reclaim,
        FaultRule::new(Fault::status(500))
            .method("POST")
            .path_contains("/planner/done/task/101"),
    );
    let out = approve(&app, &first, args.clone());
    assert_eq!(out["success"], true, "{out}");
    assert_eq!(out["action"], "bulk_completed");
    let ids = |k: &str| -> Vec<String> {
        out["data"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("completed"), ["100", "102"]);
    assert_eq!(ids("failed"), ["101"]);
    let failure = &out["data"]["failed"][0];
    assert_eq!(failure["title"], "Bulk test task 2");
    assert!(
        failure["error"].as_str().unwrap().contains("Reclaim"),
        "{out}"
    );
    assert!(out["message"].as_str().unwrap().contains("2 of 3"), "{out}");
    // The upstream agrees with the report.
    let status = |id| app.fakes.reclaim.task(RECLAIM_KEY, id).unwrap()["status"].clone();
    assert_eq!(status(100), "ARCHIVED");
    assert_ne!(status(101), "ARCHIVED");
    assert_eq!(status(102), "ARCHIVED");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "POST", "/planner/done"),
        3
    );
    // Approving again replays the recorded report; nothing is sent again.
    let again = approve(&app, &first, args);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["data"]["failed"][0]["id"], "101");
    assert_eq!(
        app.fakes
            .count_matching(Provider::Reclaim, "POST", "/planner/done"),
        3
    );
}

#[test]
fn partial_bulk_cancel_retries_idempotent_deletes_and_reports_the_rest() {
    let app = TestApp::new();
    for (i, t) in ["Bulk sync A", "Bulk sync B", "Bulk sync C"]
        .iter()
        .enumerate()
    {
        app.fakes.nylas.seed_event(
            NYLAS_GRANT,
            EventSeed::new(t)
                .id(&format!("bulk-{i}"))
                .at(&format!("2026-12-02T{}:00:00Z", 15 + i), 30),
        );
    }
    let args = json!({"action": "cancel_event", "target": {"title_hint": "Bulk sync", "time_hint": "tomorrow", "all_matching": true}});
    let first = call(&app, args.clone());
    assert_eq!(first["action_type"], "bulk_cancel", "{first}");
    // The 1st DELETE fails once (retried: idempotent); the 2nd keeps failing.
    inject(
        &app,
        Provider::Nylas,
        FaultRule::new(Fault::status(503))
            .method("DELETE")
            .path_contains("/events/bulk-0"),
    );
    inject(
        &app,
        Provider::Nylas,
        FaultRule::new(Fault::status(502))
            .method("DELETE")
            .path_contains("/events/bulk-1")
            .forever(),
    );
    let out = approve(&app, &first, args);
    assert_eq!(out["success"], true, "{out}");
    let ids = |k: &str| -> Vec<String> {
        out["data"][k]
            .as_array()
            .unwrap_or(&vec![])
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("cancelled"), ["bulk-0", "bulk-2"], "{out}");
    assert_eq!(ids("failed"), ["bulk-1"], "{out}");
    assert!(app.fakes.nylas.event(NYLAS_GRANT, "bulk-1").is_some());
}

#[test]
fn zz_fault_totals() {
    // Named to run last with `--test-threads=1` (libtest orders by name): the figure is the
    // total for the binary (docs/RELIABILITY.md).
    println!(
        "faults injected so far in this binary: {}",
        FAULTS.load(Ordering::SeqCst)
    );
}
