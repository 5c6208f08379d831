//! Cancel (delete) one or several events.

use super::bulk::{for_each_item, report};
use super::Answer;
use crate::envelope::ProviderTag;
use crate::tools::manage_productivity::operation::ItemRef;
use crate::tools::ToolCall;
use crate::upstream::Clients;

pub(super) async fn run(
    events: &[ItemRef],
    calendar_id: &str,
    notify: bool,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let nylas = clients.nylas()?;
    let nylas = &nylas;
    let outcome = for_each_item(events, &call.credentials, |ev| async move {
        Ok(nylas.delete_event(&ev.id, calendar_id, notify).await?)
    })
    .await?;
    Ok(report(
        ProviderTag::Nylas,
        "cancelled",
        "event",
        events,
        outcome,
    ))
}
