//! `POST /mcp`: Model Context Protocol, Streamable HTTP transport (stateless, JSON responses).
//! The protocol lives in `crate::mcp`; this is only the method routing.

use http::Method;

use crate::api::ApiError;
use crate::mcp;
use crate::ports::HttpRequest;
use crate::request_env::{RequestEnv, RouteOutcome};

const ROUTE: &str = "/mcp";

pub async fn handle(request: &HttpRequest, env: &RequestEnv<'_>) -> RouteOutcome {
    match *request.method() {
        Method::POST => {
            let reply = mcp::post(request, env).await;
            RouteOutcome {
                response: reply.response,
                route: ROUTE,
                tool: reply.tool,
            }
        }
        Method::OPTIONS => RouteOutcome::new(ROUTE, mcp::preflight(request, env)),
        // Stateless and without server-initiated messages: no SSE stream (GET) and no
        // session to end (DELETE).
        _ => RouteOutcome::new(ROUTE, ApiError::method_not_allowed("POST").into_response()),
    }
}
