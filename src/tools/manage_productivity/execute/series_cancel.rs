//! Cancel a recurring series: as a whole (delete the master), or from one occurrence on
//! (the master's recurrence ends with `UNTIL` before it).

use serde_json::json;

use super::{occurrences_text, Answer};
use crate::envelope::{self, ProviderTag};
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::present::event_json;
use crate::tools::ToolCall;
use crate::upstream::{Clients, EventUpdate};

pub(super) async fn run(
    op: &Operation,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let Operation::CancelSeries {
        series,
        calendar_id,
        scope,
        end_recurrence,
        notify,
        occurrences,
    } = op
    else {
        unreachable!("dispatched on CancelSeries");
    };
    let nylas = clients.nylas()?;
    let count = occurrences_text(*occurrences);
    let Some(lines) = end_recurrence else {
        nylas
            .delete_event(&series.id, calendar_id, *notify)
            .await
            .map_err(|e| e.to_envelope(&call.credentials))?;
        let data = json!({"series": {"id": series.id, "title": series.title}, "scope": scope, "occurrences_cancelled": occurrences});
        let msg = format!("Cancelled the series '{}' ({count}).", series.title);
        return Ok(envelope::success(
            ProviderTag::Nylas,
            "cancelled",
            data,
            msg,
        ));
    };
    let update = EventUpdate {
        recurrence: Some(lines.clone()),
        ..Default::default()
    };
    let master = nylas
        .update_event(&series.id, calendar_id, &update, *notify)
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let data = json!({"series": event_json(&master, call.user.tz()), "scope": scope, "recurrence": lines, "occurrences_cancelled": occurrences});
    let msg = format!(
        "Cancelled '{}' from the chosen occurrence on ({count}); earlier occurrences stay.",
        series.title
    );
    Ok(envelope::success(
        ProviderTag::Nylas,
        "cancelled",
        data,
        msg,
    ))
}
