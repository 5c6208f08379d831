//! The JSON forms of the analysis, its suggestions and an approval's plan details.

use chrono_tz::Tz;
use serde_json::{json, Value};

use super::plan::OptimizationPlan;
use crate::domain::intervals::Interval;
use crate::domain::metrics::{DayLoad, ScheduleAnalysis, Suggestion};
use crate::tools::present::{fmt_time, human_time};
use crate::upstream::ReclaimTask;

pub(super) fn interval_json(i: &Interval, tz: Tz) -> Value {
    json!({"start": fmt_time(i.start(), tz), "end": fmt_time(i.end(), tz), "minutes": i.duration_minutes()})
}

pub(super) fn day_json(d: &DayLoad) -> Value {
    json!({
        "date": d.date.to_string(), "weekday": d.weekday, "meeting_hours": d.meeting_hours,
        "event_count": d.event_count, "tasks_due": d.tasks_due, "focus_hours": d.focus_hours,
    })
}

pub(super) fn suggestion_json(index: usize, s: &Suggestion, tz: Tz) -> Value {
    json!({
        "id": format!("s{}", index + 1),
        "type": s.kind,
        "action": s.action,
        "impact": s.impact,
        "reasoning": s.reasoning,
        "applicable": s.applicable,
        "slot": s.slot.map(|i| interval_json(&i, tz)),
        "task_id": s.task_id,
        "new_due": s.new_due.map(|d| fmt_time(d, tz)),
        "new_priority": s.new_priority.map(|p| p.as_str()),
        "event_ids": s.event_ids,
    })
}

pub(super) fn metrics_json(a: &ScheduleAnalysis, tz: Tz) -> Value {
    json!({
        "meeting_count": a.meeting_count,
        "meeting_hours": a.meeting_hours,
        "focus_hours": a.focus_hours,
        "focus_threshold_hours": a.focus_threshold_hours(),
        "remaining_working_hours": a.remaining_working_hours,
        "focus_blocks": a.focus_blocks.iter().map(|i| interval_json(i, tz)).collect::<Vec<_>>(),
        "back_to_back_chains": a.back_to_back_chains.iter().map(|c| json!({
            "event_ids": c.event_ids, "titles": c.titles,
            "start": fmt_time(c.start, tz), "end": fmt_time(c.end, tz),
        })).collect::<Vec<_>>(),
        "fragmented_gaps": a.fragmented_gaps.iter().map(|i| interval_json(i, tz)).collect::<Vec<_>>(),
        "overloaded_days": a.overloaded_days.iter().map(day_json).collect::<Vec<_>>(),
        "tasks_at_risk": a.tasks_at_risk.iter().map(|r| json!({
            "task_id": r.task_id, "title": r.title, "priority": r.priority.as_str(),
            "due": fmt_time(r.due, tz), "overdue": r.overdue, "remaining_hours": r.remaining_hours,
            "required_hours": r.required_hours, "free_hours_before_due": r.free_hours_before_due,
            "reason": r.reason,
        })).collect::<Vec<_>>(),
        "priority_misalignments": a.priority_misalignments.iter().map(|m| json!({
            "task_id": m.task_id, "title": m.title, "due": m.due.map(|d| fmt_time(d, tz)),
            "earlier_lower_priority_task_ids": m.earlier_lower_priority_task_ids,
            "no_free_time_early": m.no_free_time_early, "reason": m.reason,
        })).collect::<Vec<_>>(),
        "per_day": a.per_day.iter().map(day_json).collect::<Vec<_>>(),
    })
}

pub(super) fn plan_details(plan: &OptimizationPlan, tasks: &[ReclaimTask], tz: Tz) -> Value {
    json!({
        "timezone": plan.timezone,
        "focus_blocks": plan.focus_blocks.iter().map(|f| json!({
            "title": f.title, "start": fmt_time(f.start, tz), "end": fmt_time(f.end, tz),
            "when": format!("{} – {}", human_time(f.start, tz), f.end.with_timezone(&tz).format("%-I:%M %p")),
        })).collect::<Vec<_>>(),
        "task_changes": plan.task_changes.iter().map(|c| {
            let current = tasks.iter().find(|t| t.id == c.task_id);
            json!({
                "task_id": c.task_id.to_string(), "title": c.title,
                "due": c.due.map(|d| json!({"from": current.and_then(|t| t.due).map(|d| fmt_time(d, tz)), "to": fmt_time(d, tz)})),
                "priority": c.priority.map(|p| json!({"from": current.map(|t| t.priority.as_str()), "to": p.as_str()})),
            })
        }).collect::<Vec<_>>(),
    })
}
