//! Cancel a recurring series from an occurrence on (`following`: its rule ends before it)
//! or as a whole (`series`); a series with other people asks for approval
//! (`event_series_cancel`), the preview saying how many occurrences go.

use serde_json::json;

use super::find_events::event_ref;
use super::series::{ask_series, find_series, reach, SeriesAsk};
use super::silence::execute_unannounced;
use super::Answer;
use crate::interpret::manage::{ManageRequest, SeriesScope};
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::Clients;

pub(super) async fn plan(
    req: &ManageRequest,
    scope: SeriesScope,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let target = find_series(req, &nylas, call).await?;
    let reach = reach(&target, scope)?;
    let op = Operation::CancelSeries {
        series: event_ref(&target.master),
        calendar_id: target.calendar_id.clone(),
        scope: reach.scope,
        end_recurrence: reach.split.as_ref().map(|s| s.before.to_lines()),
        notify: target.with_others,
        occurrences: reach.occurrences,
    };
    if !target.with_others {
        let answer = execute_unannounced(&op, &nylas, &target.master, vec![], call, env).await;
        return Ok(answer);
    }
    let ask = SeriesAsk {
        action_type: "event_series_cancel",
        verb: "Cancel",
        details: json!({"occurrences_cancelled": reach.occurrences}),
        risk: "Participants will be told these occurrences are cancelled.",
        outcome: None,
    };
    Ok(ask_series(ask, &op, &reach, &target, call, env))
}
