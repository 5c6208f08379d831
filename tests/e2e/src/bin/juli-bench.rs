//! `juli-bench`: cold start and server overhead of the compiled component in the e2e host.
//! Not part of the test gate.
//!
//! ```text
//! cargo run -p juli-e2e --release --bin juli-bench -- [--runs 5] [--requests 2000] [--concurrency 4] [--wasm PATH]
//! ```
//!
//! Prints medians over `--runs` runs of: componentize + compile (no cache), cached load,
//! per-request instantiation, p50/p99 latency (one keep-alive client, sequential) and
//! requests/s (`--concurrency` keep-alive clients) for `GET /health` and `GET /mcp/tools`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use juli_e2e::{component, guest, E2eHost, HostConfig};

struct Args {
    runs: usize,
    requests: usize,
    concurrency: usize,
    wasm: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        runs: 5,
        requests: 2000,
        concurrency: 4,
        wasm: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut v = || it.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => a.runs = v()?.parse()?,
            "--requests" => a.requests = v()?.parse()?,
            "--concurrency" => a.concurrency = v()?.parse()?,
            "--wasm" => a.wasm = Some(PathBuf::from(v()?)),
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
    println!("medians of {} runs\n", args.runs);

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
    println!();

    println!(
        "| route | p50 | p99 | requests/s ({} clients) | instantiation p50 |",
        args.concurrency
    );
    println!("|---|---|---|---|---|");
    for path in ["/health", "/mcp/tools"] {
        let mut p50s = Vec::new();
        let mut p99s = Vec::new();
        let mut rps = Vec::new();
        let mut inst = Vec::new();
        for _ in 0..args.runs {
            host.clear_records();
            let mut lat = sequential(&host.base_url(), path, args.requests)?;
            lat.sort();
            p50s.push(percentile(&lat, 0.50));
            p99s.push(percentile(&lat, 0.99));
            let mut i = host.instantiation_times();
            i.sort();
            inst.push(percentile(&i, 0.50));
            rps.push(throughput(
                &host.base_url(),
                path,
                args.requests,
                args.concurrency,
            )?);
        }
        rps.sort_by(f64::total_cmp);
        println!(
            "| GET {path} | {} | {} | {:.0} | {} |",
            fmt(median(&p50s)),
            fmt(median(&p99s)),
            rps[rps.len() / 2],
            fmt(median(&inst))
        );
    }
    host.assert_clean();
    host.shutdown();
    Ok(())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(agent: &ureq::Agent, url: &str) -> Result<()> {
    let mut r = agent.get(url).call()?;
    let status = r.status().as_u16();
    r.body_mut().read_to_vec()?;
    if status != 200 {
        bail!("{url} answered {status}");
    }
    Ok(())
}

/// One keep-alive client, `n` requests in a row; returns each latency.
fn sequential(base: &str, path: &str, n: usize) -> Result<Vec<Duration>> {
    let agent = agent();
    let url = format!("{base}{path}");
    for _ in 0..n.min(50) {
        get(&agent, &url)?; // warm-up
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        get(&agent, &url)?;
        out.push(t.elapsed());
    }
    Ok(out)
}

/// `clients` keep-alive clients sharing `n` requests; returns requests per second.
fn throughput(base: &str, path: &str, n: usize, clients: usize) -> Result<f64> {
    let url = format!("{base}{path}");
    let per = n.div_ceil(clients.max(1));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients.max(1))
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || -> Result<()> {
                let agent = agent();
                for _ in 0..per {
                    get(&agent, &url)?;
                }
                Ok(())
            })
        })
        .collect();
    for h in handles {
        h.join()
            .map_err(|_| anyhow::anyhow!("client thread panicked"))??;
    }
    Ok((per * clients.max(1)) as f64 / started.elapsed().as_secs_f64())
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
