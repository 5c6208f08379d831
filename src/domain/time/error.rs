//! Why a phrase could not be resolved.

use std::fmt;

/// Why a phrase could not be resolved. Messages name the phrase and never panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    TooLong { max_chars: usize },
    Unrecognized { phrase: String, word: String },
    InvalidDate { phrase: String, detail: String },
    Conflict { phrase: String, detail: String },
    OutOfRange { phrase: String },
    EmptyRange { phrase: String },
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Empty => write!(f, "no date or time was given"),
            TimeError::TooLong { max_chars } => {
                write!(
                    f,
                    "the date/time phrase is longer than {max_chars} characters"
                )
            }
            TimeError::Unrecognized { phrase, word } if word == phrase || word.is_empty() => {
                write!(f, "could not understand the date/time '{phrase}'")
            }
            TimeError::Unrecognized { phrase, word } => write!(
                f,
                "could not understand the date/time '{phrase}' (unknown part '{word}')"
            ),
            TimeError::InvalidDate { phrase, detail } => {
                write!(f, "'{phrase}' is not a valid date/time: {detail}")
            }
            TimeError::Conflict { phrase, detail } => {
                write!(f, "'{phrase}' is contradictory: {detail}")
            }
            TimeError::OutOfRange { phrase } => {
                write!(f, "'{phrase}' is too far from today")
            }
            TimeError::EmptyRange { phrase } => {
                write!(f, "the range '{phrase}' ends before it starts")
            }
        }
    }
}

impl std::error::Error for TimeError {}
