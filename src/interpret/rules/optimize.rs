//! The `optimize_schedule` grammar: advice only ("optimize my schedule this week", "how can I
//! improve my calendar next week"). Anything that asks to apply changes goes to the model.

use crate::interpret::rules::Now;

use super::slots::{time_at, TimeKind};
use super::words::{match_any, starts_with, Words};
use crate::interpret::optimize::{OptimizationType, OptimizeRequest};

const OPENINGS: &[&[&str]] = &[
    &["optimize"],
    &["optimise"],
    &["analyze"],
    &["analyse"],
    &["review"],
    &["improve"],
    &["how", "can", "i", "optimize"],
    &["how", "can", "i", "improve"],
    &["how", "should", "i", "optimize"],
    &["suggest", "improvements", "to"],
    &["suggest", "changes", "to"],
    &["any", "suggestions", "for"],
];

const OBJECTS: &[&str] = &["schedule", "calendar"];

const FOCUSES: &[(&[&str], OptimizationType)] = &[
    (&["for", "focus", "time"], OptimizationType::FocusTime),
    (&["for", "focus"], OptimizationType::FocusTime),
    (&["for", "deep", "work"], OptimizationType::FocusTime),
    (&["for", "fewer", "meetings"], OptimizationType::Meetings),
    (&["for", "deadlines"], OptimizationType::Deadlines),
];

pub fn interpret(words: &Words, now: Now) -> Option<OptimizeRequest> {
    let low = &words.low;
    let mut i = match_any(low, OPENINGS)?;
    i += usize::from(low.get(i).is_some_and(|w| w == "my" || w == "the"));
    if !low.get(i).is_some_and(|w| OBJECTS.contains(&w.as_str())) {
        return None;
    }
    i += 1;
    let (mut range, mut kind) = (None, None);
    while i < low.len() {
        if let Some((p, t)) = FOCUSES.iter().find(|(p, _)| starts_with(&low[i..], p)) {
            if kind.replace(*t).is_some() {
                return None;
            }
            i += p.len();
        } else {
            let lead = usize::from(matches!(low[i].as_str(), "for" | "over" | "during"));
            let end = time_at(low, i + lead, TimeKind::Window, now)?;
            if range.is_some() {
                return None;
            }
            range = Some(low[i + lead..end].join(" "));
            i = end;
        }
    }
    Some(OptimizeRequest {
        range,
        apply: false,
        optimization_type: kind,
        ..OptimizeRequest::default()
    })
}
