use super::*;
use crate::domain::slots::is_free;

fn ny() -> Tz {
    "America/New_York".parse().unwrap()
}

/// New York wall time in December 2026 / November 2026.
fn ny_at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    local_to_utc(
        NaiveDate::from_ymd_opt(2026, month, day).unwrap(),
        hm(h, m),
        ny(),
    )
}

/// Tuesday 2026-12-01 09:00 New York.
fn now() -> DateTime<Utc> {
    ny_at(12, 1, 9, 0)
}

/// The rest of this week: now → end of Sunday.
fn this_week() -> Interval {
    Interval::new(now(), ny_at(12, 7, 0, 0)).unwrap()
}

fn meeting(id: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> CalendarItem {
    CalendarItem {
        id: id.into(),
        title: format!("Meeting {id}"),
        start,
        end,
        all_day: false,
        busy: true,
        cancelled: false,
        participant_count: 2,
        participant_emails: vec!["a@example.com".into(), "b@example.com".into()],
        series_id: None,
    }
}

fn task(id: &str, title: &str, priority: Priority, due: DateTime<Utc>, minutes: u32) -> TaskItem {
    TaskItem {
        id: id.into(),
        title: title.into(),
        due: Some(due),
        priority,
        remaining_minutes: minutes,
        open: true,
    }
}

/// 4 meetings 9–12 tomorrow (back to back), a cancelled meeting, a free all-day birthday.
fn heavy_week_events() -> Vec<CalendarItem> {
    let mut cancelled = meeting("x", ny_at(12, 3, 14, 0), ny_at(12, 3, 15, 0));
    cancelled.cancelled = true;
    let mut birthday = meeting("bday", ny_at(12, 4, 0, 0), ny_at(12, 5, 0, 0));
    birthday.all_day = true;
    birthday.busy = false;
    birthday.participant_count = 0;
    vec![
        meeting("m3", ny_at(12, 2, 10, 30), ny_at(12, 2, 11, 15)),
        meeting("m1", ny_at(12, 2, 9, 0), ny_at(12, 2, 9, 45)),
        meeting("m2", ny_at(12, 2, 9, 45), ny_at(12, 2, 10, 30)),
        meeting("m4", ny_at(12, 2, 11, 15), ny_at(12, 2, 12, 0)),
        cancelled,
        birthday,
    ]
}

/// P1 due tomorrow noon needing 10 h (only 9 h free before), P3 on Thursday, P4 overdue.
fn heavy_week_tasks() -> Vec<TaskItem> {
    let mut closed = task("done", "Old task", Priority::P1, ny_at(12, 1, 12, 0), 600);
    closed.open = false;
    vec![
        task(
            "p1",
            "Finish Q4 board deck",
            Priority::P1,
            ny_at(12, 2, 12, 0),
            600,
        ),
        task(
            "p3",
            "Update roadmap",
            Priority::P3,
            ny_at(12, 3, 17, 0),
            120,
        ),
        task(
            "p4",
            "Clean up docs",
            Priority::P4,
            ny_at(11, 30, 17, 0),
            60,
        ),
        closed,
    ]
}

fn workload() -> WorkloadMetrics {
    WorkloadMetrics::compute(
        &heavy_week_events(),
        &heavy_week_tasks(),
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    )
}

fn analysis() -> ScheduleAnalysis {
    ScheduleAnalysis::compute(
        &heavy_week_events(),
        &heavy_week_tasks(),
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    )
}

#[test]
fn workload_counts_on_the_heavy_week() {
    let m = workload();
    assert_eq!(
        m.tasks,
        TaskMetrics {
            total: 3,
            overdue: 1,
            this_week: 3,
            total_hours: 13.0
        }
    );
    assert_eq!(
        m.events,
        EventMetrics {
            total: 5,
            today: 0,
            this_week: 5,
            total_hours: 3.0,
            with_others: 4
        }
    );
    // committed: 3 h meetings + 13 h of tasks due by Sunday; capacity Tue–Fri 4 × 9 h
    assert_eq!(
        m.overall,
        OverallMetrics {
            total_committed_hours: 16.0,
            busy_percentage: 44.4,
            available_hours: 20.0
        }
    );
    assert_eq!(m.meeting_hours, 3.0);
    // Tue 9 h + Wed 12–18 6 h + Thu 9 h + Fri 9 h
    assert_eq!(m.focus_hours, 33.0);
    let busiest = m.busiest_day.clone().unwrap();
    assert_eq!(busiest.weekday, "Wednesday");
    assert_eq!(busiest.meeting_hours, 3.0);
    assert_eq!(busiest.event_count, 4);
    assert_eq!(busiest.tasks_due, 1);
    assert_eq!(busiest.focus_hours, 6.0);
    let days: Vec<&str> = m.per_day.iter().map(|d| d.weekday.as_str()).collect();
    assert_eq!(
        days,
        vec![
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday"
        ]
    );
}

#[test]
fn workload_insights_and_summary_come_from_the_numbers() {
    let m = workload();
    let insights = m.insights();
    assert_eq!(
        insights,
        vec![
            "Wednesday is your busiest day with 3 h of meetings.".to_string(),
            "44.4% of your working time is committed; 20 h are still available.".into(),
            "1 task is overdue: reschedule or finish it first.".into(),
            "3 tasks are due this week; open tasks need 13 h of work in total.".into(),
            "You have 33 h of focus time in free blocks of an hour or more.".into(),
            "4 of your 5 events involve other people.".into(),
        ]
    );
    assert_eq!(
        m.summary(),
        "5 events (3 h of meetings) and 3 open tasks (13 h remaining); 44.4% of working time committed, 20 h available."
    );
}

#[test]
fn workload_serializes_with_the_product_field_names() {
    let json = serde_json::to_value(workload()).unwrap();
    for key in ["total", "overdue", "this_week", "total_hours"] {
        assert!(json["tasks"].get(key).is_some(), "tasks.{key}");
    }
    for key in ["total", "today", "this_week", "total_hours", "with_others"] {
        assert!(json["events"].get(key).is_some(), "events.{key}");
    }
    for key in [
        "total_committed_hours",
        "busy_percentage",
        "available_hours",
    ] {
        assert!(json["overall"].get(key).is_some(), "overall.{key}");
    }
    assert_eq!(json["busiest_day"]["date"], "2026-12-02");
    assert_eq!(json["overall"]["busy_percentage"], 44.4);
}

#[test]
fn empty_schedule_is_clear() {
    let m = WorkloadMetrics::compute(&[], &[], this_week(), now(), ny(), &WorkingHours::default());
    assert_eq!(m.overall.busy_percentage, 0.0);
    assert_eq!(m.overall.available_hours, 36.0);
    assert!(m.busiest_day.is_none());
    assert_eq!(
        m.insights(),
        vec!["Your schedule is clear for this period.".to_string()]
    );
}

#[test]
fn today_counts_and_weekend_capacity() {
    // a Saturday-only window has no working hours: committed time is 100 %
    let sat = Interval::new(ny_at(12, 5, 0, 0), ny_at(12, 6, 0, 0)).unwrap();
    let events = vec![meeting("s", ny_at(12, 5, 10, 0), ny_at(12, 5, 11, 0))];
    let m = WorkloadMetrics::compute(&events, &[], sat, now(), ny(), &WorkingHours::default());
    assert_eq!(m.overall.busy_percentage, 100.0);
    assert_eq!(m.overall.available_hours, 0.0);
    let today = vec![meeting("t", ny_at(12, 1, 15, 0), ny_at(12, 1, 16, 0))];
    let m = WorkloadMetrics::compute(
        &today,
        &[],
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    );
    assert_eq!(m.events.today, 1);
    assert!(m.overall.busy_percentage > 0.0 && m.overall.busy_percentage < 5.0);
}

#[test]
fn analysis_finds_chain_risks_and_misalignment() {
    let a = analysis();
    assert_eq!(a.meeting_count, 4);
    assert_eq!(a.meeting_hours, 3.0);
    assert_eq!(a.focus_hours, 33.0);
    assert_eq!(a.back_to_back_chains.len(), 1);
    let chain = &a.back_to_back_chains[0];
    assert_eq!(chain.event_ids, vec!["m1", "m2", "m3", "m4"]);
    assert_eq!(chain.start, ny_at(12, 2, 9, 0));
    assert_eq!(chain.end, ny_at(12, 2, 12, 0));
    assert!(a.fragmented_gaps.is_empty());
    assert!(a.overloaded_days.is_empty());
    let risky: Vec<(&str, bool)> = a
        .tasks_at_risk
        .iter()
        .map(|r| (r.task_id.as_str(), r.overdue))
        .collect();
    assert_eq!(risky, vec![("p4", true), ("p1", false)]);
    let p1 = &a.tasks_at_risk[1];
    assert_eq!(p1.required_hours, 11.0);
    assert_eq!(p1.free_hours_before_due, 9.0);
    assert_eq!(a.priority_misalignments.len(), 1);
    assert_eq!(a.priority_misalignments[0].task_id, "p1");
    assert_eq!(
        a.priority_misalignments[0].earlier_lower_priority_task_ids,
        vec!["p4"]
    );
    assert!(!a.priority_misalignments[0].no_free_time_early);
    assert!(!a.is_well_optimized());
}

#[test]
fn heavy_week_gets_concrete_suggestions_with_real_slots() {
    let a = analysis();
    let suggestions = a.suggestions();
    let focus: Vec<&Suggestion> = suggestions
        .iter()
        .filter(|s| s.kind == SuggestionKind::BlockFocusTime)
        .collect();
    // mornings preferred: Tue, Thu, Fri mornings (Wednesday morning is all meetings)
    let slots: Vec<Interval> = focus.iter().map(|s| s.slot.unwrap()).collect();
    assert_eq!(
        slots,
        vec![
            Interval::new(ny_at(12, 1, 9, 0), ny_at(12, 1, 11, 0)).unwrap(),
            Interval::new(ny_at(12, 3, 9, 0), ny_at(12, 3, 11, 0)).unwrap(),
            Interval::new(ny_at(12, 4, 9, 0), ny_at(12, 4, 11, 0)).unwrap(),
        ]
    );
    let busy = busy_intervals(&heavy_week_events());
    for s in &focus {
        let slot = s.slot.unwrap();
        assert!(is_free(&busy, slot, 0).0, "{slot:?} is not free");
        assert!(WorkingHours::default().contains(&slot, ny()));
        assert!(slot.start() >= now());
        assert!(s.applicable);
        assert_eq!(s.impact, Impact::High);
    }
    assert_eq!(
        focus[0].action,
        "Block Tue Dec 1 09:00–11:00 for focus time"
    );
    assert!(focus[0].reasoning.contains("'Finish Q4 board deck', P1"));

    let moves: Vec<(&str, DateTime<Utc>)> = suggestions
        .iter()
        .filter(|s| s.kind == SuggestionKind::MoveTaskDue)
        .map(|s| (s.task_id.as_deref().unwrap(), s.new_due.unwrap()))
        .collect();
    // the overdue P4 fits by tonight; the P1 needs 11 h → Wednesday end of day (9 + 6 h free)
    assert_eq!(
        moves,
        vec![("p4", ny_at(12, 1, 18, 0)), ("p1", ny_at(12, 2, 18, 0))]
    );

    let decline: Vec<&Suggestion> = suggestions
        .iter()
        .filter(|s| s.kind == SuggestionKind::DeclineOrShorten)
        .collect();
    assert_eq!(decline.len(), 1);
    assert_eq!(decline[0].event_ids, vec!["m1", "m2", "m3", "m4"]);
    assert!(!decline[0].applicable);
    assert_eq!(decline[0].impact, Impact::High);
    assert!(suggestions
        .iter()
        .all(|s| s.kind != SuggestionKind::ReprioritiseTask));
    // highest impact first, deterministic
    assert!(suggestions.windows(2).all(|w| w[0].impact <= w[1].impact));
    assert_eq!(a.suggestions(), suggestions);
}

#[test]
fn suggestions_serialize_with_type_and_snake_case() {
    let s = analysis().suggestions();
    let json = serde_json::to_value(&s[0]).unwrap();
    assert_eq!(json["type"], "block_focus_time");
    assert_eq!(json["impact"], "high");
    assert!(json["slot"]["start"].is_string());
    let metrics = serde_json::to_value(analysis()).unwrap();
    assert!(metrics.get("back_to_back_chains").is_some());
    assert!(metrics.get("context").is_none());
    let back: Suggestion = serde_json::from_value(json).unwrap();
    assert_eq!(back, s[0]);
}

#[test]
fn overloaded_day_and_fragmented_gaps() {
    // Thursday 09:00–16:30: meetings with a 20 and a 15 minute gap
    let events = vec![
        meeting("a", ny_at(12, 3, 9, 0), ny_at(12, 3, 11, 0)),
        meeting("b", ny_at(12, 3, 11, 20), ny_at(12, 3, 13, 0)),
        meeting("c", ny_at(12, 3, 13, 15), ny_at(12, 3, 15, 0)),
        meeting("d", ny_at(12, 3, 15, 0), ny_at(12, 3, 16, 30)),
    ];
    let a = ScheduleAnalysis::compute(
        &events,
        &[],
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    );
    assert_eq!(a.meeting_hours, 6.92); // 2 h + 1 h 40 + 1 h 45 + 1 h 30
    assert_eq!(a.overloaded_days.len(), 1);
    assert_eq!(a.overloaded_days[0].weekday, "Thursday");
    assert_eq!(a.fragmented_gaps.len(), 2);
    assert_eq!(a.fragmented_gaps[0].duration_minutes(), 20);
    assert_eq!(a.back_to_back_chains.len(), 1);
    assert_eq!(a.back_to_back_chains[0].event_ids, vec!["c", "d"]);
    assert!(!a.is_well_optimized());
    let s = a.suggestions();
    let overload = s
        .iter()
        .find(|s| s.kind == SuggestionKind::DeclineOrShorten)
        .unwrap();
    assert_eq!(overload.event_ids, vec!["a", "b", "c", "d"]);
    assert!(overload.action.contains("Thu Dec 3"));
    let batch = s
        .iter()
        .find(|s| s.kind == SuggestionKind::BatchMeetings)
        .unwrap();
    assert_eq!(batch.impact, Impact::Medium);
    assert!(batch.reasoning.starts_with("2 short gaps"));
    // focus blocks never land on Thursday's meetings
    let busy = busy_intervals(&events);
    for f in s
        .iter()
        .filter(|s| s.kind == SuggestionKind::BlockFocusTime)
    {
        assert!(is_free(&busy, f.slot.unwrap(), 0).0);
    }
}

#[test]
fn light_week_is_well_optimized() {
    let events = vec![
        meeting("a", ny_at(12, 2, 14, 0), ny_at(12, 2, 15, 0)),
        meeting("b", ny_at(12, 3, 10, 0), ny_at(12, 3, 10, 30)),
    ];
    let tasks = vec![task(
        "t",
        "Write blog post",
        Priority::P3,
        ny_at(12, 4, 17, 0),
        120,
    )];
    let a = ScheduleAnalysis::compute(
        &events,
        &tasks,
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    );
    assert!(a.is_well_optimized(), "{a:?}");
    assert!(a.focus_hours >= a.focus_threshold_hours());
    let s = a.suggestions();
    assert!(s.iter().all(|s| s.impact == Impact::Low));
    assert!(s.iter().all(|s| s.kind == SuggestionKind::BlockFocusTime));
}

#[test]
fn no_focus_time_is_not_well_optimized() {
    // every working hour busy except 30-minute holes
    let mut events = Vec::new();
    for day in 1..=4 {
        events.push(meeting(
            &format!("am{day}"),
            ny_at(12, day, 9, 0),
            ny_at(12, day, 13, 0),
        ));
        events.push(meeting(
            &format!("pm{day}"),
            ny_at(12, day, 13, 30),
            ny_at(12, day, 18, 0),
        ));
    }
    let a = ScheduleAnalysis::compute(
        &events,
        &[],
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    );
    assert_eq!(a.focus_hours, 0.0);
    assert!(!a.is_well_optimized());
    assert!(a
        .suggestions()
        .iter()
        .all(|s| s.kind != SuggestionKind::BlockFocusTime));
}

#[test]
fn at_risk_low_priority_task_is_reprioritised() {
    // Wednesday full of meetings; a P4 due Wednesday 17:00 needs 10 h, only today's 9 h are free
    let events = vec![meeting("w", ny_at(12, 2, 9, 0), ny_at(12, 2, 18, 0))];
    let tasks = vec![task(
        "t",
        "Expense report",
        Priority::P4,
        ny_at(12, 2, 17, 0),
        600,
    )];
    let a = ScheduleAnalysis::compute(
        &events,
        &tasks,
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    );
    assert_eq!(a.tasks_at_risk.len(), 1);
    let s = a.suggestions();
    let re = s
        .iter()
        .find(|s| s.kind == SuggestionKind::ReprioritiseTask)
        .unwrap();
    assert_eq!(re.new_priority, Some(Priority::P2));
    assert_eq!(re.task_id.as_deref(), Some("t"));
    let mv = s
        .iter()
        .find(|s| s.kind == SuggestionKind::MoveTaskDue)
        .unwrap();
    // Wednesday has no free time: Thursday evening gives 9 + 9 h
    assert_eq!(mv.new_due, Some(ny_at(12, 3, 18, 0)));
    assert_eq!(mv.impact, Impact::Medium);
}

#[test]
fn p1_without_early_free_time_is_misaligned() {
    let events = vec![
        meeting("t", ny_at(12, 1, 9, 0), ny_at(12, 1, 18, 0)),
        meeting("w", ny_at(12, 2, 9, 0), ny_at(12, 2, 18, 0)),
        meeting("r", ny_at(12, 3, 9, 0), ny_at(12, 3, 18, 0)),
    ];
    let tasks = vec![task(
        "p1",
        "Launch plan",
        Priority::P1,
        ny_at(12, 11, 17, 0),
        120,
    )];
    let a = ScheduleAnalysis::compute(
        &events,
        &tasks,
        this_week(),
        now(),
        ny(),
        &WorkingHours::default(),
    );
    assert_eq!(a.priority_misalignments.len(), 1);
    assert!(a.priority_misalignments[0].no_free_time_early);
    assert!(a.priority_misalignments[0]
        .reason
        .contains("no free block of 60 min"));
    assert!(a.tasks_at_risk.is_empty());
}

#[test]
fn past_meetings_are_counted_but_not_suggested() {
    // now is Wednesday 13:00: the morning chain is over
    let now = ny_at(12, 2, 13, 0);
    let window = Interval::new(ny_at(12, 2, 0, 0), ny_at(12, 7, 0, 0)).unwrap();
    let a = ScheduleAnalysis::compute(
        &heavy_week_events(),
        &[],
        window,
        now,
        ny(),
        &WorkingHours::default(),
    );
    assert_eq!(a.back_to_back_chains.len(), 1);
    let s = a.suggestions();
    assert!(s.iter().all(|s| s.kind != SuggestionKind::DeclineOrShorten));
    for f in s
        .iter()
        .filter(|s| s.kind == SuggestionKind::BlockFocusTime)
    {
        assert!(f.slot.unwrap().start() >= now);
    }
    // Wednesday 13:00–15:00 is the first focus block
    assert_eq!(s[0].slot.unwrap().start(), ny_at(12, 2, 13, 0));
}

#[test]
fn formatting_helpers() {
    assert_eq!(fmt_hours(6.5), "6.5");
    assert_eq!(fmt_hours(6.0), "6");
    assert_eq!(fmt_hours(2.25), "2.3");
    assert_eq!(fmt_minutes(90), "1 h 30 min");
    assert_eq!(fmt_minutes(120), "2 h");
    assert_eq!(fmt_minutes(20), "20 min");
    assert_eq!(plural(1, "task", "tasks"), "1 task");
    assert_eq!(plural(2, "task", "tasks"), "2 tasks");
    let span = Interval::new(ny_at(12, 1, 22, 0), ny_at(12, 2, 1, 0)).unwrap();
    assert_eq!(fmt_span(&span, ny()), "Tue Dec 1 22:00–Wed Dec 2 01:00");
}
