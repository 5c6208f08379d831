//! Reclaim task priorities `P1` (critical) .. `P4` (low).

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Priority {
    P1,
    P2,
    #[default]
    P3,
    P4,
}

impl Priority {
    pub fn as_str(&self) -> &'static str {
        match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }

    /// Accepts `P1`..`P4`, Reclaim's legacy names and the words people use
    /// (urgent/critical/ASAP → P1, high/important/soon → P2, medium/normal → P3,
    /// low/whenever → P4).
    pub fn parse(raw: &str) -> Option<Priority> {
        let s = raw.trim().to_ascii_lowercase().replace(['-', '_'], " ");
        Some(match s.as_str() {
            "p1" | "1" | "critical" | "urgent" | "asap" | "highest" | "critical priority" => {
                Priority::P1
            }
            "p2" | "2" | "high" | "important" | "soon" | "high priority" | "prioritize" => {
                Priority::P2
            }
            "p3" | "3" | "medium" | "normal" | "default" | "moderate" | "medium priority" => {
                Priority::P3
            }
            "p4" | "4" | "low" | "whenever" | "lowest" | "someday" | "low priority" => Priority::P4,
            _ => return None,
        })
    }

    /// Reclaim sometimes answers with values outside P1..P4 (`PRIORITIZE`, `DEFAULT`):
    /// map them instead of failing.
    pub fn from_reclaim(raw: &str) -> Priority {
        Priority::parse(raw).unwrap_or_default()
    }
}

impl std::fmt::Display for Priority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_priorities() {
        assert_eq!(Priority::parse("urgent"), Some(Priority::P1));
        assert_eq!(Priority::parse("ASAP"), Some(Priority::P1));
        assert_eq!(Priority::parse("high"), Some(Priority::P2));
        assert_eq!(Priority::parse("important"), Some(Priority::P2));
        assert_eq!(Priority::parse("P3"), Some(Priority::P3));
        assert_eq!(Priority::parse("whenever"), Some(Priority::P4));
        assert_eq!(Priority::parse("banana"), None);
    }

    #[test]
    fn unknown_reclaim_values_fall_back() {
        assert_eq!(Priority::from_reclaim("PRIORITIZE"), Priority::P2);
        assert_eq!(Priority::from_reclaim("DEFAULT"), Priority::P3);
        assert_eq!(Priority::from_reclaim("WHATEVER"), Priority::P3);
    }
}
