//! The request context every route handler receives, and what a route hands back.
//!
//! Sits below both `app` (which builds it) and `routes` (which consume it), so neither
//! depends on the other for it.

use crate::config::Settings;
use crate::ports::{Context, HttpResponse};

/// Everything a route handler receives besides the request.
pub struct RequestEnv<'a> {
    pub ctx: Context<'a>,
    pub settings: &'a Settings,
    pub request_id: &'a str,
}

/// What a route produced, plus what the log line should say about it.
pub struct RouteOutcome {
    pub response: HttpResponse,
    /// The route pattern (never the raw path, which could hold anything).
    pub route: &'static str,
    pub tool: Option<&'static str>,
}

impl RouteOutcome {
    pub fn new(route: &'static str, response: HttpResponse) -> Self {
        RouteOutcome {
            response,
            route,
            tool: None,
        }
    }
}
