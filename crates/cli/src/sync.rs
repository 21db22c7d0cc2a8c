//! `cairn sync`: import what is new from plugged-in devices and sync
//! folders, once or (`--watch`) as files arrive.

use crate::commands::{import_progress, local_start, now_ms, print_report};
use crate::output::json_out;
use crate::units::{duration, Units};
use anyhow::Result;
use cairn_app::sync::{SourceSync, SyncSource};
use cairn_app::{Cairn, ImportOptions};
use notify::{RecursiveMode, Watcher};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

pub struct SyncArgs<'a> {
    pub watch: bool,
    pub add: Option<&'a PathBuf>,
    pub remove: Option<&'a PathBuf>,
    pub list: bool,
    pub mounts: &'a [PathBuf],
    pub json: bool,
    pub units: Units,
}

/// After a file event, wait this long without another before syncing: a
/// watch copying a file or a sync tool writing one is done by then.
const QUIET: Duration = Duration::from_millis(1500);
/// Look for newly mounted devices this often even without an event (some
/// mounts, gvfs's among them, send none).
const RESCAN: Duration = Duration::from_secs(20);

fn opts() -> ImportOptions {
    ImportOptions {
        limits: Default::default(),
        now_ms: now_ms(),
        threads: 0,
    }
}

fn roots(args: &SyncArgs<'_>) -> Vec<PathBuf> {
    if args.mounts.is_empty() {
        cairn_app::sync::system_mount_roots()
    } else {
        args.mounts.to_vec()
    }
}

fn source_text(s: &SyncSource) -> String {
    format!("{} {}", s.kind, s.path.display())
}

pub fn run(cairn: &mut Cairn, args: &SyncArgs<'_>) -> Result<ExitCode> {
    if let Some(dir) = args.add {
        let abs = cairn.add_sync_folder(dir)?;
        outln!(
            "cairn sync now imports from {} (cairn sync --remove {} stops it)",
            abs.display(),
            abs.display()
        );
    }
    if let Some(dir) = args.remove {
        let gone = cairn.remove_sync_folder(dir)?;
        outln!(
            "cairn sync no longer imports from {}; what came from it stays",
            gone.display()
        );
    }
    if args.add.is_some() || args.remove.is_some() {
        return Ok(ExitCode::SUCCESS);
    }
    let roots = roots(args);
    let sources = cairn.sync_sources(&roots)?;
    if args.list {
        if args.json {
            return json_out(&sources);
        }
        if sources.is_empty() {
            nothing_found(&roots)?;
        }
        for s in &sources {
            outln!("{}", source_text(s));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.watch {
        return watch(cairn, args, &roots);
    }
    let mut results = Vec::new();
    for s in &sources {
        let (bar, step) = import_progress();
        let r = cairn.sync_one(s, &opts(), &mut |p| step(p))?;
        bar.finish_and_clear();
        results.push(r);
    }
    let failed = results
        .iter()
        .any(|r| !r.report.failed.is_empty() || r.report.stopped.is_some());
    if args.json {
        json_out(&results)?;
    } else {
        if sources.is_empty() {
            nothing_found(&roots)?;
        }
        for r in &results {
            if r.new_files == 0 {
                outln!("{}: nothing new", source_text(&r.source));
            } else {
                outln!(
                    "{}: {} new {}",
                    source_text(&r.source),
                    r.new_files,
                    if r.new_files == 1 { "file" } else { "files" }
                );
                print_report(cairn, &r.report, args.units)?;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn nothing_found(roots: &[PathBuf]) -> Result<()> {
    let looked: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    outln!(
        "no watch or bike computer found (looked in {}) and no sync folders: plug one in, or cairn sync --add DIR for a folder a phone app or a sync tool writes to",
        looked.join(", ")
    );
    Ok(())
}

/// One line per imported activity (and per failure), with the time.
fn log_sync(cairn: &Cairn, r: &SourceSync, units: Units) -> Result<()> {
    let clock = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
    for id in &r.report.activity_ids {
        let Ok(a) = cairn.activity(*id) else { continue };
        outln!(
            "{clock} imported activity {id} from {}: {} on {}, {}, {}",
            a.source,
            a.sport,
            local_start(&a),
            units.distance(a.summary.distance_m),
            duration(a.summary.moving_s)
        );
    }
    for f in &r.report.failed {
        outln!("{clock} could not import {}: {}", f.source, f.message);
    }
    if let Some(stop) = &r.report.stopped {
        outln!("{clock} stopped at {}: {}", stop.source, stop.message);
    }
    std::io::stdout().flush()?;
    Ok(())
}

fn watch(cairn: &mut Cairn, args: &SyncArgs<'_>, roots: &[PathBuf]) -> Result<ExitCode> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if e.is_ok() {
            let _ = tx.send(());
        }
    })?;
    // New drives appear as folders in the mount roots.
    for r in roots.iter().filter(|r| r.is_dir()) {
        let _ = watcher.watch(r, RecursiveMode::NonRecursive);
    }
    let mut watched: Vec<PathBuf> = Vec::new();
    let looked: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    outln!(
        "watching for new activities (devices in {}, and the sync folders); Ctrl-C stops",
        looked.join(", ")
    );
    loop {
        let sources = cairn.sync_sources(roots)?;
        // An unplugged drive is watched again when it comes back.
        watched.retain(|p| p.is_dir());
        for s in &sources {
            if !watched.contains(&s.path)
                && watcher.watch(&s.path, RecursiveMode::Recursive).is_ok()
            {
                outln!("watching {}", source_text(s));
                watched.push(s.path.clone());
            }
        }
        std::io::stdout().flush()?;
        for s in &sources {
            let r = cairn.sync_one(s, &opts(), &mut |_| {})?;
            log_sync(cairn, &r, args.units)?;
        }
        // Wait for an event (or the rescan), then for quiet.
        if rx.recv_timeout(RESCAN).is_ok() {
            while rx.recv_timeout(QUIET).is_ok() {}
        }
    }
}
