//! The `find_and_analyze` grammar: "what's on my calendar today", "what do I have tomorrow",
//! "show me overdue tasks", "how's my workload this week", "find all items about budget",
//! "show my high priority tasks".

use crate::interpret::rules::Now;

use super::slots::{parses_as, time_at, TimeKind};
use super::words::{match_any, Words};
use crate::domain::priority::Priority;
use crate::interpret::find::{FindMode, FindRequest, Scope};

/// Questions about a period ("what's on …", "what do I have …").
const AGENDA_OPENINGS: &[&[&str]] = &[
    &["what's", "on"],
    &["what", "is", "on"],
    &["whats", "on"],
    &["what", "do", "i", "have"],
    &["what", "have", "i", "got"],
    &["what's", "happening"],
    &["what's", "going", "on"],
    &["what's", "planned"],
    &["what's", "scheduled"],
    &["what", "am", "i", "doing"],
    &["anything", "on"],
    &["anything", "scheduled"],
    &["do", "i", "have", "anything"],
    &["show", "me"],
    &["show"],
    &["list"],
    &["give", "me"],
    &["get", "me"],
    &["display"],
    &["check"],
    &["what", "are"],
    &["what", "meetings", "do", "i", "have"],
    &["what", "events", "do", "i", "have"],
    &["what", "tasks", "do", "i", "have"],
    &["which", "meetings", "do", "i", "have"],
    &["which", "tasks", "are", "due"],
    &["what", "tasks", "are", "due"],
    &["what's", "due"],
    &["what", "is", "due"],
    &["anything", "due"],
];

/// Words that may stand between the opening and the period; each may set the scope.
const AGENDA_WORDS: &[(&str, Option<Scope>)] = &[
    ("my", None),
    ("the", None),
    ("all", None),
    ("me", None),
    ("for", None),
    ("on", None),
    ("of", None),
    ("scheduled", None),
    ("planned", None),
    ("going", None),
    ("up", None),
    ("due", Some(Scope::Tasks)),
    ("calendar", Some(Scope::Events)),
    ("meetings", Some(Scope::Events)),
    ("events", Some(Scope::Events)),
    ("appointments", Some(Scope::Events)),
    ("tasks", Some(Scope::Tasks)),
    ("todos", Some(Scope::Tasks)),
    ("to-dos", Some(Scope::Tasks)),
    ("schedule", Some(Scope::Both)),
    ("agenda", Some(Scope::Both)),
    ("plate", Some(Scope::Both)),
    ("plans", Some(Scope::Both)),
    ("items", Some(Scope::Both)),
    ("everything", Some(Scope::Both)),
];

const OVERDUE: &[&[&str]] = &[
    &["what's", "overdue"],
    &["what", "is", "overdue"],
    &["whats", "overdue"],
    &["show", "me", "overdue", "tasks"],
    &["show", "me", "my", "overdue", "tasks"],
    &["show", "overdue", "tasks"],
    &["show", "my", "overdue", "tasks"],
    &["list", "overdue", "tasks"],
    &["list", "my", "overdue", "tasks"],
    &["overdue", "tasks"],
    &["overdue"],
    &["any", "overdue", "tasks"],
    &["anything", "overdue"],
    &["do", "i", "have", "any", "overdue", "tasks"],
    &["do", "i", "have", "overdue", "tasks"],
    &["do", "i", "have", "anything", "overdue"],
    &["which", "tasks", "are", "overdue"],
    &["what", "tasks", "are", "overdue"],
    &["what's", "past", "due"],
    &["what", "am", "i", "late", "on"],
    &["what", "am", "i", "behind", "on"],
    &["what", "did", "i", "miss"],
    &["show", "me", "what's", "overdue"],
    &["tell", "me", "what's", "overdue"],
];

const WORKLOAD: &[&[&str]] = &[
    &["how's", "my", "workload"],
    &["how", "is", "my", "workload"],
    &["how", "does", "my", "workload", "look"],
    &["how", "does", "my", "workload", "look", "like"],
    &["what's", "my", "workload"],
    &["what's", "my", "workload", "like"],
    &["what", "is", "my", "workload"],
    &["what", "is", "my", "workload", "like"],
    &["what's", "my", "workload", "looking", "like"],
    &["how's", "my", "workload", "looking"],
    &["analyze", "my", "workload"],
    &["analyse", "my", "workload"],
    &["show", "me", "my", "workload"],
    &["show", "my", "workload"],
    &["check", "my", "workload"],
    &["workload"],
    &["my", "workload"],
    &["how", "busy", "am", "i"],
    &["how", "busy", "is", "my"],
    &["how", "busy", "is"],
    &["how", "much", "is", "on", "my", "plate"],
    &["how", "much", "do", "i", "have", "on", "my", "plate"],
    &["how", "full", "is", "my"],
    &["am", "i", "overloaded"],
    &["am", "i", "overbooked"],
];

/// "find all items about budget", "search for budget", "anything about the offsite".
const KEYWORD_OPENINGS: &[&[&str]] = &[
    &["find"],
    &["search", "for"],
    &["search"],
    &["look", "for"],
    &["look", "up"],
    &["show", "me"],
    &["show"],
    &["list"],
    &["get"],
    &["anything"],
    &["any"],
    &["what", "do", "i", "have"],
];

const KEYWORD_NOUNS: &[(&str, Scope)] = &[
    ("items", Scope::Both),
    ("things", Scope::Both),
    ("stuff", Scope::Both),
    ("everything", Scope::Both),
    ("anything", Scope::Both),
    ("tasks", Scope::Tasks),
    ("todos", Scope::Tasks),
    ("events", Scope::Events),
    ("meetings", Scope::Events),
    ("appointments", Scope::Events),
];

const ABOUT: &[&[&str]] = &[
    &["about"],
    &["regarding"],
    &["related", "to"],
    &["mentioning"],
    &["concerning"],
    &["on", "the", "topic", "of"],
    &["that", "mention"],
    &["with", "the", "word"],
];

pub fn interpret(words: &Words, now: Now) -> Option<FindRequest> {
    calendars(words)
        .or_else(|| overdue(words))
        .or_else(|| workload(words, now))
        .or_else(|| by_priority(words, now))
        .or_else(|| keywords(words, now))
        .or_else(|| agenda(words, now))
}

/// "What calendars do I have?", "list my calendars".
const CALENDARS: &[&[&str]] = &[
    &["what", "calendars", "do", "i", "have"],
    &["which", "calendars", "do", "i", "have"],
    &["what", "are", "my", "calendars"],
    &["list", "my", "calendars"],
    &["show", "my", "calendars"],
    &["show", "me", "my", "calendars"],
];

fn calendars(words: &Words) -> Option<FindRequest> {
    (match_any(&words.low, CALENDARS)? == words.low.len()).then(|| FindRequest {
        mode: FindMode::Calendars,
        ..FindRequest::default()
    })
}

fn overdue(words: &Words) -> Option<FindRequest> {
    (match_any(&words.low, OVERDUE)? == words.low.len()).then(|| FindRequest {
        scope: Some(Scope::Tasks),
        time_range: Some("overdue".into()),
        ..FindRequest::default()
    })
}

fn workload(words: &Words, now: Now) -> Option<FindRequest> {
    let low = &words.low;
    let mut i = match_any(low, WORKLOAD)?;
    while low.get(i).is_some_and(|w| {
        matches!(
            w.as_str(),
            "for"
                | "on"
                | "over"
                | "during"
                | "looking"
                | "like"
                | "my"
                | "the"
                | "going"
                | "to"
                | "be"
        )
    }) {
        i += 1;
    }
    let range = period(low, i, now)?;
    Some(FindRequest {
        mode: FindMode::Workload,
        time_range: range,
        ..FindRequest::default()
    })
}

/// The rest of the words as one optional period ("this week", "tomorrow"), or `None` when
/// anything else is left.
fn period(low: &[String], i: usize, now: Now) -> Option<Option<String>> {
    let mut end = low.len();
    while end > i
        && matches!(
            low[end - 1].as_str(),
            "look" | "like" | "looking" | "be" | "gonna" | "going" | "is"
        )
    {
        end -= 1;
    }
    if i >= end {
        return Some(None);
    }
    if let Some(p) = open_ended(&low[..end], i, now) {
        return Some(Some(p));
    }
    let lead = usize::from(matches!(low[i].as_str(), "for" | "on" | "over" | "during"));
    (time_at(&low[..end], i + lead, TimeKind::Window, now)? == end)
        .then(|| Some(low[i + lead..end].join(" ")))
}

/// "by Friday", "until Friday", "before the end of the week": a period from now, read by the
/// window resolver with its lead word (as the model copies it).
fn open_ended(low: &[String], i: usize, now: Now) -> Option<String> {
    let lead = matches!(
        low.get(i)?.as_str(),
        "by" | "until" | "till" | "til" | "before"
    );
    let whole = lead && time_at(low, i + 1, TimeKind::Window, now)? == low.len();
    let phrase = low[i..].join(" ");
    (whole && parses_as(&phrase, TimeKind::Window, now)).then_some(phrase)
}

/// "show my high priority tasks", "what urgent tasks do I have this week".
fn by_priority(words: &Words, now: Now) -> Option<FindRequest> {
    let low = &words.low;
    let k = low
        .iter()
        .position(|w| matches!(w.as_str(), "tasks" | "todos"))?;
    let mut start = match_any(low, AGENDA_OPENINGS).unwrap_or(0);
    while start < k && matches!(low[start].as_str(), "my" | "all" | "the" | "me") {
        start += 1;
    }
    let priorities = priority_words(low.get(start..k)?)?;
    let mut i = k + 1;
    while low
        .get(i)
        .is_some_and(|w| matches!(w.as_str(), "do" | "i" | "have" | "are" | "due"))
    {
        i += 1;
    }
    let range = period(low, i, now)?;
    Some(FindRequest {
        scope: Some(Scope::Tasks),
        time_range: range,
        priorities,
        ..FindRequest::default()
    })
}

fn priority_words(words: &[String]) -> Option<Vec<Priority>> {
    let text = words.join(" ");
    Some(match text.as_str() {
        "urgent" | "critical" | "p1" | "p1 priority" => vec![Priority::P1],
        "high priority" | "high" | "important" | "top priority" | "high-priority" => {
            vec![Priority::P1, Priority::P2]
        }
        "p2" => vec![Priority::P2],
        "medium priority" | "p3" => vec![Priority::P3],
        "low priority" | "low" | "p4" => vec![Priority::P4],
        _ => return None,
    })
}

/// "find all items about budget", "search for budget this week".
fn keywords(words: &Words, now: Now) -> Option<FindRequest> {
    let low = &words.low;
    let mut i = match_any(low, KEYWORD_OPENINGS)?;
    let searching = matches!(low[0].as_str(), "search" | "look");
    while low
        .get(i)
        .is_some_and(|w| matches!(w.as_str(), "all" | "my" | "the" | "me" | "any"))
    {
        i += 1;
    }
    let scope = KEYWORD_NOUNS
        .iter()
        .find(|(n, _)| low.get(i).is_some_and(|w| w == n))
        .map(|(_, s)| *s);
    i += usize::from(scope.is_some());
    let about = match_any(&low[i.min(low.len())..], ABOUT);
    if about.is_none() && !(searching && scope.is_none()) {
        return None;
    }
    i += about.unwrap_or(0);
    if i >= low.len() {
        return None;
    }
    let end = (i + 1..=low.len())
        .find(|&k| k == low.len() || period(low, k, now).is_some_and(|p| p.is_some()))?;
    let keyword = &low[i..end];
    let plain = keyword.iter().all(|w| {
        w.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '\'')
    });
    if keyword.len() > 3
        || !plain
        || keyword
            .iter()
            .any(|w| matches!(w.as_str(), "and" | "or" | "with" | "me" | "my" | "it"))
    {
        return None;
    }
    Some(FindRequest {
        scope: Some(scope.unwrap_or(Scope::Both)),
        keywords: vec![words.raw[i..end].join(" ")],
        time_range: period(low, end, now)?,
        ..FindRequest::default()
    })
}

/// "what's on my calendar today", "what do I have tomorrow", "show my meetings this week".
fn agenda(words: &Words, now: Now) -> Option<FindRequest> {
    let low = &words.low;
    let mut i = match_any(low, AGENDA_OPENINGS)?;
    let opening_scope = scope_of_opening(&low[..i]);
    let mut scope = opening_scope;
    while let Some((_, s)) = low
        .get(i)
        .and_then(|w| AGENDA_WORDS.iter().find(|(a, _)| a == w))
    {
        if let Some(s) = s {
            scope = match scope {
                Some(cur) if cur != *s => return None,
                _ => Some(*s),
            };
        }
        i += 1;
    }
    let range = period(low, i, now)?;
    let time_range = range.or_else(|| (scope == Some(Scope::Tasks)).then(String::new))?;
    Some(FindRequest {
        scope: Some(scope.unwrap_or(Scope::Both)),
        time_range: (!time_range.is_empty()).then_some(time_range),
        ..FindRequest::default()
    })
}

fn scope_of_opening(opening: &[String]) -> Option<Scope> {
    if opening.iter().any(|w| w == "meetings" || w == "events") {
        Some(Scope::Events)
    } else if opening.iter().any(|w| w == "tasks" || w == "due") {
        Some(Scope::Tasks)
    } else {
        None
    }
}
