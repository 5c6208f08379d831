//! `FakeNylas`: Nylas v3 grants (each with its API key, email, provider and calendars) and their
//! events, including recurring series.
//!
//! Sources modelled (cited per behaviour; what could not be confirmed is listed in
//! `tests/specs/DEVIATIONS.md`):
//! * [E] `specs/nylas-v3-email-calendar.yaml` (the vendored Email/Calendar OpenAPI document).
//! * [R] developer.nylas.com/docs/v3/calendar/recurring-events (series = parent event with
//!   `recurrence: ["RRULE:…", "EXDATE:…"]` + occurrences sharing `master_event_id`; modified
//!   occurrences are overrides; `EXRULE` / `RDATE` unsupported).
//! * [N] nylas-nodejs `src/models/events.ts` `ListEventQueryParams.expandRecurring`: "If true,
//!   the response will include an event for each occurrence of a recurring event within the
//!   requested time range. If false, only a single primary event will be returned for each
//!   recurring event. Defaults to false."
//! * [X] developer.nylas.com/docs/api/errors (error `type`s and their HTTP codes).
//! * [M] developer.nylas.com/docs/cookbook/calendar/manage-calendars ("a primary one, shared
//!   team calendars, and read-only subscriptions like holidays"; every calendar carries
//!   `is_primary`, `read_only` and `is_owned_by_user`) and the 2026-08-18 changelog
//!   "owner_email on Microsoft calendars" (shared calendars come back with
//!   `is_owned_by_user: false`).
//! * [C] developer.nylas.com/docs/reference/api/calendar ("For iCloud, there is no primary
//!   calendar"; free/busy is not available for iCloud) and docs/cookbook/calendar/events/
//!   list-events-icloud ("iCloud doesn't accept `calendar_id=primary`").
//!
//! Behaviour:
//! * Auth [X]: a bearer that is no grant's key → 401 `api.authentication_error`; a key of
//!   another grant → 401 `api.authentication_error`; a key revoked with [`FakeNylas::revoke_key`]
//!   → 400 `token.unauthorized_access` ("Invalid API key."); an unknown grant id with a known
//!   key → 404 `grant.not_found`. Other misses are 404 `api.not_found_error`, bad requests 400
//!   `api.invalid_request_error`. Bodies: `{"request_id","error":{"type","message"}}`.
//! * Responses are `{"request_id","data"[,"next_cursor"]}`.
//! * Calendars [M]: every grant has a primary calendar whose id is the grant email; more with
//!   [`FakeNylas::add_calendar`] / [`FakeNylas::add_calendar_with`] (`is_primary`, `read_only`,
//!   `is_owned_by_user`, `name`); [`FakeNylas::set_calendars`] replaces them (a calendar removed
//!   there answers 404 "calendar not found" to reads and writes naming it). `primary` is accepted as a calendar id on Google and
//!   Microsoft grants; an iCloud grant answers 404 `api.not_found_error` to it [C]. Creating,
//!   updating or deleting on a `read_only` calendar answers 403 `api.provider_error`.
//! * `GET /v3/grants/{id}` answers the grant with its `provider` (`google`, `microsoft`,
//!   `icloud`).
//! * `GET .../events` requires `calendar_id`; keeps events overlapping `[start, end)` (unix
//!   seconds; defaults now and now + 30 days [E]); `limit` default 50, 1..=200 else 400; sorted
//!   by start; pages with an opaque `next_cursor` passed back as `page_token`. Cancelled events
//!   are left out unless `show_cancelled=true`. `title` (substring, case-insensitive) and `busy`
//!   filter too. iCloud: a window longer than six months is a 400 [E].
//! * Recurring series [R][N]: an event with a `recurrence` array is a series (master) whose
//!   `when` is its first occurrence. Without `expand_recurring=true` a list returns the master
//!   (when any occurrence falls in the window) and the overrides in the window; with it, every
//!   occurrence in the window as its own event: id `<master id>_<YYYYMMDDTHHMMSSZ>` (UTC
//!   start; `_<YYYYMMDD>` for all-day), `master_event_id` = the master's id, no `recurrence`,
//!   the master's other fields; overrides replace their generated occurrence, and the master
//!   itself is not listed. Expansion runs in the master's `start_timezone` (UTC when absent)
//!   on wall-clock times, so a series keeps its local time across DST ([`crate::rrule`]).
//! * Occurrences by id: `GET` answers a generated occurrence or its override; `PUT` on an
//!   occurrence stores an override (a `recurrence` in that body is a 400); `DELETE` on an
//!   occurrence stores a cancelled override; `PUT` on the master changes the series (overrides
//!   stay); `DELETE` on the master cancels the series and its overrides.
//! * `DELETE .../events/{id}` marks the event `status: "cancelled"` (Google semantics): hidden
//!   from lists, still readable by id; deleting it again answers 404.
//! * All-day events (`when` `{object:"date",date}` / `{object:"datespan",start_date,end_date}`,
//!   end date inclusive) cover whole UTC days for window filtering.
//! * Google event types [E `event_type`]: events may carry `event_type` (`default`,
//!   `outOfOffice`, `focusTime`, `workingLocation`). On Google grants a list without
//!   `event_type` returns only `default` events; with it (repeatable) exactly the listed types.
//!   Other providers ignore the parameter.
//! * `notify_participants` [E]: "Microsoft and iCloud do not support notify_participants=false":
//!   every write to an event with participants is recorded in [`FakeNylas::notifications`],
//!   with `sent: false` only on Google grants asked for `notify_participants=false`.
//! * `POST .../calendars/free-busy` answers busy slots for emails that belong to a fake grant
//!   (its non-cancelled busy timed events) and an empty list for other addresses; an iCloud
//!   grant answers 400 [C].

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use http::Method;
use serde_json::{json, Map, Value};

use crate::http_util::{json_body, json_response, segments, Call, Response};
use crate::rrule::Series;

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
    /// A recurring series: `["RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE:20261215T150000Z"]`; `when`
    /// is the first occurrence.
    pub fn recurrence(self, lines: &[&str]) -> Self {
        self.with("recurrence", json!(lines))
    }
    /// Google event type: `default`, `outOfOffice`, `focusTime`, `workingLocation`.
    pub fn event_type(self, t: &str) -> Self {
        self.with("event_type", json!(t))
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

/// One write the provider would announce to the participants (see module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub grant_id: String,
    pub event_id: String,
    /// `created`, `updated` or `cancelled`.
    pub action: String,
    /// Whether participants were emailed.
    pub sent: bool,
}

#[derive(Debug)]
struct State {
    grants: BTreeMap<String, Grant>,
    /// (grant id, event id) → event
    events: BTreeMap<(String, String), Value>,
    next_id: u64,
    next_request: u64,
    now: DateTime<Utc>,
    revoked_keys: Vec<String>,
    notifications: Vec<Notification>,
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
                revoked_keys: Vec::new(),
                notifications: Vec::new(),
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

    /// Makes a grant behave like iCloud: provider `icloud`, `calendar_id=primary` answers 404
    /// and the client must use a real calendar id (from `GET /calendars`).
    pub fn make_icloud(&self, grant_id: &str) {
        self.set_provider(grant_id, "icloud");
    }

    /// Makes a grant a Microsoft one (provider `microsoft`; `primary` accepted).
    pub fn make_microsoft(&self, grant_id: &str) {
        self.set_provider(grant_id, "microsoft");
    }

    /// Sets a grant's provider (`google`, `microsoft`, `icloud`); only iCloud lacks `primary`.
    pub fn set_provider(&self, grant_id: &str, provider: &str) {
        let mut st = self.lock();
        let g = st
            .grants
            .get_mut(grant_id)
            .expect("FakeNylas::set_provider: unknown grant");
        g.provider = provider.to_string();
        g.primary_alias = provider != "icloud";
    }

    /// Adds a secondary calendar to a grant (a read-only one is not owned by the user, like a
    /// holidays or subscribed calendar).
    pub fn add_calendar(&self, grant_id: &str, calendar_id: &str, name: &str, read_only: bool) {
        self.add_calendar_with(
            grant_id,
            calendar_id,
            name,
            json!({"read_only": read_only, "is_owned_by_user": !read_only}),
        );
    }

    /// Adds a calendar with any fields overridden (`is_primary`, `read_only`,
    /// `is_owned_by_user`, `timezone`, ...). A new `is_primary: true` calendar takes the
    /// primary role from the previous one.
    pub fn add_calendar_with(&self, grant_id: &str, calendar_id: &str, name: &str, fields: Value) {
        let mut st = self.lock();
        let g = st
            .grants
            .get_mut(grant_id)
            .expect("FakeNylas::add_calendar_with: unknown grant");
        let mut cal = json!({
            "id": calendar_id, "grant_id": grant_id, "object": "calendar", "name": name,
            "is_primary": false, "read_only": false, "is_owned_by_user": true,
            "timezone": "America/New_York", "hex_color": "#7986cb", "description": "",
        });
        crate::http_util::merge_top_level(&mut cal, &fields);
        if cal["is_primary"] == json!(true) {
            for c in &mut g.calendars {
                c["is_primary"] = json!(false);
            }
        }
        g.calendars.retain(|c| c["id"] != json!(calendar_id));
        g.calendars.push(cal);
    }

    /// Replaces a grant's calendars with exactly these (the first listed wins nothing: the
    /// primary is the one with `is_primary: true`, if any). Each value needs `id` and `name`.
    pub fn set_calendars(&self, grant_id: &str, calendars: Vec<Value>) {
        let mut st = self.lock();
        let g = st
            .grants
            .get_mut(grant_id)
            .expect("FakeNylas::set_calendars: unknown grant");
        g.calendars = calendars
            .into_iter()
            .map(|fields| {
                let mut cal = json!({
                    "grant_id": grant_id, "object": "calendar", "is_primary": false,
                    "read_only": false, "is_owned_by_user": true,
                    "timezone": "America/New_York", "hex_color": "#7986cb", "description": "",
                });
                crate::http_util::merge_top_level(&mut cal, &fields);
                cal
            })
            .collect();
    }

    /// From now on this key answers 400 `token.unauthorized_access` ("Invalid API key.").
    pub fn revoke_key(&self, api_key: &str) {
        self.lock().revoked_keys.push(api_key.to_string());
    }

    /// Every participant notification the provider would have sent (or withheld).
    pub fn notifications(&self) -> Vec<Notification> {
        self.lock().notifications.clone()
    }

    /// The occurrences of a stored series (generated ones and overrides, cancelled ones left
    /// out) that start before `until`, as the expanded list shows them.
    pub fn occurrences(&self, grant_id: &str, master_id: &str, until: DateTime<Utc>) -> Vec<Value> {
        let st = self.lock();
        let Some(master) = st
            .events
            .get(&(grant_id.to_string(), master_id.to_string()))
        else {
            return vec![];
        };
        let mut list: Vec<Value> = expand_master(master, until.timestamp())
            .into_iter()
            .map(|occ| {
                let key = (
                    grant_id.to_string(),
                    occ["id"].as_str().unwrap_or("").to_string(),
                );
                st.events.get(&key).cloned().unwrap_or(occ)
            })
            .filter(|e| e["status"] != json!("cancelled"))
            .collect();
        list.sort_by_key(|e| event_range(e).map(|r| r.0).unwrap_or(0));
        list
    }

    /// Every grant id.
    pub fn grant_ids(&self) -> Vec<String> {
        self.lock().grants.keys().cloned().collect()
    }

    /// A grant's calendars as `GET /calendars` lists them.
    pub fn calendars(&self, grant_id: &str) -> Vec<Value> {
        self.lock()
            .grants
            .get(grant_id)
            .map(|g| g.calendars.clone())
            .unwrap_or_default()
    }

    /// A grant's provider (`google`, `microsoft`, `icloud`).
    pub fn provider(&self, grant_id: &str) -> Option<String> {
        self.lock().grants.get(grant_id).map(|g| g.provider.clone())
    }

    /// The `start_time`s (Unix seconds) of [`FakeNylas::occurrences`].
    pub fn occurrence_starts(
        &self,
        grant_id: &str,
        master_id: &str,
        until: &DateTime<Utc>,
    ) -> Vec<i64> {
        self.occurrences(grant_id, master_id, *until)
            .iter()
            .filter_map(|e| event_range(e).map(|(start, _)| start))
            .collect()
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
        if let Some(lines) = fields.get("recurrence") {
            recurrence_lines(lines).expect("FakeNylas::seed_event: invalid recurrence");
        }
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
                    "api.not_found_error",
                    "the requested path does not exist",
                )
            }
        };
        let key = call.bearer().unwrap_or_default();
        if st.revoked_keys.contains(&key) {
            return err(400, &rid, "token.unauthorized_access", "Invalid API key.");
        }
        let grant = match st.grants.get(&grant_id) {
            Some(g) if g.api_key == key => g.clone(),
            Some(_) => return err(401, &rid, "api.authentication_error", "Unauthorized"),
            None if st.grants.values().any(|g| g.api_key == key) => {
                return err(404, &rid, "grant.not_found", "Grant not found.")
            }
            None => return err(401, &rid, "api.authentication_error", "Unauthorized"),
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
            ["calendars", "free-busy"] if m == Method::POST => {
                if grant.provider == "icloud" {
                    return err(
                        400,
                        &rid,
                        "api.invalid_request_error",
                        "free/busy is not supported for iCloud",
                    );
                }
                free_busy(&st, &rid, call)
            }
            ["events"] if m == Method::GET => list_events(&st, &rid, &grant_id, &grant, call),
            ["events"] if m == Method::POST => create_event(&mut st, &rid, &grant_id, &grant, call),
            ["events", id] => event_by_id(&mut st, &rid, &grant_id, &grant, id, call),
            _ => err(
                404,
                &rid,
                "api.not_found_error",
                "the requested path does not exist",
            ),
        }
    }
}

/// The calendar a request names (`calendar_id`, required), resolved; `Err` is the answer.
fn request_calendar(grant: &Grant, rid: &str, call: &Call<'_>) -> Result<String, Box<Response>> {
    let Some(cal) = call.query("calendar_id") else {
        return Err(Box::new(err(
            400,
            rid,
            "api.invalid_request_error",
            "calendar_id is required",
        )));
    };
    resolve_calendar(grant, cal)
        .ok_or_else(|| Box::new(err(404, rid, "api.not_found_error", "calendar not found")))
}

fn calendar_is_read_only(grant: &Grant, cal: &str) -> bool {
    grant
        .calendars
        .iter()
        .any(|c| c["id"] == json!(cal) && c["read_only"] == json!(true))
}

fn read_only_error(rid: &str) -> Response {
    err(
        403,
        rid,
        "api.provider_error",
        "You need to have writer access to this calendar.",
    )
}

/// `GET` / `PUT` / `DELETE` on one event, a series master, an override or a generated
/// occurrence.
fn event_by_id(
    st: &mut State,
    rid: &str,
    grant_id: &str,
    grant: &Grant,
    id: &str,
    call: &Call<'_>,
) -> Response {
    let cal = match request_calendar(grant, rid, call) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let key = (grant_id.to_string(), id.to_string());
    let stored = st
        .events
        .get(&key)
        .filter(|e| e["calendar_id"] == json!(cal))
        .cloned();
    let Some(event) = stored.or_else(|| generated_occurrence(st, grant_id, &cal, id)) else {
        return err(404, rid, "api.not_found_error", "event not found");
    };
    let m = call.method;
    if *m == Method::GET {
        return json_response(200, &json!({"request_id": rid, "data": event}));
    }
    if *m != Method::PUT && *m != Method::DELETE {
        return err(405, rid, "api.invalid_request_error", "method not allowed");
    }
    if calendar_is_read_only(grant, &cal) {
        return read_only_error(rid);
    }
    let now = st.now;
    if *m == Method::PUT {
        let mut event = event;
        let answer = update_event(&mut event, rid, call, now);
        if answer.status() == 200 {
            record_notification(st, grant_id, grant, &event, "updated", call);
            st.events.insert(key, event);
        }
        return answer;
    }
    if event["status"] == json!("cancelled") {
        return err(404, rid, "api.not_found_error", "event not found");
    }
    let mut event = event;
    event["status"] = json!("cancelled");
    event["updated_at"] = json!(now.timestamp());
    record_notification(st, grant_id, grant, &event, "cancelled", call);
    if event.get("recurrence").is_some_and(|r| !r.is_null()) {
        for ((g, _), e) in st.events.iter_mut() {
            if g == grant_id && e["master_event_id"] == json!(id) {
                e["status"] = json!("cancelled");
                e["updated_at"] = json!(now.timestamp());
            }
        }
    }
    st.events.insert(key, event);
    json_response(200, &json!({"request_id": rid}))
}

/// Records what the participants would be told about a write (see module docs).
fn record_notification(
    st: &mut State,
    grant_id: &str,
    grant: &Grant,
    event: &Value,
    action: &str,
    call: &Call<'_>,
) {
    if event["participants"]
        .as_array()
        .is_none_or(|p| p.is_empty())
    {
        return;
    }
    let asked_silence = call.query("notify_participants") == Some("false");
    st.notifications.push(Notification {
        grant_id: grant_id.to_string(),
        event_id: event["id"].as_str().unwrap_or("").to_string(),
        action: action.to_string(),
        sent: !(asked_silence && grant.provider == "google"),
    });
}

/// Parses a `recurrence` value (array of strings).
fn recurrence_lines(v: &Value) -> Result<Series, String> {
    let lines: Option<Vec<String>> = v
        .as_array()
        .map(|a| a.iter().map(|l| l.as_str().map(str::to_string)).collect())
        .and_then(|l: Option<Vec<String>>| l);
    let lines = lines.ok_or("recurrence: must be an array of strings")?;
    Series::parse(&lines)
}

fn is_master(e: &Value) -> bool {
    e["recurrence"].as_array().is_some_and(|r| !r.is_empty()) && e["master_event_id"].is_null()
}

/// The occurrence id of a series master starting at `start` (Google's instance id form).
pub fn occurrence_id(master_id: &str, start: DateTime<Utc>, all_day: bool) -> String {
    if all_day {
        format!("{master_id}_{}", start.format("%Y%m%d"))
    } else {
        format!("{master_id}_{}", start.format("%Y%m%dT%H%M%SZ"))
    }
}

/// Every occurrence of a master starting before `stop` (unix seconds), as events.
fn expand_master(master: &Value, stop: i64) -> Vec<Value> {
    let Ok(series) = recurrence_lines(&master["recurrence"]) else {
        return vec![];
    };
    let Some(stop) = DateTime::from_timestamp(stop, 0) else {
        return vec![];
    };
    let w = &master["when"];
    let master_id = master["id"].as_str().unwrap_or("");
    let occurrence = |when: Value, start: DateTime<Utc>, all_day: bool| {
        let mut occ = master.clone();
        if let Some(o) = occ.as_object_mut() {
            o.remove("recurrence");
        }
        occ["id"] = json!(occurrence_id(master_id, start, all_day));
        occ["master_event_id"] = json!(master_id);
        occ["when"] = when;
        occ
    };
    match w["object"].as_str() {
        Some("timespan") => {
            let (Some(s), Some(e)) = (w["start_time"].as_i64(), w["end_time"].as_i64()) else {
                return vec![];
            };
            let tz: chrono_tz::Tz = w["start_timezone"]
                .as_str()
                .and_then(|z| z.parse().ok())
                .unwrap_or(chrono_tz::Tz::UTC);
            let Some(first) = DateTime::from_timestamp(s, 0) else {
                return vec![];
            };
            let first_local = first.with_timezone(&tz).naive_local();
            series
                .occurrences(first_local, tz, stop)
                .into_iter()
                .map(|(_, start)| {
                    let mut when = w.clone();
                    when["start_time"] = json!(start.timestamp());
                    when["end_time"] = json!(start.timestamp() + (e - s));
                    occurrence(when, start, false)
                })
                .collect()
        }
        Some("date") | Some("datespan") => {
            let (first, days) = match event_range(master) {
                Some((s, e)) => (s, (e - s) / 86_400),
                None => return vec![],
            };
            let Some(first) = DateTime::from_timestamp(first, 0) else {
                return vec![];
            };
            series
                .occurrences(first.naive_utc(), chrono_tz::Tz::UTC, stop)
                .into_iter()
                .map(|(local, start)| {
                    let d = local.date();
                    let when = if w["object"] == json!("date") {
                        json!({"object": "date", "date": d.format("%Y-%m-%d").to_string()})
                    } else {
                        let end = d + chrono::Duration::days(days - 1);
                        json!({"object": "datespan", "start_date": d.format("%Y-%m-%d").to_string(),
                               "end_date": end.format("%Y-%m-%d").to_string()})
                    };
                    occurrence(when, start, true)
                })
                .collect()
        }
        _ => vec![],
    }
}

/// A not-yet-stored occurrence of a series on `cal`, by its id.
fn generated_occurrence(st: &State, grant_id: &str, cal: &str, id: &str) -> Option<Value> {
    let (master_id, stamp) = id.rsplit_once('_')?;
    let master = st
        .events
        .get(&(grant_id.to_string(), master_id.to_string()))
        .filter(|m| m["calendar_id"] == json!(cal) && is_master(m))?;
    let start = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .map(|t| t.and_utc())
        .or_else(|_| {
            NaiveDate::parse_from_str(stamp, "%Y%m%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .ok()?;
    expand_master(master, start.timestamp() + 1)
        .into_iter()
        .find(|o| o["id"] == json!(id))
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
    let cal = match request_calendar(grant, rid, call) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let (limit, start, end, offset) = match list_window(st, grant, call) {
        Ok(w) => w,
        Err(m) => return err(400, rid, "api.invalid_request_error", &m),
    };
    let expand = call.query("expand_recurring") == Some("true");
    let show_cancelled = call.query("show_cancelled") == Some("true");
    let title = call.query("title").map(str::to_lowercase);
    let busy = call.query("busy").map(|b| b == "true");
    let types = call.query_all("event_type");
    let in_window = |e: &Value| match event_range(e) {
        Some((s, en)) if s == en => s >= start && s < end,
        Some((s, en)) => s < end && en > start,
        None => false,
    };
    let mut instances: Vec<Value> = Vec::new();
    for ((g, _), e) in &st.events {
        if g != grant_id || e["calendar_id"] != json!(cal) {
            continue;
        }
        if !is_master(e) {
            instances.push(e.clone());
            continue;
        }
        let occurrences: Vec<Value> = expand_master(e, end)
            .into_iter()
            .filter(|o| in_window(o))
            .collect();
        if !expand {
            if !occurrences.is_empty() {
                instances.push(e.clone());
            }
            continue;
        }
        let overridden = |o: &Value| {
            let id = o["id"].as_str().unwrap_or("").to_string();
            st.events.contains_key(&(grant_id.to_string(), id))
        };
        if e["status"] != json!("cancelled") {
            instances.extend(occurrences.into_iter().filter(|o| !overridden(o)));
        }
    }
    let mut matching: Vec<Value> = instances
        .into_iter()
        .filter(|e| show_cancelled || e["status"] != json!("cancelled"))
        .filter(|e| is_master(e) || in_window(e))
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
        .filter(|e| event_type_selected(grant, &types, e))
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
        .cloned()
        .collect();
    let mut body = json!({"request_id": rid, "data": page});
    if offset + (limit as usize) < matching.len() {
        body["next_cursor"] = json!(encode_cursor(offset + limit as usize));
    }
    json_response(200, &body)
}

/// Google lists only `default` events unless `event_type` names others; other providers
/// ignore the parameter.
fn event_type_selected(grant: &Grant, types: &[String], e: &Value) -> bool {
    if grant.provider != "google" {
        return true;
    }
    let t = e["event_type"].as_str().unwrap_or("default");
    if types.is_empty() {
        t == "default"
    } else {
        types.iter().any(|x| x == t)
    }
}

/// `limit`, `start`, `end` and the page offset of a list request; `Err` is a 400 message.
fn list_window(
    st: &State,
    grant: &Grant,
    call: &Call<'_>,
) -> Result<(i64, i64, i64, usize), String> {
    let int = |name: &str| -> Result<Option<i64>, String> {
        match call.query(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{name} must be an integer")),
        }
    };
    let limit = int("limit")?.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(format!("limit must be between 1 and {MAX_LIMIT}"));
    }
    let start = int("start")?.unwrap_or(st.now.timestamp());
    let end = int("end")?.unwrap_or(st.now.timestamp() + 30 * 86_400);
    if start > end {
        return Err("start cannot be later than end".into());
    }
    if grant.provider == "icloud" && end - start > 183 * 86_400 {
        return Err("for iCloud the time range cannot be longer than six months".into());
    }
    let offset = match call.query("page_token") {
        None => 0,
        Some(t) => decode_cursor(t).ok_or("invalid page_token")?,
    };
    Ok((limit, start, end, offset))
}

fn create_event(
    st: &mut State,
    rid: &str,
    grant_id: &str,
    grant: &Grant,
    call: &Call<'_>,
) -> Response {
    let cal = match request_calendar(grant, rid, call) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if calendar_is_read_only(grant, &cal) {
        return read_only_error(rid);
    }
    let body = match json_body(call.body) {
        Ok(Value::Object(b)) => b,
        Ok(_) => {
            return err(
                400,
                rid,
                "api.invalid_request_error",
                "error parsing request body",
            )
        }
        Err(e) => return err(400, rid, "api.invalid_request_payload", &e),
    };
    let when = match body.get("when").map(validate_when) {
        Some(Ok(w)) => w,
        Some(Err(e)) => return err(400, rid, "api.invalid_request_error", &e),
        None => return err(400, rid, "api.invalid_request_error", "when is required"),
    };
    let participants = match body.get("participants").map(validate_participants) {
        Some(Ok(p)) => p,
        Some(Err(e)) => return err(400, rid, "api.invalid_request_error", &e),
        None => json!([]),
    };
    if let Some(Err(e)) = body.get("recurrence").map(recurrence_lines) {
        return err(400, rid, "api.invalid_request_error", &e);
    }
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
    record_notification(st, grant_id, grant, &event, "created", call);
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
                "api.invalid_request_error",
                "error parsing request body",
            )
        }
        Err(e) => return err(400, rid, "api.invalid_request_payload", &e),
    };
    let occurrence = !event["master_event_id"].is_null();
    let mut updated = event.clone();
    for (k, v) in &body {
        match k.as_str() {
            "id" | "grant_id" | "calendar_id" | "object" | "created_at" | "updated_at"
            | "master_event_id" => {}
            "when" => match validate_when(v) {
                Ok(w) => updated["when"] = w,
                Err(e) => return err(400, rid, "api.invalid_request_error", &e),
            },
            "participants" => match validate_participants(v) {
                Ok(p) => updated["participants"] = p,
                Err(e) => return err(400, rid, "api.invalid_request_error", &e),
            },
            "recurrence" if occurrence && !v.is_null() => {
                return err(
                    400,
                    rid,
                    "api.invalid_request_error",
                    "recurrence can only be set on the series' master event",
                )
            }
            "recurrence" if !v.is_null() => match recurrence_lines(v) {
                Ok(_) => updated["recurrence"] = v.clone(),
                Err(e) => return err(400, rid, "api.invalid_request_error", &e),
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
        Err(e) => return err(400, rid, "api.invalid_request_payload", &e),
    };
    let (Some(start), Some(end), Some(emails)) = (
        body["start_time"].as_i64(),
        body["end_time"].as_i64(),
        body["emails"].as_array(),
    ) else {
        return err(
            400,
            rid,
            "api.invalid_request_error",
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
