//! Pure domain types and computations: no I/O anywhere below this module.

pub mod email;
pub mod priority;
pub mod timezone;
