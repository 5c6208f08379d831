//! Workload metrics of find_and_analyze (PRODUCT §5 `data.metrics`) and their insights.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::basis::{busiest, touches, Basis};
use super::format::{fmt_hours, fmt_number, plural, round1, round2};
use crate::domain::intervals::{total_minutes, Interval};
use crate::domain::schedule_items::{local_day_span, CalendarItem, TaskItem};
use crate::domain::working_hours::WorkingHours;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskMetrics {
    /// Open tasks.
    pub total: usize,
    /// Open tasks due before now.
    pub overdue: usize,
    /// Open tasks due in the current local week (Monday to Sunday).
    pub this_week: usize,
    /// Remaining work of the open tasks.
    pub total_hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventMetrics {
    /// Non-cancelled events in the window (all-day ones included).
    pub total: usize,
    /// ... of which touch today (local).
    pub today: usize,
    /// ... of which touch the current local week.
    pub this_week: usize,
    /// Summed duration of the timed events inside the window.
    pub total_hours: f64,
    /// Events with other participants.
    pub with_others: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverallMetrics {
    /// Meeting hours plus the remaining work of open tasks due by the window end.
    pub total_committed_hours: f64,
    /// Committed hours as a share of the window's working hours (may exceed 100).
    pub busy_percentage: f64,
    /// Working hours in the window not committed.
    pub available_hours: f64,
}

/// One local day's load.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayLoad {
    pub date: NaiveDate,
    pub weekday: String,
    pub meeting_hours: f64,
    pub event_count: usize,
    pub tasks_due: usize,
    pub focus_hours: f64,
}

/// PRODUCT §5 workload metrics: `tasks`, `events`, `overall` keep their field names; the rest
/// is added detail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadMetrics {
    pub tasks: TaskMetrics,
    pub events: EventMetrics,
    pub overall: OverallMetrics,
    pub per_day: Vec<DayLoad>,
    pub busiest_day: Option<DayLoad>,
    pub meeting_hours: f64,
    pub focus_hours: f64,
}

impl WorkloadMetrics {
    pub fn compute(
        events: &[CalendarItem],
        tasks: &[TaskItem],
        window: Interval,
        now: DateTime<Utc>,
        tz: Tz,
        working_hours: &WorkingHours,
    ) -> WorkloadMetrics {
        let basis = Basis::new(events, tasks, window, now, tz, working_hours);
        let meeting_hours = total_minutes(&basis.meeting_intervals()) as f64 / 60.0;
        let per_day = basis.per_day();
        WorkloadMetrics {
            tasks: task_metrics(&basis),
            events: event_metrics(&basis),
            overall: overall_metrics(&basis, meeting_hours),
            busiest_day: busiest(&per_day),
            per_day,
            meeting_hours: round2(meeting_hours),
            focus_hours: round2(total_minutes(&basis.focus_blocks()) as f64 / 60.0),
        }
    }

    /// Readable sentences derived from the numbers only, in a fixed order.
    pub fn insights(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(day) = &self.busiest_day {
            out.push(format!(
                "{} is your busiest day with {} h of meetings.",
                day.weekday,
                fmt_hours(day.meeting_hours)
            ));
        }
        let p = self.overall.busy_percentage;
        let available = fmt_hours(self.overall.available_hours);
        if p >= 85.0 {
            out.push(format!(
                "You're {}% committed, so there is little room for new work.",
                fmt_number(p)
            ));
        } else if self.overall.total_committed_hours > 0.0 {
            out.push(format!(
                "{}% of your working time is committed; {available} h are still available.",
                fmt_number(p)
            ));
        }
        match self.tasks.overdue {
            0 => {}
            1 => out.push("1 task is overdue: reschedule or finish it first.".into()),
            n => out.push(format!(
                "{n} tasks are overdue: reschedule or finish them first."
            )),
        }
        if self.tasks.this_week > 0 {
            out.push(format!(
                "{} due this week; open tasks need {} h of work in total.",
                plural(self.tasks.this_week, "task is", "tasks are"),
                fmt_hours(self.tasks.total_hours)
            ));
        }
        if self.events.total > 0 || self.tasks.total > 0 {
            if self.focus_hours < 2.0 {
                out.push(format!(
                    "Only {} h of focus time (free blocks of an hour or more) remain.",
                    fmt_hours(self.focus_hours)
                ));
            } else {
                out.push(format!(
                    "You have {} h of focus time in free blocks of an hour or more.",
                    fmt_hours(self.focus_hours)
                ));
            }
        }
        if self.events.with_others > 0 {
            out.push(format!(
                "{} of your {} events involve other people.",
                self.events.with_others, self.events.total
            ));
        }
        if out.is_empty() {
            out.push("Your schedule is clear for this period.".into());
        }
        out
    }

    /// One readable sentence.
    pub fn summary(&self) -> String {
        format!(
            "{} ({} h of meetings) and {} ({} h remaining); {}% of working time committed, {} h available.",
            plural(self.events.total, "event", "events"),
            fmt_hours(self.meeting_hours),
            plural(self.tasks.total, "open task", "open tasks"),
            fmt_hours(self.tasks.total_hours),
            fmt_number(self.overall.busy_percentage),
            fmt_hours(self.overall.available_hours),
        )
    }
}

/// Today's local span and the current local week's (ISO: Monday 00:00 to Sunday 24:00).
fn today_and_week(basis: &Basis) -> (Interval, Interval) {
    let today_date = basis.now.with_timezone(&basis.tz).date_naive();
    let today = local_day_span(today_date, today_date, basis.tz);
    let monday =
        today_date - Duration::days(i64::from(today_date.weekday().num_days_from_monday()));
    let week = local_day_span(monday, monday + Duration::days(6), basis.tz);
    (today, week)
}

fn event_metrics(basis: &Basis) -> EventMetrics {
    let (today, week) = today_and_week(basis);
    let event_hours: f64 = basis
        .events
        .iter()
        .filter(|e| !e.all_day)
        .filter_map(|e| e.interval().intersection(&basis.window))
        .map(|i| i.hours())
        .sum();
    let touching = |span: &Interval| {
        basis
            .events
            .iter()
            .filter(|e| touches(span, &e.interval()))
            .count()
    };
    EventMetrics {
        total: basis.events.len(),
        today: touching(&today),
        this_week: touching(&week),
        total_hours: round2(event_hours),
        with_others: basis.events.iter().filter(|e| e.has_others()).count(),
    }
}

fn task_metrics(basis: &Basis) -> TaskMetrics {
    let (_, week) = today_and_week(basis);
    let task_hours: f64 = basis.open_tasks.iter().map(|t| t.remaining_hours()).sum();
    TaskMetrics {
        total: basis.open_tasks.len(),
        overdue: basis
            .open_tasks
            .iter()
            .filter(|t| t.is_overdue(basis.now))
            .count(),
        this_week: basis
            .open_tasks
            .iter()
            .filter(|t| t.due.is_some_and(|d| week.contains_instant(d)))
            .count(),
        total_hours: round2(task_hours),
    }
}

/// Meeting hours plus the remaining work of open tasks due by the window end, against the
/// window's working hours.
fn overall_metrics(basis: &Basis, meeting_hours: f64) -> OverallMetrics {
    let due_task_hours: f64 = basis
        .open_tasks
        .iter()
        .filter(|t| t.due.is_some_and(|d| d <= basis.window.end()))
        .map(|t| t.remaining_hours())
        .sum();
    let committed = meeting_hours + due_task_hours;
    let capacity = basis.capacity_hours();
    let busy_percentage = if capacity > 0.0 {
        committed / capacity * 100.0
    } else if committed > 0.0 {
        100.0
    } else {
        0.0
    };
    OverallMetrics {
        total_committed_hours: round2(committed),
        busy_percentage: round1(busy_percentage),
        available_hours: round2((capacity - committed).max(0.0)),
    }
}
