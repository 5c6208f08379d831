//! The `check_availability` grammar: "am I free tomorrow at 2pm for 30 minutes?" (a moment
//! with a clock time) and "find 2 hours for deep work this week, preferably mornings".

use crate::interpret::rules::Now;

use super::calendar_place::without_calendar_place;
use super::purpose::purpose_end;
use super::scan::scan;
use super::slots::{duration_at, names_clock_time, time_at, TimeKind};
use super::words::{match_any, Words};
use crate::interpret::availability::{AvailabilityMode, AvailabilityRequest};

const CHECK_OPENINGS: &[&[&str]] = &[
    &["am", "i", "free"],
    &["am", "i", "available"],
    &["am", "i", "open"],
    &["am", "i", "busy"],
    &["am", "i", "booked"],
    &["am", "i", "free", "or", "busy"],
    &["i'm", "free"],
    &["free"],
    &["available"],
    &["is", "my", "calendar", "free"],
    &["is", "my", "calendar", "open"],
    &["is", "my", "calendar", "clear"],
    &["do", "i", "have", "anything"],
    &["do", "i", "have", "something"],
    &["any", "conflicts"],
    &["do", "i", "have", "any", "conflicts"],
    &["is", "there", "anything"],
];

const FIND_OPENINGS: &[&[&str]] = &[
    &["find", "me"],
    &["find"],
    &["get", "me"],
    &["look", "for"],
    &["search", "for"],
    &["do", "i", "have"],
    &["have", "i", "got"],
    &["is", "there"],
    &["are", "there"],
    &["any"],
    &["i", "need"],
    &["give", "me"],
    &["when", "can", "i", "find"],
    &["when", "do", "i", "have"],
    &["where", "can", "i", "fit"],
    &["can", "i", "fit", "in"],
    &["can", "i", "find"],
    &["can", "you", "find"],
];

/// Words that may follow the duration: "2 hours free", "a 30 minute slot", "an hour of time".
const FREE_WORDS: &[&str] = &[
    "free",
    "open",
    "available",
    "slot",
    "slots",
    "window",
    "windows",
    "gap",
    "gaps",
    "block",
    "blocks",
    "of",
    "time",
    "focus",
    "focused",
    "deep",
    "work",
    "spare",
    "a",
    "an",
    "some",
    "any",
    "uninterrupted",
    "clear",
    "anywhere",
    "somewhere",
];

/// "preferably in the morning", "ideally afternoons", "mornings".
const PREFERENCE_LEADS: &[&str] = &[
    "preferably",
    "ideally",
    "prefer",
    "i",
    "best",
    "in",
    "the",
    "during",
    "if",
    "possible",
];

/// "… on my Work calendar" anywhere names the one calendar whose busy time counts.
pub fn interpret(words: &Words, now: Now) -> Option<AvailabilityRequest> {
    let (words, _, calendar) = without_calendar_place(words);
    let request = check_time(&words, now).or_else(|| find_slots(&words, now))?;
    Some(AvailabilityRequest {
        calendar,
        ..request
    })
}

fn check_time(words: &Words, now: Now) -> Option<AvailabilityRequest> {
    let n = match_any(&words.low, CHECK_OPENINGS)?;
    let n = n + usize::from(
        words
            .low
            .get(n)
            .is_some_and(|w| w == "on" || w == "scheduled"),
    );
    let s = scan(words, n, words.low.len(), TimeKind::Moment, now);
    let [time] = &s.times[..] else {
        return None;
    };
    let clock = names_clock_time(&time.phrase);
    if !s.is_complete() || !clock || s.durations.len() > 1 || !s.emails.is_empty() {
        return None;
    }
    if !s.priorities.is_empty() || s.personal || time.lead.as_deref().is_some_and(|l| l != "on") {
        return None;
    }
    Some(AvailabilityRequest {
        mode: Some(AvailabilityMode::CheckTime),
        start: Some(time.phrase.clone()),
        duration: s.durations.first().map(|(t, _)| t.clone()),
        ..AvailabilityRequest::default()
    })
}

fn find_slots(words: &Words, now: Now) -> Option<AvailabilityRequest> {
    let low = &words.low;
    let mut i = match_any(low, FIND_OPENINGS)?;
    while low
        .get(i)
        .is_some_and(|w| matches!(w.as_str(), "a" | "an" | "some"))
    {
        i += 1;
    }
    let (end, _) = duration_at(low, i)?;
    let duration = low[i..end].join(" ");
    let mut j = end;
    while low.get(j).is_some_and(|w| FREE_WORDS.contains(&w.as_str())) {
        j += 1;
    }
    let (range, preference) = range_and_preference(words, j, now)?;
    Some(AvailabilityRequest {
        mode: Some(AvailabilityMode::FindSlots),
        range,
        duration: Some(duration),
        preference: preference.map(str::to_string),
        ..AvailabilityRequest::default()
    })
}

/// The rest after the duration: an optional purpose ("for deep work"), at most one period
/// ("this week", "tomorrow") and at most one preferred part of day; nothing else.
fn range_and_preference(
    words: &Words,
    from: usize,
    now: Now,
) -> Option<(Option<String>, Option<&'static str>)> {
    let low = &words.low;
    let (mut range, mut preference) = (None, None);
    let mut i = from;
    while i < low.len() {
        if let Some((end, part)) = preference_at(low, i) {
            preference = merge(preference, part)?;
            i = end;
        } else if let Some(end) = range_at(low, i, now) {
            let lead = usize::from(matches!(low[i].as_str(), "on" | "for" | "during" | "in"));
            range = merge(range, low[i + lead..end].join(" "))?;
            i = end;
        } else if let Some(end) = purpose_end(low, i, &|k| boundary(low, k, now)) {
            i = end;
        } else if matches!(
            low[i].as_str(),
            "and" | "or" | "sometime" | "anytime" | "free"
        ) {
            i += 1;
        } else {
            return None;
        }
    }
    Some((range, preference))
}

fn boundary(low: &[String], k: usize, now: Now) -> bool {
    k >= low.len() || preference_at(low, k).is_some() || range_at(low, k, now).is_some()
}

fn merge<T: PartialEq>(current: Option<T>, new: T) -> Option<Option<T>> {
    match current {
        Some(c) if c != new => None,
        _ => Some(Some(new)),
    }
}

/// A period at `i`, ending before any preferred part of day ("this week in the evening").
fn range_at(low: &[String], i: usize, now: Now) -> Option<usize> {
    let lead = usize::from(matches!(low[i].as_str(), "on" | "for" | "during" | "in"));
    if preference_at(low, i).is_some() {
        return None;
    }
    let stop = (i + 1..low.len())
        .find(|&k| preference_at(low, k).is_some())
        .unwrap_or(low.len());
    time_at(&low[..stop], i + lead, TimeKind::Window, now)
}

/// A preferred part of day: "preferably in the morning", "mornings", "in the afternoons".
fn preference_at(low: &[String], i: usize) -> Option<(usize, &'static str)> {
    let mut j = i;
    while low
        .get(j)
        .is_some_and(|w| PREFERENCE_LEADS.contains(&w.as_str()))
    {
        j += 1;
    }
    let part = match low.get(j)?.as_str() {
        "mornings" => "morning",
        "afternoons" => "afternoon",
        "evenings" => "evening",
        "morning" if j > i => "morning",
        "afternoon" if j > i => "afternoon",
        "evening" if j > i => "evening",
        _ => return None,
    };
    let mut end = j + 1;
    while low.get(end).is_some_and(|w| {
        matches!(
            w.as_str(),
            "if" | "possible" | "preferably" | "ideally" | "please"
        )
    }) {
        end += 1;
    }
    Some((end, part))
}
