//! Deterministic keyword matching for searches ("find all items about budget").
//!
//! Text is lower-cased and split into alphanumeric tokens; stop-words ("all", "items",
//! "about", "the", "my", …) are dropped and a light stemmer folds plurals ("budgets" →
//! "budget", "meetings" → "meeting", "priorities" → "priority"). A query token matches an
//! item token when their stems are equal, or when the query stem has at least 4 characters
//! and the item token starts with it ("budget" matches "budgeting").
//!
//! A [`KeywordQuery`] is a list of alternatives (phrases); an item matches when **any**
//! alternative matches, and an alternative matches when **all** its tokens occur somewhere in
//! the item's texts (title, notes, description, location).

/// Words that never restrict a search.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "around",
    "at",
    "be",
    "by",
    "calendar",
    "can",
    "concerning",
    "do",
    "does",
    "event",
    "events",
    "every",
    "everything",
    "find",
    "for",
    "from",
    "get",
    "have",
    "i",
    "in",
    "is",
    "it",
    "item",
    "items",
    "list",
    "me",
    "mention",
    "mentioning",
    "mentions",
    "my",
    "of",
    "on",
    "or",
    "please",
    "regarding",
    "related",
    "relating",
    "search",
    "show",
    "something",
    "stuff",
    "task",
    "tasks",
    "that",
    "the",
    "thing",
    "things",
    "to",
    "what",
    "whats",
    "which",
    "with",
    "called",
    "named",
    "titled",
];

/// Lower-cased alphanumeric tokens of `text`, stop-words included, in order.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Folds simple English plural/possessive endings.
pub fn stem(token: &str) -> String {
    let t = token.trim_end_matches("'s");
    let n = t.chars().count();
    if n > 4 && t.ends_with("ies") {
        return format!("{}y", &t[..t.len() - 3]);
    }
    if n > 4 && (t.ends_with("ches") || t.ends_with("shes") || t.ends_with("sses")) {
        return t[..t.len() - 2].to_string();
    }
    if n > 3 && t.ends_with('s') && !t.ends_with("ss") && !t.ends_with("us") {
        return t[..t.len() - 1].to_string();
    }
    t.to_string()
}

/// The meaningful stems of `text` (stop-words removed).
pub fn keyword_stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in tokens(text) {
        if STOP_WORDS.contains(&token.as_str()) {
            continue;
        }
        let s = stem(&token);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Alternatives of required stems; empty = no keyword restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeywordQuery {
    alternatives: Vec<Vec<String>>,
}

impl KeywordQuery {
    /// One alternative per given phrase; phrases made only of stop-words are dropped.
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> KeywordQuery {
        let mut alternatives: Vec<Vec<String>> = Vec::new();
        for p in phrases {
            let stems = keyword_stems(p.as_ref());
            if !stems.is_empty() && !alternatives.contains(&stems) {
                alternatives.push(stems);
            }
        }
        KeywordQuery { alternatives }
    }

    pub fn is_empty(&self) -> bool {
        self.alternatives.is_empty()
    }

    /// The stems searched for, alternatives joined by " or ".
    pub fn describe(&self) -> String {
        self.alternatives
            .iter()
            .map(|a| a.join(" "))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// Whether the item whose texts are `fields` matches (always true for an empty query).
    pub fn matches(&self, fields: &[&str]) -> bool {
        if self.is_empty() {
            return true;
        }
        let item: Vec<String> = fields
            .iter()
            .flat_map(|f| tokens(f))
            .map(|t| stem(&t))
            .collect();
        self.alternatives
            .iter()
            .any(|alt| alt.iter().all(|q| item.iter().any(|t| token_matches(q, t))))
    }
}

fn token_matches(query: &str, item: &str) -> bool {
    query == item || (query.chars().count() >= 4 && item.starts_with(query))
}

/// Case-insensitive containment of a person reference (name or email) in a list of
/// participant names/emails: an email must equal one; a name matches when each of its
/// tokens starts a token of a name or of an email's local part ("sarah" matches
/// "Sarah Lee" and "sarah.lee@acme.com").
pub fn person_matches(reference: &str, people: &[(&str, Option<&str>)]) -> bool {
    let r = reference.trim().to_lowercase();
    if r.is_empty() {
        return true;
    }
    if r.contains('@') {
        return people
            .iter()
            .any(|(email, _)| email.trim().to_lowercase() == r);
    }
    let wanted = tokens(&r);
    people.iter().any(|(email, name)| {
        let local = email.split('@').next().unwrap_or_default();
        let mut have = tokens(local);
        if let Some(n) = name {
            have.extend(tokens(n));
        }
        !wanted.is_empty() && wanted.iter().all(|w| have.iter().any(|h| h.starts_with(w)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_ignored_and_case_does_not_matter() {
        let q = KeywordQuery::new(&["all items about budget"]);
        assert_eq!(q.describe(), "budget");
        assert!(q.matches(&["Budget review meeting"]));
        assert!(q.matches(&["Q4 BUDGETING session"]));
        assert!(!q.matches(&["Team standup", "discuss the roadmap"]));
    }

    #[test]
    fn plurals_fold_to_one_stem() {
        assert_eq!(stem("budgets"), "budget");
        assert_eq!(stem("priorities"), "priority");
        assert_eq!(stem("matches"), "match");
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("status"), "status");
        assert!(KeywordQuery::new(&["invoices"]).matches(&["Send invoice to ACME"]));
    }

    #[test]
    fn all_tokens_of_an_alternative_are_required_any_alternative_suffices() {
        let q = KeywordQuery::new(&["q4 budget"]);
        assert!(q.matches(&["Budget", "notes mention Q4"]));
        assert!(!q.matches(&["Budget review"]));
        let either = KeywordQuery::new(&["dentist", "doctor"]);
        assert!(either.matches(&["Doctor appointment"]));
        assert!(either.matches(&["Dentist"]));
        assert!(!either.matches(&["Gym"]));
    }

    #[test]
    fn short_query_tokens_need_an_exact_token() {
        let q = KeywordQuery::new(&["hr"]);
        assert!(q.matches(&["HR sync"]));
        assert!(!q.matches(&["Three hours"]));
    }

    #[test]
    fn an_all_stop_word_query_restricts_nothing() {
        let q = KeywordQuery::new(&["all my items", ""]);
        assert!(q.is_empty());
        assert!(q.matches(&["anything"]));
    }

    #[test]
    fn people_match_by_email_or_name_tokens() {
        let people = [
            ("sarah.lee@acme.com", Some("Sarah Lee")),
            ("bob@x.org", None),
        ];
        assert!(person_matches("Sarah", &people));
        assert!(person_matches("SARAH.LEE@acme.com", &people));
        assert!(person_matches("bob", &people));
        assert!(!person_matches("alice", &people));
        assert!(!person_matches("sarah@acme.com", &people));
    }
}
