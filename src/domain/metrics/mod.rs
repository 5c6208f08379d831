//! Workload metrics (find_and_analyze) and schedule analysis with concrete suggestions
//! (optimize_schedule). Every number and every slot is computed here from the items; nothing
//! is estimated by a model.
//!
//! Definitions used throughout:
//! - *meetings*: timed (not all-day), busy, non-cancelled events that are not Reclaim's own
//!   task blocks ([`task_blocks`]); *meeting hours* are the hours they cover inside the window,
//!   overlapping meetings counted once. A task block's time is the task's work: its future part
//!   counts as time set aside for that task (a fully scheduled task is not at risk), and it is not
//!   added to committed hours a second time.
//! - *busy time*: every busy, non-cancelled event, all-day ones blocking their whole local day.
//! - *free working time*: working hours minus busy time, from `now` rounded up to the next
//!   half hour (never in the past). Beyond the given events' window no events are known, so free
//!   time there is an optimistic estimate (only used to propose new due dates).
//! - *focus blocks*: free working gaps of at least 60 minutes; *focus hours* their total.
//!
//! One file per concern: [`basis`] (the shared computation), [`workload`] (find_and_analyze's
//! workload numbers), [`analysis`] (optimize_schedule's metrics), [`deadlines`] (tasks at risk
//! and priority misalignments), [`suggestions`] (the proposed changes), [`format`] (text).

mod analysis;
mod basis;
mod deadlines;
mod format;
mod suggestions;
mod task_blocks;
mod workload;

pub use analysis::{MeetingChain, PriorityMisalignment, ScheduleAnalysis, TaskRisk};
pub use suggestions::{Impact, Suggestion, SuggestionKind};
pub use workload::{DayLoad, EventMetrics, OverallMetrics, TaskMetrics, WorkloadMetrics};

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

#[cfg(test)]
use {
    super::intervals::Interval,
    super::priority::Priority,
    super::schedule_items::{busy_intervals, CalendarItem, TaskItem},
    super::working_hours::{hm, local_to_utc, WorkingHours},
    chrono::{DateTime, NaiveDate, Utc},
    chrono_tz::Tz,
    format::{fmt_hours, fmt_minutes, fmt_span, plural},
};

#[cfg(test)]
mod tests;
