//! The per-user model budget: at most `model_calls_per_hour` and `model_calls_per_day` model
//! calls per user (Spin variables, `0` = unlimited), counted in the key-value store.
//!
//! A user is their credential set, identified by a keyed hash (HMAC-SHA256 under the approval
//! secret) so the store never holds a credential nor anything that can be checked against one.
//! Counters are fixed windows (the clock hour and the UTC day) incremented atomically before the
//! call; a counter key carries its window's end so the sweep ([`crate::kv_sweep`]) deletes it
//! afterwards. Only real model calls count: structured arguments and requests the rule-based
//! interpreter understood never reach [`spend`].
//!
//! Without a store (or while it fails) there is no budget: the call is allowed.

use chrono::{DateTime, Utc};

use crate::approval;
use crate::config::Settings;
use crate::credentials::Credentials;
use crate::kv_sweep;
use crate::ports::{KeyValue, Random};

const PREFIX: &str = "juli-calendar/model-budget";

/// One budget window.
struct Window {
    name: &'static str,
    seconds: i64,
    limit: u32,
}

/// The answer of [`spend`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spend {
    Allowed,
    /// Over the limit of `window` ("hour" or "day"); try again in `retry_after` seconds.
    Exceeded {
        window: &'static str,
        limit: u32,
        retry_after: i64,
    },
}

impl Spend {
    /// The message shown to the caller.
    pub fn message(&self) -> Option<String> {
        match self {
            Spend::Allowed => None,
            Spend::Exceeded {
                window,
                limit,
                retry_after,
            } => Some(format!(
                "Model budget used up: at most {limit} plain-language requests per {window} per user; nothing was done. Try again in {retry_after} seconds, or pass 'action' with its fields (structured calls do not count)."
            )),
        }
    }
}

/// Counts one model call for the user of `credentials`, or says which limit it would exceed.
pub fn spend(
    settings: &Settings,
    store: Option<&dyn KeyValue>,
    random: &dyn Random,
    credentials: &Credentials,
    now: DateTime<Utc>,
) -> Spend {
    let windows = [
        Window {
            name: "hour",
            seconds: 3600,
            limit: settings.model_calls_per_hour,
        },
        Window {
            name: "day",
            seconds: 86_400,
            limit: settings.model_calls_per_day,
        },
    ];
    let Some(store) = store else {
        return Spend::Allowed;
    };
    if windows.iter().all(|w| w.limit == 0) {
        return Spend::Allowed;
    }
    let Ok(secret) = approval::signing_secret(settings, Some(store), random) else {
        return Spend::Allowed;
    };
    let user = approval::credential_digest(&secret, "model-budget", credentials);
    let now = now.timestamp();
    kv_sweep::sweep_if_due(store, now);
    for w in windows.iter().filter(|w| w.limit > 0) {
        let end = (now.div_euclid(w.seconds) + 1) * w.seconds;
        let key = format!("{PREFIX}/{}{}{user}", w.name, kv_sweep::expiry_segment(end));
        match store.increment(&key, 1) {
            Ok(n) if n > i64::from(w.limit) => {
                return Spend::Exceeded {
                    window: w.name,
                    limit: w.limit,
                    retry_after: (end - now).max(1),
                }
            }
            _ => {}
        }
    }
    Spend::Allowed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretString;
    use crate::ports::MemoryStore;
    use std::collections::HashMap;

    struct NoRandom;
    impl Random for NoRandom {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(1);
        }
    }

    fn settings(per_hour: &str, per_day: &str) -> Settings {
        let map: HashMap<String, String> = [
            ("model_calls_per_hour", per_hour),
            ("model_calls_per_day", per_day),
            ("approval_secret", "budget-test-secret"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Settings::from_source(&map)
    }

    fn user(key: &str) -> Credentials {
        Credentials {
            reclaim_api_key: Some(SecretString::new(key)),
            ..Default::default()
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_hourly_limit_holds_per_user_and_resets_with_the_hour() {
        let (s, store) = (settings("3", "0"), MemoryStore::default());
        let now = at("2026-12-01T14:59:30Z");
        let spend_as = |k: &str, t| spend(&s, Some(&store), &NoRandom, &user(k), t);
        for _ in 0..3 {
            assert_eq!(spend_as("alice-key", now), Spend::Allowed);
        }
        let over = spend_as("alice-key", now);
        assert_eq!(
            over,
            Spend::Exceeded {
                window: "hour",
                limit: 3,
                retry_after: 30
            }
        );
        assert!(over.message().unwrap().contains("30 seconds"));
        assert_eq!(spend_as("bob-key", now), Spend::Allowed);
        assert_eq!(
            spend_as("alice-key", at("2026-12-01T15:00:00Z")),
            Spend::Allowed
        );
        // The store names users by a keyed hash only.
        assert!(store.keys().iter().all(|k| !k.contains("alice")));
    }

    #[test]
    fn the_daily_budget_applies_across_hours() {
        let (s, store) = (settings("0", "2"), MemoryStore::default());
        let alice = user("alice-key");
        assert_eq!(
            spend(
                &s,
                Some(&store),
                &NoRandom,
                &alice,
                at("2026-12-01T01:00:00Z")
            ),
            Spend::Allowed
        );
        assert_eq!(
            spend(
                &s,
                Some(&store),
                &NoRandom,
                &alice,
                at("2026-12-01T09:00:00Z")
            ),
            Spend::Allowed
        );
        assert!(matches!(
            spend(
                &s,
                Some(&store),
                &NoRandom,
                &alice,
                at("2026-12-01T23:00:00Z")
            ),
            Spend::Exceeded {
                window: "day",
                retry_after: 3600,
                ..
            }
        ));
    }

    #[test]
    fn no_store_or_no_limits_means_no_budget() {
        let alice = user("alice-key");
        let now = at("2026-12-01T01:00:00Z");
        assert_eq!(
            spend(&settings("1", "1"), None, &NoRandom, &alice, now),
            Spend::Allowed
        );
        let store = MemoryStore::default();
        for _ in 0..5 {
            assert_eq!(
                spend(&settings("0", "0"), Some(&store), &NoRandom, &alice, now),
                Spend::Allowed
            );
        }
        assert!(store.keys().is_empty());
    }
}
