//! ISO-8601 / RFC 3339 values ("2026-12-04T15:30", "...-05:00", "...Z").

use chrono::{DateTime, NaiveDateTime};

use super::grammar::Parsed;

pub(super) fn parse_iso(s: &str) -> Option<Parsed> {
    if !s.starts_with(|c: char| c.is_ascii_digit()) || s.len() < 10 || !s.is_ascii() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(Parsed::Instant(dt));
    }
    let upper = s.to_ascii_uppercase();
    let zoned = upper
        .strip_suffix('Z')
        .map(|rest| format!("{rest}+00:00"))
        .unwrap_or_else(|| upper.clone());
    for fmt in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y%m%dT%H%M%z",
        "%Y%m%dT%H%M%S%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(&zoned, fmt) {
            return Some(Parsed::Instant(dt));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        // ISO 8601 basic format: "20261209T1500", "20261209T150000".
        "%Y%m%dT%H%M",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&upper, fmt) {
            return Some(Parsed::Local(naive));
        }
    }
    None
}
