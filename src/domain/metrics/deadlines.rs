//! Deadline metrics of optimize_schedule: tasks at risk (earliest-due-first cumulative demand
//! against the free working time before each due) and misaligned P1 tasks.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::format::{fmt_hours, fmt_local, plural, round2};
use super::task_blocks::TaskBlock;
use super::FOCUS_BLOCK_MINUTES;
use crate::domain::intervals::Interval;
use crate::domain::priority::Priority;
use crate::domain::schedule_items::TaskItem;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRisk {
    pub task_id: String,
    pub title: String,
    pub priority: Priority,
    pub due: DateTime<Utc>,
    pub overdue: bool,
    pub remaining_hours: f64,
    /// This task's work plus that of open tasks due no later (earliest-due-first).
    pub required_hours: f64,
    pub free_hours_before_due: f64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityMisalignment {
    pub task_id: String,
    pub title: String,
    pub due: Option<DateTime<Utc>>,
    /// Lower-priority open tasks due before this P1 task.
    pub earlier_lower_priority_task_ids: Vec<String>,
    /// No free block of `min(remaining, 60 min)` in the next two days (before the due).
    pub no_free_time_early: bool,
    pub reason: String,
}

/// Open tasks, earliest due first (undated last), then by priority and id.
pub(super) fn tasks_by_due(open_tasks: &[&TaskItem]) -> Vec<TaskItem> {
    let mut sorted: Vec<TaskItem> = open_tasks.iter().map(|t| (*t).clone()).collect();
    sorted.sort_by(|a, b| {
        (a.due.is_none(), a.due, a.priority, &a.id).cmp(&(
            b.due.is_none(),
            b.due,
            b.priority,
            &b.id,
        ))
    });
    sorted
}

/// Tasks (sorted by [`tasks_by_due`]) that are overdue or whose cumulative demand exceeds the
/// time before their due: free working time plus the future parts of Reclaim's scheduled blocks
/// of the tasks counted so far; also the cumulative demand (minutes) per dated task.
pub(super) fn tasks_at_risk(
    tasks: &[TaskItem],
    free_ahead: &[Interval],
    blocks: &[TaskBlock],
    now: DateTime<Utc>,
    tz: Tz,
) -> (Vec<TaskRisk>, Vec<(String, i64)>) {
    let mut cumulative: i64 = 0;
    let mut demand_minutes = Vec::new();
    let mut risks = Vec::new();
    let mut counted: Vec<&str> = Vec::new();
    for task in tasks {
        let Some(due) = task.due else { continue };
        cumulative += i64::from(task.remaining_minutes);
        demand_minutes.push((task.id.clone(), cumulative));
        counted.push(&task.id);
        let free_before = free_minutes_before(free_ahead, due)
            + scheduled_minutes_between(blocks, &counted, now, due);
        let overdue = due < now;
        let short = cumulative > free_before;
        if !(overdue || (short && task.remaining_minutes > 0)) {
            continue;
        }
        risks.push(TaskRisk {
            task_id: task.id.clone(),
            title: task.title.clone(),
            priority: task.priority,
            due,
            overdue,
            remaining_hours: round2(task.remaining_hours()),
            required_hours: round2(cumulative as f64 / 60.0),
            free_hours_before_due: round2(free_before as f64 / 60.0),
            reason: risk_reason(task, due, overdue, cumulative, free_before, tz),
        });
    }
    (risks, demand_minutes)
}

fn risk_reason(
    task: &TaskItem,
    due: DateTime<Utc>,
    overdue: bool,
    cumulative: i64,
    free_before: i64,
    tz: Tz,
) -> String {
    if overdue {
        return format!("overdue since {}", fmt_local(due, tz));
    }
    let with_earlier = if cumulative > i64::from(task.remaining_minutes) {
        " (with tasks due earlier)"
    } else {
        ""
    };
    format!(
        "needs {} h{with_earlier} but only {} h of free working time remain before it is due",
        fmt_hours(cumulative as f64 / 60.0),
        fmt_hours(free_before as f64 / 60.0)
    )
}

/// P1 tasks due after lower-priority ones, or with no free block for them in the next two days.
pub(super) fn priority_misalignments(
    tasks: &[TaskItem],
    free_ahead: &[Interval],
    now: DateTime<Utc>,
) -> Vec<PriorityMisalignment> {
    let mut out = Vec::new();
    for task in tasks.iter().filter(|t| t.priority == Priority::P1) {
        let earlier: Vec<String> = match task.due {
            Some(due) => tasks
                .iter()
                .filter(|o| o.priority > Priority::P1 && o.due.is_some_and(|d| d < due))
                .map(|o| o.id.clone())
                .collect(),
            None => Vec::new(),
        };
        let early_end = task
            .due
            .map_or(now + Duration::days(2), |d| d.min(now + Duration::days(2)));
        let needed = i64::from(task.remaining_minutes).min(FOCUS_BLOCK_MINUTES);
        let no_free_time_early = needed > 0
            && !free_ahead.iter().any(|g| {
                Interval::new(g.start(), g.end().min(early_end))
                    .is_ok_and(|i| i.duration_minutes() >= needed)
            });
        if earlier.is_empty() && !no_free_time_early {
            continue;
        }
        let mut reasons = Vec::new();
        if !earlier.is_empty() {
            reasons.push(format!(
                "it is due after {} with lower priority",
                plural(earlier.len(), "task", "tasks")
            ));
        }
        if no_free_time_early {
            reasons.push(format!(
                "there is no free block of {needed} min in the next two days"
            ));
        }
        out.push(PriorityMisalignment {
            task_id: task.id.clone(),
            title: task.title.clone(),
            due: task.due,
            earlier_lower_priority_task_ids: earlier,
            no_free_time_early,
            reason: format!("P1 '{}': {}", task.title, reasons.join(" and ")),
        });
    }
    out
}

/// Minutes of the blocks of the `tasks` lying between `from` and `until`.
fn scheduled_minutes_between(
    blocks: &[TaskBlock],
    tasks: &[&str],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> i64 {
    let Ok(span) = Interval::new(from, until) else {
        return 0;
    };
    blocks
        .iter()
        .filter(|b| tasks.contains(&b.task_id.as_str()))
        .filter_map(|b| b.span.intersection(&span))
        .map(|i| i.duration_minutes())
        .sum()
}

/// Free minutes in `free` before `until`.
pub(super) fn free_minutes_before(free: &[Interval], until: DateTime<Utc>) -> i64 {
    free.iter()
        .filter_map(|g| Interval::new(g.start(), g.end().min(until)).ok())
        .map(|i| i.duration_minutes())
        .sum()
}
