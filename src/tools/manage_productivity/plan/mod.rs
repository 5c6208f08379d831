//! From a typed request to an exact operation: resolve times, find referenced items, check
//! duplicates and conflicts, then execute or ask for approval. One file per operation; the
//! request-field readers, item references and participants are shared.

mod event_cancel;
mod event_create;
mod event_update;
mod fields;
mod find_events;
mod find_tasks;
mod participants;
mod references;
mod series;
mod series_cancel;
mod series_move;
mod series_update;
mod silence;
mod task_create;
mod task_finish;
mod task_time;
mod task_update;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::envelope;
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::{ToolCall, ToolEnv};

type Answer = Value;
/// A UTC span `[start, end)`.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// Longest duration accepted anywhere (7 days).
const MAX_MINUTES: i64 = 7 * 24 * 60;

pub async fn plan_and_run(req: ManageRequest, call: &ToolCall, env: &ToolEnv<'_>) -> Answer {
    let result = match req.action.expect("checked by the caller") {
        ManageAction::CreateTask => task_create::plan(&req, call, env).await,
        ManageAction::UpdateTask => task_update::plan(&req, call, env).await,
        ManageAction::CompleteTask | ManageAction::DeleteTask => {
            task_finish::plan(&req, call, env).await
        }
        ManageAction::AddTime | ManageAction::LogWork => task_time::plan(&req, call, env).await,
        ManageAction::CreateEvent | ManageAction::BlockFocusTime => {
            event_create::plan(&req, call, env).await
        }
        ManageAction::UpdateEvent => match series::wide_scope(&req) {
            Some(scope) => series_update::plan(&req, scope, call, env).await,
            None => event_update::plan(&req, call, env).await,
        },
        ManageAction::CancelEvent => match series::wide_scope(&req) {
            Some(scope) => series_cancel::plan(&req, scope, call, env).await,
            None => event_cancel::plan(&req, call, env).await,
        },
        ManageAction::Unsupported => Err(envelope::business_error(None, "Unsupported request.")),
    };
    result.unwrap_or_else(|answer| answer)
}

/// Adds the warnings of a decision (a partial calendar read, a start in the past).
/// Adds `warnings` to the answer (after any the answer already carries).
fn with_warnings(mut answer: Value, warnings: &[String]) -> Value {
    if warnings.is_empty() {
        return answer;
    }
    match answer.get_mut("warnings").and_then(Value::as_array_mut) {
        Some(existing) => existing.extend(warnings.iter().map(|w| json!(w))),
        None => answer["warnings"] = json!(warnings),
    }
    answer
}

fn time_error(what: &str, e: &dyn std::fmt::Display) -> Answer {
    envelope::business_error(
        None,
        format!("I couldn't understand the {what}: {e}. Nothing was changed."),
    )
}

fn list_titles<'a>(titles: impl Iterator<Item = &'a str>) -> String {
    list_quoted(titles.map(|t| format!("'{}'", clip(t))).collect())
}

/// Already quoted titles, the first five and how many more.
fn list_quoted(all: Vec<String>) -> String {
    match all.len() {
        0 => String::new(),
        n if n > 5 => format!("{} and {} more", all[..5].join(", "), n - 5),
        _ => all.join(", "),
    }
}

fn clip(s: &str) -> String {
    crate::jsonrpc::printable(s, 80)
}
