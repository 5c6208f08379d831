//! MCP result encoding: the `initialize` result, tool descriptors and `CallToolResult`s.

use serde_json::{json, Value};

use super::catalog::{self, McpTool, CATALOG};
use crate::envelope;

pub const SERVER_NAME: &str = "juli-calendar";
pub const SERVER_TITLE: &str = "Juli Calendar (Reclaim.ai tasks + Nylas calendar)";

pub const INSTRUCTIONS: &str = "Manage the user's Reclaim.ai tasks and Nylas calendar events in plain language. \
Use manage_productivity to create/update/complete/delete tasks and create/reschedule/cancel events, \
find_and_analyze to search and analyze workload, check_availability for free/busy questions and free slots, \
optimize_schedule for schedule analysis and proposals (apply_schedule_optimization applies them). Clients with their \
own model can use the explicit tools instead (list_events, list_tasks, find_free_slots, create_task, update_task, \
complete_task, delete_task, create_event, update_event, cancel_event): structured arguments, no language model. Pass user_timezone (IANA), current_date (YYYY-MM-DD) and \
current_time (HH:MM:SS) when known. Credentials travel in X-User-Credential-RECLAIM_API_KEY, \
X-User-Credential-NYLAS_API_KEY and X-User-Credential-NYLAS_GRANT_ID headers. When a result has \
needs_approval, show its preview to the user and, on consent, call the same tool again with the original \
arguments plus approved: true, action_type and action_data exactly as received.";

/// The `initialize` result for a negotiated revision.
pub fn initialize(protocol_version: &str) -> Value {
    json!({
        "protocolVersion": protocol_version,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {
            "name": SERVER_NAME,
            "title": SERVER_TITLE,
            "version": env!("CARGO_PKG_VERSION"),
        },
        "instructions": INSTRUCTIONS,
    })
}

/// One entry of `tools/list`.
pub fn tool_descriptor(tool: &McpTool) -> Value {
    json!({
        "name": tool.name,
        "title": tool.title,
        "description": tool.description(),
        "inputSchema": tool.input_schema(),
        "outputSchema": catalog::output_schema(),
        "annotations": tool.annotations(),
    })
}

/// The `tools/list` result: the whole catalog, no pagination.
pub fn tools_list() -> Value {
    json!({"tools": CATALOG.iter().map(tool_descriptor).collect::<Vec<_>>()})
}

/// A `CallToolResult` for a tool envelope (PRODUCT §5).
///
/// `content` holds a readable sentence and, as the spec recommends for clients that ignore
/// `structuredContent`, the envelope serialized as JSON (a model that only reads `content` can
/// still pass `action_data` back on approval). `isError` follows [`envelope::is_error`]:
/// business errors and bad arguments are tool results, not protocol errors.
pub fn call_tool(envelope: &Value) -> Value {
    let structured = if envelope.is_object() {
        envelope.clone()
    } else {
        json!({"result": envelope})
    };
    json!({
        "content": [
            {"type": "text", "text": envelope::summary_text(&structured)},
            {"type": "text", "text": serde_json::to_string(&structured).unwrap_or_default()},
        ],
        "structuredContent": structured,
        "isError": envelope::is_error(&structured),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place a JSON Schema may hide a `$ref`.
    fn has_ref(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.contains_key("$ref") || m.values().any(has_ref),
            Value::Array(a) => a.iter().any(has_ref),
            _ => false,
        }
    }

    #[test]
    fn tool_schemas_are_plain_objects_without_refs_or_top_level_combinators() {
        for tool in tools_list()["tools"].as_array().unwrap() {
            let schema = &tool["inputSchema"];
            assert_eq!(schema["type"], "object", "{}", tool["name"]);
            assert!(schema["properties"].is_object());
            for k in ["anyOf", "oneOf", "allOf", "not", "$defs", "definitions"] {
                assert!(
                    schema.get(k).is_none(),
                    "{} has top-level {k}",
                    tool["name"]
                );
            }
            assert!(!has_ref(schema), "{} has a $ref", tool["name"]);
            assert!(tool["title"].as_str().is_some_and(|t| !t.is_empty()));
            assert!(tool["description"].as_str().is_some_and(|t| t.len() > 20));
            assert_eq!(tool["outputSchema"]["type"], "object");
        }
    }

    #[test]
    fn annotations_follow_the_issue() {
        let list = tools_list();
        let by_name = |n: &str| {
            list["tools"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["name"] == n)
                .unwrap()["annotations"]
                .clone()
        };
        for n in [
            "find_and_analyze",
            "check_availability",
            "optimize_schedule",
        ] {
            assert_eq!(by_name(n)["readOnlyHint"], true, "{n}");
            assert_eq!(by_name(n)["openWorldHint"], true, "{n}");
        }
        for n in ["manage_productivity", "apply_schedule_optimization"] {
            let a = by_name(n);
            assert_eq!(a["readOnlyHint"], false, "{n}");
            assert_eq!(a["destructiveHint"], true, "{n}");
            assert_eq!(a["idempotentHint"], false, "{n}");
            assert_eq!(a["openWorldHint"], true, "{n}");
        }
    }

    #[test]
    fn call_results_carry_text_structure_and_error_flag() {
        let ok = call_tool(&envelope::success(
            envelope::ProviderTag::Reclaim,
            "created",
            json!({"id": "1"}),
            "Created task 'x'",
        ));
        assert_eq!(ok["isError"], false);
        assert_eq!(ok["content"][0]["type"], "text");
        assert_eq!(ok["content"][0]["text"], "Created task 'x'");
        assert_eq!(ok["structuredContent"]["data"]["id"], "1");
        let err = call_tool(&envelope::business_error(None, "no such task"));
        assert_eq!(err["isError"], true);
        assert_eq!(err["content"][0]["text"], "no such task");
        let setup = call_tool(&envelope::needs_setup(&["RECLAIM_API_KEY"], "connect"));
        assert_eq!(setup["isError"], false);
    }

    #[test]
    fn initialize_advertises_tools_only() {
        let r = initialize("2025-06-18");
        assert_eq!(r["protocolVersion"], "2025-06-18");
        assert_eq!(r["capabilities"], json!({"tools": {"listChanged": false}}));
        assert_eq!(r["serverInfo"]["name"], "juli-calendar");
        assert_eq!(r["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
        assert!(r["instructions"]
            .as_str()
            .unwrap()
            .contains("needs_approval"));
    }
}
