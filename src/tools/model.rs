//! The one model call a natural-language request may make.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ToolCall, ToolEnv};
use crate::envelope;
use crate::interpret::{user_message, ToolRequest};
use crate::model_budget::{self, Spend};
use crate::telemetry::Interpretation;
use crate::upstream::{Clients, StructuredRequest};

/// The request text of a call (`query`, or `request` for optimize_schedule).
pub fn request_text(call: &ToolCall) -> Option<&str> {
    ["query", "request"]
        .iter()
        .find_map(|k| call.args.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Interprets the call's natural-language request with one structured-output call and
/// deserializes the result. Errors are envelopes ready to answer.
pub async fn interpret<T: DeserializeOwned>(
    call: &ToolCall,
    env: &ToolEnv<'_>,
    schema_name: &str,
    schema: Value,
    instructions: &str,
) -> Result<T, Value> {
    let Some(query) = request_text(call) else {
        return Err(envelope::business_error(
            None,
            "Say what you want in 'query' (plain language), or pass 'action' with its fields.",
        ));
    };
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let openai = clients.openai()?;
    // Optional caller preferences travel with the context (both are data, not instructions).
    let context = match (
        call.args.get("context").and_then(Value::as_str),
        call.args.get("preferences").and_then(Value::as_str),
    ) {
        (c, Some(p)) => Some(format!("User preferences: {p}\n{}", c.unwrap_or(""))),
        (c, None) => c.map(str::to_string),
    };
    let context = context.as_deref();
    let now = call.user.now;
    let input = user_message(
        query,
        context,
        &now.format("%Y-%m-%d %H:%M").to_string(),
        &now.format("%A").to_string(),
        call.user.timezone.name(),
    );
    let spent = model_budget::spend(
        env.settings,
        env.ctx.store,
        env.ctx.random,
        &call.credentials,
        env.ctx.clock.now(),
    );
    if let (Some(message), Spend::Exceeded { retry_after, .. }) = (spent.message(), &spent) {
        return Err(envelope::rate_limited(message, *retry_after));
    }
    let mut request = StructuredRequest::new(instructions, input, schema_name, schema);
    request.reasoning_effort = env.settings.reasoning_effort().map(str::to_string);
    request.max_output_tokens = Some(env.settings.max_output_tokens());
    note(
        env,
        Interpretation::model(&env.settings.openai_model, env.settings.reasoning_effort()),
    );
    let response = openai
        .respond_structured(&request)
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    serde_json::from_value(response.value).map_err(|e| {
        envelope::business_error(None, format!("The language model returned an unusable interpretation ({e}); nothing was changed. Try rephrasing."))
    })
}

/// The typed request of a call: from structured arguments when the caller gave them (no model
/// call), else from the deterministic interpreter when it reads the whole request (no model
/// call), else from one model call. Errors are envelopes ready to answer.
pub async fn read_request<R: ToolRequest>(call: &ToolCall, env: &ToolEnv<'_>) -> Result<R, Value> {
    if R::is_structured(&call.args) {
        R::from_arguments(&call.args).map_err(|e| envelope::business_error(None, e))
    } else if let Some(request) = from_rules::<R>(call, env) {
        note(env, Interpretation::rules());
        Ok(request)
    } else {
        interpret::<R>(
            call,
            env,
            R::SCHEMA_NAME,
            R::model_schema(),
            R::INSTRUCTIONS,
        )
        .await
    }
}

/// The rules' reading of the request, unless they are switched off or the caller's
/// preferences (which only the model reads) could change it while a model is available.
fn from_rules<R: ToolRequest>(call: &ToolCall, env: &ToolEnv<'_>) -> Option<R> {
    let preferences = call.args.get("preferences").is_some_and(|p| !p.is_null());
    let model_available = env.settings.openai_api_key.is_some();
    if !env.settings.rules_interpreter || (preferences && model_available) {
        return None;
    }
    let now = crate::interpret::rules::Now {
        at: call.user.now,
        options: crate::domain::time::PhraseOptions {
            date_order: call.user.date_order,
        },
    };
    R::from_rules(request_text(call)?, now)
}

fn note(env: &ToolEnv<'_>, interpretation: Interpretation) {
    if let Some(notes) = env.ctx.outbound.notes() {
        notes.note_interpretation(interpretation);
    }
}
