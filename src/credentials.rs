//! Per-request user credentials from Juli's headers (PRODUCT §2).
//!
//! Header names match in any case with `_` and `-` interchangeable; the legacy
//! `X-Reclaim-Key` / `X-Nylas-Key` / `X-Nylas-Grant` are accepted too. Values are never
//! logged, echoed or stored.

use crate::config::SecretString;

pub const RECLAIM_API_KEY: &str = "RECLAIM_API_KEY";
pub const NYLAS_API_KEY: &str = "NYLAS_API_KEY";
pub const NYLAS_GRANT_ID: &str = "NYLAS_GRANT_ID";

/// The credential keys, in the order `missing` lists them.
pub const ALL_KEYS: [&str; 3] = [RECLAIM_API_KEY, NYLAS_API_KEY, NYLAS_GRANT_ID];

/// Longest credential value accepted; anything longer is treated as absent.
const MAX_VALUE_LEN: usize = 4096;

#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub reclaim_api_key: Option<SecretString>,
    pub nylas_api_key: Option<SecretString>,
    pub nylas_grant_id: Option<SecretString>,
}

/// Which upstream a credential belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKey {
    ReclaimApiKey,
    NylasApiKey,
    NylasGrantId,
}

impl CredentialKey {
    pub fn name(&self) -> &'static str {
        match self {
            CredentialKey::ReclaimApiKey => RECLAIM_API_KEY,
            CredentialKey::NylasApiKey => NYLAS_API_KEY,
            CredentialKey::NylasGrantId => NYLAS_GRANT_ID,
        }
    }
}

/// Maps a header name to the credential it carries, if any.
pub fn credential_for_header(name: &str) -> Option<CredentialKey> {
    let normalized = name.trim().to_ascii_lowercase().replace('_', "-");
    match normalized.as_str() {
        "x-user-credential-reclaim-api-key" | "x-reclaim-key" => Some(CredentialKey::ReclaimApiKey),
        "x-user-credential-nylas-api-key" | "x-nylas-key" => Some(CredentialKey::NylasApiKey),
        "x-user-credential-nylas-grant-id" | "x-nylas-grant" => Some(CredentialKey::NylasGrantId),
        _ => None,
    }
}

impl Credentials {
    /// Reads the credentials from request headers. The standard spelling wins over the legacy one.
    pub fn from_headers(headers: &http::HeaderMap) -> Credentials {
        let mut creds = Credentials::default();
        let mut from_standard = [false; 3];
        for (name, value) in headers {
            let Some(key) = credential_for_header(name.as_str()) else {
                continue;
            };
            let Some(value) = clean_value(value.as_bytes()) else {
                continue;
            };
            let standard = name
                .as_str()
                .to_ascii_lowercase()
                .starts_with("x-user-credential");
            let idx = key as usize;
            if from_standard[idx] && !standard {
                continue;
            }
            from_standard[idx] |= standard;
            creds.set(key, value);
        }
        creds
    }

    /// Fills credentials that are still absent from a JSON object with keys such as
    /// `reclaim_api_key` (used by `/auth/validate-credentials` and A2A `user_context.credentials`).
    pub fn fill_from_json(&mut self, object: &serde_json::Map<String, serde_json::Value>) {
        for (name, value) in object {
            let key = match name.to_ascii_uppercase().replace('-', "_").as_str() {
                RECLAIM_API_KEY => CredentialKey::ReclaimApiKey,
                NYLAS_API_KEY => CredentialKey::NylasApiKey,
                NYLAS_GRANT_ID | "NYLAS_GRANT" => CredentialKey::NylasGrantId,
                _ => continue,
            };
            if self.get(key).is_some() {
                continue;
            }
            if let Some(v) = value.as_str().and_then(|v| clean_value(v.as_bytes())) {
                self.set(key, v);
            }
        }
    }

    pub fn get(&self, key: CredentialKey) -> Option<&SecretString> {
        match key {
            CredentialKey::ReclaimApiKey => self.reclaim_api_key.as_ref(),
            CredentialKey::NylasApiKey => self.nylas_api_key.as_ref(),
            CredentialKey::NylasGrantId => self.nylas_grant_id.as_ref(),
        }
    }

    fn set(&mut self, key: CredentialKey, value: String) {
        let slot = match key {
            CredentialKey::ReclaimApiKey => &mut self.reclaim_api_key,
            CredentialKey::NylasApiKey => &mut self.nylas_api_key,
            CredentialKey::NylasGrantId => &mut self.nylas_grant_id,
        };
        *slot = Some(SecretString::new(value));
    }

    pub fn has_reclaim(&self) -> bool {
        self.reclaim_api_key.is_some()
    }

    pub fn has_nylas(&self) -> bool {
        self.nylas_api_key.is_some() && self.nylas_grant_id.is_some()
    }

    /// All missing credential keys.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            CredentialKey::ReclaimApiKey,
            CredentialKey::NylasApiKey,
            CredentialKey::NylasGrantId,
        ]
        .into_iter()
        .filter(|k| self.get(*k).is_none())
        .map(|k| k.name())
        .collect()
    }

    /// Missing keys for Reclaim only.
    pub fn missing_reclaim(&self) -> Vec<&'static str> {
        if self.has_reclaim() {
            vec![]
        } else {
            vec![RECLAIM_API_KEY]
        }
    }

    /// Missing keys for Nylas only.
    pub fn missing_nylas(&self) -> Vec<&'static str> {
        let mut m = vec![];
        if self.nylas_api_key.is_none() {
            m.push(NYLAS_API_KEY);
        }
        if self.nylas_grant_id.is_none() {
            m.push(NYLAS_GRANT_ID);
        }
        m
    }

    /// Every credential value present, for leak checks (never for output).
    pub fn values(&self) -> Vec<&str> {
        [
            &self.reclaim_api_key,
            &self.nylas_api_key,
            &self.nylas_grant_id,
        ]
        .into_iter()
        .flatten()
        .map(|s| s.expose())
        .collect()
    }
}

fn clean_value(raw: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(raw).ok()?.trim();
    if s.is_empty() || s.len() > MAX_VALUE_LEN || s.chars().any(|c| c.is_control()) {
        return None;
    }
    Some(s.to_string())
}

/// A redacted view of a value: the first 4 characters and an ellipsis (nothing for short values).
pub fn redact(value: &str) -> String {
    let count = value.chars().count();
    if count <= 8 {
        "…".to_string()
    } else {
        format!("{}…", value.chars().take(4).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
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
    fn every_spelling_is_recognised() {
        for name in [
            "X-User-Credential-RECLAIM_API_KEY",
            "x-user-credential-reclaim-api-key",
            "X_USER_CREDENTIAL_RECLAIM_API_KEY",
            "x-user-credential-reclaim_api-key",
            "X-Reclaim-Key",
        ] {
            assert_eq!(
                credential_for_header(name),
                Some(CredentialKey::ReclaimApiKey),
                "{name}"
            );
        }
        assert_eq!(
            credential_for_header("X-Nylas-Grant"),
            Some(CredentialKey::NylasGrantId)
        );
        assert_eq!(
            credential_for_header("x-user-credential-nylas-api-key"),
            Some(CredentialKey::NylasApiKey)
        );
        assert_eq!(credential_for_header("x-user-credential-other"), None);
    }

    #[test]
    fn reads_all_three_and_reports_missing() {
        let c = Credentials::from_headers(&headers(&[
            ("x-user-credential-reclaim-api-key", "rk_123"),
            ("x-nylas-key", "nk_456"),
        ]));
        assert!(c.has_reclaim());
        assert!(!c.has_nylas());
        assert_eq!(c.missing(), vec![NYLAS_GRANT_ID]);
        assert_eq!(c.missing_nylas(), vec![NYLAS_GRANT_ID]);
        assert!(c.missing_reclaim().is_empty());
    }

    #[test]
    fn standard_header_wins_over_legacy() {
        let c = Credentials::from_headers(&headers(&[
            ("x-user-credential-reclaim-api-key", "standard"),
            ("x-reclaim-key", "legacy"),
        ]));
        assert_eq!(c.reclaim_api_key.unwrap().expose(), "standard");
    }

    #[test]
    fn empty_values_count_as_missing() {
        let c = Credentials::from_headers(&headers(&[("x-reclaim-key", "   ")]));
        assert!(!c.has_reclaim());
    }

    #[test]
    fn json_fills_only_absent_values() {
        let mut c = Credentials::from_headers(&headers(&[("x-reclaim-key", "hdr")]));
        let body = serde_json::json!({"reclaim_api_key": "body", "nylas_api_key": "nk", "nylas_grant_id": "g"});
        c.fill_from_json(body.as_object().unwrap());
        assert_eq!(c.reclaim_api_key.as_ref().unwrap().expose(), "hdr");
        assert!(c.has_nylas());
    }

    #[test]
    fn redaction_never_reveals_short_values_and_only_prefixes_long_ones() {
        assert_eq!(redact("abc"), "…");
        assert_eq!(redact("rk_live_abcdefgh"), "rk_l…");
    }
}
