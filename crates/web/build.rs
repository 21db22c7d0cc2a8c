//! Fetches the pages' JavaScript libraries (uPlot, htmx) with `npm ci`
//! from the committed lockfile into the build directory, so the binary can
//! embed them and no third-party file lives in the repository. npm's own
//! cache makes a second clean build offline; `CAIRN_WEB_VENDOR=DIR` points
//! at a folder that already holds the files instead.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (file inside node_modules, name the server embeds it under).
const FILES: [(&str, &str); 3] = [
    ("uplot/dist/uPlot.iife.min.js", "uPlot.iife.min.js"),
    ("uplot/dist/uPlot.min.css", "uPlot.min.css"),
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let assets = manifest.join("assets");
    println!("cargo:rerun-if-changed=assets/package.json");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    println!("cargo:rerun-if-env-changed=CAIRN_WEB_VENDOR");
    let vendor = out.join("vendor");
    std::fs::create_dir_all(&vendor).expect("the build directory is writable");

    let source = match std::env::var_os("CAIRN_WEB_VENDOR") {
        Some(dir) => PathBuf::from(dir),
        None => npm_ci(&assets, &out.join("npm")).join("node_modules"),
    };
    for (from, to) in FILES {
        let from = source.join(from);
        if let Err(e) = std::fs::copy(&from, vendor.join(to)) {
            fail(&format!("cannot copy {}: {e}", from.display()));
        }
    }
}

/// `npm ci --ignore-scripts` in `work`, from the lockfile in `assets`.
fn npm_ci(assets: &Path, work: &Path) -> PathBuf {
    std::fs::create_dir_all(work).expect("the build directory is writable");
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(assets.join(f), work.join(f)).expect("the lockfile is committed");
    }
    let status = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
        ])
        .current_dir(work)
        .status();
    match status {
        Ok(s) if s.success() => work.to_path_buf(),
        Ok(s) => fail(&format!(
            "npm ci failed ({s}) in {}; it fetches uPlot and htmx from the npm registry",
            work.display()
        )),
        Err(e) => fail(&format!(
            "cannot run npm ({e}): cairn's web pages need Node.js and npm to fetch uPlot and htmx at build time (Debian: apt install npm)"
        )),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("cairn-web build: {message}");
    std::process::exit(1)
}
