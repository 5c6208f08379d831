//! The development corpus (`tests/data/time_phrases.jsonl`, our own cases): every phrase is
//! resolved as an event start (what check_availability's structured `start` does) and
//! compared per kind (date / datetime / time). The pass share may only go up: raise
//! [`FLOOR_PERCENT`] when coverage grows.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde_json::Value;

use super::{local_now, parse_phrase, DateOrder, MomentRole, PhraseOptions};

/// Lowest accepted pass share of the corpus, in percent. Only ever raise it.
const FLOOR_PERCENT: f64 = 99.0;

const CORPUS: &str = include_str!("../../../tests/data/time_phrases.jsonl");

struct Case {
    phrase: String,
    now: chrono::DateTime<Tz>,
    expected: String,
    kind: String,
    order: DateOrder,
}

fn cases() -> Vec<Case> {
    CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).expect("corpus line is JSON"))
        .filter(|v| v.get("_header").is_none())
        .map(|v| {
            let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let tz: Tz = text("zone").parse().expect("corpus zone");
            let naive = NaiveDateTime::parse_from_str(&text("ref"), "%Y-%m-%dT%H:%M:%S")
                .expect("corpus ref");
            Case {
                phrase: text("phrase"),
                now: local_now(tz, naive),
                expected: text("expected"),
                kind: text("kind"),
                order: match v["date_order"].as_str() {
                    Some("dmy") => DateOrder::DayFirst,
                    _ => DateOrder::MonthFirst,
                },
            }
        })
        .collect()
}

/// What a case compares: the local date, date and minute, or the wall time.
fn reading(case: &Case) -> Result<String, String> {
    let options = PhraseOptions {
        date_order: case.order,
    };
    let m = parse_phrase(&case.phrase, case.now, MomentRole::EventStart, options)
        .map_err(|e| e.to_string())?;
    let local = m.instant.naive_local();
    Ok(match case.kind.as_str() {
        "date" => local.format("%Y-%m-%d").to_string(),
        "datetime" => local.format("%Y-%m-%dT%H:%M").to_string(),
        _ => local.format("%H:%M").to_string(),
    })
}

#[test]
fn corpus_pass_share_stays_above_the_floor() {
    let cases = cases();
    assert!(cases.len() >= 300, "the corpus has {} cases", cases.len());
    let mut passed = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut failures = Vec::new();
    for case in &cases {
        let entry = passed.entry(case.kind.as_str()).or_default();
        entry.1 += 1;
        match reading(case) {
            Ok(got) if got == case.expected => entry.0 += 1,
            Ok(got) => failures.push(format!(
                "{:?}: got {got}, want {}",
                case.phrase, case.expected
            )),
            Err(e) => failures.push(format!("{:?}: {e} (want {})", case.phrase, case.expected)),
        }
    }
    let total_pass: usize = passed.values().map(|p| p.0).sum();
    let share = 100.0 * total_pass as f64 / cases.len() as f64;
    for (kind, (ok, all)) in &passed {
        println!("corpus {kind}: {ok}/{all}");
    }
    println!("corpus total: {total_pass}/{} = {share:.1}%", cases.len());
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(
        share >= FLOOR_PERCENT,
        "corpus pass share {share:.1}% fell below the floor {FLOOR_PERCENT}%"
    );
}

/// Resolution speed over the corpus: `cargo test --lib domain::time::corpus -- --ignored
/// --nocapture` prints the median and the slowest per-phrase time (numbers in
/// docs/PERFORMANCE.md). Ignored: timings do not belong in the normal test run.
#[test]
#[ignore]
fn bench_phrase_resolution() {
    let cases = cases();
    const ROUNDS: usize = 200;
    let mut per_phrase: Vec<f64> = cases
        .iter()
        .map(|case| {
            let started = std::time::Instant::now();
            for _ in 0..ROUNDS {
                let _ = std::hint::black_box(reading(case));
            }
            started.elapsed().as_secs_f64() * 1e6 / ROUNDS as f64
        })
        .collect();
    per_phrase.sort_by(f64::total_cmp);
    let median = per_phrase[per_phrase.len() / 2];
    let p95 = per_phrase[per_phrase.len() * 95 / 100];
    let max = per_phrase[per_phrase.len() - 1];
    println!(
        "phrase resolution over {} phrases: median {median:.1} µs, p95 {p95:.1} µs, max {max:.1} µs",
        per_phrase.len()
    );
}
