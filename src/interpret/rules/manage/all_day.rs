//! A whole day marked on the calendar: "block Friday as vacation", "block off next Monday for
//! PTO", "mark tomorrow as a sick day". One day without a clock time only; date ranges and
//! anything else go to the model.

use crate::interpret::rules::Now;

use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::interpret::rules::slots::{is_one_day, time_at, TimeKind};
use crate::interpret::rules::words::{match_any, Words};

const VERBS: &[&[&str]] = &[&["block", "off"], &["block", "out"], &["block"], &["mark"]];

/// What the day is, and the title the event gets.
const LABELS: &[(&[&str], &str)] = &[
    (&["vacation"], "Vacation"),
    (&["vacation", "day"], "Vacation"),
    (&["holiday"], "Holiday"),
    (&["pto"], "PTO"),
    (&["day", "off"], "Day off"),
    (&["out", "of", "office"], "Out of office"),
    (&["out", "of", "the", "office"], "Out of office"),
    (&["sick", "day"], "Sick day"),
    (&["personal", "day"], "Personal day"),
];

pub fn read(words: &Words, now: Now) -> Option<ManageRequest> {
    let low = &words.low;
    let v = match_any(low, VERBS)?;
    let k = (v + 1..low.len()).find(|&k| matches!(low[k].as_str(), "as" | "for"))?;
    let day = low[v..k].join(" ");
    // A clock time ("friday at 3pm") or a part of a day resolves to less than a day.
    let whole_day =
        time_at(&low[..k], v, TimeKind::Moment, now) == Some(k) && is_one_day(&day, now);
    let mut l = k + 1;
    l += usize::from(low.get(l).is_some_and(|w| w == "a" || w == "my"));
    let title = LABELS
        .iter()
        .find(|(phrase, _)| {
            match_any(&low[l.min(low.len())..], std::slice::from_ref(phrase)) == Some(low.len() - l)
        })
        .map(|(_, title)| *title)?;
    whole_day.then(|| ManageRequest {
        action: Some(ManageAction::CreateEvent),
        title: Some(title.to_string()),
        start: Some(day),
        all_day: true,
        ..ManageRequest::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::rules::words::tokenize;
    use chrono::TimeZone as _;

    fn read_text(s: &str) -> Option<ManageRequest> {
        let now = chrono_tz::America::New_York
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap();
        read(&tokenize(s).unwrap(), now.into())
    }

    #[test]
    fn one_named_day_becomes_an_all_day_event() {
        let r = read_text("block off next monday as PTO").unwrap();
        assert_eq!(
            (r.title.as_deref(), r.start.as_deref(), r.all_day),
            (Some("PTO"), Some("next monday"), true)
        );
        let r = read_text("block out dec 24 as a holiday").unwrap();
        assert_eq!(r.start.as_deref(), Some("dec 24"));
        for deferred in [
            "block next week as vacation",
            "block friday afternoon as vacation",
            "block friday at 3pm as vacation",
            "block friday as ski trip",
        ] {
            assert_eq!(read_text(deferred), None, "{deferred}");
        }
    }
}
