//! Typed clients for the three upstreams, built per request, all through `ports::Outbound`.

pub mod error;
mod lenient;
pub mod nylas;
pub mod reclaim;
pub mod transport;

#[cfg(test)]
pub(crate) mod testing;

pub use error::{Provider, UpstreamError, UpstreamErrorKind};
pub use nylas::{
    EventPage, EventQuery, EventUpdate, EventWhen, NewEvent, NylasClient, NylasEvent, Timespan,
};
pub use reclaim::{
    NewTask, PlannerResult, ReclaimClient, ReclaimTask, ReclaimUser, TaskPatch, TaskStatus,
};
