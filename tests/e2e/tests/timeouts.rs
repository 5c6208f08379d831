//! Bounded time through the compiled component: upstreams that hang (accept the connection and
//! never answer, or answer the head and stall the body) give a readable timeout naming the
//! provider within the request's time budget, the guest hands the host its request options,
//! and the host keeps serving. The component's `outbound_timeout_scale` variable shortens every
//! limit so the tests take seconds (0.2: Nylas first byte 4 s, between bytes 1 s, budget 11 s).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use juli_e2e::fakes::{credential_headers, ctx};
use juli_e2e::{config_for_upstreams, guest, E2eHost, UpstreamUrls};
use serde_json::{json, Value};

/// How the hanging upstream treats each request (after reading it whole).
#[derive(Clone, Copy)]
enum Hang {
    /// Never answers.
    Silent,
    /// Answers `200` with a head promising 1000 bytes, sends 9, then nothing.
    StallBody,
}

/// A loopback upstream that hangs every request and keeps the connections open until dropped.
struct HangingUpstream {
    url: String,
    held: Arc<Mutex<Vec<TcpStream>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl HangingUpstream {
    fn start(mode: Hang) -> HangingUpstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (h, r) = (held.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (h, r) = (h.clone(), r.clone());
                std::thread::spawn(move || hang_one(stream, mode, &h, &r));
            }
        });
        HangingUpstream {
            url,
            held,
            requests,
        }
    }

    /// Request lines received (`GET /v3/…`).
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for HangingUpstream {
    fn drop(&mut self) {
        for s in self.held.lock().unwrap().drain(..) {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn hang_one(
    mut stream: TcpStream,
    mode: Hang,
    held: &Mutex<Vec<TcpStream>>,
    requests: &Mutex<Vec<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    requests.lock().unwrap().push(line.trim().to_string());
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    if let Hang::StallBody = mode {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"data\":[";
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.flush();
    }
    held.lock().unwrap().push(stream);
}

fn host_for(upstream: &HangingUpstream, scale: &str, extra: &[(&str, &str)]) -> E2eHost {
    let urls = UpstreamUrls::single_server(&upstream.url);
    let mut vars = vec![("outbound_timeout_scale", scale)];
    vars.extend_from_slice(extra);
    let config = config_for_upstreams(guest::component_wasm().unwrap(), &urls, &vars).unwrap();
    E2eHost::start(config).unwrap()
}

fn call(host: &E2eHost, tool: &str, args: Value) -> (Value, Duration) {
    let headers = credential_headers("rk_e2e_timeouts_1", "nyk_e2e_timeouts_1", "grant-e2e-1");
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = serde_json::to_vec(&args).unwrap();
    let mut all = h.clone();
    all.push(("content-type", "application/json"));
    let started = Instant::now();
    let reply = host.request("POST", &format!("/mcp/tools/{tool}"), &all, &body);
    let took = started.elapsed();
    eprintln!("{tool}: answered in {took:?}");
    (reply.json(), took)
}

/// The host still answers at once: nothing is stuck.
fn assert_host_serves(host: &E2eHost) {
    let started = Instant::now();
    assert_eq!(host.get("/health").status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    host.assert_clean();
}

fn secs(s: f64) -> Option<Duration> {
    Some(Duration::from_secs_f64(s))
}

/// `check_availability` (one Nylas events read) against a Nylas that hangs `mode`, at scale 0.2
/// (budget 11 s): the answer names Nylas, within the budget. Returns the upstream, the host
/// and how long the answer took.
fn availability_against(mode: Hang) -> (HangingUpstream, E2eHost, Duration) {
    let upstream = HangingUpstream::start(mode);
    let host = host_for(&upstream, "0.2", &[]);
    let args = ctx(json!({"range": "this week", "duration_minutes": 60}));
    let (answer, took) = call(&host, "check_availability", args);
    assert_eq!(answer["success"], false, "{answer}");
    assert_eq!(
        answer["error"], "Nylas did not answer in time. Please try again.",
        "{answer}"
    );
    assert!(took < Duration::from_secs(11), "{took:?}");
    (upstream, host, took)
}

#[test]
fn a_nylas_that_never_answers_is_given_up_at_the_first_byte_limit_and_named() {
    let (upstream, host, took) = availability_against(Hang::Silent);
    // One attempt of 4 s (first byte, 20 s × 0.2); a retry would need 0.25 s + a whole 7 s
    // attempt of the 7 s left of the 11 s budget, so none is made.
    assert_eq!(upstream.requests().len(), 1, "{:?}", upstream.requests());
    assert!(took >= Duration::from_secs(4), "{took:?}");
    let options = host.outbound_options();
    assert_eq!(options.len(), 1);
    assert!(options[0].path.starts_with("/v3/grants/"), "{options:?}");
    assert_eq!(options[0].connect, secs(1.0));
    assert_eq!(options[0].first_byte, secs(4.0));
    assert_eq!(options[0].between_bytes, secs(1.0));
    assert_host_serves(&host);
}

#[test]
fn a_body_that_stalls_after_the_head_times_out_between_bytes_and_is_retried_within_budget() {
    let (upstream, host, took) = availability_against(Hang::StallBody);
    // Each attempt stalls 1 s (between bytes); the idempotent read is retried twice (backoff
    // 0.25 s, 0.5 s), each retry fitting a whole 7 s attempt in the 11 s budget.
    assert_eq!(upstream.requests().len(), 3, "{:?}", upstream.requests());
    assert!(took >= Duration::from_millis(3750), "{took:?}");
    assert_host_serves(&host);
}

#[test]
fn openai_waits_longer_for_its_first_byte_and_is_named_when_it_hangs() {
    let upstream = HangingUpstream::start(Hang::Silent);
    let host = host_for(&upstream, "0.1", &[("rules_interpreter", "off")]);
    let args = ctx(json!({"query": "create a task to review the Q4 budget by Friday"}));
    let (answer, took) = call(&host, "manage_productivity", args);
    assert_eq!(answer["success"], false, "{answer}");
    assert_eq!(
        answer["error"], "OpenAI did not answer in time. Please try again.",
        "{answer}"
    );
    let options = host.outbound_options();
    assert_eq!(options.len(), 1, "{options:?}");
    assert_eq!(options[0].path, "/v1/responses");
    // 35 s × 0.1, against the calendar APIs' 20 s × 0.1.
    assert_eq!(options[0].first_byte, secs(3.5));
    assert!(took >= Duration::from_millis(3500), "{took:?}");
    assert!(took < Duration::from_millis(5500), "{took:?}");
    assert_host_serves(&host);
}
