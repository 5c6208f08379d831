//! Finding the event(s) a request refers to.

use chrono::{Duration, Utc};

use super::references::{clarify, item_id, time_hint_window, title_hint, Found};
use super::{clip, Answer, Span};
use crate::domain::item_match::{self, MatchOutcome};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::ManageRequest;
use crate::tools::manage_productivity::operation::ItemRef;
use crate::tools::present::{fmt_time, human_time};
use crate::tools::ToolCall;
use crate::upstream::{EventQuery, NylasClient, NylasEvent, PRIMARY_CALENDAR};

/// The event(s) a request refers to: by `item_id` (one GET) or by title/time hints over one
/// events query (the time hint's window, else today → 30 days ahead).
pub(super) async fn find_events(
    req: &ManageRequest,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
    all: bool,
) -> Result<Found<NylasEvent>, Answer> {
    if let Some(id) = item_id(req) {
        return event_by_id(id, nylas, call).await.map(Found::One);
    }
    let hint = title_hint(req);
    let time_window = time_hint_window(req, call)?;
    if hint.as_deref().is_none_or(item_match::is_generic) && time_window.is_none() {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "Which event? Give its title or when it is.",
        ));
    }
    let window = time_window.unwrap_or_else(|| default_window(call));
    let (mut events, truncated) = events_in(window, nylas, call).await?;
    let outcome = match hint.as_deref().filter(|h| !item_match::is_generic(h)) {
        Some(h) => {
            let titles: Vec<&str> = events.iter().map(|e| e.title.as_str()).collect();
            match item_match::select(h, &titles, all) {
                // A generic word like "meeting" may not be in the title: fall back to the time.
                MatchOutcome::None if time_window.is_some() && is_kind_word(h) => {
                    all_of(events.len())
                }
                other => other,
            }
        }
        None => all_of(events.len()),
    };
    match outcome {
        MatchOutcome::None => Err(no_match(hint.as_deref(), window, truncated, call)),
        MatchOutcome::One(i) => Ok(Found::One(events.swap_remove(i))),
        MatchOutcome::Many(idx) => Ok(Found::Many(
            idx.into_iter().map(|i| events[i].clone()).collect(),
        )),
    }
}

/// The one event a request refers to; several matches answer a clarification.
pub(super) async fn find_one_event(
    req: &ManageRequest,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<NylasEvent, Answer> {
    match find_events(req, nylas, call, false).await? {
        Found::One(e) => Ok(e),
        Found::Many(es) => Err(clarify_events(&es, call)),
    }
}

async fn event_by_id(
    id: &str,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<NylasEvent, Answer> {
    match nylas.get_event(id, PRIMARY_CALENDAR).await {
        Ok(e) if !e.is_cancelled() => Ok(e),
        Ok(e) => Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("'{}' is already cancelled.", e.title),
        )),
        Err(e) if e.is_not_found() => Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("No event with id '{}' was found.", clip(id)),
        )),
        Err(e) => Err(e.to_envelope(&call.credentials)),
    }
}

/// Today → 30 days ahead.
fn default_window(call: &ToolCall) -> Span {
    let tz = call.user.tz();
    let today = crate::domain::local_time::start_of_day(tz, call.user.now.date_naive());
    (
        today.with_timezone(&Utc),
        call.user.now.with_timezone(&Utc) + Duration::days(30),
    )
}

/// The events (not cancelled) overlapping `window`, and whether the read was truncated.
async fn events_in(
    (start, end): Span,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<(Vec<NylasEvent>, bool), Answer> {
    let tz = call.user.tz();
    let page = nylas
        .list_events(&EventQuery::between(start, end))
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let events = page
        .events
        .into_iter()
        .filter(|e| !e.is_cancelled())
        .filter(|e| {
            e.start_end_in(tz)
                .is_some_and(|(s, en)| s < end && en > start)
        })
        .collect();
    Ok((events, page.truncated))
}

fn no_match(hint: Option<&str>, (start, end): Span, truncated: bool, call: &ToolCall) -> Answer {
    let tz = call.user.tz();
    envelope::business_error(
        Some(ProviderTag::Nylas),
        format!(
            "No event matches '{}' between {} and {}{}.",
            clip(hint.unwrap_or("that time")),
            human_time(start, tz),
            human_time(end, tz),
            if truncated {
                " (only the first events of a very full calendar were searched)"
            } else {
                ""
            }
        ),
    )
}

fn all_of(n: usize) -> MatchOutcome {
    match n {
        0 => MatchOutcome::None,
        1 => MatchOutcome::One(0),
        _ => MatchOutcome::Many((0..n).collect()),
    }
}

fn is_kind_word(hint: &str) -> bool {
    let h = hint.to_lowercase();
    ["meeting", "call", "appointment", "sync", "event"]
        .iter()
        .any(|w| {
            h.split_whitespace()
                .all(|t| t == *w || ["my", "the", "that", "this"].contains(&t))
        })
}

pub(super) fn clarify_events(events: &[NylasEvent], call: &ToolCall) -> Answer {
    let tz = call.user.tz();
    clarify(
        "event",
        events
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.title.as_str(),
                    e.start_end_in(tz).map(|(s, _)| fmt_time(s, tz)),
                )
            })
            .collect(),
    )
}

pub(super) fn event_ref(event: &NylasEvent) -> ItemRef {
    ItemRef {
        id: event.id.clone(),
        title: event.title.clone(),
    }
}

/// The calendar an event lives in (`primary` when the provider did not say).
pub(super) fn calendar_of(event: &NylasEvent) -> String {
    if event.calendar_id.is_empty() {
        PRIMARY_CALENDAR.to_string()
    } else {
        event.calendar_id.clone()
    }
}
