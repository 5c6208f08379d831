//! Outbound HTTP from the guest, restricted to an allow-list of origins like Spin's
//! `allowed_outbound_hosts`. A request elsewhere fails with `ErrorCode::HttpRequestDenied`
//! without touching the network, and the host records it.
//!
//! The guest's `request-options` are honoured the way wasmtime-wasi-http's default sender
//! (and Spin, which passes them through) does: `connect-timeout` around the TCP connect and the
//! HTTP handshake (`connection-timeout`), `first-byte-timeout` until the response head
//! (`connection-read-timeout`), `between-bytes-timeout` between body frames
//! (`connection-read-timeout` on the body stream); an option left unset waits 600 s, the
//! wasmtime default. Every allowed request's options are recorded ([`SentOptions`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

/// One allowed origin: `scheme://host:port` (the port defaults by scheme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// Parses `http://127.0.0.1:8080`, `https://api.openai.com` (a trailing `/` is tolerated).
    pub fn parse(text: &str) -> Result<Origin> {
        let uri: http::Uri = text
            .trim()
            .trim_end_matches('/')
            .parse()
            .with_context(|| format!("not an origin: {text:?}"))?;
        let Some(scheme) = uri.scheme_str() else {
            bail!("origin {text:?} has no scheme (write http://host:port)");
        };
        let Some(host) = uri.host() else {
            bail!("origin {text:?} has no host");
        };
        if uri.path() != "/" && !uri.path().is_empty() {
            bail!("origin {text:?} must not have a path");
        }
        let port = uri
            .port_u16()
            .or_else(|| default_port(scheme))
            .with_context(|| format!("origin {text:?}: unknown scheme and no port"))?;
        Ok(Origin {
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    fn of_uri(uri: &http::Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let port = uri.port_u16().or_else(|| default_port(&scheme))?;
        Some(Origin {
            host: uri.host()?.to_ascii_lowercase(),
            scheme,
            port,
        })
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme.to_ascii_lowercase().as_str() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// The origins a guest may call.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    origins: Vec<Origin>,
}

impl AllowList {
    pub fn parse<S: AsRef<str>>(origins: &[S]) -> Result<AllowList> {
        Ok(AllowList {
            origins: origins
                .iter()
                .map(|o| Origin::parse(o.as_ref()))
                .collect::<Result<_>>()?,
        })
    }

    pub fn allows(&self, uri: &http::Uri) -> bool {
        Origin::of_uri(uri).is_some_and(|o| self.origins.contains(&o))
    }
}

/// An outbound request the allow-list refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeniedRequest {
    pub method: String,
    /// `scheme://host:port` of the refused destination.
    pub origin: String,
    /// The path only (a query could carry anything).
    pub path: String,
}

/// The request options the guest gave one allowed outbound request (`None`: not set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentOptions {
    pub method: String,
    /// `scheme://host:port`.
    pub origin: String,
    /// The path only.
    pub path: String,
    pub connect: Option<Duration>,
    pub first_byte: Option<Duration>,
    pub between_bytes: Option<Duration>,
}

/// What wasmtime-wasi-http waits for a phase whose option the guest left unset.
const UNSET_TIMEOUT: Duration = Duration::from_secs(600);

/// The `WasiHttpHooks` of one request: checks the allow-list and sends allowed requests.
pub struct OutboundPolicy {
    pub allow: Arc<AllowList>,
    pub denied: Arc<Mutex<Vec<DeniedRequest>>>,
    /// The options of every allowed request, in order.
    pub sent: Arc<Mutex<Vec<SentOptions>>>,
    /// Print refused destinations to stderr (what Spin does; the `juli-host` binary turns it on).
    pub log_denied: bool,
}

type SendFuture = Box<
    dyn Future<
            Output = Result<
                (
                    http::Response<WasiBody>,
                    Box<dyn Future<Output = Result<(), HttpError>> + Send>,
                ),
                HttpError,
            >,
        > + Send,
>;

impl WasiHttpHooks for OutboundPolicy {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> SendFuture {
        if !self.allow.allows(request.uri()) {
            let denied = DeniedRequest {
                method: request.method().to_string(),
                origin: Origin::of_uri(request.uri())
                    .map(|o| o.to_string())
                    .unwrap_or_else(|| "(no origin)".into()),
                path: request.uri().path().to_string(),
            };
            if self.log_denied {
                eprintln!(
                    "juli-host: denied outbound {} {}{} (not in the allow-list)",
                    denied.method, denied.origin, denied.path
                );
            }
            self.denied
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(denied);
            return Box::new(async { Err(HttpError::HttpRequestDenied) });
        }
        let options = options.unwrap_or_default();
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(SentOptions {
                method: request.method().to_string(),
                origin: Origin::of_uri(request.uri())
                    .map(|o| o.to_string())
                    .unwrap_or_default(),
                path: request.uri().path().to_string(),
                connect: options.connect_timeout,
                first_byte: options.first_byte_timeout,
                between_bytes: options.between_bytes_timeout,
            });
        Box::new(send_plain_http(request, options))
    }
}

/// Sends one request over a fresh HTTP/1.1 connection, within the request options. Plain HTTP
/// only: the e2e host talks to loopback fakes; an allowed `https` origin answers a TLS protocol
/// error.
async fn send_plain_http(
    mut request: http::Request<WasiBody>,
    options: RequestOptions,
) -> Result<
    (
        http::Response<WasiBody>,
        Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ),
    HttpError,
> {
    let connect_timeout = options.connect_timeout.unwrap_or(UNSET_TIMEOUT);
    let first_byte_timeout = options.first_byte_timeout.unwrap_or(UNSET_TIMEOUT);
    let between_bytes_timeout = options.between_bytes_timeout.unwrap_or(UNSET_TIMEOUT);
    let uri = request.uri().clone();
    if uri.scheme_str() != Some("http") {
        return Err(HttpError::TlsProtocolError);
    }
    let host = uri.host().ok_or(HttpError::HttpRequestUriInvalid)?;
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::time::timeout(
        connect_timeout,
        tokio::net::TcpStream::connect((host, port)),
    )
    .await
    .map_err(|_| HttpError::ConnectionTimeout)?
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::ConnectionRefused => HttpError::ConnectionRefused,
        _ => HttpError::Connect(e),
    })?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) = tokio::time::timeout(
        connect_timeout,
        hyper::client::conn::http1::handshake(TokioIo::new(stream)),
    )
    .await
    .map_err(|_| HttpError::ConnectionTimeout)?
    .map_err(HttpError::Hyper)?;
    tokio::spawn(connection);
    // The request line carries only the path; `host` is already set by wasmtime-wasi-http.
    *request.uri_mut() = http::Uri::builder()
        .path_and_query(uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"))
        .build()
        .map_err(|_| HttpError::HttpRequestUriInvalid)?;
    let response = tokio::time::timeout(first_byte_timeout, sender.send_request(request))
        .await
        .map_err(|_| HttpError::ConnectionReadTimeout)?
        .map_err(HttpError::Hyper)?;
    let response =
        response.map(|body| BetweenBytes::new(body, between_bytes_timeout).boxed_unsync());
    Ok((response, Box::new(async { Ok(()) })))
}

/// A response body that fails with `connection-read-timeout` when no frame arrives for
/// `limit` (the timer restarts at every frame), like wasmtime-wasi-http's.
struct BetweenBytes {
    inner: hyper::body::Incoming,
    limit: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl BetweenBytes {
    fn new(inner: hyper::body::Incoming, limit: Duration) -> BetweenBytes {
        BetweenBytes {
            inner,
            limit,
            timer: Box::pin(tokio::time::sleep(limit)),
        }
    }
}

impl hyper::body::Body for BetweenBytes {
    type Data = bytes::Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<bytes::Bytes>, HttpError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                let next = tokio::time::Instant::now() + this.limit;
                this.timer.as_mut().reset(next);
                Poll::Ready(frame.map(|f| f.map_err(HttpError::Hyper)))
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(HttpError::ConnectionReadTimeout))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let allow =
            AllowList::parse(&["http://127.0.0.1:4001", "https://api.openai.com/"]).unwrap();
        let ok = |u: &str| allow.allows(&u.parse().unwrap());
        assert!(ok("http://127.0.0.1:4001/api/tasks?x=1"));
        assert!(ok("https://api.openai.com/v1/responses"));
        assert!(ok("https://API.openai.com:443/v1"));
        assert!(!ok("http://127.0.0.1:4002/api/tasks"));
        assert!(!ok("https://127.0.0.1:4001/"));
        assert!(!ok("http://api.openai.com/v1"));
        assert!(!ok("https://api.app.reclaim.ai/api/tasks"));
    }

    #[test]
    fn origins_with_paths_are_rejected() {
        assert!(Origin::parse("http://127.0.0.1:1/x").is_err());
        assert!(Origin::parse("127.0.0.1:1").is_err());
        assert_eq!(
            Origin::parse("http://LocalHost").unwrap().to_string(),
            "http://localhost:80"
        );
    }
}
