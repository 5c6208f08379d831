//! The stateless revision 2026-07-28: no `initialize`; every request carries its revision and
//! the client's capabilities in `params._meta`, the `Mcp-Method` / `Mcp-Name` headers repeat the
//! method and the tool name (a mismatch answers -32020 with HTTP 400), every result says its
//! `resultType`, and list results say how long they may be cached (`ttlMs`, `cacheScope`).

use http::HeaderMap;
use serde_json::{json, Map, Value};

use super::protocol::{self, STATELESS_VERSION};
use super::results;
use crate::jsonrpc::{Message, Params, RpcError};

/// The header / body mismatch error of 2026-07-28 (answered with HTTP 400).
pub const HEADER_MISMATCH: i64 = -32020;
/// A `_meta` revision this server does not speak.
pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;

const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// How long `tools/list` and `server/discover` answers may be cached: they only change with a
/// deployment.
pub const LIST_TTL_MS: u64 = 3_600_000;

/// What a 2026-07-28 request declared about the client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestMeta {
    pub capabilities: Map<String, Value>,
}

impl RequestMeta {
    /// The client handles `elicitation/create` in this mode (`form` or `url`).
    pub fn elicits(&self, mode: &str) -> bool {
        self.capabilities
            .get("elicitation")
            .and_then(Value::as_object)
            .is_some_and(|e| e.get(mode).is_some_and(Value::is_object))
    }
}

/// Checks `Mcp-Method` (every request and notification) and `Mcp-Name` (`tools/call`) against
/// the body. Missing or different values are a header mismatch.
pub fn check_headers(headers: &HeaderMap, message: &Message) -> Result<(), RpcError> {
    let (method, params) = match message {
        Message::Request { method, params, .. } | Message::Notification { method, params } => {
            (method, params)
        }
        Message::Response => return Ok(()),
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if header("mcp-method") != Some(method.as_str()) {
        return Err(mismatch(
            "the Mcp-Method header must equal the JSON-RPC method",
        ));
    }
    if method == "tools/call" {
        let name = match params {
            Params::Object(p) => p.get("name").and_then(Value::as_str),
            _ => None,
        };
        if name.is_some() && header("mcp-name") != name {
            return Err(mismatch("the Mcp-Name header must equal params.name"));
        }
    }
    Ok(())
}

fn mismatch(detail: &str) -> RpcError {
    RpcError::new(HEADER_MISMATCH, format!("Header mismatch: {detail}"))
}

/// Reads `params._meta` of a request: the revision (which must be the header's) and the
/// client's capabilities, both required.
pub fn request_meta(params: &Params) -> Result<RequestMeta, RpcError> {
    let meta = match params {
        Params::Object(p) => p.get("_meta").and_then(Value::as_object),
        _ => None,
    };
    let Some(meta) = meta else {
        return Err(RpcError::invalid_params(format!(
            "protocol revision {STATELESS_VERSION} needs params._meta with {META_VERSION} and {META_CAPABILITIES}"
        )));
    };
    match meta.get(META_VERSION).and_then(Value::as_str) {
        Some(v) if v == STATELESS_VERSION => {}
        Some(v) if !protocol::SUPPORTED_VERSIONS.contains(&v) => {
            return Err(
                RpcError::new(UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version")
                    .with_data(json!({
                        "requested": v.chars().take(40).collect::<String>(),
                        "supported": protocol::SUPPORTED_VERSIONS,
                    })),
            )
        }
        Some(_) => {
            return Err(mismatch(
                "params._meta protocolVersion must equal the MCP-Protocol-Version header",
            ))
        }
        None => {
            return Err(RpcError::invalid_params(format!(
                "params._meta needs {META_VERSION}"
            )))
        }
    }
    match meta.get(META_CAPABILITIES) {
        Some(Value::Object(c)) => Ok(RequestMeta {
            capabilities: c.clone(),
        }),
        _ => Err(RpcError::invalid_params(format!(
            "params._meta needs a {META_CAPABILITIES} object"
        ))),
    }
}

/// Marks a finished result (`resultType: complete`).
pub fn complete(mut result: Value) -> Value {
    result["resultType"] = json!("complete");
    result
}

/// A complete list result that any client may cache for [`LIST_TTL_MS`] (nothing user-specific).
pub fn cacheable(result: Value) -> Value {
    let mut result = complete(result);
    result["ttlMs"] = json!(LIST_TTL_MS);
    result["cacheScope"] = json!("public");
    result
}

/// The `server/discover` result.
pub fn discover() -> Value {
    let init = results::initialize(STATELESS_VERSION);
    cacheable(json!({
        "supportedVersions": protocol::SUPPORTED_VERSIONS,
        "capabilities": init["capabilities"],
        "instructions": init["instructions"],
        "_meta": {META_SERVER_INFO: init["serverInfo"]},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mcp::protocol::tests::headers;

    fn call(name: &str) -> Message {
        Message::Request {
            id: crate::jsonrpc::RequestId::Num(1.into()),
            method: "tools/call".into(),
            params: Params::Object(json!({"name": name}).as_object().unwrap().clone()),
        }
    }

    #[test]
    fn method_and_name_headers_must_match_the_body() {
        let ok = headers(&[("mcp-method", "tools/call"), ("mcp-name", "list_events")]);
        assert_eq!(check_headers(&ok, &call("list_events")), Ok(()));
        for bad in [
            headers(&[("mcp-method", "tools/list"), ("mcp-name", "list_events")]),
            headers(&[("mcp-method", "tools/call"), ("mcp-name", "create_event")]),
            headers(&[("mcp-method", "tools/call")]),
            headers(&[]),
        ] {
            assert_eq!(
                check_headers(&bad, &call("list_events")).unwrap_err().code,
                HEADER_MISMATCH
            );
        }
    }

    #[test]
    fn meta_needs_the_revision_and_capabilities() {
        let params =
            |meta: Value| Params::Object(json!({"_meta": meta}).as_object().unwrap().clone());
        let good = request_meta(&params(json!({
            META_VERSION: "2026-07-28",
            META_CAPABILITIES: {"elicitation": {"url": {}}}
        })))
        .unwrap();
        assert!(good.elicits("url") && !good.elicits("form"));
        assert_eq!(request_meta(&Params::None).unwrap_err().code, -32602);
        let other = request_meta(&params(
            json!({META_VERSION: "2025-06-18", META_CAPABILITIES: {}}),
        ));
        assert_eq!(other.unwrap_err().code, HEADER_MISMATCH);
        let unknown = request_meta(&params(
            json!({META_VERSION: "2099-01-01", META_CAPABILITIES: {}}),
        ));
        assert_eq!(unknown.unwrap_err().code, UNSUPPORTED_PROTOCOL_VERSION);
        let no_caps = request_meta(&params(json!({META_VERSION: "2026-07-28"})));
        assert_eq!(no_caps.unwrap_err().code, -32602);
    }

    #[test]
    fn discover_lists_every_revision_and_is_cacheable() {
        let d = discover();
        assert_eq!(d["resultType"], "complete");
        assert_eq!(d["cacheScope"], "public");
        assert_eq!(d["ttlMs"], LIST_TTL_MS);
        assert_eq!(d["supportedVersions"].as_array().unwrap().len(), 4);
        assert_eq!(d["_meta"][META_SERVER_INFO]["name"], "juli-calendar");
    }
}
