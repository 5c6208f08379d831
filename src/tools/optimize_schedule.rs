//! The `optimize_schedule` tool (PRODUCT §4): deterministic schedule analysis, concrete
//! suggestions, and applying them after `schedule_optimization` approval.
//!
//! Natural language costs one model call (period, whether to apply, which kind of
//! optimization); structured arguments (`range`, `apply`, `optimization_type`) skip it. Every
//! number, slot and new due date comes from `domain::metrics::ScheduleAnalysis`. Applying
//! signs an [`OptimizationPlan`] listing exactly the writes (focus events with their instants,
//! task changes with ids and new values); the approved call executes exactly those, once.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::approval_flow::{ask, is_approval, run_approved};
use super::present::{fmt_time, human_time, task_item};
use super::schedule_data::{self, calendar_items};
use super::schema::object_schema;
use super::{model, ToolCall, ToolEnv};
use crate::domain::intervals::Interval;
use crate::domain::metrics::{DayLoad, ScheduleAnalysis, Suggestion, SuggestionKind};
use crate::domain::priority::Priority;
use crate::domain::time_window::resolve_window;
use crate::domain::timezone::TimeZone;
use crate::domain::working_hours::WorkingHours;
use crate::envelope::{self, ProviderTag};
use crate::interpret::optimize::{OptimizationType, OptimizeRequest};
use crate::upstream::{Clients, NewEvent, TaskPatch, Timespan, PRIMARY_CALENDAR};

pub const ACTION_TYPE: &str = "schedule_optimization";
/// Period analysed when none is given: the rest of this week.
pub const DEFAULT_RANGE: &str = "this week";
const FOCUS_TITLE: &str = "Focus time";
const FOCUS_DESCRIPTION: &str = "Focus block created by juli-calendar (optimize_schedule).";

pub fn input_schema() -> Value {
    let mut p = Map::new();
    p.insert("request".into(), json!({"type": "string", "description": "The request in natural language, e.g. \"optimize my schedule this week\" or \"block focus time for me\". Interpreted with one model call unless `range`, `apply` or `optimization_type` is given."}));
    p.insert("preferences".into(), json!({"type": "string", "description": "Optional preferences in plain language (given to the interpreter as context)."}));
    p.insert("range".into(), json!({"type": "string", "description": "Structured: the period to analyse ('this week' = the rest of this week, the default; 'tomorrow'; 'next week'). Skips the model."}));
    p.insert("apply".into(), json!({"type": "boolean", "description": "Structured: true to apply the applicable suggestions (focus blocks, due dates, priorities). Answers needs_approval `schedule_optimization` listing exactly the writes; nothing changes before approval."}));
    p.insert("optimization_type".into(), json!({"type": "string", "enum": ["balanced", "focus_time", "meetings", "deadlines"], "description": "Structured: which suggestions to show (default balanced = all)."}));
    object_schema(p, &[], true)
}

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

pub async fn run(call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    if is_approval(call) {
        return run_approved(call, env, |plan: OptimizationPlan, _| {
            execute(call, env, plan)
        })
        .await;
    }
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    if let Err(setup) = schedule_data::connect(&clients, true, true) {
        return setup;
    }
    let request = match model::read_request::<OptimizeRequest>(call, env).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let optimization_type = request.optimization_type.unwrap_or_default();
    let tz = call.user.tz();
    let now = call.user.now;
    let now_utc = now.with_timezone(&Utc);
    let window =
        match resolve_window(request.range.as_deref().unwrap_or(DEFAULT_RANGE), now) {
            Ok(w) if !w.is_overdue() => w,
            Ok(_) => return envelope::business_error(
                None,
                "A schedule can only be optimized for a period such as 'this week' or 'tomorrow'.",
            ),
            Err(e) => {
                return envelope::business_error(None, format!("I couldn't use the period: {e}."))
            }
        };
    let connected = match schedule_data::connect(&clients, true, true) {
        Ok(c) => c,
        Err(setup) => return setup,
    };
    let span = (
        window.start.with_timezone(&Utc),
        window.end.with_timezone(&Utc),
    );
    let Ok(interval) = Interval::new(span.0, span.1) else {
        return envelope::business_error(None, "The period is empty.");
    };
    let loaded = match schedule_data::load(&connected, true, Some(span), &call.credentials).await {
        Ok(l) => l,
        Err(e) => return e,
    };
    let items = calendar_items(&loaded.events, tz, call.user.user_email.as_deref());
    let tasks: Vec<_> = loaded
        .tasks
        .iter()
        .filter(|t| !t.deleted)
        .map(task_item)
        .collect();
    let analysis = ScheduleAnalysis::compute(
        &items,
        &tasks,
        interval,
        now_utc,
        tz,
        &WorkingHours::default(),
    );
    let calendar_known = connected.nylas.is_some();
    let suggestions: Vec<Suggestion> = analysis
        .suggestions()
        .into_iter()
        .filter(|s| shows(s.kind, optimization_type))
        // Without the calendar, free time is unknown: no focus blocks.
        .filter(|s| calendar_known || s.kind != SuggestionKind::BlockFocusTime)
        .collect();
    let suggestions_json: Vec<Value> = suggestions
        .iter()
        .enumerate()
        .map(|(i, s)| suggestion_json(i, s, tz))
        .collect();
    let well_optimized = calendar_known && analysis.is_well_optimized();
    let mut metrics = metrics_json(&analysis, tz);
    metrics["well_optimized"] = json!(well_optimized);
    metrics["time_range"] = json!({
        "start": window.start.to_rfc3339(), "end": window.end.to_rfc3339(),
        "label": window.label, "timezone": tz.name(),
    });
    let summary = if well_optimized {
        format!(
            "Your schedule is already well-optimized for {}: {} h of meetings and {} h of focus time.",
            window.label, analysis.meeting_hours, analysis.focus_hours
        )
    } else {
        format!(
            "{} for {}: {} h of meetings, {} h of focus time, {} at risk.",
            match suggestions.len() {
                1 => "1 suggestion".to_string(),
                n => format!("{n} suggestions"),
            },
            window.label,
            analysis.meeting_hours,
            analysis.focus_hours,
            match analysis.tasks_at_risk.len() {
                1 => "1 task".to_string(),
                n => format!("{n} tasks"),
            }
        )
    };
    let note = connected.missing_note();
    let mut fields = Map::new();
    fields.insert("suggestions".into(), json!(suggestions_json));
    fields.insert("metrics".into(), metrics.clone());
    fields.insert(
        "optimization_type".into(),
        json!(optimization_type.as_str()),
    );

    if request.apply {
        let titles: Vec<(String, String)> = tasks
            .iter()
            .map(|t| (t.id.clone(), t.title.clone()))
            .collect();
        let plan = OptimizationPlan::from_suggestions(&suggestions, &call.user.timezone, &titles);
        if plan.is_empty() {
            let data = json!({"suggestions": suggestions_json, "metrics": metrics, "summary": summary, "applied": false});
            return envelope::with_fields(
                envelope::success(
                    connected.provider(),
                    "analyzed",
                    data,
                    format!("{summary} There is nothing to apply automatically."),
                ),
                fields,
            );
        }
        let details = plan_details(&plan, &loaded.tasks, tz);
        let mut risks = Vec::new();
        if !plan.focus_blocks.is_empty() {
            risks.push(
                "Focus blocks are busy time on your calendar; others will see you as busy then."
                    .to_string(),
            );
        }
        if !plan.task_changes.is_empty() {
            risks.push("Reclaim will re-plan the changed tasks.".to_string());
        }
        let answer = ask(
            call,
            env,
            ACTION_TYPE,
            &plan,
            format!("{} ({})", plan.summary(), window.label),
            details,
            risks,
        );
        return envelope::with_fields(answer, fields);
    }

    let mut message = summary.clone();
    if let Some(first) = suggestions.first().filter(|_| !well_optimized) {
        message.push_str(&format!(" Top suggestion: {}.", first.action));
    }
    if let Some(n) = &note {
        message.push(' ');
        message.push_str(n);
    }
    let data = json!({
        "suggestions": suggestions_json,
        "metrics": metrics,
        "summary": summary,
        "optimization_type": optimization_type.as_str(),
        "truncated": loaded.truncated,
        "missing": connected.missing,
    });
    envelope::with_fields(
        envelope::success(connected.provider(), "analyzed", data, message),
        fields,
    )
}

fn interval_json(i: &Interval, tz: Tz) -> Value {
    json!({"start": fmt_time(i.start(), tz), "end": fmt_time(i.end(), tz), "minutes": i.duration_minutes()})
}

fn day_json(d: &DayLoad) -> Value {
    json!({
        "date": d.date.to_string(), "weekday": d.weekday, "meeting_hours": d.meeting_hours,
        "event_count": d.event_count, "tasks_due": d.tasks_due, "focus_hours": d.focus_hours,
    })
}

fn suggestion_json(index: usize, s: &Suggestion, tz: Tz) -> Value {
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

fn metrics_json(a: &ScheduleAnalysis, tz: Tz) -> Value {
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

fn plan_details(plan: &OptimizationPlan, tasks: &[crate::upstream::ReclaimTask], tz: Tz) -> Value {
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

fn error_text(envelope: &Value) -> String {
    envelope
        .get("error")
        .or_else(|| envelope.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("failed")
        .to_string()
}

/// Executes an approved plan: exactly its focus events and task changes, reporting each.
async fn execute(call: &ToolCall, env: &ToolEnv<'_>, plan: OptimizationPlan) -> Value {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = if plan.focus_blocks.is_empty() {
        None
    } else {
        match clients.nylas() {
            Ok(n) => Some(n),
            Err(setup) => return setup,
        }
    };
    let reclaim = if plan.task_changes.is_empty() {
        None
    } else {
        match clients.reclaim() {
            Ok(r) => Some(r),
            Err(setup) => return setup,
        }
    };
    let timezone = TimeZone::parse(&plan.timezone).unwrap_or(call.user.timezone);
    let tz = timezone.tz();
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut failed = Vec::new();
    if let Some(nylas) = &nylas {
        for block in &plan.focus_blocks {
            let item = json!({"type": "focus_block", "title": block.title, "start": fmt_time(block.start, tz), "end": fmt_time(block.end, tz)});
            let span = match Timespan::new(block.start, block.end, timezone) {
                Ok(s) => s,
                Err(e) => {
                    failed.push(json!({"item": item, "error": e}));
                    continue;
                }
            };
            let mut event = NewEvent::new(block.title.clone(), span);
            event.description = Some(FOCUS_DESCRIPTION.to_string());
            match nylas.create_event(PRIMARY_CALENDAR, &event, false).await {
                Ok(e) => {
                    let mut done = item.clone();
                    done["id"] = json!(e.id);
                    created.push(done);
                }
                Err(e) => failed.push(
                    json!({"item": item, "error": error_text(&e.to_envelope(&call.credentials))}),
                ),
            }
        }
    }
    if let Some(reclaim) = &reclaim {
        for change in &plan.task_changes {
            let item = json!({
                "type": "task", "task_id": change.task_id.to_string(), "title": change.title,
                "due": change.due.map(|d| fmt_time(d, tz)), "priority": change.priority.map(|p| p.as_str()),
            });
            let patch = TaskPatch {
                due: change.due,
                priority: change.priority,
                ..TaskPatch::default()
            };
            match reclaim.patch_task(change.task_id, &patch).await {
                Ok(_) => updated.push(item),
                Err(e) => failed.push(
                    json!({"item": item, "error": error_text(&e.to_envelope(&call.credentials))}),
                ),
            }
        }
    }
    let total = plan.focus_blocks.len() + plan.task_changes.len();
    let done = created.len() + updated.len();
    let provider = match (nylas.is_some(), reclaim.is_some()) {
        (true, true) => ProviderTag::Both,
        (true, false) => ProviderTag::Nylas,
        _ => ProviderTag::Reclaim,
    };
    let mut message = format!(
        "Applied {done} of {total} changes: created {} focus {}, updated {} {}.",
        created.len(),
        if created.len() == 1 {
            "block"
        } else {
            "blocks"
        },
        updated.len(),
        if updated.len() == 1 { "task" } else { "tasks" },
    );
    if !failed.is_empty() {
        message.push_str(&format!(" {} failed; see data.failed.", failed.len()));
    }
    let data = json!({"created": created, "updated": updated, "failed": failed});
    if done == 0 {
        let mut v = envelope::business_error(Some(provider), message);
        v["data"] = data;
        return v;
    }
    envelope::success(provider, "applied", data, message)
}

#[cfg(test)]
mod tests {
    use super::*;
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
