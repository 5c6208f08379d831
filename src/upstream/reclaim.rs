//! Reclaim.ai client (`specs/reclaim-openapi.yml`): tasks, planner actions, current user.
//!
//! Contract notes (from the spec):
//! - `POST /api/tasks` takes the full `Task` schema, whose `required` list includes fields the
//!   server owns (`id`, `created`, `updated`, `status`, `index`, `sortKey`, …). Inventing values
//!   for those (an `id` of 0, a `created` time) would be sent to the real API as if true, so
//!   [`NewTask::to_body`] sends only the fields a client owns, as Reclaim's own clients do; the
//!   contract check in `tests/testkit` knows this deviation (see `tests/specs/DEVIATIONS.md`).
//! - `eventCategory` is modelled in the spec as an object (`Colorized`), but Reclaim sends and
//!   accepts the strings `WORK` / `PERSONAL`, which is what this client sends.
//! - `GET /api/tasks` and `GET /api/tasks/{id}` declare a required `user` query parameter of
//!   object type: an artefact of the server framework (the authenticated user is injected);
//!   it is not sent.
//! - `PATCH /api/tasks/{taskId}` takes a free-form object: only the changed fields are sent.

use chrono::{DateTime, SecondsFormat, Utc};
use http::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};

use super::error::{UpstreamError, UpstreamErrorKind};
use super::lenient;
use super::transport::{Idempotency, Transport};
use super::Provider;
use crate::config::SecretString;
use crate::domain::priority::Priority;
use crate::ports::{Clock, Outbound};

/// Reclaim counts time in 15-minute chunks.
pub const MINUTES_PER_CHUNK: u32 = 15;
/// Default task duration: 60 minutes = 4 chunks.
pub const DEFAULT_CHUNKS_REQUIRED: u32 = 4;
/// Default smallest block: 30 minutes.
pub const DEFAULT_MIN_CHUNK_SIZE: u32 = 2;
/// Default largest block: 2 hours.
pub const DEFAULT_MAX_CHUNK_SIZE: u32 = 8;

/// `ceil(minutes / 15)`, at least one chunk.
pub fn chunks_for_minutes(minutes: u32) -> u32 {
    minutes.div_ceil(MINUTES_PER_CHUNK).max(1)
}

/// A task's status. `COMPLETE` means "all scheduled time used", not "done" (PRODUCT §4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TaskStatus {
    #[default]
    New,
    Scheduled,
    InProgress,
    Complete,
    Cancelled,
    Archived,
    /// A value this client does not know; kept verbatim.
    Other(String),
}

impl TaskStatus {
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::New => "NEW",
            TaskStatus::Scheduled => "SCHEDULED",
            TaskStatus::InProgress => "IN_PROGRESS",
            TaskStatus::Complete => "COMPLETE",
            TaskStatus::Cancelled => "CANCELLED",
            TaskStatus::Archived => "ARCHIVED",
            TaskStatus::Other(s) => s,
        }
    }

    pub fn parse(raw: &str) -> TaskStatus {
        match raw.trim().to_ascii_uppercase().as_str() {
            "NEW" => TaskStatus::New,
            "SCHEDULED" => TaskStatus::Scheduled,
            "IN_PROGRESS" => TaskStatus::InProgress,
            "COMPLETE" => TaskStatus::Complete,
            "CANCELLED" => TaskStatus::Cancelled,
            "ARCHIVED" => TaskStatus::Archived,
            _ => TaskStatus::Other(raw.to_string()),
        }
    }

    /// `ARCHIVED` and `CANCELLED` are finished; everything else (including `COMPLETE`) is open.
    pub fn is_finished(&self) -> bool {
        matches!(self, TaskStatus::Archived | TaskStatus::Cancelled)
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<String>::deserialize(d)? {
            Some(s) => TaskStatus::parse(&s),
            None => TaskStatus::default(),
        })
    }
}

/// Work or personal time (`eventCategory`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EventCategory {
    #[default]
    Work,
    Personal,
}

impl EventCategory {
    pub fn as_str(&self) -> &'static str {
        match self {
            EventCategory::Work => "WORK",
            EventCategory::Personal => "PERSONAL",
        }
    }
    /// The `eventSubType` Reclaim uses for tasks of this category.
    fn sub_type(&self) -> &'static str {
        match self {
            EventCategory::Work => "FOCUS",
            EventCategory::Personal => "OTHER_PERSONAL",
        }
    }
}

fn priority_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Priority, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Priority::from_reclaim(&s),
        _ => Priority::default(),
    })
}

/// A Reclaim task as the API returns it (unknown fields ignored, missing ones defaulted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimTask {
    #[serde(deserialize_with = "lenient::lenient_i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub title: String,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub notes: String,
    #[serde(default)]
    pub status: TaskStatus,
    #[serde(default, deserialize_with = "priority_lenient")]
    pub priority: Priority,
    #[serde(default, deserialize_with = "lenient::opt_datetime")]
    pub due: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::lenient_i64")]
    pub time_chunks_required: i64,
    #[serde(default, deserialize_with = "lenient::lenient_i64")]
    pub time_chunks_spent: i64,
    #[serde(default, deserialize_with = "lenient::lenient_i64")]
    pub time_chunks_remaining: i64,
    #[serde(default, deserialize_with = "lenient::lenient_i64")]
    pub min_chunk_size: i64,
    #[serde(default, deserialize_with = "lenient::lenient_i64")]
    pub max_chunk_size: i64,
    /// `WORK`, `PERSONAL`, … (None when absent or not a string).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub event_category: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_datetime")]
    pub snooze_until: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub deleted: bool,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub always_private: bool,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub at_risk: bool,
    #[serde(default, deserialize_with = "lenient::opt_datetime")]
    pub finished: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::opt_datetime")]
    pub created: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::opt_datetime")]
    pub updated: Option<DateTime<Utc>>,
}

impl ReclaimTask {
    /// Open unless archived, cancelled or deleted (`COMPLETE` is still open: PRODUCT §4).
    pub fn is_open(&self) -> bool {
        !self.deleted && !self.status.is_finished()
    }

    /// Total planned duration in minutes.
    pub fn duration_minutes(&self) -> i64 {
        self.time_chunks_required * MINUTES_PER_CHUNK as i64
    }

    /// Minutes still to schedule.
    pub fn remaining_minutes(&self) -> i64 {
        self.time_chunks_remaining * MINUTES_PER_CHUNK as i64
    }
}

/// What to create. Build with [`NewTask::new`] and adjust the public fields.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    pub title: String,
    pub notes: String,
    pub due: Option<DateTime<Utc>>,
    pub time_chunks_required: u32,
    pub min_chunk_size: u32,
    pub max_chunk_size: u32,
    pub priority: Priority,
    pub event_category: EventCategory,
    pub snooze_until: Option<DateTime<Utc>>,
    pub always_private: bool,
    /// The user's hours policy; `None` sends an empty id (Reclaim's default policy).
    pub time_scheme_id: Option<String>,
}

impl NewTask {
    /// A one-hour P3 work task with the default chunk sizes.
    pub fn new(title: impl Into<String>) -> NewTask {
        NewTask {
            title: title.into(),
            notes: String::new(),
            due: None,
            time_chunks_required: DEFAULT_CHUNKS_REQUIRED,
            min_chunk_size: DEFAULT_MIN_CHUNK_SIZE,
            max_chunk_size: DEFAULT_MAX_CHUNK_SIZE,
            priority: Priority::P3,
            event_category: EventCategory::Work,
            snooze_until: None,
            always_private: false,
            time_scheme_id: None,
        }
    }

    /// Sets the duration (`ceil(minutes/15)` chunks).
    pub fn with_duration_minutes(mut self, minutes: u32) -> NewTask {
        self.time_chunks_required = chunks_for_minutes(minutes);
        self
    }

    /// The `POST /api/tasks` body: the client-owned fields of the spec's `Task` schema. Chunk
    /// sizes are made consistent (`1 ≤ min ≤ required`, `max ≥ min`).
    pub fn to_body(&self) -> Value {
        let required = self.time_chunks_required.max(1);
        let min = self.min_chunk_size.clamp(1, required);
        let max = self.max_chunk_size.max(min);
        let mut body = json!({
            "title": self.title,
            "notes": self.notes,
            "eventCategory": self.event_category.as_str(),
            "eventSubType": self.event_category.sub_type(),
            "priority": self.priority.as_str(),
            "timeChunksRequired": required,
            "minChunkSize": min,
            "maxChunkSize": max,
            "alwaysPrivate": self.always_private,
            "due": self.due.map(rfc3339),
            "snoozeUntil": self.snooze_until.map(rfc3339),
            "timeSchemeId": self.time_scheme_id,
        });
        // Nullable fields: omit rather than send null when unset.
        if let Some(obj) = body.as_object_mut() {
            obj.retain(|_, v| !v.is_null());
        }
        body
    }
}

/// A partial update: only the `Some` fields are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_datetime"
    )]
    pub due: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_chunks_required: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_chunk_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_chunk_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_category: Option<EventCategory>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_datetime"
    )]
    pub snooze_until: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub always_private: Option<bool>,
}

impl TaskPatch {
    pub fn is_empty(&self) -> bool {
        self == &TaskPatch::default()
    }
}

fn ser_opt_datetime<S: Serializer>(v: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_str(&rfc3339(*d)),
        None => s.serialize_none(),
    }
}

fn rfc3339(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 UTC with milliseconds (`2026-12-01T15:00:00.000Z`), the form Reclaim's planner
/// endpoints document and send.
fn rfc3339_millis(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The current Reclaim user (`GET /api/users/current`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReclaimUser {
    pub id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub timezone: Option<String>,
    /// The account of the calendar Reclaim schedules into (`primaryCalendar.credentialEmail`).
    pub calendar_email: Option<String>,
}

/// `timezone` as the spec has it (a zone id string) or as an object with `id` (the shape some
/// Reclaim clients model, e.g. `{"id": "America/New_York", "displayName": …}`).
fn zone_id(v: Option<&Value>) -> Option<String> {
    let v = v?;
    v.as_str()
        .or_else(|| v.get("id").and_then(Value::as_str))
        .map(str::to_string)
}

impl ReclaimUser {
    fn from_value(v: &Value) -> Option<ReclaimUser> {
        let obj = v.as_object()?;
        let s = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
        Some(ReclaimUser {
            id: s("id"),
            email: s("email"),
            name: s("name"),
            timezone: zone_id(obj.get("timezone")),
            calendar_email: v
                .pointer("/primaryCalendar/credentialEmail")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// The email to compare with the Nylas grant: the calendar's account, else the login email.
    pub fn scheduling_email(&self) -> Option<&str> {
        self.calendar_email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .or(self.email.as_deref())
    }
}

/// What a planner action (done / add-time / log-work) answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlannerResult {
    /// The task after the action, when Reclaim returned it.
    pub task: Option<ReclaimTask>,
    /// A message Reclaim wants shown (`userInfoMessage`).
    pub user_info_message: Option<String>,
}

impl PlannerResult {
    fn from_value(v: &Value) -> PlannerResult {
        PlannerResult {
            task: v
                .get("taskOrHabit")
                .filter(|t| t.is_object())
                .and_then(|t| serde_json::from_value(t.clone()).ok()),
            user_info_message: v
                .get("userInfoMessage")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }
}

/// A Reclaim client for one request's API key.
pub struct ReclaimClient<'a> {
    transport: Transport<'a>,
}

impl<'a> ReclaimClient<'a> {
    pub fn new(
        outbound: &'a dyn Outbound,
        clock: &'a dyn Clock,
        base_url: &str,
        api_key: &SecretString,
    ) -> Self {
        ReclaimClient {
            transport: Transport::new(outbound, clock, Provider::Reclaim, base_url, api_key),
        }
    }

    /// `GET /api/tasks`: every task Reclaim returns (filter with [`ReclaimTask::is_open`]).
    pub async fn list_tasks(&self) -> Result<Vec<ReclaimTask>, UpstreamError> {
        let v = self.call(Method::GET, &["api", "tasks"], &[], None).await?;
        let items = v
            .as_array()
            .ok_or_else(|| self.invalid("expected a list of tasks"))?;
        // One malformed item does not hide the others.
        Ok(items
            .iter()
            .filter_map(|t| serde_json::from_value::<ReclaimTask>(t.clone()).ok())
            .collect())
    }

    /// `GET /api/tasks/{id}`.
    pub async fn get_task(&self, id: i64) -> Result<ReclaimTask, UpstreamError> {
        let v = self
            .call(Method::GET, &["api", "tasks", &id.to_string()], &[], None)
            .await?;
        self.task(v)
    }

    /// `POST /api/tasks` (not retried once it may have reached Reclaim).
    pub async fn create_task(&self, task: &NewTask) -> Result<ReclaimTask, UpstreamError> {
        let body = task.to_body();
        let v = self
            .call(Method::POST, &["api", "tasks"], &[], Some(&body))
            .await?;
        self.task(v)
    }

    /// `PATCH /api/tasks/{id}` with only the changed fields.
    pub async fn patch_task(
        &self,
        id: i64,
        patch: &TaskPatch,
    ) -> Result<ReclaimTask, UpstreamError> {
        let body = serde_json::to_value(patch)
            .map_err(|e| self.invalid(&format!("patch could not be encoded: {e}")))?;
        let v = self
            .call(
                Method::PATCH,
                &["api", "tasks", &id.to_string()],
                &[],
                Some(&body),
            )
            .await?;
        self.task(v)
    }

    /// `DELETE /api/tasks/{id}`.
    pub async fn delete_task(&self, id: i64) -> Result<(), UpstreamError> {
        self.call(
            Method::DELETE,
            &["api", "tasks", &id.to_string()],
            &[],
            None,
        )
        .await
        .map(|_| ())
    }

    /// `POST /api/planner/done/task/{id}`: marks the task done (Reclaim then archives it).
    pub async fn mark_done(&self, id: i64) -> Result<PlannerResult, UpstreamError> {
        let v = self
            .call(
                Method::POST,
                &["api", "planner", "done", "task", &id.to_string()],
                &[],
                None,
            )
            .await?;
        Ok(PlannerResult::from_value(&v))
    }

    /// `POST /api/planner/add-time/task/{id}?minutes=N`.
    pub async fn add_time(&self, id: i64, minutes: u32) -> Result<PlannerResult, UpstreamError> {
        let v = self
            .call(
                Method::POST,
                &["api", "planner", "add-time", "task", &id.to_string()],
                &[("minutes", minutes.to_string())],
                None,
            )
            .await?;
        Ok(PlannerResult::from_value(&v))
    }

    /// `POST /api/planner/log-work/task/{id}?minutes=N[&end=RFC3339]`.
    pub async fn log_work(
        &self,
        id: i64,
        minutes: u32,
        end: Option<DateTime<Utc>>,
    ) -> Result<PlannerResult, UpstreamError> {
        let mut query = vec![("minutes", minutes.to_string())];
        if let Some(end) = end {
            query.push(("end", rfc3339_millis(end)));
        }
        let v = self
            .call(
                Method::POST,
                &["api", "planner", "log-work", "task", &id.to_string()],
                &query,
                None,
            )
            .await?;
        Ok(PlannerResult::from_value(&v))
    }

    /// `GET /api/users/current`.
    pub async fn current_user(&self) -> Result<ReclaimUser, UpstreamError> {
        let v = self
            .call(Method::GET, &["api", "users", "current"], &[], None)
            .await?;
        ReclaimUser::from_value(&v).ok_or_else(|| self.invalid("expected a user object"))
    }

    async fn call(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, UpstreamError> {
        let url = self.transport.url(segments, query)?;
        let idempotency = Idempotency::of(&method);
        self.transport
            .send_json(method, url, body, idempotency)
            .await
    }

    fn task(&self, v: Value) -> Result<ReclaimTask, UpstreamError> {
        serde_json::from_value(v).map_err(|e| self.invalid(&format!("unexpected task shape ({e})")))
    }

    fn invalid(&self, detail: &str) -> UpstreamError {
        self.transport
            .error(UpstreamErrorKind::InvalidResponse(detail.to_string()))
    }
}

/// Keys of a patch body, for callers that want to say what changed.
pub fn patched_fields(patch: &TaskPatch) -> Vec<String> {
    match serde_json::to_value(patch) {
        Ok(Value::Object(m)) => m.keys().cloned().collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::ports::TransportError;
    use crate::upstream::testing::{FakeClock, ScriptedOutbound};
    use chrono::TimeZone;
    use futures::executor::block_on;

    const KEY: &str = "rk_live_abcdef123456";
    const BASE: &str = "https://api.app.reclaim.ai";

    fn client<'a>(out: &'a ScriptedOutbound, clock: &'a FakeClock) -> ReclaimClient<'a> {
        ReclaimClient::new(out, clock, BASE, &SecretString::new(KEY))
    }

    /// A task as Reclaim returns it (fields from the spec's `Task` schema).
    fn task_json(id: i64, title: &str, status: &str, priority: &str) -> Value {
        json!({
            "id": id, "title": title, "notes": "", "eventCategory": "WORK", "eventSubType": "FOCUS",
            "status": status, "timeChunksRequired": 8, "timeChunksSpent": 2, "timeChunksRemaining": 6,
            "minChunkSize": 2, "maxChunkSize": 8, "alwaysPrivate": false, "deleted": false,
            "index": 1.0, "due": "2026-12-04T22:00:00Z", "created": "2026-11-30T10:00:00Z",
            "updated": "2026-11-30T10:00:00Z", "finished": null, "snoozeUntil": null, "adjusted": false,
            "atRisk": false, "timeSchemeId": "abc", "priority": priority, "onDeck": false,
            "deferred": false, "sortKey": 1.0, "taskSource": {"type": "RECLAIM_APP"},
            "readOnlyFields": [], "prioritizableType": "TASK", "type": "TASK", "someNewField": {"x": 1}
        })
    }

    #[test]
    fn list_tasks_parses_and_tolerates_unknown_priorities() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            json!([
                task_json(1, "Review Q4 budget", "SCHEDULED", "P2"),
                task_json(2, "Old one", "ARCHIVED", "PRIORITIZE"),
                task_json(3, "Legacy", "COMPLETE", "DEFAULT"),
                {"id": 4, "title": "Sparse", "status": "SOMETHING_NEW", "priority": null, "notes": null},
                {"title": "no id: skipped"}
            ]),
        );
        let clock = FakeClock::new();
        let tasks = block_on(client(&out, &clock).list_tasks()).unwrap();
        let req = &out.requests()[0];
        assert_eq!(req.method, "GET");
        assert_eq!(req.url.as_str(), "https://api.app.reclaim.ai/api/tasks");
        assert_eq!(req.header("authorization"), Some(&*format!("Bearer {KEY}")));

        assert_eq!(tasks.len(), 4);
        assert_eq!(tasks[0].priority, Priority::P2);
        assert_eq!(tasks[0].time_chunks_required, 8);
        assert_eq!(tasks[0].duration_minutes(), 120);
        assert_eq!(
            tasks[0].due,
            Some(Utc.with_ymd_and_hms(2026, 12, 4, 22, 0, 0).unwrap())
        );
        assert_eq!(tasks[0].event_category.as_deref(), Some("WORK"));
        assert_eq!(tasks[1].priority, Priority::P2); // PRIORITIZE
        assert_eq!(tasks[2].priority, Priority::P3); // DEFAULT
        assert_eq!(tasks[3].priority, Priority::P3);
        assert_eq!(tasks[3].status, TaskStatus::Other("SOMETHING_NEW".into()));
        assert_eq!(tasks[3].notes, "");
    }

    #[test]
    fn open_and_finished_follow_product_rules() {
        let t = |status: &str, deleted: bool| {
            let mut v = task_json(1, "t", status, "P3");
            v["deleted"] = json!(deleted);
            serde_json::from_value::<ReclaimTask>(v).unwrap()
        };
        assert!(t("COMPLETE", false).is_open());
        assert!(t("NEW", false).is_open());
        assert!(t("IN_PROGRESS", false).is_open());
        assert!(!t("ARCHIVED", false).is_open());
        assert!(!t("CANCELLED", false).is_open());
        assert!(!t("SCHEDULED", true).is_open());
    }

    #[test]
    fn create_sends_every_required_field_and_is_not_retried_on_500() {
        let out = ScriptedOutbound::new();
        out.push_json(500, json!({"message": "Internal Server Error"}));
        let clock = FakeClock::new();
        let mut task = NewTask::new("Review Q4 budget").with_duration_minutes(120);
        task.priority = Priority::P2;
        task.due = Some(Utc.with_ymd_and_hms(2026, 12, 4, 22, 0, 0).unwrap());
        let err = block_on(client(&out, &clock).create_task(&task)).unwrap_err();
        assert_eq!(
            out.requests().len(),
            1,
            "a create that may have landed is not repeated"
        );
        assert_eq!(err.kind, UpstreamErrorKind::Unavailable { status: 500 });
        assert!(err.to_string().contains("Reclaim"));

        let req = &out.requests()[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.path(), "/api/tasks");
        let body = req.json();
        assert_eq!(body["title"], "Review Q4 budget");
        assert_eq!(body["timeChunksRequired"], 8);
        assert_eq!(body["minChunkSize"], 2);
        assert_eq!(body["maxChunkSize"], 8);
        assert_eq!(body["priority"], "P2");
        assert_eq!(body["eventCategory"], "WORK");
        assert_eq!(body["due"], "2026-12-04T22:00:00Z");
        assert!(body.get("snoozeUntil").is_none());
        // Only client-owned fields: nothing the server owns is invented.
        for field in [
            "id",
            "status",
            "created",
            "updated",
            "index",
            "sortKey",
            "taskSource",
            "readOnlyFields",
            "timeChunksSpent",
        ] {
            assert!(
                body.get(field).is_none(),
                "server-owned field {field} must not be sent"
            );
        }
        for field in [
            "title",
            "notes",
            "eventCategory",
            "priority",
            "timeChunksRequired",
            "minChunkSize",
            "maxChunkSize",
            "alwaysPrivate",
        ] {
            assert!(body.get(field).is_some(), "missing field {field}");
        }
    }

    #[test]
    fn create_is_retried_when_the_connection_was_refused() {
        let out = ScriptedOutbound::new();
        out.push_err(TransportError::Connect("connection refused".into()));
        out.push_json(200, task_json(42, "Write report", "NEW", "P3"));
        let clock = FakeClock::new();
        let created =
            block_on(client(&out, &clock).create_task(&NewTask::new("Write report"))).unwrap();
        assert_eq!(created.id, 42);
        assert_eq!(out.requests().len(), 2);
        assert_eq!(clock.sleeps().len(), 1);
    }

    #[test]
    fn create_is_retried_after_429_which_rejected_it_unprocessed() {
        let out = ScriptedOutbound::new();
        out.push_json(429, json!({"message": "Too Many Requests"}));
        out.push_json(200, task_json(43, "Write report", "NEW", "P3"));
        let clock = FakeClock::new();
        let created =
            block_on(client(&out, &clock).create_task(&NewTask::new("Write report"))).unwrap();
        assert_eq!(created.id, 43);
        assert_eq!(out.requests().len(), 2);
        assert_eq!(out.requests()[0].body, out.requests()[1].body);
    }

    #[test]
    fn create_is_not_retried_on_timeout() {
        let out = ScriptedOutbound::new();
        out.push_err(TransportError::Timeout);
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).create_task(&NewTask::new("x"))).unwrap_err();
        assert_eq!(out.requests().len(), 1);
        assert_eq!(
            err.kind,
            UpstreamErrorKind::Transport(TransportError::Timeout)
        );
    }

    #[test]
    fn short_tasks_get_consistent_chunk_sizes() {
        let body = NewTask::new("quick").with_duration_minutes(10).to_body();
        assert_eq!(body["timeChunksRequired"], 1);
        assert_eq!(body["minChunkSize"], 1);
        assert_eq!(body["maxChunkSize"], 8);
        assert_eq!(chunks_for_minutes(60), 4);
        assert_eq!(chunks_for_minutes(61), 5);
        assert_eq!(chunks_for_minutes(0), 1);
    }

    #[test]
    fn get_task_404_is_not_found_and_not_retried() {
        let out = ScriptedOutbound::new();
        out.push_json(404, json!({"message": "Not Found"}));
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).get_task(99)).unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(out.requests().len(), 1);
        assert_eq!(out.requests()[0].path(), "/api/tasks/99");
        assert_eq!(out.requests()[0].method, "GET");
    }

    #[test]
    fn get_is_retried_on_429_then_succeeds() {
        let out = ScriptedOutbound::new();
        out.push_json(429, json!({}));
        out.push_json(200, task_json(7, "t", "NEW", "P1"));
        let clock = FakeClock::new();
        let t = block_on(client(&out, &clock).get_task(7)).unwrap();
        assert_eq!(t.priority, Priority::P1);
        assert_eq!(out.requests().len(), 2);
    }

    #[test]
    fn get_gives_up_after_three_500s_with_a_clear_error() {
        let out = ScriptedOutbound::new();
        for _ in 0..4 {
            out.push_json(503, json!({}));
        }
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).list_tasks()).unwrap_err();
        assert_eq!(out.requests().len(), 3);
        assert_eq!(out.remaining(), 1);
        assert_eq!(clock.sleeps().len(), 2);
        assert_eq!(err.provider, Provider::Reclaim);
        assert_eq!(
            err.to_string(),
            "Reclaim is temporarily unavailable (503). Please try again shortly."
        );
    }

    #[test]
    fn unauthorized_becomes_needs_setup_for_reclaim() {
        let out = ScriptedOutbound::new();
        out.push_json(401, json!({"message": format!("bad key {KEY}")}));
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).list_tasks()).unwrap_err();
        assert_eq!(out.requests().len(), 1);
        let creds = Credentials {
            reclaim_api_key: Some(SecretString::new(KEY)),
            ..Default::default()
        };
        let env = err.to_envelope(&creds);
        assert_eq!(env["needs_setup"], true);
        assert_eq!(env["missing"], json!(["RECLAIM_API_KEY"]));
        assert!(!env.to_string().contains(KEY));
    }

    #[test]
    fn patch_sends_only_changed_fields() {
        let out = ScriptedOutbound::new();
        out.push_json(200, task_json(5, "New title", "NEW", "P1"));
        let clock = FakeClock::new();
        let patch = TaskPatch {
            title: Some("New title".into()),
            priority: Some(Priority::P1),
            due: Some(Utc.with_ymd_and_hms(2026, 12, 10, 17, 0, 0).unwrap()),
            ..Default::default()
        };
        let t = block_on(client(&out, &clock).patch_task(5, &patch)).unwrap();
        assert_eq!(t.title, "New title");
        let req = &out.requests()[0];
        assert_eq!(req.method, "PATCH");
        assert_eq!(req.path(), "/api/tasks/5");
        assert_eq!(
            req.json(),
            json!({"title": "New title", "priority": "P1", "due": "2026-12-10T17:00:00Z"})
        );
        assert!(TaskPatch::default().is_empty());
        assert_eq!(patched_fields(&patch), vec!["due", "priority", "title"]);
    }

    #[test]
    fn patch_is_not_retried_on_502() {
        let out = ScriptedOutbound::new();
        out.push_json(502, json!({}));
        let clock = FakeClock::new();
        let patch = TaskPatch {
            notes: Some("n".into()),
            ..Default::default()
        };
        assert!(block_on(client(&out, &clock).patch_task(5, &patch)).is_err());
        assert_eq!(out.requests().len(), 1);
    }

    #[test]
    fn delete_is_idempotent_and_retried() {
        let out = ScriptedOutbound::new();
        out.push_json(500, json!({}));
        out.push(
            http::Response::builder()
                .status(200)
                .body(Vec::new())
                .unwrap(),
        );
        let clock = FakeClock::new();
        block_on(client(&out, &clock).delete_task(5)).unwrap();
        let reqs = out.requests();
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[1].method, "DELETE");
        assert_eq!(reqs[1].path(), "/api/tasks/5");
    }

    #[test]
    fn planner_actions_use_the_documented_paths_and_params() {
        let out = ScriptedOutbound::new();
        let planner = json!({"events": [], "taskOrHabit": task_json(5, "t", "ARCHIVED", "P3"), "userInfoMessage": "Nice work"});
        out.push_json(200, planner.clone());
        out.push_json(200, planner.clone());
        out.push_json(200, planner.clone());
        out.push_json(200, json!({"events": []}));
        let clock = FakeClock::new();
        let c = client(&out, &clock);
        let done = block_on(c.mark_done(5)).unwrap();
        assert_eq!(done.task.unwrap().status, TaskStatus::Archived);
        assert_eq!(done.user_info_message.as_deref(), Some("Nice work"));
        block_on(c.add_time(5, 30)).unwrap();
        block_on(c.log_work(
            5,
            45,
            Some(Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap()),
        ))
        .unwrap();
        let bare = block_on(c.log_work(5, 15, None)).unwrap();
        assert!(bare.task.is_none());

        let reqs = out.requests();
        assert!(reqs.iter().all(|r| r.method == "POST"));
        assert_eq!(reqs[0].path(), "/api/planner/done/task/5");
        assert!(reqs[0].query_names().is_empty());
        assert_eq!(reqs[1].path(), "/api/planner/add-time/task/5");
        assert_eq!(reqs[1].query("minutes").as_deref(), Some("30"));
        assert_eq!(reqs[2].path(), "/api/planner/log-work/task/5");
        assert_eq!(reqs[2].query("minutes").as_deref(), Some("45"));
        assert_eq!(
            reqs[2].query("end").as_deref(),
            Some("2026-12-01T15:00:00.000Z"),
            "log-work end with milliseconds"
        );
        assert_eq!(reqs[3].query("end"), None);
        assert!(reqs.iter().all(|r| r.body.is_empty()));
    }

    #[test]
    fn current_user_reads_the_calendar_email() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            json!({
                "id": "u1", "email": "Login@Example.com", "name": "Pat", "edition": "FREE",
                "editionUsage": "FREE", "timezone": "America/New_York",
                "primaryCalendar": {"id": 1, "timezone": "America/New_York", "calendarId": "cal",
                    "lastSynced": "2026-11-30T10:00:00Z", "credentialId": 3,
                    "credentialEmail": "calendar@example.com"}
            }),
        );
        let clock = FakeClock::new();
        let u = block_on(client(&out, &clock).current_user()).unwrap();
        assert_eq!(out.requests()[0].path(), "/api/users/current");
        assert_eq!(u.email.as_deref(), Some("Login@Example.com"));
        assert_eq!(u.calendar_email.as_deref(), Some("calendar@example.com"));
        assert_eq!(u.scheduling_email(), Some("calendar@example.com"));
        assert_eq!(u.name.as_deref(), Some("Pat"));
        assert_eq!(u.timezone.as_deref(), Some("America/New_York"));
    }

    #[test]
    fn current_user_timezone_may_be_an_object_with_an_id() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            json!({"id": "u1", "email": "a@example.com",
                "timezone": {"id": "Europe/Berlin", "displayName": "Central European Time"}}),
        );
        out.push_json(200, json!({"id": "u2", "timezone": 5}));
        let clock = FakeClock::new();
        let c = client(&out, &clock);
        let u = block_on(c.current_user()).unwrap();
        assert_eq!(u.timezone.as_deref(), Some("Europe/Berlin"));
        let odd = block_on(c.current_user()).unwrap();
        assert_eq!(
            odd.timezone, None,
            "an unreadable zone is absent, not an error"
        );
    }

    #[test]
    fn unexpected_shapes_are_invalid_responses() {
        let out = ScriptedOutbound::new();
        out.push_json(200, json!({"tasks": []}));
        out.push_json(200, json!("nope"));
        let clock = FakeClock::new();
        let c = client(&out, &clock);
        let e = block_on(c.list_tasks()).unwrap_err();
        assert!(matches!(e.kind, UpstreamErrorKind::InvalidResponse(_)));
        let e = block_on(c.current_user()).unwrap_err();
        assert!(matches!(e.kind, UpstreamErrorKind::InvalidResponse(_)));
    }
}
