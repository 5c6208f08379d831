//! The compiled component in the e2e host, wired to the `juli-testkit` fakes served over real
//! HTTP on loopback: [`FakeEnv`].
//!
//! ```no_run
//! use juli_e2e::fakes::{ctx, FakeEnv};
//! use serde_json::json;
//! let env = FakeEnv::start();
//! let out = env
//!     .call_tool("manage_productivity", ctx(json!({"action": "create_task", "title": "x"})))
//!     .json();
//! assert_eq!(out["success"], true);
//! // dropping `env` checks: no trap, no allow-list violation, no contract violation, no leak
//! ```
//!
//! Every request sent through a `FakeEnv` is remembered; [`FakeEnv::check`] (also run when the
//! env is dropped outside a panic) fails when the guest trapped, called an origin outside the
//! allow-list, sent an upstream request that breaks the vendored OpenAPI contracts, or when any
//! response body or guest log line contains a credential value, the OpenAI key or the approval
//! secret (including one the component generated and keeps in the key-value store).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result};
use juli_testkit::{defaults, serve, FakeUpstreams, Provider, ServerHandle};
use serde_json::{json, Value};

use crate::client::Reply;
use crate::server::{E2eHost, HostConfig};
use crate::stub::{config_for_upstreams, UpstreamUrls};

/// The user's zone in the e2e scenarios.
pub const TZ: &str = "America/New_York";
/// The date and time the scenarios pass as Juli's injected context (a Tuesday, 09:00 in
/// [`TZ`]); the same instant as `defaults::NOW_RFC3339`, the fakes' "now".
pub const CURRENT_DATE: &str = "2026-12-01";
pub const CURRENT_TIME: &str = "09:00:00";

/// The key-value key under which the component keeps a generated approval secret.
pub const KV_APPROVAL_SECRET: &str = "juli-calendar/approval-secret";
/// The key-value prefix of executed approval tokens.
pub const KV_EXECUTED_PREFIX: &str = "juli-calendar/approval-executed/";

/// Adds Juli's injected context (`user_timezone`, `current_date`, `current_time`) unless the
/// arguments already carry it.
pub fn ctx(mut args: Value) -> Value {
    if let Some(obj) = args.as_object_mut() {
        obj.entry("user_timezone").or_insert(json!(TZ));
        obj.entry("current_date").or_insert(json!(CURRENT_DATE));
        obj.entry("current_time").or_insert(json!(CURRENT_TIME));
    }
    args
}

/// The `X-User-Credential-*` headers of one user.
pub fn credential_headers(
    reclaim_key: &str,
    nylas_key: &str,
    grant: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("X-User-Credential-RECLAIM_API_KEY", reclaim_key.to_string()),
        ("X-User-Credential-NYLAS_API_KEY", nylas_key.to_string()),
        ("X-User-Credential-NYLAS_GRANT_ID", grant.to_string()),
    ]
}

/// The default user's credential headers (`juli_testkit::defaults`).
pub fn default_user_headers() -> Vec<(&'static str, String)> {
    credential_headers(
        defaults::RECLAIM_KEY,
        defaults::NYLAS_KEY,
        defaults::NYLAS_GRANT,
    )
}

/// The fakes served on loopback, the host running the compiled component against them, and
/// everything the component answered.
pub struct FakeEnv {
    pub fakes: Arc<FakeUpstreams>,
    pub server: ServerHandle,
    pub host: E2eHost,
    secrets: Mutex<Vec<String>>,
    bodies: Mutex<Vec<String>>,
    expect_denials: AtomicBool,
    checked_on_drop: AtomicBool,
}

impl FakeEnv {
    /// Fakes with the default user, the component configured for them (OpenAI key and approval
    /// secret of `juli_testkit::defaults`).
    #[track_caller]
    pub fn start() -> FakeEnv {
        FakeEnv::start_with(Arc::new(FakeUpstreams::new().with_default_user()), |_| {})
            .unwrap_or_else(|e| panic!("starting the e2e environment: {e:#}"))
    }

    /// Serves `fakes` (their "now" is set to `defaults::NOW_RFC3339`), starts the host with
    /// [`config_for_upstreams`] pointing at them; `adjust` may change the configuration
    /// (remove or override variables, more worker threads...).
    pub fn start_with(
        fakes: Arc<FakeUpstreams>,
        adjust: impl FnOnce(&mut HostConfig),
    ) -> Result<FakeEnv> {
        fakes.set_now(
            defaults::NOW_RFC3339
                .parse()
                .context("defaults::NOW_RFC3339")?,
        );
        let server = serve(fakes.clone(), "127.0.0.1:0").context("serving the fakes")?;
        let urls = UpstreamUrls {
            openai: server.openai_base_url(),
            reclaim: server.reclaim_base_url(),
            nylas: server.nylas_base_url(),
        };
        let mut config = config_for_upstreams(
            crate::guest::component_wasm()?,
            &urls,
            &[
                ("openai_api_key", defaults::OPENAI_KEY),
                ("approval_secret", defaults::APPROVAL_SECRET),
                // The suites script the model for each plain-language request.
                ("rules_interpreter", "off"),
            ],
        )?;
        adjust(&mut config);
        let mut secrets: Vec<String> = [
            defaults::RECLAIM_KEY,
            defaults::NYLAS_KEY,
            defaults::NYLAS_GRANT,
            defaults::OPENAI_KEY,
            defaults::APPROVAL_SECRET,
            defaults::OTHER_RECLAIM_KEY,
            defaults::OTHER_NYLAS_KEY,
            defaults::OTHER_NYLAS_GRANT,
        ]
        .map(str::to_string)
        .to_vec();
        for name in ["openai_api_key", "approval_secret", "a2a_dev_secret"] {
            if let Some(v) = config.variables.get(name) {
                if v.len() >= 6 && !secrets.contains(v) {
                    secrets.push(v.clone());
                }
            }
        }
        let host = E2eHost::start(config)?;
        Ok(FakeEnv {
            fakes,
            server,
            host,
            secrets: Mutex::new(secrets),
            bodies: Mutex::new(Vec::new()),
            expect_denials: AtomicBool::new(false),
            checked_on_drop: AtomicBool::new(true),
        })
    }

    /// `http://127.0.0.1:PORT` of the component.
    pub fn base_url(&self) -> String {
        self.host.base_url()
    }

    /// A value that must never appear in a response body or a log line.
    pub fn add_secret(&self, value: &str) {
        let mut s = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        if value.len() >= 6 && !s.iter().any(|x| x == value) {
            s.push(value.to_string());
        }
    }

    /// This test provokes allow-list denials on purpose: [`FakeEnv::check`] does not fail on
    /// them (traps still fail).
    pub fn expect_denials(&self) {
        self.expect_denials.store(true, Ordering::SeqCst);
    }

    /// Skips [`FakeEnv::check`] on drop (a test that runs it itself).
    pub fn skip_check_on_drop(&self) {
        self.checked_on_drop.store(false, Ordering::SeqCst);
    }

    /// Any request through real HTTP; the reply body is kept for the leak scan and credential
    /// header values become secrets.
    #[track_caller]
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        for (name, value) in headers {
            if name.to_ascii_lowercase().starts_with("x-user-credential-")
                || name.eq_ignore_ascii_case("x-reclaim-key")
                || name.eq_ignore_ascii_case("x-nylas-key")
                || name.eq_ignore_ascii_case("x-nylas-grant")
            {
                self.add_secret(value.trim());
            }
        }
        let reply = self.host.request(method, path, headers, body);
        self.bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(reply.text());
        reply
    }

    /// `GET path` without credentials.
    #[track_caller]
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// `POST path` with a JSON body and these headers.
    #[track_caller]
    pub fn post_json(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
        let mut all: Vec<(&str, &str)> = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.request("POST", path, &all, body.to_string().as_bytes())
    }

    /// `POST /mcp/tools/{name}` as the default user.
    #[track_caller]
    pub fn call_tool(&self, name: &str, args: Value) -> Reply {
        let headers = default_user_headers();
        let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.call_tool_with(name, &h, args)
    }

    /// `POST /mcp/tools/{name}` with these headers (another user, partial credentials...).
    #[track_caller]
    pub fn call_tool_with(&self, name: &str, headers: &[(&str, &str)], args: Value) -> Reply {
        self.post_json(&format!("/mcp/tools/{name}"), headers, &args)
    }

    /// Upstream calls so far: (OpenAI, Reclaim, Nylas).
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.fakes.count(Provider::OpenAi),
            self.fakes.count(Provider::Reclaim),
            self.fakes.count(Provider::Nylas),
        )
    }

    /// Every response body received so far.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The values the leak scan looks for (a generated approval secret in the store included).
    pub fn secrets(&self) -> Vec<String> {
        if let Some(generated) = self.host.kv_get(KV_APPROVAL_SECRET) {
            self.add_secret(&String::from_utf8_lossy(&generated));
        }
        self.secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Fails on a trap, an allow-list violation (unless expected), an upstream contract
    /// violation, or a secret in any response body or guest log line.
    #[track_caller]
    pub fn check(&self) {
        let traps = self.host.traps();
        assert!(traps.is_empty(), "the component trapped: {traps:#?}");
        if !self.expect_denials.load(Ordering::SeqCst) {
            let denied = self.host.denied_requests();
            assert!(
                denied.is_empty(),
                "the component called origins outside the allow-list: {denied:#?}"
            );
        }
        self.fakes.assert_no_contract_violations();
        let secrets = self.secrets();
        let logs = self.host.log_lines();
        let bodies = self.bodies();
        for secret in &secrets {
            for body in &bodies {
                assert!(
                    !body.contains(secret.as_str()),
                    "a secret value ({}…) appears in a response body: {body}",
                    &secret[..4]
                );
            }
            for line in &logs {
                assert!(
                    !line.contains(secret.as_str()),
                    "a secret value ({}…) appears in a log line: {line}",
                    &secret[..4]
                );
            }
        }
    }
}

impl Drop for FakeEnv {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.checked_on_drop.load(Ordering::SeqCst) {
            self.check();
        }
    }
}
