//! Outbound HTTP through wasi-http with request options: `spin_sdk::http::send` passes none,
//! so each phase could wait 600 s. This mirrors what `send` does (build the
//! `outgoing-request`, call `outgoing-handler.handle`, write the body, await the response)
//! and hands the runtime the request's [`Timeouts`] (connect, first byte, between bytes).
//! The whole body's allowance is enforced here, between chunks.

use std::task::Poll;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use spin_executor::CancelOnDropToken;
use spin_sdk::http::{ErrorCode, Fields, IncomingResponse, OutgoingRequest, Scheme};
use spin_sdk::wit::wasi::http0_2_0::outgoing_handler;
use spin_sdk::wit::wasi::http0_2_0::types::{self, FutureIncomingResponse, RequestOptions};

use crate::ports::{HttpRequest, HttpResponse, LocalBoxFuture, Outbound, Timeouts, TransportError};

/// Largest response body read (a Nylas page of 200 events with long descriptions stays far
/// below it); a larger one fails the call instead of exhausting the instance's memory.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

pub struct SpinOutbound;

impl Outbound for SpinOutbound {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(send(request))
    }
}

async fn send(request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let timeouts = Timeouts::of(&request);
    let (parts, body) = request.into_parts();
    let outgoing = outgoing_request(&parts)?;
    let mut body_sink = outgoing.take_body();
    let pending = outgoing_handler::handle(outgoing, Some(request_options(&timeouts)))
        .map_err(map_error_code)?;
    body_sink
        .send(body)
        .await
        .map_err(|e| TransportError::Other(format!("the request body was not sent: {e:?}")))?;
    drop(body_sink);
    let response = incoming_response(pending).await?;
    read_response(response, timeouts.body).await
}

fn outgoing_request(parts: &http::request::Parts) -> Result<OutgoingRequest, TransportError> {
    let invalid = |what: &str| TransportError::Other(format!("invalid outbound request: {what}"));
    let headers: Vec<(String, Vec<u8>)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
        .collect();
    let request =
        OutgoingRequest::new(Fields::from_list(&headers).map_err(|_| invalid("headers"))?);
    let uri = &parts.uri;
    let scheme = match uri.scheme_str() {
        Some("https") => Scheme::Https,
        Some("http") => Scheme::Http,
        _ => return Err(invalid("scheme")),
    };
    request
        .set_method(&parts.method.clone().into())
        .map_err(|()| invalid("method"))?;
    request
        .set_scheme(Some(&scheme))
        .map_err(|()| invalid("scheme"))?;
    request
        .set_authority(uri.authority().map(|a| a.as_str()))
        .map_err(|()| invalid("authority"))?;
    request
        .set_path_with_query(uri.path_and_query().map(|p| p.as_str()))
        .map_err(|()| invalid("path"))?;
    Ok(request)
}

/// The wasi-http options (nanoseconds). A runtime that does not support one refuses it; the
/// body allowance below still bounds the call then.
fn request_options(t: &Timeouts) -> RequestOptions {
    let nanos = |d: Duration| Some(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    let options = RequestOptions::new();
    let _ = options.set_connect_timeout(nanos(t.connect));
    let _ = options.set_first_byte_timeout(nanos(t.first_byte));
    let _ = options.set_between_bytes_timeout(nanos(t.between_bytes));
    options
}

/// Waits for the response head without blocking other futures of the request.
async fn incoming_response(
    pending: FutureIncomingResponse,
) -> Result<IncomingResponse, TransportError> {
    struct Waiting {
        registration: Option<CancelOnDropToken>,
        pending: FutureIncomingResponse,
    }
    // The registration holds a pollable, a child of `pending`: it must go first.
    impl Drop for Waiting {
        fn drop(&mut self) {
            drop(self.registration.take());
        }
    }
    let mut waiting = Waiting {
        registration: None,
        pending,
    };
    let result = std::future::poll_fn(move |cx| match waiting.pending.get() {
        Some(result) => Poll::Ready(result),
        None => {
            let pollable = waiting.pending.subscribe();
            waiting.registration = Some(CancelOnDropToken::from(
                spin_executor::push_waker_and_get_token(pollable, cx.waker().clone()),
            ));
            Poll::Pending
        }
    })
    .await;
    match result {
        Ok(Ok(response)) => Ok(response),
        Ok(Err(code)) => Err(map_error_code(code)),
        Err(()) => Err(TransportError::Other(
            "the response was already taken".into(),
        )),
    }
}

/// Status, headers and body (at most [`MAX_RESPONSE_BYTES`], within `allowance` of the head).
async fn read_response(
    response: IncomingResponse,
    allowance: Duration,
) -> Result<HttpResponse, TransportError> {
    let mut builder = http::Response::builder().status(response.status());
    for (name, value) in response.headers().entries() {
        let name = http::HeaderName::from_bytes(name.as_bytes());
        let value = http::HeaderValue::from_bytes(&value);
        if let (Ok(name), Ok(value)) = (name, value) {
            builder = builder.header(name, value);
        }
    }
    let deadline = Instant::now() + allowance;
    let mut stream = std::pin::pin!(response.take_body_stream());
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| body_error(&e))?;
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(TransportError::Other(format!(
                "the response is larger than {} MiB",
                MAX_RESPONSE_BYTES >> 20
            )));
        }
        body.extend_from_slice(&chunk);
        if Instant::now() > deadline {
            return Err(TransportError::Timeout);
        }
    }
    builder
        .body(body)
        .map_err(|_| TransportError::Other("the response status is invalid".into()))
}

/// A failed body read. wasmtime-wasi-http 48 stores body errors as its own error type, which
/// `http-error-code` does not recognise, so a timeout is also told by its text.
fn body_error(e: &types::IoError) -> TransportError {
    if let Some(code) = types::http_error_code(e) {
        return map_error_code(code);
    }
    let text = e.to_debug_string();
    if text.to_ascii_lowercase().contains("timeout") {
        TransportError::Timeout
    } else {
        TransportError::Other(format!("the response body broke off: {text}"))
    }
}

fn map_error_code(code: ErrorCode) -> TransportError {
    match code {
        ErrorCode::HttpRequestDenied => {
            TransportError::Denied("destination not in allowed_outbound_hosts".into())
        }
        ErrorCode::DnsTimeout
        | ErrorCode::ConnectionTimeout
        | ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout
        | ErrorCode::HttpResponseTimeout => TransportError::Timeout,
        ErrorCode::DnsError(_)
        | ErrorCode::DestinationNotFound
        | ErrorCode::DestinationUnavailable
        | ErrorCode::DestinationIpUnroutable
        | ErrorCode::DestinationIpProhibited
        | ErrorCode::ConnectionRefused => TransportError::Connect(format!("{code:?}")),
        other => TransportError::Other(format!("{other:?}")),
    }
}
