//! The one error type of the upstream clients. It always names the provider, never carries a
//! credential value, and knows which envelope (PRODUCT §5) a tool should answer with.

use serde_json::Value;

use crate::credentials::{Credentials, NYLAS_API_KEY, NYLAS_GRANT_ID, RECLAIM_API_KEY};
use crate::envelope::{self, ProviderTag};
use crate::ports::TransportError;
use crate::time_budget::{Timeouts, API_TIMEOUTS, OPENAI_TIMEOUTS};

/// Which upstream service an error (or a client) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Reclaim,
    Nylas,
    OpenAi,
}

impl Provider {
    /// The per-attempt limits of this provider's calls: OpenAI waits longer for its first byte.
    pub fn timeouts(self) -> Timeouts {
        match self {
            Provider::OpenAi => OPENAI_TIMEOUTS,
            Provider::Reclaim | Provider::Nylas => API_TIMEOUTS,
        }
    }

    /// The name people know the service by.
    pub fn name(&self) -> &'static str {
        match self {
            Provider::Reclaim => "Reclaim",
            Provider::Nylas => "Nylas",
            Provider::OpenAi => "OpenAI",
        }
    }

    /// The `provider` field of a tool envelope (OpenAI is not a user-facing provider).
    pub fn tag(&self) -> Option<ProviderTag> {
        match self {
            Provider::Reclaim => Some(ProviderTag::Reclaim),
            Provider::Nylas => Some(ProviderTag::Nylas),
            Provider::OpenAi => None,
        }
    }

    /// The user credential keys this provider is reached with (empty for OpenAI, which uses the
    /// server's own Spin variable).
    pub fn credential_keys(&self) -> &'static [&'static str] {
        match self {
            Provider::Reclaim => &[RECLAIM_API_KEY],
            Provider::Nylas => &[NYLAS_API_KEY, NYLAS_GRANT_ID],
            Provider::OpenAi => &[],
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamErrorKind {
    /// 401 or 403: the key (or grant) was rejected.
    Unauthorized { status: u16 },
    /// 404: the item does not exist (the upstream's own explanation, possibly empty).
    NotFound(String),
    /// Nylas `grant.not_found`: the grant id names no grant of this application.
    GrantNotFound,
    /// Nylas `api.authentication_error` / `token.unauthorized_access`: the API key itself.
    KeyRejected { status: u16 },
    /// 429, after the bounded retries.
    RateLimited,
    /// 5xx, after the bounded retries (or at once for a non-idempotent call).
    Unavailable { status: u16 },
    /// Any other 4xx, with the upstream's own (truncated, scrubbed) explanation.
    Rejected { status: u16, message: String },
    /// No HTTP response at all.
    Transport(TransportError),
    /// A 2xx whose body is not what the contract says.
    InvalidResponse(String),
    /// OpenAI: the model refused (the refusal text).
    Refusal(String),
    /// OpenAI: `status: incomplete` (the reason, e.g. `max_output_tokens`).
    Incomplete(String),
    /// OpenAI: no `openai_api_key` Spin variable.
    NotConfigured,
}

/// An error from one upstream call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError {
    pub provider: Provider,
    pub kind: UpstreamErrorKind,
}

impl UpstreamError {
    pub fn new(provider: Provider, kind: UpstreamErrorKind) -> Self {
        UpstreamError { provider, kind }
    }

    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self.kind,
            UpstreamErrorKind::Unauthorized { .. }
                | UpstreamErrorKind::GrantNotFound
                | UpstreamErrorKind::KeyRejected { .. }
        )
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, UpstreamErrorKind::NotFound(_))
    }

    /// The HTTP status the upstream answered with, when there was one.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            UpstreamErrorKind::Unauthorized { status }
            | UpstreamErrorKind::Unavailable { status }
            | UpstreamErrorKind::KeyRejected { status }
            | UpstreamErrorKind::Rejected { status, .. } => Some(*status),
            UpstreamErrorKind::NotFound(_) | UpstreamErrorKind::GrantNotFound => Some(404),
            UpstreamErrorKind::RateLimited => Some(429),
            _ => None,
        }
    }

    /// The tool envelope for this error: `needs_setup` naming the provider's credential keys
    /// when the upstream rejected them, a business error naming the provider otherwise.
    /// `credentials` are scrubbed from the text as a last line of defence.
    pub fn to_envelope(&self, credentials: &Credentials) -> Value {
        let message = scrub(&self.to_string(), &credentials.values());
        match (&self.kind, self.provider) {
            (UpstreamErrorKind::Unauthorized { .. }, Provider::Reclaim | Provider::Nylas) => {
                envelope::needs_setup(self.provider.credential_keys(), message)
            }
            (UpstreamErrorKind::GrantNotFound, _) => {
                envelope::needs_setup(&[NYLAS_GRANT_ID], message)
            }
            (UpstreamErrorKind::KeyRejected { .. }, _) => {
                envelope::needs_setup(&[NYLAS_API_KEY], message)
            }
            _ => envelope::business_error(self.provider.tag(), message),
        }
    }
}

impl std::fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = self.provider.name();
        match (&self.kind, self.provider) {
            (UpstreamErrorKind::Unauthorized { status }, Provider::Reclaim) => write!(
                f,
                "Reclaim rejected the API key ({status}). Check RECLAIM_API_KEY (Reclaim → Settings → Developer)."
            ),
            (UpstreamErrorKind::Unauthorized { status }, Provider::Nylas) => write!(
                f,
                "Nylas rejected the API key or grant id ({status}). Check NYLAS_API_KEY and NYLAS_GRANT_ID (the grant may need re-authentication)."
            ),
            (UpstreamErrorKind::Unauthorized { status }, Provider::OpenAi) => write!(
                f,
                "OpenAI rejected the server's API key ({status}). Check the Spin variable openai_api_key."
            ),
            (UpstreamErrorKind::NotFound(m), _) if m.is_empty() => {
                write!(f, "{p} could not find that item (404); it may have been deleted.")
            }
            (UpstreamErrorKind::NotFound(m), _) => {
                write!(f, "{p} could not find that item (404): {m}")
            }
            (UpstreamErrorKind::GrantNotFound, _) => write!(
                f,
                "Nylas has no grant with this id (grant.not_found). Check NYLAS_GRANT_ID: it must be a grant of the application the API key belongs to."
            ),
            (UpstreamErrorKind::KeyRejected { status }, _) => write!(
                f,
                "Nylas rejected the API key ({status}). Check NYLAS_API_KEY, and that the key's region matches the server's Nylas address (the Spin variable nylas_base_url: https://api.us.nylas.com for US applications, https://api.eu.nylas.com for EU ones)."
            ),
            (UpstreamErrorKind::RateLimited, _) => write!(
                f,
                "{p} is rate limiting requests (429). Please try again in a minute."
            ),
            (UpstreamErrorKind::Unavailable { status }, _) => write!(
                f,
                "{p} is temporarily unavailable ({status}). Please try again shortly."
            ),
            (UpstreamErrorKind::Rejected { status, message }, _) => {
                if message.is_empty() {
                    write!(f, "{p} rejected the request ({status}).")
                } else {
                    write!(f, "{p} rejected the request ({status}): {message}")
                }
            }
            (UpstreamErrorKind::Transport(TransportError::Timeout), _) => {
                write!(f, "{p} did not answer in time. Please try again.")
            }
            (UpstreamErrorKind::Transport(TransportError::OutOfTime), _) => write!(
                f,
                "{p} was not called: this request had already used its time budget waiting for slower answers. Please try again."
            ),
            (UpstreamErrorKind::Transport(TransportError::Denied(_)), _) => write!(
                f,
                "The runtime did not allow the outbound request to {p} (check allowed_outbound_hosts in spin.toml)."
            ),
            (UpstreamErrorKind::Transport(e), _) => write!(f, "Could not reach {p}: {e}."),
            (UpstreamErrorKind::InvalidResponse(detail), _) => {
                write!(f, "{p} sent a response this service could not read: {detail}")
            }
            (UpstreamErrorKind::Refusal(text), _) => {
                if text.is_empty() {
                    write!(f, "The OpenAI model declined to interpret this request; nothing was changed.")
                } else {
                    write!(f, "The OpenAI model declined to interpret this request (nothing was changed): {text}")
                }
            }
            (UpstreamErrorKind::Incomplete(reason), _) => write!(
                f,
                "The OpenAI model's answer was incomplete ({reason}); nothing was changed. Please rephrase the request more briefly."
            ),
            (UpstreamErrorKind::NotConfigured, _) => write!(
                f,
                "Natural-language requests need an OpenAI key: set the Spin variable openai_api_key (structured arguments work without it)."
            ),
        }
    }
}

impl std::error::Error for UpstreamError {}

/// Longest upstream-provided text kept in an error.
pub(crate) const MAX_MESSAGE_CHARS: usize = 300;

/// Replaces every occurrence of a secret value with `***` (values shorter than 4 characters
/// are ignored: they would match ordinary text and are not real keys).
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        let s = s.trim();
        if s.len() >= 4 && out.contains(s) {
            out = out.replace(s, "***");
        }
    }
    out
}

/// Trims, collapses whitespace and truncates upstream text to [`MAX_MESSAGE_CHARS`].
pub(crate) fn tidy(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > MAX_MESSAGE_CHARS {
        let mut t: String = collapsed.chars().take(MAX_MESSAGE_CHARS).collect();
        t.push('…');
        t
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretString;

    fn creds() -> Credentials {
        Credentials {
            reclaim_api_key: Some(SecretString::new("rk_live_secret_value")),
            nylas_api_key: Some(SecretString::new("nyk_v0_secret_value")),
            nylas_grant_id: Some(SecretString::new("grant-1234-5678")),
        }
    }

    #[test]
    fn unauthorized_reclaim_needs_setup_with_its_key() {
        let e = UpstreamError::new(
            Provider::Reclaim,
            UpstreamErrorKind::Unauthorized { status: 401 },
        );
        let env = e.to_envelope(&creds());
        assert_eq!(env["needs_setup"], true);
        assert_eq!(env["missing"], serde_json::json!(["RECLAIM_API_KEY"]));
        assert!(env["message"]
            .as_str()
            .unwrap()
            .starts_with("Reclaim rejected the API key (401)"));
    }

    #[test]
    fn unauthorized_nylas_names_key_and_grant() {
        let e = UpstreamError::new(
            Provider::Nylas,
            UpstreamErrorKind::Unauthorized { status: 403 },
        );
        let env = e.to_envelope(&creds());
        assert_eq!(
            env["missing"],
            serde_json::json!(["NYLAS_API_KEY", "NYLAS_GRANT_ID"])
        );
        assert!(env["message"].as_str().unwrap().contains("(403)"));
    }

    #[test]
    fn other_errors_are_business_errors_naming_the_provider() {
        let e = UpstreamError::new(Provider::Nylas, UpstreamErrorKind::NotFound(String::new()));
        let env = e.to_envelope(&creds());
        assert_eq!(env["success"], false);
        assert_eq!(env["provider"], "nylas");
        assert!(env["error"]
            .as_str()
            .unwrap()
            .contains("Nylas could not find"));

        let e = UpstreamError::new(Provider::OpenAi, UpstreamErrorKind::NotConfigured);
        let env = e.to_envelope(&creds());
        assert!(env.get("provider").is_none());
        assert!(env["error"].as_str().unwrap().contains("openai_api_key"));
    }

    #[test]
    fn envelope_text_never_contains_a_credential() {
        let e = UpstreamError::new(
            Provider::Nylas,
            UpstreamErrorKind::Rejected {
                status: 400,
                message: "grant grant-1234-5678 is bad".into(),
            },
        );
        let env = e.to_envelope(&creds()).to_string();
        assert!(!env.contains("grant-1234-5678"), "{env}");
        assert!(env.contains("***"));
    }

    #[test]
    fn tidy_truncates_long_text() {
        let long = "x".repeat(1000);
        let t = tidy(&long);
        assert_eq!(t.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert_eq!(tidy("  a \n  b "), "a b");
    }

    #[test]
    fn status_is_reported() {
        assert_eq!(
            UpstreamError::new(Provider::Reclaim, UpstreamErrorKind::RateLimited).status(),
            Some(429)
        );
        assert_eq!(
            UpstreamError::new(
                Provider::Reclaim,
                UpstreamErrorKind::Transport(TransportError::Timeout)
            )
            .status(),
            None
        );
    }
}
