//! `GET /mcp/tools` and `POST /mcp/tools/{name}`.

use crate::api::{json_response, parse_json_object, ApiError};
use crate::credentials::Credentials;
use crate::envelope;
use crate::ports::{HttpRequest, HttpResponse};
use crate::request_env::{RequestEnv, RouteOutcome};
use crate::tools::{self, ToolEnv, ToolName};

const ROUTE: &str = "/mcp/tools/{name}";

pub fn list() -> HttpResponse {
    json_response(200, &tools::listing())
}

pub async fn call(name: &str, request: &HttpRequest, env: &RequestEnv<'_>) -> RouteOutcome {
    let Some(tool) = ToolName::parse(name) else {
        let shown: String = name.chars().take(64).filter(|c| !c.is_control()).collect();
        return RouteOutcome::new(
            ROUTE,
            ApiError::not_found(format!("Tool '{shown}' not found")).into_response(),
        );
    };
    let body = match parse_json_object(request.body()) {
        Ok(b) => b,
        Err(e) => {
            return RouteOutcome {
                tool: Some(tool.as_str()),
                ..RouteOutcome::new(ROUTE, e.into_response())
            }
        }
    };
    let credentials = Credentials::from_headers(request.headers());
    let envelope = tools::invoke(
        tool,
        body,
        credentials,
        env.request_id,
        ToolEnv {
            ctx: env.ctx,
            settings: env.settings,
        },
    )
    .await;
    let response = match envelope {
        Ok(envelope) => envelope_response(&envelope),
        Err(refused) => json_response(400, &refused),
    };
    RouteOutcome {
        response,
        route: ROUTE,
        tool: Some(tool.as_str()),
    }
}

/// 200 with the envelope; 429 with `Retry-After` when the caller's model budget is used up.
fn envelope_response(envelope: &serde_json::Value) -> HttpResponse {
    let Some(seconds) = envelope::retry_after(envelope) else {
        return json_response(200, envelope);
    };
    let mut response = json_response(429, envelope);
    response
        .headers_mut()
        .insert("retry-after", http::HeaderValue::from(seconds.max(1)));
    response
}
