//! `FakeReclaim`: Reclaim.ai accounts (keyed by API key) with their user and tasks.
//!
//! Behaviour, following `specs/reclaim-openapi.yml` and the real service:
//! * `Authorization: Bearer <api key>`; an unknown key answers 401 with Reclaim's
//!   (Micronaut) error body `{"message","_links":{"self":{"href"}},"_embedded":{"errors":[{"message"}]}}`.
//! * Task ids are numeric and unique across accounts; another account's task is a 404.
//! * `GET /api/tasks` lists the account's tasks that are not deleted, optionally filtered by
//!   `status` (repeated or comma-separated), `priority` and `id`. ARCHIVED tasks are listed.
//! * `DELETE /api/tasks/{id}` is a soft delete (`deleted: true`): hidden from the list, still
//!   readable by id; further writes answer 404.
//! * `POST /api/planner/done/task/{id}` sets `status: ARCHIVED` and `finished` (Reclaim archives
//!   a task marked done). `add-time?minutes=N` adds `ceil(N/15)` chunks (and reopens a
//!   COMPLETE/ARCHIVED task); `log-work?minutes=N` (default 15) moves chunks from remaining to
//!   spent, and a task with nothing remaining becomes COMPLETE ("all scheduled time used").
//! * Planner actions answer `PlannerActionIntermediateResult` (`{events:[], taskOrHabit, ...}`).
//! * Dates are stored as RFC 3339 UTC with milliseconds (`2026-12-04T22:00:00.000Z`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use http::Method;
use serde_json::{json, Map, Value};

use crate::http_util::{json_body, json_response, segments, Call, Response};

const PRIORITIES: [&str; 6] = ["P1", "P2", "P3", "P4", "PRIORITIZE", "DEFAULT"];
const STATUSES: [&str; 6] = [
    "NEW",
    "SCHEDULED",
    "IN_PROGRESS",
    "COMPLETE",
    "CANCELLED",
    "ARCHIVED",
];
const DATE_FIELDS: [&str; 5] = ["due", "snoozeUntil", "created", "updated", "finished"];

/// A task to seed, with sensible defaults (60 min, P3, WORK, NEW, no due date).
#[derive(Debug, Clone, Default)]
pub struct TaskSeed {
    fields: Map<String, Value>,
}

impl TaskSeed {
    pub fn new(title: &str) -> TaskSeed {
        let mut fields = Map::new();
        fields.insert("title".into(), json!(title));
        TaskSeed { fields }
    }
    /// Explicit id (otherwise the next free id).
    pub fn id(self, id: i64) -> Self {
        self.with("id", json!(id))
    }
    /// Due instant, RFC 3339 (any offset; stored as UTC).
    pub fn due(self, rfc3339: &str) -> Self {
        self.with("due", json!(rfc3339))
    }
    pub fn due_at(self, at: DateTime<Utc>) -> Self {
        self.with("due", json!(fmt_time(at)))
    }
    pub fn priority(self, p: &str) -> Self {
        self.with("priority", json!(p))
    }
    pub fn status(self, s: &str) -> Self {
        self.with("status", json!(s))
    }
    pub fn notes(self, n: &str) -> Self {
        self.with("notes", json!(n))
    }
    pub fn category(self, c: &str) -> Self {
        self.with("eventCategory", json!(c))
    }
    /// Total duration; sets `timeChunksRequired = ceil(minutes / 15)`.
    pub fn minutes(self, minutes: u32) -> Self {
        self.with("timeChunksRequired", json!(minutes.div_ceil(15)))
    }
    /// Time already spent; sets `timeChunksSpent = ceil(minutes / 15)`.
    pub fn spent_minutes(self, minutes: u32) -> Self {
        self.with("timeChunksSpent", json!(minutes.div_ceil(15)))
    }
    pub fn snooze_until(self, rfc3339: &str) -> Self {
        self.with("snoozeUntil", json!(rfc3339))
    }
    pub fn deleted(self, deleted: bool) -> Self {
        self.with("deleted", json!(deleted))
    }
    /// Any other field, in Reclaim's camelCase.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.fields.insert(key.to_string(), value);
        self
    }
    pub fn into_json(self) -> Value {
        Value::Object(self.fields)
    }
    /// A seed from raw task JSON (camelCase fields; `title` required by the fake).
    pub fn from_json(v: &Value) -> TaskSeed {
        TaskSeed {
            fields: v.as_object().cloned().unwrap_or_default(),
        }
    }
}

impl From<&str> for TaskSeed {
    fn from(title: &str) -> Self {
        TaskSeed::new(title)
    }
}

#[derive(Debug, Clone)]
struct Account {
    user: Value,
}

#[derive(Debug)]
struct State {
    accounts: BTreeMap<String, Account>,
    /// task id → (owning api key, task)
    tasks: BTreeMap<i64, (String, Value)>,
    next_id: i64,
    now: DateTime<Utc>,
}

/// The Reclaim fake. `Send + Sync`.
#[derive(Debug)]
pub struct FakeReclaim {
    state: Mutex<State>,
}

impl Default for FakeReclaim {
    fn default() -> Self {
        FakeReclaim::new()
    }
}

pub(crate) fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn error(status: u16, message: &str, path: &str) -> Response {
    json_response(
        status,
        &json!({
            "message": message,
            "_links": {"self": {"href": path, "templated": false}},
            "_embedded": {"errors": [{"message": message}]},
        }),
    )
}

impl FakeReclaim {
    pub fn new() -> FakeReclaim {
        FakeReclaim {
            state: Mutex::new(State {
                accounts: BTreeMap::new(),
                tasks: BTreeMap::new(),
                next_id: 1001,
                now: crate::defaults::NOW_RFC3339
                    .parse()
                    .expect("valid default now"),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The instant used for `created`/`updated`/`finished`.
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.lock().now = now;
    }

    /// Adds (or replaces) an account; returns its user JSON.
    pub fn add_account(&self, api_key: &str, email: &str, name: &str) -> Value {
        let mut st = self.lock();
        let n = st.accounts.len() + 1;
        let first = name.split_whitespace().next().unwrap_or(name);
        let user = json!({
            "id": format!("u-{n:04}-fake"),
            "email": email,
            "principal": email,
            "provider": "google",
            "name": name,
            "firstName": first,
            "lastName": name.split_whitespace().skip(1).collect::<Vec<_>>().join(" "),
            "timezone": "America/New_York",
            "locale": "en-US",
            "edition": "ASSISTANT",
            "editionUsage": "ASSISTANT",
            "created": "2025-01-15T10:00:00.000Z",
            "features": {"taskSettings": {"enabled": true, "defaults": {"timeChunksRequired": 4, "minChunkSize": 2, "maxChunkSize": 8, "category": "WORK"}}},
        });
        st.accounts
            .insert(api_key.to_string(), Account { user: user.clone() });
        user
    }

    pub fn has_account(&self, api_key: &str) -> bool {
        self.lock().accounts.contains_key(api_key)
    }

    pub fn user(&self, api_key: &str) -> Option<Value> {
        self.lock().accounts.get(api_key).map(|a| a.user.clone())
    }

    /// Seeds a task in an account (panics when the account does not exist); returns it.
    pub fn seed_task(&self, api_key: &str, seed: impl Into<TaskSeed>) -> Value {
        let mut st = self.lock();
        assert!(
            st.accounts.contains_key(api_key),
            "FakeReclaim::seed_task: no account for that API key; call add_account first"
        );
        let fields = seed.into().into_json();
        let id = match fields.get("id").and_then(Value::as_i64) {
            Some(id) => {
                st.next_id = st.next_id.max(id + 1);
                id
            }
            None => {
                st.next_id += 1;
                st.next_id - 1
            }
        };
        let now = st.now;
        let mut task = default_task(id, "", now);
        crate::http_util::merge_top_level(&mut task, &fields);
        task["id"] = json!(id);
        normalize(&mut task).expect("seeded task has valid fields");
        st.tasks.insert(id, (api_key.to_string(), task.clone()));
        task
    }

    /// Every task of an account (deleted ones too), by id.
    pub fn tasks(&self, api_key: &str) -> Vec<Value> {
        self.lock()
            .tasks
            .values()
            .filter(|(k, _)| k == api_key)
            .map(|(_, t)| t.clone())
            .collect()
    }

    /// One task of an account, deleted or not.
    pub fn task(&self, api_key: &str, id: i64) -> Option<Value> {
        self.lock()
            .tasks
            .get(&id)
            .filter(|(k, _)| k == api_key)
            .map(|(_, t)| t.clone())
    }

    /// Removes every account and task.
    pub fn reset(&self) {
        let mut st = self.lock();
        st.accounts.clear();
        st.tasks.clear();
        st.next_id = 1001;
    }

    /// Answers a request whose path starts at `/api`.
    pub fn handle(&self, call: &Call<'_>) -> Response {
        let Some(key) = call.bearer() else {
            return error(401, "Unauthorized", call.path);
        };
        let mut st = self.lock();
        if !st.accounts.contains_key(&key) {
            return error(401, "Unauthorized", call.path);
        }
        let segs = segments(call.path);
        let m = call.method;
        match segs.as_slice() {
            ["api", "users", "current"] if m == Method::GET => {
                json_response(200, &st.accounts[&key].user)
            }
            ["api", "tasks"] if m == Method::GET => list_tasks(&st, &key, call),
            ["api", "tasks"] if m == Method::POST => create_task(&mut st, &key, call),
            ["api", "tasks", id] => {
                let Ok(id) = id.parse::<i64>() else {
                    return error(400, "Failed to convert argument [id]", call.path);
                };
                match *m {
                    Method::GET => match owned(&st, &key, id) {
                        Some(t) => json_response(200, t),
                        None => not_found(call.path),
                    },
                    Method::PATCH => patch_task(&mut st, &key, id, call),
                    Method::DELETE => {
                        let now = st.now;
                        match owned_live_mut(&mut st, &key, id) {
                            Some(t) => {
                                t["deleted"] = json!(true);
                                t["updated"] = json!(fmt_time(now));
                                json_response(200, &Value::Null)
                            }
                            None => not_found(call.path),
                        }
                    }
                    _ => error(405, "Method Not Allowed", call.path),
                }
            }
            ["api", "planner", action, "task", id] if m == Method::POST => {
                let Ok(id) = id.parse::<i64>() else {
                    return error(400, "Failed to convert argument [taskId]", call.path);
                };
                planner(&mut st, &key, action, id, call)
            }
            _ => not_found(call.path),
        }
    }
}

fn not_found(path: &str) -> Response {
    error(404, "Not Found", path)
}

fn owned<'s>(st: &'s State, key: &str, id: i64) -> Option<&'s Value> {
    st.tasks.get(&id).filter(|(k, _)| k == key).map(|(_, t)| t)
}

fn owned_live_mut<'s>(st: &'s mut State, key: &str, id: i64) -> Option<&'s mut Value> {
    st.tasks
        .get_mut(&id)
        .filter(|(k, t)| k == key && t["deleted"] != json!(true))
        .map(|(_, t)| t)
}

fn default_task(id: i64, title: &str, now: DateTime<Utc>) -> Value {
    json!({
        "id": id,
        "title": title,
        "notes": "",
        "eventCategory": "WORK",
        "eventSubType": "FOCUS",
        "eventColor": null,
        "status": "NEW",
        "timeChunksRequired": 4,
        "timeChunksSpent": 0,
        "timeChunksRemaining": 4,
        "minChunkSize": 2,
        "maxChunkSize": 8,
        "alwaysPrivate": false,
        "deleted": false,
        "index": id as f64,
        "due": null,
        "created": fmt_time(now),
        "updated": fmt_time(now),
        "finished": null,
        "snoozeUntil": null,
        "adjusted": false,
        "atRisk": false,
        "timeSchemeId": "ts-work-hours",
        "priority": "P3",
        "onDeck": false,
        "deferred": false,
        "sortKey": id as f64,
        "taskSource": {"type": "RECLAIM_APP"},
        "readOnlyFields": [],
        "prioritizableType": "TASK",
        "type": "TASK",
    })
}

/// Validates and normalizes a task after a write; `Err` is a 400 message.
fn normalize(task: &mut Value) -> Result<(), String> {
    let title_ok = task["title"]
        .as_str()
        .map(|t| !t.trim().is_empty())
        .unwrap_or(false);
    if !title_ok {
        return Err("title: must not be blank".into());
    }
    for field in DATE_FIELDS {
        match &task[field] {
            Value::Null => {}
            Value::String(s) => match parse_time(s) {
                Some(t) => task[field] = json!(fmt_time(t)),
                None => return Err(format!("{field}: cannot parse date-time '{s}'")),
            },
            other => return Err(format!("{field}: expected a date-time string, got {other}")),
        }
    }
    let p = task["priority"].as_str().unwrap_or("");
    if !PRIORITIES.contains(&p) {
        return Err(format!("priority: unknown value '{p}'"));
    }
    let s = task["status"].as_str().unwrap_or("");
    if !STATUSES.contains(&s) {
        return Err(format!("status: unknown value '{s}'"));
    }
    for field in [
        "timeChunksRequired",
        "timeChunksSpent",
        "minChunkSize",
        "maxChunkSize",
    ] {
        match task[field].as_i64() {
            Some(n) if n >= 0 => {}
            _ => return Err(format!("{field}: must be a non-negative integer")),
        }
    }
    if !task["notes"].is_string() {
        task["notes"] = json!("");
    }
    let req = task["timeChunksRequired"].as_i64().unwrap_or(0);
    let spent = task["timeChunksSpent"].as_i64().unwrap_or(0);
    task["timeChunksRemaining"] = json!((req - spent).max(0));
    Ok(())
}

fn list_tasks(st: &State, key: &str, call: &Call<'_>) -> Response {
    let statuses = call.query_all("status");
    let priorities = call.query_all("priority");
    let ids: Vec<i64> = call
        .query_all("id")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let list: Vec<Value> = st
        .tasks
        .values()
        .filter(|(k, t)| k == key && t["deleted"] != json!(true))
        .map(|(_, t)| t)
        .filter(|t| statuses.is_empty() || statuses.iter().any(|s| t["status"] == json!(s)))
        .filter(|t| priorities.is_empty() || priorities.iter().any(|p| t["priority"] == json!(p)))
        .filter(|t| ids.is_empty() || ids.iter().any(|i| t["id"] == json!(i)))
        .cloned()
        .collect();
    json_response(200, &Value::Array(list))
}

fn create_task(st: &mut State, key: &str, call: &Call<'_>) -> Response {
    let body = match json_body(call.body) {
        Ok(Value::Object(b)) => b,
        Ok(_) => return error(400, "request body must be a JSON object", call.path),
        Err(e) => return error(400, &e, call.path),
    };
    let id = st.next_id;
    let mut task = default_task(id, "", st.now);
    for (k, v) in &body {
        if !matches!(
            k.as_str(),
            "id" | "created" | "updated" | "deleted" | "timeChunksRemaining"
        ) {
            task[k.as_str()] = v.clone();
        }
    }
    if let Err(e) = normalize(&mut task) {
        return error(400, &e, call.path);
    }
    st.next_id += 1;
    st.tasks.insert(id, (key.to_string(), task.clone()));
    json_response(200, &task)
}

fn patch_task(st: &mut State, key: &str, id: i64, call: &Call<'_>) -> Response {
    let body = match json_body(call.body) {
        Ok(Value::Object(b)) => b,
        Ok(_) => return error(400, "request body must be a JSON object", call.path),
        Err(e) => return error(400, &e, call.path),
    };
    let now = st.now;
    let Some(task) = owned_live_mut(st, key, id) else {
        return not_found(call.path);
    };
    let mut updated = task.clone();
    for (k, v) in &body {
        if !matches!(
            k.as_str(),
            "id" | "created" | "updated" | "timeChunksRemaining"
        ) {
            updated[k.as_str()] = v.clone();
        }
    }
    updated["updated"] = json!(fmt_time(now));
    if let Err(e) = normalize(&mut updated) {
        return error(400, &e, call.path);
    }
    *task = updated.clone();
    json_response(200, &updated)
}

fn planner(st: &mut State, key: &str, action: &str, id: i64, call: &Call<'_>) -> Response {
    let now = st.now;
    let minutes = call.query("minutes").map(|m| m.parse::<i64>());
    let Some(task) = owned_live_mut(st, key, id) else {
        return not_found(call.path);
    };
    match action {
        "done" => {
            task["status"] = json!("ARCHIVED");
            task["finished"] = json!(fmt_time(now));
        }
        "add-time" => {
            let minutes = match minutes {
                Some(Ok(m)) if m > 0 => m,
                _ => {
                    return error(
                        400,
                        "minutes: a positive number of minutes is required",
                        call.path,
                    )
                }
            };
            let chunks = (minutes + 14) / 15;
            task["timeChunksRequired"] =
                json!(task["timeChunksRequired"].as_i64().unwrap_or(0) + chunks);
            if matches!(task["status"].as_str(), Some("COMPLETE" | "ARCHIVED")) {
                task["status"] = json!("NEW");
                task["finished"] = Value::Null;
            }
        }
        "log-work" => {
            let minutes = match minutes {
                None => 15,
                Some(Ok(m)) if m > 0 => m,
                _ => return error(400, "minutes: must be a positive number", call.path),
            };
            let chunks = (minutes + 14) / 15;
            task["timeChunksSpent"] = json!(task["timeChunksSpent"].as_i64().unwrap_or(0) + chunks);
            let req = task["timeChunksRequired"].as_i64().unwrap_or(0);
            let spent = task["timeChunksSpent"].as_i64().unwrap_or(0);
            if spent >= req {
                task["status"] = json!("COMPLETE");
            } else if task["status"] == json!("NEW") || task["status"] == json!("SCHEDULED") {
                task["status"] = json!("IN_PROGRESS");
            }
        }
        _ => return not_found(call.path),
    }
    task["updated"] = json!(fmt_time(now));
    normalize(task).expect("planner keeps a task valid");
    let task = task.clone();
    json_response(
        200,
        &json!({"events": [], "taskOrHabit": task, "timeoutReached": false, "userInfoMessage": null}),
    )
}
