//! One pass over a stretch of words that marks every slot it recognizes (emails, priorities,
//! durations, time phrases, "personal") with the words that introduce them; what is left are
//! the unclaimed runs a grammar must account for (a title, a reference) or refuse.

use crate::interpret::rules::Now;

use super::slots::{
    at_phrase, duration_at, email_at, lead_then, priority_at, time_at, TimeKind, DURATION_LEADS,
    PEOPLE_LEADS, PRIORITY_LEADS,
};
use super::words::Words;

/// Words that introduce a time phrase ("by Friday", "due end of week", "on Monday").
const TIME_LEADS: &[&[&str]] = &[
    &["by"],
    &["due"],
    &["due", "by"],
    &["due", "on"],
    &["it's", "due"],
    &["it", "is", "due"],
    &["before"],
    &["on"],
    &["for"],
    &["no", "later", "than"],
    &["deadline"],
    &["deadline", "is"],
    &["starting"],
    &["from"],
];

/// Ways of saying the item is personal.
const PERSONAL: &[&[&str]] = &[
    &["it's", "personal"],
    &["it", "is", "personal"],
    &["this", "is", "personal"],
    &["as", "personal"],
    &["as", "a", "personal", "task"],
    &["category", "personal"],
    &["personal"],
];

/// Words that join slots ("by Friday and high priority").
const GLUE: &[&str] = &["and", "&", "also", "plus"];

/// What one scan found, as word spans into the scanned words.
#[derive(Debug, Default)]
pub struct Scan {
    /// Time phrases (the lead word excluded), with the lead word when there was one.
    pub times: Vec<TimeSlot>,
    pub durations: Vec<(String, u32)>,
    pub priorities: Vec<&'static str>,
    pub emails: Vec<String>,
    pub personal: bool,
    used: Vec<bool>,
    from: usize,
}

#[derive(Debug, Clone)]
pub struct TimeSlot {
    pub phrase: String,
    pub lead: Option<String>,
}

impl Scan {
    /// The maximal runs of words no slot claimed, as (start, end) word indexes.
    pub fn runs(&self) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut start = None;
        for (k, used) in self.used.iter().enumerate() {
            let i = self.from + k;
            match (used, start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    runs.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            runs.push((s, self.from + self.used.len()));
        }
        runs
    }

    /// True when the scan claimed every word.
    pub fn is_complete(&self) -> bool {
        self.used.iter().all(|u| *u)
    }
}

/// Scans `words[from..to]`. `times` says which kind of time phrase to look for.
pub fn scan(words: &Words, from: usize, to: usize, times: TimeKind, now: Now) -> Scan {
    let low = &words.low[..to];
    let mut s = Scan {
        used: vec![false; to - from],
        from,
        ..Scan::default()
    };
    let mut i = from;
    while i < to {
        i = match slot_at(words, low, i, times, now, &mut s) {
            Some(end) => {
                s.used[i - from..end - from].fill(true);
                end
            }
            None => i + 1,
        };
    }
    claim_glue(low, &mut s);
    s
}

/// Recognizes one slot (with its lead words) at `i`, records it and returns its end.
fn slot_at(
    words: &Words,
    low: &[String],
    i: usize,
    times: TimeKind,
    now: Now,
    s: &mut Scan,
) -> Option<usize> {
    let people = lead_then(low, i, PEOPLE_LEADS, |j| email_at(&words.raw, j).is_some());
    if let Some(j) = people.map(|n| i + n).or(email_at(&words.raw, i).map(|_| i)) {
        s.emails.push(email_at(&words.raw, j)?);
        return Some(j + 1);
    }
    let pri = lead_then(low, i, PRIORITY_LEADS, |j| priority_at(low, j).is_some());
    if let Some((end, p)) = priority_at(low, i + pri.unwrap_or(0)) {
        s.priorities.push(p);
        return Some(end);
    }
    let dur = lead_then(low, i, DURATION_LEADS, |j| duration_at(low, j).is_some());
    let j = i + dur.unwrap_or(0);
    if let Some((end, m)) = duration_at(low, j) {
        s.durations.push((low[j..end].join(" "), m));
        return Some(end);
    }
    let lead = lead_then(low, i, TIME_LEADS, |j| {
        time_at(low, j, times, now).is_some()
    });
    let j = i + lead.unwrap_or(0);
    if let Some(end) = time_at(low, j, times, now) {
        s.times.push(TimeSlot {
            phrase: low[j..end].join(" "),
            lead: lead.map(|n| low[i..i + n].join(" ")),
        });
        return Some(end);
    }
    if let Some(n) = at_phrase(low, i, PERSONAL) {
        s.personal = true;
        return Some(i + n);
    }
    None
}

/// A joining word between two claimed slots (or after one, at the end) is claimed too.
fn claim_glue(low: &[String], s: &mut Scan) {
    for k in 0..s.used.len() {
        let i = s.from + k;
        let glue = GLUE.contains(&low[i].as_str());
        let before = k == 0 || s.used[k - 1];
        let after = k + 1 < s.used.len() && s.used[k + 1];
        if glue && !s.used[k] && before && after {
            s.used[k] = true;
        }
    }
}
