//! Turning the deployed core module into a compiled Wasmtime component, the way Spin does.
//!
//! spin-sdk 5.2 for `wasm32-wasip1` produces a *core* module; Spin componentizes it with the
//! WASI preview1 (reactor) adapter at load time. We do the same here, so the bytes under test are
//! exactly the bytes `spin up` loads. Compiling the component takes seconds in a debug host, so
//! the compiled artifact is cached on disk keyed by the wasm's SHA-256.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::{Config, Engine};

/// How long each start-up step took (what `spin up` pays once per component).
#[derive(Debug, Clone, Default)]
pub struct LoadTimings {
    /// Reading the file and hashing it.
    pub read: Duration,
    /// `wit-component` encoding the core module plus the preview1 adapter (zero on a cache hit).
    pub componentize: Duration,
    /// Cranelift compilation (zero on a cache hit).
    pub compile: Duration,
    /// Loading the cached artifact (zero on a cache miss).
    pub cache_load: Duration,
    pub cache_hit: bool,
    /// Hex SHA-256 of the wasm file as deployed.
    pub wasm_sha256: String,
    pub wasm_bytes: usize,
}

impl LoadTimings {
    pub fn total(&self) -> Duration {
        self.read + self.componentize + self.compile + self.cache_load
    }
}

/// The engine configuration shared by every host (and part of the cache's compatibility check).
pub fn engine() -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    // A guest stuck in a loop must become a visible trap, not a hung test.
    config.epoch_interruption(true);
    Engine::new(&config).map_err(anyhow::Error::from)
}

/// Encodes a core module as a component with the WASI preview1 reactor adapter (as Spin does).
/// A file that already is a component is returned as is.
pub fn componentize(wasm: &[u8]) -> Result<Vec<u8>> {
    if wasmparser::Parser::is_component(wasm) {
        return Ok(wasm.to_vec());
    }
    wit_component::ComponentEncoder::default()
        .module(wasm)
        .context("reading the core module's component-type section")?
        .adapter(
            "wasi_snapshot_preview1",
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        )
        .context("adding the WASI preview1 reactor adapter")?
        .validate(true)
        .encode()
        .context("encoding the component")
}

/// The component's imports (instance names such as `fermyon:spin/variables@2.0.0`).
pub fn component_imports(component_bytes: &[u8]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(component_bytes) {
        if let wasmparser::Payload::ComponentImportSection(reader) = payload? {
            for import in reader {
                names.push(import?.name.name.to_string());
            }
        }
    }
    Ok(names)
}

/// Reads, componentizes and compiles `wasm_path`, using `cache_dir` for compiled artifacts.
pub fn load(
    engine: &Engine,
    wasm_path: &Path,
    cache_dir: Option<&Path>,
) -> Result<(Component, LoadTimings)> {
    let mut timings = LoadTimings::default();
    let started = Instant::now();
    let wasm = std::fs::read(wasm_path)
        .with_context(|| format!("reading the component {}", wasm_path.display()))?;
    timings.wasm_sha256 = hex(&Sha256::digest(&wasm));
    timings.wasm_bytes = wasm.len();
    timings.read = started.elapsed();

    let cached = cache_dir.map(|dir| cache_file(dir, &timings.wasm_sha256));
    if let Some(file) = cached.as_deref().filter(|f| f.exists()) {
        let started = Instant::now();
        // SAFETY: the file was written by `Component::serialize` of this same code (the cache
        // directory is ours, under the build's target directory); `deserialize_file` still checks
        // that it matches this engine's version and configuration and errors otherwise.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, file) } {
            timings.cache_load = started.elapsed();
            timings.cache_hit = true;
            return Ok((component, timings));
        }
    }

    let started = Instant::now();
    let component_bytes = componentize(&wasm)?;
    timings.componentize = started.elapsed();

    let started = Instant::now();
    let component = Component::new(engine, &component_bytes)
        .map_err(anyhow::Error::from)
        .context("compiling the component")?;
    timings.compile = started.elapsed();

    if let Some(file) = cached {
        if let Err(e) = write_cache(&component, &file) {
            eprintln!(
                "juli-e2e: could not cache the compiled component at {}: {e:#}",
                file.display()
            );
        }
    }
    Ok((component, timings))
}

fn cache_file(dir: &Path, sha256: &str) -> PathBuf {
    // The engine's version and settings are checked again by `deserialize_file`.
    dir.join(format!("juli-{sha256}-wasmtime48.cwasm"))
}

fn write_cache(component: &Component, file: &Path) -> Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes = component.serialize().map_err(anyhow::Error::from)?;
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file)?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
