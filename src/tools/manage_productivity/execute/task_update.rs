//! Change fields of one Reclaim task.

use super::{bad_id, parse_task_id, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::{ItemRef, TaskChanges};
use crate::tools::present::task_json;
use crate::tools::ToolCall;
use crate::upstream::reclaim::patched_fields;
use crate::upstream::{Clients, TaskPatch};

pub(super) async fn run(
    task: &ItemRef,
    changes: &TaskChanges,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let reclaim = clients.reclaim()?;
    let id = parse_task_id(&task.id).ok_or_else(|| bad_id(&task.id))?;
    let patch = TaskPatch {
        title: changes.title.clone(),
        notes: changes.notes.clone(),
        due: changes.due,
        priority: changes.priority,
        time_chunks_required: changes.time_chunks_required,
        snooze_until: changes.snooze_until,
        ..TaskPatch::default()
    };
    let updated = reclaim
        .patch_task(id, &patch)
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let fields = patched_fields(&patch).join(", ");
    Ok(envelope::success(
        ProviderTag::Reclaim,
        "updated",
        task_json(&updated, call.user.tz()),
        format!("Updated task '{}' ({fields}).", updated.title),
    ))
}
