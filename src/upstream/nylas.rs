//! Nylas v3 calendar client (`specs/nylas-v3-email-calendar.yaml`): events, calendars,
//! free/busy and grant info, for one request's API key and grant id.
//!
//! Responses come wrapped as `{request_id, data, next_cursor?}`; errors as
//! `{request_id, error: {type, message, provider_error}}`. `calendar_id` is a required query
//! parameter on every events call; `primary` names the user's main calendar (Google, Microsoft).
//! `GET /v3/grants/{grant_id}` belongs to Nylas' administration API and is not part of the
//! email/calendar spec file.

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use http::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Map, Value};

use super::error::{UpstreamError, UpstreamErrorKind};
use super::lenient;
use super::transport::{Idempotency, Transport};
use super::Provider;
use crate::config::SecretString;
use crate::domain::timezone::TimeZone;
use crate::ports::{Clock, Outbound};

/// The calendar id Nylas resolves to the user's main calendar.
pub const PRIMARY_CALENDAR: &str = "primary";

/// Google event types that block time: regular events, out of office, focus time
/// (`workingLocation` only says where someone works).
pub const BLOCKING_EVENT_TYPES: [&str; 3] = ["default", "outOfOffice", "focusTime"];
/// Largest `limit` Nylas accepts.
pub const MAX_PAGE_SIZE: u32 = 200;
/// Default cap on events gathered by one [`NylasClient::list_events`].
pub const DEFAULT_MAX_EVENTS: usize = 1000;
/// Default cap on pages fetched by one [`NylasClient::list_events`].
pub const DEFAULT_MAX_PAGES: usize = 10;
/// Calendar pages followed by [`NylasClient::list_calendars`].
const MAX_CALENDAR_PAGES: usize = 5;

const MAX_TITLE_CHARS: usize = 1024;
const MAX_DESCRIPTION_CHARS: usize = 8192;
const MAX_LOCATION_CHARS: usize = 255;

// ---------------------------------------------------------------------------------------------
// Events as Nylas returns them

/// When an event happens. Nylas sends one of four shapes (with or without an `object` tag).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "object", rename_all = "lowercase")]
pub enum EventWhen {
    Timespan {
        start_time: i64,
        end_time: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        start_timezone: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        end_timezone: Option<String>,
    },
    /// An all-day event on one date.
    Date { date: NaiveDate },
    /// An all-day event over several dates; `end_date` is the last day (inclusive).
    Datespan {
        start_date: NaiveDate,
        end_date: NaiveDate,
    },
    /// A point in time.
    Time {
        time: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        timezone: Option<String>,
    },
    /// A shape this client cannot read (the event is still listed).
    Unknown,
}

impl<'de> Deserialize<'de> for EventWhen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(EventWhen::from_value(&Value::deserialize(d)?))
    }
}

impl EventWhen {
    fn from_value(v: &Value) -> EventWhen {
        let int = |k: &str| {
            v.get(k).and_then(|x| {
                x.as_i64()
                    .or_else(|| x.as_f64().map(|f| f as i64))
                    .or_else(|| x.as_str().and_then(|s| s.trim().parse().ok()))
            })
        };
        let string = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let date = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        };
        if let (Some(start_time), Some(end_time)) = (int("start_time"), int("end_time")) {
            return EventWhen::Timespan {
                start_time,
                end_time,
                start_timezone: string("start_timezone"),
                end_timezone: string("end_timezone"),
            };
        }
        if let (Some(start_date), Some(end_date)) = (date("start_date"), date("end_date")) {
            return EventWhen::Datespan {
                start_date,
                end_date,
            };
        }
        if let Some(date) = date("date") {
            return EventWhen::Date { date };
        }
        if let Some(time) = int("time") {
            return EventWhen::Time {
                time,
                timezone: string("timezone"),
            };
        }
        EventWhen::Unknown
    }
}

/// Someone invited to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub email: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// `yes`, `no`, `maybe` or `noreply`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
}

/// The event's organizer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organizer {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

/// A calendar event as Nylas returns it (unknown fields ignored, missing ones defaulted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NylasEvent {
    pub id: String,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub calendar_id: String,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub title: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub location: Option<String>,
    #[serde(default = "unknown_when")]
    pub when: EventWhen,
    #[serde(default, deserialize_with = "participants")]
    pub participants: Vec<Participant>,
    /// `confirmed`, `tentative`/`maybe` or `cancelled`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(
        default = "lenient::yes",
        deserialize_with = "lenient::bool_default_true"
    )]
    pub busy: bool,
    #[serde(default, deserialize_with = "organizer")]
    pub organizer: Option<Organizer>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub html_link: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub read_only: bool,
    /// Set on an occurrence of a recurring series: the series' (master) event id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub master_event_id: Option<String>,
    /// `RRULE` / `EXDATE` lines of a series' master (empty for single events; occurrences
    /// may or may not repeat their master's). Non-string items are skipped.
    #[serde(default, deserialize_with = "string_list")]
    pub recurrence: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub created_at: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub updated_at: Option<i64>,
}

fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    })
}

fn unknown_when() -> EventWhen {
    EventWhen::Unknown
}

fn participants<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Participant>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|p| serde_json::from_value::<Participant>(p).ok())
            .filter(|p| !p.email.trim().is_empty())
            .collect(),
        _ => vec![],
    })
}

fn organizer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Organizer>, D::Error> {
    Ok(match Value::deserialize(d)? {
        v @ Value::Object(_) => serde_json::from_value(v).ok(),
        _ => None,
    })
}

impl NylasEvent {
    /// Start and end as instants. Timed events use their own unix times; all-day dates become
    /// local midnight to midnight in `tz` (a date span covers its last day too). A point in
    /// time starts and ends at once. `None` when the `when` shape is unknown.
    pub fn start_end_in(&self, tz: chrono_tz::Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match &self.when {
            EventWhen::Timespan {
                start_time,
                end_time,
                ..
            } => {
                let s = DateTime::from_timestamp(*start_time, 0)?;
                let e = DateTime::from_timestamp(*end_time, 0)?;
                Some((s, e.max(s)))
            }
            EventWhen::Time { time, .. } => {
                let t = DateTime::from_timestamp(*time, 0)?;
                Some((t, t))
            }
            EventWhen::Date { date } => Some((
                local_midnight(*date, tz)?,
                local_midnight(date.succ_opt()?, tz)?,
            )),
            EventWhen::Datespan {
                start_date,
                end_date,
            } => {
                let last = (*end_date).max(*start_date);
                Some((
                    local_midnight(*start_date, tz)?,
                    local_midnight(last.succ_opt()?, tz)?,
                ))
            }
            EventWhen::Unknown => None,
        }
    }

    pub fn is_all_day(&self) -> bool {
        matches!(
            self.when,
            EventWhen::Date { .. } | EventWhen::Datespan { .. }
        )
    }

    /// An occurrence of a recurring series.
    pub fn is_occurrence(&self) -> bool {
        self.master_event_id
            .as_deref()
            .is_some_and(|m| !m.is_empty())
    }

    /// The series this event belongs to: its master's id for an occurrence, its own id for a
    /// series master, `None` for a single event.
    pub fn series_id(&self) -> Option<&str> {
        match self.master_event_id.as_deref().filter(|m| !m.is_empty()) {
            Some(m) => Some(m),
            None if !self.recurrence.is_empty() => Some(&self.id),
            None => None,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("cancelled"))
    }

    /// The event's own IANA zone (`start_timezone`), when it has one.
    pub fn timezone(&self) -> Option<&str> {
        match &self.when {
            EventWhen::Timespan { start_timezone, .. } => start_timezone.as_deref(),
            EventWhen::Time { timezone, .. } => timezone.as_deref(),
            _ => None,
        }
    }
}

/// The first instant of `date` in `tz` (when midnight is skipped by a DST change, the first
/// hour that exists).
pub fn local_midnight(date: NaiveDate, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    (0..=3).find_map(|h| {
        tz.from_local_datetime(&date.and_hms_opt(h, 0, 0)?)
            .earliest()
            .map(|d| d.with_timezone(&Utc))
    })
}

// ---------------------------------------------------------------------------------------------
// What we send

/// A timed span with the zone it was expressed in (`when` of a create or update).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timespan {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    timezone: TimeZone,
}

impl Timespan {
    /// A span that ends after it starts.
    pub fn new(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        timezone: TimeZone,
    ) -> Result<Timespan, String> {
        if end <= start {
            return Err("an event must end after it starts".into());
        }
        Ok(Timespan {
            start,
            end,
            timezone,
        })
    }
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }
    pub fn timezone(&self) -> TimeZone {
        self.timezone
    }

    fn to_json(self) -> Value {
        json!({
            "start_time": self.start.timestamp(),
            "end_time": self.end.timestamp(),
            "start_timezone": self.timezone.name(),
            "end_timezone": self.timezone.name(),
        })
    }
}

/// An invitee: a real email address, optionally with a display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitee {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The days of an all-day event, both inclusive (`last == first` for one day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllDayDates {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl AllDayDates {
    /// One day as `{"date"}`, several as `{"start_date","end_date"}` with `end_date` the
    /// last day (inclusive, as this client also reads it back; see tests/specs/DEVIATIONS.md).
    fn to_json(self) -> Value {
        if self.last <= self.first {
            json!({"date": self.first.to_string()})
        } else {
            json!({"start_date": self.first.to_string(), "end_date": self.last.to_string()})
        }
    }
}

/// An event to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub title: String,
    /// The span; ignored in the body when `all_day` is set.
    pub when: Timespan,
    /// An all-day event on these local dates (`when` is `date` / `datespan`).
    pub all_day: Option<AllDayDates>,
    /// `RRULE` / `EXDATE` lines of a series (empty: a single event).
    pub recurrence: Vec<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub participants: Vec<Invitee>,
    pub busy: bool,
}

impl NewEvent {
    pub fn new(title: impl Into<String>, when: Timespan) -> NewEvent {
        NewEvent {
            title: title.into(),
            when,
            all_day: None,
            recurrence: vec![],
            description: None,
            location: None,
            participants: vec![],
            busy: true,
        }
    }

    /// The `POST /events` body (`event_create`).
    pub fn to_body(&self) -> Value {
        let mut body = Map::new();
        body.insert(
            "title".into(),
            json!(truncate(&self.title, MAX_TITLE_CHARS)),
        );
        let when = match self.all_day {
            Some(days) => days.to_json(),
            None => self.when.to_json(),
        };
        body.insert("when".into(), when);
        body.insert("busy".into(), json!(self.busy));
        if !self.recurrence.is_empty() {
            body.insert("recurrence".into(), json!(self.recurrence));
        }
        if let Some(d) = &self.description {
            body.insert(
                "description".into(),
                json!(truncate(d, MAX_DESCRIPTION_CHARS)),
            );
        }
        if let Some(l) = &self.location {
            body.insert("location".into(), json!(truncate(l, MAX_LOCATION_CHARS)));
        }
        if !self.participants.is_empty() {
            body.insert("participants".into(), json!(self.participants));
        }
        Value::Object(body)
    }
}

/// A change to an event: only the `Some` fields are sent (`PUT` replaces those fields).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventUpdate {
    pub title: Option<String>,
    pub when: Option<Timespan>,
    pub description: Option<String>,
    pub location: Option<String>,
    /// The full new participant list (Nylas replaces the list).
    pub participants: Option<Vec<Invitee>>,
    pub busy: Option<bool>,
    /// New `RRULE` / `EXDATE` lines for a series' master (e.g. ending it with `UNTIL`).
    pub recurrence: Option<Vec<String>>,
}

impl EventUpdate {
    pub fn is_empty(&self) -> bool {
        self == &EventUpdate::default()
    }

    /// The `PUT /events/{id}` body (`event_update`).
    pub fn to_body(&self) -> Value {
        let mut body = Map::new();
        if let Some(t) = &self.title {
            body.insert("title".into(), json!(truncate(t, MAX_TITLE_CHARS)));
        }
        if let Some(w) = self.when {
            body.insert("when".into(), w.to_json());
        }
        if let Some(d) = &self.description {
            body.insert(
                "description".into(),
                json!(truncate(d, MAX_DESCRIPTION_CHARS)),
            );
        }
        if let Some(l) = &self.location {
            body.insert("location".into(), json!(truncate(l, MAX_LOCATION_CHARS)));
        }
        if let Some(p) = &self.participants {
            body.insert("participants".into(), json!(p));
        }
        if let Some(b) = self.busy {
            body.insert("busy".into(), json!(b));
        }
        if let Some(r) = &self.recurrence {
            body.insert("recurrence".into(), json!(r));
        }
        Value::Object(body)
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

// ---------------------------------------------------------------------------------------------
// Queries and other results

/// A window of events to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventQuery {
    pub calendar_id: String,
    /// Unix seconds.
    pub start: i64,
    /// Unix seconds.
    pub end: i64,
    /// Page size (capped at [`MAX_PAGE_SIZE`]).
    pub limit: u32,
    /// Stop after this many events (the result then says `truncated`).
    pub max_events: usize,
    /// Stop after this many pages (the result then says `truncated`).
    pub max_pages: usize,
}

impl EventQuery {
    /// Events on the primary calendar between two instants, with the default caps.
    pub fn between(start: DateTime<Utc>, end: DateTime<Utc>) -> EventQuery {
        EventQuery {
            calendar_id: PRIMARY_CALENDAR.to_string(),
            start: start.timestamp(),
            end: end.timestamp(),
            limit: MAX_PAGE_SIZE,
            max_events: DEFAULT_MAX_EVENTS,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

/// The events of a window, and whether a cap cut the list short.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    pub events: Vec<NylasEvent>,
    pub truncated: bool,
}

/// A calendar of the grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NylasCalendar {
    pub id: String,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub is_primary: bool,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub is_owned_by_user: bool,
}

/// One person's busy time from `calendars/free-busy`.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeBusy {
    pub email: String,
    pub busy: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Set when Nylas could not read this person's schedule.
    pub error: Option<String>,
}

/// The connected account behind the grant.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NylasGrant {
    pub id: Option<String>,
    pub email: Option<String>,
    /// `google`, `microsoft`, `icloud`, …
    pub provider: Option<String>,
    /// `valid` or `invalid` (needs re-authentication).
    pub grant_status: Option<String>,
}

impl NylasGrant {
    pub fn is_valid(&self) -> bool {
        self.grant_status
            .as_deref()
            .is_none_or(|s| !s.eq_ignore_ascii_case("invalid"))
    }
}

// ---------------------------------------------------------------------------------------------
// The client

/// A Nylas client for one request's API key and grant.
pub struct NylasClient<'a> {
    transport: Transport<'a>,
    grant_id: SecretString,
    clock: &'a dyn Clock,
    /// The grant's calendars, once read or found in the store (see [`super::nylas_calendars`]).
    pub(super) calendars: std::cell::RefCell<Option<super::nylas_calendars::CalendarSet>>,
    /// A provider refused `event_type` in this request (see [`NylasClient::list_page`]).
    event_types_refused: std::cell::Cell<bool>,
    /// Where the calendar list is kept across requests (optional).
    pub(super) store: Option<&'a dyn crate::ports::KeyValue>,
    /// The store key for this grant (a hash: the grant id is kept out of the store's keys).
    pub(super) store_key: String,
}

impl<'a> NylasClient<'a> {
    pub fn new(
        outbound: &'a dyn Outbound,
        clock: &'a dyn Clock,
        base_url: &str,
        api_key: &SecretString,
        grant_id: &SecretString,
    ) -> Self {
        NylasClient {
            transport: Transport::new(outbound, clock, Provider::Nylas, base_url, api_key)
                .with_secret(grant_id),
            grant_id: grant_id.clone(),
            clock,
            calendars: std::cell::RefCell::new(None),
            event_types_refused: std::cell::Cell::new(false),
            store: None,
            store_key: super::nylas_calendars::cache_key(base_url, grant_id.expose()),
        }
    }

    /// Keeps the grant's calendar list in `store` across requests (see
    /// [`super::nylas_calendars`]): `primary` is then replaced by the real write calendar up
    /// front, also on providers without the alias (iCloud).
    pub fn with_store(mut self, store: Option<&'a dyn crate::ports::KeyValue>) -> Self {
        self.store = store;
        let now = self.now();
        let known = store.and_then(|s| super::nylas_calendars::cached(s, &self.store_key, now));
        *self.calendars.borrow_mut() = known;
        self
    }

    /// Unix seconds now (for the calendar cache).
    pub(super) fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// `GET /v3/grants/{grant}/events`, following `next_cursor` until done or a cap is hit.
    pub async fn list_events(&self, query: &EventQuery) -> Result<EventPage, UpstreamError> {
        let limit = query.limit.clamp(1, MAX_PAGE_SIZE);
        let max_pages = query.max_pages.max(1);
        let mut events: Vec<NylasEvent> = vec![];
        // A misbehaving upstream may serve the same event on several pages: keep it once.
        let mut seen = std::collections::HashSet::new();
        let mut cursor: Option<String> = None;
        for _ in 0..max_pages {
            let mut params = vec![
                ("calendar_id", query.calendar_id.clone()),
                ("start", query.start.to_string()),
                ("end", query.end.to_string()),
                ("limit", limit.to_string()),
                // Without it Nylas returns a series' master (dated at its FIRST occurrence)
                // instead of the occurrences inside the window.
                ("expand_recurring", "true".to_string()),
            ];
            if let Some(c) = &cursor {
                params.push(("page_token", c.clone()));
            }
            let v = self.list_page(params).await?;
            let data = v
                .get("data")
                .and_then(Value::as_array)
                .ok_or_else(|| self.invalid("expected `data` to be a list of events"))?;
            events.extend(
                data.iter()
                    .filter_map(|e| serde_json::from_value::<NylasEvent>(e.clone()).ok())
                    .filter(|e| e.id.is_empty() || seen.insert(e.id.clone())),
            );
            cursor = next_cursor(&v);
            if events.len() >= query.max_events {
                let truncated = events.len() > query.max_events || cursor.is_some();
                events.truncate(query.max_events);
                return Ok(EventPage { events, truncated });
            }
            if cursor.is_none() {
                return Ok(EventPage {
                    events,
                    truncated: false,
                });
            }
        }
        Ok(EventPage {
            events,
            truncated: true,
        })
    }

    /// One page of events. Google lists only `default` events unless `event_type` names
    /// others, so out-of-office and focus time (which block time) are asked for too; should a
    /// provider refuse the parameter (it is documented as Google-only), the page is read again
    /// without it, and the rest of the request does without it.
    async fn list_page(&self, params: Vec<(&str, String)>) -> Result<Value, UpstreamError> {
        if !self.event_types_refused.get() {
            let mut typed = params.clone();
            typed.extend(
                BLOCKING_EVENT_TYPES
                    .iter()
                    .map(|t| ("event_type", t.to_string())),
            );
            match self.call(Method::GET, &["events"], &typed, None).await {
                Err(e) if e.status() == Some(400) && e.to_string().contains("event_type") => {
                    self.event_types_refused.set(true);
                }
                other => return other,
            }
        }
        self.call(Method::GET, &["events"], &params, None).await
    }

    /// `GET /v3/grants/{grant}/events/{id}?calendar_id=`.
    pub async fn get_event(
        &self,
        id: &str,
        calendar_id: &str,
    ) -> Result<NylasEvent, UpstreamError> {
        let v = self
            .call(
                Method::GET,
                &["events", id],
                &[("calendar_id", calendar_id.to_string())],
                None,
            )
            .await?;
        self.event(v)
    }

    /// `POST /v3/grants/{grant}/events?calendar_id=&notify_participants=` (not retried once it
    /// may have reached Nylas).
    pub async fn create_event(
        &self,
        calendar_id: &str,
        event: &NewEvent,
        notify_participants: bool,
    ) -> Result<NylasEvent, UpstreamError> {
        let v = self
            .call(
                Method::POST,
                &["events"],
                &[
                    ("calendar_id", calendar_id.to_string()),
                    ("notify_participants", notify_participants.to_string()),
                ],
                Some(&event.to_body()),
            )
            .await?;
        self.event(v)
    }

    /// `PUT /v3/grants/{grant}/events/{id}?calendar_id=&notify_participants=`.
    pub async fn update_event(
        &self,
        id: &str,
        calendar_id: &str,
        update: &EventUpdate,
        notify_participants: bool,
    ) -> Result<NylasEvent, UpstreamError> {
        let v = self
            .call(
                Method::PUT,
                &["events", id],
                &[
                    ("calendar_id", calendar_id.to_string()),
                    ("notify_participants", notify_participants.to_string()),
                ],
                Some(&update.to_body()),
            )
            .await?;
        self.event(v)
    }

    /// `DELETE /v3/grants/{grant}/events/{id}?calendar_id=&notify_participants=`.
    pub async fn delete_event(
        &self,
        id: &str,
        calendar_id: &str,
        notify_participants: bool,
    ) -> Result<(), UpstreamError> {
        self.call(
            Method::DELETE,
            &["events", id],
            &[
                ("calendar_id", calendar_id.to_string()),
                ("notify_participants", notify_participants.to_string()),
            ],
            None,
        )
        .await
        .map(|_| ())
    }

    /// `GET /v3/grants/{grant}/calendars` (following `next_cursor` a few pages).
    pub async fn list_calendars(&self) -> Result<Vec<NylasCalendar>, UpstreamError> {
        let mut calendars = vec![];
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_CALENDAR_PAGES {
            let mut params = vec![("limit", MAX_PAGE_SIZE.to_string())];
            if let Some(c) = &cursor {
                params.push(("page_token", c.clone()));
            }
            // `send`, not `call`: no calendar id to resolve here, and `call` may come here.
            let v = self
                .send(Method::GET, &["calendars"], &params, None)
                .await?;
            let data = v
                .get("data")
                .and_then(Value::as_array)
                .ok_or_else(|| self.invalid("expected `data` to be a list of calendars"))?;
            calendars.extend(
                data.iter()
                    .filter_map(|c| serde_json::from_value::<NylasCalendar>(c.clone()).ok()),
            );
            cursor = next_cursor(&v);
            if cursor.is_none() {
                break;
            }
        }
        Ok(calendars)
    }

    /// `POST /v3/grants/{grant}/calendars/free-busy`: busy slots per email. A read, so it is
    /// retried like a GET.
    pub async fn free_busy(
        &self,
        emails: &[String],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<FreeBusy>, UpstreamError> {
        let body = json!({
            "start_time": start.timestamp(),
            "end_time": end.timestamp(),
            "emails": emails,
        });
        let url = self.url(&["calendars", "free-busy"], &[])?;
        let v = self
            .transport
            .send_json(Method::POST, url, Some(&body), Idempotency::Idempotent)
            .await?;
        let data = v
            .get("data")
            .and_then(Value::as_array)
            .ok_or_else(|| self.invalid("expected `data` to be a list of schedules"))?;
        Ok(data
            .iter()
            .map(|item| FreeBusy {
                email: item
                    .get("email")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                busy: item
                    .get("time_slots")
                    .and_then(Value::as_array)
                    .map(|slots| {
                        slots
                            .iter()
                            .filter(|s| {
                                s.get("status")
                                    .and_then(Value::as_str)
                                    .is_none_or(|st| !st.eq_ignore_ascii_case("free"))
                            })
                            .filter_map(|s| {
                                let a =
                                    DateTime::from_timestamp(s.get("start_time")?.as_i64()?, 0)?;
                                let b = DateTime::from_timestamp(s.get("end_time")?.as_i64()?, 0)?;
                                Some((a, b))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                error: item
                    .get("error")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
            .collect())
    }

    /// `GET /v3/grants/{grant}`: the connected account (its email, provider and status).
    pub async fn grant(&self) -> Result<NylasGrant, UpstreamError> {
        let url = self
            .transport
            .url(&["v3", "grants", self.grant_id.expose()], &[])?;
        let v = self
            .transport
            .send_json(Method::GET, url, None, Idempotency::Idempotent)
            .await?;
        let data = v
            .get("data")
            .filter(|d| d.is_object())
            .ok_or_else(|| self.invalid("expected `data` to be a grant"))?;
        let s = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_string);
        Ok(NylasGrant {
            id: s("id"),
            email: s("email"),
            provider: s("provider"),
            grant_status: s("grant_status"),
        })
    }

    /// `/v3/grants/{grant}/` + segments.
    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Result<String, UpstreamError> {
        let mut all = vec!["v3", "grants", self.grant_id.expose()];
        all.extend_from_slice(segments);
        self.transport.url(&all, query)
    }

    /// Sends a request; `calendar_id=primary` is replaced by the real write calendar once the
    /// calendar list is known. When a provider rejects the calendar (iCloud has no `primary`;
    /// a cached calendar was deleted), the list is read again (one `GET /calendars`) and the
    /// request repeated on the calendar it names — the rejected request never reached a
    /// calendar, so repeating it is safe even for a create.
    async fn call(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, UpstreamError> {
        let first = self.with_primary_resolved(query);
        match self.send(method.clone(), segments, &first, body).await {
            Err(e) if rejects_calendar(&e) && uses_primary_alias(query) => {
                if names_calendar(&e) {
                    self.forget_calendars();
                }
                if self.calendar_set().await.is_err() {
                    return Err(e);
                }
                let retry = self.with_primary_resolved(query);
                if retry == first {
                    // The calendar was right: the 404 is about the item.
                    return Err(e);
                }
                self.send(method, segments, &retry, body).await
            }
            Err(e) if e.is_not_found() && names_calendar(&e) => {
                self.forget_calendars();
                Err(e)
            }
            other => other,
        }
    }

    async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, UpstreamError> {
        let url = self.url(segments, query)?;
        let idempotency = Idempotency::of(&method);
        self.transport
            .send_json(method, url, body, idempotency)
            .await
    }

    fn with_primary_resolved<'q>(&self, query: &[(&'q str, String)]) -> Vec<(&'q str, String)> {
        let resolved = self.known_write_calendar();
        query
            .iter()
            .map(
                |(k, v)| match (&resolved, *k == "calendar_id" && v == PRIMARY_CALENDAR) {
                    (Some(id), true) => (*k, id.clone()),
                    _ => (*k, v.clone()),
                },
            )
            .collect()
    }

    /// The calendar `primary` stands for in this request, when the calendar list is known.
    pub fn resolved_primary_calendar(&self) -> Option<String> {
        self.known_write_calendar()
    }

    fn event(&self, v: Value) -> Result<NylasEvent, UpstreamError> {
        let data = v
            .get("data")
            .cloned()
            .ok_or_else(|| self.invalid("expected `data` to hold an event"))?;
        serde_json::from_value(data)
            .map_err(|e| self.invalid(&format!("unexpected event shape ({e})")))
    }

    fn invalid(&self, detail: &str) -> UpstreamError {
        self.transport
            .error(UpstreamErrorKind::InvalidResponse(detail.to_string()))
    }
}

/// A 404, or a 400 about the calendar: what a provider without the `primary` alias answers.
fn rejects_calendar(e: &UpstreamError) -> bool {
    e.is_not_found()
        || (e.status() == Some(400) && e.to_string().to_lowercase().contains("calendar"))
}

/// The upstream's own explanation is about a calendar ("calendar not found"), not an event.
fn names_calendar(e: &UpstreamError) -> bool {
    match &e.kind {
        UpstreamErrorKind::NotFound(m) | UpstreamErrorKind::Rejected { message: m, .. } => {
            m.to_lowercase().contains("calendar")
        }
        _ => false,
    }
}

fn uses_primary_alias(query: &[(&str, String)]) -> bool {
    query
        .iter()
        .any(|(k, v)| *k == "calendar_id" && v == PRIMARY_CALENDAR)
}

fn next_cursor(v: &Value) -> Option<String> {
    v.get("next_cursor")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::ports::TransportError;
    use crate::upstream::testing::{FakeClock, ScriptedOutbound};
    use futures::executor::block_on;

    const KEY: &str = "nyk_v0_supersecretkey";
    const GRANT: &str = "41009df5-bf11-4c97-aa18-b285b5f2e386";
    const BASE: &str = "https://api.us.nylas.com";

    fn client<'a>(out: &'a ScriptedOutbound, clock: &'a FakeClock) -> NylasClient<'a> {
        NylasClient::new(
            out,
            clock,
            BASE,
            &SecretString::new(KEY),
            &SecretString::new(GRANT),
        )
    }

    /// The spec's `events` response example event.
    fn event_json(id: &str, start: i64) -> Value {
        json!({
            "busy": true, "calendar_id": "7d93zl2palhxqdy6e5qinsakt",
            "conferencing": {"provider": "Zoom Meeting", "details": {"meeting_code": "code-123456", "password": "password-123456", "url": "https://zoom.us/j/1234567890?pwd=1234567890"}},
            "created_at": 1661874192, "description": "Description of my new calendar",
            "hide_participants": false, "grant_id": GRANT,
            "html_link": "https://www.google.com/calendar/event?eid=bTMzcGJrNW4yYjk4bjk3OWE4Ef3feD2VuM29fMjAyMjA2MjdUMjIwMDAwWiBoYWxsYUBueWxhcy5jb20",
            "id": id, "location": "Roller Rink", "metadata": {"your_key": "your_value"}, "object": "event",
            "organizer": {"email": "organizer@example.com", "name": ""},
            "participants": [{"comment": "Aristotle", "email": "aristotle@example.com", "name": "Aristotle", "phone_number": "+1 23456778", "status": "maybe"}],
            "read_only": false, "reminders": {"use_default": false, "overrides": [{"reminder_minutes": 10, "reminder_method": "email"}]},
            "status": "confirmed", "title": "Birthday Party", "updated_at": 1661874192, "visibility": "private",
            "when": {"start_time": start, "end_time": start + 3600, "start_timezone": "America/New_York", "end_timezone": "America/New_York"}
        })
    }

    fn page(events: Vec<Value>, cursor: Option<&str>) -> Value {
        let mut v = json!({"request_id": "5fa64c92-e840-4357-86b9-2aa364d35b88", "data": events});
        if let Some(c) = cursor {
            v["next_cursor"] = json!(c);
        }
        v
    }

    fn window() -> EventQuery {
        EventQuery::between(
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap(),
        )
    }

    #[test]
    fn list_events_follows_cursors_to_completion() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            page(
                vec![event_json("a", 1764600000), event_json("b", 1764610000)],
                Some("CUR/+1="),
            ),
        );
        out.push_json(200, page(vec![event_json("c", 1764620000)], None));
        let clock = FakeClock::new();
        let page = block_on(client(&out, &clock).list_events(&window())).unwrap();
        assert_eq!(page.events.len(), 3);
        assert!(!page.truncated);

        let reqs = out.requests();
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[0].method, "GET");
        assert_eq!(reqs[0].path(), format!("/v3/grants/{GRANT}/events"));
        assert_eq!(reqs[0].query("calendar_id").as_deref(), Some("primary"));
        assert_eq!(reqs[0].query("start").as_deref(), Some("1796083200"));
        assert_eq!(reqs[0].query("end").as_deref(), Some("1796688000"));
        assert_eq!(reqs[0].query("limit").as_deref(), Some("200"));
        assert_eq!(reqs[0].query("page_token"), None);
        assert_eq!(reqs[1].query("page_token").as_deref(), Some("CUR/+1="));
        assert!(reqs[1].url.as_str().contains("page_token=CUR%2F%2B1%3D"));
        assert_eq!(
            reqs[0].header("authorization"),
            Some(&*format!("Bearer {KEY}"))
        );

        let e = &page.events[0];
        assert_eq!(e.title, "Birthday Party");
        assert_eq!(e.participants[0].email, "aristotle@example.com");
        assert_eq!(e.participants[0].status.as_deref(), Some("maybe"));
        assert_eq!(
            e.organizer.as_ref().unwrap().email.as_deref(),
            Some("organizer@example.com")
        );
        assert_eq!(e.timezone(), Some("America/New_York"));
        assert!(!e.is_all_day());
        assert!(!e.is_cancelled());
        let (s, end) = e.start_end_in(chrono_tz::UTC).unwrap();
        assert_eq!(s.timestamp(), 1764600000);
        assert_eq!((end - s).num_minutes(), 60);
    }

    #[test]
    fn list_events_stops_at_the_event_cap_and_says_so() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            page(vec![event_json("a", 1), event_json("b", 2)], Some("c1")),
        );
        out.push_json(
            200,
            page(vec![event_json("c", 3), event_json("d", 4)], Some("c2")),
        );
        let clock = FakeClock::new();
        let mut q = window();
        q.max_events = 3;
        q.limit = 500;
        let page = block_on(client(&out, &clock).list_events(&q)).unwrap();
        assert_eq!(page.events.len(), 3);
        assert!(page.truncated);
        assert_eq!(out.requests().len(), 2);
        assert_eq!(out.requests()[0].query("limit").as_deref(), Some("200"));
    }

    #[test]
    fn list_events_stops_at_the_page_cap_and_says_so() {
        let out = ScriptedOutbound::new();
        for i in 0..4 {
            out.push_json(
                200,
                page(vec![event_json(&format!("e{i}"), i)], Some("more")),
            );
        }
        let clock = FakeClock::new();
        let mut q = window();
        q.max_pages = 3;
        let page = block_on(client(&out, &clock).list_events(&q)).unwrap();
        assert_eq!(page.events.len(), 3);
        assert!(page.truncated);
        assert_eq!(out.requests().len(), 3);
    }

    #[test]
    fn exactly_reaching_the_cap_on_the_last_page_is_not_truncated() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            page(vec![event_json("a", 1), event_json("b", 2)], None),
        );
        let clock = FakeClock::new();
        let mut q = window();
        q.max_events = 2;
        let page = block_on(client(&out, &clock).list_events(&q)).unwrap();
        assert!(!page.truncated);
    }

    #[test]
    fn all_day_events_parse_and_span_local_days() {
        let out = ScriptedOutbound::new();
        let mut single = event_json("d1", 0);
        single["when"] = json!({"object": "date", "date": "2026-12-03"});
        let mut span = event_json("d2", 0);
        span["when"] = json!({"start_date": "2026-12-03", "end_date": "2026-12-04"});
        let mut point = event_json("d3", 0);
        point["when"] = json!({"object": "time", "time": 1764770400, "timezone": "UTC"});
        let mut weird = event_json("d4", 0);
        weird["when"] = json!({"object": "mystery"});
        weird["status"] = json!("cancelled");
        weird["participants"] =
            json!([{"name": "no email"}, {"email": "x@example.com", "name": null}]);
        out.push_json(200, page(vec![single, span, point, weird], None));
        let clock = FakeClock::new();
        let events = block_on(client(&out, &clock).list_events(&window()))
            .unwrap()
            .events;
        assert_eq!(events.len(), 4);
        let ny = chrono_tz::America::New_York;
        assert!(events[0].is_all_day());
        let (s, e) = events[0].start_end_in(ny).unwrap();
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 12, 3, 5, 0, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 12, 4, 5, 0, 0).unwrap());
        assert!(events[1].is_all_day());
        let (s, e) = events[1].start_end_in(ny).unwrap();
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 12, 3, 5, 0, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 12, 5, 5, 0, 0).unwrap());
        let (s, e) = events[2].start_end_in(ny).unwrap();
        assert_eq!(s, e);
        assert_eq!(events[3].when, EventWhen::Unknown);
        assert_eq!(events[3].start_end_in(ny), None);
        assert!(events[3].is_cancelled());
        assert_eq!(events[3].participants.len(), 1);
    }

    #[test]
    fn all_day_across_a_dst_change_has_23_hours() {
        let mut v = event_json("d", 0);
        v["when"] = json!({"date": "2026-03-08"});
        let e: NylasEvent = serde_json::from_value(v).unwrap();
        let (s, end) = e.start_end_in(chrono_tz::America::New_York).unwrap();
        assert_eq!((end - s).num_hours(), 23);
    }

    #[test]
    fn create_sends_when_with_zones_and_notify_flag_and_is_not_retried_on_500() {
        let out = ScriptedOutbound::new();
        out.push_json(
            503,
            json!({"request_id": "r", "error": {"type": "api_error", "message": "down"}}),
        );
        let clock = FakeClock::new();
        let tz = TimeZone::parse("America/New_York").unwrap();
        let when = Timespan::new(
            Utc.with_ymd_and_hms(2026, 12, 2, 19, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 2, 20, 0, 0).unwrap(),
            tz,
        )
        .unwrap();
        let mut ev = NewEvent::new("Sync with Sarah", when);
        ev.participants.push(Invitee {
            email: "sarah@acme.com".into(),
            name: None,
        });
        ev.location = Some("x".repeat(300));
        let err = block_on(client(&out, &clock).create_event("primary", &ev, true)).unwrap_err();
        assert_eq!(out.requests().len(), 1);
        assert_eq!(err.kind, UpstreamErrorKind::Unavailable { status: 503 });

        let req = &out.requests()[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.path(), format!("/v3/grants/{GRANT}/events"));
        assert_eq!(req.query("calendar_id").as_deref(), Some("primary"));
        assert_eq!(req.query("notify_participants").as_deref(), Some("true"));
        let body = req.json();
        assert_eq!(
            body["when"],
            json!({"start_time": 1796238000, "end_time": 1796241600, "start_timezone": "America/New_York", "end_timezone": "America/New_York"})
        );
        assert_eq!(body["title"], "Sync with Sarah");
        assert_eq!(body["participants"], json!([{"email": "sarah@acme.com"}]));
        assert_eq!(body["busy"], true);
        assert_eq!(body["location"].as_str().unwrap().len(), 255);
        assert!(body.get("description").is_none());
    }

    #[test]
    fn create_is_retried_when_the_connection_was_refused() {
        let out = ScriptedOutbound::new();
        out.push_err(TransportError::Connect("connection refused".into()));
        out.push_json(
            200,
            json!({"request_id": "r", "data": event_json("new1", 1764702000)}),
        );
        let clock = FakeClock::new();
        let when = Timespan::new(
            Utc.with_ymd_and_hms(2026, 12, 2, 19, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 2, 20, 0, 0).unwrap(),
            TimeZone::default(),
        )
        .unwrap();
        let created = block_on(client(&out, &clock).create_event(
            "primary",
            &NewEvent::new("Focus", when),
            false,
        ))
        .unwrap();
        assert_eq!(created.id, "new1");
        assert_eq!(out.requests().len(), 2);
        assert_eq!(
            out.requests()[1].query("notify_participants").as_deref(),
            Some("false")
        );
    }

    #[test]
    fn timespan_must_end_after_it_starts() {
        let t = Utc.with_ymd_and_hms(2026, 12, 2, 19, 0, 0).unwrap();
        assert!(Timespan::new(t, t, TimeZone::default()).is_err());
    }

    #[test]
    fn get_update_delete_use_encoded_ids_and_calendar() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            json!({"request_id": "r", "data": event_json("ev#1", 100)}),
        );
        out.push_json(
            200,
            json!({"request_id": "r", "data": event_json("ev#1", 200)}),
        );
        out.push_json(
            200,
            json!({"request_id": "5967ca40-a2d8-4ee0-a0e0-6f18ace39a90"}),
        );
        let clock = FakeClock::new();
        let c = client(&out, &clock);
        let e = block_on(c.get_event("ev#1", "primary")).unwrap();
        assert_eq!(e.id, "ev#1");
        let when = Timespan::new(
            DateTime::from_timestamp(200, 0).unwrap(),
            DateTime::from_timestamp(3800, 0).unwrap(),
            TimeZone::default(),
        )
        .unwrap();
        let update = EventUpdate {
            when: Some(when),
            ..Default::default()
        };
        block_on(c.update_event("ev#1", "cal 2", &update, false)).unwrap();
        block_on(c.delete_event("ev#1", "primary", true)).unwrap();

        let reqs = out.requests();
        let path = format!("/v3/grants/{GRANT}/events/ev%231");
        assert_eq!(reqs[0].method, "GET");
        assert_eq!(reqs[0].path(), path);
        assert_eq!(reqs[0].query("calendar_id").as_deref(), Some("primary"));
        assert_eq!(reqs[1].method, "PUT");
        assert_eq!(reqs[1].path(), path);
        assert_eq!(reqs[1].query("calendar_id").as_deref(), Some("cal 2"));
        assert_eq!(
            reqs[1].query("notify_participants").as_deref(),
            Some("false")
        );
        assert_eq!(
            reqs[1].json(),
            json!({"when": {"start_time": 200, "end_time": 3800, "start_timezone": "UTC", "end_timezone": "UTC"}})
        );
        assert_eq!(reqs[2].method, "DELETE");
        assert_eq!(reqs[2].path(), path);
        assert_eq!(
            reqs[2].query("notify_participants").as_deref(),
            Some("true")
        );
        assert!(reqs[2].body.is_empty());
    }

    #[test]
    fn all_day_and_series_bodies() {
        let when = Timespan::new(
            DateTime::from_timestamp(0, 0).unwrap(),
            DateTime::from_timestamp(60, 0).unwrap(),
            TimeZone::default(),
        )
        .unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let mut new = NewEvent::new("Out", when);
        new.all_day = Some(AllDayDates {
            first: day(22),
            last: day(31),
        });
        new.recurrence = vec!["RRULE:FREQ=YEARLY".into()];
        let body = new.to_body();
        assert_eq!(
            body["when"],
            json!({"start_date": "2026-12-22", "end_date": "2026-12-31"})
        );
        assert_eq!(body["recurrence"], json!(["RRULE:FREQ=YEARLY"]));
        new.all_day = Some(AllDayDates {
            first: day(3),
            last: day(3),
        });
        assert_eq!(new.to_body()["when"], json!({"date": "2026-12-03"}));
        let update = EventUpdate {
            recurrence: Some(vec!["RRULE:FREQ=DAILY;UNTIL=20261231".into()]),
            ..Default::default()
        };
        assert_eq!(
            update.to_body(),
            json!({"recurrence": ["RRULE:FREQ=DAILY;UNTIL=20261231"]})
        );
    }

    #[test]
    fn put_is_retried_on_500_up_to_the_bound() {
        let out = ScriptedOutbound::new();
        for _ in 0..3 {
            out.push_json(500, json!({}));
        }
        let clock = FakeClock::new();
        let update = EventUpdate {
            title: Some("t".into()),
            ..Default::default()
        };
        let err = block_on(client(&out, &clock).update_event("e", "primary", &update, false))
            .unwrap_err();
        assert_eq!(out.requests().len(), 3);
        assert!(err
            .to_string()
            .starts_with("Nylas is temporarily unavailable (500)"));
    }

    #[test]
    fn a_rejected_primary_alias_is_replaced_by_the_real_calendar() {
        let out = ScriptedOutbound::new();
        out.push_json(404, json!({"request_id": "r", "error": {"type": "not_found_error", "message": "calendar not found"}}));
        out.push_json(200, json!({"request_id": "r", "data": [
            {"id": "shared-cal", "name": "Team", "is_primary": false, "read_only": true},
            {"id": "home@icloud.com", "name": "Home", "is_primary": false, "read_only": false, "is_owned_by_user": true}
        ]}));
        out.push_json(200, json!({"request_id": "r", "data": []}));
        out.push_json(200, json!({"request_id": "r", "data": []}));
        let clock = FakeClock::new();
        let c = client(&out, &clock);
        block_on(c.list_events(&window())).unwrap();
        assert_eq!(
            c.resolved_primary_calendar().as_deref(),
            Some("home@icloud.com")
        );
        // Later calls in the same request use the real id at once.
        block_on(c.list_events(&window())).unwrap();
        let urls: Vec<String> = out.requests().iter().map(|r| r.url.to_string()).collect();
        assert_eq!(urls.len(), 4, "{urls:?}");
        assert!(urls[0].contains("calendar_id=primary"));
        assert!(urls[1].contains("/calendars"));
        assert!(
            urls[2].contains("calendar_id=home%40icloud.com"),
            "{urls:?}"
        );
        assert!(urls[3].contains("calendar_id=home%40icloud.com"));
    }

    #[test]
    fn get_404_is_not_found() {
        let out = ScriptedOutbound::new();
        out.push_json(404, json!({"request_id": "r", "error": {"type": "not_found_error", "message": "event not found"}}));
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).get_event("gone", "primary")).unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(err.provider, Provider::Nylas);
    }

    #[test]
    fn unauthorized_is_needs_setup_naming_key_and_grant_without_values() {
        let out = ScriptedOutbound::new();
        out.push_json(
            401,
            json!({"request_id": "r", "error": {"type": "unauthorized", "message": format!("Unauthorized grant {GRANT}")}}),
        );
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).list_events(&window())).unwrap_err();
        let creds = Credentials {
            nylas_api_key: Some(SecretString::new(KEY)),
            nylas_grant_id: Some(SecretString::new(GRANT)),
            ..Default::default()
        };
        let env = err.to_envelope(&creds);
        assert_eq!(env["missing"], json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"]));
        let text = format!("{env} {err} {err:?}");
        assert!(!text.contains(KEY) && !text.contains(GRANT), "{text}");
    }

    #[test]
    fn a_provider_refusing_event_type_is_read_again_without_it() {
        let out = ScriptedOutbound::new();
        out.push_json(
            400,
            json!({"request_id": "r", "error": {"type": "api.invalid_request_error", "message": "event_type is only supported for Google"}}),
        );
        out.push_json(200, page(vec![event_json("a", 1)], Some("c1")));
        out.push_json(200, page(vec![event_json("b", 2)], None));
        let clock = FakeClock::new();
        let got = block_on(client(&out, &clock).list_events(&window())).unwrap();
        assert_eq!(got.events.len(), 2);
        let urls: Vec<String> = out.requests().iter().map(|r| r.url.to_string()).collect();
        assert_eq!(urls.len(), 3);
        assert!(urls[0].contains("event_type=outOfOffice"), "{}", urls[0]);
        assert!(
            !urls[1].contains("event_type") && !urls[2].contains("event_type"),
            "{urls:?}"
        );
    }

    #[test]
    fn the_calendar_written_instead_of_primary_is_never_read_only() {
        let cal = |id: &str, primary: bool, ro: bool, owned: bool| NylasCalendar {
            id: id.into(),
            name: id.into(),
            timezone: None,
            is_primary: primary,
            read_only: ro,
            is_owned_by_user: owned,
        };
        let holidays = cal("holidays", false, true, false);
        let writable_primary = |calendars: &[NylasCalendar]| {
            let set = super::super::nylas_calendars::CalendarSet {
                calendars: calendars.to_vec(),
                provider: None,
            };
            set.write_calendar().map(|c| c.id.clone())
        };
        assert_eq!(
            writable_primary(&[holidays.clone(), cal("home", false, false, true)]).as_deref(),
            Some("home"),
            "a read-only first calendar is skipped"
        );
        assert_eq!(
            writable_primary(&[
                cal("ro-primary", true, true, true),
                cal("shared", false, false, false),
                cal("work", false, false, true)
            ])
            .as_deref(),
            Some("work"),
            "a read-only primary loses to an own writable calendar"
        );
        assert_eq!(
            writable_primary(&[holidays.clone(), cal("shared", false, false, false)]).as_deref(),
            Some("shared")
        );
        assert_eq!(writable_primary(&[holidays]), None);
    }

    fn nylas_error(_status: u16, kind: &str, message: &str) -> Value {
        json!({"request_id": "r", "error": {"type": kind, "message": message}})
    }

    fn creds() -> Credentials {
        Credentials {
            nylas_api_key: Some(SecretString::new(KEY)),
            nylas_grant_id: Some(SecretString::new(GRANT)),
            ..Default::default()
        }
    }

    #[test]
    fn errors_are_read_by_their_nylas_type() {
        let clock = FakeClock::new();
        let cases = [
            (
                404,
                "grant.not_found",
                json!(["NYLAS_GRANT_ID"]),
                "NYLAS_GRANT_ID",
            ),
            (
                401,
                "api.authentication_error",
                json!(["NYLAS_API_KEY"]),
                "nylas_base_url",
            ),
            (
                400,
                "token.unauthorized_access",
                json!(["NYLAS_API_KEY"]),
                "NYLAS_API_KEY",
            ),
        ];
        for (status, kind, missing, says) in cases {
            let out = ScriptedOutbound::new();
            out.push_json(status, nylas_error(status, kind, "x"));
            let err = block_on(client(&out, &clock).list_events(&window())).unwrap_err();
            let env = err.to_envelope(&creds());
            assert_eq!(env["needs_setup"], true, "{kind}: {env}");
            assert_eq!(env["missing"], missing, "{kind}");
            assert!(
                env["message"].as_str().unwrap().contains(says),
                "{kind}: {env}"
            );
            assert_eq!(
                out.requests().len(),
                1,
                "{kind}: no retry, no primary fallback"
            );
        }
        let out = ScriptedOutbound::new();
        out.push_json(
            401,
            nylas_error(401, "api.authentication_error", "Unauthorized"),
        );
        let err = block_on(client(&out, &clock).list_events(&window())).unwrap_err();
        assert!(err.to_string().contains("api.eu.nylas.com"), "{err}");
        // Any other 404 keeps the upstream's message and is no setup problem.
        let out = ScriptedOutbound::new();
        out.push_json(
            404,
            nylas_error(404, "api.not_found_error", "Event not found: ev9"),
        );
        let err = block_on(client(&out, &clock).get_event("ev9", "cal-1")).unwrap_err();
        let env = err.to_envelope(&creds());
        assert!(env.get("needs_setup").is_none(), "{env}");
        assert!(err.to_string().contains("Event not found: ev9"), "{err}");
    }

    #[test]
    fn a_retried_delete_that_then_finds_nothing_succeeded() {
        let out = ScriptedOutbound::new();
        out.push_err(TransportError::Timeout);
        out.push_json(
            404,
            nylas_error(404, "api.not_found_error", "event not found"),
        );
        let clock = FakeClock::new();
        block_on(client(&out, &clock).delete_event("ev1", "cal-1", false)).unwrap();
        assert_eq!(out.requests().len(), 2);
        // A first-attempt 404 is still an error.
        let out = ScriptedOutbound::new();
        out.push_json(
            404,
            nylas_error(404, "api.not_found_error", "event not found"),
        );
        let err = block_on(client(&out, &clock).delete_event("ev1", "cal-1", false)).unwrap_err();
        assert!(err.is_not_found());
    }

    #[test]
    fn bad_request_carries_the_nylas_message_scrubbed() {
        let out = ScriptedOutbound::new();
        out.push_json(
            400,
            json!({"request_id": "r", "error": {"type": "invalid_request_error", "message": format!("grant {GRANT}: end_time must be after start_time"), "provider_error": {}}}),
        );
        let clock = FakeClock::new();
        let err = block_on(client(&out, &clock).get_event("x", "primary")).unwrap_err();
        let text = err.to_string();
        assert_eq!(
            text,
            "Nylas rejected the request (400): grant ***: end_time must be after start_time"
        );
    }

    #[test]
    fn calendars_free_busy_and_grant() {
        let out = ScriptedOutbound::new();
        out.push_json(
            200,
            json!({"request_id": "r", "data": [{"description": "Description of my new calendar", "hex_color": "#039BE5", "id": "5d3qmne77v32r8l4phyuksl2x", "is_owned_by_user": true, "is_primary": true, "location": "Los Angeles, CA", "name": "My New Calendar", "object": "calendar", "read_only": false, "timezone": "America/Los_Angeles"}], "next_cursor": "n"}),
        );
        out.push_json(200, json!({"request_id": "r", "data": []}));
        out.push_json(500, json!({}));
        out.push_json(
            200,
            json!({"request_id": "dd3ec9a2", "data": [
                {"email": "user1@example.com", "time_slots": [{"start_time": 1690898400, "end_time": 1690902000, "status": "busy", "object": "time_slot"}], "object": "free_busy"},
                {"email": "user2@example.com", "error": "Unable to resolve e-mail address", "object": "error"}
            ]}),
        );
        out.push_json(
            200,
            json!({"request_id": "r", "data": {"id": GRANT, "provider": "google", "grant_status": "valid", "email": "me@example.com", "scope": ["calendar"]}}),
        );
        let clock = FakeClock::new();
        let c = client(&out, &clock);
        let cals = block_on(c.list_calendars()).unwrap();
        assert_eq!(cals.len(), 1);
        assert!(cals[0].is_primary);
        let fb = block_on(c.free_busy(
            &["user1@example.com".into(), "user2@example.com".into()],
            DateTime::from_timestamp(1690862400, 0).unwrap(),
            DateTime::from_timestamp(1691208000, 0).unwrap(),
        ))
        .unwrap();
        assert_eq!(fb[0].busy.len(), 1);
        assert_eq!(fb[0].busy[0].0.timestamp(), 1690898400);
        assert!(fb[1].error.is_some());
        let g = block_on(c.grant()).unwrap();
        assert_eq!(g.email.as_deref(), Some("me@example.com"));
        assert!(g.is_valid());

        let reqs = out.requests();
        assert_eq!(reqs[0].path(), format!("/v3/grants/{GRANT}/calendars"));
        assert_eq!(reqs[1].query("page_token").as_deref(), Some("n"));
        assert_eq!(reqs[2].method, "POST");
        assert_eq!(
            reqs[2].path(),
            format!("/v3/grants/{GRANT}/calendars/free-busy")
        );
        assert_eq!(
            reqs.len(),
            5,
            "free-busy is a read and was retried after the 500"
        );
        assert_eq!(
            reqs[3].json(),
            json!({"start_time": 1690862400, "end_time": 1691208000, "emails": ["user1@example.com", "user2@example.com"]})
        );
        assert_eq!(reqs[4].method, "GET");
        assert_eq!(reqs[4].path(), format!("/v3/grants/{GRANT}"));
    }
}
