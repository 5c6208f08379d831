//! The `manage_productivity` tool (PRODUCT §4).

use serde_json::{json, Map, Value};

use super::schema::object_schema;
use super::{ToolCall, ToolEnv};
use crate::envelope;

pub fn input_schema() -> Value {
    let mut p = Map::new();
    p.insert(
        "query".into(),
        json!({"type": "string", "description": "The request in natural language."}),
    );
    object_schema(p, &["query"], false)
}

pub async fn run(call: &ToolCall, _env: &ToolEnv<'_>) -> Value {
    envelope::business_error(
        None,
        format!("{} is not implemented yet", call.tool.as_str()),
    )
}
