//! Helpers shared by the end-to-end tests: find the corpus, run the binary.
#![allow(dead_code)]

use cairn_core::model::{Activity, Sport};
use cairn_core::sim::history::Terrain;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `$CAIRN_CORPUS`, else `../shared/corpus`; missing is a failure under CI
/// and a stated skip otherwise.
pub fn corpus() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CAIRN_CORPUS").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")),
    ];
    if let Some(c) = candidates
        .into_iter()
        .flatten()
        .find(|c| c.join("expected.json").is_file())
    {
        return Some(c);
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but the corpus was not found: set CAIRN_CORPUS or put shared/corpus beside the checkout");
    }
    eprintln!("SKIPPED: corpus not found (set CAIRN_CORPUS)");
    None
}

/// Runs `cairn --data-dir DATA ARGS…`: (exit code, stdout, stderr).
pub fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run cairn");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs cairn and parses its `--json` output; any failure names the command.
pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(data, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// Asserts cairn refuses the input (exit 2) with a message containing `says`.
pub fn refused(data: &Path, args: &[&str], says: &str) {
    let (code, _, err) = run(data, args);
    assert_eq!(code, 2, "{args:?} should be refused: {err}");
    assert!(err.contains(says), "{args:?}: expected `{says}` in: {err}");
}

/// A simulated session of `minutes` (deterministic from `seed`).
pub fn session(sport: Sport, terrain: Terrain, minutes: f64, seed: u64) -> Activity {
    session_on(20_600, sport, terrain, minutes, seed)
}

/// The same, on day `day` (days since 1970).
pub fn session_on(day: i32, sport: Sport, terrain: Terrain, minutes: f64, seed: u64) -> Activity {
    cairn_core::sim::steady_session(day, sport, terrain, minutes, seed)
}

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A child process killed when the test ends, however it ends.
pub struct Killed(pub std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `cairn --data-dir DATA ARGS… serve --listen 127.0.0.1:0 SERVE_ARGS…`,
/// once it listens; its base URL (`http://127.0.0.1:PORT`).
pub fn serve(data: &Path, args: &[&str], serve_args: &[&str]) -> (Killed, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(serve_args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (Killed(child), url)
}

/// One HTTP/1.1 request to `host` (`127.0.0.1:PORT`): the status and the
/// body. A body is sent as `application/octet-stream`.
pub fn http(host: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no status in {head:?}"));
    (status, body.to_string())
}
