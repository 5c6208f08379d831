//! Cancel events: several, or one with other participants, ask for approval.

use serde_json::json;

use super::find_events::{calendar_of, clarify_events, event_ref, find_events};
use super::references::{all_matching, Found};
use super::silence::execute_unannounced;
use super::{list_titles, Answer};
use crate::interpret::manage::ManageRequest;
use crate::tools::approval_flow;
use crate::tools::manage_productivity::operation::Operation;
use crate::tools::present::{calendar_item, event_json};
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::Clients;

pub(super) async fn plan(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let all = all_matching(req);
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let events = match find_events(req, &nylas, call, all).await? {
        Found::One(e) => vec![e],
        Found::Many(es) if all => es,
        Found::Many(es) => return Err(clarify_events(&es, &nylas, call)),
    };
    let owner = call.user.user_email.as_deref();
    let with_others: Vec<String> = events
        .iter()
        .filter_map(|e| calendar_item(e, tz, owner))
        .flat_map(|i| i.participant_emails)
        .collect();
    let op = Operation::CancelEvents {
        events: events.iter().map(event_ref).collect(),
        calendar_id: calendar_of(&events[0]),
        notify: !with_others.is_empty(),
    };
    let details = json!({"events": events.iter().map(|e| event_json(e, tz)).collect::<Vec<_>>(), "notified": with_others});
    if events.len() > 1 {
        return Ok(approval_flow::ask(
            call,
            env,
            "bulk_cancel",
            &op,
            format!("Cancel {} events?", events.len()),
            details,
            vec!["Cancelled events are removed from the calendar.".into()],
        ));
    }
    if with_others.is_empty() {
        let answer = execute_unannounced(&op, &nylas, &events[0], vec![], call, env).await;
        return Ok(answer);
    }
    Ok(approval_flow::ask(
        call,
        env,
        "event_cancel_with_participants",
        &op,
        format!(
            "Cancel '{}' and notify {}?",
            events[0].title,
            list_titles(with_others.iter().map(String::as_str))
        ),
        details,
        vec!["Participants will be told the event is cancelled.".into()],
    ))
}
