#!/usr/bin/env bash
# fuzz/run_fuzz.sh [SECONDS] — build the libFuzzer targets with clang (ASan + UBSan, in build-fuzz/)
# and run fuzz_idx for SECONDS (default 60) on one worker. `make fuzz FUZZ_SECONDS=N` calls it.
#
# The run starts from the seeds fuzz/make_seeds.sh writes into build-fuzz/seeds/ (rewritten each
# run, never added to) plus what earlier runs found, kept in build-fuzz/corpus/fuzz_idx/.
# Limits that turn runaway memory into a finding:
#   -malloc_limit_mb=64   no single allocation beyond 64 MB (an input is at most 4 KB; gzip can
#                         inflate that ~1000×, so a legitimate buffer stays below ~8 MB)
#   -rss_limit_mb=1024    the whole process, ASan's shadow memory included
#   -timeout=10           seconds per input
# A crash, leak, UB report, timeout or limit breach stops the run; the input is saved under
# build-fuzz/artifacts/ and this script exits non-zero. Re-run one input: build-fuzz/bin/fuzz_idx FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${JOBS:-2}
cxx=${FUZZ_CXX:-clang++}

if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "run_fuzz: $cxx not found; libFuzzer needs clang: sudo apt-get install clang libclang-rt-dev" >&2
  exit 1
fi

# -O1 -g: fast enough to fuzz, readable stacks. No OpenMP: one input at a time, one thread.
mkdir -p "$build"
if ! cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DSCRATCH_FUZZ=ON -DSCRATCH_OPENMP=OFF \
  -DSCRATCH_BUILD_TESTS=OFF -DSCRATCH_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >"$build/configure.log" 2>&1; then
  cat "$build/configure.log"
  exit 1
fi
cmake --build "$build" --target fuzz_idx -j "$jobs"

corpus="$build/corpus/fuzz_idx"
artifacts="$build/artifacts"
log="$build/fuzz_idx.log"
seeds_dir="$build/seeds"
mkdir -p "$corpus" "$artifacts"
rm -rf "$seeds_dir"
fuzz/make_seeds.sh "$seeds_dir"
seeds=$(find "$seeds_dir" -type f | wc -l)
before=$(find "$corpus" -type f | wc -l)

echo "run_fuzz: fuzz_idx for ${seconds} s on 1 worker: ${seeds} seeds from fuzz/make_seeds.sh, ${before} inputs kept from earlier runs"
status=0
"$build/bin/fuzz_idx" -max_total_time="$seconds" -malloc_limit_mb=64 -rss_limit_mb=1024 -timeout=10 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds_dir" >"$log" 2>&1 || status=$?

after=$(find "$corpus" -type f | wc -l)
stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
coverage=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
echo "run_fuzz: $(stat number_of_executed_units) executions in ${seconds} s ($(stat average_exec_per_sec)/s)," \
  "peak RSS $(stat peak_rss_mb) MB, ${coverage:-no coverage line}"
echo "run_fuzz: corpus ${before} → ${after} inputs, $(du -sk "$corpus" | cut -f1) KB in $corpus" \
  "($(stat new_units_added) new inputs found; libFuzzer drops those a smaller one replaces)"
if [[ $status -ne 0 ]]; then
  echo "run_fuzz: FAILED (exit code $status); the report:" >&2
  grep -vE '^#[0-9]+ ' "$log" | tail -60 >&2
  echo "run_fuzz: inputs that failed: $(ls "$artifacts")" >&2
  exit 1
fi
echo "run_fuzz: no crash, leak, undefined behaviour, timeout or memory-limit breach (log: $log)"
