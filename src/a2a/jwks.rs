//! An issuer's signing keys (JWKS): parsing, fetching through `ctx.outbound` and caching in the
//! key-value store.
//!
//! Keys are fetched only for issuers already listed in `a2a_issuers` (the caller checks), from
//! OIDC discovery (`{iss}/.well-known/openid-configuration` → `jwks_uri`) or, when discovery is
//! unavailable, `{iss}/.well-known/jwks.json`. The host must also be in the component's
//! `allowed_outbound_hosts` (Spin enforces that).

use serde_json::{json, Value};

use super::jwt::{Alg, JwtError};
use crate::ports::{Context, HttpRequest};

/// How long a fetched JWKS is trusted before it is fetched again.
pub const CACHE_TTL_SECS: i64 = 3600;
/// A token with an unknown `kid` triggers a refetch (key rotation) at most this often.
pub const MIN_REFRESH_SECS: i64 = 60;
/// A cached set older than this is never used, even when the issuer is unreachable.
pub const MAX_STALE_SECS: i64 = 24 * 3600;
/// Largest discovery document or JWKS accepted.
const MAX_DOC_BYTES: usize = 256 * 1024;
/// Smallest RSA modulus accepted.
const MIN_RSA_BITS: usize = 2048;

/// A usable public key from a JWKS.
#[derive(Debug, Clone)]
pub struct Jwk {
    pub kid: Option<String>,
    /// The key's declared `alg`, if any; when present it must match the token's.
    pub alg: Option<String>,
    pub key: JwkKey,
}

#[derive(Debug, Clone)]
pub enum JwkKey {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
}

impl Jwk {
    pub fn usable_for(&self, alg: Alg) -> bool {
        let family = matches!(
            (&self.key, alg),
            (JwkKey::Rsa(_), Alg::Rs256) | (JwkKey::P256(_), Alg::Es256)
        );
        family && self.alg.as_deref().is_none_or(|a| a == alg.as_str())
    }
}

fn b64(v: Option<&Value>) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    URL_SAFE_NO_PAD
        .decode(v?.as_str()?.trim_end_matches('='))
        .ok()
}

/// Parses one JWK; `None` for keys this verifier cannot or must not use (other types/curves,
/// `use: enc`, weak RSA moduli, points not on the curve).
pub fn parse_jwk(v: &Value) -> Option<Jwk> {
    let obj = v.as_object()?;
    if obj
        .get("use")
        .and_then(Value::as_str)
        .is_some_and(|u| u != "sig")
    {
        return None;
    }
    let key = match obj.get("kty")?.as_str()? {
        "RSA" => {
            let n = rsa::BigUint::from_bytes_be(&b64(obj.get("n"))?);
            let e = rsa::BigUint::from_bytes_be(&b64(obj.get("e"))?);
            if n.bits() < MIN_RSA_BITS {
                return None;
            }
            JwkKey::Rsa(rsa::RsaPublicKey::new(n, e).ok()?)
        }
        "EC" => {
            if obj.get("crv")?.as_str()? != "P-256" {
                return None;
            }
            let (x, y) = (b64(obj.get("x"))?, b64(obj.get("y"))?);
            if x.len() != 32 || y.len() != 32 {
                return None;
            }
            let point = p256::EncodedPoint::from_affine_coordinates(
                p256::FieldBytes::from_slice(&x),
                p256::FieldBytes::from_slice(&y),
                false,
            );
            JwkKey::P256(p256::ecdsa::VerifyingKey::from_encoded_point(&point).ok()?)
        }
        _ => return None,
    };
    Some(Jwk {
        kid: obj.get("kid").and_then(Value::as_str).map(str::to_string),
        alg: obj.get("alg").and_then(Value::as_str).map(str::to_string),
        key,
    })
}

/// Parses a JWKS document (`{"keys": [...]}`), keeping the usable keys.
pub fn parse_jwks(doc: &Value) -> Vec<Jwk> {
    doc.get("keys")
        .and_then(Value::as_array)
        .map(|keys| keys.iter().filter_map(parse_jwk).collect())
        .unwrap_or_default()
}

fn cache_key(issuer: &str) -> String {
    format!("a2a:jwks:{issuer}")
}

struct Cached {
    fetched_at: i64,
    jwks: Value,
}

fn read_cache(ctx: &Context<'_>, issuer: &str) -> Option<Cached> {
    let bytes = ctx.store?.get(&cache_key(issuer)).ok()??;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    Some(Cached {
        fetched_at: v.get("fetched_at")?.as_i64()?,
        jwks: v.get("jwks")?.clone(),
    })
}

fn write_cache(ctx: &Context<'_>, issuer: &str, jwks: &Value, now: i64) {
    if let Some(store) = ctx.store {
        let doc = json!({"fetched_at": now, "expires_at": now + MAX_STALE_SECS, "jwks": jwks});
        // A failed cache write only costs a refetch next time.
        let _ = store.set(&cache_key(issuer), doc.to_string().as_bytes());
    }
}

/// The issuer's keys: from the cache while fresh, else fetched (and cached). A `kid` missing from
/// a cached set refetches once the cache is older than [`MIN_REFRESH_SECS`]; when fetching fails
/// a stale cached set (up to [`MAX_STALE_SECS`] old) is used rather than failing on a transient
/// outage.
pub async fn issuer_keys(
    ctx: &Context<'_>,
    issuer: &str,
    kid: Option<&str>,
    now: i64,
) -> Result<Vec<Jwk>, JwtError> {
    let cached = read_cache(ctx, issuer);
    if let Some(c) = &cached {
        let age = now - c.fetched_at;
        if (0..CACHE_TTL_SECS).contains(&age) {
            let keys = parse_jwks(&c.jwks);
            let has_kid = kid.is_none_or(|k| keys.iter().any(|j| j.kid.as_deref() == Some(k)));
            if has_kid || age < MIN_REFRESH_SECS {
                return Ok(keys);
            }
        }
    }
    match fetch_jwks(ctx, issuer).await {
        Some(jwks) => {
            write_cache(ctx, issuer, &jwks, now);
            Ok(parse_jwks(&jwks))
        }
        None => match cached {
            Some(c) if (0..MAX_STALE_SECS).contains(&(now - c.fetched_at)) => {
                Ok(parse_jwks(&c.jwks))
            }
            _ => Err(JwtError::KeysUnavailable),
        },
    }
}

async fn get_json(ctx: &Context<'_>, url: &str) -> Option<Value> {
    let mut request: HttpRequest = http::Request::builder()
        .method("GET")
        .uri(url)
        .header("accept", "application/json")
        .body(Vec::new())
        .ok()?;
    let profile = crate::time_budget::API_TIMEOUTS;
    crate::time_budget::next_attempt(ctx.outbound.budget(), profile, ctx.clock.now())?
        .attach(&mut request);
    let response = ctx.outbound.send(request).await.ok()?;
    if response.status() != 200 || response.body().len() > MAX_DOC_BYTES {
        return None;
    }
    serde_json::from_slice(response.body()).ok()
}

/// The URL a JWKS may be fetched from: https, or http only when the issuer itself is http
/// (local test issuers).
fn acceptable_jwks_uri(issuer: &str, uri: &str) -> bool {
    match uri.parse::<http::Uri>() {
        Ok(u) => {
            u.host().is_some_and(|h| !h.is_empty())
                && match u.scheme_str() {
                    Some("https") => true,
                    Some("http") => issuer.starts_with("http://"),
                    _ => false,
                }
        }
        Err(_) => false,
    }
}

async fn fetch_jwks(ctx: &Context<'_>, issuer: &str) -> Option<Value> {
    let discovery = get_json(ctx, &format!("{issuer}/.well-known/openid-configuration")).await;
    if let Some(doc) = discovery {
        // The discovery document must be about this issuer (OIDC Discovery §4.3).
        let same_issuer = doc
            .get("issuer")
            .and_then(Value::as_str)
            .is_none_or(|i| i.trim_end_matches('/') == issuer);
        if let Some(uri) = doc.get("jwks_uri").and_then(Value::as_str) {
            if same_issuer && acceptable_jwks_uri(issuer, uri) {
                return get_json(ctx, uri).await.filter(|j| j.get("keys").is_some());
            }
            return None;
        }
    }
    get_json(ctx, &format!("{issuer}/.well-known/jwks.json"))
        .await
        .filter(|j| j.get("keys").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_keys_are_skipped() {
        let doc = json!({"keys": [
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "tiny"},
            {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA", "kid": "p384"},
            {"kty": "EC", "crv": "P-256", "kid": "offcurve",
             "x": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE", "y": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"},
            {"kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"}
        ]});
        assert!(parse_jwks(&doc).is_empty());
        assert!(parse_jwks(&json!({"nokeys": true})).is_empty());
    }

    #[test]
    fn jwks_uri_must_be_https_unless_issuer_is_http() {
        assert!(acceptable_jwks_uri("https://a", "https://a/keys"));
        assert!(!acceptable_jwks_uri("https://a", "http://a/keys"));
        assert!(acceptable_jwks_uri(
            "http://localhost:9",
            "http://localhost:9/k"
        ));
        assert!(!acceptable_jwks_uri("https://a", "file:///etc/passwd"));
        assert!(!acceptable_jwks_uri("https://a", "not a url"));
    }
}
