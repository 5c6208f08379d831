//! The decision for a resolved new event: duplicate → approval (saying also who is invited
//! and, when it conflicts with other events, proposing the next free slot); conflict → the
//! next free slot (approval when others are involved); others → approval; else create.

use serde_json::{json, Value};

use super::super::participants::invite_risks;
use super::super::{clip, list_quoted, list_titles, Answer};
use super::{preview, NewEvent, Surroundings};
use crate::domain::conflicts::{find_conflicts, CONFLICT_BUFFER_MINUTES};
use crate::domain::duplicates::find_duplicate_event;
use crate::domain::intervals::Interval;
use crate::domain::schedule_items::{busy_intervals, CalendarItem};
use crate::domain::slots::{next_free_slot, NEXT_FREE_SLOT_HORIZON_DAYS};
use crate::domain::working_hours::WorkingHours;
use crate::envelope::{self, ProviderTag};
use crate::tools::approval_flow;
use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::EventDraft;
use crate::tools::present::{event_json, fmt_time, human_time};
use crate::tools::{ToolCall, ToolEnv};

/// Events the new one overlaps (the duplicate excepted), and where it moves instead.
struct Conflict<'a> {
    with: Vec<&'a CalendarItem>,
    moved: EventDraft,
}

pub(super) async fn decide(
    new: NewEvent,
    around: &Surroundings,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let d = &new.draft;
    let dup = find_duplicate_event(&d.title, d.start, &around.items);
    let conflict = conflict(&new, dup, around, call)?;
    if let Some(dup) = dup {
        return Ok(ask_duplicate(
            &new,
            dup,
            conflict.as_ref(),
            around,
            call,
            env,
        ));
    }
    if let Some(c) = conflict {
        return Ok(move_past_conflicts(&new, c, around, call, env).await);
    }
    if new.involves_others {
        return Ok(ask_invite(&new, call, env));
    }
    Ok(execute(&new.op(new.draft.clone(), None), call, env).await)
}

/// The conflicts of the requested time (not counting `dup`) and the next free slot; no free
/// slot within the horizon is an error.
fn conflict<'a>(
    new: &NewEvent,
    dup: Option<&CalendarItem>,
    around: &'a Surroundings,
    call: &ToolCall,
) -> Result<Option<Conflict<'a>>, Answer> {
    let d = &new.draft;
    // A series or an all-day event keeps its days: it is never moved to a free slot.
    if d.all_day.is_some() || !d.recurrence.is_empty() {
        return Ok(None);
    }
    let desired = Interval::new(d.start, d.end).expect("end after start");
    let with: Vec<&CalendarItem> = find_conflicts(desired, &around.items, CONFLICT_BUFFER_MINUTES)
        .into_iter()
        .filter(|c| dup.is_none_or(|dup| dup.id != c.id))
        .collect();
    if with.is_empty() {
        return Ok(None);
    }
    let tz = call.user.tz();
    let Some(slot) = next_free_slot(
        &busy_intervals(&around.items),
        desired,
        CONFLICT_BUFFER_MINUTES,
        &WorkingHours::default(),
        tz,
        call.user.now.with_timezone(&chrono::Utc),
        NEXT_FREE_SLOT_HORIZON_DAYS,
    )
    // Never a slot on days the events query did not cover.
    .filter(|slot| slot.end() <= around.known_until) else {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("{} conflicts with {}, and there is no free slot of that length within working hours in the next 14 days.", human_time(d.start, tz), titles(&with, around)),
        ));
    };
    let moved = EventDraft {
        start: slot.start(),
        end: slot.end(),
        ..d.clone()
    };
    Ok(Some(Conflict { with, moved }))
}

fn ask_duplicate(
    new: &NewEvent,
    dup: &CalendarItem,
    conflict: Option<&Conflict<'_>>,
    around: &Surroundings,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Answer {
    let tz = call.user.tz();
    let d = &new.draft;
    let draft = conflict.map_or(d, |c| &c.moved);
    let op = new.op(draft.clone(), None);
    let existing = around
        .events
        .iter()
        .find(|e| e.id == dup.id)
        .map(|e| event_json(e, tz));
    let mut summary = format!(
        "'{}' already exists at {}. Create '{}' anyway",
        dup.title,
        human_time(dup.start, tz),
        d.title
    );
    if let Some(c) = conflict {
        summary.push_str(&format!(
            " at the next free slot, {} ({} conflicts with {})",
            human_time(c.moved.start, tz),
            human_time(d.start, tz),
            titles(&c.with, around)
        ));
    }
    summary.push_str(&invite_clause(d));
    summary.push('?');
    let mut risks = vec!["This may create a duplicate event.".to_string()];
    risks.extend(invite_risks(&d.invitees, &new.unresolved));
    approval_flow::ask(
        call,
        env,
        "event_create_duplicate",
        &op,
        summary,
        json!({"new_event": preview(draft, new, call), "existing_event": existing,
            "invitees": emails(d), "unresolved_participants": new.unresolved,
            "conflicts": conflict.map(|c| conflicts_json(&c.with, around, call))}),
        risks,
    )
}

/// Moves the event to the next free slot: at once when only the user is concerned, else
/// after approval.
async fn move_past_conflicts(
    new: &NewEvent,
    c: Conflict<'_>,
    around: &Surroundings,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Answer {
    let tz = call.user.tz();
    let d = &new.draft;
    let names = titles(&c.with, around);
    let conflict_json = conflicts_json(&c.with, around, call);
    if new.involves_others {
        let (start, end) = (c.moved.start, c.moved.end);
        let moved_preview = preview(&c.moved, new, call);
        let op = new.op(c.moved, None);
        return approval_flow::ask(
            call,
            env,
            "event_create_conflict_reschedule",
            &op,
            format!(
                "{} conflicts with {names}. Schedule '{}' at the next free slot, {}, instead{}?",
                human_time(d.start, tz),
                d.title,
                human_time(start, tz),
                invite_clause(d)
            ),
            json!({
                "requested": {"start": fmt_time(d.start, tz), "end": fmt_time(d.end, tz)},
                "proposed": {"start": fmt_time(start, tz), "end": fmt_time(end, tz)},
                "conflicts": conflict_json,
                "event": moved_preview,
                "invitees": d.invitees.iter().map(|i| &i.email).collect::<Vec<_>>(),
                "unresolved_participants": new.unresolved,
            }),
            invite_risks(&d.invitees, &new.unresolved),
        );
    }
    let note = format!(
        "{} conflicted with {names}, so I moved it to the next free slot.",
        human_time(d.start, tz)
    );
    let mut answer = execute(&new.op(c.moved, Some(note)), call, env).await;
    answer["rescheduled_due_to_conflict"] = json!(true);
    answer["conflicts"] = json!(conflict_json);
    answer
}

/// ", repeating weekly on Tue (10 occurrences)" for a series.
fn series_text(new: &NewEvent) -> String {
    let Some(repeats) = &new.repeats else {
        return String::new();
    };
    match new.occurrences {
        Some(n) => format!(", repeating {repeats} ({n} occurrences)"),
        None => format!(", repeating {repeats} (no end date)"),
    }
}

fn ask_invite(new: &NewEvent, call: &ToolCall, env: &ToolEnv<'_>) -> Answer {
    let d = &new.draft;
    let who = if d.invitees.is_empty() {
        "nobody (no email addresses given)".to_string()
    } else {
        list_titles(d.invitees.iter().map(|i| i.email.as_str()))
    };
    let op = new.op(d.clone(), None);
    approval_flow::ask(
        call,
        env,
        "event_create_with_participants",
        &op,
        format!(
            "Create '{}' at {}{} and invite {who}?",
            d.title,
            human_time(d.start, call.user.tz()),
            series_text(new)
        ),
        json!({"event": preview(d, new, call), "invitees": emails(d), "unresolved_participants": new.unresolved}),
        invite_risks(&d.invitees, &new.unresolved),
    )
}

/// " and invite a@x, b@y" when the event has invitees.
fn invite_clause(d: &EventDraft) -> String {
    if d.invitees.is_empty() {
        return String::new();
    }
    format!(
        " and invite {}",
        list_titles(d.invitees.iter().map(|i| i.email.as_str()))
    )
}

fn emails(d: &EventDraft) -> Vec<Value> {
    d.invitees
        .iter()
        .map(|i| json!({"email": i.email, "name": i.name}))
        .collect()
}

/// "'Standup', 'Dentist' (Personal)": with several calendars, each names its calendar.
fn titles(items: &[&CalendarItem], around: &Surroundings) -> String {
    list_quoted(
        items
            .iter()
            .map(|c| around.calendars.quoted_title(&clip(&c.title), &c.id))
            .collect(),
    )
}

fn conflicts_json(items: &[&CalendarItem], around: &Surroundings, call: &ToolCall) -> Vec<Value> {
    let tz = call.user.tz();
    items
        .iter()
        .map(|c| {
            let mut item = json!({"id": c.id, "title": c.title, "start": fmt_time(c.start, tz), "end": fmt_time(c.end, tz), "series_id": c.series_id});
            around.calendars.mark(&mut item, &c.id);
            item
        })
        .collect()
}
