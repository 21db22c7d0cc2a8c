//! Fuzz-style, for a bounded time: every corpus file (FIT, GPX, TCX, gzip),
//! mutated the ways real damage and hostile input look (bytes flipped, cut,
//! repeated or deleted; extreme numbers and dates; elements nested a
//! million deep; nested gzip and zip), walked, unpacked, decoded, cleaned
//! and derived as an import would. An error is fine; a panic, a mutant that
//! takes seconds, or memory that grows without bound is a finding.
//!
//! The mutants come from a fixed seed, so a run is reproducible; the time
//! budget (`CAIRN_MUTATION_SECONDS`, 40 s by default) says how many are
//! tried; `CAIRN_MUTATION_SEED` explores other mutants. A failing mutant is written to `target/mutation-failure.bin`.
//! The coverage-guided fuzz targets under `fuzz/` go deeper.

mod common;

use cairn_app::sources::{gunzip, Limits, Walker};
use cairn_core::decode::{decode, Format};
use cairn_core::sim::rng::Rng;
use common::corpus;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Numbers no sensor writes, as files write them.
const EXTREMES: [&str; 10] = [
    "1.8e308",
    "-1.8e308",
    "1e308",
    "NaN",
    "-0",
    "4294967295",
    "-2147483648",
    "1e15",
    "0.000000000001",
    "inf",
];

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// Byte ranges of the numbers between `>` and `<` (XML text content).
fn text_numbers(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'>' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_digit() || b"-+.eE".contains(&b[j])) {
                j += 1;
            }
            if j > start && j < b.len() && b[j] == b'<' {
                out.push((start, j));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// One mutant of `original` (named `name`), and the name it travels under.
fn mutate(rng: &mut Rng, name: &str, original: &[u8]) -> (String, Vec<u8>) {
    let mut b = original.to_vec();
    let len = b.len().max(1);
    let at = |rng: &mut Rng| (rng.next_u64() as usize) % len.max(1);
    let xml = !b.starts_with(&[0x1f, 0x8b]) && !name.ends_with(".fit");
    match rng.next_u64() % 9 {
        0 => {
            for _ in 0..1 + rng.next_u64() % 16 {
                let i = at(rng).min(b.len().saturating_sub(1));
                if let Some(x) = b.get_mut(i) {
                    *x ^= (rng.next_u64() as u8) | 1;
                }
            }
        }
        1 => b.truncate(at(rng)),
        2 => {
            let (i, n) = (at(rng), 1 + (rng.next_u64() as usize) % 4096);
            let end = (i + n).min(b.len());
            b.drain(i.min(end)..end);
        }
        3 => {
            // A stretch repeated: records (and times) that start again.
            let (i, n) = (at(rng), 1 + (rng.next_u64() as usize) % 65_536);
            let end = (i + n).min(b.len());
            let chunk = b[i.min(end)..end].to_vec();
            let times = 1 + rng.next_u64() % 4;
            for _ in 0..times {
                b.splice(end..end, chunk.iter().copied());
            }
        }
        4 if xml => {
            let spots = text_numbers(&b);
            if !spots.is_empty() {
                // Up to 8 numbers, replaced from the last so the offsets of
                // the others stay right.
                let mut chosen: Vec<(usize, usize)> = (0..1 + rng.next_u64() % 8)
                    .map(|_| spots[(rng.next_u64() as usize) % spots.len()])
                    .collect();
                chosen.sort_unstable();
                chosen.dedup();
                for (s, e) in chosen.into_iter().rev() {
                    let v = EXTREMES[(rng.next_u64() as usize) % EXTREMES.len()];
                    b.splice(s..e, v.bytes());
                }
            }
        }
        5 if xml => {
            // A date anywhere in 1 … 9999, or nonsense.
            let text = String::from_utf8_lossy(&b).into_owned();
            if let Some(i) = text.find("<Time>").or_else(|| text.find("<time>")) {
                let year = 1 + rng.next_u64() % 9999;
                let stamp = format!("{year:04}-02-30T25:61:61Z");
                let s = i + 6;
                let e = text[s..].find('<').map_or(s, |j| s + j);
                b = format!("{}{stamp}{}", &text[..s], &text[e..]).into_bytes();
            }
        }
        6 if xml => {
            // Elements nested deeper than any file: 10 to a million levels.
            let depth = 10usize.pow(1 + (rng.next_u64() % 6) as u32);
            let i = at(rng);
            let mut next = b[..i.min(b.len())].to_vec();
            next.extend("<x>".repeat(depth).bytes());
            next.extend_from_slice(&b[i.min(b.len())..]);
            b = next;
        }
        7 => {
            // Gzip, up to three times over: only one layer is ever opened.
            for _ in 0..1 + rng.next_u64() % 3 {
                b = gz(&b);
            }
            return (format!("{name}.gz"), b);
        }
        _ => {
            // A zip (sometimes inside another) holding the file several times.
            let copies = 1 + (rng.next_u64() % 5) as usize;
            let members: Vec<(String, Vec<u8>)> = (0..copies)
                .map(|k| (format!("activities/{k}-{name}.gz"), gz(&b)))
                .collect();
            let refs: Vec<(&str, &[u8])> = members
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_slice()))
                .collect();
            b = zip(&refs);
            if rng.chance(0.5) {
                b = zip(&[("inner.zip", &b)]);
            }
            return ("export.zip".into(), b);
        }
    }
    (name.to_string(), b)
}

/// Everything an import does with the bytes, short of storing them.
fn import_like(name: &str, bytes: Vec<u8>) {
    let limits = Limits {
        max_entry_bytes: 64 << 20,
        max_archive_bytes: 256 << 20,
        ..Limits::default()
    };
    let mut units = Vec::new();
    let mut emit = |u| units.push(u);
    let mut w = Walker {
        limits,
        emit: &mut emit,
        skipped: 0,
    };
    w.walk_bytes(name, bytes);
    for unit in units.into_iter().flatten() {
        let Ok(content) = gunzip(&unit.bytes, &limits, unit.budget.as_ref()) else {
            continue;
        };
        let content = content.unwrap_or(unit.bytes);
        let Some(format) = Format::sniff(&content) else {
            continue;
        };
        if let Ok(file) = decode(format, &content) {
            for mut a in file.activities {
                cairn_core::clean::check(&mut a, 1_800_000_000_000);
                let d = cairn_core::derived::derive(&a);
                let tl = cairn_core::timeline::Timeline::of(&a);
                let splits = cairn_core::metrics::splits(&tl, 1000.0);
                // Nothing is sized by a value read from the file: splits by
                // the metres of the timeline, which a person covered.
                let km = tl.distance_m().unwrap_or(0.0) / 1000.0;
                assert!(
                    splits.len() as f64 <= km + 2.0,
                    "{} splits for {km} km",
                    splits.len()
                );
                // The summary's distance is the records' unless they agree.
                if let (Some(stated), Some(recorded)) = (d.summary.distance_m, tl.distance_m()) {
                    assert!(
                        recorded <= 2.0 * stated + 100.0,
                        "summary {stated} m, records {recorded} m"
                    );
                }
            }
        }
    }
}

/// Peak resident memory of this process (kB), where the kernel says it.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn mutated_corpus_files_never_panic_hang_or_blow_up() {
    let Some(dir) = corpus() else { return };
    let mut originals: Vec<(String, Vec<u8>)> = Vec::new();
    for sub in ["fit", "gpx", "tcx", "broken"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for p in files {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            originals.push((name, std::fs::read(&p).unwrap()));
        }
    }
    let budget = Duration::from_secs(
        std::env::var("CAIRN_MUTATION_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(40),
    );
    let started = Instant::now();
    let seed = std::env::var("CAIRN_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00C0_FFEE);
    let mut rng = Rng::new(seed);
    let mut tried = 0usize;
    while started.elapsed() < budget {
        let (name, original) = &originals[tried % originals.len()];
        let (mutant_name, mutant) = mutate(&mut rng, name, original);
        let kept = mutant.clone();
        let one = Instant::now();
        let outcome = std::panic::catch_unwind(|| import_like(&mutant_name, mutant));
        let took = one.elapsed();
        // A hang shows as seconds for one file that decodes in milliseconds.
        if outcome.is_err() || took > Duration::from_secs(10) {
            let path =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/mutation-failure.bin");
            let _ = std::fs::write(&path, &kept);
            panic!(
                "seed {seed}, mutant {tried} of {name} (as {mutant_name}, {} bytes) {} after {took:?}; written to {}",
                kept.len(),
                if outcome.is_err() { "panicked" } else { "ran too long" },
                path.display()
            );
        }
        tried += 1;
    }
    if let Some(kb) = peak_rss_kb() {
        assert!(kb < 3 << 20, "peak memory {} MB", kb / 1024);
    }
    eprintln!(
        "{tried} mutants of {} corpus files in {:?}, peak memory {} MB",
        originals.len(),
        started.elapsed(),
        peak_rss_kb().unwrap_or(0) / 1024
    );
    assert!(tried >= originals.len(), "every file mutated at least once");
}

mod budget {
    use super::{gz, zip};
    use cairn_app::sources::{gunzip, Limits, Walker};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Gzip inside gzip inside a zip (inside a zip), many members: what
        /// comes out of one archive, members and `.gz` contents together,
        /// never passes its budget, and a refusal names the limit.
        #[test]
        fn nested_compression_shares_one_budget(
            levels in 1usize..4,
            mb in 1usize..24,
            copies in 1usize..8,
            nested in any::<bool>(),
        ) {
            let limits = Limits {
                max_entry_bytes: 32 << 20,
                max_archive_bytes: 40 << 20,
                max_ratio: 100_000,
                ..Limits::default()
            };
            let mut member = vec![b'<'; mb << 20];
            for _ in 0..levels {
                member = gz(&member);
            }
            let names: Vec<String> = (0..copies).map(|k| format!("{k}.gpx.gz")).collect();
            let entries: Vec<(&str, &[u8])> =
                names.iter().map(|n| (n.as_str(), member.as_slice())).collect();
            let mut archive = zip(&entries);
            if nested {
                archive = zip(&[("inner.zip", &archive)]);
            }
            let mut units = Vec::new();
            let mut errors = Vec::new();
            let mut emit = |u: Result<cairn_app::sources::Unit, cairn_app::sources::SourceError>| match u {
                Ok(u) => units.push(u),
                Err(e) => errors.push(e.reason),
            };
            let mut w = Walker { limits, emit: &mut emit, skipped: 0 };
            w.walk_bytes("export.zip", archive);
            let mut out = 0u64;
            for u in &units {
                out += u.bytes.len() as u64;
                match gunzip(&u.bytes, &limits, u.budget.as_ref()) {
                    Ok(Some(content)) => out += content.len() as u64,
                    Ok(None) => {}
                    Err(e) => errors.push(e),
                }
            }
            // One read chunk (1 MiB) may be in flight when the budget runs out.
            prop_assert!(out <= limits.max_archive_bytes + (2 << 20), "{} bytes out", out);
            let one_layer = if levels == 1 { (mb as u64) << 20 } else { 0 };
            if one_layer * copies as u64 > limits.max_archive_bytes {
                prop_assert!(
                    errors.iter().any(|e| e.contains("zip bomb") || e.contains("limit")),
                    "{:?}",
                    errors
                );
            }
        }
    }
}
