//! Clock times: "2pm", "14:30", "at 9", "9 o'clock", "noon", "12 midnight".

use super::error::TimeError;
use chrono::NaiveDate;

use super::grammar::{Clock, DateSpec, Meridiem, Parser};
use super::moment::PartWord;
use super::tokens::*;

impl Parser<'_> {
    /// Clock times: "2pm", "2 pm", "2:30pm", "14:00", "at 9", "9 o'clock", "noon".
    pub(super) fn clock(&mut self, after_at: bool) -> Result<Option<usize>, TimeError> {
        let t0 = self.tok(0).unwrap_or_default().to_string();
        match t0.as_str() {
            "noon" | "midday" | "lunch" | "lunchtime" => {
                self.set_part(PartWord::Noon)?;
                return Ok(Some(1));
            }
            "midnight" => {
                self.set_part(PartWord::Midnight)?;
                return Ok(Some(1));
            }
            _ => {}
        }
        let Some(raw) = split_clock(&t0) else {
            return Ok(None);
        };
        // "12 noon", "12 midnight"
        if raw.hour == 12 && raw.minute.is_none() && raw.meridiem.is_none() {
            match self.tok(1) {
                Some("noon" | "midday") => {
                    self.set_part(PartWord::Noon)?;
                    return Ok(Some(2));
                }
                Some("midnight") => {
                    self.set_part(PartWord::Midnight)?;
                    return Ok(Some(2));
                }
                _ => {}
            }
        }
        let mut consumed = 1;
        let mut meridiem = raw.meridiem;
        if meridiem.is_none() {
            match self.tok(1) {
                Some("am" | "a") => {
                    meridiem = Some(Meridiem::Am);
                    consumed += 1;
                }
                Some("pm" | "p") => {
                    meridiem = Some(Meridiem::Pm);
                    consumed += 1;
                }
                _ => {}
            }
        }
        let mut oclock = false;
        if matches!(self.tok(consumed), Some("oclock" | "hrs" | "hours" | "h")) {
            oclock = true;
            consumed += 1;
        }
        // "8 in the morning", "7 tonight": a bare hour followed by a part of the day.
        let part_follows = match (
            self.tok(consumed),
            self.tok(consumed + 1),
            self.tok(consumed + 2),
        ) {
            (Some("in"), Some("the"), Some(p)) => {
                parse_part(p).is_some_and(|p| p.is_pm().is_some())
            }
            (Some("this"), Some(p), _) => {
                matches!(p, "morning" | "afternoon" | "evening")
            }
            // "9 tomorrow", "9 tomorrow morning": a bare hour before a day word.
            (Some(p), _, _) => {
                matches!(
                    p,
                    "tonight" | "morning" | "afternoon" | "evening" | "night" | "today"
                ) || is_tomorrow(p)
            }
            _ => false,
        };
        if raw.military && !after_at && !oclock {
            if let Some(n) = self.year_after_clock(&t0)? {
                return Ok(Some(n));
            }
        }
        let is_time = if raw.military {
            after_at || oclock || self.bare_military_time(&t0)
        } else {
            raw.minute.is_some() || meridiem.is_some() || oclock || after_at || part_follows
        };
        if !is_time {
            return Ok(None);
        }
        let hour = raw.hour;
        let minute = raw.minute.unwrap_or(0);
        let valid = minute <= 59
            && match meridiem {
                Some(_) => (1..=12).contains(&hour),
                None => hour <= 23,
            };
        if !valid {
            return Err(self.invalid("no such time of day"));
        }
        let clock = Clock {
            hour,
            minute,
            meridiem,
            twenty_four: raw.twenty_four,
        };
        self.set_clock(clock, consumed).map(Some)
    }

    /// "Wed Aug 05 12:00:00 2015": four digits 1900–2100 after the clock time of a yearless
    /// date are its year.
    fn year_after_clock(&mut self, word: &str) -> Result<Option<usize>, TimeError> {
        let (Some(_), Some(DateSpec::Yearless { month, day })) =
            (self.words.clock, self.words.date)
        else {
            return Ok(None);
        };
        let Some(year) = word
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
        else {
            return Ok(None);
        };
        let date =
            NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| self.invalid("no such day"))?;
        self.words.date = Some(DateSpec::Exact(date));
        Ok(Some(1))
    }

    /// A four-digit 24-hour time without "at"/"hrs" ("1930", "0930 tomorrow"). No date rule
    /// took it as a year (those come first: "Dec 4 1930", "4 March 2027", "2018 March 18");
    /// it still stays a year, unread, after "in"/"of"/"year"/"since" ("in 2027") when it is
    /// 1900–2100.
    fn bare_military_time(&self, word: &str) -> bool {
        let before = self.i.checked_sub(1).and_then(|k| self.toks.get(k));
        let year_slot = matches!(
            before.map(String::as_str),
            Some("in" | "of" | "year" | "since")
        );
        let plausible_year = word
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
        word.len() == 4 && !(year_slot && plausible_year)
    }
}
