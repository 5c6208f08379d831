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

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Weekday,
};
use chrono_tz::Tz;

use crate::domain::local_time::{
    add_days_to_date, month_end_date, month_start_date, next_weekday_after,
    next_weekday_on_or_after, place_local, week_start_date, weekday_in_week_of,
};

/// Longest phrase accepted (characters).
pub const MAX_PHRASE_CHARS: usize = 200;
/// Relative offsets ("in N days") are limited to this many days.
const MAX_OFFSET_DAYS: i64 = 3660;
/// Years (UTC) an explicit date may fall in: unix time onwards, well before year 10000.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2199;

/// What the moment is for; decides the time when the phrase only gives a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MomentRole {
    /// A task's due time: 17:00.
    Due,
    /// An event's start: 09:00.
    EventStart,
    /// Anything else: 00:00.
    Generic,
}

impl MomentRole {
    /// The time used when the phrase gives a day but no time.
    pub fn default_time(self) -> NaiveTime {
        match self {
            MomentRole::Due => hm(17, 0),
            MomentRole::EventStart => hm(9, 0),
            MomentRole::Generic => NaiveTime::MIN,
        }
    }

    /// The time used for start-of-period phrases ("next week", "next month").
    fn period_start_time(self) -> NaiveTime {
        match self {
            MomentRole::Generic => NaiveTime::MIN,
            MomentRole::Due | MomentRole::EventStart => hm(9, 0),
        }
    }
}

/// Where the resolved wall time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// A clock time ("2pm", "14:30"), an ISO time, or an exact offset ("in 2 hours", "now").
    Explicit,
    /// A part-of-day word ("morning", "end of day", "noon") or an end-of-period phrase.
    DayPart,
    /// Nothing about the time was said; the role default (or a period default) was used.
    Default,
    /// `apply_time_keep_date` kept the original wall time.
    KeptFromOriginal,
}

/// A phrase resolved to an instant in the user's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedMoment {
    pub instant: DateTime<Tz>,
    /// The local date of `instant`.
    pub date: NaiveDate,
    /// The wall time the phrase itself gave (clock time or part-of-day word); `None` when
    /// a default was used.
    pub time: Option<NaiveTime>,
    /// Whether the phrase said anything about the day (a date, weekday, "tomorrow", an
    /// offset, ...); `false` for time-only phrases such as "4pm".
    pub date_given: bool,
    pub time_source: TimeSource,
    /// The wall time fell into a DST gap and was moved forward by the gap.
    pub shifted_by_dst_gap: bool,
    /// The instant is before now.
    pub is_past: bool,
}

impl ResolvedMoment {
    /// The instant in UTC.
    pub fn utc(&self) -> DateTime<chrono::Utc> {
        self.instant.with_timezone(&chrono::Utc)
    }
}

/// Why a phrase could not be resolved. Messages name the phrase and never panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    TooLong { max_chars: usize },
    Unrecognized { phrase: String, word: String },
    InvalidDate { phrase: String, detail: String },
    Conflict { phrase: String, detail: String },
    OutOfRange { phrase: String },
    EmptyRange { phrase: String },
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Empty => write!(f, "no date or time was given"),
            TimeError::TooLong { max_chars } => {
                write!(
                    f,
                    "the date/time phrase is longer than {max_chars} characters"
                )
            }
            TimeError::Unrecognized { phrase, word } if word == phrase || word.is_empty() => {
                write!(f, "could not understand the date/time '{phrase}'")
            }
            TimeError::Unrecognized { phrase, word } => write!(
                f,
                "could not understand the date/time '{phrase}' (unknown part '{word}')"
            ),
            TimeError::InvalidDate { phrase, detail } => {
                write!(f, "'{phrase}' is not a valid date/time: {detail}")
            }
            TimeError::Conflict { phrase, detail } => {
                write!(f, "'{phrase}' is contradictory: {detail}")
            }
            TimeError::OutOfRange { phrase } => {
                write!(f, "'{phrase}' is too far from today")
            }
            TimeError::EmptyRange { phrase } => {
                write!(f, "the range '{phrase}' ends before it starts")
            }
        }
    }
}

impl std::error::Error for TimeError {}

/// Resolves a moment phrase relative to `now` (the user's local now, whose zone is used).
pub fn resolve_moment(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
) -> Result<ResolvedMoment, TimeError> {
    let interpretation = interpret(phrase, now, role, KeepFrom::Nothing)?;
    Ok(interpretation.moment)
}

/// A time-of-day-only phrase ("4pm", "at 16:30", "noon", "morning") → its wall time;
/// `None` when the phrase is not purely a time of day. "midnight" → 00:00.
pub fn resolve_time_of_day(phrase: &str) -> Option<NaiveTime> {
    let parsed = parse(phrase).ok()?;
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

// ---------------------------------------------------------------------------------------
// Interpretation (shared with time_window)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeepFrom {
    Nothing,
    Original(DateTime<Tz>),
}

/// A part-of-day word as said by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartWord {
    Morning,
    Noon,
    Afternoon,
    EndOfDay,
    Evening,
    Night,
    Midnight,
}

impl PartWord {
    fn anchor(self) -> NaiveTime {
        match self {
            PartWord::Morning => hm(9, 0),
            PartWord::Noon => hm(12, 0),
            PartWord::Afternoon => hm(13, 0),
            PartWord::EndOfDay => hm(17, 0),
            PartWord::Evening => hm(18, 0),
            PartWord::Night => hm(19, 0),
            PartWord::Midnight => NaiveTime::MIN,
        }
    }

    fn is_pm(self) -> Option<bool> {
        match self {
            PartWord::Morning => Some(false),
            PartWord::Afternoon | PartWord::Evening | PartWord::Night | PartWord::EndOfDay => {
                Some(true)
            }
            PartWord::Noon | PartWord::Midnight => None,
        }
    }

    /// The day part a window phrase refers to.
    pub(crate) fn day_part(self) -> Option<crate::domain::day_part::DayPart> {
        use crate::domain::day_part::DayPart;
        match self {
            PartWord::Morning => Some(DayPart::Morning),
            PartWord::Afternoon => Some(DayPart::Afternoon),
            PartWord::Evening | PartWord::Night => Some(DayPart::Evening),
            _ => None,
        }
    }
}

/// Everything learnt from a phrase, for callers that need more than the instant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Interpretation {
    pub moment: ResolvedMoment,
    /// The part-of-day word, when one was given.
    pub part: Option<PartWord>,
    /// A clock time (or ISO time) was given.
    pub clock_given: bool,
    /// The phrase was an exact offset/now/ISO instant rather than a day.
    pub exact: bool,
}

pub(crate) fn interpret(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
    keep: KeepFrom,
) -> Result<Interpretation, TimeError> {
    let interpretation = interpret_unbounded(phrase, now, role, keep)?;
    // Explicit dates such as "0000-01-01T10:00" or "9999-12-31T23:30" (whose end would be
    // in year 10000) are not real calendar requests; word phrases are bounded by offsets.
    if !PLAUSIBLE_YEARS.contains(&interpretation.moment.utc().year()) {
        return Err(TimeError::OutOfRange {
            phrase: phrase.trim().chars().take(MAX_PHRASE_CHARS).collect(),
        });
    }
    Ok(interpretation)
}

fn interpret_unbounded(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
    keep: KeepFrom,
) -> Result<Interpretation, TimeError> {
    let tz = now.timezone();
    match parse(phrase)? {
        Parsed::Instant(fixed) => {
            let instant = fixed.with_timezone(&tz);
            Ok(Interpretation {
                moment: ResolvedMoment {
                    instant,
                    date: instant.date_naive(),
                    time: Some(instant.time()),
                    date_given: true,
                    time_source: TimeSource::Explicit,
                    shifted_by_dst_gap: false,
                    is_past: instant < now,
                },
                part: None,
                clock_given: true,
                exact: true,
            })
        }
        Parsed::Local(naive) => {
            let placed = place_local(tz, naive);
            Ok(Interpretation {
                moment: ResolvedMoment {
                    instant: placed.instant,
                    date: placed.instant.date_naive(),
                    time: Some(naive.time()),
                    date_given: true,
                    time_source: TimeSource::Explicit,
                    shifted_by_dst_gap: placed.shifted_by_gap,
                    is_past: placed.instant < now,
                },
                part: None,
                clock_given: true,
                exact: false,
            })
        }
        Parsed::Words(words) => words.resolve(phrase.trim(), now, role, keep),
    }
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

enum Parsed {
    Instant(DateTime<FixedOffset>),
    Local(NaiveDateTime),
    Words(Words),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WeekdayMode {
    /// "Friday", "this Friday": on or after today.
    Coming,
    /// "next Friday": strictly after today.
    Next,
    /// "Friday next week".
    NextWeek,
    /// "last Friday": strictly before today.
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateSpec {
    Exact(NaiveDate),
    Yearless {
        month: u32,
        day: u32,
    },
    DayOfMonth(u32),
    RelDays(i64),
    /// Friday of the week `offset` weeks from this one (rolls forward when past, offset 0).
    EndOfWeek(i64),
    /// Monday of the week `offset` weeks from this one.
    StartOfWeek(i64),
    /// Saturday of this/next weekend.
    Weekend(i64),
    EndOfMonth(i32),
    StartOfMonth(i32),
    EndOfYear,
}

impl DateSpec {
    /// Period phrases carry their own time when none is given.
    fn own_time(self, role: MomentRole) -> Option<(NaiveTime, TimeSource)> {
        match self {
            DateSpec::EndOfWeek(_) | DateSpec::EndOfMonth(_) | DateSpec::EndOfYear => {
                Some((hm(17, 0), TimeSource::DayPart))
            }
            DateSpec::StartOfWeek(_) | DateSpec::StartOfMonth(_) => {
                Some((role.period_start_time(), TimeSource::Default))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    hour: u32,
    minute: u32,
    meridiem: Option<Meridiem>,
    /// Written as a 24-hour time ("14:30", "09:00"): no am/pm guessing.
    twenty_four: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offset {
    Minutes(i64),
    Days(i64),
    Months(i32),
}

#[derive(Debug, Clone, Default)]
struct Words {
    date: Option<DateSpec>,
    weekday: Option<(Weekday, WeekdayMode)>,
    clock: Option<Clock>,
    part: Option<PartWord>,
    offset: Option<Offset>,
    /// The offset was written "later"/"earlier" (relative to the original when re-timing).
    offset_is_shift: bool,
    now: bool,
    /// Bare "next week" (re-timing: same weekday next week).
    bare_next_week: bool,
}

fn parse(phrase: &str) -> Result<Parsed, TimeError> {
    let trimmed = phrase.trim();
    if trimmed.is_empty() {
        return Err(TimeError::Empty);
    }
    if trimmed.chars().count() > MAX_PHRASE_CHARS {
        return Err(TimeError::TooLong {
            max_chars: MAX_PHRASE_CHARS,
        });
    }
    if let Some(iso) = parse_iso(trimmed) {
        return Ok(iso);
    }
    let tokens = tokenize(trimmed);
    if tokens.is_empty() {
        return Err(unrecognized(trimmed, trimmed));
    }
    let mut parser = Parser {
        phrase: trimmed,
        toks: tokens,
        i: 0,
        words: Words::default(),
        after_at: false,
    };
    parser.run()?;
    let w = &parser.words;
    if w.date.is_none()
        && w.weekday.is_none()
        && w.clock.is_none()
        && w.part.is_none()
        && w.offset.is_none()
        && !w.now
    {
        return Err(unrecognized(trimmed, trimmed));
    }
    Ok(Parsed::Words(parser.words))
}

fn parse_iso(s: &str) -> Option<Parsed> {
    if !s.starts_with(|c: char| c.is_ascii_digit()) || s.len() < 10 || !s.is_ascii() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(Parsed::Instant(dt));
    }
    let upper = s.to_ascii_uppercase();
    let zoned = upper
        .strip_suffix('Z')
        .map(|rest| format!("{rest}+00:00"))
        .unwrap_or_else(|| upper.clone());
    for fmt in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%d %H:%M:%S%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(&zoned, fmt) {
            return Some(Parsed::Instant(dt));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&upper, fmt) {
            return Some(Parsed::Local(naive));
        }
    }
    None
}

fn tokenize(s: &str) -> Vec<String> {
    let lower = s
        .to_lowercase()
        .replace('’', "'")
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace("a.m", "am")
        .replace("p.m", "pm")
        .replace("o'clock", "oclock")
        .replace('@', " at ");
    let chars: Vec<char> = lower.chars().collect();
    let mut cleaned = String::with_capacity(lower.len());
    for (idx, &c) in chars.iter().enumerate() {
        let between_digits = |c: char| {
            idx > 0
                && chars[idx - 1].is_ascii_digit()
                && chars.get(idx + 1).is_some_and(|n| n.is_ascii_digit())
                && c == '.'
        };
        if c.is_alphanumeric() || matches!(c, ':' | '/' | '-' | '\'') || between_digits(c) {
            cleaned.push(c);
        } else {
            cleaned.push(' ');
        }
    }
    cleaned
        .split_whitespace()
        .map(|t| t.trim_matches(|c| c == '-' || c == '\'').to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

struct Parser<'a> {
    phrase: &'a str,
    toks: Vec<String>,
    i: usize,
    words: Words,
    after_at: bool,
}

const FILLER: &[&str] = &[
    "by",
    "on",
    "before",
    "due",
    "the",
    "around",
    "about",
    "approximately",
    "approx",
    "until",
    "till",
    "til",
    "no",
    "later",
    "than",
    "please",
    "sometime",
    "starting",
    "from",
    "for",
    "of",
    "and",
    "to",
    "it",
    "is",
    "be",
    "latest",
    "at",
    "in",
    "during",
    "this",
    "ish",
];

impl Parser<'_> {
    fn tok(&self, offset: usize) -> Option<&str> {
        self.toks.get(self.i + offset).map(String::as_str)
    }

    fn run(&mut self) -> Result<(), TimeError> {
        while self.i < self.toks.len() {
            let at_before = self.after_at;
            self.after_at = false;
            let consumed = self.step(at_before)?;
            self.i += consumed;
        }
        Ok(())
    }

    /// Consumes at least one token or fails.
    fn step(&mut self, after_at: bool) -> Result<usize, TimeError> {
        let t0 = self.tok(0).unwrap_or_default().to_string();
        let t1 = self.tok(1).map(str::to_string);
        let t1 = t1.as_deref();

        if t0 == "at" {
            self.after_at = true;
            return Ok(1);
        }
        if let Some(n) = self.relative()? {
            return Ok(n);
        }
        if let Some(n) = self.end_or_start_of()? {
            return Ok(n);
        }
        match (t0.as_str(), t1) {
            ("first", Some("thing")) => {
                self.set_part(PartWord::Morning)?;
                return Ok(2);
            }
            ("now", _) | ("right", Some("now")) => {
                self.words.now = true;
                return Ok(if t0 == "right" { 2 } else { 1 });
            }
            ("today" | "tod", _) => return self.set_date(DateSpec::RelDays(0), 1),
            ("tonight" | "tonite", _) => {
                self.set_part(PartWord::Night)?;
                return self.set_date(DateSpec::RelDays(0), 1);
            }
            ("tomorrow" | "tmrw" | "tmr" | "tmw" | "tomorow" | "tommorow" | "tommorrow", _) => {
                return self.set_date(DateSpec::RelDays(1), 1)
            }
            ("yesterday", _) => return self.set_date(DateSpec::RelDays(-1), 1),
            ("day", Some("after")) if self.tok(2).is_some_and(is_tomorrow) => {
                return self.set_date(DateSpec::RelDays(2), 3)
            }
            ("day", Some("before")) if self.tok(2) == Some("yesterday") => {
                return self.set_date(DateSpec::RelDays(-2), 3)
            }
            ("overmorrow", _) => return self.set_date(DateSpec::RelDays(2), 1),
            ("next" | "this" | "coming" | "upcoming" | "last" | "past", Some(w))
                if parse_weekday(w).is_some() =>
            {
                let wd = parse_weekday(w).unwrap_or(Weekday::Mon);
                let mode = match t0.as_str() {
                    "next" => WeekdayMode::Next,
                    "last" | "past" => WeekdayMode::Last,
                    _ => WeekdayMode::Coming,
                };
                let extra = self.week_suffix(2);
                let mode = if extra > 0 {
                    WeekdayMode::NextWeek
                } else {
                    mode
                };
                return self.set_weekday(wd, mode, 2 + extra);
            }
            ("next" | "following", Some("week" | "wk")) => {
                if let Some(wd) = self.tok(2).and_then(parse_weekday) {
                    return self.set_weekday(wd, WeekdayMode::NextWeek, 3);
                }
                self.words.bare_next_week = true;
                return self.set_date(DateSpec::StartOfWeek(1), 2);
            }
            ("week", Some("after")) if self.tok(2) == Some("next") => {
                return self.set_date(DateSpec::StartOfWeek(2), 3)
            }
            ("this", Some("week" | "wk")) => return self.set_date(DateSpec::EndOfWeek(0), 2),
            ("next", Some("month")) => return self.set_date(DateSpec::StartOfMonth(1), 2),
            ("this", Some("month")) => return self.set_date(DateSpec::EndOfMonth(0), 2),
            ("next", Some("weekend")) => return self.set_date(DateSpec::Weekend(1), 2),
            ("this", Some("weekend")) | ("weekend", _) => {
                return self.set_date(DateSpec::Weekend(0), if t0 == "this" { 2 } else { 1 })
            }
            ("this", Some(p)) if parse_part(p).is_some() => {
                self.set_part(parse_part(p).unwrap_or(PartWord::Morning))?;
                return self.set_date(DateSpec::RelDays(0), 2);
            }
            _ => {}
        }
        if let Some(wd) = parse_weekday(&t0) {
            let extra = self.week_suffix(1);
            let mode = if extra > 0 {
                WeekdayMode::NextWeek
            } else {
                WeekdayMode::Coming
            };
            return self.set_weekday(wd, mode, 1 + extra);
        }
        if let Some(n) = self.explicit_date()? {
            return Ok(n);
        }
        if let Some(n) = self.clock(after_at)? {
            return Ok(n);
        }
        if let Some(part) = parse_part(&t0) {
            self.set_part(part)?;
            return Ok(1);
        }
        if FILLER.contains(&t0.as_str()) {
            return Ok(1);
        }
        Err(unrecognized(self.phrase, &t0))
    }

    /// "next week" / "of next week" / "week" after a weekday: how many tokens it takes.
    fn week_suffix(&self, from: usize) -> usize {
        match (self.tok(from), self.tok(from + 1), self.tok(from + 2)) {
            (Some("next"), Some("week"), _) => 2,
            (Some("of"), Some("next"), Some("week")) => 3,
            (Some("week"), _, _) => 1,
            _ => 0,
        }
    }

    fn set_date(&mut self, spec: DateSpec, consumed: usize) -> Result<usize, TimeError> {
        if let Some(existing) = self.words.date {
            if existing != spec {
                return Err(self.conflict("it names two different days"));
            }
        }
        self.words.date = Some(spec);
        Ok(consumed)
    }

    fn set_weekday(
        &mut self,
        wd: Weekday,
        mode: WeekdayMode,
        consumed: usize,
    ) -> Result<usize, TimeError> {
        if let Some((existing, _)) = self.words.weekday {
            if existing != wd {
                return Err(self.conflict("it names two different weekdays"));
            }
        }
        self.words.weekday = Some((wd, mode));
        Ok(consumed)
    }

    fn set_part(&mut self, part: PartWord) -> Result<(), TimeError> {
        match self.words.part {
            Some(existing) if existing != part => {
                // "tonight" + "evening"/"night" are the same idea.
                let compatible = matches!(
                    (existing, part),
                    (
                        PartWord::Night | PartWord::Evening,
                        PartWord::Night | PartWord::Evening
                    )
                );
                if !compatible {
                    return Err(self.conflict("it names two different times of day"));
                }
            }
            _ => self.words.part = Some(part),
        }
        Ok(())
    }

    fn set_clock(&mut self, clock: Clock, consumed: usize) -> Result<usize, TimeError> {
        if self.words.clock.is_some_and(|c| c != clock) {
            return Err(self.conflict("it names two different times"));
        }
        self.words.clock = Some(clock);
        Ok(consumed)
    }

    fn conflict(&self, detail: &str) -> TimeError {
        TimeError::Conflict {
            phrase: self.phrase.to_string(),
            detail: detail.to_string(),
        }
    }

    fn invalid(&self, detail: &str) -> TimeError {
        TimeError::InvalidDate {
            phrase: self.phrase.to_string(),
            detail: detail.to_string(),
        }
    }

    /// "in 2 hours", "within 3 days", "2 days from now", "an hour later", "3 days ago".
    fn relative(&mut self) -> Result<Option<usize>, TimeError> {
        let lead = matches!(self.tok(0), Some("in" | "within" | "after"));
        let start = usize::from(lead);
        let Some((amount, unit, used)) = self.amount_and_unit(start) else {
            return Ok(None);
        };
        let mut consumed = start + used;
        let mut sign = 1.0;
        let mut shift = false;
        match (self.tok(consumed), self.tok(consumed + 1)) {
            (Some("from"), Some("now" | "today")) => consumed += 2,
            (Some("later" | "hence" | "after"), _) => {
                shift = true;
                consumed += 1;
            }
            (Some("earlier" | "before" | "sooner"), _) if !lead => {
                shift = true;
                sign = -1.0;
                consumed += 1;
            }
            (Some("ago"), _) if !lead => {
                sign = -1.0;
                consumed += 1;
            }
            _ if lead => {}
            // "2 days" with no "in"/"from now"/"later" is not a moment.
            _ => return Ok(None),
        }
        let value = amount * sign;
        let out_of_range = || TimeError::OutOfRange {
            phrase: self.phrase.to_string(),
        };
        let offset = match unit {
            Unit::Minutes | Unit::Hours => {
                let minutes = value * if unit == Unit::Hours { 60.0 } else { 1.0 };
                if minutes.abs() > (MAX_OFFSET_DAYS * 24 * 60) as f64 {
                    return Err(out_of_range());
                }
                Offset::Minutes(minutes.round() as i64)
            }
            Unit::Days | Unit::Weeks => {
                let days = value * if unit == Unit::Weeks { 7.0 } else { 1.0 };
                if days.fract() != 0.0 {
                    // "in 1.5 days" → exact hours.
                    if days.abs() > MAX_OFFSET_DAYS as f64 {
                        return Err(out_of_range());
                    }
                    Offset::Minutes((days * 24.0 * 60.0).round() as i64)
                } else {
                    if days.abs() > MAX_OFFSET_DAYS as f64 {
                        return Err(out_of_range());
                    }
                    Offset::Days(days as i64)
                }
            }
            Unit::Months | Unit::Years => {
                let months = value * if unit == Unit::Years { 12.0 } else { 1.0 };
                if months.fract() != 0.0 {
                    return Err(self.invalid("use whole months"));
                }
                if months.abs() > 120.0 {
                    return Err(out_of_range());
                }
                Offset::Months(months as i32)
            }
        };
        if self.words.offset.is_some() {
            return Err(self.conflict("it gives two offsets"));
        }
        self.words.offset = Some(offset);
        self.words.offset_is_shift = shift;
        Ok(Some(consumed))
    }

    /// A count and a unit starting at token `from`: "2 hours", "an hour", "half an hour",
    /// "a couple of days", "1.5h", "90min", "an hour and a half".
    fn amount_and_unit(&self, from: usize) -> Option<(f64, Unit, usize)> {
        let t = self.tok(from)?;
        // Glued forms: "2h", "90min", "1.5hrs", "3d", "2w".
        if let Some((number, unit)) = split_number_unit(t) {
            return Some((number, unit, 1));
        }
        let (amount, used) = match (t, self.tok(from + 1), self.tok(from + 2)) {
            ("half", Some("an" | "a"), _) => (0.5, 2),
            ("half", _, _) => (0.5, 1),
            ("a", Some("couple"), Some("of")) => (2.0, 3),
            ("a" | "couple", Some("couple" | "of"), _) => (2.0, 2),
            ("a", Some("few"), _) => (3.0, 2),
            ("a", Some("half"), _) => (0.5, 2),
            _ => (parse_amount(t)?, 1),
        };
        let unit = parse_unit(self.tok(from + used)?)?;
        let mut used = used + 1;
        let mut amount = amount;
        if let (Some("and"), Some("a"), Some("half")) = (
            self.tok(from + used),
            self.tok(from + used + 1),
            self.tok(from + used + 2),
        ) {
            amount += 0.5;
            used += 3;
        }
        Some((amount, unit, used))
    }

    /// "end of day/week/month/year", "EOD", "EOW", "start of next week", ...
    fn end_or_start_of(&mut self) -> Result<Option<usize>, TimeError> {
        let t0 = self.tok(0).unwrap_or_default();
        match t0 {
            "eod" | "cob" | "eob" | "eop" => {
                self.set_part(PartWord::EndOfDay)?;
                return Ok(Some(1));
            }
            "eow" => return self.set_date(DateSpec::EndOfWeek(0), 1).map(Some),
            "eom" => return self.set_date(DateSpec::EndOfMonth(0), 1).map(Some),
            "eoy" => return self.set_date(DateSpec::EndOfYear, 1).map(Some),
            "close" if self.tok(1) == Some("of") => {
                if matches!(self.tok(2), Some("business" | "play" | "day")) {
                    self.set_part(PartWord::EndOfDay)?;
                    return Ok(Some(3));
                }
                return Ok(None);
            }
            _ => {}
        }
        let is_end = matches!(t0, "end" | "close");
        let is_start = matches!(t0, "start" | "beginning" | "early");
        if !(is_end || is_start) {
            return Ok(None);
        }
        let mut k = 1;
        if self.tok(k) == Some("of") {
            k += 1;
        }
        while matches!(self.tok(k), Some("the" | "this")) {
            k += 1;
        }
        let mut offset = 0;
        if self.tok(k) == Some("next") {
            offset = 1;
            k += 1;
        }
        // "end of the work week"
        if matches!(self.tok(k), Some("work" | "working" | "business"))
            && self.tok(k + 1) == Some("week")
        {
            k += 1;
        }
        let Some(what) = self.tok(k).map(str::to_string) else {
            return Ok(None);
        };
        k += 1;
        // "end of business day"
        if what == "business" && self.tok(k) == Some("day") {
            k += 1;
        }
        match (is_end, what.as_str()) {
            (true, "day" | "business" | "play" | "today") if offset == 0 => {
                self.set_part(PartWord::EndOfDay)?;
                if what == "today" {
                    self.set_date(DateSpec::RelDays(0), 0)?;
                }
                Ok(Some(k))
            }
            (true, w) if offset == 0 && is_tomorrow(w) => {
                self.set_part(PartWord::EndOfDay)?;
                self.set_date(DateSpec::RelDays(1), k).map(Some)
            }
            (true, w) if offset == 0 && parse_weekday(w).is_some() => {
                self.set_part(PartWord::EndOfDay)?;
                let wd = parse_weekday(w).unwrap_or(Weekday::Fri);
                self.set_weekday(wd, WeekdayMode::Coming, k).map(Some)
            }
            (true, "week" | "wk") => self.set_date(DateSpec::EndOfWeek(offset), k).map(Some),
            (true, "month") => self
                .set_date(DateSpec::EndOfMonth(offset as i32), k)
                .map(Some),
            (true, "year") if offset == 0 => self.set_date(DateSpec::EndOfYear, k).map(Some),
            (false, "week" | "wk") => self.set_date(DateSpec::StartOfWeek(offset), k).map(Some),
            (false, "month") => self
                .set_date(DateSpec::StartOfMonth(offset as i32), k)
                .map(Some),
            _ => Ok(None),
        }
    }

    /// Explicit calendar dates.
    fn explicit_date(&mut self) -> Result<Option<usize>, TimeError> {
        let t0 = self.tok(0).unwrap_or_default().to_string();
        // ISO date inside a phrase: 2026-12-04 / 2026/12/04
        if let Some(date) = parse_iso_like_date(&t0) {
            return self.set_date(DateSpec::Exact(date), 1).map(Some);
        }
        // Numeric month/day[/year]
        if t0.contains('/') {
            let parts: Vec<&str> = t0.split('/').collect();
            if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| !is_small_number(p)) {
                return Err(unrecognized(self.phrase, &t0));
            }
            let a: u32 = parts[0].parse().unwrap_or(0);
            let b: u32 = parts[1].parse().unwrap_or(0);
            let (month, day) = if a > 12 && b <= 12 { (b, a) } else { (a, b) };
            if parts.len() == 3 {
                let year = parse_year(parts[2]).ok_or_else(|| self.invalid("unknown year"))?;
                let date = NaiveDate::from_ymd_opt(year, month, day)
                    .ok_or_else(|| self.invalid("no such day"))?;
                return self.set_date(DateSpec::Exact(date), 1).map(Some);
            }
            return self.yearless(month, day, 1).map(Some);
        }
        // Month name first: "dec 4", "december 4th 2026", "dec 4th, 2026"
        if let Some(month) = parse_month(&t0) {
            let Some(day) = self.tok(1).and_then(parse_day_number) else {
                return Err(self.invalid("a month needs a day (e.g. 'Dec 4')"));
            };
            if let Some(year) = self.tok(2).and_then(parse_four_digit_year) {
                return self.exact(year, month, day, 3).map(Some);
            }
            return self.yearless(month, day, 2).map(Some);
        }
        // Day first: "4 december", "4th of december 2026"
        if let Some(day) = parse_day_number(&t0) {
            let mut k = 1;
            if self.tok(k) == Some("of") {
                k += 1;
            }
            if let Some(month) = self.tok(k).and_then(parse_month) {
                k += 1;
                if let Some(year) = self.tok(k).and_then(parse_four_digit_year) {
                    return self.exact(year, month, day, k + 1).map(Some);
                }
                return self.yearless(month, day, k).map(Some);
            }
            // "the 4th" (needs an ordinal suffix so bare numbers stay unambiguous)
            if is_ordinal(&t0) {
                if !(1..=31).contains(&day) {
                    return Err(self.invalid("no such day of the month"));
                }
                return self.set_date(DateSpec::DayOfMonth(day), 1).map(Some);
            }
        }
        Ok(None)
    }

    fn exact(
        &mut self,
        year: i32,
        month: u32,
        day: u32,
        consumed: usize,
    ) -> Result<usize, TimeError> {
        let date =
            NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| self.invalid("no such day"))?;
        self.set_date(DateSpec::Exact(date), consumed)
    }

    fn yearless(&mut self, month: u32, day: u32, consumed: usize) -> Result<usize, TimeError> {
        // Valid in some year (Feb 29 is)?
        if NaiveDate::from_ymd_opt(2028, month, day).is_none() {
            return Err(self.invalid("no such day"));
        }
        self.set_date(DateSpec::Yearless { month, day }, consumed)
    }

    /// Clock times: "2pm", "2 pm", "2:30pm", "14:00", "at 9", "9 o'clock", "noon".
    fn clock(&mut self, after_at: bool) -> Result<Option<usize>, TimeError> {
        let t0 = self.tok(0).unwrap_or_default().to_string();
        match t0.as_str() {
            "noon" | "midday" | "lunch" | "lunchtime" => {
                self.set_part(PartWord::Noon)?;
                return Ok(Some(1));
            }
            "midnight" => {
                self.set_part(PartWord::Midnight)?;
                return Ok(Some(1));
            }
            _ => {}
        }
        let Some(raw) = split_clock(&t0) else {
            return Ok(None);
        };
        let mut consumed = 1;
        let mut meridiem = raw.meridiem;
        if meridiem.is_none() {
            match self.tok(1) {
                Some("am" | "a") => {
                    meridiem = Some(Meridiem::Am);
                    consumed += 1;
                }
                Some("pm" | "p") => {
                    meridiem = Some(Meridiem::Pm);
                    consumed += 1;
                }
                _ => {}
            }
        }
        let mut oclock = false;
        if matches!(self.tok(consumed), Some("oclock" | "hrs" | "hours" | "h")) {
            oclock = true;
            consumed += 1;
        }
        // "8 in the morning", "7 tonight": a bare hour followed by a part of the day.
        let part_follows = match (
            self.tok(consumed),
            self.tok(consumed + 1),
            self.tok(consumed + 2),
        ) {
            (Some("in"), Some("the"), Some(p)) => {
                parse_part(p).is_some_and(|p| p.is_pm().is_some())
            }
            (Some(p), _, _) => {
                matches!(p, "tonight" | "morning" | "afternoon" | "evening" | "night")
            }
            _ => false,
        };
        let is_time = if raw.military {
            after_at || oclock
        } else {
            raw.minute.is_some() || meridiem.is_some() || oclock || after_at || part_follows
        };
        if !is_time {
            return Ok(None);
        }
        let hour = raw.hour;
        let minute = raw.minute.unwrap_or(0);
        let valid = minute <= 59
            && match meridiem {
                Some(_) => (1..=12).contains(&hour),
                None => hour <= 23,
            };
        if !valid {
            return Err(self.invalid("no such time of day"));
        }
        let clock = Clock {
            hour,
            minute,
            meridiem,
            twenty_four: raw.twenty_four,
        };
        self.set_clock(clock, consumed).map(Some)
    }
}

fn unrecognized(phrase: &str, word: &str) -> TimeError {
    TimeError::Unrecognized {
        phrase: phrase.to_string(),
        word: word.chars().take(40).collect(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

fn parse_unit(word: &str) -> Option<Unit> {
    Some(match word {
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minutes,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hours,
        "d" | "day" | "days" => Unit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Weeks,
        "month" | "months" | "mo" | "mos" => Unit::Months,
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Years,
        _ => return None,
    })
}

fn parse_amount(word: &str) -> Option<f64> {
    let n = match word {
        "a" | "an" | "one" => 1.0,
        "two" | "couple" => 2.0,
        "three" | "few" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty-five" => 45.0,
        "ninety" => 90.0,
        _ => {
            if word.is_empty()
                || word.len() > 9
                || !word.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                return None;
            }
            word.parse::<f64>().ok()?
        }
    };
    (n.is_finite() && n >= 0.0).then_some(n)
}

fn split_number_unit(token: &str) -> Option<(f64, Unit)> {
    let split = token.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    if split == 0 {
        return None;
    }
    let (number, unit) = token.split_at(split);
    // "2pm"/"4th" are not durations; "m" alone is ambiguous with "am"/"pm" only when
    // glued to a meridiem, which parse_unit rejects.
    let unit = parse_unit(unit)?;
    Some((parse_amount(number)?, unit))
}

struct RawClock {
    hour: u32,
    minute: Option<u32>,
    meridiem: Option<Meridiem>,
    twenty_four: bool,
    /// Written as four digits ("1430").
    military: bool,
}

/// "2", "2pm", "2:30", "2:30pm", "14:00", "1430" (only with "at"/"hrs"), "9a".
fn split_clock(token: &str) -> Option<RawClock> {
    let (body, meridiem) = if let Some(b) = token.strip_suffix("am") {
        (b, Some(Meridiem::Am))
    } else if let Some(b) = token.strip_suffix("pm") {
        (b, Some(Meridiem::Pm))
    } else if let Some(b) = token.strip_suffix('a') {
        (b, Some(Meridiem::Am))
    } else if let Some(b) = token.strip_suffix('p') {
        (b, Some(Meridiem::Pm))
    } else {
        (token, None)
    };
    if body.is_empty() || body.len() > 5 {
        return None;
    }
    // "8.30am" is accepted like "8:30am" (only with am/pm, so "1.5" stays a number).
    let split = body
        .split_once(':')
        .or_else(|| meridiem.and_then(|_| body.split_once('.')));
    if let Some((h, m)) = split {
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        if !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let hour: u32 = h.parse().ok()?;
        return Some(RawClock {
            hour,
            minute: Some(m.parse().ok()?),
            meridiem,
            twenty_four: meridiem.is_none() && (h.len() == 2 && (h.starts_with('0') || hour >= 13)),
            military: false,
        });
    }
    if !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match body.len() {
        1 | 2 => {
            let hour: u32 = body.parse().ok()?;
            Some(RawClock {
                hour,
                minute: None,
                meridiem,
                twenty_four: meridiem.is_none() && (hour >= 13 || hour == 0),
                military: false,
            })
        }
        // "0930"/"1430" military style (only accepted after "at"/with "hrs", see clock()).
        4 if meridiem.is_none() => {
            let hour: u32 = body[..2].parse().ok()?;
            let minute: u32 = body[2..].parse().ok()?;
            (hour <= 23).then_some(RawClock {
                hour,
                minute: Some(minute),
                meridiem: None,
                twenty_four: true,
                military: true,
            })
        }
        _ => None,
    }
}

fn is_tomorrow(word: &str) -> bool {
    matches!(
        word,
        "tomorrow" | "tmrw" | "tmr" | "tmw" | "tomorow" | "tommorow" | "tommorrow"
    )
}

pub(crate) fn parse_weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" | "mondays" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "tuesdays" => Weekday::Tue,
        "wed" | "weds" | "wednesday" | "wednesdays" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "thursdays" => Weekday::Thu,
        "fri" | "friday" | "fridays" => Weekday::Fri,
        "sat" | "saturday" | "saturdays" => Weekday::Sat,
        "sun" | "sunday" | "sundays" => Weekday::Sun,
        _ => return None,
    })
}

pub(crate) fn parse_month(word: &str) -> Option<u32> {
    Some(match word {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

pub(crate) fn parse_part(word: &str) -> Option<PartWord> {
    Some(match word {
        "morning" | "mornings" | "am" => PartWord::Morning,
        "afternoon" | "afternoons" | "pm" => PartWord::Afternoon,
        "evening" | "evenings" => PartWord::Evening,
        "night" | "tonight" => PartWord::Night,
        "noon" | "midday" | "lunch" | "lunchtime" => PartWord::Noon,
        "eod" | "cob" | "eob" => PartWord::EndOfDay,
        "midnight" => PartWord::Midnight,
        _ => return None,
    })
}

fn is_ordinal(word: &str) -> bool {
    ["st", "nd", "rd", "th"]
        .iter()
        .any(|s| word.strip_suffix(s).is_some_and(is_small_number))
}

fn is_small_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// "4", "4th", "21st" → 4/21 (1..=31).
fn parse_day_number(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn parse_four_digit_year(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = word.parse().ok()?;
    (1970..=2200).contains(&year).then_some(year)
}

fn parse_year(word: &str) -> Option<i32> {
    if word.len() == 2 && word.chars().all(|c| c.is_ascii_digit()) {
        return Some(2000 + word.parse::<i32>().ok()?);
    }
    parse_four_digit_year(word)
}

fn parse_iso_like_date(word: &str) -> Option<NaiveDate> {
    if word.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(word, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(word, "%Y/%m/%d"))
        .ok()
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

// ---------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------

impl Words {
    /// The time of day the words give: `(Some(time), source)`, or `(None, DayPart)` for
    /// "midnight" (resolved as the end of the day). `None` when nothing about the time.
    fn time_of_day(&self) -> Option<(Option<NaiveTime>, TimeSource)> {
        if let Some(clock) = self.clock {
            let hour = clock_hour(clock, self.part);
            return Some((
                NaiveTime::from_hms_opt(hour, clock.minute, 0),
                TimeSource::Explicit,
            ));
        }
        match self.part {
            Some(PartWord::Midnight) => Some((None, TimeSource::DayPart)),
            Some(part) => Some((Some(part.anchor()), TimeSource::DayPart)),
            None => None,
        }
    }

    fn resolve(
        &self,
        phrase: &str,
        now: DateTime<Tz>,
        role: MomentRole,
        keep: KeepFrom,
    ) -> Result<Interpretation, TimeError> {
        let tz = now.timezone();
        let today = now.date_naive();
        let conflict = |detail: &str| TimeError::Conflict {
            phrase: phrase.to_string(),
            detail: detail.to_string(),
        };
        let out_of_range = || TimeError::OutOfRange {
            phrase: phrase.to_string(),
        };
        if let Some(PartWord::Midnight | PartWord::Noon | PartWord::EndOfDay) = self.part {
            if self.clock.is_some() {
                return Err(conflict("it gives a clock time and a time of day"));
            }
        }

        // Exact instants: "now", "in 2 hours", "30 minutes later".
        let exact_anchor = match keep {
            KeepFrom::Original(original) if self.offset_is_shift => original,
            _ => now,
        };
        if self.now || matches!(self.offset, Some(Offset::Minutes(_))) {
            if self.date.is_some() || self.weekday.is_some() || self.clock.is_some() {
                return Err(conflict(
                    "an exact offset cannot be combined with a day or time",
                ));
            }
            let instant = match self.offset {
                Some(Offset::Minutes(m)) => exact_anchor
                    .checked_add_signed(Duration::minutes(m))
                    .ok_or_else(out_of_range)?,
                _ => now,
            };
            return Ok(Interpretation {
                moment: ResolvedMoment {
                    instant,
                    date: instant.date_naive(),
                    time: Some(instant.time()),
                    date_given: true,
                    time_source: TimeSource::Explicit,
                    shifted_by_dst_gap: false,
                    is_past: instant < now,
                },
                part: None,
                clock_given: true,
                exact: true,
            });
        }

        let original = match keep {
            KeepFrom::Original(o) => Some(o),
            KeepFrom::Nothing => None,
        };
        // The base day for day offsets: the original's day for "2 days later" when re-timing.
        let offset_base = match original {
            Some(o) if self.offset_is_shift => o.date_naive(),
            _ => today,
        };

        let said_time = self.time_of_day();
        let date_given = self.date.is_some() || self.weekday.is_some() || self.offset.is_some();

        // Which wall time to use when the phrase does not give one.
        let (fallback_time, fallback_source) = match (original, self.date) {
            (Some(o), _) => (o.time(), TimeSource::KeptFromOriginal),
            (None, Some(spec)) => spec
                .own_time(role)
                .unwrap_or((role.default_time(), TimeSource::Default)),
            (None, None) => (role.default_time(), TimeSource::Default),
        };
        let (time, source, midnight) = match said_time {
            Some((Some(t), s)) => (t, s, false),
            Some((None, s)) => (NaiveTime::MIN, s, true),
            None => (fallback_time, fallback_source, false),
        };
        let place = |date: NaiveDate| -> Result<(DateTime<Tz>, bool), TimeError> {
            let date = if midnight {
                date.succ_opt().ok_or_else(out_of_range)?
            } else {
                date
            };
            let placed = place_local(tz, date.and_time(time));
            Ok((placed.instant, placed.shifted_by_gap))
        };
        let ahead = |date: NaiveDate| -> Result<bool, TimeError> {
            if role == MomentRole::Generic && said_time.is_none() && original.is_none() {
                return Ok(date >= today);
            }
            Ok(place(date)?.0 > now)
        };

        let date = if let Some(offset) = self.offset {
            match offset {
                Offset::Days(d) => add_days_to_date(offset_base, d),
                Offset::Months(m) => {
                    let months = Months::new(m.unsigned_abs());
                    if m >= 0 {
                        offset_base.checked_add_months(months)
                    } else {
                        offset_base.checked_sub_months(months)
                    }
                    .ok_or_else(out_of_range)?
                }
                Offset::Minutes(_) => today,
            }
        } else if let Some(spec) = self.date {
            if original.is_some() && self.bare_next_week && self.weekday.is_none() {
                let weekday = original.map(|o| o.weekday()).unwrap_or(Weekday::Mon);
                weekday_in_week_of(add_days_to_date(today, 7), weekday)
            } else {
                self.resolve_spec(spec, today, &ahead, phrase)?
            }
        } else if let Some((wd, mode)) = self.weekday {
            match mode {
                WeekdayMode::Coming => {
                    let candidate = next_weekday_on_or_after(today, wd);
                    if candidate == today && !ahead(candidate)? {
                        add_days_to_date(candidate, 7)
                    } else {
                        candidate
                    }
                }
                WeekdayMode::Next => next_weekday_after(today, wd),
                WeekdayMode::NextWeek => weekday_in_week_of(add_days_to_date(today, 7), wd),
                WeekdayMode::Last => add_days_to_date(next_weekday_on_or_after(today, wd), -7),
            }
        } else if let Some(o) = original {
            // Time only, re-timing: keep the original's day.
            o.date_naive()
        } else {
            // Time only: the next occurrence of that time ("end of day" is always today's).
            if self.part == Some(PartWord::EndOfDay) || ahead(today)? {
                today
            } else {
                add_days_to_date(today, 1)
            }
        };

        // A weekday given together with a day must agree with it.
        if let (Some((wd, mode)), true) =
            (self.weekday, self.date.is_some() || self.offset.is_some())
        {
            let ok = match mode {
                WeekdayMode::NextWeek => {
                    date.weekday() == wd
                        && week_start_date(date) == week_start_date(add_days_to_date(today, 7))
                }
                _ => date.weekday() == wd,
            };
            if !ok {
                return Err(conflict(&format!(
                    "{} is a {}, not a {}",
                    date.format("%Y-%m-%d"),
                    weekday_name(date.weekday()),
                    weekday_name(wd)
                )));
            }
        }

        let (instant, shifted) = place(date)?;
        let given_time = match said_time {
            Some((Some(t), _)) => Some(t),
            Some((None, _)) => Some(NaiveTime::MIN),
            None => None,
        };
        Ok(Interpretation {
            moment: ResolvedMoment {
                instant,
                date: instant.date_naive(),
                time: given_time,
                date_given,
                time_source: source,
                shifted_by_dst_gap: shifted,
                is_past: instant < now,
            },
            part: self.part,
            clock_given: self.clock.is_some(),
            exact: false,
        })
    }

    fn resolve_spec(
        &self,
        spec: DateSpec,
        today: NaiveDate,
        ahead: &dyn Fn(NaiveDate) -> Result<bool, TimeError>,
        phrase: &str,
    ) -> Result<NaiveDate, TimeError> {
        let out_of_range = || TimeError::OutOfRange {
            phrase: phrase.to_string(),
        };
        Ok(match spec {
            DateSpec::Exact(d) => d,
            DateSpec::RelDays(n) => add_days_to_date(today, n),
            DateSpec::Yearless { month, day } => {
                let mut found = None;
                for year in today.year()..today.year() + 9 {
                    if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                        if d >= today {
                            found = Some(d);
                            break;
                        }
                    }
                }
                found.ok_or_else(out_of_range)?
            }
            DateSpec::DayOfMonth(day) => {
                let mut found = None;
                let mut month_start = month_start_date(today);
                for _ in 0..13 {
                    if let Some(d) = month_start.with_day(day) {
                        if d >= today {
                            found = Some(d);
                            break;
                        }
                    }
                    month_start =
                        crate::domain::local_time::add_months_to_month_start(month_start, 1);
                }
                found.ok_or_else(out_of_range)?
            }
            DateSpec::EndOfWeek(offset) => {
                let friday = |weeks: i64| {
                    weekday_in_week_of(add_days_to_date(today, 7 * weeks), Weekday::Fri)
                };
                let candidate = friday(offset);
                if offset == 0 && !ahead(candidate)? {
                    friday(1)
                } else {
                    candidate
                }
            }
            DateSpec::StartOfWeek(offset) => {
                weekday_in_week_of(add_days_to_date(today, 7 * offset), Weekday::Mon)
            }
            DateSpec::Weekend(offset) => {
                if offset == 0 && matches!(today.weekday(), Weekday::Sat | Weekday::Sun) {
                    today
                } else {
                    weekday_in_week_of(add_days_to_date(today, 7 * offset), Weekday::Sat)
                }
            }
            DateSpec::EndOfMonth(offset) => {
                let last = |months: i32| {
                    month_end_date(crate::domain::local_time::add_months_to_month_start(
                        today, months,
                    ))
                };
                let candidate = last(offset);
                if offset == 0 && !ahead(candidate)? {
                    last(1)
                } else {
                    candidate
                }
            }
            DateSpec::StartOfMonth(offset) => {
                crate::domain::local_time::add_months_to_month_start(today, offset)
            }
            DateSpec::EndOfYear => NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today),
        })
    }
}

/// The 24-hour hour of a clock time, using am/pm, the part of day, or the business-hours
/// guess (1–6 → pm, 7–11 → am, 12 → noon).
fn clock_hour(clock: Clock, part: Option<PartWord>) -> u32 {
    match clock.meridiem {
        Some(Meridiem::Am) => clock.hour % 12,
        Some(Meridiem::Pm) => clock.hour % 12 + 12,
        None if clock.twenty_four || clock.hour >= 13 || clock.hour == 0 => clock.hour,
        None => match part.and_then(PartWord::is_pm) {
            Some(true) => {
                if clock.hour == 12 {
                    12
                } else {
                    clock.hour + 12
                }
            }
            Some(false) => clock.hour % 12,
            None => {
                if (1..=6).contains(&clock.hour) {
                    clock.hour + 12
                } else {
                    clock.hour
                }
            }
        },
    }
}

fn weekday_name(wd: Weekday) -> &'static str {
    match wd {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
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
#[path = "time_phrase_tests.rs"]
mod tests;
