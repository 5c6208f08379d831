//! Change fields of one existing task.

use chrono::{DateTime, Utc};

use super::fields::{self, dst_gap_note, duration_minutes, priority};
use super::find_tasks::{find_one_task, task_ref};
use super::references::names_item;
use super::{time_error, with_warnings, Answer};
use crate::domain::duration::task_time_chunks;
use crate::domain::time::apply_time_keep_date;
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::ManageRequest;
use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::{Operation, TaskChanges};
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{Clients, ReclaimTask};

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let task = find_one_task(req, &reclaim, call).await?;
    let mut notes = vec![];
    let changes = changes(req, &task, call, &mut notes)?;
    if changes.is_empty() {
        return Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!("What should change on '{}'? Give a new due date, priority, duration, title or notes.", task.title),
        ));
    }
    let op = Operation::UpdateTask {
        task: task_ref(&task),
        changes,
    };
    Ok(with_warnings(execute(&op, call, env).await, &notes))
}

fn changes(
    req: &ManageRequest,
    task: &ReclaimTask,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<TaskChanges, Answer> {
    // `title` is a new title only when the task was named otherwise (hint or id).
    let renamed = req
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| names_item(req) && !t.is_empty() && *t != task.title);
    Ok(TaskChanges {
        title: renamed.map(str::to_string),
        notes: req.notes.clone(),
        due: new_due(req, task, call, notes)?,
        priority: priority(req)?,
        time_chunks_required: duration_minutes(req)?.map(task_time_chunks),
        snooze_until: fields::snooze_until(req, call, notes)?,
    })
}

/// The new due date: a phrase (`due`), or a shift of the current due date (`due_shift`,
/// "2 days later", "3 days earlier", "+2 days").
fn new_due(
    req: &ManageRequest,
    task: &ReclaimTask,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<Option<DateTime<Utc>>, Answer> {
    let Some(shift) = req
        .due_shift
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    else {
        return fields::due(req, call, notes);
    };
    if req.due.as_deref().is_some_and(|d| !d.trim().is_empty()) {
        return Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            "Give either a new due date or a shift of the current one, not both.",
        ));
    }
    let Some(current) = task.due else {
        return Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!(
                "'{}' has no due date to move; give a new due date instead.",
                task.title
            ),
        ));
    };
    let tz = call.user.tz();
    let moved = apply_time_keep_date(
        current.with_timezone(&tz),
        &shift_phrase(shift),
        call.user.now,
    )
    .map_err(|e| time_error("due date shift", &e))?;
    notes.extend(dst_gap_note(&moved, "due date"));
    Ok(Some(moved.utc()))
}

/// "+2 days" → "2 days later", "-3 days" → "3 days earlier"; other phrases as given.
fn shift_phrase(shift: &str) -> String {
    match shift.split_at_checked(1) {
        Some(("+", rest)) => format!("{} later", rest.trim()),
        Some(("-", rest)) => format!("{} earlier", rest.trim()),
        _ => shift.to_string(),
    }
}
