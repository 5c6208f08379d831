//! Fully resolved write operations: what approval tokens carry and what executes.
//!
//! An [`Operation`] holds ids and instants only — no phrases, nothing left to interpret — so an
//! approved operation executes exactly what was previewed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::priority::Priority;
use crate::domain::timezone::TimeZone;
use crate::envelope::{self, ProviderTag};
use crate::tools::present::{event_json, human_time, task_json};
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{
    Clients, EventCategory, EventUpdate, Invitee, NewEvent, NewTask, TaskPatch, Timespan,
    UpstreamError,
};

/// An existing item, by id, with its title for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRef {
    pub id: String,
    pub title: String,
}

/// A task to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDraft {
    pub title: String,
    #[serde(default)]
    pub notes: String,
    pub due: Option<DateTime<Utc>>,
    pub time_chunks_required: u32,
    pub min_chunk_size: u32,
    pub max_chunk_size: u32,
    pub priority: Priority,
    pub personal: bool,
    pub snooze_until: Option<DateTime<Utc>>,
}

/// Field changes of a task update (only `Some` fields change).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub notes: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub priority: Option<Priority>,
    pub time_chunks_required: Option<u32>,
    pub snooze_until: Option<DateTime<Utc>>,
}

impl TaskChanges {
    pub fn is_empty(&self) -> bool {
        self == &TaskChanges::default()
    }
}

/// An invitee: a real email address, and the name if known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteeSpec {
    pub email: String,
    pub name: Option<String>,
}

/// An event to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDraft {
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub timezone: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub invitees: Vec<InviteeSpec>,
    pub busy: bool,
}

/// Field changes of an event update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventChanges {
    pub title: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub timezone: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    /// The full new invitee list, when invitees change.
    pub invitees: Option<Vec<InviteeSpec>>,
}

impl EventChanges {
    pub fn is_empty(&self) -> bool {
        self == &EventChanges::default()
    }
}

/// Every write `manage_productivity` can perform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    CreateTask {
        task: TaskDraft,
    },
    UpdateTask {
        task: ItemRef,
        changes: TaskChanges,
    },
    CompleteTasks {
        tasks: Vec<ItemRef>,
    },
    DeleteTasks {
        tasks: Vec<ItemRef>,
    },
    AddTime {
        task: ItemRef,
        minutes: u32,
    },
    LogWork {
        task: ItemRef,
        minutes: u32,
    },
    CreateEvent {
        event: EventDraft,
        calendar_id: String,
        notify: bool,
        note: Option<String>,
        #[serde(default)]
        unresolved_participants: Vec<String>,
    },
    UpdateEvent {
        event: ItemRef,
        calendar_id: String,
        changes: EventChanges,
        notify: bool,
    },
    CancelEvents {
        events: Vec<ItemRef>,
        calendar_id: String,
        notify: bool,
    },
}

/// Executes an operation and answers the success/error envelope.
pub async fn execute(op: &Operation, call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let tz = call.user.tz();
    let err = |e: UpstreamError| e.to_envelope(&call.credentials);
    match op {
        Operation::CreateTask { task } => {
            let reclaim = match clients.reclaim() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let new = NewTask {
                title: task.title.clone(),
                notes: task.notes.clone(),
                due: task.due,
                time_chunks_required: task.time_chunks_required,
                min_chunk_size: task.min_chunk_size,
                max_chunk_size: task.max_chunk_size,
                priority: task.priority,
                event_category: if task.personal {
                    EventCategory::Personal
                } else {
                    EventCategory::Work
                },
                snooze_until: task.snooze_until,
                always_private: false,
                time_scheme_id: None,
            };
            match reclaim.create_task(&new).await {
                Ok(created) => {
                    let due = created
                        .due
                        .map(|d| format!(", due {}", human_time(d, tz)))
                        .unwrap_or_default();
                    envelope::success(
                        ProviderTag::Reclaim,
                        "created",
                        task_json(&created, tz),
                        format!(
                            "Created task '{}' ({}{due}).",
                            created.title, created.priority
                        ),
                    )
                }
                Err(e) => create_failed(e, &call.credentials, "task", "your Reclaim tasks"),
            }
        }
        Operation::UpdateTask { task, changes } => {
            let reclaim = match clients.reclaim() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let Some(id) = parse_task_id(&task.id) else {
                return bad_id(&task.id);
            };
            let patch = TaskPatch {
                title: changes.title.clone(),
                notes: changes.notes.clone(),
                due: changes.due,
                priority: changes.priority,
                time_chunks_required: changes.time_chunks_required,
                snooze_until: changes.snooze_until,
                ..TaskPatch::default()
            };
            match reclaim.patch_task(id, &patch).await {
                Ok(updated) => {
                    let fields = crate::upstream::reclaim::patched_fields(&patch).join(", ");
                    envelope::success(
                        ProviderTag::Reclaim,
                        "updated",
                        task_json(&updated, tz),
                        format!("Updated task '{}' ({fields}).", updated.title),
                    )
                }
                Err(e) => err(e),
            }
        }
        Operation::CompleteTasks { tasks } | Operation::DeleteTasks { tasks } => {
            let complete = matches!(op, Operation::CompleteTasks { .. });
            let reclaim = match clients.reclaim() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let mut done = vec![];
            let mut failed = vec![];
            for t in tasks {
                let Some(id) = parse_task_id(&t.id) else {
                    failed.push(json!({"id": t.id, "title": t.title, "error": format!("'{}' is not a Reclaim task id", t.id)}));
                    continue;
                };
                let result = if complete {
                    reclaim.mark_done(id).await.map(|_| ())
                } else {
                    reclaim.delete_task(id).await
                };
                match result {
                    Ok(()) => done.push(json!({"id": t.id, "title": t.title})),
                    // Rejected credentials before anything was written: nothing to report per item.
                    Err(e) if e.is_unauthorized() && done.is_empty() => return err(e),
                    Err(e) => {
                        failed.push(json!({"id": t.id, "title": t.title, "error": e.to_string()}))
                    }
                }
            }
            let verb = if complete { "completed" } else { "deleted" };
            bulk_or_single(ProviderTag::Reclaim, verb, "task", tasks, done, failed)
        }
        Operation::AddTime { task, minutes } | Operation::LogWork { task, minutes } => {
            let add = matches!(op, Operation::AddTime { .. });
            let reclaim = match clients.reclaim() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let Some(id) = parse_task_id(&task.id) else {
                return bad_id(&task.id);
            };
            let result = if add {
                reclaim.add_time(id, *minutes).await
            } else {
                reclaim.log_work(id, *minutes, None).await
            };
            match result {
                Ok(r) => {
                    let data = r
                        .task
                        .as_ref()
                        .map(|t| task_json(t, tz))
                        .unwrap_or_else(|| json!({"id": task.id, "title": task.title}));
                    let (action, msg) = if add {
                        (
                            "time_added",
                            format!("Added {minutes} minutes to '{}'.", task.title),
                        )
                    } else {
                        (
                            "work_logged",
                            format!("Logged {minutes} minutes of work on '{}'.", task.title),
                        )
                    };
                    let mut env = envelope::success(ProviderTag::Reclaim, action, data, msg);
                    if let Some(m) = r.user_info_message {
                        env["reclaim_message"] = json!(m);
                    }
                    env
                }
                Err(e) => err(e),
            }
        }
        Operation::CreateEvent {
            event,
            calendar_id,
            notify,
            note,
            unresolved_participants,
        } => {
            let nylas = match clients.nylas() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let when = match timespan(event.start, event.end, &event.timezone) {
                Ok(w) => w,
                Err(e) => return envelope::business_error(Some(ProviderTag::Nylas), e),
            };
            let mut new = NewEvent::new(event.title.clone(), when);
            new.location = event.location.clone();
            new.description = event.description.clone();
            new.busy = event.busy;
            new.participants = invitees(&event.invitees);
            match nylas
                .create_event(calendar_id, &new, *notify && !event.invitees.is_empty())
                .await
            {
                Ok(created) => {
                    let who = if event.invitees.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " and invited {}",
                            event
                                .invitees
                                .iter()
                                .map(|i| i.email.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    let mut msg = format!(
                        "Scheduled '{}' for {}{who}.",
                        created.title,
                        human_time(event.start, tz)
                    );
                    if let Some(n) = note {
                        msg = format!("{n} {msg}");
                    }
                    if !unresolved_participants.is_empty() {
                        msg.push_str(&format!(
                            " Not invited (no email address): {}.",
                            unresolved_participants.join(", ")
                        ));
                    }
                    let mut data = event_json(&created, tz);
                    data["unresolved_participants"] = json!(unresolved_participants);
                    envelope::success(ProviderTag::Nylas, "created", data, msg)
                }
                Err(e) => create_failed(e, &call.credentials, "event", "your calendar"),
            }
        }
        Operation::UpdateEvent {
            event,
            calendar_id,
            changes,
            notify,
        } => {
            let nylas = match clients.nylas() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let when = match (changes.start, changes.end) {
                (Some(s), Some(e)) => {
                    match timespan(s, e, changes.timezone.as_deref().unwrap_or(tz.name())) {
                        Ok(w) => Some(w),
                        Err(e) => return envelope::business_error(Some(ProviderTag::Nylas), e),
                    }
                }
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
            match nylas
                .update_event(&event.id, calendar_id, &update, *notify)
                .await
            {
                Ok(updated) => {
                    // Verify that the stored times are the requested ones.
                    if let (Some(s), Some(e)) = (changes.start, changes.end) {
                        if updated.start_end_in(tz) != Some((s, e)) {
                            return envelope::business_error(
                                Some(ProviderTag::Nylas),
                                format!("Nylas accepted the change to '{}' but stored different times; please check the event.", event.title),
                            );
                        }
                    }
                    let msg = match changes.start {
                        Some(s) => format!("Moved '{}' to {}.", updated.title, human_time(s, tz)),
                        None => format!("Updated '{}'.", updated.title),
                    };
                    envelope::success(ProviderTag::Nylas, "updated", event_json(&updated, tz), msg)
                }
                Err(e) => err(e),
            }
        }
        Operation::CancelEvents {
            events,
            calendar_id,
            notify,
        } => {
            let nylas = match clients.nylas() {
                Ok(c) => c,
                Err(e) => return e,
            };
            let mut done = vec![];
            let mut failed = vec![];
            for ev in events {
                match nylas.delete_event(&ev.id, calendar_id, *notify).await {
                    Ok(()) => done.push(json!({"id": ev.id, "title": ev.title})),
                    Err(e) if e.is_unauthorized() && done.is_empty() => return err(e),
                    Err(e) => {
                        failed.push(json!({"id": ev.id, "title": ev.title, "error": e.to_string()}))
                    }
                }
            }
            bulk_or_single(
                ProviderTag::Nylas,
                "cancelled",
                "event",
                events,
                done,
                failed,
            )
        }
    }
}

fn parse_task_id(id: &str) -> Option<i64> {
    id.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

fn bad_id(id: &str) -> Value {
    envelope::business_error(
        Some(ProviderTag::Reclaim),
        format!(
            "'{}' is not a Reclaim task id.",
            id.chars().take(40).collect::<String>()
        ),
    )
}

fn timespan(start: DateTime<Utc>, end: DateTime<Utc>, zone: &str) -> Result<Timespan, String> {
    let tz = TimeZone::parse(zone).unwrap_or_default();
    Timespan::new(start, end, tz)
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
) -> Value {
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

/// One item → the plain action; several → `bulk_<action>` with `{completed|…, failed}`.
fn bulk_or_single(
    provider: ProviderTag,
    verb: &str,
    noun: &str,
    items: &[ItemRef],
    done: Vec<Value>,
    failed: Vec<Value>,
) -> Value {
    if items.len() == 1 {
        return match failed.first() {
            None => envelope::success(
                provider,
                verb,
                done[0].clone(),
                format!("{} {noun} '{}'.", capitalize(verb), items[0].title),
            ),
            Some(f) => envelope::business_error(
                Some(provider),
                format!(
                    "Could not {} '{}': {}",
                    verb_base(verb),
                    items[0].title,
                    f["error"].as_str().unwrap_or("unknown error")
                ),
            ),
        };
    }
    let message = if failed.is_empty() {
        format!("{} {} {noun}s.", capitalize(verb), done.len())
    } else {
        format!(
            "{} {} of {} {noun}s; {} failed.",
            capitalize(verb),
            done.len(),
            items.len(),
            failed.len()
        )
    };
    let mut env = envelope::success(
        provider,
        &format!("bulk_{}", verb_base(verb)),
        json!({verb: done, "failed": failed}),
        message,
    );
    if env["data"]["failed"]
        .as_array()
        .is_some_and(|f| !f.is_empty())
        && env["data"][verb].as_array().is_some_and(|d| d.is_empty())
    {
        env["success"] = json!(false);
        env["error"] = json!(format!("No {noun} could be {verb}."));
    }
    env
}

fn verb_base(verb: &str) -> &str {
    match verb {
        "completed" => "complete",
        "deleted" => "delete",
        "cancelled" => "cancel",
        other => other,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_round_trip_through_json() {
        let op = Operation::CompleteTasks {
            tasks: vec![ItemRef {
                id: "1".into(),
                title: "A".into(),
            }],
        };
        let v = serde_json::to_value(&op).unwrap();
        assert_eq!(v["op"], "complete_tasks");
        assert_eq!(serde_json::from_value::<Operation>(v).unwrap(), op);
    }

    #[test]
    fn bulk_reports_completed_and_failed() {
        let items = vec![
            ItemRef {
                id: "1".into(),
                title: "A".into(),
            },
            ItemRef {
                id: "2".into(),
                title: "B".into(),
            },
        ];
        let env = bulk_or_single(
            ProviderTag::Reclaim,
            "completed",
            "task",
            &items,
            vec![json!({"id": "1"})],
            vec![json!({"id": "2", "error": "x"})],
        );
        assert_eq!(env["action"], "bulk_complete");
        assert_eq!(env["data"]["completed"].as_array().unwrap().len(), 1);
        assert_eq!(env["data"]["failed"].as_array().unwrap().len(), 1);
        assert_eq!(env["success"], true);
    }

    #[test]
    fn single_failure_is_an_error() {
        let items = vec![ItemRef {
            id: "1".into(),
            title: "A".into(),
        }];
        let env = bulk_or_single(
            ProviderTag::Reclaim,
            "deleted",
            "task",
            &items,
            vec![],
            vec![json!({"id": "1", "error": "gone"})],
        );
        assert_eq!(env["success"], false);
        assert!(env["error"].as_str().unwrap().contains("delete 'A'"));
    }
}
