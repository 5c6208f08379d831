//! Compares the deterministic interpreter's typed request with the model's (scripted) one by
//! what the tools do with it: time phrases by the instant or period they resolve to,
//! durations in minutes, priorities as P1..P4, titles and hints case- and article-blind,
//! invitees by email. Used by the labelled request file (`tests/rules_interpreter.rs`) and by
//! every `TestApp` on drop (each scripted model answer against the rules' reading of the same
//! request, when the rules answer it).

use chrono::{DateTime, NaiveDateTime, TimeZone as _};
use chrono_tz::Tz;
use juli_calendar::domain::duration::parse_duration_minutes;
use juli_calendar::domain::priority::Priority;
use juli_calendar::domain::time::{apply_time_keep_date, resolve_moment, MomentRole};
use juli_calendar::domain::time_window::resolve_window;
use juli_calendar::interpret::availability::AvailabilityRequest;
use juli_calendar::interpret::find::{FindRequest, Scope};
use juli_calendar::interpret::manage::{ManageAction, ManageRequest, SeriesScope};
use juli_calendar::interpret::optimize::{OptimizationType, OptimizeRequest};
use juli_calendar::interpret::rules;
use serde_json::{json, Value};

/// The tools' typed requests, by the model schema name of each.
pub const SCHEMAS: [&str; 4] = [
    "manage_productivity_operation",
    "availability_request",
    "find_request",
    "optimize_request",
];

/// The schema name of a tool.
pub fn schema_of(tool: &str) -> &'static str {
    match tool {
        "manage_productivity" => SCHEMAS[0],
        "check_availability" => SCHEMAS[1],
        "find_and_analyze" => SCHEMAS[2],
        "optimize_schedule" => SCHEMAS[3],
        other => panic!("unknown tool {other}"),
    }
}

/// The rules' reading of `query` in canonical form, or `None` when they defer.
pub fn rules_reading(schema: &str, query: &str, now: DateTime<Tz>) -> Option<Value> {
    match schema {
        "manage_productivity_operation" => {
            rules::manage_request(query, now.into()).map(|r| manage(&r, now))
        }
        "availability_request" => {
            rules::availability_request(query, now.into()).map(|r| availability(&r, now))
        }
        "find_request" => rules::find_request(query, now.into()).map(|r| find(&r, now)),
        "optimize_request" => rules::optimize_request(query, now.into()).map(|r| optimize(&r, now)),
        other => panic!("unknown schema {other}"),
    }
}

/// A model-shaped answer (missing fields = null) in canonical form.
pub fn model_reading(schema: &str, output: &Value, now: DateTime<Tz>) -> Value {
    let parse = |what: &str| -> ! { panic!("{what} does not deserialize: {output}") };
    match schema {
        "manage_productivity_operation" => manage(
            &serde_json::from_value(output.clone()).unwrap_or_else(|_| parse(schema)),
            now,
        ),
        "availability_request" => availability(
            &serde_json::from_value(output.clone()).unwrap_or_else(|_| parse(schema)),
            now,
        ),
        "find_request" => find(
            &serde_json::from_value(output.clone()).unwrap_or_else(|_| parse(schema)),
            now,
        ),
        "optimize_request" => optimize(
            &serde_json::from_value(output.clone()).unwrap_or_else(|_| parse(schema)),
            now,
        ),
        other => panic!("unknown schema {other}"),
    }
}

fn moment(phrase: &Option<String>, now: DateTime<Tz>, role: MomentRole) -> Value {
    match phrase.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => Value::Null,
        Some(p) => match resolve_moment(p, now, role) {
            Ok(m) => json!(m.instant.to_rfc3339()),
            Err(_) => json!(format!("unresolved: {}", p.to_lowercase())),
        },
    }
}

fn window(phrase: &Option<String>, now: DateTime<Tz>) -> Value {
    match phrase.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => Value::Null,
        Some(p) => match resolve_window(p, now) {
            Ok(w) => json!([w.start.to_rfc3339(), w.end.to_rfc3339()]),
            Err(_) => json!(format!("unresolved: {}", p.to_lowercase())),
        },
    }
}

fn minutes(text: &Option<String>, exact: Option<i64>) -> Value {
    match (exact, text.as_deref()) {
        (Some(m), _) => json!(m),
        (None, Some(t)) => parse_duration_minutes(t)
            .map(|m| json!(m))
            .unwrap_or(json!(t)),
        (None, None) => Value::Null,
    }
}

/// Lower case, no articles or generic type words, no punctuation.
fn words(text: &Option<String>) -> Value {
    const DROPPED: [&str; 9] = [
        "the",
        "a",
        "an",
        "my",
        "task",
        "meeting",
        "event",
        "appointment",
        "to",
    ];
    match text {
        None => Value::Null,
        Some(t) => {
            let kept: Vec<String> = t
                .split_whitespace()
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .filter(|w| !w.is_empty() && !DROPPED.contains(&w.as_str()))
                .collect();
            if kept.is_empty() {
                Value::Null
            } else {
                json!(kept.join(" "))
            }
        }
    }
}

fn manage(r: &ManageRequest, now: DateTime<Tz>) -> Value {
    let mut emails: Vec<String> = r
        .participants
        .iter()
        .map(|p| match &p.email {
            Some(e) => e.to_lowercase(),
            None => format!("name:{}", p.name.clone().unwrap_or_default().to_lowercase()),
        })
        .collect();
    emails.sort();
    let event_like = matches!(
        r.action,
        Some(ManageAction::CreateEvent | ManageAction::UpdateEvent)
    );
    let category = r
        .category
        .as_deref()
        .filter(|c| c.eq_ignore_ascii_case("personal"));
    json!({
        "action": format!("{:?}", r.action),
        "title": words(&r.title),
        "target": r.target.as_ref().map(|t| json!({
            "title_hint": words(&t.title_hint),
            "time_hint": moment(&t.time_hint, now, MomentRole::Generic),
            "all_matching": t.all_matching,
        })),
        "due": moment(&r.due, now, MomentRole::Due),
        "start": moment(&r.start, now, MomentRole::EventStart),
        "end": moment(&r.end, now, MomentRole::EventStart),
        "duration": minutes(&r.duration, r.duration_minutes),
        "priority": r.priority.as_deref().and_then(Priority::parse).map(|p| p.as_str()),
        "category": category.map(|_| "PERSONAL"),
        "snooze_until": moment(&r.snooze_until, now, MomentRole::Generic),
        "location": words(&r.location),
        "participants": emails,
        "implies_others": event_like && r.participants.is_empty() && r.implies_others,
        "minutes": r.minutes,
        "due_shift": shift(&r.due_shift, now),
        "all_day": r.all_day,
        "scope": r.scope.filter(|s| *s != SeriesScope::Occurrence).map(|s| format!("{s:?}")),
        "recurrence": r.recurrence.as_deref().map(str::to_lowercase),
        "calendar": words(&r.calendar),
    })
}

/// A due-date shift ("2 days later", "+2 days") by where it moves `now` to (the tool applies
/// it to the task's current due date the same way).
fn shift(text: &Option<String>, now: DateTime<Tz>) -> Value {
    let Some(t) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Value::Null;
    };
    let phrase = match t.split_at_checked(1) {
        Some(("+", rest)) => format!("{} later", rest.trim()),
        Some(("-", rest)) => format!("{} earlier", rest.trim()),
        _ => t.to_string(),
    };
    match apply_time_keep_date(now, &phrase, now) {
        Ok(m) => json!(m.instant.to_rfc3339()),
        Err(_) => json!(format!("unresolved shift: {}", t.to_lowercase())),
    }
}

fn availability(r: &AvailabilityRequest, now: DateTime<Tz>) -> Value {
    json!({
        "mode": format!("{:?}", r.mode),
        "start": moment(&r.start, now, MomentRole::EventStart),
        "range": window(&r.range, now),
        "duration": minutes(&r.duration, r.duration_minutes),
        "preference": r.preference.as_deref().map(str::to_lowercase),
        "working_hours_start": r.working_hours_start,
        "working_hours_end": r.working_hours_end,
        "max_slots": r.max_slots,
        "calendar": words(&r.calendar),
    })
}

fn find(r: &FindRequest, now: DateTime<Tz>) -> Value {
    let range = match r.time_range.as_deref() {
        Some(t) if t.trim().eq_ignore_ascii_case("overdue") => json!("overdue"),
        _ => window(&r.time_range, now),
    };
    let mut keywords: Vec<Value> = r.keywords.iter().map(|k| words(&Some(k.clone()))).collect();
    keywords.sort_by_key(|k| k.to_string());
    json!({
        "mode": format!("{:?}", r.mode),
        "scope": format!("{:?}", r.scope.unwrap_or(Scope::Both)),
        "time_range": range,
        "keywords": keywords,
        "priorities": r.priorities.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "status": r.status.map(|s| format!("{s:?}")),
        "participant": r.participant.as_deref().map(str::to_lowercase),
        "calendar": words(&r.calendar),
    })
}

fn optimize(r: &OptimizeRequest, now: DateTime<Tz>) -> Value {
    json!({
        "range": window(&r.range, now),
        "apply": r.apply,
        "optimization_type": r.optimization_type.unwrap_or(OptimizationType::Balanced).as_str(),
    })
}

/// True when two canonical readings lead to the same outcome: every field equal, except that
/// titles and title hints (free text) agree when the words of one contain the other's
/// ("write the quarterly report" / "quarterly report").
pub fn agree(a: &Value, b: &Value) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    let texts_agree = title_words_agree(&take(&mut a, "title"), &take(&mut b, "title"))
        && title_words_agree(
            &take(&mut a["target"], "title_hint"),
            &take(&mut b["target"], "title_hint"),
        );
    texts_agree && a == b
}

fn take(v: &mut Value, key: &str) -> Value {
    v.as_object_mut()
        .and_then(|o| o.remove(key))
        .unwrap_or(Value::Null)
}

fn title_words_agree(a: &Value, b: &Value) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => {
            let (x, y): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
            x.iter().all(|w| y.contains(w)) || y.iter().all(|w| x.contains(w))
        }
        _ => a == b,
    }
}

/// The `now` of a model request, from its user message ("Current local time: 2026-12-01 09:00
/// (Tuesday), time zone America/New_York.").
pub fn now_of_message(message: &str) -> Option<DateTime<Tz>> {
    let rest = message.split("Current local time: ").nth(1)?;
    let local = NaiveDateTime::parse_from_str(rest.get(..16)?, "%Y-%m-%d %H:%M").ok()?;
    let zone = rest.split("time zone ").nth(1)?.split(['.', '\n']).next()?;
    let tz: Tz = zone.trim().parse().ok()?;
    tz.from_local_datetime(&local).earliest()
}

/// The request text of a model request's user message.
pub fn query_of_message(message: &str) -> Option<String> {
    let inner = message.split("<user_request>\n").nth(1)?;
    Some(inner.split("\n</user_request>").next()?.to_string())
}

/// With `JULI_RULES_REPORT=<file>` set, appends one line per served model answer:
/// `rules|model <TAB> schema <TAB> request` (how the request would be read with the rules on).
/// Used to measure the share of the suites' plain-language scenarios that need no model call.
pub fn report(served: &[(Value, Value)]) {
    let Some(path) = std::env::var_os("JULI_RULES_REPORT") else {
        return;
    };
    let mut lines = String::new();
    for (request, _) in served {
        let (Some(schema), Some(message)) = (
            request["text"]["format"]["name"].as_str(),
            request["input"].as_str(),
        ) else {
            continue;
        };
        let (Some(query), Some(now)) = (query_of_message(message), now_of_message(message)) else {
            continue;
        };
        let by = if rules_reading(schema, &query, now).is_some() {
            "rules"
        } else {
            "model"
        };
        lines.push_str(&format!(
            "{by}\t{schema}\t{}\n",
            query.replace(['\t', '\n'], " ")
        ));
    }
    use std::io::Write as _;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(lines.as_bytes());
    }
}

/// Every served model answer the rules also answer, where they differ: one line each.
pub fn disagreements(served: &[(Value, Value)]) -> Vec<String> {
    served
        .iter()
        .filter_map(|(request, output)| {
            let schema = request["text"]["format"]["name"].as_str()?;
            let message = request["input"]
                .as_str()
                .map(str::to_string)
                .or_else(|| request["input"][0]["content"].as_str().map(str::to_string))?;
            let (query, now) = (query_of_message(&message)?, now_of_message(&message)?);
            let ours = rules_reading(schema, &query, now)?;
            let theirs = model_reading(schema, output, now);
            (!agree(&ours, &theirs))
                .then(|| format!("{query:?}\n  rules: {ours}\n  model: {theirs}"))
        })
        .collect()
}
