//! The grant's calendars: which ones are the user's own (their busy time counts), which one a
//! write goes to, a calendar named by the user, and the grant's provider — read once
//! (`GET /v3/grants/{grant}/calendars`) and kept in the key-value store for
//! [`CACHE_TTL_SECS`], so the common case costs no extra upstream call per request.
//!
//! Which calendars count (Nylas "Manage calendars": "a primary one, shared team calendars, and
//! read-only subscriptions like holidays", each with `is_primary`, `read_only` and
//! `is_owned_by_user`): the primary calendar, and every calendar the user owns and can write.
//! Read-only calendars (holidays, subscriptions, birthdays) and calendars shared by someone
//! else (`is_owned_by_user: false`) do not. A grant whose list names none of these (iCloud may
//! mark no calendar primary) counts its write calendar.
//!
//! The cache key is a hash of the Nylas base URL and the grant id (never the raw id or key);
//! the value is JSON with `expires_at` (swept by [`crate::kv_sweep`]). A write that answers
//! "calendar not found" forgets it.

use futures::future::join_all;
use serde::{Deserialize, Serialize};

use super::error::UpstreamError;
use super::nylas::{EventPage, EventQuery, NylasCalendar, NylasClient, NylasEvent};
use super::PRIMARY_CALENDAR;
use crate::ports::KeyValue;

/// How long a read calendar list is trusted.
pub const CACHE_TTL_SECS: i64 = 10 * 60;
/// Key prefix of cached calendar lists (JSON values with `expires_at`).
pub const CACHE_PREFIX: &str = "juli-calendar/nylas-calendars/";

/// The grant's calendars and, once known, its provider (`google`, `microsoft`, `icloud`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarSet {
    pub calendars: Vec<NylasCalendar>,
    #[serde(default)]
    pub provider: Option<String>,
}

impl CalendarSet {
    /// The calendars whose events are the user's busy time (see the module docs).
    pub fn busy_calendars(&self) -> Vec<&NylasCalendar> {
        let own: Vec<&NylasCalendar> = self
            .calendars
            .iter()
            .filter(|c| counts_as_busy(c))
            .collect();
        if !own.is_empty() {
            return own;
        }
        self.write_calendar().into_iter().collect()
    }

    /// The calendar a write goes to when none is named: the primary one when it is writable,
    /// else the first own writable one, else any writable one; never a read-only calendar.
    pub fn write_calendar(&self) -> Option<&NylasCalendar> {
        let writable = || self.calendars.iter().filter(|c| !c.read_only);
        writable()
            .find(|c| c.is_primary)
            .or_else(|| writable().find(|c| c.is_owned_by_user))
            .or_else(|| writable().next())
    }

    /// The calendar a user named: its id, or its name ignoring case (and a trailing
    /// "calendar": "my Personal calendar" → "Personal"); `primary`/`main`/`default` is the
    /// write calendar.
    pub fn named(&self, wanted: &str) -> Option<&NylasCalendar> {
        let w = wanted.trim();
        if let Some(c) = self.calendars.iter().find(|c| c.id == w) {
            return Some(c);
        }
        let low = w.to_lowercase();
        let low = low.strip_prefix("my ").unwrap_or(&low).trim();
        let bare = low.strip_suffix(" calendar").unwrap_or(low).trim();
        if matches!(bare, "primary" | "main" | "default" | "calendar" | "") {
            return self.write_calendar();
        }
        self.calendars.iter().find(|c| {
            let name = c.name.trim().to_lowercase();
            name == low || name == bare || name.strip_suffix(" calendar") == Some(bare)
        })
    }

    /// The name of the calendar with this id (its id when it has no name).
    pub fn name_of(&self, id: &str) -> Option<String> {
        self.calendars.iter().find(|c| c.id == id).map(|c| {
            if c.name.trim().is_empty() {
                c.id.clone()
            } else {
                c.name.clone()
            }
        })
    }

    /// More than one calendar counts: answers then say which calendar each item is on.
    pub fn has_several(&self) -> bool {
        self.busy_calendars().len() > 1
    }

    /// Whether `notify_participants=false` is honoured: only Google does ("Microsoft and
    /// iCloud do not support notify_participants=false", Nylas events API). `None` while the
    /// provider is unknown.
    pub fn honours_silence(&self) -> Option<bool> {
        self.provider
            .as_deref()
            .map(|p| p.eq_ignore_ascii_case("google"))
    }

    /// Each calendar as an answer item: `{id, name, primary, read_only, owned, counts_as_busy,
    /// default_for_writes}`.
    pub fn to_json(&self) -> Vec<serde_json::Value> {
        let busy = self.busy_calendars();
        let write = self.write_calendar().map(|c| c.id.as_str());
        self.calendars
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id,
                    "name": c.name,
                    "primary": c.is_primary,
                    "read_only": c.read_only,
                    "owned_by_user": c.is_owned_by_user,
                    "counts_as_busy": busy.iter().any(|b| b.id == c.id),
                    "default_for_writes": write == Some(c.id.as_str()),
                    "timezone": c.timezone,
                })
            })
            .collect()
    }
}

fn counts_as_busy(c: &NylasCalendar) -> bool {
    c.is_primary || (c.is_owned_by_user && !c.read_only)
}

/// `juli-calendar/nylas-calendars/<sha256(base url, grant id) hex>`.
pub fn cache_key(base_url: &str, grant_id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{base_url}\n{grant_id}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{CACHE_PREFIX}{hex}")
}

#[derive(Serialize, Deserialize)]
struct Cached {
    expires_at: i64,
    #[serde(flatten)]
    set: CalendarSet,
}

/// The cached list under `key` while it is fresh.
pub fn cached(store: &dyn KeyValue, key: &str, now: i64) -> Option<CalendarSet> {
    let bytes = store.get(key).ok().flatten()?;
    let c: Cached = serde_json::from_slice(&bytes).ok()?;
    (c.expires_at > now).then_some(c.set)
}

/// Keeps `set` under `key` for [`CACHE_TTL_SECS`] (best effort).
pub fn remember(store: &dyn KeyValue, key: &str, set: &CalendarSet, now: i64) {
    let c = Cached {
        expires_at: now + CACHE_TTL_SECS,
        set: set.clone(),
    };
    if let Ok(bytes) = serde_json::to_vec(&c) {
        let _ = store.set(key, &bytes);
    }
}

impl NylasClient<'_> {
    /// The grant's calendars: this request's copy, the cached list, or one
    /// `GET /calendars` (then cached). A failed read that is not about the credentials leaves
    /// the set empty for this request (events are then read from `primary` alone).
    pub async fn calendar_set(&self) -> Result<CalendarSet, UpstreamError> {
        if let Some(set) = self.calendars.borrow().clone() {
            return Ok(set);
        }
        let now = self.now();
        if let Some(set) = self.store.and_then(|s| cached(s, &self.store_key, now)) {
            *self.calendars.borrow_mut() = Some(set.clone());
            return Ok(set);
        }
        let set = match self.list_calendars().await {
            Ok(calendars) => CalendarSet {
                calendars,
                provider: None,
            },
            Err(e) if e.is_unauthorized() => return Err(e),
            Err(_) => return Ok(CalendarSet::default()),
        };
        self.keep(&set);
        Ok(set)
    }

    /// The grant's provider: known with the calendar list once looked up, else one
    /// `GET /v3/grants/{grant}` (then cached with the list). `None` when it cannot be read.
    pub async fn provider(&self) -> Option<String> {
        let mut set = self.calendar_set().await.ok()?;
        if set.provider.is_none() {
            set.provider = self.grant().await.ok()?.provider;
            if !set.calendars.is_empty() {
                self.keep(&set);
            }
        }
        set.provider
    }

    /// The calendar list when this request has already read it (or found it cached).
    pub fn known_calendars(&self) -> Option<CalendarSet> {
        self.calendars.borrow().clone()
    }

    fn keep(&self, set: &CalendarSet) {
        *self.calendars.borrow_mut() = Some(set.clone());
        if let Some(store) = self.store {
            remember(store, &self.store_key, set, self.now());
        }
    }

    /// Forgets the calendar list (here and in the store): a calendar it named is gone.
    pub(super) fn forget_calendars(&self) {
        *self.calendars.borrow_mut() = None;
        if let Some(store) = self.store {
            let _ = store.delete(&self.store_key);
        }
    }

    /// The write calendar's id once the list is known in this request.
    pub(super) fn known_write_calendar(&self) -> Option<String> {
        self.calendars
            .borrow()
            .as_ref()
            .and_then(|s| s.write_calendar().map(|c| c.id.clone()))
    }

    /// Events between two instants on every calendar whose busy time counts, one read per
    /// calendar, concurrently; merged by start. Each event carries its calendar's id. A
    /// secondary calendar that is gone (404) is skipped and the cached list forgotten.
    pub async fn list_own_events(&self, query: &EventQuery) -> Result<EventPage, UpstreamError> {
        let set = self.calendar_set().await?;
        let mut ids: Vec<String> = set.busy_calendars().iter().map(|c| c.id.clone()).collect();
        if ids.is_empty() {
            ids.push(PRIMARY_CALENDAR.to_string());
        }
        let reads = join_all(ids.iter().map(|id| {
            let q = EventQuery {
                calendar_id: id.clone(),
                ..query.clone()
            };
            async move { self.list_events(&q).await }
        }))
        .await;
        let mut merged = EventPage {
            events: vec![],
            truncated: false,
        };
        for (i, (id, read)) in ids.iter().zip(reads).enumerate() {
            let page = match read {
                Ok(page) => page,
                Err(e) if i > 0 && e.is_not_found() => {
                    self.forget_calendars();
                    continue;
                }
                Err(e) => return Err(e),
            };
            merged.truncated |= page.truncated;
            merged
                .events
                .extend(page.events.into_iter().map(|e| on_calendar(e, id)));
        }
        merged
            .events
            .sort_by_key(|e| e.start_end_in(chrono_tz::Tz::UTC).map(|(s, _)| s));
        Ok(merged)
    }

    /// Events on one named calendar (by id), or on every calendar that counts when `None`.
    pub async fn list_events_in(
        &self,
        calendar_id: Option<&str>,
        query: &EventQuery,
    ) -> Result<EventPage, UpstreamError> {
        let Some(id) = calendar_id else {
            return self.list_own_events(query).await;
        };
        let q = EventQuery {
            calendar_id: id.to_string(),
            ..query.clone()
        };
        let mut page = self.list_events(&q).await?;
        page.events = page
            .events
            .into_iter()
            .map(|e| on_calendar(e, id))
            .collect();
        Ok(page)
    }

    /// One event by id: on the write calendar first, then (not found there) on the other
    /// calendars that count, concurrently.
    pub async fn get_own_event(&self, id: &str) -> Result<NylasEvent, UpstreamError> {
        let first = match self.get_event(id, PRIMARY_CALENDAR).await {
            Err(e) if e.is_not_found() => e,
            other => return other,
        };
        let set = self.calendar_set().await.unwrap_or_default();
        let write = set.write_calendar().map(|c| c.id.clone());
        let others: Vec<String> = set
            .busy_calendars()
            .iter()
            .map(|c| c.id.clone())
            .filter(|c| Some(c) != write.as_ref())
            .collect();
        let found = join_all(others.iter().map(|c| self.get_event(id, c))).await;
        found.into_iter().find_map(Result::ok).ok_or(first)
    }
}

/// An event with its calendar id filled in from the read that returned it.
fn on_calendar(mut e: NylasEvent, calendar_id: &str) -> NylasEvent {
    if e.calendar_id.is_empty() && calendar_id != PRIMARY_CALENDAR {
        e.calendar_id = calendar_id.to_string();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::MemoryStore;

    fn cal(id: &str, name: &str, primary: bool, read_only: bool, owned: bool) -> NylasCalendar {
        NylasCalendar {
            id: id.into(),
            name: name.into(),
            timezone: None,
            is_primary: primary,
            read_only,
            is_owned_by_user: owned,
        }
    }

    fn work_personal_holidays() -> CalendarSet {
        CalendarSet {
            calendars: vec![
                cal("hol", "US Holidays", false, true, false),
                cal("me@x.com", "me@x.com", true, false, true),
                cal("pers", "Personal", false, false, true),
                cal("team", "Team (shared)", false, false, false),
            ],
            provider: None,
        }
    }

    #[test]
    fn own_writable_calendars_and_the_primary_count_as_busy() {
        let set = work_personal_holidays();
        let ids: Vec<&str> = set.busy_calendars().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["me@x.com", "pers"]);
        assert!(set.has_several());
        assert_eq!(set.write_calendar().unwrap().id, "me@x.com");
    }

    #[test]
    fn a_list_without_primary_never_writes_to_a_read_only_calendar() {
        let set = CalendarSet {
            calendars: vec![
                cal("hol", "US Holidays", false, true, false),
                cal("home", "Home", false, false, false),
            ],
            provider: Some("icloud".into()),
        };
        assert_eq!(set.write_calendar().unwrap().id, "home");
        let busy: Vec<&str> = set.busy_calendars().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            busy,
            ["home"],
            "the write calendar counts when nothing else does"
        );
        assert_eq!(set.honours_silence(), Some(false));
    }

    #[test]
    fn calendars_are_named_by_id_or_by_name_ignoring_case() {
        let set = work_personal_holidays();
        for said in [
            "Personal",
            "personal",
            "my Personal calendar",
            "pers",
            " PERSONAL ",
        ] {
            assert_eq!(
                set.named(said).map(|c| c.id.as_str()),
                Some("pers"),
                "{said}"
            );
        }
        assert_eq!(set.named("primary").unwrap().id, "me@x.com");
        assert_eq!(set.named("my calendar").unwrap().id, "me@x.com");
        assert!(set.named("Gym").is_none());
        assert_eq!(set.name_of("pers").as_deref(), Some("Personal"));
    }

    #[test]
    fn the_cache_is_kept_under_a_hash_and_expires() {
        let store = MemoryStore::default();
        let key = cache_key("https://api.us.nylas.com", "grant-123456");
        assert!(key.starts_with(CACHE_PREFIX) && !key.contains("grant-123456"));
        let set = work_personal_holidays();
        remember(&store, &key, &set, 1000);
        assert_eq!(cached(&store, &key, 1000 + CACHE_TTL_SECS - 1), Some(set));
        assert_eq!(cached(&store, &key, 1000 + CACHE_TTL_SECS), None);
        let raw = String::from_utf8(store.get(&key).unwrap().unwrap()).unwrap();
        assert!(raw.contains("\"expires_at\""), "{raw}");
    }
}
