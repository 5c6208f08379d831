//! Agent-to-agent (A2A) JSON-RPC interface for Juli Brain.
//!
//! - [`card`]: the agent card and the credentials manifest;
//! - [`rpc`]: `POST /a2a/rpc` method dispatch (`agent.*`, `tool.*`);
//! - [`auth`]: dev shared secret or OIDC bearer token;
//! - [`jwt`]: RS256/ES256 JWT verification (pure);
//! - [`jwks`]: the issuer's keys, fetched through `ctx.outbound` and cached in `ctx.store`.

pub mod auth;
pub mod card;
pub mod jwks;
pub mod jwt;
pub mod rpc;
