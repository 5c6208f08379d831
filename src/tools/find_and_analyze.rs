//! The `find_and_analyze` tool (PRODUCT §4): search tasks and events, and workload analysis.
//!
//! Natural language costs one model call that only classifies the request (mode, scope, time
//! words, keywords, filters); structured arguments (`time_range`, `keywords`, `analysis`,
//! `mode`, `priority`, `status`, `participant`) skip the model. Everything else — the window,
//! the matching, the metrics — is computed here from one Reclaim task list and one Nylas
//! events query for the whole window. Calendar and task text never reaches the model.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};

use super::present::{event_json, fmt_time, task_json};
use super::schedule_data::{self, calendar_items, Connected};
use super::schema::object_schema;
use super::time_reading::{read_window, WindowIso};
use super::{calendar_choice, model, ToolCall, ToolEnv};
use crate::domain::intervals::Interval;
use crate::domain::local_time::start_of_day;
use crate::domain::metrics::{ScheduleAnalysis, WorkloadMetrics};
use crate::domain::priority::Priority;
use crate::domain::text_search::{person_matches, KeywordQuery};
use crate::domain::time_window::{resolve_window, TimeWindow, WindowKind};
use crate::domain::working_hours::WorkingHours;
use crate::envelope;
use crate::interpret::find::{FindMode, FindRequest, Scope, StatusFilter};
use crate::upstream::{Clients, NylasEvent, ReclaimTask};

/// How far back a keyword/person search without a time range looks for events.
const SEARCH_LOOKBACK_DAYS: i64 = 30;
/// How far ahead a keyword/person search without a time range looks for events.
const SEARCH_LOOKAHEAD_DAYS: i64 = 90;

pub fn input_schema() -> Value {
    let mut p = Map::new();
    p.insert("query".into(), json!({"type": "string", "description": "The request in natural language, e.g. \"what's on my calendar today?\", \"find all items about budget\", \"how's my workload this week?\". Interpreted with one model call unless structured arguments are given."}));
    p.insert("scope".into(), json!({"type": "string", "enum": ["tasks", "events", "both"], "default": "both", "description": "Search tasks (Reclaim), events (calendar) or both."}));
    p.insert("time_range".into(), json!({"type": "string", "description": "Structured: a time phrase (today, tomorrow, this week, next week, this month, overdue, 'Dec 4 to Dec 8', 'next 3 days'). Giving any of time_range, keywords, analysis, mode, priority, status or participant skips the model."}));
    p.insert("keywords".into(), json!({"type": "array", "items": {"type": "string"}, "description": "Structured: subjects to match in titles, notes, descriptions and locations (case-insensitive; an item matches any entry, an entry needs all its words)."}));
    p.insert("analysis".into(), json!({"type": "boolean", "description": "Structured: true for a workload analysis instead of a search (same as mode 'workload')."}));
    p.insert("mode".into(), json!({"type": "string", "enum": ["search", "workload", "calendars"], "description": "Structured: search (default), workload analysis, or calendars: the user's calendars (name, id, primary, read-only, which count as busy, where new events go)."}));
    p.insert("priority".into(), json!({"type": "string", "description": "Structured: task priority filter, P1..P4, 'high' (P1+P2) or 'low' (P4)."}));
    p.insert("status".into(), json!({"type": "string", "enum": ["open", "done", "overdue", "at_risk", "any"], "description": "Structured: task status filter (default open)."}));
    p.insert("participant".into(), json!({"type": "string", "description": "Structured: a person (name or email) the events must involve."}));
    p.insert("calendar".into(), json!({"type": "string", "description": "Structured: only events on this calendar (a name such as 'Personal', case-insensitive, or an id). Default: every calendar of the user's own that counts as busy."}));
    object_schema(p, &[], false)
}

pub async fn run(call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    // Nothing connected: say so before spending a model call.
    if let Err(setup) = schedule_data::connect(&clients, true, true) {
        return setup;
    }
    let request = match model::read_request::<FindRequest>(call, env).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let arg_scope = call
        .args
        .get("scope")
        .and_then(Value::as_str)
        .and_then(Scope::parse);
    let scope = match (arg_scope, request.scope) {
        (Some(s), _) if s != Scope::Both => s,
        (_, Some(s)) => s,
        _ => Scope::Both,
    };
    match request.mode {
        FindMode::Search => search(call, env, &clients, &request, scope).await,
        FindMode::Workload => workload(call, &clients, &request).await,
        FindMode::Calendars => calendars(call, &clients).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Search

/// The deterministic filters of a search.
#[derive(Debug, Clone)]
pub struct Filters {
    /// `[start, end)` applied to task due dates and event spans; `None` = no restriction
    /// (tasks) / the default search window (events).
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Tasks due before now (the window is then ignored for tasks).
    pub overdue: bool,
    pub keywords: KeywordQuery,
    pub priorities: Vec<Priority>,
    pub status: StatusFilter,
    pub participant: Option<String>,
}

/// Whether a task passes the filters at `now`.
pub fn task_matches(task: &ReclaimTask, f: &Filters, now: DateTime<Utc>) -> bool {
    if task.deleted {
        return false;
    }
    let overdue = task.is_open() && task.due.is_some_and(|d| d < now);
    let status_ok = match f.status {
        StatusFilter::Open => task.is_open(),
        StatusFilter::Done => !task.is_open(),
        StatusFilter::Overdue => overdue,
        StatusFilter::AtRisk => task.is_open() && (task.at_risk || overdue),
        StatusFilter::Any => true,
    };
    if !status_ok {
        return false;
    }
    if f.overdue {
        if !overdue {
            return false;
        }
    } else if let Some((start, end)) = f.window {
        if !task.due.is_some_and(|d| d >= start && d < end) {
            return false;
        }
    }
    if !f.priorities.is_empty() && !f.priorities.contains(&task.priority) {
        return false;
    }
    if !f.keywords.matches(&[&task.title, &task.notes]) {
        return false;
    }
    if let Some(person) = &f.participant {
        let local = person.split('@').next().unwrap_or_default();
        if !KeywordQuery::new(&[local]).matches(&[&task.title, &task.notes]) {
            return false;
        }
    }
    true
}

/// Whether an event passes the filters (cancelled events never do; all-day events span
/// their local days in `tz`).
pub fn event_matches(event: &NylasEvent, f: &Filters, tz: Tz) -> bool {
    if event.is_cancelled() {
        return false;
    }
    let Some((start, end)) = event.start_end_in(tz) else {
        return false;
    };
    if let Some((ws, we)) = f.window {
        let inside = if end > start {
            start < we && end > ws
        } else {
            start >= ws && start < we
        };
        if !inside {
            return false;
        }
    }
    let description = event.description.as_deref().unwrap_or_default();
    let location = event.location.as_deref().unwrap_or_default();
    if !f.keywords.matches(&[&event.title, description, location]) {
        return false;
    }
    if let Some(person) = &f.participant {
        let mut people: Vec<(&str, Option<&str>)> = event
            .participants
            .iter()
            .map(|p| (p.email.as_str(), p.name.as_deref()))
            .collect();
        if let Some(o) = &event.organizer {
            people.push((o.email.as_deref().unwrap_or_default(), o.name.as_deref()));
        }
        if !person_matches(person, &people) {
            return false;
        }
    }
    true
}

fn window_json(w: &TimeWindow, tz: Tz) -> Value {
    json!({
        "start": w.start.to_rfc3339(),
        "end": w.end.to_rfc3339(),
        "label": w.label,
        "timezone": tz.name(),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The model's readings of the time range's bounds (a fallback).
fn range_iso(request: &FindRequest) -> WindowIso<'_> {
    WindowIso {
        start: request.time_range_start_iso.as_deref(),
        end: request.time_range_end_iso.as_deref(),
    }
}

async fn search(
    call: &ToolCall,
    _env: &ToolEnv<'_>,
    clients: &Clients<'_>,
    request: &FindRequest,
    scope: Scope,
) -> Value {
    let tz = call.user.tz();
    let now = call.user.now;
    let now_utc = now.with_timezone(&Utc);
    let window = match request.time_range.as_deref() {
        Some(phrase) => match read_window(call, phrase, range_iso(request), "time_range") {
            Ok(w) => Some(w),
            Err(e) => {
                return envelope::business_error(
                    None,
                    format!("I couldn't use the time range: {e}."),
                )
            }
        },
        None => None,
    };
    let status = request.status.unwrap_or(StatusFilter::Open);
    let overdue =
        window.as_ref().is_some_and(TimeWindow::is_overdue) || status == StatusFilter::Overdue;
    let keywords = KeywordQuery::new(&request.keywords);
    // Events have no priority or task status: such filters narrow a "both" search to tasks.
    let task_only_filter = !request.priorities.is_empty()
        || matches!(
            status,
            StatusFilter::Done | StatusFilter::Overdue | StatusFilter::AtRisk
        )
        || overdue;
    let want_tasks = scope.tasks();
    let want_events = match scope {
        Scope::Events => !overdue,
        Scope::Both => !task_only_filter,
        Scope::Tasks => false,
    };
    // The events window: the asked range, else a broad one for subject searches, else upcoming.
    let event_window: TimeWindow = match &window {
        Some(w) => w.clone(),
        None if !keywords.is_empty() || request.participant.is_some() => TimeWindow {
            start: start_of_day(tz, now.date_naive()) - Duration::days(SEARCH_LOOKBACK_DAYS),
            end: now + Duration::days(SEARCH_LOOKAHEAD_DAYS),
            label: format!("the last {SEARCH_LOOKBACK_DAYS} and next {SEARCH_LOOKAHEAD_DAYS} days"),
            kind: WindowKind::Range,
        },
        None => match resolve_window("", now) {
            Ok(w) => w,
            Err(e) => return envelope::business_error(None, e.to_string()),
        },
    };

    if !want_tasks && !want_events {
        return envelope::success(
            envelope::ProviderTag::Nylas,
            "found",
            json!({"tasks": [], "events": [], "summary": "Events are never overdue and have no priority; ask about tasks instead.", "time_range": window.as_ref().map(|w| window_json(w, tz))}),
            "Found 0 tasks and 0 events: calendar events are never overdue and have no priority. Ask about tasks instead.",
        );
    }
    let mut connected: Connected = match schedule_data::connect(clients, want_tasks, want_events) {
        Ok(c) => c,
        Err(setup) => return setup,
    };
    if let (Some(nylas), true) = (&connected.nylas, want_events) {
        let wanted = request.calendar.as_deref();
        match calendar_choice::named(nylas, wanted, calendar_choice::Use::Read, call).await {
            Ok(c) => connected.calendar = c.map(|c| c.id),
            Err(answer) => return answer,
        }
    }
    let events_span = (
        event_window.start.with_timezone(&Utc),
        event_window.end.with_timezone(&Utc),
    );
    let loaded = match schedule_data::load_partial(
        &connected,
        want_tasks,
        want_events.then_some(events_span),
        &call.credentials,
    )
    .await
    {
        Ok(l) => l,
        Err(e) => return e,
    };

    let filters = Filters {
        window: window
            .as_ref()
            .map(|w| (w.start.with_timezone(&Utc), w.end.with_timezone(&Utc))),
        overdue,
        keywords: keywords.clone(),
        priorities: request.priorities.clone(),
        status,
        participant: request.participant.clone(),
    };
    let mut tasks: Vec<&ReclaimTask> = loaded
        .tasks
        .iter()
        .filter(|t| task_matches(t, &filters, now_utc))
        .collect();
    tasks.sort_by(|a, b| {
        (a.due.is_none(), a.due, a.priority, a.id).cmp(&(b.due.is_none(), b.due, b.priority, b.id))
    });
    let event_filters = Filters {
        window: Some(events_span),
        ..filters.clone()
    };
    let mut events: Vec<&NylasEvent> = loaded
        .events
        .iter()
        .filter(|e| event_matches(e, &event_filters, tz))
        .collect();
    events.sort_by_key(|e| (e.start_end_in(tz).map(|s| s.0), e.id.clone()));
    let mut shown: Vec<NylasEvent> = events.into_iter().cloned().collect();
    if let Some(nylas) = &connected.nylas {
        schedule_data::fill_series_rules(nylas, &mut shown).await;
    }
    let events = shown;

    let (n, m) = (tasks.len(), events.len());
    let mut what = format!(
        "Found {} and {}",
        plural(n, "task", "tasks"),
        plural(m, "event", "events")
    );
    if let Some(w) = &window {
        what.push_str(&format!(" for {}", w.label));
    } else if want_events && connected.nylas.is_some() {
        what.push_str(&format!(" (events in {})", event_window.label));
    }
    if !keywords.is_empty() {
        what.push_str(&format!(" matching '{}'", keywords.describe()));
    }
    if let Some(p) = &request.participant {
        what.push_str(&format!(" involving {p}"));
    }
    let mut message = format!("{what}.");
    if n == 0 && m == 0 {
        message.push_str(" Nothing matched — try a wider time range or different words.");
    }
    if loaded.truncated {
        message.push_str(" The calendar has more events in this range than one search returns; narrow the range to see them all.");
    }
    if let Some(note) = connected.missing_note() {
        message.push(' ');
        message.push_str(&note);
    }
    let data = json!({
        "tasks": tasks.iter().map(|t| task_json(t, tz)).collect::<Vec<_>>(),
        "events": calendar_choice::with_calendar_names(
            connected.nylas.as_ref(),
            &events,
            events.iter().map(|e| event_json(e, tz)).collect(),
        ),
        "summary": what,
        "counts": {"tasks": n, "events": m},
        "time_range": window.as_ref().map(|w| window_json(w, tz)),
        "events_window": (want_events && connected.nylas.is_some()).then(|| window_json(&event_window, tz)),
        "filters": {
            "scope": match scope { Scope::Tasks => "tasks", Scope::Events => "events", Scope::Both => "both" },
            "keywords": request.keywords,
            "priorities": request.priorities.iter().map(Priority::as_str).collect::<Vec<_>>(),
            "status": status_name(status),
            "participant": request.participant,
            "calendar": request.calendar,
        },
        "truncated": loaded.truncated,
        "missing": connected.missing,
    });
    loaded.mark_partial(envelope::success(
        loaded.provider(&connected),
        "found",
        data,
        message,
    ))
}

/// "What calendars do I have": every calendar of the grant, which count as busy, and where
/// new events go (one `GET /calendars`, or none when the list is cached).
async fn calendars(call: &ToolCall, clients: &Clients<'_>) -> Value {
    let connected = match schedule_data::connect(clients, false, true) {
        Ok(c) => c,
        Err(setup) => return setup,
    };
    let Some(nylas) = &connected.nylas else {
        return envelope::business_error(None, "Connect your calendar through Nylas first.");
    };
    let set = match nylas.calendar_set().await {
        Ok(s) => s,
        Err(e) => return e.to_envelope(&call.credentials),
    };
    if set.calendars.is_empty() {
        return envelope::business_error(
            Some(envelope::ProviderTag::Nylas),
            "Nylas listed no calendars for this account just now; try again in a moment.",
        );
    }
    let busy: Vec<&str> = set
        .busy_calendars()
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let write = set.write_calendar();
    let message = format!(
        "You have {}: {}. Busy time counts from {}; new events go to {}.",
        plural(set.calendars.len(), "calendar", "calendars"),
        calendar_choice::describe(&set),
        busy.join(", "),
        write.map_or("no writable calendar", |c| c.name.as_str()),
    );
    let data = json!({
        "calendars": set.to_json(),
        "counts_as_busy": set.busy_calendars().iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        "default_for_writes": write.map(|c| c.id.as_str()),
        "provider": set.provider,
    });
    envelope::success(envelope::ProviderTag::Nylas, "found", data, message)
}

fn status_name(s: StatusFilter) -> &'static str {
    match s {
        StatusFilter::Open => "open",
        StatusFilter::Done => "done",
        StatusFilter::Overdue => "overdue",
        StatusFilter::AtRisk => "at_risk",
        StatusFilter::Any => "any",
    }
}

// ---------------------------------------------------------------------------------------------
// Workload

async fn workload(call: &ToolCall, clients: &Clients<'_>, request: &FindRequest) -> Value {
    let tz = call.user.tz();
    let now = call.user.now;
    let now_utc = now.with_timezone(&Utc);
    let phrase = request.time_range.as_deref().unwrap_or("this week");
    // Workload looks forward: "this week" = the rest of this week.
    let window = match read_window(call, phrase, range_iso(request), "time_range") {
        Ok(w) if !w.is_overdue() => w.from_now(now),
        Ok(_) => match resolve_window("rest of this week", now) {
            Ok(w) => w,
            Err(e) => return envelope::business_error(None, e.to_string()),
        },
        Err(e) => {
            return envelope::business_error(None, format!("I couldn't use the time range: {e}."))
        }
    };
    let connected = match schedule_data::connect(clients, true, true) {
        Ok(c) => c,
        Err(setup) => return setup,
    };
    let span = (
        window.start.with_timezone(&Utc),
        window.end.with_timezone(&Utc),
    );
    let loaded =
        match schedule_data::load_partial(&connected, true, Some(span), &call.credentials).await {
            Ok(l) => l,
            Err(e) => return e,
        };
    let items = calendar_items(&loaded.events, tz, call.user.user_email.as_deref());
    let tasks = loaded.task_items();
    let Ok(interval) = Interval::new(span.0, span.1) else {
        return envelope::business_error(None, "The time range is empty.");
    };
    let hours = WorkingHours::default();
    let metrics = WorkloadMetrics::compute(&items, &tasks, interval, now_utc, tz, &hours);
    let analysis = ScheduleAnalysis::compute(&items, &tasks, interval, now_utc, tz, &hours);
    let mut insights = metrics.insights();
    if loaded.truncated {
        insights.push("The calendar has more events in this range than one read returns; the numbers cover the first ones only.".into());
    }
    let note = connected.missing_note();
    if let Some(n) = &note {
        insights.push(format!("{n} The numbers cover only what is connected."));
    }
    let summary = metrics.summary();
    let mut metrics_json = serde_json::to_value(&metrics).unwrap_or(Value::Null);
    metrics_json["timezone"] = json!(tz.name());
    let overdue: Vec<Value> = loaded
        .tasks
        .iter()
        .filter(|t| t.is_open() && t.due.is_some_and(|d| d < now_utc))
        .map(|t| task_json(t, tz))
        .collect();
    let at_risk: Vec<Value> = analysis
        .tasks_at_risk
        .iter()
        .map(|r| {
            json!({
                "id": r.task_id, "title": r.title, "priority": r.priority.as_str(),
                "due": fmt_time(r.due, tz), "overdue": r.overdue,
                "remaining_hours": r.remaining_hours, "free_hours_before_due": r.free_hours_before_due,
                "reason": r.reason,
            })
        })
        .collect();
    let data = json!({
        "metrics": metrics_json,
        "insights": insights,
        "summary": summary,
        "time_range": window_json(&window, tz),
        "overdue_tasks": overdue,
        "at_risk_tasks": at_risk,
        "truncated": loaded.truncated,
        "missing": connected.missing,
    });
    let message = match note {
        Some(n) => format!("Workload for {}: {summary} {n}", window.label),
        None => format!("Workload for {}: {summary}", window.label),
    };
    loaded.mark_partial(envelope::success(
        loaded.provider(&connected),
        "analyzed",
        data,
        message,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn task(v: Value) -> ReclaimTask {
        let mut base = json!({"id": 1, "title": "Budget review", "status": "NEW", "priority": "P2", "timeChunksRequired": 4, "timeChunksRemaining": 4});
        for (k, x) in v.as_object().unwrap() {
            base[k] = x.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn event(v: Value) -> NylasEvent {
        let mut base = json!({"id": "e1", "title": "Budget review meeting", "when": {"start_time": 1796220000, "end_time": 1796223600}});
        for (k, x) in v.as_object().unwrap() {
            base[k] = x.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn filters() -> Filters {
        Filters {
            window: None,
            overdue: false,
            keywords: KeywordQuery::default(),
            priorities: vec![],
            status: StatusFilter::Open,
            participant: None,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap()
    }

    #[test]
    fn tasks_filter_by_status_due_window_priority_and_keywords() {
        let open = task(json!({"due": "2026-12-02T22:00:00Z"}));
        let done = task(json!({"status": "ARCHIVED"}));
        let late = task(json!({"due": "2026-11-30T22:00:00Z", "priority": "P1"}));
        let f = filters();
        assert!(task_matches(&open, &f, now()));
        assert!(!task_matches(&done, &f, now()));
        assert!(task_matches(
            &done,
            &Filters {
                status: StatusFilter::Done,
                ..f.clone()
            },
            now()
        ));
        let overdue = Filters {
            overdue: true,
            ..f.clone()
        };
        assert!(task_matches(&late, &overdue, now()) && !task_matches(&open, &overdue, now()));
        let tomorrow = Filters {
            window: Some((
                Utc.with_ymd_and_hms(2026, 12, 2, 5, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 12, 3, 5, 0, 0).unwrap(),
            )),
            ..f.clone()
        };
        assert!(task_matches(&open, &tomorrow, now()) && !task_matches(&late, &tomorrow, now()));
        let p1 = Filters {
            priorities: vec![Priority::P1],
            ..f.clone()
        };
        assert!(task_matches(&late, &p1, now()) && !task_matches(&open, &p1, now()));
        let kw = Filters {
            keywords: KeywordQuery::new(&["dentist"]),
            ..f.clone()
        };
        assert!(!task_matches(&open, &kw, now()));
        let deleted = task(json!({"deleted": true}));
        assert!(!task_matches(
            &deleted,
            &Filters {
                status: StatusFilter::Any,
                ..f
            },
            now()
        ));
    }

    #[test]
    fn events_filter_by_window_keywords_participant_and_cancellation() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let e = event(
            json!({"participants": [{"email": "sarah@acme.com", "name": "Sarah"}], "location": "Room 4"}),
        );
        let f = Filters {
            keywords: KeywordQuery::new(&["budget"]),
            ..filters()
        };
        assert!(event_matches(&e, &f, tz));
        assert!(event_matches(
            &e,
            &Filters {
                keywords: KeywordQuery::new(&["room"]),
                ..filters()
            },
            tz
        ));
        assert!(event_matches(
            &e,
            &Filters {
                participant: Some("sarah".into()),
                ..filters()
            },
            tz
        ));
        assert!(!event_matches(
            &e,
            &Filters {
                participant: Some("bob".into()),
                ..filters()
            },
            tz
        ));
        let cancelled = event(json!({"status": "cancelled"}));
        assert!(!event_matches(&cancelled, &filters(), tz));
        // An all-day event on Dec 2 is outside Dec 1 (local) but inside Dec 2.
        let all_day = event(json!({"when": {"object": "date", "date": "2026-12-02"}}));
        let dec1 = (
            Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 2, 5, 0, 0).unwrap(),
        );
        let dec2 = (dec1.1, Utc.with_ymd_and_hms(2026, 12, 3, 5, 0, 0).unwrap());
        assert!(!event_matches(
            &all_day,
            &Filters {
                window: Some(dec1),
                ..filters()
            },
            tz
        ));
        assert!(event_matches(
            &all_day,
            &Filters {
                window: Some(dec2),
                ..filters()
            },
            tz
        ));
    }
}
