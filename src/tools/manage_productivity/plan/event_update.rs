//! Change one existing event (move, resize, rename, relocate, invite); an event with other
//! participants asks for approval first.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::event_create::times::end_after;
use super::fields::{dst_gap_note, duration_minutes};
use super::find_events::{calendar_of, event_ref, find_one_event};
use super::participants::participants;
use super::references::names_item;
use super::silence::execute_unannounced;
use super::{list_titles, time_error, with_warnings, Answer, Span};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::ManageRequest;
use crate::tools::approval_flow;
use crate::tools::manage_productivity::operation::{EventChanges, InviteeSpec, Operation};
use crate::tools::present::{calendar_item, event_json, fmt_time, human_time};
use crate::tools::time_reading::retime_phrase;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{Clients, NylasEvent};

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let event = find_one_event(req, &nylas, call).await?;
    let Some(orig) = event.start_end_in(call.user.tz()) else {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!(
                "'{}' has no start and end time that can be moved.",
                event.title
            ),
        ));
    };
    let people = participants(req, call);
    let mut notes: Vec<String> = people.dropped_note().into_iter().collect();
    let changes = changes(req, &event, orig, people.invitees, call, &mut notes)?;
    if changes.is_empty() {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("What should change on '{}'? Give a new time, date, duration, title, location or invitees.", event.title),
        ));
    }
    let item = calendar_item(&event, call.user.tz(), call.user.user_email.as_deref());
    let others = item.as_ref().is_some_and(|i| i.has_others()) || changes.invitees.is_some();
    let op = Operation::UpdateEvent {
        event: event_ref(&event),
        calendar_id: calendar_of(&event),
        changes: changes.clone(),
        notify: others,
    };
    if !others {
        return Ok(execute_unannounced(&op, &nylas, &event, notes, call, env).await);
    }
    let tz = call.user.tz();
    let notified: Vec<String> = item.map(|i| i.participant_emails).unwrap_or_default();
    let answer = approval_flow::ask(
        call,
        env,
        "event_update_with_participants",
        &op,
        notify_summary(&event, orig.0, &changes, &notified, tz),
        json!({"event": event_json(&event, tz), "changes": changes_preview(&changes, tz), "notified": notified, "unresolved_participants": people.unresolved}),
        vec!["Participants will be notified of the change.".into()],
    );
    Ok(with_warnings(answer, &notes))
}

/// The changes a request asks for; a new start inside a spring-forward gap is moved forward
/// and a note saying so is added to `notes`.
pub(super) fn changes(
    req: &ManageRequest,
    event: &NylasEvent,
    orig: Span,
    new_invitees: Vec<InviteeSpec>,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<EventChanges, Answer> {
    let mut changes = EventChanges::default();
    if let Some((start, end)) = new_times(req, orig, call, notes)? {
        changes.start = Some(start);
        changes.end = Some(end);
        changes.timezone = Some(
            event
                .timezone()
                .map(str::to_string)
                .unwrap_or_else(|| call.user.tz().name().to_string()),
        );
    }
    changes.title = req
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| names_item(req) && !t.is_empty() && *t != event.title)
        .map(str::to_string);
    changes.location = req.location.clone();
    changes.description = req.description.clone();
    changes.invitees = merged_invitees(event, new_invitees);
    Ok(changes)
}

/// The new span when the request moves or resizes the event (and it really changes).
fn new_times(
    req: &ManageRequest,
    (orig_start, orig_end): Span,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<Option<Span>, Answer> {
    let tz = call.user.tz();
    let new_start = match req.start.as_deref() {
        Some(p) => Some(
            retime_phrase(
                call,
                orig_start.with_timezone(&tz),
                p,
                req.start_iso.as_deref(),
                "start",
            )
            .map_err(|e| time_error("new time", &e))?,
        ),
        None => None,
    };
    notes.extend(new_start.as_ref().and_then(|m| dst_gap_note(m, "new time")));
    let start = new_start.map(|m| m.utc()).unwrap_or(orig_start);
    let end = match (req.end.as_deref(), duration_minutes(req)?) {
        (Some(p), _) => Some(end_after(
            start.with_timezone(&tz),
            p,
            req.end_iso.as_deref(),
            call,
        )?),
        (None, Some(m)) => Some(start + Duration::minutes(m as i64)),
        (None, None) => new_start.map(|_| start + (orig_end - orig_start)),
    };
    if new_start.is_none() && end.is_none() {
        return Ok(None);
    }
    let end = end.unwrap_or(orig_end);
    if end <= start {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "The event must end after it starts.",
        ));
    }
    Ok(((start, end) != (orig_start, orig_end)).then_some((start, end)))
}

/// The full invitee list when the request adds anyone: the current participants plus the
/// new addresses (no repeats).
fn merged_invitees(event: &NylasEvent, new: Vec<InviteeSpec>) -> Option<Vec<InviteeSpec>> {
    if new.is_empty() {
        return None;
    }
    let mut all: Vec<InviteeSpec> = event
        .participants
        .iter()
        .map(|p| InviteeSpec {
            email: p.email.clone(),
            name: p.name.clone(),
        })
        .collect();
    for i in new {
        if !all.iter().any(|a| a.email.eq_ignore_ascii_case(&i.email)) {
            all.push(i);
        }
    }
    Some(all)
}

fn notify_summary(
    event: &NylasEvent,
    orig_start: DateTime<Utc>,
    changes: &EventChanges,
    notified: &[String],
    tz: Tz,
) -> String {
    let who = list_titles(notified.iter().map(String::as_str));
    match changes.start {
        Some(s) => format!(
            "Move '{}' from {} to {} and notify {who}?",
            event.title,
            human_time(orig_start, tz),
            human_time(s, tz),
        ),
        None => format!("Update '{}' and notify {who}?", event.title),
    }
}

pub(super) fn changes_preview(c: &EventChanges, tz: Tz) -> Value {
    json!({
        "title": c.title,
        "start": c.start.map(|s| fmt_time(s, tz)),
        "end": c.end.map(|e| fmt_time(e, tz)),
        "location": c.location,
        "description": c.description,
        "invitees": c.invitees.as_ref().map(|i| i.iter().map(|p| p.email.clone()).collect::<Vec<_>>()),
    })
}
