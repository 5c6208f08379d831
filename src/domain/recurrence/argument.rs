//! The structured `recurrence` argument: `RRULE` text (optionally followed by `EXDATE`
//! lines) or words, resolved once the first start is known.

use chrono::DateTime;
use chrono_tz::Tz;

use super::{parse_words, Recurrence, RecurrenceError, Rule, WordsMatch};

/// What the caller gave as `recurrence`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecurrenceInput {
    /// `RRULE:FREQ=…` (or a bare `FREQ=…`), with any `EXDATE` lines, taken as is.
    Lines(Recurrence),
    /// Words ("every Tuesday until the end of March").
    Words(WordsMatch),
}

impl RecurrenceInput {
    /// Reads `text`: lines when it contains `FREQ=`, else words. Lines are separated by
    /// white space or line breaks.
    pub fn read(text: &str) -> Result<RecurrenceInput, RecurrenceError> {
        if !text.to_ascii_uppercase().contains("FREQ=") {
            return parse_words(text).map(RecurrenceInput::Words);
        }
        let lines: Vec<String> = text
            .split_whitespace()
            .map(|line| {
                if line.to_ascii_uppercase().starts_with("FREQ=") {
                    format!("RRULE:{line}")
                } else {
                    line.to_string()
                }
            })
            .collect();
        Recurrence::parse(&lines).map(RecurrenceInput::Lines)
    }

    /// The rule's frequency and day parts (what decides the first date).
    pub fn rule(&self) -> &Rule {
        match self {
            RecurrenceInput::Lines(recurrence) => &recurrence.rule,
            RecurrenceInput::Words(words) => &words.rule,
        }
    }

    /// The full recurrence for a series whose first occurrence starts at `first`.
    pub fn resolve(
        &self,
        first: DateTime<Tz>,
        all_day: bool,
    ) -> Result<Recurrence, RecurrenceError> {
        match self {
            RecurrenceInput::Lines(recurrence) => Ok(recurrence.clone()),
            RecurrenceInput::Words(words) => words.resolve(first, all_day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn reads_rrule_text_and_words() {
        let lines = RecurrenceInput::read("FREQ=WEEKLY;BYDAY=TU EXDATE:20261222T150000Z").unwrap();
        let first = Tz::UTC.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
        assert_eq!(
            lines.resolve(first, false).unwrap().to_lines(),
            vec!["RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE:20261222T150000Z"]
        );
        let words = RecurrenceInput::read("every Tuesday").unwrap();
        assert_eq!(words.rule().to_line(), "RRULE:FREQ=WEEKLY;BYDAY=TU");
        assert!(RecurrenceInput::read("RRULE:FREQ=SOMETIMES").is_err());
        assert!(RecurrenceInput::read("now and then").is_err());
    }
}
