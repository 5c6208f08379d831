//! Building blocks for the tools' JSON input schemas.

use serde_json::{json, Map, Value};

/// The context properties Juli injects, marked with `x-context-injection`.
pub fn context_properties() -> Map<String, Value> {
    let mut m = Map::new();
    for (name, description) in [
        (
            "user_timezone",
            "The user's IANA time zone, e.g. America/New_York (injected by Juli).",
        ),
        (
            "current_date",
            "Today's date in the user's zone, YYYY-MM-DD (injected by Juli).",
        ),
        (
            "current_time",
            "The current time in the user's zone, HH:MM:SS (injected by Juli).",
        ),
        ("user_name", "The user's name (injected by Juli)."),
        ("user_email", "The user's email address (injected by Juli)."),
    ] {
        m.insert(
            name.into(),
            json!({"type": "string", "description": description, "x-context-injection": name}),
        );
    }
    m
}

/// The approval round-trip properties shared by the tools that write.
pub fn approval_properties() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("approved".into(), json!({"type": "boolean", "description": "Set to true, with action_type and action_data exactly as received, to execute an operation that answered needs_approval."}));
    m.insert("action_type".into(), json!({"type": "string", "description": "The action_type of the needs_approval answer being approved."}));
    m.insert("action_data".into(), json!({"type": "object", "description": "The signed action_data of the needs_approval answer, exactly as received."}));
    m
}

/// An object schema from tool-specific properties plus the context (and optionally approval)
/// properties. No `$ref`, no top-level combinators.
pub fn object_schema(
    properties: Map<String, Value>,
    required: &[&str],
    with_approval: bool,
) -> Value {
    let mut props = properties;
    if with_approval {
        props.extend(approval_properties());
    }
    props.extend(context_properties());
    props.insert("date_order".into(), json!({"type": "string", "enum": ["mdy", "dmy"], "description": "How all-numeric dates such as 3/4 are read: mdy = March 4 (default), dmy = 3 April."}));
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": true,
    })
}
