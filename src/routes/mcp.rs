//! `POST /mcp`: Model Context Protocol, Streamable HTTP transport (stateless, JSON responses).

use crate::api::ApiError;
use crate::app::{RequestEnv, RouteOutcome};
use crate::ports::HttpRequest;

pub async fn handle(_request: &HttpRequest, _env: &RequestEnv<'_>) -> RouteOutcome {
    RouteOutcome::new(
        "/mcp",
        ApiError::new(501, "MCP transport not implemented yet").into_response(),
    )
}
