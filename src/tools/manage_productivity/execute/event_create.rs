//! Create one event (inviting its invitees when asked to notify).

use serde_json::json;

use super::{create_failed, invitees, timespan, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::EventDraft;
use crate::tools::present::{event_json, human_time};
use crate::tools::ToolCall;
use crate::upstream::{Clients, NewEvent};

/// What a create carries besides the event itself.
pub(super) struct Extras<'a> {
    pub notify: bool,
    /// Said before the confirmation (e.g. why the event was moved).
    pub note: Option<&'a str>,
    pub unresolved: &'a [String],
}

pub(super) async fn run(
    event: &EventDraft,
    calendar_id: &str,
    extras: Extras<'_>,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let mut new = NewEvent::new(
        event.title.clone(),
        timespan(event.start, event.end, &event.timezone)?,
    );
    new.location = event.location.clone();
    new.description = event.description.clone();
    new.busy = event.busy;
    new.participants = invitees(&event.invitees);
    let notify = extras.notify && !event.invitees.is_empty();
    let created = nylas
        .create_event(calendar_id, &new, notify)
        .await
        .map_err(|e| create_failed(e, &call.credentials, "event", "your calendar"))?;
    let mut msg = format!(
        "Scheduled '{}' for {}{}.",
        created.title,
        human_time(event.start, tz),
        invited_text(event)
    );
    if let Some(n) = extras.note {
        msg = format!("{n} {msg}");
    }
    if !extras.unresolved.is_empty() {
        msg.push_str(&format!(
            " Not invited (no email address): {}.",
            extras.unresolved.join(", ")
        ));
    }
    let mut data = event_json(&created, tz);
    data["unresolved_participants"] = json!(extras.unresolved);
    Ok(envelope::success(ProviderTag::Nylas, "created", data, msg))
}

fn invited_text(event: &EventDraft) -> String {
    if event.invitees.is_empty() {
        return String::new();
    }
    let emails: Vec<&str> = event.invitees.iter().map(|i| i.email.as_str()).collect();
    format!(" and invited {}", emails.join(", "))
}
