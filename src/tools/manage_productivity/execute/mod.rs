//! Executes a resolved [`Operation`] and answers the success/error envelope: one file per
//! operation (or family), shared upstream glue here.

mod bulk;
mod event_cancel;
mod event_create;
mod event_update;
mod series_cancel;
mod series_update;
mod task_create;
mod task_finish;
mod task_time;
mod task_update;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::operation::{EventChanges, EventDraft, InviteeSpec, Operation};
use crate::domain::timezone::TimeZone;
use crate::envelope::{self, ProviderTag};
use crate::tools::{present, ToolCall, ToolEnv};
use crate::upstream::{Clients, EventUpdate, Invitee, NewEvent, Timespan, UpstreamError};

/// An answer envelope; `Err` carries an early (error) answer.
type Answer = Value;

/// Executes an operation and answers the success/error envelope.
pub async fn execute(op: &Operation, call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let result = match op {
        Operation::CreateTask { task } => task_create::run(task, &clients, call).await,
        Operation::UpdateTask { task, changes } => {
            task_update::run(task, changes, &clients, call).await
        }
        Operation::CompleteTasks { tasks } => {
            task_finish::run(task_finish::Finish::Complete, tasks, &clients, call).await
        }
        Operation::DeleteTasks { tasks } => {
            task_finish::run(task_finish::Finish::Delete, tasks, &clients, call).await
        }
        Operation::AddTime { task, minutes } => {
            task_time::run(task_time::TimeKind::Add, task, *minutes, &clients, call).await
        }
        Operation::LogWork { task, minutes } => {
            task_time::run(task_time::TimeKind::Log, task, *minutes, &clients, call).await
        }
        Operation::CreateEvent {
            event,
            calendar_id,
            notify,
            note,
            unresolved_participants,
        } => {
            let extras = event_create::Extras {
                notify: *notify,
                note: note.as_deref(),
                unresolved: unresolved_participants,
            };
            event_create::run(event, calendar_id, extras, &clients, call).await
        }
        Operation::UpdateEvent {
            event,
            calendar_id,
            changes,
            notify,
        } => event_update::run(event, calendar_id, changes, *notify, &clients, call).await,
        Operation::CancelEvents {
            events,
            calendar_id,
            notify,
        } => event_cancel::run(events, calendar_id, *notify, &clients, call).await,
        Operation::UpdateSeries { .. } => series_update::run(op, &clients, call).await,
        Operation::CancelSeries { .. } => series_cancel::run(op, &clients, call).await,
    };
    result.unwrap_or_else(|answer| answer)
}

fn parse_task_id(id: &str) -> Option<i64> {
    id.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

fn bad_id(id: &str) -> Answer {
    envelope::business_error(
        Some(ProviderTag::Reclaim),
        format!(
            "'{}' is not a Reclaim task id.",
            id.chars().take(40).collect::<String>()
        ),
    )
}

fn timespan(start: DateTime<Utc>, end: DateTime<Utc>, zone: &str) -> Result<Timespan, Answer> {
    let tz = TimeZone::parse(zone).unwrap_or_default();
    Timespan::new(start, end, tz).map_err(|e| envelope::business_error(Some(ProviderTag::Nylas), e))
}

/// "3 occurrences", "every occurrence, with no end date" (inside the message's parentheses).
fn occurrences_text(occurrences: Option<usize>) -> String {
    occurrences.map_or_else(
        || "every occurrence, with no end date".to_string(),
        present::occurrence_count,
    )
}

/// The Nylas update for `changes` (a new span in `changes.timezone`, else `default_zone`).
fn update_of(changes: &EventChanges, default_zone: &str) -> Result<EventUpdate, Answer> {
    let when = match (changes.start, changes.end) {
        (Some(s), Some(e)) => Some(timespan(
            s,
            e,
            changes.timezone.as_deref().unwrap_or(default_zone),
        )?),
        _ => None,
    };
    Ok(EventUpdate {
        title: changes.title.clone(),
        when,
        description: changes.description.clone(),
        location: changes.location.clone(),
        participants: changes.invitees.as_ref().map(|i| invitees(i)),
        busy: None,
        recurrence: changes.recurrence.clone(),
    })
}

/// The Nylas create body for a draft (timed or all-day, single or a series).
fn new_event(draft: &EventDraft) -> Result<NewEvent, Answer> {
    let mut new = NewEvent::new(
        draft.title.clone(),
        timespan(draft.start, draft.end, &draft.timezone)?,
    );
    new.location = draft.location.clone();
    new.description = draft.description.clone();
    new.busy = draft.busy;
    new.participants = invitees(&draft.invitees);
    new.all_day = draft.all_day;
    new.recurrence = draft.recurrence.clone();
    Ok(new)
}

fn invitees(specs: &[InviteeSpec]) -> Vec<Invitee> {
    specs
        .iter()
        .map(|i| Invitee {
            email: i.email.clone(),
            name: i.name.clone(),
        })
        .collect()
}

/// The answer to a failed create. When the upstream may have applied it (timeout, 5xx,
/// unreadable answer: the create is not retried then), the user is told to check before
/// trying again — "please try again" alone would invite a duplicate.
fn create_failed(
    e: UpstreamError,
    credentials: &crate::credentials::Credentials,
    noun: &str,
    place: &str,
) -> Answer {
    use crate::ports::TransportError;
    use crate::upstream::UpstreamErrorKind as K;
    let maybe_applied = matches!(
        e.kind,
        K::Transport(TransportError::Timeout | TransportError::Other(_))
            | K::Unavailable { .. }
            | K::InvalidResponse(_)
    );
    let mut answer = e.to_envelope(credentials);
    if maybe_applied {
        if let Some(text) = answer["error"].as_str() {
            let text = text
                .replace(" Please try again shortly.", "")
                .replace(" Please try again.", "");
            answer["error"] = json!(format!(
                "{text} The {noun} may have been created anyway: check {place} before trying again."
            ));
            answer["outcome_unknown"] = json!(true);
        }
    }
    answer
}
