//! Model Context Protocol over Streamable HTTP, stateless, JSON replies (no SSE, no sessions).
//!
//! - [`protocol`]: revisions and the transport headers (`MCP-Protocol-Version`, `Origin`, `Accept`);
//! - [`crate::jsonrpc`]: JSON-RPC decoding/validation and response encoding;
//! - [`dispatch`]: the methods (`initialize`, `ping`, `tools/list`, `tools/call`, and
//!   `server/discover` on 2026-07-28);
//! - [`catalog`]: the tools `/mcp` lists (the four natural-language tools and explicit ones);
//! - [`stateless`]: the 2026-07-28 rules (`_meta`, `Mcp-Method` / `Mcp-Name`, `resultType`);
//! - [`round_trip`]: approvals as `input_required` and setup as URL elicitation (2026-07-28);
//! - [`results`]: the MCP result shapes.
//!
//! [`post`] runs the whole `POST /mcp` exchange; `routes::mcp` adds method routing.

pub mod catalog;
pub mod dispatch;
pub mod protocol;
pub mod results;
pub mod round_trip;
pub mod stateless;

use serde_json::{json, Value};

use crate::api::{json_response, MAX_BODY_BYTES};
use crate::jsonrpc::{self, Incoming, RpcError};
use crate::ports::{HttpRequest, HttpResponse};
use crate::request_env::RequestEnv;
use dispatch::Exchange;
use protocol::OriginCheck;

/// The reply to one `POST /mcp`, plus the tool that ran (for the log line).
pub struct McpReply {
    pub response: HttpResponse,
    pub tool: Option<&'static str>,
}

impl McpReply {
    fn plain(response: HttpResponse) -> McpReply {
        McpReply {
            response,
            tool: None,
        }
    }
}

/// A transport-level refusal: an HTTP status with a JSON-RPC error body (`id: null`).
pub fn transport_error(status: u16, code: i64, message: &str) -> HttpResponse {
    json_response(
        status,
        &jsonrpc::failure(None, &RpcError::new(code, message)),
    )
}

/// `202 Accepted`, no body: the input held only notifications or responses.
fn accepted() -> HttpResponse {
    http::Response::builder()
        .status(202)
        .body(Vec::new())
        .expect("static response parts are valid")
}

/// Adds the CORS headers for an allowed browser origin.
pub fn with_cors(mut response: HttpResponse, origin: &OriginCheck) -> HttpResponse {
    if let OriginCheck::Allowed(o) = origin {
        if let Ok(v) = o.parse() {
            let h = response.headers_mut();
            h.insert("access-control-allow-origin", v);
            h.insert("vary", http::HeaderValue::from_static("Origin"));
        }
    }
    response
}

/// `OPTIONS /mcp`: the CORS preflight for origins listed in `allowed_origins`; 403 otherwise.
pub fn preflight(request: &HttpRequest, env: &RequestEnv<'_>) -> HttpResponse {
    let origin = protocol::check_origin(request.headers(), &env.settings.allowed_origins);
    match origin {
        OriginCheck::Allowed(_) => {
            let mut r = http::Response::builder()
                .status(204)
                .header("allow", "POST, OPTIONS")
                .header("access-control-allow-methods", "POST")
                .header("access-control-allow-headers", "*")
                .header("access-control-max-age", "600")
                .body(Vec::new())
                .expect("static response parts are valid");
            r = with_cors(r, &origin);
            r
        }
        OriginCheck::Refused => transport_error(403, jsonrpc::INVALID_REQUEST, "Forbidden origin"),
        OriginCheck::Absent => crate::api::ApiError::method_not_allowed("POST").into_response(),
    }
}

/// Handles `POST /mcp`.
pub async fn post(request: &HttpRequest, env: &RequestEnv<'_>) -> McpReply {
    let origin = protocol::check_origin(request.headers(), &env.settings.allowed_origins);
    if origin == OriginCheck::Refused {
        return McpReply::plain(transport_error(
            403,
            jsonrpc::INVALID_REQUEST,
            "Forbidden: Origin not allowed",
        ));
    }
    let mut reply = exchange(request, env).await;
    reply.response = with_cors(reply.response, &origin);
    reply
}

async fn exchange(request: &HttpRequest, env: &RequestEnv<'_>) -> McpReply {
    if !protocol::accepts_json_reply(request.headers()) {
        return McpReply::plain(transport_error(
            406,
            jsonrpc::INVALID_REQUEST,
            "Not Acceptable: this server replies with application/json",
        ));
    }
    let version = match protocol::header_version(request.headers()) {
        Ok(v) => v,
        Err(bad) => {
            return McpReply::plain(json_response(
                400,
                &jsonrpc::failure(
                    None,
                    &RpcError::invalid_request(format!("unsupported MCP-Protocol-Version '{bad}'"))
                        .with_data(json!({"supported": protocol::SUPPORTED_VERSIONS})),
                ),
            ))
        }
    };
    if request.body().len() > MAX_BODY_BYTES {
        return McpReply::plain(transport_error(
            413,
            jsonrpc::INVALID_REQUEST,
            &format!(
                "Request body too large (limit {} KiB)",
                MAX_BODY_BYTES / 1024
            ),
        ));
    }
    let incoming = match jsonrpc::decode(request.body()) {
        Ok(i) => i,
        Err(e) => {
            return McpReply::plain(json_response(400, &jsonrpc::failure(None, &e)));
        }
    };
    let exchange = Exchange {
        version,
        in_batch: matches!(incoming, Incoming::Batch(_)),
        request,
        env,
    };
    match incoming {
        Incoming::Single(Err((id, e))) => {
            McpReply::plain(json_response(400, &jsonrpc::failure(id.as_ref(), &e)))
        }
        Incoming::Single(Ok(message)) => single(message, &exchange).await,
        Incoming::Batch(_) if !protocol::allows_batches(version) => McpReply::plain(json_response(
            400,
            &jsonrpc::failure(
                None,
                &RpcError::invalid_request(format!(
                    "JSON-RPC batches are not supported in protocol revision {version}"
                )),
            ),
        )),
        Incoming::Batch(items) => batch(items, &exchange).await,
    }
}

/// One message; on 2026-07-28 its `Mcp-Method` / `Mcp-Name` headers are checked first.
async fn single(message: jsonrpc::Message, x: &Exchange<'_>) -> McpReply {
    if protocol::is_stateless(x.version) {
        if let Err(e) = stateless::check_headers(x.request.headers(), &message) {
            let id = match &message {
                jsonrpc::Message::Request { id, .. } => Some(id),
                _ => None,
            };
            return McpReply::plain(json_response(400, &jsonrpc::failure(id, &e)));
        }
    }
    let handled = dispatch::handle_message(message, x).await;
    McpReply {
        response: match handled.response {
            Some(body) => json_response(status_of(&body), &body),
            None => accepted(),
        },
        tool: handled.tool,
    }
}

/// HTTP 400 for a header mismatch (2026-07-28: also a `_meta` revision that differs from the
/// header), 200 for every other JSON-RPC response.
fn status_of(body: &Value) -> u16 {
    if body.pointer("/error/code").and_then(Value::as_i64) == Some(stateless::HEADER_MISMATCH) {
        400
    } else {
        200
    }
}

/// A 2025-03-26 batch: at most [`protocol::MAX_BATCH_MESSAGES`] messages run, in order; each
/// request beyond the cap is answered with an error and not run.
async fn batch(items: Vec<jsonrpc::Decoded>, x: &Exchange<'_>) -> McpReply {
    let mut responses: Vec<Value> = Vec::new();
    let mut tool = None;
    // Sequential on purpose: calls in one batch may depend on each other's effects.
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Err((id, e)) => responses.push(jsonrpc::failure(id.as_ref(), &e)),
            Ok(jsonrpc::Message::Request { id, .. }) if i >= protocol::MAX_BATCH_MESSAGES => {
                responses.push(jsonrpc::failure(Some(&id), &over_the_cap()))
            }
            Ok(_) if i >= protocol::MAX_BATCH_MESSAGES => {}
            Ok(message) => {
                let handled = dispatch::handle_message(message, x).await;
                tool = handled.tool.or(tool);
                responses.extend(handled.response);
            }
        }
    }
    McpReply {
        response: if responses.is_empty() {
            accepted()
        } else {
            json_response(200, &Value::Array(responses))
        },
        tool,
    }
}

fn over_the_cap() -> RpcError {
    RpcError::invalid_request(format!(
        "a batch may hold at most {} messages; this one was not run",
        protocol::MAX_BATCH_MESSAGES
    ))
}
