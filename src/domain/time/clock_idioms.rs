//! Clock idioms: "half past seven", "quarter to 3", "ten to six", "5 past 9",
//! "a quarter to noon", British "half seven".

use super::error::TimeError;
use super::grammar::{Clock, Meridiem, Parser};
use super::tokens::split_clock;

/// Minutes written before "past"/"to": "quarter", "half", or a number.
fn idiom_minutes(word: &str) -> Option<(u32, bool)> {
    match word {
        "quarter" => Some((15, true)),
        "half" => Some((30, true)),
        _ if !word.is_empty() && word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u32 = word.parse().ok()?;
            (1..=59).contains(&n).then_some((n, false))
        }
        _ => None,
    }
}

/// The hour after "past"/"to": `(minutes after midnight of that hour in 24h when fixed,
/// or the 12-hour hour with its meridiem)`.
enum IdiomHour {
    /// noon / midnight: a fixed 24-hour hour.
    Fixed(u32),
    /// "7", "7pm": a 12-hour clock hour.
    Twelve(u32, Option<Meridiem>),
}

fn idiom_hour(word: &str) -> Option<IdiomHour> {
    match word {
        "noon" | "midday" => return Some(IdiomHour::Fixed(12)),
        "midnight" => return Some(IdiomHour::Fixed(24)),
        _ => {}
    }
    let raw = split_clock(word)?;
    if raw.minute.is_some() || raw.military || !(1..=12).contains(&raw.hour) {
        return None;
    }
    Some(IdiomHour::Twelve(raw.hour, raw.meridiem))
}

impl Parser<'_> {
    /// "half past seven", "quarter to 3", "20 past 2", "ten to six pm", "half seven".
    pub(super) fn clock_idiom(&mut self) -> Result<Option<usize>, TimeError> {
        let mut k = usize::from(self.tok(0) == Some("a") && self.tok(1) == Some("quarter"));
        let Some((minutes, word)) = self.tok(k).and_then(idiom_minutes) else {
            return Ok(None);
        };
        k += 1;
        if !word && matches!(self.tok(k), Some("minutes" | "minute" | "min" | "mins")) {
            k += 1;
        }
        let before = match self.tok(k) {
            Some("past" | "after") => false,
            // "5 to 7" reads like a range unless the minutes are a round clock share.
            Some("to" | "till" | "til" | "before" | "of") if word || minutes % 5 == 0 => true,
            // British "half seven" = 7:30.
            Some(_) if minutes == 30 && word && k == 1 => {
                return self.idiom_clock(30, false, 1);
            }
            _ => return Ok(None),
        };
        self.idiom_clock(minutes, before, k + 1)
    }

    fn idiom_clock(
        &mut self,
        minutes: u32,
        before: bool,
        hour_at: usize,
    ) -> Result<Option<usize>, TimeError> {
        let Some(hour) = self.tok(hour_at).and_then(idiom_hour) else {
            return Ok(None);
        };
        let mut consumed = hour_at + 1;
        let clock = match hour {
            IdiomHour::Fixed(h) => {
                let total = h * 60 + if before { 24 * 60 - minutes } else { minutes };
                let total = total % (24 * 60);
                Clock {
                    hour: total / 60,
                    minute: total % 60,
                    meridiem: None,
                    twenty_four: true,
                }
            }
            IdiomHour::Twelve(h, mut meridiem) => {
                if meridiem.is_none() {
                    meridiem = match self.tok(consumed) {
                        Some("am") => Some(Meridiem::Am),
                        Some("pm") => Some(Meridiem::Pm),
                        _ => None,
                    };
                    consumed += usize::from(meridiem.is_some());
                }
                let (hour, minute) = if before {
                    (if h == 1 { 12 } else { h - 1 }, 60 - minutes)
                } else {
                    (h, minutes)
                };
                Clock {
                    hour,
                    minute,
                    meridiem,
                    twenty_four: false,
                }
            }
        };
        self.set_clock(clock, consumed).map(Some)
    }
}
