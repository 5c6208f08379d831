//! Executing an approved [`OptimizationPlan`]: exactly its focus events and task changes,
//! each reported as created, updated or failed.

use serde_json::{json, Value};

use super::plan::OptimizationPlan;
use super::FOCUS_DESCRIPTION;
use crate::domain::timezone::TimeZone;
use crate::envelope::{self, ProviderTag};
use crate::tools::present::fmt_time;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{
    Clients, NewEvent, NylasClient, ReclaimClient, TaskPatch, Timespan, PRIMARY_CALENDAR,
};

fn error_text(envelope: &Value) -> String {
    envelope
        .get("error")
        .or_else(|| envelope.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("failed")
        .to_string()
}

/// What executing a plan did, item by item.
#[derive(Default)]
struct Report {
    created: Vec<Value>,
    updated: Vec<Value>,
    failed: Vec<Value>,
}

/// Executes an approved plan: exactly its focus events and task changes, reporting each.
pub(super) async fn execute(call: &ToolCall, env: &ToolEnv<'_>, plan: OptimizationPlan) -> Value {
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
    let mut report = Report::default();
    if let Some(nylas) = &nylas {
        create_focus_blocks(call, nylas, &plan, timezone, &mut report).await;
    }
    if let Some(reclaim) = &reclaim {
        apply_task_changes(call, reclaim, &plan, timezone, &mut report).await;
    }
    let provider = match (nylas.is_some(), reclaim.is_some()) {
        (true, true) => ProviderTag::Both,
        (true, false) => ProviderTag::Nylas,
        _ => ProviderTag::Reclaim,
    };
    answer(provider, &plan, report)
}

async fn create_focus_blocks(
    call: &ToolCall,
    nylas: &NylasClient<'_>,
    plan: &OptimizationPlan,
    timezone: TimeZone,
    report: &mut Report,
) {
    let tz = timezone.tz();
    for block in &plan.focus_blocks {
        let item = json!({"type": "focus_block", "title": block.title, "start": fmt_time(block.start, tz), "end": fmt_time(block.end, tz)});
        let span = match Timespan::new(block.start, block.end, timezone) {
            Ok(s) => s,
            Err(e) => {
                report.failed.push(json!({"item": item, "error": e}));
                continue;
            }
        };
        let mut event = NewEvent::new(block.title.clone(), span);
        event.description = Some(FOCUS_DESCRIPTION.to_string());
        match nylas.create_event(PRIMARY_CALENDAR, &event, false).await {
            Ok(e) => {
                let mut done = item.clone();
                done["id"] = json!(e.id);
                report.created.push(done);
            }
            Err(e) => report.failed.push(
                json!({"item": item, "error": error_text(&e.to_envelope(&call.credentials))}),
            ),
        }
    }
}

async fn apply_task_changes(
    call: &ToolCall,
    reclaim: &ReclaimClient<'_>,
    plan: &OptimizationPlan,
    timezone: TimeZone,
    report: &mut Report,
) {
    let tz = timezone.tz();
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
            Ok(_) => report.updated.push(item),
            Err(e) => report.failed.push(
                json!({"item": item, "error": error_text(&e.to_envelope(&call.credentials))}),
            ),
        }
    }
}

fn answer(provider: ProviderTag, plan: &OptimizationPlan, report: Report) -> Value {
    let Report {
        created,
        updated,
        failed,
    } = report;
    let total = plan.focus_blocks.len() + plan.task_changes.len();
    let done = created.len() + updated.len();
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
