#!/usr/bin/env bash
# tools/run_bench.sh BUILD_DIR [--quick] — every benchmark, then one comparison table (make bench).
#
# Runs, with OPENBLAS_CORETYPE unset (it forces OpenBLAS onto older kernels):
#   BUILD_DIR/bin/bench_matmul          our gemm vs the naive loops vs OpenBLAS, GFLOPS
#   BUILD_DIR/bin/bench_train           one epoch of chapter 4's loop in double, 1 and all threads, sweeps
#   build-float/bin/bench_train         the same loop in the float build (-DSCRATCH_SCALAR=float), which
#                                       this script configures and builds itself (only that target)
#   bench/numpy_two_layer_net.py        chapter 4's loop in NumPy, f64 and f32, with /usr/bin/python3 when
#                                       it has NumPy: the book's step, and exactly our work
#   bench/torch_two_layer_net.py        the same in PyTorch eager, when /usr/bin/python3 has torch
#   BUILD_DIR/bin/bench_libtorch        the same in libtorch's C++ API, when CMake found Torch
#   BUILD_DIR/bin/ch04_...              a short chapter-4 run under /usr/bin/time, for its peak memory
# each reference on 1 thread and on all cores (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, and
# torch.set_num_threads / at::set_num_threads), and prints one table: seconds per epoch of chapter 4's
# loop (median of the timed epochs after a warm-up), ours and every reference with its ratio to ours,
# per dtype and thread count; then the matmul table. A reference that is not installed says so in
# its column. Logs go to BUILD_DIR/bench-logs/.
#
# glibc's malloc: by default it hands large freed blocks (above 128 KB, a threshold that then grows)
# back to the system, and the next allocation of that size page-faults on every 4 KB page.
# PyTorch from Python allocates such blocks every iteration in f64 (a batch is 627 KB); where a
# page fault costs 30 µs (measured in a Firecracker VM, against ~0.2 µs on bare metal) that alone
# made its f64 epoch 3× slower. So every benchmark runs with GLIBC_TUNABLES keeping freed memory
# in the process (what ScratchNet's Storage cache does by design); BENCH_MALLOC=default runs them
# with glibc's defaults instead. The header prints the page-fault cost measured here.
#
# Environment: SCRATCH_DATA_DIR (MNIST folder, default data/mnist), FLOAT_BUILD_DIR (default
# build-float), BENCH_MALLOC (steady, the default, or default: see above), BENCH_PREFIX (a command to run each benchmark under, e.g. "chrt -f 10" as root on
# a shared machine, see bench/README.md), PYTHON (default /usr/bin/python3).
set -euo pipefail
invocation="$0 $*"
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
case ${BENCH_MALLOC:-steady} in
  steady) export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456 ;;
  default) unset GLIBC_TUNABLES ;;
  *) echo "run_bench: BENCH_MALLOC is steady or default, not '$BENCH_MALLOC'" >&2; exit 2 ;;
esac

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

# bench_libtorch is off in ordinary builds (libtorch's headers take minutes to compile); turn it on
# here. Without Torch the configure step just leaves it out and its column says not installed.
echo "== building bench_libtorch in $build when CMake finds Torch (-DSCRATCH_BENCH_LIBTORCH=ON)"
cmake -S . -B "$build" -DSCRATCH_BENCH_LIBTORCH=ON > "$logs/libtorch-configure.log" 2>&1 ||
  { cat "$logs/libtorch-configure.log"; exit 1; }
if grep -q "Benchmarks compare with libtorch" "$logs/libtorch-configure.log"; then
  cmake --build "$build" --target bench_libtorch -j "$threads" > "$logs/libtorch-build.log" 2>&1 ||
    { tail -30 "$logs/libtorch-build.log"; exit 1; }
fi

echo
echo "== environment: OPENBLAS_CORETYPE unset; GLIBC_TUNABLES=${GLIBC_TUNABLES:-unset, the glibc defaults}"
# First touch of 64 MB of fresh memory, one write per 4 KB page (a Python loop: ~0.05 µs of it is the loop).
page_fault_probe='import mmap, time
n = 64 << 20
m = mmap.mmap(-1, n)
start = time.perf_counter()
for i in range(0, n, 4096):
    m[i] = 1
print("%.2f" % ((time.perf_counter() - start) / (n // 4096) * 1e6))'
page_fault=$("$python" -c "$page_fault_probe" 2> /dev/null || echo "?")
echo "== a page fault here costs $page_fault µs (first touch of fresh memory; ~0.1-0.3 µs on bare metal)"

run() {  # run LOG COMMAND…: show the output and keep it in $logs/LOG
  echo
  echo "== ${*:2}"
  "${prefix[@]}" "${@:2}" | tee "$logs/$1"
}

run matmul.txt "$build/bin/bench_matmul" "${quick[@]}"
run train-f64.txt "$build/bin/bench_train" "${quick[@]}"
run train-f32.txt "$float_build/bin/bench_train" --no-sweep "${quick[@]}"
# The references, each on 1 thread and on all cores; every row they print goes to references.txt.
# A reference that is missing leaves a "missing-<name>" line there, which the table shows.
: > "$logs/references.txt"
thread_counts=(1)
[[ $threads != 1 ]] && thread_counts+=("$threads")
have_numpy=false have_torch=false
"$python" -c "import numpy" 2> /dev/null && have_numpy=true
$have_numpy && "$python" -c "import torch" 2> /dev/null && have_torch=true
$have_numpy || { echo; echo "== $python has no NumPy: its columns say not installed (make bench-deps)"; }
$have_torch || { echo; echo "== $python has no torch: its column says not installed (make bench-deps)"; }
[[ -x $build/bin/bench_libtorch ]] ||
  { echo; echo "== no $build/bin/bench_libtorch (CMake found no Torch): its column says not installed (make bench-deps)"; }
for n in "${thread_counts[@]}"; do
  if $have_numpy; then
    OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n run "numpy-$n.txt" "$python" bench/numpy_two_layer_net.py \
      --data "$data_dir" "${quick[@]}"
    cat "$logs/numpy-$n.txt" >> "$logs/references.txt"
  fi
  if $have_torch; then
    OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n run "torch-$n.txt" "$python" bench/torch_two_layer_net.py \
      --data "$data_dir" --threads "$n" "${quick[@]}"
    cat "$logs/torch-$n.txt" >> "$logs/references.txt"
  fi
  if [[ -x $build/bin/bench_libtorch ]]; then
    OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n run "libtorch-$n.txt" "$build/bin/bench_libtorch" --threads "$n" \
      "${quick[@]}"
    cat "$logs/libtorch-$n.txt" >> "$logs/references.txt"
  fi
done
$have_numpy || echo "missing-numpy" >> "$logs/references.txt"
$have_torch || echo "missing-torch" >> "$logs/references.txt"
[[ -x $build/bin/bench_libtorch ]] || echo "missing-libtorch" >> "$logs/references.txt"
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
echo "=========================================================================================="
echo "== one epoch of chapter 4's loop: TwoLayerNet 784-50-10, batch 100, 600 SGD steps (lr 0.1),"
echo "== each batch converted from MNIST's bytes; seconds per epoch, the median of the timed epochs"
echo "== after a warm-up epoch; (Nx) = that time / ours: above 1, ours is faster. OPENBLAS_CORETYPE unset;"
echo "== GLIBC_TUNABLES=${GLIBC_TUNABLES:-unset, the glibc defaults}"
echo "==   ours        build/bin/bench_train (f64) and $float_build/bin/bench_train (f32): one forward,"
echo "==               backward without the first layer's dx, SGD update"
echo "==   NumPy book  numpy_two_layer_net.py --loop book: the book's step, i.e. ours plus the first"
echo "==               layer's dx plus a second forward for the loss it records"
echo "==   NumPy same  numpy_two_layer_net.py --loop same: exactly our work"
echo "==   PyTorch     torch_two_layer_net.py: eager nn.Sequential + F.cross_entropy + loss.backward()"
echo "==               + optim.SGD, torch.set_num_threads(threads); autograd skips dx of x: our work"
echo "==   libtorch    build/bin/bench_libtorch: the same in the C++ API, at::set_num_threads(threads)"
echo "=========================================================================================="
# Rows "book 50 100 THREADS DTYPE BEST MEDIAN …" from bench_train, "numpy-book|numpy-same|torch|libtorch
# 50 100 THREADS DTYPE BEST MEDIAN …" from the references, "missing-NAME" for one not installed.
cat "$logs/train-f64.txt" "$logs/train-f32.txt" "$logs/references.txt" | awk -v counts="${thread_counts[*]}" '
  $1 == "book" && $2 == 50 && $3 == 100 { time["ours " $5 " " $4] = $7 }
  $1 ~ /^(numpy-book|numpy-same|torch|libtorch)$/ { time[$1 " " $5 " " $4] = $7 }
  $1 == "missing-numpy" { missing["numpy-book"] = missing["numpy-same"] = 1 }
  $1 ~ /^missing-(torch|libtorch)$/ { missing[substr($1, 9)] = 1 }
  END {
    split("numpy-book numpy-same torch libtorch", refs, " ")
    split("f64 f32", dtypes, " ")
    n = split(counts, threads, " ")
    printf "%-5s %7s %8s  %-16s %-16s %-16s %-16s\n", "dtype", "threads", "ours", "NumPy book", "NumPy same",
           "PyTorch eager", "libtorch"
    for (d = 1; d <= 2; ++d)
      for (k = 1; k <= n; ++k) {
        key = dtypes[d] " " threads[k]
        ours = ("ours " key) in time ? time["ours " key] : ""
        printf "%-5s %7s %8s ", dtypes[d], threads[k], ours == "" ? "-" : ours
        for (r = 1; r <= 4; ++r) {
          if (refs[r] in missing) cell = "not installed"
          else if (!((refs[r] " " key) in time)) cell = "no result"
          else {
            t = time[refs[r] " " key]
            cell = ours == "" ? t : sprintf("%s (%.2fx)", t, t / ours)
          }
          printf " %-16s", cell
        }
        printf "\n"
      }
  }'
echo "== reproduce: cd $PWD && ${BENCH_PREFIX:+BENCH_PREFIX=\"$BENCH_PREFIX\" }SCRATCH_DATA_DIR=$data_dir $invocation"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores"
echo
echo "== peak memory: bench_train $(awk '/peak RSS/ {print $4, $5}' "$logs/train-f64.txt"), chapter 4 ${rss} MB (target 150 MB)"
echo
echo "== matrix product (bench_matmul), GFLOPS: ours vs naive vs OpenBLAS, ratio = ours / OpenBLAS"
grep -v '^#' "$logs/matmul.txt"
echo
echo "run_bench: full outputs in $logs/"
