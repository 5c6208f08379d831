//! The shared computation both analyses start from: the events, meetings, open tasks, busy
//! time and free working time of one window, computed once.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::format::{round2, weekday_name};
use super::task_blocks::{task_blocks, task_of, TaskBlock};
use super::workload::DayLoad;
use super::FOCUS_BLOCK_MINUTES;
use crate::domain::intervals::{free_gaps, merge, total_minutes, Interval};
use crate::domain::schedule_items::{busy_intervals, local_day_span, CalendarItem, TaskItem};
use crate::domain::slots::ceil_to_step;
use crate::domain::working_hours::WorkingHours;

/// The pieces both analyses need, computed once.
pub(super) struct Basis<'a> {
    pub(super) window: Interval,
    pub(super) now: DateTime<Utc>,
    pub(super) tz: Tz,
    pub(super) working_hours: WorkingHours,
    /// Non-cancelled events overlapping the window, in start order.
    pub(super) events: Vec<&'a CalendarItem>,
    /// Meetings (timed, busy, not a task block) overlapping the window, in start order.
    pub(super) meetings: Vec<&'a CalendarItem>,
    pub(super) open_tasks: Vec<&'a TaskItem>,
    /// Reclaim's scheduled blocks of the open tasks (see [`super::task_blocks`]).
    pub(super) task_blocks: Vec<TaskBlock>,
    pub(super) busy: Vec<Interval>,
    /// Free working gaps from now (rounded up) to the window end.
    pub(super) free_in_window: Vec<Interval>,
    /// Local dates the window touches.
    pub(super) days: Vec<NaiveDate>,
}

impl<'a> Basis<'a> {
    pub(super) fn new(
        events: &'a [CalendarItem],
        tasks: &'a [TaskItem],
        window: Interval,
        now: DateTime<Utc>,
        tz: Tz,
        working_hours: &WorkingHours,
    ) -> Basis<'a> {
        let mut in_window: Vec<&CalendarItem> = events
            .iter()
            .filter(|e| !e.cancelled && touches(&window, &e.interval()))
            .collect();
        in_window.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        let open_tasks: Vec<&TaskItem> = tasks.iter().filter(|t| t.open).collect();
        let meetings: Vec<&CalendarItem> = in_window
            .iter()
            .copied()
            .filter(|e| e.busy && !e.all_day && task_of(e, &open_tasks).is_none())
            .collect();
        let busy = busy_intervals(events);
        let from = window.start().max(ceil_to_step(now, 30, tz));
        let free_in_window = if from < window.end() {
            free_gaps(
                &working_hours.windows_between(from, window.end(), tz),
                &busy,
            )
        } else {
            Vec::new()
        };
        let first = window.start().with_timezone(&tz).date_naive();
        let last = if window.is_empty() {
            first
        } else {
            (window.end() - Duration::nanoseconds(1))
                .with_timezone(&tz)
                .date_naive()
        };
        let days = first.iter_days().take_while(|d| *d <= last).collect();
        Basis {
            window,
            now,
            tz,
            working_hours: *working_hours,
            events: in_window,
            meetings,
            task_blocks: task_blocks(events, &open_tasks),
            open_tasks,
            busy,
            free_in_window,
            days,
        }
    }

    pub(super) fn meeting_intervals(&self) -> Vec<Interval> {
        merge(
            self.meetings
                .iter()
                .filter_map(|m| m.interval().intersection(&self.window))
                .collect(),
        )
    }

    pub(super) fn focus_blocks(&self) -> Vec<Interval> {
        self.free_in_window
            .iter()
            .copied()
            .filter(|g| g.duration_minutes() >= FOCUS_BLOCK_MINUTES)
            .collect()
    }

    pub(super) fn day_span(&self, date: NaiveDate) -> Option<Interval> {
        local_day_span(date, date, self.tz).intersection(&self.window)
    }

    pub(super) fn day_load(&self, date: NaiveDate) -> DayLoad {
        let span = self.day_span(date);
        let within = |i: &Interval| span.and_then(|s| s.intersection(i));
        let meeting_minutes = total_minutes(
            &self
                .meeting_intervals()
                .iter()
                .filter_map(within)
                .collect::<Vec<_>>(),
        );
        let focus_minutes: i64 = self
            .focus_blocks()
            .iter()
            .filter_map(within)
            .map(|i| i.duration_minutes())
            .sum();
        DayLoad {
            date,
            weekday: weekday_name(date.weekday()).to_string(),
            meeting_hours: round2(meeting_minutes as f64 / 60.0),
            event_count: self
                .events
                .iter()
                .filter(|e| span.is_some_and(|s| touches(&s, &e.interval())))
                .count(),
            tasks_due: self
                .open_tasks
                .iter()
                .filter(|t| {
                    t.due
                        .is_some_and(|d| span.is_some_and(|s| s.contains_instant(d)))
                })
                .count(),
            focus_hours: round2(focus_minutes as f64 / 60.0),
        }
    }

    pub(super) fn per_day(&self) -> Vec<DayLoad> {
        self.days
            .iter()
            .filter(|d| self.day_span(**d).is_some())
            .map(|d| self.day_load(*d))
            .collect()
    }

    /// Working hours in the window (all of it, past included).
    pub(super) fn capacity_hours(&self) -> f64 {
        let windows =
            self.working_hours
                .windows_between(self.window.start(), self.window.end(), self.tz);
        total_minutes(&windows) as f64 / 60.0
    }

    /// Working hours from now (rounded up) to the window end.
    pub(super) fn remaining_capacity_hours(&self) -> f64 {
        let from = self.window.start().max(ceil_to_step(self.now, 30, self.tz));
        if from >= self.window.end() {
            return 0.0;
        }
        let windows = self
            .working_hours
            .windows_between(from, self.window.end(), self.tz);
        total_minutes(&windows) as f64 / 60.0
    }
}

/// Overlaps, or is an instant/empty item lying inside.
pub(super) fn touches(window: &Interval, item: &Interval) -> bool {
    window.overlaps(item) || (item.is_empty() && window.contains_instant(item.start()))
}

pub(super) fn busiest(per_day: &[DayLoad]) -> Option<DayLoad> {
    let mut best: Option<&DayLoad> = None;
    for day in per_day.iter().filter(|d| d.meeting_hours > 0.0) {
        if best.is_none_or(|b| day.meeting_hours > b.meeting_hours) {
            best = Some(day);
        }
    }
    best.cloned()
}
