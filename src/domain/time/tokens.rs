//! Splitting a phrase into lower-case tokens, and the vocabulary: amounts, units, clock
//! tokens, part-of-day words (number, weekday and month words come from `domain::words`).

use chrono::{NaiveDate, NaiveTime};

use super::grammar::Meridiem;
use super::moment::PartWord;
use crate::domain::words::{cardinal, count, ordinal};
pub(crate) use crate::domain::words::{month as parse_month, weekday as parse_weekday};

pub(super) fn tokenize(s: &str) -> Vec<String> {
    let lower = s
        .to_lowercase()
        .replace('’', "'")
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace("a.m", "am")
        .replace("p.m", "pm")
        .replace("o'clock", "oclock")
        .replace(" o clock", " oclock")
        .replace('@', " at ");
    let lower = spell_sign_after_now(lower);
    let chars: Vec<char> = lower.chars().collect();
    let mut cleaned = String::with_capacity(lower.len());
    for (idx, &c) in chars.iter().enumerate() {
        let between_digits = |c: char| {
            idx > 0
                && chars[idx - 1].is_ascii_digit()
                && chars.get(idx + 1).is_some_and(|n| n.is_ascii_digit())
                && c == '.'
        };
        // "25.12.": the closing dot of a European day.month is kept.
        let closes_day_month = c == '.'
            && idx > 0
            && chars[idx - 1].is_ascii_digit()
            && !chars.get(idx + 1).is_some_and(|n| n.is_alphanumeric())
            && day_month_before(&cleaned);
        if c.is_alphanumeric()
            || matches!(c, ':' | '/' | '-' | '\'')
            || between_digits(c)
            || closes_day_month
        {
            cleaned.push(c);
        } else if c == ',' && decimal_comma(&chars, idx) {
            cleaned.push('.');
        } else {
            cleaned.push(' ');
        }
    }
    let mut raw = Vec::new();
    for token in cleaned.split_whitespace() {
        split_token(token, &mut raw);
    }
    join_split_words(spell_out_numbers(raw))
}

/// "0,5 hours", "in 1,5 days": a comma between digits is a decimal point when one or two
/// digits follow it and then a unit ("Dec 4,2026" and "4,30" stay as they are).
fn decimal_comma(chars: &[char], idx: usize) -> bool {
    if idx == 0 || !chars[idx - 1].is_ascii_digit() {
        return false;
    }
    let rest = &chars[idx + 1..];
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&digits) {
        return false;
    }
    let word: String = rest[digits..]
        .iter()
        .skip_while(|c| **c == ' ')
        .take_while(|c| c.is_alphabetic())
        .collect();
    parse_unit(&word).is_some()
}

/// "now + 2 hours", "now - 1 day": the sign is spelled ("now plus 2 hours"), as the cleaning
/// drops a lone "+"/"-". Only phrases with "now" pay for it.
fn spell_sign_after_now(lower: String) -> String {
    if !lower.contains("now") {
        return lower;
    }
    lower
        .replace("now +", "now plus ")
        .replace("now+", "now plus ")
        .replace("now -", "now minus ")
        .replace("now-", "now minus ")
}

/// Whether the token being built ends in "dd.mm" (one dot, digits around it).
fn day_month_before(cleaned: &str) -> bool {
    let token = cleaned.rsplit(' ').next().unwrap_or_default();
    match token.split_once('.') {
        Some((d, m)) => is_small_number(d) && d.len() <= 2 && is_small_number(m) && m.len() <= 2,
        None => false,
    }
}

/// Joins what spacing split: "330 pm" → "330pm", "3:30 p m" → "3:30pm", "2 / 15" → "2/15",
/// "mid day" → "midday".
fn join_split_words(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let next = tokens.get(i + 1).map(String::as_str);
        let after = tokens.get(i + 2).map(String::as_str);
        let clockish = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ':');
        let numeric = |w: Option<&str>| w.is_some_and(|w| is_small_number(w) && w.len() <= 2);
        let (joined, used) = match (next, after) {
            (Some(m @ ("am" | "pm")), _) if clockish && t.len() >= 3 => (format!("{t}{m}"), 2),
            // "7 30 pm" → "7:30pm"
            (Some(mm), Some(ap @ ("am" | "pm")))
                if numeric(Some(t))
                    && t.parse::<u32>().is_ok_and(|h| (1..=12).contains(&h))
                    && mm.len() == 2
                    && mm.parse::<u32>().is_ok_and(|m| m <= 59) =>
            {
                (format!("{t}:{mm}{ap}"), 3)
            }
            (Some(m @ ("a" | "p")), Some("m")) if clockish => (format!("{t}{m}m"), 3),
            (Some("/"), w) if numeric(Some(t)) && numeric(w) => {
                (format!("{t}/{}", w.unwrap_or_default()), 3)
            }
            (Some("day"), _) if t == "mid" => ("midday".to_string(), 2),
            // "at 3 15" → "at 3:15"
            (Some(h), Some(m))
                if t == "at"
                    && numeric(Some(h))
                    && h.parse::<u32>().is_ok_and(|h| h <= 23)
                    && m.len() == 2
                    && m.parse::<u32>().is_ok_and(|m| m <= 59) =>
            {
                out.push("at".to_string());
                (format!("{h}:{m}"), 3)
            }
            _ => (t.to_string(), 1),
        };
        out.push(joined);
        i += used;
    }
    out
}

/// Drops apostrophes ("year's" → "years"), splits word hyphens ("mid-december",
/// "twenty-first") and "-ish" ("8-ish", "3ish", "noonish" → "around 8").
fn split_token(token: &str, out: &mut Vec<String>) {
    // "tomorrow's", "next week's": the possessive of a day or period word is that word.
    let token = match token.strip_suffix("'s") {
        Some(stem) if is_day_word(stem) || matches!(stem, "week" | "month" | "year") => stem,
        _ => token,
    };
    let token: String = token.chars().filter(|&c| c != '\'').collect();
    let token = token.trim_matches('-');
    if token.is_empty() {
        return;
    }
    // "tomorrows" (the apostrophe left out), "nxt".
    if let Some(stem) = token.strip_suffix('s').filter(|stem| is_day_word(stem)) {
        out.push(stem.to_string());
        return;
    }
    if token == "nxt" {
        out.push("next".to_string());
        return;
    }
    if let Some(stem) = token.strip_suffix("ish").map(|s| s.trim_end_matches('-')) {
        if !stem.is_empty() && (split_clock(stem).is_some() || is_clock_word(stem)) {
            out.push("around".to_string());
            out.push(stem.to_string());
            return;
        }
    }
    // "15sep", "14april", "feb13": a day glued to a month name.
    if let Some((a, b)) = glued_day_month(token) {
        out.push(a.to_string());
        out.push(b.to_string());
        return;
    }
    if token.contains('-') && !token.chars().any(|c| c.is_ascii_digit()) {
        out.extend(
            token
                .split('-')
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
        return;
    }
    out.push(token.to_string());
}

/// "15sep" → ("15", "sep"), "feb13" → ("feb", "13").
fn glued_day_month(token: &str) -> Option<(&str, &str)> {
    let split = token
        .find(|c: char| c.is_ascii_digit() != token.starts_with(|d: char| d.is_ascii_digit()))?;
    let (a, b) = token.split_at(split);
    let (digits, word) = if a.starts_with(|c: char| c.is_ascii_digit()) {
        (a, b)
    } else {
        (b, a)
    };
    let day_like =
        !digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|c| c.is_ascii_digit());
    (day_like && parse_month(word).is_some()).then_some((a, b))
}

/// today, tonight, tomorrow (and its spellings), yesterday.
fn is_day_word(word: &str) -> bool {
    matches!(word, "today" | "tonight" | "tonite" | "2nite" | "yesterday") || is_tomorrow(word)
}

fn is_clock_word(word: &str) -> bool {
    matches!(word, "noon" | "midday" | "midnight") || cardinal(word).is_some()
}

/// Spelled numbers to digits: "twenty nine" → "29", "twenty-first" → "21st",
/// "seven thirty" → "7:30" (a spelled hour followed by spelled minutes).
fn spell_out_numbers(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut spelled_hour_at: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let next = tokens.get(i + 1).map(String::as_str);
        // "one second", "a second": the unit, not the ordinal.
        let counted = out
            .last()
            .is_some_and(|w| w == "a" || w.bytes().all(|b| b.is_ascii_digit()));
        // "four oh five", "nine o five": a spelled hour, "oh" and a digit are h:0m.
        let oh_minutes = next.and_then(cardinal).filter(|m| (1..=9).contains(m));
        if let (Some(at), "oh" | "o", Some(m)) = (spelled_hour_at, t, oh_minutes) {
            if at + 1 == out.len() {
                let hour = out.pop().unwrap_or_default();
                out.push(format!("{hour}:0{m}"));
                spelled_hour_at = None;
                i += 2;
                continue;
            }
        }
        if (t == "first" && next == Some("thing")) || (t == "second" && counted) {
            out.push(t.to_string());
            i += 1;
            continue;
        }
        let (number, ordinal, used) = match (cardinal(t), next) {
            (Some(tens), Some(n)) if tens % 10 == 0 && cardinal(n).is_some_and(|u| u < 10) => {
                (tens + cardinal(n).unwrap_or(0), false, 2)
            }
            (Some(tens @ (20 | 30)), Some(n)) if ordinal(n).is_some_and(|u| u < 10) => {
                (tens + ordinal(n).unwrap_or(0), true, 2)
            }
            (Some(n), _) => (n, false, 1),
            (None, _) => match ordinal(t) {
                Some(n) => (n, true, 1),
                None => {
                    out.push(t.to_string());
                    spelled_hour_at = None;
                    i += 1;
                    continue;
                }
            },
        };
        i += used;
        match spelled_hour_at {
            Some(at) if !ordinal && (10..=59).contains(&number) && at + 1 == out.len() => {
                let hour = out.pop().unwrap_or_default();
                out.push(format!("{hour}:{number:02}"));
                spelled_hour_at = None;
                continue;
            }
            _ => {}
        }
        if ordinal {
            out.push(format!("{number}{}", ordinal_suffix(number)));
            spelled_hour_at = None;
        } else {
            out.push(number.to_string());
            spelled_hour_at = (1..=12).contains(&number).then_some(out.len() - 1);
        }
    }
    out
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
    Fortnights,
    Months,
    Years,
}

impl Unit {
    /// Days, weeks, months, years: counted on the calendar, not as exact durations.
    pub(super) fn is_calendar(self) -> bool {
        !matches!(self, Unit::Seconds | Unit::Minutes | Unit::Hours)
    }

    /// Days per unit for day-based units.
    pub(super) fn days(self) -> f64 {
        match self {
            Unit::Weeks => 7.0,
            Unit::Fortnights => 14.0,
            _ => 1.0,
        }
    }
}

pub(super) fn parse_unit(word: &str) -> Option<Unit> {
    Some(match word {
        "s" | "sec" | "secs" | "second" | "seconds" => Unit::Seconds,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minutes,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hours,
        "d" | "day" | "days" => Unit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Weeks,
        "fortnight" | "fortnights" => Unit::Fortnights,
        "month" | "months" | "mo" | "mos" => Unit::Months,
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Years,
        _ => return None,
    })
}

/// "3", "2.5", "1/2", a spelled count ("a", "couple", "twenty") or "few" (3).
pub(super) fn parse_amount(word: &str) -> Option<f64> {
    if let Some(n) = count(word).or((word == "few").then_some(3)) {
        return Some(f64::from(n));
    }
    let n = match word.split_once('/') {
        // "1/2", "3/4": a fraction ("in 1/2 hour").
        Some((a, b)) if is_small_number(a) && is_small_number(b) => {
            let (a, b): (f64, f64) = (a.parse().ok()?, b.parse().ok()?);
            if b == 0.0 || a >= b {
                return None;
            }
            a / b
        }
        _ => {
            if word.is_empty()
                || word.len() > 9
                || !word.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                return None;
            }
            word.parse::<f64>().ok()?
        }
    };
    (n.is_finite() && n >= 0.0).then_some(n)
}

pub(super) fn split_number_unit(token: &str) -> Option<(f64, Unit)> {
    let split = token.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '/'))?;
    if split == 0 {
        return None;
    }
    let (number, unit) = token.split_at(split);
    // "2pm"/"4th" are not durations; "m" alone is ambiguous with "am"/"pm" only when
    // glued to a meridiem, which parse_unit rejects.
    let unit = parse_unit(unit)?;
    Some((parse_amount(number)?, unit))
}

pub(super) struct RawClock {
    pub(super) hour: u32,
    pub(super) minute: Option<u32>,
    pub(super) meridiem: Option<Meridiem>,
    pub(super) twenty_four: bool,
    /// Written as four digits ("1430").
    pub(super) military: bool,
}

/// "2", "2pm", "2:30", "2:30pm", "14:00", "1430" (only with "at"/"hrs"), "9a".
pub(super) fn split_clock(token: &str) -> Option<RawClock> {
    let (body, meridiem) = if let Some(b) = token.strip_suffix("am") {
        (b, Some(Meridiem::Am))
    } else if let Some(b) = token.strip_suffix("pm") {
        (b, Some(Meridiem::Pm))
    } else if let Some(b) = token.strip_suffix('a') {
        (b, Some(Meridiem::Am))
    } else if let Some(b) = token.strip_suffix('p') {
        (b, Some(Meridiem::Pm))
    } else {
        (token, None)
    };
    // "15h", "15h00", "3h18": the hour-letter notation is a 24-hour time.
    if let Some((h, m)) = body
        .split_once('h')
        .filter(|_| meridiem.is_none() && !body.contains(':'))
    {
        return h_notation(h, m);
    }
    // "13:11:23.678": fractions of a second are dropped; "09:00h": the hour letter too.
    let body = match body.rsplit_once('.') {
        Some((hms, frac))
            if hms.matches(':').count() == 2 && frac.bytes().all(|b| b.is_ascii_digit()) =>
        {
            hms
        }
        _ => body
            .strip_suffix('h')
            .filter(|b| b.contains(':'))
            .unwrap_or(body),
    };
    // "15:23:24", "9:01:10": seconds are dropped.
    let body = match body.rsplit_once(':') {
        Some((hm, s))
            if hm.contains(':') && s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            hm
        }
        _ => body,
    };
    if body.is_empty() || body.len() > 5 {
        return None;
    }
    // "8.30am" is accepted like "8:30am"; without am/pm only when the minutes cannot be a
    // month ("19.30", "7.45"; "1.5" stays a number, "25.12" a date).
    let dotted_time = |(_, m): &(&str, &str)| {
        meridiem.is_some() || (m.len() == 2 && m.parse::<u32>().is_ok_and(|m| m > 12))
    };
    let split = body
        .split_once(':')
        .or_else(|| body.split_once('.').filter(dotted_time));
    if let Some((h, m)) = split {
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        if !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let hour: u32 = h.parse().ok()?;
        return Some(RawClock {
            hour,
            minute: Some(m.parse().ok()?),
            meridiem,
            twenty_four: meridiem.is_none() && (h.len() == 2 && (h.starts_with('0') || hour >= 13)),
            military: false,
        });
    }
    if !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match body.len() {
        1 | 2 => {
            let hour: u32 = body.parse().ok()?;
            Some(RawClock {
                hour,
                minute: None,
                meridiem,
                twenty_four: meridiem.is_none() && (hour >= 13 || hour == 0),
                military: false,
            })
        }
        // "0930"/"1430" military style (only accepted after "at"/with "hrs", see clock()).
        // "330pm", "1130am": hour and minutes run together, only with am/pm.
        3 | 4 if meridiem.is_some() => {
            let (h, m) = body.split_at(body.len() - 2);
            Some(RawClock {
                hour: h.parse().ok()?,
                minute: Some(m.parse().ok()?),
                meridiem,
                twenty_four: false,
                military: false,
            })
        }
        // "at 730": only after "at" (military), the part of day may still decide.
        3 if meridiem.is_none() => {
            let (h, m) = body.split_at(1);
            Some(RawClock {
                hour: h.parse().ok()?,
                minute: Some(m.parse().ok()?),
                meridiem: None,
                twenty_four: false,
                military: true,
            })
        }
        4 if meridiem.is_none() => {
            let hour: u32 = body[..2].parse().ok()?;
            let minute: u32 = body[2..].parse().ok()?;
            (hour <= 23).then_some(RawClock {
                hour,
                minute: Some(minute),
                meridiem: None,
                twenty_four: true,
                military: true,
            })
        }
        _ => None,
    }
}

/// "15h" (two-digit hour), "15h00", "3h18" (minutes given): the hour and minutes.
fn h_notation(h: &str, m: &str) -> Option<RawClock> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !(m.is_empty() && h.len() == 2 || m.len() == 2 && digits(m)) {
        return None;
    }
    let hour: u32 = h.parse().ok()?;
    let minute: u32 = if m.is_empty() { 0 } else { m.parse().ok()? };
    (hour <= 23 && minute <= 59).then_some(RawClock {
        hour,
        minute: Some(minute),
        meridiem: None,
        twenty_four: true,
        military: false,
    })
}

pub(super) fn is_tomorrow(word: &str) -> bool {
    matches!(
        word,
        "tomorrow"
            | "tmrw"
            | "tmr"
            | "tmw"
            | "tomorow"
            | "tommorow"
            | "tommorrow"
            | "2moro"
            | "2morrow"
            | "2mrw"
            | "2morow"
    )
}

pub(crate) fn parse_part(word: &str) -> Option<PartWord> {
    Some(match word {
        "morning" | "mornings" | "am" => PartWord::Morning,
        "afternoon" | "afternoons" | "pm" => PartWord::Afternoon,
        "evening" | "evenings" | "eve" => PartWord::Evening,
        "night" | "nite" | "tonight" => PartWord::Night,
        "noon" | "midday" | "lunch" | "lunchtime" => PartWord::Noon,
        "eod" | "cob" | "eob" => PartWord::EndOfDay,
        "midnight" => PartWord::Midnight,
        _ => return None,
    })
}

pub(super) fn is_ordinal(word: &str) -> bool {
    ["st", "nd", "rd", "th"]
        .iter()
        .any(|s| word.strip_suffix(s).is_some_and(is_small_number))
}

pub(super) fn is_small_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// "4", "4th", "21st" → 4/21 (1..=31).
pub(super) fn parse_day_number(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

pub(super) fn parse_four_digit_year(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = word.parse().ok()?;
    (1970..=2200).contains(&year).then_some(year)
}

/// A four-digit year, or two digits: 00–69 → 2000–2069, 70–99 → 1970–1999 (the usual
/// pivot, as in POSIX `strptime`).
pub(super) fn parse_year(word: &str) -> Option<i32> {
    if word.len() == 2 && word.chars().all(|c| c.is_ascii_digit()) {
        let yy = word.parse::<i32>().ok()?;
        return Some(if yy < 70 { 2000 + yy } else { 1900 + yy });
    }
    parse_four_digit_year(word)
}

pub(super) fn parse_iso_like_date(word: &str) -> Option<NaiveDate> {
    // ISO 8601 basic format: "20261209".
    if word.len() == 8 && word.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(word, "%Y%m%d")
            .ok()
            .filter(|d| (1970..=2200).contains(&chrono::Datelike::year(d)));
    }
    if word.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(word, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(word, "%Y/%m/%d"))
        .ok()
}

pub(super) fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}
