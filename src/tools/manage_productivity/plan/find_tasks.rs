//! Finding the task(s) a request refers to.

use super::references::{clarify, item_id, time_hint_window, title_hint, Found};
use super::{clip, Answer};
use crate::domain::item_match::{self, MatchOutcome};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::manage_productivity::operation::ItemRef;
use crate::tools::present::fmt_time;
use crate::tools::ToolCall;
use crate::upstream::{ReclaimClient, ReclaimTask};

/// The task(s) a request refers to: by `item_id` (one GET) or by title/time hints over the
/// open tasks (one list).
pub(super) async fn find_tasks(
    req: &ManageRequest,
    reclaim: &ReclaimClient<'_>,
    call: &ToolCall,
    all: bool,
) -> Result<Found<ReclaimTask>, Answer> {
    if let Some(id) = item_id(req) {
        return task_by_id(id, req, reclaim, call).await.map(Found::One);
    }
    let hint = title_hint(req).ok_or_else(|| {
        envelope::business_error(
            Some(ProviderTag::Reclaim),
            "Which task? Give its title (or item_id).",
        )
    })?;
    let mut tasks = list_open_tasks(reclaim, call).await?;
    if let Some(window) = time_hint_window(req, call)? {
        tasks.retain(|t| t.due.is_some_and(|d| window.0 <= d && d < window.1));
    }
    let titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
    match item_match::select(&hint, &titles, all) {
        MatchOutcome::None => Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!(
                "No open task matches '{}' (searched {} open tasks).",
                clip(&hint),
                tasks.len()
            ),
        )),
        MatchOutcome::One(i) => Ok(Found::One(tasks.swap_remove(i))),
        MatchOutcome::Many(idx) => Ok(Found::Many(
            idx.into_iter().map(|i| tasks[i].clone()).collect(),
        )),
    }
}

/// The one task a request refers to; several matches answer a clarification.
pub(super) async fn find_one_task(
    req: &ManageRequest,
    reclaim: &ReclaimClient<'_>,
    call: &ToolCall,
) -> Result<ReclaimTask, Answer> {
    match find_tasks(req, reclaim, call, false).await? {
        Found::One(t) => Ok(t),
        Found::Many(ts) => Err(clarify_tasks(&ts, call)),
    }
}

async fn task_by_id(
    id: &str,
    req: &ManageRequest,
    reclaim: &ReclaimClient<'_>,
    call: &ToolCall,
) -> Result<ReclaimTask, Answer> {
    let Some(n) = id.parse::<i64>().ok().filter(|n| *n > 0) else {
        return Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!("'{}' is not a Reclaim task id.", clip(id)),
        ));
    };
    match reclaim.get_task(n).await {
        Ok(t) if t.is_open() || matches!(req.action, Some(ManageAction::DeleteTask)) => Ok(t),
        Ok(t) => Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!("Task '{}' is already finished.", t.title),
        )),
        Err(e) if e.is_not_found() => Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!("No task with id {n} was found."),
        )),
        Err(e) => Err(e.to_envelope(&call.credentials)),
    }
}

pub(super) async fn list_open_tasks(
    reclaim: &ReclaimClient<'_>,
    call: &ToolCall,
) -> Result<Vec<ReclaimTask>, Answer> {
    let tasks = reclaim
        .list_tasks()
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    Ok(tasks.into_iter().filter(ReclaimTask::is_open).collect())
}

pub(super) fn clarify_tasks(tasks: &[ReclaimTask], call: &ToolCall) -> Answer {
    let tz = call.user.tz();
    clarify(
        "task",
        tasks
            .iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    t.title.as_str(),
                    t.due.map(|d| fmt_time(d, tz)),
                )
            })
            .collect(),
    )
}

pub(super) fn task_ref(task: &ReclaimTask) -> ItemRef {
    ItemRef {
        id: task.id.to_string(),
        title: task.title.clone(),
    }
}
