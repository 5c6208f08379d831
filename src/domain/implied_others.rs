//! Whether an event's wording implies other people even when nobody is named: "Team
//! standup", "1:1 with Sam", "Interview", "sync with the team". Such an event is created only
//! after approval (PRODUCT §4), so the check does not rely on the language model alone.
//!
//! Decisions: matching is on lower-cased words; group words (standup, 1:1, interview,
//! all-hands, retro, kickoff, offsite, workshop, team meeting…) imply others on their own;
//! a social verb followed by "with" ("meeting with", "sync with", "lunch with", "call with")
//! implies others whatever follows. A solo phrase ("focus time", "dentist", "deep work with
//! music") does not.

/// Words that on their own mean a group event.
const GROUP_WORDS: [&str; 17] = [
    "standup",
    "stand-up",
    "1:1",
    "1-1",
    "1on1",
    "one-on-one",
    "interview",
    "interviews",
    "all-hands",
    "retro",
    "retrospective",
    "kickoff",
    "kick-off",
    "offsite",
    "workshop",
    "townhall",
    "webinar",
];

/// Multi-word phrases that mean a group event.
const GROUP_PHRASES: [&str; 8] = [
    "stand up meeting",
    "one on one",
    "all hands",
    "town hall",
    "team meeting",
    "team sync",
    "with the team",
    "with my team",
];

/// Verbs (or nouns) that, followed by "with", mean meeting someone.
const WITH_VERBS: [&str; 16] = [
    "meeting",
    "meet",
    "sync",
    "call",
    "chat",
    "lunch",
    "dinner",
    "breakfast",
    "coffee",
    "drinks",
    "catch-up",
    "catchup",
    "up",
    "review",
    "session",
    "interview",
];

/// True when `text` (a title or a request) implies other people.
pub fn implies_others(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | '(' | ')' | '"'))
        // A trailing colon ends a word ("Interview: backend"); "1:1" keeps its inner one.
        .map(|w| w.trim_end_matches([':', ';']))
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| GROUP_WORDS.contains(w)) {
        return true;
    }
    let joined = words.join(" ");
    if GROUP_PHRASES.iter().any(|p| contains_phrase(&joined, p)) {
        return true;
    }
    words
        .windows(2)
        .any(|pair| pair[1] == "with" && WITH_VERBS.contains(&pair[0]))
}

/// `phrase` occurs in `text` on word boundaries.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let padded = format!(" {text} ");
    padded.contains(&format!(" {phrase} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_events_are_detected() {
        for t in [
            "Team standup",
            "Daily stand-up",
            "1:1 with Sam",
            "Interview",
            "Interview: backend candidate",
            "sync with the team",
            "Lunch with Ana",
            "catch up with Priya",
            "All hands",
            "Q1 kickoff",
            "set up a team meeting tomorrow at 10",
            "one on one with my manager",
        ] {
            assert!(implies_others(t), "{t}");
        }
    }

    #[test]
    fn solo_events_are_not() {
        for t in [
            "Dentist",
            "Focus time",
            "Deep work",
            "Write proposal",
            "Quick sync",
            "Gym",
            "Review the Q4 budget",
            "Deep work with music",
        ] {
            assert!(!implies_others(t), "{t}");
        }
    }
}
