//! What references to existing items share: the hints of a request, the outcome of a
//! search, and the clarification listing the candidates.

use chrono::Utc;
use serde_json::json;

use super::{list_titles, time_error, Answer, Span};
use crate::envelope;
use crate::interpret::manage::ManageRequest;
use crate::tools::time_reading::{read_window, WindowIso};
use crate::tools::ToolCall;

/// The item a request refers to, or several candidates.
pub(super) enum Found<T> {
    One(T),
    Many(Vec<T>),
}

pub(super) fn title_hint(req: &ManageRequest) -> Option<String> {
    req.target
        .as_ref()
        .and_then(|t| t.title_hint.clone())
        .or_else(|| req.title.clone())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// True when the request names the existing item (by title hint or id), so `title` is a new
/// title rather than the search words.
pub(super) fn names_item(req: &ManageRequest) -> bool {
    req.target.as_ref().is_some_and(|t| t.title_hint.is_some()) || req.item_id.is_some()
}

/// `target.all_matching`: apply to every matching item.
pub(super) fn all_matching(req: &ManageRequest) -> bool {
    req.target.as_ref().is_some_and(|t| t.all_matching)
}

/// The `item_id` of a request, trimmed, when given.
pub(super) fn item_id(req: &ManageRequest) -> Option<&str> {
    req.item_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The window of `target.time_hint`, in UTC.
pub(super) fn time_hint_window(
    req: &ManageRequest,
    call: &ToolCall,
) -> Result<Option<Span>, Answer> {
    let Some(target) = req.target.as_ref() else {
        return Ok(None);
    };
    let Some(hint) = target.time_hint.as_deref().filter(|h| !h.trim().is_empty()) else {
        return Ok(None);
    };
    let iso = WindowIso {
        start: target.time_hint_iso.as_deref(),
        end: None,
    };
    let w = read_window(call, hint, iso, "time_hint").map_err(|e| time_error("time", &e))?;
    Ok(Some((
        w.start.with_timezone(&Utc),
        w.end.with_timezone(&Utc),
    )))
}

/// `needs_clarification` listing the matching items (id, title, when), never guessing.
pub(super) fn clarify(noun: &str, matches: Vec<(String, &str, Option<String>)>) -> Answer {
    let message = format!(
        "Which one did you mean? {} {noun}s match: {}.",
        matches.len(),
        list_titles(matches.iter().map(|(_, title, _)| *title))
    );
    clarify_with(noun, matches, message)
}

/// `needs_clarification` listing the candidates (at most 10) with `message`.
pub(super) fn clarify_with(
    noun: &str,
    matches: Vec<(String, &str, Option<String>)>,
    message: String,
) -> Answer {
    let candidates = matches
        .into_iter()
        .take(10)
        .map(|(id, title, when)| json!({"id": id, "title": title, "when": when, "type": noun}))
        .collect();
    envelope::needs_clarification(candidates, message)
}
