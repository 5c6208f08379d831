//! `FakeOpenAi`: `POST {base}/responses` answered from a script.
//!
//! Each request pops the next [`ScriptedOutput`]. With an empty script the fake answers 500
//! with a message saying so, so an unexpected model call fails a test loudly. The Bearer key
//! must be one of the accepted keys (default [`crate::defaults::OPENAI_KEY`]), else 401 with
//! OpenAI's error shape `{"error":{"message","type","param","code"}}`.
//!
//! The fake answers only what strict Structured Outputs can answer (OpenAI, "Structured model
//! outputs", <https://platform.openai.com/docs/guides/structured-outputs>: with `strict: true`
//! the output always adheres to the supplied JSON schema; otherwise the model refuses, or the
//! response is `incomplete` with `incomplete_details.reason`, e.g. `max_output_tokens`). So every
//! request must carry a strict `json_schema` `text.format`, and every scripted
//! [`ScriptedOutput::Output`] is validated against that request's `text.format.schema`
//! ([`crate::strict_output`]). Breaches are kept as [`ContractViolation`]s, which
//! [`crate::FakeUpstreams`] moves into its violations (so a test's contract check fails, naming
//! the schema and the instance path). [`ScriptedOutput::OffSchema`] serves an answer strict mode
//! cannot produce without a violation: only for tests of our parser's robustness.

use std::collections::VecDeque;
use std::sync::Mutex;

use http::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::contract::ContractViolation;
use crate::http_util::{json_body, json_response, Call, Response};
use crate::record::Provider;
use crate::strict_output;

/// One scripted answer of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptedOutput {
    /// A completed response whose `output_text` is this value serialized as JSON. The value
    /// must conform to the request's `text.format.schema` (else a contract violation).
    Output(Value),
    /// Like `Output`, but not validated: what strict mode cannot produce (a missing field, a
    /// value outside an enum, ...). Only for robustness tests of our parser; not kept in
    /// [`FakeOpenAi::served_outputs`].
    OffSchema(Value),
    /// A completed response whose message content is a refusal with this text.
    Refusal(String),
    /// `status: "incomplete"` with `incomplete_details.reason` (e.g. `max_output_tokens`),
    /// and a cut-off output text.
    Incomplete(String),
    /// A completed response whose `output_text` is this raw (invalid JSON) text.
    InvalidJson(String),
    /// An error response with this HTTP status and OpenAI's error shape.
    Status(u16),
}

#[derive(Debug)]
struct State {
    keys: Vec<String>,
    script: VecDeque<ScriptedOutput>,
    served: u64,
    /// (request body, structured output) of every `Output` answer served.
    outputs: Vec<(Value, Value)>,
    /// Requests and answers strict Structured Outputs rule out, not taken yet.
    violations: Vec<ContractViolation>,
}

/// The OpenAI fake. `Send + Sync`.
#[derive(Debug)]
pub struct FakeOpenAi {
    state: Mutex<State>,
}

impl Default for FakeOpenAi {
    fn default() -> Self {
        FakeOpenAi::new()
    }
}

/// OpenAI's error body.
pub fn openai_error(status: u16, message: &str, kind: &str, code: Option<&str>) -> Response {
    json_response(
        status,
        &json!({"error": {"message": message, "type": kind, "param": null, "code": code}}),
    )
}

impl FakeOpenAi {
    pub fn new() -> FakeOpenAi {
        FakeOpenAi {
            state: Mutex::new(State {
                keys: vec![crate::defaults::OPENAI_KEY.to_string()],
                script: VecDeque::new(),
                served: 0,
                outputs: Vec::new(),
                violations: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the accepted API keys.
    pub fn set_api_keys(&self, keys: &[&str]) {
        self.lock().keys = keys.iter().map(|k| k.to_string()).collect();
    }

    /// Appends one scripted answer.
    pub fn push(&self, output: ScriptedOutput) {
        self.lock().script.push_back(output);
    }

    /// Appends a completed answer carrying `value` as the structured output.
    pub fn push_output(&self, value: Value) {
        self.push(ScriptedOutput::Output(value));
    }

    /// Scripted answers not consumed yet.
    pub fn remaining(&self) -> usize {
        self.lock().script.len()
    }

    /// Clears the script (keys are kept).
    pub fn reset(&self) {
        let mut st = self.lock();
        st.script.clear();
        st.served = 0;
        st.outputs.clear();
        st.violations.clear();
    }

    /// Takes the strict-mode breaches recorded so far: requests without a strict json_schema
    /// format and scripted `Output`s that do not conform to the request's schema.
    pub fn take_violations(&self) -> Vec<ContractViolation> {
        std::mem::take(&mut self.lock().violations)
    }

    /// The request body and the structured output of every scripted `Output` served so far
    /// (the harness compares them with the deterministic interpreter's reading).
    pub fn served_outputs(&self) -> Vec<(Value, Value)> {
        self.lock().outputs.clone()
    }

    /// Answers a request whose path is relative to the base URL (`/responses`).
    pub fn handle(&self, call: &Call<'_>) -> Response {
        let mut st = self.lock();
        let key = call.bearer().unwrap_or_default();
        if !st.keys.contains(&key) {
            return openai_error(
                401,
                "Incorrect API key provided.",
                "invalid_request_error",
                Some("invalid_api_key"),
            );
        }
        if call.path.trim_end_matches('/') != "/responses" || call.method != Method::POST {
            return openai_error(
                404,
                &format!("Invalid URL ({} {})", call.method, call.path),
                "invalid_request_error",
                None,
            );
        }
        let request = match json_body(call.body) {
            Ok(v) => v,
            Err(e) => return openai_error(400, &e, "invalid_request_error", None),
        };
        let Some(next) = st.script.pop_front() else {
            return openai_error(
                500,
                "FakeOpenAi: no scripted output left for this request (the test did not expect a model call here)",
                "server_error",
                Some("no_scripted_output"),
            );
        };
        st.served += 1;
        let mut problems = strict_output::format_problems(&request);
        if let ScriptedOutput::Output(v) = &next {
            problems.extend(strict_output::output_problems(&request, v));
            st.outputs.push((request.clone(), v.clone()));
        }
        if !problems.is_empty() {
            st.violations.push(ContractViolation {
                provider: Provider::OpenAi,
                method: call.method.to_string(),
                path: call.path.to_string(),
                problems,
            });
        }
        let id = format!("resp_fake_{:06}", st.served);
        let model = request["model"]
            .as_str()
            .unwrap_or("gpt-5-mini")
            .to_string();
        let input_tokens = (call.body.len() / 4) as u64;
        let message = |content: Value| json!([{"id": format!("msg_fake_{:06}", st.served), "type": "message", "status": "completed", "role": "assistant", "content": [content]}]);
        let text_content =
            |text: &str| json!({"type": "output_text", "text": text, "annotations": []});
        let (status, output, incomplete, text_len) = match next {
            ScriptedOutput::Output(v) | ScriptedOutput::OffSchema(v) => {
                let text = v.to_string();
                let n = text.len();
                ("completed", message(text_content(&text)), None, n)
            }
            ScriptedOutput::InvalidJson(text) => {
                let n = text.len();
                ("completed", message(text_content(&text)), None, n)
            }
            ScriptedOutput::Refusal(text) => {
                let n = text.len();
                (
                    "completed",
                    message(json!({"type": "refusal", "refusal": text})),
                    None,
                    n,
                )
            }
            ScriptedOutput::Incomplete(reason) => (
                "incomplete",
                message(text_content("{\"intent\": \"creat")),
                Some(json!({"reason": reason})),
                16,
            ),
            ScriptedOutput::Status(code) => {
                let (kind, msg) = match code {
                    429 => ("rate_limit_exceeded", "Rate limit reached (scripted)."),
                    400..=499 => ("invalid_request_error", "Scripted client error."),
                    _ => (
                        "server_error",
                        "The server had an error while processing your request (scripted).",
                    ),
                };
                return openai_error(code, msg, kind, None);
            }
        };
        let output_tokens = (text_len / 4).max(1) as u64;
        json_response(
            200,
            &json!({
                "id": id,
                "object": "response",
                "created_at": 1_796_133_600,
                "status": status,
                "error": null,
                "incomplete_details": incomplete,
                "model": model,
                "output": output,
                "parallel_tool_calls": true,
                "text": request.get("text").cloned().unwrap_or(json!({"format": {"type": "text"}})),
                "usage": {
                    "input_tokens": input_tokens,
                    "input_tokens_details": {"cached_tokens": 0},
                    "output_tokens": output_tokens,
                    "output_tokens_details": {"reasoning_tokens": 0},
                    "total_tokens": input_tokens + output_tokens,
                },
            }),
        )
    }
}
