//! Calendar dates: month names ("Dec 4", "4th of December 2026"), numeric ("12/4",
//! "2019/aug/01", "15.01.2027"), ordinal days ("the 24th").

use chrono::NaiveDate;

use super::error::TimeError;
use super::grammar::{unrecognized, Clock, DateSpec, DayPick, MonthRef, Parser};
use super::holidays::holiday_at;
use super::options::DateOrder;
use super::tokens::*;

/// "25.12" (the first number above 12, the second a month) or "12.10." (a closing dot).
fn day_month_dotted(token: &str) -> bool {
    let (day, month) = token.split_once('.').unwrap_or_default();
    let month = month.strip_suffix('.').unwrap_or(month);
    let number = |s: &str| (s.len() <= 2).then(|| s.parse::<u32>().ok()).flatten();
    match (number(day), number(month)) {
        (Some(d), Some(m)) => (1..=12).contains(&m) && (d > 12 || token.ends_with('.')) && d <= 31,
        _ => false,
    }
}

impl Parser<'_> {
    /// Explicit calendar dates.
    pub(super) fn explicit_date(&mut self) -> Result<Option<usize>, TimeError> {
        let t0 = self.tok(0).unwrap_or_default().to_string();
        // ISO date inside a phrase: 2026-12-04 / 2026/12/04
        if let Some(date) = parse_iso_like_date(&t0) {
            return self.set_date(DateSpec::Exact(date), 1).map(Some);
        }
        if let Some(n) = self.dotted_time_after_date(&t0)? {
            return Ok(Some(n));
        }
        if let Some(n) = self.separated_date(&t0)? {
            return Ok(Some(n));
        }
        if let Some(month) = parse_month(&t0) {
            return self.month_first(month).map(Some);
        }
        // "2018 March 18"
        if let (Some(year), Some(month)) = (
            parse_four_digit_year(&t0),
            self.tok(1).and_then(parse_month),
        ) {
            if let Some(day) = self.tok(2).and_then(parse_day_number) {
                return self.exact(year, month, day, 3).map(Some);
            }
        }
        match parse_day_number(&t0) {
            Some(day) => self.day_first(&t0, day),
            None => Ok(None),
        }
    }

    /// "Dec 4", "december the 4th, 2026", "august 2027" (the 1st), "march" (the next 1st
    /// of March; today when it is March).
    fn month_first(&mut self, month: u32) -> Result<usize, TimeError> {
        let k = 1 + usize::from(self.tok(1) == Some("the"));
        if let Some(day) = self.tok(k).and_then(parse_day_number) {
            if let Some(year) = self.year_after_date(k + 1) {
                return self.exact(year, month, day, k + 2);
            }
            return self.yearless(month, day, k + 1);
        }
        if let Some(year) = self.tok(1).and_then(parse_four_digit_year) {
            return self.exact(year, month, 1, 2);
        }
        self.set_date(
            DateSpec::InMonth(MonthRef::Named(month), DayPick::Day(1)),
            1,
        )
    }

    /// The year written after a month and day: four digits, or two digits from 13 on that
    /// are no clock time ("Aug 9 96", "14th April 27"; "Dec 4 10" stays unread).
    fn year_after_date(&self, k: usize) -> Option<i32> {
        let word = self.tok(k)?;
        if let Some(year) = parse_four_digit_year(word) {
            return Some(year);
        }
        let clock_follows = matches!(
            self.tok(k + 1),
            Some("am" | "pm" | "a" | "p" | "oclock" | "h" | "hrs")
        );
        let two_digits = word.len() == 2 && word.parse::<u32>().is_ok_and(|n| n >= 13);
        (two_digits && !clock_follows)
            .then(|| parse_year(word))
            .flatten()
    }

    /// "4 december", "4th of december 2026", "the 4th", "Friday 31".
    fn day_first(&mut self, t0: &str, day: u32) -> Result<Option<usize>, TimeError> {
        let mut k = 1;
        if self.tok(k) == Some("of") {
            k += 1;
        }
        if let Some(month) = self.tok(k).and_then(parse_month) {
            k += 1;
            if let Some(year) = self.year_after_date(k) {
                return self.exact(year, month, day, k + 1).map(Some);
            }
            return self.yearless(month, day, k).map(Some);
        }
        // "the 4th" (an ordinal suffix keeps bare numbers unambiguous), or a bare 13–31
        // right after a weekday ("Friday 31"; "Friday 3" stays a clock time).
        let after_weekday = self
            .i
            .checked_sub(1)
            .and_then(|j| self.toks.get(j))
            .is_some_and(|w| parse_weekday(w).is_some());
        let bare_day = after_weekday
            && day >= 13
            && !matches!(
                self.tok(1),
                Some("am" | "pm" | "a" | "p" | "oclock" | "h" | "hrs")
            );
        if is_ordinal(t0) || bare_day {
            return self.set_date(DateSpec::DayOfMonth(day), 1).map(Some);
        }
        Ok(None)
    }

    /// "29.02.2020 13.12", "15.01. 9.30": once a day is named, "hh.mm" is a time (a second
    /// date would contradict the first).
    fn dotted_time_after_date(&mut self, t0: &str) -> Result<Option<usize>, TimeError> {
        if self.words.date.is_none() || self.words.clock.is_some() {
            return Ok(None);
        }
        let Some((h, m)) = t0.split_once('.') else {
            return Ok(None);
        };
        let digits =
            |s: &str, n: usize| (1..=n).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
            return Ok(None);
        }
        let (hour, minute): (u32, u32) = (h.parse().unwrap_or(99), m.parse().unwrap_or(99));
        if hour > 23 || minute > 59 {
            return Ok(None);
        }
        let clock = Clock {
            hour,
            minute,
            meridiem: None,
            twenty_four: h.len() == 2 && (h.starts_with('0') || hour >= 13),
        };
        self.set_clock(clock, 1).map(Some)
    }

    /// Dates written with separators: "12/4", "12/4/2026", "12-24", "2019/aug/01",
    /// "01-aug-2019", "15.01.2027", "2027-1-5". Dots are day-first (European).
    fn separated_date(&mut self, t0: &str) -> Result<Option<usize>, TimeError> {
        let sep = match (t0.contains('/'), t0.contains('-'), t0.contains('.')) {
            (true, _, _) => '/',
            (_, true, _) if t0.starts_with(|c: char| c.is_ascii_digit()) => '-',
            (_, _, true) if t0.matches('.').count() == 2 => '.',
            // "25.12" (a day above 12) / "12.10." (closing dot): European day.month.
            (_, _, true) if t0.matches('.').count() == 1 && day_month_dotted(t0) => '.',
            _ => return Ok(None),
        };
        let parts: Vec<&str> = t0.split(sep).collect();
        let numbers: Vec<Option<u32>> = parts
            .iter()
            .map(|p| is_small_number(p).then(|| p.parse().ok()).flatten())
            .collect();
        let month_at = parts.iter().position(|p| parse_month(p).is_some());
        let order = if sep == '.' {
            DateOrder::DayFirst
        } else {
            self.options.date_order
        };
        let fail = || -> Result<Option<usize>, TimeError> {
            if sep == '/' {
                Err(unrecognized(self.phrase, t0))
            } else {
                Ok(None)
            }
        };
        let num = |i: usize| numbers.get(i).copied().flatten();
        let (year, month, day) = match (parts.len(), month_at) {
            // "9/2012": the 1st of that month.
            (3, None) if sep == '.' && parts[2].is_empty() => match (num(0), num(1)) {
                (Some(d), Some(m)) => return self.yearless(m, d, 1).map(Some),
                _ => return fail(),
            },
            (2, None) if parts[1].len() == 4 => match (num(0), parse_four_digit_year(parts[1])) {
                (Some(m), Some(y)) => (Some(y), Some(m), Some(1)),
                _ => return fail(),
            },
            (2, None) => match (num(0), num(1)) {
                (Some(a), Some(b)) => {
                    let (m, d) = order.month_day(a, b);
                    return self.yearless(m, d, 1).map(Some);
                }
                _ => return fail(),
            },
            (2, Some(i)) => match num(1 - i) {
                Some(d) => {
                    let m = parse_month(parts[i]).unwrap_or(1);
                    return self.yearless(m, d, 1).map(Some);
                }
                None => return fail(),
            },
            (3, Some(i)) => {
                let m = parse_month(parts[i]).unwrap_or(1);
                let (y, d) = match i {
                    0 => (parts[2], num(1)),
                    1 if parts[0].len() == 4 => (parts[0], num(2)),
                    1 => (parts[2], num(0)),
                    _ => (parts[0], num(1)),
                };
                (parse_year(y), Some(m), d)
            }
            (3, None) if parts[0].len() == 4 => (parse_year(parts[0]), num(1), num(2)),
            (3, None) => match (num(0), num(1)) {
                (Some(a), Some(b)) => {
                    let (m, d) = order.month_day(a, b);
                    (parse_year(parts[2]), Some(m), Some(d))
                }
                _ => return fail(),
            },
            _ => return fail(),
        };
        let (Some(year), Some(month), Some(day)) = (year, month, day) else {
            return Err(self.invalid("unknown year, month or day"));
        };
        self.exact(year, month, day, 1).map(Some)
    }

    /// "Christmas", "Thanksgiving 2026", "the 4th of July" is a date, "Easter Monday",
    /// "last Easter", "Christmas of next year", "Halloween this year".
    pub(super) fn holiday(&mut self) -> Result<Option<usize>, TimeError> {
        let before = matches!(self.tok(0), Some("last" | "past" | "previous"));
        let from = self.i + usize::from(before);
        let Some((holiday, n)) = holiday_at(&self.toks[from.min(self.toks.len())..]) else {
            return Ok(None);
        };
        if before {
            return self
                .set_date(DateSpec::HolidayBefore(holiday), n + 1)
                .map(Some);
        }
        if let Some(year) = self.tok(n).and_then(parse_four_digit_year) {
            let date = holiday
                .date_in(year)
                .ok_or_else(|| self.invalid("no such day"))?;
            return self.set_date(DateSpec::Exact(date), n + 1).map(Some);
        }
        let k = n + usize::from(matches!(self.tok(n), Some("of" | "in")));
        let year = match (self.tok(k), self.tok(k + 1)) {
            (Some("this" | "current"), Some("year")) => Some(0),
            (Some("next" | "following"), Some("year")) => Some(1),
            (Some("last" | "previous"), Some("year")) => Some(-1),
            _ => None,
        };
        if let Some(offset) = year {
            let spec = DateSpec::HolidayInYear(holiday, offset);
            return self.set_date(spec, k + 2).map(Some);
        }
        self.set_date(DateSpec::Holiday(holiday), n).map(Some)
    }

    pub(super) fn exact(
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

    pub(super) fn yearless(
        &mut self,
        month: u32,
        day: u32,
        consumed: usize,
    ) -> Result<usize, TimeError> {
        // Valid in some year (Feb 29 is)?
        if NaiveDate::from_ymd_opt(2028, month, day).is_none() {
            return Err(self.invalid("no such day"));
        }
        self.set_date(DateSpec::Yearless { month, day }, consumed)
    }
}
