//! Schedule analysis (optimize_schedule): meeting load, back-to-back chains, fragmented gaps,
//! overloaded days and, through [`super::deadlines`], tasks at risk and priority misalignments.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::basis::Basis;
use super::deadlines::{priority_misalignments, tasks_at_risk, tasks_by_due};
use super::format::round2;
use super::workload::DayLoad;
use super::{
    BACK_TO_BACK_MINUTES, DUE_SEARCH_DAYS, FRAGMENTED_GAP_MINUTES, OVERLOADED_DAY_HOURS,
    WELL_OPTIMIZED_FOCUS_SHARE,
};
use crate::domain::intervals::{free_gaps, total_minutes, Interval};
use crate::domain::schedule_items::{CalendarItem, TaskItem};
use crate::domain::slots::ceil_to_step;
use crate::domain::working_hours::WorkingHours;

pub use super::deadlines::{PriorityMisalignment, TaskRisk};

/// Two or more meetings each starting less than 5 minutes after the previous one ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingChain {
    pub event_ids: Vec<String>,
    pub titles: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleAnalysis {
    pub window: Interval,
    pub meeting_count: usize,
    pub meeting_hours: f64,
    pub focus_hours: f64,
    /// Free working gaps of 60+ minutes from now on.
    pub focus_blocks: Vec<Interval>,
    /// Working hours from now to the window end.
    pub remaining_working_hours: f64,
    pub back_to_back_chains: Vec<MeetingChain>,
    /// Gaps shorter than 30 minutes between meetings on the same day.
    pub fragmented_gaps: Vec<Interval>,
    pub overloaded_days: Vec<DayLoad>,
    pub tasks_at_risk: Vec<TaskRisk>,
    pub priority_misalignments: Vec<PriorityMisalignment>,
    pub per_day: Vec<DayLoad>,
    #[serde(skip)]
    pub(super) context: AnalysisContext,
}

/// What `suggestions` needs besides the published metrics.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AnalysisContext {
    pub(super) now: DateTime<Utc>,
    pub(super) tz: Tz,
    pub(super) working_hours: WorkingHours,
    /// Free working gaps from now (rounded up) to well past the latest due date.
    pub(super) free_ahead: Vec<Interval>,
    /// Meetings per local day: (date, ids), in date order.
    pub(super) meetings_by_day: Vec<(NaiveDate, Vec<String>)>,
    /// Open tasks, earliest due first.
    pub(super) open_tasks: Vec<TaskItem>,
    /// Cumulative earliest-due-first demand (minutes) per task id.
    pub(super) demand_minutes: Vec<(String, i64)>,
}

impl ScheduleAnalysis {
    pub fn compute(
        events: &[CalendarItem],
        tasks: &[TaskItem],
        window: Interval,
        now: DateTime<Utc>,
        tz: Tz,
        working_hours: &WorkingHours,
    ) -> ScheduleAnalysis {
        let basis = Basis::new(events, tasks, window, now, tz, working_hours);
        let meeting_intervals = basis.meeting_intervals();
        let focus_blocks = basis.focus_blocks();
        let per_day = basis.per_day();
        let free_ahead = free_ahead(&basis);
        let open_tasks = tasks_by_due(&basis.open_tasks);
        let (tasks_at_risk, demand_minutes) =
            tasks_at_risk(&open_tasks, &free_ahead, &basis.task_blocks, now, tz);
        ScheduleAnalysis {
            window,
            meeting_count: basis.meetings.len(),
            meeting_hours: round2(total_minutes(&meeting_intervals) as f64 / 60.0),
            focus_hours: round2(total_minutes(&focus_blocks) as f64 / 60.0),
            focus_blocks,
            remaining_working_hours: round2(basis.remaining_capacity_hours()),
            back_to_back_chains: back_to_back_chains(&basis.meetings, window.start()),
            fragmented_gaps: fragmented_gaps(&meeting_intervals, tz),
            overloaded_days: overloaded_days(&per_day),
            tasks_at_risk,
            priority_misalignments: priority_misalignments(&open_tasks, &free_ahead, now),
            per_day,
            context: AnalysisContext {
                now,
                tz,
                working_hours: *working_hours,
                free_ahead,
                meetings_by_day: meetings_by_day(&basis),
                open_tasks,
                demand_minutes,
            },
        }
    }

    /// Focus hours the window should keep: a quarter of the remaining working time.
    pub fn focus_threshold_hours(&self) -> f64 {
        round2(self.remaining_working_hours * WELL_OPTIMIZED_FOCUS_SHARE)
    }

    /// True only when no day is overloaded, no chain has 3+ meetings, no task is at risk or
    /// overdue, and focus time reaches [`focus_threshold_hours`](Self::focus_threshold_hours).
    pub fn is_well_optimized(&self) -> bool {
        self.overloaded_days.is_empty()
            && !self
                .back_to_back_chains
                .iter()
                .any(|c| c.event_ids.len() >= 3)
            && self.tasks_at_risk.is_empty()
            && self.focus_hours >= self.focus_threshold_hours()
    }
}

/// Chains of meetings (in start order) each starting less than [`BACK_TO_BACK_MINUTES`] after
/// the chain so far ends.
fn back_to_back_chains(meetings: &[&CalendarItem], from: DateTime<Utc>) -> Vec<MeetingChain> {
    let mut chains: Vec<MeetingChain> = Vec::new();
    let mut current: Vec<&CalendarItem> = Vec::new();
    let mut current_end = from;
    for m in meetings {
        if !current.is_empty() && m.start - current_end < Duration::minutes(BACK_TO_BACK_MINUTES) {
            current.push(m);
            current_end = current_end.max(m.end);
            continue;
        }
        push_chain(&mut chains, &current, current_end);
        current = vec![m];
        current_end = m.end;
    }
    push_chain(&mut chains, &current, current_end);
    chains
}

fn push_chain(chains: &mut Vec<MeetingChain>, meetings: &[&CalendarItem], end: DateTime<Utc>) {
    if meetings.len() >= 2 {
        chains.push(MeetingChain {
            event_ids: meetings.iter().map(|m| m.id.clone()).collect(),
            titles: meetings.iter().map(|m| m.title.clone()).collect(),
            start: meetings[0].start,
            end,
        });
    }
}

/// Gaps shorter than [`FRAGMENTED_GAP_MINUTES`] between merged meeting blocks on the same
/// local day.
fn fragmented_gaps(meeting_intervals: &[Interval], tz: Tz) -> Vec<Interval> {
    meeting_intervals
        .windows(2)
        .filter_map(|pair| Interval::new(pair[0].end(), pair[1].start()).ok())
        .filter(|gap| {
            gap.duration_minutes() < FRAGMENTED_GAP_MINUTES
                && gap.start().with_timezone(&tz).date_naive()
                    == gap.end().with_timezone(&tz).date_naive()
        })
        .collect()
}

fn overloaded_days(per_day: &[DayLoad]) -> Vec<DayLoad> {
    per_day
        .iter()
        .filter(|d| d.meeting_hours > OVERLOADED_DAY_HOURS)
        .cloned()
        .collect()
}

/// Free working time from now, far enough for every due date and the due-date search.
fn free_ahead(basis: &Basis) -> Vec<Interval> {
    let latest_due = basis
        .open_tasks
        .iter()
        .filter_map(|t| t.due)
        .max()
        .unwrap_or(basis.now)
        .max(basis.window.end());
    let horizon = latest_due.min(basis.now + Duration::days(90)) + Duration::days(DUE_SEARCH_DAYS);
    let from = ceil_to_step(basis.now, 30, basis.tz);
    free_gaps(
        &basis.working_hours.windows_between(from, horizon, basis.tz),
        &basis.busy,
    )
}

fn meetings_by_day(basis: &Basis) -> Vec<(NaiveDate, Vec<String>)> {
    basis
        .days
        .iter()
        .map(|date| {
            let ids = basis
                .meetings
                .iter()
                .filter(|m| m.start.with_timezone(&basis.tz).date_naive() == *date)
                .map(|m| m.id.clone())
                .collect();
            (*date, ids)
        })
        .collect()
}
