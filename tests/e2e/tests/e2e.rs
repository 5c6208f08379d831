//! The end-to-end tests, linked into one test binary (`cargo test -p juli-e2e --test e2e`).
//!
//! Each file beside this one is a module of it; run one with a filter, e.g.
//! `cargo test -p juli-e2e --test e2e concurrency::`. Every test binary here links Wasmtime
//! (~100 MB each), so one binary instead of one per file saves most of the link time and disk,
//! and the release guest wasm is looked up once per run instead of once per file.

mod approval_race;
mod concurrency;
mod host;
mod mcp_client;
mod routes;
mod scenarios;
mod series_round_trip;
mod timeouts;
