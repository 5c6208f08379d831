//! Finding the event(s) a request refers to.

use chrono::{Duration, Utc};

use super::references::{clarify, clarify_with, item_id, time_hint_window, title_hint, Found};
use super::{clip, Answer, Span};
use crate::domain::item_match::{self, MatchOutcome};
use crate::domain::local_time::at;
use crate::domain::time::resolve_time_of_day;
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::calendar_choice::{self, Use};
use crate::tools::manage_productivity::operation::ItemRef;
use crate::tools::present::{fmt_time, human_time};
use crate::tools::ToolCall;
use crate::upstream::{EventQuery, NylasClient, NylasEvent, PRIMARY_CALENDAR};

/// The event(s) a request refers to: by `item_id` (one GET) or by title/time hints over one
/// events query (the time hint's window, else today → 30 days ahead). A bare time ("2pm")
/// whose occurrence today has passed also looks at today's: items at both answer a
/// clarification. A kind word ("meeting") that is in no title falls back to the time, except
/// for a cancellation, which then lists the candidates rather than act on an item whose
/// title does not match.
pub(super) async fn find_events(
    req: &ManageRequest,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
    all: bool,
) -> Result<Found<NylasEvent>, Answer> {
    let calendar = calendar_choice::named(nylas, req.calendar.as_deref(), Use::Read, call)
        .await?
        .map(|c| c.id);
    if let Some(id) = item_id(req) {
        return event_by_id(id, calendar.as_deref(), nylas, call)
            .await
            .map(Found::One);
    }
    let hint = title_hint(req);
    let windows = hint_windows(req, call)?;
    if hint.as_deref().is_none_or(item_match::is_generic) && windows.is_empty() {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "Which event? Give its title or when it is.",
        ));
    }
    let range = cover(&windows).unwrap_or_else(|| default_window(call));
    let (mut events, truncated) =
        events_in(range, &windows, calendar.as_deref(), nylas, call).await?;
    let outcome = match hint.as_deref().filter(|h| !item_match::is_generic(h)) {
        Some(h) => {
            let titles: Vec<&str> = events.iter().map(|e| e.title.as_str()).collect();
            match item_match::select(h, &titles, all) {
                MatchOutcome::None if !windows.is_empty() && is_kind_word(h) => {
                    if req.action == Some(ManageAction::CancelEvent) && !events.is_empty() {
                        return Err(no_title_match(h, &events, nylas, call));
                    }
                    all_of(events.len())
                }
                other => other,
            }
        }
        None => all_of(events.len()),
    };
    if past_match_is_ambiguous(&outcome, &events, &windows, call) {
        return Err(clarify_events(&events, nylas, call));
    }
    match outcome {
        MatchOutcome::None => Err(no_match(hint.as_deref(), range, truncated, call)),
        MatchOutcome::One(i) => Ok(Found::One(events.swap_remove(i))),
        MatchOutcome::Many(idx) => Ok(Found::Many(
            idx.into_iter().map(|i| events[i].clone()).collect(),
        )),
    }
}

/// The windows of `target.time_hint`: none, its own, or — for a bare time whose occurrence
/// today has already begun — today's occurrence too (first).
fn hint_windows(req: &ManageRequest, call: &ToolCall) -> Result<Vec<Span>, Answer> {
    let Some(window) = time_hint_window(req, call)? else {
        return Ok(vec![]);
    };
    let bare_time = req
        .target
        .as_ref()
        .and_then(|t| t.time_hint.as_deref())
        .and_then(resolve_time_of_day);
    let Some(time) = bare_time else {
        return Ok(vec![window]);
    };
    let tz = call.user.tz();
    let today = at(tz, call.user.now.date_naive(), time).with_timezone(&Utc);
    if today >= window.0 || today > call.user.now.with_timezone(&Utc) {
        return Ok(vec![window]);
    }
    Ok(vec![(today, today + (window.1 - window.0)), window])
}

/// The span from the first window's start to the last one's end.
fn cover(windows: &[Span]) -> Option<Span> {
    let start = windows.iter().map(|w| w.0).min()?;
    let end = windows.iter().map(|w| w.1).max()?;
    Some((start, end))
}

/// With a bare time whose occurrence today has passed (two windows), a match only in today's
/// past window while items exist at the next occurrence is not acted on: both are listed.
fn past_match_is_ambiguous(
    outcome: &MatchOutcome,
    events: &[NylasEvent],
    windows: &[Span],
    call: &ToolCall,
) -> bool {
    let (MatchOutcome::One(i), [today, next]) = (outcome, windows) else {
        return false;
    };
    let tz = call.user.tz();
    let within = |e: &NylasEvent, w: &Span| {
        e.start_end_in(tz)
            .is_some_and(|(s, en)| s < w.1 && en > w.0)
    };
    within(&events[*i], today) && events.iter().any(|e| within(e, next))
}

/// A cancellation whose kind word ("meeting") is in no title at that time: the candidates.
fn no_title_match(
    hint: &str,
    events: &[NylasEvent],
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Answer {
    let tz = call.user.tz();
    let matches = events
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.title.as_str(),
                e.start_end_in(tz).map(|(s, _)| fmt_time(s, tz)),
            )
        })
        .collect();
    let answer = clarify_with(
        "event",
        matches,
        format!(
            "No event called '{}' is at that time, so nothing was cancelled. Did you mean one of these?",
            clip(hint)
        ),
    );
    with_calendars(answer, events, nylas)
}

/// The one event a request refers to; several matches answer a clarification, except
/// occurrences of one series: then the earliest of them is meant ("this week's standup").
pub(super) async fn find_one_event(
    req: &ManageRequest,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<NylasEvent, Answer> {
    match find_events(req, nylas, call, false).await? {
        Found::One(e) => Ok(e),
        Found::Many(es) => {
            earliest_of_one_series(es).map_err(|es| clarify_events(&es, nylas, call))
        }
    }
}

fn earliest_of_one_series(events: Vec<NylasEvent>) -> Result<NylasEvent, Vec<NylasEvent>> {
    let series = events[0].master_event_id.as_deref();
    if series.is_none()
        || events
            .iter()
            .any(|e| e.master_event_id.as_deref() != series)
    {
        return Err(events);
    }
    let start = |e: &NylasEvent| e.start_end_in(chrono_tz::Tz::UTC).map(|(s, _)| s);
    Ok(events
        .into_iter()
        .min_by_key(|e| start(e))
        .expect("several events"))
}

async fn event_by_id(
    id: &str,
    calendar: Option<&str>,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<NylasEvent, Answer> {
    let found = match calendar {
        Some(c) => nylas.get_event(id, c).await,
        None => nylas.get_own_event(id).await,
    };
    match found {
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

/// The events (not cancelled) overlapping one of `windows` (or `range` when there are none),
/// read with one query over `range` (per calendar that counts, or on the named calendar),
/// and whether the read was truncated.
async fn events_in(
    range: Span,
    windows: &[Span],
    calendar: Option<&str>,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<(Vec<NylasEvent>, bool), Answer> {
    let (start, end) = range;
    let windows = if windows.is_empty() {
        &[range][..]
    } else {
        windows
    };
    let tz = call.user.tz();
    let page = nylas
        .list_events_in(calendar, &EventQuery::between(start, end))
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let events = page
        .events
        .into_iter()
        .filter(|e| !e.is_cancelled())
        .filter(|e| {
            e.start_end_in(tz)
                .is_some_and(|(s, en)| windows.iter().any(|w| s < w.1 && en > w.0))
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

pub(super) fn clarify_events(
    events: &[NylasEvent],
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Answer {
    let tz = call.user.tz();
    let answer = clarify(
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
    );
    with_calendars(answer, events, nylas)
}

/// Each candidate of a clarification (listed in `events` order) names its calendar when the
/// user's busy time spans several.
fn with_calendars(mut answer: Answer, events: &[NylasEvent], nylas: &NylasClient<'_>) -> Answer {
    if let Some(candidates) = answer["candidates"].as_array_mut() {
        let listed = std::mem::take(candidates);
        *candidates = calendar_choice::with_calendar_names(Some(nylas), events, listed);
    }
    answer
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
