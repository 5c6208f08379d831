//! Executes a resolved [`Operation`] and answers the success/error envelope: one file per
//! operation (or family), shared upstream glue here.

mod bulk;
mod event_cancel;
mod event_create;
mod event_update;
mod task_create;
mod task_finish;
mod task_time;
mod task_update;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::operation::{InviteeSpec, Operation};
use crate::domain::timezone::TimeZone;
use crate::envelope::{self, ProviderTag};
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{Clients, Invitee, Timespan, UpstreamError};

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
