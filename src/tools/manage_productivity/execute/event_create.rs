//! Create one event (inviting its invitees when asked to notify).

use serde_json::json;

use super::{create_failed, new_event, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::EventDraft;
use crate::tools::present::{event_json, human_time, repeats};
use crate::tools::ToolCall;
use crate::upstream::Clients;

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
    let new = new_event(event)?;
    let notify = extras.notify && !event.invitees.is_empty();
    let created = nylas
        .create_event(calendar_id, &new, notify)
        .await
        .map_err(|e| create_failed(e, &call.credentials, "event", "your calendar"))?;
    let repeats = repeats(&event.recurrence, tz);
    let mut msg = format!(
        "Scheduled '{}' {}{}{}.",
        created.title,
        when_text(event, tz),
        repeats
            .as_deref()
            .map(|r| format!(", repeating {r}"))
            .unwrap_or_default(),
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
    if !event.recurrence.is_empty() {
        data["recurrence"] = json!(event.recurrence);
        data["repeats"] = json!(repeats);
    }
    if let Some(days) = event.all_day {
        data["all_day"] = json!({"first_day": days.first, "last_day": days.last});
    }
    Ok(envelope::success(ProviderTag::Nylas, "created", data, msg))
}

/// "for Tue Dec 1, 10:00 AM", "on Wed Mar 3" (all day), "from Tue Dec 22 to Sat Jan 2".
fn when_text(event: &EventDraft, tz: chrono_tz::Tz) -> String {
    let day = |d: chrono::NaiveDate| d.format("%a %b %-d").to_string();
    match event.all_day {
        Some(days) if days.last > days.first => {
            format!("from {} to {} (all day)", day(days.first), day(days.last))
        }
        Some(days) => format!("on {} (all day)", day(days.first)),
        None => format!("for {}", human_time(event.start, tz)),
    }
}

fn invited_text(event: &EventDraft) -> String {
    if event.invitees.is_empty() {
        return String::new();
    }
    let emails: Vec<&str> = event.invitees.iter().map(|i| i.email.as_str()).collect();
    format!(" and invited {}", emails.join(", "))
}
