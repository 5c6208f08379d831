//! Reclaim's own task blocks on the calendar. Reclaim schedules an open task as one or more
//! "Task Events" in the user's calendar, titled with the task's name (Reclaim help, "Tasks
//! overview": the task name "will be used as the Task Event's title"), sometimes behind a status
//! emoji such as 🆓 or 🛡. They come back from Nylas as ordinary events.
//!
//! Rule (deterministic, no extra upstream call): a timed, non-cancelled event with no other
//! participants whose title, after leading symbols, emoji and spaces are dropped, equals an open
//! task's title (case-insensitive, surrounding spaces ignored) is a block of that task. Such a
//! block is task work: not a meeting, not "with others", and its future part counts as time
//! already set aside for that task. What could not be confirmed is in tests/specs/DEVIATIONS.md.

use crate::domain::intervals::Interval;
use crate::domain::schedule_items::{CalendarItem, TaskItem};

/// One scheduled block of an open task.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TaskBlock {
    pub(super) task_id: String,
    pub(super) span: Interval,
}

/// The open task `event` is a block of, if any.
pub(super) fn task_of<'t>(
    event: &CalendarItem,
    open_tasks: &[&'t TaskItem],
) -> Option<&'t TaskItem> {
    if event.cancelled || event.all_day || event.has_others() {
        return None;
    }
    let title = normalised(&event.title);
    if title.is_empty() {
        return None;
    }
    open_tasks
        .iter()
        .copied()
        .find(|t| normalised(&t.title) == title)
}

/// The busy blocks of open tasks among `events` (a block marked free is already free time).
pub(super) fn task_blocks(events: &[CalendarItem], open_tasks: &[&TaskItem]) -> Vec<TaskBlock> {
    events
        .iter()
        .filter(|e| e.blocks_time())
        .filter_map(|e| {
            task_of(e, open_tasks).map(|t| TaskBlock {
                task_id: t.id.clone(),
                span: e.interval(),
            })
        })
        .collect()
}

fn normalised(title: &str) -> String {
    title
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::priority::Priority;
    use chrono::{TimeZone, Utc};

    fn event(title: &str, participants: usize) -> CalendarItem {
        let start = Utc.with_ymd_and_hms(2026, 12, 2, 14, 0, 0).unwrap();
        CalendarItem {
            id: "e".into(),
            title: title.into(),
            start,
            end: start + chrono::Duration::hours(1),
            all_day: false,
            busy: true,
            cancelled: false,
            participant_count: participants,
            participant_emails: Vec::new(),
            series_id: None,
        }
    }

    fn task(title: &str) -> TaskItem {
        TaskItem {
            id: "7".into(),
            title: title.into(),
            due: None,
            priority: Priority::P2,
            remaining_minutes: 60,
            open: true,
        }
    }

    #[test]
    fn a_task_titled_event_is_a_block_behind_an_emoji_or_not() {
        let t = task("Write the spec");
        let open = [&t];
        for title in ["Write the spec", "🛡 Write the spec", "🆓 write THE spec "] {
            assert_eq!(
                task_of(&event(title, 0), &open).map(|t| t.id.as_str()),
                Some("7"),
                "{title}"
            );
        }
    }

    #[test]
    fn other_titles_and_meetings_with_people_are_not_blocks() {
        let t = task("Write the spec");
        let open = [&t];
        assert!(task_of(&event("Review the spec", 0), &open).is_none());
        assert!(task_of(&event("Write the spec", 2), &open).is_none());
        assert!(task_of(&event("🛡", 0), &[&task("")]).is_none());
    }
}
