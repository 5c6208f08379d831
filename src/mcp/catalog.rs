//! The `/mcp` tool catalog: the four natural-language tools plus explicit tools for clients that
//! bring their own model (list events, create event, find free slots, …).
//!
//! An explicit tool is a view of one of the four tools: a fixed set of arguments (e.g.
//! `action: create_event`, which selects the structured path: no model call) plus a subset of
//! that tool's input properties. Properties are picked by name from the underlying schema, so a
//! structured argument added there (recurrence, calendar, scope) shows up here once it exists.
//! Every tool either reads or writes, never both: on `/mcp`, `optimize_schedule` only analyses
//! and `apply_schedule_optimization` applies. The Juli REST listing (`GET /mcp/tools`) is not
//! built from this catalog and stays the four tools.

use serde_json::{json, Map, Value};

use crate::envelope;
use crate::tools::schema::{approval_properties, context_properties};
use crate::tools::ToolName;

/// Most tools `/mcp` may list (the directory guidance of the big MCP clients).
pub const MAX_TOOLS: usize = 15;

/// What a tool does to the user's data; decides its annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads only.
    Read,
    /// Adds something new; calling twice adds twice.
    Create,
    /// Overwrites fields of an existing item; the same call twice leaves the same state.
    Update,
    /// Removes or cancels an existing item.
    Remove,
    /// Any change, decided per call (the natural-language writer, applying suggestions).
    Change,
}

/// Which input properties of the underlying tool a catalog tool offers.
#[derive(Debug, Clone, Copy)]
enum Props {
    /// All of them except these.
    AllExcept(&'static [&'static str]),
    /// Only these (plus the context properties, and the approval ones for writes).
    Only(&'static [&'static str]),
}

/// One tool of the `/mcp` listing.
#[derive(Debug, Clone, Copy)]
pub struct McpTool {
    pub name: &'static str,
    pub title: &'static str,
    description: Option<&'static str>,
    pub base: ToolName,
    /// Arguments this tool always sends (a JSON object), overriding the caller's.
    fixed: &'static str,
    props: Props,
    required: &'static [&'static str],
    pub effect: Effect,
}

const APPROVAL_FIELDS: [&str; 3] = ["approved", "action_type", "action_data"];
const TARGET: &[&str] = &["item_id", "target"];
const TASK_FIELDS: &[&str] = &[
    "title",
    "notes",
    "due",
    "duration_minutes",
    "priority",
    "category",
    "snooze_until",
];
const EVENT_FIELDS: &[&str] = &[
    "title",
    "start",
    "end",
    "duration_minutes",
    "location",
    "description",
    "participants",
    "recurrence",
    "all_day",
    "calendar",
];

const fn natural(base: ToolName, effect: Effect) -> McpTool {
    McpTool {
        name: base.as_str(),
        title: base.title(),
        description: None,
        base,
        fixed: "{}",
        props: Props::AllExcept(&[]),
        required: &[],
        effect,
    }
}

/// The catalog, in listing order.
pub const CATALOG: [McpTool; 15] = [
    natural(ToolName::ManageProductivity, Effect::Change),
    natural(ToolName::FindAndAnalyze, Effect::Read),
    natural(ToolName::CheckAvailability, Effect::Read),
    McpTool {
        description: Some("Analyze the schedule (meeting load, fragmentation, focus time, overloaded days, tasks at risk, priority alignment) and propose concrete changes such as focus blocks in real free slots or new due dates. Read-only: to apply the suggestions, call apply_schedule_optimization."),
        props: Props::AllExcept(&["apply", "approved", "action_type", "action_data"]),
        ..natural(ToolName::OptimizeSchedule, Effect::Read)
    },
    McpTool {
        name: "list_events",
        title: "List calendar events",
        description: Some("List calendar events in a period ('today', 'this week', 'Dec 4 to Dec 8'; default: the next 90 days and the past 30), optionally only those matching keywords or involving a participant. No language model involved."),
        base: ToolName::FindAndAnalyze,
        fixed: r#"{"scope": "events", "mode": "search"}"#,
        props: Props::Only(&["time_range", "keywords", "participant", "calendar"]),
        required: &[],
        effect: Effect::Read,
    },
    McpTool {
        name: "list_tasks",
        title: "List tasks",
        description: Some("List Reclaim.ai tasks, optionally due in a period ('this week', 'overdue'), matching keywords, of a priority or a status (default open). No language model involved."),
        base: ToolName::FindAndAnalyze,
        fixed: r#"{"scope": "tasks", "mode": "search"}"#,
        props: Props::Only(&["time_range", "keywords", "priority", "status"]),
        required: &[],
        effect: Effect::Read,
    },
    McpTool {
        name: "find_free_slots",
        title: "Find free time slots",
        description: Some("Find free slots of a given length in a period (default the next 7 days) within working hours, ranked by the preferred part of the day, never in the past. No language model involved."),
        base: ToolName::CheckAvailability,
        fixed: r#"{"mode": "find_slots"}"#,
        props: Props::Only(&[
            "duration_minutes",
            "range",
            "preference",
            "working_hours_start",
            "working_hours_end",
            "max_slots",
            "buffer_minutes",
            "calendar",
        ]),
        required: &[],
        effect: Effect::Read,
    },
    McpTool {
        name: "create_task",
        title: "Create a task",
        description: Some("Create a Reclaim.ai task with an optional due date, duration, priority and notes. A likely duplicate answers needs_approval first."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "create_task"}"#,
        props: Props::Only(TASK_FIELDS),
        required: &["title"],
        effect: Effect::Create,
    },
    McpTool {
        name: "update_task",
        title: "Update a task",
        description: Some("Change fields of an existing task (by item_id, or found by target): title, notes, due date, duration, priority, category, not-before date."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "update_task"}"#,
        props: Props::Only(&[
            "item_id",
            "target",
            "title",
            "notes",
            "due",
            "due_shift",
            "duration_minutes",
            "priority",
            "category",
            "snooze_until",
        ]),
        required: &[],
        effect: Effect::Update,
    },
    McpTool {
        name: "complete_task",
        title: "Mark a task done",
        description: Some("Mark an existing task (by item_id, or found by target) as done."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "complete_task"}"#,
        props: Props::Only(TARGET),
        required: &[],
        effect: Effect::Update,
    },
    McpTool {
        name: "delete_task",
        title: "Delete a task",
        description: Some("Delete an existing task (by item_id, or found by target). Several matching tasks answer needs_approval first."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "delete_task"}"#,
        props: Props::Only(TARGET),
        required: &[],
        effect: Effect::Remove,
    },
    McpTool {
        name: "create_event",
        title: "Create a calendar event",
        description: Some("Create a calendar event at a given start (phrase or ISO 8601 in the user's zone) with an end or duration, location, description and invitees. Inviting people or overlapping a meeting answers needs_approval first."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "create_event"}"#,
        props: Props::Only(EVENT_FIELDS),
        required: &["title", "start"],
        effect: Effect::Create,
    },
    McpTool {
        name: "update_event",
        title: "Update or reschedule an event",
        description: Some("Reschedule or edit an existing event (by item_id, or found by target): new start/end, title, location, description, invitees. Events with other participants answer needs_approval first."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "update_event"}"#,
        props: Props::Only(&[
            "item_id",
            "target",
            "title",
            "start",
            "end",
            "duration_minutes",
            "location",
            "description",
            "participants",
            "recurrence",
            "all_day",
            "scope",
            "calendar",
        ]),
        required: &[],
        effect: Effect::Update,
    },
    McpTool {
        name: "cancel_event",
        title: "Cancel an event",
        description: Some("Cancel (delete) an existing event (by item_id, or found by target). Events with other participants answer needs_approval first."),
        base: ToolName::ManageProductivity,
        fixed: r#"{"action": "cancel_event"}"#,
        props: Props::Only(&["item_id", "target", "scope", "calendar"]),
        required: &[],
        effect: Effect::Remove,
    },
    McpTool {
        name: "apply_schedule_optimization",
        title: "Apply schedule optimization",
        description: Some("Apply the applicable optimize_schedule suggestions for a period (focus blocks in free slots, new due dates, priorities). Always answers needs_approval listing exactly the writes; nothing changes before approval."),
        base: ToolName::OptimizeSchedule,
        fixed: r#"{"apply": true}"#,
        props: Props::Only(&["range", "optimization_type", "preferences"]),
        required: &[],
        effect: Effect::Change,
    },
];

/// The catalog tool called `name`.
pub fn find(name: &str) -> Option<&'static McpTool> {
    CATALOG.iter().find(|t| t.name == name)
}

impl McpTool {
    pub fn description(&self) -> &'static str {
        self.description.unwrap_or_else(|| self.base.description())
    }

    pub fn is_read_only(&self) -> bool {
        self.effect == Effect::Read
    }

    /// The input schema: the picked properties of the underlying tool, the context properties
    /// and, for writes, the approval properties.
    pub fn input_schema(&self) -> Value {
        let mut schema = self.base.input_schema();
        let base_props = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut props = Map::new();
        match self.props {
            Props::AllExcept(except) => props.extend(
                base_props
                    .into_iter()
                    .filter(|(k, _)| !except.contains(&k.as_str())),
            ),
            Props::Only(names) => {
                for name in names {
                    if let Some(p) = base_props.get(*name) {
                        props.insert(name.to_string(), p.clone());
                    }
                }
                if !self.is_read_only() {
                    props.extend(approval_properties());
                }
                props.extend(context_properties());
            }
        }
        schema["properties"] = Value::Object(props);
        schema["required"] = json!(self.required);
        schema
    }

    /// MCP tool annotations (all four hints spelled out).
    pub fn annotations(&self) -> Value {
        let (destructive, idempotent) = match self.effect {
            Effect::Read => (false, true),
            Effect::Create => (false, false),
            Effect::Update | Effect::Remove => (true, true),
            Effect::Change => (true, false),
        };
        json!({
            "title": self.title,
            "readOnlyHint": self.is_read_only(),
            "destructiveHint": destructive,
            "idempotentHint": idempotent,
            "openWorldHint": true,
        })
    }

    /// The arguments for the underlying tool: the caller's, with the fixed ones on top. `Err`
    /// is a tool-error envelope (a missing required argument, or an approval sent to a tool
    /// that only reads).
    pub fn arguments(&self, mut args: Map<String, Value>) -> Result<Map<String, Value>, Value> {
        let approving = args.get("approved").and_then(Value::as_bool) == Some(true);
        if approving && self.is_read_only() {
            return Err(envelope::business_error(
                None,
                format!(
                    "{} only reads; nothing was changed. To apply an optimization, call apply_schedule_optimization with approved, action_type and action_data.",
                    self.name
                ),
            ));
        }
        if self.is_read_only() {
            for field in APPROVAL_FIELDS.iter().chain(&["apply"]) {
                args.remove(*field);
            }
        }
        let missing: Vec<&str> = self
            .required
            .iter()
            .copied()
            .filter(|k| args.get(*k).is_none_or(Value::is_null))
            .collect();
        if !approving && !missing.is_empty() {
            return Err(envelope::business_error(
                None,
                format!(
                    "Invalid arguments: {} needs {}.",
                    self.name,
                    missing.join(" and ")
                ),
            ));
        }
        let fixed: Map<String, Value> =
            serde_json::from_str(self.fixed).expect("catalog fixed arguments are a JSON object");
        args.extend(fixed);
        Ok(args)
    }
}

/// The output schema of every tool: the result envelope (PRODUCT §5). Tools add fields of
/// their own (`slots`, `available`, `suggestions`, …), so other properties are allowed.
pub fn output_schema() -> Value {
    let s = |d: &str| json!({"type": "string", "description": d});
    let b = |d: &str| json!({"type": "boolean", "description": d});
    json!({
        "type": "object",
        "properties": {
            "success": b("False for errors, setup and clarification answers."),
            "provider": s("reclaim, nylas or both."),
            "action": s("What was done, e.g. created, listed, found_slots."),
            "data": {"description": "The items, slots, metrics or written item."},
            "message": s("A readable one-line summary."),
            "error": s("What went wrong (success false)."),
            "needs_approval": b("True when the operation waits for the user's approval."),
            "action_type": s("The kind of operation waiting for approval."),
            "action_data": {"type": "object", "description": "The signed operation to approve, unchanged."},
            "preview": {"type": "object", "description": "summary, details and risks of the operation waiting for approval."},
            "needs_setup": b("True when credentials are missing or were refused."),
            "missing": {"type": "array", "items": {"type": "string"}, "description": "The missing credentials."},
            "needs_clarification": b("True when the request matched several items."),
            "candidates": {"type": "array", "description": "The items the request could mean."},
        },
        "additionalProperties": true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 2025-11-25 tool-name rules: 1–128 characters of A–Z, a–z, 0–9, `_`, `-`, `.`.
    fn valid_name(name: &str) -> bool {
        (1..=128).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    }

    #[test]
    fn catalog_names_are_valid_unique_and_at_most_fifteen() {
        assert!(CATALOG.len() <= MAX_TOOLS);
        let mut names: Vec<&str> = CATALOG.iter().map(|t| t.name).collect();
        assert!(names.iter().all(|n| valid_name(n)), "{names:?}");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CATALOG.len());
        assert!(!valid_name("list events") && !valid_name(""));
    }

    #[test]
    fn picked_properties_exist_in_the_underlying_schema() {
        let create = find("create_event").unwrap().input_schema();
        let props = create["properties"].as_object().unwrap();
        for k in [
            "title",
            "start",
            "participants",
            "approved",
            "user_timezone",
        ] {
            assert!(props.contains_key(k), "{k}");
        }
        assert!(!props.contains_key("action") && !props.contains_key("query"));
        // The series features of manage_productivity reach the explicit event tools.
        assert!(props.contains_key("recurrence") && props.contains_key("all_day"));
        let update = find("update_event").unwrap().input_schema();
        assert!(update["properties"].get("scope").is_some());
        assert_eq!(create["required"], json!(["title", "start"]));
        let list = find("list_events").unwrap().input_schema();
        assert!(!list["properties"]
            .as_object()
            .unwrap()
            .contains_key("approved"));
        let optimize = find("optimize_schedule").unwrap().input_schema();
        assert!(optimize["properties"].get("apply").is_none());
        assert!(optimize["properties"].get("request").is_some());
    }

    #[test]
    fn fixed_arguments_override_the_callers() {
        let t = find("delete_task").unwrap();
        let args = t
            .arguments(
                json!({"action": "create_task", "item_id": "1"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        assert_eq!(args["action"], "delete_task");
        assert_eq!(args["item_id"], "1");
        let missing = find("create_event")
            .unwrap()
            .arguments(json!({"title": "x"}).as_object().unwrap().clone())
            .unwrap_err();
        assert!(missing["error"].as_str().unwrap().contains("start"));
    }

    #[test]
    fn read_only_tools_refuse_approvals_and_drop_apply() {
        let t = find("optimize_schedule").unwrap();
        let refused = t
            .arguments(json!({"approved": true}).as_object().unwrap().clone())
            .unwrap_err();
        assert_eq!(refused["success"], false);
        let args = t
            .arguments(
                json!({"apply": true, "range": "tomorrow"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        assert!(args.get("apply").is_none());
        assert_eq!(
            find("apply_schedule_optimization")
                .unwrap()
                .arguments(Map::new())
                .unwrap()["apply"],
            true
        );
    }

    #[test]
    fn annotations_match_the_effect() {
        let hints = |n: &str| find(n).unwrap().annotations();
        for n in [
            "list_events",
            "list_tasks",
            "find_free_slots",
            "find_and_analyze",
            "check_availability",
            "optimize_schedule",
        ] {
            assert_eq!(hints(n)["readOnlyHint"], true, "{n}");
            assert_eq!(hints(n)["destructiveHint"], false, "{n}");
        }
        assert_eq!(hints("create_task")["destructiveHint"], false);
        assert_eq!(hints("create_task")["idempotentHint"], false);
        assert_eq!(hints("delete_task")["destructiveHint"], true);
        assert_eq!(hints("delete_task")["idempotentHint"], true);
        assert_eq!(hints("manage_productivity")["destructiveHint"], true);
        assert_eq!(hints("apply_schedule_optimization")["readOnlyHint"], false);
        assert!(CATALOG
            .iter()
            .all(|t| t.annotations()["openWorldHint"] == true));
    }
}
