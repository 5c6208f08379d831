//! "for deep work", "to prep the demo": what the time is for, which the read-only tools do not
//! use (the model drops it too).

/// The end of a purpose clause starting at `i` ("for" / "to" + 1–5 words up to a boundary).
pub fn purpose_end(low: &[String], i: usize, boundary: &dyn Fn(usize) -> bool) -> Option<usize> {
    if !matches!(low.get(i)?.as_str(), "for" | "to") {
        return None;
    }
    let end = (i + 1..=low.len()).find(|&k| boundary(k))?;
    let words = end - i - 1;
    let refused = low[i + 1..end].iter().any(|w| {
        matches!(
            w.as_str(),
            "and" | "then" | "also" | "with" | "invite" | "schedule" | "book" | "block"
        )
    });
    ((1..=5).contains(&words) && !refused).then_some(end)
}
