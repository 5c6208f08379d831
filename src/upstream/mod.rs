//! Typed clients for the three upstreams, built per request, all through `ports::Outbound`.
//!
//! Tools get their clients from [`Clients`]:
//! ```ignore
//! let clients = Clients::new(&env.ctx, env.settings, &credentials);
//! let reclaim = match clients.reclaim() { Ok(c) => c, Err(envelope) => return envelope };
//! match reclaim.list_tasks().await {
//!     Ok(tasks) => …,
//!     Err(e) => return e.to_envelope(&credentials),
//! }
//! ```

pub mod error;
mod lenient;
pub mod nylas;
pub mod nylas_calendars;
pub mod openai;
pub mod reclaim;
pub mod transport;

#[cfg(test)]
pub(crate) mod testing;

use serde_json::Value;

use crate::config::Settings;
use crate::credentials::Credentials;
use crate::envelope;
use crate::ports::Context;

pub use error::{Provider, UpstreamError, UpstreamErrorKind};
pub use nylas::{
    AllDayDates, EventPage, EventQuery, EventUpdate, EventWhen, FreeBusy, Invitee, NewEvent,
    NylasCalendar, NylasClient, NylasEvent, NylasGrant, Participant, Timespan, PRIMARY_CALENDAR,
};
pub use nylas_calendars::CalendarSet;
pub use openai::{check_strict_schema, OpenAiClient, StructuredRequest, StructuredResponse, Usage};
pub use reclaim::{
    EventCategory, NewTask, PlannerResult, ReclaimClient, ReclaimTask, ReclaimUser, TaskPatch,
    TaskStatus,
};

/// Builds the per-request clients, or the envelope to answer when one cannot be built.
#[derive(Clone, Copy)]
pub struct Clients<'a> {
    ctx: Context<'a>,
    settings: &'a Settings,
    credentials: &'a Credentials,
}

impl<'a> Clients<'a> {
    pub fn new(ctx: &Context<'a>, settings: &'a Settings, credentials: &'a Credentials) -> Self {
        Clients {
            ctx: *ctx,
            settings,
            credentials,
        }
    }

    pub fn credentials(&self) -> &'a Credentials {
        self.credentials
    }

    /// The Reclaim client, or `needs_setup` naming `RECLAIM_API_KEY`.
    pub fn reclaim(&self) -> Result<ReclaimClient<'a>, Value> {
        match &self.credentials.reclaim_api_key {
            Some(key) => Ok(ReclaimClient::new(
                self.ctx.outbound,
                self.ctx.clock,
                &self.settings.reclaim_base_url,
                key,
            )),
            None => Err(envelope::needs_setup(
                &self.credentials.missing_reclaim(),
                "Tasks need your Reclaim.ai API key: add RECLAIM_API_KEY (Reclaim → Settings → Developer).",
            )),
        }
    }

    /// The Nylas client, or `needs_setup` naming whichever of `NYLAS_API_KEY` /
    /// `NYLAS_GRANT_ID` is missing.
    pub fn nylas(&self) -> Result<NylasClient<'a>, Value> {
        match (
            &self.credentials.nylas_api_key,
            &self.credentials.nylas_grant_id,
        ) {
            (Some(key), Some(grant)) => Ok(NylasClient::new(
                self.ctx.outbound,
                self.ctx.clock,
                &self.settings.nylas_base_url,
                key,
                grant,
            )
            .with_store(self.ctx.store)),
            _ => {
                let missing = self.credentials.missing_nylas();
                Err(envelope::needs_setup(
                    &missing,
                    format!(
                        "Calendar features need your Nylas connection: add {}.",
                        missing.join(" and ")
                    ),
                ))
            }
        }
    }

    /// The OpenAI client, or a business error naming the Spin variable `openai_api_key`.
    pub fn openai(&self) -> Result<OpenAiClient<'a>, Value> {
        OpenAiClient::new(self.ctx.outbound, self.ctx.clock, self.settings)
            .map_err(|e| e.to_envelope(self.credentials))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretString;
    use crate::ports::{ConfigSource, KeyValue, LogSink, Random};
    use crate::upstream::testing::{FakeClock, ScriptedOutbound};
    use futures::executor::block_on;
    use std::collections::HashMap;

    struct NoRandom;
    impl Random for NoRandom {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(7);
        }
    }
    struct NoLog;
    impl LogSink for NoLog {
        fn line(&self, _line: &str) {}
    }

    fn with_ctx<R>(f: impl FnOnce(Context<'_>, &ScriptedOutbound) -> R) -> R {
        let out = ScriptedOutbound::new();
        let clock = FakeClock::new();
        let config: HashMap<String, String> = HashMap::new();
        let ctx = Context {
            outbound: &out,
            config: &config as &dyn ConfigSource,
            store: None::<&dyn KeyValue>,
            clock: &clock,
            random: &NoRandom,
            log: &NoLog,
        };
        f(ctx, &out)
    }

    #[test]
    fn missing_credentials_give_needs_setup_per_provider() {
        with_ctx(|ctx, _| {
            let settings = Settings::from_source(ctx.config);
            let creds = Credentials {
                nylas_api_key: Some(SecretString::new("nyk_123456789")),
                ..Default::default()
            };
            let clients = Clients::new(&ctx, &settings, &creds);
            let env = clients.reclaim().err().unwrap();
            assert_eq!(env["needs_setup"], true);
            assert_eq!(env["missing"], serde_json::json!(["RECLAIM_API_KEY"]));
            let env = clients.nylas().err().unwrap();
            assert_eq!(env["missing"], serde_json::json!(["NYLAS_GRANT_ID"]));
            assert!(env["message"].as_str().unwrap().contains("NYLAS_GRANT_ID"));
            let env = clients.openai().err().unwrap();
            assert_eq!(env["success"], false);
            assert!(env["error"].as_str().unwrap().contains("openai_api_key"));
        });
    }

    #[test]
    fn clients_use_the_configured_base_urls() {
        with_ctx(|ctx, out| {
            let mut map = HashMap::new();
            map.insert(
                "reclaim_base_url".to_string(),
                "http://127.0.0.1:7001".to_string(),
            );
            let settings = Settings::from_source(&map);
            let creds = Credentials {
                reclaim_api_key: Some(SecretString::new("rk_123456789")),
                ..Default::default()
            };
            out.push_json(200, serde_json::json!([]));
            let clients = Clients::new(&ctx, &settings, &creds);
            let reclaim = clients.reclaim().unwrap();
            assert!(block_on(reclaim.list_tasks()).unwrap().is_empty());
            assert_eq!(
                out.requests()[0].url.as_str(),
                "http://127.0.0.1:7001/api/tasks"
            );
        });
    }
}
