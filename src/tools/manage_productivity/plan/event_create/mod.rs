//! Create an event, in steps: resolve the title and times ([`times`]), the participants, one
//! calendar read, then [`decide`]: a duplicate, a conflict or other people ask for approval
//! (or move the event to the next free slot); otherwise it is created at once.

mod decide;
pub(super) mod times;
mod timing;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::participants::participants;
use super::{with_warnings, Answer, Span};
use crate::domain::implied_others::implies_others;
use crate::domain::schedule_items::CalendarItem;
use crate::domain::slots::NEXT_FREE_SLOT_HORIZON_DAYS;
use crate::interpret::manage::ManageRequest;
use crate::tools::calendar_choice::{self, EventCalendars, Use};
use crate::tools::manage_productivity::operation::{EventDraft, Operation};
use crate::tools::model::request_text;
use crate::tools::present::{fmt_time, human_time};
use crate::tools::schedule_data::calendar_items;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{Clients, EventQuery, NylasClient, NylasEvent, PRIMARY_CALENDAR};

/// A resolved event to create, before the duplicate/conflict decision.
struct NewEvent {
    draft: EventDraft,
    /// The calendar to write: the one the request names, else the write calendar (`primary`
    /// when the calendar list could not be read).
    calendar_id: String,
    unresolved: Vec<String>,
    /// Invitees, unresolved names, or a meeting that implies other people.
    involves_others: bool,
    /// A series: its occurrences (`None` = no end) and its rule in words.
    occurrences: Option<usize>,
    repeats: Option<String>,
}

impl NewEvent {
    /// The operation creating `draft` (this event, or a moved copy), notifying invitees.
    fn op(&self, draft: EventDraft, note: Option<String>) -> Operation {
        Operation::CreateEvent {
            notify: !draft.invitees.is_empty(),
            event: draft,
            calendar_id: self.calendar_id.clone(),
            note,
            unresolved_participants: self.unresolved.clone(),
        }
    }
}

/// The events around the new one: ±1 h for duplicates, the buffer for conflicts, and up to
/// 14 days ahead for the next free slot — all from one events query.
struct Surroundings {
    events: Vec<NylasEvent>,
    items: Vec<CalendarItem>,
    truncated: bool,
    /// The calendar of each event, when busy time spans several calendars.
    calendars: EventCalendars,
    /// The end of the time the read really covers (the query's end, or the last event read
    /// when a cap cut the list short): a free slot is only proposed before it.
    known_until: DateTime<Utc>,
}

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let title = times::title(req)?;
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let mut notes = vec![];
    let timing = timing::timing(req, &title, call, &mut notes)?;
    let (start, end) = (timing.start, timing.end);
    let people = participants(req, call);
    notes.extend(people.dropped_note());
    let involves_others = !people.invitees.is_empty()
        || !people.unresolved.is_empty()
        || req.implies_others
        || implies_others(&title)
        || request_text(call).is_some_and(implies_others);
    let draft = EventDraft {
        busy: timing.all_day.is_none() || blocks_the_day(&title),
        title,
        start,
        end,
        timezone: call.user.tz().name().to_string(),
        location: req.location.clone(),
        description: req.description.clone(),
        invitees: people.invitees,
        all_day: timing.all_day,
        recurrence: timing.recurrence,
    };
    let named = calendar_choice::named(&nylas, req.calendar.as_deref(), Use::Write, call).await?;
    let around = read_surroundings(&nylas, (start, end), call).await?;
    let new = NewEvent {
        draft,
        calendar_id: named
            .map(|c| c.id)
            .or_else(|| nylas.resolved_primary_calendar())
            .unwrap_or_else(|| PRIMARY_CALENDAR.to_string()),
        unresolved: people.unresolved,
        involves_others,
        occurrences: timing.occurrences,
        repeats: timing.repeats,
    };
    notes.extend(warnings(&around, start, call));
    let answer = decide::decide(new, &around, call, env).await?;
    Ok(with_warnings(answer, &notes))
}

async fn read_surroundings(
    nylas: &NylasClient<'_>,
    (start, _): Span,
    call: &ToolCall,
) -> Result<Surroundings, Answer> {
    let window_start = start - Duration::hours(1);
    // The slot search starts at the later of the start and now: read that far ahead.
    let search_from = start.max(call.user.now.with_timezone(&Utc));
    let window_end = search_from + Duration::days(NEXT_FREE_SLOT_HORIZON_DAYS + 1);
    let page = nylas
        .list_own_events(&EventQuery::between(window_start, window_end))
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let items = calendar_items(
        &page.events,
        call.user.tz(),
        call.user.user_email.as_deref(),
    );
    let known_until = if page.truncated {
        items.iter().map(|i| i.start).max().unwrap_or(window_start)
    } else {
        window_end
    };
    Ok(Surroundings {
        calendars: EventCalendars::of(Some(nylas), &page.events),
        events: page.events,
        items,
        truncated: page.truncated,
        known_until,
    })
}

/// A partial calendar read, a start in the past.
fn warnings(around: &Surroundings, start: chrono::DateTime<Utc>, call: &ToolCall) -> Vec<String> {
    let mut warnings = vec![];
    if around.truncated {
        warnings.push(format!(
            "Your calendar has more events in this period than were read ({}); conflicts and duplicates were checked against those only.",
            around.events.len()
        ));
    }
    if start < call.user.now.with_timezone(&Utc) {
        warnings.push(format!(
            "{} is in the past.",
            human_time(start, call.user.tz())
        ));
    }
    warnings
}

/// Whether an all-day event keeps the user busy (vacation, out of office, a blocked day)
/// rather than marking a date (birthday, reminder).
fn blocks_the_day(title: &str) -> bool {
    const BLOCKING: [&str; 11] = [
        "vacation", "ooo", "off", "out", "holiday", "holidays", "pto", "leave", "block", "blocked",
        "away",
    ];
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| BLOCKING.contains(&word))
}

fn preview(event: &EventDraft, new: &NewEvent, call: &ToolCall) -> Value {
    let tz = call.user.tz();
    let mut v = json!({
        "title": event.title,
        "start": fmt_time(event.start, tz),
        "end": fmt_time(event.end, tz),
        "timezone": event.timezone,
        "location": event.location,
        "invitees": event.invitees.iter().map(|i| json!({"email": i.email, "name": i.name})).collect::<Vec<_>>(),
    });
    if let Some(days) = event.all_day {
        v["all_day"] = json!({"first_day": days.first, "last_day": days.last});
    }
    if !event.recurrence.is_empty() {
        v["recurrence"] = json!(event.recurrence);
        v["repeats"] = json!(new.repeats);
        v["occurrences"] = json!(new.occurrences);
    }
    v
}
