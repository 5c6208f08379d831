//! Serving [`FakeUpstreams`] over real HTTP on loopback, for the end-to-end tests of the
//! compiled component.
//!
//! **One listener** (std::net, one thread per connection, HTTP/1.1 with `Content-Length` or
//! chunked request bodies, keep-alive honoured, `Connection: close` respected). A request is
//! routed, in this order:
//! 1. by `Host` header, when it names a fake's base authority (e.g. `Host: reclaim.test`), for
//!    a host that forwards `*.test` traffic here unchanged;
//! 2. by path prefix: `/reclaim/...`, `/nylas/...`, `/openai/...` (the prefix is replaced by
//!    the fake's base origin), so the component can be configured with
//!    [`ServerHandle::reclaim_base_url`] etc. and needs only one allowed host;
//! 3. `/_control/...`: the control API (JSON), see [`control`];
//! 4. anything else is answered as a request to an unknown host (502, logged, a violation).
//!
//! Injected latency and `Fault::Delay` sleep before answering; `Fault::TruncatedBody` sends
//! the full `Content-Length`, half the body, and closes the connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultRule;
use crate::http_util::{json_response, query_pairs, Request, Response};
use crate::nylas::EventSeed;
use crate::openai::ScriptedOutput;
use crate::reclaim::TaskSeed;
use crate::record::Provider;
use crate::upstreams::FakeUpstreams;

const MAX_HEADER_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// A running server; dropping it stops the listener.
pub struct ServerHandle {
    addr: SocketAddr,
    fakes: Arc<FakeUpstreams>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Value for the component's `reclaim_base_url`.
    pub fn reclaim_base_url(&self) -> String {
        format!(
            "{}/reclaim{}",
            self.url(),
            base_path(&self.fakes.bases().reclaim)
        )
    }
    /// Value for the component's `nylas_base_url`.
    pub fn nylas_base_url(&self) -> String {
        format!(
            "{}/nylas{}",
            self.url(),
            base_path(&self.fakes.bases().nylas)
        )
    }
    /// Value for the component's `openai_base_url` (ends in `/v1` with the default bases).
    pub fn openai_base_url(&self) -> String {
        format!(
            "{}/openai{}",
            self.url(),
            base_path(&self.fakes.bases().openai)
        )
    }
    /// `http://127.0.0.1:PORT/_control`
    pub fn control_url(&self) -> String {
        format!("{}/_control", self.url())
    }
    pub fn fakes(&self) -> &Arc<FakeUpstreams> {
        &self.fakes
    }
    /// Stops accepting connections and joins the accept thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }
    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn base_path(base: &str) -> String {
    base.parse::<http::Uri>()
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default()
}

fn origin(base: &str) -> String {
    match base.parse::<http::Uri>() {
        Ok(u) => format!(
            "{}://{}",
            u.scheme_str().unwrap_or("http"),
            u.authority().map(|a| a.as_str()).unwrap_or("")
        ),
        Err(_) => base.to_string(),
    }
}

/// Serves `fakes` on `addr` (e.g. `"127.0.0.1:0"` for a free port).
pub fn serve(fakes: Arc<FakeUpstreams>, addr: impl ToSocketAddrs) -> std::io::Result<ServerHandle> {
    let listener = TcpListener::bind(addr)?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let fakes = fakes.clone();
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("fake-upstreams-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let fakes = fakes.clone();
                    let _ = std::thread::Builder::new()
                        .name("fake-upstreams-conn".into())
                        .spawn(move || {
                            let _ = connection(stream, &fakes, addr);
                        });
                }
            })?
    };
    Ok(ServerHandle {
        addr,
        fakes,
        stop,
        thread: Some(thread),
    })
}

fn connection(stream: TcpStream, fakes: &FakeUpstreams, local: SocketAddr) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let Some((request, keep_alive)) = read_request(&mut reader, local)? else {
            return Ok(());
        };
        let (response, delay, truncate) = dispatch(fakes, request);
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        write_response(&mut writer, response, keep_alive && !truncate, truncate)?;
        if !keep_alive || truncate {
            return Ok(());
        }
    }
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    local: SocketAddr,
) -> std::io::Result<Option<(Request, bool)>> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if head.is_empty() && (line == b"\r\n" || line == b"\n") {
            continue;
        }
        head.extend_from_slice(&line);
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if head.len() > MAX_HEADER_BYTES {
            return Err(std::io::Error::other("header section too large"));
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), version) = (parts.next(), parts.next(), parts.next()) else {
        return Err(std::io::Error::other("bad request line"));
    };
    let http10 = version == Some("HTTP/1.0");
    let mut builder = http::Request::builder().method(method);
    let mut content_length = 0usize;
    let mut chunked = false;
    let mut keep_alive = !http10;
    let mut host = local.to_string();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        match name.to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => {
                let v = value.to_ascii_lowercase();
                if v.contains("close") {
                    keep_alive = false;
                } else if v.contains("keep-alive") {
                    keep_alive = true;
                }
            }
            "host" => host = value.to_string(),
            _ => {}
        }
        builder = builder.header(name, value);
    }
    let body = if chunked {
        read_chunked(reader)?
    } else {
        if content_length > MAX_BODY_BYTES {
            return Err(std::io::Error::other("body too large"));
        }
        let mut body = vec![0u8; content_length];
        reader.read_exact(&mut body)?;
        body
    };
    let uri = if target.starts_with("http://") || target.starts_with("https://") {
        target.to_string()
    } else {
        format!("http://{host}{target}")
    };
    let request = builder
        .uri(uri)
        .body(body)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(Some((request, keep_alive)))
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line)?;
        let size_hex = size_line.trim().split(';').next().unwrap_or("0");
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| std::io::Error::other("bad chunk size"))?;
        if size == 0 {
            // trailers until an empty line
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l)? == 0 || l.trim().is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        if body.len() + size > MAX_BODY_BYTES {
            return Err(std::io::Error::other("body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf)?;
    }
}

fn write_response(
    w: &mut TcpStream,
    response: Response,
    keep_alive: bool,
    truncate: bool,
) -> std::io::Result<()> {
    let (parts, body) = response.into_parts();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        parts.status.as_u16(),
        parts.status.canonical_reason().unwrap_or("")
    );
    for (name, value) in &parts.headers {
        if matches!(
            name.as_str(),
            "content-length" | "connection" | "transfer-encoding"
        ) {
            continue;
        }
        head.push_str(&format!(
            "{}: {}\r\n",
            name,
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    // A truncated answer announces twice what it sends (the fault body is already the half).
    let announced = if truncate {
        body.len() * 2 + 1
    } else {
        body.len()
    };
    head.push_str(&format!("content-length: {announced}\r\n"));
    head.push_str(if keep_alive {
        "connection: keep-alive\r\n\r\n"
    } else {
        "connection: close\r\n\r\n"
    });
    let mut out = head.into_bytes();
    out.extend_from_slice(&body);
    w.write_all(&out)?;
    w.flush()?;
    if truncate {
        let _ = w.shutdown(std::net::Shutdown::Both);
    }
    Ok(())
}

/// Routes one received request (see the module docs).
fn dispatch(fakes: &FakeUpstreams, request: Request) -> (Response, Duration, bool) {
    let path = request.uri().path().to_string();
    if path == "/_control" || path.starts_with("/_control/") {
        return (control(fakes, &request), Duration::ZERO, false);
    }
    let host = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    let bases = fakes.bases().clone();
    let by_host = [&bases.reclaim, &bases.nylas, &bases.openai]
        .into_iter()
        .find(|b| origin(b).ends_with(&format!("://{host}")));
    let target = if let Some(base) = by_host {
        Some(format!("{}{}", origin(base), path_and_query(&request)))
    } else {
        [
            ("/reclaim", &bases.reclaim),
            ("/nylas", &bases.nylas),
            ("/openai", &bases.openai),
        ]
        .into_iter()
        .find_map(|(prefix, base)| {
            let rest = path.strip_prefix(prefix)?;
            (rest.is_empty() || rest.starts_with('/')).then(|| {
                let pq = path_and_query(&request);
                format!("{}{}", origin(base), &pq[prefix.len()..])
            })
        })
    };
    let mut request = request;
    if let Some(t) = target {
        if let Ok(uri) = t.parse() {
            *request.uri_mut() = uri;
        }
    }
    let served = fakes.serve_request(&request);
    (served.response, served.delay, served.truncate)
}

fn path_and_query(r: &Request) -> String {
    r.uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}

#[derive(Deserialize)]
struct FaultBody {
    provider: String,
    #[serde(flatten)]
    rule: FaultRule,
}

/// The control API (all JSON; answers `{"error"}` with 400/404 on misuse):
///
/// | route | body / query | effect |
/// |---|---|---|
/// | `POST /_control/reset` | `{"default_user": bool}` (optional) | [`FakeUpstreams::reset`], then re-adds the default user when asked |
/// | `POST /_control/users` | `{"reclaim_key","nylas_key","grant_id","email","name"}` | [`FakeUpstreams::add_user`] |
/// | `POST /_control/reclaim/accounts` | `{"api_key","email","name"}` | add a Reclaim account |
/// | `POST /_control/reclaim/tasks` | `{"api_key","task":{...camelCase...}}` | seed a task, answers it |
/// | `GET /_control/reclaim/tasks?api_key=` | | the account's tasks (deleted too) |
/// | `POST /_control/nylas/grants` | `{"grant_id","api_key","email"}` | add a grant |
/// | `POST /_control/nylas/events` | `{"grant_id","event":{...snake_case...}}` | seed an event, answers it |
/// | `GET /_control/nylas/events?grant_id=` | | the grant's events (cancelled too) |
/// | `POST /_control/openai/script` | `{"outputs":[{"output":{..}}, {"refusal":".."}, {"incomplete":"max_output_tokens"}, {"invalid_json":".."}, {"off_schema":{..}}, {"status":500}]}` | append to the script (`output` must fit the request's schema, `off_schema` is unchecked) |
/// | `POST /_control/faults` | `{"provider","fault":{"status":{"status":503,"retry_after":2}} \| "malformed_json" \| "truncated_body" \| {"delay":{"ms":500}} \| "endless_pagination" \| {"fail_after_apply":{"status":500}}, "times","method","path_contains"}` | queue a fault |
/// | `DELETE /_control/faults` | | clear faults |
/// | `POST /_control/latency` | `{"provider","ms"}` | per-upstream latency |
/// | `POST /_control/now` | `{"now":"RFC 3339"}` | fakes' clock |
/// | `POST /_control/contract-validation` | `{"enabled": bool}` | toggle validation |
/// | `GET /_control/requests[?provider=]` | | the request log |
/// | `GET /_control/violations` | | contract violations |
/// | `GET /_control/counts` | | requests per provider |
/// | `POST /_control/clear-log` | | clear log and violations |
pub fn control(fakes: &FakeUpstreams, request: &Request) -> Response {
    match control_inner(fakes, request) {
        Ok(v) => json_response(200, &v),
        Err((status, msg)) => json_response(status, &json!({"error": msg})),
    }
}

type ControlResult = Result<Value, (u16, String)>;

fn bad(msg: impl Into<String>) -> (u16, String) {
    (400, msg.into())
}

fn control_inner(fakes: &FakeUpstreams, request: &Request) -> ControlResult {
    let path = request.uri().path().trim_end_matches('/');
    let route = path.strip_prefix("/_control").unwrap_or(path);
    let method = request.method().as_str();
    let query = query_pairs(request.uri());
    let q = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let body: Value = if request.body().iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(request.body()).map_err(|e| bad(format!("invalid JSON: {e}")))?
    };
    let s = |k: &str| -> Result<String, (u16, String)> {
        body[k]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| bad(format!("'{k}' (string) is required")))
    };
    let provider =
        |v: &str| Provider::parse(v).ok_or_else(|| bad(format!("unknown provider '{v}'")));
    match (method, route) {
        ("POST", "/reset") => {
            fakes.reset();
            if body["default_user"].as_bool().unwrap_or(false) {
                fakes.add_default_user();
            }
            Ok(json!({"ok": true}))
        }
        ("POST", "/users") => {
            fakes.add_user(
                &s("reclaim_key")?,
                &s("nylas_key")?,
                &s("grant_id")?,
                &s("email")?,
                body["name"].as_str().unwrap_or("Test User"),
            );
            Ok(json!({"ok": true}))
        }
        ("POST", "/reclaim/accounts") => Ok(fakes.reclaim.add_account(
            &s("api_key")?,
            &s("email")?,
            body["name"].as_str().unwrap_or("Test User"),
        )),
        ("POST", "/reclaim/tasks") => {
            let key = s("api_key")?;
            if !fakes.reclaim.has_account(&key) {
                return Err((404, "no Reclaim account for that api_key".into()));
            }
            if !body["task"]["title"].is_string() {
                return Err(bad("'task.title' is required"));
            }
            Ok(fakes
                .reclaim
                .seed_task(&key, TaskSeed::from_json(&body["task"])))
        }
        ("GET", "/reclaim/tasks") => {
            let key = q("api_key").ok_or_else(|| bad("api_key query parameter is required"))?;
            Ok(Value::Array(fakes.reclaim.tasks(&key)))
        }
        ("POST", "/nylas/grants") => {
            fakes
                .nylas
                .add_grant(&s("grant_id")?, &s("api_key")?, &s("email")?);
            Ok(json!({"ok": true}))
        }
        ("POST", "/nylas/events") => {
            let grant = s("grant_id")?;
            if !fakes.nylas.has_grant(&grant) {
                return Err((404, "unknown grant_id".into()));
            }
            let seed = EventSeed::from_json(&body["event"]);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                fakes.nylas.seed_event(&grant, seed)
            }))
            .map_err(|_| bad("invalid event (check 'when' and 'calendar_id')"))
        }
        ("GET", "/nylas/events") => {
            let grant = q("grant_id").ok_or_else(|| bad("grant_id query parameter is required"))?;
            Ok(Value::Array(fakes.nylas.events(&grant)))
        }
        ("POST", "/openai/script") => {
            let outputs: Vec<ScriptedOutput> = serde_json::from_value(body["outputs"].clone())
                .map_err(|e| bad(format!("'outputs': {e}")))?;
            let n = outputs.len();
            for o in outputs {
                fakes.openai.push(o);
            }
            Ok(json!({"ok": true, "queued": n, "remaining": fakes.openai.remaining()}))
        }
        ("POST", "/faults") => {
            let fb: FaultBody =
                serde_json::from_value(body).map_err(|e| bad(format!("fault: {e}")))?;
            fakes.inject(provider(&fb.provider)?, fb.rule);
            Ok(json!({"ok": true}))
        }
        ("DELETE", "/faults") => {
            fakes.clear_faults();
            Ok(json!({"ok": true}))
        }
        ("POST", "/latency") => {
            let p = provider(&s("provider")?)?;
            let ms = body["ms"]
                .as_u64()
                .ok_or_else(|| bad("'ms' (integer) is required"))?;
            fakes.set_latency(p, Duration::from_millis(ms));
            Ok(json!({"ok": true}))
        }
        ("POST", "/now") => {
            let now = chrono::DateTime::parse_from_rfc3339(&s("now")?)
                .map_err(|e| bad(format!("'now': {e}")))?;
            fakes.set_now(now.with_timezone(&chrono::Utc));
            Ok(json!({"ok": true}))
        }
        ("POST", "/contract-validation") => {
            let on = body["enabled"]
                .as_bool()
                .ok_or_else(|| bad("'enabled' (bool) is required"))?;
            fakes.set_contract_validation(on);
            Ok(json!({"ok": true}))
        }
        ("GET", "/requests") => {
            let list = match q("provider") {
                Some(p) => fakes.requests_to(provider(&p)?),
                None => fakes.requests(),
            };
            serde_json::to_value(list).map_err(|e| (500, e.to_string()))
        }
        ("GET", "/violations") => {
            serde_json::to_value(fakes.violations()).map_err(|e| (500, e.to_string()))
        }
        ("GET", "/counts") => Ok(json!({
            "reclaim": fakes.count(Provider::Reclaim),
            "nylas": fakes.count(Provider::Nylas),
            "openai": fakes.count(Provider::OpenAi),
            "unknown": fakes.count(Provider::Unknown),
        })),
        ("POST", "/clear-log") => {
            fakes.clear_log();
            Ok(json!({"ok": true}))
        }
        _ => Err((404, format!("no control route {method} {route}"))),
    }
}
