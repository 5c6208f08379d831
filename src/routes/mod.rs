//! The HTTP routes, one module each. `dispatch` is the whole routing table.

pub mod a2a;
pub mod auth;
pub mod caller_auth;
pub mod debug_headers;
pub mod gate;
pub mod health;
pub mod mcp;
pub mod needs_setup;
pub mod tools;

use http::Method;

use crate::api::ApiError;
use crate::body::BodyTooLarge;
use crate::ports::HttpRequest;
use crate::request_env::{RequestEnv, RouteOutcome};

/// Routes a request to its handler.
pub async fn dispatch(request: HttpRequest, env: &RequestEnv<'_>) -> RouteOutcome {
    let path = request.uri().path().to_string();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path.as_str()
    };
    let method = request.method().clone();
    if request.extensions().get::<BodyTooLarge>().is_some() {
        let route = gate::json_route(path).unwrap_or("(body too large)");
        return RouteOutcome::new(route, ApiError::payload_too_large().into_response());
    }
    if let Some(route) = caller_auth::protected_route(&method, path) {
        if let Err(e) = caller_auth::check(&request, env.settings) {
            return RouteOutcome::new(route, caller_auth::refusal(route, e));
        }
    }
    if method == Method::POST {
        if let Some(route) = gate::json_route(path) {
            if let Err(e) = gate::require_json_body(&request) {
                return RouteOutcome::new(route, gate::refusal(route, e));
            }
        }
    }

    macro_rules! only {
        ($route:literal, $allow:literal, $m:expr, $call:expr) => {
            if method == $m || ($m == Method::GET && method == Method::HEAD) {
                RouteOutcome::new($route, $call)
            } else {
                RouteOutcome::new($route, ApiError::method_not_allowed($allow).into_response())
            }
        };
    }

    match path {
        "/health" => only!("/health", "GET", Method::GET, health::get(env)),
        "/debug/headers" => only!(
            "/debug/headers",
            "POST",
            Method::POST,
            debug_headers::post(&request, env)
        ),
        "/mcp/needs-setup" => only!(
            "/mcp/needs-setup",
            "GET",
            Method::GET,
            needs_setup::get(&request)
        ),
        "/auth/setup-instructions" => {
            only!(
                "/auth/setup-instructions",
                "GET",
                Method::GET,
                auth::setup_instructions()
            )
        }
        "/auth/validate-credentials" => only!(
            "/auth/validate-credentials",
            "POST",
            Method::POST,
            auth::validate_credentials(&request, env).await
        ),
        "/mcp/tools" => only!("/mcp/tools", "GET", Method::GET, tools::list()),
        "/mcp" => mcp::handle(&request, env).await,
        "/.well-known/a2a.json" => only!(
            "/.well-known/a2a.json",
            "GET",
            Method::GET,
            a2a::agent_card(env)
        ),
        "/.well-known/a2a-credentials.json" => only!(
            "/.well-known/a2a-credentials.json",
            "GET",
            Method::GET,
            a2a::credentials_manifest(env)
        ),
        "/a2a/rpc" => a2a::handle(&request, env).await,
        p if p.starts_with("/mcp/tools/") => {
            let name = &p["/mcp/tools/".len()..];
            if method != Method::POST {
                return RouteOutcome::new(
                    "/mcp/tools/{name}",
                    ApiError::method_not_allowed("POST").into_response(),
                );
            }
            tools::call(name, &request, env).await
        }
        _ => RouteOutcome::new(
            "(unknown)",
            ApiError::not_found("Not found").into_response(),
        ),
    }
}
