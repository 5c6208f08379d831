//! A series moved to other days or another time of day: the rule's days replaced (weekly
//! `BYDAY`, monthly `BYMONTHDAY`) and its exceptions moved with the occurrences they skip.
//!
//! Decisions:
//! - An occurrence moved to another day moves the rule's only day there: a weekly rule on
//!   one weekday gets the new weekday, a monthly rule on one day of the month gets the new
//!   day of the month. Rules on several days, daily, yearly and ordinal-weekday rules
//!   ("the first Monday") have no single day to move: the caller must name the new days.
//! - Named days ("every Wednesday") replace the rule's day parts only; how often it
//!   repeats (`FREQ`, `INTERVAL`) and how it ends (`COUNT`, `UNTIL`) stay.
//! - Every `EXDATE` moves by the same number of days and to the same new wall time as the
//!   series' first start, in the series' zone (so a skipped Tuesday 10:00 becomes the
//!   skipped Wednesday 10:30 of that week); one that then hits no occurrence is dropped.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::expand::count_between;
use super::{describe, DaySpec, Frequency, Recurrence, RecurrenceError, Rule, RuleMoment};
use crate::domain::local_time::{add_days_to_date, at, start_of_day};

/// The rule with the occurrence on `from` moved to `to` (see the module's decisions).
pub fn rule_moved_to_day(
    rule: &Rule,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Rule, RecurrenceError> {
    let mut moved = rule.clone();
    match rule.frequency {
        Frequency::Weekly if rule.by_day.len() <= 1 && from.weekday() != to.weekday() => {
            moved.by_day = vec![DaySpec::every(to.weekday())];
        }
        Frequency::Monthly
            if rule.by_day.is_empty() && rule.by_month_day.len() <= 1 && from.day() != to.day() =>
        {
            moved.by_month_day = vec![to.day() as i8];
        }
        _ => return Err(no_single_day(rule)),
    }
    Ok(moved)
}

/// The rule repeating on the days `named` gives instead; `None` when `named` names no
/// days or the same ones. Another frequency or interval is refused.
pub fn rule_on_named_days(rule: &Rule, named: &Rule) -> Result<Option<Rule>, RecurrenceError> {
    let names_days = !named.by_day.is_empty() || !named.by_month_day.is_empty();
    if !names_days {
        return Ok(None);
    }
    let frequency_kept = named.frequency == rule.frequency
        || (named.frequency == Frequency::Weekly && rule.frequency == Frequency::Daily);
    if !frequency_kept || (named.interval != 1 && named.interval != rule.interval) {
        return Err(RecurrenceError::Unsupported(format!(
            "the series repeats {}; changing how often it repeats is not supported (end it and create a new series)",
            describe(rule, Tz::UTC)
        )));
    }
    let mut moved = rule.clone();
    moved.by_day = named.by_day.clone();
    moved.by_month_day = named.by_month_day.clone();
    if moved.frequency == Frequency::Daily {
        moved.frequency = Frequency::Weekly;
    }
    Ok((moved != *rule).then_some(moved))
}

fn no_single_day(rule: &Rule) -> RecurrenceError {
    let days: Vec<&str> = rule
        .by_day
        .iter()
        .map(|d| super::describe::weekday_name(d.weekday))
        .collect();
    let hint = match rule.frequency {
        Frequency::Weekly if days.len() > 1 => format!("it repeats on {}", days.join(", ")),
        _ => format!("it repeats {}", describe(rule, Tz::UTC)),
    };
    RecurrenceError::NotInSeries(format!(
        "{hint}, so one new day does not say which days it should repeat on: give the new days (e.g. 'every Tuesday and Thursday')"
    ))
}

/// The recurrence of a series whose first start moves from `old_first` to `new_first`
/// (same zone), its exceptions moved along; `series` holds the new rule and the old
/// exceptions.
pub fn move_exdates(
    series: &Recurrence,
    old_first: DateTime<Tz>,
    new_first: DateTime<Tz>,
) -> Recurrence {
    let tz = new_first.timezone();
    let days = (new_first.date_naive() - old_first.date_naive()).num_days();
    let bare = Recurrence::new(series.rule.clone());
    let exdates = series
        .exdates
        .iter()
        .map(|moment| shifted(*moment, tz, days, new_first))
        .filter(|moment| skips_an_occurrence(&bare, new_first, moment))
        .collect();
    Recurrence {
        rule: series.rule.clone(),
        exdates,
    }
}

fn shifted(moment: RuleMoment, tz: Tz, days: i64, new_first: DateTime<Tz>) -> RuleMoment {
    let wall = new_first.naive_local().time();
    let moved = |instant: DateTime<Tz>| {
        let date = add_days_to_date(instant.with_timezone(&tz).date_naive(), days);
        at(tz, date, wall)
    };
    match moment {
        RuleMoment::Date(date) => RuleMoment::Date(add_days_to_date(date, days)),
        RuleMoment::Utc(instant) => {
            RuleMoment::Utc(moved(instant.with_timezone(&tz)).with_timezone(&Utc))
        }
        RuleMoment::Local(naive, zone) => {
            let instant = crate::domain::local_time::resolve_local(zone.unwrap_or(tz), naive);
            RuleMoment::Local(moved(instant).naive_local(), zone.map(|_| tz))
        }
    }
}

fn skips_an_occurrence(bare: &Recurrence, first: DateTime<Tz>, moment: &RuleMoment) -> bool {
    let tz = first.timezone();
    let (from, to) = match *moment {
        RuleMoment::Date(date) => (
            start_of_day(tz, date).with_timezone(&Utc),
            start_of_day(tz, add_days_to_date(date, 1)).with_timezone(&Utc),
        ),
        RuleMoment::Utc(instant) => (instant, instant + Duration::seconds(1)),
        RuleMoment::Local(naive, zone) => {
            let instant = crate::domain::local_time::resolve_local(zone.unwrap_or(tz), naive);
            let instant = instant.with_timezone(&Utc);
            (instant, instant + Duration::seconds(1))
        }
    };
    count_between(bare, first, from, to) > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::recurrence::expand;
    use chrono::TimeZone;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn rule(line: &str) -> Rule {
        Rule::parse(line).unwrap()
    }

    fn rec(lines: &[&str]) -> Recurrence {
        Recurrence::parse(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_single_weekday_or_month_day_moves_to_the_new_day() {
        let tue = d(2026, 12, 1);
        let weekly = rule_moved_to_day(&rule("FREQ=WEEKLY;BYDAY=TU;COUNT=10"), tue, d(2026, 12, 2));
        assert_eq!(
            weekly.unwrap().to_line(),
            "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10"
        );
        let implicit = rule_moved_to_day(&rule("FREQ=WEEKLY;INTERVAL=2"), tue, d(2026, 12, 3));
        assert_eq!(
            implicit.unwrap().to_line(),
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
        );
        let monthly = rule_moved_to_day(&rule("FREQ=MONTHLY;BYMONTHDAY=1"), tue, d(2026, 12, 5));
        assert_eq!(
            monthly.unwrap().to_line(),
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=5"
        );
    }

    #[test]
    fn rules_without_one_day_to_move_ask_for_the_new_days() {
        let tue = d(2026, 12, 1);
        for line in [
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "FREQ=DAILY",
            "FREQ=MONTHLY;BYDAY=1TU",
            "FREQ=YEARLY",
        ] {
            let err = rule_moved_to_day(&rule(line), tue, d(2026, 12, 3)).unwrap_err();
            assert!(
                err.to_string().contains("give the new days"),
                "{line}: {err}"
            );
        }
        let err = rule_moved_to_day(&rule("FREQ=WEEKLY;BYDAY=MO,TU"), tue, d(2026, 12, 3));
        assert!(err.unwrap_err().to_string().contains("Mon, Tue"));
    }

    #[test]
    fn named_days_replace_only_the_day_parts() {
        let series = rule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270401T035959Z");
        let named = rule("FREQ=WEEKLY;BYDAY=TU,TH");
        assert_eq!(
            rule_on_named_days(&series, &named)
                .unwrap()
                .unwrap()
                .to_line(),
            "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270401T035959Z"
        );
        assert_eq!(rule_on_named_days(&series, &series).unwrap(), None);
        assert_eq!(
            rule_on_named_days(&series, &rule("FREQ=WEEKLY")).unwrap(),
            None
        );
        assert!(rule_on_named_days(&series, &rule("FREQ=MONTHLY;BYMONTHDAY=3")).is_err());
        assert!(rule_on_named_days(&series, &rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")).is_err());
        let daily = rule_on_named_days(&rule("FREQ=DAILY"), &named)
            .unwrap()
            .unwrap();
        assert_eq!(daily.to_line(), "RRULE:FREQ=WEEKLY;BYDAY=TU,TH");
    }

    #[test]
    fn exdates_follow_a_new_time_of_day_across_dst() {
        // Tuesdays 10:00 New York; Nov 24 (EST) and a zoned Mar 16 (EDT) are skipped.
        let series = rec(&[
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "EXDATE:20261124T150000Z",
            "EXDATE;TZID=America/New_York:20270316T100000",
            "EXDATE;VALUE=DATE:20261208",
        ]);
        let old = ny().with_ymd_and_hms(2026, 11, 3, 10, 0, 0).unwrap();
        let new = ny().with_ymd_and_hms(2026, 11, 3, 10, 30, 0).unwrap();
        let moved = move_exdates(&series, old, new);
        assert_eq!(
            moved.to_lines(),
            vec![
                "RRULE:FREQ=WEEKLY;BYDAY=TU",
                "EXDATE:20261124T153000Z",
                "EXDATE;TZID=America/New_York:20270316T103000",
                "EXDATE;VALUE=DATE:20261208",
            ]
        );
        let window = |y, m, day| Utc.with_ymd_and_hms(y, m, day, 0, 0, 0).unwrap();
        let left = expand(&moved, new, window(2026, 11, 1), window(2027, 4, 1)).starts;
        let all = expand(
            &Recurrence::new(series.rule.clone()),
            new,
            window(2026, 11, 1),
            window(2027, 4, 1),
        )
        .starts;
        assert_eq!(all.len() - left.len(), 3, "each exception still skips one");
    }

    #[test]
    fn exdates_move_with_a_new_day_and_are_dropped_when_they_hit_nothing() {
        let moved_rule = rule("FREQ=WEEKLY;BYDAY=WE");
        let series = Recurrence {
            rule: moved_rule,
            exdates: rec(&[
                "RRULE:FREQ=WEEKLY",
                "EXDATE:20261215T150000Z",
                "EXDATE:20261216T170000Z",
            ])
            .exdates,
        };
        let old = ny().with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let new = ny().with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let moved = move_exdates(&series, old, new);
        assert_eq!(
            moved.to_lines(),
            vec!["RRULE:FREQ=WEEKLY;BYDAY=WE", "EXDATE:20261216T150000Z"],
            "the skipped Tue Dec 15 is the skipped Wed Dec 16; a Wednesday 12:00 matched no occurrence"
        );
    }
}
