//! Complete or delete tasks; several at once ask for approval.

use serde_json::json;

use super::find_tasks::{clarify_tasks, find_tasks, task_ref};
use super::references::{all_matching, Found};
use super::Answer;
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::approval_flow;
use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::{ItemRef, Operation};
use crate::tools::present::task_json;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::Clients;

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let complete = req.action == Some(ManageAction::CompleteTask);
    let all = all_matching(req);
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let tasks = match find_tasks(req, &reclaim, call, all).await? {
        Found::One(t) => vec![t],
        Found::Many(ts) if all => ts,
        Found::Many(ts) => return Err(clarify_tasks(&ts, call)),
    };
    let refs: Vec<ItemRef> = tasks.iter().map(task_ref).collect();
    let op = if complete {
        Operation::CompleteTasks { tasks: refs }
    } else {
        Operation::DeleteTasks { tasks: refs }
    };
    if tasks.len() == 1 {
        return Ok(execute(&op, call, env).await);
    }
    let (action_type, verb, risks) = if complete {
        ("bulk_complete", "Complete", vec![])
    } else {
        (
            "bulk_delete",
            "Delete",
            vec!["Deleted tasks cannot be recovered from here.".into()],
        )
    };
    let tz = call.user.tz();
    Ok(approval_flow::ask(
        call,
        env,
        action_type,
        &op,
        format!("{verb} {} tasks?", tasks.len()),
        json!({"tasks": tasks.iter().map(|t| task_json(t, tz)).collect::<Vec<_>>(), "count": tasks.len()}),
        risks,
    ))
}
