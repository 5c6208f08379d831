//! Compact JWS (JWT) decoding and verification for OIDC bearer tokens: RS256 and ES256 only.
//!
//! Pure: no I/O. The caller decodes the token, checks the issuer is trusted *before* fetching
//! that issuer's keys, verifies the signature against the key, then checks the claims.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::jwks::{Jwk, JwkKey};

/// Largest token accepted (ID tokens are well under 4 KiB).
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: i64 = 60;

/// The signature algorithms accepted. Everything else (`none`, `HS256`, `PS256`, …) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    Es256,
}

impl Alg {
    pub fn as_str(&self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Es256 => "ES256",
        }
    }
}

/// Why a token was refused. The `Display` text is safe to return to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    Malformed,
    UnsupportedAlg(String),
    UntrustedIssuer,
    KeysUnavailable,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
    WrongAudience,
    MissingClaim(&'static str),
}

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtError::Malformed => write!(f, "the bearer token is not a well-formed JWT"),
            JwtError::UnsupportedAlg(a) => write!(
                f,
                "token algorithm '{}' is not accepted (RS256 or ES256 only)",
                a.chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .take(16)
                    .collect::<String>()
            ),
            JwtError::UntrustedIssuer => write!(f, "token issuer is not trusted"),
            JwtError::KeysUnavailable => {
                write!(f, "the issuer's signing keys could not be fetched")
            }
            JwtError::UnknownKey => write!(f, "no signing key of the issuer matches the token"),
            JwtError::BadSignature => write!(f, "token signature is invalid"),
            JwtError::Expired => write!(f, "token has expired"),
            JwtError::NotYetValid => write!(f, "token is not valid yet"),
            JwtError::WrongAudience => write!(f, "token audience is not accepted"),
            JwtError::MissingClaim(c) => write!(f, "token has no '{c}' claim"),
        }
    }
}

/// A decoded but not yet verified token.
#[derive(Debug, Clone)]
pub struct UnverifiedJwt {
    pub alg: Alg,
    pub kid: Option<String>,
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

impl UnverifiedJwt {
    /// The `iss` claim, without a trailing slash (as `Settings` stores issuers).
    pub fn issuer(&self) -> Option<&str> {
        self.claims
            .get("iss")
            .and_then(Value::as_str)
            .map(|s| s.trim_end_matches('/'))
            .filter(|s| !s.is_empty())
    }
}

fn b64(part: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed)
}

fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, JwtError> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(JwtError::Malformed),
    }
}

/// Splits and decodes a compact JWS; refuses any algorithm but RS256/ES256 and any `crit` header.
pub fn decode(token: &str) -> Result<UnverifiedJwt, JwtError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header = json_object(&b64(h)?)?;
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => Alg::Rs256,
        Some("ES256") => Alg::Es256,
        Some(other) => return Err(JwtError::UnsupportedAlg(other.to_string())),
        None => return Err(JwtError::Malformed),
    };
    if header.contains_key("crit") {
        return Err(JwtError::Malformed);
    }
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(k)) => Some(k.clone()),
        Some(_) => return Err(JwtError::Malformed),
    };
    let claims = json_object(&b64(p)?)?;
    let signature = b64(s)?;
    if signature.is_empty() {
        return Err(JwtError::BadSignature);
    }
    Ok(UnverifiedJwt {
        alg,
        kid,
        claims,
        signing_input: format!("{h}.{p}"),
        signature,
    })
}

/// Picks the key for a token: by `kid`, and always of the token's algorithm family (an RSA key
/// is never used for ES256 or the reverse). Without `kid`, only an unambiguous single candidate.
pub fn select_key<'k>(jwt: &UnverifiedJwt, keys: &'k [Jwk]) -> Result<&'k Jwk, JwtError> {
    let usable = |k: &&Jwk| k.usable_for(jwt.alg);
    match &jwt.kid {
        Some(kid) => keys
            .iter()
            .filter(usable)
            .find(|k| k.kid.as_deref() == Some(kid.as_str()))
            .ok_or(JwtError::UnknownKey),
        None => {
            let mut candidates = keys.iter().filter(usable);
            match (candidates.next(), candidates.next()) {
                (Some(k), None) => Ok(k),
                _ => Err(JwtError::UnknownKey),
            }
        }
    }
}

/// Verifies the signature with the given key.
pub fn verify_signature(jwt: &UnverifiedJwt, key: &Jwk) -> Result<(), JwtError> {
    let input = jwt.signing_input.as_bytes();
    match (&key.key, jwt.alg) {
        (JwkKey::Rsa(public), Alg::Rs256) => {
            let digest = Sha256::digest(input);
            public
                .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &jwt.signature)
                .map_err(|_| JwtError::BadSignature)
        }
        (JwkKey::P256(public), Alg::Es256) => {
            use p256::ecdsa::signature::Verifier as _;
            // JWS ES256 signatures are the raw 64-byte r || s, not DER.
            if jwt.signature.len() != 64 {
                return Err(JwtError::BadSignature);
            }
            let sig = p256::ecdsa::Signature::from_slice(&jwt.signature)
                .map_err(|_| JwtError::BadSignature)?;
            public
                .verify(input, &sig)
                .map_err(|_| JwtError::BadSignature)
        }
        _ => Err(JwtError::UnknownKey),
    }
}

/// What a verified token established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedClaims {
    pub issuer: String,
    pub subject: Option<String>,
}

/// Checks `iss`, `aud` (string or array), `exp` (required) and `nbf` with [`LEEWAY_SECS`].
pub fn check_claims(
    jwt: &UnverifiedJwt,
    issuers: &[String],
    audiences: &[String],
    now_unix: i64,
) -> Result<VerifiedClaims, JwtError> {
    let issuer = jwt.issuer().ok_or(JwtError::MissingClaim("iss"))?;
    if !issuers.iter().any(|i| i == issuer) {
        return Err(JwtError::UntrustedIssuer);
    }
    let aud_ok = match jwt.claims.get("aud") {
        Some(Value::String(a)) => audiences.iter().any(|x| x == a),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .any(|a| audiences.iter().any(|x| x == a)),
        None => return Err(JwtError::MissingClaim("aud")),
        Some(_) => false,
    };
    if !aud_ok {
        return Err(JwtError::WrongAudience);
    }
    let numeric = |name: &'static str| -> Result<Option<i64>, JwtError> {
        match jwt.claims.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .or_else(|| v.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or(JwtError::Malformed),
        }
    };
    let exp = numeric("exp")?.ok_or(JwtError::MissingClaim("exp"))?;
    if now_unix > exp.saturating_add(LEEWAY_SECS) {
        return Err(JwtError::Expired);
    }
    if let Some(nbf) = numeric("nbf")? {
        if now_unix < nbf.saturating_sub(LEEWAY_SECS) {
            return Err(JwtError::NotYetValid);
        }
    }
    Ok(VerifiedClaims {
        issuer: issuer.to_string(),
        subject: jwt
            .claims
            .get("sub")
            .and_then(Value::as_str)
            .map(|s| s.chars().take(200).collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(header: Value, claims: Value, sig: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(sig)
        )
    }

    #[test]
    fn refuses_none_hs256_and_garbage() {
        let t = token(json!({"alg": "none"}), json!({}), b"x");
        assert!(matches!(decode(&t), Err(JwtError::UnsupportedAlg(a)) if a == "none"));
        let t = token(json!({"alg": "HS256", "kid": "k"}), json!({}), b"x");
        assert!(matches!(decode(&t), Err(JwtError::UnsupportedAlg(_))));
        assert_eq!(decode("a.b").unwrap_err(), JwtError::Malformed);
        assert_eq!(decode("a.b.c.d").unwrap_err(), JwtError::Malformed);
        assert_eq!(decode("!!.??.**").unwrap_err(), JwtError::Malformed);
        let t = token(json!({"alg": "RS256", "crit": ["b64"]}), json!({}), b"x");
        assert_eq!(decode(&t).unwrap_err(), JwtError::Malformed);
        let t = token(json!({"alg": "RS256"}), json!({}), b"");
        assert_eq!(decode(&t).unwrap_err(), JwtError::BadSignature);
    }

    #[test]
    fn claims_are_checked_with_leeway() {
        let issuers = vec!["https://auth.example".to_string()];
        let audiences = vec!["juli-calendar".to_string()];
        let check = |claims: Value, now: i64| {
            let t = token(json!({"alg": "RS256"}), claims, b"sig");
            check_claims(&decode(&t).unwrap(), &issuers, &audiences, now)
        };
        let base = json!({"iss": "https://auth.example/", "aud": ["other", "juli-calendar"], "exp": 1000, "sub": "brain"});
        assert_eq!(
            check(base.clone(), 1000).unwrap(),
            VerifiedClaims {
                issuer: "https://auth.example".into(),
                subject: Some("brain".into())
            }
        );
        assert!(check(base.clone(), 1060).is_ok(), "within leeway");
        assert_eq!(check(base, 1061).unwrap_err(), JwtError::Expired);
        let nbf = json!({"iss": "https://auth.example", "aud": "juli-calendar", "exp": 5000, "nbf": 2000});
        assert!(check(nbf.clone(), 1940).is_ok());
        assert_eq!(check(nbf, 1939).unwrap_err(), JwtError::NotYetValid);
        assert_eq!(
            check(
                json!({"iss": "https://evil.example", "aud": "juli-calendar", "exp": 5000}),
                0
            )
            .unwrap_err(),
            JwtError::UntrustedIssuer
        );
        assert_eq!(
            check(
                json!({"iss": "https://auth.example", "aud": "someone-else", "exp": 5000}),
                0
            )
            .unwrap_err(),
            JwtError::WrongAudience
        );
        assert_eq!(
            check(
                json!({"iss": "https://auth.example", "aud": "juli-calendar"}),
                0
            )
            .unwrap_err(),
            JwtError::MissingClaim("exp")
        );
    }
}
