//! Finding (or building) the wasm files the tests run.
//!
//! `component_wasm()` is the deployed artifact `target/wasm32-wasip1/release/juli_calendar.wasm`
//! when it is newer than every source file; otherwise the tests build it themselves with
//! `cargo build --target wasm32-wasip1 --release` into a separate target directory
//! (`target/e2e-guest`, so the nested cargo never waits on the lock of the `cargo test` that
//! runs it). `JULI_E2E_WASM=/path/to.wasm` skips all that (CI can build once and point at it).
//! So `cargo test --workspace` works on a fresh clone in one command (with the
//! `wasm32-wasip1` target installed).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use anyhow::{bail, Context as _, Result};

const TARGET: &str = "wasm32-wasip1";

/// The repository root (where the component's `Cargo.toml` and `spin.toml` are).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("tests/e2e lives two levels below the workspace root")
}

/// `$CARGO_TARGET_DIR` or `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// Where compiled components are cached.
pub fn default_cache_dir() -> PathBuf {
    target_dir().join("e2e-cache")
}

/// The target directory the tests build guests in.
pub fn guest_target_dir() -> PathBuf {
    target_dir().join("e2e-guest")
}

/// The release `juli_calendar.wasm`, built if missing or stale.
pub fn component_wasm() -> Result<PathBuf> {
    static WASM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    WASM.get_or_init(|| {
        if let Some(path) = std::env::var_os("JULI_E2E_WASM").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(path));
        }
        let deployed = target_dir()
            .join(TARGET)
            .join("release")
            .join("juli_calendar.wasm");
        let newest_source = newest_source_mtime(&workspace_root()).map_err(|e| format!("{e:#}"))?;
        if modified(&deployed).is_some_and(|m| m >= newest_source) {
            return Ok(deployed);
        }
        build_guest("juli-calendar", "juli_calendar").map_err(|e| format!("{e:#}"))
    })
    .clone()
    .map_err(anyhow::Error::msg)
}

/// The small probe component (`tests/e2e/probe`) that exercises host features the product does
/// not (yet) reach on demand: outbound calls to any URL, the key-value store, traps.
pub fn probe_wasm() -> Result<PathBuf> {
    static WASM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    WASM.get_or_init(|| {
        build_guest("juli-e2e-probe", "juli_e2e_probe").map_err(|e| format!("{e:#}"))
    })
    .clone()
    .map_err(anyhow::Error::msg)
}

/// `cargo build --target wasm32-wasip1 --release -p <package>` into `target/e2e-guest`.
fn build_guest(package: &str, artifact: &str) -> Result<PathBuf> {
    // One build at a time from this process (tests run on several threads).
    static BUILD: Mutex<()> = Mutex::new(());
    let _guard = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace_root();
    let target_dir = guest_target_dir();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!(
        "juli-e2e: building {package} for {TARGET} (release) into {}",
        target_dir.display()
    );
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--target", TARGET, "--release", "-p", package])
        .env("CARGO_TARGET_DIR", &target_dir)
        // Do not inherit flags meant for the host build (coverage, sanitizers).
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!(
            "building {package} for {TARGET} failed ({status}); is the target installed? \
             (`rustup target add {TARGET}`)"
        );
    }
    let wasm = target_dir
        .join(TARGET)
        .join("release")
        .join(format!("{artifact}.wasm"));
    if !wasm.exists() {
        bail!("the build succeeded but {} is missing", wasm.display());
    }
    Ok(wasm)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of what the component is built from.
fn newest_source_mtime(root: &Path) -> Result<SystemTime> {
    let mut newest = SystemTime::UNIX_EPOCH;
    for file in ["Cargo.toml", "Cargo.lock"] {
        if let Some(m) = modified(&root.join(file)) {
            newest = newest.max(m);
        }
    }
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if let Some(m) = modified(&path) {
                newest = newest.max(m);
            }
        }
    }
    Ok(newest)
}
