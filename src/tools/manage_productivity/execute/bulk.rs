//! The shared shape of writes over several items (complete, delete, cancel): act on each,
//! collect what was done and what failed, answer one item plainly and several as `bulk_<verb>`.

use std::future::Future;

use serde_json::{json, Value};

use super::Answer;
use crate::credentials::Credentials;
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::ItemRef;
use crate::upstream::UpstreamError;

/// Why one item of a bulk write failed.
pub(super) enum ItemError {
    /// Refused before any upstream call (e.g. not a valid id).
    Invalid(String),
    Upstream(UpstreamError),
}

impl From<UpstreamError> for ItemError {
    fn from(e: UpstreamError) -> Self {
        ItemError::Upstream(e)
    }
}

/// The items done and the items failed (`{id, title}`, plus `error` when failed).
pub(super) struct Outcome {
    done: Vec<Value>,
    failed: Vec<Value>,
}

/// Runs `act` on each item in order. Rejected credentials before anything was written end
/// the whole write with the provider's error (nothing to report per item).
pub(super) async fn for_each_item<'i, F, Fut>(
    items: &'i [ItemRef],
    credentials: &Credentials,
    mut act: F,
) -> Result<Outcome, Answer>
where
    F: FnMut(&'i ItemRef) -> Fut,
    Fut: Future<Output = Result<(), ItemError>>,
{
    let mut outcome = Outcome {
        done: vec![],
        failed: vec![],
    };
    for item in items {
        let error = match act(item).await {
            Ok(()) => {
                outcome
                    .done
                    .push(json!({"id": item.id, "title": item.title}));
                continue;
            }
            Err(ItemError::Upstream(e)) if e.is_unauthorized() && outcome.done.is_empty() => {
                return Err(e.to_envelope(credentials))
            }
            Err(ItemError::Upstream(e)) => e.to_string(),
            Err(ItemError::Invalid(message)) => message,
        };
        outcome
            .failed
            .push(json!({"id": item.id, "title": item.title, "error": error}));
    }
    Ok(outcome)
}

/// One item → the plain action; several → `bulk_completed` / `bulk_deleted` / `bulk_cancelled`
/// (PRODUCT §5) with `{completed|…, failed}`.
pub(super) fn report(
    provider: ProviderTag,
    verb: &str,
    noun: &str,
    items: &[ItemRef],
    outcome: Outcome,
) -> Answer {
    let Outcome { done, failed } = outcome;
    if items.len() == 1 {
        return single(provider, verb, noun, &items[0], done, failed);
    }
    let message = if failed.is_empty() {
        format!("{} {} {noun}s.", capitalize(verb), done.len())
    } else {
        format!(
            "{} {} of {} {noun}s; {} failed.",
            capitalize(verb),
            done.len(),
            items.len(),
            failed.len()
        )
    };
    let nothing_done = done.is_empty() && !failed.is_empty();
    let mut answer = envelope::success(
        provider,
        &format!("bulk_{verb}"),
        json!({verb: done, "failed": failed}),
        message,
    );
    if nothing_done {
        answer["success"] = json!(false);
        answer["error"] = json!(format!("No {noun} could be {verb}."));
    }
    answer
}

fn single(
    provider: ProviderTag,
    verb: &str,
    noun: &str,
    item: &ItemRef,
    done: Vec<Value>,
    failed: Vec<Value>,
) -> Answer {
    match failed.first() {
        None => envelope::success(
            provider,
            verb,
            done[0].clone(),
            format!("{} {noun} '{}'.", capitalize(verb), item.title),
        ),
        Some(f) => envelope::business_error(
            Some(provider),
            format!(
                "Could not {} '{}': {}",
                verb_base(verb),
                item.title,
                f["error"].as_str().unwrap_or("unknown error")
            ),
        ),
    }
}

fn verb_base(verb: &str) -> &str {
    match verb {
        "completed" => "complete",
        "deleted" => "delete",
        "cancelled" => "cancel",
        other => other,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str) -> ItemRef {
        ItemRef {
            id: id.into(),
            title: title.into(),
        }
    }

    #[test]
    fn bulk_reports_completed_and_failed() {
        let items = vec![item("1", "A"), item("2", "B")];
        let outcome = Outcome {
            done: vec![json!({"id": "1"})],
            failed: vec![json!({"id": "2", "error": "x"})],
        };
        let env = report(ProviderTag::Reclaim, "completed", "task", &items, outcome);
        assert_eq!(env["action"], "bulk_completed");
        assert_eq!(env["data"]["completed"].as_array().unwrap().len(), 1);
        assert_eq!(env["data"]["failed"].as_array().unwrap().len(), 1);
        assert_eq!(env["success"], true);
    }

    #[test]
    fn single_failure_is_an_error() {
        let items = vec![item("1", "A")];
        let outcome = Outcome {
            done: vec![],
            failed: vec![json!({"id": "1", "error": "gone"})],
        };
        let env = report(ProviderTag::Reclaim, "deleted", "task", &items, outcome);
        assert_eq!(env["success"], false);
        assert!(env["error"].as_str().unwrap().contains("delete 'A'"));
    }
}
