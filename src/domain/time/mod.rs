//! Resolving a moment phrase ("Friday", "tomorrow 2pm", "end of week", "Dec 4 at 3:30pm",
//! "in 2 hours", "2026-12-04T15:30") to an instant in the user's zone, deterministically.
//!
//! The model only copies the user's words; every date/time computation happens here, with
//! "now" (the user's local now) as a parameter.
//!
//! # Decisions on ambiguous phrases
//! - **Role defaults** when the phrase names a day but no time: `Due` → 17:00,
//!   `EventStart` → 09:00, `Generic` → 00:00.
//! - **Part-of-day words** give a time for every role: morning 09:00, noon/midday/lunch
//!   12:00, afternoon 13:00, end of day/EOD/COB 17:00, evening 18:00, night/tonight 19:00.
//!   "midnight" is the *end* of the named day (24:00 = 00:00 of the next day), so "by
//!   midnight" / "Friday midnight" never land in the past of that day; "12am" is 00:00 at
//!   the start of the day.
//! - **Clock times without am/pm**: hours 1–6 are afternoon (13:00–18:00), 7–11 morning,
//!   12 noon, 0 and 13–23 are 24-hour times. A part-of-day word decides instead when given
//!   ("7 in the evening" → 19:00, "tonight at 8" → 20:00). A bare number is only a time
//!   after "at"/"@" ("at 9" → 09:00) or with ":" ("9:30").
//! - **A time with no date** is the next occurrence of that time: today if still ahead of
//!   now, otherwise tomorrow.
//! - **Weekday names**: "Friday" / "this Friday" / "coming Friday" = the coming Friday;
//!   when today is Friday it is today if the resolved moment is still ahead of now, else
//!   Friday next week (for `Generic` with no time, today always counts). "next Friday" =
//!   the first Friday strictly after today (PRODUCT §4: "next Tuesday" means the coming
//!   Tuesday; on a Tuesday it means a week from today). "Friday next week", "next week
//!   Friday" = the Friday of next Monday-based week. "last Friday" = the most recent Friday
//!   strictly before today.
//! - **Periods**: "end of week"/"EOW"/"this week" = Friday 17:00 of this week (next week's
//!   Friday when that is already past, e.g. on weekends); "end of next week" = next week's
//!   Friday 17:00; "next week" = Monday of next week (09:00, `Generic` 00:00); "end of
//!   month"/"EOM"/"this month" = last day of the month 17:00 (next month's when already
//!   past); "next month" = the 1st of next month (09:00, `Generic` 00:00); "this weekend"
//!   = the coming Saturday (today on a weekend day); "next weekend" = Saturday of next week.
//!   "end of day" alone = today 17:00 even when that has passed (`is_past` says so).
//! - **Relative**: "in N minutes/hours" (also "N hours from now") = now + exact duration;
//!   "in N days/weeks" = that many calendar days later, time from the role default
//!   (or the phrase); "in N months" = same day of month N months later (clamped to the
//!   month's end); "N days ago" counts back. Offsets beyond 10 years are rejected.
//! - **Dates**: numeric dates are month/day ("12/4" = 4 December) unless the first number
//!   is above 12 ("25/12" = 25 December); a date without a year that is already past this
//!   year means next year (today counts as not past); "the 4th" = the next 4th of a month
//!   (today included). A weekday given with a date must agree ("Friday Dec 4") or it is a
//!   `TimeError::Conflict`.
//! - **ISO values**: "2026-12-04" = that date (role default time), "2026-12-04T15:30" = a
//!   local wall time, "2026-12-04T15:30:00-05:00" / "...Z" = that exact instant shown in
//!   the user's zone.
//! - **DST**: wall times are placed with [`crate::domain::local_time`]: a time in a
//!   spring-forward gap moves forward by the gap, an ambiguous fall-back time takes the
//!   earlier instant.
//! - Not understood on purpose: time-zone abbreviations ("3pm EST": the user's zone is
//!   always used, so a foreign zone is an error rather than a silent misreading) and a
//!   bare number after a day ("Friday 3": write "Friday at 3" or "Friday 3pm").
//! - Filler words are ignored ("by", "on", "at", "before", "due", "the", "around", ...);
//!   matching is case-insensitive; input is limited to [`MAX_PHRASE_CHARS`] characters;
//!   anything not understood is a `TimeError` naming the phrase and the word.

mod clock;
mod clock_idioms;
mod dates;
mod days;
mod error;
mod grammar;
mod holidays;
mod iso;
mod moment;
mod options;
mod periods;
mod relative;
mod resolve;
mod roles;
mod tokens;

use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::domain::local_time::place_local;

pub use error::TimeError;
pub(crate) use moment::{Interpretation, KeepFrom, PartWord};
pub use moment::{ResolvedMoment, TimeSource};
pub use options::{DateOrder, PhraseOptions};
pub(crate) use resolve::{interpret, interpret_with};
pub use roles::MomentRole;
pub(crate) use tokens::{parse_month, parse_part};

use grammar::{parse, Parsed};

/// Longest phrase accepted (characters).
pub const MAX_PHRASE_CHARS: usize = 200;
/// Relative offsets ("in N days") are limited to this many days.
const MAX_OFFSET_DAYS: i64 = 3660;
/// Years (UTC) an explicit date may fall in: unix time onwards, well before year 10000.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2199;

/// Resolves a moment phrase relative to `now` (the user's local now, whose zone is used).
pub fn resolve_moment(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
) -> Result<ResolvedMoment, TimeError> {
    parse_phrase(phrase, now, role, PhraseOptions::default())
}

/// The stable entry point: resolves `text` relative to `now` (whose zone is the user's)
/// for `role`, with the user's reading options.
pub fn parse_phrase(
    text: &str,
    now: DateTime<Tz>,
    role: MomentRole,
    options: PhraseOptions,
) -> Result<ResolvedMoment, TimeError> {
    Ok(interpret_with(text, now, role, KeepFrom::Nothing, options)?.moment)
}

/// A time-of-day-only phrase ("4pm", "at 16:30", "noon", "morning") → its wall time;
/// `None` when the phrase is not purely a time of day. "midnight" → 00:00.
pub fn resolve_time_of_day(phrase: &str) -> Option<NaiveTime> {
    let parsed = parse(phrase, PhraseOptions::default()).ok()?;
    let Parsed::Words(words) = parsed else {
        return None;
    };
    if words.date.is_some() || words.weekday.is_some() || words.offset.is_some() || words.now {
        return None;
    }
    let (time, _) = words.time_of_day()?;
    Some(time.unwrap_or(NaiveTime::MIN))
}

/// Re-times `original` from a phrase ("move it to 4pm", "reschedule to Thursday"):
/// a time-only phrase keeps the original local date; a day-only phrase keeps the original
/// wall time on the new day; a phrase with both (or an ISO value / exact offset) is taken
/// as is. "N minutes/hours/days later/earlier" shifts the original; bare "next week" means
/// the same weekday next week. `now`'s zone is the user's zone.
pub fn apply_time_keep_date(
    original: DateTime<Tz>,
    new_phrase: &str,
    now: DateTime<Tz>,
) -> Result<ResolvedMoment, TimeError> {
    let original = original.with_timezone(&now.timezone());
    Ok(interpret(
        new_phrase,
        now,
        MomentRole::EventStart,
        KeepFrom::Original(original),
    )?
    .moment)
}

/// Formats an instant the way the rest of the crate shows times: RFC 3339 with the
/// user's offset, seconds precision.
pub fn format_instant(instant: &DateTime<Tz>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A convenience for tests and callers that build "now" from a wall time.
pub fn local_now(tz: Tz, naive: NaiveDateTime) -> DateTime<Tz> {
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| place_local(tz, naive).instant)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod corpus_tests;
