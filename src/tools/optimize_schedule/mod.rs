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
use serde_json::{json, Map, Value};

use super::approval_flow::{ask, is_approval, run_approved};
use super::schedule_data::{self, calendar_items, Connected, Loaded};
use super::schema::object_schema;
use super::time_reading::{read_window, WindowIso};
use super::{model, ToolCall, ToolEnv};
use crate::domain::intervals::Interval;
use crate::domain::metrics::{ScheduleAnalysis, Suggestion, SuggestionKind};
use crate::domain::schedule_items::TaskItem;
use crate::domain::time_window::TimeWindow;
use crate::domain::working_hours::WorkingHours;
use crate::envelope;
use crate::interpret::optimize::{OptimizationType, OptimizeRequest};
use crate::upstream::Clients;

mod apply;
mod json;
mod plan;

pub use plan::{shows, FocusBlockWrite, OptimizationPlan, TaskChangeWrite};

pub const ACTION_TYPE: &str = "schedule_optimization";
/// Period analysed when none is given: the rest of this week (every period is analysed from
/// now on, see [`TimeWindow::from_now`]).
pub const DEFAULT_RANGE: &str = "rest of this week";
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

/// Everything one analysis produced, for either answer (analysis or apply).
struct Outcome {
    window: TimeWindow,
    tasks: Vec<TaskItem>,
    suggestions: Vec<Suggestion>,
    suggestions_json: Vec<Value>,
    metrics: Value,
    well_optimized: bool,
    summary: String,
}

pub async fn run(call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    if is_approval(call) {
        return run_approved(call, env, |plan: OptimizationPlan, _| {
            apply::execute(call, env, plan)
        })
        .await;
    }
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let connected = match schedule_data::connect(&clients, true, true) {
        Ok(c) => c,
        Err(setup) => return setup,
    };
    let request = match model::read_request::<OptimizeRequest>(call, env).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let optimization_type = request.optimization_type.unwrap_or_default();
    let (window, interval) = match period(&request, call) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let span = (interval.start(), interval.end());
    let loaded = match schedule_data::load(&connected, true, Some(span), &call.credentials).await {
        Ok(l) => l,
        Err(e) => return e,
    };
    let outcome = analyse(
        call,
        &connected,
        &loaded,
        window,
        interval,
        optimization_type,
    );
    let mut fields = Map::new();
    fields.insert("suggestions".into(), json!(outcome.suggestions_json));
    fields.insert("metrics".into(), outcome.metrics.clone());
    fields.insert(
        "optimization_type".into(),
        json!(optimization_type.as_str()),
    );
    let answer = if request.apply {
        apply_answer(call, env, &connected, &loaded, &outcome)
    } else {
        analysis_answer(&connected, &loaded, &outcome, optimization_type)
    };
    envelope::with_fields(answer, fields)
}

/// The period analysed (default: the rest of this week), as a window and a UTC interval.
fn period(request: &OptimizeRequest, call: &ToolCall) -> Result<(TimeWindow, Interval), Value> {
    let phrase = request.range.as_deref().unwrap_or(DEFAULT_RANGE);
    let window =
        match read_window(
            call,
            phrase,
            WindowIso {
                start: request.range_start_iso.as_deref(),
                end: request.range_end_iso.as_deref(),
            },
            "range",
        ) {
            Ok(w) if !w.is_overdue() => w.from_now(call.user.now),
            Ok(_) => return Err(envelope::business_error(
                None,
                "A schedule can only be optimized for a period such as 'this week' or 'tomorrow'.",
            )),
            Err(e) => {
                return Err(envelope::business_error(
                    None,
                    format!("I couldn't use the period: {e}."),
                ))
            }
        };
    let start: DateTime<Utc> = window.start.with_timezone(&Utc);
    match Interval::new(start, window.end.with_timezone(&Utc)) {
        Ok(interval) => Ok((window, interval)),
        Err(_) => Err(envelope::business_error(None, "The period is empty.")),
    }
}

/// Computes the metrics and the suggestions the optimization type shows.
fn analyse(
    call: &ToolCall,
    connected: &Connected,
    loaded: &Loaded,
    window: TimeWindow,
    interval: Interval,
    optimization_type: OptimizationType,
) -> Outcome {
    let tz = call.user.tz();
    let items = calendar_items(&loaded.events, tz, call.user.user_email.as_deref());
    let tasks = loaded.task_items();
    let now_utc = call.user.now.with_timezone(&Utc);
    let working_hours = WorkingHours::default();
    let analysis = ScheduleAnalysis::compute(&items, &tasks, interval, now_utc, tz, &working_hours);
    let calendar_known = connected.nylas.is_some();
    let suggestions: Vec<Suggestion> = analysis
        .suggestions()
        .into_iter()
        .filter(|s| shows(s.kind, optimization_type))
        // Without the calendar, free time is unknown: no focus blocks.
        .filter(|s| calendar_known || s.kind != SuggestionKind::BlockFocusTime)
        .collect();
    let suggestions_json = suggestions
        .iter()
        .enumerate()
        .map(|(i, s)| json::suggestion_json(i, s, tz))
        .collect();
    let well_optimized = calendar_known && analysis.is_well_optimized();
    let mut metrics = json::metrics_json(&analysis, tz);
    metrics["well_optimized"] = json!(well_optimized);
    metrics["time_range"] = json!({
        "start": window.start.to_rfc3339(), "end": window.end.to_rfc3339(),
        "label": window.label, "timezone": tz.name(),
    });
    let summary = summary(&analysis, &window, suggestions.len(), well_optimized);
    Outcome {
        window,
        tasks,
        suggestions,
        suggestions_json,
        metrics,
        well_optimized,
        summary,
    }
}

fn summary(
    analysis: &ScheduleAnalysis,
    window: &TimeWindow,
    suggestion_count: usize,
    well_optimized: bool,
) -> String {
    if well_optimized {
        return format!(
            "Your schedule is already well-optimized for {}: {} h of meetings and {} h of focus time.",
            window.label, analysis.meeting_hours, analysis.focus_hours
        );
    }
    format!(
        "{} for {}: {} h of meetings, {} h of focus time, {} at risk.",
        match suggestion_count {
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
}

/// The analysis itself, with the top suggestion in the message.
fn analysis_answer(
    connected: &Connected,
    loaded: &Loaded,
    outcome: &Outcome,
    optimization_type: OptimizationType,
) -> Value {
    let mut message = outcome.summary.clone();
    if let Some(first) = outcome
        .suggestions
        .first()
        .filter(|_| !outcome.well_optimized)
    {
        message.push_str(&format!(" Top suggestion: {}.", first.action));
    }
    if let Some(n) = connected.missing_note() {
        message.push(' ');
        message.push_str(&n);
    }
    let data = json!({
        "suggestions": outcome.suggestions_json,
        "metrics": outcome.metrics,
        "summary": outcome.summary,
        "optimization_type": optimization_type.as_str(),
        "truncated": loaded.truncated,
        "missing": connected.missing,
    });
    envelope::success(connected.provider(), "analyzed", data, message)
}

/// `needs_approval` listing exactly the writes of the applicable suggestions (or a success
/// saying there is nothing to apply).
fn apply_answer(
    call: &ToolCall,
    env: &ToolEnv<'_>,
    connected: &Connected,
    loaded: &Loaded,
    outcome: &Outcome,
) -> Value {
    let tz: Tz = call.user.tz();
    let titles: Vec<(String, String)> = outcome
        .tasks
        .iter()
        .map(|t| (t.id.clone(), t.title.clone()))
        .collect();
    let plan =
        OptimizationPlan::from_suggestions(&outcome.suggestions, &call.user.timezone, &titles);
    if plan.is_empty() {
        let data = json!({"suggestions": outcome.suggestions_json, "metrics": outcome.metrics, "summary": outcome.summary, "applied": false});
        return envelope::success(
            connected.provider(),
            "analyzed",
            data,
            format!(
                "{} There is nothing to apply automatically.",
                outcome.summary
            ),
        );
    }
    let details = json::plan_details(&plan, &loaded.tasks, tz);
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
    ask(
        call,
        env,
        ACTION_TYPE,
        &plan,
        format!("{} ({})", plan.summary(), outcome.window.label),
        details,
        risks,
    )
}
