//! The concrete changes proposed from a [`ScheduleAnalysis`]: focus blocks, new due dates,
//! priorities (applicable after approval) and advisory meeting changes.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::analysis::ScheduleAnalysis;
use super::deadlines::free_minutes_before;
use super::format::{fmt_date, fmt_hours, fmt_local, fmt_minutes, fmt_span};
use super::{
    DUE_SEARCH_DAYS, MAX_FOCUS_SUGGESTIONS, MAX_FOCUS_SUGGESTION_MINUTES, OVERLOADED_DAY_HOURS,
};
use crate::domain::intervals::Interval;
use crate::domain::priority::Priority;
use crate::domain::working_hours::{hm, local_to_utc};

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

impl ScheduleAnalysis {
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
        self.suggest_breaking_chains(&mut out);
        self.suggest_relieving_overloaded_days(&mut out);
        self.suggest_batching(&mut out);
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

    /// Advisory: chains of 3+ back-to-back meetings still ahead.
    fn suggest_breaking_chains(&self, out: &mut Vec<Suggestion>) {
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
    }

    /// Advisory: days with more than [`OVERLOADED_DAY_HOURS`] of meetings.
    fn suggest_relieving_overloaded_days(&self, out: &mut Vec<Suggestion>) {
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
    }

    /// Advisory: days with 2+ fragmented gaps still ahead.
    fn suggest_batching(&self, out: &mut Vec<Suggestion>) {
        let ctx = &self.context;
        let tz = ctx.tz;
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
