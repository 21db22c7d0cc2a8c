#!/usr/bin/env bash
# Runs cairn's benchmarks and prints the ratios the issues ask for:
#  1. FIT decoding: cairn's reader vs the fitparser crate, same files, same run
#     (criterion; ratio from its mean estimates).
#  2. End-to-end import of a large synthetic archive, pinned to one core and
#     on all cores, each followed by a second import of the same archive
#     (nothing decoded twice).
#  3. Recomputing every load and the daily series over the same archive,
#     against a naive single-threaded baseline (bench/src/bin/load_bench.rs).
#  4. Best efforts and all five mean-maximal curves of a 4-hour 1-Hz activity
#     against the scan of every window; aggregated curves over the archive
#     (bench/src/bin/curve_bench.rs).
#  5. cairn serve on a 10-year demo archive under 16 concurrent clients:
#     p50/p99 of every page and API route beside a static asset of similar
#     size served in the same run (bench/src/bin/serve_bench.rs).
# Usage: bench/run.sh [FILES]   (default 3000 files ≈ 11.6 M records)
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-3000}"

cargo bench -p cairn-bench --bench decode -- --warm-up-time 2 --measurement-time 8 >/tmp/cairn-decode-bench.txt 2>&1 || {
  cat /tmp/cairn-decode-bench.txt; exit 1; }
grep -E "^input:" /tmp/cairn-decode-bench.txt || true
python3 - <<'PY'
import json, re
txt = open("/tmp/cairn-decode-bench.txt").read()
m = re.search(r"input: (\d+) files, (\d+) records, (\d+) bytes", txt)
files, records, nbytes = map(int, m.groups())
def mean_s(name):
    with open(f"target/criterion/fit_decode/{name}/new/estimates.json") as f:
        return json.load(f)["mean"]["point_estimate"] / 1e9
rows = {n: mean_s(n) for n in ("cairn", "cairn_to_activities", "fitparser")}
for n, s in rows.items():
    print(f"{n:22s} {records / s / 1e6:8.2f} M records/s {nbytes / s / 1e6:9.1f} MB/s")
print(f"ratio cairn / fitparser: {rows['fitparser'] / rows['cairn']:.1f}x "
      f"(to activities: {rows['fitparser'] / rows['cairn_to_activities']:.1f}x)")
PY

cargo build --release -q -p cairn-bench --bin import_bench
echo "--- import pinned to one core (taskset -c 0): the baseline"
taskset -c 0 ./target/release/import_bench "$files" | tee /tmp/cairn-import-1core.txt
echo "--- import on all cores"
./target/release/import_bench "$files" | tee /tmp/cairn-import-all.txt
python3 - <<'PY'
import re
def first(path):
    m = re.search(r"RESULT first_s=([\d.]+)", open(path).read())
    return float(m.group(1))
one, all_ = first("/tmp/cairn-import-1core.txt"), first("/tmp/cairn-import-all.txt")
print(f"ratio all cores / one core (first import): {one / all_:.2f}x")
PY

cargo build --release -q -p cairn-bench --bin load_bench
echo "--- load recomputation"
./target/release/load_bench "$files"

cargo build --release -q -p cairn-bench --bin curve_bench
echo "--- best efforts and curves; aggregated curves"
./target/release/curve_bench "$files"

cargo build --release -q -p cairn-bench --bin serve_bench
echo "--- cairn serve under 16 concurrent clients, 10-year demo archive"
./target/release/serve_bench 10 16 3
