//! Reading the user's tasks and events for the read tools: which providers are connected,
//! then one Reclaim task list and one Nylas events query for the whole window, concurrently.
//!
//! A request that wants both providers but has only one connected still runs with that one;
//! the missing credential keys are reported (`missing`) so the answer can say what to add.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::present::calendar_item;
use crate::credentials::Credentials;
use crate::domain::schedule_items::CalendarItem;
use crate::envelope::{self, ProviderTag};
use crate::upstream::{Clients, EventQuery, NylasClient, NylasEvent, ReclaimClient, ReclaimTask};

/// The usable clients of a request, and what is missing for the wanted but unusable ones.
pub struct Connected<'a> {
    pub reclaim: Option<ReclaimClient<'a>>,
    pub nylas: Option<NylasClient<'a>>,
    pub missing: Vec<&'static str>,
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
}

/// One task list (when Reclaim is connected and `tasks` is true) and one events query for
/// `window` (when Nylas is connected and a window is given), concurrently.
pub async fn load(
    connected: &Connected<'_>,
    tasks: bool,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    credentials: &Credentials,
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
                .list_events(&EventQuery::between(start, end))
                .await
                .map(Some),
            _ => Ok(None),
        }
    };
    let (t, e) = futures::join!(task_read, event_read);
    let tasks = t.map_err(|e| e.to_envelope(credentials))?;
    let page = e.map_err(|e| e.to_envelope(credentials))?;
    Ok(Loaded {
        tasks: tasks.unwrap_or_default(),
        truncated: page.as_ref().is_some_and(|p| p.truncated),
        events: page.map(|p| p.events).unwrap_or_default(),
    })
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
