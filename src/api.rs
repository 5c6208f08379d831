//! JSON HTTP responses and the API error type of the Juli-facing routes.

use serde_json::{json, Value};

use crate::ports::HttpResponse;

/// Largest request body the component accepts (Spin does not cap it).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn json_response(status: u16, body: &Value) -> HttpResponse {
    let bytes = serde_json::to_vec(body)
        .unwrap_or_else(|_| b"{\"error\":\"serialization failed\"}".to_vec());
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .header("x-content-type-options", "nosniff")
        .body(bytes)
        .expect("static response parts are valid")
}

/// An error answered directly by a route, as `{"error": "...", ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    pub extra: Option<Value>,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            extra: None,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(404, message)
    }
    pub fn invalid_json() -> ApiError {
        ApiError::bad_request("Invalid JSON in request body")
    }
    pub fn payload_too_large() -> ApiError {
        ApiError::new(
            413,
            format!(
                "Request body too large (limit {} KiB)",
                MAX_BODY_BYTES / 1024
            ),
        )
    }
    pub fn method_not_allowed(allow: &str) -> ApiError {
        ApiError {
            status: 405,
            message: "Method not allowed".into(),
            extra: Some(json!({ "allow": allow })),
        }
    }

    pub fn into_response(self) -> HttpResponse {
        let mut body = json!({ "error": self.message });
        let allow = self
            .extra
            .as_ref()
            .and_then(|e| e.get("allow"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let (Some(Value::Object(extra)), Some(obj)) = (self.extra, body.as_object_mut()) {
            obj.extend(extra);
        }
        let mut resp = json_response(self.status, &body);
        if let Some(allow) = allow {
            resp.headers_mut()
                .insert("allow", allow.parse().expect("allow header is ascii"));
        }
        resp
    }
}

/// Parses a request body as a JSON object; an empty body is an empty object.
pub fn parse_json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, ApiError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::payload_too_large());
    }
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(_) => Err(ApiError::invalid_json()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_objects_and_rejects_the_rest() {
        assert!(parse_json_object(b"").unwrap().is_empty());
        assert_eq!(parse_json_object(b"{\"a\":1}").unwrap()["a"], 1);
        assert_eq!(
            parse_json_object(b"{bad").unwrap_err().message,
            "Invalid JSON in request body"
        );
        assert_eq!(parse_json_object(b"[1]").unwrap_err().status, 400);
        assert_eq!(
            parse_json_object(&vec![b' '; MAX_BODY_BYTES + 1])
                .unwrap_err()
                .status,
            413
        );
    }

    #[test]
    fn method_not_allowed_sets_allow_header() {
        let r = ApiError::method_not_allowed("POST").into_response();
        assert_eq!(r.status(), 405);
        assert_eq!(r.headers()["allow"], "POST");
        let body: Value = serde_json::from_slice(r.body()).unwrap();
        assert_eq!(body["error"], "Method not allowed");
    }
}
