//! The A2A discovery documents: the agent card (`/.well-known/a2a.json`) and the credentials
//! manifest (`/.well-known/a2a-credentials.json`).

use serde_json::{json, Value};

use crate::config::Settings;
use crate::credentials::{NYLAS_API_KEY, NYLAS_GRANT_ID, RECLAIM_API_KEY};
use crate::tools::{ToolName, ALL_TOOLS};

pub const AGENT_ID: &str = "juli-calendar";
pub const RPC_ENDPOINT: &str = "/a2a/rpc";
pub const CREDENTIALS_MANIFEST: &str = "/.well-known/a2a-credentials.json";
pub const APPROVAL_MODE: &str = "stateless_preview_then_approve";

const DESCRIPTION: &str = "Calendar and task agent: manages Reclaim.ai tasks and Nylas calendar events \
(Google, Microsoft, iCloud) in plain language — create, update, complete and cancel items, search and \
analyze workload, check availability and find free slots, and optimize the schedule. Operations that \
touch other people or many items are previewed first and run only after approval.";

/// One capability entry (a tool with its JSON schema).
pub fn capability(tool: ToolName) -> Value {
    json!({
        "name": tool.as_str(),
        "title": tool.title(),
        "description": tool.description(),
        "input_schema": tool.input_schema(),
        "annotations": tool.annotations(),
    })
}

pub fn capabilities() -> Vec<Value> {
    ALL_TOOLS.iter().map(|t| capability(*t)).collect()
}

/// The agent card. The shared-secret scheme is listed only when `a2a_dev_secret` is set.
pub fn agent_card(settings: &Settings) -> Value {
    let mut schemes = vec![json!({
        "type": "oidc",
        "scheme": "bearer",
        "header": "Authorization",
        "issuers": settings.a2a_issuers,
        "audience": settings.a2a_audiences.first(),
        "audiences": settings.a2a_audiences,
        "algorithms": ["RS256", "ES256"],
    })];
    if settings.a2a_dev_secret.is_some() {
        schemes.push(json!({"type": "shared_secret", "header": "X-A2A-Dev-Secret"}));
    }
    json!({
        "id": AGENT_ID,
        "agent_id": AGENT_ID,
        "name": "Juli Calendar",
        "version": env!("CARGO_PKG_VERSION"),
        "description": DESCRIPTION,
        "auth": {"schemes": schemes},
        "approvals": {"modes": [APPROVAL_MODE]},
        "context_requirements": {
            "credentials": [RECLAIM_API_KEY, NYLAS_API_KEY, NYLAS_GRANT_ID],
            "injected_context": ["timezone", "current_date", "current_time"],
        },
        "capabilities": capabilities(),
        "rpc": {
            "endpoint": RPC_ENDPOINT,
            "protocol": "jsonrpc-2.0",
            "methods": ["agent.card", "agent.handshake", "tool.list", "tool.execute", "tool.approve"],
        },
        "extensions": {"x-juli": {"credentials_manifest": CREDENTIALS_MANIFEST}},
    })
}

/// How to obtain each credential. Values are never part of this document.
pub fn credentials_manifest(settings: &Settings) -> Value {
    let nylas = &settings.nylas_base_url;
    json!({
        "version": "1.0",
        "agent_id": AGENT_ID,
        "credentials": [
            {
                "key": RECLAIM_API_KEY,
                "display_name": "Reclaim.ai API key",
                "description": "Personal API key for the user's Reclaim.ai account (tasks).",
                "sensitive": true,
                "required": true,
                "used_for": ["tasks"],
                "header": "X-User-Credential-RECLAIM_API_KEY",
                "flows": [{
                    "type": "manual",
                    "instructions": "Open https://app.reclaim.ai/settings/developer, generate a new API key, and paste it.",
                    "deep_link": "https://app.reclaim.ai/settings/developer",
                    "validation_endpoint": "/auth/validate-credentials",
                }],
            },
            {
                "key": NYLAS_GRANT_ID,
                "display_name": "Calendar account (Nylas grant)",
                "description": "The Nylas grant id of the user's connected calendar (Google, Microsoft or iCloud).",
                "sensitive": true,
                "required": true,
                "used_for": ["calendar"],
                "header": "X-User-Credential-NYLAS_GRANT_ID",
                "flows": [
                    {
                        "type": "hosted_auth",
                        "provider": "nylas",
                        "description": "Nylas Hosted Authentication (OAuth 2.0): send the user to the authorize URL with your Nylas application's client_id, a redirect_uri registered for it, response_type=code and optionally provider (google, microsoft, icloud) and login_hint; after consent Nylas redirects back with a code; exchange it at the token URL (grant_type=authorization_code, client_id, client_secret = the Nylas API key, redirect_uri, code). The response's grant_id is this credential.",
                        "authorize_url": format!("{nylas}/v3/connect/auth"),
                        "token_url": format!("{nylas}/v3/connect/token"),
                        "providers": ["google", "microsoft", "icloud"],
                        "provider_scopes": {
                            "google": ["https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.events"],
                            "microsoft": ["Calendars.ReadWrite", "Calendars.ReadWrite.Shared", "offline_access"],
                            "icloud": ["calendar"],
                        },
                        "returns": "grant_id",
                    },
                    {
                        "type": "manual",
                        "instructions": "In the Nylas dashboard (https://dashboard-v3.nylas.com), open Grants, connect or pick the calendar account, and copy its grant id.",
                        "validation_endpoint": "/auth/validate-credentials",
                    }
                ],
            },
            {
                "key": NYLAS_API_KEY,
                "display_name": "Nylas API key",
                "description": "API key of the Nylas v3 application the grant belongs to.",
                "sensitive": true,
                "required": true,
                "used_for": ["calendar"],
                "header": "X-User-Credential-NYLAS_API_KEY",
                "flows": [{
                    "type": "manual",
                    "instructions": "In the Nylas dashboard (https://dashboard-v3.nylas.com), open API Keys and create or copy a key for the application.",
                    "validation_endpoint": "/auth/validate-credentials",
                }],
            },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn card_has_the_documented_fields() {
        let settings = Settings::from_source(&HashMap::new());
        let card = agent_card(&settings);
        assert_eq!(card["id"], "juli-calendar");
        assert_eq!(card["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(card["approvals"]["modes"][0], APPROVAL_MODE);
        assert_eq!(card["rpc"]["endpoint"], "/a2a/rpc");
        assert_eq!(
            card["extensions"]["x-juli"]["credentials_manifest"],
            CREDENTIALS_MANIFEST
        );
        assert_eq!(card["capabilities"].as_array().unwrap().len(), 4);
        assert_eq!(card["capabilities"][0]["input_schema"]["type"], "object");
        let schemes = card["auth"]["schemes"].as_array().unwrap();
        assert_eq!(schemes.len(), 1, "dev secret scheme hidden when off");
        assert_eq!(schemes[0]["issuers"][0], "https://auth.juli-ai.com");
    }

    #[test]
    fn manifest_lists_the_three_credentials_and_the_hosted_auth_flow() {
        let settings = Settings::from_source(&HashMap::new());
        let m = credentials_manifest(&settings);
        let keys: Vec<&str> = m["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, [RECLAIM_API_KEY, NYLAS_GRANT_ID, NYLAS_API_KEY]);
        assert_eq!(m["credentials"][1]["flows"][0]["type"], "hosted_auth");
        assert_eq!(
            m["credentials"][1]["flows"][0]["authorize_url"],
            "https://api.us.nylas.com/v3/connect/auth"
        );
    }
}
