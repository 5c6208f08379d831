//! A minimal stub upstream (std::net, one thread per connection) and the integration point for
//! real fakes: `config_for_upstreams` points the component's base-URL variables at any servers
//! and allows exactly their origins. The `juli-testkit` fakes (Reclaim/Nylas/OpenAI behind one
//! loopback server) drop in by passing their base URLs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Result;

use crate::outbound::Origin;
use crate::server::HostConfig;

/// Base URLs of the three upstreams, as the component's variables expect them
/// (`openai` includes `/v1`, like `https://api.openai.com/v1`).
#[derive(Debug, Clone)]
pub struct UpstreamUrls {
    pub openai: String,
    pub reclaim: String,
    pub nylas: String,
}

impl UpstreamUrls {
    /// All three upstreams on one server (how the testkit serves its fakes).
    pub fn single_server(base_url: &str) -> UpstreamUrls {
        let base = base_url.trim_end_matches('/');
        UpstreamUrls {
            openai: format!("{base}/v1"),
            reclaim: base.to_string(),
            nylas: base.to_string(),
        }
    }
}

/// Test secrets the component gets when it talks to fakes.
pub const TEST_OPENAI_KEY: &str = "sk-e2e-test-key";
pub const TEST_APPROVAL_SECRET: &str = "e2e-approval-secret-0123456789";

/// A host configuration whose upstream variables point at `urls` and whose allow-list holds
/// exactly their origins. `extra` variables are added (and may override).
pub fn config_for_upstreams(
    wasm_path: PathBuf,
    urls: &UpstreamUrls,
    extra: &[(&str, &str)],
) -> Result<HostConfig> {
    let mut variables: HashMap<String, String> = [
        ("openai_api_key", TEST_OPENAI_KEY),
        ("approval_secret", TEST_APPROVAL_SECRET),
        ("openai_base_url", urls.openai.as_str()),
        ("reclaim_base_url", urls.reclaim.as_str()),
        ("nylas_base_url", urls.nylas.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        variables.insert(k.to_string(), v.to_string());
    }
    let mut allowed: Vec<String> = Vec::new();
    for url in [&urls.openai, &urls.reclaim, &urls.nylas] {
        let origin = origin_of(url)?;
        if !allowed.contains(&origin) {
            allowed.push(origin);
        }
    }
    Ok(HostConfig {
        wasm_path,
        variables,
        allowed_outbound: allowed,
        ..HostConfig::default()
    })
}

/// `scheme://host:port` of a URL.
pub fn origin_of(url: &str) -> Result<String> {
    let uri: http::Uri = url.parse()?;
    let origin = format!(
        "{}://{}",
        uri.scheme_str().unwrap_or("http"),
        uri.authority().map(|a| a.as_str()).unwrap_or("")
    );
    Ok(Origin::parse(&origin)?.to_string())
}

/// One request the stub received.
#[derive(Debug, Clone)]
pub struct StubRequest {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl StubRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&StubRequest) -> (u16, String) + Send + Sync;

/// A loopback HTTP/1.1 server answering every request through one closure.
pub struct StubUpstream {
    url: String,
    requests: Arc<Mutex<Vec<StubRequest>>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl StubUpstream {
    /// Starts a stub whose closure maps a request to `(status, JSON body)`.
    pub fn start(
        handler: impl Fn(&StubRequest) -> (u16, String) + Send + Sync + 'static,
    ) -> Result<StubUpstream> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let requests: Arc<Mutex<Vec<StubRequest>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let requests = requests.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let requests = requests.clone();
                    let handler = handler.clone();
                    std::thread::spawn(move || {
                        let _ = serve(stream, &requests, &*handler);
                    });
                }
            });
        }
        Ok(StubUpstream {
            url: format!("http://{addr}"),
            requests,
            stop,
            addr,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn requests(&self) -> Vec<StubRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for StubUpstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(
    stream: TcpStream,
    requests: &Mutex<Vec<StubRequest>>,
    handler: &Handler,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return Ok(());
        };
        let (method, target) = (method.to_string(), target.to_string());
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let request = StubRequest {
            method,
            target,
            headers,
            body,
        };
        let (status, reply) = handler(&request);
        requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request);
        write!(
            writer,
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
            reply.len()
        )?;
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_config_allows_exactly_the_fake_origins() {
        let urls = UpstreamUrls::single_server("http://127.0.0.1:4100/");
        let cfg = config_for_upstreams(
            PathBuf::from("x.wasm"),
            &urls,
            &[("debug_endpoints", "true")],
        )
        .unwrap();
        assert_eq!(cfg.allowed_outbound, vec!["http://127.0.0.1:4100"]);
        assert_eq!(cfg.variables["openai_base_url"], "http://127.0.0.1:4100/v1");
        assert_eq!(cfg.variables["reclaim_base_url"], "http://127.0.0.1:4100");
        assert_eq!(cfg.variables["debug_endpoints"], "true");
    }
}
