//! `juli-host`: run the compiled component locally without Spin.
//!
//! ```text
//! cargo build --target wasm32-wasip1 --release
//! cargo run -p juli-e2e --profile host --bin juli-host -- \
//!     --wasm target/wasm32-wasip1/release/juli_calendar.wasm \
//!     --var debug_endpoints=true --allow http://127.0.0.1:4100 --listen 127.0.0.1:3000
//! ```
//!
//! Variables also come from `SPIN_VARIABLE_<NAME>` environment variables (like Spin); `--var`
//! wins. Outbound HTTP is plain HTTP to the `--allow` origins only (fakes on loopback).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use juli_e2e::{client, guest, E2eHost, HostConfig};

const USAGE: &str =
    "usage: juli-host [--wasm PATH] [--var NAME=VALUE]... [--allow http://HOST:PORT]... \
[--listen ADDR] [--no-cache] [--quiet]";

fn main() -> Result<()> {
    let mut config = HostConfig {
        wasm_path: guest::target_dir().join("wasm32-wasip1/release/juli_calendar.wasm"),
        listen: "127.0.0.1:3000".parse()?,
        echo_guest_output: true,
        ..HostConfig::default()
    };
    let mut variables: HashMap<String, String> = std::env::vars()
        .filter_map(|(k, v)| {
            k.strip_prefix("SPIN_VARIABLE_")
                .map(|name| (name.to_ascii_lowercase(), v))
        })
        .collect();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().with_context(|| format!("{arg} needs {what}"));
        match arg.as_str() {
            "--wasm" => config.wasm_path = PathBuf::from(value("a path")?),
            "--var" => {
                let pair = value("NAME=VALUE")?;
                let Some((k, v)) = pair.split_once('=') else {
                    bail!("--var takes NAME=VALUE, got {pair:?}");
                };
                variables.insert(k.trim().to_string(), v.to_string());
            }
            "--allow" => config.allowed_outbound.push(value("an origin")?),
            "--listen" => config.listen = value("an address")?.parse()?,
            "--no-cache" => config.cache_dir = None,
            "--quiet" => config.echo_guest_output = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    config.variables = variables;

    let started = Instant::now();
    let host = E2eHost::start(config.clone())?;
    let ready = started.elapsed();
    let s = host.startup();
    println!(
        "juli-host: {} ({} bytes, sha256 {}…)",
        config.wasm_path.display(),
        s.load.wasm_bytes,
        &s.load.wasm_sha256[..12]
    );
    if s.load.cache_hit {
        println!(
            "cold start: read {:.1} ms, cached compiled component loaded in {:.1} ms, link {:.1} ms; ready in {:.1} ms",
            ms(s.load.read),
            ms(s.load.cache_load),
            ms(s.link),
            ms(ready)
        );
    } else {
        println!(
            "cold start: read {:.1} ms, componentize {:.1} ms, compile {:.1} ms, link {:.1} ms; ready in {:.1} ms",
            ms(s.load.read),
            ms(s.load.componentize),
            ms(s.load.compile),
            ms(s.link),
            ms(ready)
        );
    }
    println!("imports: {}", s.imports.join(", "));

    let t = Instant::now();
    let first = client::send("GET", &format!("{}/health", host.base_url()), &[], b"")?;
    let inst = host.instantiation_times();
    println!(
        "first request GET /health: {} in {:.2} ms (instantiation {:.3} ms)",
        first.status,
        ms(t.elapsed()),
        inst.first().map(|d| ms(*d)).unwrap_or(f64::NAN)
    );
    println!(
        "allowed outbound: {}",
        if config.allowed_outbound.is_empty() {
            "(none)".to_string()
        } else {
            config.allowed_outbound.join(", ")
        }
    );
    println!("serving on {}  (Ctrl-C to stop)", host.base_url());
    loop {
        std::thread::park();
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
