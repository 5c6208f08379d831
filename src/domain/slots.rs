//! Free-slot search ("find 2 hours for deep work this week, preferably mornings"), "am I free
//! at X", and the next free slot after a conflict. Pure: busy time, "now" and the zone are
//! parameters.

use chrono::{DateTime, Duration, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::intervals::{free_gaps, merge, Interval};
use super::working_hours::{hm, local_to_utc, WorkingHours};

/// A preferred part of the day: morning 09–12, afternoon 12–17, evening 17–20 (local).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayPartPreference {
    Morning,
    Afternoon,
    Evening,
}

impl DayPartPreference {
    /// The local wall-clock window `[start, end)`.
    pub fn bounds(&self) -> (NaiveTime, NaiveTime) {
        match self {
            DayPartPreference::Morning => (hm(9, 0), hm(12, 0)),
            DayPartPreference::Afternoon => (hm(12, 0), hm(17, 0)),
            DayPartPreference::Evening => (hm(17, 0), hm(20, 0)),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            DayPartPreference::Morning => "morning",
            DayPartPreference::Afternoon => "afternoon",
            DayPartPreference::Evening => "evening",
        }
    }

    /// `morning(s)`/`am`, `afternoon(s)`/`pm`, `evening(s)`/`night`, case-insensitive.
    pub fn parse(raw: &str) -> Option<DayPartPreference> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "morning" | "mornings" | "am" | "in the morning" => Some(DayPartPreference::Morning),
            "afternoon" | "afternoons" | "pm" | "in the afternoon" => {
                Some(DayPartPreference::Afternoon)
            }
            "evening" | "evenings" | "night" | "in the evening" => Some(DayPartPreference::Evening),
            _ => None,
        }
    }

    fn window_on(&self, date: chrono::NaiveDate, tz: Tz) -> Option<Interval> {
        let (start, end) = self.bounds();
        Interval::new(local_to_utc(date, start, tz), local_to_utc(date, end, tz)).ok()
    }
}

/// What [`find_slots`] searches.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotQuery {
    /// Busy time (need not be sorted or merged); all-day busy events as their local-day spans.
    pub busy: Vec<Interval>,
    /// Where to search ("this week" = now → end of Sunday).
    pub window: Interval,
    pub duration_minutes: i64,
    pub working_hours: WorkingHours,
    pub tz: Tz,
    pub now: DateTime<Utc>,
    pub preference: Option<DayPartPreference>,
    /// Candidate starts are aligned to this many minutes of local wall time (default 30).
    pub step_minutes: i64,
    /// At most this many slots (default 5).
    pub max_slots: usize,
    /// Minutes kept free around busy time (default 0 for availability).
    pub buffer_minutes: i64,
}

impl SlotQuery {
    pub const DEFAULT_STEP_MINUTES: i64 = 30;
    pub const DEFAULT_MAX_SLOTS: usize = 5;

    /// A query with default working hours, no preference, 30-minute steps, 5 slots, no buffer.
    pub fn new(
        busy: Vec<Interval>,
        window: Interval,
        duration_minutes: i64,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> SlotQuery {
        SlotQuery {
            busy,
            window,
            duration_minutes,
            working_hours: WorkingHours::default(),
            tz,
            now,
            preference: None,
            step_minutes: SlotQuery::DEFAULT_STEP_MINUTES,
            max_slots: SlotQuery::DEFAULT_MAX_SLOTS,
            buffer_minutes: 0,
        }
    }
}

/// A proposed slot, best first in [`find_slots`]'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// 0..1: preference fit, not fragmenting a gap, and spread across days raise it.
    pub confidence: f64,
    pub reason: String,
}

impl Slot {
    pub fn interval(&self) -> Interval {
        Interval::new(self.start, self.end).expect("slots are built with end >= start")
    }
}

/// A remainder shorter than this on either side of a slot fragments its gap.
const FRAGMENT_MINUTES: i64 = 30;
/// `next_free_slot` starts that do not keep the requested start are aligned to this.
const NEXT_SLOT_ALIGN_MINUTES: i64 = 5;

struct Candidate {
    interval: Interval,
    gap: Interval,
    tier: u8,
    fragments: bool,
    date: chrono::NaiveDate,
    occurrence: usize,
}

/// Ranked free slots of `duration_minutes` inside `query.window`:
/// - never in the past: the search starts at `now` rounded up to the next `step_minutes`
///   boundary of local wall time;
/// - inside working hours (an evening preference extends them to 20:00 for this search);
/// - candidates: every gap's own start, then every step boundary while the slot still fits, so a
///   long gap offers several starts and a gap exactly as long as the duration offers one;
/// - ranking: preference fit (fully inside > partly inside > outside), then spread across days
///   (each day's best candidate before any day's second), then not fragmenting a gap (leaving
///   less than 30 min on a side), then earlier; at most `max_slots`. Deterministic.
pub fn find_slots(query: &SlotQuery) -> Vec<Slot> {
    let duration = Duration::minutes(query.duration_minutes);
    if query.duration_minutes <= 0 || query.max_slots == 0 {
        return Vec::new();
    }
    let step = if query.step_minutes > 0 {
        query.step_minutes
    } else {
        SlotQuery::DEFAULT_STEP_MINUTES
    };
    let tz = query.tz;
    let working_hours = match query.preference {
        Some(DayPartPreference::Evening) if query.working_hours.end() < hm(20, 0) => query
            .working_hours
            .with_end(hm(20, 0))
            .unwrap_or(query.working_hours),
        _ => query.working_hours,
    };
    let earliest = query.window.start().max(ceil_to_step(query.now, step, tz));
    if earliest >= query.window.end() {
        return Vec::new();
    }
    let windows = working_hours.windows_between(earliest, query.window.end(), tz);
    let busy: Vec<Interval> = query
        .busy
        .iter()
        .map(|b| b.widened(query.buffer_minutes))
        .collect();
    let gaps = free_gaps(&windows, &merge(busy));

    let mut candidates: Vec<Candidate> = Vec::new();
    for gap in gaps.iter().filter(|g| g.duration() >= duration) {
        let mut start = gap.start();
        loop {
            if start + duration > gap.end() {
                break;
            }
            let interval = Interval::new(start, start + duration).expect("positive duration");
            let date = start.with_timezone(&tz).date_naive();
            let tier = match query.preference {
                None => 2,
                Some(pref) => match pref.window_on(date, tz) {
                    Some(w) if w.contains(&interval) => 2,
                    Some(w) if w.overlaps(&interval) => 1,
                    _ => 0,
                },
            };
            let before = (start - gap.start()).num_minutes();
            let after = (gap.end() - interval.end()).num_minutes();
            let fragments = (before > 0 && before < FRAGMENT_MINUTES)
                || (after > 0 && after < FRAGMENT_MINUTES);
            candidates.push(Candidate {
                interval,
                gap: *gap,
                tier,
                fragments,
                date,
                occurrence: 0,
            });
            start = ceil_to_step(start + Duration::seconds(1), step, tz);
        }
    }

    candidates.sort_by_key(|c| (std::cmp::Reverse(c.tier), c.fragments, c.interval.start()));
    let mut seen: std::collections::HashMap<(u8, chrono::NaiveDate), usize> =
        std::collections::HashMap::new();
    for c in candidates.iter_mut() {
        let n = seen.entry((c.tier, c.date)).or_insert(0);
        c.occurrence = *n;
        *n += 1;
    }
    candidates.sort_by_key(|c| {
        (
            std::cmp::Reverse(c.tier),
            c.occurrence,
            c.fragments,
            c.interval.start(),
        )
    });
    candidates
        .iter()
        .take(query.max_slots)
        .map(|c| to_slot(c, query.preference, tz))
        .collect()
}

fn to_slot(c: &Candidate, preference: Option<DayPartPreference>, tz: Tz) -> Slot {
    let mut confidence: f64 = match (preference, c.tier) {
        (None, _) => 0.9,
        (Some(_), 2) => 0.95,
        (Some(_), 1) => 0.75,
        (Some(_), _) => 0.55,
    };
    if c.fragments {
        confidence -= 0.15;
    }
    confidence -= 0.05 * c.occurrence.min(4) as f64;
    let confidence = (confidence.clamp(0.05, 1.0) * 100.0).round() / 100.0;

    let local_start = c.interval.start().with_timezone(&tz);
    let local_end = c.interval.end().with_timezone(&tz);
    let mut parts: Vec<String> = Vec::new();
    if let Some(pref) = preference {
        parts.push(match c.tier {
            2 => format!("in your {} window", pref.as_str()),
            1 => format!("partly in your {} window", pref.as_str()),
            _ => format!("outside your {} preference", pref.as_str()),
        });
    }
    let gap_start = c.gap.start().with_timezone(&tz).format("%H:%M");
    let gap_end = c.gap.end().with_timezone(&tz).format("%H:%M");
    if c.gap == c.interval {
        parts.push(format!("fits the free gap {gap_start}–{gap_end} exactly"));
    } else if c.fragments {
        parts.push(format!(
            "free ({gap_start}–{gap_end}), but leaves a gap shorter than {FRAGMENT_MINUTES} min"
        ));
    } else {
        parts.push(format!("within free time {gap_start}–{gap_end}"));
    }
    Slot {
        start: c.interval.start(),
        end: c.interval.end(),
        confidence,
        reason: format!(
            "{}, {}–{}: {}",
            local_start.format("%a %b %-d"),
            local_start.format("%H:%M"),
            local_end.format("%H:%M"),
            parts.join("; ")
        ),
    }
}

/// "Am I free at X?": whether `candidate` overlaps no busy interval (each widened by
/// `buffer_minutes`), and the indexes into `busy` of those it overlaps, ascending.
pub fn is_free(busy: &[Interval], candidate: Interval, buffer_minutes: i64) -> (bool, Vec<usize>) {
    let conflicts: Vec<usize> = busy
        .iter()
        .enumerate()
        .filter(|(_, b)| candidate.overlaps_with_buffer(b, buffer_minutes))
        .map(|(i, _)| i)
        .collect();
    (conflicts.is_empty(), conflicts)
}

/// The search horizon PRODUCT §4 sets for the next free slot.
pub const NEXT_FREE_SLOT_HORIZON_DAYS: i64 = 14;

/// The earliest interval as long as `desired` that starts at or after
/// `max(desired.start, now)`, overlaps no busy interval widened by `buffer_minutes` (10 for
/// conflicts), and lies inside working hours; it starts within `horizon_days` of that point, or
/// there is none. The requested start is kept when it is free; any other start is aligned up to
/// 5 minutes of local wall time. Computed from the given busy list alone.
pub fn next_free_slot(
    busy: &[Interval],
    desired: Interval,
    buffer_minutes: i64,
    working_hours: &WorkingHours,
    tz: Tz,
    now: DateTime<Utc>,
    horizon_days: i64,
) -> Option<Interval> {
    let duration = desired.duration();
    if duration <= Duration::zero() || horizon_days <= 0 {
        return None;
    }
    let from = desired.start().max(now);
    let limit = from + Duration::days(horizon_days);
    let windows = working_hours.windows_between(from, limit + duration, tz);
    let widened: Vec<Interval> = busy.iter().map(|b| b.widened(buffer_minutes)).collect();
    for gap in free_gaps(&windows, &merge(widened)) {
        let mut start = gap.start();
        if start != desired.start() {
            start = ceil_to_step(start, NEXT_SLOT_ALIGN_MINUTES, tz);
        }
        if start >= limit {
            return None;
        }
        if start + duration <= gap.end() {
            return Interval::new(start, start + duration).ok();
        }
    }
    None
}

/// `instant` rounded up to the next multiple of `step_minutes` of local wall time in `tz`
/// (unchanged when already on one; sub-second parts round up).
pub(crate) fn ceil_to_step(instant: DateTime<Utc>, step_minutes: i64, tz: Tz) -> DateTime<Utc> {
    let step = step_minutes.max(1) * 60;
    let mut secs = instant.timestamp();
    if instant.timestamp_subsec_nanos() > 0 {
        secs += 1;
    }
    let offset = i64::from(
        tz.offset_from_utc_datetime(&instant.naive_utc())
            .fix()
            .local_minus_utc(),
    );
    let local = secs + offset;
    let rounded = local + (step - local.rem_euclid(step)) % step;
    DateTime::from_timestamp(rounded - offset, 0).unwrap_or(instant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule_items::local_day_span;
    use chrono::{Datelike, NaiveDate, Timelike, Weekday};

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    /// Local New York wall time (2026-12 is EST, UTC-5).
    fn ny_at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
        local_to_utc(
            NaiveDate::from_ymd_opt(2026, month, day).unwrap(),
            hm(h, m),
            ny(),
        )
    }

    fn iv(a: DateTime<Utc>, b: DateTime<Utc>) -> Interval {
        Interval::new(a, b).unwrap()
    }

    /// Tuesday 2026-12-01 09:00 New York.
    fn now() -> DateTime<Utc> {
        ny_at(12, 1, 9, 0)
    }

    /// now → end of Sunday 2026-12-06.
    fn this_week() -> Interval {
        iv(now(), ny_at(12, 7, 0, 0))
    }

    fn local(slot: &Slot) -> (Weekday, String, String) {
        let s = slot.start.with_timezone(&ny());
        let e = slot.end.with_timezone(&ny());
        (
            s.weekday(),
            s.format("%H:%M").to_string(),
            e.format("%H:%M").to_string(),
        )
    }

    fn assert_inside_working_hours(slots: &[Slot], wh: &WorkingHours, now: DateTime<Utc>) {
        for s in slots {
            assert!(
                wh.contains(&s.interval(), ny()),
                "{s:?} outside working hours"
            );
            assert!(s.start >= now, "{s:?} in the past");
            assert!((0.0..=1.0).contains(&s.confidence));
        }
    }

    #[test]
    fn empty_week_spreads_slots_across_days() {
        let q = SlotQuery::new(vec![], this_week(), 120, ny(), now());
        let slots = find_slots(&q);
        assert_eq!(slots.len(), 5);
        let days: Vec<_> = slots.iter().map(local).collect();
        assert_eq!(days[0], (Weekday::Tue, "09:00".into(), "11:00".into()));
        assert_eq!(days[1], (Weekday::Wed, "09:00".into(), "11:00".into()));
        assert_eq!(days[2], (Weekday::Thu, "09:00".into(), "11:00".into()));
        assert_eq!(days[3], (Weekday::Fri, "09:00".into(), "11:00".into()));
        assert_eq!(days[4], (Weekday::Tue, "09:30".into(), "11:30".into()));
        assert!(slots[0].confidence > slots[4].confidence);
        assert!(slots[0].reason.starts_with("Tue Dec 1, 09:00–11:00"));
        assert_inside_working_hours(&slots, &WorkingHours::default(), now());
        assert_eq!(find_slots(&q), slots, "deterministic");
    }

    #[test]
    fn long_gap_offers_several_starts_every_step() {
        let day = iv(ny_at(12, 2, 0, 0), ny_at(12, 3, 0, 0));
        let mut q = SlotQuery::new(vec![], day, 60, ny(), now());
        q.max_slots = 100;
        let slots = find_slots(&q);
        // 09:00..17:00 every 30 min
        assert_eq!(slots.len(), 17);
        let mut starts: Vec<_> = slots.iter().map(|s| local(s).1).collect();
        starts.sort();
        assert_eq!(starts.first().unwrap(), "09:00");
        assert_eq!(starts.last().unwrap(), "17:00");
        q.step_minutes = 60;
        assert_eq!(find_slots(&q).len(), 9);
    }

    #[test]
    fn past_times_today_are_skipped_and_start_rounds_up() {
        let now = ny_at(12, 1, 10, 7);
        let q = SlotQuery::new(vec![], iv(now, ny_at(12, 2, 0, 0)), 30, ny(), now);
        let slots = find_slots(&q);
        assert!(!slots.is_empty());
        assert_eq!(local(&slots[0]).1, "10:30");
        assert!(slots.iter().all(|s| s.start >= now));
        // a window entirely in the past has nothing
        let past = iv(ny_at(11, 30, 9, 0), ny_at(11, 30, 18, 0));
        assert!(find_slots(&SlotQuery::new(vec![], past, 30, ny(), now)).is_empty());
        // after working hours today, nothing is left today
        let evening = ny_at(12, 1, 17, 45);
        let today = iv(evening, ny_at(12, 2, 0, 0));
        assert!(find_slots(&SlotQuery::new(vec![], today, 30, ny(), evening)).is_empty());
    }

    #[test]
    fn gap_exactly_equal_to_duration_fits_once() {
        let wed = iv(ny_at(12, 2, 0, 0), ny_at(12, 3, 0, 0));
        let busy = vec![
            iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 10, 15)),
            iv(ny_at(12, 2, 11, 15), ny_at(12, 2, 18, 0)),
        ];
        let slots = find_slots(&SlotQuery::new(busy.clone(), wed, 60, ny(), now()));
        assert_eq!(slots.len(), 1);
        assert_eq!(
            local(&slots[0]),
            (Weekday::Wed, "10:15".into(), "11:15".into())
        );
        assert!(slots[0].reason.contains("exactly"), "{}", slots[0].reason);
        assert!(find_slots(&SlotQuery::new(busy, wed, 61, ny(), now())).is_empty());
    }

    #[test]
    fn event_spanning_midnight_blocks_the_morning() {
        let wed = iv(ny_at(12, 2, 0, 0), ny_at(12, 3, 0, 0));
        let overnight = vec![iv(ny_at(12, 1, 22, 0), ny_at(12, 2, 10, 0))];
        let slots = find_slots(&SlotQuery::new(overnight, wed, 60, ny(), now()));
        assert_eq!(
            local(&slots[0]),
            (Weekday::Wed, "10:00".into(), "11:00".into())
        );
        assert!(slots.iter().all(|s| s.start >= ny_at(12, 2, 10, 0)));
    }

    #[test]
    fn all_day_busy_event_blocks_the_day() {
        let wed = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let busy = vec![local_day_span(wed, wed, ny())];
        let window = iv(ny_at(12, 2, 0, 0), ny_at(12, 4, 0, 0));
        let mut q = SlotQuery::new(busy, window, 60, ny(), now());
        q.max_slots = 50;
        let slots = find_slots(&q);
        assert!(!slots.is_empty());
        assert!(slots.iter().all(|s| local(s).0 == Weekday::Thu));
    }

    #[test]
    fn morning_preference_beats_earlier_afternoons() {
        // Tue and Wed mornings are full
        let busy = vec![
            iv(ny_at(12, 1, 9, 0), ny_at(12, 1, 12, 0)),
            iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 12, 0)),
        ];
        let mut q = SlotQuery::new(busy, this_week(), 120, ny(), now());
        q.preference = Some(DayPartPreference::Morning);
        let slots = find_slots(&q);
        assert_eq!(
            local(&slots[0]),
            (Weekday::Thu, "09:00".into(), "11:00".into())
        );
        assert_eq!(
            local(&slots[1]),
            (Weekday::Fri, "09:00".into(), "11:00".into())
        );
        assert!(slots[0].reason.contains("in your morning window"));
        assert!((slots[0].confidence - 0.95).abs() < 1e-9);
        // then the Thursday/Friday 10:00 starts (still fully in the morning), before afternoons
        assert_eq!(local(&slots[2]).1, "09:30");
        assert!(slots.iter().take(4).all(|s| local(s).2.as_str() <= "12:00"));
    }

    #[test]
    fn afternoon_preference() {
        let mut q = SlotQuery::new(vec![], this_week(), 60, ny(), now());
        q.preference = Some(DayPartPreference::Afternoon);
        let slots = find_slots(&q);
        assert_eq!(slots.len(), 5);
        for s in &slots {
            let (_, start, end) = local(s);
            assert!(
                start.as_str() >= "12:00" && end.as_str() <= "17:00",
                "{s:?}"
            );
        }
        assert_eq!(
            local(&slots[0]),
            (Weekday::Tue, "12:00".into(), "13:00".into())
        );
    }

    #[test]
    fn evening_preference_extends_working_hours_to_eight() {
        let today = iv(now(), ny_at(12, 2, 0, 0));
        let mut q = SlotQuery::new(vec![], today, 60, ny(), now());
        q.preference = Some(DayPartPreference::Evening);
        q.max_slots = 3;
        let slots = find_slots(&q);
        let got: Vec<_> = slots.iter().map(|s| (local(s).1, local(s).2)).collect();
        assert_eq!(
            got,
            vec![
                ("17:00".into(), "18:00".into()),
                ("17:30".into(), "18:30".into()),
                ("18:00".into(), "19:00".into())
            ]
        );
        // without the preference nothing ends after 18:00
        let mut plain = SlotQuery::new(vec![], today, 60, ny(), now());
        plain.max_slots = 100;
        assert!(find_slots(&plain)
            .iter()
            .all(|s| local(s).2.as_str() <= "18:00"));
        assert_eq!(
            DayPartPreference::parse("Evenings"),
            Some(DayPartPreference::Evening)
        );
        assert_eq!(
            DayPartPreference::parse("am"),
            Some(DayPartPreference::Morning)
        );
        assert_eq!(DayPartPreference::parse("brunch"), None);
    }

    #[test]
    fn configurable_working_hours_until_eight() {
        let today = iv(ny_at(12, 1, 17, 0), ny_at(12, 2, 0, 0));
        let mut q = SlotQuery::new(vec![], today, 120, ny(), ny_at(12, 1, 17, 0));
        assert!(find_slots(&q).is_empty());
        q.working_hours = WorkingHours::default().with_end(hm(20, 0)).unwrap();
        let slots = find_slots(&q);
        assert_eq!(
            local(&slots[0]),
            (Weekday::Tue, "17:00".into(), "19:00".into())
        );
    }

    #[test]
    fn fragmenting_starts_rank_after_clean_ones() {
        let wed = iv(ny_at(12, 2, 0, 0), ny_at(12, 3, 0, 0));
        let busy = vec![
            iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 9, 15)),
            iv(ny_at(12, 2, 11, 30), ny_at(12, 2, 18, 0)),
        ];
        let mut q = SlotQuery::new(busy, wed, 60, ny(), now());
        q.max_slots = 10;
        let slots = find_slots(&q);
        let starts: Vec<_> = slots.iter().map(|s| local(s).1).collect();
        assert_eq!(starts, vec!["09:15", "10:00", "10:30", "09:30"]);
        assert!(slots[3].confidence < slots[1].confidence);
        assert!(slots[3].reason.contains("shorter than 30 min"));
    }

    #[test]
    fn buffer_keeps_distance_from_busy_time() {
        let wed = iv(ny_at(12, 2, 0, 0), ny_at(12, 3, 0, 0));
        let busy = vec![iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 10, 0))];
        let mut q = SlotQuery::new(busy, wed, 30, ny(), now());
        q.buffer_minutes = 15;
        let slots = find_slots(&q);
        assert_eq!(local(&slots[0]).1, "10:15");
    }

    #[test]
    fn dst_week_in_new_york_and_friday_evening_to_monday() {
        // Friday 2026-10-30 17:30 EDT; clocks fall back on Sunday 1 November.
        let now = local_to_utc(
            NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
            hm(17, 30),
            ny(),
        );
        let window = iv(now, now + Duration::days(5));
        let q = SlotQuery::new(vec![], window, 60, ny(), now);
        let slots = find_slots(&q);
        let first = &slots[0];
        assert_eq!(local(first), (Weekday::Mon, "09:00".into(), "10:00".into()));
        // Monday 2 November 09:00 is EST (UTC-5)
        assert_eq!(first.start.hour(), 14);
        assert_eq!(local(&slots[1]).0, Weekday::Tue);
        // spring forward: Monday 9 March 09:00 is EDT (UTC-4)
        let now = local_to_utc(
            NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
            hm(18, 0),
            ny(),
        );
        let q = SlotQuery::new(vec![], iv(now, now + Duration::days(4)), 60, ny(), now);
        let first = &find_slots(&q)[0];
        assert_eq!(local(first), (Weekday::Mon, "09:00".into(), "10:00".into()));
        assert_eq!(first.start.hour(), 13);
    }

    #[test]
    fn degenerate_queries_are_empty() {
        let mut q = SlotQuery::new(vec![], this_week(), 0, ny(), now());
        assert!(find_slots(&q).is_empty());
        q.duration_minutes = 10 * 60;
        assert!(find_slots(&q).is_empty(), "longer than a working day");
        q.duration_minutes = 30;
        q.max_slots = 0;
        assert!(find_slots(&q).is_empty());
        q.max_slots = 2;
        assert_eq!(find_slots(&q).len(), 2);
    }

    #[test]
    fn is_free_reports_conflicting_indexes() {
        let busy = vec![
            iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 10, 0)),
            iv(ny_at(12, 2, 14, 0), ny_at(12, 2, 15, 0)),
            iv(ny_at(12, 2, 15, 5), ny_at(12, 2, 16, 0)),
        ];
        let at_two = iv(ny_at(12, 2, 14, 0), ny_at(12, 2, 14, 30));
        assert_eq!(is_free(&busy, at_two, 0), (false, vec![1]));
        let at_three = iv(ny_at(12, 2, 15, 0), ny_at(12, 2, 15, 5));
        assert_eq!(is_free(&busy, at_three, 0), (true, vec![]));
        assert_eq!(is_free(&busy, at_three, 10), (false, vec![1, 2]));
        let noon = iv(ny_at(12, 2, 12, 0), ny_at(12, 2, 12, 30));
        assert_eq!(is_free(&busy, noon, 10), (true, vec![]));
    }

    fn next(busy: &[Interval], desired: Interval, now: DateTime<Utc>) -> Option<Interval> {
        next_free_slot(
            busy,
            desired,
            10,
            &WorkingHours::default(),
            ny(),
            now,
            NEXT_FREE_SLOT_HORIZON_DAYS,
        )
    }

    #[test]
    fn next_free_slot_keeps_a_free_request_and_moves_a_conflict() {
        let desired = iv(ny_at(12, 2, 14, 0), ny_at(12, 2, 14, 30));
        assert_eq!(next(&[], desired, now()), Some(desired));
        let busy = vec![
            iv(ny_at(12, 2, 14, 0), ny_at(12, 2, 15, 0)),
            iv(ny_at(12, 2, 15, 30), ny_at(12, 2, 16, 0)),
        ];
        // 15:10 would need to end by 15:20 (buffer before 15:30): too short → 16:10
        let got = next(&busy, desired, now()).unwrap();
        assert_eq!(got.start(), ny_at(12, 2, 16, 10));
        assert_eq!(got.duration_minutes(), 30);
    }

    #[test]
    fn next_free_slot_is_never_in_the_past() {
        let now = ny_at(12, 1, 9, 3);
        let desired = iv(ny_at(12, 1, 8, 0), ny_at(12, 1, 9, 0));
        let got = next(&[], desired, now).unwrap();
        assert_eq!(got.start(), ny_at(12, 1, 9, 5));
        assert_eq!(got.duration_minutes(), 60);
    }

    #[test]
    fn next_free_slot_stays_inside_working_hours() {
        // 19:00 request → 09:00 next working day
        let desired = iv(ny_at(12, 2, 19, 0), ny_at(12, 2, 20, 0));
        assert_eq!(
            next(&[], desired, now()).unwrap().start(),
            ny_at(12, 3, 9, 0)
        );
        // Friday 17:30 for an hour → Monday 09:00
        let friday = iv(ny_at(12, 4, 17, 30), ny_at(12, 4, 18, 30));
        assert_eq!(
            next(&[], friday, now()).unwrap().start(),
            ny_at(12, 7, 9, 0)
        );
        // 17:30 for 30 min fits before 18:00
        let short = iv(ny_at(12, 4, 17, 30), ny_at(12, 4, 18, 0));
        assert_eq!(next(&[], short, now()), Some(short));
    }

    #[test]
    fn next_free_slot_gives_up_after_the_horizon() {
        let busy = vec![iv(now(), now() + Duration::days(20))];
        let desired = iv(ny_at(12, 2, 10, 0), ny_at(12, 2, 11, 0));
        assert_eq!(next(&busy, desired, now()), None);
        let wider = next_free_slot(
            &busy,
            desired,
            10,
            &WorkingHours::default(),
            ny(),
            now(),
            30,
        )
        .unwrap();
        assert!(wider.start() >= now() + Duration::days(20));
        // longer than a working day never fits
        let long = iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 19, 0));
        assert_eq!(next(&[], long, now()), None);
        let empty = iv(ny_at(12, 2, 9, 0), ny_at(12, 2, 9, 0));
        assert_eq!(next(&[], empty, now()), None);
    }

    #[test]
    fn ceil_to_step_uses_local_wall_time() {
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        // 10:07 IST → 10:30 IST (04:37Z → 05:00Z)
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 4, 37, 0).unwrap();
        assert_eq!(
            ceil_to_step(t, 30, kolkata),
            Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap()
        );
        assert_eq!(ceil_to_step(now(), 30, ny()), now());
        let nanos = now() + Duration::nanoseconds(1);
        assert_eq!(ceil_to_step(nanos, 30, ny()), now() + Duration::minutes(30));
    }
}
