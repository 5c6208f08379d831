//! juli-calendar: Reclaim.ai tasks and Nylas v3 calendars in plain language.
//!
//! The crate is plain Rust tested natively; only `spin_glue` (wasm32 only) touches spin-sdk.
//! Start at [`app::handle`]; the routing table is [`routes::dispatch`]; every handler receives a
//! [`request_env::RequestEnv`].

pub mod a2a;
pub mod api;
pub mod app;
pub mod approval;
pub mod body;
pub mod config;
pub mod credentials;
pub mod domain;
pub mod envelope;
pub mod interpret;
pub mod jsonrpc;
pub mod kv_sweep;
pub mod mcp;
pub mod model_budget;
pub mod ports;
pub mod request_env;
pub mod routes;
pub mod telemetry;
pub mod time_budget;
pub mod tools;
pub mod upstream;

#[cfg(target_arch = "wasm32")]
mod spin_glue;

pub use app::handle;
