//! Where a request says a calendar: "to my calendar", "on my Work calendar" (which names
//! the calendar). Shared by the event-creation and availability grammars.

use super::words::{match_any, Words};

/// "to my calendar" and friends (removed wherever they are).
const CALENDAR_PLACES: &[&[&str]] = &[
    &["to", "my", "calendar"],
    &["on", "my", "calendar"],
    &["in", "my", "calendar"],
    &["to", "the", "calendar"],
    &["on", "the", "calendar"],
    &["to", "calendar"],
    &["on", "calendar"],
];

/// Removes "to my calendar" (or "to my Personal calendar", naming the calendar) wherever it
/// is: the words left, whether there was one, and the calendar named.
pub(super) fn without_calendar_place(words: &Words) -> (Words, bool, Option<String>) {
    let low = &words.low;
    for k in 1..low.len() {
        let (n, name) = match match_any(&low[k..], CALENDAR_PLACES) {
            Some(n) => (n, None),
            None if names_calendar_at(low, k) => (4, Some(words.raw[k + 2].clone())),
            None => continue,
        };
        let mut w = words.clone();
        w.low.drain(k..k + n);
        w.raw.drain(k..k + n);
        return (w, true, name);
    }
    (words.clone(), false, None)
}

/// "to my Personal calendar", "on the Work calendar" at `k`: one plain word naming it.
fn names_calendar_at(low: &[String], k: usize) -> bool {
    let Some([place, det, name, cal]) = low.get(k..k + 4) else {
        return false;
    };
    let plain = name.chars().all(|c| c.is_alphabetic())
        && !matches!(
            name.as_str(),
            "calendar" | "own" | "other" | "shared" | "main" | "new" | "default" | "primary"
        );
    matches!(place.as_str(), "to" | "on" | "in")
        && matches!(det.as_str(), "my" | "the")
        && cal == "calendar"
        && plain
}
