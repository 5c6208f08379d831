//! The four tools: their names, schemas, argument/context preparation and dispatch.
//!
//! Each tool lives in its own module with `input_schema()` and `run()`; the REST route
//! (`routes::tools`), MCP (`routes::mcp`) and A2A (`routes::a2a`) all come through here.

pub mod approval_flow;
pub mod calendar_choice;
pub mod check_availability;
pub mod find_and_analyze;
pub mod manage_productivity;
pub mod model;
pub mod optimize_schedule;
pub mod present;
pub mod schedule_data;
pub mod schema;
pub mod time_reading;

use crate::domain::time::DateOrder;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone as _, Timelike};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};

use crate::config::Settings;
use crate::credentials::Credentials;
use crate::domain::timezone::TimeZone;
use crate::envelope;
use crate::ports::Context;

/// The tools, in the order the listing must show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolName {
    ManageProductivity,
    FindAndAnalyze,
    CheckAvailability,
    OptimizeSchedule,
}

pub const ALL_TOOLS: [ToolName; 4] = [
    ToolName::ManageProductivity,
    ToolName::FindAndAnalyze,
    ToolName::CheckAvailability,
    ToolName::OptimizeSchedule,
];

impl ToolName {
    pub fn parse(name: &str) -> Option<ToolName> {
        ALL_TOOLS.into_iter().find(|t| t.as_str() == name)
    }

    pub const fn as_str(&self) -> &'static str {
        match self {
            ToolName::ManageProductivity => "manage_productivity",
            ToolName::FindAndAnalyze => "find_and_analyze",
            ToolName::CheckAvailability => "check_availability",
            ToolName::OptimizeSchedule => "optimize_schedule",
        }
    }

    pub const fn title(&self) -> &'static str {
        match self {
            ToolName::ManageProductivity => "Manage tasks and events",
            ToolName::FindAndAnalyze => "Find and analyze tasks and events",
            ToolName::CheckAvailability => "Check availability",
            ToolName::OptimizeSchedule => "Optimize schedule",
        }
    }

    pub fn description(&self) -> &'static str {
        match self {
            ToolName::ManageProductivity => "Create, update, complete or delete Reclaim.ai tasks (things to do, with a due date or a duration), add time to a task, and create, reschedule, update or cancel calendar events (a specific time, meetings, appointments) or block focus time. Say it in plain language in `query`, or pass `action` and its fields for a deterministic result. Operations that invite or notify other people, touch several items, or would create a duplicate or move a conflicting meeting answer `needs_approval` first; call again with `approved: true` and the `action_data` exactly as received.",
            ToolName::FindAndAnalyze => "Search tasks and calendar events (today, tomorrow, this/next week, this month, overdue, explicit dates; by keyword, priority, status or participant) and analyze workload: committed hours, busiest day, overdue and at-risk tasks. `mode: calendars` lists the user's calendars (which count as busy, where new events go); `calendar` searches one of them.",
            ToolName::CheckAvailability => "Answer 'am I free at X for N minutes?' with the conflicting items, or find free slots of a given length ('find 2 hours for deep work this week, preferably mornings') within working hours, ranked, never in the past.",
            ToolName::OptimizeSchedule => "Analyze the schedule (meeting load, fragmentation, focus time, overloaded days, tasks at risk, priority alignment) and propose concrete changes such as focus blocks in real free slots or new due dates; applying them requires approval.",
        }
    }

    pub fn input_schema(&self) -> Value {
        match self {
            ToolName::ManageProductivity => manage_productivity::input_schema(),
            ToolName::FindAndAnalyze => find_and_analyze::input_schema(),
            ToolName::CheckAvailability => check_availability::input_schema(),
            ToolName::OptimizeSchedule => optimize_schedule::input_schema(),
        }
    }

    /// MCP tool annotations.
    pub fn annotations(&self) -> Value {
        let read_only = matches!(self, ToolName::FindAndAnalyze | ToolName::CheckAvailability);
        let mut a = json!({
            "title": self.title(),
            "readOnlyHint": read_only,
            "openWorldHint": true,
        });
        if !read_only {
            a["destructiveHint"] = json!(true);
            a["idempotentHint"] = json!(false);
        }
        a
    }
}

/// The `{"tools":[...]}` listing of `GET /mcp/tools`.
pub fn listing() -> Value {
    json!({
        "tools": ALL_TOOLS
            .iter()
            .map(|t| json!({"name": t.as_str(), "description": t.description(), "inputSchema": t.input_schema()}))
            .collect::<Vec<_>>()
    })
}

/// The user's zone and "now", from Juli's injected fields or the defaults.
#[derive(Debug, Clone)]
pub struct UserContext {
    pub timezone: TimeZone,
    pub now: DateTime<Tz>,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    /// How all-numeric dates are read: the request's `date_order`, else the Spin variable.
    pub date_order: DateOrder,
}

impl UserContext {
    pub fn tz(&self) -> Tz {
        self.timezone.tz()
    }
}

/// A validated tool invocation.
#[derive(Debug, Clone)]
pub struct ToolCall {
    pub tool: ToolName,
    /// The tool arguments (context fields included, as received).
    pub args: Map<String, Value>,
    pub user: UserContext,
    pub credentials: Credentials,
    pub request_id: String,
    /// Fields whose time came from the model's ISO reading (for the request's log line).
    pub model_time_readings: time_reading::ModelTimeReadings,
}

/// What a tool may use while running.
#[derive(Clone, Copy)]
pub struct ToolEnv<'a> {
    pub ctx: Context<'a>,
    pub settings: &'a Settings,
}

pub const CONTEXT_FIELDS: [&str; 5] = [
    "user_timezone",
    "current_date",
    "current_time",
    "user_name",
    "user_email",
];

/// Accepts a body that is either the arguments object or `{"arguments": {...}}`; context fields
/// given beside `arguments` are merged in when the arguments lack them.
pub fn unwrap_arguments(mut body: Map<String, Value>) -> Result<Map<String, Value>, String> {
    match body.remove("arguments") {
        Some(Value::Object(mut args)) => {
            for field in CONTEXT_FIELDS {
                if let Some(v) = body.remove(field) {
                    args.entry(field.to_string()).or_insert(v);
                }
            }
            Ok(args)
        }
        Some(Value::Null) | None => Ok(body),
        Some(_) => Err("'arguments' must be a JSON object".to_string()),
    }
}

/// Builds the user context from the injected fields, `default_timezone` and the clock.
pub fn user_context(
    args: &Map<String, Value>,
    settings: &Settings,
    utc_now: DateTime<chrono::Utc>,
) -> Result<UserContext, String> {
    let text = |k: &str| {
        args.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let timezone = match text("user_timezone") {
        Some(name) => TimeZone::parse(name)?,
        None => settings.default_timezone,
    };
    let tz = timezone.tz();
    let clock_now = utc_now.with_timezone(&tz);
    let date = match text("current_date") {
        Some(d) => parse_current_date(d)?,
        None => clock_now.date_naive(),
    };
    let time = match text("current_time") {
        Some(t) => parse_current_time(t)?,
        None => clock_now.time(),
    };
    let now = tz
        .from_local_datetime(&date.and_time(time))
        .earliest()
        // A wall time inside a DST gap: take the instant one hour later.
        .or_else(|| {
            tz.from_local_datetime(&(date.and_time(time) + chrono::Duration::hours(1)))
                .earliest()
        })
        .ok_or_else(|| {
            "current_date/current_time do not exist in the user's time zone".to_string()
        })?;
    let date_order = match text("date_order") {
        Some(v) => DateOrder::parse(v).ok_or_else(|| {
            "date_order must be 'mdy' (month/day, e.g. 3/4 = March 4) or 'dmy' (day/month)"
                .to_string()
        })?,
        None => settings.date_order,
    };
    Ok(UserContext {
        timezone,
        now,
        date_order,
        user_name: text("user_name").map(|s| s.chars().take(200).collect()),
        user_email: text("user_email").map(|s| s.chars().take(254).collect()),
    })
}

/// Years accepted in `current_date`: every date computation (a month or a year ahead, the
/// 14-day slot search, 90-day horizons) stays far inside chrono's range.
pub const CONTEXT_YEARS: std::ops::RangeInclusive<i32> = 1970..=2199;

/// `current_date`: exactly `YYYY-MM-DD`, a real date, in [`CONTEXT_YEARS`].
fn parse_current_date(text: &str) -> Result<NaiveDate, String> {
    let shown: String = text.chars().take(40).collect();
    let well_formed = text.len() == 10 && text.is_ascii();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| well_formed)
        .ok_or_else(|| format!("current_date '{shown}' is not a valid YYYY-MM-DD date"))?;
    if !CONTEXT_YEARS.contains(&date.year()) {
        return Err(format!(
            "current_date '{shown}' is outside the supported years {}–{}",
            CONTEXT_YEARS.start(),
            CONTEXT_YEARS.end()
        ));
    }
    Ok(date)
}

/// `current_time`: `HH:MM:SS` or `HH:MM`, 00:00:00–23:59:59 (no leap second).
fn parse_current_time(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .ok()
        .filter(|t| t.nanosecond() < 1_000_000_000)
        .ok_or_else(|| {
            format!(
                "current_time '{}' is not a valid HH:MM:SS time",
                text.chars().take(40).collect::<String>()
            )
        })
}

/// Prepares a call: unwraps arguments and resolves the user context. Errors are envelopes.
pub fn prepare_call(
    tool: ToolName,
    body: Map<String, Value>,
    credentials: Credentials,
    request_id: &str,
    settings: &Settings,
    utc_now: DateTime<chrono::Utc>,
) -> Result<ToolCall, Value> {
    let args = unwrap_arguments(body).map_err(|e| envelope::business_error(None, e))?;
    check_argument_types(&tool.input_schema(), &args)
        .map_err(|e| envelope::business_error(None, e))?;
    let user =
        user_context(&args, settings, utc_now).map_err(|e| envelope::business_error(None, e))?;
    Ok(ToolCall {
        tool,
        args,
        user,
        credentials,
        request_id: request_id.to_string(),
        model_time_readings: Default::default(),
    })
}

/// Checks the arguments against the top level of the tool's input schema: JSON types, enums
/// and numeric bounds of the declared properties (unknown properties are allowed; `null`
/// means absent). A wrong type is refused instead of being silently ignored.
pub fn check_argument_types(schema: &Value, args: &Map<String, Value>) -> Result<(), String> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Ok(());
    };
    for (name, value) in args {
        let Some(spec) = props.get(name) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        let types: Vec<&str> = match spec.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        let matches = |t: &str| match t {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            _ => true,
        };
        if !types.iter().any(|t| matches(t)) {
            return Err(format!(
                "Invalid arguments: '{name}' must be {}.",
                types.join(" or ")
            ));
        }
        if let (Some(allowed), Some(v)) =
            (spec.get("enum").and_then(Value::as_array), value.as_str())
        {
            if !allowed
                .iter()
                .filter_map(Value::as_str)
                .any(|a| a.eq_ignore_ascii_case(v.trim()))
            {
                let list: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
                let shown: String = v.chars().take(40).collect();
                let expected = match list.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last}", rest.join(", "))
                    }
                    _ => list.join(""),
                };
                return Err(format!(
                    "Invalid arguments: '{name}' is '{shown}', expected {expected}."
                ));
            }
        }
        if let Some(n) = value.as_f64() {
            let below = spec
                .get("minimum")
                .and_then(Value::as_f64)
                .is_some_and(|min| n < min);
            let above = spec
                .get("maximum")
                .and_then(Value::as_f64)
                .is_some_and(|max| n > max);
            if below || above {
                return Err(format!(
                    "Invalid arguments: '{name}' is out of range ({n})."
                ));
            }
        }
    }
    Ok(())
}

/// `needs_setup` when the credentials connect no provider the tool could use. Every tool but
/// `check_availability` can serve a request from Reclaim (tasks) or Nylas (events), so with
/// neither connected nothing it could do would work; `check_availability` reads busy time from
/// the calendar only (Reclaim's scheduled task blocks are there too), so it needs Nylas. The
/// answer (after the arguments were checked, which costs nothing) comes before any model or
/// upstream call and names only what the tool needs.
pub fn unconnected(tool: ToolName, credentials: &Credentials) -> Option<Value> {
    let (usable, missing, message) = match tool {
        ToolName::CheckAvailability => (
            credentials.has_nylas(),
            credentials.missing_nylas(),
            "Connect your calendar through Nylas (NYLAS_API_KEY and NYLAS_GRANT_ID) to check availability; nothing was done.",
        ),
        _ => (
            credentials.has_reclaim() || credentials.has_nylas(),
            credentials.missing(),
            "Connect Reclaim.ai (RECLAIM_API_KEY) for tasks or Nylas (NYLAS_API_KEY and NYLAS_GRANT_ID) for your calendar first; nothing was done.",
        ),
    };
    if usable {
        return None;
    }
    Some(envelope::needs_setup(&missing, message))
}

/// Prepares and runs one tool call: the single entry point of the REST route, MCP and A2A.
///
/// `Err` carries the error envelope of input refused before the tool ran (bad argument types,
/// malformed or out-of-range context): REST answers it with 400, MCP as an `isError` result,
/// A2A as an invalid-params error. Nothing has been read or written then.
pub async fn invoke(
    tool: ToolName,
    args: Map<String, Value>,
    credentials: Credentials,
    request_id: &str,
    env: ToolEnv<'_>,
) -> Result<Value, Value> {
    match prepare_call(
        tool,
        args,
        credentials,
        request_id,
        env.settings,
        env.ctx.clock.now(),
    ) {
        Ok(call) => Ok(match unconnected(tool, &call.credentials) {
            Some(setup) => setup,
            None => run(&call, &env).await,
        }),
        Err(envelope) => Err(envelope),
    }
}

/// Runs a prepared call and returns its envelope; a natural-language request's envelope says
/// how it was read in `metadata.interpreted_by` ("rules" or "model").
pub async fn run(call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    let notes = env.ctx.outbound.notes();
    notes.map(|n| n.take_current());
    let mut envelope = match call.tool {
        ToolName::ManageProductivity => manage_productivity::run(call, env).await,
        ToolName::FindAndAnalyze => find_and_analyze::run(call, env).await,
        ToolName::CheckAvailability => check_availability::run(call, env).await,
        ToolName::OptimizeSchedule => optimize_schedule::run(call, env).await,
    };
    if let Some(n) = notes {
        n.note_model_time_readings(&call.model_time_readings.take());
    }
    if let (Some(i), Some(obj)) = (
        notes.and_then(|n| n.take_current()),
        envelope.as_object_mut(),
    ) {
        obj.insert("metadata".into(), json!({"interpreted_by": i.by}));
    }
    envelope
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use std::collections::HashMap;

    fn credentials(pairs: &[(&'static str, &str)]) -> Credentials {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        Credentials::from_headers(&map)
    }

    #[test]
    fn unconnected_names_only_what_the_tool_needs() {
        let reclaim_only = credentials(&[("x-user-credential-reclaim-api-key", "rk_test_1234")]);
        let key_only = credentials(&[("x-nylas-key", "nyk_test_1234")]);
        let nothing = credentials(&[]);

        // Tasks can serve the other tools; availability reads the calendar only.
        assert!(unconnected(ToolName::ManageProductivity, &reclaim_only).is_none());
        assert!(unconnected(ToolName::FindAndAnalyze, &reclaim_only).is_none());
        let setup = unconnected(ToolName::CheckAvailability, &reclaim_only).unwrap();
        assert_eq!(setup["needs_setup"], true);
        assert_eq!(
            setup["missing"],
            serde_json::json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
        );
        let setup = unconnected(ToolName::CheckAvailability, &key_only).unwrap();
        assert_eq!(setup["missing"], serde_json::json!(["NYLAS_GRANT_ID"]));
        let setup = unconnected(ToolName::ManageProductivity, &nothing).unwrap();
        assert_eq!(
            setup["missing"],
            serde_json::json!(["RECLAIM_API_KEY", "NYLAS_API_KEY", "NYLAS_GRANT_ID"])
        );
    }

    fn settings() -> Settings {
        Settings::from_source(&HashMap::new())
    }

    #[test]
    fn listing_has_the_four_tools_in_order() {
        let l = listing();
        let names: Vec<_> = l["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "manage_productivity",
                "find_and_analyze",
                "check_availability",
                "optimize_schedule"
            ]
        );
        for t in l["tools"].as_array().unwrap() {
            let schema = &t["inputSchema"];
            assert_eq!(schema["type"], "object");
            assert_eq!(
                schema["properties"]["user_timezone"]["x-context-injection"],
                "user_timezone"
            );
            assert!(
                schema.get("anyOf").is_none()
                    && schema.get("oneOf").is_none()
                    && schema.get("$ref").is_none()
            );
        }
    }

    #[test]
    fn arguments_wrapper_is_unwrapped_and_context_merged() {
        let body = json!({"arguments": {"query": "hi"}, "user_timezone": "Europe/Paris"});
        let args = unwrap_arguments(body.as_object().unwrap().clone()).unwrap();
        assert_eq!(args["query"], "hi");
        assert_eq!(args["user_timezone"], "Europe/Paris");
        let bare = json!({"query": "hi"});
        assert_eq!(
            unwrap_arguments(bare.as_object().unwrap().clone()).unwrap()["query"],
            "hi"
        );
        assert!(unwrap_arguments(json!({"arguments": 3}).as_object().unwrap().clone()).is_err());
    }

    #[test]
    fn argument_types_are_checked_against_the_schema() {
        let schema = ToolName::FindAndAnalyze.input_schema();
        let ok = json!({"query": "x", "scope": "Tasks", "user_timezone": "UTC", "extra": 1});
        assert!(check_argument_types(&schema, ok.as_object().unwrap()).is_ok());
        for bad in [
            json!({"scope": "everything"}),
            json!({"query": 5}),
            json!({"user_timezone": 5}),
            json!({"current_date": 20261201}),
        ] {
            assert!(
                check_argument_types(&schema, bad.as_object().unwrap()).is_err(),
                "{bad}"
            );
        }
        let m = ToolName::ManageProductivity.input_schema();
        assert!(
            check_argument_types(&m, json!({"duration_minutes": -5}).as_object().unwrap()).is_err()
        );
        assert!(
            check_argument_types(&m, json!({"duration_minutes": 30}).as_object().unwrap()).is_ok()
        );
    }

    #[test]
    fn user_context_uses_injected_fields() {
        let args = json!({"user_timezone": "America/New_York", "current_date": "2026-12-01", "current_time": "09:00:00"});
        let u = user_context(args.as_object().unwrap(), &settings(), Utc::now()).unwrap();
        assert_eq!(u.now.to_rfc3339(), "2026-12-01T09:00:00-05:00");
    }

    #[test]
    fn user_context_defaults_to_clock_and_default_zone() {
        let fixed = "2026-07-01T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let u = user_context(&Map::new(), &settings(), fixed).unwrap();
        assert_eq!(u.timezone.name(), "UTC");
        assert_eq!(u.now.to_rfc3339(), "2026-07-01T12:00:00+00:00");
    }

    #[test]
    fn context_dates_outside_1970_to_2199_or_malformed_are_refused() {
        let at = |date: &str, time: &str| {
            let args = json!({"user_timezone": "Pacific/Kiritimati", "current_date": date, "current_time": time});
            user_context(args.as_object().unwrap(), &settings(), Utc::now())
        };
        assert!(at("1970-01-01", "00:00:00").is_ok());
        assert!(at("2199-12-31", "23:59:59").is_ok());
        for (date, time) in [
            ("1969-12-31", "12:00:00"),
            ("2200-01-01", "12:00:00"),
            ("262143-12-31", "12:00:00"),
            ("-0001-01-01", "12:00:00"),
            ("+2026-12-01", "12:00:00"),
            ("2026-12-1", "12:00:00"),
            ("2026-12-01", "23:59:60"),
        ] {
            let error = at(date, time).expect_err(date);
            assert!(error.starts_with("current_"), "{error}");
        }
        assert!(at("2200-01-01", "12:00:00")
            .unwrap_err()
            .contains("outside the supported years 1970–2199"));
    }

    #[test]
    fn bad_context_is_rejected_readably() {
        for args in [
            json!({"user_timezone": "Mars/Base"}),
            json!({"current_date": "2026-02-30"}),
            json!({"current_time": "25:00:00"}),
        ] {
            assert!(user_context(args.as_object().unwrap(), &settings(), Utc::now()).is_err());
        }
    }

    #[test]
    fn dst_gap_wall_time_moves_forward() {
        let args = json!({"user_timezone": "America/New_York", "current_date": "2026-03-08", "current_time": "02:30:00"});
        let u = user_context(args.as_object().unwrap(), &settings(), Utc::now()).unwrap();
        assert_eq!(u.now.to_rfc3339(), "2026-03-08T03:30:00-04:00");
    }
}
