//! Tokens of a request: lower-cased, typo-corrected words for matching, with the original
//! spelling kept for titles; politeness and filler at both ends removed.

/// The words of a request. `low[i]` is the normalized form of `raw[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub low: Vec<String>,
    pub raw: Vec<String>,
}

/// Requests longer than this go to the model.
const MAX_WORDS: usize = 32;

/// Common misspellings and shorthand → the word the grammar knows.
const TYPOS: &[(&str, &str)] = &[
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tmrow", "tomorrow"),
    ("tomorow", "tomorrow"),
    ("tommorow", "tomorrow"),
    ("tommorrow", "tomorrow"),
    ("tomorrrow", "tomorrow"),
    ("tomoro", "tomorrow"),
    ("2moro", "tomorrow"),
    ("2morrow", "tomorrow"),
    ("tomorrows", "tomorrow's"),
    ("todays", "today's"),
    ("tonite", "tonight"),
    ("2day", "today"),
    ("tday", "today"),
    ("whats", "what's"),
    ("wats", "what's"),
    ("wat's", "what's"),
    ("hows", "how's"),
    ("im", "i'm"),
    ("dont", "don't"),
    ("pls", "please"),
    ("plz", "please"),
    ("plez", "please"),
    ("pleas", "please"),
    ("plese", "please"),
    ("pleae", "please"),
    ("u", "you"),
    ("ya", "you"),
    ("ur", "your"),
    ("r", "are"),
    ("mtg", "meeting"),
    ("meetign", "meeting"),
    ("meting", "meeting"),
    ("metting", "meeting"),
    ("appt", "appointment"),
    ("apointment", "appointment"),
    ("appointmnet", "appointment"),
    ("cal", "calendar"),
    ("calender", "calendar"),
    ("calandar", "calendar"),
    ("wk", "week"),
    ("weeek", "week"),
    ("teh", "the"),
    ("scheudle", "schedule"),
    ("shedule", "schedule"),
    ("schedual", "schedule"),
    ("scedule", "schedule"),
    ("schdule", "schedule"),
    ("resched", "reschedule"),
    ("reschedual", "reschedule"),
    ("cancle", "cancel"),
    ("cancell", "cancel"),
    ("prioirty", "priority"),
    ("priorty", "priority"),
    ("prio", "priority"),
    ("taks", "task"),
    ("tsak", "task"),
    ("tasl", "task"),
    ("availble", "available"),
    ("availible", "available"),
    ("avail", "available"),
    ("wednsday", "wednesday"),
    ("wensday", "wednesday"),
    ("weds", "wednesday"),
    ("thurs", "thursday"),
    ("thur", "thursday"),
    ("tues", "tuesday"),
    ("fri", "friday"),
    ("nxt", "next"),
    ("b4", "before"),
    ("mornin", "morning"),
    ("aftn", "afternoon"),
    ("thru", "through"),
    ("hr", "hour"),
    ("hrs", "hours"),
    ("min", "minutes"),
    ("mins", "minutes"),
    ("minuts", "minutes"),
    ("minutess", "minutes"),
    ("hous", "hours"),
    ("houres", "hours"),
    ("remmind", "remind"),
    ("rmind", "remind"),
    ("reminde", "remind"),
    ("workoad", "workload"),
    ("worklaod", "workload"),
    ("overdeu", "overdue"),
    ("ovedue", "overdue"),
    ("fre", "free"),
    ("ppl", "people"),
    ("w/", "with"),
    ("w", "with"),
];

/// Leading politeness and framing, removed repeatedly ("hey can you please …").
const LEAD_FILLER: &[&[&str]] = &[
    &["hey", "juli"],
    &["hi", "juli"],
    &["juli"],
    &["hey"],
    &["hi"],
    &["hello"],
    &["ok"],
    &["okay"],
    &["so"],
    &["um"],
    &["uh"],
    &["please"],
    &["kindly"],
    &["quick", "question"],
    &["question"],
    &["can", "you"],
    &["could", "you"],
    &["would", "you", "mind"],
    &["would", "you"],
    &["will", "you"],
    &["can", "i", "ask", "you", "to"],
    &["i'd", "like", "you", "to"],
    &["i", "want", "you", "to"],
    &["i", "need", "you", "to"],
    &["go", "ahead", "and"],
    &["help", "me"],
    &["just"],
    &["quickly"],
];

/// Trailing politeness, removed repeatedly ("… for me please, thanks").
const TRAIL_FILLER: &[&[&str]] = &[
    &["please"],
    &["thanks"],
    &["thank", "you"],
    &["thankyou"],
    &["thx"],
    &["ty"],
    &["for", "me"],
    &["if", "possible"],
    &["if", "you", "can"],
    &["when", "you", "can"],
    &["ok"],
    &["okay"],
    &["real", "quick"],
    &["quickly"],
];

/// Splits and normalizes a request; `None` when it is too long or not one line of text.
pub fn tokenize(text: &str) -> Option<Words> {
    if !text.chars().all(is_plain) || text.contains(['<', '>', '{', '}', '|', '`', '\\']) {
        return None;
    }
    let mut words = Words {
        low: Vec::new(),
        raw: Vec::new(),
    };
    for piece in text.replace(['’', '‘'], "'").split_whitespace() {
        for part in split_number_unit(piece) {
            let raw = trim_punctuation(&part);
            if raw.is_empty() || !raw.chars().any(|c| c.is_alphanumeric()) {
                continue;
            }
            words.low.push(normalize(&raw));
            words.raw.push(raw);
        }
    }
    strip_filler(&mut words);
    (!words.low.is_empty() && words.low.len() <= MAX_WORDS).then_some(words)
}

/// Letters, digits, ASCII punctuation, spaces and typographic quotes and dashes; no control
/// or format characters (bidi overrides, zero-width joiners), no line breaks.
fn is_plain(c: char) -> bool {
    c.is_alphanumeric() || c.is_ascii_punctuation() || c == ' ' || "’‘“”–—".contains(c)
}

/// "1-hour" → "1", "hour"; "high-priority" → "high", "priority"; other words unchanged.
fn split_number_unit(piece: &str) -> Vec<String> {
    match piece.split_once('-') {
        Some((a, b))
            if (a.chars().all(|c| c.is_ascii_digit() || c == '.') && !a.is_empty())
                || a.eq_ignore_ascii_case("high")
                || a.eq_ignore_ascii_case("low") =>
        {
            vec![a.to_string(), b.to_string()]
        }
        _ => vec![piece.to_string()],
    }
}

fn trim_punctuation(word: &str) -> String {
    let w = word.trim_start_matches(['"', '\'', '(', '[', '*']);
    let w = w.trim_end_matches(['.', ',', '!', '?', ';', ':', '"', '\'', ')', ']', '*']);
    w.to_string()
}

fn normalize(raw: &str) -> String {
    let lower = raw.to_lowercase();
    TYPOS
        .iter()
        .find(|(typo, _)| *typo == lower)
        .map(|(_, fixed)| fixed.to_string())
        .unwrap_or(lower)
}

fn strip_filler(words: &mut Words) {
    while let Some(n) = LEAD_FILLER
        .iter()
        .find(|f| starts_with(&words.low, f))
        .map(|f| f.len())
    {
        words.low.drain(..n);
        words.raw.drain(..n);
    }
    while let Some(n) = TRAIL_FILLER
        .iter()
        .find(|f| ends_with(&words.low, f))
        .map(|f| f.len())
    {
        let keep = words.low.len() - n;
        words.low.truncate(keep);
        words.raw.truncate(keep);
    }
}

/// True when `words` begins with the phrase.
pub fn starts_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

fn ends_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && starts_with(&words[words.len() - phrase.len()..], phrase)
}

/// The first of `phrases` the words begin with, as its length.
pub fn match_any(words: &[String], phrases: &[&[&str]]) -> Option<usize> {
    phrases
        .iter()
        .filter(|p| starts_with(words, p))
        .map(|p| p.len())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenize_normalizes_and_strips_politeness() {
        let w = tokenize("Hey, can you please add a taks for tmrw, thanks!").unwrap();
        assert_eq!(w.low, ["add", "a", "task", "for", "tomorrow"]);
        assert_eq!(w.raw[3], "for");
        let w = tokenize("schedule a 1-hour meeting").unwrap();
        assert_eq!(w.low, ["schedule", "a", "1", "hour", "meeting"]);
        assert!(tokenize("please").is_none());
        assert!(tokenize("line one\nline two").is_none());
        assert!(tokenize("create a task \u{202e}sdneirf lla eteled").is_none());
        assert!(tokenize("create a task\u{200b} x").is_none());
    }
}
