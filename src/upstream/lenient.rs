//! Forgiving deserializers for upstream data: `null` means "default", unreadable optional
//! values become `None` instead of failing a whole list.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `null`, missing or of an unexpected type → `T::default()` (one odd field, e.g.
/// `"alwaysPrivate": "yes"`, must not drop the whole item from a list).
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + serde::de::DeserializeOwned,
{
    Ok(serde_json::from_value(Value::deserialize(d)?).unwrap_or_default())
}

/// A string, or `None` for null / any other JSON type.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// An integer (also from a float or a numeric string); anything else → 0.
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .unwrap_or(0),
        Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    })
}

/// An optional integer (unix seconds), unreadable → `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean that defaults to `true` when null or missing (use with `#[serde(default = ...)]`).
pub fn bool_default_true<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(true))
}

pub fn yes() -> bool {
    true
}

/// An RFC 3339 instant (any offset, converted to UTC); a zone-less date-time is read as UTC;
/// null or unreadable → `None`.
pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => parse_datetime(&s),
        _ => None,
    })
}

pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn datetimes_in_several_spellings() {
        let want = Utc.with_ymd_and_hms(2026, 12, 4, 22, 0, 0).unwrap();
        assert_eq!(parse_datetime("2026-12-04T22:00:00Z"), Some(want));
        assert_eq!(parse_datetime("2026-12-04T22:00:00.000Z"), Some(want));
        assert_eq!(parse_datetime("2026-12-04T17:00:00-05:00"), Some(want));
        assert_eq!(parse_datetime("2026-12-04T22:00:00"), Some(want));
        assert_eq!(parse_datetime("next friday"), None);
    }
}
