//! FIT decoding over the corpus: cairn's reader (CRC checked) against the
//! `fitparser` crate, same input, same run. `bench/run.sh` turns criterion's
//! estimates into records/s, MB/s and the ratio.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn fit_decode(c: &mut Criterion) {
    let files = match cairn_bench::corpus_fit_files() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fit_decode skipped: {e}");
            return;
        }
    };
    // fitparser cannot decode every file; both decoders get the same set.
    let files: Vec<_> = files
        .into_iter()
        .filter(|(_, b)| fitparser::from_bytes(b).is_ok())
        .collect();
    let records: u64 = files
        .iter()
        .map(|(_, b)| {
            cairn_core::decode::fit::reader::read(b)
                .map(|r| r.records.len() as u64)
                .unwrap_or(0)
        })
        .sum();
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    eprintln!(
        "input: {} files, {records} records, {bytes} bytes",
        files.len()
    );
    let mut g = c.benchmark_group("fit_decode");
    g.throughput(Throughput::Elements(records));
    g.sample_size(10);
    g.bench_function("cairn", |b| {
        b.iter(|| {
            for (_, f) in &files {
                black_box(
                    cairn_core::decode::fit::reader::read(black_box(f))
                        .map(|r| r.records.len())
                        .ok(),
                );
            }
        })
    });
    g.bench_function("cairn_to_activities", |b| {
        b.iter(|| {
            for (_, f) in &files {
                black_box(
                    cairn_core::decode::fit::decode(black_box(f))
                        .map(|r| r.activities.len())
                        .ok(),
                );
            }
        })
    });
    g.bench_function("fitparser", |b| {
        b.iter(|| {
            for (_, f) in &files {
                black_box(fitparser::from_bytes(black_box(f)).map(|r| r.len()).ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, fit_decode);
criterion_main!(benches);
