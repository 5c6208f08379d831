//! How tasks and events look in tool results (PRODUCT §5 result shapes), and the conversion
//! of upstream records into the pure domain items.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::domain::schedule_items::{CalendarItem, TaskItem};
use crate::upstream::{NylasEvent, ReclaimTask};

/// RFC 3339 with the user's offset.
pub fn fmt_time(instant: DateTime<Utc>, tz: Tz) -> String {
    instant.with_timezone(&tz).to_rfc3339()
}

/// A short human form, e.g. "Fri Dec 4, 5:00 PM".
pub fn human_time(instant: DateTime<Utc>, tz: Tz) -> String {
    instant
        .with_timezone(&tz)
        .format("%a %b %-d, %-I:%M %p")
        .to_string()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `{"id","title","status","priority","due","duration_hours","notes","provider","type",...}`.
pub fn task_json(task: &ReclaimTask, tz: Tz) -> Value {
    json!({
        "id": task.id.to_string(),
        "title": task.title,
        "status": task.status.as_str(),
        "open": task.is_open(),
        "priority": task.priority.as_str(),
        "due": task.due.map(|d| fmt_time(d, tz)),
        "duration_hours": round2(task.duration_minutes() as f64 / 60.0),
        "remaining_hours": round2(task.remaining_minutes() as f64 / 60.0),
        "notes": task.notes,
        "category": task.event_category,
        "snooze_until": task.snooze_until.map(|d| fmt_time(d, tz)),
        "time_chunks_required": task.time_chunks_required,
        "provider": "reclaim",
        "type": "task",
    })
}

/// `{"id","title","description","location","start","end","when","duration_hours","participants",...}`.
pub fn event_json(event: &NylasEvent, tz: Tz) -> Value {
    let span = event.start_end_in(tz);
    let start = span.map(|(s, _)| fmt_time(s, tz));
    let end = span.map(|(_, e)| fmt_time(e, tz));
    let hours = span
        .map(|(s, e)| round2((e - s).num_minutes() as f64 / 60.0))
        .unwrap_or(0.0);
    json!({
        "id": event.id,
        "title": event.title,
        "description": event.description,
        "location": event.location,
        "start": start,
        "end": end,
        "when": {"start": start, "end": end, "all_day": event.is_all_day(), "timezone": tz.name()},
        "all_day": event.is_all_day(),
        "duration_hours": hours,
        "participants": event.participants.iter().map(|p| json!({"email": p.email, "name": p.name, "status": p.status})).collect::<Vec<_>>(),
        "status": event.status.clone().unwrap_or_else(|| "confirmed".into()),
        "busy": event.busy,
        "calendar_id": event.calendar_id,
        "html_link": event.html_link,
        "is_occurrence": event.is_occurrence(),
        "series_id": event.series_id(),
        "repeats": repeats(&event.recurrence, tz),
        "provider": "nylas",
        "type": "event",
    })
}

/// How a series repeats, in words ("weekly on Tue"), from its `recurrence` lines.
pub fn repeats(recurrence: &[String], tz: Tz) -> Option<String> {
    if recurrence.is_empty() {
        return None;
    }
    let parsed = crate::domain::recurrence::Recurrence::parse(recurrence).ok()?;
    Some(crate::domain::recurrence::describe(&parsed.rule, tz))
}

/// "1 occurrence", "12 occurrences".
pub fn occurrence_count(n: usize) -> String {
    format!("{n} occurrence{}", if n == 1 { "" } else { "s" })
}

/// A Reclaim task as a domain item.
pub fn task_item(task: &ReclaimTask) -> TaskItem {
    TaskItem {
        id: task.id.to_string(),
        title: task.title.clone(),
        due: task.due,
        priority: task.priority,
        remaining_minutes: task.remaining_minutes().clamp(0, u32::MAX as i64) as u32,
        open: task.is_open(),
    }
}

/// A Nylas event as a domain item (None when it has no usable times). The account owner
/// (`owner_email`, else the organizer) is not counted among the participants.
pub fn calendar_item(
    event: &NylasEvent,
    tz: Tz,
    owner_email: Option<&str>,
) -> Option<CalendarItem> {
    let (start, end) = event.start_end_in(tz)?;
    let owner = owner_email.map(str::to_ascii_lowercase).or_else(|| {
        event
            .organizer
            .as_ref()
            .and_then(|o| o.email.as_deref())
            .map(str::to_ascii_lowercase)
    });
    let others: Vec<String> = event
        .participants
        .iter()
        .map(|p| p.email.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && Some(e) != owner.as_ref())
        .collect();
    Some(CalendarItem {
        id: event.id.clone(),
        title: event.title.clone(),
        start,
        end,
        all_day: event.is_all_day(),
        busy: event.busy,
        cancelled: event.is_cancelled(),
        participant_count: others.len(),
        participant_emails: others,
        series_id: event.series_id().map(str::to_string),
    })
}
