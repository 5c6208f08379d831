//! The root integration tests, linked into one test binary (`cargo test --test integration`).
//!
//! Each file beside this one is a module of it, named for what it tests; run one with a filter,
//! e.g. `cargo test --test integration hardening_fuzz::`. One binary instead of one per file:
//! each test binary links the component, the fakes and the OpenAPI validator, so two dozen of
//! them took gigabytes of disk and most of the build's link time. The shared harness is
//! [`helpers`] (`use crate::helpers;` in a test module).

mod helpers;

mod a2a;
mod api_routes;
mod check_availability;
mod find_and_analyze;
mod hardening_abuse;
mod hardening_bad_input;
mod hardening_fuzz;
mod hardening_prompt_injection;
mod hardening_regressions;
mod hardening_secrets;
mod hardening_upstream_faults;
mod manage_correctness;
mod manage_productivity;
mod manifest;
mod mcp;
mod mcp_schema;
mod model_time_fallback;
mod optimize_schedule;
mod real_calendars;
mod recurring_events;
mod rules_interpreter;
mod testkit_selftest;
