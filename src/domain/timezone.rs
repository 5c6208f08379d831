//! An IANA time zone that is known to exist.

use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl TimeZone {
    /// Parses an IANA name (`America/New_York`); also accepts `UTC`/`Z`/`GMT`.
    pub fn parse(name: &str) -> Result<TimeZone, String> {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.len() > 64 {
            return Err(format!(
                "'{}' is not an IANA time zone name",
                truncate(trimmed)
            ));
        }
        if matches!(
            trimmed.to_ascii_uppercase().as_str(),
            "Z" | "UTC" | "GMT" | "ETC/UTC"
        ) {
            return Ok(TimeZone(Tz::UTC));
        }
        trimmed
            .parse::<Tz>()
            .or_else(|_| Tz::from_str_insensitive(trimmed))
            .map(TimeZone)
            .map_err(|_| format!("'{}' is not an IANA time zone name", truncate(trimmed)))
    }

    pub fn tz(&self) -> Tz {
        self.0
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone(Tz::UTC)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iana_names() {
        assert_eq!(
            TimeZone::parse("America/New_York").unwrap().name(),
            "America/New_York"
        );
        assert_eq!(
            TimeZone::parse("america/new_york").unwrap().name(),
            "America/New_York"
        );
        assert_eq!(TimeZone::parse("UTC").unwrap().name(), "UTC");
    }

    #[test]
    fn rejects_bogus_names() {
        assert!(TimeZone::parse("Mars/Olympus_Mons").is_err());
        assert!(TimeZone::parse("").is_err());
        assert!(TimeZone::parse(&"x".repeat(500)).is_err());
    }
}
