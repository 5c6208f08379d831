//! Change fields of one existing task.

use super::fields::{duration_minutes, opt_moment, priority};
use super::find_tasks::{find_one_task, task_ref};
use super::references::names_item;
use super::Answer;
use crate::domain::duration::task_time_chunks;
use crate::domain::time::MomentRole;
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
    let changes = changes(req, &task, call)?;
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
    Ok(execute(&op, call, env).await)
}

fn changes(
    req: &ManageRequest,
    task: &ReclaimTask,
    call: &ToolCall,
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
        due: opt_moment(req.due.as_deref(), call, MomentRole::Due, "due date")?,
        priority: priority(req)?,
        time_chunks_required: duration_minutes(req)?.map(task_time_chunks),
        snooze_until: opt_moment(
            req.snooze_until.as_deref(),
            call,
            MomentRole::EventStart,
            "start date",
        )?,
    })
}
