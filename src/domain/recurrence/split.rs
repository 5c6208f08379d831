//! "This and following": a series cut at one of its occurrences into the old series,
//! which now ends just before it (`UNTIL`), and a new series that starts there.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::expand::{walk, Flow};
use super::{Recurrence, RecurrenceError, RuleMoment};
use crate::domain::local_time::add_days_to_date;

/// The two halves of a series cut at an occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesSplit {
    /// The old series' recurrence, ending just before the cut.
    pub before: Recurrence,
    /// The recurrence of the new series that starts at the cut: the same rule with what
    /// is left of `COUNT`, and the `EXDATE`s from the cut on.
    pub after: Recurrence,
    /// Occurrences the old series keeps.
    pub occurrences_before: usize,
    /// Occurrences from the cut on (the ones "this and following" changes); `None` when
    /// the series never ends.
    pub occurrences_after: Option<usize>,
}

/// Cuts the series whose first occurrence starts at `first` at the occurrence starting
/// `at`. The old series ends with `UNTIL` one second before `at` (all-day series: the day
/// before, as a date), replacing any `COUNT`.
pub fn split_at(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    at: DateTime<Tz>,
    all_day: bool,
) -> Result<SeriesSplit, RecurrenceError> {
    let position = position_of(recurrence, first, at.with_timezone(&Utc))?;
    if position.index == 0 {
        return Err(RecurrenceError::NotInSeries(
            "the first occurrence starts the series: change the whole series instead".to_string(),
        ));
    }
    let until = if all_day {
        RuleMoment::Date(add_days_to_date(at.date_naive(), -1))
    } else {
        RuleMoment::Utc((at - Duration::seconds(1)).with_timezone(&Utc))
    };
    let (exdates_before, exdates_after) = partition_exdates(recurrence, first, at);
    let mut before = Recurrence {
        rule: recurrence.rule.clone(),
        exdates: exdates_before,
    };
    before.rule.count = None;
    before.rule.until = Some(until);
    let mut after = Recurrence {
        rule: recurrence.rule.clone(),
        exdates: exdates_after,
    };
    after.rule.count = recurrence
        .rule
        .count
        .map(|count| count.saturating_sub(position.index as u32));
    let occurrences_after = super::count_from(&after, at, at.with_timezone(&Utc));
    Ok(SeriesSplit {
        before,
        after,
        occurrences_before: position.kept_before,
        occurrences_after,
    })
}

struct Position {
    /// Index among all occurrences, excluded ones included (as `COUNT` counts).
    index: usize,
    /// Occurrences before it that are not excluded.
    kept_before: usize,
}

fn position_of(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    at: DateTime<Utc>,
) -> Result<Position, RecurrenceError> {
    let mut index = 0;
    let mut kept_before = 0;
    let mut found = false;
    walk(recurrence, first, |visit| {
        if visit.start >= at {
            found = visit.start == at && !visit.excluded;
            return Flow::Stop;
        }
        index += 1;
        kept_before += usize::from(!visit.excluded);
        Flow::Continue
    });
    if !found {
        return Err(RecurrenceError::NotInSeries(format!(
            "no occurrence of the series starts at {}",
            at.format("%Y-%m-%d %H:%M UTC")
        )));
    }
    Ok(Position { index, kept_before })
}

fn partition_exdates(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    at: DateTime<Tz>,
) -> (Vec<RuleMoment>, Vec<RuleMoment>) {
    let tz = first.timezone();
    recurrence.exdates.iter().partition(|moment| match moment {
        RuleMoment::Date(date) => *date < at.date_naive(),
        RuleMoment::Utc(instant) => *instant < at,
        RuleMoment::Local(naive, zone) => {
            crate::domain::local_time::resolve_local(zone.unwrap_or(tz), *naive) < at
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recurrence::{count_total, expand};
    use chrono::{NaiveDate, TimeZone};

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn rec(lines: &[&str]) -> Recurrence {
        Recurrence::parse(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn following_ends_the_old_series_one_second_before_the_cut() {
        let first = ny().with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap();
        let at = ny().with_ymd_and_hms(2026, 3, 16, 9, 30, 0).unwrap(); // EDT from Mar 8
        let split = split_at(
            &rec(&["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
            first,
            at,
            false,
        )
        .unwrap();
        assert_eq!(
            split.before.to_lines(),
            vec!["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20260316T132959Z"]
        );
        assert_eq!(split.after.rule.until, None);
        assert_eq!(split.occurrences_before, 10);
        assert_eq!(split.occurrences_after, None);
        assert_eq!(count_total(&split.before, first), Some(10));
    }

    #[test]
    fn count_is_shared_between_the_halves_and_exdates_follow_their_half() {
        let first = ny().with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
        let at = ny().with_ymd_and_hms(2026, 3, 24, 10, 0, 0).unwrap();
        let series = rec(&[
            "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=8",
            "EXDATE;TZID=America/New_York:20260310T100000",
            "EXDATE:20260407T140000Z",
        ]);
        let split = split_at(&series, first, at, false).unwrap();
        assert_eq!(
            split.occurrences_before, 2,
            "Mar 3 and Mar 17 (Mar 10 excluded)"
        );
        assert_eq!(split.after.rule.count, Some(5));
        assert_eq!(split.occurrences_after, Some(4), "Mar 24, 31, Apr 14, 21");
        assert_eq!(split.before.exdates.len(), 1);
        assert_eq!(split.after.exdates.len(), 1);
        let window = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap();
        let after = expand(&split.after, at, window(2026, 1, 1), window(2027, 1, 1));
        let before = expand(&split.before, first, window(2026, 1, 1), window(2027, 1, 1));
        let whole = expand(&series, first, window(2026, 1, 1), window(2027, 1, 1));
        let mut joined = before.starts.clone();
        joined.extend(after.starts);
        assert_eq!(
            joined, whole.starts,
            "the halves together are the old series"
        );
    }

    #[test]
    fn all_day_series_end_the_day_before() {
        let first = Tz::UTC.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let at = Tz::UTC.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        let split = split_at(&rec(&["RRULE:FREQ=MONTHLY;BYMONTHDAY=1"]), first, at, true).unwrap();
        assert_eq!(
            split.before.rule.until,
            Some(RuleMoment::Date(
                NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
            ))
        );
        assert_eq!(split.occurrences_before, 3);
    }

    #[test]
    fn the_cut_must_be_a_later_real_occurrence() {
        let first = ny().with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
        let series = rec(&["RRULE:FREQ=WEEKLY", "EXDATE:20260310T140000Z"]);
        let wrong_time = ny().with_ymd_and_hms(2026, 3, 17, 11, 0, 0).unwrap();
        let excluded = ny().with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap();
        for at in [first, wrong_time, excluded] {
            let err = split_at(&series, first, at, false).unwrap_err();
            assert!(matches!(err, RecurrenceError::NotInSeries(_)), "{at}");
        }
    }
}
