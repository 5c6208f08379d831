//! Working hours in the user's zone (default Mon–Fri 09:00–18:00) and their UTC windows.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::intervals::Interval;

/// Working days and a daily `[start, end)` wall-clock window (`start < end`, at least one day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    days: [bool; 7],
    start: NaiveTime,
    end: NaiveTime,
}

const ALL_WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

pub(crate) fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("valid wall time")
}

impl Default for WorkingHours {
    /// Monday to Friday, 09:00–18:00.
    fn default() -> Self {
        WorkingHours {
            days: [true, true, true, true, true, false, false],
            start: hm(9, 0),
            end: hm(18, 0),
        }
    }
}

impl WorkingHours {
    pub fn new(days: &[Weekday], start: NaiveTime, end: NaiveTime) -> Result<Self, String> {
        WorkingHours::default()
            .with_days(days)?
            .with_start(start)?
            .with_end(end)
    }

    /// "I can work until 8pm": the same days and start, a new end (must be after the start).
    pub fn with_end(self, end: NaiveTime) -> Result<Self, String> {
        if end <= self.start {
            return Err(format!(
                "working hours must end after they start ({} is not after {})",
                end.format("%H:%M"),
                self.start.format("%H:%M")
            ));
        }
        Ok(WorkingHours { end, ..self })
    }

    /// "I start at 7": the same days and end, a new start (must be before the end).
    pub fn with_start(self, start: NaiveTime) -> Result<Self, String> {
        if start >= self.end {
            return Err(format!(
                "working hours must start before they end ({} is not before {})",
                start.format("%H:%M"),
                self.end.format("%H:%M")
            ));
        }
        Ok(WorkingHours { start, ..self })
    }

    pub fn with_days(self, days: &[Weekday]) -> Result<Self, String> {
        if days.is_empty() {
            return Err("working hours need at least one working day".into());
        }
        let mut set = [false; 7];
        for day in days {
            set[day.num_days_from_monday() as usize] = true;
        }
        Ok(WorkingHours { days: set, ..self })
    }

    pub fn start(&self) -> NaiveTime {
        self.start
    }

    pub fn end(&self) -> NaiveTime {
        self.end
    }

    /// The working days, Monday first.
    pub fn days(&self) -> Vec<Weekday> {
        ALL_WEEK
            .iter()
            .copied()
            .filter(|d| self.works_on(*d))
            .collect()
    }

    pub fn works_on(&self, day: Weekday) -> bool {
        self.days[day.num_days_from_monday() as usize]
    }

    /// The working window of one local date, or `None` on a day off.
    pub fn window_on(&self, date: NaiveDate, tz: Tz) -> Option<Interval> {
        if !self.works_on(date.weekday()) {
            return None;
        }
        let start = local_to_utc(date, self.start, tz);
        let end = local_to_utc(date, self.end, tz);
        Interval::new(start, end)
            .ok()
            .filter(|window| !window.is_empty())
    }

    /// The working-hour windows of every local day between `from` and `to`, clipped to
    /// `[from, to)`, in order. Wall times are resolved in `tz` (DST-correct; a wall time in a DST
    /// gap moves forward by the gap, an ambiguous one takes its first occurrence).
    pub fn windows_between(&self, from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> Vec<Interval> {
        let Ok(range) = Interval::new(from, to) else {
            return Vec::new();
        };
        let first = from.with_timezone(&tz).date_naive() - Duration::days(1);
        let last = to.with_timezone(&tz).date_naive();
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter_map(|d| self.window_on(d, tz))
            .filter_map(|w| w.intersection(&range))
            .collect()
    }

    /// `interval` lies inside one working window (a non-empty interval that crosses the end of
    /// the working day or touches a day off does not).
    pub fn contains(&self, interval: &Interval, tz: Tz) -> bool {
        let date = interval.start().with_timezone(&tz).date_naive();
        self.window_on(date, tz)
            .is_some_and(|w| w.contains(interval) && w.contains_instant(interval.start()))
    }

    /// Length of a working day in hours (wall-clock).
    pub fn hours_per_day(&self) -> f64 {
        (self.end - self.start).num_minutes() as f64 / 60.0
    }
}

/// The UTC instant of a local wall time in `tz`: an ambiguous wall time (DST fall-back) takes its
/// first occurrence; a wall time in a DST gap (spring-forward) is read with the offset in force
/// before the gap, i.e. it moves forward by the gap (02:30 → 03:30 in New York).
pub(crate) fn local_to_utc(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(dt) => dt.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let before = tz
                .offset_from_utc_datetime(&(naive - Duration::hours(24)))
                .fix()
                .local_minus_utc();
            (naive - Duration::seconds(i64::from(before))).and_utc()
        }
    }
}

/// Local midnight of `date` in `tz` as a UTC instant.
pub(crate) fn local_midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_to_utc(date, NaiveTime::MIN, tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn default_is_weekdays_nine_to_six() {
        let wh = WorkingHours::default();
        assert_eq!(
            wh.days(),
            vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri
            ]
        );
        assert_eq!(wh.start(), hm(9, 0));
        assert_eq!(wh.end(), hm(18, 0));
        assert!(!wh.works_on(Weekday::Sat));
        assert!((wh.hours_per_day() - 9.0).abs() < 1e-12);
    }

    #[test]
    fn builders_validate() {
        let late = WorkingHours::default().with_end(hm(20, 0)).unwrap();
        assert_eq!(late.end(), hm(20, 0));
        assert_eq!(late.start(), hm(9, 0));
        assert!(WorkingHours::default().with_end(hm(8, 0)).is_err());
        assert!(WorkingHours::default().with_end(hm(9, 0)).is_err());
        assert!(WorkingHours::default().with_start(hm(18, 0)).is_err());
        assert!(WorkingHours::default().with_days(&[]).is_err());
        let weekend = WorkingHours::new(&[Weekday::Sat], hm(10, 0), hm(14, 0)).unwrap();
        assert_eq!(weekend.days(), vec![Weekday::Sat]);
    }

    #[test]
    fn windows_of_a_week_in_new_york() {
        // Tue 2026-12-01 09:00 EST .. Mon 2026-12-07 00:00 EST
        let from = utc(2026, 12, 1, 14, 0);
        let to = utc(2026, 12, 7, 5, 0);
        let windows = WorkingHours::default().windows_between(from, to, ny());
        assert_eq!(windows.len(), 4, "Tue..Fri");
        assert_eq!(windows[0].start(), from);
        assert_eq!(windows[0].end(), utc(2026, 12, 1, 23, 0));
        assert_eq!(windows[3].start(), utc(2026, 12, 4, 14, 0));
        assert_eq!(windows[3].end(), utc(2026, 12, 4, 23, 0));
    }

    #[test]
    fn windows_clip_to_the_range() {
        let from = utc(2026, 12, 1, 20, 0); // 15:00 EST
        let to = utc(2026, 12, 2, 15, 30); // next day 10:30 EST
        let windows = WorkingHours::default().windows_between(from, to, ny());
        assert_eq!(windows.len(), 2);
        assert_eq!(windows[0].start(), from);
        assert_eq!(windows[1].end(), to);
        assert!(WorkingHours::default()
            .windows_between(to, from, ny())
            .is_empty());
    }

    #[test]
    fn windows_follow_dst_changes() {
        // Week of the spring-forward Sunday 2026-03-08: Friday before in EST, Monday after in EDT.
        let wh = WorkingHours::default();
        let windows = wh.windows_between(utc(2026, 3, 6, 0, 0), utc(2026, 3, 10, 0, 0), ny());
        assert_eq!(windows.len(), 2);
        assert_eq!(windows[0].start(), utc(2026, 3, 6, 14, 0));
        assert_eq!(windows[1].start(), utc(2026, 3, 9, 13, 0));
        assert_eq!(windows[1].end(), utc(2026, 3, 9, 22, 0));
        // Fall back 2026-11-01: Monday 2 Nov is EST again.
        let windows = wh.windows_between(utc(2026, 10, 30, 0, 0), utc(2026, 11, 3, 0, 0), ny());
        assert_eq!(windows[0].start(), utc(2026, 10, 30, 13, 0));
        assert_eq!(windows[1].start(), utc(2026, 11, 2, 14, 0));
    }

    #[test]
    fn dst_gap_moves_forward_and_ambiguous_takes_first() {
        let spring = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        // 02:30 does not exist; read with EST → 07:30Z = 03:30 EDT
        assert_eq!(
            local_to_utc(spring, hm(2, 30), ny()),
            utc(2026, 3, 8, 7, 30)
        );
        let fall = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        // 01:30 happens twice; the first is EDT → 05:30Z
        assert_eq!(local_to_utc(fall, hm(1, 30), ny()), utc(2026, 11, 1, 5, 30));
        let weekend = WorkingHours::new(&[Weekday::Sun], hm(2, 0), hm(4, 0)).unwrap();
        let w = weekend.window_on(spring, ny()).unwrap();
        assert_eq!(w.start(), utc(2026, 3, 8, 7, 0));
        assert_eq!(w.end(), utc(2026, 3, 8, 8, 0));
        assert_eq!(local_midnight(spring, ny()), utc(2026, 3, 8, 5, 0));
    }

    #[test]
    fn contains_checks_one_window() {
        let wh = WorkingHours::default();
        let inside = Interval::new(utc(2026, 12, 1, 15, 0), utc(2026, 12, 1, 16, 0)).unwrap();
        let crossing = Interval::new(utc(2026, 12, 1, 22, 30), utc(2026, 12, 1, 23, 30)).unwrap();
        let saturday = Interval::new(utc(2026, 12, 5, 15, 0), utc(2026, 12, 5, 16, 0)).unwrap();
        let at_end = Interval::new(utc(2026, 12, 1, 23, 0), utc(2026, 12, 1, 23, 0)).unwrap();
        assert!(wh.contains(&inside, ny()));
        assert!(!wh.contains(&crossing, ny()));
        assert!(!wh.contains(&saturday, ny()));
        assert!(!wh.contains(&at_end, ny()));
    }
}
