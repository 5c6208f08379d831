//! Create a task; a similar open task asks for approval first.

use serde_json::{json, Value};

use super::fields::{self, duration_minutes, personal_category, priority, required_title};
use super::find_tasks::list_open_tasks;
use super::{with_warnings, Answer};
use crate::domain::duplicates::find_duplicate_task;
use crate::domain::duration::chunk_plan;
use crate::interpret::manage::ManageRequest;
use crate::tools::approval_flow;
use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::{Operation, TaskDraft};
use crate::tools::present::{fmt_time, task_item, task_json};
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::Clients;

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let title = required_title(req, "task")?;
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let mut notes = vec![];
    let draft = draft(req, title.clone(), call, &mut notes)?;
    let tasks = list_open_tasks(&reclaim, call).await?;
    let items: Vec<_> = tasks.iter().map(task_item).collect();
    let preview = preview(&draft, call);
    let op = Operation::CreateTask { task: draft };
    let Some(existing) = find_duplicate_task(&title, &items) else {
        return Ok(with_warnings(execute(&op, call, env).await, &notes));
    };
    let existing_task = tasks.iter().find(|t| t.id.to_string() == existing.id);
    let answer = approval_flow::ask(
        call,
        env,
        "task_create_duplicate",
        &op,
        format!(
            "A similar open task already exists: '{}'. Create '{title}' anyway?",
            existing.title
        ),
        json!({"new_task": preview, "existing_task": existing_task.map(|t| task_json(t, call.user.tz()))}),
        vec!["This may create a duplicate task.".into()],
    );
    Ok(with_warnings(answer, &notes))
}

fn draft(
    req: &ManageRequest,
    title: String,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<TaskDraft, Answer> {
    let due = fields::due(req, call, notes)?;
    let snooze_until = fields::snooze_until(req, call, notes)?;
    let minutes = duration_minutes(req)?.unwrap_or(60);
    let chunks = chunk_plan(Some(minutes), None, None);
    Ok(TaskDraft {
        title,
        notes: req.notes.clone().unwrap_or_default(),
        due,
        time_chunks_required: chunks.time_chunks_required,
        min_chunk_size: chunks.min_chunk_size,
        max_chunk_size: chunks.max_chunk_size,
        priority: priority(req)?.unwrap_or_default(),
        personal: personal_category(req)?,
        snooze_until,
    })
}

fn preview(task: &TaskDraft, call: &ToolCall) -> Value {
    json!({
        "title": task.title,
        "due": task.due.map(|d| fmt_time(d, call.user.tz())),
        "priority": task.priority.as_str(),
        "duration_hours": task.time_chunks_required as f64 * 0.25,
        "category": if task.personal { "PERSONAL" } else { "WORK" },
    })
}
