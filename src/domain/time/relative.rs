//! Offsets: "in 2 hours", "3 days ago", "a fortnight from now", "2 weeks from Jan 15".

use super::error::TimeError;
use super::grammar::{DateSpec, Offset, Parser};
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
        let Some((amount, unit, used)) = self.compound_amount(start) else {
            return Ok(None);
        };
        let mut consumed = start + used;
        let mut sign = 1.0;
        let mut shift = false;
        let mut anchored = false;
        match (self.tok(consumed), self.tok(consumed + 1)) {
            _ if signed.is_some() => sign = signed.unwrap_or(1.0),
            (Some("from"), Some("now" | "today")) => consumed += 2,
            // "in three weeks time", "in 2 days' time" (the apostrophe is dropped).
            (Some("time"), _) if lead => consumed += 1,
            (Some("out"), _) => consumed += 1,
            // "2 weeks from Jan 15", "3 days after Christmas": from the day named next.
            (Some("from" | "after"), Some(_)) if unit.is_calendar() => {
                anchored = true;
                consumed += 1;
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
        let value = amount * sign;
        let out_of_range = || TimeError::OutOfRange {
            phrase: self.phrase.to_string(),
        };
        let offset = match unit {
            Unit::Seconds | Unit::Minutes | Unit::Hours => {
                let minutes = value
                    * match unit {
                        Unit::Hours => 60.0,
                        Unit::Seconds => 1.0 / 60.0,
                        _ => 1.0,
                    };
                if minutes.abs() > (MAX_OFFSET_DAYS * 24 * 60) as f64 {
                    return Err(out_of_range());
                }
                Offset::Minutes(minutes.round() as i64)
            }
            Unit::Days | Unit::Weeks | Unit::Fortnights => {
                let days = value * unit.days();
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

    /// One or more counts with units: "2 hours", "1d 2hr 5min", "5 minutes and 30 seconds",
    /// "1 year 2 months" (summed; years and months stay months, days and weeks calendar days,
    /// anything with hours is exact minutes). Counts that do not sum (months with days) end
    /// the amount at the first one.
    fn compound_amount(&self, from: usize) -> Option<(f64, Unit, usize)> {
        let (mut amount, mut unit, mut used) = self.amount_and_unit(from)?;
        loop {
            let and = usize::from(self.tok(from + used) == Some("and"));
            let Some((more, more_unit, more_used)) = self.amount_and_unit(from + used + and) else {
                return Some((amount, unit, used));
            };
            let in_months = |a: f64, u: Unit| match u {
                Unit::Months => Some(a),
                Unit::Years => Some(a * 12.0),
                _ => None,
            };
            if let (Some(a), Some(b)) = (in_months(amount, unit), in_months(more, more_unit)) {
                (amount, unit) = (a + b, Unit::Months);
                used += and + more_used;
                continue;
            }
            let in_minutes = |a: f64, u: Unit| match u {
                Unit::Seconds => Some(a / 60.0),
                Unit::Minutes => Some(a),
                Unit::Hours => Some(a * 60.0),
                Unit::Days | Unit::Weeks | Unit::Fortnights => Some(a * u.days() * 1440.0),
                Unit::Months | Unit::Years => None,
            };
            let (Some(a), Some(b)) = (in_minutes(amount, unit), in_minutes(more, more_unit)) else {
                return Some((amount, unit, used));
            };
            let total = a + b;
            (amount, unit) = if unit.is_calendar() && more_unit.is_calendar() {
                (total / 1440.0, Unit::Days)
            } else {
                (total, Unit::Minutes)
            };
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
