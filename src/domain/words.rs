//! The words of time language, one table each: spelled numbers ("seven", "forty-five"),
//! ordinal words ("third", "twenty-first"), weekday names and abbreviations ("Mon", "Thurs",
//! "Mondays") and month names ("Sept", "December"). The time resolver, the recurrence reader,
//! durations and the rules interpreter all read them from here, so they accept the same words.

use chrono::Weekday;

/// "one" … "nineteen".
const UNITS: [&str; 19] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// "twenty" … "ninety" (20, 30, … 90).
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// "first" … "nineteenth".
const ORDINAL_UNITS: [&str; 19] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];

/// "twentieth", "thirtieth": ordinals name days of a month, so they stop in the thirties.
const ORDINAL_TENS: [&str; 2] = ["twentieth", "thirtieth"];

/// Every spelling of each weekday, the full name first. Plurals are these plus "s"
/// ([`weekday_form`]).
const WEEKDAYS: [(Weekday, &[&str]); 7] = [
    (Weekday::Mon, &["monday", "mon"]),
    (Weekday::Tue, &["tuesday", "tue", "tues"]),
    (Weekday::Wed, &["wednesday", "wed"]),
    (Weekday::Thu, &["thursday", "thu", "thur", "thurs"]),
    (Weekday::Fri, &["friday", "fri"]),
    (Weekday::Sat, &["saturday", "sat"]),
    (Weekday::Sun, &["sunday", "sun"]),
];

/// Every spelling of each month, in calendar order.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan"],
    &["february", "feb"],
    &["march", "mar"],
    &["april", "apr"],
    &["may"],
    &["june", "jun"],
    &["july", "jul"],
    &["august", "aug"],
    &["september", "sep", "sept"],
    &["october", "oct"],
    &["november", "nov"],
    &["december", "dec"],
];

/// A spelled number: "one" … "nineteen", the tens "twenty" … "ninety" and their compounds
/// written as one word ("forty-five", "fortyfive" → 45).
pub fn cardinal(word: &str) -> Option<u32> {
    one_word(word, &UNITS, &TENS).or_else(|| compound(word, |unit| one_word(unit, &UNITS, &[])))
}

/// A spelled ordinal: "first" … "nineteenth", "twentieth", "thirtieth" and compounds written
/// as one word ("twenty-first", "thirtyfirst" → 21, 31).
pub fn ordinal(word: &str) -> Option<u32> {
    one_word(word, &ORDINAL_UNITS, &ORDINAL_TENS)
        .or_else(|| compound(word, |unit| one_word(unit, &ORDINAL_UNITS, &[])))
}

/// The ordinal word of `n` ("first" for 1 … "nineteenth"), for describing.
pub fn ordinal_name(n: u32) -> Option<&'static str> {
    let index = usize::try_from(n.checked_sub(1)?).ok()?;
    ORDINAL_UNITS.get(index).copied()
}

/// A count: a spelled number, or "a"/"an" (1) and "couple" (2), as in "an hour",
/// "a couple days".
pub fn count(word: &str) -> Option<u32> {
    match word {
        "a" | "an" => Some(1),
        "couple" => Some(2),
        _ => cardinal(word),
    }
}

/// A weekday name or abbreviation, singular or plural ("Thu", "Thurs", "Thursdays").
pub fn weekday(word: &str) -> Option<Weekday> {
    weekday_form(word).map(|(day, _)| day)
}

/// A weekday name or abbreviation and whether it was plural ("Mondays", "Fris", "Weds" →
/// plural). "tues" and "thurs" are singular abbreviations; "thus" is the English word, not
/// Thursdays.
pub fn weekday_form(word: &str) -> Option<(Weekday, bool)> {
    let find = |w: &str| {
        WEEKDAYS
            .iter()
            .find(|(_, spellings)| spellings.contains(&w))
            .map(|(day, _)| *day)
    };
    if let Some(day) = find(word) {
        return Some((day, false));
    }
    let stem = word
        .strip_suffix('s')
        .filter(|stem| *stem != "thu" && !stem.ends_with('s'))?;
    find(stem).map(|day| (day, true))
}

/// A month name or abbreviation: 1 (January) … 12 (December).
pub fn month(word: &str) -> Option<u32> {
    let index = MONTHS
        .iter()
        .position(|spellings| spellings.contains(&word))?;
    Some(index as u32 + 1)
}

/// `units[i]` is i + 1, `tens[i]` is 10 × (i + 2).
fn one_word(word: &str, units: &[&str], tens: &[&str]) -> Option<u32> {
    if let Some(i) = units.iter().position(|w| *w == word) {
        return Some(i as u32 + 1);
    }
    tens.iter()
        .position(|w| *w == word)
        .map(|i| 10 * (i as u32 + 2))
}

/// "forty-five" / "fortyfive": a ten, an optional hyphen, and a unit 1–9 read by `unit`.
fn compound(word: &str, unit: impl Fn(&str) -> Option<u32>) -> Option<u32> {
    TENS.iter().enumerate().find_map(|(i, ten)| {
        let rest = word.strip_prefix(ten)?;
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let n = unit(rest).filter(|n| *n < 10)?;
        Some(10 * (i as u32 + 2) + n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_numbers_and_their_compounds() {
        for (word, n) in [
            ("one", 1),
            ("twelve", 12),
            ("nineteen", 19),
            ("twenty", 20),
            ("ninety", 90),
            ("forty-five", 45),
            ("fortyfive", 45),
            ("twenty-one", 21),
            ("ninety-nine", 99),
        ] {
            assert_eq!(cardinal(word), Some(n), "{word}");
        }
        for word in [
            "",
            "zero",
            "hundred",
            "twenty-",
            "twenty-ten",
            "forty-twelve",
            "a",
        ] {
            assert_eq!(cardinal(word), None, "{word}");
        }
    }

    #[test]
    fn counts_add_the_article_and_couple() {
        assert_eq!(count("a"), Some(1));
        assert_eq!(count("an"), Some(1));
        assert_eq!(count("couple"), Some(2));
        assert_eq!(count("fourteen"), Some(14));
        assert_eq!(count("few"), None);
    }

    #[test]
    fn ordinal_words_name_days_of_a_month() {
        for (word, n) in [
            ("first", 1),
            ("fifth", 5),
            ("nineteenth", 19),
            ("twentieth", 20),
            ("twenty-first", 21),
            ("twentyfirst", 21),
            ("thirtieth", 30),
            ("thirty-first", 31),
        ] {
            assert_eq!(ordinal(word), Some(n), "{word}");
        }
        assert_eq!(ordinal_name(3), Some("third"));
        assert_eq!((ordinal_name(0), ordinal_name(20)), (None, None));
        for word in ["last", "fortieth", "twenty-tenth", "1st", "one"] {
            assert_eq!(ordinal(word), None, "{word}");
        }
    }

    #[test]
    fn weekdays_singular_and_plural() {
        for (word, day, plural) in [
            ("monday", Weekday::Mon, false),
            ("mon", Weekday::Mon, false),
            ("mondays", Weekday::Mon, true),
            ("mons", Weekday::Mon, true),
            ("tues", Weekday::Tue, false),
            ("weds", Weekday::Wed, true),
            ("wednesdays", Weekday::Wed, true),
            ("thurs", Weekday::Thu, false),
            ("thursdays", Weekday::Thu, true),
            ("fris", Weekday::Fri, true),
            ("sundays", Weekday::Sun, true),
        ] {
            assert_eq!(weekday_form(word), Some((day, plural)), "{word}");
        }
        // "thus" is the English word; the others were never spellings.
        for word in ["thus", "tuess", "wedss", "thurss", "weekday", "mo", "m"] {
            assert_eq!(weekday(word), None, "{word}");
        }
    }

    #[test]
    fn month_names_and_abbreviations() {
        assert_eq!(month("jan"), Some(1));
        assert_eq!(month("may"), Some(5));
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("sep"), Some(9));
        assert_eq!(month("december"), Some(12));
        assert_eq!(month("decembers"), None);
        assert_eq!(month("ja"), None);
    }
}
