//! Pure domain types and computations: no I/O anywhere below this module.

pub mod conflicts;
pub mod duplicates;
pub mod email;
pub mod intervals;
pub mod item_match;
pub mod metrics;
pub mod priority;
pub mod schedule_items;
pub mod similarity;
pub mod slots;
pub mod timezone;
pub mod working_hours;
