//! Periods: end/start of day, week, month, quarter, year; "mid-December", "early next
//! week", "the first Monday of January".

use chrono::{Datelike, NaiveDate, Weekday};

use super::error::TimeError;
use super::grammar::{DateSpec, DayPick, MonthRef, Parser, WeekdayMode};
use super::moment::PartWord;
use super::tokens::*;
use crate::domain::local_time::month_end_date;

impl Parser<'_> {
    /// "end of day/week/month/year", "EOD", "EOW", "start of next week", ...
    pub(super) fn end_or_start_of(&mut self) -> Result<Option<usize>, TimeError> {
        let t0 = self.tok(0).unwrap_or_default();
        match t0 {
            "eod" | "cob" | "eob" | "eop" => {
                self.set_part(PartWord::EndOfDay)?;
                return Ok(Some(1));
            }
            "eow" => return self.set_date(DateSpec::EndOfWeek(0), 1).map(Some),
            "eom" => return self.set_date(DateSpec::EndOfMonth(0), 1).map(Some),
            "eoy" => return self.set_date(DateSpec::EndOfYear(0), 1).map(Some),
            "close" if self.tok(1) == Some("of") => {
                if matches!(self.tok(2), Some("business" | "play" | "day")) {
                    self.set_part(PartWord::EndOfDay)?;
                    return Ok(Some(3));
                }
                return Ok(None);
            }
            _ => {}
        }
        let Some(edge) = edge_word(t0) else {
            return Ok(None);
        };
        let mut k = 1;
        if self.tok(k) == Some("of") {
            k += 1;
        }
        while matches!(self.tok(k), Some("the" | "this")) {
            k += 1;
        }
        let mut offset = 0;
        match self.tok(k) {
            Some("next") => offset = 1,
            Some("last" | "previous") => offset = -1,
            _ => {}
        }
        k += usize::from(offset != 0);
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
        if let Some(month) = parse_month(&what) {
            return self.edge_of_named_month(edge, month, k).map(Some);
        }
        let end = edge == Edge::End;
        match (edge, what.as_str()) {
            (Edge::End, "day" | "business" | "play" | "today") if offset == 0 => {
                self.set_part(PartWord::EndOfDay)?;
                if what == "today" {
                    self.set_date(DateSpec::RelDays(0), 0)?;
                }
                Ok(Some(k))
            }
            (Edge::End, w) if offset == 0 && is_tomorrow(w) => {
                self.set_part(PartWord::EndOfDay)?;
                self.set_date(DateSpec::RelDays(1), k).map(Some)
            }
            (Edge::End, w) if offset == 0 && parse_weekday(w).is_some() => {
                self.set_part(PartWord::EndOfDay)?;
                let wd = parse_weekday(w).unwrap_or(Weekday::Fri);
                self.set_weekday(wd, WeekdayMode::Coming, k).map(Some)
            }
            (Edge::Mid, "week" | "wk") => {
                let mode = if offset == 1 {
                    WeekdayMode::NextWeek
                } else {
                    WeekdayMode::Coming
                };
                self.set_weekday(Weekday::Wed, mode, k).map(Some)
            }
            (Edge::End | Edge::Late, "week" | "wk") => self
                .set_date(DateSpec::EndOfWeek(offset.into()), k)
                .map(Some),
            (Edge::Start, "week" | "wk") => self
                .set_date(DateSpec::StartOfWeek(offset.into()), k)
                .map(Some),
            (Edge::End, "month") => self.set_date(DateSpec::EndOfMonth(offset), k).map(Some),
            (Edge::Start, "month") => self.set_date(DateSpec::StartOfMonth(offset), k).map(Some),
            (Edge::Mid | Edge::Late, "month") => {
                let pick = DayPick::Day(edge.day_number());
                let spec = DateSpec::InMonth(MonthRef::Relative(offset), pick);
                self.set_date(spec, k).map(Some)
            }
            (Edge::End | Edge::Start, "quarter" | "qtr" | "q") => {
                let spec = if end {
                    DateSpec::EndOfQuarter(offset)
                } else {
                    DateSpec::StartOfQuarter(offset)
                };
                self.set_date(spec, k).map(Some)
            }
            (Edge::End | Edge::Start, "year" | "yr") => {
                let spec = if end {
                    DateSpec::EndOfYear(offset)
                } else {
                    DateSpec::StartOfYear(offset)
                };
                self.set_date(spec, k).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// "end of February", "mid-December 2027", "early January": a day inside that month.
    fn edge_of_named_month(
        &mut self,
        edge: Edge,
        month: u32,
        k: usize,
    ) -> Result<usize, TimeError> {
        let pick = match edge {
            Edge::End => DayPick::FromEnd(1),
            _ => DayPick::Day(edge.day_number()),
        };
        if let Some(year) = self.tok(k).and_then(parse_four_digit_year) {
            let start = NaiveDate::from_ymd_opt(year, month, 1)
                .ok_or_else(|| self.invalid("no such month"))?;
            let date = match pick {
                DayPick::Day(d) => start.with_day(d).unwrap_or(start),
                _ => month_end_date(start),
            };
            return self.set_date(DateSpec::Exact(date), k + 1);
        }
        self.set_date(DateSpec::InMonth(MonthRef::Named(month), pick), k)
    }

    /// "next year", "this quarter", "next quarter", "last year".
    pub(super) fn relative_period(&mut self) -> Result<Option<usize>, TimeError> {
        let offset = match self.tok(0) {
            Some("next" | "following") => 1,
            Some("this" | "current") => 0,
            Some("last" | "previous") => -1,
            _ => return Ok(None),
        };
        let spec = match (self.tok(1), offset) {
            (Some("year" | "yr"), 0) => DateSpec::EndOfYear(0),
            (Some("year" | "yr"), _) => DateSpec::StartOfYear(offset),
            (Some("quarter" | "qtr"), 0) => DateSpec::EndOfQuarter(0),
            (Some("quarter" | "qtr"), _) => DateSpec::StartOfQuarter(offset),
            (Some("month"), -1) => DateSpec::StartOfMonth(-1),
            _ => return Ok(None),
        };
        self.set_date(spec, 2).map(Some)
    }

    /// "the first Monday of January", "last Friday of the month", "the 2nd Tuesday in
    /// March", "the last day of the month", "the first of next month".
    pub(super) fn nth_in_month(&mut self) -> Result<Option<usize>, TimeError> {
        let Some((n, mut k)) = self.nth_or_nth_last() else {
            return Ok(None);
        };
        let pick = match self.tok(k) {
            Some("day") => {
                k += 1;
                if n < 0 {
                    DayPick::FromEnd(n.unsigned_abs())
                } else {
                    DayPick::Day(n as u32)
                }
            }
            Some("weekday" | "workday" | "business" | "working") => {
                k += 1;
                if self.tok(k) == Some("day") {
                    k += 1;
                }
                DayPick::Workday(n)
            }
            Some(w) if parse_weekday(w).is_some() && (n < 0 || n <= 5) => {
                k += 1;
                DayPick::Nth(n, parse_weekday(w).unwrap_or(Weekday::Mon))
            }
            Some("of") if n > 0 => DayPick::Day(n as u32),
            _ => return Ok(None),
        };
        if !matches!(self.tok(k), Some("of" | "in")) {
            return Ok(None);
        }
        k += 1;
        if self.tok(k) == Some("the") {
            k += 1;
        }
        let month = match (self.tok(k), self.tok(k + 1)) {
            (Some("month"), _) => (MonthRef::Relative(0), 1),
            (Some("this" | "current"), Some("month")) => (MonthRef::Relative(0), 2),
            (Some("next" | "following"), Some("month")) => (MonthRef::Relative(1), 2),
            (Some("last" | "previous" | "past"), Some("month")) => (MonthRef::Relative(-1), 2),
            (Some(m), Some(y))
                if parse_month(m).is_some() && parse_four_digit_year(y).is_some() =>
            {
                let month = parse_month(m).unwrap_or(1);
                (
                    MonthRef::InYear(parse_four_digit_year(y).unwrap_or(2000), month),
                    2,
                )
            }
            (Some(m), _) if parse_month(m).is_some() => {
                (MonthRef::Named(parse_month(m).unwrap_or(1)), 1)
            }
            _ => return Ok(None),
        };
        self.set_date(DateSpec::InMonth(month.0, pick), k + month.1)
            .map(Some)
    }
}

impl Parser<'_> {
    /// The count that starts "the 2nd Monday of", "the last day of", "the second to last
    /// Friday of", "the 5th last day of", "the penultimate day of": n > 0 counts from the
    /// start, n < 0 from the end (-1 = the last); and the tokens it takes.
    fn nth_or_nth_last(&self) -> Option<(i32, usize)> {
        let to_last = |at: usize| match (self.tok(at), self.tok(at + 1)) {
            (Some("last"), _) => Some(1),
            (Some("to"), Some("last")) => Some(2),
            _ => None,
        };
        match self.tok(0)? {
            "last" => Some((-1, 1)),
            "penultimate" => Some((-2, 1)),
            "next" => to_last(1).map(|used| (-2, 1 + used)),
            t if is_ordinal(t) => {
                let n = parse_day_number(t)? as i32;
                Some(match to_last(1) {
                    Some(used) => (-n, 1 + used),
                    None => (n, 1),
                })
            }
            // "20 of next month": a plain day number needs the "of".
            t if self.tok(1) == Some("of") => Some((parse_day_number(t)? as i32, 1)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    Mid,
    Late,
    End,
}

impl Edge {
    /// The day of the month a start/mid/late phrase picks.
    fn day_number(self) -> u32 {
        match self {
            Edge::Start | Edge::End => 1,
            Edge::Mid => 15,
            Edge::Late => 21,
        }
    }
}

fn edge_word(word: &str) -> Option<Edge> {
    Some(match word {
        "end" | "close" => Edge::End,
        "start" | "beginning" | "early" => Edge::Start,
        "mid" | "middle" | "midweek" => Edge::Mid,
        "late" => Edge::Late,
        _ => return None,
    })
}
