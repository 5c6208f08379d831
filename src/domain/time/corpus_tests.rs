//! The development corpora, every phrase resolved as an event start (what
//! check_availability's structured `start` does) and compared per kind (date / datetime /
//! time):
//! - `tests/data/time_phrases.jsonl`: our own cases;
//! - `tests/data/public_corpus/time_corpus_public.jsonl`: converted from Duckling's,
//!   chrono-node's and dateparser's English test suites (sources, commits and licences in its
//!   header and folder); dateparser's share is reported and floored on its own.
//!
//! The pass shares may only go up: raise the floors when coverage grows.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde_json::Value;

use super::{local_now, parse_phrase, DateOrder, MomentRole, PhraseOptions};

/// Lowest accepted pass share of our own corpus, in percent. Only ever raise it.
const FLOOR_PERCENT: f64 = 99.8;
/// Lowest accepted pass share of the converted Duckling and chrono-node cases, in percent.
/// Only ever raise it.
const PUBLIC_FLOOR_PERCENT: f64 = 86.9;
/// Lowest accepted pass share of the converted dateparser cases (added later, so floored on
/// their own), in percent. Only ever raise it.
const DATEPARSER_FLOOR_PERCENT: f64 = 91.2;

const CORPUS: &str = include_str!("../../../tests/data/time_phrases.jsonl");
const PUBLIC_CORPUS: &str =
    include_str!("../../../tests/data/public_corpus/time_corpus_public.jsonl");

struct Case {
    phrase: String,
    now: chrono::DateTime<Tz>,
    expected: String,
    kind: String,
    order: DateOrder,
    /// The suite a converted case comes from ("duckling", "chrono"; "own" for ours).
    suite: String,
}

fn cases() -> Vec<Case> {
    parse_cases(CORPUS)
}

fn parse_cases(corpus: &str) -> Vec<Case> {
    corpus
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
                suite: text("source")
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
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

/// Runs every case, prints the share per kind (and per suite) and every failure; returns the
/// total pass share in percent.
fn pass_share(name: &str, cases: &[Case]) -> f64 {
    let mut passed = std::collections::BTreeMap::<String, (usize, usize)>::new();
    let mut failures = Vec::new();
    for case in cases {
        let ok = match reading(case) {
            Ok(got) if got == case.expected => true,
            Ok(got) => {
                failures.push(format!(
                    "{:?} ({}): got {got}, want {}",
                    case.phrase, case.suite, case.expected
                ));
                false
            }
            Err(e) => {
                failures.push(format!(
                    "{:?} ({}): {e} (want {})",
                    case.phrase, case.suite, case.expected
                ));
                false
            }
        };
        for key in [case.kind.clone(), format!("{}/{}", case.suite, case.kind)] {
            let entry = passed.entry(key).or_default();
            entry.0 += usize::from(ok);
            entry.1 += 1;
        }
    }
    let total_pass = cases.len() - failures.len();
    let share = 100.0 * total_pass as f64 / cases.len() as f64;
    for (kind, (ok, all)) in &passed {
        println!(
            "{name} {kind}: {ok}/{all} = {:.1}%",
            100.0 * *ok as f64 / *all as f64
        );
    }
    println!("{name} total: {total_pass}/{} = {share:.1}%", cases.len());
    for f in &failures {
        println!("  FAIL {f}");
    }
    share
}

#[test]
fn corpus_pass_share_stays_above_the_floor() {
    let cases = cases();
    assert!(cases.len() >= 300, "the corpus has {} cases", cases.len());
    let share = pass_share("corpus", &cases);
    assert!(
        share >= FLOOR_PERCENT,
        "corpus pass share {share:.1}% fell below the floor {FLOOR_PERCENT}%"
    );
}

#[test]
fn public_corpus_pass_share_stays_above_the_floor() {
    let (dateparser, others): (Vec<Case>, Vec<Case>) = parse_cases(PUBLIC_CORPUS)
        .into_iter()
        .partition(|c| c.suite == "dateparser");
    assert!(
        others.len() >= 500,
        "{} Duckling/chrono cases",
        others.len()
    );
    assert!(
        dateparser.len() >= 100,
        "{} dateparser cases",
        dateparser.len()
    );
    let share = pass_share("public corpus", &others);
    let dateparser_share = pass_share("public corpus (dateparser)", &dateparser);
    assert!(
        share >= PUBLIC_FLOOR_PERCENT,
        "public corpus pass share {share:.1}% fell below the floor {PUBLIC_FLOOR_PERCENT}%"
    );
    assert!(
        dateparser_share >= DATEPARSER_FLOOR_PERCENT,
        "dateparser pass share {dateparser_share:.1}% fell below the floor \
         {DATEPARSER_FLOOR_PERCENT}%"
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

/// Prints how each phrase of a file resolves (one phrase per line, as an event start, now =
/// Tue 2026-12-01 09:00 America/New_York): `TIME_PROBE=path cargo test --lib
/// domain::time::corpus::probe -- --ignored --nocapture`. For exploring new constructions.
#[test]
#[ignore]
fn probe_phrases_from_a_file() {
    let Ok(path) = std::env::var("TIME_PROBE") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("probe file");
    let now = local_now(
        chrono_tz::America::New_York,
        NaiveDateTime::parse_from_str("2026-12-01T09:00:00", "%Y-%m-%dT%H:%M:%S").expect("now"),
    );
    for phrase in text.lines().filter(|l| !l.trim().is_empty()) {
        let got = parse_phrase(
            phrase,
            now,
            MomentRole::EventStart,
            PhraseOptions::default(),
        )
        .map(|m| m.instant.format("%a %Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|e| format!("ERR {e}"));
        println!("{phrase:45} => {got}");
    }
}
