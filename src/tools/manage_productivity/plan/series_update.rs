//! Change a recurring series from an occurrence on (`following`: the old series ends with
//! `UNTIL` before it and a new one starts there with the changes) or as a whole (`series`:
//! the master changes; a new time keeps the master's first day). Moving a series to other
//! days is refused: the rule's days would no longer match. A series with other people asks
//! for approval (`event_series_update`), the preview saying how many occurrences change.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::event_update::{changes, changes_preview};
use super::find_events::event_ref;
use super::participants::participants;
use super::series::{
    ask_series, find_series, nylas_error, reach, series_words, Reach, SeriesAsk, SeriesTarget,
};
use super::{with_warnings, Answer};
use crate::domain::local_time::at;
use crate::interpret::manage::{ManageRequest, SeriesScope};
use crate::tools::manage_productivity::execute::execute;
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
    if wanted.is_empty() {
        return Err(nylas_error(format!(
            "What should change on {}? Give a new time, duration, title, location or invitees.",
            series_words(&target)
        )));
    }
    refuse_day_change(&target, &wanted)?;
    let reach = reach(&target, scope)?;
    let op = operation(&target, &reach, wanted.clone());
    if !target.with_others && wanted.invitees.is_none() {
        return Ok(with_warnings(execute(&op, call, env).await, &notes));
    }
    let ask = SeriesAsk {
        action_type: "event_series_update",
        verb: "Change",
        details: json!({"occurrences_changed": reach.occurrences, "changes": changes_preview(&wanted, call.user.tz())}),
        risk: "Participants will be notified of the change to every affected occurrence.",
    };
    Ok(with_warnings(
        ask_series(ask, &op, &reach, &target, call, env),
        &notes,
    ))
}

fn refuse_day_change(target: &SeriesTarget, wanted: &EventChanges) -> Result<(), Answer> {
    let moved_day = wanted.start.is_some_and(|s| {
        s.with_timezone(&target.tz).date_naive() != target.occurrence.date_naive()
    });
    if moved_day {
        return Err(nylas_error(format!(
            "Moving {} to another day would no longer match its repeat rule; give a new time on the same day, or cancel it from there and create a new series.",
            series_words(target)
        )));
    }
    Ok(())
}

fn operation(target: &SeriesTarget, reach: &Reach, wanted: EventChanges) -> Operation {
    let notify = target.with_others || wanted.invitees.is_some();
    let (changes, new_series) = match &reach.split {
        None => (whole_series_changes(target, wanted), None),
        Some(split) => (
            EventChanges {
                recurrence: Some(split.before.to_lines()),
                ..EventChanges::default()
            },
            Some(new_series(target, &wanted, split.after.to_lines())),
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

/// The master's changes for the whole series: a new time keeps the master's first day.
fn whole_series_changes(target: &SeriesTarget, mut wanted: EventChanges) -> EventChanges {
    if let (Some(start), Some(end)) = (wanted.start, wanted.end) {
        let time = start.with_timezone(&target.tz).time();
        let first = at(target.tz, target.first.date_naive(), time).with_timezone(&Utc);
        wanted.start = Some(first);
        wanted.end = Some(first + (end - start));
    }
    wanted
}

/// The series that starts at the occurrence, with the changes applied.
fn new_series(target: &SeriesTarget, wanted: &EventChanges, recurrence: Vec<String>) -> EventDraft {
    let master = &target.master;
    let start: DateTime<Utc> = wanted
        .start
        .unwrap_or(target.occurrence.with_timezone(&Utc));
    let day = target.occurrence.date_naive();
    EventDraft {
        title: wanted.title.clone().unwrap_or_else(|| master.title.clone()),
        start,
        end: wanted.end.unwrap_or(target.occurrence_end),
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
        recurrence,
    }
}
