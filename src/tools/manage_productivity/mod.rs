//! The `manage_productivity` tool (PRODUCT §4): every task and event write.
//!
//! Flow: an approval (`approved: true`) executes its signed operation; otherwise the request
//! is read from structured arguments (`action` + fields, no model call) or interpreted with one
//! model call, then [`plan`] resolves it into an exact [`operation::Operation`] — executed at
//! once, or held for approval when it touches other people, several items, a duplicate or a
//! conflicting meeting; [`execute`] performs it. Both are split by operation: a new
//! operation is a new file in each.

mod execute;
pub mod operation;
mod plan;

use serde_json::{json, Map, Value};

use super::schema::object_schema;
use super::{approval_flow, model, ToolCall, ToolEnv};
use crate::envelope;
use crate::interpret::manage::{self as interp, ManageAction, ManageRequest};

pub fn input_schema() -> Value {
    let s = |d: &str| json!({"type": "string", "description": d});
    let mut p = Map::new();
    p.insert("query".into(), s("The request in natural language, e.g. 'Create a task to review the Q4 budget by Friday, about 2 hours, high priority' or 'Move my 2pm meeting to 4pm'. Not needed when 'action' is given."));
    p.insert(
        "context".into(),
        s("Optional conversation context that helps resolve references ('that meeting')."),
    );
    p.insert("action".into(), json!({"type": "string", "enum": &interp::ACTIONS[..10], "description": "Structured fast path (no language model): the operation to perform, with the fields below."}));
    p.insert("item_id".into(), s("Id of an existing task or event (update/complete/delete/add_time/log_work/update_event/cancel_event)."));
    p.insert("target".into(), json!({"type": "object", "description": "How to find the existing item when no item_id is given.", "properties": {
        "title_hint": {"type": "string", "description": "Words of the item's title."},
        "time_hint": {"type": "string", "description": "When the item is, e.g. 'tomorrow', '2pm'."},
        "all_matching": {"type": "boolean", "description": "Apply to every matching item (bulk; needs approval)."}}}));
    p.insert(
        "title".into(),
        s("Title of the new item, or the new title."),
    );
    p.insert("notes".into(), s("Task notes."));
    p.insert("due".into(), s("Task due: a phrase ('Friday', 'end of week', 'Dec 4 3pm') or ISO 8601 ('2026-12-04T17:00'), in the user's time zone. A date without a time means 17:00 local on that day."));
    p.insert("due_shift".into(), s("update_task: move the CURRENT due date relative to itself, e.g. '2 days later', '3 days earlier', '1 week later', '+2 days', '-3 days'. Use instead of 'due'."));
    p.insert("start".into(), s("Event start (or new start): a phrase ('tomorrow at 2pm', '4pm') or ISO 8601, in the user's time zone."));
    p.insert("end".into(), s("Event end: a phrase or ISO 8601. A time only ('1am') that is not after the start means the next day."));
    p.insert(
        "duration".into(),
        s("Duration as words, e.g. '2 hours', '30 min'."),
    );
    p.insert("duration_minutes".into(), json!({"type": "integer", "minimum": 1, "maximum": 10080, "description": "Duration in minutes (task time needed, event length, or minutes for add_time/log_work)."}));
    p.insert("priority".into(), json!({"type": "string", "description": "P1 (urgent) .. P4 (low), or words: urgent, high, normal, low."}));
    p.insert("category".into(), json!({"type": "string", "enum": ["WORK", "PERSONAL"], "description": "Task category (default WORK)."}));
    p.insert(
        "snooze_until".into(),
        s("Task 'not before' date (phrase or ISO 8601)."),
    );
    p.insert("location".into(), s("Event location."));
    p.insert("description".into(), s("Event description."));
    p.insert("participants".into(), json!({"type": "array", "items": {"type": "string"}, "description": "Invitees: email addresses. Names without an email are reported as unresolved, never invited."}));
    p.insert("implies_others".into(), json!({"type": "boolean", "description": "The event involves other people even without named invitees (team standup, 1:1, interview): it is then created only after approval."}));
    p.insert("minutes".into(), json!({"type": "integer", "minimum": 1, "maximum": 10080, "description": "Minutes to add (add_time) or log (log_work)."}));
    p.insert("recurrence".into(), s("create_event: how the event repeats, as an RRULE ('RRULE:FREQ=WEEKLY;BYDAY=TU', EXDATE lines may follow) or words ('every Tuesday', 'every weekday until the end of March', 'on the first of every month', 'every other week for 10 weeks', 'except Dec 29'). Creates one series in the user's time zone."));
    p.insert("scope".into(), json!({"type": "string", "enum": interp::SCOPES, "description": "update_event/cancel_event on a recurring event: 'occurrence' (default) = only the occurrence named, 'following' = it and every later one (the old series ends before it), 'series' = every occurrence. Scopes other than 'occurrence' on a series with other people need approval."}));
    p.insert("all_day".into(), json!({"type": "boolean", "description": "create_event: a whole-day event (vacation, birthday). 'start' is the first day, 'end' the last day (inclusive); created as a Nylas date/datespan, never shifted by time zones."}));
    p.insert("calendar".into(), s("Events: the calendar to create the event on, or to find the event to change on: a calendar name ('Personal', case-insensitive) or id. Default: the primary writable calendar. An unknown name answers needs_clarification listing the calendars; nothing is written."));
    object_schema(p, &[], true)
}

pub async fn run(call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    if approval_flow::is_approval(call) {
        return approval_flow::run_approved(call, env, |op, _action_type| async move {
            execute::execute(&op, call, env).await
        })
        .await;
    }
    let request = match read_request(call, env).await {
        Ok(r) => r,
        Err(envelope) => return envelope,
    };
    plan::plan_and_run(request, call, env).await
}

/// Structured arguments when `action` is given, else one model call.
async fn read_request(call: &ToolCall, env: &ToolEnv<'_>) -> Result<ManageRequest, Value> {
    let request = model::read_request::<ManageRequest>(call, env).await?;
    match request.action {
        None => Err(envelope::business_error(None, "Say what to do in 'query', or give 'action'.")),
        Some(ManageAction::Unsupported) => Err(envelope::business_error(
            None,
            request
                .clarification
                .clone()
                .unwrap_or_else(|| "I couldn't map that to a task or calendar change. Try e.g. 'create a task …' or 'schedule a meeting …'.".into()),
        )),
        Some(_) => Ok(request),
    }
}
