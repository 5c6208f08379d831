//! Change a recurring series from an occurrence on (`following`: the old series ends with
//! `UNTIL` before it and a new one starts there with the changes) or as a whole (`series`:
//! the master changes from its first start). A new time of day, new days ("move the
//! weekly 1:1 to Wednesdays") and the exceptions that move with them are worked out in
//! [`super::series_move`]. A series with other people asks for approval
//! (`event_series_update`), the preview saying how many occurrences change.

use chrono::Utc;
use serde_json::json;

use super::event_update::{changes, changes_preview};
use super::find_events::event_ref;
use super::participants::participants;
use super::series::{
    ask_series, find_series, nylas_error, reach, series_words, Reach, SeriesAsk, SeriesTarget,
};
use super::series_move::{following_earliest, series_move, SeriesMove};
use super::silence::execute_unannounced;
use super::{with_warnings, Answer};
use crate::domain::recurrence;
use crate::interpret::manage::{ManageRequest, SeriesScope};
use crate::tools::manage_productivity::operation::{
    EventChanges, EventDraft, InviteeSpec, Operation,
};
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{AllDayDates, Clients};

pub(super) async fn plan(
    req: &ManageRequest,
    scope: SeriesScope,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let target = find_series(req, &nylas, call).await?;
    let span = (target.occurrence.with_timezone(&Utc), target.occurrence_end);
    let mut notes = Vec::new();
    let wanted = changes(
        req,
        &target.master,
        span,
        participants(req, call).invitees,
        call,
        &mut notes,
    )?;
    let reach = reach(&target, scope)?;
    let moved = match &reach.split {
        Some(split) => {
            let earliest = following_earliest(&target, &wanted, call.user.now.with_timezone(&Utc));
            series_move(
                req,
                &target,
                &wanted,
                (&split.after, target.occurrence),
                earliest,
            )?
        }
        None => series_move(
            req,
            &target,
            &wanted,
            (&target.recurrence, target.first),
            target.first.date_naive(),
        )?,
    };
    if wanted.is_empty() && !moved.new_days {
        return Err(nylas_error(format!(
            "What should change on {}? Give a new time, days, duration, title, location or invitees.",
            series_words(&target)
        )));
    }
    refuse_all_day_series_move(&target, &reach, &wanted, &moved)?;
    let op = operation(&target, &reach, wanted.clone(), &moved);
    if !target.with_others && wanted.invitees.is_none() {
        return Ok(execute_unannounced(&op, &nylas, &target.master, notes, call, env).await);
    }
    let repeats = recurrence::describe(&moved.recurrence.rule, target.tz);
    let ask = SeriesAsk {
        action_type: "event_series_update",
        verb: "Change",
        details: json!({"occurrences_changed": reach.occurrences, "changes": changes_preview(&wanted, call.user.tz()),
            "repeats": moved.new_days.then_some(&repeats)}),
        risk: "Participants will be notified of the change to every affected occurrence.",
        outcome: moved.new_days.then(|| format!("to repeat {repeats}")),
    };
    Ok(with_warnings(
        ask_series(ask, &op, &reach, &target, call, env),
        &notes,
    ))
}

/// The master of an all-day series keeps its dates: its days move from an occurrence on.
fn refuse_all_day_series_move(
    target: &SeriesTarget,
    reach: &Reach,
    wanted: &EventChanges,
    moved: &SeriesMove,
) -> Result<(), Answer> {
    let moves = wanted.start.is_some() || moved.new_days;
    if target.all_day && reach.split.is_none() && moves {
        return Err(nylas_error(format!(
            "{} is all-day: I can move it from an occurrence on (scope 'following'), not from its first day. Nothing was changed.",
            series_words(target)
        )));
    }
    Ok(())
}

fn operation(
    target: &SeriesTarget,
    reach: &Reach,
    wanted: EventChanges,
    moved: &SeriesMove,
) -> Operation {
    let notify = target.with_others || wanted.invitees.is_some();
    let (changes, new_series) = match &reach.split {
        None => (whole_series_changes(target, wanted, moved), None),
        Some(split) => (
            EventChanges {
                recurrence: Some(split.before.to_lines()),
                ..EventChanges::default()
            },
            Some(new_series(target, &wanted, moved)),
        ),
    };
    Operation::UpdateSeries {
        series: event_ref(&target.master),
        calendar_id: target.calendar_id.clone(),
        scope: reach.scope,
        changes,
        new_series,
        notify,
        occurrences: reach.occurrences,
    }
}

/// The master's changes for the whole series: its first start and rule as moved.
fn whole_series_changes(
    target: &SeriesTarget,
    mut wanted: EventChanges,
    moved: &SeriesMove,
) -> EventChanges {
    if wanted.start.is_some() || moved.new_days {
        wanted.start = Some(moved.start.with_timezone(&Utc));
        wanted.end = Some(moved.end);
        wanted.timezone = Some(target.tz.name().to_string());
    }
    if moved.recurrence != target.recurrence {
        wanted.recurrence = Some(moved.recurrence.to_lines());
    }
    wanted
}

/// The series that starts at the occurrence (or the first day the new days allow), with
/// the changes applied.
fn new_series(target: &SeriesTarget, wanted: &EventChanges, moved: &SeriesMove) -> EventDraft {
    let master = &target.master;
    let day = moved.start.date_naive();
    EventDraft {
        title: wanted.title.clone().unwrap_or_else(|| master.title.clone()),
        start: moved.start.with_timezone(&Utc),
        end: moved.end,
        timezone: target.tz.name().to_string(),
        location: wanted.location.clone().or_else(|| master.location.clone()),
        description: wanted
            .description
            .clone()
            .or_else(|| master.description.clone()),
        invitees: wanted.invitees.clone().unwrap_or_else(|| {
            master
                .participants
                .iter()
                .map(|p| InviteeSpec {
                    email: p.email.clone(),
                    name: p.name.clone(),
                })
                .collect()
        }),
        busy: master.busy,
        all_day: target.all_day.then_some(AllDayDates {
            first: day,
            last: day,
        }),
        recurrence: moved.recurrence.to_lines(),
    }
}
