//! MCP method dispatch: one decoded JSON-RPC message in, at most one JSON-RPC response out.

use serde_json::{Map, Value};

use super::{protocol, results};
use crate::credentials::Credentials;
use crate::jsonrpc::{self, Message, Params, RequestId, RpcError};
use crate::ports::HttpRequest;
use crate::request_env::RequestEnv;
use crate::tools::{self, ToolEnv, ToolName};

/// What handling one message produced.
#[derive(Debug, Default)]
pub struct Handled {
    /// The JSON-RPC response; `None` for notifications and client responses.
    pub response: Option<Value>,
    /// The tool that ran, for the request log line.
    pub tool: Option<&'static str>,
}

/// Handles one message. `in_batch` forbids `initialize` (2025-03-26: it must not be batched).
pub async fn handle_message(
    message: Message,
    in_batch: bool,
    request: &HttpRequest,
    env: &RequestEnv<'_>,
) -> Handled {
    match message {
        // Notifications (`notifications/initialized`, `notifications/cancelled`, …) and client
        // responses need no answer: a stateless server has nothing to update.
        Message::Notification { .. } | Message::Response => Handled::default(),
        Message::Request { id, method, params } => {
            let mut tool = None;
            let outcome = match method.as_str() {
                "initialize" if in_batch => Err(RpcError::invalid_request(
                    "initialize must not be part of a batch",
                )),
                "initialize" => initialize(params),
                "ping" => params.into_object().map(|_| Value::Object(Map::new())),
                "tools/list" => tools_list(params),
                "tools/call" => match call_tool(params, request, env).await {
                    Ok((t, result)) => {
                        tool = Some(t.as_str());
                        Ok(result)
                    }
                    Err(e) => Err(e),
                },
                other => Err(RpcError::method_not_found(other)),
            };
            Handled {
                response: Some(respond(&id, outcome)),
                tool,
            }
        }
    }
}

fn respond(id: &RequestId, outcome: Result<Value, RpcError>) -> Value {
    match outcome {
        Ok(result) => jsonrpc::success(id, result),
        Err(e) => jsonrpc::failure(Some(id), &e),
    }
}

fn initialize(params: Params) -> Result<Value, RpcError> {
    let params = params.into_object()?;
    let requested = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::invalid_params("initialize needs a protocolVersion string"))?;
    if let Some(c) = params.get("capabilities") {
        if !c.is_object() {
            return Err(RpcError::invalid_params("capabilities must be an object"));
        }
    }
    Ok(results::initialize(protocol::negotiate(requested)))
}

fn tools_list(params: Params) -> Result<Value, RpcError> {
    let params = params.into_object()?;
    match params.get("cursor") {
        None | Some(Value::Null) => Ok(results::tools_list()),
        // The listing is never paginated, so no cursor this server issued can exist.
        Some(_) => Err(RpcError::invalid_params("unknown cursor")),
    }
}

/// `tools/call`. An unknown tool name is a protocol error (-32602, as the MCP tools
/// specification lists "unknown tools" under protocol errors); everything the tool decides —
/// including bad arguments and bad context fields — is a result with `isError`.
async fn call_tool(
    params: Params,
    request: &HttpRequest,
    env: &RequestEnv<'_>,
) -> Result<(ToolName, Value), RpcError> {
    let mut params = params.into_object()?;
    let name = match params.get("name") {
        Some(Value::String(n)) => n.clone(),
        _ => return Err(RpcError::invalid_params("tools/call needs a tool name")),
    };
    let tool = ToolName::parse(&name).ok_or_else(|| {
        RpcError::invalid_params(format!("Unknown tool: {}", jsonrpc::printable(&name, 64)))
    })?;
    let arguments = match params.remove("arguments") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(a)) => a,
        Some(_) => return Err(RpcError::invalid_params("arguments must be an object")),
    };
    let credentials = Credentials::from_headers(request.headers());
    let envelope = tools::invoke(
        tool,
        arguments,
        credentials,
        env.request_id,
        ToolEnv {
            ctx: env.ctx,
            settings: env.settings,
        },
    )
    .await;
    Ok((tool, results::call_tool(&envelope)))
}
