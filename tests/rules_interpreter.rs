//! The deterministic interpreter against `tests/data/rules_requests.jsonl`: requests written
//! the way people type them (typos, lower case, no punctuation, politeness), each labelled
//! with the typed request the model should give (fields as in the model schema; missing =
//! null) or "defer". No wrong answer is allowed: a labelled request must be read exactly as
//! labelled (compared by what the tools do with it, see `helpers::rules_compare`), and a
//! "defer" must go to the model.

mod helpers;

use chrono::{DateTime, TimeZone as _};
use chrono_tz::Tz;
use helpers::rules_compare::{model_reading, rules_reading, schema_of};
use serde_json::Value;

fn now() -> DateTime<Tz> {
    chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .unwrap()
}

fn rows() -> Vec<Value> {
    let text = include_str!("data/rules_requests.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn every_labelled_request_is_read_as_labelled_or_deferred_as_labelled() {
    let rows = rows();
    assert!(rows.len() >= 300, "{} requests", rows.len());
    let mut wrong = Vec::new();
    let mut answered = 0;
    for row in &rows {
        let (tool, query) = (
            row["tool"].as_str().unwrap(),
            row["query"].as_str().unwrap(),
        );
        let schema = schema_of(tool);
        let ours = rules_reading(schema, query, now());
        answered += usize::from(ours.is_some());
        match (&row["expect"], ours) {
            (Value::String(d), None) if d == "defer" => {}
            (Value::String(_), Some(r)) => {
                wrong.push(format!("{tool} {query:?}: should defer, read {r}"))
            }
            (expect, None) => wrong.push(format!("{tool} {query:?}: deferred, expected {expect}")),
            (expect, Some(r)) => {
                let theirs = model_reading(schema, expect, now());
                if r != theirs {
                    wrong.push(format!(
                        "{tool} {query:?}:\n  rules: {r}\n  label: {theirs}"
                    ));
                }
            }
        }
    }
    let defers = rows.iter().filter(|r| r["expect"] == "defer").count();
    println!(
        "{} requests ({} labelled defer): the rules answer {answered} ({:.0}%)",
        rows.len(),
        defers,
        100.0 * answered as f64 / rows.len() as f64
    );
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_requests_are_distinct() {
    let mut seen = std::collections::HashSet::new();
    for row in rows() {
        let key = (
            row["tool"].to_string(),
            row["query"].as_str().unwrap().to_lowercase(),
        );
        assert!(seen.insert(key.clone()), "duplicate {key:?}");
    }
}

#[test]
fn no_prefix_or_suffix_of_any_request_panics() {
    let schemas = helpers::rules_compare::SCHEMAS;
    for row in rows() {
        let words: Vec<&str> = row["query"].as_str().unwrap().split(' ').collect();
        for k in 0..=words.len() {
            for part in [words[..k].join(" "), words[k..].join(" ")] {
                for schema in schemas {
                    rules_reading(schema, &part, now());
                }
            }
        }
    }
}

/// Median time to interpret one request natively (every request of the file, 20 rounds).
/// `cargo test --profile host --test rules_interpreter -- --ignored --nocapture`
#[test]
#[ignore]
fn interpreting_a_request_takes_under_200_microseconds() {
    let rows = rows();
    let mut times = Vec::new();
    for _ in 0..20 {
        for row in &rows {
            let schema = schema_of(row["tool"].as_str().unwrap());
            let query = row["query"].as_str().unwrap();
            let started = std::time::Instant::now();
            std::hint::black_box(interpret(schema, query));
            times.push(started.elapsed());
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    println!(
        "interpretation: median {median:?}, p99 {p99:?} over {} runs",
        times.len()
    );
    assert!(
        median < std::time::Duration::from_micros(200),
        "median {median:?}"
    );
}

fn interpret(schema: &str, query: &str) -> bool {
    use juli_calendar::interpret::rules;
    match schema {
        "manage_productivity_operation" => rules::manage_request(query, now()).is_some(),
        "availability_request" => rules::availability_request(query, now()).is_some(),
        "find_request" => rules::find_request(query, now()).is_some(),
        _ => rules::optimize_request(query, now()).is_some(),
    }
}
