//! The RFC 5545 subset the Nylas fake expands: `RRULE` with `FREQ=DAILY|WEEKLY|MONTHLY|YEARLY`,
//! `INTERVAL`, `BYDAY` (with ordinals such as `1MO` / `-1FR` for monthly rules), `BYMONTHDAY`
//! (negative counts from the month's end), `COUNT`, `UNTIL` (`YYYYMMDD` or
//! `YYYYMMDDTHHMMSSZ`), `WKST` accepted (weeks start on Monday), and `EXDATE` lines (`Z`,
//! `TZID=` or `VALUE=DATE` forms, comma lists). Nylas documents that `EXRULE` and `RDATE` are
//! not supported (developer.nylas.com/docs/v3/calendar/recurring-events); they are rejected.
//!
//! Occurrences are computed on local wall-clock dates and times in the series' zone and only
//! then turned into instants, so a 10:00 New York series stays at 10:00 across DST changes (a
//! time that does not exist on a spring-forward day moves forward by the gap, an ambiguous one
//! takes the earlier instant, as Google Calendar does).

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A parsed `recurrence` array.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub freq: Freq,
    pub interval: u32,
    /// `(ordinal, weekday)`; ordinal 0 = every such weekday.
    pub by_day: Vec<(i32, Weekday)>,
    pub by_month_day: Vec<i32>,
    pub count: Option<u32>,
    pub until: Option<Until>,
    pub exdates: Vec<Exdate>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Until {
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Exdate {
    Instant(DateTime<Utc>),
    /// A wall-clock time in a named zone (`EXDATE;TZID=...:20261208T100000`).
    Local(NaiveDateTime, Tz),
    Date(NaiveDate),
}

/// Upper bound on generated candidates, so a bad rule cannot loop forever.
const MAX_CANDIDATES: usize = 20_000;

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn parse_by_day(item: &str) -> Result<(i32, Weekday), String> {
    let item = item.trim();
    let split = item.len().saturating_sub(2);
    let (ord, day) = item.split_at(split);
    let wd = weekday(day).ok_or_else(|| format!("BYDAY: unknown weekday '{item}'"))?;
    let ord = if ord.is_empty() || ord == "+" {
        0
    } else {
        ord.trim_start_matches('+')
            .parse::<i32>()
            .map_err(|_| format!("BYDAY: bad ordinal in '{item}'"))?
    };
    Ok((ord, wd))
}

fn parse_until(v: &str) -> Result<Until, String> {
    if let Some(stamp) = v.strip_suffix('Z') {
        let t = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S")
            .map_err(|_| format!("UNTIL: bad date-time '{v}'"))?;
        return Ok(Until::Instant(t.and_utc()));
    }
    NaiveDate::parse_from_str(v, "%Y%m%d")
        .map(Until::Date)
        .map_err(|_| format!("UNTIL: expected YYYYMMDD or YYYYMMDDTHHMMSSZ, got '{v}'"))
}

fn parse_exdate(line: &str) -> Result<Vec<Exdate>, String> {
    let (params, values) = line
        .split_once(':')
        .ok_or_else(|| format!("EXDATE: missing ':' in '{line}'"))?;
    let tz = params
        .split(';')
        .find_map(|p| p.strip_prefix("TZID="))
        .map(|z| {
            z.parse::<Tz>()
                .map_err(|_| format!("EXDATE: unknown TZID '{z}'"))
        })
        .transpose()?;
    values
        .split(',')
        .map(str::trim)
        .map(|v| {
            if let Some(stamp) = v.strip_suffix('Z') {
                NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S")
                    .map(|t| Exdate::Instant(t.and_utc()))
                    .map_err(|_| format!("EXDATE: bad value '{v}'"))
            } else if v.contains('T') {
                let t = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
                    .map_err(|_| format!("EXDATE: bad value '{v}'"))?;
                Ok(Exdate::Local(t, tz.unwrap_or(Tz::UTC)))
            } else {
                NaiveDate::parse_from_str(v, "%Y%m%d")
                    .map(Exdate::Date)
                    .map_err(|_| format!("EXDATE: bad value '{v}'"))
            }
        })
        .collect()
}

impl Series {
    /// Parses a Nylas `recurrence` array (one `RRULE:` line, any number of `EXDATE` lines).
    /// Spaces after `;` are tolerated (the Nylas docs' own example has them).
    pub fn parse(lines: &[String]) -> Result<Series, String> {
        let mut rule = None;
        let mut exdates = Vec::new();
        for line in lines {
            let line = line.trim();
            let upper = line.to_ascii_uppercase();
            if let Some(body) = upper.strip_prefix("RRULE:") {
                if rule.is_some() {
                    return Err("recurrence: only one RRULE is supported".into());
                }
                rule = Some(body.to_string());
            } else if upper.starts_with("EXDATE") {
                exdates.extend(parse_exdate(line)?);
            } else {
                return Err(format!(
                    "recurrence: unsupported line '{line}' (Nylas supports RRULE and EXDATE only)"
                ));
            }
        }
        let rule = rule.ok_or("recurrence: an RRULE line is required")?;
        let mut series = Series {
            freq: Freq::Daily,
            interval: 1,
            by_day: vec![],
            by_month_day: vec![],
            count: None,
            until: None,
            exdates,
        };
        let mut freq = None;
        for part in rule.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("RRULE: bad part '{part}'"))?;
            match k.trim() {
                "FREQ" => {
                    freq = Some(match v.trim() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        other => return Err(format!("RRULE: unsupported FREQ '{other}'")),
                    })
                }
                "INTERVAL" => {
                    series.interval = v
                        .trim()
                        .parse()
                        .ok()
                        .filter(|i| *i >= 1)
                        .ok_or_else(|| format!("RRULE: bad INTERVAL '{v}'"))?
                }
                "BYDAY" => {
                    series.by_day = v.split(',').map(parse_by_day).collect::<Result<_, _>>()?
                }
                "BYMONTHDAY" => {
                    series.by_month_day = v
                        .split(',')
                        .map(|d| {
                            d.trim()
                                .parse::<i32>()
                                .ok()
                                .filter(|d| *d != 0 && d.abs() <= 31)
                                .ok_or_else(|| format!("RRULE: bad BYMONTHDAY '{d}'"))
                        })
                        .collect::<Result<_, _>>()?
                }
                "COUNT" => {
                    series.count = Some(
                        v.trim()
                            .parse()
                            .ok()
                            .filter(|c| *c >= 1)
                            .ok_or_else(|| format!("RRULE: bad COUNT '{v}'"))?,
                    )
                }
                "UNTIL" => series.until = Some(parse_until(v.trim())?),
                "WKST" => {}
                other => return Err(format!("RRULE: unsupported part '{other}'")),
            }
        }
        series.freq = freq.ok_or("RRULE: FREQ is required")?;
        if series.count.is_some() && series.until.is_some() {
            return Err("RRULE: COUNT and UNTIL cannot both be given".into());
        }
        Ok(series)
    }

    /// The candidate dates of one period (day, week, month or year number `k` from the start).
    fn period_dates(&self, first: NaiveDate, k: i64) -> Vec<NaiveDate> {
        let step = k * self.interval as i64;
        match self.freq {
            Freq::Daily => {
                let d = first + Duration::days(step);
                let ok = (self.by_day.is_empty()
                    || self.by_day.iter().any(|(_, w)| *w == d.weekday()))
                    && (self.by_month_day.is_empty() || month_day_matches(d, &self.by_month_day));
                if ok {
                    vec![d]
                } else {
                    vec![]
                }
            }
            Freq::Weekly => {
                let monday = first - Duration::days(first.weekday().num_days_from_monday() as i64)
                    + Duration::weeks(step);
                let days: Vec<Weekday> = if self.by_day.is_empty() {
                    vec![first.weekday()]
                } else {
                    self.by_day.iter().map(|(_, w)| *w).collect()
                };
                let mut out: Vec<NaiveDate> = (0..7)
                    .map(|i| monday + Duration::days(i))
                    .filter(|d| days.contains(&d.weekday()))
                    .collect();
                out.sort();
                out
            }
            Freq::Monthly => {
                let months = first.year() as i64 * 12 + first.month0() as i64 + step;
                let (y, m) = (
                    (months.div_euclid(12)) as i32,
                    (months.rem_euclid(12)) as u32 + 1,
                );
                self.month_dates(y, m, first.day())
            }
            Freq::Yearly => {
                let y = first.year() + step as i32;
                NaiveDate::from_ymd_opt(y, first.month(), first.day())
                    .into_iter()
                    .collect()
            }
        }
    }

    fn month_dates(&self, y: i32, m: u32, default_day: u32) -> Vec<NaiveDate> {
        let Some(start) = NaiveDate::from_ymd_opt(y, m, 1) else {
            return vec![];
        };
        let days: Vec<NaiveDate> = start.iter_days().take_while(|d| d.month() == m).collect();
        let mut out: Vec<NaiveDate> = if !self.by_month_day.is_empty() {
            days.iter()
                .copied()
                .filter(|d| month_day_matches(*d, &self.by_month_day))
                .collect()
        } else if !self.by_day.is_empty() {
            days.iter()
                .copied()
                .filter(|d| {
                    self.by_day.iter().any(|(ord, w)| {
                        let same: Vec<&NaiveDate> =
                            days.iter().filter(|x| x.weekday() == *w).collect();
                        let pos = same.iter().position(|x| *x == d);
                        match (pos, *ord) {
                            (None, _) => false,
                            (Some(_), 0) => true,
                            (Some(p), o) if o > 0 => p as i32 == o - 1,
                            (Some(p), o) => p as i32 == same.len() as i32 + o,
                        }
                    })
                })
                .collect()
        } else {
            // RFC 5545: a month without that day (e.g. the 31st) has no occurrence.
            NaiveDate::from_ymd_opt(y, m, default_day)
                .into_iter()
                .collect()
        };
        out.sort();
        out
    }

    fn excluded(&self, local: NaiveDateTime, instant: DateTime<Utc>, tz: Tz) -> bool {
        self.exdates.iter().any(|x| match x {
            Exdate::Instant(t) => *t == instant,
            Exdate::Local(t, z) => resolve_local(*t, *z) == Some(instant),
            Exdate::Date(d) => *d == local.date() || *d == instant.with_timezone(&tz).date_naive(),
        })
    }

    fn past_until(&self, local: NaiveDateTime, instant: DateTime<Utc>) -> bool {
        match self.until {
            None => false,
            Some(Until::Instant(u)) => instant > u,
            Some(Until::Date(d)) => local.date() > d,
        }
    }

    /// Local start times of the occurrences from `first` (the series' first start, local),
    /// stopping at COUNT / UNTIL, or once an occurrence starts at or after `stop`. EXDATEs are
    /// left out (they still count towards COUNT, as RFC 5545 says).
    pub fn occurrences(
        &self,
        first: NaiveDateTime,
        tz: Tz,
        stop: DateTime<Utc>,
    ) -> Vec<(NaiveDateTime, DateTime<Utc>)> {
        let mut out = Vec::new();
        let mut counted = 0u32;
        let mut candidates = 0usize;
        for k in 0.. {
            for date in self.period_dates(first.date(), k) {
                candidates += 1;
                if candidates > MAX_CANDIDATES {
                    return out;
                }
                let local = date.and_time(first.time());
                if local < first {
                    continue;
                }
                let Some(instant) = resolve_local(local, tz) else {
                    continue;
                };
                if self.past_until(local, instant) || instant >= stop {
                    return out;
                }
                counted += 1;
                if self.count.is_some_and(|c| counted > c) {
                    return out;
                }
                if !self.excluded(local, instant, tz) {
                    out.push((local, instant));
                }
            }
            if k as usize > MAX_CANDIDATES {
                return out;
            }
        }
        out
    }
}

fn month_day_matches(d: NaiveDate, by: &[i32]) -> bool {
    let last = (d + Duration::days(32 - d.day() as i64))
        .with_day(1)
        .map(|n| (n - Duration::days(1)).day() as i32)
        .unwrap_or(31);
    by.iter().any(|b| {
        let want = if *b > 0 { *b } else { last + 1 + b };
        want == d.day() as i32
    })
}

/// A wall-clock time in a zone as an instant: ambiguous → the earlier one; inside a
/// spring-forward gap → moved forward by the gap.
pub fn resolve_local(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return Some(t.with_timezone(&Utc));
    }
    // Read the wall-clock time with the offset in force just before the gap.
    let before = tz
        .from_local_datetime(&(local - Duration::days(1)))
        .earliest()?;
    let offset = before.offset().fix();
    Some((local - Duration::seconds(offset.local_minus_utc() as i64)).and_utc())
}
