//! `E2eHost`: serves the component over HTTP on loopback the way `spin up` does.
//!
//! One fresh instance per request (from a `ProxyPre` built once), Spin's `spin-*` request
//! headers, Spin variables from a map, the `default` key-value store in memory, outbound HTTP
//! limited to an allow-list. Guest stderr/stdout lines, traps and allow-list violations are
//! recorded for the tests to check.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::WasiCtx;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpView};

use crate::component::{self, LoadTimings};
use crate::outbound::{AllowList, DeniedRequest, OutboundPolicy, SentOptions};
use crate::spin::{self, SpinState};
use crate::state::RequestState;

/// The route of the manifest's only trigger (`route = "/..."`).
const SPIN_ROUTE: &str = "/...";
/// Epoch ticks are 10 ms: a guest that computes longer than the request timeout traps.
const EPOCH_TICK: Duration = Duration::from_millis(10);
/// Most a guest may print to stderr+stdout in one request before output is dropped.
const GUEST_OUTPUT_CAP: usize = 1 << 20;

/// How to run the component.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The release wasm exactly as deployed (a core module; a component also works).
    pub wasm_path: PathBuf,
    /// Spin variables (`openai_api_key`, `reclaim_base_url`, ...). Unknown names are `undefined`.
    pub variables: HashMap<String, String>,
    /// Allowed outbound origins, `scheme://host:port`. Everything else is denied and recorded.
    pub allowed_outbound: Vec<String>,
    /// Where to listen; `127.0.0.1:0` (any free port) by default.
    pub listen: SocketAddr,
    /// Directory for compiled components; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Also print guest output and refused destinations to this process's stderr.
    pub echo_guest_output: bool,
    /// Longest a request may take before the host gives up (recorded as a trap).
    pub request_timeout: Duration,
    /// Tokio worker threads for serving.
    pub worker_threads: usize,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            wasm_path: PathBuf::new(),
            variables: HashMap::new(),
            allowed_outbound: Vec::new(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            cache_dir: Some(crate::guest::default_cache_dir()),
            echo_guest_output: false,
            request_timeout: Duration::from_secs(30),
            worker_threads: 2,
        }
    }
}

/// What starting the host cost.
#[derive(Debug, Clone)]
pub struct StartupReport {
    pub load: LoadTimings,
    /// Building the linker and the `ProxyPre` (type-checking imports).
    pub link: Duration,
    /// The component's imports, e.g. `fermyon:spin/variables@2.0.0`.
    pub imports: Vec<String>,
}

struct Shared {
    engine: Engine,
    pre: ProxyPre<RequestState>,
    allow: Arc<AllowList>,
    denied: Arc<Mutex<Vec<DeniedRequest>>>,
    sent: Arc<Mutex<Vec<SentOptions>>>,
    spin: SpinState,
    log_lines: Mutex<Vec<String>>,
    traps: Mutex<Vec<String>>,
    instantiations: Mutex<Vec<Duration>>,
    echo: bool,
    timeout: Duration,
}

/// A running test host. Dropping it shuts it down.
pub struct E2eHost {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    shutdown: tokio::sync::watch::Sender<bool>,
    epoch_stop: Arc<AtomicBool>,
    epoch_thread: Option<std::thread::JoinHandle<()>>,
    startup: StartupReport,
}

impl E2eHost {
    /// Loads (componentizes, compiles or loads from cache) the wasm and starts serving on a
    /// background tokio runtime.
    pub fn start(config: HostConfig) -> Result<E2eHost> {
        let engine = component::engine()?;
        let (component, load) =
            component::load(&engine, &config.wasm_path, config.cache_dir.as_deref())?;

        let started = Instant::now();
        let mut linker: Linker<RequestState> = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(anyhow::Error::from)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)
            .map_err(anyhow::Error::from)?;
        spin::add_to_linker(&mut linker)?;
        // Every import must be provided: a component that imports anything else (another Spin
        // interface) fails here, loudly, at start-up. (`define_unknown_imports_as_traps` is not
        // usable: it treats the adapter's `wasi:io/poll@0.2.12` as unknown and breaks the
        // resource types that `wasi:clocks` shares with it.)
        let pre = ProxyPre::new(
            linker
                .instantiate_pre(&component)
                .map_err(anyhow::Error::from)
                .context("linking the component")?,
        )
        .map_err(anyhow::Error::from)
        .context("the component does not export wasi:http/incoming-handler")?;
        let link = started.elapsed();
        let imports = component
            .component_type()
            .imports(&engine)
            .map(|(name, _)| name.to_string())
            .collect();

        let allow = Arc::new(AllowList::parse(&config.allowed_outbound)?);
        let shared = Arc::new(Shared {
            engine: engine.clone(),
            pre,
            allow,
            denied: Arc::default(),
            sent: Arc::default(),
            spin: SpinState {
                variables: Arc::new(config.variables.clone()),
                kv: Arc::default(),
            },
            log_lines: Mutex::default(),
            traps: Mutex::default(),
            instantiations: Mutex::default(),
            echo: config.echo_guest_output,
            timeout: config.request_timeout,
        });

        let epoch_stop = Arc::new(AtomicBool::new(false));
        let epoch_thread = {
            let stop = epoch_stop.clone();
            let engine = engine.clone();
            std::thread::Builder::new()
                .name("juli-e2e-epoch".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(EPOCH_TICK);
                        engine.increment_epoch();
                    }
                })?
        };

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("juli-e2e-host")
            .enable_all()
            .build()?;
        let listener = std::net::TcpListener::bind(config.listen)
            .with_context(|| format!("binding {}", config.listen))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (shutdown, mut shutdown_rx) = tokio::sync::watch::channel(false);
        let serving = shared.clone();
        runtime.spawn(async move {
            let listener = match tokio::net::TcpListener::from_std(listener) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("juli-e2e: cannot listen: {e}");
                    return;
                }
            };
            loop {
                tokio::select! {
                    _ = shutdown_rx.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, client)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        let shared = serving.clone();
                        tokio::spawn(async move {
                            let service = hyper::service::service_fn(move |req| {
                                let shared = shared.clone();
                                async move { Ok::<_, Infallible>(shared.handle(req, client, addr).await) }
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .keep_alive(true)
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                }
            }
        });

        Ok(E2eHost {
            addr,
            shared,
            runtime: Some(runtime),
            shutdown,
            epoch_stop,
            epoch_thread: Some(epoch_thread),
            startup: StartupReport {
                load,
                link,
                imports,
            },
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What start-up cost, and what the component imports.
    pub fn startup(&self) -> &StartupReport {
        &self.startup
    }

    /// Every line the guest wrote to stderr or stdout, in order, over all requests so far.
    pub fn log_lines(&self) -> Vec<String> {
        lock(&self.shared.log_lines).clone()
    }

    /// The log lines parsed as JSON; a line that is not a JSON object panics (the component
    /// must write exactly one JSON object per line).
    pub fn log_json(&self) -> Vec<serde_json::Value> {
        self.log_lines()
            .iter()
            .map(|l| match serde_json::from_str::<serde_json::Value>(l) {
                Ok(v) if v.is_object() => v,
                _ => panic!("guest log line is not a JSON object: {l}"),
            })
            .collect()
    }

    /// Traps, panics and other abnormal guest endings (each with Wasmtime's message).
    pub fn traps(&self) -> Vec<String> {
        lock(&self.shared.traps).clone()
    }

    /// Outbound requests refused by the allow-list.
    pub fn denied_requests(&self) -> Vec<DeniedRequest> {
        lock(&self.shared.denied).clone()
    }

    /// The request options of every allowed outbound request, in order.
    pub fn outbound_options(&self) -> Vec<SentOptions> {
        lock(&self.shared.sent).clone()
    }

    /// Per-request instantiation times (from the `ProxyPre`).
    pub fn instantiation_times(&self) -> Vec<Duration> {
        lock(&self.shared.instantiations).clone()
    }

    /// A value of the `default` key-value store.
    pub fn kv_get(&self, key: &str) -> Option<Vec<u8>> {
        lock(&self.shared.spin.kv).get(key).cloned()
    }

    /// Every key of the `default` key-value store, sorted.
    pub fn kv_keys(&self) -> Vec<String> {
        lock(&self.shared.spin.kv).keys().cloned().collect()
    }

    /// Puts a value into the `default` key-value store (seeding state for a test).
    pub fn kv_set(&self, key: &str, value: &[u8]) {
        lock(&self.shared.spin.kv).insert(key.to_string(), value.to_vec());
    }

    /// Forgets recorded log lines, traps, refused requests and timings (not the store).
    pub fn clear_records(&self) {
        lock(&self.shared.log_lines).clear();
        lock(&self.shared.traps).clear();
        lock(&self.shared.denied).clear();
        lock(&self.shared.sent).clear();
        lock(&self.shared.instantiations).clear();
    }

    /// Panics when the guest trapped or broke the allow-list.
    #[track_caller]
    pub fn assert_clean(&self) {
        let traps = self.traps();
        assert!(traps.is_empty(), "the component trapped: {traps:#?}");
        let denied = self.denied_requests();
        assert!(
            denied.is_empty(),
            "the component called origins outside the allow-list: {denied:#?}"
        );
    }

    /// Stops serving and waits (briefly) for in-flight requests.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
        self.epoch_stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.epoch_thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for E2eHost {
    fn drop(&mut self) {
        self.stop();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

type HostResponse = hyper::Response<Full<Bytes>>;

fn error_response(status: u16, message: &str) -> HostResponse {
    let body = serde_json::json!({ "error": message }).to_string();
    hyper::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .expect("static response")
}

/// Adds Spin's request headers for the catch-all route `/...`, replacing any the client sent.
fn add_spin_headers(
    req: &mut hyper::Request<Incoming>,
    client: SocketAddr,
    local: SocketAddr,
) -> Result<()> {
    let host = req
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| local.to_string());
    if !req.headers().contains_key(http::header::HOST) {
        req.headers_mut()
            .insert(http::header::HOST, host.parse().context("host header")?);
    }
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let path = req.uri().path().to_string();
    let headers = req.headers_mut();
    let spin_names: Vec<_> = headers
        .keys()
        .filter(|k| k.as_str().starts_with("spin-"))
        .cloned()
        .collect();
    for name in spin_names {
        headers.remove(name);
    }
    let full_url = format!("http://{host}{path_and_query}");
    let values = [
        ("spin-full-url", full_url.as_str()),
        ("spin-path-info", path.as_str()),
        ("spin-matched-route", SPIN_ROUTE),
        ("spin-raw-component-route", SPIN_ROUTE),
        ("spin-component-route", ""),
        ("spin-base-path", "/"),
        ("spin-client-addr", &client.to_string()),
    ];
    for (name, value) in values {
        headers.insert(name, value.parse().context("spin header value")?);
    }
    Ok(())
}

impl Shared {
    async fn handle(
        self: Arc<Self>,
        mut req: hyper::Request<Incoming>,
        client: SocketAddr,
        local: SocketAddr,
    ) -> HostResponse {
        if let Err(e) = add_spin_headers(&mut req, client, local) {
            return error_response(400, &format!("bad request: {e}"));
        }
        let output = MemoryOutputPipe::new(GUEST_OUTPUT_CAP);
        let wasi = WasiCtx::builder()
            .stderr(output.clone())
            .stdout(output.clone())
            .build();
        let state = RequestState {
            wasi,
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            outbound: OutboundPolicy {
                allow: self.allow.clone(),
                denied: self.denied.clone(),
                sent: self.sent.clone(),
                log_denied: self.echo,
            },
            spin: self.spin.clone(),
        };
        let mut store = Store::new(&self.engine, state);
        store.set_epoch_deadline((self.timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64);
        store.epoch_deadline_trap();

        let (sender, receiver) = tokio::sync::oneshot::channel();
        let pre = self.pre.clone();
        let shared = self.clone();
        let guest = tokio::spawn(async move {
            let started = Instant::now();
            let proxy = pre.instantiate_async(&mut store).await?;
            lock(&shared.instantiations).push(started.elapsed());
            let req = store
                .data_mut()
                .http()
                .new_incoming_request(Scheme::Http, req)?;
            let out = store.data_mut().http().new_response_outparam(sender)?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut store, req, out)
                .await
        });

        let abort = guest.abort_handle();
        let outcome =
            tokio::time::timeout(self.timeout, self.clone().finish(receiver, guest)).await;
        self.collect_output(&output);
        match outcome {
            Ok(response) => response,
            Err(_) => {
                abort.abort();
                self.record_trap(format!("request did not finish within {:?}", self.timeout));
                error_response(500, "the component did not answer in time")
            }
        }
    }

    /// Waits for the guest's response and for the guest to finish, buffering the body.
    async fn finish(
        self: Arc<Self>,
        receiver: tokio::sync::oneshot::Receiver<
            Result<
                hyper::Response<wasmtime_wasi_http::p2::body::HyperOutgoingBody>,
                wasmtime_wasi_http::p2::bindings::http::types::ErrorCode,
            >,
        >,
        guest: tokio::task::JoinHandle<wasmtime::Result<()>>,
    ) -> HostResponse {
        let response = match receiver.await {
            Ok(Ok(response)) => {
                let (parts, body) = response.into_parts();
                match body.collect().await {
                    Ok(collected) => Ok((parts, collected.to_bytes())),
                    Err(e) => Err(format!("response body failed: {e}")),
                }
            }
            Ok(Err(code)) => Err(format!("the guest answered with error code {code:?}")),
            Err(_) => Err("the guest never set a response".to_string()),
        };
        let finished = match guest.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(trap)) => Err(format!("{trap:?}")),
            Err(join) => Err(format!("guest task failed: {join}")),
        };
        match (response, finished) {
            (Ok((parts, body)), Ok(())) => hyper::Response::from_parts(parts, Full::new(body)),
            (_, Err(trap)) => {
                self.record_trap(trap);
                error_response(500, "the component trapped")
            }
            (Err(problem), Ok(())) => {
                self.record_trap(problem);
                error_response(500, "the component did not produce a response")
            }
        }
    }

    fn record_trap(&self, trap: String) {
        eprintln!("juli-e2e: guest trap: {trap}");
        lock(&self.traps).push(trap);
    }

    fn collect_output(&self, output: &MemoryOutputPipe) {
        let bytes = output.contents();
        if bytes.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = lock(&self.log_lines);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if self.echo {
                eprintln!("{line}");
            }
            lines.push(line.to_string());
        }
    }
}
