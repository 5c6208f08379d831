//! Create one Reclaim task.

use super::{create_failed, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::TaskDraft;
use crate::tools::present::{human_time, task_json};
use crate::tools::ToolCall;
use crate::upstream::{Clients, EventCategory, NewTask};

pub(super) async fn run(
    task: &TaskDraft,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let reclaim = clients.reclaim()?;
    let tz = call.user.tz();
    let created = reclaim
        .create_task(&new_task(task))
        .await
        .map_err(|e| create_failed(e, &call.credentials, "task", "your Reclaim tasks"))?;
    let due = created
        .due
        .map(|d| format!(", due {}", human_time(d, tz)))
        .unwrap_or_default();
    Ok(envelope::success(
        ProviderTag::Reclaim,
        "created",
        task_json(&created, tz),
        format!(
            "Created task '{}' ({}{due}).",
            created.title, created.priority
        ),
    ))
}

fn new_task(task: &TaskDraft) -> NewTask {
    NewTask {
        title: task.title.clone(),
        notes: task.notes.clone(),
        due: task.due,
        time_chunks_required: task.time_chunks_required,
        min_chunk_size: task.min_chunk_size,
        max_chunk_size: task.max_chunk_size,
        priority: task.priority,
        event_category: if task.personal {
            EventCategory::Personal
        } else {
            EventCategory::Work
        },
        snooze_until: task.snooze_until,
        always_private: false,
        time_scheme_id: None,
    }
}
