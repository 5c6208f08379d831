//! Small helpers shared by the fakes: JSON responses, query strings, bearer tokens, bodies.

use std::collections::BTreeMap;

use serde_json::Value;

pub type Request = http::Request<Vec<u8>>;
pub type Response = http::Response<Vec<u8>>;

/// A JSON response with `content-type: application/json`.
pub fn json_response(status: u16, body: &Value) -> Response {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).expect("a Value always serializes"))
        .expect("valid response parts")
}

/// A response with no body.
pub fn empty_response(status: u16) -> Response {
    http::Response::builder()
        .status(status)
        .body(Vec::new())
        .expect("valid response parts")
}

/// The decoded query pairs of a URI, in order.
pub fn query_pairs(uri: &http::Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// Query pairs as a map; a repeated key keeps its values joined with `,`.
pub fn query_map(pairs: &[(String, String)]) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in pairs {
        map.entry(k.clone())
            .and_modify(|e| {
                e.push(',');
                e.push_str(v);
            })
            .or_insert_with(|| v.clone());
    }
    map
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(headers: &http::HeaderMap) -> Option<String> {
    let value = headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The body as the request log keeps it: JSON, `Null` when empty, else the raw text as a string.
pub fn body_for_log(body: &[u8]) -> Value {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// Parses a JSON body; `Err` carries a message for a 400.
pub fn json_body(body: &[u8]) -> Result<Value, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("request body is empty".into());
    }
    serde_json::from_slice(body).map_err(|e| format!("request body is not valid JSON: {e}"))
}

/// Path segments without the empty leading one.
pub fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

/// Merges `patch` into `target` (top-level keys only; `patch` wins).
pub fn merge_top_level(target: &mut Value, patch: &Value) {
    if let (Some(t), Some(p)) = (target.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            t.insert(k.clone(), v.clone());
        }
    }
}

/// A request as a fake sees it: the path is relative to the fake's base URL.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub method: &'a http::Method,
    /// Path below the base URL, e.g. `/api/tasks/12` or `/responses`.
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub headers: &'a http::HeaderMap,
    pub body: &'a [u8],
}

impl Call<'_> {
    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of a query parameter, with comma-separated values split.
    pub fn query_all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn bearer(&self) -> Option<String> {
        bearer(self.headers)
    }
}
