//! Change one event (move, rename, relocate, invite), verifying the stored times.

use super::{update_of, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::{EventChanges, ItemRef};
use crate::tools::present::{event_json, human_time};
use crate::tools::ToolCall;
use crate::upstream::Clients;

pub(super) async fn run(
    event: &ItemRef,
    calendar_id: &str,
    changes: &EventChanges,
    notify: bool,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let update = update_of(changes, tz.name())?;
    let updated = nylas
        .update_event(&event.id, calendar_id, &update, notify)
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    // Verify that the stored times are the requested ones.
    if let (Some(s), Some(e)) = (changes.start, changes.end) {
        if updated.start_end_in(tz) != Some((s, e)) {
            return Err(envelope::business_error(
                Some(ProviderTag::Nylas),
                format!("Nylas accepted the change to '{}' but stored different times; please check the event.", event.title),
            ));
        }
    }
    let msg = match changes.start {
        Some(s) => format!("Moved '{}' to {}.", updated.title, human_time(s, tz)),
        None => format!("Updated '{}'.", updated.title),
    };
    Ok(envelope::success(
        ProviderTag::Nylas,
        "updated",
        event_json(&updated, tz),
        msg,
    ))
}
