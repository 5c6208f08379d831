//! `FakeNylas`: Nylas v3 grants (each with its API key, email and calendars) and their events.
//!
//! Behaviour, following `specs/nylas-v3-email-calendar.yaml`:
//! * `Authorization: Bearer <key>` must be the grant's key, else 401 with the Nylas envelope
//!   `{"request_id","error":{"type":"unauthorized","message"}}`. An unknown grant id answers 404
//!   (`not_found_error`) when the key belongs to some grant, else 401.
//! * Responses are `{"request_id","data"[,"next_cursor"]}`.
//! * Every grant has a primary calendar whose id is the grant email; `primary` is accepted
//!   as a calendar id and resolved to it (stored events carry the real calendar id).
//! * `GET .../events` requires `calendar_id`; keeps events overlapping `[start, end)` (unix
//!   seconds; defaults now and now + 30 days, as the spec says); `limit` default 50, 1..=200
//!   else 400; sorted by start; pages with an opaque `next_cursor` passed back as `page_token`.
//!   Cancelled events are left out unless `show_cancelled=true` (then they are included).
//!   `title` (substring, case-insensitive) and `busy` filter too.
//! * `DELETE .../events/{id}` marks the event `status: "cancelled"` (Google semantics): hidden
//!   from lists, still readable by id.
//! * All-day events (`when` `{object:"date",date}` / `{object:"datespan",start_date,end_date}`,
//!   end date inclusive) cover whole UTC days for window filtering.
//! * `POST .../calendars/free-busy` answers busy slots for emails that belong to a fake grant
//!   (its non-cancelled busy timed events) and an empty list for other addresses.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use http::Method;
use serde_json::{json, Map, Value};

use crate::http_util::{json_body, json_response, segments, Call, Response};

pub const MAX_LIMIT: i64 = 200;
pub const DEFAULT_LIMIT: i64 = 50;

/// An event to seed, with defaults: confirmed, busy, 60 minutes at 2026-12-01 15:00Z (10:00 New York)
/// on the primary calendar, no participants.
#[derive(Debug, Clone, Default)]
pub struct EventSeed {
    fields: Map<String, Value>,
    tz: Option<String>,
}

impl EventSeed {
    pub fn new(title: &str) -> EventSeed {
        let mut fields = Map::new();
        fields.insert("title".into(), json!(title));
        EventSeed { fields, tz: None }
    }
    pub fn id(self, id: &str) -> Self {
        self.with("id", json!(id))
    }
    /// A timed event `[start, end)`.
    pub fn timespan(self, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        self.with(
            "when",
            json!({"object": "timespan", "start_time": start.timestamp(), "end_time": end.timestamp()}),
        )
    }
    /// A timed event starting at an RFC 3339 instant, lasting `minutes`.
    pub fn at(self, start_rfc3339: &str, minutes: i64) -> Self {
        let start = DateTime::parse_from_rfc3339(start_rfc3339)
            .expect("EventSeed::at needs an RFC 3339 instant")
            .with_timezone(&Utc);
        self.timespan(start, start + chrono::Duration::minutes(minutes))
    }
    /// IANA zone for `start_timezone`/`end_timezone` of a timed event.
    pub fn timezone(mut self, tz: &str) -> Self {
        self.tz = Some(tz.to_string());
        self
    }
    /// An all-day event on one date (`YYYY-MM-DD`).
    pub fn all_day(self, date: &str) -> Self {
        self.with("when", json!({"object": "date", "date": date}))
    }
    /// A multi-day all-day event, both dates inclusive.
    pub fn all_day_span(self, start_date: &str, end_date: &str) -> Self {
        self.with(
            "when",
            json!({"object": "datespan", "start_date": start_date, "end_date": end_date}),
        )
    }
    pub fn calendar(self, calendar_id: &str) -> Self {
        self.with("calendar_id", json!(calendar_id))
    }
    pub fn participant(mut self, email: &str, name: &str) -> Self {
        let mut list = self
            .fields
            .remove("participants")
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        list.push(json!({"email": email, "name": name, "status": "noreply"}));
        self.with("participants", Value::Array(list))
    }
    pub fn description(self, d: &str) -> Self {
        self.with("description", json!(d))
    }
    pub fn location(self, l: &str) -> Self {
        self.with("location", json!(l))
    }
    /// `confirmed` (default), `tentative` or `cancelled`.
    pub fn status(self, s: &str) -> Self {
        self.with("status", json!(s))
    }
    pub fn busy(self, busy: bool) -> Self {
        self.with("busy", json!(busy))
    }
    pub fn organizer(self, email: &str) -> Self {
        self.with("organizer", json!({"email": email, "name": ""}))
    }
    /// Any other field, in Nylas's snake_case.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.fields.insert(key.to_string(), value);
        self
    }
    /// A seed from raw event JSON (Nylas snake_case fields).
    pub fn from_json(v: &Value) -> EventSeed {
        EventSeed {
            fields: v.as_object().cloned().unwrap_or_default(),
            tz: None,
        }
    }
    pub fn into_json(self) -> Value {
        let mut v = Value::Object(self.fields);
        if let Some(tz) = self.tz {
            if v["when"]["object"] == json!("timespan") {
                v["when"]["start_timezone"] = json!(tz);
                v["when"]["end_timezone"] = json!(tz);
            }
        }
        v
    }
}

impl From<&str> for EventSeed {
    fn from(title: &str) -> Self {
        EventSeed::new(title)
    }
}

#[derive(Debug, Clone)]
struct Grant {
    api_key: String,
    email: String,
    provider: String,
    calendars: Vec<Value>,
    /// Whether `calendar_id=primary` is accepted (Google/Microsoft); iCloud grants do not.
    primary_alias: bool,
}

#[derive(Debug)]
struct State {
    grants: BTreeMap<String, Grant>,
    /// (grant id, event id) → event
    events: BTreeMap<(String, String), Value>,
    next_id: u64,
    next_request: u64,
    now: DateTime<Utc>,
}

/// The Nylas v3 fake. `Send + Sync`.
#[derive(Debug)]
pub struct FakeNylas {
    state: Mutex<State>,
}

impl Default for FakeNylas {
    fn default() -> Self {
        FakeNylas::new()
    }
}

fn err(status: u16, request_id: &str, kind: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({"request_id": request_id, "error": {"type": kind, "message": message}}),
    )
}

/// The `[start, end)` unix-second range an event occupies.
pub fn event_range(event: &Value) -> Option<(i64, i64)> {
    let w = &event["when"];
    let day = |s: &Value| -> Option<i64> {
        let d = NaiveDate::parse_from_str(s.as_str()?, "%Y-%m-%d").ok()?;
        Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
    };
    match w["object"].as_str() {
        Some("timespan") => Some((w["start_time"].as_i64()?, w["end_time"].as_i64()?)),
        Some("time") => {
            let t = w["time"].as_i64()?;
            Some((t, t))
        }
        Some("date") => {
            let s = day(&w["date"])?;
            Some((s, s + 86_400))
        }
        Some("datespan") => Some((day(&w["start_date"])?, day(&w["end_date"])? + 86_400)),
        _ => None,
    }
}

/// Checks and completes a `when` object from a request; `Err` is a 400 message.
fn validate_when(when: &Value) -> Result<Value, String> {
    let obj = when.as_object().ok_or("when: must be an object")?;
    let int = |k: &str| obj.get(k).and_then(Value::as_i64);
    let date = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let mut out = when.clone();
    if obj.contains_key("start_time") || obj.contains_key("end_time") {
        let (Some(s), Some(e)) = (int("start_time"), int("end_time")) else {
            return Err("when: start_time and end_time must both be unix timestamps".into());
        };
        if e <= s {
            return Err("when: end_time must be after start_time".into());
        }
        if obj.contains_key("start_timezone") != obj.contains_key("end_timezone") {
            return Err("when: start_timezone and end_timezone must be given together".into());
        }
        out["object"] = json!("timespan");
    } else if obj.contains_key("time") {
        int("time").ok_or("when.time: must be a unix timestamp")?;
        out["object"] = json!("time");
    } else if obj.contains_key("date") {
        date("date").ok_or("when.date: must be YYYY-MM-DD")?;
        out["object"] = json!("date");
    } else if obj.contains_key("start_date") || obj.contains_key("end_date") {
        let (Some(s), Some(e)) = (date("start_date"), date("end_date")) else {
            return Err("when: start_date and end_date must both be YYYY-MM-DD".into());
        };
        if e < s {
            return Err("when: end_date must not be before start_date".into());
        }
        out["object"] = json!("datespan");
    } else {
        return Err("when: expected time, timespan, date or datespan fields".into());
    }
    Ok(out)
}

fn validate_participants(p: &Value) -> Result<Value, String> {
    let list = p.as_array().ok_or("participants: must be an array")?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let email = item["email"].as_str().unwrap_or("");
        let valid = email
            .split_once('@')
            .map(|(a, d)| !a.is_empty() && d.contains('.') && !email.contains(' '))
            .unwrap_or(false);
        if !valid {
            return Err(format!(
                "participants[{i}].email: '{email}' is not a valid email address"
            ));
        }
        let mut p = item.clone();
        if p.get("status").is_none() {
            p["status"] = json!("noreply");
        }
        out.push(p);
    }
    Ok(Value::Array(out))
}

fn encode_cursor(offset: usize) -> String {
    format!(
        "CUR{}",
        format!("offset:{offset}")
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

fn decode_cursor(token: &str) -> Option<usize> {
    let hex = token.strip_prefix("CUR")?;
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?)
        .ok()?
        .strip_prefix("offset:")?
        .parse()
        .ok()
}

impl FakeNylas {
    pub fn new() -> FakeNylas {
        FakeNylas {
            state: Mutex::new(State {
                grants: BTreeMap::new(),
                events: BTreeMap::new(),
                next_id: 1,
                next_request: 1,
                now: crate::defaults::NOW_RFC3339
                    .parse()
                    .expect("valid default now"),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The instant used for `created_at`/`updated_at` and the default list window.
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.lock().now = now;
    }

    /// Adds (or replaces) a grant with a primary calendar whose id is `email`.
    pub fn add_grant(&self, grant_id: &str, api_key: &str, email: &str) {
        let primary = json!({
            "id": email, "grant_id": grant_id, "object": "calendar", "name": email,
            "is_primary": true, "read_only": false, "is_owned_by_user": true,
            "timezone": "America/New_York", "hex_color": "#039be5", "description": "",
        });
        self.lock().grants.insert(
            grant_id.to_string(),
            Grant {
                api_key: api_key.to_string(),
                email: email.to_string(),
                provider: "google".into(),
                calendars: vec![primary],
                primary_alias: true,
            },
        );
    }

    /// Makes a grant behave like iCloud: `calendar_id=primary` answers 404 and the client must
    /// use the real calendar id (from `GET /calendars`).
    pub fn make_icloud(&self, grant_id: &str) {
        let mut st = self.lock();
        let g = st
            .grants
            .get_mut(grant_id)
            .expect("FakeNylas::make_icloud: unknown grant");
        g.provider = "icloud".into();
        g.primary_alias = false;
    }

    /// Adds a secondary calendar to a grant.
    pub fn add_calendar(&self, grant_id: &str, calendar_id: &str, name: &str, read_only: bool) {
        let mut st = self.lock();
        let g = st
            .grants
            .get_mut(grant_id)
            .expect("FakeNylas::add_calendar: unknown grant");
        g.calendars.push(json!({
            "id": calendar_id, "grant_id": grant_id, "object": "calendar", "name": name,
            "is_primary": false, "read_only": read_only, "is_owned_by_user": !read_only,
            "timezone": "America/New_York", "hex_color": "#7986cb", "description": "",
        }));
    }

    pub fn has_grant(&self, grant_id: &str) -> bool {
        self.lock().grants.contains_key(grant_id)
    }

    /// Seeds an event (panics on an unknown grant or an invalid `when`); returns it.
    pub fn seed_event(&self, grant_id: &str, seed: impl Into<EventSeed>) -> Value {
        let mut st = self.lock();
        let fields = seed.into().into_json();
        let grant = st
            .grants
            .get(grant_id)
            .cloned()
            .expect("FakeNylas::seed_event: unknown grant; call add_grant first");
        let calendar = match fields["calendar_id"].as_str() {
            Some(id) => resolve_calendar(&grant, id),
            None => primary_calendar(&grant),
        }
        .expect("FakeNylas::seed_event: unknown calendar id");
        let when = match fields.get("when") {
            Some(w) => validate_when(w).expect("FakeNylas::seed_event: invalid when"),
            None => {
                json!({"object": "timespan", "start_time": st.now.timestamp() + 3600, "end_time": st.now.timestamp() + 7200})
            }
        };
        let id = match fields["id"].as_str() {
            Some(id) => id.to_string(),
            None => next_event_id(&mut st),
        };
        let mut event = new_event(&id, grant_id, &grant, &calendar, st.now);
        crate::http_util::merge_top_level(&mut event, &fields);
        event["when"] = when;
        event["calendar_id"] = json!(calendar);
        event["id"] = json!(id);
        st.events
            .insert((grant_id.to_string(), id.clone()), event.clone());
        event
    }

    /// Every event of a grant (cancelled ones too), sorted by start.
    pub fn events(&self, grant_id: &str) -> Vec<Value> {
        let st = self.lock();
        let mut list: Vec<Value> = st
            .events
            .iter()
            .filter(|((g, _), _)| g == grant_id)
            .map(|(_, e)| e.clone())
            .collect();
        list.sort_by_key(|e| {
            (
                event_range(e).map(|r| r.0).unwrap_or(0),
                e["id"].to_string(),
            )
        });
        list
    }

    pub fn event(&self, grant_id: &str, event_id: &str) -> Option<Value> {
        self.lock()
            .events
            .get(&(grant_id.to_string(), event_id.to_string()))
            .cloned()
    }

    /// Removes every grant and event.
    pub fn reset(&self) {
        let mut st = self.lock();
        st.grants.clear();
        st.events.clear();
        st.next_id = 1;
        st.next_request = 1;
    }

    /// Answers a request whose path starts at `/v3`.
    pub fn handle(&self, call: &Call<'_>) -> Response {
        let mut st = self.lock();
        let rid = format!("fake-nylas-req-{:06}", st.next_request);
        st.next_request += 1;
        let segs = segments(call.path);
        let (grant_id, rest) = match segs.as_slice() {
            ["v3", "grants", g, rest @ ..] => (g.to_string(), rest.to_vec()),
            _ => {
                return err(
                    404,
                    &rid,
                    "not_found_error",
                    "the requested path does not exist",
                )
            }
        };
        let key = call.bearer().unwrap_or_default();
        let grant = match st.grants.get(&grant_id) {
            Some(g) if g.api_key == key => g.clone(),
            Some(_) => return err(401, &rid, "unauthorized", "Unauthorized"),
            None if st.grants.values().any(|g| g.api_key == key) => {
                return err(404, &rid, "not_found_error", "grant not found")
            }
            None => return err(401, &rid, "unauthorized", "Unauthorized"),
        };
        let m = call.method;
        match rest.as_slice() {
            [] if m == Method::GET => json_response(
                200,
                &json!({"request_id": rid, "data": {
                    "id": grant_id, "provider": grant.provider, "grant_status": "valid",
                    "email": grant.email, "scope": ["https://www.googleapis.com/auth/calendar"],
                    "created_at": 1_735_689_600, "updated_at": 1_735_689_600, "settings": {},
                }}),
            ),
            ["calendars"] if m == Method::GET => {
                json_response(200, &json!({"request_id": rid, "data": grant.calendars}))
            }
            ["calendars", "free-busy"] if m == Method::POST => free_busy(&st, &rid, call),
            ["events"] if m == Method::GET => list_events(&st, &rid, &grant_id, &grant, call),
            ["events"] if m == Method::POST => create_event(&mut st, &rid, &grant_id, &grant, call),
            ["events", id] => {
                let Some(cal) = call.query("calendar_id") else {
                    return err(
                        400,
                        &rid,
                        "invalid_request_error",
                        "calendar_id is required",
                    );
                };
                let Some(cal) = resolve_calendar(&grant, cal) else {
                    return err(404, &rid, "not_found_error", "calendar not found");
                };
                let key = (grant_id.clone(), id.to_string());
                let now = st.now;
                let Some(event) = st
                    .events
                    .get_mut(&key)
                    .filter(|e| e["calendar_id"] == json!(cal))
                else {
                    return err(404, &rid, "not_found_error", "event not found");
                };
                match *m {
                    Method::GET => json_response(200, &json!({"request_id": rid, "data": event})),
                    Method::PUT => update_event(event, &rid, call, now),
                    Method::DELETE => {
                        event["status"] = json!("cancelled");
                        event["updated_at"] = json!(now.timestamp());
                        json_response(200, &json!({"request_id": rid}))
                    }
                    _ => err(405, &rid, "invalid_request_error", "method not allowed"),
                }
            }
            _ => err(
                404,
                &rid,
                "not_found_error",
                "the requested path does not exist",
            ),
        }
    }
}

fn next_event_id(st: &mut State) -> String {
    let id = format!("evt{:06}fake", st.next_id);
    st.next_id += 1;
    id
}

fn primary_calendar(grant: &Grant) -> Option<String> {
    grant
        .calendars
        .iter()
        .find(|c| c["is_primary"] == json!(true))
        .and_then(|c| c["id"].as_str())
        .map(str::to_string)
}

fn resolve_calendar(grant: &Grant, id: &str) -> Option<String> {
    if id == "primary" {
        return grant
            .primary_alias
            .then(|| primary_calendar(grant))
            .flatten();
    }
    grant
        .calendars
        .iter()
        .any(|c| c["id"] == json!(id))
        .then(|| id.to_string())
}

fn new_event(id: &str, grant_id: &str, grant: &Grant, calendar: &str, now: DateTime<Utc>) -> Value {
    json!({
        "id": id,
        "object": "event",
        "grant_id": grant_id,
        "calendar_id": calendar,
        "title": "",
        "description": null,
        "location": null,
        "participants": [],
        "organizer": {"email": grant.email, "name": ""},
        "status": "confirmed",
        "busy": true,
        "read_only": false,
        "hide_participants": false,
        "visibility": "public",
        "ical_uid": format!("{id}@fake.nylas.test"),
        "html_link": format!("https://calendar.example.test/event?eid={id}"),
        "reminders": {"use_default": true, "overrides": []},
        "metadata": {},
        "created_at": now.timestamp(),
        "updated_at": now.timestamp(),
    })
}

fn list_events(st: &State, rid: &str, grant_id: &str, grant: &Grant, call: &Call<'_>) -> Response {
    let Some(cal) = call.query("calendar_id") else {
        return err(400, rid, "invalid_request_error", "calendar_id is required");
    };
    let Some(cal) = resolve_calendar(grant, cal) else {
        return err(404, rid, "not_found_error", "calendar not found");
    };
    let int = |name: &str| -> Result<Option<i64>, String> {
        match call.query(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{name} must be an integer")),
        }
    };
    let (limit, start, end) = match (int("limit"), int("start"), int("end")) {
        (Ok(l), Ok(s), Ok(e)) => (l, s, e),
        (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => {
            return err(400, rid, "invalid_request_error", &m)
        }
    };
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return err(
            400,
            rid,
            "invalid_request_error",
            &format!("limit must be between 1 and {MAX_LIMIT}"),
        );
    }
    let start = start.unwrap_or(st.now.timestamp());
    let end = end.unwrap_or(st.now.timestamp() + 30 * 86_400);
    if start > end {
        return err(
            400,
            rid,
            "invalid_request_error",
            "start cannot be later than end",
        );
    }
    let offset = match call.query("page_token") {
        None => 0,
        Some(t) => match decode_cursor(t) {
            Some(o) => o,
            None => return err(400, rid, "invalid_request_error", "invalid page_token"),
        },
    };
    let show_cancelled = call.query("show_cancelled") == Some("true");
    let title = call.query("title").map(str::to_lowercase);
    let busy = call.query("busy").map(|b| b == "true");
    let mut matching: Vec<&Value> = st
        .events
        .iter()
        .filter(|((g, _), e)| g == grant_id && e["calendar_id"] == json!(cal))
        .map(|(_, e)| e)
        .filter(|e| show_cancelled || e["status"] != json!("cancelled"))
        .filter(|e| match event_range(e) {
            Some((s, en)) if s == en => s >= start && s < end,
            Some((s, en)) => s < end && en > start,
            None => false,
        })
        .filter(|e| {
            title.as_ref().is_none_or(|t| {
                e["title"]
                    .as_str()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(t.as_str())
            })
        })
        .filter(|e| busy.is_none_or(|b| e["busy"] == json!(b)))
        .collect();
    matching.sort_by_key(|e| {
        (
            event_range(e).map(|r| r.0).unwrap_or(0),
            e["id"].to_string(),
        )
    });
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit as usize)
        .map(|e| (*e).clone())
        .collect();
    let mut body = json!({"request_id": rid, "data": page});
    if offset + (limit as usize) < matching.len() {
        body["next_cursor"] = json!(encode_cursor(offset + limit as usize));
    }
    json_response(200, &body)
}

fn create_event(
    st: &mut State,
    rid: &str,
    grant_id: &str,
    grant: &Grant,
    call: &Call<'_>,
) -> Response {
    let Some(cal) = call.query("calendar_id") else {
        return err(400, rid, "invalid_request_error", "calendar_id is required");
    };
    let Some(cal) = resolve_calendar(grant, cal) else {
        return err(404, rid, "not_found_error", "calendar not found");
    };
    let body = match json_body(call.body) {
        Ok(Value::Object(b)) => b,
        Ok(_) => {
            return err(
                400,
                rid,
                "invalid_request_error",
                "error parsing request body",
            )
        }
        Err(e) => return err(400, rid, "invalid_request_error", &e),
    };
    let when = match body.get("when").map(validate_when) {
        Some(Ok(w)) => w,
        Some(Err(e)) => return err(400, rid, "invalid_request_error", &e),
        None => return err(400, rid, "invalid_request_error", "when is required"),
    };
    let participants = match body.get("participants").map(validate_participants) {
        Some(Ok(p)) => p,
        Some(Err(e)) => return err(400, rid, "invalid_request_error", &e),
        None => json!([]),
    };
    let id = next_event_id(st);
    let mut event = new_event(&id, grant_id, grant, &cal, st.now);
    for (k, v) in &body {
        if !matches!(
            k.as_str(),
            "id" | "grant_id" | "calendar_id" | "object" | "created_at" | "updated_at"
        ) {
            event[k.as_str()] = v.clone();
        }
    }
    event["when"] = when;
    event["participants"] = participants;
    st.events.insert((grant_id.to_string(), id), event.clone());
    json_response(200, &json!({"request_id": rid, "data": event}))
}

fn update_event(event: &mut Value, rid: &str, call: &Call<'_>, now: DateTime<Utc>) -> Response {
    let body = match json_body(call.body) {
        Ok(Value::Object(b)) => b,
        Ok(_) => {
            return err(
                400,
                rid,
                "invalid_request_error",
                "error parsing request body",
            )
        }
        Err(e) => return err(400, rid, "invalid_request_error", &e),
    };
    let mut updated = event.clone();
    for (k, v) in &body {
        match k.as_str() {
            "id" | "grant_id" | "calendar_id" | "object" | "created_at" | "updated_at" => {}
            "when" => match validate_when(v) {
                Ok(w) => updated["when"] = w,
                Err(e) => return err(400, rid, "invalid_request_error", &e),
            },
            "participants" => match validate_participants(v) {
                Ok(p) => updated["participants"] = p,
                Err(e) => return err(400, rid, "invalid_request_error", &e),
            },
            _ => updated[k.as_str()] = v.clone(),
        }
    }
    updated["updated_at"] = json!(now.timestamp());
    *event = updated.clone();
    json_response(200, &json!({"request_id": rid, "data": updated}))
}

fn free_busy(st: &State, rid: &str, call: &Call<'_>) -> Response {
    let body = match json_body(call.body) {
        Ok(b) => b,
        Err(e) => return err(400, rid, "invalid_request_error", &e),
    };
    let (Some(start), Some(end), Some(emails)) = (
        body["start_time"].as_i64(),
        body["end_time"].as_i64(),
        body["emails"].as_array(),
    ) else {
        return err(
            400,
            rid,
            "invalid_request_error",
            "start_time, end_time and emails are required",
        );
    };
    let data: Vec<Value> = emails
        .iter()
        .filter_map(Value::as_str)
        .map(|email| {
            let grant = st
                .grants
                .iter()
                .find(|(_, g)| g.email.eq_ignore_ascii_case(email));
            let mut slots: Vec<(i64, i64)> = match grant {
                None => vec![],
                Some((gid, _)) => st
                    .events
                    .iter()
                    .filter(|((g, _), e)| {
                        g == gid && e["status"] != json!("cancelled") && e["busy"] != json!(false)
                    })
                    .filter(|(_, e)| e["when"]["object"] == json!("timespan"))
                    .filter_map(|(_, e)| event_range(e))
                    .filter(|(s, e)| *s < end && *e > start)
                    .collect(),
            };
            slots.sort();
            json!({
                "email": email,
                "object": "free_busy",
                "time_slots": slots.iter().map(|(s, e)| json!({"start_time": s, "end_time": e, "status": "busy", "object": "time_slot"})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json_response(200, &json!({"request_id": rid, "data": data}))
}
