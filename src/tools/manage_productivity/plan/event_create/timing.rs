//! When a new event happens: a timed span ([`times::span`]), whole local days (all-day), or
//! the first occurrence and recurrence of a series.
//!
//! Decisions:
//! - All-day events are local dates (`start` = first day, `end` = last day, inclusive), so
//!   they never shift a day whatever the zone; `start`/`end` instants are only the local
//!   midnights around them (for the duplicate check and previews).
//! - A series starts on the first date on or after the given day (today when none) that
//!   its rule allows; today only when the time is still ahead. A series without a clock
//!   time is all-day ("pay rent on the first of every month").

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::super::{time_error, Answer};
use super::times;
use crate::domain::local_time::{add_days_to_date, at, end_of_day, start_of_day};
use crate::domain::recurrence::{self, first_matching_date, RecurrenceInput};
use crate::domain::time::{MomentRole, ResolvedMoment};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::ManageRequest;
use crate::tools::time_reading::read_phrase;
use crate::tools::ToolCall;
use crate::upstream::AllDayDates;

/// Longest all-day event accepted (days).
const MAX_ALL_DAY_DAYS: i64 = 366;

/// The resolved time of a new event.
pub(super) struct Timing {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub all_day: Option<AllDayDates>,
    /// `RRULE` / `EXDATE` lines (empty: a single event).
    pub recurrence: Vec<String>,
    /// Occurrences of the series, `None` when it never ends (or is not a series).
    pub occurrences: Option<usize>,
    /// The series' rule in words.
    pub repeats: Option<String>,
}

impl Timing {
    fn single(start: DateTime<Utc>, end: DateTime<Utc>, all_day: Option<AllDayDates>) -> Timing {
        Timing {
            start,
            end,
            all_day,
            recurrence: vec![],
            occurrences: None,
            repeats: None,
        }
    }
}

/// `notes` collects what the user should be told (from [`times::span`]).
pub(super) fn timing(
    req: &ManageRequest,
    title: &str,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<Timing, Answer> {
    match req
        .recurrence
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        Some(text) => series_timing(req, title, text, call),
        None if req.all_day => {
            let first = day_of(
                req.start.as_deref(),
                req.start_iso.as_deref(),
                call,
                "first day",
            )?
            .ok_or_else(|| nylas_error(format!("Which day should '{title}' be on?")))?;
            let days = all_day_dates(first, req, call)?;
            let (start, end) = all_day_span(days, call.user.tz());
            Ok(Timing::single(start, end, Some(days)))
        }
        None => times::span(req, title, call, notes).map(|(s, e)| Timing::single(s, e, None)),
    }
}

fn series_timing(
    req: &ManageRequest,
    title: &str,
    text: &str,
    call: &ToolCall,
) -> Result<Timing, Answer> {
    let input = RecurrenceInput::read(text).map_err(|e| time_error("repeat rule", &e))?;
    let tz = call.user.tz();
    let moment = match req.start.as_deref() {
        Some(p) => Some(
            read_phrase(
                call,
                p,
                req.start_iso.as_deref(),
                MomentRole::EventStart,
                "start",
            )
            .map_err(|e| time_error("start time", &e))?
            .moment,
        ),
        None => None,
    };
    let time = moment.as_ref().and_then(|m| m.time);
    let all_day = req.all_day || time.is_none();
    let first_date = first_date(&input, moment.as_ref(), time, call).ok_or_else(|| {
        nylas_error(format!(
            "The repeat rule of '{title}' never matches a date."
        ))
    })?;
    let (first, timing) = if all_day {
        let days = all_day_dates(first_date, req, call)?;
        let (start, end) = all_day_span(days, tz);
        (
            start_of_day(tz, first_date),
            Timing::single(start, end, Some(days)),
        )
    } else {
        let first = at(tz, first_date, time.unwrap_or(NaiveTime::MIN));
        let end = timed_end(req, title, first, call)?;
        (first, Timing::single(first.with_timezone(&Utc), end, None))
    };
    let recurrence = input
        .resolve(first, all_day)
        .map_err(|e| time_error("repeat rule", &e))?;
    Ok(Timing {
        recurrence: recurrence.to_lines(),
        occurrences: recurrence::count_total(&recurrence, first),
        repeats: Some(recurrence::describe(&recurrence.rule, tz)),
        ..timing
    })
}

/// The first date the rule allows on or after the given day (today when none was said);
/// a time already past today moves it to the next allowed date.
fn first_date(
    input: &RecurrenceInput,
    moment: Option<&ResolvedMoment>,
    time: Option<NaiveTime>,
    call: &ToolCall,
) -> Option<NaiveDate> {
    let today = call.user.now.date_naive();
    let from = moment.filter(|m| m.date_given).map_or(today, |m| m.date);
    let date = first_matching_date(input.rule(), from)?;
    let passed = time.is_some_and(|t| at(call.user.tz(), date, t) <= call.user.now);
    if date == today && passed && moment.is_none_or(|m| !m.date_given) {
        return first_matching_date(input.rule(), add_days_to_date(today, 1));
    }
    Some(date)
}

fn timed_end(
    req: &ManageRequest,
    title: &str,
    first: DateTime<Tz>,
    call: &ToolCall,
) -> Result<DateTime<Utc>, Answer> {
    let end = match req.end.as_deref() {
        Some(p) => times::end_after(first, p, req.end_iso.as_deref(), call)?,
        None => {
            first.with_timezone(&Utc)
                + Duration::minutes(i64::from(times::default_minutes(req, title)?))
        }
    };
    if end <= first.with_timezone(&Utc) {
        return Err(nylas_error(
            "The event must end after it starts.".to_string(),
        ));
    }
    Ok(end)
}

/// `first` to the end phrase's day (inclusive), at most [`MAX_ALL_DAY_DAYS`].
fn all_day_dates(
    first: NaiveDate,
    req: &ManageRequest,
    call: &ToolCall,
) -> Result<AllDayDates, Answer> {
    let last =
        day_of(req.end.as_deref(), req.end_iso.as_deref(), call, "last day")?.unwrap_or(first);
    if last < first {
        return Err(nylas_error(format!(
            "The last day ({last}) is before the first day ({first})."
        )));
    }
    if (last - first).num_days() >= MAX_ALL_DAY_DAYS {
        return Err(nylas_error(format!(
            "All-day events longer than {MAX_ALL_DAY_DAYS} days are not supported."
        )));
    }
    Ok(AllDayDates { first, last })
}

/// The local date a day phrase names ("Friday", "March 3", "2026-12-22").
/// The model's ISO reading is the fallback.
fn day_of(
    phrase: Option<&str>,
    model_iso: Option<&str>,
    call: &ToolCall,
    what: &'static str,
) -> Result<Option<NaiveDate>, Answer> {
    let field = if what == "first day" { "start" } else { "end" };
    match phrase.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => read_phrase(call, p, model_iso, MomentRole::Generic, field)
            .map(|m| Some(m.moment.date))
            .map_err(|e| time_error(what, &e)),
    }
}

/// The local midnights around all-day dates, as instants.
fn all_day_span(days: AllDayDates, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        start_of_day(tz, days.first).with_timezone(&Utc),
        end_of_day(tz, days.last).with_timezone(&Utc),
    )
}

fn nylas_error(message: String) -> Answer {
    envelope::business_error(Some(ProviderTag::Nylas), message)
}
