//! Upstream-independent calendar and task items.
//!
//! The tools convert Nylas events and Reclaim tasks into these types; every scheduling
//! computation (slots, conflicts, duplicates, metrics) works on them only.
//!
//! Conventions the converters must follow:
//! - `CalendarItem::start`/`end` are UTC instants. An all-day event (`all_day: true`) spans the
//!   user's local midnights: `start` = local midnight of its first day, `end` = local midnight of
//!   the day after its last day (exclusive) — see [`local_day_span`].
//! - `participant_count`/`participant_emails` count the *other* people on the event (leave the
//!   account owner's own address out where it is known); [`CalendarItem::has_others`] relies on it.
//! - `TaskItem::open` is false for Reclaim `ARCHIVED`/`CANCELLED`/deleted tasks (PRODUCT §4:
//!   `COMPLETE` still means open).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::intervals::Interval;
use super::priority::Priority;
use super::working_hours::local_midnight;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarItem {
    pub id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub all_day: bool,
    /// Nylas `busy` (false for "free"/transparent events such as birthdays or holidays).
    pub busy: bool,
    pub cancelled: bool,
    pub participant_count: usize,
    pub participant_emails: Vec<String>,
    /// The series it belongs to (Nylas `master_event_id` for an occurrence, its own id for
    /// a series master); `None` for a single event.
    pub series_id: Option<String>,
}

impl CalendarItem {
    /// The event's time span; an item whose end lies before its start (bad upstream data) is
    /// treated as an instant at its start.
    pub fn interval(&self) -> Interval {
        Interval::new(self.start, self.end.max(self.start)).expect("end clamped to start")
    }

    /// Blocks time: not cancelled and marked busy.
    pub fn blocks_time(&self) -> bool {
        !self.cancelled && self.busy
    }

    /// Involves someone besides the account owner.
    pub fn has_others(&self) -> bool {
        self.participant_count > 0
    }

    pub fn duration_minutes(&self) -> i64 {
        self.interval().duration_minutes()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskItem {
    pub id: String,
    pub title: String,
    pub due: Option<DateTime<Utc>>,
    pub priority: Priority,
    /// Time still to be worked (Reclaim: remaining chunks × 15 min).
    pub remaining_minutes: u32,
    pub open: bool,
}

impl TaskItem {
    /// Open and due before `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.open && self.due.is_some_and(|due| due < now)
    }

    pub fn remaining_hours(&self) -> f64 {
        f64::from(self.remaining_minutes) / 60.0
    }
}

/// The busy time of a calendar: merged spans of the items that block time (not cancelled,
/// `busy`). All-day busy items block their whole local days.
pub fn busy_intervals(items: &[CalendarItem]) -> Vec<Interval> {
    super::intervals::merge(
        items
            .iter()
            .filter(|item| item.blocks_time())
            .map(CalendarItem::interval)
            .collect(),
    )
}

/// The UTC span of the local days `first ..= last` in `tz` (local midnight to local midnight,
/// DST-correct): how all-day events are represented. `last < first` gives the single day `first`.
pub fn local_day_span(first: NaiveDate, last: NaiveDate, tz: Tz) -> Interval {
    let last = last.max(first);
    let start = local_midnight(first, tz);
    let end = local_midnight(last + Duration::days(1), tz);
    Interval::new(start, end.max(start)).expect("end clamped to start")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn item(start_h: u32, end_h: u32) -> CalendarItem {
        CalendarItem {
            id: format!("e{start_h}"),
            title: "Meeting".into(),
            start: Utc.with_ymd_and_hms(2026, 12, 2, start_h, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 2, end_h, 0, 0).unwrap(),
            all_day: false,
            busy: true,
            cancelled: false,
            participant_count: 0,
            participant_emails: vec![],
            series_id: None,
        }
    }

    #[test]
    fn busy_intervals_skip_cancelled_and_free_items_and_merge() {
        let mut cancelled = item(16, 17);
        cancelled.cancelled = true;
        let mut free = item(18, 19);
        free.busy = false;
        let busy = busy_intervals(&[item(14, 15), item(15, 16), cancelled, free]);
        assert_eq!(busy.len(), 1);
        assert_eq!(busy[0].start().format("%H").to_string(), "14");
        assert_eq!(busy[0].end().format("%H").to_string(), "16");
    }

    #[test]
    fn reversed_item_becomes_an_instant() {
        let bad = item(15, 14);
        assert_eq!(bad.interval().duration_minutes(), 0);
        assert_eq!(item(14, 16).duration_minutes(), 120);
    }

    #[test]
    fn has_others_counts_participants() {
        let mut e = item(9, 10);
        assert!(!e.has_others());
        e.participant_count = 1;
        assert!(e.has_others());
    }

    #[test]
    fn overdue_needs_open_and_past_due() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap();
        let mut t = TaskItem {
            id: "t".into(),
            title: "Report".into(),
            due: Some(now - Duration::hours(1)),
            priority: Priority::P2,
            remaining_minutes: 90,
            open: true,
        };
        assert!(t.is_overdue(now));
        assert!((t.remaining_hours() - 1.5).abs() < 1e-12);
        t.open = false;
        assert!(!t.is_overdue(now));
        t.open = true;
        t.due = None;
        assert!(!t.is_overdue(now));
    }

    #[test]
    fn local_day_span_is_dst_correct() {
        let tz: Tz = "America/New_York".parse().unwrap();
        // 2026-03-08 is the spring-forward day in New York: 23 hours long.
        let d = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let span = local_day_span(d, d, tz);
        assert_eq!(span.duration_minutes(), 23 * 60);
        assert_eq!(
            span.start(),
            Utc.with_ymd_and_hms(2026, 3, 8, 5, 0, 0).unwrap()
        );
        let two = local_day_span(d, d + Duration::days(1), tz);
        assert_eq!(two.duration_minutes(), 47 * 60);
    }
}
