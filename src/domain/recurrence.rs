//! Recurring series: RFC 5545 `RRULE` / `EXDATE` lines as Nylas v3 carries them in an
//! event's `recurrence` array, rules in words both ways, and expansion into occurrences.
//!
//! Pure: no I/O, "now" and the zone are always parameters.
//!
//! # What is supported
//! - `FREQ` = `DAILY` | `WEEKLY` | `MONTHLY` | `YEARLY`, `INTERVAL`, `BYDAY` (with ordinals
//!   such as `1MO`, `-1FR` for monthly/yearly rules), `BYMONTHDAY` (negative = from the end
//!   of the month), `BYMONTH`, `COUNT`, `UNTIL` (a date, a UTC date-time `…Z`, or a floating
//!   local date-time), `WKST`. Any other part (`BYSETPOS`, `BYHOUR`, …) is a parse error
//!   naming the part, never a silent misreading.
//! - `EXDATE` lines: `EXDATE:20260310T150000Z`, `EXDATE;TZID=America/New_York:20260310T100000`,
//!   `EXDATE;VALUE=DATE:20260310`, several comma-separated values per line.
//!
//! # Expansion semantics (see [`expand`])
//! - Occurrences are generated as *local wall times* in the series' zone: the first start's
//!   wall time on every matching date, then placed with [`crate::domain::local_time`] (a 10:00
//!   New York series is 10:00 EST in January and 10:00 EDT in July).
//! - The first start (`DTSTART`) is always the first occurrence and counts towards `COUNT`
//!   (RFC 5545 §3.3.10); later occurrences are the rule's matches after it.
//! - `UNTIL` is inclusive; `COUNT` counts occurrences before `EXDATE` removes any.
//! - Invalid dates are skipped, not clamped (`BYMONTHDAY=31` skips 30-day months).

mod argument;
mod describe;
mod expand;
mod reshape;
mod rrule;
mod split;
mod words;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc, Weekday};
use chrono_tz::Tz;

pub use argument::RecurrenceInput;
pub use describe::describe;
pub use expand::{
    count_between, count_from, count_total, expand, expand_dates, first_matching_date, occurs_at,
    Occurrences, MAX_OCCURRENCES,
};
pub use reshape::{move_exdates, rule_moved_to_day, rule_on_named_days};
pub use rrule::RecurrenceError;
pub use split::{split_at, SeriesSplit};
pub use words::{find_in_text, parse_words, EndCondition, WordsMatch};

/// Monday to Friday: "every weekday" / "every workday".
const WORK_WEEK: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// How often the series repeats (`FREQ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// One `BYDAY` entry: a weekday, optionally the n-th (`1MO`) or n-th from last (`-1FR`)
/// in the month (monthly rules) or year (yearly rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpec {
    pub ordinal: Option<i8>,
    pub weekday: Weekday,
}

impl DaySpec {
    pub fn every(weekday: Weekday) -> DaySpec {
        DaySpec {
            ordinal: None,
            weekday,
        }
    }

    pub fn nth(ordinal: i8, weekday: Weekday) -> DaySpec {
        DaySpec {
            ordinal: Some(ordinal),
            weekday,
        }
    }
}

/// A moment in an `UNTIL` or `EXDATE` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMoment {
    /// A date (`20260331`): all-day series, or "any occurrence on that local date".
    Date(NaiveDate),
    /// A UTC date-time (`20260331T235959Z`).
    Utc(DateTime<Utc>),
    /// A local date-time, in the named zone or (no `TZID`) in the series' zone.
    Local(NaiveDateTime, Option<Tz>),
}

/// One `RRULE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub frequency: Frequency,
    /// `INTERVAL`, at least 1.
    pub interval: u32,
    pub by_day: Vec<DaySpec>,
    /// `BYMONTHDAY`: 1..=31, or -1..=-31 counted from the end of the month.
    pub by_month_day: Vec<i8>,
    /// `BYMONTH`: 1..=12.
    pub by_month: Vec<u32>,
    pub count: Option<u32>,
    pub until: Option<RuleMoment>,
    /// `WKST` (defaults to Monday); decides which weeks an `INTERVAL>1` weekly rule uses.
    pub week_start: Option<Weekday>,
}

impl Rule {
    /// A rule with only `FREQ` set (interval 1, no limits).
    pub fn new(frequency: Frequency) -> Rule {
        Rule {
            frequency,
            interval: 1,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            count: None,
            until: None,
            week_start: None,
        }
    }

    /// Whether the rule ends (by `COUNT` or `UNTIL`).
    pub fn is_finite(&self) -> bool {
        self.count.is_some() || self.until.is_some()
    }

    /// The rule as one `RRULE:` line.
    pub fn to_line(&self) -> String {
        rrule::format_rule(self)
    }

    /// Parses one `RRULE:` line (the `RRULE:` prefix is optional).
    pub fn parse(line: &str) -> Result<Rule, RecurrenceError> {
        rrule::parse_rule(line)
    }
}

/// A series' `recurrence` array: one rule plus excluded occurrences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub rule: Rule,
    pub exdates: Vec<RuleMoment>,
}

impl Recurrence {
    pub fn new(rule: Rule) -> Recurrence {
        Recurrence {
            rule,
            exdates: Vec::new(),
        }
    }

    /// Parses Nylas' `recurrence` array (`["RRULE:…", "EXDATE:…"]`); exactly one `RRULE`.
    pub fn parse(lines: &[String]) -> Result<Recurrence, RecurrenceError> {
        rrule::parse_recurrence(lines)
    }

    /// The `recurrence` array for Nylas: the `RRULE` line, then one `EXDATE` line per
    /// excluded moment (UTC and dates as is, zoned local times with their `TZID`).
    pub fn to_lines(&self) -> Vec<String> {
        rrule::format_recurrence(self)
    }
}
