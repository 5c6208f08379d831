//! `GET /health`.

use serde_json::json;

use crate::api::json_response;
use crate::ports::HttpResponse;
use crate::request_env::RequestEnv;

pub fn get(env: &RequestEnv<'_>) -> HttpResponse {
    json_response(
        200,
        &json!({
            "status": "healthy",
            "version": env!("CARGO_PKG_VERSION"),
            "model_configured": env.settings.openai_api_key.is_some(),
            "model": env.settings.openai_model,
            "approval_secret_configured": env.settings.approval_secret.is_some(),
        }),
    )
}
