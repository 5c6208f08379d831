//! Checks every body-carrying route applies before its handler runs: the body must be declared
//! JSON.
//!
//! A browser may send a cross-site POST without a CORS preflight only with a "simple" content
//! type (`text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`) or with none
//! at all (`fetch` with an untyped `Blob` body). Refusing every non-empty body that is not
//! declared `application/json` (or `application/…+json`) means a page the user visits cannot
//! drive a local `spin up` or spend its model budget. An empty body needs no content type: it
//! carries nothing to execute.

use crate::api::{json_response, ApiError};
use crate::jsonrpc::{self, RpcError};
use crate::ports::{HttpRequest, HttpResponse};

/// The route patterns whose POST body is JSON.
pub fn json_route(path: &str) -> Option<&'static str> {
    match path {
        "/mcp" => Some("/mcp"),
        "/a2a/rpc" => Some("/a2a/rpc"),
        "/auth/validate-credentials" => Some("/auth/validate-credentials"),
        "/debug/headers" => Some("/debug/headers"),
        p if p.starts_with("/mcp/tools/") => Some("/mcp/tools/{name}"),
        _ => None,
    }
}

/// `Ok` when the body is empty or declared JSON; else the 415 to answer.
pub fn require_json_body(request: &HttpRequest) -> Result<(), ApiError> {
    if request.body().is_empty() {
        return Ok(());
    }
    let declared = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    match declared {
        Some(value) if is_json_media_type(value) => Ok(()),
        _ => Err(ApiError::new(
            415,
            "Unsupported media type: send the body as JSON with 'Content-Type: application/json'; nothing was executed.",
        )),
    }
}

/// The refusal in the route's own error shape (JSON-RPC for `/mcp` and `/a2a/rpc`).
pub fn refusal(route: &str, error: ApiError) -> HttpResponse {
    match route {
        "/mcp" | "/a2a/rpc" => json_response(
            error.status,
            &jsonrpc::failure(
                None,
                &RpcError::new(jsonrpc::INVALID_REQUEST, &error.message),
            ),
        ),
        _ => error.into_response(),
    }
}

/// `application/json` or `application/<anything>+json`, any casing, parameters allowed.
pub fn is_json_media_type(value: &str) -> bool {
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(content_type: Option<&str>, body: &str) -> HttpRequest {
        let mut b = http::Request::builder().method("POST").uri("/mcp");
        if let Some(ct) = content_type {
            b = b.header("content-type", ct);
        }
        b.body(body.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn json_in_any_casing_with_parameters_is_accepted() {
        for ct in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            " application/json ;charset=UTF-8",
            "application/vnd.api+json",
        ] {
            assert!(is_json_media_type(ct), "{ct}");
            assert!(require_json_body(&post(Some(ct), "{}")).is_ok(), "{ct}");
        }
    }

    #[test]
    fn simple_request_types_and_a_missing_type_are_refused() {
        for ct in [
            Some("text/plain"),
            Some("text/plain;charset=UTF-8"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("text/json"),
            Some("application/jsonp"),
            Some(""),
            None,
        ] {
            let err = require_json_body(&post(ct, "{\"query\":\"x\"}")).unwrap_err();
            assert_eq!(err.status, 415, "{ct:?}");
        }
    }

    #[test]
    fn an_empty_body_needs_no_content_type() {
        assert!(require_json_body(&post(None, "")).is_ok());
        assert!(require_json_body(&post(Some("text/plain"), "")).is_ok());
    }
}
