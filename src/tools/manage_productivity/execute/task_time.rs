//! Add planned time to, or log work on, one Reclaim task.

use serde_json::json;

use super::{bad_id, parse_task_id, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::ItemRef;
use crate::tools::present::task_json;
use crate::tools::ToolCall;
use crate::upstream::Clients;

#[derive(Clone, Copy)]
pub(super) enum TimeKind {
    Add,
    Log,
}

pub(super) async fn run(
    kind: TimeKind,
    task: &ItemRef,
    minutes: u32,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let reclaim = clients.reclaim()?;
    let id = parse_task_id(&task.id).ok_or_else(|| bad_id(&task.id))?;
    let result = match kind {
        TimeKind::Add => reclaim.add_time(id, minutes).await,
        TimeKind::Log => reclaim.log_work(id, minutes, None).await,
    }
    .map_err(|e| e.to_envelope(&call.credentials))?;
    let data = result
        .task
        .as_ref()
        .map(|t| task_json(t, call.user.tz()))
        .unwrap_or_else(|| json!({"id": task.id, "title": task.title}));
    let (action, msg) = match kind {
        TimeKind::Add => (
            "time_added",
            format!("Added {minutes} minutes to '{}'.", task.title),
        ),
        TimeKind::Log => (
            "work_logged",
            format!("Logged {minutes} minutes of work on '{}'.", task.title),
        ),
    };
    let mut answer = envelope::success(ProviderTag::Reclaim, action, data, msg);
    if let Some(m) = result.user_info_message {
        answer["reclaim_message"] = json!(m);
    }
    Ok(answer)
}
