//! Contract checks of outbound requests against the vendored OpenAPI documents (`tests/specs/`).
//!
//! A [`ContractValidator`] loads one document once (process-wide, in a `OnceLock`) and checks a
//! request: an operation exists for method + path template (the document's server base path,
//! e.g. OpenAI's `/v1`, is stripped first), required path/query/header parameters are present
//! and well-typed (`Authorization` is the security scheme's business and ignored), unknown
//! query parameters are reported, and the JSON body validates against the operation's
//! `requestBody` schema with `$ref`s resolved (JSON Schema 2020-12 via the `jsonschema` crate;
//! OpenAPI 3.0 `nullable` and boolean `exclusiveMinimum/Maximum` are rewritten first).
//!
//! Known defects of the published documents are corrected explicitly and documented here:
//! * Reclaim (Micronaut-generated): request bodies reuse the full `Task` model whose `required`
//!   list names server-populated fields (`id`, `created`, ...); Reclaim accepts partial bodies,
//!   so `required` is not enforced in Reclaim request bodies (types and enums still are).
//!   The `user` query parameter is marked required but is injected server-side from the
//!   token; it is ignored. `EventCategory` is generated as an object (`Colorized`) but the
//!   API takes and returns the strings `WORK` / `PERSONAL`; it is patched to that enum.
//! * Nylas: `GET /v3/grants/{grant_id}` (grant info) belongs to the Administration API, not to
//!   this document; it is accepted as a known extra operation (no parameter or body checks).
//!   `GET .../events` lacks the documented `expand_recurring` boolean (nylas-nodejs
//!   `ListEventQueryParams.expandRecurring`, Nylas recurring-events guide); it is added.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::record::Provider;

/// Requests that broke the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractViolation {
    pub provider: Provider,
    pub method: String,
    pub path: String,
    pub problems: Vec<String>,
}

impl std::fmt::Display for ContractViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] {} {}: {}",
            self.provider.as_str(),
            self.method,
            self.path,
            self.problems.join("; ")
        )
    }
}

/// Corrections and allowances for one document.
#[derive(Debug, Clone, Default)]
pub struct SpecOptions {
    /// Parameters (any location) never checked.
    pub ignored_params: Vec<String>,
    /// Do not enforce `required` inside request body schemas.
    pub relax_required_in_bodies: bool,
    /// `(json pointer, replacement)` applied after loading.
    pub patches: Vec<(String, Value)>,
    /// `(METHOD, path template)` accepted although the document lacks them.
    pub extra_operations: Vec<(String, String)>,
    /// `(json pointer to a parameters array, parameter object)` appended after loading:
    /// documented parameters the published document lacks.
    pub added_params: Vec<(String, Value)>,
}

#[derive(Debug, Clone)]
struct Operation {
    method: String,
    template: String,
    segments: Vec<Segment>,
    /// JSON pointer to the path item (parameters may sit there too).
    path_item: String,
    extra: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Param(String),
}

/// An operation whose template matches a path: (operation, literal segments, path params).
type PathMatch<'a> = (&'a Operation, usize, Vec<(String, String)>);

type Compiled = Arc<Result<jsonschema::Validator, String>>;

/// One loaded OpenAPI document, ready to check requests.
pub struct ContractValidator {
    name: String,
    doc: Value,
    server_path: String,
    operations: Vec<Operation>,
    options: SpecOptions,
    compiled: Mutex<HashMap<String, Compiled>>,
    load_time: Duration,
}

impl std::fmt::Debug for ContractValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContractValidator")
            .field("name", &self.name)
            .field("operations", &self.operations.len())
            .field("server_path", &self.server_path)
            .field("load_time", &self.load_time)
            .finish()
    }
}

/// `tests/specs/` of the repository.
pub fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("specs")
}

pub const RECLAIM_SPEC: &str = "reclaim-openapi.yml";
pub const NYLAS_SPEC: &str = "nylas-v3-email-calendar.yaml";
pub const OPENAI_SPEC: &str = "openai-openapi.yaml";

static RECLAIM: OnceLock<ContractValidator> = OnceLock::new();
static NYLAS: OnceLock<ContractValidator> = OnceLock::new();
static OPENAI: OnceLock<ContractValidator> = OnceLock::new();

impl ContractValidator {
    /// The Reclaim document, loaded once per process.
    pub fn reclaim() -> &'static ContractValidator {
        RECLAIM.get_or_init(|| {
            ContractValidator::load_file(
                "reclaim",
                specs_dir().join(RECLAIM_SPEC),
                SpecOptions {
                    ignored_params: vec!["user".into()],
                    relax_required_in_bodies: true,
                    patches: vec![(
                        "/components/schemas/EventCategory".into(),
                        json!({"type": "string", "enum": ["WORK", "PERSONAL"]}),
                    )],
                    extra_operations: vec![],
                    added_params: vec![],
                },
            )
            .unwrap_or_else(|e| panic!("loading the Reclaim spec: {e}"))
        })
    }

    /// The Nylas v3 document, loaded once per process.
    pub fn nylas() -> &'static ContractValidator {
        NYLAS.get_or_init(|| {
            ContractValidator::load_file(
                "nylas",
                specs_dir().join(NYLAS_SPEC),
                SpecOptions {
                    extra_operations: vec![("GET".into(), "/v3/grants/{grant_id}".into())],
                    added_params: vec![(
                        "/paths/~1v3~1grants~1{grant_id}~1events/get/parameters".into(),
                        json!({"name": "expand_recurring", "in": "query", "required": false,
                               "schema": {"type": "boolean", "default": false}}),
                    )],
                    ..SpecOptions::default()
                },
            )
            .unwrap_or_else(|e| panic!("loading the Nylas spec: {e}"))
        })
    }

    /// The OpenAI document (3 MB), loaded once per process.
    pub fn openai() -> &'static ContractValidator {
        OPENAI.get_or_init(|| {
            ContractValidator::load_file(
                "openai",
                specs_dir().join(OPENAI_SPEC),
                SpecOptions::default(),
            )
            .unwrap_or_else(|e| panic!("loading the OpenAI spec: {e}"))
        })
    }

    /// The validator of a provider (`None` for `Unknown`).
    pub fn for_provider(p: Provider) -> Option<&'static ContractValidator> {
        match p {
            Provider::Reclaim => Some(Self::reclaim()),
            Provider::Nylas => Some(Self::nylas()),
            Provider::OpenAi => Some(Self::openai()),
            Provider::Unknown => None,
        }
    }

    /// Loads a YAML or JSON OpenAPI document from a file.
    pub fn load_file(
        name: &str,
        path: PathBuf,
        options: SpecOptions,
    ) -> Result<ContractValidator, String> {
        let started = Instant::now();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut v = Self::from_text(name, &text, options)?;
        v.load_time = started.elapsed();
        Ok(v)
    }

    /// Builds a validator from the text of a YAML (or JSON) OpenAPI document.
    pub fn from_text(
        name: &str,
        text: &str,
        options: SpecOptions,
    ) -> Result<ContractValidator, String> {
        let started = Instant::now();
        let text = widen_huge_integers(text);
        let yaml: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(&text).map_err(|e| format!("{name}: invalid YAML: {e}"))?;
        let mut doc = yaml_to_json(yaml);
        for (pointer, replacement) in &options.patches {
            match doc.pointer_mut(pointer) {
                Some(slot) => *slot = replacement.clone(),
                None => return Err(format!("{name}: patch target {pointer} does not exist")),
            }
        }
        for (pointer, param) in &options.added_params {
            match doc.pointer_mut(pointer).and_then(Value::as_array_mut) {
                Some(list) => list.push(param.clone()),
                None => return Err(format!("{name}: parameter list {pointer} does not exist")),
            }
        }
        normalize_openapi30(&mut doc);
        let server_path = doc["servers"][0]["url"]
            .as_str()
            .and_then(|u| url::Url::parse(u).ok())
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        let mut operations = Vec::new();
        if let Some(paths) = doc["paths"].as_object() {
            for (template, item) in paths {
                let Some(item) = item.as_object() else {
                    continue;
                };
                for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
                    if item.contains_key(method) {
                        operations.push(Operation {
                            method: method.to_ascii_uppercase(),
                            template: template.clone(),
                            segments: parse_template(template),
                            path_item: format!("/paths/{}", escape_pointer(template)),
                            extra: false,
                        });
                    }
                }
            }
        }
        for (method, template) in &options.extra_operations {
            operations.push(Operation {
                method: method.to_ascii_uppercase(),
                template: template.clone(),
                segments: parse_template(template),
                path_item: String::new(),
                extra: true,
            });
        }
        Ok(ContractValidator {
            name: name.to_string(),
            doc,
            server_path,
            operations,
            options,
            compiled: Mutex::new(HashMap::new()),
            load_time: started.elapsed(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// How long reading, parsing and indexing the document took.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// Number of operations indexed (extras included).
    pub fn operation_count(&self) -> usize {
        self.operations.len()
    }

    /// The document's server base path (`/v1` for OpenAI, empty for Nylas and Reclaim).
    pub fn server_path(&self) -> &str {
        &self.server_path
    }

    /// Checks a request; an empty list means it honours the contract.
    pub fn validate_request(&self, request: &http::Request<Vec<u8>>) -> Vec<String> {
        let query = crate::http_util::query_pairs(request.uri());
        self.validate(
            request.method().as_str(),
            request.uri().path(),
            &query,
            request.headers(),
            request.body(),
        )
    }

    /// Checks a request given by parts. `path` is the URL path as sent (the server base path
    /// is stripped when present).
    pub fn validate(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Vec<String> {
        let method = method.to_ascii_uppercase();
        let path = if !self.server_path.is_empty() && path.starts_with(&self.server_path) {
            &path[self.server_path.len()..]
        } else {
            path
        };
        let segs = crate::http_util::segments(path);
        let mut path_matches: Vec<PathMatch<'_>> = Vec::new();
        for op in &self.operations {
            if let Some((literal, params)) = match_template(&op.segments, &segs) {
                path_matches.push((op, literal, params));
            }
        }
        if path_matches.is_empty() {
            return vec![format!(
                "no operation in the {} spec matches path {path}",
                self.name
            )];
        }
        let Some((op, _, path_params)) = path_matches
            .iter()
            .filter(|(op, _, _)| op.method == method)
            .max_by_key(|(_, literal, _)| *literal)
            .cloned()
        else {
            let allowed: BTreeSet<&str> = path_matches
                .iter()
                .map(|(o, _, _)| o.method.as_str())
                .collect();
            return vec![format!(
                "method {method} is not defined for {path} in the {} spec (defined: {})",
                self.name,
                allowed.into_iter().collect::<Vec<_>>().join(", ")
            )];
        };
        if op.extra {
            return vec![];
        }
        let op_pointer = format!("{}/{}", op.path_item, method.to_ascii_lowercase());
        let mut problems = Vec::new();
        self.check_params(op, &op_pointer, &path_params, query, headers, &mut problems);
        self.check_body(op, &op_pointer, body, &mut problems);
        problems
            .into_iter()
            .map(|p| format!("{method} {}: {p}", op.template))
            .collect()
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        let mut cur = v;
        for _ in 0..16 {
            match cur.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with('#') => match self.doc.pointer(&r[1..]) {
                    Some(t) => cur = t,
                    None => return cur,
                },
                _ => return cur,
            }
        }
        cur
    }

    fn parameters(&self, op_pointer: &str, path_item: &str) -> Vec<Value> {
        let mut by_key: Vec<((String, String), Value)> = Vec::new();
        for ptr in [
            format!("{path_item}/parameters"),
            format!("{op_pointer}/parameters"),
        ] {
            if let Some(list) = self.doc.pointer(&ptr).and_then(Value::as_array) {
                for p in list {
                    let p = self.resolve(p).clone();
                    let key = (
                        p["name"].as_str().unwrap_or("").to_string(),
                        p["in"].as_str().unwrap_or("").to_string(),
                    );
                    by_key.retain(|(k, _)| *k != key);
                    by_key.push((key, p));
                }
            }
        }
        by_key.into_iter().map(|(_, p)| p).collect()
    }

    fn check_params(
        &self,
        op: &Operation,
        op_pointer: &str,
        path_params: &[(String, String)],
        query: &[(String, String)],
        headers: &http::HeaderMap,
        problems: &mut Vec<String>,
    ) {
        let params = self.parameters(op_pointer, &op.path_item);
        let ignored = |name: &str| self.options.ignored_params.iter().any(|i| i == name);
        let mut known_query = BTreeSet::new();
        for p in &params {
            let name = p["name"].as_str().unwrap_or("");
            let location = p["in"].as_str().unwrap_or("");
            let required = p["required"].as_bool().unwrap_or(false) || location == "path";
            let schema = self.resolve(&p["schema"]).clone();
            if location == "query" {
                known_query.insert(name.to_string());
            }
            if ignored(name) {
                continue;
            }
            let values: Vec<String> = match location {
                "path" => path_params
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                "query" => query
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                "header" => {
                    if matches!(
                        name.to_ascii_lowercase().as_str(),
                        "authorization" | "content-type" | "accept"
                    ) {
                        continue;
                    }
                    headers
                        .get_all(name)
                        .iter()
                        .filter_map(|v| v.to_str().ok().map(str::to_string))
                        .collect()
                }
                _ => continue,
            };
            if values.is_empty() {
                if required {
                    problems.push(format!("required {location} parameter '{name}' is missing"));
                }
                continue;
            }
            for v in &values {
                if let Some(p) = check_scalar(&schema, v, &|s| self.resolve(s).clone()) {
                    problems.push(format!("{location} parameter '{name}'={v:?}: {p}"));
                }
            }
        }
        let mut reported = BTreeSet::new();
        for (k, _) in query {
            if !known_query.contains(k) && !ignored(k) && reported.insert(k.clone()) {
                problems.push(format!("unknown query parameter '{k}'"));
            }
        }
    }

    fn check_body(
        &self,
        op: &Operation,
        op_pointer: &str,
        body: &[u8],
        problems: &mut Vec<String>,
    ) {
        let empty = body.iter().all(u8::is_ascii_whitespace);
        let Some(rb) = self.doc.pointer(&format!("{op_pointer}/requestBody")) else {
            if !empty {
                problems.push("a body was sent but the operation defines no requestBody".into());
            }
            return;
        };
        let rb = self.resolve(rb);
        if empty {
            if rb["required"].as_bool().unwrap_or(false) {
                problems.push("the request body is required but empty".into());
            }
            return;
        }
        let content = rb["content"].as_object();
        let Some(media) = content.and_then(|c| {
            c.get("application/json")
                .or_else(|| c.iter().find(|(k, _)| k.contains("json")).map(|(_, v)| v))
        }) else {
            return;
        };
        let instance: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("the body is not valid JSON: {e}"));
                return;
            }
        };
        let _ = op;
        let key = format!("{op_pointer}/requestBody");
        let compiled = self.compiled_schema(&key, &media["schema"]);
        match compiled.as_ref() {
            Ok(validator) => {
                for e in validator.iter_errors(&instance).take(20) {
                    let at = e.instance_path().to_string();
                    let at = if at.is_empty() { "/".to_string() } else { at };
                    let mut msg = e.to_string();
                    if msg.len() > 300 {
                        let mut cut = 300;
                        while !msg.is_char_boundary(cut) {
                            cut -= 1;
                        }
                        msg.truncate(cut);
                        msg.push('…');
                    }
                    problems.push(format!("body at {at}: {msg}"));
                }
            }
            Err(e) => problems.push(format!("(validator) cannot compile the body schema: {e}")),
        }
    }

    fn compiled_schema(&self, key: &str, schema: &Value) -> Compiled {
        if let Some(c) = self
            .compiled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
        {
            return c.clone();
        }
        let mut root = self.bundle(schema);
        if self.options.relax_required_in_bodies {
            strip_required(&mut root);
        }
        let built = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .map_err(|e| e.to_string());
        let c = Arc::new(built);
        self.compiled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string(), c.clone());
        c
    }

    /// The schema plus every document fragment it reaches through local `$ref`s, placed at
    /// the same JSON pointers so the references resolve against the bundle's root.
    fn bundle(&self, schema: &Value) -> Value {
        let mut root = match schema {
            Value::Object(_) => schema.clone(),
            other => json!({"allOf": [other]}),
        };
        let mut seen = BTreeSet::new();
        let mut pending = Vec::new();
        collect_refs(schema, &mut pending);
        while let Some(pointer) = pending.pop() {
            if !seen.insert(pointer.clone()) {
                continue;
            }
            let Some(target) = self.doc.pointer(&pointer) else {
                continue;
            };
            collect_refs(target, &mut pending);
            insert_at(&mut root, &pointer, target.clone());
        }
        root
    }
}

fn parse_template(t: &str) -> Vec<Segment> {
    crate::http_util::segments(t)
        .into_iter()
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param(s[1..s.len() - 1].to_string())
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

/// Matches path segments; returns (number of literal segments, path parameter values).
fn match_template(template: &[Segment], segs: &[&str]) -> Option<(usize, Vec<(String, String)>)> {
    if template.len() != segs.len() {
        return None;
    }
    let mut literal = 0;
    let mut params = Vec::new();
    for (t, s) in template.iter().zip(segs) {
        match t {
            Segment::Literal(l) if l == s => literal += 1,
            Segment::Literal(_) => return None,
            Segment::Param(name) => {
                let decoded = url::form_urlencoded::parse(format!("v={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_else(|| s.to_string());
                params.push((name.clone(), decoded));
            }
        }
    }
    Some((literal, params))
}

fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                if let Some(p) = r.strip_prefix('#') {
                    out.push(p.to_string());
                }
            }
            for x in m.values() {
                collect_refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

fn insert_at(root: &mut Value, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape_pointer).collect();
    let mut cur = root;
    for (i, t) in tokens.iter().enumerate() {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let obj = cur.as_object_mut().expect("made an object above");
        if i == tokens.len() - 1 {
            obj.insert(t.clone(), value);
            return;
        }
        cur = obj
            .entry(t.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

fn strip_required(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("required").is_some_and(Value::is_array) {
                m.remove("required");
            }
            m.values_mut().for_each(strip_required);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_required),
        _ => {}
    }
}

/// Rewrites OpenAPI 3.0 schema dialect into JSON Schema 2020-12: `nullable: true` becomes a
/// `null` type (or an `anyOf` with `{"type":"null"}` for `$ref`/`allOf` schemas) and boolean
/// `exclusiveMinimum`/`exclusiveMaximum` become numeric.
pub fn normalize_openapi30(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for x in m.values_mut() {
                normalize_openapi30(x);
            }
            for (flag, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(Value::Bool(b)) = m.get(flag).cloned() {
                    m.remove(flag);
                    if b {
                        if let Some(n) = m.remove(bound) {
                            m.insert(flag.to_string(), n);
                        }
                    }
                }
            }
            if let Some(Value::Bool(nullable)) = m.get("nullable").cloned() {
                m.remove("nullable");
                if nullable {
                    match m.get("type").cloned() {
                        Some(Value::String(t)) => {
                            m.insert("type".into(), json!([t, "null"]));
                            if let Some(Value::Array(e)) = m.get_mut("enum") {
                                if !e.contains(&Value::Null) {
                                    e.push(Value::Null);
                                }
                            }
                        }
                        Some(Value::Array(mut ts)) => {
                            if !ts.contains(&json!("null")) {
                                ts.push(json!("null"));
                            }
                            m.insert("type".into(), Value::Array(ts));
                        }
                        _ => {
                            let inner = Value::Object(std::mem::take(m));
                            m.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                        }
                    }
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_openapi30),
        _ => {}
    }
}

/// Checks a parameter's text value against a simple schema; `Some(problem)` when it fails.
fn check_scalar(schema: &Value, value: &str, resolve: &dyn Fn(&Value) -> Value) -> Option<String> {
    let schema = resolve(schema);
    let schema = match schema.get("anyOf").or_else(|| schema.get("allOf")) {
        Some(Value::Array(alts)) => alts
            .iter()
            .map(resolve)
            .find(|s| s["type"] != json!("null"))
            .unwrap_or(schema.clone()),
        _ => schema,
    };
    let ty = match &schema["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string")
            .to_string(),
        _ => String::new(),
    };
    match ty.as_str() {
        "integer" => match value.parse::<i64>() {
            Err(_) => return Some("not an integer".into()),
            Ok(n) => {
                if let Some(max) = schema["maximum"].as_f64() {
                    if n as f64 > max {
                        return Some(format!("exceeds the maximum {max}"));
                    }
                }
                if let Some(min) = schema["minimum"].as_f64() {
                    if (n as f64) < min {
                        return Some(format!("below the minimum {min}"));
                    }
                }
            }
        },
        "number" if value.parse::<f64>().is_err() => return Some("not a number".into()),
        "boolean" if value != "true" && value != "false" => {
            return Some("not a boolean (true/false)".into())
        }
        "array" => {
            for item in value.split(',') {
                if let Some(p) = check_scalar(&schema["items"], item.trim(), resolve) {
                    return Some(format!("item {item:?}: {p}"));
                }
            }
            return None;
        }
        _ => {}
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.iter().any(|a| a.as_str() == Some(value)) && !allowed.is_empty() {
            return Some(format!(
                "not one of {}",
                allowed
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    None
}

/// The YAML parser rejects integers outside i64 (OpenAI's `seed.minimum` is
/// -9223372036854776000); such plain scalars are rewritten as floats (`...0.0`).
fn widen_huge_integers(text: &str) -> std::borrow::Cow<'_, str> {
    let is_huge = |v: &str| {
        let digits = v.strip_prefix('-').unwrap_or(v);
        digits.len() >= 19 && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let needs = text.lines().any(|l| {
        l.rsplit_once(": ")
            .is_some_and(|(_, v)| is_huge(v.trim_end()))
    });
    if !needs {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        match body.rsplit_once(": ") {
            Some((k, v)) if is_huge(v.trim_end()) => {
                out.push_str(k);
                out.push_str(": ");
                out.push_str(v.trim_end());
                out.push_str(".0");
                out.push_str(&line[body.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn yaml_to_json(v: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(s) => Value::Array(s.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        Y::Null => "null".into(),
                        other => serde_yaml_ng::to_string(&other).unwrap_or_default(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => yaml_to_json(t.value),
    }
}
