//! "Block 2 hours tomorrow morning for deep work", "reserve focus time friday afternoon".

use crate::interpret::rules::Now;

use super::at_most_one;
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::interpret::rules::scan::scan;
use crate::interpret::rules::slots::TimeKind;
use crate::interpret::rules::vocabulary::FOCUS_PHRASES;
use crate::interpret::rules::words::{match_any, starts_with, Words};

const VERBS: &[&[&str]] = &[
    &["block", "off"],
    &["block", "out"],
    &["block"],
    &["reserve"],
    &["hold"],
    &["protect"],
    &["carve", "out"],
    &["set", "aside"],
    &["schedule"],
    &["book"],
    &["add"],
    &["create"],
    &["put", "in"],
    &["plan"],
];

/// Words before the focus phrase ("for deep work", "of focus time", "some focus time").
const LEADS: &[&str] = &["for", "of", "to", "some", "a", "an", "me"];

pub fn read(words: &Words, now: Now) -> Option<ManageRequest> {
    let v = match_any(&words.low, VERBS)?;
    let (at, len, title) = find_focus(&words.low, v)?;
    let mut rest = words.clone();
    let mut from = at;
    while from > v && LEADS.contains(&rest.low[from - 1].as_str()) {
        from -= 1;
    }
    rest.low.drain(from..at + len);
    rest.raw.drain(from..at + len);
    let mut start = v;
    while rest
        .low
        .get(start)
        .is_some_and(|w| LEADS.contains(&w.as_str()))
    {
        start += 1;
    }
    let s = scan(&rest, start, rest.low.len(), TimeKind::Moment, now);
    if !s.is_complete() || !s.emails.is_empty() || !s.priorities.is_empty() || s.personal {
        return None;
    }
    let [time] = &s.times[..] else {
        return None;
    };
    if time.lead.is_some() {
        return None;
    }
    Some(ManageRequest {
        action: Some(ManageAction::BlockFocusTime),
        title: Some(title.to_string()),
        start: Some(time.phrase.clone()),
        duration: at_most_one(&s.durations).ok()?.map(|(text, _)| text),
        ..ManageRequest::default()
    })
}

/// The one focus phrase after the verb: (index, length, title).
fn find_focus(low: &[String], from: usize) -> Option<(usize, usize, &'static str)> {
    let found: Vec<_> = (from..low.len())
        .filter_map(|i| {
            FOCUS_PHRASES
                .iter()
                .find(|(p, _)| starts_with(&low[i..], p))
                .map(|(p, t)| (i, p.len(), *t))
        })
        .collect();
    match found[..] {
        [one] => Some(one),
        _ => None,
    }
}
