//! Local wall-clock time ⇄ instants in an IANA zone, safe across DST.
//!
//! Rules (used by every time computation in the crate):
//! - A wall time that does not exist (inside a spring-forward gap) moves forward by the
//!   length of the gap: 02:30 on the US spring-forward day becomes 03:30 EDT.
//! - A wall time that exists twice (fall-back overlap) takes the earlier instant
//!   (01:30 on the US fall-back day is 01:30 EDT, not 01:30 EST).
//! - "Adding days" is calendar arithmetic on the local date that keeps the wall time,
//!   not adding multiples of 24 hours.
//! - Ends of periods are exclusive: `end_of_day(d)` is the instant the next local day
//!   starts, so a period is the half-open interval `[start, end)`.

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Weekday,
};
use chrono_tz::Tz;

/// How far back (in 15-minute steps) we look for the offset in force before a gap.
/// 48 hours covers every gap in the tz database (the largest is a skipped calendar day).
const GAP_SEARCH_STEPS: i64 = 48 * 4;

/// The result of placing a wall-clock time in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalPlacement {
    pub instant: DateTime<Tz>,
    /// The wall time did not exist and was moved forward by the gap.
    pub shifted_by_gap: bool,
    /// The wall time existed twice; the earlier instant was taken.
    pub was_ambiguous: bool,
}

/// Places `naive` (a local wall-clock time) in `tz`, reporting gap/overlap handling.
pub fn place_local(tz: Tz, naive: NaiveDateTime) -> LocalPlacement {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(instant) => LocalPlacement {
            instant,
            shifted_by_gap: false,
            was_ambiguous: false,
        },
        LocalResult::Ambiguous(a, b) => LocalPlacement {
            instant: if a <= b { a } else { b },
            shifted_by_gap: false,
            was_ambiguous: true,
        },
        LocalResult::None => LocalPlacement {
            instant: place_in_gap(tz, naive),
            shifted_by_gap: true,
            was_ambiguous: false,
        },
    }
}

/// Wall-clock time → instant in `tz` (gap: forward by the gap; overlap: earlier instant).
pub fn resolve_local(tz: Tz, naive: NaiveDateTime) -> DateTime<Tz> {
    place_local(tz, naive).instant
}

/// `date` at `time` in `tz` (DST-safe, see module docs).
pub fn at(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    resolve_local(tz, date.and_time(time))
}

/// A gap wall time is read with the UTC offset in force just before the gap, which
/// lands it after the transition, i.e. moved forward by exactly the gap length.
fn place_in_gap(tz: Tz, naive: NaiveDateTime) -> DateTime<Tz> {
    for step in 1..=GAP_SEARCH_STEPS {
        let Some(earlier) = naive.checked_sub_signed(Duration::minutes(15 * step)) else {
            break;
        };
        let offset_before = match tz.from_local_datetime(&earlier) {
            LocalResult::Single(dt) => dt.offset().fix(),
            // The later of the two readings is the one adjacent to what follows.
            LocalResult::Ambiguous(_, later) => later.offset().fix(),
            LocalResult::None => continue,
        };
        let utc = naive - Duration::seconds(i64::from(offset_before.local_minus_utc()));
        return tz.from_utc_datetime(&utc);
    }
    // Unreachable with the real tz database; read the wall time as UTC rather than panic.
    tz.from_utc_datetime(&naive)
}

/// The local calendar date of an instant.
pub fn local_date(instant: &DateTime<Tz>) -> NaiveDate {
    instant.date_naive()
}

/// The first instant of the local day `date` (00:00, or the first existing time after a
/// midnight gap).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    at(tz, date, NaiveTime::MIN)
}

/// The exclusive end of the local day `date`: the instant the next local day starts.
pub fn end_of_day(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    start_of_day(tz, next_day(date))
}

/// The Monday of the week containing `date` (weeks start on Monday).
pub fn week_start_date(date: NaiveDate) -> NaiveDate {
    add_days_to_date(date, -i64::from(date.weekday().num_days_from_monday()))
}

/// The Sunday of the week containing `date`.
pub fn week_end_date(date: NaiveDate) -> NaiveDate {
    add_days_to_date(week_start_date(date), 6)
}

/// The first instant of the week (Monday 00:00) containing `date`.
pub fn start_of_week(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    start_of_day(tz, week_start_date(date))
}

/// The exclusive end of the week containing `date`: the end of its Sunday.
pub fn end_of_week(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    end_of_day(tz, week_end_date(date))
}

/// The first day of the month containing `date`.
pub fn month_start_date(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The last day of the month containing `date`.
pub fn month_end_date(date: NaiveDate) -> NaiveDate {
    let first = month_start_date(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(date)
}

/// The first instant of the month containing `date`.
pub fn start_of_month(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    start_of_day(tz, month_start_date(date))
}

/// The exclusive end of the month containing `date`: the end of its last day.
pub fn end_of_month(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    end_of_day(tz, month_end_date(date))
}

/// The first day of the month `months` months after (or before, when negative) the
/// month containing `date`.
pub fn add_months_to_month_start(date: NaiveDate, months: i32) -> NaiveDate {
    let first = month_start_date(date);
    let shifted = if months >= 0 {
        first.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        first.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    shifted.unwrap_or(first)
}

/// `date` plus `days` calendar days (saturating at chrono's date range).
pub fn add_days_to_date(date: NaiveDate, days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    let shifted = if days >= 0 {
        date.checked_add_days(magnitude)
    } else {
        date.checked_sub_days(magnitude)
    };
    shifted.unwrap_or(date)
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap_or(date)
}

/// Adds calendar days in local terms: same wall time on the date `days` later (not
/// `days * 24h`); re-resolved with the DST rules if that wall time is a gap/overlap.
pub fn add_days(instant: DateTime<Tz>, days: i64) -> DateTime<Tz> {
    let tz = instant.timezone();
    let naive = instant.naive_local();
    at(tz, add_days_to_date(naive.date(), days), naive.time())
}

/// The first date on or after `from` that falls on `weekday`.
pub fn next_weekday_on_or_after(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    add_days_to_date(from, i64::from(ahead))
}

/// The first date strictly after `from` that falls on `weekday`.
pub fn next_weekday_after(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    next_weekday_on_or_after(next_day(from), weekday)
}

/// The date on `weekday` within the (Monday-based) week containing `date`.
pub fn weekday_in_week_of(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    add_days_to_date(
        week_start_date(date),
        i64::from(weekday.num_days_from_monday()),
    )
}

/// "Monday" … "Sunday".
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use chrono_tz::America::New_York;
    use chrono_tz::Australia::Sydney;
    use chrono_tz::Europe::London;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn plain_wall_time_maps_to_its_offset() {
        let x = at(New_York, d(2026, 12, 4), t(17, 0));
        assert_eq!(x.to_rfc3339(), "2026-12-04T17:00:00-05:00");
        assert_eq!(x.naive_utc().hour(), 22);
        let summer = at(New_York, d(2026, 7, 1), t(17, 0));
        assert_eq!(summer.to_rfc3339(), "2026-07-01T17:00:00-04:00");
    }

    #[test]
    fn spring_forward_gap_moves_forward_by_the_gap() {
        // 2026-03-08: 02:00 EST -> 03:00 EDT in New York.
        let p = place_local(New_York, d(2026, 3, 8).and_time(t(2, 30)));
        assert!(p.shifted_by_gap);
        assert_eq!(p.instant.to_rfc3339(), "2026-03-08T03:30:00-04:00");
        let edge = at(New_York, d(2026, 3, 8), t(2, 0));
        assert_eq!(edge.to_rfc3339(), "2026-03-08T03:00:00-04:00");
        // London 2026-03-29 01:00 GMT -> 02:00 BST.
        let london = at(London, d(2026, 3, 29), t(1, 15));
        assert_eq!(london.to_rfc3339(), "2026-03-29T02:15:00+01:00");
        // Sydney 2026-10-04 02:00 AEST -> 03:00 AEDT.
        let syd = at(Sydney, d(2026, 10, 4), t(2, 45));
        assert_eq!(syd.to_rfc3339(), "2026-10-04T03:45:00+11:00");
    }

    #[test]
    fn fall_back_overlap_takes_the_earlier_instant() {
        let p = place_local(New_York, d(2026, 11, 1).and_time(t(1, 30)));
        assert!(p.was_ambiguous);
        assert_eq!(p.instant.to_rfc3339(), "2026-11-01T01:30:00-04:00");
        let syd = at(Sydney, d(2026, 4, 5), t(2, 30));
        assert_eq!(syd.to_rfc3339(), "2026-04-05T02:30:00+11:00");
    }

    #[test]
    fn days_and_weeks_and_months() {
        let tue = d(2026, 12, 1);
        assert_eq!(week_start_date(tue), d(2026, 11, 30));
        assert_eq!(week_end_date(tue), d(2026, 12, 6));
        assert_eq!(week_start_date(d(2026, 12, 6)), d(2026, 11, 30));
        assert_eq!(week_start_date(d(2026, 11, 30)), d(2026, 11, 30));
        assert_eq!(
            start_of_week(New_York, tue).to_rfc3339(),
            "2026-11-30T00:00:00-05:00"
        );
        assert_eq!(
            end_of_week(New_York, tue).to_rfc3339(),
            "2026-12-07T00:00:00-05:00"
        );
        assert_eq!(month_end_date(d(2026, 2, 10)), d(2026, 2, 28));
        assert_eq!(month_end_date(d(2028, 2, 10)), d(2028, 2, 29));
        assert_eq!(month_end_date(d(2026, 12, 31)), d(2026, 12, 31));
        assert_eq!(
            end_of_month(New_York, tue).to_rfc3339(),
            "2027-01-01T00:00:00-05:00"
        );
        assert_eq!(
            start_of_month(New_York, tue).to_rfc3339(),
            "2026-12-01T00:00:00-05:00"
        );
        assert_eq!(add_months_to_month_start(tue, 1), d(2027, 1, 1));
        assert_eq!(add_months_to_month_start(tue, -12), d(2025, 12, 1));
    }

    #[test]
    fn day_bounds_across_dst_days_are_23_and_25_hours() {
        let spring = d(2026, 3, 8);
        let len = end_of_day(New_York, spring) - start_of_day(New_York, spring);
        assert_eq!(len, Duration::hours(23));
        let fall = d(2026, 11, 1);
        let len = end_of_day(New_York, fall) - start_of_day(New_York, fall);
        assert_eq!(len, Duration::hours(25));
    }

    #[test]
    fn add_days_keeps_wall_time_across_dst() {
        let before = at(New_York, d(2026, 10, 29), t(17, 0));
        let after = add_days(before, 5);
        assert_eq!(after.to_rfc3339(), "2026-11-03T17:00:00-05:00");
        assert_eq!(after - before, Duration::hours(5 * 24 + 1));
        let back = add_days(after, -5);
        assert_eq!(back, before);
        // Landing in a gap moves forward.
        let sat = at(New_York, d(2026, 3, 7), t(2, 30));
        assert_eq!(add_days(sat, 1).to_rfc3339(), "2026-03-08T03:30:00-04:00");
    }

    #[test]
    fn weekday_helpers() {
        let tue = d(2026, 12, 1);
        assert_eq!(next_weekday_on_or_after(tue, Weekday::Tue), tue);
        assert_eq!(next_weekday_after(tue, Weekday::Tue), d(2026, 12, 8));
        assert_eq!(next_weekday_on_or_after(tue, Weekday::Fri), d(2026, 12, 4));
        assert_eq!(next_weekday_on_or_after(tue, Weekday::Mon), d(2026, 12, 7));
        assert_eq!(weekday_in_week_of(tue, Weekday::Sun), d(2026, 12, 6));
        assert_eq!(weekday_in_week_of(tue, Weekday::Mon), d(2026, 11, 30));
    }

    #[test]
    fn midnight_gap_zone_starts_day_at_first_existing_time() {
        // America/Santiago springs forward at 24:00 -> 01:00 (2026-09-06).
        let tz: Tz = "America/Santiago".parse().unwrap();
        let s = start_of_day(tz, d(2026, 9, 6));
        assert_eq!(s.date_naive(), d(2026, 9, 6));
        assert_eq!(s.time(), t(1, 0));
    }
}
