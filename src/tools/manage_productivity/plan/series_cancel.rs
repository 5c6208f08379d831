//! Cancel a recurring series from an occurrence on (`following`: its rule ends before it)
//! or as a whole (`series`); a series with other people asks for approval
//! (`event_series_cancel`), the preview saying how many occurrences go.

use serde_json::json;

use super::find_events::event_ref;
use super::series::{find_series, reach, reach_words, series_words};
use super::{list_titles, Answer};
use crate::interpret::manage::{ManageRequest, SeriesScope};
use crate::tools::approval_flow;
use crate::tools::manage_productivity::execute::execute;
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::present::{event_json, fmt_time};
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
        return Ok(execute(&op, call, env).await);
    }
    let tz = call.user.tz();
    Ok(approval_flow::ask(
        call,
        env,
        "event_series_cancel",
        &op,
        format!(
            "Cancel {} of {} and notify {}?",
            reach_words(&reach, &target),
            series_words(&target),
            list_titles(target.notified.iter().map(String::as_str))
        ),
        json!({
            "series": event_json(&target.master, tz),
            "scope": reach.scope,
            "from": fmt_time(target.occurrence.with_timezone(&chrono::Utc), tz),
            "occurrences_cancelled": reach.occurrences,
            "notified": target.notified,
        }),
        vec!["Participants will be told these occurrences are cancelled.".into()],
    ))
}
