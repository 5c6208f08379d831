//! The approval round trip shared by the tools that write: ask (sign the resolved operation)
//! and run an approved one (verify, execute once, remember the result).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use super::{ToolCall, ToolEnv};
use crate::approval::{self, Claim, Execution, Issue};
use crate::envelope;
use crate::kv_sweep;

/// True when the call approves a previous `needs_approval` answer.
pub fn is_approval(call: &ToolCall) -> bool {
    call.args.get("approved").and_then(Value::as_bool) == Some(true)
}

/// Answers `needs_approval` for a fully resolved operation.
pub fn ask<Op: Serialize>(
    call: &ToolCall,
    env: &ToolEnv<'_>,
    action_type: &str,
    operation: &Op,
    summary: impl Into<String>,
    details: Value,
    risks: Vec<String>,
) -> Value {
    let secret = match approval::signing_secret(env.settings, env.ctx.store, env.ctx.random) {
        Ok(s) => s,
        Err(e) => return envelope::business_error(None, e.to_string()),
    };
    let operation = match serde_json::to_value(operation) {
        Ok(v) => v,
        Err(e) => {
            return envelope::business_error(None, format!("Could not prepare the approval: {e}"))
        }
    };
    let action_data = approval::issue(
        &secret,
        env.ctx.random,
        Issue {
            tool: call.tool.as_str(),
            action_type,
            operation,
            subject: approval::subject(&secret, &call.credentials),
            now: env.ctx.clock.now(),
        },
    );
    envelope::needs_approval(action_type, action_data, summary, details, risks)
}

/// Verifies the approval in `call` and runs `execute` on its operation exactly once.
/// A replayed token returns the first result (marked `"replayed": true`) without executing.
pub async fn run_approved<Op, F, Fut>(call: &ToolCall, env: &ToolEnv<'_>, execute: F) -> Value
where
    Op: DeserializeOwned,
    F: FnOnce(Op, String) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let secret = match approval::signing_secret(env.settings, env.ctx.store, env.ctx.random) {
        Ok(s) => s,
        Err(e) => return envelope::business_error(None, e.to_string()),
    };
    let verified = match approval::verify(
        &secret,
        call.args.get("action_data"),
        call.tool.as_str(),
        call.args.get("action_type").and_then(Value::as_str),
        &approval::subject(&secret, &call.credentials),
        env.ctx.clock.now(),
    ) {
        Ok(v) => v,
        Err(e) => return envelope::business_error(None, e.to_string()),
    };
    let op: Op = match serde_json::from_value(verified.operation.clone()) {
        Ok(op) => op,
        Err(_) => return envelope::business_error(None, "The approved operation is not understood by this server version; nothing was executed."),
    };
    match approval::claim(env.ctx.store, &verified) {
        Claim::Claimed => {}
        Claim::Taken(Execution::Done(previous)) => return replayed(previous),
        Claim::Taken(_) => return await_first_result(env, &verified.nonce),
        Claim::Unavailable => return envelope::business_error(
            None,
            "The approval could not be recorded (the key-value store failed); nothing was executed. Try again shortly.",
        ),
    }
    let result = execute(op, verified.action_type.clone()).await;
    // Anything that may have written is recorded, so a replay never writes twice; a run the
    // upstream refused outright (credentials rejected) is released so it can be approved again.
    if result.get("needs_setup").is_some() {
        approval::release(env.ctx.store, &verified.nonce);
    } else {
        approval::record_executed(env.ctx.store, &verified, &result);
    }
    if let Some(store) = env.ctx.store {
        kv_sweep::sweep_if_due(store, env.ctx.clock.now().timestamp());
    }
    result
}

/// How long a concurrent second approval waits for the first one's result.
const AWAIT_POLLS: u32 = 40;
const AWAIT_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// A second approval of a token another request is executing: waits (up to 10 s) for the first
/// result and answers it, never executing again.
fn await_first_result(env: &ToolEnv<'_>, nonce: &str) -> Value {
    for _ in 0..AWAIT_POLLS {
        env.ctx.clock.sleep(AWAIT_POLL_INTERVAL);
        match approval::execution(env.ctx.store, nonce) {
            Execution::Done(previous) => return replayed(previous),
            Execution::InProgress => continue,
            Execution::Fresh => break,
        }
    }
    envelope::business_error(
        None,
        "This approval is already being executed by another request; nothing was done again.",
    )
}

/// The first result of an approval, answered to a replay.
fn replayed(mut previous: Value) -> Value {
    previous["replayed"] = json!(true);
    if let Some(m) = previous.get("message").and_then(Value::as_str) {
        previous["message"] = json!(format!(
            "{m} (This approval was already executed; nothing was done again.)"
        ));
    }
    previous
}
