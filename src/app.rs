//! The request entry point: `handle(request, context) -> response`.
//!
//! Reads settings, wraps outbound HTTP to count upstream calls, routes, and writes one log line.

use crate::config::Settings;
use crate::ports::{Context, HttpRequest, HttpResponse};
use crate::request_env::RequestEnv;
use crate::routes;
use crate::telemetry::{CountingOutbound, RequestLogLine};

/// Handles one HTTP request.
pub async fn handle(request: HttpRequest, ctx: Context<'_>) -> HttpResponse {
    let started = std::time::Instant::now();
    let settings = Settings::from_source(ctx.config);
    let counting = CountingOutbound::new(ctx.outbound, &settings, ctx.clock.now());
    let request_id = request_id(&request, &ctx);
    let method = request.method().as_str().to_string();
    let inner_ctx = Context {
        outbound: &counting,
        ..ctx
    };
    let env = RequestEnv {
        ctx: inner_ctx,
        settings: &settings,
        request_id: &request_id,
    };

    let outcome = routes::dispatch(request, &env).await;

    let mut response = outcome.response;
    if let Ok(v) = request_id.parse() {
        response.headers_mut().insert("x-request-id", v);
    }
    ctx.log.line(
        &RequestLogLine {
            request_id: &request_id,
            method: &method,
            route: outcome.route,
            tool: outcome.tool,
            status: response.status().as_u16(),
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            upstream: counting.counts(),
            interpretation: counting.notes().last(),
            model_time_readings: counting.notes().model_time_readings(),
        }
        .render(),
    );
    response
}

/// `X-Platform-Request-ID` when it is a sane token, else a fresh random id.
fn request_id(request: &HttpRequest, ctx: &Context<'_>) -> String {
    let given = request
        .headers()
        .get("x-platform-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 128)
        .filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        });
    match given {
        Some(id) => id.to_string(),
        None => {
            let mut bytes = [0u8; 12];
            ctx.random.fill(&mut bytes);
            format!(
                "req-{}",
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
            )
        }
    }
}
