//! Slot recognizers: time phrases, durations, priorities, emails. Each answers "does a slot
//! start at word `i`, and where does it end", so a grammar can check that every word of a
//! request is accounted for.

use super::words::{match_any, starts_with};
use super::Now;
use crate::domain::duration::parse_duration_minutes;
use crate::domain::email::EmailAddress;
use crate::domain::words;

/// The only door to the time resolver: does this phrase read as a moment (`Moment`) or as a
/// period (`Window`)? Recognition only; the typed request carries the phrase and the tool
/// resolves it later, exactly as it does for the model's phrases.
pub fn parses_as(phrase: &str, kind: TimeKind, now: Now) -> bool {
    use crate::domain::time::{parse_phrase, MomentRole};
    use crate::domain::time_window::resolve_window_with;
    match kind {
        TimeKind::Moment => parse_phrase(phrase, now.at, MomentRole::Generic, now.options).is_ok(),
        TimeKind::Window => resolve_window_with(phrase, now.at, now.options).is_ok(),
    }
}

/// The phrase names one whole day ("Friday", "next Monday", "Dec 4"), not a part of one or
/// several.
pub fn is_one_day(phrase: &str, now: Now) -> bool {
    use crate::domain::time_window::resolve_window_with;
    resolve_window_with(phrase, now.at, now.options).is_ok_and(|w| {
        let hours = (w.end - w.start).num_hours();
        (23..=25).contains(&hours)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    Moment,
    Window,
}

/// Words a time phrase may begin with besides weekday and month names ([`is_time_starter`];
/// the resolver decides whether the rest fits).
const TIME_STARTERS: &[&str] = &[
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
    "next",
    "this",
    "coming",
    "end",
    "eod",
    "eow",
    "eom",
    "cob",
    "in",
    "at",
    "@",
    "noon",
    "midnight",
    "midday",
    "morning",
    "afternoon",
    "evening",
    "the",
    "day",
    "early",
    "later",
    "first",
    "lunchtime",
    "week",
    "month",
    "now",
    "within",
];

/// Words a time phrase may not end with.
const DANGLING: &[&str] = &[
    "at", "on", "in", "by", "the", "of", "and", "to", "from", "for",
];

/// Words a time phrase never contains: the resolver skips some filler, so a span such as
/// "end of week about 3" must not reach it as one phrase.
const NOT_IN_TIME: &[&str] = &[
    "about",
    "around",
    "roughly",
    "approximately",
    "approx",
    "for",
    "priority",
    "and",
    "or",
    "with",
    "p1",
    "p2",
    "p3",
    "p4",
    "high",
    "low",
    "urgent",
    "asap",
    "it",
    "needs",
    "takes",
    "make",
    "mornings",
    "afternoons",
    "evenings",
    "preferably",
    "ideally",
    "prefer",
    "if",
    "possible",
    "until",
    "till",
    "before",
    "after",
    "between",
    "free",
    "busy",
    "available",
    "personal",
    "task",
    "meeting",
    "call",
    "please",
    "then",
    "also",
    "not",
    "sometime",
    "anytime",
    "whenever",
    "maybe",
    "perhaps",
    "ish",
    "earlier",
    "later",
];

/// Units allowed in a time phrase only after "in" / "within" ("in 2 hours").
const UNITS: &[&str] = &[
    "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "h",
];

/// A word a time phrase may begin with: a digit, a [`TIME_STARTERS`] word, a month name or a
/// singular weekday name other than "sat" / "sun" (English words too: "sat down", "the sun").
fn is_time_starter(word: &str) -> bool {
    let weekday = words::weekday_form(word).is_some_and(|(_, plural)| !plural);
    word.starts_with(|c: char| c.is_ascii_digit())
        || TIME_STARTERS.contains(&word)
        || words::month(word).is_some()
        || (weekday && !matches!(word, "sat" | "sun"))
}

/// Longest time phrase of `kind` starting at word `i` (at most 7 words): its end.
pub fn time_at(low: &[String], i: usize, kind: TimeKind, now: Now) -> Option<usize> {
    let first = low.get(i)?;
    if !is_time_starter(first) {
        return None;
    }
    let offset = matches!(first.as_str(), "in" | "within");
    let allowed =
        |w: &String| !NOT_IN_TIME.contains(&w.as_str()) && (offset || !UNITS.contains(&w.as_str()));
    let longest = (i..low.len().min(i + 7))
        .take_while(|&k| allowed(&low[k]))
        .count();
    (i + 1..=i + longest).rev().find(|&end| {
        !DANGLING.contains(&low[end - 1].as_str()) && parses_as(&low[i..end].join(" "), kind, now)
    })
}

/// A phrase with a digit or "noon" / "midnight" names a clock time.
pub fn names_clock_time(phrase: &str) -> bool {
    phrase.chars().any(|c| c.is_ascii_digit())
        || phrase.split(' ').any(|w| w == "noon" || w == "midnight")
}

/// Words that make a span a duration rather than a number or a clock time.
fn is_unit(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    ["min", "hour", "hr", "half", "quarter"]
        .iter()
        .any(|u| word.contains(u))
        || (w != word && matches!(w, "h" | "m" | "hrs" | "h30" | "h15" | "h45"))
}

/// Longest duration starting at word `i` ("2 hours", "an hour and a half", "90 min"): its end
/// and minutes. A bare number is not a duration here.
pub fn duration_at(low: &[String], i: usize) -> Option<(usize, u32)> {
    if matches!(low.get(i)?.as_str(), "in" | "at" | "for" | "about") {
        return None;
    }
    (i + 1..=low.len().min(i + 6)).rev().find_map(|end| {
        let span = &low[i..end];
        if !span.iter().any(|w| is_unit(w)) || DANGLING.contains(&span[end - i - 1].as_str()) {
            return None;
        }
        parse_duration_minutes(&span.join(" "))
            .ok()
            .map(|m| (end, m))
    })
}

/// Words that introduce a duration ("for 2 hours", "about 30 min", "it needs 3 hours").
pub const DURATION_LEADS: &[&[&str]] = &[
    &["for", "about"],
    &["for", "around"],
    &["for"],
    &["about"],
    &["around"],
    &["roughly"],
    &["approximately"],
    &["approx"],
    &["maybe"],
    &["takes"],
    &["takes", "about"],
    &["it", "takes"],
    &["it", "needs"],
    &["it", "will", "take"],
    &["it'll", "take"],
    &["will", "take"],
    &["should", "take"],
    &["needs"],
    &["lasting"],
];

/// A priority starting at word `i`: its end and P1..P4.
pub fn priority_at(low: &[String], i: usize) -> Option<(usize, &'static str)> {
    let level = |w: &str| -> Option<&'static str> {
        Some(match w {
            "p1" | "urgent" | "critical" | "highest" | "top" => "P1",
            "p2" | "high" => "P2",
            "p3" | "medium" | "normal" => "P3",
            "p4" | "low" | "lowest" => "P4",
            _ => return None,
        })
    };
    let w = low.get(i)?.as_str();
    let next = low.get(i + 1).map(String::as_str);
    if w == "priority" {
        let digit = next.and_then(|n| match n {
            "1" => Some("P1"),
            "2" => Some("P2"),
            "3" => Some("P3"),
            "4" => Some("P4"),
            _ => None,
        });
        return digit.or_else(|| next.and_then(level)).map(|p| (i + 2, p));
    }
    if next == Some("priority") {
        return level(w).map(|p| (i + 2, p));
    }
    match w {
        "p1" | "p2" | "p3" | "p4" => level(w).map(|p| (i + 1, p)),
        "urgent" | "asap" | "critical" => Some((i + 1, "P1")),
        _ => None,
    }
}

/// Words that introduce a priority ("make it P1", "set priority to high" is `priority` itself).
pub const PRIORITY_LEADS: &[&[&str]] = &[
    &["make", "it"],
    &["mark", "it"],
    &["mark", "it", "as"],
    &["set", "it", "to"],
    &["it's"],
    &["it", "is"],
    &["as"],
    &["with"],
];

/// An email address at word `i`.
pub fn email_at(raw: &[String], i: usize) -> Option<String> {
    let w = raw.get(i)?;
    (w.contains('@') && EmailAddress::parse(w).is_ok()).then(|| w.to_string())
}

/// Words that introduce invitees ("with a@b.com and c@d.com", "invite a@b.com").
pub const PEOPLE_LEADS: &[&[&str]] = &[
    &["with"],
    &["and"],
    &["&"],
    &["plus"],
    &["invite"],
    &["inviting"],
    &["including"],
    &["cc"],
];

/// The length of a lead phrase at `i` when a slot recognized by `slot` follows it.
pub fn lead_then<F: Fn(usize) -> bool>(
    low: &[String],
    i: usize,
    leads: &[&[&str]],
    slot: F,
) -> Option<usize> {
    leads
        .iter()
        .filter(|l| starts_with(&low[i..], l) && slot(i + l.len()))
        .map(|l| l.len())
        .max()
}

/// True when the words from `i` begin with one of the phrases.
pub fn at_phrase(low: &[String], i: usize, phrases: &[&[&str]]) -> Option<usize> {
    match_any(&low[i.min(low.len())..], phrases)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn w(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    fn now() -> Now {
        chrono_tz::America::New_York
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap()
            .into()
    }

    #[test]
    fn time_phrases_are_recognized_and_bounded() {
        let words = w("review budget by friday at 3pm for 2 hours");
        assert_eq!(time_at(&words, 3, TimeKind::Moment, now()), Some(6));
        assert_eq!(time_at(&words, 0, TimeKind::Moment, now()), None);
        let words = w("the q4 budget");
        assert_eq!(time_at(&words, 0, TimeKind::Moment, now()), None);
        let words = w("this week preferably");
        assert_eq!(time_at(&words, 0, TimeKind::Window, now()), Some(2));
    }

    /// The rules recognize a numeric date as the tool will read it: on 1 Dec 2026
    /// "by 2/12/2026" is a window up to 2 December for a day-month user, while for a
    /// month-first user 12 February 2026 is already past.
    #[test]
    fn numeric_dates_are_recognized_in_the_users_date_order() {
        use crate::domain::time::{DateOrder, PhraseOptions};
        let day_first = Now {
            options: PhraseOptions {
                date_order: DateOrder::DayFirst,
            },
            ..now()
        };
        assert!(parses_as("by 2/12/2026", TimeKind::Window, day_first));
        assert!(!parses_as("by 2/12/2026", TimeKind::Window, now()));
        assert!(is_one_day("3/4", day_first) && is_one_day("3/4", now()));
    }

    #[test]
    fn weekday_and_month_names_start_a_time_phrase_but_sat_and_sun_do_not() {
        for word in ["thurs", "tue", "fri", "sept", "may", "december"] {
            assert!(is_time_starter(word), "{word}");
        }
        for word in ["sat", "sun", "mondays", "thus", "budget"] {
            assert!(!is_time_starter(word), "{word}");
        }
    }

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(duration_at(&w("2 hours tomorrow"), 0), Some((2, 120)));
        assert_eq!(duration_at(&w("an hour and a half"), 0), Some((5, 90)));
        assert_eq!(duration_at(&w("45 people"), 0), None);
        assert_eq!(duration_at(&w("90m"), 0), Some((1, 90)));
    }

    #[test]
    fn priorities_and_emails() {
        assert_eq!(priority_at(&w("high priority"), 0), Some((2, "P2")));
        assert_eq!(priority_at(&w("priority 1"), 0), Some((2, "P1")));
        assert_eq!(priority_at(&w("asap"), 0), Some((1, "P1")));
        assert_eq!(priority_at(&w("high five"), 0), None);
        assert_eq!(
            email_at(&w("sarah@acme.com"), 0).as_deref(),
            Some("sarah@acme.com")
        );
        assert_eq!(email_at(&w("@sarah"), 0), None);
    }
}
