//! A small blocking HTTP client for tests (ureq, plain HTTP, statuses are not errors).

use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::server::E2eHost;

/// A buffered HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; panics with the body when it is not JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response ({}) is not JSON ({e}): {}",
                self.status,
                self.text()
            )
        })
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(0)
        .build()
        .into()
}

/// Sends one request to `url` and buffers the reply.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply> {
    let mut builder = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let request = builder
        .body(body.to_vec())
        .context("building the request")?;
    let mut response = agent()
        .run(request)
        .with_context(|| format!("{method} {url}"))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .with_context(|| format!("reading the body of {method} {url}"))?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// Sends only the head of a request that declares a `Content-Length` of `declared` bytes, and
/// reads the answer without ever sending the body. A server that refuses an oversized body from
/// its header must answer before the body arrives; writing the body first would race the
/// server closing the connection (a broken pipe on the client, not an answer).
pub fn send_head_only(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    declared: usize,
) -> Result<Reply> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).context("connecting")?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {declared}\r\nconnection: close\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .context("sending the head")?;
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    let (status, headers, body_start) = loop {
        let n = stream.read(&mut chunk).context("reading the answer")?;
        anyhow::ensure!(n > 0, "connection closed before an answer");
        raw.extend_from_slice(&chunk[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let text = String::from_utf8_lossy(&raw[..end]).into_owned();
            let mut lines = text.split("\r\n");
            let status: u16 = lines
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|s| s.parse().ok())
                .context("no status line")?;
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            break (status, headers, end + 4);
        }
    };
    let length: Option<usize> = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    let mut body = raw[body_start..].to_vec();
    while length.is_none_or(|l| body.len() < l) {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(e).context("reading the body"),
        }
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

impl E2eHost {
    /// `GET {base_url}{path}`; panics on transport errors.
    #[track_caller]
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// `POST {base_url}{path}` with a JSON body; panics on transport errors.
    #[track_caller]
    pub fn post_json(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.request("POST", path, &all, body.as_bytes())
    }

    /// Any request; panics on transport errors.
    #[track_caller]
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let url = format!("{}{path}", self.base_url());
        send(method, &url, headers, body).unwrap_or_else(|e| panic!("{e:#}"))
    }
}
