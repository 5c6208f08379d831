//! The grammar: tokens → [`Words`] (what the phrase says about day, weekday, clock time,
//! part of day and offset), without looking at "now".

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::error::TimeError;
use super::iso::parse_iso;
use super::moment::{PartWord, TimeSource};
use super::options::PhraseOptions;
use super::roles::MomentRole;
use super::tokens::*;
use super::{MAX_OFFSET_DAYS, MAX_PHRASE_CHARS};

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
    EndOfYear,
}

impl DateSpec {
    /// Period phrases carry their own time when none is given.
    pub(super) fn own_time(self, role: MomentRole) -> Option<(NaiveTime, TimeSource)> {
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
    pub(super) now: bool,
    /// Bare "next week" (re-timing: same weekday next week).
    pub(super) bare_next_week: bool,
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
            let (month, day) = self.options.date_order.month_day(a, b);
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

pub(super) fn unrecognized(phrase: &str, word: &str) -> TimeError {
    TimeError::Unrecognized {
        phrase: phrase.to_string(),
        word: word.chars().take(40).collect(),
    }
}
