//! Change a recurring series: as a whole (the master's fields), or from one occurrence on
//! (the master ends with `UNTIL` before it, then the new series is created from there).

use serde_json::json;

use super::{new_event, occurrences_text, update_of, Answer};
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::SeriesScope;
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::present::{event_json, repeats};
use crate::tools::ToolCall;
use crate::upstream::Clients;

pub(super) async fn run(
    op: &Operation,
    clients: &Clients<'_>,
    call: &ToolCall,
) -> Result<Answer, Answer> {
    let Operation::UpdateSeries {
        series,
        calendar_id,
        scope,
        changes,
        new_series,
        notify,
        occurrences,
    } = op
    else {
        unreachable!("dispatched on UpdateSeries");
    };
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let master = nylas
        .update_event(
            &series.id,
            calendar_id,
            &update_of(changes, "UTC")?,
            *notify,
        )
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let mut data = json!({"series": event_json(&master, tz), "scope": scope, "occurrences_changed": occurrences});
    if let Some(draft) = new_series {
        let created = nylas
            .create_event(calendar_id, &new_event(draft)?, *notify)
            .await
            .map_err(|e| {
                let mut answer = e.to_envelope(&call.credentials);
                answer["error"] = json!(format!(
                    "The old series '{}' now ends before the change, but creating the new series failed: {}",
                    series.title,
                    answer["error"].as_str().unwrap_or("unknown error")
                ));
                answer
            })?;
        data["new_series"] = event_json(&created, tz);
        data["new_series"]["recurrence"] = json!(draft.recurrence);
        data["new_series"]["repeats"] = json!(repeats(&draft.recurrence, tz));
    }
    let which = match scope {
        SeriesScope::Following => "from the chosen occurrence on",
        _ => "for the whole series",
    };
    let msg = format!(
        "Updated '{}' {which} ({}).",
        series.title,
        occurrences_text(*occurrences)
    );
    Ok(envelope::success(ProviderTag::Nylas, "updated", data, msg))
}
