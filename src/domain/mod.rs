//! Pure domain types and computations: no I/O anywhere below this module.

pub mod day_part;
pub mod duration;
pub mod email;
pub mod local_time;
pub mod priority;
pub mod time_phrase;
pub mod time_window;
pub mod timezone;
