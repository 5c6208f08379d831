//! Optional caller authentication (off by default): when the Spin variable
//! `caller_token_hashes` is set, the tool routes (`/mcp/tools`, `/mcp/tools/{name}`), `/mcp`,
//! `/auth/validate-credentials` and `/debug/headers` need `Authorization: Bearer <token>` where
//! the token's SHA-256 (hex) is one of the listed hashes. Anything else is 401.
//!
//! Open whatever it says: `/health`, discovery and setup documents (`/.well-known/*`,
//! `/auth/setup-instructions`, `/mcp/needs-setup`) and CORS preflights (browsers send no
//! credentials with them). `/a2a/rpc` keeps its own authentication (OIDC bearer JWTs from the
//! configured issuers, or the development secret) in the same `Authorization` header, so caller
//! tokens do not apply there. The user's provider credentials travel in `X-User-Credential-*`
//! headers and are unrelated.

use http::Method;
use sha2::{Digest, Sha256};

use crate::api::ApiError;
use crate::config::Settings;
use crate::ports::{HttpRequest, HttpResponse};

/// The route pattern a caller token protects, if any.
pub fn protected_route(method: &Method, path: &str) -> Option<&'static str> {
    if method == Method::OPTIONS {
        return None;
    }
    match path {
        "/mcp" => Some("/mcp"),
        "/mcp/tools" => Some("/mcp/tools"),
        "/auth/validate-credentials" => Some("/auth/validate-credentials"),
        "/debug/headers" => Some("/debug/headers"),
        p if p.starts_with("/mcp/tools/") => Some("/mcp/tools/{name}"),
        _ => None,
    }
}

/// `Ok` when caller authentication is off or the request carries an accepted bearer token.
pub fn check(request: &HttpRequest, settings: &Settings) -> Result<(), ApiError> {
    let Some(accepted) = &settings.caller_token_hashes else {
        return Ok(());
    };
    let token = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    let Some(token) = token else {
        return Err(unauthorized("send 'Authorization: Bearer <caller token>'"));
    };
    let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    // Every accepted hash is compared, each in constant time.
    let matched = accepted
        .iter()
        .fold(false, |found, h| found | constant_time_eq(h, &digest));
    if matched {
        Ok(())
    } else {
        Err(unauthorized("the caller token is not accepted"))
    }
}

fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The 401 in the route's error shape, with `WWW-Authenticate: Bearer`.
pub fn refusal(route: &str, error: ApiError) -> HttpResponse {
    let mut response = super::gate::refusal(route, error);
    response.headers_mut().insert(
        http::header::WWW_AUTHENTICATE,
        http::HeaderValue::from_static("Bearer realm=\"juli-calendar\""),
    );
    response
}

fn unauthorized(why: &str) -> ApiError {
    ApiError::new(401, format!("Unauthorized: {why}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// SHA-256("test") in hex.
    const TEST_HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn settings(hashes: Option<&str>) -> Settings {
        let map: HashMap<String, String> = hashes
            .map(|h| ("caller_token_hashes".to_string(), h.to_string()))
            .into_iter()
            .collect();
        Settings::from_source(&map)
    }

    fn request(auth: Option<&str>) -> HttpRequest {
        let mut b = http::Request::builder().method("POST").uri("/mcp");
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        b.body(Vec::new()).unwrap()
    }

    #[test]
    fn off_by_default() {
        assert!(check(&request(None), &settings(None)).is_ok());
    }

    #[test]
    fn an_accepted_token_passes_in_any_scheme_casing() {
        let s = settings(Some(&format!("{}, {TEST_HASH}", "0".repeat(64))));
        assert!(check(&request(Some("Bearer test")), &s).is_ok());
        assert!(check(&request(Some("bearer  test ")), &s).is_ok());
    }

    #[test]
    fn missing_wrong_or_malformed_tokens_are_401() {
        let s = settings(Some(TEST_HASH));
        for auth in [
            None,
            Some("Bearer nope"),
            Some("Basic dGVzdA=="),
            Some("Bearer"),
            Some("test"),
            Some(TEST_HASH),
        ] {
            let e = check(&request(auth), &s).unwrap_err();
            assert_eq!(e.status, 401, "{auth:?}");
        }
    }

    #[test]
    fn a_misconfigured_list_lets_nobody_in() {
        let s = settings(Some("not-a-hash"));
        assert_eq!(
            check(&request(Some("Bearer test")), &s).unwrap_err().status,
            401
        );
    }

    #[test]
    fn the_protected_routes() {
        for p in [
            "/mcp",
            "/mcp/tools",
            "/mcp/tools/find_and_analyze",
            "/auth/validate-credentials",
        ] {
            assert!(protected_route(&Method::POST, p).is_some(), "{p}");
        }
        for p in [
            "/health",
            "/a2a/rpc",
            "/.well-known/a2a.json",
            "/auth/setup-instructions",
            "/mcp/needs-setup",
        ] {
            assert!(protected_route(&Method::GET, p).is_none(), "{p}");
        }
        assert!(protected_route(&Method::OPTIONS, "/mcp").is_none());
    }
}
