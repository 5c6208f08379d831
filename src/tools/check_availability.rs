//! The `check_availability` tool (PRODUCT §4): "am I free at X for N minutes?" and "find N
//! minutes for Y this week, preferably mornings".
//!
//! Natural language costs one model call that copies the time words; structured arguments
//! (`start` for a specific time, `range` for a slot search, or `mode`) skip it. Busy time is
//! the merged calendar (busy, non-cancelled events; all-day busy events block their local
//! days) from one Nylas events query covering the whole window (per calendar that counts, or
//! on the one calendar the request names: `calendar`, resolved by
//! [`super::calendar_choice`]); slots come from `domain::slots`. When busy time spans several
//! calendars, each conflict names its calendar.

use crate::domain::time::ResolvedMoment;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};

use super::calendar_choice::{self, EventCalendars, Use};
use super::present::{fmt_time, human_time};
use super::schedule_data::calendar_items;
use super::schema::object_schema;
use super::time_reading::{read_phrase, read_window, WindowIso};
use super::{model, ToolCall, ToolEnv};
use crate::domain::day_part::DayPart;
use crate::domain::duration::parse_duration_minutes;
use crate::domain::intervals::Interval;
use crate::domain::local_time::end_of_day;
use crate::domain::local_time::start_of_day;
use crate::domain::schedule_items::{busy_intervals, CalendarItem};
use crate::domain::slots::{find_slots, DayPartPreference, Slot, SlotQuery};
use crate::domain::time::{resolve_time_of_day, MomentRole, PartWord, TimeSource};
use crate::domain::time_window::{TimeWindow, WindowKind};
use crate::domain::working_hours::WorkingHours;
use crate::envelope::{self, ProviderTag};
use crate::interpret::availability::{AvailabilityMode, AvailabilityRequest};
use crate::upstream::{Clients, EventQuery, NylasCalendar, NylasClient, NylasEvent};

/// Duration checked or searched when none is given.
pub const DEFAULT_MINUTES: u32 = 60;
/// Window searched for slots when none is given.
pub const DEFAULT_RANGE: &str = "next 7 days";
/// Longest duration accepted (one day).
const MAX_MINUTES: u32 = 24 * 60;
/// Most slots returned.
const MAX_SLOTS: usize = 20;

pub fn input_schema() -> Value {
    let mut p = Map::new();
    p.insert("query".into(), json!({"type": "string", "description": "The question in natural language, e.g. \"am I free tomorrow at 2pm for 30 minutes?\" or \"find 2 hours for deep work this week, preferably mornings\". Interpreted with one model call unless `start`, `range` or `mode` is given."}));
    p.insert("duration_minutes".into(), json!({"type": "integer", "minimum": 1, "maximum": MAX_MINUTES, "description": "How long (default 60). Overrides a duration in the query."}));
    p.insert("start".into(), json!({"type": "string", "description": "Structured: the moment to check ('tomorrow at 2pm', '2026-12-02T14:00'). Selects the specific-time check without a model call."}));
    p.insert("range".into(), json!({"type": "string", "description": "Structured: where to search for free slots ('this week', 'this afternoon', 'next 3 days'; default next 7 days). Selects the slot search without a model call."}));
    p.insert("mode".into(), json!({"type": "string", "enum": ["check_time", "find_slots"], "description": "Structured: check a specific time or find slots (inferred from start/range when absent)."}));
    p.insert("preference".into(), json!({"type": "string", "enum": ["morning", "afternoon", "evening"], "description": "Preferred part of the day for slots (morning 9–12, afternoon 12–17, evening 17–20)."}));
    p.insert("working_hours_start".into(), json!({"type": "string", "description": "When the working day starts, e.g. '8am' (default 09:00, Mon–Fri)."}));
    p.insert("working_hours_end".into(), json!({"type": "string", "description": "When the working day ends, e.g. '8pm' (default 18:00)."}));
    p.insert("max_slots".into(), json!({"type": "integer", "minimum": 1, "maximum": MAX_SLOTS, "description": "At most this many slots (default 5)."}));
    p.insert("buffer_minutes".into(), json!({"type": "integer", "minimum": 0, "maximum": 120, "description": "Minutes kept free around existing events (default 0)."}));
    p.insert("calendar".into(), json!({"type": "string", "description": "Only this calendar's events count as busy (a name such as 'Work', case-insensitive, or an id). Default: every calendar of the user's own that counts as busy. An unknown name answers needs_clarification listing the calendars."}));
    object_schema(p, &[], false)
}

pub async fn run(call: &ToolCall, env: &ToolEnv<'_>) -> Value {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = match clients.nylas() {
        Ok(n) => n,
        Err(setup) => return setup,
    };
    let request = match model::read_request::<AvailabilityRequest>(call, env).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let plan = match Plan::resolve(call, &request) {
        Ok(p) => p,
        Err(e) => return envelope::business_error(Some(ProviderTag::Nylas), e),
    };
    let calendar = match calendar_choice::named(
        &nylas,
        wanted_calendar(call, &request),
        Use::Read,
        call,
    )
    .await
    {
        Ok(c) => c,
        Err(answer) => return answer,
    };
    let source = Source {
        nylas: &nylas,
        calendar: calendar.as_ref(),
    };
    match plan.target {
        Target::Moment(candidate) => check_time(call, &source, &plan, candidate).await,
        Target::Window(ref window) => find(call, &source, &plan, window).await,
    }
}

/// The calendar the caller's `calendar` argument or the request names.
fn wanted_calendar<'a>(call: &'a ToolCall, request: &'a AvailabilityRequest) -> Option<&'a str> {
    call.args
        .get("calendar")
        .and_then(Value::as_str)
        .or(request.calendar.as_deref())
}

/// Where busy time is read: every calendar that counts, or the one named.
struct Source<'a> {
    nylas: &'a NylasClient<'a>,
    calendar: Option<&'a NylasCalendar>,
}

impl Source<'_> {
    /// " on your Work calendar" when one calendar was named.
    fn on_calendar(&self) -> String {
        self.calendar.map_or(String::new(), |c| {
            let name = crate::jsonrpc::printable(&c.name, 60);
            match name.to_lowercase().ends_with("calendar") {
                true => format!(" on your {name}"),
                false => format!(" on your {name} calendar"),
            }
        })
    }

    /// Adds `calendar: {id, name}` to the answer data when one calendar was named.
    fn mark(&self, data: &mut Value) {
        if let Some(c) = self.calendar {
            data["calendar"] = json!({"id": c.id, "name": c.name});
        }
    }
}

/// What to check, resolved from the request.
#[derive(Debug, Clone)]
pub struct Plan {
    pub minutes: u32,
    pub working_hours: WorkingHours,
    pub preference: Option<DayPartPreference>,
    pub max_slots: usize,
    pub buffer_minutes: i64,
    pub target: Target,
    /// The moment a structured `start` named, even when a day was searched instead.
    pub requested: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub enum Target {
    /// A specific interval ("tomorrow at 2pm for 30 minutes").
    Moment(Interval),
    /// A window to search for slots.
    Window(TimeWindow),
}

fn preference_of(text: &str) -> Option<DayPartPreference> {
    DayPartPreference::parse(text).or_else(|| {
        DayPart::parse(text).map(|p| match p {
            DayPart::Morning => DayPartPreference::Morning,
            DayPart::Afternoon => DayPartPreference::Afternoon,
            DayPart::Evening => DayPartPreference::Evening,
        })
    })
}

impl Plan {
    /// Resolves durations, working hours, preference and the target; errors are readable.
    pub fn resolve(call: &ToolCall, r: &AvailabilityRequest) -> Result<Plan, String> {
        let now = call.user.now;
        let explicit = call
            .args
            .get("duration_minutes")
            .and_then(Value::as_i64)
            .or(r.duration_minutes);
        let minutes = match (explicit, r.duration.as_deref()) {
            (Some(m), _) => u32::try_from(m)
                .ok()
                .filter(|m| (1..=MAX_MINUTES).contains(m))
                .ok_or_else(|| format!("duration_minutes must be between 1 and {MAX_MINUTES}."))?,
            (None, Some(text)) => parse_duration_minutes(text)
                .map_err(|e| format!("I couldn't read the duration '{text}': {e}."))?
                .min(MAX_MINUTES),
            (None, None) => DEFAULT_MINUTES,
        };
        let mut working_hours = WorkingHours::default();
        if let Some(text) = r.working_hours_start.as_deref() {
            let t = resolve_time_of_day(text).ok_or_else(|| {
                format!("I couldn't read the start of your working day '{text}'.")
            })?;
            working_hours = working_hours.with_start(t)?;
        }
        if let Some(text) = r.working_hours_end.as_deref() {
            let t = resolve_time_of_day(text)
                .ok_or_else(|| format!("I couldn't read the end of your working day '{text}'."))?;
            working_hours = working_hours.with_end(t)?;
        }
        let mut preference = match r.preference.as_deref() {
            Some(text) => Some(preference_of(text).ok_or_else(|| {
                format!("Unknown preference '{text}': use morning, afternoon or evening.")
            })?),
            None => None,
        };
        let max_slots = match r.max_slots {
            Some(n) if n >= 1 => (n as usize).min(MAX_SLOTS),
            Some(_) => return Err("max_slots must be at least 1.".into()),
            None => SlotQuery::DEFAULT_MAX_SLOTS,
        };
        let buffer_minutes = call
            .args
            .get("buffer_minutes")
            .and_then(Value::as_i64)
            .or(r.buffer_minutes)
            .unwrap_or(0)
            .clamp(0, 120);

        let mode = r.mode.unwrap_or(if r.start.is_some() {
            AvailabilityMode::CheckTime
        } else {
            AvailabilityMode::FindSlots
        });
        let mut range = r.range.clone();
        let mut target = None;
        let mut requested = None;
        if mode == AvailabilityMode::CheckTime {
            match r.start.as_deref() {
                Some(phrase) => {
                    let (moment, point) = read_start(call, phrase, r.start_iso.as_deref())?;
                    requested = Some(moment.utc());
                    // A clock time, or a day already over, is checked as that moment;
                    // a day or part of a day still ahead is searched for free slots.
                    if point || moment.date < now.date_naive() {
                        let start = moment.utc();
                        target = Some(Target::Moment(
                            Interval::from_minutes(start, i64::from(minutes))
                                .map_err(|e| e.to_string())?,
                        ));
                    } else {
                        range = Some(phrase.to_string());
                    }
                }
                None if range.is_none() => return Err(
                    "Say which time to check (e.g. 'tomorrow at 2pm') or which period to search."
                        .into(),
                ),
                None => {}
            }
        }
        let target = match target {
            Some(t) => t,
            None => {
                let phrase = range.as_deref().unwrap_or(DEFAULT_RANGE);
                let iso = match &r.range {
                    Some(given) if given == phrase => WindowIso {
                        start: r.range_start_iso.as_deref(),
                        end: r.range_end_iso.as_deref(),
                    },
                    _ => WindowIso::default(),
                };
                let window = search_window(call, phrase, iso, requested)?;
                if window.is_overdue() {
                    return Err("Free time can only be found in the future; name a period such as 'this week'.".into());
                }
                if preference.is_none() {
                    let parts = DayPart::mentioned_in(phrase);
                    if parts.len() == 1 {
                        preference = preference_of(parts[0].name());
                    }
                }
                // Slots are never in the past: "this week" = the rest of this week.
                Target::Window(window.from_now(now))
            }
        };
        Ok(Plan {
            minutes,
            working_hours,
            preference,
            max_slots,
            buffer_minutes,
            target,
            requested,
        })
    }
}

/// Reads a structured `start`: the moment, and whether it names a point in time (a clock
/// time, noon, midnight, end of day) rather than a day or a part of one.
fn read_start(
    call: &ToolCall,
    phrase: &str,
    model_iso: Option<&str>,
) -> Result<(ResolvedMoment, bool), String> {
    let read = read_phrase(call, phrase, model_iso, MomentRole::EventStart, "start")
        .map_err(|e| format!("I couldn't read the time: {e}."))?;
    let point = read.moment.time_source == TimeSource::Explicit
        || matches!(
            read.part,
            Some(PartWord::Noon | PartWord::Midnight | PartWord::EndOfDay)
        );
    Ok((read.moment, point))
}

/// The window to search: the range phrase as a window; for a `start` day, the window the
/// phrase names when it covers that day, else that whole day (from now when it is today).
fn search_window(
    call: &ToolCall,
    phrase: &str,
    iso: WindowIso<'_>,
    requested: Option<DateTime<Utc>>,
) -> Result<TimeWindow, String> {
    let now = call.user.now;
    let window = read_window(call, phrase, iso, "range");
    let Some(moment) = requested else {
        return window.map_err(|e| format!("I couldn't use the time range: {e}."));
    };
    let moment = moment.with_timezone(&now.timezone());
    match window {
        Ok(w) if w.contains(&moment) || w.start.date_naive() == moment.date_naive() => Ok(w),
        _ => {
            let date = moment.date_naive();
            Ok(TimeWindow {
                start: start_of_day(now.timezone(), date).max(now),
                end: end_of_day(now.timezone(), date),
                label: date.format("%a %b %-d").to_string(),
                kind: WindowKind::Day,
            })
        }
    }
}

fn fmt_minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn clock(instant: DateTime<Utc>, tz: Tz) -> String {
    instant.with_timezone(&tz).format("%-I:%M %p").to_string()
}

fn span_text(i: &Interval, tz: Tz) -> String {
    format!("{} – {}", human_time(i.start(), tz), clock(i.end(), tz))
}

fn slot_json(s: &Slot, tz: Tz) -> Value {
    json!({
        "start": fmt_time(s.start, tz),
        "end": fmt_time(s.end, tz),
        "duration_minutes": (s.end - s.start).num_minutes(),
        "confidence": s.confidence,
        "reason": s.reason,
    })
}

fn working_hours_json(h: &WorkingHours) -> Value {
    json!({
        "start": h.start().format("%H:%M").to_string(),
        "end": h.end().format("%H:%M").to_string(),
        "days": h.days().iter().map(|d| d.to_string()).collect::<Vec<_>>(),
    })
}

fn describe_hours(h: &WorkingHours) -> String {
    let days = h.days();
    let days_text = match (days.first(), days.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    format!(
        "{days_text} {}–{}",
        h.start().format("%H:%M"),
        h.end().format("%H:%M")
    )
}

/// The events read for a question: as calendar items, whether the read was cut short, and
/// the events themselves (for naming a conflict's calendar).
struct Busy {
    items: Vec<CalendarItem>,
    truncated: bool,
    events: Vec<NylasEvent>,
}

async fn events_between(
    call: &ToolCall,
    source: &Source<'_>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Busy, Value> {
    let page = source
        .nylas
        .list_events_in(
            source.calendar.map(|c| c.id.as_str()),
            &EventQuery::between(start, end),
        )
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let tz = call.user.tz();
    Ok(Busy {
        items: calendar_items(&page.events, tz, call.user.user_email.as_deref()),
        truncated: page.truncated,
        events: page.events,
    })
}

/// Each conflict as an answer item (with its calendar when there are several).
fn conflicts_json(conflicts: &[&CalendarItem], calendars: &EventCalendars, tz: Tz) -> Vec<Value> {
    conflicts
        .iter()
        .map(|c| {
            let mut item = json!({
                "type": "event", "provider": "nylas", "title": c.title, "id": c.id,
                "start": fmt_time(c.start, tz), "end": fmt_time(c.end, tz), "all_day": c.all_day,
                "series_id": c.series_id,
            });
            calendars.mark(&mut item, &c.id);
            item
        })
        .collect()
}

/// "'Standup' (9:00 AM – 9:30 AM), 'Dentist' (Personal, 10:00 AM – 11:00 AM)".
fn conflicts_text(conflicts: &[&CalendarItem], calendars: &EventCalendars, tz: Tz) -> String {
    conflicts
        .iter()
        .map(|c| {
            let when = match c.all_day {
                true => "all day".to_string(),
                false => format!("{} – {}", clock(c.start, tz), clock(c.end, tz)),
            };
            match calendars.name(&c.id) {
                Some(name) => format!(
                    "'{}' ({}, {when})",
                    c.title,
                    crate::jsonrpc::printable(name, 60)
                ),
                None => format!("'{}' ({when})", c.title),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn check_time(
    call: &ToolCall,
    source: &Source<'_>,
    plan: &Plan,
    candidate: Interval,
) -> Value {
    let tz = call.user.tz();
    let now = call.user.now.with_timezone(&Utc);
    let buffer = chrono::Duration::minutes(plan.buffer_minutes);
    // One query: the requested time and the rest of its day (for alternatives).
    let day_end = end_of_day(tz, candidate.start().with_timezone(&tz).date_naive())
        .with_timezone(&Utc)
        .max(candidate.end());
    let busy =
        match events_between(call, source, candidate.start() - buffer, day_end + buffer).await {
            Ok(x) => x,
            Err(e) => return e,
        };
    let (items, truncated) = (&busy.items, busy.truncated);
    let calendars = EventCalendars::of(Some(source.nylas), &busy.events);
    let conflicts: Vec<&CalendarItem> = items
        .iter()
        .filter(|i| i.blocks_time())
        .filter(|i| {
            let iv = i.interval();
            if iv.is_empty() {
                candidate.contains_instant(iv.start())
            } else {
                iv.overlaps_with_buffer(&candidate, plan.buffer_minutes)
            }
        })
        .collect();
    let available = conflicts.is_empty();
    let outside = !plan.working_hours.contains(&candidate, tz);
    let in_past = candidate.start() < now;

    let alternatives: Vec<Slot> = if available {
        vec![]
    } else {
        match Interval::new(candidate.start(), day_end) {
            Ok(rest_of_day) => {
                let mut q = SlotQuery::new(
                    busy_intervals(items),
                    rest_of_day,
                    i64::from(plan.minutes),
                    tz,
                    now,
                );
                q.working_hours = plan.working_hours;
                q.max_slots = 3;
                q.buffer_minutes = plan.buffer_minutes;
                let mut slots = find_slots(&q);
                slots.sort_by_key(|s| s.start);
                slots
            }
            Err(_) => vec![],
        }
    };

    let conflicts_json = conflicts_json(&conflicts, &calendars, tz);
    let when = format!("{}{}", span_text(&candidate, tz), source.on_calendar());
    let mut message = String::new();
    if in_past {
        message.push_str("That time has already passed. ");
    }
    if available {
        message.push_str(&format!("You're free {when}."));
    } else {
        message.push_str(&format!(
            "You're busy {when}: {}.",
            conflicts_text(&conflicts, &calendars, tz)
        ));
        match alternatives.first() {
            Some(s) => message.push_str(&format!(
                " The next free {} that day starts {}.",
                fmt_minutes(plan.minutes),
                human_time(s.start, tz)
            )),
            None => message.push_str(&format!(
                " There is no other free {} that day within working hours.",
                fmt_minutes(plan.minutes)
            )),
        }
    }
    if outside {
        message.push_str(&format!(
            " Note: this is outside your working hours ({}).",
            describe_hours(&plan.working_hours)
        ));
    }
    let requested = json!({
        "start": fmt_time(candidate.start(), tz),
        "end": fmt_time(candidate.end(), tz),
        "duration_minutes": plan.minutes,
        "timezone": tz.name(),
    });
    let alternatives_json: Vec<Value> = alternatives.iter().map(|s| slot_json(s, tz)).collect();
    let mut fields = Map::new();
    fields.insert("available".into(), json!(available));
    fields.insert("conflicts".into(), json!(conflicts_json));
    fields.insert("requested_time".into(), requested.clone());
    fields.insert("outside_working_hours".into(), json!(outside));
    fields.insert("in_past".into(), json!(in_past));
    fields.insert("alternatives".into(), json!(alternatives_json));
    let data = json!({
        "available": available,
        "conflicts": conflicts_json,
        "requested_time": requested,
        "outside_working_hours": outside,
        "in_past": in_past,
        "alternatives": alternatives_json,
        "working_hours": working_hours_json(&plan.working_hours),
        "truncated": truncated,
    });
    let mut data = data;
    source.mark(&mut data);
    envelope::with_fields(
        envelope::success(ProviderTag::Nylas, "checked", data, message),
        fields,
    )
}

async fn find(call: &ToolCall, source: &Source<'_>, plan: &Plan, window: &TimeWindow) -> Value {
    let tz = call.user.tz();
    let now = call.user.now.with_timezone(&Utc);
    let (start, end) = (
        window.start.with_timezone(&Utc),
        window.end.with_timezone(&Utc),
    );
    let Ok(search) = Interval::new(start, end) else {
        return envelope::business_error(Some(ProviderTag::Nylas), "The time range is empty.");
    };
    let buffer = chrono::Duration::minutes(plan.buffer_minutes);
    let Busy {
        items, truncated, ..
    } = match events_between(call, source, start - buffer, end + buffer).await {
        Ok(x) => x,
        Err(e) => return e,
    };
    let on_calendar = source.on_calendar();
    let mut q = SlotQuery::new(
        busy_intervals(&items),
        search,
        i64::from(plan.minutes),
        tz,
        now,
    );
    q.working_hours = plan.working_hours;
    q.preference = plan.preference;
    q.max_slots = plan.max_slots;
    q.buffer_minutes = plan.buffer_minutes;
    let slots = find_slots(&q);
    let slots_json: Vec<Value> = slots.iter().map(|s| slot_json(s, tz)).collect();
    let length = fmt_minutes(plan.minutes);
    let message = match slots.first() {
        Some(best) => format!(
            "Found {} free {length} {} in {}{on_calendar}. Best: {}.",
            slots.len(),
            if slots.len() == 1 { "slot" } else { "slots" },
            window.label,
            span_text(&best.interval(), tz)
        ),
        None => format!(
            "No free {length} slot in {}{on_calendar} within your working hours ({}{}).",
            window.label,
            describe_hours(&plan.working_hours),
            if truncated {
                "; the calendar had more events than one read returns"
            } else {
                ""
            }
        ),
    };
    let time_range = json!({
        "start": window.start.to_rfc3339(),
        "end": window.end.to_rfc3339(),
        "label": window.label,
        "timezone": tz.name(),
    });
    let mut fields = Map::new();
    if let Some(moment) = plan.requested {
        let requested = json!({
            "start": fmt_time(moment, tz),
            "end": fmt_time(moment + chrono::Duration::minutes(i64::from(plan.minutes)), tz),
            "duration_minutes": plan.minutes,
            "timezone": tz.name(),
            "searched_day": true,
        });
        fields.insert("requested_time".into(), requested);
    }
    fields.insert("available".into(), json!(!slots.is_empty()));
    fields.insert("slots".into(), json!(slots_json));
    fields.insert("duration_minutes".into(), json!(plan.minutes));
    fields.insert("time_range".into(), time_range.clone());
    let data = json!({
        "available": !slots.is_empty(),
        "slots": slots_json,
        "duration_minutes": plan.minutes,
        "time_range": time_range,
        "preference": plan.preference.map(|p| p.as_str()),
        "working_hours": working_hours_json(&plan.working_hours),
        "truncated": truncated,
    });
    let mut data = data;
    source.mark(&mut data);
    if let Some(requested) = fields.get("requested_time") {
        data["requested_time"] = requested.clone();
    }
    envelope::with_fields(
        envelope::success(ProviderTag::Nylas, "found_slots", data, message),
        fields,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_working_hours_read_well() {
        assert_eq!(fmt_minutes(15), "15 min");
        assert_eq!(fmt_minutes(120), "2 h");
        assert_eq!(fmt_minutes(90), "1 h 30 min");
        assert_eq!(
            describe_hours(&WorkingHours::default()),
            "Mon–Fri 09:00–18:00"
        );
    }

    #[test]
    fn preferences_accept_day_part_words() {
        assert_eq!(preference_of("mornings"), Some(DayPartPreference::Morning));
        assert_eq!(
            preference_of("after lunch"),
            Some(DayPartPreference::Afternoon)
        );
        assert_eq!(preference_of("whenever"), None);
    }
}
