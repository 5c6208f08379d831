//! `juli-bench`: what the compiled component costs, in the e2e host against the `juli-testkit`
//! fakes. Not part of the test gate.
//!
//! ```text
//! cargo run -p juli-e2e --profile host --bin juli-bench -- \
//!     [--runs 5] [--requests 2000] [--concurrency 4] [--wasm PATH] [--skip-scenarios]
//!     [--skip-overhead] [--rules on|off]
//! ```
//!
//! `--rules off` sets the Spin variable `rules_interpreter=off` for the scenario table, so every
//! natural-language request goes to the model (the "before" of issue 13); the default is as
//! deployed (the rules first).
//!
//! Prints (Markdown tables, medians over `--runs` runs):
//! 1. cold start: read + hash, componentize, compile, cached load, link, per-request
//!    instantiation, and the wasm size;
//! 2. per scenario (vertical slice, event creates, reschedule/complete by reference, a search, an
//!    availability check, an approved action): OpenAI / Reclaim / Nylas call counts and
//!    end-to-end latency with simulated upstream latency (OpenAI 800 ms, Reclaim and Nylas
//!    150 ms), next to the critical-path minimum;
//! 3. server overhead with zero-latency fakes: p50/p99 (one keep-alive client) and
//!    requests/s (`--concurrency` clients) for `GET /health`, `GET /mcp/tools` and a structured
//!    `manage_productivity` create.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use juli_e2e::{client, component, guest, E2eHost, FakeEnv, HostConfig};
use juli_testkit::FakeUpstreams;

struct Args {
    runs: usize,
    requests: usize,
    concurrency: usize,
    wasm: Option<PathBuf>,
    skip_scenarios: bool,
    skip_overhead: bool,
    rules: bool,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        runs: 5,
        requests: 2000,
        concurrency: 4,
        wasm: None,
        skip_scenarios: false,
        skip_overhead: false,
        rules: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut v = || it.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => a.runs = v()?.parse()?,
            "--requests" => a.requests = v()?.parse()?,
            "--concurrency" => a.concurrency = v()?.parse()?,
            "--wasm" => a.wasm = Some(PathBuf::from(v()?)),
            "--skip-scenarios" => a.skip_scenarios = true,
            "--skip-overhead" => a.skip_overhead = true,
            "--rules" => {
                a.rules = match v()?.as_str() {
                    "on" => true,
                    "off" => false,
                    other => bail!("--rules takes on or off, not {other:?}"),
                }
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    a.runs = a.runs.max(1);
    Ok(a)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let wasm = match &args.wasm {
        Some(w) => w.clone(),
        None => guest::component_wasm()?,
    };
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let size = std::fs::metadata(&wasm)?.len();
    println!(
        "juli-bench ({profile} host, wasmtime 48.0.8, {} cores): {} ({:.2} MiB)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        wasm.display(),
        size as f64 / (1024.0 * 1024.0)
    );
    println!(
        "medians of {} runs; load average before: {}\n",
        args.runs,
        load_average()
    );

    // Cold start without cache, then cached loads.
    let engine = component::engine()?;
    let mut read = Vec::new();
    let mut componentize = Vec::new();
    let mut compile = Vec::new();
    for _ in 0..args.runs {
        let (_, t) = component::load(&engine, &wasm, None)?;
        read.push(t.read);
        componentize.push(t.componentize);
        compile.push(t.compile);
    }
    let cache = std::env::temp_dir().join(format!("juli-bench-cache-{}", std::process::id()));
    component::load(&engine, &wasm, Some(&cache))?;
    let mut cached = Vec::new();
    for _ in 0..args.runs {
        let (_, t) = component::load(&engine, &wasm, Some(&cache))?;
        if !t.cache_hit {
            bail!("expected a cache hit");
        }
        cached.push(t.cache_load);
    }
    let _ = std::fs::remove_dir_all(&cache);
    println!("| cold start | median |");
    println!("|---|---|");
    println!("| read + SHA-256 of the wasm | {} |", fmt(median(&read)));
    println!(
        "| componentize (wit-component + preview1 adapter) | {} |",
        fmt(median(&componentize))
    );
    println!("| compile (Cranelift) | {} |", fmt(median(&compile)));
    println!(
        "| load compiled component from cache | {} |",
        fmt(median(&cached))
    );

    let host = E2eHost::start(HostConfig {
        wasm_path: wasm.clone(),
        ..HostConfig::default()
    })?;
    println!("| link + ProxyPre | {} |", fmt(host.startup().link));
    let mut inst = host.instantiation_times();
    for _ in 0..200 {
        client::send("GET", &format!("{}/health", host.base_url()), &[], b"")?;
    }
    inst.extend(host.instantiation_times());
    inst.sort();
    println!(
        "| instantiate per request (p50 of 200) | {} |",
        fmt(percentile(&inst, 0.5))
    );
    host.assert_clean();
    host.shutdown();
    println!();

    if !args.skip_scenarios {
        juli_e2e::scenario_bench::run(&wasm, args.runs, args.rules)?;
    }
    if !args.skip_overhead {
        overhead(&wasm, &args)?;
    }
    println!("load average after: {}", load_average());
    Ok(())
}

/// Server overhead with zero-latency fakes: p50/p99 (one keep-alive client) and requests/s
/// (`--concurrency` keep-alive clients).
fn overhead(wasm: &std::path::Path, args: &Args) -> Result<()> {
    let fakes = Arc::new(FakeUpstreams::new());
    // Many users, reset before each measurement, so every create's duplicate check lists only a
    // few tasks (the list does not grow over the run).
    let users: Vec<[String; 3]> = (0..256)
        .map(|i| {
            [
                format!("rk_bench_user_{i:02}_5f1d2c"),
                format!("nyk_bench_user_{i:02}_9e8d7c"),
                format!("grant-bench-{i:02}"),
            ]
        })
        .collect();
    let reset = || {
        fakes.reset();
        // Measure the component, not the fakes' OpenAPI validation.
        fakes.set_contract_validation(false);
        for (i, [rk, nk, grant]) in users.iter().enumerate() {
            fakes.add_user(rk, nk, grant, &format!("bench{i}@example.com"), "Bench");
        }
    };
    reset();
    let env = FakeEnv::start_with(fakes.clone(), |c| c.wasm_path = wasm.to_path_buf())?;
    env.skip_check_on_drop();
    let base = env.base_url();
    let create_requests = (args.requests / 2).max(10);
    println!(
        "Server overhead, zero-latency fakes on loopback (same process), medians of {} runs; \
         requests/s with {} keep-alive clients",
        args.runs, args.concurrency
    );
    println!();
    println!("| request | p50 | p99 | requests/s | instantiation p50 | requests per run |");
    println!("|---|---|---|---|---|---|");
    let counter = AtomicUsize::new(0);
    let create = |agent: &ureq::Agent| -> Result<()> {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        let [rk, nk, grant] = &users[n % users.len()];
        let body = serde_json::json!({"action": "create_task", "title": format!("Bench task {n}"),
            "duration_minutes": 30, "user_timezone": "America/New_York",
            "current_date": "2026-12-01", "current_time": "09:00:00"})
        .to_string();
        let (status, reply) = call(
            agent,
            "POST",
            &format!("{base}/mcp/tools/manage_productivity"),
            &[
                ("content-type", "application/json"),
                ("X-User-Credential-RECLAIM_API_KEY", rk),
                ("X-User-Credential-NYLAS_API_KEY", nk),
                ("X-User-Credential-NYLAS_GRANT_ID", grant),
            ],
            body.as_bytes(),
        )?;
        let ok =
            serde_json::from_slice::<serde_json::Value>(&reply).is_ok_and(|v| v["success"] == true);
        if status != 200 || !ok {
            bail!(
                "create answered {status}: {}",
                String::from_utf8_lossy(&reply)
            );
        }
        Ok(())
    };
    let get = |path: &'static str| {
        let url = format!("{base}{path}");
        move |agent: &ureq::Agent| -> Result<()> {
            let (status, _) = call(agent, "GET", &url, &[], b"")?;
            if status != 200 {
                bail!("{url} answered {status}");
            }
            Ok(())
        }
    };
    let health = get("/health");
    let tools = get("/mcp/tools");
    let cases: [(&str, &Request<'_>, usize); 3] = [
        ("GET /health", &health, args.requests),
        ("GET /mcp/tools", &tools, args.requests),
        (
            "POST /mcp/tools/manage_productivity (structured create_task: 2 Reclaim calls)",
            &create,
            create_requests,
        ),
    ];
    for (label, f, n) in cases {
        let mut p50s = Vec::new();
        let mut p99s = Vec::new();
        let mut rps = Vec::new();
        let mut inst = Vec::new();
        for _ in 0..args.runs {
            reset();
            env.host.clear_records();
            let mut lat = sequential(f, n)?;
            lat.sort();
            p50s.push(percentile(&lat, 0.50));
            p99s.push(percentile(&lat, 0.99));
            let mut i = env.host.instantiation_times();
            i.sort();
            inst.push(percentile(&i, 0.50));
            reset();
            rps.push(throughput(f, n, args.concurrency)?);
        }
        rps.sort_by(f64::total_cmp);
        println!(
            "| {label} | {} | {} | {:.0} | {} | {n} |",
            fmt(median(&p50s)),
            fmt(median(&p99s)),
            rps[rps.len() / 2],
            fmt(median(&inst))
        );
    }
    println!();
    let traps = env.host.traps();
    if !traps.is_empty() {
        bail!("the component trapped: {traps:?}");
    }
    Ok(())
}

/// `/proc/loadavg`'s first three fields.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// One benchmarked request on a keep-alive agent.
type Request<'a> = dyn Fn(&ureq::Agent) -> Result<()> + Sync + 'a;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// One request on a keep-alive agent; returns the status and body.
fn call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(u16, Vec<u8>)> {
    let mut builder = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let mut r = agent.run(builder.body(body.to_vec())?)?;
    let status = r.status().as_u16();
    let bytes = r.body_mut().with_config().limit(64 << 20).read_to_vec()?;
    Ok((status, bytes))
}

/// One keep-alive client, `n` requests in a row (after a short warm-up); each latency.
fn sequential(f: &Request<'_>, n: usize) -> Result<Vec<Duration>> {
    let agent = agent();
    for _ in 0..n.min(20) {
        f(&agent)?;
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f(&agent)?;
        out.push(t.elapsed());
    }
    Ok(out)
}

/// `clients` keep-alive clients sharing `n` requests; requests per second.
fn throughput(f: &Request<'_>, n: usize, clients: usize) -> Result<f64> {
    let clients = clients.max(1);
    let per = n.div_ceil(clients);
    let started = Instant::now();
    std::thread::scope(|scope| -> Result<()> {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(move || -> Result<()> {
                    let agent = agent();
                    for _ in 0..per {
                        f(&agent)?;
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("client thread panicked"))??;
        }
        Ok(())
    })?;
    Ok((per * clients) as f64 / started.elapsed().as_secs_f64())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn median(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort();
    percentile(&v, 0.5)
}

fn fmt(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{:.3} ms", ms)
    } else {
        format!("{:.1} ms", ms)
    }
}
