//! Test kit for juli-calendar: stateful HTTP-level fakes of the three upstreams, OpenAPI
//! contract checks, fault injection and a loopback HTTP server.
//!
//! Everything speaks plain `http::Request<Vec<u8>>` → `http::Response<Vec<u8>>`, so the same
//! fakes serve native tests in-process ([`FakeUpstreams::handle`]) and the end-to-end tests of the
//! compiled component over real HTTP ([`serve`]). The crate never depends on juli-calendar and is
//! never compiled to wasm (it uses threads and `std::net`).
//!
//! * [`FakeReclaim`], [`FakeNylas`], [`FakeOpenAi`]: the fakes, each `Send + Sync`. The OpenAI
//!   fake also keeps every structured output it served with its request
//!   (`FakeOpenAi::served_outputs`), so the harness can compare the scripted model answers with
//!   the deterministic interpreter's reading of the same requests. It serves only what strict
//!   Structured Outputs can produce: an `Output` that breaks the request's schema is a contract
//!   violation ([`strict_output`]; `ScriptedOutput::OffSchema` for robustness tests).
//! * [`FakeUpstreams`]: the three bundled behind their base URLs, with one request log,
//!   fault injection, per-upstream latency and contract validation of every request.
//! * [`ContractValidator`]: checks a request against the vendored OpenAPI documents.
//! * [`serve`]: serves a `FakeUpstreams` on loopback with a `/_control/` API.

pub mod contract;
pub mod defaults;
pub mod faults;
pub mod http_util;
pub mod nylas;
pub mod openai;
pub mod reclaim;
pub mod record;
pub mod rrule;
pub mod server;
pub mod strict_output;
pub mod upstreams;

pub use contract::{ContractValidator, ContractViolation};
pub use faults::{Fault, FaultRule};
pub use nylas::{EventSeed, FakeNylas};
pub use openai::{FakeOpenAi, ScriptedOutput};
pub use reclaim::{FakeReclaim, TaskSeed};
pub use record::{Provider, RecordedRequest};
pub use server::{serve, ServerHandle};
pub use upstreams::{FakeUpstreams, UpstreamBases, UNKNOWN_HOST_HEADER};
