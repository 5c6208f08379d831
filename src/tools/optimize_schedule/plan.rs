//! The signed plan of an approved optimization: exactly the writes of the applicable
//! suggestions, and which suggestion kinds each optimization type shows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::FOCUS_TITLE;
use crate::domain::metrics::{Suggestion, SuggestionKind};
use crate::domain::priority::Priority;
use crate::domain::timezone::TimeZone;
use crate::interpret::optimize::OptimizationType;

/// Exactly the writes an approved optimization performs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimizationPlan {
    pub timezone: String,
    pub focus_blocks: Vec<FocusBlockWrite>,
    pub task_changes: Vec<TaskChangeWrite>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusBlockWrite {
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskChangeWrite {
    pub task_id: i64,
    pub title: String,
    pub due: Option<DateTime<Utc>>,
    pub priority: Option<Priority>,
}

impl OptimizationPlan {
    /// The writes of the applicable suggestions (one change per task).
    pub fn from_suggestions(
        suggestions: &[Suggestion],
        tz: &TimeZone,
        titles: &[(String, String)],
    ) -> OptimizationPlan {
        let mut plan = OptimizationPlan {
            timezone: tz.name().to_string(),
            focus_blocks: vec![],
            task_changes: vec![],
        };
        for s in suggestions.iter().filter(|s| s.applicable) {
            match s.kind {
                SuggestionKind::BlockFocusTime => {
                    if let Some(slot) = s.slot {
                        plan.focus_blocks.push(FocusBlockWrite {
                            title: FOCUS_TITLE.to_string(),
                            start: slot.start(),
                            end: slot.end(),
                        });
                    }
                }
                SuggestionKind::MoveTaskDue | SuggestionKind::ReprioritiseTask => {
                    let Some(id) = s.task_id.as_deref() else {
                        continue;
                    };
                    let Ok(task_id) = id.parse::<i64>() else {
                        continue;
                    };
                    let idx = match plan.task_changes.iter().position(|c| c.task_id == task_id) {
                        Some(i) => i,
                        None => {
                            let title = titles
                                .iter()
                                .find(|(i, _)| i == id)
                                .map(|(_, t)| t.clone())
                                .unwrap_or_default();
                            plan.task_changes.push(TaskChangeWrite {
                                task_id,
                                title,
                                due: None,
                                priority: None,
                            });
                            plan.task_changes.len() - 1
                        }
                    };
                    let change = &mut plan.task_changes[idx];
                    if let Some(d) = s.new_due {
                        change.due = Some(d);
                    }
                    if let Some(p) = s.new_priority {
                        change.priority = Some(p);
                    }
                }
                _ => {}
            }
        }
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.focus_blocks.is_empty() && self.task_changes.is_empty()
    }

    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        match self.focus_blocks.len() {
            0 => {}
            1 => parts.push("create 1 focus block".to_string()),
            n => parts.push(format!("create {n} focus blocks")),
        }
        match self.task_changes.len() {
            0 => {}
            1 => parts.push("update 1 task".to_string()),
            n => parts.push(format!("update {n} tasks")),
        }
        let text = parts.join(" and ");
        let mut c = text.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => text,
        }
    }
}

/// Whether a suggestion belongs to an optimization type.
pub fn shows(kind: SuggestionKind, t: OptimizationType) -> bool {
    match t {
        OptimizationType::Balanced => true,
        OptimizationType::FocusTime => kind == SuggestionKind::BlockFocusTime,
        OptimizationType::Meetings => matches!(
            kind,
            SuggestionKind::BatchMeetings | SuggestionKind::DeclineOrShorten
        ),
        OptimizationType::Deadlines => matches!(
            kind,
            SuggestionKind::MoveTaskDue | SuggestionKind::ReprioritiseTask
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intervals::Interval;
    use crate::domain::metrics::Impact;
    use chrono::TimeZone as _;

    fn suggestion(kind: SuggestionKind) -> Suggestion {
        Suggestion {
            kind,
            action: "x".into(),
            impact: Impact::High,
            reasoning: "y".into(),
            slot: None,
            task_id: None,
            new_due: None,
            new_priority: None,
            event_ids: vec![],
            applicable: true,
        }
    }

    #[test]
    fn plan_lists_exactly_the_applicable_writes_one_change_per_task() {
        let at = |h| Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap();
        let mut focus = suggestion(SuggestionKind::BlockFocusTime);
        focus.slot = Some(Interval::new(at(14), at(16)).unwrap());
        let mut due = suggestion(SuggestionKind::MoveTaskDue);
        due.task_id = Some("7".into());
        due.new_due = Some(at(22));
        let mut prio = suggestion(SuggestionKind::ReprioritiseTask);
        prio.task_id = Some("7".into());
        prio.new_priority = Some(Priority::P2);
        let mut advisory = suggestion(SuggestionKind::DeclineOrShorten);
        advisory.applicable = false;
        advisory.event_ids = vec!["e1".into()];
        let tz = TimeZone::parse("America/New_York").unwrap();
        let plan = OptimizationPlan::from_suggestions(
            &[focus, due, prio, advisory],
            &tz,
            &[("7".into(), "Report".into())],
        );
        assert_eq!(plan.focus_blocks.len(), 1);
        assert_eq!(plan.focus_blocks[0].start, at(14));
        assert_eq!(
            plan.task_changes,
            vec![TaskChangeWrite {
                task_id: 7,
                title: "Report".into(),
                due: Some(at(22)),
                priority: Some(Priority::P2)
            }]
        );
        assert_eq!(plan.summary(), "Create 1 focus block and update 1 task");
        let round_trip: OptimizationPlan =
            serde_json::from_value(serde_json::to_value(&plan).unwrap()).unwrap();
        assert_eq!(round_trip, plan);
    }

    #[test]
    fn optimization_types_select_suggestion_kinds() {
        assert!(shows(
            SuggestionKind::BlockFocusTime,
            OptimizationType::FocusTime
        ));
        assert!(!shows(
            SuggestionKind::MoveTaskDue,
            OptimizationType::FocusTime
        ));
        assert!(shows(
            SuggestionKind::DeclineOrShorten,
            OptimizationType::Meetings
        ));
        assert!(shows(
            SuggestionKind::ReprioritiseTask,
            OptimizationType::Deadlines
        ));
        assert!(shows(
            SuggestionKind::BatchMeetings,
            OptimizationType::Balanced
        ));
    }
}
