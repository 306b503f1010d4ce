#!/usr/bin/env bash
# tools/run_bench.sh BUILD_DIR [--quick] — every benchmark, then one comparison table (make bench).
#
# Runs, with OPENBLAS_CORETYPE unset (it forces OpenBLAS onto older kernels):
#   BUILD_DIR/bin/bench_matmul          our gemm vs the naive loops vs OpenBLAS, GFLOPS
#   BUILD_DIR/bin/bench_train           one epoch of chapter 4's loop in double, 1 and all threads, sweeps
#   build-float/bin/bench_train         the same loop in the float build (-DSCRATCH_SCALAR=float), which
#                                       this script configures and builds itself (only that target)
#   bench/numpy_two_layer_net.py        the book's loop in NumPy, f64 and f32, with /usr/bin/python3
#                                       when it has NumPy, on 1 thread and on all (OPENBLAS_NUM_THREADS)
#   BUILD_DIR/bin/ch04_...              a short chapter-4 run under /usr/bin/time, for its peak memory
# and prints "ours vs NumPy" per epoch (f64 and f32, 1 and all threads, with ratios) and the matmul
# table. Logs go to BUILD_DIR/bench-logs/.
#
# Environment: SCRATCH_DATA_DIR (MNIST folder, default data/mnist), FLOAT_BUILD_DIR (default
# build-float), BENCH_PREFIX (a command to run each benchmark under, e.g. "chrt -f 10" as root on
# a shared machine, see bench/README.md), PYTHON (default /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
quick=()
for arg in "$@"; do
  case $arg in
    --quick) quick=(--quick) ;;
    *) echo "run_bench: unknown option '$arg' (usage: tools/run_bench.sh BUILD_DIR [--quick])" >&2; exit 2 ;;
  esac
done
float_build=${FLOAT_BUILD_DIR:-build-float}
python=${PYTHON:-/usr/bin/python3}
read -r -a prefix <<< "${BENCH_PREFIX:-}"
threads=$(nproc 2>/dev/null || echo 2)
logs="$build/bench-logs"
unset OPENBLAS_CORETYPE

for program in bench_matmul bench_train ch04_train_two_layer_net; do
  if [[ ! -x $build/bin/$program ]]; then
    echo "run_bench: $build/bin/$program is missing; build first (make build)" >&2
    exit 1
  fi
done
data_dir=${SCRATCH_DATA_DIR:-$PWD/data/mnist}
if [[ ! -e $data_dir/train-images-idx3-ubyte.gz && ! -e $data_dir/train-images-idx3-ubyte ]]; then
  echo "run_bench: no MNIST in $data_dir; fetch it with make data (or set SCRATCH_DATA_DIR)" >&2
  exit 1
fi
export SCRATCH_DATA_DIR=$data_dir
mkdir -p "$logs"

echo "== building bench_train in the float build ($float_build, -DSCRATCH_SCALAR=float)"
cmake -S . -B "$float_build" -DSCRATCH_SCALAR=float > "$logs/float-configure.log" 2>&1 ||
  { cat "$logs/float-configure.log"; exit 1; }
cmake --build "$float_build" --target bench_train -j "$threads" > "$logs/float-build.log" 2>&1 ||
  { tail -30 "$logs/float-build.log"; exit 1; }

run() {  # run LOG COMMAND…: show the output and keep it in $logs/LOG
  echo
  echo "== ${*:2}"
  "${prefix[@]}" "${@:2}" | tee "$logs/$1"
}

run matmul.txt "$build/bin/bench_matmul" "${quick[@]}"
run train-f64.txt "$build/bin/bench_train" "${quick[@]}"
run train-f32.txt "$float_build/bin/bench_train" --no-sweep "${quick[@]}"
: > "$logs/numpy.txt"
if "$python" -c "import numpy" 2> /dev/null; then
  for n in 1 "$threads"; do
    OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n run "numpy-$n.txt" "$python" bench/numpy_two_layer_net.py \
      --data "$data_dir" "${quick[@]}"
    cat "$logs/numpy-$n.txt" >> "$logs/numpy.txt"
    [[ $threads == 1 ]] && break
  done
else
  echo
  echo "== $python has no NumPy: the NumPy column stays empty (apt-get install python3-numpy, or make bench-deps)"
fi
rss="-"
if [[ -x /usr/bin/time ]]; then
  echo
  echo "== peak memory of chapter 4 (2 epochs; its figure goes to $logs, not plots/)"
  SCRATCH_PLOTS_DIR="$logs" /usr/bin/time -v "$build/bin/ch04_train_two_layer_net" --epochs 2 > "$logs/ch04.txt" 2>&1 ||
    { echo "run_bench: chapter 4 failed:" >&2; tail -20 "$logs/ch04.txt" >&2; exit 1; }
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$logs/ch04.txt")
  echo "max RSS ${rss} MB"
fi

echo
echo "================================================================================"
echo "== one epoch of chapter 4's loop (TwoLayerNet 784-50-10, batch 100, 600 SGD steps), seconds,"
echo "== best of several epochs; NumPy/ours > 1 means ours is faster"
echo "================================================================================"
# Rows "book 50 100 THREADS DTYPE S/EPOCH …" from bench_train, "numpy 50 100 THREADS DTYPE S/EPOCH …" from NumPy.
printf "%-6s %7s %10s %10s %11s\n" dtype threads ours NumPy NumPy/ours
cat "$logs/train-f64.txt" "$logs/train-f32.txt" "$logs/numpy.txt" | awk '
  $1 == "book"  { ours[$5 " " $4] = $6 }
  $1 == "numpy" { numpy[$5 " " $4] = $6 }
  END {
    split("f64 f32", dtypes, " ")
    for (d = 1; d <= 2; ++d)
      for (key in ours) {
        split(key, part, " ")
        if (part[1] != dtypes[d]) continue
        n = (key in numpy) ? numpy[key] : "-"
        ratio = (key in numpy) ? sprintf("%.2f", numpy[key] / ours[key]) : "-"
        printf "%-6s %7s %10s %10s %11s\n", part[1], part[2], ours[key], n, ratio
      }
  }' | sort -k1,1r -k2,2n
echo
echo "== peak memory: bench_train $(awk '/peak RSS/ {print $4, $5}' "$logs/train-f64.txt"), chapter 4 ${rss} MB (target 150 MB)"
echo
echo "== matrix product (bench_matmul), GFLOPS: ours vs naive vs OpenBLAS, ratio = ours / OpenBLAS"
grep -v '^#' "$logs/matmul.txt"
echo
echo "run_bench: full outputs in $logs/"
