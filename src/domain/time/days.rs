//! Pure calendar arithmetic for the resolver: quarters, days picked inside a month, and the
//! next day that satisfies both a date and a weekday ("Friday the 13th", "tue may 9").

use chrono::{Datelike, NaiveDate, Weekday};

use super::grammar::{DayPick, MonthRef};
use super::holidays::nth_weekday;
use crate::domain::local_time::{
    add_days_to_date, add_months_to_month_start, month_end_date, month_start_date,
};

/// First day of the quarter `offset` quarters from the one containing `today`.
pub(super) fn quarter_start(today: NaiveDate, offset: i32) -> NaiveDate {
    let this = month_start_date(today);
    let back = (today.month0() % 3) as i32;
    add_months_to_month_start(this, 3 * offset - back)
}

/// Last day of that quarter.
pub(super) fn quarter_end(today: NaiveDate, offset: i32) -> NaiveDate {
    month_end_date(add_months_to_month_start(quarter_start(today, offset), 2))
}

/// The picked day of the month starting `month_start`, when it exists.
fn pick_in(month_start: NaiveDate, pick: DayPick) -> Option<NaiveDate> {
    match pick {
        DayPick::Day(d) => month_start.with_day(d),
        DayPick::FromEnd(k) => {
            let date = add_days_to_date(month_end_date(month_start), 1 - i64::from(k));
            (date.month() == month_start.month()).then_some(date)
        }
        DayPick::Nth(n, wd) => nth_weekday(month_start.year(), month_start.month(), wd, n),
        DayPick::Workday(n) => nth_workday(month_start, n),
    }
}

/// The n-th Monday–Friday of the month starting `month_start` (1-based; -1 = the last).
fn nth_workday(month_start: NaiveDate, n: i32) -> Option<NaiveDate> {
    let mut workdays = month_start
        .iter_days()
        .take_while(|d| d.month() == month_start.month())
        .filter(|d| d.weekday().num_days_from_monday() < 5);
    match n {
        -1 => workdays.last(),
        n if n > 0 => workdays.nth(n as usize - 1),
        _ => None,
    }
}

/// The n-th `weekday` strictly after `today` (n > 0) or strictly before it (n < 0).
pub(super) fn nth_weekday_from(today: NaiveDate, weekday: Weekday, n: i32) -> Option<NaiveDate> {
    let step: i64 = if n > 0 { 1 } else { -1 };
    let mut day = today;
    let mut found = 0;
    for _ in 0..(7 * n.unsigned_abs() as usize + 7) {
        day = add_days_to_date(day, step);
        if day.weekday() == weekday {
            found += 1;
            if found == n.abs() {
                return Some(day);
            }
        }
    }
    None
}

/// A day inside a month: a named month is the next one whose picked day is not past
/// (the current month counts, and "March" alone in March means today); a relative month
/// is taken as is.
pub(super) fn in_month(today: NaiveDate, month: MonthRef, pick: DayPick) -> Option<NaiveDate> {
    match month {
        MonthRef::Relative(k) => pick_in(add_months_to_month_start(today, k), pick),
        MonthRef::InYear(y, m) => pick_in(NaiveDate::from_ymd_opt(y, m, 1)?, pick),
        MonthRef::Named(m) => {
            if m == today.month() && pick == DayPick::Day(1) {
                return Some(today);
            }
            (today.year()..=today.year() + 1)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, m, 1))
                .filter_map(|start| pick_in(start, pick))
                .find(|d| *d >= today)
        }
    }
}

/// The next day numbered `day` (today counts) that is a `weekday` ("Friday the 13th").
pub(super) fn day_of_month_on(today: NaiveDate, day: u32, weekday: Weekday) -> Option<NaiveDate> {
    let mut start = month_start_date(today);
    for _ in 0..60 {
        if let Some(d) = start.with_day(day) {
            if d >= today && d.weekday() == weekday {
                return Some(d);
            }
        }
        start = add_months_to_month_start(start, 1);
    }
    None
}

/// How many years from a yearless date's next occurrence its weekday may move it.
const WEEKDAY_YEAR_REACH: i32 = 7;
/// A weekday that disagrees with a yearless date this close (in days) is a slip, not a year.
const NEAR_DAYS: i64 = 28;

/// A yearless date said with a weekday ("tue may 9", "Fri, Jul 18"): its next occurrence when
/// the weekday agrees; else the nearest year in which it agrees — one year later, then the
/// latest past occurrence (a date just gone), then further ahead up to [`WEEKDAY_YEAR_REACH`]
/// years (every role looks ahead; never an older past). `None` (a contradiction to clarify)
/// when none agrees, or when the next occurrence is less than [`NEAR_DAYS`] away ("Saturday
/// Dec 4" asked on Tuesday Dec 1 is a slip, not next year).
pub(super) fn yearless_on(
    today: NaiveDate,
    month: u32,
    day: u32,
    weekday: Weekday,
) -> Option<NaiveDate> {
    let next = (today.year()..=today.year() + 8)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d >= today)?;
    if next.weekday() == weekday {
        return Some(next);
    }
    if (next - today).num_days() < NEAR_DAYS {
        return None;
    }
    let agrees = |y: i32| NaiveDate::from_ymd_opt(y, month, day).filter(|d| d.weekday() == weekday);
    let year = next.year();
    [year + 1, year - 1]
        .into_iter()
        .chain(year + 2..=year + WEEKDAY_YEAR_REACH)
        .find_map(agrees)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn quarters_follow_the_calendar() {
        let nov = ymd(2026, 11, 20);
        assert_eq!(quarter_start(nov, 0), ymd(2026, 10, 1));
        assert_eq!(quarter_end(nov, 0), ymd(2026, 12, 31));
        assert_eq!(quarter_start(nov, 1), ymd(2027, 1, 1));
        assert_eq!(quarter_end(nov, 1), ymd(2027, 3, 31));
    }

    #[test]
    fn weekday_and_date_agree_or_nothing() {
        let today = ymd(2026, 12, 1);
        assert_eq!(
            day_of_month_on(today, 13, Weekday::Fri),
            Some(ymd(2027, 8, 13))
        );
        assert_eq!(
            yearless_on(today, 12, 8, Weekday::Tue),
            Some(ymd(2026, 12, 8))
        );
        assert_eq!(
            yearless_on(today, 11, 27, Weekday::Fri),
            Some(ymd(2026, 11, 27))
        );
        assert_eq!(yearless_on(today, 12, 8, Weekday::Wed), None);
    }

    #[test]
    fn a_disagreeing_weekday_picks_the_nearest_year_that_agrees() {
        // Duckling's "Fri, Jul 18" on 2013-02-12: 2013-07-18 is a Thursday → 2014.
        let feb = ymd(2013, 2, 12);
        assert_eq!(
            yearless_on(feb, 7, 18, Weekday::Fri),
            Some(ymd(2014, 7, 18))
        );
        // The latest past one when it agrees and a year later does not.
        assert_eq!(
            yearless_on(feb, 7, 18, Weekday::Wed),
            Some(ymd(2012, 7, 18))
        );
        // Ahead up to seven years (Sat → 2015), never an older past (Sun: 2010 → nothing).
        assert_eq!(
            yearless_on(feb, 7, 18, Weekday::Thu),
            Some(ymd(2013, 7, 18))
        );
        assert_eq!(
            yearless_on(feb, 7, 18, Weekday::Sat),
            Some(ymd(2015, 7, 18))
        );
        assert_eq!(yearless_on(feb, 7, 18, Weekday::Sun), None);
        // "Mon 12th Oct" in December 2026: next Monday one is 2037 (too far), the past
        // 2026-10-12 is the nearest that agrees.
        let dec = ymd(2026, 12, 1);
        assert_eq!(
            yearless_on(dec, 10, 12, Weekday::Mon),
            Some(ymd(2026, 10, 12))
        );
        // A slip in the next four weeks stays a contradiction ("Saturday Dec 4").
        assert_eq!(yearless_on(dec, 12, 4, Weekday::Sat), None);
        // Five weeks out the weekday decides: 2027-01-08 is a Friday, Sat → 2028 (Jan 8).
        assert_eq!(yearless_on(dec, 1, 8, Weekday::Sat), Some(ymd(2028, 1, 8)));
        // Feb 29 only exists in leap years: Tuesday is 2028, Sunday 2032.
        assert_eq!(
            yearless_on(dec, 2, 29, Weekday::Sun),
            Some(ymd(2032, 2, 29))
        );
        assert_eq!(yearless_on(dec, 2, 29, Weekday::Thu), None);
    }
}
