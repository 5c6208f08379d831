//! Reading the user's tasks and events for the read tools: which providers are connected,
//! then one Reclaim task list and one Nylas events query for the whole window, concurrently.
//!
//! A request that wants both providers but has only one connected still runs with that one;
//! the missing credential keys are reported (`missing`) so the answer can say what to add.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::present::calendar_item;
use crate::credentials::Credentials;
use crate::domain::schedule_items::CalendarItem;
use crate::envelope::{self, ProviderTag};
use crate::upstream::{
    Clients, EventQuery, NylasClient, NylasEvent, ReclaimClient, ReclaimTask, UpstreamError,
};

/// The usable clients of a request, and what is missing for the wanted but unusable ones.
pub struct Connected<'a> {
    pub reclaim: Option<ReclaimClient<'a>>,
    pub nylas: Option<NylasClient<'a>>,
    pub missing: Vec<&'static str>,
    /// Read events from this calendar only (an id); `None`: every calendar that counts.
    pub calendar: Option<String>,
}

impl Connected<'_> {
    /// The provider tag of an answer built from the connected clients.
    pub fn provider(&self) -> ProviderTag {
        match (self.reclaim.is_some(), self.nylas.is_some()) {
            (true, true) => ProviderTag::Both,
            (false, true) => ProviderTag::Nylas,
            _ => ProviderTag::Reclaim,
        }
    }

    /// A sentence saying which wanted provider is missing, or `None`.
    pub fn missing_note(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if self.missing.contains(&crate::credentials::RECLAIM_API_KEY) {
            parts.push("Tasks need your Reclaim.ai API key (RECLAIM_API_KEY)".to_string());
        }
        let nylas: Vec<&str> = self
            .missing
            .iter()
            .copied()
            .filter(|k| *k != crate::credentials::RECLAIM_API_KEY)
            .collect();
        if !nylas.is_empty() {
            parts.push(format!(
                "Calendar events need your Nylas connection ({})",
                nylas.join(" and ")
            ));
        }
        Some(format!("{}.", parts.join("; ")))
    }
}

/// The clients for the wanted providers. `Err` is the `needs_setup` envelope when none of the
/// wanted providers is connected.
pub fn connect<'a>(
    clients: &Clients<'a>,
    want_tasks: bool,
    want_events: bool,
) -> Result<Connected<'a>, Value> {
    let creds = clients.credentials();
    let mut missing = Vec::new();
    let reclaim = if want_tasks {
        missing.extend(creds.missing_reclaim());
        clients.reclaim().ok()
    } else {
        None
    };
    let nylas = if want_events {
        missing.extend(creds.missing_nylas());
        clients.nylas().ok()
    } else {
        None
    };
    let connected = Connected {
        reclaim,
        nylas,
        missing,
        calendar: None,
    };
    if connected.reclaim.is_none() && connected.nylas.is_none() {
        let message = connected
            .missing_note()
            .unwrap_or_else(|| "Connect Reclaim.ai or Nylas first.".to_string());
        return Err(envelope::needs_setup(&connected.missing, message));
    }
    Ok(connected)
}

/// What one read brought back.
#[derive(Debug, Default)]
pub struct Loaded {
    pub tasks: Vec<ReclaimTask>,
    pub events: Vec<NylasEvent>,
    /// The events list stopped at its cap.
    pub truncated: bool,
    /// Reads that failed while the other provider's read succeeded (only [`load_partial`]
    /// returns any): `{"provider", "error" | "needs_setup" + "missing", "message"}`.
    pub failed: Vec<Value>,
}

impl Loaded {
    /// The tasks read (deleted ones left out) as domain items.
    pub fn task_items(&self) -> Vec<crate::domain::schedule_items::TaskItem> {
        self.tasks
            .iter()
            .filter(|t| !t.deleted)
            .map(super::present::task_item)
            .collect()
    }

    /// The provider tag of an answer: the connected providers that were really read.
    pub fn provider(&self, connected: &Connected<'_>) -> ProviderTag {
        let failed = |tag: ProviderTag| self.failed.iter().any(|f| f["provider"] == tag.as_str());
        match connected.provider() {
            ProviderTag::Both if failed(ProviderTag::Nylas) => ProviderTag::Reclaim,
            ProviderTag::Both if failed(ProviderTag::Reclaim) => ProviderTag::Nylas,
            tag => tag,
        }
    }

    /// Marks an answer built from a partial read: top-level `partial: true`, `failed` (which
    /// provider, and `needs_setup`/`missing` for that provider only) and `warnings`, the same
    /// in `data`, and the warnings appended to the message. Unchanged when nothing failed.
    pub fn mark_partial(&self, mut answer: Value) -> Value {
        if self.failed.is_empty() {
            return answer;
        }
        let notes = self.failure_notes();
        if let Some(m) = answer["message"].as_str() {
            answer["message"] = json!(format!("{m} {}", notes.join(" ")));
        }
        answer["partial"] = json!(true);
        answer["failed"] = json!(self.failed);
        answer["warnings"] = json!(notes);
        if answer["data"].is_object() {
            answer["data"]["partial"] = json!(true);
            answer["data"]["failed"] = json!(self.failed);
        }
        answer
    }

    /// One sentence per failed provider, e.g. "Nylas could not be read: ...".
    pub fn failure_notes(&self) -> Vec<String> {
        self.failed
            .iter()
            .map(|f| {
                let name = f["provider_name"].as_str().unwrap_or("A provider");
                let why = f["error"]
                    .as_str()
                    .or_else(|| f["message"].as_str())
                    .unwrap_or("it failed");
                format!("{name} could not be read, so its items are missing: {why}")
            })
            .collect()
    }
}

/// One task list (when Reclaim is connected and `tasks` is true) and one events query for
/// `window` (when Nylas is connected and a window is given), concurrently. Any failed read is
/// the answer (its error envelope).
pub async fn load(
    connected: &Connected<'_>,
    tasks: bool,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    credentials: &Credentials,
) -> Result<Loaded, Value> {
    read(connected, tasks, window, credentials, false).await
}

/// As [`load`], but when both providers are read and only one fails, the other's results are
/// kept and the failure is listed in [`Loaded::failed`] (find and workload answers).
pub async fn load_partial(
    connected: &Connected<'_>,
    tasks: bool,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    credentials: &Credentials,
) -> Result<Loaded, Value> {
    read(connected, tasks, window, credentials, true).await
}

async fn read(
    connected: &Connected<'_>,
    tasks: bool,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    credentials: &Credentials,
    partial: bool,
) -> Result<Loaded, Value> {
    let task_read = async {
        match (&connected.reclaim, tasks) {
            (Some(r), true) => r.list_tasks().await.map(Some),
            _ => Ok(None),
        }
    };
    let event_read = async {
        match (&connected.nylas, window) {
            (Some(n), Some((start, end))) => n
                .list_events_in(
                    connected.calendar.as_deref(),
                    &EventQuery::between(start, end),
                )
                .await
                .map(Some),
            _ => Ok(None),
        }
    };
    let (t, e) = futures::join!(task_read, event_read);
    let (t, e) = (
        t.map_err(|e| failure(&e, credentials)),
        e.map_err(|e| failure(&e, credentials)),
    );
    // One provider failing keeps the other's results when that one answered.
    let other_answered = |r: bool| r && partial;
    let mut failed = Vec::new();
    let tasks = match t {
        Ok(tasks) => tasks,
        Err(f) if other_answered(matches!(e, Ok(Some(_)))) => {
            failed.push(f);
            None
        }
        Err(f) => return Err(f["envelope"].clone()),
    };
    let page = match e {
        Ok(page) => page,
        Err(f) if other_answered(tasks.is_some()) => {
            failed.push(f);
            None
        }
        Err(f) => return Err(f["envelope"].clone()),
    };
    Ok(Loaded {
        tasks: tasks.unwrap_or_default(),
        truncated: page.as_ref().is_some_and(|p| p.truncated),
        events: page.map(|p| p.events).unwrap_or_default(),
        failed: failed.into_iter().map(|f| f["report"].clone()).collect(),
    })
}

/// A failed read: its error envelope (answered when nothing else was read) and its report
/// for a partial answer (naming the provider; `needs_setup` only for that provider).
fn failure(error: &UpstreamError, credentials: &Credentials) -> Value {
    let envelope = error.to_envelope(credentials);
    let mut report = json!({
        "provider": error.provider.tag().map(|t| t.as_str()),
        "provider_name": error.provider.name(),
    });
    for key in ["needs_setup", "missing", "message", "error"] {
        if let Some(v) = envelope.get(key) {
            report[key] = v.clone();
        }
    }
    json!({"envelope": envelope, "report": report})
}

/// Non-cancelled events with usable times, as domain items (the owner is left out of the
/// participants).
pub fn calendar_items(events: &[NylasEvent], tz: Tz, owner: Option<&str>) -> Vec<CalendarItem> {
    events
        .iter()
        .filter(|e| !e.is_cancelled())
        .filter_map(|e| calendar_item(e, tz, owner))
        .collect()
}

/// At most this many series masters are looked up per answer.
const MAX_SERIES_LOOKUPS: usize = 5;

/// Occurrences that do not carry their series' rule get it from their master: one
/// `GET /events/{master}` per series (at most [`MAX_SERIES_LOOKUPS`]), concurrently. A failed
/// lookup leaves that series' rule unknown (the answer then omits "repeats").
pub async fn fill_series_rules(nylas: &NylasClient<'_>, events: &mut [NylasEvent]) {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for e in events.iter().filter(|e| e.recurrence.is_empty()) {
        let Some(master) = e.master_event_id.as_ref().filter(|m| !m.is_empty()) else {
            continue;
        };
        if wanted.len() < MAX_SERIES_LOOKUPS && !wanted.iter().any(|(m, _)| m == master) {
            let calendar = match e.calendar_id.as_str() {
                "" => crate::upstream::nylas::PRIMARY_CALENDAR.to_string(),
                c => c.to_string(),
            };
            wanted.push((master.clone(), calendar));
        }
    }
    if wanted.is_empty() {
        return;
    }
    let masters =
        futures::future::join_all(wanted.iter().map(|(m, c)| nylas.get_event(m, c))).await;
    let rules: std::collections::HashMap<&str, Vec<String>> = wanted
        .iter()
        .zip(masters)
        .filter_map(|((m, _), r)| r.ok().map(|ev| (m.as_str(), ev.recurrence)))
        .collect();
    for e in events.iter_mut().filter(|e| e.recurrence.is_empty()) {
        if let Some(rule) = e.master_event_id.as_deref().and_then(|m| rules.get(m)) {
            e.recurrence = rule.clone();
        }
    }
}
