//! OpenAI Responses API with strict structured output (`POST {openai_base_url}/responses`,
//! `specs/openai-openapi.yaml` → `CreateResponse` / `Response`).
//!
//! The request is `{model, instructions, input, text: {format: {type: json_schema, name,
//! schema, strict: true}}, store: false}` plus optional `max_output_tokens` and
//! `reasoning.effort`. The answer's `message` output item holds either `output_text` (the
//! JSON) or a `refusal`; `status: incomplete` carries `incomplete_details.reason`.
//! The call has no side effects, so it is retried like an idempotent one.

use http::Method;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::error::{UpstreamError, UpstreamErrorKind};
use super::transport::{Idempotency, Transport};
use super::Provider;
use crate::config::Settings;
use crate::ports::{Clock, Outbound};

/// One structured-output request.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredRequest {
    /// The system/developer instructions.
    pub instructions: String,
    /// The user's text (untrusted data goes here, clearly delimited by the caller).
    pub input: String,
    /// `[A-Za-z0-9_-]{1,64}`.
    pub schema_name: String,
    /// A JSON schema valid for strict mode (see [`check_strict_schema`]).
    pub schema: Value,
    pub max_output_tokens: Option<u32>,
    /// `minimal`, `low`, `medium`, … for reasoning models (omit for others).
    pub reasoning_effort: Option<String>,
}

impl StructuredRequest {
    pub fn new(
        instructions: impl Into<String>,
        input: impl Into<String>,
        schema_name: impl Into<String>,
        schema: Value,
    ) -> StructuredRequest {
        StructuredRequest {
            instructions: instructions.into(),
            input: input.into(),
            schema_name: schema_name.into(),
            schema,
            max_output_tokens: None,
            reasoning_effort: None,
        }
    }
}

/// Token usage of one response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
}

/// The parsed JSON the model produced, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredResponse {
    pub value: Value,
    pub usage: Usage,
    /// The model that answered, when reported.
    pub model: Option<String>,
}

/// An OpenAI client configured from the Spin variables.
pub struct OpenAiClient<'a> {
    transport: Transport<'a>,
    model: String,
}

impl<'a> OpenAiClient<'a> {
    /// Fails with `NotConfigured` (naming the Spin variable `openai_api_key`) without a key.
    pub fn new(
        outbound: &'a dyn Outbound,
        clock: &'a dyn Clock,
        settings: &Settings,
    ) -> Result<Self, UpstreamError> {
        let key = settings.openai_api_key.as_ref().ok_or_else(|| {
            UpstreamError::new(Provider::OpenAi, UpstreamErrorKind::NotConfigured)
        })?;
        Ok(OpenAiClient {
            transport: Transport::new(
                outbound,
                clock,
                Provider::OpenAi,
                &settings.openai_base_url,
                key,
            ),
            model: settings.openai_model.clone(),
        })
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// The request body sent for `request` (exposed for contract tests).
    pub fn request_body(&self, request: &StructuredRequest) -> Value {
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model));
        body.insert("instructions".into(), json!(request.instructions));
        body.insert("input".into(), json!(request.input));
        body.insert(
            "text".into(),
            json!({"format": {
                "type": "json_schema",
                "name": request.schema_name,
                "schema": request.schema,
                "strict": true,
            }}),
        );
        body.insert("store".into(), json!(false));
        if let Some(max) = request.max_output_tokens {
            body.insert("max_output_tokens".into(), json!(max.max(16)));
        }
        if let Some(effort) = &request.reasoning_effort {
            body.insert("reasoning".into(), json!({ "effort": effort }));
        }
        Value::Object(body)
    }

    /// `POST /responses` and parse the structured answer.
    pub async fn respond_structured(
        &self,
        request: &StructuredRequest,
    ) -> Result<StructuredResponse, UpstreamError> {
        if !valid_schema_name(&request.schema_name) {
            return Err(self.invalid(&format!(
                "schema name '{}' must be 1-64 letters, digits, '_' or '-'",
                request.schema_name.chars().take(64).collect::<String>()
            )));
        }
        let url = self.transport.url(&["responses"], &[])?;
        let body = self.request_body(request);
        let v = self
            .transport
            .send_json(Method::POST, url, Some(&body), Idempotency::Idempotent)
            .await?;
        self.parse(&v)
    }

    fn parse(&self, v: &Value) -> Result<StructuredResponse, UpstreamError> {
        if !v.is_object() {
            return Err(self.invalid("expected a response object"));
        }
        let status = v
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("completed");
        match status {
            "incomplete" => {
                let reason = v
                    .pointer("/incomplete_details/reason")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown reason");
                return Err(self
                    .transport
                    .error(UpstreamErrorKind::Incomplete(reason.to_string())));
            }
            "failed" | "cancelled" => {
                let msg = v
                    .pointer("/error/message")
                    .and_then(Value::as_str)
                    .unwrap_or("no details");
                return Err(self.invalid(&format!("the response {status}: {msg}")));
            }
            _ => {}
        }

        let mut text = String::new();
        let mut found_text = false;
        let messages = v
            .get("output")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|item| item.get("type").and_then(Value::as_str) == Some("message"));
        for message in messages {
            for part in message
                .get("content")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match part.get("type").and_then(Value::as_str) {
                    Some("refusal") => {
                        let refusal = part.get("refusal").and_then(Value::as_str).unwrap_or("");
                        return Err(self
                            .transport
                            .error(UpstreamErrorKind::Refusal(refusal.to_string())));
                    }
                    Some("output_text") => {
                        if let Some(t) = part.get("text").and_then(Value::as_str) {
                            text.push_str(t);
                            found_text = true;
                        }
                    }
                    _ => {}
                }
            }
        }
        if !found_text {
            if let Some(t) = v.get("output_text").and_then(Value::as_str) {
                text.push_str(t);
                found_text = true;
            }
        }
        if !found_text {
            return Err(self.invalid("the response has no output text"));
        }
        let value: Value = serde_json::from_str(text.trim())
            .map_err(|_| self.invalid("the model's answer is not valid JSON"))?;
        if !value.is_object() {
            return Err(self.invalid("the model's answer is not a JSON object"));
        }
        let n = |p: &str| v.pointer(p).and_then(Value::as_u64).unwrap_or(0);
        let (input_tokens, output_tokens) = (n("/usage/input_tokens"), n("/usage/output_tokens"));
        let total = v
            .pointer("/usage/total_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(input_tokens + output_tokens);
        Ok(StructuredResponse {
            value,
            usage: Usage {
                input_tokens,
                output_tokens,
                total_tokens: total,
            },
            model: v.get("model").and_then(Value::as_str).map(str::to_string),
        })
    }

    fn invalid(&self, detail: &str) -> UpstreamError {
        self.transport
            .error(UpstreamErrorKind::InvalidResponse(detail.to_string()))
    }
}

fn valid_schema_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Keywords strict structured outputs do not support.
const UNSUPPORTED_KEYWORDS: [&str; 8] = [
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
];

/// Checks that `schema` is usable with `strict: true`: the root is an object schema (not
/// `anyOf`), and every object schema lists all its properties in `required` and sets
/// `additionalProperties: false` (optional values are nullable types instead). Returns every
/// problem found, each with its JSON-pointer-like path.
pub fn check_strict_schema(schema: &Value) -> Result<(), Vec<String>> {
    let mut problems = vec![];
    if !is_object_schema(schema) {
        problems.push("(root): the root must be an object schema".to_string());
    }
    if schema.get("anyOf").is_some() {
        problems.push("(root): the root must not be anyOf".to_string());
    }
    walk(schema, "", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn is_object_schema(s: &Value) -> bool {
    match s.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => s.get("properties").is_some(),
    }
}

fn walk(node: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(obj) = node.as_object() else {
        return;
    };
    let here = if path.is_empty() { "(root)" } else { path };
    for kw in UNSUPPORTED_KEYWORDS {
        if obj.contains_key(kw) {
            problems.push(format!("{here}: `{kw}` is not supported in strict mode"));
        }
    }
    if is_object_schema(node) {
        if obj.get("additionalProperties") != Some(&Value::Bool(false)) {
            problems.push(format!("{here}: additionalProperties must be false"));
        }
        let props: Vec<&String> = obj
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().collect())
            .unwrap_or_default();
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for p in &props {
            if !required.contains(&p.as_str()) {
                problems.push(format!(
                    "{here}: property `{p}` must be listed in required (make it nullable instead of optional)"
                ));
            }
        }
        for r in &required {
            if !props.iter().any(|p| p.as_str() == *r) {
                problems.push(format!("{here}: required lists unknown property `{r}`"));
            }
        }
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            walk(v, &format!("{path}/properties/{k}"), problems);
        }
    }
    for key in ["$defs", "definitions"] {
        if let Some(defs) = obj.get(key).and_then(Value::as_object) {
            for (k, v) in defs {
                walk(v, &format!("{path}/{key}/{k}"), problems);
            }
        }
    }
    if let Some(items) = obj.get("items") {
        walk(items, &format!("{path}/items"), problems);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = obj.get(key).and_then(Value::as_array) {
            for (i, v) in list.iter().enumerate() {
                walk(v, &format!("{path}/{key}/{i}"), problems);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretString;
    use crate::ports::TransportError;
    use crate::upstream::testing::{FakeClock, ScriptedOutbound};
    use futures::executor::block_on;
    use std::collections::HashMap;

    const KEY: &str = "sk-test-verysecret-000";

    fn settings(key: Option<&str>) -> Settings {
        let mut map: HashMap<String, String> = HashMap::new();
        if let Some(k) = key {
            map.insert("openai_api_key".into(), k.into());
        }
        Settings::from_source(&map)
    }

    fn schema() -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["intent", "title"],
            "properties": {
                "intent": {"type": "string", "enum": ["create_task", "create_event"]},
                "title": {"type": ["string", "null"]}
            }
        })
    }

    fn request() -> StructuredRequest {
        StructuredRequest::new("Interpret.", "Create a task", "interpretation", schema())
    }

    /// The spec's `Response` example, with structured output text.
    fn response(text: &str) -> Value {
        json!({
            "id": "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41",
            "object": "response", "created_at": 1741476777, "status": "completed",
            "completed_at": 1741476778, "error": null, "incomplete_details": null,
            "instructions": "Interpret.", "max_output_tokens": null, "model": "gpt-5-mini-2025-08-07",
            "output": [
                {"type": "reasoning", "id": "rs_1", "summary": []},
                {"type": "message", "id": "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41",
                 "status": "completed", "role": "assistant",
                 "content": [{"type": "output_text", "text": text, "annotations": []}]}
            ],
            "parallel_tool_calls": true, "previous_response_id": null,
            "reasoning": {"effort": null, "summary": null}, "store": false, "temperature": 1,
            "text": {"format": {"type": "json_schema", "name": "interpretation", "strict": true}},
            "tool_choice": "auto", "tools": [], "top_p": 1, "truncation": "disabled",
            "usage": {"input_tokens": 328, "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                      "output_tokens": 52, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 380},
            "user": null, "metadata": {}
        })
    }

    #[test]
    fn sends_a_strict_json_schema_request_and_parses_the_answer() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            response(r#"{"intent":"create_task","title":"Review Q4 budget"}"#),
        );
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let client = OpenAiClient::new(&out, &clock, &s).unwrap();
        let mut req = request();
        req.max_output_tokens = Some(800);
        req.reasoning_effort = Some("low".into());
        let r = block_on(client.respond_structured(&req)).unwrap();
        assert_eq!(r.value["title"], "Review Q4 budget");
        assert_eq!(
            r.usage,
            Usage {
                input_tokens: 328,
                output_tokens: 52,
                total_tokens: 380
            }
        );
        assert_eq!(r.model.as_deref(), Some("gpt-5-mini-2025-08-07"));

        let sent = &out.requests()[0];
        assert_eq!(sent.method, "POST");
        assert_eq!(sent.url.as_str(), "https://api.openai.com/v1/responses");
        assert_eq!(
            sent.header("authorization"),
            Some(&*format!("Bearer {KEY}"))
        );
        let body = sent.json();
        assert_eq!(body["model"], "gpt-5-mini");
        assert_eq!(body["instructions"], "Interpret.");
        assert_eq!(body["input"], "Create a task");
        assert_eq!(body["store"], false);
        assert_eq!(body["max_output_tokens"], 800);
        assert_eq!(body["reasoning"], json!({"effort": "low"}));
        assert_eq!(
            body["text"]["format"],
            json!({"type": "json_schema", "name": "interpretation", "schema": schema(), "strict": true})
        );
    }

    #[test]
    fn optional_fields_are_omitted_by_default() {
        let s = settings(Some(KEY));
        let out = ScriptedOutbound::new();
        let clock = FakeClock::new();
        let body = OpenAiClient::new(&out, &clock, &s)
            .unwrap()
            .request_body(&request());
        assert!(body.get("reasoning").is_none());
        assert!(body.get("max_output_tokens").is_none());
    }

    #[test]
    fn no_key_is_not_configured_naming_the_variable() {
        let out = ScriptedOutbound::new();
        let clock = FakeClock::new();
        let s = settings(None);
        let err = OpenAiClient::new(&out, &clock, &s).err().unwrap();
        assert_eq!(err.kind, UpstreamErrorKind::NotConfigured);
        assert!(err.to_string().contains("openai_api_key"));
        assert!(out.requests().is_empty());
    }

    #[test]
    fn refusal_is_reported() {
        let out = ScriptedOutbound::new();
        let mut v = response("");
        v["output"][1]["content"] =
            json!([{"type": "refusal", "refusal": "I can't help with that."}]);
        out.push_json(200, v);
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let err = block_on(
            OpenAiClient::new(&out, &clock, &s)
                .unwrap()
                .respond_structured(&request()),
        )
        .unwrap_err();
        assert_eq!(
            err.kind,
            UpstreamErrorKind::Refusal("I can't help with that.".into())
        );
        assert!(err.to_string().contains("declined"));
    }

    #[test]
    fn incomplete_is_reported_with_its_reason() {
        let out = ScriptedOutbound::new();
        let mut v = response(r#"{"intent":"cre"#);
        v["status"] = json!("incomplete");
        v["incomplete_details"] = json!({"reason": "max_output_tokens"});
        out.push_json(200, v);
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let err = block_on(
            OpenAiClient::new(&out, &clock, &s)
                .unwrap()
                .respond_structured(&request()),
        )
        .unwrap_err();
        assert_eq!(
            err.kind,
            UpstreamErrorKind::Incomplete("max_output_tokens".into())
        );
    }

    #[test]
    fn invalid_json_and_missing_text_are_invalid_responses() {
        let out = ScriptedOutbound::new();
        out.push_json(200, response("not json at all"));
        let mut no_message = response("");
        no_message["output"] = json!([{"type": "reasoning", "id": "rs", "summary": []}]);
        out.push_json(200, no_message);
        out.push_json(200, response("[1,2]"));
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let c = OpenAiClient::new(&out, &clock, &s).unwrap();
        for _ in 0..3 {
            let err = block_on(c.respond_structured(&request())).unwrap_err();
            assert!(
                matches!(err.kind, UpstreamErrorKind::InvalidResponse(_)),
                "{err:?}"
            );
            assert_eq!(err.provider, Provider::OpenAi);
        }
    }

    #[test]
    fn retried_on_429_and_500_then_succeeds_and_on_timeout() {
        let out = ScriptedOutbound::new();
        out.push_json(429, json!({"error": {"message": "Rate limit", "type": "requests", "param": null, "code": null}}));
        out.push_err(TransportError::Timeout);
        out.push_json(200, response(r#"{"intent":"create_event","title":null}"#));
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let r = block_on(
            OpenAiClient::new(&out, &clock, &s)
                .unwrap()
                .respond_structured(&request()),
        )
        .unwrap();
        assert_eq!(r.value["intent"], "create_event");
        assert_eq!(out.requests().len(), 3);
        assert_eq!(clock.sleeps().len(), 2);
    }

    #[test]
    fn bad_request_message_is_kept_and_key_is_never_shown() {
        let out = ScriptedOutbound::new();
        out.push_json(
            400,
            json!({"error": {"message": format!("Invalid schema for response_format 'interpretation' (key {KEY})"), "type": "invalid_request_error", "param": "text.format.schema", "code": null}}),
        );
        out.push_json(401, json!({"error": {"message": format!("Incorrect API key provided: {KEY}"), "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}));
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let c = OpenAiClient::new(&out, &clock, &s).unwrap();
        let e1 = block_on(c.respond_structured(&request())).unwrap_err();
        assert!(e1
            .to_string()
            .contains("Invalid schema for response_format"));
        let e2 = block_on(c.respond_structured(&request())).unwrap_err();
        assert!(e2.is_unauthorized());
        for e in [e1, e2] {
            let env = e.to_envelope(&Default::default());
            assert!(env.get("needs_setup").is_none());
            let text = format!("{e} {e:?} {env}");
            assert!(!text.contains(KEY), "{text}");
        }
    }

    #[test]
    fn bad_schema_names_are_refused_before_sending() {
        let out = ScriptedOutbound::new();
        let clock = FakeClock::new();
        let s = settings(Some(KEY));
        let mut req = request();
        req.schema_name = "has spaces".into();
        assert!(block_on(
            OpenAiClient::new(&out, &clock, &s)
                .unwrap()
                .respond_structured(&req)
        )
        .is_err());
        assert!(out.requests().is_empty());
    }

    #[test]
    fn strict_schema_checker_accepts_valid_and_names_problems() {
        assert_eq!(check_strict_schema(&schema()), Ok(()));
        let nested_ok = json!({
            "type": "object", "additionalProperties": false, "required": ["items"],
            "properties": {"items": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["a"],
                "properties": {"a": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}}}
        });
        assert_eq!(check_strict_schema(&nested_ok), Ok(()));

        let bad = json!({
            "type": "object", "required": ["a", "ghost"],
            "properties": {
                "a": {"type": "string"},
                "b": {"type": "object", "additionalProperties": false, "properties": {"c": {"type": "string"}}},
                "d": {"allOf": [{"type": "string"}]}
            }
        });
        let problems = check_strict_schema(&bad).unwrap_err();
        let all = problems.join("\n");
        assert!(
            all.contains("(root): additionalProperties must be false"),
            "{all}"
        );
        assert!(
            all.contains("(root): property `b` must be listed in required"),
            "{all}"
        );
        assert!(
            all.contains("(root): required lists unknown property `ghost`"),
            "{all}"
        );
        assert!(
            all.contains("/properties/b: property `c` must be listed"),
            "{all}"
        );
        assert!(
            all.contains("/properties/d: `allOf` is not supported"),
            "{all}"
        );

        assert!(check_strict_schema(&json!({"anyOf": [schema()]})).is_err());
        assert!(check_strict_schema(&json!({"type": "string"})).is_err());
    }

    #[test]
    fn openai_base_url_is_respected() {
        let mut map: HashMap<String, String> = HashMap::new();
        map.insert("openai_api_key".into(), KEY.into());
        map.insert(
            "openai_base_url".into(),
            "http://localhost:9000/openai/v1/".into(),
        );
        map.insert("openai_model".into(), "gpt-4.1-mini".into());
        let s = Settings::from_source(&map);
        let out = ScriptedOutbound::new();
        out.push_json(200, response(r#"{"intent":"create_task","title":"x"}"#));
        let clock = FakeClock::new();
        assert_eq!(
            s.openai_api_key.as_ref().map(SecretString::expose),
            Some(KEY)
        );
        let c = OpenAiClient::new(&out, &clock, &s).unwrap();
        block_on(c.respond_structured(&request())).unwrap();
        assert_eq!(
            out.requests()[0].url.as_str(),
            "http://localhost:9000/openai/v1/responses"
        );
        assert_eq!(out.requests()[0].json()["model"], "gpt-4.1-mini");
    }
}
