//! The decision for a resolved new event: duplicate → approval; conflict → the next free
//! slot (approval when others are involved); others → approval; else create at once.

use serde_json::{json, Value};

use super::super::participants::invite_risks;
use super::super::{list_titles, Answer};
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

pub(super) async fn decide(
    new: NewEvent,
    around: &Surroundings,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let d = &new.draft;
    if let Some(dup) = find_duplicate_event(&d.title, d.start, &around.items) {
        return Ok(ask_duplicate(&new, dup, around, call, env));
    }
    let desired = Interval::new(d.start, d.end).expect("end after start");
    let conflicts = find_conflicts(desired, &around.items, CONFLICT_BUFFER_MINUTES);
    // A series or an all-day event keeps its days: it is never moved to a free slot.
    let movable = d.all_day.is_none() && d.recurrence.is_empty();
    if movable && !conflicts.is_empty() {
        return move_past_conflicts(&new, desired, &conflicts, around, call, env).await;
    }
    if new.involves_others {
        return Ok(ask_invite(&new, call, env));
    }
    Ok(execute(&new.op(new.draft.clone(), None), call, env).await)
}

fn ask_duplicate(
    new: &NewEvent,
    dup: &CalendarItem,
    around: &Surroundings,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Answer {
    let tz = call.user.tz();
    let op = new.op(new.draft.clone(), None);
    let existing = around
        .events
        .iter()
        .find(|e| e.id == dup.id)
        .map(|e| event_json(e, tz));
    approval_flow::ask(
        call,
        env,
        "event_create_duplicate",
        &op,
        format!(
            "'{}' already exists at {}. Create '{}' anyway?",
            dup.title,
            human_time(dup.start, tz),
            new.draft.title
        ),
        json!({"new_event": preview(&new.draft, new, call), "existing_event": existing, "unresolved_participants": new.unresolved}),
        vec!["This may create a duplicate event.".into()],
    )
}

/// Moves the event to the next free slot: at once when only the user is concerned, else
/// after approval. No free slot in the horizon is an error.
async fn move_past_conflicts(
    new: &NewEvent,
    desired: Interval,
    conflicts: &[&CalendarItem],
    around: &Surroundings,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let tz = call.user.tz();
    let d = &new.draft;
    let names = list_titles(conflicts.iter().map(|c| c.title.as_str()));
    let conflict_json: Vec<Value> = conflicts
        .iter()
        .map(|c| json!({"id": c.id, "title": c.title, "start": fmt_time(c.start, tz), "end": fmt_time(c.end, tz)}))
        .collect();
    let Some(slot) = next_free_slot(
        &busy_intervals(&around.items),
        desired,
        CONFLICT_BUFFER_MINUTES,
        &WorkingHours::default(),
        tz,
        call.user.now.with_timezone(&chrono::Utc),
        NEXT_FREE_SLOT_HORIZON_DAYS,
    ) else {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("{} conflicts with {names}, and there is no free slot of that length within working hours in the next 14 days.", human_time(d.start, tz)),
        ));
    };
    let moved = EventDraft {
        start: slot.start(),
        end: slot.end(),
        ..d.clone()
    };
    if new.involves_others {
        let moved_preview = preview(&moved, new, call);
        let op = new.op(moved, None);
        return Ok(approval_flow::ask(
            call,
            env,
            "event_create_conflict_reschedule",
            &op,
            format!(
                "{} conflicts with {names}. Schedule '{}' at the next free slot, {}, instead?",
                human_time(d.start, tz),
                d.title,
                human_time(slot.start(), tz)
            ),
            json!({
                "requested": {"start": fmt_time(d.start, tz), "end": fmt_time(d.end, tz)},
                "proposed": {"start": fmt_time(slot.start(), tz), "end": fmt_time(slot.end(), tz)},
                "conflicts": conflict_json,
                "event": moved_preview,
                "invitees": d.invitees.iter().map(|i| &i.email).collect::<Vec<_>>(),
                "unresolved_participants": new.unresolved,
            }),
            invite_risks(&d.invitees, &new.unresolved),
        ));
    }
    let note = format!(
        "{} conflicted with {names}, so I moved it to the next free slot.",
        human_time(d.start, tz)
    );
    let mut answer = execute(&new.op(moved, Some(note)), call, env).await;
    answer["rescheduled_due_to_conflict"] = json!(true);
    answer["conflicts"] = json!(conflict_json);
    Ok(answer)
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
        json!({"event": preview(d, new, call), "invitees": d.invitees.iter().map(|i| json!({"email": i.email, "name": i.name})).collect::<Vec<_>>(), "unresolved_participants": new.unresolved}),
        invite_risks(&d.invitees, &new.unresolved),
    )
}
