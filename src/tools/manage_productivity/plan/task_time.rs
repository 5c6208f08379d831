//! Add planned time to, or log work on, one task.

use serde_json::json;

use super::fields::{bounded_minutes, duration_minutes};
use super::find_tasks::{find_one_task, task_ref};
use super::Answer;
use crate::domain::duration::{chunks_to_minutes, task_time_chunks};
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
    if req.action != Some(ManageAction::AddTime) {
        return Ok(execute(&Operation::LogWork { task, minutes }, call, env).await);
    }
    // Reclaim plans in 15-minute chunks: add whole chunks, and say so when that rounds.
    let rounded = chunks_to_minutes(task_time_chunks(minutes));
    let op = Operation::AddTime {
        task,
        minutes: rounded,
    };
    let mut answer = execute(&op, call, env).await;
    if rounded != minutes && answer["success"] == true {
        let note = format!(
            "Rounded {minutes} minutes up to {rounded}: Reclaim plans time in 15-minute blocks."
        );
        if let Some(m) = answer["message"].as_str() {
            answer["message"] = json!(format!("{m} {note}"));
        }
        answer["warnings"] = json!([note]);
    }
    Ok(answer)
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
