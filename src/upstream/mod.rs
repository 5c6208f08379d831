//! Typed clients for the three upstreams, built per request, all through `ports::Outbound`.
