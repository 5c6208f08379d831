//! `RRULE` / `EXDATE` text ⇄ [`Rule`] / [`Recurrence`] (RFC 5545 §3.3.10, §3.8.5.1).

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use chrono_tz::Tz;

use super::{DaySpec, Frequency, Recurrence, Rule, RuleMoment};

/// Longest `INTERVAL` accepted (a series every 1000 periods is already absurd).
const MAX_INTERVAL: u32 = 1000;
/// Longest line accepted, so hostile input cannot make parsing expensive.
const MAX_LINE_CHARS: usize = 2000;

/// Why a `recurrence` line could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecurrenceError {
    /// The text is not a valid rule ("INTERVAL=0", a missing `FREQ`, …).
    Malformed(String),
    /// Valid RFC 5545 that this module does not handle (`BYSETPOS`, `RDATE`, …).
    Unsupported(String),
    /// The rule is fine but the request does not fit the series (a cut that is not one of
    /// its occurrences, an `UNTIL` before the first start, an exception on no occurrence).
    NotInSeries(String),
}

impl fmt::Display for RecurrenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecurrenceError::Malformed(detail) => write!(f, "invalid recurrence rule: {detail}"),
            RecurrenceError::Unsupported(detail) => {
                write!(f, "unsupported recurrence rule: {detail}")
            }
            RecurrenceError::NotInSeries(detail) => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for RecurrenceError {}

fn malformed(detail: impl Into<String>) -> RecurrenceError {
    RecurrenceError::Malformed(detail.into())
}

pub(super) fn parse_recurrence(lines: &[String]) -> Result<Recurrence, RecurrenceError> {
    let mut rule = None;
    let mut exdates = Vec::new();
    for line in lines {
        let line = line.trim();
        let (name, _) = split_name(line)?;
        match name.as_str() {
            "RRULE" if rule.is_some() => return Err(malformed("more than one RRULE")),
            "RRULE" => rule = Some(parse_rule(line)?),
            "EXDATE" => exdates.extend(parse_exdate(line)?),
            other => {
                return Err(RecurrenceError::Unsupported(format!(
                    "{other} lines are not supported"
                )))
            }
        }
    }
    let rule = rule.ok_or_else(|| malformed("no RRULE line"))?;
    Ok(Recurrence { rule, exdates })
}

/// The property name of a content line (`RRULE`, `EXDATE`), upper-cased.
fn split_name(line: &str) -> Result<(String, &str), RecurrenceError> {
    if line.chars().count() > MAX_LINE_CHARS {
        return Err(malformed(format!(
            "line longer than {MAX_LINE_CHARS} characters"
        )));
    }
    let end = line.find([':', ';']).unwrap_or(line.len());
    Ok((line[..end].trim().to_ascii_uppercase(), &line[end..]))
}

pub(super) fn parse_rule(line: &str) -> Result<Rule, RecurrenceError> {
    let line = line.trim();
    let body = match line.split_once(':') {
        Some((name, body)) if name.trim().eq_ignore_ascii_case("RRULE") => body,
        Some(_) => return Err(malformed(format!("'{}' is not an RRULE line", short(line)))),
        None => line,
    };
    if body.chars().count() > MAX_LINE_CHARS {
        return Err(malformed(format!(
            "rule longer than {MAX_LINE_CHARS} characters"
        )));
    }
    let mut builder = RuleBuilder::default();
    for part in body.split(';').filter(|p| !p.trim().is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| malformed(format!("'{}' is not KEY=VALUE", short(part))))?;
        builder.set(&key.trim().to_ascii_uppercase(), value.trim())?;
    }
    builder.finish()
}

#[derive(Default)]
struct RuleBuilder {
    seen: Vec<String>,
    frequency: Option<Frequency>,
    interval: Option<u32>,
    by_day: Vec<DaySpec>,
    by_month_day: Vec<i8>,
    by_month: Vec<u32>,
    count: Option<u32>,
    until: Option<RuleMoment>,
    week_start: Option<Weekday>,
}

impl RuleBuilder {
    fn set(&mut self, key: &str, value: &str) -> Result<(), RecurrenceError> {
        if self.seen.iter().any(|k| k == key) {
            return Err(malformed(format!("{key} is given twice")));
        }
        self.seen.push(key.to_string());
        match key {
            "FREQ" => self.frequency = Some(parse_frequency(value)?),
            "INTERVAL" => self.interval = Some(parse_number(key, value, 1, MAX_INTERVAL)?),
            "BYDAY" => self.by_day = parse_list(value, parse_day_spec)?,
            "BYMONTHDAY" => self.by_month_day = parse_list(value, parse_month_day)?,
            "BYMONTH" => self.by_month = parse_list(value, |v| parse_number(key, v, 1, 12))?,
            "COUNT" => self.count = Some(parse_number(key, value, 1, u32::MAX)?),
            "UNTIL" => self.until = Some(parse_moment(value, None)?),
            "WKST" => self.week_start = Some(parse_weekday(value)?),
            other => {
                return Err(RecurrenceError::Unsupported(format!(
                    "the {other} part is not supported"
                )))
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Rule, RecurrenceError> {
        let frequency = self.frequency.ok_or_else(|| malformed("FREQ is missing"))?;
        if self.count.is_some() && self.until.is_some() {
            return Err(malformed("COUNT and UNTIL cannot both be given"));
        }
        let rule = Rule {
            frequency,
            interval: self.interval.unwrap_or(1),
            by_day: self.by_day,
            by_month_day: self.by_month_day,
            by_month: self.by_month,
            count: self.count,
            until: self.until,
            week_start: self.week_start,
        };
        check_ordinals(&rule)?;
        Ok(rule)
    }
}

/// Ordinal weekdays (`1MO`) only mean something in monthly and yearly rules.
fn check_ordinals(rule: &Rule) -> Result<(), RecurrenceError> {
    let has_ordinal = rule.by_day.iter().any(|d| d.ordinal.is_some());
    match rule.frequency {
        Frequency::Daily | Frequency::Weekly if has_ordinal => Err(malformed(
            "BYDAY ordinals (like 1MO) are only valid in MONTHLY or YEARLY rules",
        )),
        Frequency::Yearly if has_ordinal && rule.by_month.is_empty() => {
            Err(RecurrenceError::Unsupported(
                "a YEARLY rule with BYDAY ordinals needs BYMONTH".to_string(),
            ))
        }
        _ => Ok(()),
    }
}

fn parse_list<T>(
    value: &str,
    item: impl Fn(&str) -> Result<T, RecurrenceError>,
) -> Result<Vec<T>, RecurrenceError> {
    value.split(',').map(|v| item(v.trim())).collect()
}

fn parse_frequency(value: &str) -> Result<Frequency, RecurrenceError> {
    match value.to_ascii_uppercase().as_str() {
        "DAILY" => Ok(Frequency::Daily),
        "WEEKLY" => Ok(Frequency::Weekly),
        "MONTHLY" => Ok(Frequency::Monthly),
        "YEARLY" => Ok(Frequency::Yearly),
        "HOURLY" | "MINUTELY" | "SECONDLY" => Err(RecurrenceError::Unsupported(format!(
            "FREQ={value} is not supported"
        ))),
        _ => Err(malformed(format!(
            "FREQ={} is not a frequency",
            short(value)
        ))),
    }
}

fn parse_number(key: &str, value: &str, min: u32, max: u32) -> Result<u32, RecurrenceError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            malformed(format!(
                "{key}={} is not a number from {min} to {max}",
                short(value)
            ))
        })
}

fn parse_month_day(value: &str) -> Result<i8, RecurrenceError> {
    value
        .parse::<i8>()
        .ok()
        .filter(|d| *d != 0 && (-31..=31).contains(d))
        .ok_or_else(|| malformed(format!("BYMONTHDAY={} is not a day of month", short(value))))
}

fn parse_day_spec(value: &str) -> Result<DaySpec, RecurrenceError> {
    let code_start = value.len().saturating_sub(2);
    if !value.is_char_boundary(code_start) {
        return Err(malformed(format!(
            "BYDAY={} is not a weekday",
            short(value)
        )));
    }
    let (ordinal, code) = value.split_at(code_start);
    let weekday = parse_weekday(code)?;
    if ordinal.is_empty() {
        return Ok(DaySpec::every(weekday));
    }
    let n = ordinal
        .trim_start_matches('+')
        .parse::<i8>()
        .ok()
        .filter(|n| *n != 0 && (-53..=53).contains(n))
        .ok_or_else(|| malformed(format!("BYDAY={} has an invalid ordinal", short(value))))?;
    Ok(DaySpec::nth(n, weekday))
}

fn parse_weekday(code: &str) -> Result<Weekday, RecurrenceError> {
    match code.to_ascii_uppercase().as_str() {
        "MO" => Ok(Weekday::Mon),
        "TU" => Ok(Weekday::Tue),
        "WE" => Ok(Weekday::Wed),
        "TH" => Ok(Weekday::Thu),
        "FR" => Ok(Weekday::Fri),
        "SA" => Ok(Weekday::Sat),
        "SU" => Ok(Weekday::Sun),
        _ => Err(malformed(format!(
            "'{}' is not a weekday code",
            short(code)
        ))),
    }
}

/// `20260331` | `20260331T235959Z` | `20260331T100000` (in `tz` when given).
fn parse_moment(value: &str, tz: Option<Tz>) -> Result<RuleMoment, RecurrenceError> {
    let bad = || malformed(format!("'{}' is not a date or date-time", short(value)));
    if value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(RuleMoment::Date)
            .map_err(|_| bad());
    }
    if let Some(utc) = value.strip_suffix(['Z', 'z']) {
        let naive = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
        return Ok(RuleMoment::Utc(naive.and_utc()));
    }
    let naive = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
    Ok(RuleMoment::Local(naive, tz))
}

fn parse_exdate(line: &str) -> Result<Vec<RuleMoment>, RecurrenceError> {
    let (head, values) = line
        .split_once(':')
        .ok_or_else(|| malformed(format!("'{}' has no value", short(line))))?;
    let mut tz = None;
    for param in head.split(';').skip(1) {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        match key.trim().to_ascii_uppercase().as_str() {
            "TZID" => tz = Some(parse_tzid(value)?),
            "VALUE" => {}
            other => {
                return Err(RecurrenceError::Unsupported(format!(
                    "the EXDATE parameter {other} is not supported"
                )))
            }
        }
    }
    parse_list(values, |v| parse_moment(v, tz))
}

fn parse_tzid(value: &str) -> Result<Tz, RecurrenceError> {
    let name = value.trim().trim_matches('"');
    name.parse::<Tz>()
        .map_err(|_| malformed(format!("TZID={} is not an IANA zone", short(name))))
}

pub(super) fn format_rule(rule: &Rule) -> String {
    let mut parts = vec![format!("FREQ={}", frequency_code(rule.frequency))];
    if rule.interval > 1 {
        parts.push(format!("INTERVAL={}", rule.interval));
    }
    if !rule.by_month.is_empty() {
        parts.push(format!("BYMONTH={}", join(&rule.by_month)));
    }
    if !rule.by_month_day.is_empty() {
        parts.push(format!("BYMONTHDAY={}", join(&rule.by_month_day)));
    }
    if !rule.by_day.is_empty() {
        let days: Vec<String> = rule.by_day.iter().map(format_day_spec).collect();
        parts.push(format!("BYDAY={}", days.join(",")));
    }
    if let Some(count) = rule.count {
        parts.push(format!("COUNT={count}"));
    }
    if let Some(until) = &rule.until {
        parts.push(format!("UNTIL={}", format_moment_value(until)));
    }
    if let Some(week_start) = rule.week_start {
        parts.push(format!("WKST={}", weekday_code(week_start)));
    }
    format!("RRULE:{}", parts.join(";"))
}

pub(super) fn format_recurrence(recurrence: &Recurrence) -> Vec<String> {
    let mut lines = vec![format_rule(&recurrence.rule)];
    lines.extend(recurrence.exdates.iter().map(format_exdate));
    lines
}

fn format_exdate(moment: &RuleMoment) -> String {
    let value = format_moment_value(moment);
    match moment {
        RuleMoment::Date(_) => format!("EXDATE;VALUE=DATE:{value}"),
        RuleMoment::Local(_, Some(tz)) => format!("EXDATE;TZID={}:{value}", tz.name()),
        RuleMoment::Utc(_) | RuleMoment::Local(_, None) => format!("EXDATE:{value}"),
    }
}

fn format_moment_value(moment: &RuleMoment) -> String {
    match moment {
        RuleMoment::Date(date) => date.format("%Y%m%d").to_string(),
        RuleMoment::Utc(instant) => instant.format("%Y%m%dT%H%M%SZ").to_string(),
        RuleMoment::Local(naive, _) => naive.format("%Y%m%dT%H%M%S").to_string(),
    }
}

fn format_day_spec(spec: &DaySpec) -> String {
    match spec.ordinal {
        Some(n) => format!("{n}{}", weekday_code(spec.weekday)),
        None => weekday_code(spec.weekday).to_string(),
    }
}

fn frequency_code(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Daily => "DAILY",
        Frequency::Weekly => "WEEKLY",
        Frequency::Monthly => "MONTHLY",
        Frequency::Yearly => "YEARLY",
    }
}

pub(super) fn weekday_code(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn lines(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_weekly_rule_with_days_and_interval() {
        let rule = Rule::parse("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE").unwrap();
        assert_eq!(rule.frequency, Frequency::Weekly);
        assert_eq!(rule.interval, 2);
        assert_eq!(
            rule.by_day,
            vec![DaySpec::every(Weekday::Mon), DaySpec::every(Weekday::Wed)]
        );
        assert!(!rule.is_finite());
    }

    #[test]
    fn parses_ordinal_weekdays_and_month_days() {
        let rule = Rule::parse("FREQ=MONTHLY;BYDAY=1MO,-1FR,+2TU").unwrap();
        assert_eq!(
            rule.by_day,
            vec![
                DaySpec::nth(1, Weekday::Mon),
                DaySpec::nth(-1, Weekday::Fri),
                DaySpec::nth(2, Weekday::Tue)
            ]
        );
        let rule = Rule::parse("RRULE:FREQ=MONTHLY;BYMONTHDAY=1,-1").unwrap();
        assert_eq!(rule.by_month_day, vec![1, -1]);
    }

    #[test]
    fn parses_until_in_all_three_forms_and_count() {
        let utc = Rule::parse("RRULE:FREQ=DAILY;UNTIL=20260331T235959Z").unwrap();
        assert_eq!(
            utc.until,
            Some(RuleMoment::Utc(
                Utc.with_ymd_and_hms(2026, 3, 31, 23, 59, 59).unwrap()
            ))
        );
        let date = Rule::parse("RRULE:FREQ=DAILY;UNTIL=20260331").unwrap();
        assert_eq!(
            date.until,
            Some(RuleMoment::Date(
                NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
            ))
        );
        let local = Rule::parse("rrule:freq=daily;until=20260331T100000").unwrap();
        assert!(matches!(local.until, Some(RuleMoment::Local(_, None))));
        assert_eq!(
            Rule::parse("RRULE:FREQ=DAILY;COUNT=10").unwrap().count,
            Some(10)
        );
    }

    #[test]
    fn rejects_malformed_rules_with_a_reason() {
        for (line, needle) in [
            ("RRULE:INTERVAL=2", "FREQ is missing"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0"),
            ("RRULE:FREQ=FORTNIGHTLY", "not a frequency"),
            ("RRULE:FREQ=WEEKLY;BYDAY=XX", "weekday code"),
            ("RRULE:FREQ=WEEKLY;BYDAY=1MO", "ordinals"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=32", "day of month"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=0", "day of month"),
            ("RRULE:FREQ=DAILY;COUNT=2;UNTIL=20260101", "COUNT and UNTIL"),
            ("RRULE:FREQ=DAILY;FREQ=WEEKLY", "twice"),
            ("RRULE:FREQ=DAILY;UNTIL=2026-03-31", "date or date-time"),
            ("RRULE:FREQ=DAILY;COUNT", "KEY=VALUE"),
        ] {
            let err = Rule::parse(line).unwrap_err();
            assert!(
                matches!(err, RecurrenceError::Malformed(_)),
                "{line}: {err:?}"
            );
            assert!(err.to_string().contains(needle), "{line}: {err}");
        }
    }

    #[test]
    fn unsupported_parts_are_named_not_ignored() {
        for (line, needle) in [
            ("RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", "BYSETPOS"),
            ("RRULE:FREQ=HOURLY", "HOURLY"),
            ("RRULE:FREQ=YEARLY;BYDAY=20MO", "BYMONTH"),
        ] {
            let err = Rule::parse(line).unwrap_err();
            assert!(matches!(err, RecurrenceError::Unsupported(_)), "{line}");
            assert!(err.to_string().contains(needle), "{line}: {err}");
        }
    }

    #[test]
    fn parses_recurrence_array_with_exdates() {
        let recurrence = Recurrence::parse(&lines(&[
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "EXDATE:20260310T150000Z",
            "EXDATE;TZID=America/New_York:20260317T100000,20260324T100000",
            "EXDATE;VALUE=DATE:20260331",
        ]))
        .unwrap();
        let ny: Tz = "America/New_York".parse().unwrap();
        let naive = |d| {
            NaiveDate::from_ymd_opt(2026, 3, d)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
        };
        assert_eq!(
            recurrence.exdates,
            vec![
                RuleMoment::Utc(Utc.with_ymd_and_hms(2026, 3, 10, 15, 0, 0).unwrap()),
                RuleMoment::Local(naive(17), Some(ny)),
                RuleMoment::Local(naive(24), Some(ny)),
                RuleMoment::Date(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
            ]
        );
    }

    #[test]
    fn recurrence_array_needs_exactly_one_rule() {
        assert!(Recurrence::parse(&lines(&["EXDATE:20260310T150000Z"])).is_err());
        assert!(Recurrence::parse(&lines(&["RRULE:FREQ=DAILY", "RRULE:FREQ=WEEKLY"])).is_err());
        let err = Recurrence::parse(&lines(&["RRULE:FREQ=DAILY", "RDATE:20260310"])).unwrap_err();
        assert!(matches!(err, RecurrenceError::Unsupported(_)));
        let err = Recurrence::parse(&lines(&[
            "RRULE:FREQ=DAILY",
            "EXDATE;TZID=Mars/Base:20260310T1000",
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("TZID"));
    }

    #[test]
    fn formats_in_a_stable_order() {
        let mut rule = Rule::new(Frequency::Monthly);
        rule.interval = 3;
        rule.by_day = vec![DaySpec::nth(-1, Weekday::Fri)];
        rule.count = Some(4);
        assert_eq!(
            rule.to_line(),
            "RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;COUNT=4"
        );
        let mut recurrence = Recurrence::new(Rule::new(Frequency::Daily));
        recurrence.rule.until = Some(RuleMoment::Utc(
            Utc.with_ymd_and_hms(2026, 4, 1, 3, 59, 59).unwrap(),
        ));
        recurrence.exdates = vec![
            RuleMoment::Date(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()),
            RuleMoment::Local(
                NaiveDate::from_ymd_opt(2026, 3, 4)
                    .unwrap()
                    .and_hms_opt(9, 30, 0)
                    .unwrap(),
                Some("Europe/Berlin".parse().unwrap()),
            ),
        ];
        assert_eq!(
            recurrence.to_lines(),
            lines(&[
                "RRULE:FREQ=DAILY;UNTIL=20260401T035959Z",
                "EXDATE;VALUE=DATE:20260303",
                "EXDATE;TZID=Europe/Berlin:20260304T093000",
            ])
        );
    }

    fn arb_rule() -> impl Strategy<Value = Rule> {
        let weekday = (0u8..7).prop_map(|n| Weekday::try_from(n).unwrap());
        (
            prop_oneof![
                Just(Frequency::Daily),
                Just(Frequency::Weekly),
                Just(Frequency::Monthly),
                Just(Frequency::Yearly)
            ],
            1u32..10,
            proptest::collection::vec(weekday, 0..4),
            proptest::collection::vec(prop_oneof![1i8..=31, -31i8..=-1], 0..3),
            proptest::collection::vec(1u32..=12, 0..3),
            proptest::option::of(1u32..500),
        )
            .prop_map(
                |(frequency, interval, days, month_days, months, count)| Rule {
                    frequency,
                    interval,
                    by_day: days.into_iter().map(DaySpec::every).collect(),
                    by_month_day: month_days,
                    by_month: months,
                    count,
                    until: None,
                    week_start: None,
                },
            )
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(rule in arb_rule()) {
            prop_assert_eq!(Rule::parse(&rule.to_line()).unwrap(), rule);
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in ".{0,80}") {
            let _ = Rule::parse(&text);
            let _ = Recurrence::parse(&[text]);
        }
    }
}
