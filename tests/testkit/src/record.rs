//! What the fakes record about each request they receive.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which upstream a request was addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Reclaim,
    Nylas,
    #[serde(rename = "openai", alias = "open_ai")]
    OpenAi,
    /// A request to a host that no fake serves.
    Unknown,
}

impl Provider {
    pub fn as_str(&self) -> &'static str {
        match self {
            Provider::Reclaim => "reclaim",
            Provider::Nylas => "nylas",
            Provider::OpenAi => "openai",
            Provider::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reclaim" => Some(Provider::Reclaim),
            "nylas" => Some(Provider::Nylas),
            "openai" | "open_ai" => Some(Provider::OpenAi),
            "unknown" => Some(Provider::Unknown),
            _ => None,
        }
    }
}

/// One request as a fake saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Position in the log, from 0.
    pub seq: usize,
    pub provider: Provider,
    pub method: String,
    /// The URL path as sent (e.g. `/v3/grants/g/events`, `/v1/responses`).
    pub path: String,
    /// Query parameters (a repeated key keeps its values joined with `,`).
    pub query: BTreeMap<String, String>,
    /// The JSON body; `Null` when empty; a JSON string holding the raw text when it was not JSON.
    pub body: Value,
    /// The bearer token sent (tests use it to check which account a call used).
    pub bearer: Option<String>,
    /// The status the fake answered.
    pub status: u16,
    /// The fault injected into this request, if any (its `Debug` text).
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// `"POST /api/tasks"`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}
