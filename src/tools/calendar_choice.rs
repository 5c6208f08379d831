//! The calendar a request names (`calendar`: a name, case-insensitive, or an id), resolved
//! against the grant's calendar list; an unknown name is a clarification listing the
//! calendars, never a guess.

use serde_json::{json, Value};

use crate::envelope;
use crate::jsonrpc::printable;
use crate::upstream::{CalendarSet, NylasCalendar, NylasClient, NylasEvent};

/// What a request wants written to or read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Read,
    Write,
}

/// The named calendar, `None` when the request names none. `Err` is the answer: a
/// clarification when no calendar has that name, or a refusal to write to a read-only one.
pub async fn named(
    nylas: &NylasClient<'_>,
    wanted: Option<&str>,
    purpose: Use,
    call: &super::ToolCall,
) -> Result<Option<NylasCalendar>, Value> {
    let Some(wanted) = wanted.map(str::trim).filter(|w| !w.is_empty()) else {
        return Ok(None);
    };
    let set = nylas
        .calendar_set()
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    match set.named(wanted) {
        Some(c) if purpose == Use::Write && c.read_only => Err(envelope::needs_clarification(
            candidates(&set, Use::Write),
            format!(
                "'{}' is read-only, so nothing was written there. Which calendar should it go on?",
                c.name
            ),
        )),
        Some(c) => Ok(Some(c.clone())),
        None => Err(envelope::needs_clarification(
            candidates(&set, purpose),
            format!(
                "You have no calendar called '{}', so nothing was done. Your calendars: {}. Which one did you mean?",
                printable(wanted, 60),
                describe(&set)
            ),
        )),
    }
}

/// "Work (primary), Personal, US Holidays (read-only)".
pub fn describe(set: &CalendarSet) -> String {
    set.calendars
        .iter()
        .map(|c| {
            let mut tags = vec![];
            if c.is_primary {
                tags.push("primary");
            }
            if c.read_only {
                tags.push("read-only");
            }
            match tags.is_empty() {
                true => c.name.clone(),
                false => format!("{} ({})", c.name, tags.join(", ")),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn candidates(set: &CalendarSet, purpose: Use) -> Vec<Value> {
    set.calendars
        .iter()
        .filter(|c| purpose == Use::Read || !c.read_only)
        .take(10)
        .map(|c| json!({"id": c.id, "title": c.name, "type": "calendar", "primary": c.is_primary, "read_only": c.read_only}))
        .collect()
}

/// The calendar each event is on, by event id, when the user's busy time spans several
/// calendars (from the list this request already read: no upstream call); empty otherwise,
/// so answers for a one-calendar user are unchanged.
#[derive(Debug, Clone, Default)]
pub struct EventCalendars {
    /// (event id, calendar id, calendar name), in the order of the events read.
    by_event: Vec<(String, String, String)>,
}

impl EventCalendars {
    pub fn of(nylas: Option<&NylasClient<'_>>, events: &[NylasEvent]) -> EventCalendars {
        let Some(set) = nylas.and_then(NylasClient::known_calendars) else {
            return EventCalendars::default();
        };
        if !set.has_several() {
            return EventCalendars::default();
        }
        let by_event = events
            .iter()
            .map(|e| {
                let name = set
                    .name_of(&e.calendar_id)
                    .unwrap_or_else(|| e.calendar_id.clone());
                (e.id.clone(), e.calendar_id.clone(), name)
            })
            .collect();
        EventCalendars { by_event }
    }

    /// The name of the calendar the event with this id is on (`None` with one calendar).
    pub fn name(&self, event_id: &str) -> Option<&str> {
        self.find(event_id).map(|(_, _, name)| name.as_str())
    }

    /// Adds `calendar` (name) and `calendar_id` to an answer item about this event.
    pub fn mark(&self, item: &mut Value, event_id: &str) {
        if let Some(entry) = self.find(event_id) {
            mark_with(item, entry);
        }
    }

    /// "'Dentist'" or, with several calendars, "'Dentist' (Personal)".
    pub fn quoted_title(&self, title: &str, event_id: &str) -> String {
        match self.name(event_id) {
            Some(name) => format!("'{title}' ({})", printable(name, 60)),
            None => format!("'{title}'"),
        }
    }

    fn find(&self, event_id: &str) -> Option<&(String, String, String)> {
        self.by_event.iter().find(|(id, _, _)| id == event_id)
    }
}

/// The events' answer items, each with `calendar` (the calendar's name) when the user has
/// several calendars that count (with one, every item is on it).
pub fn with_calendar_names(
    nylas: Option<&NylasClient<'_>>,
    events: &[NylasEvent],
    mut items: Vec<Value>,
) -> Vec<Value> {
    // `by_event` is in the order of `events`: each item takes its own event's calendar, even
    // when two calendars hold an event with the same id.
    let names = EventCalendars::of(nylas, events);
    for (item, entry) in items.iter_mut().zip(&names.by_event) {
        mark_with(item, entry);
    }
    items
}

fn mark_with(item: &mut Value, (_, calendar_id, name): &(String, String, String)) {
    item["calendar"] = json!(name);
    item["calendar_id"] = json!(calendar_id);
}
