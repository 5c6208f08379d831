//! Expanding a [`Recurrence`] into occurrence starts (see the parent module's semantics).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::{DaySpec, Frequency, Recurrence, Rule, RuleMoment};
use crate::domain::local_time::{
    add_days_to_date, month_end_date, month_start_date, resolve_local,
};

/// Most occurrences one expansion returns (a daily series over 13 years).
pub const MAX_OCCURRENCES: usize = 5000;
/// Most rule matches one walk visits before giving up (bounds `COUNT=4000000000`).
const MAX_WALK: usize = 100_000;
/// Consecutive periods without any match after which a rule is taken to never match
/// again (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`).
const MAX_EMPTY_PERIODS: u32 = 1000;

/// The occurrence starts of a series inside a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrences {
    pub starts: Vec<DateTime<Tz>>,
    /// More than [`MAX_OCCURRENCES`] fell in the window; `starts` holds the first ones.
    pub truncated: bool,
}

/// The starts in `[from, to)` of the series whose first occurrence starts at `first`
/// (its zone and wall time define every occurrence), `EXDATE`s removed.
pub fn expand(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Occurrences {
    let mut starts = Vec::new();
    let mut truncated = false;
    walk(recurrence, first, |occurrence| {
        if occurrence.start >= to {
            return Flow::Stop;
        }
        if occurrence.start >= from && !occurrence.excluded {
            if starts.len() == MAX_OCCURRENCES {
                truncated = true;
                return Flow::Stop;
            }
            starts.push(occurrence.start);
        }
        Flow::Continue
    });
    Occurrences { starts, truncated }
}

/// The dates in `[from, to)` of an all-day series whose first day is `first`.
pub fn expand_dates(
    recurrence: &Recurrence,
    first: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    let first = resolve_local(Tz::UTC, first.and_time(NaiveTime::MIN));
    let utc = |date: NaiveDate| date.and_time(NaiveTime::MIN).and_utc();
    expand(recurrence, first, utc(from), utc(to))
        .starts
        .iter()
        .map(|start| start.date_naive())
        .collect()
}

/// How many occurrences the whole series has; `None` when it never ends.
pub fn count_total(recurrence: &Recurrence, first: DateTime<Tz>) -> Option<usize> {
    count_from(recurrence, first, first.with_timezone(&Utc))
}

/// How many occurrences start at or after `from`; `None` when the series never ends.
pub fn count_from(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    from: DateTime<Utc>,
) -> Option<usize> {
    if !recurrence.rule.is_finite() {
        return None;
    }
    let mut count = 0;
    walk(recurrence, first, |occurrence| {
        if occurrence.start >= from && !occurrence.excluded {
            count += 1;
        }
        Flow::Continue
    });
    Some(count)
}

/// How many occurrences start in `[from, to)`.
pub fn count_between(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> usize {
    let mut count = 0;
    walk(recurrence, first, |occurrence| {
        if occurrence.start >= to {
            return Flow::Stop;
        }
        if occurrence.start >= from && !occurrence.excluded {
            count += 1;
        }
        Flow::Continue
    });
    count
}

/// Whether an occurrence of the series (not excluded) starts exactly at `start`.
pub fn occurs_at(recurrence: &Recurrence, first: DateTime<Tz>, start: DateTime<Utc>) -> bool {
    let mut found = false;
    walk(recurrence, first, |occurrence| {
        if occurrence.start > start {
            return Flow::Stop;
        }
        found = occurrence.start == start && !occurrence.excluded;
        if found {
            Flow::Stop
        } else {
            Flow::Continue
        }
    });
    found
}

pub(super) struct Visit {
    pub start: DateTime<Tz>,
    pub excluded: bool,
}

pub(super) enum Flow {
    Continue,
    Stop,
}

/// Visits every occurrence in order (excluded ones flagged) until the rule ends or
/// `visit` stops.
pub(super) fn walk(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    mut visit: impl FnMut(Visit) -> Flow,
) {
    let tz = first.timezone();
    let wall_time = first.naive_local().time();
    let rule = &recurrence.rule;
    let limit = rule.count.map_or(MAX_WALK, |c| (c as usize).min(MAX_WALK));
    let dates = MatchingDates::new(rule, first.date_naive());
    for date in dates.take(limit) {
        let naive = date.and_time(wall_time);
        let start = if date == first.date_naive() {
            first
        } else {
            resolve_local(tz, naive)
        };
        if is_past_until(rule, date, start, tz) {
            return;
        }
        let excluded = recurrence
            .exdates
            .iter()
            .any(|ex| matches_moment(ex, naive, start, tz));
        if let Flow::Stop = visit(Visit { start, excluded }) {
            return;
        }
    }
}

fn is_past_until(rule: &Rule, date: NaiveDate, start: DateTime<Tz>, tz: Tz) -> bool {
    match rule.until {
        None => false,
        Some(RuleMoment::Date(until)) => date > until,
        Some(RuleMoment::Utc(until)) => start > until,
        Some(RuleMoment::Local(until, zone)) => start > resolve_local(zone.unwrap_or(tz), until),
    }
}

fn matches_moment(moment: &RuleMoment, naive: NaiveDateTime, start: DateTime<Tz>, tz: Tz) -> bool {
    match *moment {
        RuleMoment::Date(date) => naive.date() == date,
        RuleMoment::Utc(instant) => start == instant,
        RuleMoment::Local(local, Some(zone)) => start == resolve_local(zone, local),
        RuleMoment::Local(local, None) => start == resolve_local(tz, local),
    }
}

/// The first date, then every later date the rule matches, ascending.
struct MatchingDates<'a> {
    rule: &'a Rule,
    first: NaiveDate,
    period: u32,
    pending: std::vec::IntoIter<NaiveDate>,
    started: bool,
    empty_periods: u32,
}

impl<'a> MatchingDates<'a> {
    fn new(rule: &'a Rule, first: NaiveDate) -> MatchingDates<'a> {
        MatchingDates {
            rule,
            first,
            period: 0,
            pending: Vec::new().into_iter(),
            started: false,
            empty_periods: 0,
        }
    }

    /// Loads the next period that has matches after `first`; false when there is none.
    fn load_next_period(&mut self) -> bool {
        while self.empty_periods < MAX_EMPTY_PERIODS {
            let Some(dates) = period_dates(self.rule, self.first, self.period) else {
                return false;
            };
            self.period += 1;
            let later: Vec<NaiveDate> = dates.into_iter().filter(|d| *d > self.first).collect();
            if !later.is_empty() {
                self.empty_periods = 0;
                self.pending = later.into_iter();
                return true;
            }
            self.empty_periods += 1;
        }
        false
    }
}

impl Iterator for MatchingDates<'_> {
    type Item = NaiveDate;

    fn next(&mut self) -> Option<NaiveDate> {
        if !self.started {
            self.started = true;
            return Some(self.first);
        }
        loop {
            if let Some(date) = self.pending.next() {
                return Some(date);
            }
            if !self.load_next_period() {
                return None;
            }
        }
    }
}

/// The sorted dates the rule matches in period number `index` (0 = the period of
/// `first`); `None` past chrono's date range.
fn period_dates(rule: &Rule, first: NaiveDate, index: u32) -> Option<Vec<NaiveDate>> {
    let step = index.checked_mul(rule.interval)?;
    let mut dates = match rule.frequency {
        Frequency::Daily => {
            let day = first.checked_add_days(chrono::Days::new(u64::from(step)))?;
            vec![day]
                .into_iter()
                .filter(|d| matches_date(rule, *d))
                .collect()
        }
        Frequency::Weekly => week_dates(rule, first, step)?,
        Frequency::Monthly => {
            let month = checked_add_months(first, step)?;
            month_dates(rule, month, first.day())
        }
        Frequency::Yearly => {
            let year = first.year().checked_add(i32::try_from(step).ok()?)?;
            year_dates(rule, first, year)?
        }
    };
    dates.retain(|d| rule.by_month.is_empty() || rule.by_month.contains(&d.month()));
    dates.sort();
    dates.dedup();
    Some(dates)
}

fn week_dates(rule: &Rule, first: NaiveDate, weeks: u32) -> Option<Vec<NaiveDate>> {
    let week_start = rule.week_start.unwrap_or(Weekday::Mon);
    let back = (7 + first.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
    let start = add_days_to_date(first, -i64::from(back))
        .checked_add_days(chrono::Days::new(u64::from(weeks) * 7))?;
    let days: Vec<Weekday> = if rule.by_day.is_empty() {
        vec![first.weekday()]
    } else {
        rule.by_day.iter().map(|s| s.weekday).collect()
    };
    Some(
        (0..7)
            .map(|offset| add_days_to_date(start, offset))
            .filter(|d| days.contains(&d.weekday()))
            .collect(),
    )
}

fn year_dates(rule: &Rule, first: NaiveDate, year: i32) -> Option<Vec<NaiveDate>> {
    let months: Vec<u32> = if !rule.by_month.is_empty() {
        rule.by_month.clone()
    } else if rule.by_day.is_empty() && rule.by_month_day.is_empty() {
        vec![first.month()]
    } else {
        (1..=12).collect()
    };
    let mut dates = Vec::new();
    for month in months {
        let Some(month_start) = NaiveDate::from_ymd_opt(year, month, 1) else {
            continue;
        };
        dates.extend(month_dates(rule, month_start, first.day()));
    }
    Some(dates)
}

/// The dates of the month starting `month_start` that the rule's day parts select
/// (`BYMONTHDAY` limited by `BYDAY`, else `BYDAY`, else `default_day`).
fn month_dates(rule: &Rule, month_start: NaiveDate, default_day: u32) -> Vec<NaiveDate> {
    let by_day_ok = |d: &NaiveDate| {
        rule.by_day.is_empty() || rule.by_day.iter().any(|s| day_spec_matches(s, *d))
    };
    if !rule.by_month_day.is_empty() {
        return rule
            .by_month_day
            .iter()
            .filter_map(|md| resolve_month_day(month_start, *md))
            .filter(by_day_ok)
            .collect();
    }
    if !rule.by_day.is_empty() {
        let last = month_end_date(month_start);
        return (0..i64::from(last.day()))
            .map(|offset| add_days_to_date(month_start, offset))
            .filter(by_day_ok)
            .collect();
    }
    month_start.with_day(default_day).into_iter().collect()
}

/// Day `month_day` (negative: from the end) of the month containing `date`, if it exists.
fn resolve_month_day(date: NaiveDate, month_day: i8) -> Option<NaiveDate> {
    let last = month_end_date(date).day() as i32;
    let day = if month_day > 0 {
        i32::from(month_day)
    } else {
        last + 1 + i32::from(month_day)
    };
    if day < 1 || day > last {
        return None;
    }
    date.with_day(day as u32)
}

/// Whether `date` is the weekday `spec` names, and the n-th (or n-th from last) of its
/// month when an ordinal is given.
pub(super) fn day_spec_matches(spec: &DaySpec, date: NaiveDate) -> bool {
    if date.weekday() != spec.weekday {
        return false;
    }
    match spec.ordinal {
        None => true,
        Some(n) if n > 0 => (date.day() - 1) / 7 + 1 == n as u32,
        Some(n) => (month_end_date(date).day() - date.day()) / 7 + 1 == n.unsigned_abs() as u32,
    }
}

fn checked_add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    month_start_date(date).checked_add_months(chrono::Months::new(months))
}

/// Whether `date` satisfies every day part of the rule (`BYMONTH`, `BYDAY` with
/// ordinals, `BYMONTHDAY`); a rule without day parts matches any date.
pub(super) fn matches_date(rule: &Rule, date: NaiveDate) -> bool {
    let month_ok = rule.by_month.is_empty() || rule.by_month.contains(&date.month());
    let day_ok = rule.by_day.is_empty() || rule.by_day.iter().any(|s| day_spec_matches(s, date));
    let month_day_ok = rule.by_month_day.is_empty()
        || rule
            .by_month_day
            .iter()
            .any(|md| resolve_month_day(date, *md) == Some(date));
    month_ok && day_ok && month_day_ok
}

/// The first date on or after `from` that the rule's day parts allow (within 8 years).
pub fn first_matching_date(rule: &Rule, from: NaiveDate) -> Option<NaiveDate> {
    (0..366 * 8)
        .map(|offset| add_days_to_date(from, offset))
        .find(|date| matches_date(rule, *date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn rec(line: &str) -> Recurrence {
        Recurrence::parse(&[line.to_string()]).unwrap()
    }

    fn rec_with(lines: &[&str]) -> Recurrence {
        Recurrence::parse(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        tz.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dates_of(occurrences: &Occurrences) -> Vec<NaiveDate> {
        occurrences.starts.iter().map(|s| s.date_naive()).collect()
    }

    #[test]
    fn weekly_new_york_series_stays_at_ten_local_across_both_dst_changes() {
        let first = local(ny(), 2026, 1, 6, 10, 0); // a Tuesday
        let all = expand(
            &rec("RRULE:FREQ=WEEKLY;BYDAY=TU"),
            first,
            utc(2026, 1, 1),
            utc(2027, 1, 1),
        );
        assert_eq!(all.starts.len(), 52);
        assert!(all
            .starts
            .iter()
            .all(|s| s.naive_local().time() == NaiveTime::from_hms_opt(10, 0, 0).unwrap()));
        let utc_hours: Vec<u32> = all
            .starts
            .iter()
            .map(|s| s.with_timezone(&Utc).time().hour())
            .collect();
        assert_eq!(utc_hours[0], 15, "EST in January");
        assert_eq!(utc_hours[20], 14, "EDT in May");
        assert_eq!(*utc_hours.last().unwrap(), 15, "EST again in December");
    }

    use chrono::Timelike;

    #[test]
    fn a_wall_time_in_the_spring_gap_moves_forward_on_that_day_only() {
        let first = local(ny(), 2026, 3, 7, 2, 30);
        let days = expand(
            &rec("RRULE:FREQ=DAILY;COUNT=3"),
            first,
            utc(2026, 3, 1),
            utc(2026, 4, 1),
        );
        let times: Vec<String> = days
            .starts
            .iter()
            .map(|s| s.format("%d %H:%M %Z").to_string())
            .collect();
        assert_eq!(times, vec!["07 02:30 EST", "08 03:30 EDT", "09 02:30 EDT"]);
    }

    #[test]
    fn every_weekday_skips_weekends() {
        let first = local(ny(), 2026, 3, 2, 9, 30); // Monday
        let weekdays = expand(
            &rec("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
            first,
            utc(2026, 3, 2),
            utc(2026, 3, 16),
        );
        assert_eq!(weekdays.starts.len(), 10);
        assert!(dates_of(&weekdays)
            .iter()
            .all(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)));
    }

    #[test]
    fn interval_weeks_count_from_the_first_week() {
        let first = local(ny(), 2026, 3, 4, 11, 0); // Wednesday
        let got = expand(
            &rec("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"),
            first,
            utc(2026, 3, 1),
            utc(2026, 4, 1),
        );
        // The Monday of the first week (Mar 2) is before the first start: not an occurrence.
        assert_eq!(
            dates_of(&got),
            vec![
                date(2026, 3, 4),
                date(2026, 3, 16),
                date(2026, 3, 18),
                date(2026, 3, 30)
            ]
        );
    }

    #[test]
    fn monthly_by_month_day_skips_short_months_and_counts_from_the_end() {
        let first = local(Tz::UTC, 2026, 1, 31, 8, 0);
        let got = expand(
            &rec("RRULE:FREQ=MONTHLY;BYMONTHDAY=31"),
            first,
            utc(2026, 1, 1),
            utc(2026, 8, 1),
        );
        assert_eq!(
            dates_of(&got),
            vec![
                date(2026, 1, 31),
                date(2026, 3, 31),
                date(2026, 5, 31),
                date(2026, 7, 31)
            ]
        );
        let first = local(Tz::UTC, 2026, 1, 31, 8, 0);
        let last = expand(
            &rec("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3"),
            first,
            utc(2026, 1, 1),
            utc(2027, 1, 1),
        );
        assert_eq!(
            dates_of(&last),
            vec![date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
        );
    }

    #[test]
    fn monthly_without_day_parts_repeats_the_first_day_of_month() {
        let first = local(Tz::UTC, 2026, 1, 15, 8, 0);
        let got = expand(
            &rec("RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=3"),
            first,
            utc(2026, 1, 1),
            utc(2027, 1, 1),
        );
        assert_eq!(
            dates_of(&got),
            vec![date(2026, 1, 15), date(2026, 3, 15), date(2026, 5, 15)]
        );
    }

    #[test]
    fn ordinal_weekdays_pick_first_and_last_in_month() {
        let first = local(Tz::UTC, 2026, 3, 2, 9, 0); // first Monday of March 2026
        let first_mondays = expand(
            &rec("RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3"),
            first,
            utc(2026, 1, 1),
            utc(2027, 1, 1),
        );
        assert_eq!(
            dates_of(&first_mondays),
            vec![date(2026, 3, 2), date(2026, 4, 6), date(2026, 5, 4)]
        );
        let first = local(Tz::UTC, 2026, 3, 27, 16, 0); // last Friday of March 2026
        let last_fridays = expand(
            &rec("RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"),
            first,
            utc(2026, 1, 1),
            utc(2027, 1, 1),
        );
        assert_eq!(
            dates_of(&last_fridays),
            vec![date(2026, 3, 27), date(2026, 4, 24), date(2026, 5, 29)]
        );
    }

    #[test]
    fn yearly_repeats_the_date_and_skips_missing_leap_days() {
        let first = local(Tz::UTC, 2024, 2, 29, 0, 0);
        let got = expand(
            &rec("RRULE:FREQ=YEARLY"),
            first,
            utc(2024, 1, 1),
            utc(2033, 1, 1),
        );
        assert_eq!(
            dates_of(&got),
            vec![date(2024, 2, 29), date(2028, 2, 29), date(2032, 2, 29)]
        );
        let first = local(Tz::UTC, 2026, 11, 26, 12, 0); // Thanksgiving 2026
        let thanksgiving = expand(
            &rec("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=2"),
            first,
            utc(2026, 1, 1),
            utc(2030, 1, 1),
        );
        assert_eq!(
            dates_of(&thanksgiving),
            vec![date(2026, 11, 26), date(2027, 11, 25)]
        );
    }

    #[test]
    fn until_is_inclusive_in_every_form() {
        let first = local(ny(), 2026, 3, 30, 9, 30);
        for line in [
            "RRULE:FREQ=DAILY;UNTIL=20260401",
            "RRULE:FREQ=DAILY;UNTIL=20260401T133000Z",
            "RRULE:FREQ=DAILY;UNTIL=20260401T093000",
        ] {
            let got = expand(&rec(line), first, utc(2026, 3, 1), utc(2026, 5, 1));
            assert_eq!(got.starts.len(), 3, "{line}");
        }
        let just_before = rec("RRULE:FREQ=DAILY;UNTIL=20260401T132959Z");
        assert_eq!(
            expand(&just_before, first, utc(2026, 3, 1), utc(2026, 5, 1))
                .starts
                .len(),
            2
        );
    }

    #[test]
    fn exdates_remove_occurrences_but_still_count_towards_count() {
        let first = local(ny(), 2026, 3, 3, 10, 0);
        let recurrence = rec_with(&[
            "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5",
            "EXDATE;TZID=America/New_York:20260310T100000",
            "EXDATE:20260317T140000Z",
            "EXDATE;VALUE=DATE:20260324",
        ]);
        let got = expand(&recurrence, first, utc(2026, 1, 1), utc(2027, 1, 1));
        assert_eq!(dates_of(&got), vec![date(2026, 3, 3), date(2026, 3, 31)]);
        assert_eq!(count_total(&recurrence, first), Some(2));
    }

    #[test]
    fn counts_whole_series_windows_and_following() {
        let first = local(ny(), 2026, 3, 2, 9, 30);
        let standup = rec("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20260401T035959Z");
        assert_eq!(count_total(&standup, first), Some(22));
        assert_eq!(count_from(&standup, first, utc(2026, 3, 23)), Some(7));
        assert_eq!(
            count_between(&standup, first, utc(2026, 3, 9), utc(2026, 3, 14)),
            5
        );
        assert_eq!(count_total(&rec("RRULE:FREQ=DAILY"), first), None);
    }

    #[test]
    fn occurs_at_knows_real_and_excluded_starts() {
        let first = local(ny(), 2026, 3, 3, 10, 0);
        let recurrence = rec_with(&["RRULE:FREQ=WEEKLY", "EXDATE:20260310T140000Z"]);
        let at = |d| local(ny(), 2026, 3, d, 10, 0).with_timezone(&Utc);
        assert!(occurs_at(&recurrence, first, at(17)));
        assert!(!occurs_at(&recurrence, first, at(10)));
        assert!(!occurs_at(&recurrence, first, at(18)));
    }

    #[test]
    fn all_day_series_expand_to_dates() {
        let birthday = rec("RRULE:FREQ=YEARLY");
        assert_eq!(
            expand_dates(
                &birthday,
                date(2026, 3, 3),
                date(2026, 1, 1),
                date(2029, 1, 1)
            ),
            vec![date(2026, 3, 3), date(2027, 3, 3), date(2028, 3, 3)]
        );
    }

    #[test]
    fn a_rule_that_never_matches_again_ends() {
        let first = local(Tz::UTC, 2026, 2, 1, 8, 0);
        let never = rec("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");
        assert_eq!(
            expand(&never, first, utc(2026, 1, 1), utc(2200, 1, 1))
                .starts
                .len(),
            1
        );
    }

    #[test]
    fn huge_windows_are_truncated() {
        let first = local(Tz::UTC, 2000, 1, 1, 8, 0);
        let got = expand(
            &rec("RRULE:FREQ=DAILY"),
            first,
            utc(2000, 1, 1),
            utc(2100, 1, 1),
        );
        assert!(got.truncated);
        assert_eq!(got.starts.len(), MAX_OCCURRENCES);
    }

    proptest! {
        #[test]
        fn daily_and_weekly_series_keep_their_wall_time_in_any_zone(
            zone in prop::sample::select(vec!["America/New_York", "Europe/London", "Australia/Sydney", "Pacific/Apia", "Asia/Kolkata"]),
            hour in 4u32..23,
            weekly in any::<bool>(),
        ) {
            let tz: Tz = zone.parse().unwrap();
            let first = local(tz, 2026, 1, 5, hour, 15);
            let line = if weekly { "RRULE:FREQ=WEEKLY;BYDAY=MO,TH" } else { "RRULE:FREQ=DAILY;INTERVAL=3" };
            let got = expand(&rec(line), first, utc(2026, 1, 1), utc(2027, 1, 1));
            prop_assert!(!got.starts.is_empty());
            for start in &got.starts {
                prop_assert_eq!(start.naive_local().time(), first.naive_local().time());
            }
            prop_assert!(got.starts.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
