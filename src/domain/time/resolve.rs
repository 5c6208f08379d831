//! Resolution: [`Words`] + now + role → an instant in the user's zone.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;

use super::days::{
    day_of_month_on, in_month, nth_weekday_from, quarter_end, quarter_start, yearless_on,
};
use super::error::TimeError;
use super::grammar::*;
use super::moment::*;
use super::options::PhraseOptions;
use super::roles::MomentRole;
use super::tokens::hm;
use super::{MAX_PHRASE_CHARS, PLAUSIBLE_YEARS};
use crate::domain::local_time::{
    add_days_to_date, month_end_date, month_start_date, next_weekday_after,
    next_weekday_on_or_after, place_local, week_start_date, weekday_in_week_of, weekday_name,
};

pub(crate) fn interpret(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
    keep: KeepFrom,
) -> Result<Interpretation, TimeError> {
    interpret_with(phrase, now, role, keep, PhraseOptions::default())
}

pub(crate) fn interpret_with(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
    keep: KeepFrom,
    options: PhraseOptions,
) -> Result<Interpretation, TimeError> {
    let interpretation = interpret_unbounded(phrase, now, role, keep, options)?;
    // Explicit dates such as "0000-01-01T10:00" or "9999-12-31T23:30" (whose end would be
    // in year 10000) are not real calendar requests; word phrases are bounded by offsets.
    if !PLAUSIBLE_YEARS.contains(&interpretation.moment.utc().year()) {
        return Err(TimeError::OutOfRange {
            phrase: phrase.trim().chars().take(MAX_PHRASE_CHARS).collect(),
        });
    }
    Ok(interpretation)
}

pub(super) fn interpret_unbounded(
    phrase: &str,
    now: DateTime<Tz>,
    role: MomentRole,
    keep: KeepFrom,
    options: PhraseOptions,
) -> Result<Interpretation, TimeError> {
    let tz = now.timezone();
    match parse(phrase, options)? {
        Parsed::Instant(fixed) => Ok(exact_instant(fixed.with_timezone(&tz), now)),
        Parsed::Local(naive) => {
            let placed = place_local(tz, naive);
            Ok(Interpretation {
                moment: ResolvedMoment {
                    instant: placed.instant,
                    date: placed.instant.date_naive(),
                    time: Some(naive.time()),
                    date_given: true,
                    time_source: TimeSource::Explicit,
                    shifted_by_dst_gap: placed.shifted_by_gap,
                    is_past: placed.instant < now,
                },
                part: None,
                clock_given: true,
                exact: false,
            })
        }
        Parsed::Words(words) => words.resolve(phrase.trim(), now, role, keep),
    }
}

impl Words {
    /// The time of day the words give: `(Some(time), source)`, or `(None, DayPart)` for
    /// "midnight" (resolved as the end of the day). `None` when nothing about the time.
    pub(super) fn time_of_day(&self) -> Option<(Option<NaiveTime>, TimeSource)> {
        if let Some(clock) = self.clock {
            let hour = clock_hour(clock, self.part);
            return Some((
                NaiveTime::from_hms_opt(hour, clock.minute, 0),
                TimeSource::Explicit,
            ));
        }
        match self.part {
            Some(PartWord::Midnight) => Some((None, TimeSource::DayPart)),
            Some(part) => Some((Some(part.anchor()), TimeSource::DayPart)),
            None => None,
        }
    }

    pub(super) fn resolve(
        &self,
        phrase: &str,
        now: DateTime<Tz>,
        role: MomentRole,
        keep: KeepFrom,
    ) -> Result<Interpretation, TimeError> {
        let tz = now.timezone();
        let today = now.date_naive();
        let conflict = |detail: &str| TimeError::Conflict {
            phrase: phrase.to_string(),
            detail: detail.to_string(),
        };
        let out_of_range = || TimeError::OutOfRange {
            phrase: phrase.to_string(),
        };
        if let Some(PartWord::Midnight | PartWord::Noon | PartWord::EndOfDay) = self.part {
            if self.clock.is_some() {
                return Err(conflict("it gives a clock time and a time of day"));
            }
        }

        // Exact instants: "now", "in 2 hours", "30 minutes later".
        let exact_anchor = match keep {
            KeepFrom::Original(original) if self.offset_is_shift => original,
            _ => now,
        };
        // "15 minutes from 1pm", "2 hours after noon": the named moment, then the offset.
        if let (Some(Offset::Minutes(m)), true) = (self.offset, self.offset_from_named_day) {
            let named = Words {
                offset: None,
                offset_from_named_day: false,
                ..self.clone()
            };
            let base = named.resolve(phrase, now, role, keep)?.moment.instant;
            let instant = base
                .checked_add_signed(Duration::minutes(m))
                .ok_or_else(out_of_range)?;
            return Ok(exact_instant(instant, now));
        }
        // "at this time", "same time" alone: now.
        let now_itself = self.same_time
            && self.date.is_none()
            && self.weekday.is_none()
            && self.offset.is_none()
            && self.weekday_from_day.is_none();
        if self.now || now_itself || self.offset.is_some_and(Offset::is_exact) {
            // "today in one hour": today adds nothing to an exact offset.
            let other_day = self.date.is_some_and(|d| d != DateSpec::RelDays(0));
            if other_day || self.weekday.is_some() || self.clock.is_some() {
                return Err(conflict(
                    "an exact offset cannot be combined with a day or time",
                ));
            }
            let instant = match self.offset {
                Some(Offset::Minutes(m)) => exact_anchor
                    .checked_add_signed(Duration::minutes(m))
                    .ok_or_else(out_of_range)?,
                Some(Offset::Mixed { months, minutes }) => {
                    let local = exact_anchor.naive_local();
                    let date = shift_months(local.date(), months).ok_or_else(out_of_range)?;
                    place_local(tz, date.and_time(local.time()))
                        .instant
                        .checked_add_signed(Duration::minutes(minutes))
                        .ok_or_else(out_of_range)?
                }
                _ => now,
            };
            return Ok(exact_instant(instant, now));
        }

        let original = match keep {
            KeepFrom::Original(o) => Some(o),
            KeepFrom::Nothing => None,
        };
        // The base day for day offsets: the original's day for "2 days later" when re-timing.
        let offset_base = match original {
            Some(o) if self.offset_is_shift => o.date_naive(),
            _ => today,
        };

        let said_time = match (self.same_time, original) {
            // "same time next week": now's wall time (the original's when re-timing).
            (true, None) => Some((Some(hm(now.hour(), now.minute())), TimeSource::Explicit)),
            _ => self.time_of_day(),
        };
        let date_given = self.date.is_some() || self.weekday.is_some() || self.offset.is_some();

        // Which wall time to use when the phrase does not give one.
        let (fallback_time, fallback_source) = match (original, self.date) {
            (Some(o), _) => (o.time(), TimeSource::KeptFromOriginal),
            (None, Some(spec)) => spec
                .own_time(role)
                .unwrap_or((role.default_time(), TimeSource::Default)),
            (None, None) => (role.default_time(), TimeSource::Default),
        };
        let (time, source, midnight) = match said_time {
            Some((Some(t), s)) => (t, s, false),
            Some((None, s)) => (NaiveTime::MIN, s, true),
            None => (fallback_time, fallback_source, false),
        };
        let place = |date: NaiveDate| -> Result<(DateTime<Tz>, bool), TimeError> {
            let date = if midnight {
                date.succ_opt().ok_or_else(out_of_range)?
            } else {
                date
            };
            let placed = place_local(tz, date.and_time(time));
            Ok((placed.instant, placed.shifted_by_gap))
        };
        let ahead = |date: NaiveDate| -> Result<bool, TimeError> {
            if role == MomentRole::Generic && said_time.is_none() && original.is_none() {
                return Ok(date >= today);
            }
            Ok(place(date)?.0 > now)
        };

        let named = self.named_day(today, original, &ahead, phrase)?;
        let shift = |base: NaiveDate, offset: Offset| -> Result<NaiveDate, TimeError> {
            match offset {
                Offset::Days(d) => Ok(add_days_to_date(base, d)),
                Offset::Months(m) => shift_months(base, m).ok_or_else(out_of_range),
                Offset::MonthsDays(m, d) => shift_months(base, m)
                    .map(|date| add_days_to_date(date, d))
                    .ok_or_else(out_of_range),
                Offset::Minutes(_) | Offset::Mixed { .. } => Ok(base),
            }
        };
        let date = match (self.offset, named, self.weekday) {
            (Some(offset), Some(day), _) if self.offset_from_named_day => shift(day, offset)?,
            // "Monday two weeks from now": that weekday in the week the offset lands in.
            (Some(offset), _, Some((wd, _))) if self.date.is_none() => {
                weekday_in_week_of(shift(offset_base, offset)?, wd)
            }
            // "Thanksgiving in 2 years", "Christmas 3 months ago": the one in the year the
            // offset lands in.
            (Some(offset), _, _) if matches!(self.date, Some(DateSpec::Holiday(_))) => {
                let Some(DateSpec::Holiday(h)) = self.date else {
                    unreachable!("matched above")
                };
                h.date_in(shift(offset_base, offset)?.year())
                    .ok_or_else(out_of_range)?
            }
            (Some(offset), _, _) => shift(offset_base, offset)?,
            (None, Some(day), _) => day,
            (None, None, _) => match original {
                // Time only, re-timing: keep the original's day.
                Some(o) => o.date_naive(),
                // Time only: the next occurrence of that time ("end of day" is always today's).
                None if self.part == Some(PartWord::EndOfDay) || ahead(today)? => today,
                None => add_days_to_date(today, 1),
            },
        };

        let (instant, shifted) = place(date)?;
        let given_time = match said_time {
            Some((Some(t), _)) => Some(t),
            Some((None, _)) => Some(NaiveTime::MIN),
            None => None,
        };
        Ok(Interpretation {
            moment: ResolvedMoment {
                instant,
                date: instant.date_naive(),
                time: given_time,
                date_given,
                time_source: source,
                shifted_by_dst_gap: shifted,
                is_past: instant < now,
            },
            part: self.part,
            clock_given: self.clock.is_some(),
            exact: false,
        })
    }

    /// The day the date and weekday words name (no offset applied); `None` for neither.
    fn named_day(
        &self,
        today: NaiveDate,
        original: Option<DateTime<Tz>>,
        ahead: &dyn Fn(NaiveDate) -> Result<bool, TimeError>,
        phrase: &str,
    ) -> Result<Option<NaiveDate>, TimeError> {
        if let Some((weekday, n)) = self.weekday_from_day {
            let anchor = Words {
                weekday_from_day: None,
                ..self.clone()
            };
            let Some(day) = anchor.named_day(today, original, ahead, phrase)? else {
                return Err(TimeError::Unrecognized {
                    phrase: phrase.to_string(),
                    word: weekday_name(weekday).to_string(),
                });
            };
            return nth_weekday_from(day, weekday, n).map(Some).ok_or_else(|| {
                TimeError::OutOfRange {
                    phrase: phrase.to_string(),
                }
            });
        }
        let Some(spec) = self.date else {
            return match self.weekday {
                Some((wd, mode)) => weekday_day(today, wd, mode, ahead).map(Some),
                None => Ok(None),
            };
        };
        // Re-timing "next week", "this time next week": the same weekday next week.
        if (original.is_some() || self.same_time) && self.bare_next_week && self.weekday.is_none() {
            let weekday = original.map_or(today.weekday(), |o| o.weekday());
            return Ok(Some(weekday_in_week_of(
                add_days_to_date(today, 7),
                weekday,
            )));
        }
        let together = match (spec, self.weekday) {
            (DateSpec::DayOfMonth(d), Some((wd, _))) => day_of_month_on(today, d, wd),
            (DateSpec::Yearless { month, day }, Some((wd, _))) => {
                yearless_on(today, month, day, wd)
            }
            _ => None,
        };
        let day = match together {
            Some(day) => day,
            None => self.resolve_spec(spec, today, ahead, phrase)?,
        };
        self.check_weekday(day, today, phrase)?;
        Ok(Some(day))
    }

    /// A weekday given together with a day must agree with it.
    fn check_weekday(
        &self,
        date: NaiveDate,
        today: NaiveDate,
        phrase: &str,
    ) -> Result<(), TimeError> {
        let Some((wd, mode)) = self.weekday else {
            return Ok(());
        };
        let next_week = week_start_date(add_days_to_date(today, 7));
        let ok = date.weekday() == wd
            && (mode != WeekdayMode::NextWeek || week_start_date(date) == next_week);
        if ok {
            return Ok(());
        }
        Err(TimeError::Conflict {
            phrase: phrase.to_string(),
            detail: format!(
                "{} is a {}, not a {}",
                date.format("%Y-%m-%d"),
                weekday_name(date.weekday()),
                weekday_name(wd)
            ),
        })
    }

    fn resolve_spec(
        &self,
        spec: DateSpec,
        today: NaiveDate,
        ahead: &dyn Fn(NaiveDate) -> Result<bool, TimeError>,
        phrase: &str,
    ) -> Result<NaiveDate, TimeError> {
        let out_of_range = || TimeError::OutOfRange {
            phrase: phrase.to_string(),
        };
        Ok(match spec {
            DateSpec::Exact(d) => d,
            DateSpec::RelDays(n) => add_days_to_date(today, n),
            DateSpec::Yearless { month, day } => {
                let mut found = None;
                for year in today.year()..today.year() + 9 {
                    if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                        if d >= today {
                            found = Some(d);
                            break;
                        }
                    }
                }
                found.ok_or_else(out_of_range)?
            }
            DateSpec::DayOfMonth(day) => {
                let mut found = None;
                let mut month_start = month_start_date(today);
                for _ in 0..13 {
                    if let Some(d) = month_start.with_day(day) {
                        if d >= today {
                            found = Some(d);
                            break;
                        }
                    }
                    month_start =
                        crate::domain::local_time::add_months_to_month_start(month_start, 1);
                }
                found.ok_or_else(out_of_range)?
            }
            DateSpec::EndOfWeek(offset) => {
                let friday = |weeks: i64| {
                    weekday_in_week_of(add_days_to_date(today, 7 * weeks), Weekday::Fri)
                };
                let candidate = friday(offset);
                if offset == 0 && !ahead(candidate)? {
                    friday(1)
                } else {
                    candidate
                }
            }
            DateSpec::StartOfWeek(offset) => {
                weekday_in_week_of(add_days_to_date(today, 7 * offset), Weekday::Mon)
            }
            DateSpec::Weekend(offset) => {
                if offset == 0 && matches!(today.weekday(), Weekday::Sat | Weekday::Sun) {
                    today
                } else {
                    weekday_in_week_of(add_days_to_date(today, 7 * offset), Weekday::Sat)
                }
            }
            DateSpec::EndOfMonth(offset) => {
                let last = |months: i32| {
                    month_end_date(crate::domain::local_time::add_months_to_month_start(
                        today, months,
                    ))
                };
                let candidate = last(offset);
                if offset == 0 && !ahead(candidate)? {
                    last(1)
                } else {
                    candidate
                }
            }
            DateSpec::StartOfMonth(offset) => {
                crate::domain::local_time::add_months_to_month_start(today, offset)
            }
            DateSpec::EndOfYear(k) => {
                NaiveDate::from_ymd_opt(today.year() + k, 12, 31).ok_or_else(out_of_range)?
            }
            DateSpec::StartOfYear(k) => {
                NaiveDate::from_ymd_opt(today.year() + k, 1, 1).ok_or_else(out_of_range)?
            }
            DateSpec::EndOfQuarter(k) => quarter_end(today, k),
            DateSpec::StartOfQuarter(k) => quarter_start(today, k),
            DateSpec::InMonth(month, pick) => {
                in_month(today, month, pick).ok_or_else(|| TimeError::InvalidDate {
                    phrase: phrase.to_string(),
                    detail: "that month has no such day".to_string(),
                })?
            }
            DateSpec::Holiday(h) => h.next_on_or_after(today).ok_or_else(out_of_range)?,
            DateSpec::HolidayBefore(h) => h.last_before(today).ok_or_else(out_of_range)?,
            DateSpec::HolidayInYear(h, k) => {
                h.date_in(today.year() + k).ok_or_else(out_of_range)?
            }
            DateSpec::NthWeekdayFrom(wd, n) => {
                nth_weekday_from(today, wd, n).ok_or_else(out_of_range)?
            }
        })
    }
}

/// `date` moved by whole months (clamped to the month's end: Jan 31 + 1 month = Feb 28).
fn shift_months(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    let step = Months::new(months.unsigned_abs());
    if months >= 0 {
        date.checked_add_months(step)
    } else {
        date.checked_sub_months(step)
    }
}

/// An exact instant (ISO with offset, "now", "in 2 hours") as an interpretation.
fn exact_instant(instant: DateTime<Tz>, now: DateTime<Tz>) -> Interpretation {
    Interpretation {
        moment: ResolvedMoment {
            instant,
            date: instant.date_naive(),
            time: Some(instant.time()),
            date_given: true,
            time_source: TimeSource::Explicit,
            shifted_by_dst_gap: false,
            is_past: instant < now,
        },
        part: None,
        clock_given: true,
        exact: true,
    }
}

/// The day a weekday phrase names.
fn weekday_day(
    today: NaiveDate,
    wd: Weekday,
    mode: WeekdayMode,
    ahead: &dyn Fn(NaiveDate) -> Result<bool, TimeError>,
) -> Result<NaiveDate, TimeError> {
    Ok(match mode {
        WeekdayMode::Coming => {
            let candidate = next_weekday_on_or_after(today, wd);
            if candidate == today && !ahead(candidate)? {
                add_days_to_date(candidate, 7)
            } else {
                candidate
            }
        }
        WeekdayMode::Next => next_weekday_after(today, wd),
        WeekdayMode::AfterNext => add_days_to_date(next_weekday_after(today, wd), 7),
        WeekdayMode::ThisWeek => weekday_in_week_of(today, wd),
        WeekdayMode::LastWeek => weekday_in_week_of(add_days_to_date(today, -7), wd),
        WeekdayMode::NextWeek => weekday_in_week_of(add_days_to_date(today, 7), wd),
        WeekdayMode::Last => add_days_to_date(next_weekday_on_or_after(today, wd), -7),
    })
}

/// The 24-hour hour of a clock time, using am/pm, the part of day, or the business-hours
/// guess (1–6 → pm, 7–11 → am, 12 → noon).
pub(super) fn clock_hour(clock: Clock, part: Option<PartWord>) -> u32 {
    match clock.meridiem {
        Some(Meridiem::Am) => clock.hour % 12,
        Some(Meridiem::Pm) => clock.hour % 12 + 12,
        None if clock.twenty_four || clock.hour >= 13 || clock.hour == 0 => clock.hour,
        None => match part.and_then(PartWord::is_pm) {
            Some(true) => {
                if clock.hour == 12 {
                    12
                } else {
                    clock.hour + 12
                }
            }
            Some(false) => clock.hour % 12,
            None => {
                if (1..=6).contains(&clock.hour) {
                    clock.hour + 12
                } else {
                    clock.hour
                }
            }
        },
    }
}
