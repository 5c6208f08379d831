//! Durations in minutes ("2 hours", "90 min", "1.5h", "half an hour", "1h30", "45") and
//! Reclaim's 15-minute time chunks (PRODUCT §4).

use std::fmt;

/// Shortest accepted duration.
pub const MIN_DURATION_MINUTES: u32 = 1;
/// Longest accepted duration: 7 days.
pub const MAX_DURATION_MINUTES: u32 = 7 * 24 * 60;
/// Longest accepted input text.
pub const MAX_DURATION_TEXT: usize = 100;

/// Reclaim counts time in chunks of this many minutes.
pub const CHUNK_MINUTES: u32 = 15;
/// Task duration when none is given.
pub const DEFAULT_TASK_MINUTES: u32 = 60;
/// Default `minChunkSize` (30 min).
pub const DEFAULT_MIN_CHUNK_SIZE: u32 = 2;
/// Default `maxChunkSize` (2 h).
pub const DEFAULT_MAX_CHUNK_SIZE: u32 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    TooLongText { max: usize },
    Unrecognized { text: String },
    NotPositive { text: String },
    TooShort { text: String },
    TooLong { text: String, max_minutes: u32 },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => write!(f, "the duration is empty"),
            DurationError::TooLongText { max } => {
                write!(f, "the duration text is longer than {max} characters")
            }
            DurationError::Unrecognized { text } => {
                write!(
                    f,
                    "'{text}' is not a duration I understand (try '90 minutes' or '2 hours')"
                )
            }
            DurationError::NotPositive { text } => {
                write!(f, "the duration '{text}' must be positive")
            }
            DurationError::TooShort { text } => {
                write!(f, "the duration '{text}' is shorter than one minute")
            }
            DurationError::TooLong { text, max_minutes } => write!(
                f,
                "the duration '{text}' is longer than the maximum of {} days",
                max_minutes / (24 * 60)
            ),
        }
    }
}

impl std::error::Error for DurationError {}

/// Parses a duration into whole minutes (rounded to the nearest minute), 1 minute ..= 7 days.
///
/// Accepted: a bare number = minutes ("45"); number + unit ("2 hours", "90 min", "1.5h",
/// "2h", "3 days", "1 week"); several parts ("1h30", "1h 30m", "1 hour 30 minutes",
/// "2 hours and 15 minutes"); "h:mm" ("1:30"); words ("an hour", "half an hour",
/// "a quarter of an hour", "an hour and a half", "one and a half hours", "a couple of
/// hours", "two hours"). Case-insensitive; "about"/"around"/"for"/"roughly" are ignored.
pub fn parse_duration_minutes(text: &str) -> Result<u32, DurationError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DurationError::Empty);
    }
    if trimmed.chars().count() > MAX_DURATION_TEXT {
        return Err(DurationError::TooLongText {
            max: MAX_DURATION_TEXT,
        });
    }
    let unrecognized = || DurationError::Unrecognized {
        text: trimmed.to_string(),
    };
    let lower = trimmed.to_lowercase();
    if lower.starts_with('-') || lower.contains(" -") || lower.starts_with("minus") {
        return Err(DurationError::NotPositive {
            text: trimmed.to_string(),
        });
    }
    let minutes = parse_minutes(&lower).ok_or_else(unrecognized)?;
    check_bounds(trimmed, minutes)
}

fn check_bounds(text: &str, minutes: f64) -> Result<u32, DurationError> {
    if !minutes.is_finite() {
        return Err(DurationError::Unrecognized {
            text: text.to_string(),
        });
    }
    if minutes <= 0.0 {
        return Err(DurationError::NotPositive {
            text: text.to_string(),
        });
    }
    let rounded = minutes.round();
    if rounded < f64::from(MIN_DURATION_MINUTES) {
        return Err(DurationError::TooShort {
            text: text.to_string(),
        });
    }
    if rounded > f64::from(MAX_DURATION_MINUTES) {
        return Err(DurationError::TooLong {
            text: text.to_string(),
            max_minutes: MAX_DURATION_MINUTES,
        });
    }
    Ok(rounded as u32)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Unit(f64),
    Half,
    Quarter,
    And,
}

fn parse_minutes(lower: &str) -> Option<f64> {
    // "1:30" = 1 h 30 min.
    if let Some((h, m)) = lower.split_once(':') {
        let (h, m) = (h.trim(), m.trim());
        if is_digits(h) && m.len() == 2 && is_digits(m) {
            let m: f64 = m.parse().ok()?;
            if m >= 60.0 {
                return None;
            }
            return Some(h.parse::<f64>().ok()? * 60.0 + m);
        }
    }
    let toks = tokenize(&lower.replace("a couple", "couple"))?;
    if toks.is_empty() {
        return None;
    }
    if let [Tok::Num(n)] = toks.as_slice() {
        return Some(*n);
    }
    evaluate(&toks)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| c.is_ascii_digit())
}

/// Splits "1h30m", "1.5h", "90min" into number and unit tokens.
fn tokenize(lower: &str) -> Option<Vec<Tok>> {
    let mut toks = Vec::new();
    for raw in lower
        .replace(',', " ")
        .split_whitespace()
        .filter(|w| !w.is_empty())
    {
        let mut rest = raw;
        while !rest.is_empty() {
            let num_len = rest
                .char_indices()
                .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
                .map(|(i, c)| i + c.len_utf8())
                .last()
                .unwrap_or(0);
            if num_len > 0 {
                let digits = &rest[..num_len];
                if digits.len() > 9 {
                    return None;
                }
                toks.push(Tok::Num(digits.parse().ok()?));
                rest = &rest[num_len..];
                continue;
            }
            let word_len = rest
                .char_indices()
                .take_while(|(_, c)| c.is_alphabetic() || *c == '-')
                .map(|(i, c)| i + c.len_utf8())
                .last()
                .unwrap_or(0);
            if word_len == 0 {
                return None;
            }
            let word = &rest[..word_len];
            rest = &rest[word_len..];
            match word_token(word) {
                Some(Some(tok)) => toks.push(tok),
                Some(None) => {}
                None => return None,
            }
        }
    }
    Some(toks)
}

/// `Some(Some(tok))` = a token, `Some(None)` = filler, `None` = unknown word.
fn word_token(word: &str) -> Option<Option<Tok>> {
    let unit = |m: f64| Some(Some(Tok::Unit(m)));
    match word {
        "m" | "min" | "mins" | "minute" | "minutes" | "mn" => unit(1.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => unit(60.0),
        "d" | "day" | "days" => unit(24.0 * 60.0),
        "w" | "wk" | "wks" | "week" | "weeks" => unit(7.0 * 24.0 * 60.0),
        "half" => Some(Some(Tok::Half)),
        "quarter" => Some(Some(Tok::Quarter)),
        "and" => Some(Some(Tok::And)),
        "of" | "about" | "around" | "roughly" | "approximately" | "approx" | "for" | "just"
        | "only" | "another" | "more" | "extra" | "additional" => Some(None),
        _ => crate::domain::words::count(word).map(|n| Some(Tok::Num(n.into()))),
    }
}

/// Evaluates the token list as a sum of `number unit` parts (units strictly decreasing),
/// with "half"/"quarter" fractions, "and a half" extensions and a trailing bare number
/// meaning minutes after an hour part ("1h30").
fn evaluate(toks: &[Tok]) -> Option<f64> {
    let fraction_of = |t: Option<&Tok>| match t {
        Some(Tok::Half) => Some(0.5),
        Some(Tok::Quarter) => Some(0.25),
        _ => None,
    };
    let mut total = 0.0;
    let mut pending: Option<f64> = None;
    let mut last_unit: Option<f64> = None;
    let mut i = 0;
    while i < toks.len() {
        match toks[i] {
            Tok::And => {
                // "and a half" / "and half" / "and a quarter"
                let (fraction, consumed) = match toks.get(i + 1) {
                    Some(Tok::Num(n)) if *n == 1.0 => match fraction_of(toks.get(i + 2)) {
                        Some(f) => (Some(f), 3),
                        None => (None, 1),
                    },
                    other => match fraction_of(other) {
                        Some(f) => (Some(f), 2),
                        None => (None, 1),
                    },
                };
                if let Some(f) = fraction {
                    match (pending, last_unit) {
                        (Some(n), _) => pending = Some(n + f),
                        (None, Some(u)) => total += f * u,
                        (None, None) => return None,
                    }
                }
                i += consumed;
            }
            Tok::Num(n) => {
                if pending.is_some() {
                    return None;
                }
                // "a half" / "a quarter" (of an hour)
                if n == 1.0 {
                    if let Some(f) = fraction_of(toks.get(i + 1)) {
                        pending = Some(f);
                        i += 2;
                        if toks.get(i) == Some(&Tok::Num(1.0)) {
                            i += 1;
                        }
                        continue;
                    }
                }
                pending = Some(n);
                i += 1;
            }
            Tok::Half | Tok::Quarter => {
                if pending.is_some() {
                    return None;
                }
                pending = fraction_of(toks.get(i));
                i += 1;
                // "half an hour": the "an" belongs to the fraction.
                if toks.get(i) == Some(&Tok::Num(1.0)) {
                    i += 1;
                }
            }
            Tok::Unit(u) => {
                if last_unit.is_some_and(|previous| u >= previous) {
                    return None;
                }
                let n = match pending.take() {
                    Some(n) => n,
                    None if last_unit.is_none() => 1.0,
                    None => return None,
                };
                total += n * u;
                last_unit = Some(u);
                i += 1;
            }
        }
    }
    if let Some(n) = pending {
        // "1h30" / "2 hours 15": a trailing number after hours means minutes.
        match last_unit {
            Some(u) if u == 60.0 && n < 60.0 => total += n,
            _ => return None,
        }
    }
    last_unit.map(|_| total)
}

/// Reclaim time chunks for a duration: `ceil(minutes / 15)`.
pub fn task_time_chunks(minutes: u32) -> u32 {
    minutes.div_ceil(CHUNK_MINUTES)
}

/// A task's chunk settings as Reclaim wants them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkPlan {
    pub time_chunks_required: u32,
    pub min_chunk_size: u32,
    pub max_chunk_size: u32,
}

/// Chunk settings for a task of `total_minutes` (defaults 60 min), with optional minimum
/// and maximum block lengths in minutes (defaults 30 min / 2 h).
///
/// Rules: everything is in 15-minute chunks rounded up; the minimum block never exceeds
/// the whole task (a 15-minute task gets `min_chunk_size` 1); the maximum is never below
/// the minimum.
pub fn chunk_plan(
    total_minutes: Option<u32>,
    min_chunk_minutes: Option<u32>,
    max_chunk_minutes: Option<u32>,
) -> ChunkPlan {
    let total = task_time_chunks(total_minutes.unwrap_or(DEFAULT_TASK_MINUTES)).max(1);
    let min = min_chunk_minutes
        .map(task_time_chunks)
        .unwrap_or(DEFAULT_MIN_CHUNK_SIZE)
        .clamp(1, total);
    let max = max_chunk_minutes
        .map(task_time_chunks)
        .unwrap_or(DEFAULT_MAX_CHUNK_SIZE)
        .max(min);
    ChunkPlan {
        time_chunks_required: total,
        min_chunk_size: min,
        max_chunk_size: max,
    }
}

/// Minutes represented by a number of chunks.
pub fn chunks_to_minutes(chunks: u32) -> u32 {
    chunks.saturating_mul(CHUNK_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_common_durations() {
        let cases: &[(&str, u32)] = &[
            ("45", 45),
            ("2 hours", 120),
            ("2 Hours", 120),
            ("90 min", 90),
            ("90min", 90),
            ("90 minutes", 90),
            ("1.5h", 90),
            ("1.5 hours", 90),
            ("2h", 120),
            ("an hour", 60),
            ("a hour", 60),
            ("one hour", 60),
            // Spelled numbers come from `domain::words`: these five were not accepted before.
            ("eleven minutes", 11),
            ("forty minutes", 40),
            ("twenty-five minutes", 25),
            ("fifty mins", 50),
            ("eighteen hours", 18 * 60),
            ("half an hour", 30),
            ("half hour", 30),
            ("a quarter of an hour", 15),
            ("quarter hour", 15),
            ("an hour and a half", 90),
            ("one and a half hours", 90),
            ("2 and a half hours", 150),
            ("1h30", 90),
            ("1h30m", 90),
            ("1h 30m", 90),
            ("1 hour 30 minutes", 90),
            ("2 hours and 15 minutes", 135),
            ("2 hours, 15 minutes", 135),
            ("1:30", 90),
            ("0:45", 45),
            ("3 days", 3 * 1440),
            ("1 week", 10080),
            ("a couple of hours", 120),
            ("two hours", 120),
            ("about 20 mins", 20),
            ("for 30 minutes", 30),
            ("another 30 minutes", 30),
            ("15m", 15),
            ("1 min", 1),
            ("0.5h", 30),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration_minutes(text), Ok(*want), "{text:?}");
        }
    }

    #[test]
    fn rejects_bad_durations() {
        let bad = [
            "",
            "   ",
            "-5",
            "-2 hours",
            "minus 3 minutes",
            "0",
            "0 minutes",
            "0.2 min",
            "8 days",
            "99999999999",
            "1000000 hours",
            "soon",
            "hours hours",
            "2 bananas",
            "1:75",
            "1h30h",
            "5 5",
        ];
        for text in bad {
            assert!(
                parse_duration_minutes(text).is_err(),
                "{text:?} should fail"
            );
        }
        assert_eq!(
            parse_duration_minutes(&"1".repeat(500)),
            Err(DurationError::TooLongText {
                max: MAX_DURATION_TEXT
            })
        );
        assert!(matches!(
            parse_duration_minutes("0"),
            Err(DurationError::NotPositive { .. })
        ));
        assert!(matches!(
            parse_duration_minutes("8 days"),
            Err(DurationError::TooLong { .. })
        ));
        let msg = parse_duration_minutes("2 bananas").unwrap_err().to_string();
        assert!(msg.contains("2 bananas"), "{msg}");
    }

    #[test]
    fn bounds_are_inclusive() {
        assert_eq!(parse_duration_minutes("1"), Ok(1));
        assert_eq!(parse_duration_minutes("10080"), Ok(10080));
        assert_eq!(parse_duration_minutes("7 days"), Ok(10080));
        assert!(parse_duration_minutes("10081").is_err());
    }

    #[test]
    fn chunks() {
        assert_eq!(task_time_chunks(60), 4);
        assert_eq!(task_time_chunks(61), 5);
        assert_eq!(task_time_chunks(15), 1);
        assert_eq!(task_time_chunks(1), 1);
        assert_eq!(task_time_chunks(0), 0);
        assert_eq!(task_time_chunks(90), 6);
        assert_eq!(chunks_to_minutes(4), 60);
    }

    #[test]
    fn chunk_plans() {
        let default = chunk_plan(None, None, None);
        assert_eq!(
            default,
            ChunkPlan {
                time_chunks_required: 4,
                min_chunk_size: 2,
                max_chunk_size: 8
            }
        );
        let tiny = chunk_plan(Some(15), None, None);
        assert_eq!((tiny.time_chunks_required, tiny.min_chunk_size), (1, 1));
        let long = chunk_plan(Some(180), Some(60), Some(90));
        assert_eq!(
            (
                long.time_chunks_required,
                long.min_chunk_size,
                long.max_chunk_size
            ),
            (12, 4, 6)
        );
        let inverted = chunk_plan(Some(240), Some(120), Some(30));
        assert_eq!((inverted.min_chunk_size, inverted.max_chunk_size), (8, 8));
        let zero = chunk_plan(Some(0), None, None);
        assert_eq!((zero.time_chunks_required, zero.min_chunk_size), (1, 1));
    }

    proptest! {
        #[test]
        fn never_panics_and_respects_bounds(s in "\\PC{0,120}") {
            if let Ok(m) = parse_duration_minutes(&s) {
                prop_assert!((MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&m));
            }
        }

        #[test]
        fn minutes_round_trip(m in 1u32..=10080) {
            prop_assert_eq!(parse_duration_minutes(&format!("{m} minutes")), Ok(m));
            prop_assert_eq!(parse_duration_minutes(&m.to_string()), Ok(m));
        }

        #[test]
        fn chunk_plan_is_consistent(total in 0u32..20000, min in proptest::option::of(0u32..600), max in proptest::option::of(0u32..600)) {
            let p = chunk_plan(Some(total), min, max);
            prop_assert!(p.time_chunks_required >= 1);
            prop_assert!(p.min_chunk_size >= 1);
            prop_assert!(p.min_chunk_size <= p.time_chunks_required);
            prop_assert!(p.max_chunk_size >= p.min_chunk_size);
        }
    }
}
