//! Fully resolved write operations: what approval tokens carry and what executes.
//!
//! An [`Operation`] holds ids and instants only — no phrases, nothing left to interpret — so an
//! approved operation executes exactly what was previewed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::priority::Priority;
use crate::interpret::manage::SeriesScope;
use crate::upstream::AllDayDates;

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
    /// An all-day event on these local dates (`start`/`end` are then their local midnights,
    /// used only for the duplicate check and previews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_day: Option<AllDayDates>,
    /// `RRULE` / `EXDATE` lines of a series; empty for a single event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recurrence: Vec<String>,
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
    /// New `RRULE` / `EXDATE` lines of a series' master.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Vec<String>>,
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
    /// Change a recurring series from one occurrence on (`following`: the master is ended
    /// with `UNTIL` and `new_series` starts at the occurrence) or as a whole (`series`:
    /// `changes` apply to the master).
    UpdateSeries {
        series: ItemRef,
        calendar_id: String,
        scope: SeriesScope,
        changes: EventChanges,
        new_series: Option<EventDraft>,
        notify: bool,
        /// Occurrences changed; `None` when the series never ends.
        occurrences: Option<usize>,
    },
    /// Cancel a series from one occurrence on (`end_recurrence`: the master's recurrence
    /// ending before it) or as a whole (`end_recurrence` is `None`: the master is deleted).
    CancelSeries {
        series: ItemRef,
        calendar_id: String,
        scope: SeriesScope,
        end_recurrence: Option<Vec<String>>,
        notify: bool,
        occurrences: Option<usize>,
    },
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
}
