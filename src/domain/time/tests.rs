use super::tokens::hm;
use super::*;
use chrono::{Datelike, Duration};
use chrono::{NaiveDate, Timelike, Utc};
use chrono_tz::America::New_York;
use chrono_tz::Asia::Kolkata;
use chrono_tz::Australia::Sydney;
use chrono_tz::Europe::London;
use proptest::prelude::*;
use MomentRole::{Due, EventStart, Generic};

fn now_in(tz: Tz, y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Tz> {
    let naive = NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap();
    local_now(tz, naive)
}

/// The project's fixed test now: Tuesday 2026-12-01 09:00 America/New_York.
fn tue() -> DateTime<Tz> {
    now_in(New_York, 2026, 12, 1, 9, 0)
}
fn sun_night() -> DateTime<Tz> {
    now_in(New_York, 2026, 11, 29, 23, 30)
}
fn fri_pm() -> DateTime<Tz> {
    now_in(New_York, 2026, 12, 4, 15, 0)
}

fn run_table(now: DateTime<Tz>, cases: &[(&str, MomentRole, &str)]) {
    let mut failures = Vec::new();
    for (phrase, role, want) in cases {
        match resolve_moment(phrase, now, *role) {
            Ok(m) if format_instant(&m.instant) == *want => {}
            Ok(m) => failures.push(format!(
                "{phrase:?} {role:?}: got {} want {want}",
                format_instant(&m.instant)
            )),
            Err(e) => failures.push(format!("{phrase:?} {role:?}: error {e} want {want}")),
        }
    }
    assert!(
        failures.is_empty(),
        "now={}:\n{}",
        format_instant(&now),
        failures.join("\n")
    );
}

#[test]
fn vertical_slice_friday_due_is_22z() {
    let m = resolve_moment("Friday", tue(), Due).unwrap();
    assert_eq!(format_instant(&m.instant), "2026-12-04T17:00:00-05:00");
    assert_eq!(
        m.utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "2026-12-04T22:00:00Z"
    );
    assert!(m.date_given);
    assert_eq!(m.time, None);
    assert_eq!(m.time_source, TimeSource::Default);
    assert!(!m.is_past);
}

#[test]
fn vertical_slice_dst_crossing_next_tuesday() {
    let now = now_in(New_York, 2026, 10, 29, 10, 0);
    assert_eq!(now.offset().to_string(), "EDT");
    let m = resolve_moment("next Tuesday", now, Due).unwrap();
    assert_eq!(format_instant(&m.instant), "2026-11-03T17:00:00-05:00");
    assert_eq!(m.utc().hour(), 22, "22:00Z, not 21:00Z");
    assert_eq!(
        m.utc().date_naive(),
        NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
    );
}

#[test]
fn relative_days_and_parts_from_tuesday_morning() {
    run_table(
        tue(),
        &[
            ("today", Due, "2026-12-01T17:00:00-05:00"),
            ("Today", EventStart, "2026-12-01T09:00:00-05:00"),
            ("tomorrow", Due, "2026-12-02T17:00:00-05:00"),
            ("tomorrow", EventStart, "2026-12-02T09:00:00-05:00"),
            ("tomorrow", Generic, "2026-12-02T00:00:00-05:00"),
            ("tmrw", Due, "2026-12-02T17:00:00-05:00"),
            ("yesterday", Generic, "2026-11-30T00:00:00-05:00"),
            ("day after tomorrow", Due, "2026-12-03T17:00:00-05:00"),
            (
                "the day after tomorrow",
                EventStart,
                "2026-12-03T09:00:00-05:00",
            ),
            ("day before yesterday", Generic, "2026-11-29T00:00:00-05:00"),
            ("tonight", EventStart, "2026-12-01T19:00:00-05:00"),
            ("tonight", Due, "2026-12-01T19:00:00-05:00"),
            ("tonight at 8", EventStart, "2026-12-01T20:00:00-05:00"),
            ("this afternoon", EventStart, "2026-12-01T13:00:00-05:00"),
            ("this evening", EventStart, "2026-12-01T18:00:00-05:00"),
            ("tomorrow morning", EventStart, "2026-12-02T09:00:00-05:00"),
            ("tomorrow morning", Due, "2026-12-02T09:00:00-05:00"),
            (
                "tomorrow afternoon",
                EventStart,
                "2026-12-02T13:00:00-05:00",
            ),
            ("tomorrow evening", EventStart, "2026-12-02T18:00:00-05:00"),
            ("tomorrow night", EventStart, "2026-12-02T19:00:00-05:00"),
            ("tomorrow at noon", EventStart, "2026-12-02T12:00:00-05:00"),
            ("tomorrow at lunch", EventStart, "2026-12-02T12:00:00-05:00"),
            ("tomorrow 2pm", EventStart, "2026-12-02T14:00:00-05:00"),
            ("tomorrow 2 pm", EventStart, "2026-12-02T14:00:00-05:00"),
            (
                "tomorrow at 2:30 pm",
                EventStart,
                "2026-12-02T14:30:00-05:00",
            ),
            ("2pm tomorrow", EventStart, "2026-12-02T14:00:00-05:00"),
            ("Tomorrow @ 14:30", EventStart, "2026-12-02T14:30:00-05:00"),
            ("tomorrow at 9", EventStart, "2026-12-02T09:00:00-05:00"),
            ("tomorrow at 3", EventStart, "2026-12-02T15:00:00-05:00"),
            (
                "tomorrow 9 o'clock",
                EventStart,
                "2026-12-02T09:00:00-05:00",
            ),
            (
                "tomorrow at 7 in the evening",
                EventStart,
                "2026-12-02T19:00:00-05:00",
            ),
            (
                "tomorrow 8 in the morning",
                EventStart,
                "2026-12-02T08:00:00-05:00",
            ),
            ("tomorrow at 1430", EventStart, "2026-12-02T14:30:00-05:00"),
            ("tomorrow 3 p.m.", EventStart, "2026-12-02T15:00:00-05:00"),
            ("tomorrow 12am", EventStart, "2026-12-02T00:00:00-05:00"),
            ("tomorrow 12pm", EventStart, "2026-12-02T12:00:00-05:00"),
            ("tomorrow 8.30am", EventStart, "2026-12-02T08:30:00-05:00"),
            (
                "first thing tomorrow",
                EventStart,
                "2026-12-02T09:00:00-05:00",
            ),
            ("now", Due, "2026-12-01T09:00:00-05:00"),
            ("right now", EventStart, "2026-12-01T09:00:00-05:00"),
        ],
    );
}

#[test]
fn weekdays_from_tuesday_morning() {
    run_table(
        tue(),
        &[
            ("Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("by Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("due by friday", Due, "2026-12-04T17:00:00-05:00"),
            ("before Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("on Friday", EventStart, "2026-12-04T09:00:00-05:00"),
            ("fri", EventStart, "2026-12-04T09:00:00-05:00"),
            ("this Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("coming friday", Due, "2026-12-04T17:00:00-05:00"),
            ("next Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("Friday at noon", EventStart, "2026-12-04T12:00:00-05:00"),
            ("Friday 9am", EventStart, "2026-12-04T09:00:00-05:00"),
            ("Friday 5pm", Due, "2026-12-04T17:00:00-05:00"),
            ("friday midnight", Due, "2026-12-05T00:00:00-05:00"),
            ("12am Friday", EventStart, "2026-12-04T00:00:00-05:00"),
            ("Monday", Due, "2026-12-07T17:00:00-05:00"),
            ("Sunday", Generic, "2026-12-06T00:00:00-05:00"),
            // Today is Tuesday.
            ("Tuesday", Due, "2026-12-01T17:00:00-05:00"),
            ("Tuesday", EventStart, "2026-12-08T09:00:00-05:00"),
            ("Tuesday 3pm", EventStart, "2026-12-01T15:00:00-05:00"),
            ("Tuesday 8am", EventStart, "2026-12-08T08:00:00-05:00"),
            ("Tuesday", Generic, "2026-12-01T00:00:00-05:00"),
            ("next Tuesday", Due, "2026-12-08T17:00:00-05:00"),
            (
                "next Tuesday afternoon",
                EventStart,
                "2026-12-08T13:00:00-05:00",
            ),
            ("next Wednesday", Due, "2026-12-02T17:00:00-05:00"),
            ("next week Tuesday", Due, "2026-12-08T17:00:00-05:00"),
            ("Tuesday next week", Due, "2026-12-08T17:00:00-05:00"),
            (
                "wednesday of next week",
                EventStart,
                "2026-12-09T09:00:00-05:00",
            ),
            (
                "next week wednesday 10am",
                EventStart,
                "2026-12-09T10:00:00-05:00",
            ),
            ("last Friday", Generic, "2026-11-27T00:00:00-05:00"),
            ("last Tuesday", Generic, "2026-11-24T00:00:00-05:00"),
            ("Friday, Dec 4", Due, "2026-12-04T17:00:00-05:00"),
            ("tomorrow wednesday", Due, "2026-12-02T17:00:00-05:00"),
        ],
    );
}

#[test]
fn periods_from_tuesday_morning() {
    run_table(
        tue(),
        &[
            ("end of day", Due, "2026-12-01T17:00:00-05:00"),
            ("EOD", Due, "2026-12-01T17:00:00-05:00"),
            ("by EOD", EventStart, "2026-12-01T17:00:00-05:00"),
            ("end of the day", Due, "2026-12-01T17:00:00-05:00"),
            ("end of today", Due, "2026-12-01T17:00:00-05:00"),
            ("close of business", Due, "2026-12-01T17:00:00-05:00"),
            ("COB", Due, "2026-12-01T17:00:00-05:00"),
            ("eod tomorrow", Due, "2026-12-02T17:00:00-05:00"),
            ("tomorrow end of day", Due, "2026-12-02T17:00:00-05:00"),
            ("end of tomorrow", Due, "2026-12-02T17:00:00-05:00"),
            ("end of day Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("COB Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("end of Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("end of week", Due, "2026-12-04T17:00:00-05:00"),
            ("by end of week", Due, "2026-12-04T17:00:00-05:00"),
            ("EOW", Due, "2026-12-04T17:00:00-05:00"),
            ("end of the week", Due, "2026-12-04T17:00:00-05:00"),
            ("by the end of this week", Due, "2026-12-04T17:00:00-05:00"),
            ("end of the work week", Due, "2026-12-04T17:00:00-05:00"),
            ("this week", Due, "2026-12-04T17:00:00-05:00"),
            ("end of next week", Due, "2026-12-11T17:00:00-05:00"),
            ("next week", Due, "2026-12-07T09:00:00-05:00"),
            ("next week", EventStart, "2026-12-07T09:00:00-05:00"),
            ("next week", Generic, "2026-12-07T00:00:00-05:00"),
            ("start of next week", Due, "2026-12-07T09:00:00-05:00"),
            ("early next week", Due, "2026-12-07T09:00:00-05:00"),
            ("week after next", Due, "2026-12-14T09:00:00-05:00"),
            ("end of month", Due, "2026-12-31T17:00:00-05:00"),
            ("EOM", Due, "2026-12-31T17:00:00-05:00"),
            ("end of the month", EventStart, "2026-12-31T17:00:00-05:00"),
            ("this month", Due, "2026-12-31T17:00:00-05:00"),
            ("end of next month", Due, "2027-01-31T17:00:00-05:00"),
            ("next month", Due, "2027-01-01T09:00:00-05:00"),
            ("beginning of next month", Due, "2027-01-01T09:00:00-05:00"),
            ("end of year", Due, "2026-12-31T17:00:00-05:00"),
            ("this weekend", EventStart, "2026-12-05T09:00:00-05:00"),
            ("weekend", EventStart, "2026-12-05T09:00:00-05:00"),
            ("next weekend", EventStart, "2026-12-12T09:00:00-05:00"),
        ],
    );
}

#[test]
fn relative_offsets_from_tuesday_morning() {
    run_table(
        tue(),
        &[
            ("in 2 hours", EventStart, "2026-12-01T11:00:00-05:00"),
            ("in 2 hours", Due, "2026-12-01T11:00:00-05:00"),
            ("in 30 minutes", EventStart, "2026-12-01T09:30:00-05:00"),
            ("in 30 mins", EventStart, "2026-12-01T09:30:00-05:00"),
            ("in 90 min", EventStart, "2026-12-01T10:30:00-05:00"),
            ("in 2h", EventStart, "2026-12-01T11:00:00-05:00"),
            ("in 1.5 hours", EventStart, "2026-12-01T10:30:00-05:00"),
            ("in an hour", EventStart, "2026-12-01T10:00:00-05:00"),
            ("in half an hour", EventStart, "2026-12-01T09:30:00-05:00"),
            (
                "in an hour and a half",
                EventStart,
                "2026-12-01T10:30:00-05:00",
            ),
            ("2 hours from now", EventStart, "2026-12-01T11:00:00-05:00"),
            ("within 45 minutes", Due, "2026-12-01T09:45:00-05:00"),
            ("in 3 days", Due, "2026-12-04T17:00:00-05:00"),
            ("3 days from now", EventStart, "2026-12-04T09:00:00-05:00"),
            ("in three days", Due, "2026-12-04T17:00:00-05:00"),
            ("in a couple of days", Due, "2026-12-03T17:00:00-05:00"),
            ("in 3 days at 10am", EventStart, "2026-12-04T10:00:00-05:00"),
            ("in a week", Due, "2026-12-08T17:00:00-05:00"),
            ("in 2 weeks", Due, "2026-12-15T17:00:00-05:00"),
            ("in 1 month", Due, "2027-01-01T17:00:00-05:00"),
            ("in a year", Generic, "2027-12-01T00:00:00-05:00"),
            ("3 days ago", Generic, "2026-11-28T00:00:00-05:00"),
            ("2 hours ago", Generic, "2026-12-01T07:00:00-05:00"),
            ("a week from now", Due, "2026-12-08T17:00:00-05:00"),
            ("in 1.5 days", EventStart, "2026-12-02T21:00:00-05:00"),
        ],
    );
}

#[test]
fn explicit_dates_and_times_from_tuesday_morning() {
    run_table(
        tue(),
        &[
            ("2026-12-04", Due, "2026-12-04T17:00:00-05:00"),
            ("2026-12-04", EventStart, "2026-12-04T09:00:00-05:00"),
            ("2026-12-04T15:30", EventStart, "2026-12-04T15:30:00-05:00"),
            ("2026-12-04T15:30:00", Due, "2026-12-04T15:30:00-05:00"),
            ("2026-12-04 15:30", EventStart, "2026-12-04T15:30:00-05:00"),
            (
                "2026-12-04T15:30:00-05:00",
                Due,
                "2026-12-04T15:30:00-05:00",
            ),
            ("2026-12-04T20:30:00Z", Due, "2026-12-04T15:30:00-05:00"),
            ("2026-12-04T20:30Z", Due, "2026-12-04T15:30:00-05:00"),
            ("2026-12-04t20:30:00z", Due, "2026-12-04T15:30:00-05:00"),
            ("2026-12-04T15:30-05:00", Due, "2026-12-04T15:30:00-05:00"),
            (
                "2026-12-04T21:30:00+01:00",
                Due,
                "2026-12-04T15:30:00-05:00",
            ),
            ("2026-12-04T20:30:00.000Z", Due, "2026-12-04T15:30:00-05:00"),
            ("2026-12-04 at 3pm", EventStart, "2026-12-04T15:00:00-05:00"),
            ("2026/12/04", Due, "2026-12-04T17:00:00-05:00"),
            ("12/4", Due, "2026-12-04T17:00:00-05:00"),
            ("12/4/2026", Due, "2026-12-04T17:00:00-05:00"),
            ("12/4/26", Due, "2026-12-04T17:00:00-05:00"),
            ("25/12", Due, "2026-12-25T17:00:00-05:00"),
            ("Dec 4", Due, "2026-12-04T17:00:00-05:00"),
            ("Dec. 4", Due, "2026-12-04T17:00:00-05:00"),
            ("December 4th", Due, "2026-12-04T17:00:00-05:00"),
            ("4 December", Due, "2026-12-04T17:00:00-05:00"),
            ("4th of December", Due, "2026-12-04T17:00:00-05:00"),
            ("the 4th of december", Due, "2026-12-04T17:00:00-05:00"),
            ("Dec 4 2026", Due, "2026-12-04T17:00:00-05:00"),
            ("December 4, 2026", Due, "2026-12-04T17:00:00-05:00"),
            ("Dec 4th, 2027", Due, "2027-12-04T17:00:00-05:00"),
            ("Dec 4 at 3:30pm", EventStart, "2026-12-04T15:30:00-05:00"),
            (
                "on Dec 4 at 3:30 PM",
                EventStart,
                "2026-12-04T15:30:00-05:00",
            ),
            ("Dec 4 3pm", EventStart, "2026-12-04T15:00:00-05:00"),
            ("December 4th at 9", EventStart, "2026-12-04T09:00:00-05:00"),
            ("Jan 15", Due, "2027-01-15T17:00:00-05:00"),
            ("Nov 20", Due, "2027-11-20T17:00:00-05:00"),
            ("Dec 1", Due, "2026-12-01T17:00:00-05:00"),
            ("Feb 29", Due, "2028-02-29T17:00:00-05:00"),
            ("the 4th", Due, "2026-12-04T17:00:00-05:00"),
            ("the 1st", Due, "2026-12-01T17:00:00-05:00"),
            ("on the 31st", Due, "2026-12-31T17:00:00-05:00"),
            ("July 4th", EventStart, "2027-07-04T09:00:00-04:00"),
        ],
    );
}

#[test]
fn time_only_phrases_are_the_next_occurrence() {
    run_table(
        tue(),
        &[
            ("2pm", EventStart, "2026-12-01T14:00:00-05:00"),
            ("at 2pm", EventStart, "2026-12-01T14:00:00-05:00"),
            ("14:00", EventStart, "2026-12-01T14:00:00-05:00"),
            ("14:30", Due, "2026-12-01T14:30:00-05:00"),
            ("at 3", EventStart, "2026-12-01T15:00:00-05:00"),
            ("at 10", EventStart, "2026-12-01T10:00:00-05:00"),
            ("9:30", EventStart, "2026-12-01T09:30:00-05:00"),
            ("09:30", EventStart, "2026-12-01T09:30:00-05:00"),
            ("5:30", EventStart, "2026-12-01T17:30:00-05:00"),
            ("noon", EventStart, "2026-12-01T12:00:00-05:00"),
            ("afternoon", EventStart, "2026-12-01T13:00:00-05:00"),
            ("by end of day", Due, "2026-12-01T17:00:00-05:00"),
            // Already past today → tomorrow.
            ("8am", EventStart, "2026-12-02T08:00:00-05:00"),
            ("at 9", EventStart, "2026-12-02T09:00:00-05:00"),
            ("9am", EventStart, "2026-12-02T09:00:00-05:00"),
            ("morning", EventStart, "2026-12-02T09:00:00-05:00"),
            // "midnight" is the end of today.
            ("midnight", Due, "2026-12-02T00:00:00-05:00"),
            ("by midnight", Due, "2026-12-02T00:00:00-05:00"),
        ],
    );
}

#[test]
fn from_sunday_night() {
    run_table(
        sun_night(),
        &[
            ("tomorrow", Due, "2026-11-30T17:00:00-05:00"),
            ("Monday", Due, "2026-11-30T17:00:00-05:00"),
            ("next Monday", Due, "2026-11-30T17:00:00-05:00"),
            ("Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("Sunday", Due, "2026-12-06T17:00:00-05:00"),
            ("Sunday", Generic, "2026-11-29T00:00:00-05:00"),
            ("next Sunday", Due, "2026-12-06T17:00:00-05:00"),
            ("end of week", Due, "2026-12-04T17:00:00-05:00"),
            ("next week", Due, "2026-11-30T09:00:00-05:00"),
            ("next week Tuesday", EventStart, "2026-12-01T09:00:00-05:00"),
            ("end of next week", Due, "2026-12-04T17:00:00-05:00"),
            ("end of month", Due, "2026-11-30T17:00:00-05:00"),
            ("next month", Due, "2026-12-01T09:00:00-05:00"),
            ("in 1 hour", EventStart, "2026-11-30T00:30:00-05:00"),
            ("9am", EventStart, "2026-11-30T09:00:00-05:00"),
            ("midnight", Due, "2026-11-30T00:00:00-05:00"),
            ("tonight", EventStart, "2026-11-29T19:00:00-05:00"),
            ("today", Due, "2026-11-29T17:00:00-05:00"),
            ("this weekend", EventStart, "2026-11-29T09:00:00-05:00"),
            ("next weekend", EventStart, "2026-12-05T09:00:00-05:00"),
            ("Dec 4", Due, "2026-12-04T17:00:00-05:00"),
            ("the 1st", Due, "2026-12-01T17:00:00-05:00"),
        ],
    );
    let tonight = resolve_moment("tonight", sun_night(), EventStart).unwrap();
    assert!(tonight.is_past, "19:00 is before 23:30");
    let eod = resolve_moment("end of day", sun_night(), Due).unwrap();
    assert!(eod.is_past);
}

#[test]
fn from_friday_afternoon() {
    run_table(
        fri_pm(),
        &[
            ("Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("Friday", EventStart, "2026-12-11T09:00:00-05:00"),
            ("Friday 4pm", EventStart, "2026-12-04T16:00:00-05:00"),
            ("Friday 2pm", EventStart, "2026-12-11T14:00:00-05:00"),
            ("this Friday", Due, "2026-12-04T17:00:00-05:00"),
            ("next Friday", Due, "2026-12-11T17:00:00-05:00"),
            ("end of week", Due, "2026-12-04T17:00:00-05:00"),
            ("EOD", Due, "2026-12-04T17:00:00-05:00"),
            ("Monday", Due, "2026-12-07T17:00:00-05:00"),
            ("next week", EventStart, "2026-12-07T09:00:00-05:00"),
            ("this weekend", EventStart, "2026-12-05T09:00:00-05:00"),
            ("tomorrow", EventStart, "2026-12-05T09:00:00-05:00"),
            ("in 3 hours", EventStart, "2026-12-04T18:00:00-05:00"),
            ("4pm", EventStart, "2026-12-04T16:00:00-05:00"),
            ("2pm", EventStart, "2026-12-05T14:00:00-05:00"),
            ("this afternoon", EventStart, "2026-12-04T13:00:00-05:00"),
        ],
    );
    let after_five = now_in(New_York, 2026, 12, 4, 17, 30);
    run_table(
        after_five,
        &[
            ("end of week", Due, "2026-12-11T17:00:00-05:00"),
            ("Friday", Due, "2026-12-11T17:00:00-05:00"),
            ("end of day", Due, "2026-12-04T17:00:00-05:00"),
        ],
    );
}

#[test]
fn us_spring_forward_week() {
    let thu = now_in(New_York, 2026, 3, 5, 10, 0);
    run_table(
        thu,
        &[
            ("Sunday 2:30am", EventStart, "2026-03-08T03:30:00-04:00"),
            ("Sunday at 2am", EventStart, "2026-03-08T03:00:00-04:00"),
            ("Sunday 5pm", Due, "2026-03-08T17:00:00-04:00"),
            ("Sunday 1:59am", EventStart, "2026-03-08T01:59:00-05:00"),
            ("next Monday", Due, "2026-03-09T17:00:00-04:00"),
            ("in 3 days", Due, "2026-03-08T17:00:00-04:00"),
            ("in 72 hours", EventStart, "2026-03-08T11:00:00-04:00"),
            ("2026-03-08T02:30", EventStart, "2026-03-08T03:30:00-04:00"),
            ("next week", EventStart, "2026-03-09T09:00:00-04:00"),
            ("end of week", Due, "2026-03-06T17:00:00-05:00"),
        ],
    );
    let gap = resolve_moment("Sunday 2:30am", thu, EventStart).unwrap();
    assert!(gap.shifted_by_dst_gap);
    assert_eq!(gap.time, Some(hm(2, 30)), "the requested wall time is kept");
    let normal = resolve_moment("Sunday 5pm", thu, EventStart).unwrap();
    assert!(!normal.shifted_by_dst_gap);

    // On the night itself, before the jump.
    let early = now_in(New_York, 2026, 3, 8, 1, 30);
    run_table(
        early,
        &[
            ("in 1 hour", EventStart, "2026-03-08T03:30:00-04:00"),
            ("2:30am", EventStart, "2026-03-08T03:30:00-04:00"),
            ("today", Due, "2026-03-08T17:00:00-04:00"),
        ],
    );
}

#[test]
fn us_fall_back_week() {
    let thu = now_in(New_York, 2026, 10, 29, 10, 0);
    run_table(
        thu,
        &[
            ("next Tuesday", Due, "2026-11-03T17:00:00-05:00"),
            ("Tuesday", Due, "2026-11-03T17:00:00-05:00"),
            ("Sunday 1:30am", EventStart, "2026-11-01T01:30:00-04:00"),
            ("Sunday 3am", EventStart, "2026-11-01T03:00:00-05:00"),
            ("in 7 days", Due, "2026-11-05T17:00:00-05:00"),
            ("in 168 hours", EventStart, "2026-11-05T09:00:00-05:00"),
            ("tomorrow", Due, "2026-10-30T17:00:00-04:00"),
            ("end of week", Due, "2026-10-30T17:00:00-04:00"),
            ("next week", EventStart, "2026-11-02T09:00:00-05:00"),
        ],
    );
}

#[test]
fn other_zones() {
    let london = now_in(London, 2026, 3, 27, 12, 0);
    run_table(
        london,
        &[
            ("Sunday 1:30am", EventStart, "2026-03-29T02:30:00+01:00"),
            ("Monday", Due, "2026-03-30T17:00:00+01:00"),
            ("tomorrow 9am", EventStart, "2026-03-28T09:00:00+00:00"),
            ("end of day", Due, "2026-03-27T17:00:00+00:00"),
            ("in 2 days", Due, "2026-03-29T17:00:00+01:00"),
            ("4/1", Due, "2026-04-01T17:00:00+01:00"),
        ],
    );
    let kolkata = now_in(Kolkata, 2026, 12, 1, 9, 0);
    run_table(
        kolkata,
        &[
            ("Friday", Due, "2026-12-04T17:00:00+05:30"),
            ("in 2 hours", EventStart, "2026-12-01T11:00:00+05:30"),
            ("tomorrow 2pm", EventStart, "2026-12-02T14:00:00+05:30"),
            ("2026-12-04T20:30:00Z", Due, "2026-12-05T02:00:00+05:30"),
        ],
    );
    let friday = resolve_moment("Friday", kolkata, Due).unwrap();
    assert_eq!(
        friday
            .utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "2026-12-04T11:30:00Z"
    );
    let utc_instant = resolve_moment("2026-12-04T20:30:00Z", kolkata, Due).unwrap();
    assert_eq!(
        utc_instant.date,
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    );

    // Southern hemisphere: DST starts on the first Sunday of October.
    let sydney = now_in(Sydney, 2026, 10, 2, 10, 0);
    run_table(
        sydney,
        &[
            ("today", Due, "2026-10-02T17:00:00+10:00"),
            ("Sunday 2:30am", EventStart, "2026-10-04T03:30:00+11:00"),
            ("Monday", Due, "2026-10-05T17:00:00+11:00"),
            ("next week", EventStart, "2026-10-05T09:00:00+11:00"),
            ("in 3 days", Due, "2026-10-05T17:00:00+11:00"),
            ("2026-04-05T02:30", EventStart, "2026-04-05T02:30:00+11:00"),
        ],
    );
}

#[test]
fn resolved_moment_metadata() {
    let m = resolve_moment("tomorrow 2pm", tue(), EventStart).unwrap();
    assert_eq!(m.time, Some(hm(14, 0)));
    assert_eq!(m.time_source, TimeSource::Explicit);
    assert!(m.date_given);
    assert_eq!(m.date, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());

    let m = resolve_moment("4pm", tue(), EventStart).unwrap();
    assert!(!m.date_given);
    assert_eq!(m.time, Some(hm(16, 0)));

    let m = resolve_moment("tomorrow morning", tue(), EventStart).unwrap();
    assert_eq!(m.time_source, TimeSource::DayPart);
    assert_eq!(m.time, Some(hm(9, 0)));

    let m = resolve_moment("end of week", tue(), Due).unwrap();
    assert_eq!(m.time_source, TimeSource::DayPart);

    let m = resolve_moment("Friday", tue(), EventStart).unwrap();
    assert_eq!(m.time_source, TimeSource::Default);
    assert_eq!(m.time, None);

    let m = resolve_moment("today 8am", tue(), EventStart).unwrap();
    assert!(m.is_past, "an explicit past time today stays today");
    assert_eq!(format_instant(&m.instant), "2026-12-01T08:00:00-05:00");

    let m = resolve_moment("in 2 hours", tue(), Due).unwrap();
    assert_eq!(m.time_source, TimeSource::Explicit);
    assert!(m.date_given);
}

#[test]
fn a_weekday_moves_a_yearless_date_to_the_nearest_year_that_agrees() {
    run_table(
        tue(),
        &[
            // 2027-07-18 is a Sunday; 2028-07-18 is a Tuesday.
            ("Tue, Jul 18", EventStart, "2028-07-18T09:00:00-04:00"),
            (
                "Tuesday July 18th at 3pm",
                EventStart,
                "2028-07-18T15:00:00-04:00",
            ),
            // Agreeing only with the date just gone: that one (a past event start).
            ("Mon 12th Oct 7am", EventStart, "2026-10-12T07:00:00-04:00"),
            ("Fri Nov 27", Due, "2026-11-27T17:00:00-05:00"),
            // Agreeing this year: unchanged.
            ("Tue Dec 8", EventStart, "2026-12-08T09:00:00-05:00"),
        ],
    );
    // Within four weeks a disagreeing weekday is a slip to clarify, not next year.
    let err = resolve_moment("Saturday Dec 4", tue(), EventStart).expect_err("slip");
    assert!(matches!(err, TimeError::Conflict { .. }), "{err:?}");
}

#[test]
fn offsets_with_years_and_months_hedges_and_time() {
    run_table(
        tue(),
        &[
            (
                "in 1 year 2 months",
                EventStart,
                "2028-02-01T09:00:00-05:00",
            ),
            (
                "1 year and 6 months from now",
                Due,
                "2028-06-01T17:00:00-04:00",
            ),
            ("in about an hour", EventStart, "2026-12-01T10:00:00-05:00"),
            ("in roughly 3 days", EventStart, "2026-12-04T09:00:00-05:00"),
            (
                "in three weeks time",
                EventStart,
                "2026-12-22T09:00:00-05:00",
            ),
            ("in 2 days' time", Due, "2026-12-03T17:00:00-05:00"),
            ("now + 2 hours", EventStart, "2026-12-01T11:00:00-05:00"),
            ("now - 30 minutes", EventStart, "2026-12-01T08:30:00-05:00"),
            ("now+1h", EventStart, "2026-12-01T10:00:00-05:00"),
            ("now plus 3 days", EventStart, "2026-12-04T09:00:00-05:00"),
        ],
    );
    // Months with days: the months first, then the days.
    run_table(
        tue(),
        &[("in 1 month 2 days", EventStart, "2027-01-03T09:00:00-05:00")],
    );
}

#[test]
fn mixed_offsets_sum_months_then_days_then_minutes() {
    run_table(
        tue(),
        &[
            (
                "in 1 month and 2 weeks",
                EventStart,
                "2027-01-15T09:00:00-05:00",
            ),
            ("in 2 months, 1 week", Due, "2027-02-08T17:00:00-05:00"),
            (
                "1 month 3 days ago",
                EventStart,
                "2026-10-29T09:00:00-04:00",
            ),
            (
                "2 weeks and 3 days from now",
                EventStart,
                "2026-12-18T09:00:00-05:00",
            ),
            // Hours with months: an exact instant, the months on the calendar first.
            (
                "in 1 year, 2 months and 3 hours",
                EventStart,
                "2028-02-01T12:00:00-05:00",
            ),
            (
                "1 year, 1 week, 1 hour and 1 minute ago",
                EventStart,
                "2025-11-24T07:59:00-05:00",
            ),
            // Decimal commas.
            ("in 0,5 hours", EventStart, "2026-12-01T09:30:00-05:00"),
            ("1,5 hours later", EventStart, "2026-12-01T10:30:00-05:00"),
            ("in 2,5 days", EventStart, "2026-12-03T21:00:00-05:00"),
            // ... but a comma after a day stays a separator.
            ("Dec 4,2027", EventStart, "2027-12-04T09:00:00-05:00"),
            // British: "a week today", "a week on Monday", "two weeks on Friday".
            ("a week today", EventStart, "2026-12-08T09:00:00-05:00"),
            (
                "a week tomorrow at 3pm",
                EventStart,
                "2026-12-09T15:00:00-05:00",
            ),
            ("a week on monday", EventStart, "2026-12-14T09:00:00-05:00"),
            ("two weeks on friday", Due, "2026-12-18T17:00:00-05:00"),
            (
                "a day from right now",
                EventStart,
                "2026-12-02T09:00:00-05:00",
            ),
            ("today in one hour", EventStart, "2026-12-01T10:00:00-05:00"),
        ],
    );
}

#[test]
fn a_weekday_counted_from_a_named_day() {
    run_table(
        tue(),
        &[
            (
                "the monday after christmas",
                EventStart,
                "2026-12-28T09:00:00-05:00",
            ),
            (
                "the friday before easter",
                EventStart,
                "2027-03-26T09:00:00-04:00",
            ),
            (
                "first tuesday after labor day",
                Due,
                "2027-09-07T17:00:00-04:00",
            ),
            (
                "the second friday after jan 1 at 10am",
                EventStart,
                "2027-01-15T10:00:00-05:00",
            ),
            (
                "the thursday before next friday",
                EventStart,
                "2026-12-03T09:00:00-05:00",
            ),
            // Not this: a weekday before a time, "after next".
            ("friday before 5pm", EventStart, "2026-12-04T17:00:00-05:00"),
            ("monday after next", EventStart, "2026-12-14T09:00:00-05:00"),
        ],
    );
}

#[test]
fn days_counted_from_the_end_of_a_month() {
    run_table(
        tue(),
        &[
            (
                "the second to last day of the month",
                EventStart,
                "2026-12-30T09:00:00-05:00",
            ),
            (
                "the penultimate day of january",
                EventStart,
                "2027-01-30T09:00:00-05:00",
            ),
            (
                "3rd last day of february",
                EventStart,
                "2027-02-26T09:00:00-05:00",
            ),
            (
                "the 2nd last friday of the month",
                EventStart,
                "2026-12-18T09:00:00-05:00",
            ),
            (
                "next to last monday of may",
                EventStart,
                "2027-05-24T09:00:00-04:00",
            ),
        ],
    );
    // February has no 30th last day.
    assert!(resolve_moment("the 30th last day of february", tue(), EventStart).is_err());
}

#[test]
fn same_time_weeks_after_a_weekday_and_spellings() {
    run_table(
        tue(),
        &[
            (
                "same time tomorrow",
                EventStart,
                "2026-12-02T09:00:00-05:00",
            ),
            (
                "this time next week",
                EventStart,
                "2026-12-08T09:00:00-05:00",
            ),
            (
                "at the same time on friday",
                EventStart,
                "2026-12-04T09:00:00-05:00",
            ),
            ("at this time", EventStart, "2026-12-01T09:00:00-05:00"),
            ("midnight tonight", EventStart, "2026-12-02T00:00:00-05:00"),
            ("tonight at midnight", Due, "2026-12-02T00:00:00-05:00"),
            ("monday next", EventStart, "2026-12-07T09:00:00-05:00"),
            ("tuesday next at 3", EventStart, "2026-12-08T15:00:00-05:00"),
            (
                "friday 4pm next week",
                EventStart,
                "2026-12-11T16:00:00-05:00",
            ),
            ("friday this week", Due, "2026-12-04T17:00:00-05:00"),
            (
                "wednesday 3pm last week",
                EventStart,
                "2026-11-25T15:00:00-05:00",
            ),
            (
                "this coming weekend",
                EventStart,
                "2026-12-05T09:00:00-05:00",
            ),
            ("last weekend", EventStart, "2026-11-28T09:00:00-05:00"),
            (
                "after lunch tomorrow",
                EventStart,
                "2026-12-02T13:00:00-05:00",
            ),
            ("boxing day", EventStart, "2026-12-26T09:00:00-05:00"),
            ("tomorrow's", EventStart, "2026-12-02T09:00:00-05:00"),
            ("tonight's", EventStart, "2026-12-01T19:00:00-05:00"),
            ("2moro at 3", EventStart, "2026-12-02T15:00:00-05:00"),
            ("2nite at 8", EventStart, "2026-12-01T20:00:00-05:00"),
            ("nxt friday", EventStart, "2026-12-04T09:00:00-05:00"),
            ("20261209", EventStart, "2026-12-09T09:00:00-05:00"),
            ("20261209T1500", EventStart, "2026-12-09T15:00:00-05:00"),
            (
                "Jan 21 2027 13:11:23.678",
                EventStart,
                "2027-01-21T13:11:00-05:00",
            ),
            ("tomorrow 09:30h", EventStart, "2026-12-02T09:30:00-05:00"),
        ],
    );
    run_table(
        tue(),
        &[
            (
                "next month on the 5th",
                EventStart,
                "2027-01-05T09:00:00-05:00",
            ),
            (
                "the 20th of this month",
                EventStart,
                "2026-12-20T09:00:00-05:00",
            ),
            (
                "the 5th next month at 3pm",
                EventStart,
                "2027-01-05T15:00:00-05:00",
            ),
            ("thursday eve", EventStart, "2026-12-03T18:00:00-05:00"),
            ("tomorrow nite", EventStart, "2026-12-02T19:00:00-05:00"),
            ("christmas eve", EventStart, "2026-12-24T09:00:00-05:00"),
            ("four oh five", EventStart, "2026-12-01T16:05:00-05:00"),
            (
                "nine o five tomorrow",
                EventStart,
                "2026-12-02T09:05:00-05:00",
            ),
            ("at 4 o clock", EventStart, "2026-12-01T16:00:00-05:00"),
            (
                "the weekend after next",
                EventStart,
                "2026-12-19T09:00:00-05:00",
            ),
            // A dotted time after a dotted date.
            ("29.02.2028 13.12", EventStart, "2028-02-29T13:12:00-05:00"),
            ("15.01. 14.30", EventStart, "2027-01-15T14:30:00-05:00"),
        ],
    );
    // Re-timing "same time next week" keeps the original's wall time and weekday.
    let original = now_in(New_York, 2026, 12, 3, 14, 0);
    let moved = apply_time_keep_date(original, "same time next week", tue()).unwrap();
    assert_eq!(format_instant(&moved.instant), "2026-12-10T14:00:00-05:00");
}

#[test]
fn four_digits_in_a_time_slot_are_a_24_hour_time() {
    run_table(
        tue(),
        &[
            ("1930", EventStart, "2026-12-01T19:30:00-05:00"),
            ("at 0800", EventStart, "2026-12-02T08:00:00-05:00"),
            ("0930 tomorrow", EventStart, "2026-12-02T09:30:00-05:00"),
            ("friday 1400", EventStart, "2026-12-04T14:00:00-05:00"),
            ("2000", EventStart, "2026-12-01T20:00:00-05:00"),
            // In a date slot a year stays a year.
            ("Dec 4 2027", EventStart, "2027-12-04T09:00:00-05:00"),
            ("4 March 2027 1500", EventStart, "2027-03-04T15:00:00-05:00"),
            (
                "Wed Aug 05 12:00:00 2015",
                EventStart,
                "2015-08-05T12:00:00-04:00",
            ),
            ("Dec 4 10:30 2027", EventStart, "2027-12-04T10:30:00-05:00"),
        ],
    );
}

#[test]
fn errors_name_the_phrase_and_never_panic() {
    let now = tue();
    type Check = fn(&TimeError) -> bool;
    let cases: &[(&str, Check)] = &[
        ("", |e| *e == TimeError::Empty),
        ("   ", |e| *e == TimeError::Empty),
        (
            "blorp",
            |e| matches!(e, TimeError::Unrecognized { word, .. } if word == "blorp"),
        ),
        (
            "Friday blorp",
            |e| matches!(e, TimeError::Unrecognized { word, .. } if word == "blorp"),
        ),
        ("by the", |e| matches!(e, TimeError::Unrecognized { .. })),
        ("next", |e| matches!(e, TimeError::Unrecognized { .. })),
        ("5", |e| matches!(e, TimeError::Unrecognized { .. })),
        ("2 days", |e| matches!(e, TimeError::Unrecognized { .. })),
        ("13/45", |e| matches!(e, TimeError::InvalidDate { .. })),
        ("Feb 30", |e| matches!(e, TimeError::InvalidDate { .. })),
        ("2/30/2026", |e| matches!(e, TimeError::InvalidDate { .. })),
        ("25:00", |e| matches!(e, TimeError::InvalidDate { .. })),
        ("13pm", |e| matches!(e, TimeError::InvalidDate { .. })),
        ("tomorrow 9:75", |e| {
            matches!(e, TimeError::InvalidDate { .. })
        }),
        ("the 32nd", |e| {
            matches!(
                e,
                TimeError::Unrecognized { .. } | TimeError::InvalidDate { .. }
            )
        }),
        ("tomorrow yesterday", |e| {
            matches!(e, TimeError::Conflict { .. })
        }),
        ("2pm 3pm", |e| matches!(e, TimeError::Conflict { .. })),
        ("in 2 hours tomorrow", |e| {
            matches!(e, TimeError::Conflict { .. })
        }),
        ("Saturday Dec 4", |e| {
            matches!(e, TimeError::Conflict { .. })
        }),
        ("Friday Monday", |e| matches!(e, TimeError::Conflict { .. })),
        ("in 2027", |e| matches!(e, TimeError::Unrecognized { .. })),
        ("in 1930", |e| matches!(e, TimeError::Unrecognized { .. })),
        ("1975", |e| matches!(e, TimeError::InvalidDate { .. })),
        ("noon at 3pm", |e| matches!(e, TimeError::Conflict { .. })),
        ("in 99999 years", |e| {
            matches!(e, TimeError::OutOfRange { .. })
        }),
        ("in 999999 days", |e| {
            matches!(e, TimeError::OutOfRange { .. })
        }),
        ("in 1.5 months", |e| {
            matches!(e, TimeError::InvalidDate { .. })
        }),
    ];
    for (phrase, check) in cases {
        let err = resolve_moment(phrase, now, Due).expect_err(phrase);
        assert!(check(&err), "{phrase:?} gave {err:?}");
        let msg = err.to_string();
        if !phrase.trim().is_empty() {
            assert!(
                msg.contains(phrase.trim()),
                "{msg:?} should name {phrase:?}"
            );
        }
    }
    let long = "tomorrow ".repeat(40);
    assert_eq!(
        resolve_moment(&long, now, Due),
        Err(TimeError::TooLong {
            max_chars: MAX_PHRASE_CHARS
        })
    );
}

#[test]
fn time_of_day_only() {
    let cases: &[(&str, Option<NaiveTime>)] = &[
        ("4pm", Some(hm(16, 0))),
        ("move it to 4pm", None),
        ("at 16:30", Some(hm(16, 30))),
        ("4:15 PM", Some(hm(16, 15))),
        ("at 4", Some(hm(16, 0))),
        ("at 9", Some(hm(9, 0))),
        ("noon", Some(hm(12, 0))),
        ("midnight", Some(NaiveTime::MIN)),
        ("morning", Some(hm(9, 0))),
        ("end of day", Some(hm(17, 0))),
        ("4", None),
        ("tomorrow 4pm", None),
        ("Friday", None),
        ("in 2 hours", None),
        ("2026-12-04T15:00", None),
        ("blah", None),
        ("", None),
    ];
    for (phrase, want) in cases {
        assert_eq!(resolve_time_of_day(phrase), *want, "{phrase:?}");
    }
}

#[test]
fn apply_time_keeps_the_date_or_the_time() {
    let now = tue();
    let original = now_in(New_York, 2026, 12, 3, 14, 0); // Thursday 2pm
    let cases: &[(&str, &str, TimeSource)] = &[
        ("4pm", "2026-12-03T16:00:00-05:00", TimeSource::Explicit),
        ("at 4", "2026-12-03T16:00:00-05:00", TimeSource::Explicit),
        ("16:30", "2026-12-03T16:30:00-05:00", TimeSource::Explicit),
        ("morning", "2026-12-03T09:00:00-05:00", TimeSource::DayPart),
        (
            "Friday",
            "2026-12-04T14:00:00-05:00",
            TimeSource::KeptFromOriginal,
        ),
        (
            "tomorrow",
            "2026-12-02T14:00:00-05:00",
            TimeSource::KeptFromOriginal,
        ),
        (
            "Dec 10",
            "2026-12-10T14:00:00-05:00",
            TimeSource::KeptFromOriginal,
        ),
        (
            "next week",
            "2026-12-10T14:00:00-05:00",
            TimeSource::KeptFromOriginal,
        ),
        (
            "Friday 10am",
            "2026-12-04T10:00:00-05:00",
            TimeSource::Explicit,
        ),
        (
            "30 minutes later",
            "2026-12-03T14:30:00-05:00",
            TimeSource::Explicit,
        ),
        (
            "an hour earlier",
            "2026-12-03T13:00:00-05:00",
            TimeSource::Explicit,
        ),
        (
            "2 days later",
            "2026-12-05T14:00:00-05:00",
            TimeSource::KeptFromOriginal,
        ),
        (
            "in 2 hours",
            "2026-12-01T11:00:00-05:00",
            TimeSource::Explicit,
        ),
        (
            "2026-12-10T11:00",
            "2026-12-10T11:00:00-05:00",
            TimeSource::Explicit,
        ),
    ];
    for (phrase, want, source) in cases {
        let m = apply_time_keep_date(original, phrase, now).unwrap();
        assert_eq!(format_instant(&m.instant), *want, "{phrase:?}");
        assert_eq!(m.time_source, *source, "{phrase:?}");
    }
    // "Thursday" when the original is already on Thursday and today is Tuesday: this week's.
    let m = apply_time_keep_date(original, "Thursday", now).unwrap();
    assert_eq!(format_instant(&m.instant), "2026-12-03T14:00:00-05:00");
    assert!(apply_time_keep_date(original, "whenever", now).is_err());

    // Across the fall-back change the wall time is kept, not the UTC time.
    let now = now_in(New_York, 2026, 10, 29, 10, 0);
    let original = now_in(New_York, 2026, 10, 30, 14, 0);
    let m = apply_time_keep_date(original, "Monday", now).unwrap();
    assert_eq!(format_instant(&m.instant), "2026-11-02T14:00:00-05:00");
    // An original in another zone is re-read in the user's zone.
    let utc_original = original.with_timezone(&Utc).with_timezone(&chrono_tz::UTC);
    let m = apply_time_keep_date(utc_original, "4pm", now).unwrap();
    assert_eq!(format_instant(&m.instant), "2026-10-30T16:00:00-04:00");
}

// ----------------------------------------------------------------------------------------
// Properties
// ----------------------------------------------------------------------------------------

const ZONES: &[Tz] = &[
    chrono_tz::America::New_York,
    chrono_tz::Europe::London,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Australia::Sydney,
    chrono_tz::America::Santiago,
    chrono_tz::Pacific::Apia,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::UTC,
];

fn any_now() -> impl Strategy<Value = DateTime<Tz>> {
    // 1971..2099
    (0..ZONES.len(), 31_536_000i64..4_070_908_800i64).prop_map(|(z, secs)| {
        ZONES[z].from_utc_datetime(
            &DateTime::from_timestamp(secs, 0)
                .unwrap_or_default()
                .naive_utc(),
        )
    })
}

const VOCAB: &[&str] = &[
    "next",
    "this",
    "last",
    "in",
    "at",
    "by",
    "the",
    "of",
    "end",
    "start",
    "week",
    "month",
    "day",
    "days",
    "hours",
    "minutes",
    "friday",
    "tue",
    "sunday",
    "tomorrow",
    "today",
    "tonight",
    "yesterday",
    "eod",
    "eow",
    "eom",
    "noon",
    "midnight",
    "morning",
    "evening",
    "dec",
    "feb",
    "29",
    "31",
    "4th",
    "2",
    "12",
    "13",
    "0",
    "2pm",
    "12am",
    "9:30",
    "14:00",
    "1430",
    "12/4",
    "2/30",
    "2026-12-04",
    "a",
    "an",
    "half",
    "and",
    "from",
    "now",
    "ago",
    "later",
    "earlier",
    "weekend",
    "year",
    "99999",
    "1.5",
    "o'clock",
    "-",
    "..",
    "to",
    "after",
    "before",
    "couple",
    "few",
    "2026",
    "9999",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_text(phrase in "\\PC{0,260}", now in any_now()) {
        for role in [Due, EventStart, Generic] {
            let _ = resolve_moment(&phrase, now, role);
        }
        let _ = resolve_time_of_day(&phrase);
        let _ = apply_time_keep_date(now, &phrase, now);
    }

    #[test]
    fn never_panics_on_vocabulary_soup(
        words in proptest::collection::vec(proptest::sample::select(VOCAB), 1..7),
        now in any_now(),
    ) {
        let phrase = words.join(" ");
        for role in [Due, EventStart, Generic] {
            if let Ok(m) = resolve_moment(&phrase, now, role) {
                prop_assert_eq!(m.date, m.instant.date_naive());
                prop_assert_eq!(m.is_past, m.instant < now);
            }
        }
        let _ = apply_time_keep_date(now, &phrase, now);
    }

    #[test]
    fn wall_time_is_kept_except_in_gaps(
        z in 0..ZONES.len(),
        days in 0i64..36_500,
        hour in 0u32..24,
        minute in 0u32..60,
        now in any_now(),
    ) {
        let tz = ZONES[z];
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(days);
        let wall = date.and_hms_opt(hour, minute, 0).unwrap();
        let in_gap = tz.from_local_datetime(&wall) == chrono::LocalResult::None;
        let iso = wall.format("%Y-%m-%dT%H:%M").to_string();
        let month = wall.format("%B %-d %Y").to_string();
        let (h12, ampm) = match hour { 0 => (12, "am"), 1..=11 => (hour, "am"), 12 => (12, "pm"), _ => (hour - 12, "pm") };
        let words = format!("{month} at {h12}:{minute:02}{ampm}");
        for phrase in [iso, words] {
            let m = resolve_moment(&phrase, now.with_timezone(&tz), EventStart).unwrap();
            prop_assert_eq!(m.shifted_by_dst_gap, in_gap, "{}", phrase);
            if in_gap {
                prop_assert!(m.instant.naive_local() > wall, "{}", phrase);
                prop_assert!(m.instant.naive_local() - wall <= Duration::hours(24), "{}", phrase);
            } else {
                prop_assert_eq!(m.instant.naive_local(), wall, "{}", phrase);
            }
        }
    }

    #[test]
    fn weekdays_land_within_the_coming_week(now in any_now(), wd in 0usize..7, role in 0usize..3) {
        let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        let role = [Due, EventStart, Generic][role];
        let today = now.date_naive();
        let bare = resolve_moment(names[wd], now, role).unwrap();
        let gap = (bare.date - today).num_days();
        prop_assert!((0..=7).contains(&gap), "bare {} gap {}", names[wd], gap);
        prop_assert_eq!(bare.date.weekday().num_days_from_monday() as usize, wd);
        let next = resolve_moment(&format!("next {}", names[wd]), now, role).unwrap();
        let gap = (next.date - today).num_days();
        prop_assert!((1..=7).contains(&gap), "next {} gap {}", names[wd], gap);
    }

    #[test]
    fn due_dates_default_to_five_pm(now in any_now(), days in 1i64..400) {
        let m = resolve_moment(&format!("in {days} days"), now, Due).unwrap();
        prop_assert_eq!(m.date, now.date_naive() + Duration::days(days));
        if !m.shifted_by_dst_gap {
            prop_assert_eq!(m.instant.time(), hm(17, 0));
        }
    }
}

/// Rules added from the converted public corpus (issue #12 item 4), now = Tue 2026-12-01 09:00.
#[test]
fn public_corpus_rules() {
    run_table(
        tue(),
        &[
            ("330 p.m.", EventStart, "2026-12-01T15:30:00-05:00"),
            ("3:30 p m", EventStart, "2026-12-01T15:30:00-05:00"),
            (
                "nine fifty nine a m",
                EventStart,
                "2026-12-01T09:59:00-05:00",
            ),
            ("15h30", EventStart, "2026-12-01T15:30:00-05:00"),
            ("at 15h", EventStart, "2026-12-01T15:00:00-05:00"),
            ("15:23:24", EventStart, "2026-12-01T15:23:00-05:00"),
            (
                "at 730 in the evening",
                EventStart,
                "2026-12-01T19:30:00-05:00",
            ),
            ("at 3 15", EventStart, "2026-12-01T15:15:00-05:00"),
            ("9 tomorrow", EventStart, "2026-12-02T09:00:00-05:00"),
            (
                "9 tomorrow evening",
                EventStart,
                "2026-12-02T21:00:00-05:00",
            ),
            ("mid day", EventStart, "2026-12-01T12:00:00-05:00"),
            ("14th April 27", EventStart, "2027-04-14T09:00:00-04:00"),
            ("Aug 9 96", EventStart, "1996-08-09T09:00:00-04:00"),
            ("10/31/74", EventStart, "1974-10-31T09:00:00-05:00"),
            ("9/2027", EventStart, "2027-09-01T09:00:00-04:00"),
            ("2027 March 18", EventStart, "2027-03-18T09:00:00-04:00"),
            ("Sun 15Aug", EventStart, "2027-08-15T09:00:00-04:00"),
            ("2 / 15", EventStart, "2027-02-15T09:00:00-05:00"),
            (
                "first weekday of next month",
                EventStart,
                "2027-01-01T09:00:00-05:00",
            ),
            (
                "last business day of the month",
                EventStart,
                "2026-12-31T09:00:00-05:00",
            ),
            ("20 of next month", EventStart, "2027-01-20T09:00:00-05:00"),
            (
                "first monday of last month",
                Generic,
                "2026-11-02T00:00:00-05:00",
            ),
            (
                "3 fridays from now",
                EventStart,
                "2026-12-18T09:00:00-05:00",
            ),
            ("2 thursdays ago", Generic, "2026-11-19T00:00:00-05:00"),
            ("last christmas", Generic, "2025-12-25T00:00:00-05:00"),
            (
                "christmas of next year",
                Generic,
                "2027-12-25T00:00:00-05:00",
            ),
            ("halloween this year", Generic, "2026-10-31T00:00:00-04:00"),
            (
                "thanksgiving in 2 years",
                Generic,
                "2028-11-23T00:00:00-05:00",
            ),
            ("sunday of last week", Generic, "2026-11-29T00:00:00-05:00"),
            ("last week's sunday", Generic, "2026-11-29T00:00:00-05:00"),
            ("in 1d 2hr 5min", EventStart, "2026-12-02T11:05:00-05:00"),
            ("in 2 more minutes", EventStart, "2026-12-01T09:02:00-05:00"),
            ("in 120 seconds", EventStart, "2026-12-01T09:02:00-05:00"),
            ("in 1/2 hour", EventStart, "2026-12-01T09:30:00-05:00"),
            ("15 minute out", EventStart, "2026-12-01T09:15:00-05:00"),
            ("just now", EventStart, "2026-12-01T09:00:00-05:00"),
            ("25.12.", EventStart, "2026-12-25T09:00:00-05:00"),
            ("25.12", EventStart, "2026-12-25T09:00:00-05:00"),
            ("12.10.", EventStart, "2027-10-12T09:00:00-04:00"),
            ("19.30", EventStart, "2026-12-01T19:30:00-05:00"),
            ("at 19.30", EventStart, "2026-12-01T19:30:00-05:00"),
            ("7 30 pm", EventStart, "2026-12-01T19:30:00-05:00"),
            (
                "early tomorrow morning",
                EventStart,
                "2026-12-02T09:00:00-05:00",
            ),
            ("late tonight", EventStart, "2026-12-01T19:00:00-05:00"),
            (
                "mid-morning tomorrow",
                EventStart,
                "2026-12-02T09:00:00-05:00",
            ),
            (
                "in 2 and a half hours",
                EventStart,
                "2026-12-01T11:30:00-05:00",
            ),
            (
                "one second from now",
                EventStart,
                "2026-12-01T09:00:00-05:00",
            ),
            (
                "the second of March",
                EventStart,
                "2027-03-02T09:00:00-05:00",
            ),
            (
                "15 minutes from 1pm",
                EventStart,
                "2026-12-01T13:15:00-05:00",
            ),
            (
                "10 minutes before 3pm",
                EventStart,
                "2026-12-01T14:50:00-05:00",
            ),
            (
                "2 hours after noon tomorrow",
                EventStart,
                "2026-12-02T14:00:00-05:00",
            ),
        ],
    );
}

/// Weekday words come from `domain::words`: plural abbreviations ("fris", "mons") now read
/// as the weekday like "fridays" always did; "thus" is not Thursday.
#[test]
fn plural_weekday_abbreviations_read_as_the_weekday() {
    for (plural, day) in [("fris", "friday"), ("mons", "monday"), ("suns", "sunday")] {
        assert_eq!(
            resolve_moment(plural, tue(), Due).unwrap().instant,
            resolve_moment(day, tue(), Due).unwrap().instant,
            "{plural}"
        );
    }
    assert!(resolve_moment("thus", tue(), Due).is_err());
}
