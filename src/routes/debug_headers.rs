//! `POST /debug/headers`: only when `debug_endpoints=true`; values are redacted.

use serde_json::{json, Map, Value};

use crate::api::{json_response, ApiError};
use crate::credentials::{credential_for_header, redact, Credentials};
use crate::ports::{HttpRequest, HttpResponse};
use crate::request_env::RequestEnv;

pub fn post(request: &HttpRequest, env: &RequestEnv<'_>) -> HttpResponse {
    if !env.settings.debug_endpoints {
        return ApiError::not_found("Not found").into_response();
    }
    let names: Vec<&str> = request.headers().keys().map(|k| k.as_str()).collect();
    let mut found = Map::new();
    for (name, value) in request.headers() {
        if let Some(key) = credential_for_header(name.as_str()) {
            let shown = value
                .to_str()
                .map(redact)
                .unwrap_or_else(|_| "(not text)".into());
            found.insert(
                name.as_str().to_string(),
                json!({"credential": key.name(), "value": shown}),
            );
        }
    }
    let creds = Credentials::from_headers(request.headers());
    json_response(
        200,
        &json!({
            "header_names": names,
            "credentials_found": Value::Object(found),
            "connected": {"reclaim": creds.has_reclaim(), "nylas": creds.has_nylas()},
            "missing": creds.missing(),
        }),
    )
}
