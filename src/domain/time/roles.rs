//! The role a moment plays (event start, due date, search bound, ...) and its defaults.

use chrono::NaiveTime;

use super::tokens::hm;

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
    pub(super) fn period_start_time(self) -> NaiveTime {
        match self {
            MomentRole::Generic => NaiveTime::MIN,
            MomentRole::Due | MomentRole::EventStart => hm(9, 0),
        }
    }
}
