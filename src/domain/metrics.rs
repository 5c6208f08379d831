//! Workload metrics (find_and_analyze) and schedule analysis with concrete suggestions
//! (optimize_schedule). Every number and every slot is computed here from the items; nothing
//! is estimated by a model.
//!
//! Definitions used throughout:
//! - *meetings*: timed (not all-day), busy, non-cancelled events; *meeting hours* are the hours
//!   they cover inside the window, overlapping meetings counted once.
//! - *busy time*: every busy, non-cancelled event, all-day ones blocking their whole local day.
//! - *free working time*: working hours minus busy time, from `now` rounded up to the next
//!   half hour (never in the past). Beyond the given events' window no events are known, so free
//!   time there is an optimistic estimate (only used to propose new due dates).
//! - *focus blocks*: free working gaps of at least 60 minutes; *focus hours* their total.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::intervals::{free_gaps, merge, total_minutes, Interval};
use super::priority::Priority;
use super::schedule_items::{busy_intervals, local_day_span, CalendarItem, TaskItem};
use super::slots::ceil_to_step;
use super::working_hours::{hm, local_to_utc, WorkingHours};

/// Free blocks at least this long count as focus time.
pub const FOCUS_BLOCK_MINUTES: i64 = 60;
/// Focus blocks proposed by `block_focus_time` are at most this long.
pub const MAX_FOCUS_SUGGESTION_MINUTES: i64 = 120;
/// At most this many focus blocks are proposed (one per day).
pub const MAX_FOCUS_SUGGESTIONS: usize = 3;
/// Meetings separated by less than this are back to back.
pub const BACK_TO_BACK_MINUTES: i64 = 5;
/// Gaps between meetings shorter than this are fragmented time.
pub const FRAGMENTED_GAP_MINUTES: i64 = 30;
/// Days with more meeting hours than this are overloaded.
pub const OVERLOADED_DAY_HOURS: f64 = 6.0;
/// `is_well_optimized` wants at least this share of the remaining working time as focus time.
pub const WELL_OPTIMIZED_FOCUS_SHARE: f64 = 0.25;
/// How far ahead a new due date is searched.
const DUE_SEARCH_DAYS: i64 = 28;

// ---------------------------------------------------------------------------------------------
// Shared computation

/// The pieces both analyses need, computed once.
struct Basis<'a> {
    window: Interval,
    now: DateTime<Utc>,
    tz: Tz,
    working_hours: WorkingHours,
    /// Non-cancelled events overlapping the window, in start order.
    events: Vec<&'a CalendarItem>,
    /// Meetings (timed, busy) overlapping the window, in start order.
    meetings: Vec<&'a CalendarItem>,
    open_tasks: Vec<&'a TaskItem>,
    busy: Vec<Interval>,
    /// Free working gaps from now (rounded up) to the window end.
    free_in_window: Vec<Interval>,
    /// Local dates the window touches.
    days: Vec<NaiveDate>,
}

impl<'a> Basis<'a> {
    fn new(
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
        let meetings: Vec<&CalendarItem> = in_window
            .iter()
            .copied()
            .filter(|e| e.busy && !e.all_day)
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
            open_tasks: tasks.iter().filter(|t| t.open).collect(),
            busy,
            free_in_window,
            days,
        }
    }

    fn meeting_intervals(&self) -> Vec<Interval> {
        merge(
            self.meetings
                .iter()
                .filter_map(|m| m.interval().intersection(&self.window))
                .collect(),
        )
    }

    fn focus_blocks(&self) -> Vec<Interval> {
        self.free_in_window
            .iter()
            .copied()
            .filter(|g| g.duration_minutes() >= FOCUS_BLOCK_MINUTES)
            .collect()
    }

    fn day_span(&self, date: NaiveDate) -> Option<Interval> {
        local_day_span(date, date, self.tz).intersection(&self.window)
    }

    fn day_load(&self, date: NaiveDate) -> DayLoad {
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

    fn per_day(&self) -> Vec<DayLoad> {
        self.days
            .iter()
            .filter(|d| self.day_span(**d).is_some())
            .map(|d| self.day_load(*d))
            .collect()
    }

    /// Working hours in the window (all of it, past included).
    fn capacity_hours(&self) -> f64 {
        let windows =
            self.working_hours
                .windows_between(self.window.start(), self.window.end(), self.tz);
        total_minutes(&windows) as f64 / 60.0
    }

    /// Working hours from now (rounded up) to the window end.
    fn remaining_capacity_hours(&self) -> f64 {
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
fn touches(window: &Interval, item: &Interval) -> bool {
    window.overlaps(item) || (item.is_empty() && window.contains_instant(item.start()))
}

fn busiest(per_day: &[DayLoad]) -> Option<DayLoad> {
    let mut best: Option<&DayLoad> = None;
    for day in per_day.iter().filter(|d| d.meeting_hours > 0.0) {
        if best.is_none_or(|b| day.meeting_hours > b.meeting_hours) {
            best = Some(day);
        }
    }
    best.cloned()
}

// ---------------------------------------------------------------------------------------------
// Workload metrics (find_and_analyze)

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
        let today_date = now.with_timezone(&tz).date_naive();
        let today = local_day_span(today_date, today_date, tz);
        let monday =
            today_date - Duration::days(i64::from(today_date.weekday().num_days_from_monday()));
        let week = local_day_span(monday, monday + Duration::days(6), tz);

        let event_hours: f64 = basis
            .events
            .iter()
            .filter(|e| !e.all_day)
            .filter_map(|e| e.interval().intersection(&window))
            .map(|i| i.hours())
            .sum();
        let events_metrics = EventMetrics {
            total: basis.events.len(),
            today: basis
                .events
                .iter()
                .filter(|e| touches(&today, &e.interval()))
                .count(),
            this_week: basis
                .events
                .iter()
                .filter(|e| touches(&week, &e.interval()))
                .count(),
            total_hours: round2(event_hours),
            with_others: basis.events.iter().filter(|e| e.has_others()).count(),
        };

        let task_hours: f64 = basis.open_tasks.iter().map(|t| t.remaining_hours()).sum();
        let tasks_metrics = TaskMetrics {
            total: basis.open_tasks.len(),
            overdue: basis
                .open_tasks
                .iter()
                .filter(|t| t.is_overdue(now))
                .count(),
            this_week: basis
                .open_tasks
                .iter()
                .filter(|t| t.due.is_some_and(|d| week.contains_instant(d)))
                .count(),
            total_hours: round2(task_hours),
        };

        let meeting_hours = total_minutes(&basis.meeting_intervals()) as f64 / 60.0;
        let due_task_hours: f64 = basis
            .open_tasks
            .iter()
            .filter(|t| t.due.is_some_and(|d| d <= window.end()))
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
        let per_day = basis.per_day();
        WorkloadMetrics {
            tasks: tasks_metrics,
            events: events_metrics,
            overall: OverallMetrics {
                total_committed_hours: round2(committed),
                busy_percentage: round1(busy_percentage),
                available_hours: round2((capacity - committed).max(0.0)),
            },
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

// ---------------------------------------------------------------------------------------------
// Schedule analysis (optimize_schedule)

/// Two or more meetings each starting less than 5 minutes after the previous one ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingChain {
    pub event_ids: Vec<String>,
    pub titles: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    BlockFocusTime,
    MoveTaskDue,
    ReprioritiseTask,
    BatchMeetings,
    DeclineOrShorten,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    High,
    Medium,
    Low,
}

/// One proposed change. `applicable` ones (focus blocks, due dates, priorities) can be executed
/// after `schedule_optimization` approval; advisory ones (`batch_meetings`,
/// `decline_or_shorten`) never are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    #[serde(rename = "type")]
    pub kind: SuggestionKind,
    pub action: String,
    pub impact: Impact,
    pub reasoning: String,
    pub slot: Option<Interval>,
    pub task_id: Option<String>,
    pub new_due: Option<DateTime<Utc>>,
    pub new_priority: Option<Priority>,
    pub event_ids: Vec<String>,
    pub applicable: bool,
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
    context: AnalysisContext,
}

/// What `suggestions` needs besides the published metrics.
#[derive(Debug, Clone, PartialEq)]
struct AnalysisContext {
    now: DateTime<Utc>,
    tz: Tz,
    working_hours: WorkingHours,
    /// Free working gaps from now (rounded up) to well past the latest due date.
    free_ahead: Vec<Interval>,
    /// Meetings per local day: (date, ids), in date order.
    meetings_by_day: Vec<(NaiveDate, Vec<String>)>,
    /// Open tasks, earliest due first.
    open_tasks: Vec<TaskItem>,
    /// Cumulative earliest-due-first demand (minutes) per task id.
    demand_minutes: Vec<(String, i64)>,
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

        // back-to-back chains
        let mut chains: Vec<MeetingChain> = Vec::new();
        let mut current: Vec<&CalendarItem> = Vec::new();
        let mut current_end = window.start();
        for m in &basis.meetings {
            if !current.is_empty()
                && m.start - current_end < Duration::minutes(BACK_TO_BACK_MINUTES)
            {
                current.push(m);
                current_end = current_end.max(m.end);
                continue;
            }
            push_chain(&mut chains, &current, current_end);
            current = vec![m];
            current_end = m.end;
        }
        push_chain(&mut chains, &current, current_end);

        // fragmented gaps between merged meeting blocks on the same local day
        let fragmented_gaps: Vec<Interval> = meeting_intervals
            .windows(2)
            .filter_map(|pair| Interval::new(pair[0].end(), pair[1].start()).ok())
            .filter(|gap| {
                gap.duration_minutes() < FRAGMENTED_GAP_MINUTES
                    && gap.start().with_timezone(&tz).date_naive()
                        == gap.end().with_timezone(&tz).date_naive()
            })
            .collect();

        let per_day = basis.per_day();
        let overloaded_days: Vec<DayLoad> = per_day
            .iter()
            .filter(|d| d.meeting_hours > OVERLOADED_DAY_HOURS)
            .cloned()
            .collect();

        // free time ahead, far enough for every due date and the due-date search
        let latest_due = basis
            .open_tasks
            .iter()
            .filter_map(|t| t.due)
            .max()
            .unwrap_or(now)
            .max(window.end());
        let horizon = latest_due.min(now + Duration::days(90)) + Duration::days(DUE_SEARCH_DAYS);
        let from = ceil_to_step(now, 30, tz);
        let free_ahead = free_gaps(
            &working_hours.windows_between(from, horizon, tz),
            &basis.busy,
        );

        // tasks at risk: earliest-due-first cumulative demand against free time before each due
        let mut open_tasks: Vec<TaskItem> = basis.open_tasks.iter().map(|t| (*t).clone()).collect();
        open_tasks.sort_by(|a, b| {
            (a.due.is_none(), a.due, a.priority, &a.id).cmp(&(
                b.due.is_none(),
                b.due,
                b.priority,
                &b.id,
            ))
        });
        let mut cumulative: i64 = 0;
        let mut demand_minutes = Vec::new();
        let mut tasks_at_risk = Vec::new();
        for task in open_tasks.iter() {
            let Some(due) = task.due else { continue };
            cumulative += i64::from(task.remaining_minutes);
            demand_minutes.push((task.id.clone(), cumulative));
            let free_before = free_minutes_before(&free_ahead, due);
            let overdue = due < now;
            let short = cumulative > free_before;
            if !(overdue || (short && task.remaining_minutes > 0)) {
                continue;
            }
            let reason = if overdue {
                format!("overdue since {}", fmt_local(due, tz))
            } else if cumulative > i64::from(task.remaining_minutes) {
                format!(
                    "needs {} h (with tasks due earlier) but only {} h of free working time remain before it is due",
                    fmt_hours(cumulative as f64 / 60.0),
                    fmt_hours(free_before as f64 / 60.0)
                )
            } else {
                format!(
                    "needs {} h but only {} h of free working time remain before it is due",
                    fmt_hours(cumulative as f64 / 60.0),
                    fmt_hours(free_before as f64 / 60.0)
                )
            };
            tasks_at_risk.push(TaskRisk {
                task_id: task.id.clone(),
                title: task.title.clone(),
                priority: task.priority,
                due,
                overdue,
                remaining_hours: round2(task.remaining_hours()),
                required_hours: round2(cumulative as f64 / 60.0),
                free_hours_before_due: round2(free_before as f64 / 60.0),
                reason,
            });
        }

        // priority misalignments of P1 tasks
        let mut priority_misalignments = Vec::new();
        for task in open_tasks.iter().filter(|t| t.priority == Priority::P1) {
            let earlier: Vec<String> = match task.due {
                Some(due) => open_tasks
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
                    "there is no free block of {} min in the next two days",
                    needed
                ));
            }
            priority_misalignments.push(PriorityMisalignment {
                task_id: task.id.clone(),
                title: task.title.clone(),
                due: task.due,
                earlier_lower_priority_task_ids: earlier,
                no_free_time_early,
                reason: format!("P1 '{}': {}", task.title, reasons.join(" and ")),
            });
        }

        let meetings_by_day: Vec<(NaiveDate, Vec<String>)> = basis
            .days
            .iter()
            .map(|date| {
                let ids = basis
                    .meetings
                    .iter()
                    .filter(|m| m.start.with_timezone(&tz).date_naive() == *date)
                    .map(|m| m.id.clone())
                    .collect();
                (*date, ids)
            })
            .collect();

        ScheduleAnalysis {
            window,
            meeting_count: basis.meetings.len(),
            meeting_hours: round2(total_minutes(&meeting_intervals) as f64 / 60.0),
            focus_hours: round2(total_minutes(&focus_blocks) as f64 / 60.0),
            focus_blocks,
            remaining_working_hours: round2(basis.remaining_capacity_hours()),
            back_to_back_chains: chains,
            fragmented_gaps,
            overloaded_days,
            tasks_at_risk,
            priority_misalignments,
            per_day,
            context: AnalysisContext {
                now,
                tz,
                working_hours: *working_hours,
                free_ahead,
                meetings_by_day,
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

    /// Concrete suggestions, highest impact first (stable within an impact):
    /// - `block_focus_time`: up to 3 real free slots (60–120 min, in working hours, not in the
    ///   past, at most one per day, days with a free morning first);
    /// - `move_task_due`: each at-risk task to the end of the first working day by which enough
    ///   free time exists;
    /// - `reprioritise_task`: at-risk P3/P4 tasks due within 3 days → P2;
    /// - `decline_or_shorten` (advisory): chains of 3+ meetings and overloaded days;
    /// - `batch_meetings` (advisory): days with 2+ fragmented gaps.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        let mut out = Vec::new();
        self.suggest_focus_blocks(&mut out);
        self.suggest_due_moves(&mut out);
        self.suggest_reprioritising(&mut out);
        self.suggest_meeting_changes(&mut out);
        out.sort_by_key(|s| s.impact);
        out
    }

    fn suggest_focus_blocks(&self, out: &mut Vec<Suggestion>) {
        let ctx = &self.context;
        let tz = ctx.tz;
        // best block per local day: the earliest one overlapping the morning, else the longest
        let mut per_day: Vec<(NaiveDate, Interval, bool)> = Vec::new();
        for block in &self.focus_blocks {
            let date = block.start().with_timezone(&tz).date_naive();
            let noon = local_to_utc(date, hm(12, 0), tz);
            let morning = block.start() < noon;
            match per_day.iter_mut().find(|(d, _, _)| *d == date) {
                None => per_day.push((date, *block, morning)),
                Some(entry) => {
                    let better = match (entry.2, morning) {
                        (true, _) => false,
                        (false, true) => true,
                        (false, false) => block.duration() > entry.1.duration(),
                    };
                    if better {
                        *entry = (date, *block, morning);
                    }
                }
            }
        }
        per_day.sort_by_key(|(date, _, morning)| (!morning, *date));
        per_day.truncate(MAX_FOCUS_SUGGESTIONS);
        per_day.sort_by_key(|(date, _, _)| *date);

        let impact = if self.is_well_optimized() {
            Impact::Low
        } else if self.focus_hours < self.focus_threshold_hours() || !self.tasks_at_risk.is_empty()
        {
            Impact::High
        } else {
            Impact::Medium
        };
        let top_task = ctx.open_tasks.iter().min_by(|a, b| {
            (a.priority, a.due.is_none(), a.due).cmp(&(b.priority, b.due.is_none(), b.due))
        });
        for (_, block, _) in per_day {
            let minutes = block.duration_minutes().min(MAX_FOCUS_SUGGESTION_MINUTES);
            let slot = Interval::from_minutes(block.start(), minutes).expect("positive minutes");
            let mut reasoning = format!(
                "{} h of meetings leave {} h of focus time in this period; protecting {} of free time keeps deep work from being squeezed out",
                fmt_hours(self.meeting_hours),
                fmt_hours(self.focus_hours),
                fmt_minutes(minutes)
            );
            if let Some(task) = top_task {
                reasoning.push_str(&format!(
                    " (for example for '{}', {})",
                    task.title, task.priority
                ));
            }
            reasoning.push('.');
            out.push(Suggestion {
                kind: SuggestionKind::BlockFocusTime,
                action: format!("Block {} for focus time", fmt_span(&slot, tz)),
                impact,
                reasoning,
                slot: Some(slot),
                task_id: None,
                new_due: None,
                new_priority: None,
                event_ids: Vec::new(),
                applicable: true,
            });
        }
    }

    fn suggest_due_moves(&self, out: &mut Vec<Suggestion>) {
        let ctx = &self.context;
        for risk in &self.tasks_at_risk {
            let needed = ctx
                .demand_minutes
                .iter()
                .find(|(id, _)| *id == risk.task_id)
                .map_or(0, |(_, m)| *m);
            let Some(new_due) = self.first_due_with_free_time(needed, risk.due) else {
                continue;
            };
            let impact = if risk.overdue || risk.priority <= Priority::P2 {
                Impact::High
            } else {
                Impact::Medium
            };
            out.push(Suggestion {
                kind: SuggestionKind::MoveTaskDue,
                action: format!(
                    "Move the due date of '{}' from {} to {}",
                    risk.title,
                    fmt_local(risk.due, ctx.tz),
                    fmt_local(new_due, ctx.tz)
                ),
                impact,
                reasoning: format!(
                    "'{}' {}; by {} there is enough free working time ({} h needed).",
                    risk.title,
                    risk.reason,
                    fmt_local(new_due, ctx.tz),
                    fmt_hours(needed as f64 / 60.0)
                ),
                slot: None,
                task_id: Some(risk.task_id.clone()),
                new_due: Some(new_due),
                new_priority: None,
                event_ids: Vec::new(),
                applicable: true,
            });
        }
    }

    /// The end of the first working day (not before `old_due`'s day, after now and after
    /// `old_due`) by which the free working time from now reaches `needed_minutes`.
    fn first_due_with_free_time(
        &self,
        needed_minutes: i64,
        old_due: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let ctx = &self.context;
        let start_day = old_due.max(ctx.now).with_timezone(&ctx.tz).date_naive();
        start_day
            .iter_days()
            .take(DUE_SEARCH_DAYS as usize)
            .filter(|d| ctx.working_hours.works_on(d.weekday()))
            .map(|d| local_to_utc(d, ctx.working_hours.end(), ctx.tz))
            .filter(|end| *end > old_due && *end > ctx.now)
            .find(|end| free_minutes_before(&ctx.free_ahead, *end) >= needed_minutes)
    }

    fn suggest_reprioritising(&self, out: &mut Vec<Suggestion>) {
        let ctx = &self.context;
        for risk in self
            .tasks_at_risk
            .iter()
            .filter(|r| !r.overdue && r.priority >= Priority::P3)
            .filter(|r| r.due <= ctx.now + Duration::days(3))
        {
            out.push(Suggestion {
                kind: SuggestionKind::ReprioritiseTask,
                action: format!("Raise '{}' from {} to P2", risk.title, risk.priority),
                impact: Impact::Medium,
                reasoning: format!(
                    "'{}' is due {} and {}; a higher priority gets it scheduled before lower-priority work.",
                    risk.title,
                    fmt_local(risk.due, ctx.tz),
                    risk.reason
                ),
                slot: None,
                task_id: Some(risk.task_id.clone()),
                new_due: None,
                new_priority: Some(Priority::P2),
                event_ids: Vec::new(),
                applicable: true,
            });
        }
    }

    fn suggest_meeting_changes(&self, out: &mut Vec<Suggestion>) {
        let ctx = &self.context;
        let tz = ctx.tz;
        for chain in self
            .back_to_back_chains
            .iter()
            .filter(|c| c.event_ids.len() >= 3 && c.end > ctx.now)
        {
            let n = chain.event_ids.len();
            let span = Interval::new(chain.start, chain.end).expect("chain end >= start");
            out.push(Suggestion {
                kind: SuggestionKind::DeclineOrShorten,
                action: format!(
                    "Shorten or decline one of the {n} back-to-back meetings {}",
                    fmt_span(&span, tz)
                ),
                impact: if n >= 4 { Impact::High } else { Impact::Medium },
                reasoning: format!(
                    "{n} meetings run back to back for {} without a break ({}); ending each 5–10 minutes early or dropping one leaves time to recover and follow up.",
                    fmt_minutes(span.duration_minutes()),
                    chain.titles.join(", ")
                ),
                slot: None,
                task_id: None,
                new_due: None,
                new_priority: None,
                event_ids: chain.event_ids.clone(),
                applicable: false,
            });
        }
        for day in &self.overloaded_days {
            let ids = self.meeting_ids_on(day.date);
            out.push(Suggestion {
                kind: SuggestionKind::DeclineOrShorten,
                action: format!(
                    "Decline or shorten meetings on {} ({} h of meetings)",
                    fmt_date(day.date),
                    fmt_hours(day.meeting_hours)
                ),
                impact: Impact::High,
                reasoning: format!(
                    "{} has {} h of meetings, more than {} h; moving or declining optional ones frees time for focused work.",
                    day.weekday,
                    fmt_hours(day.meeting_hours),
                    fmt_hours(OVERLOADED_DAY_HOURS)
                ),
                slot: None,
                task_id: None,
                new_due: None,
                new_priority: None,
                event_ids: ids,
                applicable: false,
            });
        }
        let mut dates: Vec<NaiveDate> = Vec::new();
        for gap in self.fragmented_gaps.iter().filter(|g| g.end() > ctx.now) {
            let date = gap.start().with_timezone(&tz).date_naive();
            if !dates.contains(&date) {
                dates.push(date);
            }
        }
        for date in dates {
            let gaps: Vec<&Interval> = self
                .fragmented_gaps
                .iter()
                .filter(|g| g.end() > ctx.now && g.start().with_timezone(&tz).date_naive() == date)
                .collect();
            if gaps.len() < 2 {
                continue;
            }
            let minutes: i64 = gaps.iter().map(|g| g.duration_minutes()).sum();
            out.push(Suggestion {
                kind: SuggestionKind::BatchMeetings,
                action: format!("Batch the meetings on {} together", fmt_date(date)),
                impact: Impact::Medium,
                reasoning: format!(
                    "{} short gaps between meetings ({} in total) are too short for real work; grouping the meetings turns them into one usable block.",
                    gaps.len(),
                    fmt_minutes(minutes)
                ),
                slot: None,
                task_id: None,
                new_due: None,
                new_priority: None,
                event_ids: self.meeting_ids_on(date),
                applicable: false,
            });
        }
    }

    fn meeting_ids_on(&self, date: NaiveDate) -> Vec<String> {
        self.context
            .meetings_by_day
            .iter()
            .find(|(d, _)| *d == date)
            .map(|(_, ids)| ids.clone())
            .unwrap_or_default()
    }
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

fn free_minutes_before(free: &[Interval], until: DateTime<Utc>) -> i64 {
    free.iter()
        .filter_map(|g| Interval::new(g.start(), g.end().min(until)).ok())
        .map(|i| i.duration_minutes())
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// 6.5 → "6.5", 6.0 → "6", 2.25 → "2.3".
fn fmt_hours(h: f64) -> String {
    fmt_number(round1(h))
}

fn fmt_number(x: f64) -> String {
    let r = round1(x);
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn fmt_minutes(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, min) => format!("{min} min"),
        (h, 0) => format!("{h} h"),
        (h, min) => format!("{h} h {min} min"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn fmt_date(date: NaiveDate) -> String {
    date.format("%a %b %-d").to_string()
}

fn fmt_local(instant: DateTime<Utc>, tz: Tz) -> String {
    instant
        .with_timezone(&tz)
        .format("%a %b %-d %H:%M")
        .to_string()
}

/// "Tue Dec 1 09:00–11:00" (the end's date is added when it differs).
fn fmt_span(span: &Interval, tz: Tz) -> String {
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

#[cfg(test)]
mod tests;
