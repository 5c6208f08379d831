//! Agent-to-agent: the agent card, the credentials manifest and `POST /a2a/rpc`.
//! The protocol lives in `crate::a2a`; this is only the HTTP routing.

use http::Method;

use crate::a2a::{card, rpc};
use crate::api::{json_response, ApiError};
use crate::ports::{HttpRequest, HttpResponse};
use crate::request_env::{RequestEnv, RouteOutcome};

const ROUTE: &str = "/a2a/rpc";

pub fn agent_card(env: &RequestEnv<'_>) -> HttpResponse {
    json_response(200, &card::agent_card(env.settings))
}

pub fn credentials_manifest(env: &RequestEnv<'_>) -> HttpResponse {
    json_response(200, &card::credentials_manifest(env.settings))
}

pub async fn handle(request: &HttpRequest, env: &RequestEnv<'_>) -> RouteOutcome {
    if request.method() != Method::POST {
        return RouteOutcome::new(ROUTE, ApiError::method_not_allowed("POST").into_response());
    }
    let reply = rpc::handle(request, env).await;
    RouteOutcome {
        response: reply.response,
        route: ROUTE,
        tool: reply.tool,
    }
}
