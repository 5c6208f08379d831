//! Offsets: "in 2 hours", "3 days ago", "a fortnight from now", "2 weeks from Jan 15".

use super::error::TimeError;
use super::grammar::{DateSpec, Offset, Parser};
use super::holidays::holiday_at;
use super::tokens::*;
use super::MAX_OFFSET_DAYS;

impl Parser<'_> {
    /// "in 2 hours", "within 3 days", "2 days from now", "an hour later", "3 days ago".
    pub(super) fn relative(&mut self) -> Result<Option<usize>, TimeError> {
        let lead = matches!(self.tok(0), Some("in" | "within" | "after"));
        // "in about an hour", "in roughly 2 days": the hedge changes nothing.
        let hedge = lead
            && matches!(
                self.tok(1),
                Some("about" | "around" | "approximately" | "roughly" | "some")
            );
        // "now plus 2 hours", "now minus 1 day" (the tokenizer spells "now + 2 hours").
        let signed = match (self.tok(0), self.tok(1)) {
            (Some("now"), Some("plus")) => Some(1.0),
            (Some("now"), Some("minus")) => Some(-1.0),
            _ => None,
        };
        let start = if signed.is_some() {
            2
        } else {
            usize::from(lead) + usize::from(hedge)
        };
        let Some((amount, used)) = self.compound_amount(start) else {
            return Ok(None);
        };
        let calendar = amount.months != 0.0 || amount.days != 0.0;
        let mut consumed = start + used;
        let mut sign = 1.0;
        let mut shift = false;
        let mut anchored = false;
        match (self.tok(consumed), self.tok(consumed + 1)) {
            _ if signed.is_some() => sign = signed.unwrap_or(1.0),
            (Some("from"), Some("now" | "today")) => consumed += 2,
            // "a day from right now"
            (Some("from"), Some("right")) if self.tok(consumed + 2) == Some("now") => consumed += 3,
            // "in three weeks time", "in 2 days' time" (the apostrophe is dropped).
            (Some("time"), _) if lead => consumed += 1,
            (Some("out"), _) => consumed += 1,
            // "2 weeks from Jan 15", "3 days after Christmas": from the day named next.
            (Some("from" | "after"), Some(_)) if calendar => {
                anchored = true;
                consumed += 1;
            }
            // "a week on Monday", "two weeks on Friday": from the day named next.
            (Some("on"), Some(_)) if calendar && !lead => {
                anchored = true;
                consumed += 1;
            }
            // "a week today", "a week tomorrow": from that day.
            (Some(day), _) if calendar && !lead && (day == "today" || is_tomorrow(day)) => {
                anchored = true;
            }
            // "15 minutes from 1pm", "2 hours after noon", "10 minutes before 3pm".
            (Some("from" | "after" | "past"), Some(_)) if !lead => {
                anchored = true;
                consumed += 1;
            }
            (Some("before"), Some(_)) if !lead => {
                anchored = true;
                sign = -1.0;
                consumed += 1;
            }
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
        let offset = self.offset_of(amount, sign)?;
        if self.words.offset.is_some() {
            return Err(self.conflict("it gives two offsets"));
        }
        self.words.offset = Some(offset);
        self.words.offset_is_shift = shift;
        self.words.offset_from_named_day = anchored;
        Ok(Some(consumed))
    }

    /// "3 Fridays from now", "two Sundays from now", "2 Thursdays ago" / "back".
    pub(super) fn weekday_count(&mut self) -> Result<Option<usize>, TimeError> {
        let (Some(n), Some(day)) = (self.tok(0).and_then(parse_amount), self.tok(1)) else {
            return Ok(None);
        };
        let Some(weekday) = day.strip_suffix('s').and_then(parse_weekday) else {
            return Ok(None);
        };
        let (sign, used) = match (self.tok(2), self.tok(3)) {
            (Some("from" | "after"), Some("now" | "today")) => (1, 4),
            (Some("ago" | "back" | "before"), _) => (-1, 3),
            _ => return Ok(None),
        };
        if n.fract() != 0.0 || !(1.0..=52.0).contains(&n) {
            return Ok(None);
        }
        let spec = DateSpec::NthWeekdayFrom(weekday, sign * n as i32);
        self.set_date(spec, used).map(Some)
    }

    /// The offset a summed amount gives: exact minutes when it has hours, minutes or
    /// seconds (and no months), calendar days, months, or months then days then minutes
    /// ("in 1 year, 2 months, 1 week", "1 month and 2 hours ago").
    fn offset_of(&self, amount: Amount, sign: f64) -> Result<Offset, TimeError> {
        let out_of_range = || TimeError::OutOfRange {
            phrase: self.phrase.to_string(),
        };
        let (months, days, minutes) = (
            amount.months * sign,
            amount.days * sign,
            amount.minutes * sign,
        );
        let total_days = days + minutes / 1440.0 + months * 30.5;
        if total_days.abs() > MAX_OFFSET_DAYS as f64 || months.abs() > 120.0 {
            return Err(out_of_range());
        }
        if months.fract() != 0.0 {
            return Err(self.invalid("use whole months"));
        }
        let exact_minutes = (days * 1440.0 + minutes).round() as i64;
        Ok(match (months != 0.0, days != 0.0 || minutes != 0.0) {
            (true, false) => Offset::Months(months as i32),
            (true, true) if amount.clock || days.fract() != 0.0 => Offset::Mixed {
                months: months as i32,
                minutes: exact_minutes,
            },
            (true, true) => Offset::MonthsDays(months as i32, days as i64),
            // "in 1.5 days", "in 2 hours": exact minutes.
            _ if amount.clock || days.fract() != 0.0 => Offset::Minutes(exact_minutes),
            _ => Offset::Days(days as i64),
        })
    }

    /// "the Monday after Christmas", "the Friday before Easter", "the first Tuesday after
    /// Labor Day", "the third Tuesday after Christmas 2014": a weekday counted from a day
    /// named next (a holiday, a date, a weekday, today/tomorrow). "Friday before 5pm" and
    /// "Friday after next" are not this.
    pub(super) fn weekday_beside_day(&mut self) -> Result<Option<usize>, TimeError> {
        let counted = self
            .tok(0)
            .filter(|t| is_ordinal(t))
            .and_then(parse_day_number);
        let at = usize::from(counted.is_some());
        let (Some(weekday), Some(side)) = (self.tok(at).and_then(parse_weekday), self.tok(at + 1))
        else {
            return Ok(None);
        };
        let sign = match side {
            "after" => 1,
            "before" => -1,
            _ => return Ok(None),
        };
        let rest = &self.toks[(self.i + at + 2).min(self.toks.len())..];
        let rest = rest.strip_prefix(&["the".to_string()]).unwrap_or(rest);
        let next_weekday = matches!(
            rest.first().map(String::as_str),
            Some("next" | "this" | "coming")
        ) && rest.get(1).and_then(|t| parse_weekday(t)).is_some();
        let names_a_day = next_weekday
            || rest.first().is_some_and(|t| {
                parse_month(t).is_some()
                    || parse_weekday(t).is_some()
                    || is_ordinal(t)
                    || t == "today"
                    || is_tomorrow(t)
                    || parse_iso_like_date(t).is_some()
            })
            || holiday_at(rest).is_some();
        let n = counted.map_or(1, |n| n as i32);
        if !names_a_day || n > 5 || self.words.weekday_from_day.is_some() {
            return Ok(None);
        }
        self.words.weekday_from_day = Some((weekday, sign * n));
        Ok(Some(at + 2))
    }

    /// One or more counts with units: "2 hours", "1d 2hr 5min", "5 minutes and 30 seconds",
    /// "1 year 2 months", "1 year, 9 months, 1 week" (summed per kind: years and months in
    /// months, days and weeks in calendar days, hours, minutes and seconds in minutes).
    fn compound_amount(&self, from: usize) -> Option<(Amount, usize)> {
        let (first, unit, mut used) = self.amount_and_unit(from)?;
        let mut amount = Amount::default();
        amount.add(first, unit);
        loop {
            let and = usize::from(self.tok(from + used) == Some("and"));
            let Some((more, more_unit, more_used)) = self.amount_and_unit(from + used + and) else {
                return Some((amount, used));
            };
            amount.add(more, more_unit);
            used += and + more_used;
        }
    }

    /// A count and a unit starting at token `from`: "2 hours", "an hour", "half an hour",
    /// "a couple of days", "1.5h", "90min", "an hour and a half".
    pub(super) fn amount_and_unit(&self, from: usize) -> Option<(f64, Unit, usize)> {
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
            ("a", Some("pair"), Some("of")) => (2.0, 3),
            ("a", Some("half"), _) => (0.5, 2),
            ("a", Some("quarter"), Some("of")) => (0.25, 3 + self.article_at(from + 3)),
            ("quarter", Some("of"), _) => (0.25, 2 + self.article_at(from + 2)),
            (n, Some("quarters"), Some("of")) if parse_amount(n).is_some() => (
                parse_amount(n).unwrap_or(0.0) * 0.25,
                3 + self.article_at(from + 3),
            ),
            _ => (parse_amount(t)?, 1),
        };
        // "in 2 more minutes", "in 2 and a half hours"
        let used = used + usize::from(self.tok(from + used) == Some("more"));
        let (amount, used) = match (
            self.tok(from + used),
            self.tok(from + used + 1),
            self.tok(from + used + 2),
        ) {
            (Some("and"), Some("a" | "an"), Some("half")) => (amount + 0.5, used + 3),
            _ => (amount, used),
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

    /// 1 when token `at` is "a"/"an" ("a quarter of an hour").
    fn article_at(&self, at: usize) -> usize {
        usize::from(matches!(self.tok(at), Some("a" | "an")))
    }
}

/// A summed amount of time, per kind of unit.
#[derive(Debug, Clone, Copy, Default)]
struct Amount {
    months: f64,
    days: f64,
    minutes: f64,
    /// Hours, minutes or seconds were given: the offset is exact, not calendar days.
    clock: bool,
}

impl Amount {
    fn add(&mut self, n: f64, unit: Unit) {
        match unit {
            Unit::Seconds => self.minutes += n / 60.0,
            Unit::Minutes => self.minutes += n,
            Unit::Hours => self.minutes += n * 60.0,
            Unit::Days | Unit::Weeks | Unit::Fortnights => self.days += n * unit.days(),
            Unit::Months => self.months += n,
            Unit::Years => self.months += n * 12.0,
        }
        self.clock |= !unit.is_calendar();
    }
}
