//! Signed, expiring approval tokens (PRODUCT §5 "Approval protocol").
//!
//! `action_data` carries the fully resolved operation plus `_approval` metadata
//! (tool, action type, issue/expiry times, a nonce, a subject bound to the user) and an
//! HMAC-SHA256 signature over the canonical JSON of everything else. Credentials are never
//! inside; the subject is an HMAC of them under the approval secret, so it reveals nothing.
//! Replays are answered from the key-value store with the first result.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::config::{SecretString, Settings};
use crate::credentials::Credentials;
use crate::ports::{KeyValue, Random};

type HmacSha256 = Hmac<Sha256>;

/// How long an approval stays valid.
pub const APPROVAL_TTL_SECONDS: i64 = 15 * 60;
const SECRET_KEY: &str = "juli-calendar/approval-secret";
const EXECUTED_PREFIX: &str = "juli-calendar/approval-executed/";

/// Why an approval was refused. Messages are safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalError {
    Missing,
    Malformed(&'static str),
    BadSignature,
    Expired,
    WrongTool {
        expected: String,
    },
    WrongActionType {
        expected: String,
    },
    WrongUser,
    NoSecret,
    /// The key-value store holding the generated secret could not be read (or holds an unusable
    /// value): approvals fail closed instead of minting a new secret.
    StoreUnavailable,
}

impl std::fmt::Display for ApprovalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApprovalError::Missing => write!(f, "Approval requires the action_data returned by the needs_approval answer."),
            ApprovalError::Malformed(what) => write!(f, "The approval data is malformed ({what}); nothing was executed. Ask again to get a fresh preview."),
            ApprovalError::BadSignature => write!(f, "The approval data has been altered or was not issued by this server; nothing was executed."),
            ApprovalError::Expired => write!(f, "This approval has expired (approvals are valid for 15 minutes); nothing was executed. Ask again to get a fresh preview."),
            ApprovalError::WrongTool { expected } => write!(f, "This approval belongs to the tool '{expected}'; nothing was executed."),
            ApprovalError::WrongActionType { expected } => write!(f, "The action_type does not match the approval (expected '{expected}'); nothing was executed."),
            ApprovalError::WrongUser => write!(f, "This approval was issued for a different account; nothing was executed."),
            ApprovalError::NoSecret => write!(f, "Approvals are unavailable: set the Spin variable approval_secret (or enable the key-value store)."),
            ApprovalError::StoreUnavailable => write!(f, "Approvals are temporarily unavailable: the key-value store holding the approval key could not be read; nothing was executed. Try again shortly (or set the Spin variable approval_secret)."),
        }
    }
}

/// The approval signing key: `approval_secret`, else one generated once and kept in the store.
pub fn signing_secret(
    settings: &Settings,
    store: Option<&dyn KeyValue>,
    random: &dyn Random,
) -> Result<SecretString, ApprovalError> {
    if let Some(s) = &settings.approval_secret {
        return Ok(s.clone());
    }
    let store = store.ok_or(ApprovalError::NoSecret)?;
    // Only a store that answers "no such key" gets a new secret: a read error or an unusable
    // stored value fails closed, so outstanding approvals are never invalidated by a rotation.
    match store.get(SECRET_KEY) {
        Ok(Some(bytes)) => return stored_secret(bytes),
        Ok(None) => {}
        Err(_) => return Err(ApprovalError::StoreUnavailable),
    }
    let mut raw = [0u8; 32];
    random.fill(&mut raw);
    let generated = URL_SAFE_NO_PAD.encode(raw);
    // Created only if still absent: when another instance won the race, its secret is used.
    match store.compare_and_swap(SECRET_KEY, None, generated.as_bytes()) {
        Ok(true) => Ok(SecretString::new(generated)),
        Ok(false) => match store.get(SECRET_KEY) {
            Ok(Some(bytes)) => stored_secret(bytes),
            _ => Err(ApprovalError::StoreUnavailable),
        },
        Err(_) => Err(ApprovalError::StoreUnavailable),
    }
}

fn stored_secret(bytes: Vec<u8>) -> Result<SecretString, ApprovalError> {
    match String::from_utf8(bytes) {
        Ok(s) if s.len() >= 32 => Ok(SecretString::new(s)),
        _ => Err(ApprovalError::StoreUnavailable),
    }
}

/// Binds approvals to the user without revealing anything about the credentials.
pub fn subject(secret: &SecretString, credentials: &Credentials) -> String {
    credential_digest(secret, "subject", credentials)
}

/// A keyed hash (HMAC-SHA256 under the approval secret, 128 bits, base64url) naming a
/// credential set for one purpose (`label`): it reveals nothing about the credentials and
/// cannot be checked against a guessed credential without the secret.
pub fn credential_digest(secret: &SecretString, label: &str, credentials: &Credentials) -> String {
    let mut mac = keyed(secret);
    mac.update(label.as_bytes());
    mac.update(b"\0");
    for v in [
        &credentials.reclaim_api_key,
        &credentials.nylas_api_key,
        &credentials.nylas_grant_id,
    ] {
        mac.update(v.as_ref().map(|s| s.expose()).unwrap_or("").as_bytes());
        mac.update(b"\0");
    }
    let digest = mac.finalize().into_bytes();
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// The pieces an approval is issued for.
pub struct Issue<'a> {
    pub tool: &'a str,
    pub action_type: &'a str,
    pub operation: Value,
    pub subject: String,
    pub now: DateTime<Utc>,
}

/// Issues signed `action_data` for an operation.
pub fn issue(secret: &SecretString, random: &dyn Random, req: Issue<'_>) -> Value {
    let mut nonce = [0u8; 16];
    random.fill(&mut nonce);
    let mut data = json!({
        "operation": req.operation,
        "_approval": {
            "v": 1,
            "tool": req.tool,
            "action_type": req.action_type,
            "issued_at": req.now.timestamp(),
            "expires_at": req.now.timestamp() + APPROVAL_TTL_SECONDS,
            "nonce": URL_SAFE_NO_PAD.encode(nonce),
            "subject": req.subject,
        },
    });
    let signature = sign(secret, &data);
    data["_approval"]["signature"] = json!(signature);
    data
}

/// A verified approval: the operation to execute exactly, and its nonce for replay protection.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub operation: Value,
    pub action_type: String,
    pub nonce: String,
    /// When the approval stops being valid (unix seconds).
    pub expires_at: i64,
}

/// Verifies signature, expiry, tool, action type and user. Nothing is executed on error.
pub fn verify(
    secret: &SecretString,
    action_data: Option<&Value>,
    tool: &str,
    action_type: Option<&str>,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Verified, ApprovalError> {
    let data = action_data.ok_or(ApprovalError::Missing)?;
    let meta = data
        .get("_approval")
        .and_then(Value::as_object)
        .ok_or(ApprovalError::Malformed("no _approval block"))?;
    let signature = meta
        .get("signature")
        .and_then(Value::as_str)
        .ok_or(ApprovalError::Malformed("no signature"))?;
    let given = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| ApprovalError::BadSignature)?;
    let mut unsigned = data.clone();
    if let Some(m) = unsigned.get_mut("_approval").and_then(Value::as_object_mut) {
        m.remove("signature");
    }
    signed(secret, &unsigned)
        .verify_slice(&given)
        .map_err(|_| ApprovalError::BadSignature)?;

    let field = |k: &str| {
        meta.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let expires_at = meta
        .get("expires_at")
        .and_then(Value::as_i64)
        .ok_or(ApprovalError::Malformed("no expiry"))?;
    if now.timestamp() > expires_at {
        return Err(ApprovalError::Expired);
    }
    let signed_tool = field("tool");
    if signed_tool != tool {
        return Err(ApprovalError::WrongTool {
            expected: signed_tool,
        });
    }
    let signed_type = field("action_type");
    if let Some(given_type) = action_type {
        if given_type != signed_type {
            return Err(ApprovalError::WrongActionType {
                expected: signed_type,
            });
        }
    }
    if field("subject") != subject {
        return Err(ApprovalError::WrongUser);
    }
    Ok(Verified {
        operation: data.get("operation").cloned().unwrap_or(Value::Null),
        action_type: signed_type,
        nonce: field("nonce"),
        expires_at,
    })
}

/// What the store says about an approval's nonce.
#[derive(Debug, Clone, PartialEq)]
pub enum Execution {
    /// Never executed (or released after a run that wrote nothing).
    Fresh,
    /// Claimed by a run that has not recorded its result yet.
    InProgress,
    /// Executed; this was the result.
    Done(Value),
}

/// The answer of [`claim`].
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// This request owns the execution (always, without a store: no replay protection).
    Claimed,
    /// Another request claimed it first: in progress or done.
    Taken(Execution),
    /// The store failed: nothing may execute.
    Unavailable,
}

/// How long an execution record outlives its approval (clock skew between instances).
const RECORD_GRACE_SECONDS: i64 = 120;
const STATE_KEY: &str = "state";

fn record_key(nonce: &str) -> String {
    format!("{EXECUTED_PREFIX}{nonce}")
}

/// The recorded state of an approval. Without a store (or while it fails) every approval is
/// `Fresh`.
pub fn execution(store: Option<&dyn KeyValue>, nonce: &str) -> Execution {
    match store.and_then(|s| s.get(&record_key(nonce)).ok().flatten()) {
        Some(bytes) => parse_execution(&bytes),
        None => Execution::Fresh,
    }
}

fn parse_execution(bytes: &[u8]) -> Execution {
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else {
        return Execution::Fresh;
    };
    // `_approval_state` and bare results are the records of earlier versions.
    let state = v
        .get(STATE_KEY)
        .or_else(|| v.get("_approval_state"))
        .and_then(Value::as_str);
    match state {
        Some("in_progress") => Execution::InProgress,
        Some("released") => Execution::Fresh,
        Some("done") => Execution::Done(v.get("result").cloned().unwrap_or(Value::Null)),
        _ => Execution::Done(v),
    }
}

/// Claims an approval for execution with one compare-and-swap, so of any number of concurrent
/// approvals of one token exactly one executes.
pub fn claim(store: Option<&dyn KeyValue>, verified: &Verified) -> Claim {
    let Some(store) = store else {
        return Claim::Claimed;
    };
    let key = record_key(&verified.nonce);
    let current = match store.get(&key) {
        Ok(c) => c,
        Err(_) => return Claim::Unavailable,
    };
    let seen = current.as_deref().map(parse_execution);
    if let Some(taken @ (Execution::InProgress | Execution::Done(_))) = seen {
        return Claim::Taken(taken);
    }
    let mine = record(verified, "in_progress", None);
    match store.compare_and_swap(&key, current.as_deref(), &mine) {
        Ok(true) => Claim::Claimed,
        Ok(false) => match execution(Some(store), &verified.nonce) {
            Execution::Fresh => Claim::Taken(Execution::InProgress),
            other => Claim::Taken(other),
        },
        Err(_) => Claim::Unavailable,
    }
}

/// Releases a claim after a run that provably wrote nothing (e.g. the credentials were rejected).
pub fn release(store: Option<&dyn KeyValue>, nonce: &str) {
    if let Some(store) = store {
        let _ = store.delete(&record_key(nonce));
    }
}

/// Records the result of an executed approval so a replay returns it instead of executing again.
/// The record expires shortly after the approval itself (see [`crate::kv_sweep`]).
pub fn record_executed(store: Option<&dyn KeyValue>, verified: &Verified, result: &Value) {
    if let Some(store) = store {
        let _ = store.set(
            &record_key(&verified.nonce),
            &record(verified, "done", Some(result)),
        );
    }
}

fn record(verified: &Verified, state: &str, result: Option<&Value>) -> Vec<u8> {
    let mut v = json!({
        STATE_KEY: state,
        "expires_at": verified.expires_at + RECORD_GRACE_SECONDS,
    });
    if let Some(r) = result {
        v["result"] = r.clone();
    }
    v.to_string().into_bytes()
}

fn sign(secret: &SecretString, data: &Value) -> String {
    URL_SAFE_NO_PAD.encode(signed(secret, data).finalize().into_bytes())
}

/// HMAC-SHA256 over the canonical JSON of `data`, ready to finalize or verify.
fn signed(secret: &SecretString, data: &Value) -> HmacSha256 {
    let mut mac = keyed(secret);
    mac.update(&canonical_bytes(data));
    mac
}

fn keyed(secret: &SecretString) -> HmacSha256 {
    HmacSha256::new_from_slice(secret.expose().as_bytes()).expect("hmac accepts any key length")
}

/// Canonical JSON: object keys sorted at every level (serde_json's default map is ordered).
fn canonical_bytes(value: &Value) -> Vec<u8> {
    fn canon(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), canon(v))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(canon).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_vec(&canon(value)).expect("json values serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    struct CountingRandom(RefCell<u8>);
    impl Random for CountingRandom {
        fn fill(&self, buf: &mut [u8]) {
            let mut n = self.0.borrow_mut();
            *n = n.wrapping_add(1);
            buf.iter_mut().for_each(|b| *b = *n);
        }
    }

    use crate::ports::MemoryStore as MemStore;

    fn now() -> DateTime<Utc> {
        "2026-12-01T14:00:00Z".parse().unwrap()
    }

    fn token(secret: &SecretString) -> Value {
        issue(
            secret,
            &CountingRandom(RefCell::new(0)),
            Issue {
                tool: "manage_productivity",
                action_type: "bulk_complete",
                operation: json!({"task_ids": [1, 2]}),
                subject: "sub-a".into(),
                now: now(),
            },
        )
    }

    #[test]
    fn round_trip_verifies() {
        let secret = SecretString::new("s3cret-s3cret-s3cret");
        let t = token(&secret);
        let v = verify(
            &secret,
            Some(&t),
            "manage_productivity",
            Some("bulk_complete"),
            "sub-a",
            now(),
        )
        .unwrap();
        assert_eq!(v.operation, json!({"task_ids": [1, 2]}));
        assert_eq!(v.action_type, "bulk_complete");
        assert!(!v.nonce.is_empty());
    }

    #[test]
    fn survives_reserialization_with_other_key_order() {
        let secret = SecretString::new("k");
        let t = token(&secret);
        let text = serde_json::to_string_pretty(&t).unwrap();
        let back: Value = serde_json::from_str(&text).unwrap();
        assert!(verify(
            &secret,
            Some(&back),
            "manage_productivity",
            None,
            "sub-a",
            now()
        )
        .is_ok());
    }

    #[test]
    fn tampering_is_rejected() {
        let secret = SecretString::new("k");
        let mut t = token(&secret);
        t["operation"]["task_ids"] = json!([1, 2, 3]);
        assert_eq!(
            verify(
                &secret,
                Some(&t),
                "manage_productivity",
                None,
                "sub-a",
                now()
            ),
            Err(ApprovalError::BadSignature)
        );
        let mut t = token(&secret);
        t["_approval"]["expires_at"] = json!(i64::MAX);
        assert_eq!(
            verify(
                &secret,
                Some(&t),
                "manage_productivity",
                None,
                "sub-a",
                now()
            ),
            Err(ApprovalError::BadSignature)
        );
        let t = token(&secret);
        assert_eq!(
            verify(
                &SecretString::new("other"),
                Some(&t),
                "manage_productivity",
                None,
                "sub-a",
                now()
            ),
            Err(ApprovalError::BadSignature)
        );
    }

    #[test]
    fn expiry_tool_type_and_user_are_checked() {
        let secret = SecretString::new("k");
        let t = token(&secret);
        let later = now() + chrono::Duration::seconds(APPROVAL_TTL_SECONDS + 1);
        assert_eq!(
            verify(
                &secret,
                Some(&t),
                "manage_productivity",
                None,
                "sub-a",
                later
            ),
            Err(ApprovalError::Expired)
        );
        assert!(matches!(
            verify(&secret, Some(&t), "optimize_schedule", None, "sub-a", now()),
            Err(ApprovalError::WrongTool { .. })
        ));
        assert!(matches!(
            verify(
                &secret,
                Some(&t),
                "manage_productivity",
                Some("bulk_delete"),
                "sub-a",
                now()
            ),
            Err(ApprovalError::WrongActionType { .. })
        ));
        assert_eq!(
            verify(
                &secret,
                Some(&t),
                "manage_productivity",
                None,
                "sub-b",
                now()
            ),
            Err(ApprovalError::WrongUser)
        );
        assert_eq!(
            verify(&secret, None, "manage_productivity", None, "sub-a", now()),
            Err(ApprovalError::Missing)
        );
        assert!(matches!(
            verify(
                &secret,
                Some(&json!({})),
                "manage_productivity",
                None,
                "sub-a",
                now()
            ),
            Err(ApprovalError::Malformed(_))
        ));
    }

    #[test]
    fn subject_depends_on_credentials_and_hides_them() {
        let secret = SecretString::new("k");
        let a = Credentials {
            reclaim_api_key: Some(SecretString::new("reclaim-key-of-alice")),
            ..Default::default()
        };
        let b = Credentials {
            reclaim_api_key: Some(SecretString::new("reclaim-key-of-bob")),
            ..Default::default()
        };
        assert_ne!(subject(&secret, &a), subject(&secret, &b));
        assert!(!subject(&secret, &a).contains("alice"));
    }

    #[test]
    fn secret_is_generated_once_and_kept() {
        let store = MemStore::default();
        let settings = Settings::from_source(&HashMap::new());
        let r = CountingRandom(RefCell::new(0));
        let first = signing_secret(&settings, Some(&store), &r).unwrap();
        let second = signing_secret(&settings, Some(&store), &r).unwrap();
        assert_eq!(first, second);
        assert_eq!(
            signing_secret(&settings, None, &r),
            Err(ApprovalError::NoSecret)
        );
    }

    /// A store whose reads fail (the writes would succeed).
    struct FailingReads(MemStore);
    impl KeyValue for FailingReads {
        fn get(&self, _key: &str) -> Result<Option<Vec<u8>>, String> {
            Err("store unavailable".into())
        }
        fn set(&self, key: &str, value: &[u8]) -> Result<(), String> {
            self.0.set(key, value)
        }
        fn delete(&self, key: &str) -> Result<(), String> {
            self.0.delete(key)
        }
        fn list_keys(&self) -> Result<Vec<String>, String> {
            self.0.list_keys()
        }
        fn compare_and_swap(
            &self,
            key: &str,
            expected: Option<&[u8]>,
            value: &[u8],
        ) -> Result<bool, String> {
            self.0.compare_and_swap(key, expected, value)
        }
        fn increment(&self, key: &str, delta: i64) -> Result<i64, String> {
            self.0.increment(key, delta)
        }
    }

    #[test]
    fn a_read_error_never_rotates_the_secret() {
        let settings = Settings::from_source(&HashMap::new());
        let r = CountingRandom(RefCell::new(0));
        let store = FailingReads(MemStore::default());
        let first = signing_secret(&settings, Some(&store.0), &r).unwrap();
        assert_eq!(
            signing_secret(&settings, Some(&store), &r),
            Err(ApprovalError::StoreUnavailable)
        );
        // The stored secret is untouched, so approvals issued before the outage still verify.
        assert_eq!(
            signing_secret(&settings, Some(&store.0), &r).unwrap(),
            first
        );
        assert!(ApprovalError::StoreUnavailable
            .to_string()
            .contains("nothing was executed"));
    }

    #[test]
    fn an_unusable_stored_secret_fails_closed() {
        let settings = Settings::from_source(&HashMap::new());
        let r = CountingRandom(RefCell::new(0));
        let store = MemStore::default();
        store.set(SECRET_KEY, b"short").unwrap();
        assert_eq!(
            signing_secret(&settings, Some(&store), &r),
            Err(ApprovalError::StoreUnavailable)
        );
        assert_eq!(store.get(SECRET_KEY).unwrap().unwrap(), b"short");
    }

    fn verified(nonce: &str) -> Verified {
        Verified {
            operation: json!({}),
            action_type: "bulk_complete".into(),
            nonce: nonce.into(),
            expires_at: 1_000,
        }
    }

    #[test]
    fn executions_are_claimed_recorded_and_released() {
        let store = MemStore::default();
        let (n1, n2) = (verified("n1"), verified("n2"));
        assert_eq!(execution(Some(&store), "n1"), Execution::Fresh);
        assert_eq!(claim(Some(&store), &n1), Claim::Claimed);
        assert_eq!(execution(Some(&store), "n1"), Execution::InProgress);
        assert_eq!(
            claim(Some(&store), &n1),
            Claim::Taken(Execution::InProgress)
        );
        record_executed(Some(&store), &n1, &json!({"success": true}));
        assert_eq!(
            claim(Some(&store), &n1),
            Claim::Taken(Execution::Done(json!({"success": true})))
        );
        assert_eq!(claim(Some(&store), &n2), Claim::Claimed);
        release(Some(&store), "n2");
        assert_eq!(execution(Some(&store), "n2"), Execution::Fresh);
        assert_eq!(claim(Some(&store), &n2), Claim::Claimed);
        assert_eq!(execution(None, "n1"), Execution::Fresh);
        assert_eq!(claim(None, &n1), Claim::Claimed);
        // Records expire shortly after the approval.
        let raw: Value =
            serde_json::from_slice(&store.get(&record_key("n1")).unwrap().unwrap()).unwrap();
        assert_eq!(raw["expires_at"], 1_000 + RECORD_GRACE_SECONDS);
    }

    #[test]
    fn records_of_earlier_versions_are_understood() {
        assert_eq!(
            parse_execution(br#"{"_approval_state":"in_progress"}"#),
            Execution::InProgress
        );
        assert_eq!(
            parse_execution(br#"{"_approval_state":"released"}"#),
            Execution::Fresh
        );
        assert_eq!(
            parse_execution(br#"{"success":true}"#),
            Execution::Done(json!({"success": true}))
        );
    }

    #[test]
    fn a_failing_store_claims_nothing() {
        let store = FailingReads(MemStore::default());
        assert_eq!(claim(Some(&store), &verified("n")), Claim::Unavailable);
    }
}
