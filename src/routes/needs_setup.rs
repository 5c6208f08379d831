//! `GET /mcp/needs-setup`.

use serde_json::json;

use crate::api::json_response;
use crate::credentials::Credentials;
use crate::ports::{HttpRequest, HttpResponse};
use crate::routes::auth::SETUP_SUMMARY;

pub fn get(request: &HttpRequest) -> HttpResponse {
    let creds = Credentials::from_headers(request.headers());
    let missing = creds.missing();
    json_response(
        200,
        &json!({
            "needs_setup": !missing.is_empty(),
            "missing": missing,
            "connected": {"reclaim": creds.has_reclaim(), "nylas": creds.has_nylas()},
            "auth_type": "api_key",
            "service_name": "Reclaim.ai + Nylas",
            "setup_instructions": SETUP_SUMMARY,
        }),
    )
}
