//! `FakeOpenAi`: `POST {base}/responses` answered from a script.
//!
//! Each request pops the next [`ScriptedOutput`]. With an empty script the fake answers 500
//! with a message saying so, so an unexpected model call fails a test loudly. The Bearer key
//! must be one of the accepted keys (default [`crate::defaults::OPENAI_KEY`]), else 401 with
//! OpenAI's error shape `{"error":{"message","type","param","code"}}`.

use std::collections::VecDeque;
use std::sync::Mutex;

use http::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::http_util::{json_body, json_response, Call, Response};

/// One scripted answer of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptedOutput {
    /// A completed response whose `output_text` is this value serialized as JSON.
    Output(Value),
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
        if let ScriptedOutput::Output(v) = &next {
            st.outputs.push((request.clone(), v.clone()));
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
            ScriptedOutput::Output(v) => {
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
