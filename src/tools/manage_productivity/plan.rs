//! From a typed request to an exact operation: resolve times, find referenced items, check
//! duplicates and conflicts, then execute or ask for approval.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::operation::{
    self, EventChanges, EventDraft, InviteeSpec, ItemRef, Operation, TaskChanges, TaskDraft,
};
use crate::domain::conflicts::{find_conflicts, CONFLICT_BUFFER_MINUTES};
use crate::domain::duplicates::{find_duplicate_event, find_duplicate_task};
use crate::domain::duration::{chunk_plan, parse_duration_minutes, task_time_chunks};
use crate::domain::email::EmailAddress;
use crate::domain::intervals::Interval;
use crate::domain::item_match::{self, MatchOutcome};
use crate::domain::priority::Priority;
use crate::domain::schedule_items::busy_intervals;
use crate::domain::slots::{next_free_slot, NEXT_FREE_SLOT_HORIZON_DAYS};
use crate::domain::time::{apply_time_keep_date, resolve_moment, MomentRole};
use crate::domain::time_window::resolve_window;
use crate::domain::working_hours::WorkingHours;
use crate::envelope::{self, ProviderTag};
use crate::interpret::manage::{ManageAction, ManageRequest};
use crate::tools::approval_flow;
use crate::tools::present::{
    calendar_item, event_json, fmt_time, human_time, task_item, task_json,
};
use crate::tools::schedule_data::calendar_items;
use crate::tools::{ToolCall, ToolEnv};
use crate::upstream::{
    Clients, EventQuery, NylasClient, NylasEvent, ReclaimClient, ReclaimTask, PRIMARY_CALENDAR,
};

type Answer = Value;
/// A UTC span `[start, end)`.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// Longest duration accepted anywhere (7 days).
const MAX_MINUTES: i64 = 7 * 24 * 60;

pub async fn plan_and_run(req: ManageRequest, call: &ToolCall, env: &ToolEnv<'_>) -> Answer {
    let result = match req.action.expect("checked by the caller") {
        ManageAction::CreateTask => create_task(&req, call, env).await,
        ManageAction::UpdateTask => update_task(&req, call, env).await,
        ManageAction::CompleteTask | ManageAction::DeleteTask => {
            finish_tasks(&req, call, env).await
        }
        ManageAction::AddTime | ManageAction::LogWork => task_time(&req, call, env).await,
        ManageAction::CreateEvent | ManageAction::BlockFocusTime => {
            create_event(&req, call, env).await
        }
        ManageAction::UpdateEvent => update_event(&req, call, env).await,
        ManageAction::CancelEvent => cancel_events(&req, call, env).await,
        ManageAction::Unsupported => Err(envelope::business_error(None, "Unsupported request.")),
    };
    result.unwrap_or_else(|answer| answer)
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

async fn create_task(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let title = required_title(req, "task")?;
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let due = opt_moment(req.due.as_deref(), call, MomentRole::Due, "due date")?;
    let snooze_until = opt_moment(
        req.snooze_until.as_deref(),
        call,
        MomentRole::EventStart,
        "start date",
    )?;
    let minutes = duration_minutes(req)?.unwrap_or(60);
    let chunks = chunk_plan(Some(minutes), None, None);
    let priority = priority(req)?.unwrap_or_default();
    let draft = TaskDraft {
        title: title.clone(),
        notes: req.notes.clone().unwrap_or_default(),
        due,
        time_chunks_required: chunks.time_chunks_required,
        min_chunk_size: chunks.min_chunk_size,
        max_chunk_size: chunks.max_chunk_size,
        priority,
        personal: personal_category(req)?,
        snooze_until,
    };
    let tasks = list_open_tasks(&reclaim, call).await?;
    let items: Vec<_> = tasks.iter().map(task_item).collect();
    let op = Operation::CreateTask { task: draft };
    if let Some(existing) = find_duplicate_task(&title, &items) {
        let existing_task = tasks.iter().find(|t| t.id.to_string() == existing.id);
        return Ok(approval_flow::ask(
            call,
            env,
            "task_create_duplicate",
            &op,
            format!(
                "A similar open task already exists: '{}'. Create '{title}' anyway?",
                existing.title
            ),
            json!({"new_task": draft_preview(&op, call), "existing_task": existing_task.map(|t| task_json(t, call.user.tz()))}),
            vec!["This may create a duplicate task.".into()],
        ));
    }
    Ok(operation::execute(&op, call, env).await)
}

async fn update_task(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let task = match find_tasks(req, &reclaim, call, false).await? {
        Found::One(t) => t,
        Found::Many(ts) => return Err(clarify_tasks(&ts, call)),
    };
    let renamed = req
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != task.title);
    let renamed = renamed.filter(|_| {
        req.target.as_ref().is_some_and(|t| t.title_hint.is_some()) || req.item_id.is_some()
    });
    let changes = TaskChanges {
        title: renamed.map(str::to_string),
        notes: req.notes.clone(),
        due: opt_moment(req.due.as_deref(), call, MomentRole::Due, "due date")?,
        priority: priority(req)?,
        time_chunks_required: duration_minutes(req)?.map(task_time_chunks),
        snooze_until: opt_moment(
            req.snooze_until.as_deref(),
            call,
            MomentRole::EventStart,
            "start date",
        )?,
    };
    if changes.is_empty() {
        return Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!("What should change on '{}'? Give a new due date, priority, duration, title or notes.", task.title),
        ));
    }
    let op = Operation::UpdateTask {
        task: item_ref(&task),
        changes,
    };
    Ok(operation::execute(&op, call, env).await)
}

async fn finish_tasks(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let complete = req.action == Some(ManageAction::CompleteTask);
    let all = req.target.as_ref().is_some_and(|t| t.all_matching);
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let tasks = match find_tasks(req, &reclaim, call, all).await? {
        Found::One(t) => vec![t],
        Found::Many(ts) if all => ts,
        Found::Many(ts) => return Err(clarify_tasks(&ts, call)),
    };
    let refs: Vec<ItemRef> = tasks.iter().map(item_ref).collect();
    let op = if complete {
        Operation::CompleteTasks { tasks: refs }
    } else {
        Operation::DeleteTasks { tasks: refs }
    };
    if tasks.len() > 1 {
        let (action_type, verb) = if complete {
            ("bulk_complete", "Complete")
        } else {
            ("bulk_delete", "Delete")
        };
        let tz = call.user.tz();
        return Ok(approval_flow::ask(
            call,
            env,
            action_type,
            &op,
            format!("{verb} {} tasks?", tasks.len()),
            json!({"tasks": tasks.iter().map(|t| task_json(t, tz)).collect::<Vec<_>>(), "count": tasks.len()}),
            if complete {
                vec![]
            } else {
                vec!["Deleted tasks cannot be recovered from here.".into()]
            },
        ));
    }
    Ok(operation::execute(&op, call, env).await)
}

async fn task_time(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let minutes = match req.minutes {
        Some(m) => bounded_minutes(m)?,
        None => duration_minutes(req)?.ok_or_else(|| {
            envelope::business_error(
                Some(ProviderTag::Reclaim),
                "How many minutes? E.g. 'add 30 minutes to the report task'.",
            )
        })?,
    };
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let reclaim = clients.reclaim()?;
    let task = match find_tasks(req, &reclaim, call, false).await? {
        Found::One(t) => t,
        Found::Many(ts) => return Err(clarify_tasks(&ts, call)),
    };
    let op = if req.action == Some(ManageAction::AddTime) {
        Operation::AddTime {
            task: item_ref(&task),
            minutes,
        }
    } else {
        Operation::LogWork {
            task: item_ref(&task),
            minutes,
        }
    };
    Ok(operation::execute(&op, call, env).await)
}

enum Found<T> {
    One(T),
    Many(Vec<T>),
}

/// The task(s) a request refers to: by `item_id` (one GET) or by title/time hints over the
/// open tasks (one list).
async fn find_tasks(
    req: &ManageRequest,
    reclaim: &ReclaimClient<'_>,
    call: &ToolCall,
    all: bool,
) -> Result<Found<ReclaimTask>, Answer> {
    if let Some(id) = req
        .item_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let Some(n) = id.parse::<i64>().ok().filter(|n| *n > 0) else {
            return Err(envelope::business_error(
                Some(ProviderTag::Reclaim),
                format!("'{}' is not a Reclaim task id.", clip(id)),
            ));
        };
        return match reclaim.get_task(n).await {
            Ok(t) if t.is_open() || matches!(req.action, Some(ManageAction::DeleteTask)) => {
                Ok(Found::One(t))
            }
            Ok(t) => Err(envelope::business_error(
                Some(ProviderTag::Reclaim),
                format!("Task '{}' is already finished.", t.title),
            )),
            Err(e) if e.is_not_found() => Err(envelope::business_error(
                Some(ProviderTag::Reclaim),
                format!("No task with id {n} was found."),
            )),
            Err(e) => Err(e.to_envelope(&call.credentials)),
        };
    }
    let hint = title_hint(req).ok_or_else(|| {
        envelope::business_error(
            Some(ProviderTag::Reclaim),
            "Which task? Give its title (or item_id).",
        )
    })?;
    let mut tasks = list_open_tasks(reclaim, call).await?;
    if let Some(window) = time_hint_window(req, call)? {
        tasks.retain(|t| t.due.is_some_and(|d| window.0 <= d && d < window.1));
    }
    let titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
    match item_match::select(&hint, &titles, all) {
        MatchOutcome::None => Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!(
                "No open task matches '{}' (searched {} open tasks).",
                clip(&hint),
                tasks.len()
            ),
        )),
        MatchOutcome::One(i) => Ok(Found::One(tasks.swap_remove(i))),
        MatchOutcome::Many(idx) => Ok(Found::Many(
            idx.into_iter().map(|i| tasks[i].clone()).collect(),
        )),
    }
}

async fn list_open_tasks(
    reclaim: &ReclaimClient<'_>,
    call: &ToolCall,
) -> Result<Vec<ReclaimTask>, Answer> {
    let tasks = reclaim
        .list_tasks()
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    Ok(tasks.into_iter().filter(ReclaimTask::is_open).collect())
}

fn clarify_tasks(tasks: &[ReclaimTask], call: &ToolCall) -> Answer {
    let tz = call.user.tz();
    clarify(
        "task",
        tasks
            .iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    t.title.as_str(),
                    t.due.map(|d| fmt_time(d, tz)),
                )
            })
            .collect(),
    )
}

/// `needs_clarification` listing the matching items (id, title, when), never guessing.
fn clarify(noun: &str, matches: Vec<(String, &str, Option<String>)>) -> Answer {
    let message = format!(
        "Which one did you mean? {} {noun}s match: {}.",
        matches.len(),
        list_titles(matches.iter().map(|(_, title, _)| *title))
    );
    let candidates = matches
        .into_iter()
        .take(10)
        .map(|(id, title, when)| json!({"id": id, "title": title, "when": when, "type": noun}))
        .collect();
    envelope::needs_clarification(candidates, message)
}

fn item_ref(task: &ReclaimTask) -> ItemRef {
    ItemRef {
        id: task.id.to_string(),
        title: task.title.clone(),
    }
}

fn draft_preview(op: &Operation, call: &ToolCall) -> Value {
    let tz = call.user.tz();
    match op {
        Operation::CreateTask { task } => json!({
            "title": task.title,
            "due": task.due.map(|d| fmt_time(d, tz)),
            "priority": task.priority.as_str(),
            "duration_hours": task.time_chunks_required as f64 * 0.25,
            "category": if task.personal { "PERSONAL" } else { "WORK" },
        }),
        Operation::CreateEvent { event, .. } => json!({
            "title": event.title,
            "start": fmt_time(event.start, tz),
            "end": fmt_time(event.end, tz),
            "timezone": event.timezone,
            "location": event.location,
            "invitees": event.invitees.iter().map(|i| json!({"email": i.email, "name": i.name})).collect::<Vec<_>>(),
        }),
        _ => Value::Null,
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

async fn create_event(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let focus = req.action == Some(ManageAction::BlockFocusTime);
    let title = match req.title.as_deref().and_then(clean_title) {
        Some(t) => t,
        None if focus => "Focus time".to_string(),
        None => {
            return Err(envelope::business_error(
                Some(ProviderTag::Nylas),
                "What is the event called? Give a title.",
            ))
        }
    };
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let now = call.user.now;
    let start_phrase = req.start.as_deref().ok_or_else(|| {
        envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("When should '{title}' be? Give a date and time."),
        )
    })?;
    let start = resolve_moment(start_phrase, now, MomentRole::EventStart)
        .map_err(|e| time_error("start time", &e))?;
    let start_utc = start.utc();
    let end_utc = match req.end.as_deref() {
        Some(end_phrase) => apply_time_keep_date(start.instant, end_phrase, now)
            .map_err(|e| time_error("end time", &e))?
            .utc(),
        None => {
            let quick = [&req.duration, &Some(title.clone())].iter().any(|s| {
                s.as_deref()
                    .is_some_and(|s| s.to_lowercase().contains("quick"))
            });
            let minutes = duration_minutes(req)?.unwrap_or(if quick { 30 } else { 60 });
            start_utc + Duration::minutes(minutes as i64)
        }
    };
    if end_utc <= start_utc {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "The event must end after it starts.",
        ));
    }
    if (end_utc - start_utc).num_minutes() > MAX_MINUTES {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "Events longer than 7 days are not supported.",
        ));
    }
    let (invitees, unresolved) = participants(req, call);
    let involves_others = !invitees.is_empty() || !unresolved.is_empty() || req.implies_others;
    let draft = EventDraft {
        title: title.clone(),
        start: start_utc,
        end: end_utc,
        timezone: tz.name().to_string(),
        location: req.location.clone(),
        description: req.description.clone(),
        invitees: invitees.clone(),
        busy: true,
    };

    // One events query covers duplicates (±1 h), conflicts (10 min buffer) and the next free
    // slot (up to 14 days ahead).
    let window_start = start_utc - Duration::hours(1);
    let window_end = start_utc + Duration::days(NEXT_FREE_SLOT_HORIZON_DAYS + 1);
    let page = nylas
        .list_events(&EventQuery::between(window_start, window_end))
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let items = calendar_items(&page.events, tz, call.user.user_email.as_deref());
    let unresolved_json = json!(unresolved);
    // The calendar the window was read from (`primary`, or its real id where the alias failed).
    let calendar_id = nylas
        .resolved_primary_calendar()
        .unwrap_or_else(|| PRIMARY_CALENDAR.to_string());
    let mut warnings = vec![];
    if page.truncated {
        warnings.push(format!(
            "Your calendar has more events in this period than were read ({}); conflicts and duplicates were checked against those only.",
            page.events.len()
        ));
    }
    if start_utc < now.with_timezone(&Utc) {
        warnings.push(format!("{} is in the past.", human_time(start_utc, tz)));
    }
    let finish = |answer: Value| with_warnings(answer, &warnings);

    if let Some(dup) = find_duplicate_event(&title, start_utc, &items) {
        let op = create_op(draft.clone(), &calendar_id, &invitees, None, &unresolved);
        let existing = page
            .events
            .iter()
            .find(|e| e.id == dup.id)
            .map(|e| event_json(e, tz));
        return Ok(finish(approval_flow::ask(
            call,
            env,
            "event_create_duplicate",
            &op,
            format!(
                "'{}' already exists at {}. Create '{title}' anyway?",
                dup.title,
                human_time(dup.start, tz)
            ),
            json!({"new_event": draft_preview(&op, call), "existing_event": existing, "unresolved_participants": unresolved_json}),
            vec!["This may create a duplicate event.".into()],
        )));
    }

    let desired = Interval::new(start_utc, end_utc).expect("end after start");
    let conflicts = find_conflicts(desired, &items, CONFLICT_BUFFER_MINUTES);
    if !conflicts.is_empty() {
        let busy = busy_intervals(&items);
        let names = list_titles(conflicts.iter().map(|c| c.title.as_str()));
        let conflict_json: Vec<Value> = conflicts
            .iter()
            .map(|c| json!({"id": c.id, "title": c.title, "start": fmt_time(c.start, tz), "end": fmt_time(c.end, tz)}))
            .collect();
        let Some(slot) = next_free_slot(
            &busy,
            desired,
            CONFLICT_BUFFER_MINUTES,
            &WorkingHours::default(),
            tz,
            call.user.now.with_timezone(&Utc),
            NEXT_FREE_SLOT_HORIZON_DAYS,
        ) else {
            return Err(envelope::business_error(
                Some(ProviderTag::Nylas),
                format!("{} conflicts with {names}, and there is no free slot of that length within working hours in the next 14 days.", human_time(start_utc, tz)),
            ));
        };
        let moved = EventDraft {
            start: slot.start(),
            end: slot.end(),
            ..draft
        };
        if involves_others {
            let op = create_op(moved, &calendar_id, &invitees, None, &unresolved);
            return Ok(finish(approval_flow::ask(
                call,
                env,
                "event_create_conflict_reschedule",
                &op,
                format!("{} conflicts with {names}. Schedule '{title}' at the next free slot, {}, instead?", human_time(start_utc, tz), human_time(slot.start(), tz)),
                json!({
                    "requested": {"start": fmt_time(start_utc, tz), "end": fmt_time(end_utc, tz)},
                    "proposed": {"start": fmt_time(slot.start(), tz), "end": fmt_time(slot.end(), tz)},
                    "conflicts": conflict_json,
                    "event": draft_preview(&op, call),
                    "invitees": invitees.iter().map(|i| &i.email).collect::<Vec<_>>(),
                    "unresolved_participants": unresolved_json,
                }),
                invite_risks(&invitees, &unresolved),
            )));
        }
        let note = format!(
            "{} conflicted with {names}, so I moved it to the next free slot.",
            human_time(start_utc, tz)
        );
        let op = create_op(moved, &calendar_id, &invitees, Some(note), &unresolved);
        let mut answer = operation::execute(&op, call, env).await;
        answer["rescheduled_due_to_conflict"] = json!(true);
        answer["conflicts"] = json!(conflict_json);
        return Ok(finish(answer));
    }

    if involves_others {
        let op = create_op(draft, &calendar_id, &invitees, None, &unresolved);
        let who = if invitees.is_empty() {
            "nobody (no email addresses given)".to_string()
        } else {
            list_titles(invitees.iter().map(|i| i.email.as_str()))
        };
        return Ok(finish(approval_flow::ask(
            call,
            env,
            "event_create_with_participants",
            &op,
            format!(
                "Create '{title}' at {} and invite {who}?",
                human_time(start_utc, tz)
            ),
            json!({"event": draft_preview(&op, call), "invitees": invitees.iter().map(|i| json!({"email": i.email, "name": i.name})).collect::<Vec<_>>(), "unresolved_participants": unresolved_json}),
            invite_risks(&invitees, &unresolved),
        )));
    }
    let op = create_op(draft, &calendar_id, &invitees, None, &unresolved);
    Ok(finish(operation::execute(&op, call, env).await))
}

/// Adds the warnings of a decision (a partial calendar read, a start in the past).
fn with_warnings(mut answer: Value, warnings: &[String]) -> Value {
    if !warnings.is_empty() {
        answer["warnings"] = json!(warnings);
    }
    answer
}

fn create_op(
    event: EventDraft,
    calendar_id: &str,
    invitees: &[InviteeSpec],
    note: Option<String>,
    unresolved: &[String],
) -> Operation {
    Operation::CreateEvent {
        event,
        calendar_id: calendar_id.to_string(),
        notify: !invitees.is_empty(),
        note,
        unresolved_participants: unresolved.to_vec(),
    }
}

fn invite_risks(invitees: &[InviteeSpec], unresolved: &[String]) -> Vec<String> {
    let mut risks = vec![];
    if !invitees.is_empty() {
        risks.push(format!(
            "{} people will receive an invitation email.",
            invitees.len()
        ));
    }
    if !unresolved.is_empty() {
        risks.push(format!(
            "No email address for {}: they will not be invited.",
            unresolved.join(", ")
        ));
    }
    risks
}

/// Invitees from real email addresses; names without one are reported, never invented.
fn participants(req: &ManageRequest, call: &ToolCall) -> (Vec<InviteeSpec>, Vec<String>) {
    let own = call.user.user_email.as_deref().map(str::to_ascii_lowercase);
    let mut invitees: Vec<InviteeSpec> = vec![];
    let mut unresolved = vec![];
    for p in &req.participants {
        let name = p
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        match p.email.as_deref().map(EmailAddress::parse) {
            Some(Ok(email)) => {
                if Some(email.as_str().to_string()) != own
                    && !invitees.iter().any(|i| i.email == email.as_str())
                {
                    invitees.push(InviteeSpec {
                        email: email.as_str().to_string(),
                        name,
                    });
                }
            }
            Some(Err(_)) => unresolved
                .push(name.unwrap_or_else(|| clip(p.email.as_deref().unwrap_or_default()))),
            None => {
                if let Some(n) = name {
                    if n.contains('@') {
                        match EmailAddress::parse(&n) {
                            Ok(email) => invitees.push(InviteeSpec {
                                email: email.as_str().to_string(),
                                name: None,
                            }),
                            Err(_) => unresolved.push(clip(&n)),
                        }
                    } else {
                        unresolved.push(clip(&n));
                    }
                }
            }
        }
    }
    unresolved.dedup();
    (invitees, unresolved)
}

async fn update_event(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let now = call.user.now;
    let event = match find_events(req, &nylas, call, false).await? {
        Found::One(e) => e,
        Found::Many(es) => return Err(clarify_events(&es, call)),
    };
    let Some((orig_start, orig_end)) = event.start_end_in(tz) else {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!(
                "'{}' has no start and end time that can be moved.",
                event.title
            ),
        ));
    };
    let mut changes = EventChanges::default();
    let new_start = match req.start.as_deref() {
        Some(p) => Some(
            apply_time_keep_date(orig_start.with_timezone(&tz), p, now)
                .map_err(|e| time_error("new time", &e))?,
        ),
        None => None,
    };
    let start = new_start.map(|m| m.utc()).unwrap_or(orig_start);
    let end = match (req.end.as_deref(), duration_minutes(req)?) {
        (Some(p), _) => Some(
            apply_time_keep_date(start.with_timezone(&tz), p, now)
                .map_err(|e| time_error("new end", &e))?
                .utc(),
        ),
        (None, Some(m)) => Some(start + Duration::minutes(m as i64)),
        (None, None) => new_start.map(|_| start + (orig_end - orig_start)),
    };
    if new_start.is_some() || end.is_some() {
        let end = end.unwrap_or(orig_end);
        if end <= start {
            return Err(envelope::business_error(
                Some(ProviderTag::Nylas),
                "The event must end after it starts.",
            ));
        }
        if (start, end) != (orig_start, orig_end) {
            changes.start = Some(start);
            changes.end = Some(end);
            changes.timezone = Some(
                event
                    .timezone()
                    .map(str::to_string)
                    .unwrap_or_else(|| tz.name().to_string()),
            );
        }
    }
    let has_hint =
        req.target.as_ref().is_some_and(|t| t.title_hint.is_some()) || req.item_id.is_some();
    changes.title = req
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| has_hint && !t.is_empty() && *t != event.title)
        .map(str::to_string);
    changes.location = req.location.clone();
    changes.description = req.description.clone();
    let (new_invitees, unresolved) = participants(req, call);
    if !new_invitees.is_empty() {
        let mut all: Vec<InviteeSpec> = event
            .participants
            .iter()
            .map(|p| InviteeSpec {
                email: p.email.clone(),
                name: p.name.clone(),
            })
            .collect();
        for i in new_invitees {
            if !all.iter().any(|a| a.email.eq_ignore_ascii_case(&i.email)) {
                all.push(i);
            }
        }
        changes.invitees = Some(all);
    }
    if changes.is_empty() {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!("What should change on '{}'? Give a new time, date, duration, title, location or invitees.", event.title),
        ));
    }
    let item = calendar_item(&event, tz, call.user.user_email.as_deref());
    let others = item.as_ref().is_some_and(|i| i.has_others()) || changes.invitees.is_some();
    let op = Operation::UpdateEvent {
        event: ItemRef {
            id: event.id.clone(),
            title: event.title.clone(),
        },
        calendar_id: calendar_of(&event),
        changes: changes.clone(),
        notify: others,
    };
    if others {
        let emails: Vec<String> = item.map(|i| i.participant_emails).unwrap_or_default();
        return Ok(approval_flow::ask(
            call,
            env,
            "event_update_with_participants",
            &op,
            match changes.start {
                Some(s) => format!(
                    "Move '{}' from {} to {} and notify {}?",
                    event.title,
                    human_time(orig_start, tz),
                    human_time(s, tz),
                    list_titles(emails.iter().map(String::as_str))
                ),
                None => format!(
                    "Update '{}' and notify {}?",
                    event.title,
                    list_titles(emails.iter().map(String::as_str))
                ),
            },
            json!({"event": event_json(&event, tz), "changes": changes_preview(&changes, tz), "notified": emails, "unresolved_participants": unresolved}),
            vec!["Participants will be notified of the change.".into()],
        ));
    }
    Ok(operation::execute(&op, call, env).await)
}

fn changes_preview(c: &EventChanges, tz: chrono_tz::Tz) -> Value {
    json!({
        "title": c.title,
        "start": c.start.map(|s| fmt_time(s, tz)),
        "end": c.end.map(|e| fmt_time(e, tz)),
        "location": c.location,
        "description": c.description,
        "invitees": c.invitees.as_ref().map(|i| i.iter().map(|p| p.email.clone()).collect::<Vec<_>>()),
    })
}

async fn cancel_events(
    req: &ManageRequest,
    call: &ToolCall,
    env: &ToolEnv<'_>,
) -> Result<Answer, Answer> {
    let all = req.target.as_ref().is_some_and(|t| t.all_matching);
    let clients = Clients::new(&env.ctx, env.settings, &call.credentials);
    let nylas = clients.nylas()?;
    let tz = call.user.tz();
    let events = match find_events(req, &nylas, call, all).await? {
        Found::One(e) => vec![e],
        Found::Many(es) if all => es,
        Found::Many(es) => return Err(clarify_events(&es, call)),
    };
    let owner = call.user.user_email.as_deref();
    let with_others: Vec<String> = events
        .iter()
        .filter_map(|e| calendar_item(e, tz, owner))
        .flat_map(|i| i.participant_emails)
        .collect();
    let op = Operation::CancelEvents {
        events: events
            .iter()
            .map(|e| ItemRef {
                id: e.id.clone(),
                title: e.title.clone(),
            })
            .collect(),
        calendar_id: calendar_of(&events[0]),
        notify: !with_others.is_empty(),
    };
    let details = json!({"events": events.iter().map(|e| event_json(e, tz)).collect::<Vec<_>>(), "notified": with_others});
    if events.len() > 1 {
        return Ok(approval_flow::ask(
            call,
            env,
            "bulk_cancel",
            &op,
            format!("Cancel {} events?", events.len()),
            details,
            vec!["Cancelled events are removed from the calendar.".into()],
        ));
    }
    if !with_others.is_empty() {
        return Ok(approval_flow::ask(
            call,
            env,
            "event_cancel_with_participants",
            &op,
            format!(
                "Cancel '{}' and notify {}?",
                events[0].title,
                list_titles(with_others.iter().map(String::as_str))
            ),
            details,
            vec!["Participants will be told the event is cancelled.".into()],
        ));
    }
    Ok(operation::execute(&op, call, env).await)
}

/// The event(s) a request refers to: by `item_id` (one GET) or by title/time hints over one
/// events query (the time hint's window, else today → 30 days ahead).
async fn find_events(
    req: &ManageRequest,
    nylas: &NylasClient<'_>,
    call: &ToolCall,
    all: bool,
) -> Result<Found<NylasEvent>, Answer> {
    if let Some(id) = req
        .item_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return match nylas.get_event(id, PRIMARY_CALENDAR).await {
            Ok(e) if !e.is_cancelled() => Ok(Found::One(e)),
            Ok(e) => Err(envelope::business_error(
                Some(ProviderTag::Nylas),
                format!("'{}' is already cancelled.", e.title),
            )),
            Err(e) if e.is_not_found() => Err(envelope::business_error(
                Some(ProviderTag::Nylas),
                format!("No event with id '{}' was found.", clip(id)),
            )),
            Err(e) => Err(e.to_envelope(&call.credentials)),
        };
    }
    let tz = call.user.tz();
    let hint = title_hint(req);
    let time_window = time_hint_window(req, call)?;
    if hint.as_deref().is_none_or(item_match::is_generic) && time_window.is_none() {
        return Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            "Which event? Give its title or when it is.",
        ));
    }
    let (start, end) = time_window.unwrap_or_else(|| {
        let today = crate::domain::local_time::start_of_day(tz, call.user.now.date_naive());
        (
            today.with_timezone(&Utc),
            call.user.now.with_timezone(&Utc) + Duration::days(30),
        )
    });
    let page = nylas
        .list_events(&EventQuery::between(start, end))
        .await
        .map_err(|e| e.to_envelope(&call.credentials))?;
    let truncated = page.truncated;
    let mut events: Vec<NylasEvent> = page
        .events
        .into_iter()
        .filter(|e| !e.is_cancelled())
        .filter(|e| {
            e.start_end_in(tz)
                .is_some_and(|(s, en)| s < end && en > start)
        })
        .collect();
    let label = hint.clone().unwrap_or_else(|| "that time".into());
    let outcome = match hint.as_deref().filter(|h| !item_match::is_generic(h)) {
        Some(h) => {
            let titles: Vec<&str> = events.iter().map(|e| e.title.as_str()).collect();
            match item_match::select(h, &titles, all) {
                // A generic word like "meeting" may not be in the title: fall back to the time.
                MatchOutcome::None if time_window.is_some() && is_kind_word(h) => {
                    all_of(events.len())
                }
                other => other,
            }
        }
        None => all_of(events.len()),
    };
    match outcome {
        MatchOutcome::None => Err(envelope::business_error(
            Some(ProviderTag::Nylas),
            format!(
                "No event matches '{}' between {} and {}{}.",
                clip(&label),
                human_time(start, tz),
                human_time(end, tz),
                if truncated {
                    " (only the first events of a very full calendar were searched)"
                } else {
                    ""
                }
            ),
        )),
        MatchOutcome::One(i) => Ok(Found::One(events.swap_remove(i))),
        MatchOutcome::Many(idx) => Ok(Found::Many(
            idx.into_iter().map(|i| events[i].clone()).collect(),
        )),
    }
}

fn all_of(n: usize) -> MatchOutcome {
    match n {
        0 => MatchOutcome::None,
        1 => MatchOutcome::One(0),
        _ => MatchOutcome::Many((0..n).collect()),
    }
}

fn is_kind_word(hint: &str) -> bool {
    let h = hint.to_lowercase();
    ["meeting", "call", "appointment", "sync", "event"]
        .iter()
        .any(|w| {
            h.split_whitespace()
                .all(|t| t == *w || ["my", "the", "that", "this"].contains(&t))
        })
}

fn clarify_events(events: &[NylasEvent], call: &ToolCall) -> Answer {
    let tz = call.user.tz();
    clarify(
        "event",
        events
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.title.as_str(),
                    e.start_end_in(tz).map(|(s, _)| fmt_time(s, tz)),
                )
            })
            .collect(),
    )
}

fn calendar_of(event: &NylasEvent) -> String {
    if event.calendar_id.is_empty() {
        PRIMARY_CALENDAR.to_string()
    } else {
        event.calendar_id.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared resolution helpers
// ---------------------------------------------------------------------------------------------

fn required_title(req: &ManageRequest, noun: &str) -> Result<String, Answer> {
    req.title.as_deref().and_then(clean_title).ok_or_else(|| {
        envelope::business_error(
            None,
            format!("What should the {noun} be called? Give a title."),
        )
    })
}

/// A title without control characters (line breaks become spaces), trimmed, at most 300
/// characters; `None` when nothing printable is left.
fn clean_title(raw: &str) -> Option<String> {
    let printable: String = raw
        .chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect();
    let t = printable.trim();
    (!t.is_empty()).then(|| t.chars().take(300).collect())
}

fn title_hint(req: &ManageRequest) -> Option<String> {
    req.target
        .as_ref()
        .and_then(|t| t.title_hint.clone())
        .or_else(|| req.title.clone())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// The window of `target.time_hint`, in UTC.
fn time_hint_window(req: &ManageRequest, call: &ToolCall) -> Result<Option<Span>, Answer> {
    let Some(hint) = req
        .target
        .as_ref()
        .and_then(|t| t.time_hint.as_deref())
        .filter(|h| !h.trim().is_empty())
    else {
        return Ok(None);
    };
    let w = resolve_window(hint, call.user.now).map_err(|e| time_error("time", &e))?;
    Ok(Some((
        w.start.with_timezone(&Utc),
        w.end.with_timezone(&Utc),
    )))
}

fn opt_moment(
    phrase: Option<&str>,
    call: &ToolCall,
    role: MomentRole,
    what: &str,
) -> Result<Option<DateTime<Utc>>, Answer> {
    match phrase.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => resolve_moment(p, call.user.now, role)
            .map(|m| Some(m.utc()))
            .map_err(|e| time_error(what, &e)),
    }
}

fn duration_minutes(req: &ManageRequest) -> Result<Option<u32>, Answer> {
    if let Some(m) = req.duration_minutes {
        return bounded_minutes(m).map(Some);
    }
    match req
        .duration
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => Ok(None),
        Some(d) if d.eq_ignore_ascii_case("quick") => Ok(Some(30)),
        Some(d) => parse_duration_minutes(d).map(Some).map_err(|e| {
            envelope::business_error(
                None,
                format!("I couldn't understand the duration '{}': {e}", clip(d)),
            )
        }),
    }
}

fn bounded_minutes(m: i64) -> Result<u32, Answer> {
    if (1..=MAX_MINUTES).contains(&m) {
        Ok(m as u32)
    } else {
        Err(envelope::business_error(
            None,
            format!("A duration must be between 1 minute and 7 days (got {m} minutes)."),
        ))
    }
}

/// `category`: WORK (default) or PERSONAL; anything else is refused rather than ignored.
fn personal_category(req: &ManageRequest) -> Result<bool, Answer> {
    match req
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => Ok(false),
        Some(c) if c.eq_ignore_ascii_case("work") => Ok(false),
        Some(c) if c.eq_ignore_ascii_case("personal") => Ok(true),
        Some(c) => Err(envelope::business_error(
            Some(ProviderTag::Reclaim),
            format!(
                "'{}' is not a task category: use WORK or PERSONAL.",
                clip(c)
            ),
        )),
    }
}

fn priority(req: &ManageRequest) -> Result<Option<Priority>, Answer> {
    match req
        .priority
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => Ok(None),
        Some(p) => Priority::parse(p).map(Some).ok_or_else(|| {
            envelope::business_error(
                Some(ProviderTag::Reclaim),
                format!(
                    "'{}' is not a priority: use P1 (urgent) to P4 (low).",
                    clip(p)
                ),
            )
        }),
    }
}

fn time_error(what: &str, e: &dyn std::fmt::Display) -> Answer {
    envelope::business_error(
        None,
        format!("I couldn't understand the {what}: {e}. Nothing was changed."),
    )
}

fn list_titles<'a>(titles: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<String> = titles.map(|t| format!("'{}'", clip(t))).collect();
    match all.len() {
        0 => String::new(),
        n if n > 5 => format!("{} and {} more", all[..5].join(", "), n - 5),
        _ => all.join(", "),
    }
}

fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(80).collect()
}
