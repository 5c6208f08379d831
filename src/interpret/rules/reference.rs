//! References to existing items ("the presentation task", "my 2pm meeting", "the dentist
//! appointment tomorrow"): title words, an optional time, and whether it names a task or an
//! event. Vague references ("that meeting", "it", "all of them") are refused.

use crate::interpret::rules::Now;

use super::slots::{time_at, TimeKind};
use super::vocabulary::{EVENT_NOUNS_DROPPED, EVENT_NOUNS_KEPT, TASK_NOUNS};
use super::words::{match_any, starts_with};
use crate::interpret::manage::TargetRef;

/// What kind of item a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Task,
    Event,
    Unknown,
}

/// Words that make a reference vague or plural: the model (with the conversation) decides.
const VAGUE: &[&str] = &[
    "that",
    "this",
    "it",
    "those",
    "these",
    "them",
    "all",
    "every",
    "everything",
    "each",
    "any",
    "some",
    "one",
    "ones",
    "other",
    "another",
    "last",
    "previous",
    "same",
    "and",
    "or",
    "with",
    "w",
    "whatever",
    "thing",
    "stuff",
    "which",
    "not",
    "from",
    "me",
    "i",
    "you",
    "calendar",
    "schedule",
    "agenda",
    "list",
    "inbox",
    "everyone",
];

/// Leading words dropped from a reference ("just this week's standup").
const DETERMINERS: &[&str] = &["the", "my", "our", "a", "an", "just", "only"];

/// Words a reference may end with that say where the item lives.
const PLACES: &[(&[&str], ItemKind)] = &[
    (&["from", "my", "calendar"], ItemKind::Event),
    (&["on", "my", "calendar"], ItemKind::Event),
    (&["from", "the", "calendar"], ItemKind::Event),
    (&["from", "my", "tasks"], ItemKind::Task),
    (&["from", "my", "list"], ItemKind::Task),
    (&["from", "my", "todo", "list"], ItemKind::Task),
    (&["from", "reclaim"], ItemKind::Task),
];

/// Reads `low` (the words of the reference only) into a target and its kind.
pub fn parse_reference(low: &[String], now: Now) -> Option<(TargetRef, ItemKind)> {
    let (mut words, place) = strip_place(low);
    while words
        .first()
        .is_some_and(|w| DETERMINERS.contains(&w.as_str()))
    {
        words.remove(0);
    }
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let (time_hint, rest) = split_time_hint(&words, now)?;
    if rest.iter().any(|w| VAGUE.contains(&w.as_str())) {
        return None;
    }
    let (kind, title) = classify(&rest);
    let kind = merge_kind(kind, place)?;
    if title.is_empty() && time_hint.is_none() {
        return None;
    }
    let title_hint = (!title.is_empty()).then(|| title.join(" "));
    Some((
        TargetRef {
            title_hint,
            time_hint,
            all_matching: false,
            time_hint_iso: None,
        },
        kind,
    ))
}

/// "all report tasks", "all of my invoice tasks": every task whose title has the words
/// (`all_matching`). Only tasks, only with title words and no time.
pub fn parse_all_tasks(low: &[String], now: Now) -> Option<(TargetRef, ItemKind)> {
    let mut i = usize::from(low.first()? == "all");
    if i == 0 || low.last()? != "tasks" {
        return None;
    }
    while low
        .get(i)
        .is_some_and(|w| matches!(w.as_str(), "of" | "the" | "my"))
    {
        i += 1;
    }
    let (mut target, kind) = parse_reference(&low[i..], now)?;
    let plain = kind == ItemKind::Task && target.title_hint.is_some() && target.time_hint.is_none();
    target.all_matching = true;
    plain.then_some((target, kind))
}

/// Openings that name every later occurrence of a series ("all future standups").
const FOLLOWING: &[&[&str]] = &[
    &["all", "future"],
    &["all", "my", "future"],
    &["all", "the", "future"],
    &["all", "upcoming"],
    &["all", "my", "upcoming"],
    &["all", "the", "upcoming"],
];

/// "all future standups": the series' event from now on (scope `following`). The plural
/// event word is read as its singular ("standups" → "standup"); only known event words.
pub fn parse_following(low: &[String], now: Now) -> Option<(TargetRef, ItemKind)> {
    let n = match_any(low, FOLLOWING)?;
    let mut rest = low[n..].to_vec();
    let last = rest.last_mut()?;
    *last = singular_event_word(last)?;
    let (target, kind) = parse_reference(&rest, now)?;
    (kind == ItemKind::Event && target.title_hint.is_some() && target.time_hint.is_none())
        .then_some((target, kind))
}

fn singular_event_word(word: &str) -> Option<String> {
    let one = word.strip_suffix('s')?;
    let known = |w: &str| EVENT_NOUNS_KEPT.contains(&w) || EVENT_NOUNS_DROPPED.contains(&w);
    if known(one) {
        return Some(one.to_string());
    }
    one.strip_suffix('e')
        .filter(|w| known(w))
        .map(str::to_string)
}

fn strip_place(low: &[String]) -> (Vec<String>, ItemKind) {
    for (phrase, kind) in PLACES {
        if low.len() > phrase.len() && starts_with(&low[low.len() - phrase.len()..], phrase) {
            return (low[..low.len() - phrase.len()].to_vec(), *kind);
        }
    }
    (low.to_vec(), ItemKind::Unknown)
}

fn merge_kind(a: ItemKind, b: ItemKind) -> Option<ItemKind> {
    match (a, b) {
        (x, ItemKind::Unknown) | (ItemKind::Unknown, x) => Some(x),
        (x, y) if x == y => Some(x),
        _ => None,
    }
}

/// A time phrase at the start ("my 2pm meeting", "tomorrow's standup") or at the end ("the
/// dentist appointment tomorrow", "the call at 3") of the reference; at most one.
fn split_time_hint(words: &[String], now: Now) -> Option<(Option<String>, Vec<String>)> {
    if let Some((day, n)) = possessive_time(words, now) {
        return Some((Some(day), words[n..].to_vec()));
    }
    if let Some(end) = time_at(words, 0, TimeKind::Moment, now) {
        return no_more_times(&words[end..], now)
            .then(|| (Some(words[..end].join(" ")), words[end..].to_vec()));
    }
    for start in 1..words.len() {
        let lead = matches!(words[start].as_str(), "on" | "at" | "for");
        let from = start + usize::from(lead);
        if time_at(words, from, TimeKind::Moment, now) == Some(words.len()) {
            let rest = words[..start].to_vec();
            return no_more_times(&rest, now).then(|| (Some(words[from..].join(" ")), rest));
        }
    }
    Some((None, words.to_vec()))
}

/// "tomorrow's standup", "this week's standup", "next monday's sync": the time phrase and
/// how many words it took.
fn possessive_time(words: &[String], now: Now) -> Option<(String, usize)> {
    let n = 1 + words.iter().take(3).position(|w| w.ends_with("'s"))?;
    let mut phrase = words[..n].to_vec();
    let last = phrase[n - 1].trim_end_matches("'s").to_string();
    phrase[n - 1] = last;
    (time_at(&phrase, 0, TimeKind::Moment, now) == Some(n)).then(|| (phrase.join(" "), n))
}

fn no_more_times(words: &[String], now: Now) -> bool {
    (0..words.len()).all(|i| time_at(words, i, TimeKind::Moment, now).is_none())
}

/// The kind named by a type word, and the title words (generic type words removed).
fn classify(words: &[String]) -> (ItemKind, Vec<String>) {
    let mut kind = ItemKind::Unknown;
    let mut title = Vec::new();
    for w in words {
        if TASK_NOUNS.contains(&w.as_str()) {
            kind = ItemKind::Task;
        } else if EVENT_NOUNS_DROPPED.contains(&w.as_str()) {
            kind = ItemKind::Event;
        } else {
            if EVENT_NOUNS_KEPT.contains(&w.as_str()) {
                kind = ItemKind::Event;
            }
            title.push(w.clone());
        }
    }
    (kind, title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn now() -> Now {
        chrono_tz::America::New_York
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap()
            .into()
    }

    fn r(s: &str) -> Option<(TargetRef, ItemKind)> {
        let w: Vec<String> = s.split(' ').map(str::to_string).collect();
        parse_reference(&w, now())
    }

    #[test]
    fn references_name_title_time_and_kind() {
        let (t, k) = r("the presentation task").unwrap();
        assert_eq!(
            (t.title_hint.as_deref(), k),
            (Some("presentation"), ItemKind::Task)
        );
        let (t, k) = r("the dentist appointment tomorrow").unwrap();
        assert_eq!(t.time_hint.as_deref(), Some("tomorrow"));
        assert_eq!(
            (t.title_hint.as_deref(), k),
            (Some("dentist"), ItemKind::Event)
        );
        let (t, k) = r("my 2pm meeting").unwrap();
        assert_eq!(
            (t.title_hint, t.time_hint.as_deref(), k),
            (None, Some("2pm"), ItemKind::Event)
        );
        let (t, _) = r("the project sync").unwrap();
        assert_eq!(t.title_hint.as_deref(), Some("project sync"));
    }

    #[test]
    fn possessive_times_and_just_lead_a_reference() {
        let (t, _) = r("just this week's standup").unwrap();
        assert_eq!(
            (t.title_hint.as_deref(), t.time_hint.as_deref()),
            (Some("standup"), Some("this week"))
        );
        let (t, _) = r("this friday's demo").unwrap();
        assert_eq!(t.time_hint.as_deref(), Some("this friday"));
        let (t, _) = parse_all_tasks(&w("all of my report tasks"), now()).unwrap();
        assert_eq!(
            (t.title_hint.as_deref(), t.all_matching),
            (Some("report"), true)
        );
        assert!(parse_all_tasks(&w("all tasks"), now()).is_none());
        let (t, k) = parse_following(&w("all future standups"), now()).unwrap();
        assert_eq!(
            (t.title_hint.as_deref(), k),
            (Some("standup"), ItemKind::Event)
        );
        let (t, _) = parse_following(&w("all upcoming team lunches"), now()).unwrap();
        assert_eq!(t.title_hint.as_deref(), Some("team lunch"));
        assert!(parse_following(&w("all future meetings"), now()).is_none());
        assert!(parse_following(&w("all future reports"), now()).is_none());
    }

    fn w(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn vague_references_are_refused() {
        for s in [
            "that meeting",
            "it",
            "the meeting",
            "all report tasks",
            "the call with sam",
        ] {
            assert!(r(s).is_none(), "{s}");
        }
    }
}
