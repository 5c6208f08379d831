//! Invitees of an event request: real email addresses only; names without one are reported,
//! never invented.

use super::clip;
use crate::domain::email::EmailAddress;
use crate::interpret::manage::ManageRequest;
use crate::tools::manage_productivity::operation::InviteeSpec;
use crate::tools::ToolCall;

/// The invitees (deduplicated, never the user) and the names that could not be invited.
pub(super) fn participants(
    req: &ManageRequest,
    call: &ToolCall,
) -> (Vec<InviteeSpec>, Vec<String>) {
    let own = call.user.user_email.as_deref().map(str::to_ascii_lowercase);
    let mut invitees: Vec<InviteeSpec> = vec![];
    let mut unresolved = vec![];
    for p in &req.participants {
        let name = p
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        match p.email.as_deref().map(EmailAddress::parse) {
            Some(Ok(email)) => {
                if Some(email.as_str().to_string()) != own
                    && !invitees.iter().any(|i| i.email == email.as_str())
                {
                    invitees.push(InviteeSpec {
                        email: email.as_str().to_string(),
                        name,
                    });
                }
            }
            Some(Err(_)) => unresolved
                .push(name.unwrap_or_else(|| clip(p.email.as_deref().unwrap_or_default()))),
            None => match name {
                Some(n) if n.contains('@') => match EmailAddress::parse(&n) {
                    Ok(email) => invitees.push(InviteeSpec {
                        email: email.as_str().to_string(),
                        name: None,
                    }),
                    Err(_) => unresolved.push(clip(&n)),
                },
                Some(n) => unresolved.push(clip(&n)),
                None => {}
            },
        }
    }
    unresolved.dedup();
    (invitees, unresolved)
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
