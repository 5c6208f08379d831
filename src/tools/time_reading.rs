//! Reading a time phrase for a tool: Rust's reading wins; when Rust cannot read the phrase,
//! the model's own ISO-8601 reading of it (the `*_iso` fields of the model schemas) is used
//! when it is a valid ISO value within bounds, and the request log line records that
//! (`telemetry::note_model_time_reading`). Only when neither exists is the user asked.

use chrono::{Duration, NaiveDate};

use super::ToolCall;
use crate::domain::time::{
    interpret_with, Interpretation, KeepFrom, MomentRole, PhraseOptions, TimeError,
};
use crate::telemetry;

/// A model reading may be at most this far from now.
const MODEL_READING_MAX_DAYS: i64 = 3660;

/// Reads `phrase` for `role`; `field` names the argument in the log line.
pub(crate) fn read_phrase(
    call: &ToolCall,
    phrase: &str,
    model_iso: Option<&str>,
    role: MomentRole,
    field: &'static str,
) -> Result<Interpretation, TimeError> {
    let options = PhraseOptions {
        date_order: call.user.date_order,
    };
    let read = |text: &str| interpret_with(text, call.user.now, role, KeepFrom::Nothing, options);
    let error = match read(phrase) {
        Ok(reading) => return Ok(reading),
        Err(e) => e,
    };
    let Some(iso) = model_iso.map(str::trim).filter(|iso| looks_iso(iso)) else {
        return Err(error);
    };
    match read(iso) {
        Ok(reading) if in_bounds(&reading, call) => {
            telemetry::note_model_time_reading(field);
            Ok(reading)
        }
        _ => Err(error),
    }
}

/// "2026-12-02", "2026-12-02T14:00", "2026-12-02T14:00:00-05:00": digits first, a real date.
fn looks_iso(text: &str) -> bool {
    text.len() >= 10
        && text.is_ascii()
        && NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").is_ok()
        && (text.len() == 10 || matches!(text.as_bytes()[10], b'T' | b't' | b' '))
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-:.+TtZz ".contains(&b))
}

fn in_bounds(reading: &Interpretation, call: &ToolCall) -> bool {
    let distance = reading.moment.instant.signed_duration_since(call.user.now);
    distance.abs() <= Duration::days(MODEL_READING_MAX_DAYS)
}

#[cfg(test)]
mod tests {
    use super::looks_iso;

    #[test]
    fn only_iso_values_count_as_model_readings() {
        assert!(looks_iso("2026-12-02"));
        assert!(looks_iso("2026-12-02T14:00"));
        assert!(looks_iso("2026-12-02T14:00:00-05:00"));
        assert!(!looks_iso("tomorrow at 2pm"));
        assert!(!looks_iso("2026-13-02"));
        assert!(!looks_iso("2026-12-02 and more"));
    }
}
