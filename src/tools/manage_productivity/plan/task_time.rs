//! Add planned time to, or log work on, one task.

use super::fields::{bounded_minutes, duration_minutes};
use super::find_tasks::{find_one_task, task_ref};
use super::Answer;
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::Clients;

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let minutes = minutes(req)?;
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let task = task_ref(&find_one_task(req, &reclaim, call).await?);
    let op = if req.action == Some(ManageAction::AddTime) {
        Operation::AddTime { task, minutes }
    } else {
        Operation::LogWork { task, minutes }
    };
    Ok(execute(&op, call, env).await)
}

fn minutes(req: &ManageRequest) -> Result<u32, Answer> {
    match req.minutes {
        Some(m) => bounded_minutes(m),
        None => duration_minutes(req)?.ok_or_else(|| {
            envelope::business_error(
                Some(ProviderTag::Reclaim),
                "How many minutes? E.g. 'add 30 minutes to the report task'.",
            )
        }),
    }
}
