//! The deterministic interpreter that runs before the model on every natural-language
//! request (issue 13).
//!
//! A request is answered only when a grammar accounts for *every* word: command words, slots
//! (title, time phrase, duration, priority, email, location) and known filler. Anything else
//! — an unknown word, a name that could be an invitee, two actions, a vague reference,
//! recurrence — returns `None` and the request goes to the model unchanged. The typed request
//! is the one the model would give: time words stay phrases ("tomorrow at 3pm") that the
//! tools resolve exactly as they resolve the model's.
//!
//! Layout: [`words`] (tokens, typos, politeness), [`slots`] (recognizers, and the one adapter
//! to the time resolver), [`scan`] (marks slots in a stretch of words), [`reference`]
//! (existing items), then one grammar per tool. Pure code, no I/O.

mod availability;
mod calendar_place;
mod find;
mod manage;
mod optimize;
mod purpose;
mod reference;
mod scan;
mod slots;
mod vocabulary;
mod words;

use chrono::DateTime;
use chrono_tz::Tz;

use crate::domain::time::PhraseOptions;

use super::availability::AvailabilityRequest;
use super::find::FindRequest;
use super::manage::ManageRequest;
use super::optimize::OptimizeRequest;

/// When a request is read (the user's local now) and how its user writes all-numeric dates:
/// what the time resolver needs besides the phrase, so the rules recognize a phrase exactly
/// as the tool will later read it.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub at: DateTime<Tz>,
    pub options: PhraseOptions,
}

/// Month-first numeric dates (the default reading).
impl From<DateTime<Tz>> for Now {
    fn from(at: DateTime<Tz>) -> Self {
        Now {
            at,
            options: PhraseOptions::default(),
        }
    }
}

/// `manage_productivity`: the typed request, or `None` to ask the model.
pub fn manage_request(query: &str, now: Now) -> Option<ManageRequest> {
    manage::interpret(&words::tokenize(query)?, now)
}

/// `check_availability`: the typed request, or `None` to ask the model.
pub fn availability_request(query: &str, now: Now) -> Option<AvailabilityRequest> {
    availability::interpret(&words::tokenize(query)?, now)
}

/// `find_and_analyze`: the typed request, or `None` to ask the model.
pub fn find_request(query: &str, now: Now) -> Option<FindRequest> {
    find::interpret(&words::tokenize(query)?, now)
}

/// `optimize_schedule`: the typed request, or `None` to ask the model.
pub fn optimize_request(query: &str, now: Now) -> Option<OptimizeRequest> {
    optimize::interpret(&words::tokenize(query)?, now)
}
