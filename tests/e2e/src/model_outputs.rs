//! Complete model answers for the scripted fake OpenAI, one per structured-output schema the
//! component sends (`src/interpret/*.rs`). The fake validates every answer against the schema in
//! the request (strict Structured Outputs cannot produce anything else), so each helper lists
//! every field with the empty value a strict model gives fields a request does not concern;
//! the given fields win. This crate compiles the component to wasm and does not link it, so the
//! field lists are written out here (the root suite builds them from the schemas instead).

use serde_json::{json, Value};

/// `manage_productivity_operation`: the given fields (a partial `target` is completed too).
pub fn manage_model(fields: Value) -> Value {
    let mut out = with(
        json!({
            "action": null, "target": null, "title": null, "notes": null, "due": null,
            "due_iso": null, "due_shift": null, "start": null, "start_iso": null, "end": null,
            "end_iso": null, "duration": null, "priority": null, "category": null,
            "snooze_until": null, "snooze_until_iso": null, "location": null, "description": null,
            "participants": [], "implies_others": false, "minutes": null, "recurrence": null,
            "scope": null, "all_day": false, "calendar": null, "clarification": null
        }),
        fields,
    );
    if out["target"].is_object() {
        let target = json!({"title_hint": null, "time_hint": null, "time_hint_iso": null, "all_matching": false});
        out["target"] = with(target, out["target"].take());
    }
    out
}

/// `find_request` (search by default).
pub fn find_model(fields: Value) -> Value {
    with(
        json!({
            "mode": "search", "scope": "both", "time_range": null, "time_range_start_iso": null,
            "time_range_end_iso": null, "keywords": [], "priorities": [], "status": null,
            "participant": null, "calendar": null
        }),
        fields,
    )
}

/// `availability_request` (check_time by default).
pub fn availability_model(fields: Value) -> Value {
    with(
        json!({
            "mode": "check_time", "start": null, "start_iso": null, "range": null,
            "range_start_iso": null, "range_end_iso": null, "duration": null, "preference": null,
            "working_hours_start": null, "working_hours_end": null, "max_slots": null,
            "calendar": null
        }),
        fields,
    )
}

fn with(mut base: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().expect("an object of fields") {
        base[k] = v.clone();
    }
    base
}
