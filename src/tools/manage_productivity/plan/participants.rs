//! Invitees of an event request: real email addresses the user wrote; names without one are
//! reported, never invented, and an address the user never wrote (a model's guess) is
//! dropped and reported, never invited.

use super::clip;
use crate::domain::email::EmailAddress;
use crate::interpret::manage::{ManageRequest, ParticipantRef};
use crate::tools::manage_productivity::operation::InviteeSpec;
use crate::tools::ToolCall;

/// The people of a request, sorted by what can be done with them.
#[derive(Debug, Default)]
pub(super) struct Participants {
    /// Deduplicated, never the user.
    pub invitees: Vec<InviteeSpec>,
    /// Names that could not be invited (no address given).
    pub unresolved: Vec<String>,
    /// Addresses that are not in the user's own text: not invited.
    pub dropped: Vec<String>,
}

impl Participants {
    /// The warning for dropped addresses, if any.
    pub fn dropped_note(&self) -> Option<String> {
        (!self.dropped.is_empty()).then(|| {
            format!(
                "Not invited: {} (not an address you wrote).",
                self.dropped.join(", ")
            )
        })
    }
}

pub(super) fn participants(req: &ManageRequest, call: &ToolCall) -> Participants {
    let own = call.user.user_email.as_deref().map(str::to_ascii_lowercase);
    let user_text = user_text(call);
    let mut out = Participants::default();
    for p in &req.participants {
        let name = p
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let address = address(p, name.as_deref());
        // A name that is itself the address is no name.
        let name = name.filter(|n| !n.contains('@'));
        match address {
            Address::Valid(email) if !user_text.contains(&email.to_lowercase()) => {
                out.unresolved.extend(name.map(|n| clip(&n)));
                out.dropped.push(clip(&email));
            }
            Address::Valid(email) => {
                if Some(&email) != own.as_ref() && !out.invitees.iter().any(|i| i.email == email) {
                    out.invitees.push(InviteeSpec { email, name });
                }
            }
            Address::Invalid(label) => out.unresolved.push(clip(&label)),
            Address::None => out.unresolved.extend(name.map(|n| clip(&n))),
        }
    }
    out.unresolved.dedup();
    out
}

enum Address {
    Valid(String),
    /// Something address-like that does not parse; the label to report.
    Invalid(String),
    None,
}

/// The address of a participant: its `email`, or a `name` that is an address.
fn address(p: &ParticipantRef, name: Option<&str>) -> Address {
    let (raw, label) = match (p.email.as_deref(), name) {
        (Some(e), n) => (e, n.unwrap_or(e)),
        (None, Some(n)) if n.contains('@') => (n, n),
        (None, _) => return Address::None,
    };
    match EmailAddress::parse(raw) {
        Ok(email) => Address::Valid(email.as_str().to_string()),
        Err(_) => Address::Invalid(label.to_string()),
    }
}

/// Everything the user wrote in this call (query, context, structured arguments), lower-cased.
fn user_text(call: &ToolCall) -> String {
    serde_json::to_string(&call.args)
        .unwrap_or_default()
        .to_lowercase()
}

/// The risks an invitation carries, for the approval.
pub(super) fn invite_risks(invitees: &[InviteeSpec], unresolved: &[String]) -> Vec<String> {
    let mut risks = vec![];
    if !invitees.is_empty() {
        risks.push(format!(
            "{} people will receive an invitation email.",
            invitees.len()
        ));
    }
    if !unresolved.is_empty() {
        risks.push(format!(
            "No email address for {}: they will not be invited.",
            unresolved.join(", ")
        ));
    }
    risks
}
