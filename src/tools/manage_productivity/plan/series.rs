//! The recurring series a change or cancellation with scope `following` / `series` refers
//! to: the event found (an occurrence, or the master when lists are not expanded), its
//! master (one `GET` when an occurrence was found), the parsed rule and the occurrence meant.
//!
//! Decisions:
//! - An occurrence found in a list is matched to the rule's occurrence on its local day
//!   (a moved occurrence still names its day).
//! - When the master itself was found, the occurrence meant is the first one inside the
//!   time hint's window, else the next one from now.
//! - Whether other people are involved is decided on the master's participants.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::find_events::{calendar_of, find_one_event};
use super::references::time_hint_window;
use super::{list_titles, Answer};
use crate::domain::local_time::start_of_day;
use crate::domain::recurrence::{self, count_total, expand, split_at, Recurrence, SeriesSplit};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::{ManageRequest, SeriesScope};
use crate::tools::approval_flow;
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::present::calendar_item;
use crate::tools::present::{event_json, fmt_time, occurrence_count};
use crate::tools::ToolCall;
use crate::tools::ToolEnv;
use crate::upstream::{NylasClient, NylasEvent};
use serde_json::{json, Value};

/// How far ahead the next occurrence is looked for (a yearly series fits).
const LOOKAHEAD_DAYS: i64 = 400;

/// A series and the occurrence a request means.
pub(super) struct SeriesTarget {
    pub master: NylasEvent,
    pub calendar_id: String,
    pub recurrence: Recurrence,
    pub tz: Tz,
    pub all_day: bool,
    /// The master's first start (the series' `DTSTART`).
    pub first: DateTime<Tz>,
    /// The occurrence meant, and its end (the series' duration later).
    pub occurrence: DateTime<Tz>,
    pub occurrence_end: DateTime<Utc>,
    /// Other people are on the series.
    pub with_others: bool,
    /// Who would be notified.
    pub notified: Vec<String>,
}

/// `following` / `series` when the request asks for one of them.
pub(super) fn wide_scope(req: &ManageRequest) -> Option<SeriesScope> {
    req.scope.filter(|s| *s != SeriesScope::Occurrence)
}

/// The series the request refers to; a non-recurring event is an error naming it.
pub(super) async fn find_series(
    req: &ManageRequest,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
) -> Result<SeriesTarget, Answer> {
    let event = find_one_event(req, nylas, call).await?;
    let master = match event.master_event_id.as_deref() {
        Some(id) => nylas
            .get_event(id, &calendar_of(&event))
            .await
            .map_err(|e| e.to_envelope(&call.credentials))?,
        None if !event.recurrence.is_empty() => event.clone(),
        None => {
            return Err(nylas_error(format!(
                "'{}' is not a recurring event, so there is no series to change.",
                event.title
            )))
        }
    };
    target(&event, master, req, call)
}

fn target(
    found: &NylasEvent,
    master: NylasEvent,
    req: &ManageRequest,
    call: &ToolCall,
) -> Result<SeriesTarget, Answer> {
    let recurrence = Recurrence::parse(&master.recurrence).map_err(|e| {
        nylas_error(format!(
            "I can't read the repeat rule of '{}': {e}.",
            master.title
        ))
    })?;
    let tz = master
        .timezone()
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(call.user.tz());
    let all_day = master.is_all_day();
    let (start, end) = master
        .start_end_in(tz)
        .ok_or_else(|| nylas_error(format!("'{}' has no readable time.", master.title)))?;
    let first = if all_day {
        start_of_day(tz, start.with_timezone(&tz).date_naive())
    } else {
        start.with_timezone(&tz)
    };
    let occurrence = occurrence_meant(found, &master, &recurrence, first, req, call)?;
    let item = calendar_item(&master, call.user.tz(), call.user.user_email.as_deref());
    Ok(SeriesTarget {
        calendar_id: calendar_of(&master),
        with_others: item.as_ref().is_some_and(|i| i.has_others()),
        notified: item.map(|i| i.participant_emails).unwrap_or_default(),
        occurrence_end: occurrence.with_timezone(&Utc) + (end - start),
        master,
        recurrence,
        tz,
        all_day,
        first,
        occurrence,
    })
}

fn occurrence_meant(
    found: &NylasEvent,
    master: &NylasEvent,
    recurrence: &Recurrence,
    first: DateTime<Tz>,
    req: &ManageRequest,
    call: &ToolCall,
) -> Result<DateTime<Tz>, Answer> {
    let tz = first.timezone();
    let window = if found.id != master.id {
        let start = found
            .start_end_in(tz)
            .map(|(s, _)| s.with_timezone(&tz).date_naive());
        start.map(|day| day_window(day, tz))
    } else {
        time_hint_window(req, call)?
    };
    let (from, to) = window.unwrap_or_else(|| {
        let now = call.user.now.with_timezone(&Utc);
        (now, now + Duration::days(LOOKAHEAD_DAYS))
    });
    expand(recurrence, first, from, to)
        .starts
        .first()
        .copied()
        .ok_or_else(|| {
            nylas_error(format!(
                "'{}' has no occurrence in that period, so nothing was changed.",
                master.title
            ))
        })
}

fn day_window(day: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = start_of_day(tz, day).with_timezone(&Utc);
    (start, start + Duration::days(1))
}

/// What a `following` / `series` change touches: the split (`None` for the whole series,
/// also when the occurrence is the first one) and how many occurrences change.
pub(super) struct Reach {
    pub split: Option<SeriesSplit>,
    pub occurrences: Option<usize>,
    pub scope: SeriesScope,
}

pub(super) fn reach(target: &SeriesTarget, scope: SeriesScope) -> Result<Reach, Answer> {
    let whole = Reach {
        split: None,
        occurrences: count_total(&target.recurrence, target.first),
        scope: SeriesScope::Series,
    };
    if scope == SeriesScope::Series || target.occurrence == target.first {
        return Ok(whole);
    }
    let split = split_at(
        &target.recurrence,
        target.first,
        target.occurrence,
        target.all_day,
    )
    .map_err(|e| {
        nylas_error(format!(
            "I can't split '{}' there: {e}.",
            target.master.title
        ))
    })?;
    Ok(Reach {
        occurrences: split.occurrences_after,
        split: Some(split),
        scope: SeriesScope::Following,
    })
}

/// "the series 'Standup' (weekly on Tue)".
pub(super) fn series_words(target: &SeriesTarget) -> String {
    format!(
        "'{}' ({})",
        target.master.title,
        recurrence::describe(&target.recurrence.rule, target.tz)
    )
}

/// What a change reaches, before "of <the series>": "all 12 occurrences", "every occurrence"
/// (a series with no end), "3 occurrences from Tue Dec 8", "every occurrence from Tue Dec 8 on".
pub(super) fn reach_words(reach: &Reach, target: &SeriesTarget) -> String {
    let from = target.occurrence.format("%a %b %-d");
    match (reach.scope, reach.occurrences) {
        (SeriesScope::Following, Some(n)) => format!("{} from {from}", occurrence_count(n)),
        (SeriesScope::Following, None) => format!("every occurrence from {from} on"),
        (_, Some(1)) => "the one occurrence".to_string(),
        (_, Some(n)) => format!("all {n} occurrences"),
        (_, None) => "every occurrence".to_string(),
    }
}

/// The approval question for a `following` / `series` change: "<Verb> 6 occurrences from
/// Tue Dec 1 of 'Sync' (weekly on Tue) and notify sam@acme.com?", with the series, scope,
/// start and notified people added to `details`.
pub(super) struct SeriesAsk<'a> {
    pub action_type: &'a str,
    pub verb: &'a str,
    pub details: Value,
    pub risk: &'a str,
    /// What the change makes of the series ("to repeat weekly on Wed"), after its name.
    pub outcome: Option<String>,
}

pub(super) fn ask_series(
    ask: SeriesAsk<'_>,
    op: &Operation,
    reach: &Reach,
    target: &SeriesTarget,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Answer {
    let tz = call.user.tz();
    let mut details = ask.details;
    details["series"] = event_json(&target.master, tz);
    details["scope"] = json!(reach.scope);
    details["from"] = json!(fmt_time(target.occurrence.with_timezone(&Utc), tz));
    details["notified"] = json!(target.notified);
    approval_flow::ask(
        call,
        env,
        ask.action_type,
        op,
        format!(
            "{} {} of {}{} and notify {}?",
            ask.verb,
            reach_words(reach, target),
            series_words(target),
            ask.outcome.map(|o| format!(" {o}")).unwrap_or_default(),
            list_titles(target.notified.iter().map(String::as_str))
        ),
        details,
        vec![ask.risk.to_string()],
    )
}

pub(super) fn nylas_error(message: String) -> Answer {
    envelope::business_error(Some(ProviderTag::Nylas), message)
}
