//! The grammar: tokens → [`Words`] (what the phrase says about day, weekday, clock time,
//! part of day and offset), without looking at "now".

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::error::TimeError;
use super::holidays::{holiday_at, Holiday};
use super::iso::parse_iso;
use super::moment::{PartWord, TimeSource};
use super::options::PhraseOptions;
use super::roles::MomentRole;
use super::tokens::*;
use super::MAX_PHRASE_CHARS;

pub(super) enum Parsed {
    Instant(DateTime<FixedOffset>),
    Local(NaiveDateTime),
    Words(Words),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WeekdayMode {
    /// "Friday", "this Friday": on or after today.
    Coming,
    /// "next Friday": strictly after today.
    Next,
    /// "Friday next week".
    NextWeek,
    /// "last Friday": strictly before today.
    Last,
    /// "Monday after next", "next Friday week": a week after "next Monday".
    AfterNext,
    /// "Monday of this week": that day of the current Monday-based week, past or not.
    ThisWeek,
    /// "Sunday of last week", "last week's Sunday": that day of the previous week.
    LastWeek,
}

/// Which month a month-relative phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MonthRef {
    /// "March": the next March whose picked day is not past (this month counts).
    Named(u32),
    /// "March 2027".
    InYear(i32, u32),
    /// "this month" (0), "next month" (1).
    Relative(i32),
}

/// Which day of that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DayPick {
    /// A day number: 1 for "early March" / "March", 15 for "mid-March", 21 for "late March".
    Day(u32),
    /// The k-th day from the end: 1 = "end of March", "the last day of the month";
    /// 2 = "the second to last day".
    FromEnd(u32),
    /// "the second Tuesday of March" (1-based), -1 = "the last Friday of the month".
    Nth(i32, Weekday),
    /// "the first weekday of next month": the n-th Monday–Friday (1-based), -1 = the last.
    Workday(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateSpec {
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
    /// Dec 31 of the year `offset` years from this one.
    EndOfYear(i32),
    /// Jan 1 of the year `offset` years from this one.
    StartOfYear(i32),
    /// Last day of the quarter `offset` quarters from this one.
    EndOfQuarter(i32),
    /// First day of the quarter `offset` quarters from this one.
    StartOfQuarter(i32),
    /// A day picked inside a month ("mid-December", "first Monday of next month").
    InMonth(MonthRef, DayPick),
    Holiday(Holiday),
    /// "last Christmas": the latest one strictly before today.
    HolidayBefore(Holiday),
    /// "Christmas of next year": the one in the year `offset` years from this one.
    HolidayInYear(Holiday, i32),
    /// "3 Fridays from now" (n > 0, strictly after today), "2 Thursdays ago" (n < 0).
    NthWeekdayFrom(Weekday, i32),
}

impl DateSpec {
    /// Period phrases carry their own time when none is given.
    pub(super) fn own_time(self, role: MomentRole) -> Option<(NaiveTime, TimeSource)> {
        match self {
            DateSpec::EndOfWeek(_)
            | DateSpec::EndOfMonth(_)
            | DateSpec::EndOfYear(_)
            | DateSpec::EndOfQuarter(_) => Some((hm(17, 0), TimeSource::DayPart)),
            DateSpec::StartOfWeek(_)
            | DateSpec::StartOfMonth(_)
            | DateSpec::StartOfYear(_)
            | DateSpec::StartOfQuarter(_) => Some((role.period_start_time(), TimeSource::Default)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meridiem {
    Am,
    Pm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Clock {
    pub(super) hour: u32,
    pub(super) minute: u32,
    pub(super) meridiem: Option<Meridiem>,
    /// Written as a 24-hour time ("14:30", "09:00"): no am/pm guessing.
    pub(super) twenty_four: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Offset {
    Minutes(i64),
    Days(i64),
    Months(i32),
    /// Months, then calendar days ("in 1 year, 9 months and 1 week").
    MonthsDays(i32, i64),
    /// Months, then exact minutes ("1 year, 1 day and 1 hour ago"): an exact instant.
    Mixed {
        months: i32,
        minutes: i64,
    },
}

impl Offset {
    /// Exact offsets give an instant (now + the offset), not a day.
    pub(super) fn is_exact(self) -> bool {
        matches!(self, Offset::Minutes(_) | Offset::Mixed { .. })
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Words {
    pub(super) date: Option<DateSpec>,
    pub(super) weekday: Option<(Weekday, WeekdayMode)>,
    pub(super) clock: Option<Clock>,
    pub(super) part: Option<PartWord>,
    pub(super) offset: Option<Offset>,
    /// The offset was written "later"/"earlier" (relative to the original when re-timing).
    pub(super) offset_is_shift: bool,
    /// The offset counts from the day the rest of the phrase names ("2 weeks from Jan 15",
    /// "3 days after Christmas") instead of from today.
    pub(super) offset_from_named_day: bool,
    pub(super) now: bool,
    /// Bare "next week" (re-timing: same weekday next week).
    pub(super) bare_next_week: bool,
    /// "same time tomorrow", "this time next week": the wall time of now (of the original
    /// when re-timing).
    pub(super) same_time: bool,
    /// "the Monday after Christmas" (1), "the Friday before Easter" (-1), "the third Tuesday
    /// after ..." (3): that weekday counted from the day the rest of the phrase names.
    pub(super) weekday_from_day: Option<(Weekday, i32)>,
}

pub(super) fn parse(phrase: &str, options: PhraseOptions) -> Result<Parsed, TimeError> {
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
        options,
    };
    parser.run()?;
    let w = &parser.words;
    if w.date.is_none()
        && w.weekday.is_none()
        && w.clock.is_none()
        && w.part.is_none()
        && w.offset.is_none()
        && !w.now
        && !w.same_time
    {
        return Err(unrecognized(trimmed, trimmed));
    }
    Ok(Parsed::Words(parser.words))
}

pub(super) struct Parser<'a> {
    pub(super) phrase: &'a str,
    pub(super) toks: Vec<String>,
    pub(super) i: usize,
    pub(super) words: Words,
    pub(super) after_at: bool,
    pub(super) options: PhraseOptions,
}

pub(super) const FILLER: &[&str] = &[
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
    "sharp",
    "exactly",
    "precisely",
    "or",
    "so",
    "say",
];

impl Parser<'_> {
    pub(super) fn tok(&self, offset: usize) -> Option<&str> {
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

        if matches!(
            t0.as_str(),
            "at" | "around" | "about" | "approximately" | "approx" | "circa" | "towards"
        ) {
            self.after_at = true;
            return Ok(1);
        }
        if let Some(n) = self.clock_idiom()? {
            return Ok(n);
        }
        for rule in [
            Self::holiday,
            Self::weekday_count,
            Self::relative,
            Self::end_or_start_of,
            Self::relative_period,
            Self::weekday_beside_day,
            Self::nth_in_month,
            Self::day_after,
        ] {
            if let Some(n) = rule(self)? {
                return Ok(n);
            }
        }
        match (t0.as_str(), t1) {
            // "early morning", "late tonight", "mid-morning": the part of day decides.
            (
                "early" | "late" | "mid",
                Some("morning" | "afternoon" | "evening" | "night" | "tonight"),
            ) => return Ok(1),
            ("early" | "late", Some(w))
                if (is_tomorrow(w) || w == "today")
                    && matches!(
                        self.tok(2),
                        Some("morning" | "afternoon" | "evening" | "night")
                    ) =>
            {
                return Ok(1)
            }
            ("this" | "same", Some("time")) => {
                self.words.same_time = true;
                return Ok(2);
            }
            ("after", Some("lunch" | "lunchtime")) => {
                self.set_part(PartWord::Afternoon)?;
                return Ok(2);
            }
            // "Friday 4pm next week", "Monday at 10 this week": the week of the weekday.
            ("next" | "following" | "this" | "last" | "previous", Some("week" | "wk"))
                if self.words.date.is_none()
                    && self.words.weekday.is_some()
                    && self.tok(2).and_then(parse_weekday).is_none() =>
            {
                let mode = match t0.as_str() {
                    "this" => WeekdayMode::ThisWeek,
                    "last" | "previous" => WeekdayMode::LastWeek,
                    _ => WeekdayMode::NextWeek,
                };
                let (wd, _) = self.words.weekday.unwrap_or((Weekday::Mon, mode));
                self.words.weekday = Some((wd, mode));
                return Ok(2);
            }
            ("first", Some("thing")) => {
                self.set_part(PartWord::Morning)?;
                return Ok(2);
            }
            ("now" | "atm" | "moment", _) | ("right" | "just", Some("now")) => {
                self.words.now = true;
                return Ok(if matches!(t0.as_str(), "right" | "just") {
                    2
                } else {
                    1
                });
            }
            ("today" | "tod", _) => return self.set_date(DateSpec::RelDays(0), 1),
            ("tonight" | "tonite" | "2nite", _) => {
                self.set_part(PartWord::Night)?;
                return self.set_date(DateSpec::RelDays(0), 1);
            }
            (w, _) if is_tomorrow(w) => return self.set_date(DateSpec::RelDays(1), 1),
            ("yesterday", _) => return self.set_date(DateSpec::RelDays(-1), 1),
            ("last", Some("night")) => {
                self.set_part(PartWord::Night)?;
                return self.set_date(DateSpec::RelDays(-1), 2);
            }
            // "next March", "next Halloween": the next one (the month/holiday rule).
            ("next" | "this" | "coming", Some(w))
                if parse_month(w).is_some() || holiday_at(&self.toks[self.i + 1..]).is_some() =>
            {
                return Ok(1)
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
                let (extra, suffix) = self.week_suffix(2);
                return self.set_weekday(wd, suffix.unwrap_or(mode), 2 + extra);
            }
            ("last" | "previous", Some("week" | "weeks"))
                if self.tok(2).and_then(parse_weekday).is_some() =>
            {
                let wd = self.tok(2).and_then(parse_weekday).unwrap_or(Weekday::Mon);
                return self.set_weekday(wd, WeekdayMode::LastWeek, 3);
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
            ("weekend", Some("after")) if self.tok(2) == Some("next") => {
                return self.set_date(DateSpec::Weekend(2), 3)
            }
            ("this" | "coming" | "upcoming", Some("weekend")) | ("weekend", _) => {
                return self.set_date(DateSpec::Weekend(0), if t0 == "weekend" { 1 } else { 2 })
            }
            ("last" | "past" | "previous", Some("weekend")) => {
                return self.set_date(DateSpec::Weekend(-1), 2)
            }
            ("this", Some(p)) if parse_part(p).is_some() => {
                self.set_part(parse_part(p).unwrap_or(PartWord::Morning))?;
                return self.set_date(DateSpec::RelDays(0), 2);
            }
            _ => {}
        }
        if let Some(wd) = parse_weekday(&t0) {
            let (extra, suffix) = self.week_suffix(1);
            return self.set_weekday(wd, suffix.unwrap_or(WeekdayMode::Coming), 1 + extra);
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

    /// "next week" / "of next week" / "week" / "after next" after a weekday: how many
    /// tokens it takes and the mode it gives.
    fn week_suffix(&self, from: usize) -> (usize, Option<WeekdayMode>) {
        match (self.tok(from), self.tok(from + 1), self.tok(from + 2)) {
            (Some("next"), Some("week"), _) => (2, Some(WeekdayMode::NextWeek)),
            (Some("of"), Some("next"), Some("week")) => (3, Some(WeekdayMode::NextWeek)),
            (Some("of"), Some("this"), Some("week")) => (3, Some(WeekdayMode::ThisWeek)),
            (Some("of" | "from"), Some("last" | "previous"), Some("week")) => {
                (3, Some(WeekdayMode::LastWeek))
            }
            (Some("last" | "previous"), Some("week"), _) => (2, Some(WeekdayMode::LastWeek)),
            (Some("after"), Some("next"), _) => (2, Some(WeekdayMode::AfterNext)),
            // "Monday next" (British): next Monday.
            (Some("next"), w, _)
                if !matches!(w, Some("week" | "wk" | "month" | "year"))
                    && w.and_then(parse_weekday).is_none() =>
            {
                (1, Some(WeekdayMode::Next))
            }
            (Some("week"), _, _) => (1, Some(WeekdayMode::NextWeek)),
            _ => (0, None),
        }
    }

    /// "the day after Christmas", "day before Friday" (tomorrow/yesterday included).
    fn day_after(&mut self) -> Result<Option<usize>, TimeError> {
        let sign = match (self.tok(0), self.tok(1)) {
            (Some("day"), Some("after")) => 1,
            (Some("day"), Some("before")) => -1,
            _ => return Ok(None),
        };
        if self.tok(2).is_none() || self.words.offset.is_some() {
            return Ok(None);
        }
        self.words.offset = Some(Offset::Days(sign));
        self.words.offset_from_named_day = true;
        Ok(Some(2))
    }

    pub(super) fn set_date(&mut self, spec: DateSpec, consumed: usize) -> Result<usize, TimeError> {
        // "next month on the 5th", "the 15th this month": that day of that month.
        let month_and_day = match (self.words.date, spec) {
            (Some(DateSpec::StartOfMonth(k)), DateSpec::DayOfMonth(d))
            | (Some(DateSpec::DayOfMonth(d)), DateSpec::StartOfMonth(k)) => Some((k, d)),
            (Some(DateSpec::EndOfMonth(0)), DateSpec::DayOfMonth(d))
            | (Some(DateSpec::DayOfMonth(d)), DateSpec::EndOfMonth(0)) => Some((0, d)),
            _ => None,
        };
        if let Some((k, d)) = month_and_day {
            self.words.date = Some(DateSpec::InMonth(MonthRef::Relative(k), DayPick::Day(d)));
            return Ok(consumed);
        }
        if let Some(existing) = self.words.date {
            if existing != spec {
                return Err(self.conflict("it names two different days"));
            }
        }
        self.words.date = Some(spec);
        Ok(consumed)
    }

    pub(super) fn set_weekday(
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

    pub(super) fn set_part(&mut self, part: PartWord) -> Result<(), TimeError> {
        match self.words.part {
            // "midnight tonight", "tonight at midnight": the end of the day.
            Some(PartWord::Night | PartWord::Evening) if part == PartWord::Midnight => {
                self.words.part = Some(part)
            }
            Some(PartWord::Midnight) if matches!(part, PartWord::Night | PartWord::Evening) => {}
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

    pub(super) fn set_clock(&mut self, clock: Clock, consumed: usize) -> Result<usize, TimeError> {
        if self.words.clock.is_some_and(|c| c != clock) {
            return Err(self.conflict("it names two different times"));
        }
        self.words.clock = Some(clock);
        Ok(consumed)
    }

    pub(super) fn conflict(&self, detail: &str) -> TimeError {
        TimeError::Conflict {
            phrase: self.phrase.to_string(),
            detail: detail.to_string(),
        }
    }

    pub(super) fn invalid(&self, detail: &str) -> TimeError {
        TimeError::InvalidDate {
            phrase: self.phrase.to_string(),
            detail: detail.to_string(),
        }
    }
}

pub(super) fn unrecognized(phrase: &str, word: &str) -> TimeError {
    TimeError::Unrecognized {
        phrase: phrase.to_string(),
        word: word.chars().take(40).collect(),
    }
}
