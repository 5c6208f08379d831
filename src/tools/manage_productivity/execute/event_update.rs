//! Change one event (move, rename, relocate, invite), verifying the stored times.

use super::{invitees, timespan, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::{EventChanges, ItemRef};
use crate::tools::present::{event_json, human_time};
use crate::tools::ToolCall;
use crate::upstream::{Clients, EventUpdate};

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
    let when = match (changes.start, changes.end) {
        (Some(s), Some(e)) => Some(timespan(
            s,
            e,
            changes.timezone.as_deref().unwrap_or(tz.name()),
        )?),
        _ => None,
    };
    let update = EventUpdate {
        title: changes.title.clone(),
        when,
        description: changes.description.clone(),
        location: changes.location.clone(),
        participants: changes.invitees.as_ref().map(|i| invitees(i)),
        busy: None,
    };
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
