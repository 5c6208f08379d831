//! Where a changed series starts and how it repeats: the whole series (scope `series`,
//! from its first start) or its new half ("this and following", from the occurrence).
//!
//! Decisions:
//! - New days come from the `recurrence` argument when it names days ("every Wednesday"),
//!   else from a new start on another day than the occurrence (a weekly rule on one day, a
//!   monthly rule on one day of the month); see [`crate::domain::recurrence`]'s reshape.
//! - The (new) first start is the first date on or after the current first start that the
//!   new rule allows, at the new time of day (or the old one), placed DST-correctly in the
//!   series' zone.
//! - The exceptions move with their occurrences (new day offset, new time of day); those
//!   that then hit nothing are dropped.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::series::{nylas_error, series_words, SeriesTarget};
use super::{time_error, Answer};
use crate::domain::local_time::{at, start_of_day};
use crate::domain::recurrence::{
    count_between, first_matching_date, move_exdates, rule_moved_to_day, rule_on_named_days,
    Recurrence, RecurrenceInput, Rule,
};
use crate::interpret::manage::ManageRequest;
use crate::tools::manage_productivity::operation::EventChanges;

/// A series (or new half) after the change.
pub(super) struct SeriesMove {
    pub recurrence: Recurrence,
    pub start: DateTime<Tz>,
    pub end: DateTime<Utc>,
    /// The days it repeats on changed.
    pub new_days: bool,
}

/// The series that `base` (its recurrence) and `from` (its current first start) become;
/// new days start on the first date they allow from `earliest` on.
pub(super) fn series_move(
    req: &ManageRequest,
    target: &SeriesTarget,
    wanted: &EventChanges,
    (base, from): (&Recurrence, DateTime<Tz>),
    earliest: NaiveDate,
) -> Result<SeriesMove, Answer> {
    let new_rule = new_days(req, target, wanted, &base.rule)?;
    let rule = new_rule.clone().unwrap_or_else(|| base.rule.clone());
    let date = match &new_rule {
        Some(rule) => first_matching_date(rule, earliest).ok_or_else(|| {
            nylas_error("The new days never occur, so nothing was changed.".into())
        })?,
        None => from.date_naive(),
    };
    let start = first_start(target, wanted, date);
    let duration = match (wanted.start, wanted.end) {
        (Some(s), Some(e)) => e - s,
        _ => target.occurrence_end - target.occurrence.with_timezone(&Utc),
    };
    let moved = Recurrence {
        rule,
        exdates: base.exdates.clone(),
    };
    let recurrence = move_exdates(&moved, from, start);
    ends_before(&recurrence, start, target)?;
    Ok(SeriesMove {
        recurrence,
        start,
        end: start.with_timezone(&Utc) + duration,
        new_days: new_rule.is_some(),
    })
}

/// Where the new half of a "this and following" change may start: the new start's day
/// when it comes after now and before the occurrence with no occurrence of the old series
/// in between ("move the Monday standup to Thursday" on a Tuesday: this Thursday), else
/// the occurrence's day.
pub(super) fn following_earliest(
    target: &SeriesTarget,
    wanted: &EventChanges,
    now: DateTime<Utc>,
) -> NaiveDate {
    let tz = target.tz;
    let occurrence = target.occurrence.with_timezone(&Utc);
    let day = wanted
        .start
        .filter(|s| *s > now && *s < occurrence)
        .map(|s| s.with_timezone(&tz).date_naive())
        .filter(|day| {
            let from = start_of_day(tz, *day).with_timezone(&Utc);
            count_between(&target.recurrence, target.first, from, occurrence) == 0
        });
    day.unwrap_or_else(|| target.occurrence.date_naive())
}

/// The rule with its new days, when the request moves the series to other days.
fn new_days(
    req: &ManageRequest,
    target: &SeriesTarget,
    wanted: &EventChanges,
    base: &Rule,
) -> Result<Option<Rule>, Answer> {
    let refused = |e: &dyn std::fmt::Display| {
        nylas_error(format!(
            "I can't move {} to other days: {e}. Nothing was changed.",
            series_words(target)
        ))
    };
    let named = req
        .recurrence
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(text) = named {
        let input = RecurrenceInput::read(text).map_err(|e| time_error("repeat rule", &e))?;
        if let Some(rule) = rule_on_named_days(base, input.rule()).map_err(|e| refused(&e))? {
            return Ok(Some(rule));
        }
    }
    let from = target.occurrence.date_naive();
    match wanted
        .start
        .map(|s| s.with_timezone(&target.tz).date_naive())
    {
        Some(to) if to != from => rule_moved_to_day(base, from, to)
            .map(Some)
            .map_err(|e| refused(&e)),
        _ => Ok(None),
    }
}

/// The first start on `date`: the new time of day, else the occurrence's.
fn first_start(target: &SeriesTarget, wanted: &EventChanges, date: NaiveDate) -> DateTime<Tz> {
    let tz = target.tz;
    if target.all_day {
        return start_of_day(tz, date);
    }
    let time = wanted
        .start
        .map(|s| s.with_timezone(&tz).time())
        .unwrap_or_else(|| target.occurrence.time());
    at(tz, date, time)
}

/// A new first start past the series' `UNTIL` leaves nothing to move.
fn ends_before(
    recurrence: &Recurrence,
    start: DateTime<Tz>,
    target: &SeriesTarget,
) -> Result<(), Answer> {
    let bare = Recurrence::new(recurrence.rule.clone());
    let from = start.with_timezone(&Utc);
    if count_between(&bare, start, from, from + Duration::seconds(1)) > 0 {
        return Ok(());
    }
    Err(nylas_error(format!(
        "{} ends before {}, so there is nothing to move there. Nothing was changed.",
        series_words(target),
        start.format("%a %b %-d")
    )))
}
