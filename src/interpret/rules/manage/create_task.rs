//! "Create a task to review the Q4 budget by Friday, about 2 hours, high priority",
//! "remind me to call mom tomorrow", "I need to review the sales report by end of week",
//! "add buy milk to my todo list".

use crate::interpret::rules::Now;

use super::{at_most_one, title_case};
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::interpret::rules::scan::scan;
use crate::interpret::rules::slots::TimeKind;
use crate::interpret::rules::vocabulary::{
    ACTION_VERBS, COMMAND_VERBS, TASK_NOUNS, TASK_TITLE_REFUSED, TITLE_REFUSED,
};
use crate::interpret::rules::words::{match_any, Words};

/// Openings that say "this is a thing to do".
const INTROS: &[&[&str]] = &[
    &["remind", "me", "to"],
    &["i", "need", "to"],
    &["i", "have", "to"],
    &["i've", "got", "to"],
    &["i", "got", "to"],
    &["i", "gotta"],
    &["gotta"],
    &["need", "to"],
    &["i", "must"],
    &["i", "should"],
    &["don't", "let", "me", "forget", "to"],
    &["don't", "forget", "to"],
    &["todo"],
    &["to-do"],
    &["to", "do"],
];

/// Verbs of "create a task …".
const VERBS: &[&[&str]] = &[
    &["create"],
    &["add"],
    &["make"],
    &["new"],
    &["put"],
    &["set", "up"],
    &["open"],
    &["log"],
    &["enter"],
];

const ARTICLES: &[&str] = &["a", "an", "new", "the", "quick", "me", "another"];

/// Words between "task" and its title.
const CONNECTORS: &[&[&str]] = &[
    &["to"],
    &["called"],
    &["named"],
    &["titled"],
    &["for"],
    &["about"],
    &["that", "says"],
    &["saying"],
    &["-"],
];

/// "add X to my todo list" endings.
const LIST_ENDINGS: &[&[&str]] = &[
    &["to", "my", "todo", "list"],
    &["to", "my", "to-do", "list"],
    &["to", "my", "to", "do", "list"],
    &["to", "my", "task", "list"],
    &["to", "my", "tasks"],
    &["to", "my", "list"],
    &["to", "the", "list"],
    &["on", "my", "todo", "list"],
    &["on", "my", "to-do", "list"],
    &["on", "my", "list"],
    &["to", "reclaim"],
];

pub fn read(words: &Words, now: Now) -> Option<ManageRequest> {
    let (start, end, category) = body_bounds(words)?;
    body(words, start, end, category, now)
}

/// Where the title-and-slots part is, and the category said in the opening.
fn body_bounds(words: &Words) -> Option<(usize, usize, Option<&'static str>)> {
    let low = &words.low;
    if let Some(n) = match_any(low, INTROS) {
        return Some((n, low.len(), None));
    }
    if low[0] == "task" || (low[0] == "new" && low.get(1).is_some_and(|w| w == "task")) {
        let n = if low[0] == "task" { 1 } else { 2 };
        return Some((n, low.len(), None));
    }
    let v = match_any(low, VERBS)?;
    if let Some(end) = list_ending(low) {
        return Some((v, end, None));
    }
    let mut i = v;
    while low.get(i).is_some_and(|w| ARTICLES.contains(&w.as_str())) {
        i += 1;
    }
    let category = match low.get(i).map(String::as_str) {
        Some("personal") => Some("PERSONAL"),
        Some("work") => Some("WORK"),
        _ => None,
    };
    i += usize::from(category.is_some());
    if !low.get(i).is_some_and(|w| TASK_NOUNS.contains(&w.as_str())) {
        return None;
    }
    i += 1;
    i += match_any(&low[i..], CONNECTORS).unwrap_or(0);
    Some((i, low.len(), category))
}

/// The start of a "to my todo list" ending, when the request has one.
fn list_ending(low: &[String]) -> Option<usize> {
    (1..low.len()).find(|&k| match_any(&low[k..], LIST_ENDINGS) == Some(low.len() - k))
}

fn body(
    words: &Words,
    start: usize,
    end: usize,
    category: Option<&'static str>,
    now: Now,
) -> Option<ManageRequest> {
    let s = scan(words, start, end, TimeKind::Moment, now);
    let [(a, b)] = s.runs()[..] else {
        return None;
    };
    let title_low = &words.low[a..b];
    let refused = title_low
        .iter()
        .any(|w| TITLE_REFUSED.contains(&w.as_str()) || TASK_TITLE_REFUSED.contains(&w.as_str()));
    let two_actions = title_low
        .windows(2)
        .any(|w| (w[0] == "and" || w[0] == "&") && ACTION_VERBS.contains(&w[1].as_str()));
    if refused || two_actions || b - a > 12 || COMMAND_VERBS.contains(&title_low[0].as_str()) {
        return None;
    }
    if !s.emails.is_empty()
        || s.times
            .iter()
            .any(|t| t.lead.as_deref().is_some_and(is_not_before))
    {
        return None;
    }
    let due = at_most_one(&s.times.iter().map(|t| t.phrase.clone()).collect::<Vec<_>>()).ok()?;
    let duration = at_most_one(&s.durations).ok()?.map(|(text, _)| text);
    let priority = at_most_one(&s.priorities).ok()?.map(str::to_string);
    let category = match (category, s.personal) {
        (Some("WORK"), true) => return None,
        (_, true) => Some("PERSONAL"),
        (c, false) => c,
    };
    Some(ManageRequest {
        action: Some(ManageAction::CreateTask),
        title: Some(title_case(&words.raw[a..b])),
        due,
        duration,
        priority,
        category: category.map(str::to_string),
        ..ManageRequest::default()
    })
}

/// "starting Monday", "from Monday": a not-before date, which the rules leave to the model.
fn is_not_before(lead: &str) -> bool {
    matches!(lead, "starting" | "from")
}
