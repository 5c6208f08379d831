//! Agent-to-agent: the agent card, the credentials manifest and `POST /a2a/rpc`.

use crate::api::{json_response, ApiError};
use crate::app::{RequestEnv, RouteOutcome};
use crate::ports::{HttpRequest, HttpResponse};

pub fn agent_card(_env: &RequestEnv<'_>) -> HttpResponse {
    json_response(
        200,
        &serde_json::json!({"id": "juli-calendar", "version": env!("CARGO_PKG_VERSION")}),
    )
}

pub fn credentials_manifest() -> HttpResponse {
    json_response(200, &serde_json::json!({"credentials": []}))
}

pub async fn handle(_request: &HttpRequest, _env: &RequestEnv<'_>) -> RouteOutcome {
    RouteOutcome::new(
        "/a2a/rpc",
        ApiError::new(501, "A2A not implemented yet").into_response(),
    )
}
