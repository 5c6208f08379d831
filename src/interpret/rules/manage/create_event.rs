//! "Schedule a 1-hour meeting with sarah@acme.com tomorrow at 2pm", "book a haircut friday
//! at 10", "add lunch at Joe's to my calendar tomorrow at noon", "dentist tomorrow at 3pm".

use crate::interpret::rules::Now;

use super::{at_most_one, title_case};
use crate::interpret::manage::{ManageAction, ManageRequest, ParticipantRef};
use crate::interpret::rules::calendar_place::without_calendar_place;
use crate::interpret::rules::scan::{scan, Scan};
use crate::interpret::rules::slots::{names_clock_time, TimeKind};
use crate::interpret::rules::vocabulary::{
    APPOINTMENTS, COMMAND_VERBS, EVENT_NOUNS_DROPPED, EVENT_NOUNS_KEPT, PERSON_NOUNS,
    PERSON_NOUN_ADJECTIVES, TASK_NOUNS, TITLE_REFUSED, WITH_OTHERS,
};
use crate::interpret::rules::words::{match_any, Words};

/// Verbs that always mean an event.
const EVENT_VERBS: &[&[&str]] = &[
    &["schedule"],
    &["book"],
    &["set", "up"],
    &["setup"],
    &["arrange"],
    &["organize"],
    &["organise"],
];

/// Verbs that mean an event only with an event word or "to my calendar".
const WEAK_VERBS: &[&[&str]] = &[
    &["add"],
    &["create"],
    &["put"],
    &["make"],
    &["plan"],
    &["new"],
];

const ARTICLES: &[&str] = &["a", "an", "the", "me", "my", "new"];

const LOCATION_LEADS: &[&str] = &["at", "in", "@", "location"];

pub fn read(words: &Words, now: Now) -> Option<ManageRequest> {
    let (words, on_calendar, calendar) = without_calendar_place(words);
    let low = &words.low;
    let (mut start, verb_says_event) = if let Some(n) = match_any(low, EVENT_VERBS) {
        (n, true)
    } else if let Some(n) = match_any(low, WEAK_VERBS) {
        (n, on_calendar)
    } else {
        (0, false)
    };
    while low
        .get(start)
        .is_some_and(|w| ARTICLES.contains(&w.as_str()))
    {
        start += 1;
    }
    if start >= low.len() {
        return None;
    }
    let s = scan(&words, start, low.len(), TimeKind::Moment, now);
    let (title, location) = title_and_location(&words, &s)?;
    let title_low = &words.low[title.0..title.1];
    let names_event = title_low.iter().any(|w| is_event_word(w));
    let verbless = start == 0;
    let only_event_words = title_low
        .iter()
        .all(|w| is_event_word(w) || PERSON_NOUN_ADJECTIVES.contains(&w.as_str()));
    if !(verb_says_event || names_event) || !has_clock(&s) || (verbless && !only_event_words) {
        return None;
    }
    let mut request = build(&words, &s, title, location)?;
    request.calendar = calendar;
    Some(request)
}

/// Words that start a question, a command or a conversational reply ("let's do 3pm"), never
/// an activity's title.
const NOT_AN_ACTIVITY: &[&str] = &[
    "is", "are", "am", "do", "does", "did", "can", "will", "was", "were", "has", "have", "tell",
    "check", "what's", "whats", "there", "no", "yes", "yeah", "yep", "nope", "sure", "ok", "okay",
    "let's", "lets", "i'm", "i'll", "i've", "i'd", "we're", "we'll", "it's", "that's", "sounds",
    "works", "nothing", "none", "test", "testing", "thanks", "same", "instead", "actually", "make",
    "keep", "change",
];

/// A thing to do at a clock time with no verb or event word ("write proposal tomorrow at 3pm
/// for an hour"): an event, as the model prompt says ("events happen at a specific time").
/// The title comes first and names no event (those are [`read`]'s), no person, no task.
pub fn read_activity(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let first = low[0].as_str();
    if match_any(low, EVENT_VERBS).is_some()
        || match_any(low, WEAK_VERBS).is_some()
        || COMMAND_VERBS.contains(&first)
        || NOT_AN_ACTIVITY.contains(&first)
    {
        return None;
    }
    let s = scan(words, 0, low.len(), TimeKind::Moment, now);
    let (title, location) = title_and_location(words, &s)?;
    let title_low = &low[title.0..title.1];
    let event_words = title_low
        .iter()
        .any(|w| is_event_word(w) || WITH_OTHERS.contains(&w.as_str()));
    if title.0 != 0 || event_words || title_low.len() > 6 || !has_clock(&s) {
        return None;
    }
    build(words, &s, title, location)
}

fn is_event_word(w: &str) -> bool {
    APPOINTMENTS.contains(&w) || EVENT_NOUNS_KEPT.contains(&w) || EVENT_NOUNS_DROPPED.contains(&w)
}

fn build(
    words: &Words,
    s: &Scan,
    title: (usize, usize),
    location: Option<String>,
) -> Option<ManageRequest> {
    if !title_is_safe(words, title) || !s.priorities.is_empty() || s.personal {
        return None;
    }
    let [time] = &s.times[..] else {
        return None;
    };
    if time
        .lead
        .as_deref()
        .is_some_and(|l| !matches!(l, "on" | "for"))
    {
        return None;
    }
    let duration = at_most_one(&s.durations).ok()?.map(|(text, _)| text);
    let title_low = &words.low[title.0..title.1];
    let participants: Vec<ParticipantRef> = s
        .emails
        .iter()
        .map(|e| ParticipantRef {
            name: None,
            email: Some(e.clone()),
        })
        .collect();
    let implies_others =
        participants.is_empty() && title_low.iter().any(|w| WITH_OTHERS.contains(&w.as_str()));
    Some(ManageRequest {
        action: Some(ManageAction::CreateEvent),
        title: Some(title_case(&words.raw[title.0..title.1])),
        start: Some(time.phrase.clone()),
        duration,
        location,
        participants,
        implies_others,
        ..ManageRequest::default()
    })
}

/// The title run and an optional location ("at Joe's", "in room 4") after it, in the same
/// run or in the next one.
fn title_and_location(words: &Words, s: &Scan) -> Option<((usize, usize), Option<String>)> {
    let is_lead = |i: usize| LOCATION_LEADS.contains(&words.low[i].as_str());
    let (title, place) = match s.runs()[..] {
        [(a, b)] => match (a + 1..b.saturating_sub(1)).find(|&i| is_lead(i)) {
            Some(k) => ((a, k), Some((k, b))),
            None => ((a, b), None),
        },
        [title, (a, b)] if is_lead(a) => (title, Some((a, b))),
        _ => return None,
    };
    let Some((a, b)) = place else {
        return Some((title, None));
    };
    let refused = words.low[a + 1..b]
        .iter()
        .any(|w| TITLE_REFUSED.contains(&w.as_str()) || LOCATION_LEADS.contains(&w.as_str()));
    if b - a < 2 || b - a > 6 || refused {
        return None;
    }
    Some((title, Some(words.raw[a + 1..b].join(" "))))
}

/// No word that could name a person who is not invited by email, no task or focus words.
fn title_is_safe(words: &Words, (a, b): (usize, usize)) -> bool {
    let low = &words.low[a..b];
    let refused = low.iter().any(|w| {
        TITLE_REFUSED.contains(&w.as_str()) || TASK_NOUNS.contains(&w.as_str()) || w == "and"
    });
    let person_noun = low.iter().any(|w| PERSON_NOUNS.contains(&w.as_str()));
    let other_words = low.iter().any(|w| {
        !PERSON_NOUNS.contains(&w.as_str())
            && !PERSON_NOUN_ADJECTIVES.contains(&w.as_str())
            && !EVENT_NOUNS_DROPPED.contains(&w.as_str())
    });
    let known = |w: &str| {
        APPOINTMENTS.contains(&w) || EVENT_NOUNS_KEPT.contains(&w) || WITH_OTHERS.contains(&w)
    };
    let name_like =
        (a..b).any(|i| i > 0 && looks_like_name(&words.raw[i]) && !known(&words.low[i]));
    !(refused || (person_noun && other_words) || name_like || b - a > 8)
}

/// "Sam", "Acme": capitalized inside the sentence, letters only.
fn looks_like_name(raw: &str) -> bool {
    let mut chars = raw.chars();
    chars.next().is_some_and(char::is_uppercase)
        && raw.len() > 1
        && chars.all(|c| c.is_lowercase() || c == '\'')
}

/// The time phrase names a clock time ("3pm", "at 9:30", "noon").
fn has_clock(s: &Scan) -> bool {
    s.times.iter().any(|t| names_clock_time(&t.phrase))
}
