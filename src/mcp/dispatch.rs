//! MCP method dispatch: one decoded JSON-RPC message in, at most one JSON-RPC response out.

use serde_json::{Map, Value};

use super::round_trip::{self, Resume};
use super::stateless::{self, RequestMeta};
use super::{catalog, protocol, results};
use crate::credentials::Credentials;
use crate::jsonrpc::{self, Message, Params, RequestId, RpcError};
use crate::ports::HttpRequest;
use crate::request_env::RequestEnv;
use crate::tools::{self, ToolEnv};

/// What handling one message produced.
#[derive(Debug, Default)]
pub struct Handled {
    /// The JSON-RPC response; `None` for notifications and client responses.
    pub response: Option<Value>,
    /// The tool that ran, for the request log line.
    pub tool: Option<&'static str>,
}

/// The request a message arrived in.
pub struct Exchange<'a> {
    /// The revision of the `MCP-Protocol-Version` header.
    pub version: &'static str,
    /// In a JSON-RPC batch, where `initialize` is forbidden (2025-03-26).
    pub in_batch: bool,
    pub request: &'a HttpRequest,
    pub env: &'a RequestEnv<'a>,
}

/// Handles one message.
pub async fn handle_message(message: Message, x: &Exchange<'_>) -> Handled {
    match message {
        // Notifications (`notifications/initialized`, `notifications/cancelled`, …) and client
        // responses need no answer: a stateless server has nothing to update.
        Message::Notification { .. } | Message::Response => Handled::default(),
        Message::Request { id, method, params } => {
            let (tool, outcome) = if protocol::is_stateless(x.version) {
                stateless_request(&method, params, x).await
            } else {
                session_request(&method, params, x).await
            };
            Handled {
                response: Some(respond(&id, outcome)),
                tool,
            }
        }
    }
}

type Outcome = (Option<&'static str>, Result<Value, RpcError>);

/// A request of the revisions negotiated with `initialize` (2025-03-26 … 2025-11-25).
async fn session_request(method: &str, params: Params, x: &Exchange<'_>) -> Outcome {
    let result = match method {
        "initialize" if x.in_batch => Err(RpcError::invalid_request(
            "initialize must not be part of a batch",
        )),
        "initialize" => initialize(params),
        "ping" => params.into_object().map(|_| Value::Object(Map::new())),
        "tools/list" => tools_list(params),
        "tools/call" => return call_tool(params, None, x).await,
        other => Err(RpcError::method_not_found(other)),
    };
    (None, result)
}

/// A request of the stateless revision: `_meta` required (optional for `server/discover`),
/// `resultType` on every result, cache hints on lists.
async fn stateless_request(method: &str, params: Params, x: &Exchange<'_>) -> Outcome {
    let meta = match (method, &params) {
        ("server/discover", Params::None) => Ok(RequestMeta::default()),
        _ => stateless::request_meta(&params),
    };
    let meta = match meta {
        Ok(m) => m,
        Err(e) => return (None, Err(e)),
    };
    let (tool, result) = match method {
        "server/discover" => (None, Ok(stateless::discover())),
        "ping" => (None, Ok(Value::Object(Map::new()))),
        "tools/list" => (None, tools_list(params).map(stateless::cacheable)),
        "tools/call" => call_tool(params, Some(&meta), x).await,
        "initialize" => (
            None,
            Err(RpcError::method_not_found(
                "initialize (protocol revision 2026-07-28 is stateless: use server/discover)",
            )),
        ),
        other => (None, Err(RpcError::method_not_found(other))),
    };
    let complete = |r: Value| {
        if r.get("resultType").is_some() {
            r
        } else {
            stateless::complete(r)
        }
    };
    (tool, result.map(complete))
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
/// including bad arguments and bad context fields — is a result with `isError`. With `meta`
/// (2026-07-28), approvals and setup take the multi-round-trip forms of [`round_trip`].
async fn call_tool(params: Params, meta: Option<&RequestMeta>, x: &Exchange<'_>) -> Outcome {
    let (tool, arguments, params) = match tool_and_arguments(params) {
        Ok(t) => t,
        Err(e) => return (None, Err(e)),
    };
    let name = Some(tool.name);
    let mut arguments = arguments;
    if meta.is_some() {
        match round_trip::resume(&params) {
            Err(envelope) => return (name, Ok(results::call_tool(&envelope))),
            Ok(Resume::Declined) => return (name, Ok(results::call_tool(&round_trip::declined()))),
            Ok(Resume::Approved(approval)) => arguments.extend(approval),
            Ok(Resume::Fresh) => {}
        }
    }
    let envelope = match tool.arguments(arguments) {
        Ok(args) => run_tool(tool, args, x).await,
        Err(envelope) => envelope,
    };
    let Some(meta) = meta else {
        return (name, Ok(results::call_tool(&envelope)));
    };
    if envelope.get("needs_approval").is_some() && !tool.is_read_only() {
        return (name, Ok(round_trip::input_required(&envelope, meta)));
    }
    if envelope.get("needs_setup").is_some() && meta.elicits("url") {
        let url = round_trip::setup_url(x.request.uri(), x.request.headers());
        let error = round_trip::setup_required(&envelope, &url, &elicitation_id(x));
        return (name, Err(error));
    }
    (name, Ok(results::call_tool(&envelope)))
}

type ToolArguments = (
    &'static catalog::McpTool,
    Map<String, Value>,
    Map<String, Value>,
);

/// The catalog tool, its arguments and the remaining params of a `tools/call`.
fn tool_and_arguments(params: Params) -> Result<ToolArguments, RpcError> {
    let mut params = params.into_object()?;
    let name = match params.get("name") {
        Some(Value::String(n)) => n.clone(),
        _ => return Err(RpcError::invalid_params("tools/call needs a tool name")),
    };
    let tool = catalog::find(&name).ok_or_else(|| {
        RpcError::invalid_params(format!("Unknown tool: {}", jsonrpc::printable(&name, 64)))
    })?;
    let arguments = match params.remove("arguments") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(a)) => a,
        Some(_) => return Err(RpcError::invalid_params("arguments must be an object")),
    };
    Ok((tool, arguments, params))
}

async fn run_tool(tool: &catalog::McpTool, args: Map<String, Value>, x: &Exchange<'_>) -> Value {
    tools::invoke(
        tool.base,
        args,
        Credentials::from_headers(x.request.headers()),
        x.env.request_id,
        ToolEnv {
            ctx: x.env.ctx,
            settings: x.env.settings,
        },
    )
    .await
    .unwrap_or_else(|refused| refused)
}

fn elicitation_id(x: &Exchange<'_>) -> String {
    let mut bytes = [0u8; 12];
    x.env.ctx.random.fill(&mut bytes);
    format!(
        "setup-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}
