//! A task's due date moved relative to itself: "push the report task back 2 days", "postpone
//! the budget task by a week", "move the slides task 3 days earlier". The typed request
//! carries `due_shift` ("2 days later"), as the model prompt asks. Only references that say
//! "task": an event moved by days is left to the model.

use crate::interpret::rules::Now;

use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::interpret::rules::reference::{parse_reference, ItemKind};
use crate::interpret::rules::words::{starts_with, Words};

/// Verbs, and whether they say "later" by themselves.
const VERBS: &[(&[&str], bool)] = &[
    (&["push", "back"], true),
    (&["push", "out"], true),
    (&["push"], true),
    (&["postpone"], true),
    (&["delay"], true),
    (&["move"], false),
    (&["shift"], false),
    (&["bump"], false),
];

pub fn read(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let (v, says_later) = VERBS
        .iter()
        .find(|(verb, _)| starts_with(low, verb))
        .map(|(verb, later)| (verb.len(), *later))?;
    let (k, count, unit) = (v + 1..low.len()).find_map(|k| amount_at(low, k))?;
    let mut reference_end = k;
    let mut later = None;
    if low[k - 1] == "by" {
        reference_end -= 1;
    }
    if matches!(low[reference_end - 1].as_str(), "back" | "out") {
        reference_end -= 1;
        later = Some(true);
    }
    let tail: Vec<&str> = low[k + 2..].iter().map(String::as_str).collect();
    later = match (&tail[..], later) {
        ([], l) => l.or(says_later.then_some(true)),
        (["later" | "back"], None | Some(true)) => Some(true),
        (["earlier"], None) => Some(false),
        _ => None,
    };
    let (target, kind) = parse_reference(&low[v..reference_end], now)?;
    if kind != ItemKind::Task {
        return None;
    }
    let direction = if later? { "later" } else { "earlier" };
    let plural = if count == 1 { "" } else { "s" };
    Some(ManageRequest {
        action: Some(ManageAction::UpdateTask),
        target: Some(target),
        due_shift: Some(format!("{count} {unit}{plural} {direction}")),
        ..ManageRequest::default()
    })
}

/// "2 days", "a week", "three days" at `k`: the count and the unit ("day" / "week").
fn amount_at(low: &[String], k: usize) -> Option<(usize, u32, &'static str)> {
    let word = low.get(k)?;
    let count = match crate::domain::words::count(word) {
        Some(n) => n,
        None => word.parse().ok().filter(|n| (1..=60).contains(n))?,
    };
    let unit = match low.get(k + 1)?.as_str() {
        "day" | "days" => "day",
        "week" | "weeks" => "week",
        _ => return None,
    };
    Some((k, count, unit))
}
