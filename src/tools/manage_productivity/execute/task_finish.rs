//! Complete or delete one or several Reclaim tasks.

use super::bulk::{for_each_item, report, ItemError};
use super::{parse_task_id, Answer};
use crate::envelope::ProviderTag;
use crate::tools::manage_productivity::operation::ItemRef;
use crate::tools::ToolCall;
use crate::upstream::Clients;

#[derive(Clone, Copy)]
pub(super) enum Finish {
    Complete,
    Delete,
}

pub(super) async fn run(
    finish: Finish,
    tasks: &[ItemRef],
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let reclaim = clients.reclaim()?;
    let reclaim = &reclaim;
    let outcome = for_each_item(tasks, &call.credentials, |t| async move {
        let id = parse_task_id(&t.id)
            .ok_or_else(|| ItemError::Invalid(format!("'{}' is not a Reclaim task id", t.id)))?;
        match finish {
            Finish::Complete => reclaim.mark_done(id).await.map(|_| ())?,
            Finish::Delete => reclaim.delete_task(id).await?,
        }
        Ok(())
    })
    .await?;
    let verb = match finish {
        Finish::Complete => "completed",
        Finish::Delete => "deleted",
    };
    Ok(report(ProviderTag::Reclaim, verb, "task", tasks, outcome))
}
