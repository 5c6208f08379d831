//! Words → rule: "every Tuesday", "every weekday", "on the first of every month", "weekly",
//! "every other week", "every 2 weeks on Mon and Wed", "the last Friday of the month",
//! with an end ("until the end of March", "until Mar 31", "for 10 weeks", "6 times") and
//! exceptions ("except Dec 29").
//!
//! [`find_in_text`] finds the phrase inside a longer request ("standup every weekday at
//! 9:30 until the end of March") and reports the byte spans it used, so the rest stays
//! for the title and time. The end and the exceptions need the first start to resolve:
//! [`WordsMatch::resolve`].
//!
//! Decisions:
//! - "weekly", "monthly", "yearly" alone repeat on the first start's weekday / day of
//!   month / date (no `BYDAY` written, as RFC 5545 defines).
//! - "every weekday" is `FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR` (how Google writes it).
//! - A single weekday after "on" ("on Friday") only counts when a frequency was already
//!   said ("weekly on Friday"): "block Friday" is one date, "on Fridays" is a series.
//! - "until X" includes day X; "for N weeks" ends the day before the same weekday N weeks
//!   after the first start (10 Tuesdays for a Tuesday series); "N times" is `COUNT=N`.
//! - `UNTIL` is the end of the last local day as UTC for timed series and a date for
//!   all-day ones.

use std::ops::Range;

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::expand::{walk, Flow};
use super::{DaySpec, Frequency, Recurrence, RecurrenceError, Rule, RuleMoment, WORK_WEEK};
use crate::domain::local_time::{add_days_to_date, month_end_date, resolve_local};
use crate::domain::time::{resolve_moment, MomentRole};
use crate::domain::words;

/// Largest N in "every N weeks", "for N weeks", "N times".
const MAX_NUMBER: u32 = 1000;
/// Longest text searched.
const MAX_TEXT_CHARS: usize = 500;

/// How a series given in words ends, before it is resolved against the first start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndCondition {
    /// "until the end of March": the phrase after "until", inclusive.
    Until(String),
    /// "for 10 weeks".
    For { amount: u32, unit: Frequency },
    /// "10 times".
    Count(u32),
}

/// A recurrence found in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordsMatch {
    /// The rule without its end (see `end`).
    pub rule: Rule,
    pub end: Option<EndCondition>,
    /// Date phrases after "except" / "skipping".
    pub exceptions: Vec<String>,
    /// Byte ranges of the text that made up the recurrence phrase.
    pub spans: Vec<Range<usize>>,
}

/// Reads `text` (words or an `RRULE:`/`FREQ=` line, optionally followed by `EXDATE`
/// lines) as the structured `recurrence` argument.
pub fn parse_words(text: &str) -> Result<WordsMatch, RecurrenceError> {
    find_in_text(text).ok_or_else(|| {
        RecurrenceError::Malformed(format!(
            "could not understand '{}' as a repeat rule (say e.g. 'every Tuesday', \
             'every weekday until the end of March', 'on the first of every month', \
             or give an RRULE)",
            text.chars().take(80).collect::<String>()
        ))
    })
}

/// Finds a recurrence phrase anywhere in `text`; `None` when there is none.
pub fn find_in_text(text: &str) -> Option<WordsMatch> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return None;
    }
    let tokens = tokenize(text);
    let mut state = State::default();
    let mut i = 0;
    while i < tokens.len() {
        match match_at(&tokens, i, &state, text) {
            Some((part, next)) => {
                state
                    .spans
                    .push(tokens[i].span.start..tokens[next - 1].span.end);
                state.apply(part);
                i = next;
            }
            None => i += 1,
        }
    }
    state.finish()
}

impl WordsMatch {
    /// The full recurrence for a series whose first occurrence starts at `first`: the end
    /// condition becomes `UNTIL` / `COUNT`, exceptions become `EXDATE`s.
    pub fn resolve(
        &self,
        first: DateTime<Tz>,
        all_day: bool,
    ) -> Result<Recurrence, RecurrenceError> {
        let mut recurrence = Recurrence::new(self.rule.clone());
        match &self.end {
            None => {}
            Some(EndCondition::Count(n)) => recurrence.rule.count = Some(*n),
            Some(end) => {
                let last_day = last_day(end, first)?;
                recurrence.rule.until = Some(until_moment(last_day, first.timezone(), all_day));
            }
        }
        for phrase in &self.exceptions {
            let date = resolve_date(phrase, first)?;
            recurrence
                .exdates
                .push(exception_on(&recurrence, first, date, all_day)?);
        }
        Ok(recurrence)
    }
}

/// The last local day an `until` / `for` end allows.
fn last_day(end: &EndCondition, first: DateTime<Tz>) -> Result<NaiveDate, RecurrenceError> {
    let start = first.date_naive();
    let day = match end {
        EndCondition::Until(phrase) => resolve_until(phrase, first)?,
        EndCondition::For { amount, unit } => {
            let after = match unit {
                Frequency::Daily => Some(add_days_to_date(start, i64::from(*amount))),
                Frequency::Weekly => Some(add_days_to_date(start, 7 * i64::from(*amount))),
                Frequency::Monthly => start.checked_add_months(Months::new(*amount)),
                Frequency::Yearly => start.checked_add_months(Months::new(amount * 12)),
            };
            add_days_to_date(after.unwrap_or(NaiveDate::MAX), -1)
        }
        EndCondition::Count(_) => start,
    };
    if day < start {
        return Err(RecurrenceError::NotInSeries(format!(
            "the series would end ({day}) before its first occurrence ({start})"
        )));
    }
    Ok(day)
}

fn until_moment(last_day: NaiveDate, tz: Tz, all_day: bool) -> RuleMoment {
    if all_day {
        return RuleMoment::Date(last_day);
    }
    let end = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
    RuleMoment::Utc(resolve_local(tz, last_day.and_time(end)).with_timezone(&Utc))
}

/// "the end of March" → Mar 31 (the next March end on or after the first start), "end of
/// the month/year", else any date phrase `time_phrase` understands ("Mar 31", "Friday").
fn resolve_until(phrase: &str, first: DateTime<Tz>) -> Result<NaiveDate, RecurrenceError> {
    let lower = phrase.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    if let Some(rest) = lower.strip_prefix("end of ") {
        let rest = rest.strip_prefix("the ").unwrap_or(rest);
        let start = first.date_naive();
        let month = match rest {
            "month" => Some(start.month()),
            "year" => Some(12),
            name => words::month(name),
        };
        if let Some(month) = month {
            return Ok(next_month_end(start, month));
        }
    }
    resolve_date(phrase, first)
}

fn next_month_end(from: NaiveDate, month: u32) -> NaiveDate {
    let this_year = NaiveDate::from_ymd_opt(from.year(), month, 1).map(month_end_date);
    match this_year {
        Some(end) if end >= from => end,
        _ => NaiveDate::from_ymd_opt(from.year() + 1, month, 1)
            .map(month_end_date)
            .unwrap_or(from),
    }
}

fn resolve_date(phrase: &str, first: DateTime<Tz>) -> Result<NaiveDate, RecurrenceError> {
    resolve_moment(phrase, first, MomentRole::Generic)
        .map(|moment| moment.date)
        .map_err(|err| RecurrenceError::Malformed(err.to_string()))
}

/// The `EXDATE` for the occurrence on local day `date`.
fn exception_on(
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    date: NaiveDate,
    all_day: bool,
) -> Result<RuleMoment, RecurrenceError> {
    let mut found = None;
    walk(recurrence, first, |visit| {
        if visit.start.date_naive() > date {
            return Flow::Stop;
        }
        if visit.start.date_naive() == date {
            found = Some(visit.start);
            return Flow::Stop;
        }
        Flow::Continue
    });
    let start = found.ok_or_else(|| {
        RecurrenceError::NotInSeries(format!(
            "{} is not one of the series' dates",
            date.format("%a %b %-d, %Y")
        ))
    })?;
    Ok(if all_day {
        RuleMoment::Date(date)
    } else {
        RuleMoment::Utc(start.with_timezone(&Utc))
    })
}

// ---------------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------------

struct Token {
    text: String,
    span: Range<usize>,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (index, ch) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let separator = ch.is_whitespace() || matches!(ch, ',' | ';' | '!' | '?' | '(' | ')' | '"');
        if separator {
            if let Some(begin) = start.take() {
                push_token(&mut tokens, text, begin..index);
            }
            if ch == ',' {
                tokens.push(Token {
                    text: ",".to_string(),
                    span: index..index + 1,
                });
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    tokens
}

fn push_token(tokens: &mut Vec<Token>, text: &str, span: Range<usize>) {
    let word = text[span.clone()].trim_end_matches('.').to_lowercase();
    if !word.is_empty() {
        tokens.push(Token { text: word, span });
    }
}

enum Part {
    Frequency(Frequency, u32),
    Days(Vec<DaySpec>),
    /// A frequency and its days together ("every weekday", "every other Tuesday").
    FrequencyDays(Frequency, u32, Vec<DaySpec>),
    MonthDays(Vec<i8>),
    End(EndCondition),
    Exceptions(Vec<String>),
}

#[derive(Default)]
struct State {
    frequency: Option<(Frequency, u32)>,
    by_day: Vec<DaySpec>,
    by_month_day: Vec<i8>,
    end: Option<EndCondition>,
    exceptions: Vec<String>,
    spans: Vec<Range<usize>>,
}

impl State {
    fn apply(&mut self, part: Part) {
        match part {
            Part::Frequency(frequency, interval) => self.set_frequency(frequency, interval),
            Part::Days(days) => self.by_day.extend(days),
            Part::FrequencyDays(frequency, interval, days) => {
                self.set_frequency(frequency, interval);
                self.by_day.extend(days);
            }
            Part::MonthDays(days) => self.by_month_day.extend(days),
            Part::End(end) => self.end = Some(end),
            Part::Exceptions(phrases) => self.exceptions.extend(phrases),
        }
    }

    /// A later, more specific frequency wins over a plain "weekly"/"monthly".
    fn set_frequency(&mut self, frequency: Frequency, interval: u32) {
        let keep_interval = self.frequency.map_or(1, |(_, i)| i);
        self.frequency = Some((frequency, interval.max(keep_interval)));
    }

    fn weekly_or_daily(&self) -> bool {
        matches!(
            self.frequency,
            Some((Frequency::Weekly | Frequency::Daily, _))
        )
    }

    fn monthly(&self) -> bool {
        matches!(self.frequency, Some((Frequency::Monthly, _)))
    }

    fn finish(mut self) -> Option<WordsMatch> {
        let has_ordinal = self.by_day.iter().any(|d| d.ordinal.is_some());
        let (frequency, interval) = match self.frequency {
            Some((Frequency::Weekly | Frequency::Daily, i)) if has_ordinal => {
                (Frequency::Monthly, i)
            }
            Some(found) => found,
            None if has_ordinal || !self.by_month_day.is_empty() => (Frequency::Monthly, 1),
            None if !self.by_day.is_empty() => (Frequency::Weekly, 1),
            None => return None,
        };
        self.by_day.dedup();
        self.by_month_day.dedup();
        let mut rule = Rule::new(frequency);
        rule.interval = interval;
        rule.by_day = self.by_day;
        rule.by_month_day = self.by_month_day;
        Some(WordsMatch {
            rule,
            end: self.end,
            exceptions: self.exceptions,
            spans: self.spans,
        })
    }
}

fn match_at(tokens: &[Token], i: usize, state: &State, text: &str) -> Option<(Part, usize)> {
    match_every(tokens, i)
        .or_else(|| match_adverb(tokens, i))
        .or_else(|| match_day_of_month(tokens, i, state))
        .or_else(|| match_on_days(tokens, i, state))
        .or_else(|| match_until(tokens, i, text))
        .or_else(|| match_for(tokens, i))
        .or_else(|| match_times(tokens, i))
        .or_else(|| match_exceptions(tokens, i, text))
}

fn word(tokens: &[Token], i: usize) -> &str {
    tokens.get(i).map_or("", |t| t.text.as_str())
}

/// "every [other|N] day/week/month/year", "every [other] weekday", "every Mon and Wed",
/// "every first Monday", "everyday".
fn match_every(tokens: &[Token], i: usize) -> Option<(Part, usize)> {
    if word(tokens, i) == "everyday" {
        return Some((Part::Frequency(Frequency::Daily, 1), i + 1));
    }
    if !matches!(word(tokens, i), "every" | "each") {
        return None;
    }
    let (interval, j) = match word(tokens, i + 1) {
        "other" => (2, i + 2),
        w => number(w).map_or((1, i + 1), |n| (n, i + 2)),
    };
    if let Some(unit) = unit_word(word(tokens, j)) {
        return Some((Part::Frequency(unit, interval), j + 1));
    }
    if let Some((days, next)) = weekday_list(tokens, j) {
        return Some((Part::FrequencyDays(Frequency::Weekly, interval, days), next));
    }
    let (ordinal, weekday) = (
        ordinal(word(tokens, j))?,
        weekday_word(word(tokens, j + 1))?,
    );
    let next = skip_of_month(tokens, j + 2).unwrap_or(j + 2);
    let days = weekday
        .0
        .iter()
        .map(|d| DaySpec::nth(ordinal, *d))
        .collect();
    Some((
        Part::FrequencyDays(Frequency::Monthly, interval, days),
        next,
    ))
}

/// "daily", "weekly", "biweekly", "fortnightly", "monthly", "quarterly", "yearly", "annually".
fn match_adverb(tokens: &[Token], i: usize) -> Option<(Part, usize)> {
    let (frequency, interval) = match word(tokens, i) {
        "daily" => (Frequency::Daily, 1),
        "weekly" => (Frequency::Weekly, 1),
        "biweekly" | "bi-weekly" | "fortnightly" => (Frequency::Weekly, 2),
        "monthly" => (Frequency::Monthly, 1),
        "quarterly" => (Frequency::Monthly, 3),
        "yearly" | "annually" | "annual" => (Frequency::Yearly, 1),
        _ => return None,
    };
    Some((Part::Frequency(frequency, interval), i + 1))
}

/// "[on] [the] first/1st/15th/last [day] [of every/each/the month]" and
/// "[on] [the] first/last Monday [of every month]". Without "of … month" it only counts
/// after a monthly frequency ("monthly on the 15th").
fn match_day_of_month(tokens: &[Token], i: usize, state: &State) -> Option<(Part, usize)> {
    let mut j = i;
    if word(tokens, j) == "on" {
        j += 1;
    }
    if word(tokens, j) == "the" {
        j += 1;
    }
    let n = ordinal(word(tokens, j))?;
    j += 1;
    if let Some((weekdays, _)) = weekday_word(word(tokens, j)) {
        let next = skip_of_month(tokens, j + 1);
        if next.is_none() && !state.monthly() {
            return None;
        }
        let days = weekdays.iter().map(|d| DaySpec::nth(n, *d)).collect();
        return Some((Part::Days(days), next.unwrap_or(j + 1)));
    }
    let mut days = vec![n];
    if word(tokens, j) == "day" {
        j += 1;
    } else if n < 0 {
        return None; // "the last" alone is not a day of month
    }
    while matches!(word(tokens, j), "and" | "," | "&") {
        let Some(more) = ordinal(word(tokens, j + 1)).filter(|m| *m > 0) else {
            break;
        };
        days.push(more);
        j += 2;
    }
    let next = skip_of_month(tokens, j);
    if next.is_none() && !state.monthly() {
        return None;
    }
    Some((Part::MonthDays(days), next.unwrap_or(j)))
}

/// "of every month", "of each month", "of the month", "of every other month" → the index
/// after it.
fn skip_of_month(tokens: &[Token], i: usize) -> Option<usize> {
    if word(tokens, i) != "of" {
        return None;
    }
    let j = if word(tokens, i + 1) == "every" && word(tokens, i + 2) == "other" {
        i + 3
    } else if matches!(word(tokens, i + 1), "every" | "each" | "the") {
        i + 2
    } else {
        return None;
    };
    (word(tokens, j) == "month").then_some(j + 1)
}

/// "[on] Mondays and Wednesdays", "on weekdays", "on Mon, Wed and Fri" (after a weekly
/// frequency a single weekday counts too: "weekly on Friday").
fn match_on_days(tokens: &[Token], i: usize, state: &State) -> Option<(Part, usize)> {
    let start = if word(tokens, i) == "on" { i + 1 } else { i };
    let (days, next) = weekday_list(tokens, start)?;
    let plural = tokens[start..next]
        .iter()
        .any(|t| is_plural_weekday(&t.text));
    (plural || (state.weekly_or_daily() && start > i)).then_some((Part::Days(days), next))
}

/// "until/till/through/thru/ending [on] <date phrase>", the phrase ending at the next
/// clause word ("at", "with", "except", …) or the end.
fn match_until(tokens: &[Token], i: usize, text: &str) -> Option<(Part, usize)> {
    let mut j = match word(tokens, i) {
        "until" | "till" | "til" | "through" | "thru" => i + 1,
        "ending" | "ends" => i + 1 + usize::from(matches!(word(tokens, i + 1), "on" | "by")),
        _ => return None,
    };
    let start = j;
    while j < tokens.len() && !is_clause_word(word(tokens, j)) {
        j += 1;
    }
    if j == start {
        return None;
    }
    let phrase = text[tokens[start].span.start..tokens[j - 1].span.end].to_string();
    Some((Part::End(EndCondition::Until(phrase)), j))
}

/// "for [the next] N days/weeks/months/years", "for N times/occurrences/sessions".
fn match_for(tokens: &[Token], i: usize) -> Option<(Part, usize)> {
    if word(tokens, i) != "for" {
        return None;
    }
    let mut j = i + 1;
    if word(tokens, j) == "the" && word(tokens, j + 1) == "next" {
        j += 2;
    }
    let amount = number(word(tokens, j))?;
    let unit_text = word(tokens, j + 1);
    if is_times_word(unit_text) {
        return Some((Part::End(EndCondition::Count(amount)), j + 2));
    }
    let unit = unit_word(unit_text)?;
    Some((Part::End(EndCondition::For { amount, unit }), j + 2))
}

/// "N times" / "N occurrences".
fn match_times(tokens: &[Token], i: usize) -> Option<(Part, usize)> {
    let amount = number(word(tokens, i))?;
    is_times_word(word(tokens, i + 1)).then_some((Part::End(EndCondition::Count(amount)), i + 2))
}

/// "except / excluding / skipping / skip / but not <date> [and <date>…]".
fn match_exceptions(tokens: &[Token], i: usize, text: &str) -> Option<(Part, usize)> {
    let mut j = match (word(tokens, i), word(tokens, i + 1)) {
        ("except" | "excluding" | "skipping" | "skip", "on") => i + 2,
        ("except" | "excluding" | "skipping" | "skip", _) => i + 1,
        ("but", "not") => i + 2,
        _ => return None,
    };
    let mut phrases = Vec::new();
    let mut start = j;
    loop {
        let at_end = j >= tokens.len() || is_clause_word(word(tokens, j));
        let separator = word(tokens, j) == "and"
            || (word(tokens, j) == "," && number(word(tokens, j + 1)).is_none());
        if (at_end || separator) && j > start {
            phrases.push(text[tokens[start].span.start..tokens[j - 1].span.end].to_string());
        }
        if at_end {
            break;
        }
        j += 1;
        if separator {
            start = j;
        }
    }
    (!phrases.is_empty()).then_some((Part::Exceptions(phrases), j))
}

fn is_clause_word(word: &str) -> bool {
    matches!(
        word,
        "at" | "with"
            | "from"
            | "starting"
            | "except"
            | "excluding"
            | "skipping"
            | "every"
            | "each"
            | "for"
            | "but"
            | "in"
            | "called"
            | "titled"
            | "about"
    )
}

fn is_times_word(word: &str) -> bool {
    matches!(
        word,
        "times" | "occurrences" | "sessions" | "meetings" | "instances" | "repeats"
    )
}

fn unit_word(word: &str) -> Option<Frequency> {
    match word {
        "day" | "days" => Some(Frequency::Daily),
        "week" | "weeks" => Some(Frequency::Weekly),
        "month" | "months" => Some(Frequency::Monthly),
        "year" | "years" => Some(Frequency::Yearly),
        _ => None,
    }
}

/// A weekday list: "Mon", "Mondays and Wednesdays", "mon, wed & fri", "weekdays".
fn weekday_list(tokens: &[Token], i: usize) -> Option<(Vec<DaySpec>, usize)> {
    let (first, _) = weekday_word(word(tokens, i))?;
    let mut days: Vec<Weekday> = first;
    let mut j = i + 1;
    loop {
        let mut k = j;
        while matches!(word(tokens, k), "," | "and" | "&" | "or") {
            k += 1;
        }
        match weekday_word(word(tokens, k)) {
            Some((more, _)) if k > j => {
                days.extend(more);
                j = k + 1;
            }
            _ => break,
        }
    }
    Some((days.into_iter().map(DaySpec::every).collect(), j))
}

fn is_plural_weekday(word: &str) -> bool {
    weekday_word(word).is_some_and(|(_, plural)| plural)
}

/// A weekday name or abbreviation, "weekday"/"workday" (Mon–Fri) or "weekend", alone
/// or plural; the flag says whether it was plural ("Mondays", "weekdays").
fn weekday_word(word: &str) -> Option<(Vec<Weekday>, bool)> {
    if let Some((day, plural)) = words::weekday_form(word) {
        return Some((vec![day], plural));
    }
    let (stem, plural) = match word.strip_suffix('s') {
        Some(stem) => (stem, true),
        None => (word, false),
    };
    let days = match stem {
        "weekday" | "workday" => WORK_WEEK.to_vec(),
        "weekend" => vec![Weekday::Sat, Weekday::Sun],
        _ => return None,
    };
    Some((days, plural))
}

/// "first"/"1st" … "31st", "last" (-1), "second to last" is not understood.
fn ordinal(word: &str) -> Option<i8> {
    if word == "last" {
        return Some(-1);
    }
    let n = match words::ordinal(word) {
        Some(n) => n,
        None => ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| word.strip_suffix(suffix))?
            .parse()
            .ok()?,
    };
    i8::try_from(n).ok().filter(|n| (1..=31).contains(n))
}

/// A count of days, weeks, …: digits or a spelled number ("every three days").
fn number(word: &str) -> Option<u32> {
    let n = words::cardinal(word).or_else(|| word.parse::<u32>().ok())?;
    (1..=MAX_NUMBER).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recurrence::{count_total, describe};
    use chrono::TimeZone;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn line(text: &str) -> String {
        parse_words(text).unwrap().rule.to_line()
    }

    #[test]
    fn frequencies_and_days_in_words() {
        for (text, rule) in [
            ("every Tuesday", "RRULE:FREQ=WEEKLY;BYDAY=TU"),
            ("every weekday", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
            (
                "on the first of every month",
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
            ),
            ("weekly", "RRULE:FREQ=WEEKLY"),
            ("every other week", "RRULE:FREQ=WEEKLY;INTERVAL=2"),
            (
                "every 2 weeks on Mon and Wed",
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
            ),
            (
                "biweekly on Thursday",
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            ),
            ("daily", "RRULE:FREQ=DAILY"),
            ("every day", "RRULE:FREQ=DAILY"),
            ("every three days", "RRULE:FREQ=DAILY;INTERVAL=3"),
            ("monthly on the 15th", "RRULE:FREQ=MONTHLY;BYMONTHDAY=15"),
            (
                "every month on the 1st and 15th",
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15",
            ),
            (
                "on the last day of the month",
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
            ),
            (
                "the last Friday of every month",
                "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
            ),
            ("every first Monday", "RRULE:FREQ=MONTHLY;BYDAY=1MO"),
            (
                "monthly on the second Tuesday",
                "RRULE:FREQ=MONTHLY;BYDAY=2TU",
            ),
            ("on Mondays and Wednesdays", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE"),
            ("every Mon, Wed & Fri", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR"),
            (
                "every other Tuesday",
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            ),
            ("weekly on Friday", "RRULE:FREQ=WEEKLY;BYDAY=FR"),
            ("yearly", "RRULE:FREQ=YEARLY"),
            ("every year", "RRULE:FREQ=YEARLY"),
            ("quarterly", "RRULE:FREQ=MONTHLY;INTERVAL=3"),
            ("every weekend", "RRULE:FREQ=WEEKLY;BYDAY=SA,SU"),
        ] {
            assert_eq!(line(text), rule, "{text}");
        }
    }

    /// Number, ordinal and weekday words come from `domain::words`; these readings changed
    /// when the tables were folded.
    #[test]
    fn the_shared_vocabulary_adds_spelled_counts_and_ordinals() {
        assert_eq!(line("every thirty days"), "RRULE:FREQ=DAILY;INTERVAL=30");
        assert_eq!(line("every fifteen weeks"), "RRULE:FREQ=WEEKLY;INTERVAL=15");
        assert_eq!(
            line("on the tenth of every month"),
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=10"
        );
        assert_eq!(
            line("monthly on the twenty-first"),
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=21"
        );
        // Unchanged: "weds"/"fris" are plural, "thurs" is one Thursday, "every thurs" weekly.
        assert_eq!(line("on weds"), "RRULE:FREQ=WEEKLY;BYDAY=WE");
        assert_eq!(line("every thurs"), "RRULE:FREQ=WEEKLY;BYDAY=TH");
        // No longer weekdays: "thus" is the English word, "tuess" was never a spelling.
        assert!(parse_words("every thus").is_err());
        assert!(parse_words("every tuess").is_err());
    }

    #[test]
    fn one_date_is_not_a_series() {
        for text in [
            "block Friday as vacation",
            "on Friday",
            "the first draft",
            "lunch at noon",
            "",
        ] {
            assert!(find_in_text(text).is_none(), "{text}");
        }
        let err = parse_words("sometimes").unwrap_err();
        assert!(err.to_string().contains("every Tuesday"), "{err}");
    }

    #[test]
    fn finds_the_phrase_inside_a_request_and_reports_its_spans() {
        let text = "standup every weekday at 9:30 until the end of March";
        let found = find_in_text(text).unwrap();
        assert_eq!(
            found.rule.to_line(),
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        );
        assert_eq!(
            found.end,
            Some(EndCondition::Until("the end of March".to_string()))
        );
        let used: Vec<&str> = found.spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(used, vec!["every weekday", "until the end of March"]);

        let text = "Weekly 1:1 with sam@acme.com every Tuesday at 10am";
        let found = find_in_text(text).unwrap();
        assert_eq!(found.rule.to_line(), "RRULE:FREQ=WEEKLY;BYDAY=TU");
        let found = find_in_text("pay rent on the first of every month").unwrap();
        assert_eq!(found.rule.to_line(), "RRULE:FREQ=MONTHLY;BYMONTHDAY=1");
    }

    #[test]
    fn until_the_end_of_march_ends_on_the_last_local_day_in_utc() {
        let first = ny().with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap();
        let found = parse_words("every weekday until the end of March").unwrap();
        let recurrence = found.resolve(first, false).unwrap();
        // The next end of March after Dec 2026 is in 2027; 23:59:59 EDT = 03:59:59Z Apr 1.
        assert_eq!(
            recurrence.rule.to_line(),
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270401T035959Z"
        );
        assert_eq!(
            describe(&recurrence.rule, ny()),
            "every weekday until Mar 31, 2027"
        );
        let all_day = found
            .resolve(
                first
                    .date_naive()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_local_timezone(ny())
                    .unwrap(),
                true,
            )
            .unwrap();
        assert_eq!(
            all_day.rule.until,
            Some(RuleMoment::Date(
                NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
            ))
        );
    }

    #[test]
    fn until_a_date_phrase_is_inclusive() {
        let first = ny().with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap();
        let recurrence = parse_words("daily until March 31")
            .unwrap()
            .resolve(first, false)
            .unwrap();
        assert_eq!(count_total(&recurrence, first), Some(30));
        let err = parse_words("daily until Feb 1 2026")
            .unwrap()
            .resolve(first, false)
            .unwrap_err();
        assert!(
            err.to_string().contains("before its first occurrence"),
            "{err}"
        );
    }

    #[test]
    fn for_n_weeks_and_n_times() {
        let first = ny().with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap(); // Tuesday
        let ten_weeks = parse_words("every Tuesday for 10 weeks")
            .unwrap()
            .resolve(first, false)
            .unwrap();
        assert_eq!(count_total(&ten_weeks, first), Some(10));
        let weekdays = parse_words("every weekday for the next 2 weeks")
            .unwrap()
            .resolve(first, false)
            .unwrap();
        assert_eq!(
            count_total(&weekdays, first),
            Some(10),
            "Tue Mar 3 .. Mon Mar 16"
        );
        let six = parse_words("weekly, 6 times").unwrap();
        assert_eq!(six.end, Some(EndCondition::Count(6)));
        assert_eq!(
            six.resolve(first, false).unwrap().rule.to_line(),
            "RRULE:FREQ=WEEKLY;COUNT=6"
        );
        let sessions = parse_words("every Monday for 8 sessions").unwrap();
        assert_eq!(sessions.end, Some(EndCondition::Count(8)));
    }

    #[test]
    fn exceptions_become_exdates_of_real_occurrences() {
        let first = ny().with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(); // Tuesday
        let found = parse_words("every Tuesday except Dec 22 and Dec 29").unwrap();
        assert_eq!(found.exceptions, vec!["Dec 22", "Dec 29"]);
        let recurrence = found.resolve(first, false).unwrap();
        assert_eq!(
            recurrence.to_lines(),
            vec![
                "RRULE:FREQ=WEEKLY;BYDAY=TU",
                "EXDATE:20261222T150000Z",
                "EXDATE:20261229T150000Z"
            ]
        );
        let err = parse_words("every Tuesday except Dec 23")
            .unwrap()
            .resolve(first, false)
            .unwrap_err();
        assert!(
            err.to_string().contains("not one of the series' dates"),
            "{err}"
        );
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for text in [
            "every",
            "every other",
            "until",
            "for 5",
            "except",
            "the 99th of every month",
            "every 0 weeks",
            "on the 31st and",
            "every ½ week",
            "ünTIL März",
        ] {
            let _ = find_in_text(text);
        }
        assert!(
            find_in_text(&"every day ".repeat(100)).is_none(),
            "too long is ignored"
        );
    }
}
