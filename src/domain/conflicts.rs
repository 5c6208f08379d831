//! Conflicts of a proposed event with the existing calendar (PRODUCT §4).
//!
//! Decision on all-day events: an all-day item conflicts only when it is marked busy
//! ("Out of office", "Conference"); free all-day items (birthdays, holidays, reminders — Nylas
//! `busy: false`) never do. The buffer does not apply to all-day items: their bounds are local
//! midnights, so a buffer would only make the neighbouring days' first minutes conflict.

use super::intervals::Interval;
use super::schedule_items::CalendarItem;

/// The buffer PRODUCT §4 prescribes between a new event and existing ones.
pub const CONFLICT_BUFFER_MINUTES: i64 = 10;

/// The items that conflict with `candidate`: not cancelled, busy, and overlapping it once
/// widened by `buffer_minutes` (timed items only; see the module note on all-day items).
/// In start order (then id) so answers are stable.
pub fn find_conflicts(
    candidate: Interval,
    items: &[CalendarItem],
    buffer_minutes: i64,
) -> Vec<&CalendarItem> {
    let mut conflicts: Vec<&CalendarItem> = items
        .iter()
        .filter(|item| item.blocks_time())
        .filter(|item| {
            let buffer = if item.all_day { 0 } else { buffer_minutes };
            candidate.overlaps_with_buffer(&item.interval(), buffer)
        })
        .collect();
    conflicts.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    conflicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap()
    }

    fn item(id: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> CalendarItem {
        CalendarItem {
            id: id.into(),
            title: id.into(),
            start,
            end,
            all_day: false,
            busy: true,
            cancelled: false,
            participant_count: 0,
            participant_emails: vec![],
            series_id: None,
        }
    }

    fn ids(found: Vec<&CalendarItem>) -> Vec<&str> {
        found.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn buffer_catches_near_misses() {
        let candidate = Interval::new(at(2, 15, 0), at(2, 16, 0)).unwrap();
        let items = vec![
            item("ends-5-before", at(2, 14, 0), at(2, 14, 55)),
            item("ends-10-before", at(2, 14, 0), at(2, 14, 50)),
            item("starts-5-after", at(2, 16, 5), at(2, 17, 0)),
            item("starts-10-after", at(2, 16, 10), at(2, 17, 0)),
            item("inside", at(2, 15, 15), at(2, 15, 30)),
        ];
        assert_eq!(
            ids(find_conflicts(candidate, &items, CONFLICT_BUFFER_MINUTES)),
            vec!["ends-5-before", "inside", "starts-5-after"]
        );
        assert_eq!(ids(find_conflicts(candidate, &items, 0)), vec!["inside"]);
    }

    #[test]
    fn cancelled_and_free_items_do_not_conflict() {
        let candidate = Interval::new(at(2, 15, 0), at(2, 16, 0)).unwrap();
        let mut cancelled = item("cancelled", at(2, 15, 0), at(2, 16, 0));
        cancelled.cancelled = true;
        let mut free = item("free", at(2, 15, 0), at(2, 16, 0));
        free.busy = false;
        assert!(find_conflicts(candidate, &[cancelled, free], 10).is_empty());
    }

    #[test]
    fn all_day_items_conflict_only_when_busy_and_without_buffer() {
        // all-day Dec 2 in New York: 05:00Z .. 05:00Z next day
        let mut ooo = item("ooo", at(2, 5, 0), at(3, 5, 0));
        ooo.all_day = true;
        let mut birthday = item("birthday", at(2, 5, 0), at(3, 5, 0));
        birthday.all_day = true;
        birthday.busy = false;
        let items = vec![ooo, birthday];
        let during = Interval::new(at(2, 15, 0), at(2, 16, 0)).unwrap();
        assert_eq!(ids(find_conflicts(during, &items, 10)), vec!["ooo"]);
        let next_morning = Interval::new(at(3, 5, 5), at(3, 6, 0)).unwrap();
        assert!(find_conflicts(next_morning, &items, 10).is_empty());
    }

    #[test]
    fn results_are_in_start_order() {
        let candidate = Interval::new(at(2, 9, 0), at(2, 12, 0)).unwrap();
        let items = vec![
            item("c", at(2, 11, 0), at(2, 11, 30)),
            item("a", at(2, 9, 0), at(2, 9, 30)),
            item("b", at(2, 9, 0), at(2, 10, 0)),
        ];
        assert_eq!(
            ids(find_conflicts(candidate, &items, 0)),
            vec!["a", "b", "c"]
        );
    }
}
