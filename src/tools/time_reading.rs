//! Reading a time phrase for a tool: Rust's reading wins; when Rust cannot read the phrase,
//! the model's own ISO-8601 reading of it (the `*_iso` fields of the model schemas) is used
//! when it is a valid ISO value within bounds, and the call records the field in
//! [`ModelTimeReadings`] (`tools::run` hands them to the request's log line). Only when
//! neither exists is the user asked.
//!
//! The user's `date_order` applies to every reading here.

use std::cell::RefCell;

use chrono::{DateTime, Duration, NaiveDate};
use chrono_tz::Tz;

use super::ToolCall;
use crate::domain::local_time::add_days;
use crate::domain::time::{
    interpret_with, Interpretation, KeepFrom, MomentRole, PhraseOptions, ResolvedMoment, TimeError,
};
use crate::domain::time_window::{resolve_window_with, TimeWindow, WindowKind};

/// A model reading may be at most this far from now.
const MODEL_READING_MAX_DAYS: i64 = 3660;

/// The fields of one tool call whose time came from the model's ISO reading.
#[derive(Debug, Clone, Default)]
pub struct ModelTimeReadings(RefCell<Vec<&'static str>>);

impl ModelTimeReadings {
    fn note(&self, field: &'static str) {
        self.0.borrow_mut().push(field);
    }

    /// The fields noted so far, cleared.
    pub fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// The model's ISO readings of a window's bounds (`*_start_iso`, `*_end_iso`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WindowIso<'a> {
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
}

fn options(call: &ToolCall) -> PhraseOptions {
    PhraseOptions {
        date_order: call.user.date_order,
    }
}

/// Reads `phrase` for `role`; `field` names the argument in the log line.
pub(crate) fn read_phrase(
    call: &ToolCall,
    phrase: &str,
    model_iso: Option<&str>,
    role: MomentRole,
    field: &'static str,
) -> Result<Interpretation, TimeError> {
    let read = interpret_with(
        phrase,
        call.user.now,
        role,
        KeepFrom::Nothing,
        options(call),
    );
    read.or_else(|error| model_moment(call, model_iso, role, field).ok_or(error))
}

/// Re-times `original` from `phrase` ("4pm" keeps the day, "Thursday" keeps the wall time);
/// the model's reading, when used, is the new moment as it stands.
pub(crate) fn retime_phrase(
    call: &ToolCall,
    original: DateTime<Tz>,
    phrase: &str,
    model_iso: Option<&str>,
    field: &'static str,
) -> Result<ResolvedMoment, TimeError> {
    let original = original.with_timezone(&call.user.tz());
    let keep = KeepFrom::Original(original);
    let role = MomentRole::EventStart;
    interpret_with(phrase, call.user.now, role, keep, options(call))
        .or_else(|error| model_moment(call, model_iso, role, field).ok_or(error))
        .map(|reading| reading.moment)
}

/// Reads a window phrase ("this week", "Dec 4 to Dec 8"); when Rust cannot read it, the
/// model's start (and end) readings: a day alone is that whole day, a time alone its hour.
pub(crate) fn read_window(
    call: &ToolCall,
    phrase: &str,
    iso: WindowIso<'_>,
    field: &'static str,
) -> Result<TimeWindow, TimeError> {
    let read = resolve_window_with(phrase, call.user.now, options(call));
    read.or_else(|error| model_window(call, iso, field).ok_or(error))
}

fn model_window(call: &ToolCall, iso: WindowIso<'_>, field: &'static str) -> Option<TimeWindow> {
    let (start, start_day) = model_instant(call, iso.start)?;
    let end = match model_instant(call, iso.end) {
        Some((end, true)) => add_days(end, 1),
        Some((end, false)) => end,
        None if start_day => add_days(start, 1),
        None => start + Duration::hours(1),
    };
    if end <= start {
        return None;
    }
    call.model_time_readings.note(field);
    let kind = match (iso.end.is_some(), start_day) {
        (true, _) => WindowKind::Range,
        (false, true) => WindowKind::Day,
        (false, false) => WindowKind::Moment,
    };
    Some(TimeWindow::named(field, start, end, kind))
}

/// A valid, in-bounds model reading as an interpretation for `role`, noted for the log line.
fn model_moment(
    call: &ToolCall,
    model_iso: Option<&str>,
    role: MomentRole,
    field: &'static str,
) -> Option<Interpretation> {
    let (reading, _) = model_reading(call, model_iso, role)?;
    call.model_time_readings.note(field);
    Some(reading)
}

/// A valid, in-bounds model reading as an instant (a day alone is its 00:00) and whether it
/// names a day only.
fn model_instant(call: &ToolCall, model_iso: Option<&str>) -> Option<(DateTime<Tz>, bool)> {
    let (reading, day_only) = model_reading(call, model_iso, MomentRole::Generic)?;
    Some((reading.moment.instant, day_only))
}

/// The model's ISO value read for `role` when it is one and within bounds; whether it is a
/// day only.
fn model_reading(
    call: &ToolCall,
    model_iso: Option<&str>,
    role: MomentRole,
) -> Option<(Interpretation, bool)> {
    let iso = model_iso.map(str::trim).filter(|iso| looks_iso(iso))?;
    let reading =
        interpret_with(iso, call.user.now, role, KeepFrom::Nothing, options(call)).ok()?;
    in_bounds(&reading.moment, call).then_some((reading, iso.len() == 10))
}

/// "2026-12-02", "2026-12-02T14:00", "2026-12-02T14:00:00-05:00": digits first, a real date.
fn looks_iso(text: &str) -> bool {
    text.len() >= 10
        && text.is_ascii()
        && NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").is_ok()
        && (text.len() == 10 || matches!(text.as_bytes()[10], b'T' | b't' | b' '))
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-:.+TtZz ".contains(&b))
}

fn in_bounds(moment: &ResolvedMoment, call: &ToolCall) -> bool {
    let distance = moment.instant.signed_duration_since(call.user.now);
    distance.abs() <= Duration::days(MODEL_READING_MAX_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_iso_values_count_as_model_readings() {
        assert!(looks_iso("2026-12-02"));
        assert!(looks_iso("2026-12-02T14:00"));
        assert!(looks_iso("2026-12-02T14:00:00-05:00"));
        assert!(!looks_iso("tomorrow at 2pm"));
        assert!(!looks_iso("2026-13-02"));
        assert!(!looks_iso("2026-12-02 and more"));
    }

    #[test]
    fn model_readings_are_taken_once() {
        let readings = ModelTimeReadings::default();
        readings.note("start");
        readings.note("range");
        assert_eq!(readings.take(), vec!["start", "range"]);
        assert!(readings.take().is_empty());
    }
}
