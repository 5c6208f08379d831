//! Who may call `/a2a/rpc`: the dev shared secret (`X-A2A-Dev-Secret`, off when
//! `a2a_dev_secret` is empty) or an OIDC bearer JWT from a trusted issuer for an accepted audience.

use sha2::{Digest, Sha256};

use super::{jwks, jwt};
use crate::ports::HttpRequest;
use crate::request_env::RequestEnv;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    DevSecret,
    Oidc {
        issuer: String,
        subject: Option<String>,
    },
}

/// Why a caller was refused; `Display` is safe to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    NoCredentials,
    BadDevSecret,
    Token(jwt::JwtError),
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::NoCredentials => {
                write!(
                    f,
                    "send Authorization: Bearer <OIDC token> or X-A2A-Dev-Secret"
                )
            }
            AuthError::BadDevSecret => write!(f, "X-A2A-Dev-Secret is not accepted"),
            AuthError::Token(e) => write!(f, "{e}"),
        }
    }
}

/// Equality that takes the same time wherever the inputs differ (both sides are hashed first, so
/// the length of the configured secret does not leak either).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let (ha, hb) = (Sha256::digest(a), Sha256::digest(b));
    ha.iter()
        .zip(hb.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Authenticates a request. A correct dev secret wins; otherwise a bearer token must verify.
pub async fn authenticate(
    request: &HttpRequest,
    env: &RequestEnv<'_>,
) -> Result<Principal, AuthError> {
    let headers = request.headers();
    let dev = headers.get("x-a2a-dev-secret").map(|v| v.as_bytes());
    if let Some(given) = dev {
        if let Some(expected) = &env.settings.a2a_dev_secret {
            if constant_time_eq(given.trim_ascii(), expected.expose().as_bytes()) {
                return Ok(Principal::DevSecret);
            }
        }
    }
    let bearer = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .filter(|t| !t.is_empty());
    match bearer {
        Some(token) => verify_bearer(token, env).await.map_err(AuthError::Token),
        None if dev.is_some() => Err(AuthError::BadDevSecret),
        None => Err(AuthError::NoCredentials),
    }
}

/// Full OIDC JWT verification: algorithm, trusted issuer (checked before any key is fetched),
/// signature against the issuer's JWKS, audience, expiry and not-before.
pub async fn verify_bearer(token: &str, env: &RequestEnv<'_>) -> Result<Principal, jwt::JwtError> {
    let unverified = jwt::decode(token)?;
    let issuer = unverified
        .issuer()
        .ok_or(jwt::JwtError::MissingClaim("iss"))?
        .to_string();
    if !env.settings.a2a_issuers.contains(&issuer) {
        return Err(jwt::JwtError::UntrustedIssuer);
    }
    let now = env.ctx.clock.now().timestamp();
    let keys = jwks::issuer_keys(&env.ctx, &issuer, unverified.kid.as_deref(), now).await?;
    let key = jwt::select_key(&unverified, &keys)?;
    jwt::verify_signature(&unverified, key)?;
    let claims = jwt::check_claims(
        &unverified,
        &env.settings.a2a_issuers,
        &env.settings.a2a_audiences,
        now,
    )?;
    Ok(Principal::Oidc {
        issuer: claims.issuer,
        subject: claims.subject,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_values() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
        assert!(!constant_time_eq(b"s3cret", b"s3cret-longer"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
