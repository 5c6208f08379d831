//! Pure domain types and computations: no I/O anywhere below this module.

pub mod conflicts;
pub mod day_part;
pub mod duplicates;
pub mod duration;
pub mod email;
pub mod implied_others;
pub mod intervals;
pub mod item_match;
pub mod local_time;
pub mod metrics;
pub mod priority;
pub mod recurrence;
pub mod schedule_items;
pub mod similarity;
pub mod slots;
pub mod text_search;
pub mod time;
pub mod time_window;
pub mod timezone;
pub mod words;
pub mod working_hours;
