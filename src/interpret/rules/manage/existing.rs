//! Operations on an existing item named by a reference: move / reschedule, cancel, delete,
//! complete, add time, change priority.

use crate::interpret::rules::Now;

use super::at_most_one;
use crate::interpret::manage::{ManageAction, ManageRequest, SeriesScope, TargetRef};
use crate::interpret::rules::reference::{
    parse_all_tasks, parse_following, parse_reference, ItemKind,
};
use crate::interpret::rules::scan::scan;
use crate::interpret::rules::slots::{duration_at, priority_at, time_at, TimeKind};
use crate::interpret::rules::words::{match_any, starts_with, Words};

const MOVE_VERBS: &[&[&str]] = &[
    &["move"],
    &["reschedule"],
    &["push"],
    &["shift"],
    &["bump"],
    &["postpone"],
    &["delay"],
    &["change"],
    &["rebook"],
];

/// Words between the reference and the new time.
const NEW_TIME_LEADS: &[&str] = &["to", "until", "till", "til", "for"];

const CANCEL_VERBS: &[&[&str]] = &[&["cancel"], &["call", "off"], &["scrap"]];
const DELETE_VERBS: &[&[&str]] = &[
    &["delete"],
    &["remove"],
    &["get", "rid", "of"],
    &["trash"],
    &["erase"],
];

const DONE_WORDS: &[&str] = &["done", "complete", "completed", "finished"];
const COMPLETE_PREFIXES: &[&[&str]] = &[
    &["complete"],
    &["check", "off"],
    &["tick", "off"],
    &["cross", "off"],
    &["close"],
    &["i", "finished"],
    &["i", "completed"],
    &["i've", "finished"],
    &["i've", "completed"],
    &["i", "have", "finished"],
    &["i", "just", "finished"],
    &["i'm", "done", "with"],
    &["i", "am", "done", "with"],
    &["done", "with"],
    &["finished"],
];

fn request(action: ManageAction, target: TargetRef) -> ManageRequest {
    ManageRequest {
        action: Some(action),
        target: Some(target),
        ..ManageRequest::default()
    }
}

/// "move the dentist appointment to friday", "push the budget task to next Monday, make it
/// P1, it needs 3 hours", "reschedule my 2pm meeting to 4pm".
pub fn move_item(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let v = match_any(low, MOVE_VERBS)?;
    let v = v + usize::from(low.get(v).is_some_and(|w| w == "back"));
    let (k, end) = (v + 1..low.len()).find_map(|k| {
        let lead = NEW_TIME_LEADS.contains(&low[k].as_str());
        lead.then(|| time_at(low, k + 1, TimeKind::Moment, now).map(|e| (k, e)))
            .flatten()
    })?;
    let (target, kind, scope) = event_or_series(&low[v..k], now)?;
    let tail = scan(words, end, low.len(), TimeKind::Moment, now);
    if !tail.is_complete() || !tail.times.is_empty() || !tail.emails.is_empty() || tail.personal {
        return None;
    }
    let new_time = low[k + 1..end].join(" ");
    let duration = at_most_one(&tail.durations).ok()?.map(|(t, _)| t);
    let priority = at_most_one(&tail.priorities).ok()?.map(str::to_string);
    let mut r = match kind {
        ItemKind::Task if scope.is_none() => ManageRequest {
            due: Some(new_time),
            priority,
            ..request(ManageAction::UpdateTask, target)
        },
        ItemKind::Event if priority.is_none() => ManageRequest {
            start: Some(new_time),
            scope,
            ..request(ManageAction::UpdateEvent, target)
        },
        _ => return None,
    };
    r.duration = duration;
    Some(r)
}

/// A reference to one item, or to every later occurrence of a series ("all future
/// standups", scope `following`).
fn event_or_series(low: &[String], now: Now) -> Option<(TargetRef, ItemKind, Option<SeriesScope>)> {
    match parse_reference(low, now) {
        Some((target, kind)) => Some((target, kind, None)),
        None => parse_following(low, now)
            .map(|(target, kind)| (target, kind, Some(SeriesScope::Following))),
    }
}

/// "cancel the dentist appointment tomorrow", "delete the report task".
pub fn cancel_or_delete(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let (v, cancel) = match (match_any(low, CANCEL_VERBS), match_any(low, DELETE_VERBS)) {
        (Some(n), _) => (n, true),
        (None, Some(n)) => (n, false),
        _ => return None,
    };
    let (target, kind, scope) = match event_or_series(&low[v..], now) {
        Some(found) => found,
        None => parse_all_tasks(&low[v..], now).map(|(t, k)| (t, k, None))?,
    };
    let action = match (kind, cancel) {
        (ItemKind::Task, false) if scope.is_none() => ManageAction::DeleteTask,
        (ItemKind::Event, _) | (ItemKind::Unknown, true) => ManageAction::CancelEvent,
        _ => return None,
    };
    Some(ManageRequest {
        scope,
        ..request(action, target)
    })
}

/// "mark the presentation task as done", "I finished the slides", "the report is done".
pub fn complete(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let n = low.len();
    let span = if low[0] == "mark" || low[0] == "set" {
        let done = DONE_WORDS.contains(&low[n - 1].as_str());
        let before = n - 1 - usize::from(n > 2 && matches!(low[n - 2].as_str(), "as" | "to"));
        done.then_some((1, before))?
    } else if let Some(p) = match_any(low, COMPLETE_PREFIXES) {
        (p, n)
    } else if n > 2 && low[n - 2] == "is" && DONE_WORDS.contains(&low[n - 1].as_str()) {
        (0, n - 2)
    } else {
        return None;
    };
    let reference = low.get(span.0..span.1)?;
    let (target, kind) =
        parse_reference(reference, now).or_else(|| parse_all_tasks(reference, now))?;
    (kind != ItemKind::Event).then(|| request(ManageAction::CompleteTask, target))
}

/// "add 30 minutes to the report task", "add another hour to the slides".
pub fn add_time(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    if low[0] != "add" && low[0] != "put" {
        return None;
    }
    let mut i = 1;
    while low
        .get(i)
        .is_some_and(|w| matches!(w.as_str(), "another" | "extra" | "an" | "more"))
    {
        i += 1;
    }
    let (mut end, minutes) = duration_at(low, i).or_else(|| another_hour(low, i))?;
    end += usize::from(low.get(end).is_some_and(|w| w == "more"));
    if !matches!(
        low.get(end).map(String::as_str),
        Some("to" | "onto" | "on" | "for")
    ) {
        return None;
    }
    let (target, kind) = parse_reference(&low[end + 1..], now)?;
    (kind != ItemKind::Event).then(|| ManageRequest {
        minutes: Some(i64::from(minutes)),
        ..request(ManageAction::AddTime, target)
    })
}

/// "another hour" / "an extra hour": one hour.
fn another_hour(low: &[String], i: usize) -> Option<(usize, u32)> {
    let modifier = i > 1 && matches!(low[i - 1].as_str(), "another" | "extra");
    (modifier && low.get(i).is_some_and(|w| w == "hour")).then_some((i + 1, 60))
}

/// "make the budget task P1", "mark the report as urgent", "set the priority of the slides
/// task to high".
pub fn set_priority(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let n = low.len();
    let priority_of = ["the", "priority", "of"];
    let start = if starts_with(&low[1..], &priority_of) {
        4
    } else if starts_with(&low[1..], &priority_of[1..]) {
        3
    } else {
        1
    };
    if !matches!(
        low[0].as_str(),
        "make" | "mark" | "set" | "change" | "update"
    ) {
        return None;
    }
    let (k, p) = (start + 1..n).find_map(|k| {
        priority_at(low, k)
            .filter(|(e, _)| *e == n)
            .map(|(_, p)| (k, p))
    })?;
    let k_ref = k - usize::from(matches!(low[k - 1].as_str(), "as" | "to" | "a"));
    let k_ref = k_ref - usize::from(k_ref > start && low[k_ref - 1] == "as");
    let (target, kind) = parse_reference(low.get(start..k_ref)?, now)?;
    (kind != ItemKind::Event).then(|| ManageRequest {
        priority: Some(p.to_string()),
        ..request(ManageAction::UpdateTask, target)
    })
}
