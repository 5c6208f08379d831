//! Parts of the day used for preferences and windows: morning 09–12, afternoon 12–17,
//! evening 17–20 (PRODUCT §4).

use chrono::NaiveTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

impl DayPart {
    pub const ALL: [DayPart; 3] = [DayPart::Morning, DayPart::Afternoon, DayPart::Evening];

    /// Inclusive start of the window (local wall time).
    pub fn start(self) -> NaiveTime {
        hm(match self {
            DayPart::Morning => 9,
            DayPart::Afternoon => 12,
            DayPart::Evening => 17,
        })
    }

    /// Exclusive end of the window (local wall time).
    pub fn end(self) -> NaiveTime {
        hm(match self {
            DayPart::Morning => 12,
            DayPart::Afternoon => 17,
            DayPart::Evening => 20,
        })
    }

    /// `(start, end)` as local wall times, end exclusive.
    pub fn window(self) -> (NaiveTime, NaiveTime) {
        (self.start(), self.end())
    }

    /// Whether a local wall time falls inside this part of the day.
    pub fn contains(self, time: NaiveTime) -> bool {
        time >= self.start() && time < self.end()
    }

    /// The part of the day a wall time falls in, if any (before 09:00 / from 20:00: none).
    pub fn of_time(time: NaiveTime) -> Option<DayPart> {
        DayPart::ALL.into_iter().find(|part| part.contains(time))
    }

    pub fn name(self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        }
    }

    /// Parses one part-of-day expression: "morning(s)", "am", "a.m.", "before lunch",
    /// "afternoon(s)", "pm", "after lunch", "evening(s)", "night", "tonight"; leading
    /// filler ("in the", "preferably", "early", "late") is ignored. Case-insensitive.
    pub fn parse(text: &str) -> Option<DayPart> {
        let words = words(text);
        let words: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .filter(|w| !FILLER.contains(w))
            .collect();
        match words.as_slice() {
            [w] => single_word(w),
            ["before", "lunch"] => Some(DayPart::Morning),
            ["after", "lunch"] | ["after", "noon"] => Some(DayPart::Afternoon),
            ["after", "work"] | ["after", "dinner"] => Some(DayPart::Evening),
            _ => None,
        }
    }

    /// Every part of the day mentioned anywhere in free text ("preferably mornings or
    /// after lunch" → [Morning, Afternoon]), in order of first mention, without repeats.
    pub fn mentioned_in(text: &str) -> Vec<DayPart> {
        let words = words(text);
        let mut found = Vec::new();
        let mut push = |part: DayPart| {
            if !found.contains(&part) {
                found.push(part);
            }
        };
        let mut i = 0;
        while i < words.len() {
            let pair = words.get(i + 1).map(String::as_str);
            match (words[i].as_str(), pair) {
                ("before", Some("lunch")) => {
                    push(DayPart::Morning);
                    i += 2;
                    continue;
                }
                ("after", Some("lunch" | "noon")) => {
                    push(DayPart::Afternoon);
                    i += 2;
                    continue;
                }
                ("after", Some("work" | "dinner")) => {
                    push(DayPart::Evening);
                    i += 2;
                    continue;
                }
                (w, _) => {
                    // "am"/"pm" alone are too easily part of a clock time to count here.
                    if !matches!(w, "am" | "pm") {
                        if let Some(part) = single_word(w) {
                            push(part);
                        }
                    }
                }
            }
            i += 1;
        }
        found
    }
}

const FILLER: &[&str] = &[
    "in",
    "the",
    "a",
    "an",
    "preferably",
    "prefer",
    "early",
    "late",
    "during",
    "only",
    "on",
];

fn single_word(word: &str) -> Option<DayPart> {
    match word {
        "morning" | "mornings" | "am" | "forenoon" => Some(DayPart::Morning),
        "afternoon" | "afternoons" | "pm" | "afternoonish" => Some(DayPart::Afternoon),
        "evening" | "evenings" | "night" | "nights" | "tonight" => Some(DayPart::Evening),
        _ => None,
    }
}

fn words(text: &str) -> Vec<String> {
    text.chars()
        .take(500)
        .collect::<String>()
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn hm(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_the_product_windows() {
        assert_eq!(DayPart::Morning.window(), (hm(9), hm(12)));
        assert_eq!(DayPart::Afternoon.window(), (hm(12), hm(17)));
        assert_eq!(DayPart::Evening.window(), (hm(17), hm(20)));
    }

    #[test]
    fn parses_words() {
        let cases = [
            ("morning", Some(DayPart::Morning)),
            ("Mornings", Some(DayPart::Morning)),
            ("am", Some(DayPart::Morning)),
            ("A.M.", Some(DayPart::Morning)),
            ("in the morning", Some(DayPart::Morning)),
            ("preferably mornings", Some(DayPart::Morning)),
            ("early morning", Some(DayPart::Morning)),
            ("before lunch", Some(DayPart::Morning)),
            ("afternoon", Some(DayPart::Afternoon)),
            ("afternoons", Some(DayPart::Afternoon)),
            ("PM", Some(DayPart::Afternoon)),
            ("after lunch", Some(DayPart::Afternoon)),
            ("late afternoon", Some(DayPart::Afternoon)),
            ("evening", Some(DayPart::Evening)),
            ("in the evenings", Some(DayPart::Evening)),
            ("night", Some(DayPart::Evening)),
            ("tonight", Some(DayPart::Evening)),
            ("after work", Some(DayPart::Evening)),
            ("", None),
            ("lunch", None),
            ("tomorrow", None),
            ("morning and evening", None),
        ];
        for (text, want) in cases {
            assert_eq!(DayPart::parse(text), want, "{text:?}");
        }
    }

    #[test]
    fn finds_mentions_in_free_text() {
        assert_eq!(
            DayPart::mentioned_in("find 2 hours this week, preferably mornings"),
            vec![DayPart::Morning]
        );
        assert_eq!(
            DayPart::mentioned_in("Evenings or after lunch, not mornings... evenings!"),
            vec![DayPart::Evening, DayPart::Afternoon, DayPart::Morning]
        );
        assert!(DayPart::mentioned_in("am I free at 2pm").is_empty());
        assert!(DayPart::mentioned_in("").is_empty());
    }

    #[test]
    fn classifies_times() {
        assert_eq!(DayPart::of_time(hm(9)), Some(DayPart::Morning));
        assert_eq!(DayPart::of_time(hm(12)), Some(DayPart::Afternoon));
        assert_eq!(DayPart::of_time(hm(17)), Some(DayPart::Evening));
        assert_eq!(DayPart::of_time(hm(20)), None);
        assert_eq!(DayPart::of_time(hm(8)), None);
        assert!(DayPart::Morning.contains(NaiveTime::from_hms_opt(11, 59, 59).unwrap()));
    }
}
