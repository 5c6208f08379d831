//! Half-open time intervals `[start, end)` in UTC and the set operations scheduling needs.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A half-open interval `[start, end)`; `end >= start` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawInterval")]
pub struct Interval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[derive(Deserialize)]
struct RawInterval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TryFrom<RawInterval> for Interval {
    type Error = IntervalError;
    fn try_from(raw: RawInterval) -> Result<Self, Self::Error> {
        Interval::new(raw.start, raw.end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalError {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl std::fmt::Display for IntervalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the end {} lies before the start {}",
            self.end.to_rfc3339(),
            self.start.to_rfc3339()
        )
    }
}

impl std::error::Error for IntervalError {}

impl Interval {
    /// Rejects `end < start`; `end == start` is an empty interval (an instant).
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Interval, IntervalError> {
        if end < start {
            return Err(IntervalError { start, end });
        }
        Ok(Interval { start, end })
    }

    /// `start` plus `minutes` (negative minutes are rejected).
    pub fn from_minutes(start: DateTime<Utc>, minutes: i64) -> Result<Interval, IntervalError> {
        Interval::new(start, start + Duration::minutes(minutes))
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    pub fn duration_minutes(&self) -> i64 {
        self.duration().num_minutes()
    }

    pub fn hours(&self) -> f64 {
        self.duration().num_seconds() as f64 / 3600.0
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Shares some time with `other` (touching intervals do not overlap).
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Overlaps `other` once `other` is widened by `buffer_minutes` on both sides: with a
    /// 10-minute buffer, 10:00–11:00 conflicts with a meeting ending at 09:55 or starting at 11:05.
    /// A negative buffer counts as zero.
    pub fn overlaps_with_buffer(&self, other: &Interval, buffer_minutes: i64) -> bool {
        self.overlaps(&other.widened(buffer_minutes))
    }

    /// The interval stretched by `minutes` on both sides (negative counts as zero).
    pub fn widened(&self, minutes: i64) -> Interval {
        let pad = Duration::minutes(minutes.max(0));
        Interval {
            start: self.start - pad,
            end: self.end + pad,
        }
    }

    /// `instant` lies in `[start, end)`.
    pub fn contains_instant(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant && instant < self.end
    }

    /// `other` lies completely inside `self`.
    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The shared part, if it is not empty.
    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Interval { start, end })
    }
}

/// Sorts and merges: overlapping or touching intervals become one; empty intervals are dropped.
pub fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| !i.is_empty());
    intervals.sort();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for next in intervals {
        match merged.last_mut() {
            Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
            _ => merged.push(next),
        }
    }
    merged
}

/// The free gaps of `window` once `busy` is taken out (busy may be unsorted and overlapping);
/// sorted, non-empty.
pub fn subtract(window: Interval, busy: &[Interval]) -> Vec<Interval> {
    let mut gaps = Vec::new();
    let mut cursor = window.start;
    for b in merge(busy.to_vec()) {
        if b.end <= cursor {
            continue;
        }
        if b.start >= window.end {
            break;
        }
        if b.start > cursor {
            gaps.push(Interval {
                start: cursor,
                end: b.start,
            });
        }
        cursor = cursor.max(b.end);
        if cursor >= window.end {
            break;
        }
    }
    if cursor < window.end {
        gaps.push(Interval {
            start: cursor,
            end: window.end,
        });
    }
    gaps
}

/// The free gaps of every window (e.g. the working-hour windows of a week) once `busy` is taken
/// out; sorted.
pub fn free_gaps(windows: &[Interval], busy: &[Interval]) -> Vec<Interval> {
    let busy = merge(busy.to_vec());
    let mut gaps: Vec<Interval> = windows.iter().flat_map(|w| subtract(*w, &busy)).collect();
    gaps.sort();
    gaps
}

/// Total minutes covered by the intervals after merging (no double counting).
pub fn total_minutes(intervals: &[Interval]) -> i64 {
    merge(intervals.to_vec())
        .iter()
        .map(Interval::duration_minutes)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, h, m, 0).unwrap()
    }

    fn iv(h1: u32, m1: u32, h2: u32, m2: u32) -> Interval {
        Interval::new(t(h1, m1), t(h2, m2)).unwrap()
    }

    #[test]
    fn constructor_rejects_reversed_and_accepts_empty() {
        let err = Interval::new(t(10, 0), t(9, 0)).unwrap_err();
        assert!(err.to_string().contains("before the start"));
        assert!(Interval::new(t(10, 0), t(10, 0)).unwrap().is_empty());
        assert!(Interval::from_minutes(t(10, 0), -5).is_err());
        assert_eq!(
            Interval::from_minutes(t(10, 0), 45).unwrap().end(),
            t(10, 45)
        );
    }

    #[test]
    fn deserialize_validates() {
        let ok: Interval = serde_json::from_str(
            r#"{"start":"2026-12-02T10:00:00Z","end":"2026-12-02T11:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(ok, iv(10, 0, 11, 0));
        let bad: Result<Interval, _> = serde_json::from_str(
            r#"{"start":"2026-12-02T11:00:00Z","end":"2026-12-02T10:00:00Z"}"#,
        );
        assert!(bad.is_err());
        let json = serde_json::to_string(&ok).unwrap();
        assert!(json.contains("\"start\":\"2026-12-02T10:00:00Z\""));
    }

    #[test]
    fn overlap_is_strict_and_buffer_widens() {
        let a = iv(10, 0, 11, 0);
        assert!(a.overlaps(&iv(10, 30, 11, 30)));
        assert!(
            !a.overlaps(&iv(11, 0, 12, 0)),
            "touching is not overlapping"
        );
        assert!(!a.overlaps(&iv(9, 0, 10, 0)));
        assert!(a.overlaps_with_buffer(&iv(11, 5, 12, 0), 10));
        assert!(a.overlaps_with_buffer(&iv(9, 0, 9, 55), 10));
        assert!(!a.overlaps_with_buffer(&iv(11, 10, 12, 0), 10));
        assert!(!a.overlaps_with_buffer(&iv(9, 0, 9, 50), 10));
        assert!(!a.overlaps_with_buffer(&iv(11, 5, 12, 0), -30));
        // an instant inside an interval overlaps it
        assert!(a.overlaps(&iv(10, 15, 10, 15)));
    }

    #[test]
    fn contains_and_intersection() {
        let a = iv(10, 0, 12, 0);
        assert!(a.contains(&iv(10, 0, 12, 0)));
        assert!(a.contains(&iv(10, 30, 11, 0)));
        assert!(!a.contains(&iv(9, 59, 11, 0)));
        assert!(a.contains_instant(t(10, 0)));
        assert!(!a.contains_instant(t(12, 0)));
        assert_eq!(a.intersection(&iv(11, 0, 13, 0)), Some(iv(11, 0, 12, 0)));
        assert_eq!(a.intersection(&iv(12, 0, 13, 0)), None);
        assert!((a.hours() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn merge_sorts_merges_touching_and_overlapping() {
        let merged = merge(vec![
            iv(14, 0, 15, 0),
            iv(9, 0, 10, 0),
            iv(10, 0, 10, 30),
            iv(9, 30, 9, 45),
            iv(16, 0, 16, 0),
            iv(14, 30, 16, 0),
            iv(17, 0, 18, 0),
        ]);
        assert_eq!(
            merged,
            vec![iv(9, 0, 10, 30), iv(14, 0, 16, 0), iv(17, 0, 18, 0)]
        );
        assert!(merge(vec![]).is_empty());
        assert_eq!(
            merge(vec![iv(9, 0, 12, 0), iv(10, 0, 11, 0)]),
            vec![iv(9, 0, 12, 0)]
        );
    }

    #[test]
    fn subtract_gives_free_gaps() {
        let window = iv(9, 0, 18, 0);
        let gaps = subtract(
            window,
            &[
                iv(8, 0, 9, 30),
                iv(12, 0, 13, 0),
                iv(12, 30, 13, 30),
                iv(17, 0, 19, 0),
            ],
        );
        assert_eq!(gaps, vec![iv(9, 30, 12, 0), iv(13, 30, 17, 0)]);
        assert_eq!(subtract(window, &[]), vec![window]);
        assert!(subtract(window, &[iv(8, 0, 19, 0)]).is_empty());
        assert_eq!(
            subtract(window, &[iv(6, 0, 7, 0), iv(19, 0, 20, 0)]),
            vec![window]
        );
        assert_eq!(total_minutes(&gaps), 150 + 210);
    }

    #[test]
    fn free_gaps_over_several_windows() {
        let windows = [iv(9, 0, 12, 0), iv(13, 0, 18, 0)];
        let gaps = free_gaps(&windows, &[iv(11, 0, 14, 0)]);
        assert_eq!(gaps, vec![iv(9, 0, 11, 0), iv(14, 0, 18, 0)]);
        assert_eq!(total_minutes(&[iv(9, 0, 11, 0), iv(10, 0, 12, 0)]), 180);
    }
}
