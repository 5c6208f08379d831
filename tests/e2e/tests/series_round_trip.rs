//! A recurring series' round trip through the compiled component (issue 10, items 1–2):
//! create a weekly series in New York, read its occurrences across the March 2027 DST
//! change, cancel one occurrence, change "this and following", delete the new series. After
//! each step: what the Nylas fake holds and how many upstream calls the step made.
//!
//! Structured arguments only (no model call); the component's clock is real, so every call
//! carries Juli's context (2026-12-01 09:00 America/New_York, a Tuesday).

use chrono::{DateTime, Utc};
use juli_e2e::fakes::ctx;
use juli_e2e::FakeEnv;
use juli_testkit::defaults::NYLAS_GRANT;
use juli_testkit::Provider;
use serde_json::{json, Value};

fn ts(rfc3339: &str) -> i64 {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp()
}

fn manage(env: &FakeEnv, args: Value) -> Value {
    let reply = env.call_tool("manage_productivity", ctx(args));
    assert_eq!(reply.status, 200);
    reply.json()
}

/// Nylas calls made by `step`, as "METHOD path-tail" (the grant prefix cut).
fn nylas_calls(env: &FakeEnv, step: impl FnOnce() -> Value) -> (Value, Vec<String>) {
    let before = env.fakes.requests_to(Provider::Nylas).len();
    let (openai, reclaim, _) = env.counts();
    let out = step();
    let prefix = format!("/v3/grants/{NYLAS_GRANT}");
    let calls = env.fakes.requests_to(Provider::Nylas)[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path.trim_start_matches(&prefix)))
        .collect();
    let (openai_after, reclaim_after, _) = env.counts();
    assert_eq!(
        (openai_after, reclaim_after),
        (openai, reclaim),
        "Nylas only"
    );
    (out, calls)
}

fn occurrence_starts(env: &FakeEnv, series: &str, until: &str) -> Vec<i64> {
    let until: DateTime<Utc> = DateTime::parse_from_rfc3339(until).unwrap().into();
    env.fakes
        .nylas
        .occurrence_starts(NYLAS_GRANT, series, &until)
}

fn stored(env: &FakeEnv, id: &str) -> Value {
    env.fakes
        .nylas
        .event(NYLAS_GRANT, id)
        .expect("stored event")
}

#[test]
fn weekly_series_round_trip_across_dst_through_the_component() {
    let env = FakeEnv::start();

    // 1. Create: one window read (conflicts) + one POST of the whole series.
    let (created, calls) = nylas_calls(&env, || {
        manage(
            &env,
            json!({"action": "create_event", "title": "Piano lesson", "start": "5pm",
                "duration_minutes": 45, "recurrence": "every Thursday"}),
        )
    });
    assert_eq!(created["success"], true, "{created}");
    assert_eq!(created["data"]["repeats"], "weekly on Thu");
    assert_eq!(calls, ["GET /events", "POST /events"]);
    let series = created["data"]["id"].as_str().unwrap().to_string();
    let master = stored(&env, &series);
    assert_eq!(master["recurrence"], json!(["RRULE:FREQ=WEEKLY;BYDAY=TH"]));
    assert_eq!(master["when"]["start_time"], ts("2026-12-03T22:00:00Z"));
    assert_eq!(master["when"]["start_timezone"], "America/New_York");

    // 2. Read across the DST change (Mar 14 2027): 17:00 local on both sides.
    let (found, calls) = nylas_calls(&env, || {
        let reply = env.call_tool(
            "find_and_analyze",
            ctx(json!({"scope": "events", "time_range": "Mar 8 to Mar 21", "keywords": ["piano"]})),
        );
        reply.json()
    });
    assert_eq!(found["success"], true, "{found}");
    let events = found["data"]["events"].as_array().unwrap();
    let starts: Vec<&str> = events
        .iter()
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["2027-03-11T17:00:00-05:00", "2027-03-18T17:00:00-04:00"]
    );
    for event in events {
        assert_eq!(event["series_id"], series.as_str());
        assert_eq!(event["is_occurrence"], true);
        assert_eq!(event["repeats"], "weekly on Thu");
    }
    assert_eq!(
        calls,
        ["GET /events".to_string(), format!("GET /events/{series}")],
        "one expanded read + the master for how it repeats"
    );

    // 3. Cancel one occurrence: only that occurrence goes.
    let (cancelled, calls) = nylas_calls(&env, || {
        manage(
            &env,
            json!({"action": "cancel_event", "scope": "occurrence",
                "target": {"title_hint": "piano lesson", "time_hint": "December 10", "all_matching": false}}),
        )
    });
    assert_eq!(cancelled["success"], true, "{cancelled}");
    assert_eq!(
        calls,
        [
            "GET /events".to_string(),
            format!("DELETE /events/{series}_20261210T220000Z")
        ]
    );
    assert_eq!(
        occurrence_starts(&env, &series, "2026-12-25T00:00:00Z"),
        [
            ts("2026-12-03T22:00:00Z"),
            ts("2026-12-17T22:00:00Z"),
            ts("2026-12-24T22:00:00Z")
        ],
        "Dec 10 is gone, the series is not"
    );
    assert_eq!(
        stored(&env, &series)["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TH"])
    );

    // 4. "This and following" from Dec 17 at 6pm: the old series ends, a new one starts.
    let (changed, calls) = nylas_calls(&env, || {
        manage(
            &env,
            json!({"action": "update_event", "scope": "following", "start": "6pm",
                "target": {"title_hint": "piano lesson", "time_hint": "December 17", "all_matching": false}}),
        )
    });
    assert_eq!(changed["success"], true, "{changed}");
    assert_eq!(changed["data"]["scope"], "following");
    assert_eq!(
        calls,
        [
            "GET /events".to_string(),
            format!("GET /events/{series}"),
            format!("PUT /events/{series}"),
            "POST /events".to_string()
        ]
    );
    assert_eq!(
        stored(&env, &series)["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261217T215959Z"])
    );
    assert_eq!(
        occurrence_starts(&env, &series, "2027-04-01T00:00:00Z"),
        [ts("2026-12-03T22:00:00Z")],
        "the old series keeps Dec 3 (Dec 10 cancelled)"
    );
    let new = changed["data"]["new_series"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let new_master = stored(&env, &new);
    assert_eq!(
        new_master["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;BYDAY=TH"])
    );
    assert_eq!(new_master["when"]["start_time"], ts("2026-12-17T23:00:00Z"));
    assert_eq!(new_master["when"]["end_time"], ts("2026-12-17T23:45:00Z"));
    let new_starts = occurrence_starts(&env, &new, "2027-03-19T00:00:00Z");
    assert_eq!(new_starts.first(), Some(&ts("2026-12-17T23:00:00Z")));
    assert!(
        new_starts.contains(&ts("2027-03-11T23:00:00Z")),
        "18:00 EST"
    );
    assert!(
        new_starts.contains(&ts("2027-03-18T22:00:00Z")),
        "18:00 EDT"
    );

    // 5. Delete the (new) series: one DELETE of its master.
    let (deleted, calls) = nylas_calls(&env, || {
        manage(
            &env,
            json!({"action": "cancel_event", "scope": "series",
                "target": {"title_hint": "piano lesson", "time_hint": "December 24", "all_matching": false}}),
        )
    });
    assert_eq!(deleted["success"], true, "{deleted}");
    assert_eq!(
        calls,
        [
            "GET /events".to_string(),
            format!("GET /events/{new}"),
            format!("DELETE /events/{new}")
        ]
    );
    assert_eq!(stored(&env, &new)["status"], "cancelled");
    assert!(occurrence_starts(&env, &new, "2027-04-01T00:00:00Z").is_empty());
    assert_eq!(
        occurrence_starts(&env, &series, "2027-04-01T00:00:00Z"),
        [ts("2026-12-03T22:00:00Z")],
        "the old series is untouched"
    );
    env.check();
}
