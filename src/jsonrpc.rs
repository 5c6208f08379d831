//! JSON-RPC 2.0 framing shared by MCP (`/mcp`) and A2A (`/a2a/rpc`): decoding and validating
//! incoming messages, and encoding responses. Nothing here knows any method.

use serde_json::{json, Map, Value};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
/// Server-defined: the caller is not authenticated (A2A).
pub const UNAUTHORIZED: i64 = -32000;

/// A JSON-RPC request id: a string or an integer (MCP forbids `null`).
#[derive(Debug, Clone, PartialEq)]
pub enum RequestId {
    Str(String),
    Num(serde_json::Number),
}

impl RequestId {
    pub fn to_value(&self) -> Value {
        match self {
            RequestId::Str(s) => Value::String(s.clone()),
            RequestId::Num(n) => Value::Number(n.clone()),
        }
    }
}

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }
    pub fn parse_error() -> RpcError {
        RpcError::new(PARSE_ERROR, "Parse error: the body is not valid JSON")
    }
    pub fn invalid_request(detail: impl Into<String>) -> RpcError {
        RpcError::new(
            INVALID_REQUEST,
            format!("Invalid Request: {}", detail.into()),
        )
    }
    pub fn method_not_found(method: &str) -> RpcError {
        RpcError::new(
            METHOD_NOT_FOUND,
            format!("Method not found: {}", printable(method, 80)),
        )
    }
    pub fn invalid_params(detail: impl Into<String>) -> RpcError {
        RpcError::new(INVALID_PARAMS, format!("Invalid params: {}", detail.into()))
    }
    pub fn internal(detail: impl Into<String>) -> RpcError {
        RpcError::new(INTERNAL_ERROR, format!("Internal error: {}", detail.into()))
    }
    pub fn with_data(mut self, data: Value) -> RpcError {
        self.data = Some(data);
        self
    }

    fn to_value(&self) -> Value {
        let mut e = json!({"code": self.code, "message": self.message});
        if let Some(d) = &self.data {
            e["data"] = d.clone();
        }
        e
    }
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A call that expects an answer.
    Request {
        id: RequestId,
        method: String,
        params: Params,
    },
    /// A call without `id`: never answered.
    Notification { method: String, params: Params },
    /// A response from the client (to a server-initiated request); accepted and ignored.
    Response,
}

/// The `params` member: absent, an object, or an array (which no method here accepts).
#[derive(Debug, Clone, PartialEq)]
pub enum Params {
    None,
    Object(Map<String, Value>),
    Array(Vec<Value>),
}

impl Params {
    /// The params as an object (absent = empty). Arrays are invalid params for every method here.
    pub fn into_object(self) -> Result<Map<String, Value>, RpcError> {
        match self {
            Params::None => Ok(Map::new()),
            Params::Object(m) => Ok(m),
            Params::Array(_) => Err(RpcError::invalid_params("params must be an object")),
        }
    }
}

/// One decoded message, or the error to answer it with (and its id when it had one).
pub type Decoded = Result<Message, (Option<RequestId>, RpcError)>;

/// A body: one message or a batch. Each batch element is decoded on its own so that one bad
/// element answers an error without failing the others.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Single(Decoded),
    Batch(Vec<Decoded>),
}

/// Decodes a body. `Err` is a whole-body failure (parse error, empty batch) to answer with `id: null`.
pub fn decode(body: &[u8]) -> Result<Incoming, RpcError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| RpcError::parse_error())?;
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err(RpcError::invalid_request("empty batch"));
            }
            Ok(Incoming::Batch(
                items.into_iter().map(decode_message).collect(),
            ))
        }
        other => Ok(Incoming::Single(decode_message(other))),
    }
}

/// Validates one message value.
pub fn decode_message(value: Value) -> Result<Message, (Option<RequestId>, RpcError)> {
    let Value::Object(mut obj) = value else {
        return Err((
            None,
            RpcError::invalid_request("a message must be a JSON object"),
        ));
    };
    // The id, when it is well-formed, is echoed even when the rest is invalid.
    let id = match obj.remove("id") {
        None => None,
        Some(Value::String(s)) => Some(Some(RequestId::Str(s))),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(Some(RequestId::Num(n))),
        Some(_) => Some(None),
    };
    let echo = id.clone().flatten();
    if obj.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Err((
            echo,
            RpcError::invalid_request("\"jsonrpc\" must be \"2.0\""),
        ));
    }
    if id == Some(None) {
        return Err((
            None,
            RpcError::invalid_request("\"id\" must be a string or an integer"),
        ));
    }
    let method = match obj.remove("method") {
        Some(Value::String(m)) => m,
        Some(_) => {
            return Err((
                echo,
                RpcError::invalid_request("\"method\" must be a string"),
            ));
        }
        None => {
            if echo.is_some() && (obj.contains_key("result") || obj.contains_key("error")) {
                return Ok(Message::Response);
            }
            return Err((echo, RpcError::invalid_request("\"method\" is missing")));
        }
    };
    let params = match obj.remove("params") {
        None => Params::None,
        Some(Value::Object(m)) => Params::Object(m),
        Some(Value::Array(a)) => Params::Array(a),
        Some(_) => {
            return Err((
                echo,
                RpcError::invalid_request("\"params\" must be an object or an array"),
            ));
        }
    };
    Ok(match echo {
        Some(id) => Message::Request { id, method, params },
        None => Message::Notification { method, params },
    })
}

/// `{"jsonrpc":"2.0","id":…,"result":…}`.
pub fn success(id: &RequestId, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id.to_value(), "result": result})
}

/// `{"jsonrpc":"2.0","id":…|null,"error":{…}}`.
pub fn failure(id: Option<&RequestId>, error: &RpcError) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id.map(RequestId::to_value).unwrap_or(Value::Null),
        "error": error.to_value(),
    })
}

/// A short, single-line rendering of caller-supplied text for error messages.
pub fn printable(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(body: &str) -> Result<Message, (Option<RequestId>, RpcError)> {
        match decode(body.as_bytes()).unwrap() {
            Incoming::Single(m) => m,
            Incoming::Batch(_) => panic!("expected a single message"),
        }
    }

    #[test]
    fn parse_errors_and_empty_batches_fail_the_whole_body() {
        assert_eq!(decode(b"{oops").unwrap_err().code, PARSE_ERROR);
        assert_eq!(decode(b"[]").unwrap_err().code, INVALID_REQUEST);
    }

    #[test]
    fn requests_notifications_and_responses_are_told_apart() {
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#).unwrap(),
            Message::Request {
                id: RequestId::Num(7.into()),
                method: "ping".into(),
                params: Params::None
            }
        );
        assert!(matches!(
            single(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap(),
            Message::Notification { .. }
        ));
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","id":"a","result":{}}"#).unwrap(),
            Message::Response
        );
    }

    #[test]
    fn invalid_messages_keep_a_valid_id() {
        let (id, e) = single(r#"{"jsonrpc":"1.0","id":"x","method":"ping"}"#).unwrap_err();
        assert_eq!(id, Some(RequestId::Str("x".into())));
        assert_eq!(e.code, INVALID_REQUEST);
        let (id, e) = single(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#).unwrap_err();
        assert_eq!((id, e.code), (None, INVALID_REQUEST));
        let (_, e) = single(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#).unwrap_err();
        assert_eq!(e.code, INVALID_REQUEST);
        let (_, e) = single(r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":3}"#).unwrap_err();
        assert_eq!(e.code, INVALID_REQUEST);
        let (_, e) = single("5").unwrap_err();
        assert_eq!(e.code, INVALID_REQUEST);
    }

    #[test]
    fn encodes_success_and_failure() {
        let ok = success(&RequestId::Str("1".into()), json!({}));
        assert_eq!(ok, json!({"jsonrpc":"2.0","id":"1","result":{}}));
        let err = failure(None, &RpcError::method_not_found("x/y"));
        assert_eq!(err["id"], Value::Null);
        assert_eq!(err["error"]["code"], METHOD_NOT_FOUND);
        assert!(err["error"].get("data").is_none());
    }
}
