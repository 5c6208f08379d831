//! The tool result envelopes of PRODUCT §5. Every tool outcome is one of these, sent with HTTP 200.

use serde_json::{json, Map, Value};

/// Which upstream an outcome concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderTag {
    Reclaim,
    Nylas,
    Both,
}

impl ProviderTag {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProviderTag::Reclaim => "reclaim",
            ProviderTag::Nylas => "nylas",
            ProviderTag::Both => "both",
        }
    }
}

/// `{"success":true,"provider","action","data","message"}`.
pub fn success(
    provider: ProviderTag,
    action: &str,
    data: Value,
    message: impl Into<String>,
) -> Value {
    json!({
        "success": true,
        "provider": provider.as_str(),
        "action": action,
        "data": data,
        "message": message.into(),
    })
}

/// `{"success":false,"error","provider"}`.
pub fn business_error(provider: Option<ProviderTag>, error: impl Into<String>) -> Value {
    let mut v = json!({"success": false, "error": error.into()});
    if let Some(p) = provider {
        v["provider"] = json!(p.as_str());
    }
    v
}

/// `{"success":false,"error","rate_limited":true,"retry_after_seconds"}`: the caller's model
/// budget is used up (the REST route answers it with HTTP 429 and `Retry-After`).
pub fn rate_limited(error: impl Into<String>, retry_after_seconds: i64) -> Value {
    json!({
        "success": false,
        "error": error.into(),
        "rate_limited": true,
        "retry_after_seconds": retry_after_seconds,
    })
}

/// The `Retry-After` seconds of a [`rate_limited`] envelope.
pub fn retry_after(envelope: &Value) -> Option<i64> {
    if envelope.get("rate_limited") != Some(&Value::Bool(true)) {
        return None;
    }
    envelope.get("retry_after_seconds").and_then(Value::as_i64)
}

/// `{"needs_setup":true,"missing":[...],"message"}`.
pub fn needs_setup(missing: &[&str], message: impl Into<String>) -> Value {
    json!({
        "needs_setup": true,
        "success": false,
        "missing": missing,
        "message": message.into(),
    })
}

/// `{"needs_approval":true,"action_type","action_data","preview":{"summary","details","risks"}}`.
pub fn needs_approval(
    action_type: &str,
    action_data: Value,
    summary: impl Into<String>,
    details: Value,
    risks: Vec<String>,
) -> Value {
    json!({
        "needs_approval": true,
        "action_type": action_type,
        "action_data": action_data,
        "preview": {"summary": summary.into(), "details": details, "risks": risks},
    })
}

/// `{"success":false,"needs_clarification":true,"candidates":[...],"message"}`.
pub fn needs_clarification(candidates: Vec<Value>, message: impl Into<String>) -> Value {
    json!({
        "success": false,
        "needs_clarification": true,
        "candidates": candidates,
        "message": message.into(),
    })
}

/// Adds top-level fields to an envelope (e.g. `available`, `slots`, `suggestions`).
pub fn with_fields(mut envelope: Value, fields: Map<String, Value>) -> Value {
    if let Some(obj) = envelope.as_object_mut() {
        obj.extend(fields);
    }
    envelope
}

/// True for outcomes that are errors from the caller's point of view (MCP `isError`).
pub fn is_error(envelope: &Value) -> bool {
    envelope.get("success") == Some(&Value::Bool(false))
        && envelope.get("needs_clarification").is_none()
        && envelope.get("needs_setup").is_none()
}

/// A one-line human-readable text for an envelope (MCP `content`, A2A summaries).
pub fn summary_text(envelope: &Value) -> String {
    for key in ["message", "error"] {
        if let Some(s) = envelope.get(key).and_then(Value::as_str) {
            return s.to_string();
        }
    }
    if let Some(s) = envelope.pointer("/preview/summary").and_then(Value::as_str) {
        return format!("Approval needed: {s}");
    }
    "Done.".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_has_the_documented_shape() {
        let e = success(
            ProviderTag::Reclaim,
            "created",
            json!({"id": "1"}),
            "Created task",
        );
        assert_eq!(e["success"], true);
        assert_eq!(e["provider"], "reclaim");
        assert_eq!(e["action"], "created");
        assert_eq!(e["data"]["id"], "1");
        assert_eq!(summary_text(&e), "Created task");
        assert!(!is_error(&e));
    }

    #[test]
    fn errors_and_setup_are_distinguished() {
        assert!(is_error(&business_error(Some(ProviderTag::Nylas), "boom")));
        let s = needs_setup(&["NYLAS_API_KEY"], "connect Nylas");
        assert_eq!(s["needs_setup"], true);
        assert_eq!(s["missing"][0], "NYLAS_API_KEY");
        assert!(!is_error(&s));
    }

    #[test]
    fn approval_preview_is_summarised() {
        let a = needs_approval(
            "bulk_complete",
            json!({}),
            "Complete 3 tasks",
            json!({}),
            vec![],
        );
        assert_eq!(summary_text(&a), "Approval needed: Complete 3 tasks");
    }
}
