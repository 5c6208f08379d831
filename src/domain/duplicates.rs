//! Duplicate detection before creating a task or an event (PRODUCT §4).

use chrono::{DateTime, Duration, Utc};

use super::schedule_items::{CalendarItem, TaskItem};
use super::similarity::duplicate_score;

/// How far apart two same-titled events may start and still be duplicates.
pub const EVENT_DUPLICATE_WINDOW_MINUTES: i64 = 60;

/// The open task whose title duplicates `title` (see
/// [`titles_are_duplicates`](super::similarity::titles_are_duplicates)); the most similar one
/// when several do, the first of those on a tie. Closed tasks are ignored.
pub fn find_duplicate_task<'a>(title: &str, open_tasks: &'a [TaskItem]) -> Option<&'a TaskItem> {
    let mut best: Option<(&TaskItem, f64)> = None;
    for task in open_tasks.iter().filter(|t| t.open) {
        if let Some(score) = duplicate_score(title, &task.title) {
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((task, score));
            }
        }
    }
    best.map(|(task, _)| task)
}

/// The non-cancelled event with a duplicate title starting within one hour of `start`
/// (inclusive); the most similar, then the closest in time, then the first.
pub fn find_duplicate_event<'a>(
    title: &str,
    start: DateTime<Utc>,
    events: &'a [CalendarItem],
) -> Option<&'a CalendarItem> {
    let window = Duration::minutes(EVENT_DUPLICATE_WINDOW_MINUTES);
    let mut best: Option<(&CalendarItem, f64, Duration)> = None;
    for event in events.iter().filter(|e| !e.cancelled) {
        let distance = (event.start - start).abs();
        if distance > window {
            continue;
        }
        if let Some(score) = duplicate_score(title, &event.title) {
            let better = match best {
                None => true,
                Some((_, s, d)) => score > s || (score == s && distance < d),
            };
            if better {
                best = Some((event, score, distance));
            }
        }
    }
    best.map(|(event, _, _)| event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::priority::Priority;
    use chrono::TimeZone;

    fn task(id: &str, title: &str, open: bool) -> TaskItem {
        TaskItem {
            id: id.into(),
            title: title.into(),
            due: None,
            priority: Priority::P3,
            remaining_minutes: 60,
            open,
        }
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, h, m, 0).unwrap()
    }

    fn event(id: &str, title: &str, h: u32, m: u32) -> CalendarItem {
        CalendarItem {
            id: id.into(),
            title: title.into(),
            start: at(h, m),
            end: at(h, m) + Duration::hours(1),
            all_day: false,
            busy: true,
            cancelled: false,
            participant_count: 0,
            participant_emails: vec![],
            series_id: None,
        }
    }

    #[test]
    fn finds_similar_open_task_only() {
        let tasks = vec![
            task("closed", "Review sales report", false),
            task("other", "Call the dentist", true),
            task("open", "review the sales report", true),
        ];
        assert_eq!(
            find_duplicate_task("Review sales report", &tasks).map(|t| t.id.as_str()),
            Some("open")
        );
        assert!(find_duplicate_task("Plan offsite", &tasks).is_none());
        assert!(find_duplicate_task("Review sales report", &tasks[..2]).is_none());
    }

    #[test]
    fn picks_the_most_similar_task() {
        let tasks = vec![
            task("near", "Review the sales reports", true),
            task("exact", "review sales report", true),
        ];
        assert_eq!(
            find_duplicate_task("Review sales report", &tasks).map(|t| t.id.as_str()),
            Some("exact")
        );
    }

    #[test]
    fn numbered_tasks_are_not_duplicates() {
        let tasks = vec![
            task("1", "Bulk test task 1", true),
            task("2", "Task 1", true),
        ];
        assert!(find_duplicate_task("Bulk test task 2", &tasks).is_none());
        assert!(find_duplicate_task("Task 2", &tasks).is_none());
        assert_eq!(
            find_duplicate_task("task 1", &tasks).map(|t| t.id.as_str()),
            Some("2")
        );
    }

    #[test]
    fn event_duplicate_needs_similar_title_and_start_within_an_hour() {
        let events = vec![
            event("far", "Team Standup Meeting", 9, 0),
            event("near", "Team Standup Meeting", 14, 30),
            event("other", "Budget review", 15, 0),
        ];
        let found = find_duplicate_event("team stand-up meeting", at(15, 0), &events);
        assert_eq!(found.map(|e| e.id.as_str()), Some("near"));
        // exactly one hour apart still counts; one minute more does not
        assert!(find_duplicate_event("Team Standup Meeting", at(15, 30), &events).is_some());
        assert!(find_duplicate_event("Team Standup Meeting", at(15, 31), &events).is_none());
        assert!(find_duplicate_event("Quarterly planning", at(15, 0), &events).is_none());
    }

    #[test]
    fn cancelled_events_are_not_duplicates_and_closest_wins() {
        let mut cancelled = event("cancelled", "Dentist", 10, 0);
        cancelled.cancelled = true;
        let events = vec![
            cancelled,
            event("later", "Dentist", 10, 45),
            event("closer", "Dentist", 10, 15),
        ];
        assert_eq!(
            find_duplicate_event("dentist", at(10, 0), &events).map(|e| e.id.as_str()),
            Some("closer")
        );
        assert!(find_duplicate_event("dentist", at(10, 0), &events[..1]).is_none());
    }
}
