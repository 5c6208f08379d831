//! The `manage_productivity` grammars: one per operation. A request is answered only when
//! exactly one grammar accounts for all of its words.

mod all_day;
mod create_event;
mod create_task;
mod due_shift;
mod existing;
mod focus;

use crate::interpret::rules::Now;

use super::words::{match_any, Words};
use crate::interpret::manage::ManageRequest;

type Grammar = fn(&Words, Now) -> Option<ManageRequest>;

/// The grammars, and whether each reads the request without its "I need to …" opening
/// (`true`) or as it is (the task grammar reads "I need to …" itself; the activity grammar
/// must not read "I need to write the proposal at 3pm", a task or an event).
const GRAMMARS: &[(Grammar, bool)] = &[
    (create_task::read, false),
    (create_event::read, true),
    (create_event::read_activity, false),
    (focus::read, true),
    (all_day::read, true),
    (due_shift::read, true),
    (existing::move_item, true),
    (existing::cancel_or_delete, true),
    (existing::complete, true),
    (existing::add_time, true),
    (existing::set_priority, true),
];

/// "I need to / I want to …" in front of a command ("I need to move my 2pm to 4pm").
const WANT: &[&[&str]] = &[
    &["i", "need", "to"],
    &["i", "want", "to"],
    &["i'd", "like", "to"],
    &["i", "would", "like", "to"],
    &["i", "have", "to"],
    &["let's"],
    &["lets"],
];

/// The typed request when exactly one grammar answers (the same answer twice counts once).
pub fn interpret(words: &Words, now: Now) -> Option<ManageRequest> {
    let bare = strip_want(words);
    let mut answers: Vec<ManageRequest> = Vec::new();
    for (grammar, strip) in GRAMMARS {
        let input = if *strip { &bare } else { words };
        if input.low.is_empty() {
            continue;
        }
        if let Some(r) = grammar(input, now) {
            if !answers.contains(&r) {
                answers.push(r);
            }
        }
    }
    match answers.len() {
        1 => answers.pop(),
        _ => None,
    }
}

fn strip_want(words: &Words) -> Words {
    let n = match_any(&words.low, WANT).unwrap_or(0);
    Words {
        low: words.low[n..].to_vec(),
        raw: words.raw[n..].to_vec(),
    }
}

/// A title from the original words: first letter upper-cased, the rest as typed.
pub(super) fn title_case(raw: &[String]) -> String {
    let text = raw.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// At most one value; two different ones make the request ambiguous (`Err`).
pub(super) fn at_most_one<T: Clone + PartialEq>(items: &[T]) -> Result<Option<T>, ()> {
    match items {
        [] => Ok(None),
        [first, rest @ ..] if rest.iter().all(|x| x == first) => Ok(Some(first.clone())),
        _ => Err(()),
    }
}
