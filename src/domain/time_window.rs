//! Resolving a window phrase ("today", "this week", "next 3 days", "Dec 4 to Dec 8",
//! "overdue", "tomorrow morning") to a half-open interval `[start, end)` in the user's zone.
//!
//! # Decisions
//! - Weeks start on Monday; every `end` is exclusive (the end of Sunday = Monday 00:00).
//! - "today" / "tomorrow" / "yesterday" / a single date / a weekday = that whole local day
//!   (not clamped to now). A bare weekday is the coming one, today included ("Friday" on a
//!   Friday = today); "next Friday" is strictly after today; a date without a year that
//!   is already past means next year (as for moments).
//! - Weeks are ISO weeks: Monday 00:00 → the next Monday 00:00 in the user's zone.
//!   "this week" = the whole current week, earlier days included (Monday 00:00 → end of
//!   Sunday); "rest of this week" / "later this week" = now → end of Sunday. Tools that only
//!   look forward (check_availability, optimize_schedule, workload) clamp the start to now
//!   with [`TimeWindow::from_now`]. "next week" = next Monday →
//!   the Monday after; "last week" = the previous Monday → this Monday. "this month" = now
//!   → end of the month; "next month"/"last month" = the whole month. "this year" = now →
//!   end of the year. "this weekend" = Saturday 00:00 → Monday 00:00 of this week (from now
//!   when already inside it); "next weekend" = next week's.
//! - "next N days" = now → end of the day N days from today (the rest of today plus N full
//!   days: on Tuesday 09:00 "next 3 days" ends Saturday 00:00); "next N weeks" likewise
//!   with 7N days; "next N hours" = now → now + N h; "last/past N days" = start of the day
//!   N days ago → now; "past week" = last 7 days.
//! - "rest of the day" / "later today" = now → end of today.
//! - Open-ended: "by Friday", "until Friday", "due by Dec 4", "by the end of the week" = now →
//!   the end of that day/period (a precise time: that instant); "before Friday" = now → the
//!   start of Friday; "before the end of the week" = now → end of Sunday. A point already past
//!   is `TimeError::EmptyRange`.
//! - Parts of the day: "this afternoon", "tomorrow morning", "Friday evening" use the
//!   [`DayPart`] windows (morning 09–12, afternoon 12–17, evening 17–20); a part with no day
//!   is today's when it has not ended yet, otherwise tomorrow's. "tonight" = 17:00 → end of
//!   today (it covers late events too).
//! - A phrase that names a precise time ("tomorrow at 3pm", "in 2 hours") is the hour
//!   starting then (kind `Moment`).
//! - Ranges: "X to Y", "from X to Y", "X through/thru/until/till Y", "between X and Y",
//!   "X - Y" (spaced), "X..Y": start of X → end of Y (a precise time on either side is used
//!   as is). When Y resolves before X it is re-read relative to X ("Monday to Wednesday"
//!   on a Tuesday = next Monday → next Wednesday); still inverted → `TimeError::EmptyRange`.
//!   Compact forms share context: "Dec 4-8", "tomorrow 2-4pm", "tomorrow 2pm-4pm" (the end
//!   on the start's day); "X and Y" is a range when the whole phrase is not a single window
//!   ("today and tomorrow").
//! - "week of Dec 7" = the Monday-based week containing that day; a bare month name
//!   ("December", "in March") = that whole month, this year's unless already over.
//! - "overdue" / "past due" / "late" (kind `Overdue`) = everything before now; `start` is
//!   [`OVERDUE_LOOKBACK_DAYS`] back for callers that need a finite query window, but tasks
//!   should be filtered by `due < end` only.
//! - "" / "upcoming" / "all" / "anytime" / "soon" (kind `Default`) = now → now + 30 days.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;

use crate::domain::day_part::DayPart;
use crate::domain::local_time::{
    add_days_to_date, add_months_to_month_start, at, end_of_day, end_of_month, end_of_week,
    start_of_day, start_of_month, start_of_week, weekday_in_week_of,
};
use crate::domain::time::{
    interpret_with, parse_month, parse_part, resolve_time_of_day, KeepFrom, MomentRole, PartWord,
    PhraseOptions, TimeError, MAX_PHRASE_CHARS,
};

/// Default window length for "upcoming"/"all"/empty.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;
/// How far back an `Overdue` window's `start` reaches.
pub const OVERDUE_LOOKBACK_DAYS: i64 = 365;
/// Upper bound for "next N days" and similar counts.
const MAX_WINDOW_DAYS: i64 = 3660;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// One whole local day (or the rest of today).
    Day,
    /// Morning/afternoon/evening of one day.
    DayPart,
    Week,
    Weekend,
    Month,
    Year,
    /// "next/last N days/weeks/hours".
    Rolling,
    /// An explicit "X to Y" range.
    Range,
    /// The hour starting at a precise time.
    Moment,
    /// Everything before now.
    Overdue,
    /// No specific range asked for: now → +30 days.
    Default,
}

/// A half-open interval `[start, end)` in the user's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    /// A human description, e.g. "this week (Tue Dec 1 09:00 – Sun Dec 6)".
    pub label: String,
    pub kind: WindowKind,
}

impl TimeWindow {
    /// Whether an instant is inside `[start, end)`.
    pub fn contains(&self, instant: &DateTime<Tz>) -> bool {
        *instant >= self.start && *instant < self.end
    }

    /// Whether `[start, end)` overlaps this window (an event's span); a zero-length item
    /// overlaps when its instant is inside.
    pub fn overlaps(&self, start: &DateTime<Tz>, end: &DateTime<Tz>) -> bool {
        if end <= start {
            return self.contains(start);
        }
        *start < self.end && *end > self.start
    }

    /// The part of the window from `now` on when `now` lies inside it ("this week" → the rest
    /// of this week), else the window unchanged.
    pub fn from_now(self, now: DateTime<Tz>) -> TimeWindow {
        if self.start >= now || self.end <= now {
            return self;
        }
        let name = match self.label.split_once(" (") {
            Some(("this week", _)) => "rest of this week".to_string(),
            Some((name, _)) => name.to_string(),
            None => self.label.clone(),
        };
        TimeWindow::new(&name, now, self.end, self.kind)
    }

    pub fn is_overdue(&self) -> bool {
        self.kind == WindowKind::Overdue
    }

    /// A window named `name`; the label adds the dates it covers.
    pub fn named(
        name: &str,
        start: DateTime<Tz>,
        end: DateTime<Tz>,
        kind: WindowKind,
    ) -> TimeWindow {
        TimeWindow::new(name, start, end, kind)
    }

    fn new(name: &str, start: DateTime<Tz>, end: DateTime<Tz>, kind: WindowKind) -> TimeWindow {
        TimeWindow {
            label: format!("{name} ({})", describe(&start, &end)),
            start,
            end,
            kind,
        }
    }
}

/// Resolves a window phrase relative to `now` (the user's local now), numeric dates
/// month-first.
pub fn resolve_window(phrase: &str, now: DateTime<Tz>) -> Result<TimeWindow, TimeError> {
    resolve_window_with(phrase, now, PhraseOptions::default())
}

/// Resolves a window phrase relative to `now` with the user's reading options
/// (`date_order`: "3/4" is 3 April for a day/month user).
pub fn resolve_window_with(
    phrase: &str,
    now: DateTime<Tz>,
    o: PhraseOptions,
) -> Result<TimeWindow, TimeError> {
    if phrase.chars().count() > MAX_PHRASE_CHARS {
        return Err(TimeError::TooLong {
            max_chars: MAX_PHRASE_CHARS,
        });
    }
    let original = phrase.trim();
    let normalized = normalize(original);
    if let Some(window) = open_ended(original, &normalized, now, o)? {
        return Ok(window);
    }
    if let Some((left, right)) = split_range(&normalized) {
        return range(original, &left, &right, now, o);
    }
    match single(original, &normalized, now, o) {
        Ok(window) => Ok(window),
        // "today and tomorrow", "this week and next week"
        Err(error) => match normalized.split_once(" and ") {
            Some((left, right)) => range(original, left, right, now, o).map_err(|_| error),
            None => Err(error),
        },
    }
}

fn normalize(phrase: &str) -> String {
    let lower = phrase.to_lowercase().replace(['–', '—'], " - ");
    let cleaned: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ':' | '/' | '-' | '.' | '\'' | '+') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let split: Vec<String> = cleaned.split_whitespace().map(split_dash_range).collect();
    let joined = split.join(" ");
    let words: Vec<&str> = joined.split_whitespace().collect();
    // Leading filler ("for", "on", "during", "over the", ...).
    let mut start = 0;
    while start < words.len()
        && matches!(
            words[start],
            "for" | "on" | "in" | "during" | "over" | "within" | "the" | "of" | "what's" | "whats"
        )
    {
        // "in 2 hours" keeps its "in".
        if words[start] == "in" && words.get(start + 1).is_some_and(|w| is_count(w)) {
            break;
        }
        start += 1;
    }
    words[start..].join(" ")
}

/// "2pm-4pm" → "2pm - 4pm", "4-8" → "4 - 8" (ISO dates such as 2026-12-04 stay whole).
fn split_dash_range(token: &str) -> String {
    let parts: Vec<&str> = token.split('-').collect();
    let looks_like_time = |p: &str| {
        !p.is_empty()
            && p.len() <= 7
            && p.starts_with(|c: char| c.is_ascii_digit())
            && p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'a' | 'p' | 'm'))
    };
    if parts.len() == 2 && parts.iter().all(|p| looks_like_time(p)) {
        format!("{} - {}", parts[0], parts[1])
    } else {
        token.to_string()
    }
}

fn is_count(word: &str) -> bool {
    parse_count(word).is_some() || matches!(word, "a" | "an" | "half")
}

/// Splits "X to Y" style ranges (first separator wins).
/// Open-ended phrases: "by Friday", "until Friday", "due by Dec 4", "no later than 5pm",
/// "by the end of the week" = now → the end of that day/period (a precise time: that
/// instant); "before Friday" = now → the start of Friday, "before the end of the month" =
/// now → the end of the month. `None` when the phrase has no such prefix.
fn open_ended(
    original: &str,
    normalized: &str,
    now: DateTime<Tz>,
    o: PhraseOptions,
) -> Result<Option<TimeWindow>, TimeError> {
    let text = normalized.strip_prefix("due ").unwrap_or(normalized);
    let prefixes = [
        ("by ", false),
        ("until ", false),
        ("till ", false),
        ("til ", false),
        ("up to ", false),
        ("no later than ", false),
        ("before ", true),
    ];
    let Some((target, before)) = prefixes
        .iter()
        .find_map(|(p, before)| text.strip_prefix(p).map(|rest| (rest.trim(), *before)))
    else {
        return Ok(None);
    };
    let (target, end_of) = match target
        .strip_prefix("the end of ")
        .or_else(|| target.strip_prefix("end of "))
    {
        Some(period) => (period.trim(), true),
        None => (target, false),
    };
    // "the end of the month" → this month's end; "the end of the day" → today's.
    let period;
    let target = match (end_of, target) {
        (true, "the day" | "day") => "today",
        (true, t) if t.starts_with("the ") => {
            period = format!("this {}", &t[4..]);
            period.as_str()
        }
        _ => target,
    };
    if target.is_empty() {
        return Ok(None);
    }
    let point = single(target, target, now, o).map_err(|e| rename_phrase(e, original))?;
    let end = if point.kind == WindowKind::Moment || (before && !end_of) {
        point.start
    } else {
        point.end
    };
    if end <= now {
        return Err(TimeError::EmptyRange {
            phrase: original.to_string(),
        });
    }
    Ok(Some(TimeWindow::new(original, now, end, WindowKind::Range)))
}

fn split_range(text: &str) -> Option<(String, String)> {
    if let Some((l, r)) = text.split_once("..") {
        return Some((l.trim().to_string(), r.trim().to_string()));
    }
    let words: Vec<&str> = text.split(' ').collect();
    let (words, between) = match words.first() {
        Some(&"between") => (&words[1..], true),
        Some(&"from") => (&words[1..], false),
        _ => (&words[..], false),
    };
    let separators: &[&str] = if between {
        &["and"]
    } else {
        &["to", "through", "thru", "until", "till", "-"]
    };
    let idx = words.iter().position(|w| separators.contains(w))?;
    if idx == 0 || idx + 1 >= words.len() {
        return None;
    }
    Some((words[..idx].join(" "), words[idx + 1..].join(" ")))
}

fn range(
    original: &str,
    left: &str,
    right: &str,
    now: DateTime<Tz>,
    o: PhraseOptions,
) -> Result<TimeWindow, TimeError> {
    let (left, right) = share_context(left, right);
    let (left, right) = (left.as_str(), right.as_str());
    let rename = |e| rename_phrase(e, original);
    let l = single(left, left, now, o).map_err(rename)?;
    let start = l.start;
    let end_of = |w: &TimeWindow| {
        if w.kind == WindowKind::Moment {
            w.start
        } else {
            w.end
        }
    };
    let mut end = end_of(&single(right, right, now, o).map_err(rename)?);
    if end <= start {
        // Re-read the end relative to the start ("Monday to Wednesday").
        let reread = single(right, right, start, o).map_err(rename)?;
        end = end_of(&reread);
    }
    if end <= start {
        return Err(TimeError::EmptyRange {
            phrase: original.to_string(),
        });
    }
    Ok(TimeWindow::new(
        &original.to_lowercase(),
        start,
        end,
        WindowKind::Range,
    ))
}

/// Completes the sides of a range from each other: "Dec 4 - 8" → "dec 4" / "dec 8";
/// "tomorrow 2 - 4pm" → "tomorrow 2pm" / "4pm"; "tomorrow 2pm - 4pm" → the end on the
/// same day ("tomorrow 4pm").
fn share_context(left: &str, right: &str) -> (String, String) {
    let l_words: Vec<&str> = left.split(' ').collect();
    let r_words: Vec<&str> = right.split(' ').collect();
    let is_digits =
        |w: &str| !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit());
    let mut left = left.to_string();
    let mut right = right.to_string();
    // "dec 4 - 8"
    if let ([.., month, day], [r]) = (l_words.as_slice(), r_words.as_slice()) {
        if parse_month(month).is_some() && is_digits(day) && is_digits(r) {
            right = format!("{month} {r}");
            return (left, right);
        }
    }
    // "2 - 4pm": the start borrows the meridiem.
    if let ([.., l_last], [r]) = (l_words.as_slice(), r_words.as_slice()) {
        let clockish = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ':');
        for meridiem in ["am", "pm"] {
            if r.ends_with(meridiem) && clockish(l_last) {
                left = format!("{left}{meridiem}");
            }
        }
    }
    // "tomorrow 2pm - 4pm": a time-only end happens on the start's day.
    let l_words: Vec<&str> = left.split(' ').collect();
    if r_words.len() == 1 && l_words.len() > 1 && resolve_time_of_day(&right).is_some() {
        let day_words = &l_words[..l_words.len() - 1];
        if resolve_time_of_day(l_words[l_words.len() - 1]).is_some() {
            right = format!("{} {right}", day_words.join(" "));
        }
    }
    (left, right)
}

fn single(
    original: &str,
    text: &str,
    now: DateTime<Tz>,
    o: PhraseOptions,
) -> Result<TimeWindow, TimeError> {
    let tz = now.timezone();
    let today = now.date_naive();
    let day = |d: NaiveDate| (start_of_day(tz, d), end_of_day(tz, d));
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let w = |name: &str, (s, e): (DateTime<Tz>, DateTime<Tz>), kind| {
        Ok(TimeWindow::new(name, s, e, kind))
    };
    let rest_of = |end: DateTime<Tz>| (now, end);

    match words.as_slice() {
        []
        | ["upcoming"]
        | ["all"]
        | ["anytime"]
        | ["any", "time"]
        | ["everything"]
        | ["soon"]
        | ["coming", "up"]
        | ["all", "upcoming"]
        | ["any"] => {
            return w(
                "upcoming",
                (now, now + Duration::days(DEFAULT_WINDOW_DAYS)),
                WindowKind::Default,
            )
        }
        ["overdue"] | ["past", "due"] | ["late"] | ["overdue", "tasks"] | ["overdue", "items"] => {
            return w(
                "overdue",
                (now - Duration::days(OVERDUE_LOOKBACK_DAYS), now),
                WindowKind::Overdue,
            )
        }
        ["today"] => return w("today", day(today), WindowKind::Day),
        ["tomorrow"] => return w("tomorrow", day(add_days_to_date(today, 1)), WindowKind::Day),
        ["yesterday"] => {
            return w(
                "yesterday",
                day(add_days_to_date(today, -1)),
                WindowKind::Day,
            )
        }
        ["rest", "of", "the", "day"]
        | ["rest", "of", "today"]
        | ["later", "today"]
        | ["remainder", "of", "the", "day"]
        | ["rest", "of", "day"] => {
            return w(
                "rest of today",
                rest_of(end_of_day(tz, today)),
                WindowKind::Day,
            )
        }
        ["tonight"] => {
            return w(
                "tonight",
                (
                    at(tz, today, DayPart::Evening.start()),
                    end_of_day(tz, today),
                ),
                WindowKind::DayPart,
            )
        }
        ["this", "week"] | ["week"] | ["the", "week"] | ["this", "wk"] | ["current", "week"] => {
            return w(
                "this week",
                (start_of_week(tz, today), end_of_week(tz, today)),
                WindowKind::Week,
            )
        }
        ["rest", "of", "the", "week"]
        | ["rest", "of", "this", "week"]
        | ["rest", "of", "week"]
        | ["remainder", "of", "the", "week"]
        | ["remainder", "of", "this", "week"]
        | ["later", "this", "week"] => {
            return w(
                "rest of this week",
                rest_of(end_of_week(tz, today)),
                WindowKind::Week,
            )
        }
        ["next", "week"] | ["following", "week"] => {
            let d = add_days_to_date(today, 7);
            return w(
                "next week",
                (start_of_week(tz, d), end_of_week(tz, d)),
                WindowKind::Week,
            );
        }
        ["last", "week"] | ["previous", "week"] => {
            let d = add_days_to_date(today, -7);
            return w(
                "last week",
                (start_of_week(tz, d), end_of_week(tz, d)),
                WindowKind::Week,
            );
        }
        ["this", "month"]
        | ["month"]
        | ["rest", "of", "the", "month"]
        | ["rest", "of", "this", "month"] => {
            return w(
                "this month",
                rest_of(end_of_month(tz, today)),
                WindowKind::Month,
            )
        }
        ["next", "month"] => {
            let d = add_months_to_month_start(today, 1);
            return w(
                "next month",
                (start_of_month(tz, d), end_of_month(tz, d)),
                WindowKind::Month,
            );
        }
        ["last", "month"] | ["previous", "month"] => {
            let d = add_months_to_month_start(today, -1);
            return w(
                "last month",
                (start_of_month(tz, d), end_of_month(tz, d)),
                WindowKind::Month,
            );
        }
        ["this", "year"] | ["rest", "of", "the", "year"] => {
            let last = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
            return w("this year", rest_of(end_of_day(tz, last)), WindowKind::Year);
        }
        ["this", "weekend"] | ["weekend"] | ["the", "weekend"] => {
            let sat = weekday_in_week_of(today, Weekday::Sat);
            let start = start_of_day(tz, sat).max(now);
            return w(
                "this weekend",
                (start, end_of_week(tz, today)),
                WindowKind::Weekend,
            );
        }
        ["next", "weekend"] => {
            let d = add_days_to_date(today, 7);
            let sat = weekday_in_week_of(d, Weekday::Sat);
            return w(
                "next weekend",
                (start_of_day(tz, sat), end_of_week(tz, d)),
                WindowKind::Weekend,
            );
        }
        ["past", "week"] => {
            return w(
                "past 7 days",
                (start_of_day(tz, add_days_to_date(today, -7)), now),
                WindowKind::Rolling,
            )
        }
        _ => {}
    }

    if let Some(window) = rolling(original, &words, now)? {
        return Ok(window);
    }
    // "week of Dec 7": the Monday-based week containing that day.
    if let ["week", "of", rest @ ..] = words.as_slice() {
        let day = from_moment(original, &rest.join(" "), now, o)?;
        let date = day.start.date_naive();
        return Ok(TimeWindow::new(
            &format!("week of {}", date.format("%b %-d")),
            start_of_week(tz, date),
            end_of_week(tz, date),
            WindowKind::Week,
        ));
    }
    // "December": that whole month (this year's unless it is already over).
    if let [month_word] = words.as_slice() {
        if let Some(month) = parse_month(month_word) {
            let year = if month >= today.month() {
                today.year()
            } else {
                today.year() + 1
            };
            let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
            return Ok(TimeWindow::new(
                &first.format("%B %Y").to_string(),
                start_of_month(tz, first),
                end_of_month(tz, first),
                WindowKind::Month,
            ));
        }
    }
    from_moment(original, text, now, o)
}

/// "next 3 days", "the coming 2 weeks", "next 24 hours", "last 7 days", "past 2 weeks".
fn rolling(
    original: &str,
    words: &[&str],
    now: DateTime<Tz>,
) -> Result<Option<TimeWindow>, TimeError> {
    let tz = now.timezone();
    let today = now.date_naive();
    let (forward, rest) = match words {
        ["next" | "coming" | "upcoming" | "following", rest @ ..] => (true, rest),
        ["last" | "past" | "previous", rest @ ..] => (false, rest),
        ["in", "the", "next", rest @ ..] => (true, rest),
        _ => return Ok(None),
    };
    let (count, unit) = match rest {
        ["few", unit] => (3, *unit),
        ["couple", "of", unit] | ["couple", unit] => (2, *unit),
        [n, unit] => match parse_count(n) {
            Some(n) => (n, *unit),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let out_of_range = || TimeError::OutOfRange {
        phrase: original.to_string(),
    };
    if count == 0 {
        return Err(TimeError::EmptyRange {
            phrase: original.to_string(),
        });
    }
    let days = match unit {
        "day" | "days" => count,
        "week" | "weeks" => count.saturating_mul(7),
        "hour" | "hours" | "hrs" | "hr" => {
            if count > MAX_WINDOW_DAYS * 24 {
                return Err(out_of_range());
            }
            let span = Duration::hours(count);
            let (s, e) = if forward {
                (now, now + span)
            } else {
                (now - span, now)
            };
            let name = format!("{} {count} hours", if forward { "next" } else { "last" });
            return Ok(Some(TimeWindow::new(&name, s, e, WindowKind::Rolling)));
        }
        _ => return Ok(None),
    };
    if days > MAX_WINDOW_DAYS {
        return Err(out_of_range());
    }
    let name = format!(
        "{} {count} {}",
        if forward { "next" } else { "last" },
        if matches!(unit, "day" | "days") {
            "days"
        } else {
            "weeks"
        }
    );
    let (s, e) = if forward {
        (now, end_of_day(tz, add_days_to_date(today, days)))
    } else {
        (start_of_day(tz, add_days_to_date(today, -days)), now)
    };
    Ok(Some(TimeWindow::new(&name, s, e, WindowKind::Rolling)))
}

/// "7", "seven", "a", "couple": how many days or weeks ("the last seven days").
fn parse_count(word: &str) -> Option<i64> {
    if let Some(n) = crate::domain::words::count(word) {
        return Some(n.into());
    }
    if word.is_empty() || word.len() > 7 || !word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    word.parse().ok()
}

/// Anything else goes through the moment grammar: a day, a part of a day, or a time.
fn from_moment(
    original: &str,
    text: &str,
    now: DateTime<Tz>,
    o: PhraseOptions,
) -> Result<TimeWindow, TimeError> {
    let tz = now.timezone();
    let today = now.date_naive();
    // A part of day alone ("afternoon", "this morning" is handled by the grammar).
    if let Some(part) = parse_part(text).and_then(|p| p.day_part()) {
        let date = if at(tz, today, part.end()) > now {
            today
        } else {
            add_days_to_date(today, 1)
        };
        return Ok(part_window(part.name(), tz, date, part));
    }
    let interpretation = interpret_with(text, now, MomentRole::Generic, KeepFrom::Nothing, o)
        .map_err(|e| rename_phrase(e, original))?;
    let moment = interpretation.moment;
    if interpretation.exact || interpretation.clock_given {
        let name = format!("around {}", moment.instant.format("%a %b %-d %H:%M"));
        return Ok(TimeWindow::new(
            &name,
            moment.instant,
            moment.instant + Duration::hours(1),
            WindowKind::Moment,
        ));
    }
    if let Some(part) = interpretation.part {
        let date = if moment.date_given {
            moment.date
        } else {
            today
        };
        return match part {
            PartWord::Night if moment.date_given => Ok(TimeWindow::new(
                "night",
                at(tz, date, DayPart::Evening.start()),
                end_of_day(tz, date),
                WindowKind::DayPart,
            )),
            p => match p.day_part() {
                Some(dp) => Ok(part_window(dp.name(), tz, date, dp)),
                // noon / end of day / midnight: the hour at that time.
                None => Ok(TimeWindow::new(
                    "around",
                    moment.instant,
                    moment.instant + Duration::hours(1),
                    WindowKind::Moment,
                )),
            },
        };
    }
    let date = moment.date;
    Ok(TimeWindow::new(
        &date.format("%a %b %-d").to_string(),
        start_of_day(tz, date),
        end_of_day(tz, date),
        WindowKind::Day,
    ))
}

fn part_window(name: &str, tz: Tz, date: NaiveDate, part: DayPart) -> TimeWindow {
    TimeWindow::new(
        name,
        at(tz, date, part.start()),
        at(tz, date, part.end()),
        WindowKind::DayPart,
    )
}

/// Errors from sub-phrases name the whole phrase the user gave.
fn rename_phrase(error: TimeError, original: &str) -> TimeError {
    let phrase = original.to_string();
    match error {
        TimeError::Unrecognized { word, .. } => TimeError::Unrecognized { phrase, word },
        TimeError::InvalidDate { detail, .. } => TimeError::InvalidDate { phrase, detail },
        TimeError::Conflict { detail, .. } => TimeError::Conflict { phrase, detail },
        TimeError::OutOfRange { .. } => TimeError::OutOfRange { phrase },
        TimeError::EmptyRange { .. } => TimeError::EmptyRange { phrase },
        TimeError::Empty => TimeError::Unrecognized {
            phrase,
            word: String::new(),
        },
        other => other,
    }
}

/// "Tue Dec 1" / "Tue Dec 1 – Sun Dec 6" / "Tue Dec 1 09:00 – Sun Dec 6".
fn describe(start: &DateTime<Tz>, end: &DateTime<Tz>) -> String {
    let is_midnight = |t: NaiveTime| t.hour() == 0 && t.minute() == 0;
    let start_txt = if is_midnight(start.time()) {
        start.format("%a %b %-d").to_string()
    } else {
        start.format("%a %b %-d %H:%M").to_string()
    };
    let end_txt = if is_midnight(end.time()) {
        let last_day = add_days_to_date(end.date_naive(), -1);
        if last_day == start.date_naive() {
            return if is_midnight(start.time()) {
                start_txt
            } else {
                format!("{start_txt} – end of day")
            };
        }
        last_day.format("%a %b %-d").to_string()
    } else if end.date_naive() == start.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        end.format("%a %b %-d %H:%M").to_string()
    };
    format!("{start_txt} – {end_txt}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{format_instant, local_now};
    use chrono_tz::America::New_York;
    use chrono_tz::Asia::Kolkata;
    use chrono_tz::Australia::Sydney;
    use chrono_tz::Europe::London;
    use proptest::prelude::*;

    fn now_in(tz: Tz, y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Tz> {
        let naive = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap();
        local_now(tz, naive)
    }
    fn tue() -> DateTime<Tz> {
        now_in(New_York, 2026, 12, 1, 9, 0)
    }

    /// Counts come from `domain::words` ("fifteen" and "an" were not in the old table).
    #[test]
    fn rolling_windows_take_any_spelled_count() {
        let next = resolve_window("next fifteen days", tue()).unwrap();
        assert_eq!((next.end - next.start).num_days(), 15);
        let last = resolve_window("last twenty days", tue()).unwrap();
        assert_eq!((last.end - last.start).num_days(), 20);
        let hours = resolve_window("next eleven hours", tue()).unwrap();
        assert_eq!((hours.end - hours.start).num_hours(), 11);
    }

    #[test]
    fn numeric_dates_in_windows_follow_the_users_date_order() {
        let dmy = PhraseOptions {
            date_order: crate::domain::time::DateOrder::DayFirst,
        };
        let range = resolve_window_with("3/4 to 5/4", tue(), dmy).unwrap();
        assert_eq!(format_instant(&range.start), "2027-04-03T00:00:00-04:00");
        assert_eq!(format_instant(&range.end), "2027-04-06T00:00:00-04:00");
        let day = resolve_window_with("3/4", tue(), dmy).unwrap();
        assert_eq!(format_instant(&day.start), "2027-04-03T00:00:00-04:00");
        let by = resolve_window_with("by 3/4", tue(), dmy).unwrap();
        assert_eq!(format_instant(&by.end), "2027-04-04T00:00:00-04:00");
        // The default stays month-first.
        let us = resolve_window("3/4 to 3/5", tue()).unwrap();
        assert_eq!(format_instant(&us.start), "2027-03-04T00:00:00-05:00");
        assert_eq!(format_instant(&us.end), "2027-03-06T00:00:00-05:00");
    }

    fn run_table(now: DateTime<Tz>, cases: &[(&str, &str, &str, WindowKind)]) {
        let mut failures = Vec::new();
        for (phrase, start, end, kind) in cases {
            match resolve_window(phrase, now) {
                Ok(w) => {
                    let got = (format_instant(&w.start), format_instant(&w.end), w.kind);
                    if got != (start.to_string(), end.to_string(), *kind) {
                        failures.push(format!(
                            "{phrase:?}: got {got:?} want ({start}, {end}, {kind:?})"
                        ));
                    }
                }
                Err(e) => failures.push(format!("{phrase:?}: error {e}")),
            }
        }
        assert!(
            failures.is_empty(),
            "now={}:\n{}",
            format_instant(&now),
            failures.join("\n")
        );
    }

    use WindowKind as K;

    #[test]
    fn named_windows_from_tuesday_morning() {
        run_table(
            tue(),
            &[
                (
                    "today",
                    "2026-12-01T00:00:00-05:00",
                    "2026-12-02T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "Today",
                    "2026-12-01T00:00:00-05:00",
                    "2026-12-02T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "for today",
                    "2026-12-01T00:00:00-05:00",
                    "2026-12-02T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "tomorrow",
                    "2026-12-02T00:00:00-05:00",
                    "2026-12-03T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "yesterday",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-01T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "rest of the day",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-02T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "this week",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-07T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "This week?",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-07T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "next week",
                    "2026-12-07T00:00:00-05:00",
                    "2026-12-14T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "last week",
                    "2026-11-23T00:00:00-05:00",
                    "2026-11-30T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "this month",
                    "2026-12-01T09:00:00-05:00",
                    "2027-01-01T00:00:00-05:00",
                    K::Month,
                ),
                (
                    "next month",
                    "2027-01-01T00:00:00-05:00",
                    "2027-02-01T00:00:00-05:00",
                    K::Month,
                ),
                (
                    "last month",
                    "2026-11-01T00:00:00-04:00",
                    "2026-12-01T00:00:00-05:00",
                    K::Month,
                ),
                (
                    "this year",
                    "2026-12-01T09:00:00-05:00",
                    "2027-01-01T00:00:00-05:00",
                    K::Year,
                ),
                (
                    "this weekend",
                    "2026-12-05T00:00:00-05:00",
                    "2026-12-07T00:00:00-05:00",
                    K::Weekend,
                ),
                (
                    "next weekend",
                    "2026-12-12T00:00:00-05:00",
                    "2026-12-14T00:00:00-05:00",
                    K::Weekend,
                ),
                (
                    "next 3 days",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "the next 3 days",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "in the next 3 days",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "next three days",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "next 2 weeks",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-16T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "next 24 hours",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-02T09:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "last 7 days",
                    "2026-11-24T00:00:00-05:00",
                    "2026-12-01T09:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "past week",
                    "2026-11-24T00:00:00-05:00",
                    "2026-12-01T09:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "next few days",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "overdue",
                    "2025-12-01T09:00:00-05:00",
                    "2026-12-01T09:00:00-05:00",
                    K::Overdue,
                ),
                (
                    "past due",
                    "2025-12-01T09:00:00-05:00",
                    "2026-12-01T09:00:00-05:00",
                    K::Overdue,
                ),
                (
                    "",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-31T09:00:00-05:00",
                    K::Default,
                ),
                (
                    "upcoming",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-31T09:00:00-05:00",
                    K::Default,
                ),
                (
                    "all",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-31T09:00:00-05:00",
                    K::Default,
                ),
            ],
        );
    }

    #[test]
    fn days_parts_and_moments_from_tuesday_morning() {
        run_table(
            tue(),
            &[
                (
                    "Dec 4",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "on December 4th",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "2026-12-04",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "12/4",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "Friday",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "on Tuesday",
                    "2026-12-01T00:00:00-05:00",
                    "2026-12-02T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "next Tuesday",
                    "2026-12-08T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "Nov 20",
                    "2027-11-20T00:00:00-05:00",
                    "2027-11-21T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "this afternoon",
                    "2026-12-01T12:00:00-05:00",
                    "2026-12-01T17:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "this morning",
                    "2026-12-01T09:00:00-05:00",
                    "2026-12-01T12:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "afternoon",
                    "2026-12-01T12:00:00-05:00",
                    "2026-12-01T17:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "tomorrow morning",
                    "2026-12-02T09:00:00-05:00",
                    "2026-12-02T12:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "tomorrow afternoon",
                    "2026-12-02T12:00:00-05:00",
                    "2026-12-02T17:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "Friday evening",
                    "2026-12-04T17:00:00-05:00",
                    "2026-12-04T20:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "tonight",
                    "2026-12-01T17:00:00-05:00",
                    "2026-12-02T00:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "tomorrow night",
                    "2026-12-02T17:00:00-05:00",
                    "2026-12-03T00:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "tomorrow at 2pm",
                    "2026-12-02T14:00:00-05:00",
                    "2026-12-02T15:00:00-05:00",
                    K::Moment,
                ),
                (
                    "in 2 hours",
                    "2026-12-01T11:00:00-05:00",
                    "2026-12-01T12:00:00-05:00",
                    K::Moment,
                ),
                (
                    "2026-12-04T15:30:00-05:00",
                    "2026-12-04T15:30:00-05:00",
                    "2026-12-04T16:30:00-05:00",
                    K::Moment,
                ),
                (
                    "tomorrow at noon",
                    "2026-12-02T12:00:00-05:00",
                    "2026-12-02T13:00:00-05:00",
                    K::Moment,
                ),
            ],
        );
        // A morning that is over rolls to tomorrow's.
        let late = now_in(New_York, 2026, 12, 1, 12, 30);
        run_table(
            late,
            &[(
                "morning",
                "2026-12-02T09:00:00-05:00",
                "2026-12-02T12:00:00-05:00",
                K::DayPart,
            )],
        );
    }

    #[test]
    fn ranges() {
        run_table(
            tue(),
            &[
                (
                    "Dec 4 to Dec 8",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "from Dec 4 to Dec 8",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "between Dec 4 and Dec 8",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "2026-12-04..2026-12-08",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "2026-12-04 - 2026-12-08",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "Dec 4 – Dec 8",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "12/4 through 12/8",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "Wednesday to Friday",
                    "2026-12-02T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "from Monday to Wednesday",
                    "2026-12-07T00:00:00-05:00",
                    "2026-12-10T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "Friday to Monday",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-08T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "Dec 28 to Jan 3",
                    "2026-12-28T00:00:00-05:00",
                    "2027-01-04T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "today until Friday",
                    "2026-12-01T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "yesterday to tomorrow",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-03T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "tomorrow 9am to 11am",
                    "2026-12-02T09:00:00-05:00",
                    "2026-12-02T11:00:00-05:00",
                    K::Range,
                ),
            ],
        );
        let err = resolve_window("Dec 8 to Dec 4 2026", tue()).unwrap_err();
        assert!(matches!(err, TimeError::EmptyRange { .. }), "{err:?}");
        assert!(err.to_string().contains("Dec 8 to Dec 4 2026"));
    }

    #[test]
    fn compact_ranges_months_and_weeks_of() {
        run_table(
            tue(),
            &[
                (
                    "tomorrow 2pm-4pm",
                    "2026-12-02T14:00:00-05:00",
                    "2026-12-02T16:00:00-05:00",
                    K::Range,
                ),
                (
                    "tomorrow 2-4pm",
                    "2026-12-02T14:00:00-05:00",
                    "2026-12-02T16:00:00-05:00",
                    K::Range,
                ),
                (
                    "Friday 10am - noon",
                    "2026-12-04T10:00:00-05:00",
                    "2026-12-04T12:00:00-05:00",
                    K::Range,
                ),
                (
                    "Dec 4-8",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-09T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "today and tomorrow",
                    "2026-12-01T00:00:00-05:00",
                    "2026-12-03T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "this week and next week",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-14T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "week of Dec 9",
                    "2026-12-07T00:00:00-05:00",
                    "2026-12-14T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "December",
                    "2026-12-01T00:00:00-05:00",
                    "2027-01-01T00:00:00-05:00",
                    K::Month,
                ),
                (
                    "in March",
                    "2027-03-01T00:00:00-05:00",
                    "2027-04-01T00:00:00-04:00",
                    K::Month,
                ),
            ],
        );
        assert!(resolve_window("blorp and blah", tue()).is_err());
    }

    #[test]
    fn from_sunday_night_and_friday() {
        let sun = now_in(New_York, 2026, 11, 29, 23, 30);
        run_table(
            sun,
            &[
                (
                    "later this week",
                    "2026-11-29T23:30:00-05:00",
                    "2026-11-30T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "next week",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-07T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "last week",
                    "2026-11-16T00:00:00-05:00",
                    "2026-11-23T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "this weekend",
                    "2026-11-29T23:30:00-05:00",
                    "2026-11-30T00:00:00-05:00",
                    K::Weekend,
                ),
                (
                    "tomorrow",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-01T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "Sunday",
                    "2026-11-29T00:00:00-05:00",
                    "2026-11-30T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "next 3 days",
                    "2026-11-29T23:30:00-05:00",
                    "2026-12-03T00:00:00-05:00",
                    K::Rolling,
                ),
                (
                    "this month",
                    "2026-11-29T23:30:00-05:00",
                    "2026-12-01T00:00:00-05:00",
                    K::Month,
                ),
            ],
        );
        let fri = now_in(New_York, 2026, 12, 4, 15, 0);
        run_table(
            fri,
            &[
                (
                    "Friday",
                    "2026-12-04T00:00:00-05:00",
                    "2026-12-05T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "this weekend",
                    "2026-12-05T00:00:00-05:00",
                    "2026-12-07T00:00:00-05:00",
                    K::Weekend,
                ),
                (
                    "this afternoon",
                    "2026-12-04T12:00:00-05:00",
                    "2026-12-04T17:00:00-05:00",
                    K::DayPart,
                ),
                (
                    "this week",
                    "2026-11-30T00:00:00-05:00",
                    "2026-12-07T00:00:00-05:00",
                    K::Week,
                ),
            ],
        );
    }

    #[test]
    fn dst_weeks_and_other_zones() {
        // The US fall-back day is 25 hours long; next week spans it.
        let thu = now_in(New_York, 2026, 10, 29, 10, 0);
        run_table(
            thu,
            &[
                (
                    "this week",
                    "2026-10-26T00:00:00-04:00",
                    "2026-11-02T00:00:00-05:00",
                    K::Week,
                ),
                (
                    "Sunday",
                    "2026-11-01T00:00:00-04:00",
                    "2026-11-02T00:00:00-05:00",
                    K::Day,
                ),
                (
                    "next week",
                    "2026-11-02T00:00:00-05:00",
                    "2026-11-09T00:00:00-05:00",
                    K::Week,
                ),
            ],
        );
        let sunday = resolve_window("Sunday", thu).unwrap();
        assert_eq!(sunday.end - sunday.start, Duration::hours(25));
        let spring = now_in(New_York, 2026, 3, 5, 10, 0);
        let w = resolve_window("Sunday", spring).unwrap();
        assert_eq!(w.end - w.start, Duration::hours(23));
        assert_eq!(format_instant(&w.start), "2026-03-08T00:00:00-05:00");

        let london = now_in(London, 2026, 3, 27, 12, 0);
        run_table(
            london,
            &[
                (
                    "this weekend",
                    "2026-03-28T00:00:00+00:00",
                    "2026-03-30T00:00:00+01:00",
                    K::Weekend,
                ),
                (
                    "next 2 days",
                    "2026-03-27T12:00:00+00:00",
                    "2026-03-30T00:00:00+01:00",
                    K::Rolling,
                ),
            ],
        );
        let kolkata = now_in(Kolkata, 2026, 12, 1, 9, 0);
        run_table(
            kolkata,
            &[(
                "today",
                "2026-12-01T00:00:00+05:30",
                "2026-12-02T00:00:00+05:30",
                K::Day,
            )],
        );
        let sydney = now_in(Sydney, 2026, 10, 2, 10, 0);
        run_table(
            sydney,
            &[
                (
                    "this week",
                    "2026-09-28T00:00:00+10:00",
                    "2026-10-05T00:00:00+11:00",
                    K::Week,
                ),
                (
                    "next week",
                    "2026-10-05T00:00:00+11:00",
                    "2026-10-12T00:00:00+11:00",
                    K::Week,
                ),
                (
                    "Sunday",
                    "2026-10-04T00:00:00+10:00",
                    "2026-10-05T00:00:00+11:00",
                    K::Day,
                ),
            ],
        );
    }

    #[test]
    fn open_ended_phrases_run_from_now_to_that_point() {
        use WindowKind as K;
        let now = "2026-12-01T09:00:00-05:00";
        let end_fri = "2026-12-05T00:00:00-05:00";
        let end_week = "2026-12-07T00:00:00-05:00";
        run_table(
            tue(),
            &[
                ("by Friday", now, end_fri, K::Range),
                ("due by Friday", now, end_fri, K::Range),
                ("until Friday", now, end_fri, K::Range),
                ("till friday", now, end_fri, K::Range),
                ("no later than Friday", now, end_fri, K::Range),
                ("before Friday", now, "2026-12-04T00:00:00-05:00", K::Range),
                ("before the end of the week", now, end_week, K::Range),
                ("by the end of the week", now, end_week, K::Range),
                ("by end of week", now, end_week, K::Range),
                ("by 5pm", now, "2026-12-01T17:00:00-05:00", K::Range),
                (
                    "by the end of the day",
                    now,
                    "2026-12-02T00:00:00-05:00",
                    K::Range,
                ),
                (
                    "by the end of the month",
                    now,
                    "2027-01-01T00:00:00-05:00",
                    K::Range,
                ),
            ],
        );
        assert!(matches!(
            resolve_window("by yesterday", tue()),
            Err(TimeError::EmptyRange { .. })
        ));
        let w = resolve_window("by Friday", tue()).unwrap();
        assert_eq!(w.label, "by Friday (Tue Dec 1 09:00 – Fri Dec 4)");
    }

    #[test]
    fn window_helpers_and_labels() {
        let w = resolve_window("this week", tue()).unwrap();
        assert!(w.contains(&tue()));
        assert!(!w.contains(&w.end));
        let ev_start = now_in(New_York, 2026, 12, 6, 23, 0);
        let ev_end = now_in(New_York, 2026, 12, 7, 1, 0);
        assert!(
            w.overlaps(&ev_start, &ev_end),
            "an event spanning midnight overlaps"
        );
        assert!(!w.overlaps(&w.end, &ev_end));
        assert_eq!(w.label, "this week (Mon Nov 30 – Sun Dec 6)");
        let rest = w.clone().from_now(tue());
        assert_eq!(
            rest.label,
            "rest of this week (Tue Dec 1 09:00 – Sun Dec 6)"
        );
        assert_eq!((rest.start, rest.end), (tue(), w.end));
        assert_eq!(resolve_window("rest of this week", tue()).unwrap(), rest);
        let next = resolve_window("next week", tue()).unwrap();
        assert_eq!(
            next.clone().from_now(tue()),
            next,
            "a later window is unchanged"
        );
        let t = resolve_window("today", tue()).unwrap();
        assert_eq!(t.label, "today (Tue Dec 1)");
        assert!(resolve_window("overdue", tue()).unwrap().is_overdue());
        let r = resolve_window("Dec 4 to Dec 8", tue()).unwrap();
        assert_eq!(r.label, "dec 4 to dec 8 (Fri Dec 4 – Tue Dec 8)");
    }

    #[test]
    fn errors() {
        let now = tue();
        for phrase in [
            "blorp",
            "next 0 days",
            "next 99999 days",
            "Feb 30",
            "sometime maybe",
        ] {
            let err = resolve_window(phrase, now).expect_err(phrase);
            assert!(
                err.to_string().contains(phrase),
                "{err} should name {phrase:?}"
            );
        }
        assert!(matches!(
            resolve_window(&"x".repeat(MAX_PHRASE_CHARS + 1), now),
            Err(TimeError::TooLong { .. })
        ));
    }

    const ZONES: &[Tz] = &[
        chrono_tz::America::New_York,
        chrono_tz::Australia::Sydney,
        chrono_tz::America::Santiago,
        chrono_tz::Asia::Kolkata,
        chrono_tz::UTC,
    ];

    fn any_now() -> impl Strategy<Value = DateTime<Tz>> {
        (0..ZONES.len(), 31_536_000i64..4_070_908_800i64).prop_map(|(z, secs)| {
            use chrono::TimeZone;
            ZONES[z].from_utc_datetime(
                &DateTime::from_timestamp(secs, 0)
                    .unwrap_or_default()
                    .naive_utc(),
            )
        })
    }

    const VOCAB: &[&str] = &[
        "this", "next", "last", "week", "month", "weekend", "today", "tomorrow", "to", "from",
        "between", "and", "..", "-", "3", "0", "days", "hours", "friday", "dec", "4", "at", "2pm",
        "morning", "tonight", "overdue", "all", "past", "few", "the", "in",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics(phrase in "\\PC{0,260}", now in any_now()) {
            if let Ok(w) = resolve_window(&phrase, now) {
                prop_assert!(w.start < w.end);
            }
        }

        #[test]
        fn vocabulary_soup_gives_nonempty_windows(
            words in proptest::collection::vec(proptest::sample::select(VOCAB), 0..6),
            now in any_now(),
        ) {
            if let Ok(w) = resolve_window(&words.join(" "), now) {
                prop_assert!(w.start < w.end, "{:?}", words);
            }
        }

        #[test]
        fn week_windows_are_monday_based(now in any_now()) {
            let next = resolve_window("next week", now).unwrap();
            prop_assert_eq!(next.start.weekday(), Weekday::Mon);
            prop_assert_eq!(next.end.weekday(), Weekday::Mon);
            prop_assert_eq!((next.end.date_naive() - next.start.date_naive()).num_days(), 7);
            let this = resolve_window("this week", now).unwrap();
            prop_assert_eq!(this.start.weekday(), Weekday::Mon);
            prop_assert!(this.start <= now);
            prop_assert_eq!(this.end, next.start);
            let rest = resolve_window("rest of this week", now).unwrap();
            prop_assert_eq!(rest.start, now);
            prop_assert_eq!(rest.end, next.start);
            let today = resolve_window("today", now).unwrap();
            prop_assert!(today.contains(&now));
        }
    }
}
