//! A rule in words: "weekly on Tue", "every weekday", "monthly on the 1st",
//! "every 2 weeks on Mon and Wed", "daily until Mar 31", "monthly on the last Fri, 6 times".

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;

use super::{DaySpec, Frequency, Rule, RuleMoment, WORK_WEEK};

/// The rule in short English; an `UNTIL` is shown as its local date in `tz`.
pub fn describe(rule: &Rule, tz: Tz) -> String {
    let mut text = match rule.frequency {
        Frequency::Daily if rule.by_day.is_empty() => every(rule.interval, "daily", "days"),
        Frequency::Daily | Frequency::Weekly => describe_weekly(rule),
        Frequency::Monthly => {
            with_days(every(rule.interval, "monthly", "months"), month_days(rule))
        }
        Frequency::Yearly => with_days(every(rule.interval, "yearly", "years"), year_days(rule)),
    };
    if let Some(until) = &rule.until {
        text.push_str(&format!(" until {}", short_date(until_date(until, tz))));
    }
    if let Some(count) = rule.count {
        let times = if count == 1 {
            "once".to_string()
        } else {
            format!("{count} times")
        };
        text.push_str(&format!(", {times}"));
    }
    text
}

fn every(interval: u32, one: &str, unit: &str) -> String {
    if interval <= 1 {
        one.to_string()
    } else {
        format!("every {interval} {unit}")
    }
}

fn with_days(head: String, days: Option<String>) -> String {
    match days {
        Some(days) => format!("{head} on {days}"),
        None => head,
    }
}

fn describe_weekly(rule: &Rule) -> String {
    let mut days: Vec<Weekday> = rule.by_day.iter().map(|s| s.weekday).collect();
    days.sort_by_key(|d| d.num_days_from_monday());
    days.dedup();
    let is_work_week = days == WORK_WEEK;
    match (rule.interval, days.len()) {
        (1, 7) => "daily".to_string(),
        (1, _) if is_work_week => "every weekday".to_string(),
        (n, _) if is_work_week => format!("every {n} weeks on weekdays"),
        (_, 0) => every(rule.interval, "weekly", "weeks"),
        _ => format!(
            "{} on {}",
            every(rule.interval, "weekly", "weeks"),
            list(days.iter().map(|d| weekday_name(*d).to_string()).collect())
        ),
    }
}

fn month_days(rule: &Rule) -> Option<String> {
    if !rule.by_month_day.is_empty() {
        let days = rule
            .by_month_day
            .iter()
            .map(|d| month_day_name(*d))
            .collect();
        return Some(format!("the {}", list(days)));
    }
    ordinal_days(&rule.by_day)
}

fn year_days(rule: &Rule) -> Option<String> {
    let months: Vec<String> = rule
        .by_month
        .iter()
        .map(|m| month_name(*m).to_string())
        .collect();
    let of_months = list(months);
    if rule.by_month_day.len() == 1 && rule.by_month.len() == 1 && rule.by_month_day[0] > 0 {
        return Some(format!("{of_months} {}", rule.by_month_day[0]));
    }
    let days = month_days(rule)?;
    if of_months.is_empty() {
        Some(days)
    } else {
        Some(format!("{days} of {of_months}"))
    }
}

/// "the first Mon", "the last Fri and the second Tue", or plain weekdays.
fn ordinal_days(specs: &[DaySpec]) -> Option<String> {
    if specs.is_empty() {
        return None;
    }
    let parts = specs
        .iter()
        .map(|spec| match spec.ordinal {
            Some(n) => format!("the {} {}", ordinal_word(n), weekday_name(spec.weekday)),
            None => weekday_name(spec.weekday).to_string(),
        })
        .collect();
    Some(list(parts))
}

/// "first" … "fifth" (the ordinals of a weekday in its month), "last", "second to last",
/// else "6th", "3rd to last".
fn ordinal_word(n: i8) -> String {
    match n {
        -1 => "last".to_string(),
        -2 => format!("{} to last", ordinal_word(2)),
        1..=5 => crate::domain::words::ordinal_name(n.unsigned_abs().into())
            .map_or_else(|| ordinal_number(n.unsigned_abs().into()), str::to_string),
        n if n > 0 => ordinal_number(n as u32),
        n => format!("{} to last", ordinal_number(n.unsigned_abs() as u32)),
    }
}

fn month_day_name(day: i8) -> String {
    match day {
        -1 => "last day".to_string(),
        d if d < 0 => format!("{} to last day", ordinal_number(d.unsigned_abs() as u32)),
        d => ordinal_number(d as u32),
    }
}

pub(super) fn ordinal_number(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "Mon", "Mon and Wed", "Mon, Wed and Fri".
fn list(items: Vec<String>) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn until_date(until: &RuleMoment, tz: Tz) -> NaiveDate {
    match until {
        RuleMoment::Date(date) => *date,
        RuleMoment::Utc(instant) => instant.with_timezone(&tz).date_naive(),
        RuleMoment::Local(naive, _) => naive.date(),
    }
}

fn short_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

/// "Mon" … "Sun": the first three letters of `local_time::weekday_name`.
pub(super) fn weekday_name(weekday: Weekday) -> &'static str {
    &crate::domain::local_time::weekday_name(weekday)[..3]
}

/// "Jan" … "Dec": the first three letters of the English month name.
fn month_name(month: u32) -> &'static str {
    u8::try_from(month)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
        .map_or("?", |m| &m.name()[..3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says(line: &str) -> String {
        describe(
            &Rule::parse(line).unwrap(),
            "America/New_York".parse().unwrap(),
        )
    }

    #[test]
    fn describes_the_common_rules_in_words() {
        for (line, words) in [
            ("RRULE:FREQ=WEEKLY;BYDAY=TU", "weekly on Tue"),
            ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
            ("RRULE:FREQ=DAILY;BYDAY=FR,MO,TU,WE,TH", "every weekday"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "monthly on the 1st"),
            (
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
                "every 2 weeks on Mon and Wed",
            ),
            ("RRULE:FREQ=DAILY", "daily"),
            ("RRULE:FREQ=DAILY;INTERVAL=3", "every 3 days"),
            ("RRULE:FREQ=WEEKLY", "weekly"),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
                "weekly on Mon, Wed and Fri",
            ),
            ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "daily"),
            ("RRULE:FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Fri"),
            (
                "RRULE:FREQ=MONTHLY;BYDAY=-2TU,5SU",
                "monthly on the second to last Tue and the fifth Sun",
            ),
            (
                "RRULE:FREQ=MONTHLY;BYDAY=1MO,3MO",
                "monthly on the first Mon and the third Mon",
            ),
            (
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
                "monthly on the last day",
            ),
            (
                "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15",
                "monthly on the 1st and 15th",
            ),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=22", "monthly on the 22nd"),
            ("RRULE:FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
            (
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
                "yearly on Mar 3",
            ),
            (
                "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
                "yearly on the fourth Thu of Nov",
            ),
            ("RRULE:FREQ=YEARLY", "yearly"),
            (
                "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
                "weekly on Tue, 10 times",
            ),
            ("RRULE:FREQ=DAILY;COUNT=1", "daily, once"),
        ] {
            assert_eq!(says(line), words, "{line}");
        }
    }

    #[test]
    fn until_is_shown_as_the_local_date() {
        // 03:59:59 UTC on Apr 1 is still Mar 31 in New York.
        assert_eq!(
            says("RRULE:FREQ=DAILY;UNTIL=20260401T035959Z"),
            "daily until Mar 31, 2026"
        );
        assert_eq!(
            says("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20260331"),
            "every weekday until Mar 31, 2026"
        );
    }

    #[test]
    fn ordinal_numbers_use_english_suffixes() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .iter()
            .map(|n| ordinal_number(*n))
            .collect();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]
        );
    }
}
