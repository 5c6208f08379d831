//! Bounded state: every record the component keeps in the key-value store expires, and expired
//! records are deleted by a sweep that runs at most once per [`SWEEP_INTERVAL_SECS`].
//!
//! Two kinds of expiring records exist:
//! - keys that carry their expiry in their name (`…/exp-<unix seconds>/…`, the model-budget
//!   counters, whose values are bare numbers);
//! - JSON values with a top-level `expires_at` (unix seconds) under the prefixes of
//!   [`EXPIRING_VALUE_PREFIXES`] (executed-approval records and claims, the JWKS cache, the Nylas calendar lists).
//!
//! The approval secret and the sweep marker never expire. Which instance sweeps is decided by a
//! compare-and-swap on the marker, so concurrent requests do not all sweep at once.

use serde_json::Value;

use crate::ports::KeyValue;

/// How often (at most) a sweep runs.
pub const SWEEP_INTERVAL_SECS: i64 = 5 * 60;
/// When the last sweep started (decimal unix seconds).
const SWEEP_MARKER: &str = "juli-calendar/last-sweep";
/// The key segment that carries an expiry in the key itself.
const EXPIRY_SEGMENT: &str = "/exp-";

/// Prefixes of keys whose JSON values carry `expires_at`.
pub const EXPIRING_VALUE_PREFIXES: [&str; 3] = [
    "juli-calendar/approval-executed/",
    "a2a:jwks:",
    crate::upstream::nylas_calendars::CACHE_PREFIX,
];

/// The key segment for a record expiring at `expires_at`: `/exp-<unix>/`.
pub fn expiry_segment(expires_at: i64) -> String {
    format!("{EXPIRY_SEGMENT}{expires_at}/")
}

/// Runs a sweep when the last one is older than [`SWEEP_INTERVAL_SECS`] and this request wins
/// the marker. Returns how many keys were deleted (0 when no sweep ran). Store errors only
/// postpone the sweep.
pub fn sweep_if_due(store: &dyn KeyValue, now: i64) -> usize {
    let marker = store.get(SWEEP_MARKER).ok().flatten();
    let last = marker
        .as_deref()
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.trim().parse::<i64>().ok());
    if last.is_some_and(|t| (0..SWEEP_INTERVAL_SECS).contains(&(now - t))) {
        return 0;
    }
    let won = store
        .compare_and_swap(SWEEP_MARKER, marker.as_deref(), now.to_string().as_bytes())
        .unwrap_or(false);
    if won {
        sweep(store, now)
    } else {
        0
    }
}

/// Deletes every expired record now. Returns how many keys were deleted.
pub fn sweep(store: &dyn KeyValue, now: i64) -> usize {
    let Ok(keys) = store.list_keys() else {
        return 0;
    };
    keys.iter()
        .filter(|k| is_expired(store, k, now))
        .filter(|k| store.delete(k).is_ok())
        .count()
}

fn is_expired(store: &dyn KeyValue, key: &str, now: i64) -> bool {
    if let Some(at) = expiry_in_key(key) {
        return at <= now;
    }
    if !EXPIRING_VALUE_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return false;
    }
    match store.get(key) {
        // A record without a readable expiry predates expiring records: it is deleted too.
        Ok(Some(bytes)) => expiry_in_value(&bytes).is_none_or(|at| at <= now),
        _ => false,
    }
}

fn expiry_in_key(key: &str) -> Option<i64> {
    let (_, rest) = key.split_once(EXPIRY_SEGMENT)?;
    rest.split('/').next()?.parse().ok()
}

fn expiry_in_value(bytes: &[u8]) -> Option<i64> {
    serde_json::from_slice::<Value>(bytes)
        .ok()?
        .get("expires_at")?
        .as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::MemoryStore;

    #[test]
    fn expired_records_go_and_everything_else_stays() {
        let store = MemoryStore::default();
        let put = |k: &str, v: &str| store.set(k, v.as_bytes()).unwrap();
        put("juli-calendar/approval-secret", "s");
        put(
            "juli-calendar/approval-executed/old",
            r#"{"expires_at": 100}"#,
        );
        put(
            "juli-calendar/approval-executed/new",
            r#"{"expires_at": 2000}"#,
        );
        put(
            "juli-calendar/approval-executed/legacy",
            r#"{"success": true}"#,
        );
        put(
            "a2a:jwks:https://issuer",
            r#"{"expires_at": 50, "jwks": {}}"#,
        );
        put(
            &format!("juli-calendar/model-budget{}u1", expiry_segment(900)),
            "3",
        );
        put(
            &format!("juli-calendar/model-budget{}u1", expiry_segment(1900)),
            "1",
        );
        put("someone-elses-key", "x");
        assert_eq!(sweep(&store, 1000), 4);
        assert_eq!(
            store.keys(),
            vec![
                "juli-calendar/approval-executed/new".to_string(),
                "juli-calendar/approval-secret".to_string(),
                "juli-calendar/model-budget/exp-1900/u1".to_string(),
                "someone-elses-key".to_string(),
            ]
        );
    }

    #[test]
    fn a_sweep_runs_at_most_once_per_interval() {
        let store = MemoryStore::default();
        let put = |k: &str| {
            store
                .set(k, br#"{"expires_at": 0}"#)
                .expect("memory store writes")
        };
        put("juli-calendar/approval-executed/a");
        assert_eq!(sweep_if_due(&store, 1000), 1);
        put("juli-calendar/approval-executed/b");
        assert_eq!(sweep_if_due(&store, 1000 + SWEEP_INTERVAL_SECS - 1), 0);
        assert_eq!(sweep_if_due(&store, 1000 + SWEEP_INTERVAL_SECS), 1);
    }
}
