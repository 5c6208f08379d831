//! `GET /auth/setup-instructions` and `POST /auth/validate-credentials`.

use serde_json::json;

use crate::api::{json_response, ApiError};
use crate::app::RequestEnv;
use crate::ports::{HttpRequest, HttpResponse};

pub const SETUP_SUMMARY: &str = "Connect Reclaim.ai with an API key (Reclaim → Settings → Developer → API keys) and your calendar through Nylas with a Nylas API key and the grant id of your connected account. See GET /auth/setup-instructions for the steps.";

pub fn setup_instructions() -> HttpResponse {
    json_response(
        200,
        &json!({
            "service_name": "Reclaim.ai + Nylas",
            "auth_type": "api_key",
            "credentials": [
                {"key": "RECLAIM_API_KEY", "header": "X-User-Credential-RECLAIM_API_KEY", "provider": "reclaim", "used_for": "tasks"},
                {"key": "NYLAS_API_KEY", "header": "X-User-Credential-NYLAS_API_KEY", "provider": "nylas", "used_for": "calendar events"},
                {"key": "NYLAS_GRANT_ID", "header": "X-User-Credential-NYLAS_GRANT_ID", "provider": "nylas", "used_for": "which connected calendar account to use"}
            ],
            "steps": {
                "reclaim": [
                    "Sign in at https://app.reclaim.ai.",
                    "Open Settings → Developer (https://app.reclaim.ai/settings/developer).",
                    "Create an API key and copy it: this is RECLAIM_API_KEY."
                ],
                "nylas": [
                    "Sign in to the Nylas dashboard at https://dashboard-v3.nylas.com and create (or open) an application.",
                    "Open API Keys and create a key: this is NYLAS_API_KEY.",
                    "Connect your calendar account (Google, Microsoft or iCloud) under Grants, or through Nylas hosted authentication.",
                    "Copy the grant id of the connected account: this is NYLAS_GRANT_ID. Use the same calendar account that Reclaim is connected to so tasks and events land on one calendar."
                ],
                "verify": ["POST /auth/validate-credentials with the three values (as headers or JSON body) checks them live."]
            },
            "summary": SETUP_SUMMARY,
        }),
    )
}

pub async fn validate_credentials(_request: &HttpRequest, _env: &RequestEnv<'_>) -> HttpResponse {
    ApiError::new(501, "not implemented yet").into_response()
}
