//! Fault injection: per upstream, a queue of rules that misbehave for the next N matching requests.
//!
//! Every faulted request is still logged and contract-checked. Unless a variant says otherwise,
//! a fault is injected **before** the fake handles the request, so the request changes no state
//! (a 500 on a create means nothing was created). [`Fault::FailAfterApply`] is the exception:
//! the fake applies the request (the create happens) and then answers an error, which is how
//! tests prove that retries of non-idempotent writes do not duplicate.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a request misbehaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Answer this status (with the provider's error shape) without applying the request;
    /// `retry_after` seconds sets `Retry-After`.
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Answer 200 with a body that is not valid JSON, without applying the request.
    MalformedJson,
    /// Answer 200 with a body cut in half. For GETs it is the real answer cut short; for writes
    /// a generic body cut short and the request is not applied. Over HTTP the `Content-Length`
    /// announces the full length and the connection closes early.
    TruncatedBody,
    /// Wait, then answer normally (the request is applied). Only the HTTP server sleeps;
    /// in-process `handle` ignores the delay (it still counts as a consumed fault).
    Delay {
        #[serde(with = "millis")]
        ms: Duration,
    },
    /// Nylas events lists only: answer the real page but always with a `next_cursor`, and
    /// answer a page token minted by this fault with the first page again: pagination never ends.
    EndlessPagination,
    /// Apply the request, then answer this status instead of the real answer.
    FailAfterApply { status: u16 },
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

/// A fault with the requests it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    pub fault: Fault,
    /// How many matching requests it still affects (`u32::MAX` ≈ forever).
    #[serde(default = "one")]
    pub times: u32,
    /// Only requests with this method (any when `None`).
    #[serde(default)]
    pub method: Option<String>,
    /// Only requests whose path contains this text (any when `None`).
    #[serde(default)]
    pub path_contains: Option<String>,
}

fn one() -> u32 {
    1
}

impl FaultRule {
    /// The fault for the next matching request.
    pub fn new(fault: Fault) -> FaultRule {
        FaultRule {
            fault,
            times: 1,
            method: None,
            path_contains: None,
        }
    }
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }
    pub fn forever(self) -> Self {
        self.times(u32::MAX)
    }
    pub fn method(mut self, m: &str) -> Self {
        self.method = Some(m.to_ascii_uppercase());
        self
    }
    pub fn path_contains(mut self, p: &str) -> Self {
        self.path_contains = Some(p.to_string());
        self
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
    }
}

impl From<Fault> for FaultRule {
    fn from(f: Fault) -> Self {
        FaultRule::new(f)
    }
}

impl Fault {
    /// Shorthand: `Status` without `Retry-After`.
    pub fn status(status: u16) -> Fault {
        Fault::Status {
            status,
            retry_after: None,
        }
    }
    /// Shorthand: 429 with `Retry-After: secs`.
    pub fn rate_limited(secs: u64) -> Fault {
        Fault::Status {
            status: 429,
            retry_after: Some(secs),
        }
    }
    pub fn delay_ms(ms: u64) -> Fault {
        Fault::Delay {
            ms: Duration::from_millis(ms),
        }
    }
}

/// Takes the first rule matching a request from a queue, consuming one of its uses.
pub(crate) fn take_matching(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<Fault> {
    let idx = rules.iter().position(|r| r.matches(method, path))?;
    let fault = rules[idx].fault.clone();
    if rules[idx].times != u32::MAX {
        rules[idx].times -= 1;
    }
    if rules[idx].times == 0 {
        rules.remove(idx);
    }
    Some(fault)
}
