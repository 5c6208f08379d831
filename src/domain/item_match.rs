//! Finding the item a request refers to ("the presentation task", "the dentist appointment")
//! by its title, deterministically. Never guesses between several plausible items.

use super::similarity::ratio;

/// Words that describe the kind of item rather than name it.
const GENERIC_WORDS: &[&str] = &[
    "the", "a", "an", "my", "our", "that", "this", "those", "these", "all", "with", "in", "of",
    "for", "to", "on", "task", "tasks", "todo", "to-do", "item", "items", "event", "events",
    "title", "titled", "called", "named",
];

/// How well a title matches the hint, in 0..=1; `None` when it does not match.
pub fn match_score(hint: &str, title: &str) -> Option<f64> {
    let hint_tokens = significant_tokens(hint);
    let title_norm = normalize(title);
    let hint_norm = hint_tokens.join(" ");
    if hint_tokens.is_empty() || title_norm.is_empty() {
        return None;
    }
    if title_norm == hint_norm || title_norm == normalize(hint) {
        return Some(1.0);
    }
    let title_tokens: Vec<&str> = title_norm.split(' ').collect();
    let covered = hint_tokens
        .iter()
        .filter(|h| title_tokens.iter().any(|t| token_matches(h, t)))
        .count();
    if covered == hint_tokens.len() {
        // All words of the hint are in the title; shorter titles fit better.
        let extra = title_tokens.len().saturating_sub(hint_tokens.len()) as f64;
        return Some(0.9 - (extra * 0.02).min(0.2));
    }
    let r = ratio(&hint_norm, &title_norm);
    (r >= 0.75).then_some(r * 0.85)
}

/// The outcome of looking for a referenced item among candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchOutcome {
    None,
    One(usize),
    /// Several plausible items (indexes, best first).
    Many(Vec<usize>),
}

/// Picks the referenced item(s) among `titles`. With `all_matching`, every match is returned;
/// otherwise one exact title match wins, a single match wins, and several are `Many`.
pub fn select(hint: &str, titles: &[&str], all_matching: bool) -> MatchOutcome {
    let mut scored: Vec<(usize, f64)> = titles
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match_score(hint, t).map(|s| (i, s)))
        .collect();
    scored.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    if scored.is_empty() {
        return MatchOutcome::None;
    }
    if !all_matching {
        let exact: Vec<usize> = scored
            .iter()
            .filter(|(_, s)| *s >= 1.0)
            .map(|(i, _)| *i)
            .collect();
        if exact.len() == 1 {
            return MatchOutcome::One(exact[0]);
        }
    }
    if scored.len() == 1 {
        return MatchOutcome::One(scored[0].0);
    }
    MatchOutcome::Many(scored.into_iter().map(|(i, _)| i).collect())
}

/// True when the hint names nothing specific ("that meeting" has "meeting"; "it" has nothing).
pub fn is_generic(hint: &str) -> bool {
    significant_tokens(hint).is_empty()
}

fn normalize(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn significant_tokens(hint: &str) -> Vec<String> {
    normalize(hint)
        .split(' ')
        .filter(|t| !t.is_empty() && !GENERIC_WORDS.contains(t))
        .map(str::to_string)
        .collect()
}

fn token_matches(hint: &str, title: &str) -> bool {
    if hint == title {
        return true;
    }
    let stem = |s: &str| s.trim_end_matches('s').to_string();
    if stem(hint) == stem(title) {
        return true;
    }
    hint.len() >= 4 && title.len() >= 4 && (title.starts_with(hint) || hint.starts_with(title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_words_inside_the_title_match() {
        assert!(match_score("presentation", "Prepare client presentation").is_some());
        assert!(match_score("the presentation task", "Prepare client presentation").is_some());
        assert!(match_score("dentist", "Dentist appointment").is_some());
        assert!(match_score("budget reviews", "Q4 budget review").is_some());
        assert_eq!(match_score("Team Sync", "team sync"), Some(1.0));
        assert!(match_score("dentist", "Team standup").is_none());
        assert!(match_score("", "anything").is_none());
    }

    #[test]
    fn typos_match_by_similarity() {
        assert!(match_score("quartely report", "Quarterly report").is_some());
    }

    #[test]
    fn selection_never_guesses_between_several() {
        let titles = ["Bulk test task 1", "Bulk test task 2", "Dentist"];
        assert_eq!(
            select("bulk test", &titles, false),
            MatchOutcome::Many(vec![0, 1])
        );
        assert_eq!(
            select("bulk test", &titles, true),
            MatchOutcome::Many(vec![0, 1])
        );
        assert_eq!(select("dentist", &titles, false), MatchOutcome::One(2));
        assert_eq!(select("gym", &titles, false), MatchOutcome::None);
    }

    #[test]
    fn one_exact_title_wins_over_partial_matches() {
        let titles = ["Budget review", "Budget review prep"];
        assert_eq!(
            select("budget review", &titles, false),
            MatchOutcome::One(0)
        );
        assert_eq!(
            select("budget review", &titles, true),
            MatchOutcome::Many(vec![0, 1])
        );
    }

    #[test]
    fn generic_hints_are_detected() {
        assert!(is_generic("that task"));
        assert!(!is_generic("that meeting"));
    }
}
