//! What a resolved phrase is: the instant plus where each part came from.

use chrono::{DateTime, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::tokens::hm;

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
    pub(super) fn anchor(self) -> NaiveTime {
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

    pub(super) fn is_pm(self) -> Option<bool> {
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
