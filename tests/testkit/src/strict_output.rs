//! What OpenAI's strict Structured Outputs guarantee, as checks the OpenAI fake runs on every
//! answer it serves.
//!
//! Source: OpenAI, "Structured model outputs"
//! (<https://platform.openai.com/docs/guides/structured-outputs>, linked from the vendored
//! `openai-openapi.yaml` `text.format` description): with `text.format = {type: "json_schema",
//! name, schema, strict: true}` the model's output always adheres to the supplied schema; the
//! only other outcomes are a refusal (a `refusal` content item instead of `output_text`) or an
//! `incomplete` response (e.g. `incomplete_details.reason = "max_output_tokens"`), whose text
//! may be cut off. Strict mode accepts only schemas whose root is an object (not `anyOf`) and
//! whose every object sets `additionalProperties: false` and lists every property in
//! `required` (optional values are nullable instead); the API rejects other schemas with 400.
//!
//! * [`format_problems`]: the request's format is not such a strict json_schema.
//! * [`output_problems`]: a scripted answer the real service could not produce for that
//!   schema (JSON Schema 2020-12 via the `jsonschema` crate; one compiled validator per distinct
//!   schema, kept for the whole process).
//! * [`fill_empty`]: completes a test's partial answer with the empty values a strict model
//!   gives fields the request does not concern (`null`, `false`, `[]`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

type Compiled = Arc<Result<jsonschema::Validator, String>>;

/// Compiled validators, keyed by the schema's JSON text.
static VALIDATORS: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();

/// The `text.format.name` of a request (`"?"` when absent).
pub fn schema_name(request: &Value) -> &str {
    request["text"]["format"]["name"].as_str().unwrap_or("?")
}

/// Why the request's `text.format` is not a strict json_schema format (empty when it is).
pub fn format_problems(request: &Value) -> Vec<String> {
    let format = &request["text"]["format"];
    let mut problems = Vec::new();
    if format["type"] != "json_schema" {
        problems.push(format!(
            "text.format.type is {}, not \"json_schema\"",
            format["type"]
        ));
        return problems;
    }
    if format["strict"] != true {
        problems.push(format!(
            "text.format.strict is {}, not true",
            format["strict"]
        ));
    }
    if !format["name"].is_string() {
        problems.push("text.format.name is missing".into());
    }
    let schema = &format["schema"];
    if !schema.is_object() {
        problems.push("text.format.schema is not a JSON schema object".into());
        return problems;
    }
    if schema["type"] != "object" || schema.get("anyOf").is_some() {
        problems.push("text.format.schema: the root must be an object schema, not anyOf".into());
    }
    strict_object_rules(schema, "", &mut problems);
    problems
}

/// Strict mode's object rules, for every object schema reachable from `node`.
fn strict_object_rules(node: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(obj) = node.as_object() else {
        if let Some(items) = node.as_array() {
            for (i, item) in items.iter().enumerate() {
                strict_object_rules(item, &format!("{at}/{i}"), problems);
            }
        }
        return;
    };
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        let here = if at.is_empty() { "(root)" } else { at };
        if obj.get("additionalProperties") != Some(&Value::Bool(false)) {
            problems.push(format!(
                "text.format.schema {here}: additionalProperties must be false"
            ));
        }
        let required = obj.get("required").and_then(Value::as_array);
        for name in props.keys() {
            if !required.is_some_and(|r| r.iter().any(|x| x == name.as_str())) {
                problems.push(format!(
                    "text.format.schema {here}: property `{name}` is not in required"
                ));
            }
        }
    }
    for (key, child) in obj {
        if child.is_object() || child.is_array() {
            strict_object_rules(child, &format!("{at}/{key}"), problems);
        }
    }
}

/// Where `output` breaks the request's `text.format.schema` (empty when it conforms), each
/// problem naming the instance path and the schema name.
pub fn output_problems(request: &Value, output: &Value) -> Vec<String> {
    let name = schema_name(request);
    let schema = &request["text"]["format"]["schema"];
    if !schema.is_object() {
        return vec![format!(
            "structured output for `{name}`: the request carries no schema to conform to"
        )];
    }
    match validator(schema).as_ref() {
        Ok(v) => v
            .iter_errors(output)
            .take(20)
            .map(|e| {
                let path = e.instance_path().to_string();
                let path = if path.is_empty() { "/".into() } else { path };
                format!("structured output breaks schema `{name}` at {path}: {e}")
            })
            .collect(),
        Err(e) => vec![format!("schema `{name}` does not compile: {e}")],
    }
}

/// `partial` completed the way a strict model fills fields the request does not concern: every
/// missing property whose schema allows `null` becomes `null`, a missing boolean `false`, a
/// missing array `[]`, also inside nested objects and array items. Properties without such an
/// empty value (a required enum string, an integer) stay missing, so the answer still fails
/// [`output_problems`] until the test gives them.
pub fn fill_empty(schema: &Value, partial: Value) -> Value {
    let schema = object_branch(schema).unwrap_or(schema);
    match partial {
        Value::Object(mut fields) => {
            let props = schema["properties"].as_object();
            for (name, prop) in props.into_iter().flatten() {
                match fields.remove(name) {
                    Some(given) => {
                        fields.insert(name.clone(), fill_empty(prop, given));
                    }
                    None => {
                        if let Some(empty) = empty_value(prop) {
                            fields.insert(name.clone(), empty);
                        }
                    }
                }
            }
            Value::Object(fields)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| fill_empty(&schema["items"], i))
                .collect(),
        ),
        other => other,
    }
}

/// The object schema among `anyOf` branches (`target: anyOf [object, null]`).
fn object_branch(schema: &Value) -> Option<&Value> {
    schema["anyOf"]
        .as_array()?
        .iter()
        .find(|b| b.get("properties").is_some() || b.get("items").is_some())
}

fn empty_value(schema: &Value) -> Option<Value> {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let null_branch = schema["anyOf"]
        .as_array()
        .is_some_and(|bs| bs.iter().any(|b| b["type"] == "null"));
    if types.contains(&"null") || null_branch {
        Some(Value::Null)
    } else if types.contains(&"boolean") {
        Some(Value::Bool(false))
    } else if types.contains(&"array") {
        Some(Value::Array(Vec::new()))
    } else {
        None
    }
}

fn validator(schema: &Value) -> Compiled {
    let key = schema.to_string();
    let cache = VALIDATORS.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return c.clone();
    }
    let built = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(schema)
        .map_err(|e| e.to_string());
    let compiled = Arc::new(built);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, compiled.clone());
    compiled
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(schema: Value) -> Value {
        json!({"model": "gpt-5-mini", "input": "x", "text": {"format": {
            "type": "json_schema", "name": "interpretation", "strict": true, "schema": schema}}})
    }

    fn schema() -> Value {
        json!({"type": "object", "additionalProperties": false, "required": ["mode", "minutes"],
               "properties": {
                   "mode": {"type": "string", "enum": ["search", "workload"]},
                   "minutes": {"type": ["integer", "null"]}}})
    }

    #[test]
    fn a_strict_request_and_an_on_schema_answer_pass() {
        let r = request(schema());
        assert_eq!(format_problems(&r), Vec::<String>::new());
        let ok = json!({"mode": "search", "minutes": null});
        assert_eq!(output_problems(&r, &ok), Vec::<String>::new());
    }

    #[test]
    fn off_schema_answers_name_the_path_and_the_schema() {
        let r = request(schema());
        let bad = json!({"mode": "browse", "minutes": 30, "extra": 1});
        let problems = output_problems(&r, &bad);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`interpretation` at /mode")),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.contains("extra")), "{problems:?}");
        let missing = output_problems(&r, &json!({"mode": "search"}));
        assert!(missing[0].contains("at /:"), "{missing:?}");
        assert!(missing[0].contains("minutes"), "{missing:?}");
    }

    #[test]
    fn fill_empty_completes_only_what_has_an_empty_value() {
        let s = json!({"type": "object", "additionalProperties": false,
            "required": ["mode", "note", "flag", "tags", "target"], "properties": {
                "mode": {"type": "string", "enum": ["a"]},
                "note": {"type": ["string", "null"]},
                "flag": {"type": "boolean"},
                "tags": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                    "required": ["name", "email"], "properties": {
                        "name": {"type": ["string", "null"]}, "email": {"type": ["string", "null"]}}}},
                "target": {"anyOf": [{"type": "object", "additionalProperties": false,
                    "required": ["hint", "all"], "properties": {
                        "hint": {"type": ["string", "null"]}, "all": {"type": "boolean"}}},
                    {"type": "null"}]}}});
        let r = request(s.clone());
        let filled = fill_empty(
            &s,
            json!({"tags": [{"name": "Ana"}], "target": {"hint": "x"}}),
        );
        assert_eq!(
            filled,
            json!({"note": null, "flag": false, "tags": [{"name": "Ana", "email": null}],
                   "target": {"hint": "x", "all": false}})
        );
        assert_eq!(
            output_problems(&r, &filled).len(),
            1,
            "mode has no empty value"
        );
        let with_mode = fill_empty(&s, json!({"mode": "a"}));
        assert_eq!(output_problems(&r, &with_mode), Vec::<String>::new());
        assert_eq!(with_mode["target"], Value::Null);
    }

    #[test]
    fn non_strict_formats_are_named() {
        let mut r = request(schema());
        r["text"]["format"]["strict"] = json!(false);
        assert_eq!(
            format_problems(&r),
            vec!["text.format.strict is false, not true"]
        );
        let text = json!({"text": {"format": {"type": "text"}}});
        assert!(format_problems(&text)[0].contains("not \"json_schema\""));
        let loose = request(json!({"type": "object", "properties": {
            "a": {"type": "object", "properties": {"b": {"type": "string"}}}}}));
        let problems = format_problems(&loose);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("(root): additionalProperties")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("/properties/a: property `b`")),
            "{problems:?}"
        );
    }
}
