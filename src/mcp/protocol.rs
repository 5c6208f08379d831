//! MCP transport rules that are not JSON-RPC: protocol revisions and the request headers the
//! Streamable HTTP transport defines (`MCP-Protocol-Version`, `Origin`, `Accept`).

use http::HeaderMap;

/// Supported protocol revisions, newest first.
pub const SUPPORTED_VERSIONS: [&str; 4] =
    [STATELESS_VERSION, "2025-11-25", "2025-06-18", "2025-03-26"];

/// The stateless revision: no `initialize`; version and capabilities travel in every request's
/// `_meta` (see [`super::stateless`]).
pub const STATELESS_VERSION: &str = "2026-07-28";

/// The newest revision negotiated with `initialize`, answered when the client asks for one this
/// server does not speak (2026-07-28 has no `initialize`: its clients use `server/discover`).
pub const LATEST_VERSION: &str = SUPPORTED_VERSIONS[1];

/// Most messages handled in one JSON-RPC batch (2025-03-26); each one beyond is answered with
/// an error and not run.
pub const MAX_BATCH_MESSAGES: usize = 10;

/// The revision assumed when a request carries no `MCP-Protocol-Version` header
/// (the transport spec's backwards-compatibility rule).
pub const ASSUMED_VERSION: &str = "2025-03-26";

/// `initialize` negotiation: echo a supported revision, else answer with the latest one.
pub fn negotiate(requested: &str) -> &'static str {
    SUPPORTED_VERSIONS
        .into_iter()
        .filter(|v| !is_stateless(v))
        .find(|v| *v == requested)
        .unwrap_or(LATEST_VERSION)
}

/// True for the stateless revision (2026-07-28).
pub fn is_stateless(version: &str) -> bool {
    version == STATELESS_VERSION
}

/// JSON-RPC batches exist only in the 2025-03-26 revision (removed in 2025-06-18).
pub fn allows_batches(version: &str) -> bool {
    version == "2025-03-26"
}

/// The revision a request declares in `MCP-Protocol-Version`; `Err` carries the rejected value.
pub fn header_version(headers: &HeaderMap) -> Result<&'static str, String> {
    let Some(raw) = headers.get("mcp-protocol-version") else {
        return Ok(ASSUMED_VERSION);
    };
    let value = raw.to_str().unwrap_or("").trim();
    SUPPORTED_VERSIONS
        .into_iter()
        .find(|v| *v == value)
        .ok_or_else(|| crate::jsonrpc::printable(value, 40))
}

/// The outcome of the DNS-rebinding defence on `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginCheck {
    /// No `Origin` header: a server-to-server client.
    Absent,
    /// A browser origin listed in `allowed_origins` (CORS headers are added for it).
    Allowed(String),
    /// Any other origin, including `null`: refused with 403.
    Refused,
}

pub fn check_origin(headers: &HeaderMap, allowed: &[String]) -> OriginCheck {
    let Some(raw) = headers.get(http::header::ORIGIN) else {
        return OriginCheck::Absent;
    };
    let Ok(origin) = raw.to_str() else {
        return OriginCheck::Refused;
    };
    let origin = origin.trim().trim_end_matches('/');
    if allowed
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(origin))
        && origin != "null"
        && !origin.is_empty()
    {
        OriginCheck::Allowed(origin.to_string())
    } else {
        OriginCheck::Refused
    }
}

/// Whether the client can read a JSON reply. Lenient: no `Accept` header, `*/*`,
/// `application/*`, `application/json` or `text/event-stream` (the SDKs send both) all pass; a
/// header listing only other types (or all with `q=0`) does not.
pub fn accepts_json_reply(headers: &HeaderMap) -> bool {
    let values: Vec<&str> = headers
        .get_all(http::header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() || values.iter().all(|v| v.trim().is_empty()) {
        return true;
    }
    values.iter().flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        !refused
            && matches!(
                media.as_str(),
                "*/*" | "application/*" | "application/json" | "text/event-stream" | "text/*"
            )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A header map from name/value pairs (shared by the MCP unit tests).
    pub(crate) fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn negotiation_echoes_supported_and_falls_back_to_latest() {
        assert_eq!(negotiate("2025-06-18"), "2025-06-18");
        assert_eq!(negotiate("2025-03-26"), "2025-03-26");
        assert_eq!(negotiate("2024-11-05"), LATEST_VERSION);
        assert_eq!(negotiate("2099-01-01"), "2025-11-25");
        assert_eq!(negotiate("2026-07-28"), "2025-11-25");
    }

    #[test]
    fn header_version_defaults_and_rejects() {
        assert_eq!(header_version(&HeaderMap::new()), Ok("2025-03-26"));
        assert_eq!(
            header_version(&headers(&[("MCP-Protocol-Version", "2025-11-25")])),
            Ok("2025-11-25")
        );
        assert_eq!(
            header_version(&headers(&[("mcp-protocol-version", "1999-01-01")])),
            Err("1999-01-01".to_string())
        );
        assert_eq!(
            header_version(&headers(&[("MCP-Protocol-Version", "2026-07-28")])),
            Ok("2026-07-28")
        );
        assert!(allows_batches("2025-03-26") && !allows_batches("2025-06-18"));
        assert!(is_stateless("2026-07-28") && !is_stateless("2025-11-25"));
    }

    #[test]
    fn origin_rules() {
        let allowed = vec!["https://app.example".to_string()];
        assert_eq!(
            check_origin(&HeaderMap::new(), &allowed),
            OriginCheck::Absent
        );
        assert_eq!(
            check_origin(&headers(&[("origin", "https://app.example")]), &allowed),
            OriginCheck::Allowed("https://app.example".into())
        );
        assert_eq!(
            check_origin(&headers(&[("origin", "https://evil.example")]), &allowed),
            OriginCheck::Refused
        );
        assert_eq!(
            check_origin(&headers(&[("origin", "null")]), &["*".to_string()]),
            OriginCheck::Refused
        );
        assert_eq!(
            check_origin(&headers(&[("origin", "https://app.example")]), &[]),
            OriginCheck::Refused
        );
    }

    #[test]
    fn accept_is_lenient_but_not_blind() {
        assert!(accepts_json_reply(&HeaderMap::new()));
        assert!(accepts_json_reply(&headers(&[(
            "accept",
            "application/json, text/event-stream"
        )])));
        assert!(accepts_json_reply(&headers(&[("accept", "*/*")])));
        assert!(accepts_json_reply(&headers(&[(
            "accept",
            "text/event-stream"
        )])));
        assert!(!accepts_json_reply(&headers(&[("accept", "text/html")])));
        assert!(!accepts_json_reply(&headers(&[(
            "accept",
            "application/json;q=0, text/html"
        )])));
    }
}
