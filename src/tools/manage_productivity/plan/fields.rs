//! Reading the plain fields of a request: title, moments, duration, priority, category.
//! Each refuses what it cannot read with a clear error rather than ignoring it.

use chrono::{DateTime, Utc};

use super::{clip, time_error, Answer, MAX_MINUTES};
use crate::domain::duration::parse_duration_minutes;
use crate::domain::priority::Priority;
use crate::domain::time::{MomentRole, ResolvedMoment};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::ManageRequest;
use crate::tools::time_reading::read_phrase;
use crate::tools::ToolCall;

pub(super) fn required_title(req: &ManageRequest, noun: &str) -> Result<String, Answer> {
    req.title.as_deref().and_then(clean_title).ok_or_else(|| {
        envelope::business_error(
            None,
            format!("What should the {noun} be called? Give a title."),
        )
    })
}

/// A title without control characters (line breaks become spaces), trimmed, at most 300
/// characters; `None` when nothing printable is left.
pub(super) fn clean_title(raw: &str) -> Option<String> {
    let printable: String = raw
        .chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect();
    let t = printable.trim();
    (!t.is_empty()).then(|| t.chars().take(300).collect())
}

/// The moment of an optional phrase; a wall time moved out of a DST gap adds a note.
fn opt_moment(
    phrase: Option<&str>,
    model_iso: Option<&str>,
    call: &ToolCall,
    role: MomentRole,
    (what, field): (&str, &'static str),
    notes: &mut Vec<String>,
) -> Result<Option<DateTime<Utc>>, Answer> {
    let Some(p) = phrase.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let moment = read_phrase(call, p, model_iso, role, field)
        .map_err(|e| time_error(what, &e))?
        .moment;
    notes.extend(dst_gap_note(&moment, what));
    Ok(Some(moment.utc()))
}

/// The task's `due` (phrase, with the model's ISO reading as a fallback).
pub(super) fn due(
    req: &ManageRequest,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<Option<DateTime<Utc>>, Answer> {
    opt_moment(
        req.due.as_deref(),
        req.due_iso.as_deref(),
        call,
        MomentRole::Due,
        ("due date", "due"),
        notes,
    )
}

/// The task's `snooze_until` ("not before").
pub(super) fn snooze_until(
    req: &ManageRequest,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<Option<DateTime<Utc>>, Answer> {
    opt_moment(
        req.snooze_until.as_deref(),
        req.snooze_until_iso.as_deref(),
        call,
        MomentRole::EventStart,
        ("start date", "snooze_until"),
        notes,
    )
}

/// "The due date 2:30 AM on Mar 8 does not exist …": a wall time inside a spring-forward
/// gap was moved forward by the gap (see `domain::local_time`).
pub(super) fn dst_gap_note(moment: &ResolvedMoment, what: &str) -> Option<String> {
    if !moment.shifted_by_dst_gap {
        return None;
    }
    let asked = moment
        .time
        .map(|t| format!("{} ", t.format("%-I:%M %p")))
        .unwrap_or_default();
    Some(format!(
        "The {what} {asked}on {} does not exist in your time zone (the clocks spring forward), so I moved it to {}.",
        moment.date.format("%b %-d"),
        moment.instant.format("%-I:%M %p %Z")
    ))
}

pub(super) fn duration_minutes(req: &ManageRequest) -> Result<Option<u32>, Answer> {
    if let Some(m) = req.duration_minutes {
        return bounded_minutes(m).map(Some);
    }
    match req
        .duration
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => Ok(None),
        Some(d) if d.eq_ignore_ascii_case("quick") => Ok(Some(30)),
        Some(d) => parse_duration_minutes(d).map(Some).map_err(|e| {
            envelope::business_error(
                None,
                format!("I couldn't understand the duration '{}': {e}", clip(d)),
            )
        }),
    }
}

pub(super) fn bounded_minutes(m: i64) -> Result<u32, Answer> {
    if (1..=MAX_MINUTES).contains(&m) {
        Ok(m as u32)
    } else {
        Err(envelope::business_error(
            None,
            format!("A duration must be between 1 minute and 7 days (got {m} minutes)."),
        ))
    }
}

/// `category`: WORK (default) or PERSONAL; anything else is refused rather than ignored.
pub(super) fn personal_category(req: &ManageRequest) -> Result<bool, Answer> {
    match req
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => Ok(false),
        Some(c) if c.eq_ignore_ascii_case("work") => Ok(false),
        Some(c) if c.eq_ignore_ascii_case("personal") => Ok(true),
        Some(c) => Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!(
                "'{}' is not a task category: use WORK or PERSONAL.",
                clip(c)
            ),
        )),
    }
}

pub(super) fn priority(req: &ManageRequest) -> Result<Option<Priority>, Answer> {
    match req
        .priority
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => Ok(None),
        Some(p) => Priority::parse(p).map(Some).ok_or_else(|| {
            envelope::business_error(
                Some(ProviderTag::Reclaim),
                format!(
                    "'{}' is not a priority: use P1 (urgent) to P4 (low).",
                    clip(p)
                ),
            )
        }),
    }
}
