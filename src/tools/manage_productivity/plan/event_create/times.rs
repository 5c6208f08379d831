//! The title and the span of a new event.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::super::fields::{clean_title, dst_gap_note, duration_minutes};
use super::super::{time_error, Answer, Span, MAX_MINUTES};
use crate::domain::local_time::add_days;
use crate::domain::time::MomentRole;
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::time_reading::{read_phrase, retime_phrase};
use crate::tools::ToolCall;

/// The title given, or "Focus time" for a focus block.
pub(super) fn title(req: &ManageRequest) -> Result<String, Answer> {
    match req.title.as_deref().and_then(clean_title) {
        Some(t) => Ok(t),
        None if req.action == Some(ManageAction::BlockFocusTime) => Ok("Focus time".to_string()),
        None => Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "What is the event called? Give a title.",
        )),
    }
}

/// Start and end in UTC: the end phrase on the start's date (a time only that is not after
/// the start: the next day, "10pm" → "1am"), else the duration (default 60 minutes, 30 for
/// a "quick" one). Refuses an end not after the start and spans > 7 days. A start moved out
/// of a DST gap adds a note.
pub(super) fn span(
    req: &ManageRequest,
    title: &str,
    call: &ToolCall,
    notes: &mut Vec<String>,
) -> Result<Span, Answer> {
    let start_phrase = req.start.as_deref().ok_or_else(|| {
        envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("When should '{title}' be? Give a date and time."),
        )
    })?;
    let start = read_phrase(
        call,
        start_phrase,
        req.start_iso.as_deref(),
        MomentRole::EventStart,
        "start",
    )
    .map_err(|e| time_error("start time", &e))?
    .moment;
    notes.extend(dst_gap_note(&start, "start time"));
    let start_utc = start.utc();
    let end_utc = match req.end.as_deref() {
        Some(end_phrase) => end_after(start.instant, end_phrase, req.end_iso.as_deref(), call)?,
        None => start_utc + Duration::minutes(default_minutes(req, title)? as i64),
    };
    if end_utc <= start_utc {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "The event must end after it starts.",
        ));
    }
    if (end_utc - start_utc).num_minutes() > MAX_MINUTES {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "Events longer than 7 days are not supported.",
        ));
    }
    Ok((start_utc, end_utc))
}

/// The end phrase read on the start's day (the model's ISO reading as the fallback); a time
/// only at or before the start rolls to the next day (an event across midnight).
pub(in super::super) fn end_after(
    start: DateTime<Tz>,
    end_phrase: &str,
    model_iso: Option<&str>,
    call: &ToolCall,
) -> Result<DateTime<Utc>, Answer> {
    let end = retime_phrase(call, start, end_phrase, model_iso, "end")
        .map_err(|e| time_error("end time", &e))?;
    if !end.date_given && end.instant <= start {
        return Ok(add_days(end.instant, 1).with_timezone(&Utc));
    }
    Ok(end.utc())
}

pub(super) fn default_minutes(req: &ManageRequest, title: &str) -> Result<u32, Answer> {
    let quick = [req.duration.as_deref(), Some(title)]
        .iter()
        .any(|s| s.is_some_and(|s| s.to_lowercase().contains("quick")));
    Ok(duration_minutes(req)?.unwrap_or(if quick { 30 } else { 60 }))
}
