//! juli-e2e: an end-to-end test host for the compiled juli-calendar component.
//!
//! It serves the release wasm (`target/wasm32-wasip1/release/juli_calendar.wasm`, byte-identical
//! to what `spin up`/`spin deploy` load) over HTTP on loopback the way Spin does, on Wasmtime
//! 48 (the engine Spin embeds). Never shipped in the component.
//!
//! ```no_run
//! use juli_e2e::{guest, E2eHost, HostConfig};
//! let host = E2eHost::start(HostConfig {
//!     wasm_path: guest::component_wasm().unwrap(),
//!     ..HostConfig::default()
//! })
//! .unwrap();
//! let reply = host.get("/health");
//! assert_eq!(reply.status, 200);
//! host.assert_clean();
//! ```

pub mod client;
pub mod component;
pub mod fakes;
pub mod guest;
pub mod model_outputs;
pub mod outbound;
pub mod scenario_bench;
pub mod server;
pub mod spin;
mod state;
pub mod stub;

pub use client::Reply;
pub use fakes::FakeEnv;
pub use outbound::{DeniedRequest, SentOptions};
pub use server::{E2eHost, HostConfig, StartupReport};
pub use stub::{config_for_upstreams, StubRequest, StubUpstream, UpstreamUrls};
