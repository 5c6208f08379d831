//! `POST /a2a/rpc`: JSON-RPC 2.0 methods `agent.card`, `agent.handshake`, `tool.list`,
//! `tool.execute` and `tool.approve`.
//!
//! Transport: one request per body (no batches); a notification (no `id`) runs nothing and gets
//! `202`; parse errors and invalid requests are HTTP 400, method-level errors HTTP 200, an
//! unauthenticated caller `401` with error -32000 "Unauthorized".

use serde_json::{json, Map, Value};

use super::auth::{self, Principal};
use super::card;
use crate::api::{json_response, MAX_BODY_BYTES};
use crate::credentials::Credentials;
use crate::jsonrpc::{self, Incoming, Message, RpcError};
use crate::ports::{HttpRequest, HttpResponse};
use crate::request_env::RequestEnv;
use crate::tools::{self, ToolEnv, ToolName};

/// The reply to one `POST /a2a/rpc`, plus the tool that ran (for the log line).
pub struct RpcReply {
    pub response: HttpResponse,
    pub tool: Option<&'static str>,
}

impl RpcReply {
    fn plain(response: HttpResponse) -> RpcReply {
        RpcReply {
            response,
            tool: None,
        }
    }
}

/// The 401 answer (the reason is safe to show: it names no secret).
pub fn unauthorized(reason: &str) -> HttpResponse {
    let body = jsonrpc::failure(
        None,
        &RpcError::new(jsonrpc::UNAUTHORIZED, "Unauthorized").with_data(json!({"reason": reason})),
    );
    let mut r = json_response(401, &body);
    r.headers_mut().insert(
        "www-authenticate",
        http::HeaderValue::from_static("Bearer realm=\"juli-calendar\""),
    );
    r
}

pub async fn handle(request: &HttpRequest, env: &RequestEnv<'_>) -> RpcReply {
    let principal = match auth::authenticate(request, env).await {
        Ok(p) => p,
        Err(e) => return RpcReply::plain(unauthorized(&e.to_string())),
    };
    if request.body().len() > MAX_BODY_BYTES {
        return RpcReply::plain(json_response(
            413,
            &jsonrpc::failure(
                None,
                &RpcError::invalid_request(format!(
                    "request body too large (limit {} KiB)",
                    MAX_BODY_BYTES / 1024
                )),
            ),
        ));
    }
    let message = match jsonrpc::decode(request.body()) {
        Err(e) => return RpcReply::plain(json_response(400, &jsonrpc::failure(None, &e))),
        Ok(Incoming::Batch(_)) => {
            return RpcReply::plain(json_response(
                400,
                &jsonrpc::failure(
                    None,
                    &RpcError::invalid_request("batches are not supported"),
                ),
            ))
        }
        Ok(Incoming::Single(Err((id, e)))) => {
            return RpcReply::plain(json_response(400, &jsonrpc::failure(id.as_ref(), &e)))
        }
        Ok(Incoming::Single(Ok(m))) => m,
    };
    let (id, method, params) = match message {
        Message::Request { id, method, params } => (id, method, params),
        Message::Notification { .. } | Message::Response => {
            return RpcReply::plain(
                http::Response::builder()
                    .status(202)
                    .body(Vec::new())
                    .expect("static response parts are valid"),
            )
        }
    };
    let mut tool = None;
    let outcome = match params.into_object() {
        Err(e) => Err(e),
        Ok(params) => match method.as_str() {
            "agent.card" => Ok(card::agent_card(env.settings)),
            "agent.handshake" => Ok(handshake(env, &principal)),
            "tool.list" => Ok(json!({"tools": card::capabilities()})),
            "tool.execute" => execute(params, request, env, &mut tool).await,
            "tool.approve" => approve(params, request, env, &mut tool).await,
            other => Err(RpcError::method_not_found(other)),
        },
    };
    let body = match outcome {
        Ok(result) => jsonrpc::success(&id, result),
        Err(e) => jsonrpc::failure(Some(&id), &e),
    };
    RpcReply {
        response: json_response(200, &body),
        tool,
    }
}

fn handshake(env: &RequestEnv<'_>, principal: &Principal) -> Value {
    let caller = match principal {
        Principal::DevSecret => json!({"auth": "shared_secret"}),
        Principal::Oidc { issuer, subject } => {
            json!({"auth": "oidc", "issuer": issuer, "subject": subject})
        }
    };
    json!({
        "agent": card::AGENT_ID,
        "card": card::agent_card(env.settings),
        "server_time": env.ctx.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "caller": caller,
    })
}

/// The parts of `tool.execute` / `tool.approve` params both methods share.
struct Invocation {
    tool: ToolName,
    user_context: Map<String, Value>,
    credentials: Credentials,
    /// Echoed verbatim in the result.
    request_id: Value,
    /// Used for logs/idempotency: the caller's id when it is a sane token, else the HTTP one.
    request_id_text: String,
}

fn invocation(
    params: &Map<String, Value>,
    request: &HttpRequest,
    env: &RequestEnv<'_>,
) -> Result<Invocation, RpcError> {
    let name = params
        .get("tool")
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::invalid_params("'tool' (string) is required"))?;
    let tool = ToolName::parse(name).ok_or_else(|| {
        RpcError::invalid_params(format!("Unknown tool: {}", jsonrpc::printable(name, 64)))
    })?;
    let user_context = match params.get("user_context") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(RpcError::invalid_params("'user_context' must be an object")),
    };
    // Credentials: user_context.credentials first, the X-User-Credential-* headers for the rest.
    let mut credentials = Credentials::default();
    match user_context.get("credentials") {
        None | Some(Value::Null) => {}
        Some(Value::Object(c)) => credentials.fill_from_json(c),
        Some(_) => {
            return Err(RpcError::invalid_params(
                "'user_context.credentials' must be an object",
            ))
        }
    }
    let from_headers = Credentials::from_headers(request.headers());
    credentials.reclaim_api_key = credentials.reclaim_api_key.or(from_headers.reclaim_api_key);
    credentials.nylas_api_key = credentials.nylas_api_key.or(from_headers.nylas_api_key);
    credentials.nylas_grant_id = credentials.nylas_grant_id.or(from_headers.nylas_grant_id);

    let (request_id, request_id_text) = match params.get("request_id") {
        Some(Value::String(s)) => {
            let sane = !s.is_empty()
                && s.len() <= 128
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
            let text = if sane {
                s.clone()
            } else {
                env.request_id.to_string()
            };
            (Value::String(s.clone()), text)
        }
        Some(Value::Number(n)) => (Value::Number(n.clone()), n.to_string()),
        None | Some(Value::Null) => (
            Value::String(env.request_id.to_string()),
            env.request_id.to_string(),
        ),
        Some(_) => {
            return Err(RpcError::invalid_params(
                "'request_id' must be a string or a number",
            ))
        }
    };
    Ok(Invocation {
        tool,
        user_context,
        credentials,
        request_id,
        request_id_text,
    })
}

/// Maps `user_context` onto the injected argument fields; explicit arguments win.
fn inject_context(
    args: &mut Map<String, Value>,
    user_context: &Map<String, Value>,
) -> Result<(), RpcError> {
    for (from, to) in [
        ("timezone", "user_timezone"),
        ("user_timezone", "user_timezone"),
        ("current_date", "current_date"),
        ("current_time", "current_time"),
        ("user_name", "user_name"),
        ("user_email", "user_email"),
    ] {
        match user_context.get(from) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                args.entry(to.to_string())
                    .or_insert_with(|| Value::String(s.clone()));
            }
            Some(_) => {
                return Err(RpcError::invalid_params(format!(
                    "'user_context.{from}' must be a string"
                )))
            }
        }
    }
    Ok(())
}

fn object_param(
    params: &Map<String, Value>,
    name: &str,
) -> Result<Option<Map<String, Value>>, RpcError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(RpcError::invalid_params(format!(
            "'{name}' must be an object"
        ))),
    }
}

async fn run_tool(
    inv: Invocation,
    mut args: Map<String, Value>,
    env: &RequestEnv<'_>,
) -> Result<Value, RpcError> {
    inject_context(&mut args, &inv.user_context)?;
    let envelope = tools::invoke(
        inv.tool,
        args,
        inv.credentials,
        &inv.request_id_text,
        ToolEnv {
            ctx: env.ctx,
            settings: env.settings,
        },
    )
    .await
    .map_err(|refused| {
        RpcError::invalid_params(
            refused["error"]
                .as_str()
                .unwrap_or("invalid arguments")
                .to_string(),
        )
    })?;
    if !envelope.is_object() {
        return Err(RpcError::internal("the tool produced no result envelope"));
    }
    Ok(json!({
        "request_id": inv.request_id,
        "tool": inv.tool.as_str(),
        "result": envelope,
    }))
}

/// `tool.execute {tool, arguments, user_context, request_id}`.
async fn execute(
    params: Map<String, Value>,
    request: &HttpRequest,
    env: &RequestEnv<'_>,
    tool: &mut Option<&'static str>,
) -> Result<Value, RpcError> {
    let inv = invocation(&params, request, env)?;
    let args = object_param(&params, "arguments")?.unwrap_or_default();
    *tool = Some(inv.tool.as_str());
    run_tool(inv, args, env).await
}

/// `tool.approve {tool, original_arguments, action_data, action_type?, user_context, request_id,
/// approved}`. `approved` defaults to true (the method itself is the approval); `approved:false`
/// runs nothing. On approval the tool is called again with the original arguments plus
/// `approved: true`, `action_data` exactly as received and `action_type` (taken from
/// `action_data.action_type` when not given).
async fn approve(
    params: Map<String, Value>,
    request: &HttpRequest,
    env: &RequestEnv<'_>,
    tool: &mut Option<&'static str>,
) -> Result<Value, RpcError> {
    let inv = invocation(&params, request, env)?;
    let approved = match params.get("approved") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(RpcError::invalid_params("'approved' must be a boolean")),
    };
    let action_type = match params.get("action_type") {
        Some(Value::String(s)) => Some(s.clone()),
        None | Some(Value::Null) => None,
        Some(_) => return Err(RpcError::invalid_params("'action_type' must be a string")),
    };
    if !approved {
        return Ok(json!({
            "request_id": inv.request_id,
            "tool": inv.tool.as_str(),
            "result": {
                "success": true,
                "approved": false,
                "executed": false,
                "action": "declined",
                "message": "Not approved: nothing was executed.",
            },
        }));
    }
    let action_data = object_param(&params, "action_data")?.ok_or_else(|| {
        RpcError::invalid_params("'action_data' (object, exactly as received) is required")
    })?;
    let mut args = object_param(&params, "original_arguments")?.unwrap_or_default();
    let action_type = action_type.or_else(|| {
        action_data
            .get("action_type")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    args.insert("approved".into(), Value::Bool(true));
    args.insert("action_data".into(), Value::Object(action_data));
    if let Some(t) = action_type {
        args.insert("action_type".into(), Value::String(t));
    }
    *tool = Some(inv.tool.as_str());
    run_tool(inv, args, env).await
}
