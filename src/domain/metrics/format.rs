//! Rounding and the text forms of numbers, dates and spans used in insights and suggestions.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::intervals::Interval;

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// 6.5 → "6.5", 6.0 → "6", 2.25 → "2.3".
pub(super) fn fmt_hours(h: f64) -> String {
    fmt_number(round1(h))
}

pub(super) fn fmt_number(x: f64) -> String {
    let r = round1(x);
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(super) fn fmt_minutes(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, min) => format!("{min} min"),
        (h, 0) => format!("{h} h"),
        (h, min) => format!("{h} h {min} min"),
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(super) use crate::domain::local_time::weekday_name;

pub(super) fn fmt_date(date: NaiveDate) -> String {
    date.format("%a %b %-d").to_string()
}

pub(super) fn fmt_local(instant: DateTime<Utc>, tz: Tz) -> String {
    instant
        .with_timezone(&tz)
        .format("%a %b %-d %H:%M")
        .to_string()
}

/// "Tue Dec 1 09:00–11:00" (the end's date is added when it differs).
pub(super) fn fmt_span(span: &Interval, tz: Tz) -> String {
    let start = span.start().with_timezone(&tz);
    let end = span.end().with_timezone(&tz);
    if start.date_naive() == end.date_naive() {
        format!(
            "{}–{}",
            start.format("%a %b %-d %H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{}–{}",
            start.format("%a %b %-d %H:%M"),
            end.format("%a %b %-d %H:%M")
        )
    }
}
