//! Writes sent with `notify_participants=false` are silent on Google only: "Microsoft and
//! iCloud do not support notify_participants=false" (Nylas events API). When such a write
//! touches an event that lists people, the answer says they may still hear about it — it
//! never promises silence there. The provider comes with the cached calendar list (one
//! `GET /v3/grants/{grant}` the first time it is needed, then cached with the list).

use serde_json::Value;

use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{NylasClient, NylasEvent};

/// Runs `op`, a write sent with `notify_participants=false` to `event`, and answers with
/// `notes` plus the provider's warning when it may not stay silent (read before the write).
pub(super) async fn execute_unannounced(
    op: &Operation,
    nylas: &NylasClient<'_>,
    event: &NylasEvent,
    mut notes: Vec<String>,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Value {
    notes.extend(unsilenced_note(nylas, event).await);
    super::with_warnings(execute(op, call, env).await, &notes)
}

/// The warning for a silent write to `event` (`None` on Google, or when nobody is listed).
async fn unsilenced_note(nylas: &NylasClient<'_>, event: &NylasEvent) -> Option<String> {
    if event.participants.is_empty() {
        return None;
    }
    let provider = nylas.provider().await;
    let name = match provider.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("google") => return None,
        Some("microsoft") => "Microsoft",
        Some("icloud") => "iCloud",
        _ => "Your calendar provider",
    };
    Some(format!(
        "{name} may still email the people on '{}' about this change: Nylas cannot hold those messages back there.",
        event.title
    ))
}
