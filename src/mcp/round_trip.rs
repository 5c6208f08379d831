//! Answers that need the client before a call can finish, on the stateless revision 2026-07-28:
//!
//! - approvals: a write needing approval answers `resultType: input_required` with the preview;
//!   the signed `action_type` + `action_data` travel as `requestState`, and the client's
//!   follow-up `tools/call` (same tool, `requestState` echoed) executes exactly that operation
//!   once (the approval store refuses a second execution, as on every other route);
//! - setup: a call that needs credentials answers the URL-mode elicitation error -32042 pointing
//!   at the setup instructions, when the client declared `elicitation.url`.
//!
//! Older revisions keep the envelope flow (`needs_approval`, `needs_setup` results).

use http::HeaderMap;
use serde_json::{json, Map, Value};

use super::stateless::RequestMeta;
use crate::envelope;
use crate::jsonrpc::RpcError;

/// URL-mode elicitation required (2025-11-25 error code, used on 2026-07-28; see DEVIATIONS).
pub const URL_ELICITATION_REQUIRED: i64 = -32042;
/// The key of the approval question in `inputRequests` / `inputResponses`.
const APPROVAL_INPUT: &str = "approval";
const PREVIEW_META: &str = "juli-calendar/approval";

/// The `input_required` result for a `needs_approval` envelope. The approval question is an
/// `elicitation/create` form when the client handles forms; the preview is always in `_meta`.
pub fn input_required(envelope: &Value, meta: &RequestMeta) -> Value {
    let state = json!({
        "action_type": envelope["action_type"],
        "action_data": envelope["action_data"],
    });
    let mut result = json!({
        "resultType": "input_required",
        "requestState": state.to_string(),
        "_meta": {PREVIEW_META: {
            "action_type": envelope["action_type"],
            "preview": envelope["preview"],
        }},
    });
    if meta.elicits("form") {
        result["inputRequests"] = json!({APPROVAL_INPUT: {
            "method": "elicitation/create",
            "params": {
                "mode": "form",
                "message": approval_question(envelope),
                "requestedSchema": {
                    "type": "object",
                    "properties": {"approve": {
                        "type": "boolean",
                        "title": "Approve",
                        "description": "Yes to perform exactly the operation described.",
                    }},
                    "required": ["approve"],
                },
            },
        }});
    }
    result
}

fn approval_question(envelope: &Value) -> String {
    let summary = envelope::summary_text(envelope);
    let risks: Vec<&str> = envelope
        .pointer("/preview/risks")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if risks.is_empty() {
        summary
    } else {
        format!("{summary} Risks: {}", risks.join("; "))
    }
}

/// What a follow-up call says about a pending approval.
#[derive(Debug, PartialEq)]
pub enum Resume {
    /// No `requestState`: a fresh call.
    Fresh,
    /// Approved: the arguments to add (`approved`, `action_type`, `action_data`).
    Approved(Map<String, Value>),
    /// The user declined or cancelled the approval question.
    Declined,
}

/// Reads `requestState` / `inputResponses` of a `tools/call`. Without an answer to the approval
/// question (a client without form elicitation), echoing the state is the consent. `Err` is a
/// tool-error envelope.
pub fn resume(params: &Map<String, Value>) -> Result<Resume, Value> {
    let Some(state) = params.get("requestState") else {
        return Ok(Resume::Fresh);
    };
    let not_ours = || {
        envelope::business_error(
            None,
            "requestState is not one this server issued; nothing was executed.",
        )
    };
    let parsed: Value = state
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(not_ours)?;
    let (Some(action_type), Some(action_data)) = (
        parsed.get("action_type").and_then(Value::as_str),
        parsed.get("action_data").filter(|d| d.is_object()),
    ) else {
        return Err(not_ours());
    };
    if let Some(answer) = params
        .get("inputResponses")
        .and_then(|r| r.get(APPROVAL_INPUT))
    {
        let accepted = answer.get("action").and_then(Value::as_str) == Some("accept")
            && answer.pointer("/content/approve").and_then(Value::as_bool) == Some(true);
        if !accepted {
            return Ok(Resume::Declined);
        }
    }
    let mut args = Map::new();
    args.insert("approved".into(), json!(true));
    args.insert("action_type".into(), json!(action_type));
    args.insert("action_data".into(), action_data.clone());
    Ok(Resume::Approved(args))
}

/// The envelope answered when the user declined an approval.
pub fn declined() -> Value {
    json!({"success": true, "action": "not_approved", "message": "Not approved; nothing was changed."})
}

/// The -32042 error for a `needs_setup` envelope: one URL-mode elicitation pointing at the
/// setup instructions.
pub fn setup_required(envelope: &Value, setup_url: &str, elicitation_id: &str) -> RpcError {
    RpcError::new(
        URL_ELICITATION_REQUIRED,
        "This request needs your Reclaim.ai / Nylas credentials first.",
    )
    .with_data(json!({"elicitations": [{
        "mode": "url",
        "elicitationId": elicitation_id,
        "url": setup_url,
        "message": envelope::summary_text(envelope),
    }]}))
}

/// The absolute URL of `GET /auth/setup-instructions` on the host the request reached.
pub fn setup_url(uri: &http::Uri, headers: &HeaderMap) -> String {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    let host = uri
        .authority()
        .map(|a| a.as_str().to_string())
        .or_else(|| header("host").map(str::to_string))
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        })
        .unwrap_or_else(|| "localhost".to_string());
    let scheme = uri
        .scheme_str()
        .or_else(|| header("x-forwarded-proto"))
        .filter(|s| *s == "http" || *s == "https")
        .unwrap_or("https");
    format!("{scheme}://{host}/auth/setup-instructions")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval() -> Value {
        envelope::needs_approval(
            "event_create",
            json!({"sig": "abc", "op": {"x": 1}}),
            "Create 'Sync' with bob@example.com",
            json!({}),
            vec!["Invites 1 person".into()],
        )
    }

    fn with_form() -> RequestMeta {
        RequestMeta {
            capabilities: json!({"elicitation": {"form": {}}})
                .as_object()
                .unwrap()
                .clone(),
        }
    }

    #[test]
    fn approval_becomes_input_required_and_resumes_once_accepted() {
        let r = input_required(&approval(), &with_form());
        assert_eq!(r["resultType"], "input_required");
        let question = &r["inputRequests"]["approval"];
        assert_eq!(question["method"], "elicitation/create");
        assert!(question["params"]["message"]
            .as_str()
            .unwrap()
            .contains("Invites 1 person"));
        let mut follow_up = Map::new();
        follow_up.insert("requestState".into(), r["requestState"].clone());
        follow_up.insert(
            "inputResponses".into(),
            json!({"approval": {"action": "accept", "content": {"approve": true}}}),
        );
        let Resume::Approved(args) = resume(&follow_up).unwrap() else {
            panic!("not approved")
        };
        assert_eq!(args["action_data"], json!({"sig": "abc", "op": {"x": 1}}));
        assert_eq!(args["action_type"], "event_create");
        follow_up.insert(
            "inputResponses".into(),
            json!({"approval": {"action": "decline"}}),
        );
        assert_eq!(resume(&follow_up).unwrap(), Resume::Declined);
    }

    #[test]
    fn without_form_elicitation_the_state_alone_is_the_consent() {
        let r = input_required(&approval(), &RequestMeta::default());
        assert!(r.get("inputRequests").is_none());
        assert_eq!(r["_meta"][PREVIEW_META]["action_type"], "event_create");
        let mut follow_up = Map::new();
        follow_up.insert("requestState".into(), r["requestState"].clone());
        assert!(matches!(resume(&follow_up), Ok(Resume::Approved(_))));
        assert_eq!(resume(&Map::new()), Ok(Resume::Fresh));
        follow_up.insert("requestState".into(), json!("{\"action_type\":1}"));
        assert!(resume(&follow_up).is_err());
    }

    #[test]
    fn setup_url_follows_the_request_host() {
        let uri: http::Uri = "http://127.0.0.1:3000/mcp".parse().unwrap();
        assert_eq!(
            setup_url(&uri, &HeaderMap::new()),
            "http://127.0.0.1:3000/auth/setup-instructions"
        );
        let mut h = HeaderMap::new();
        h.insert("host", "cal.example.com".parse().unwrap());
        assert_eq!(
            setup_url(&"/mcp".parse().unwrap(), &h),
            "https://cal.example.com/auth/setup-instructions"
        );
        let e = setup_required(
            &envelope::needs_setup(&["NYLAS_API_KEY"], "Connect your calendar"),
            "https://x/auth/setup-instructions",
            "e1",
        );
        assert_eq!(e.code, URL_ELICITATION_REQUIRED);
        assert_eq!(e.data.unwrap()["elicitations"][0]["mode"], "url");
    }
}
