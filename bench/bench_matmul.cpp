// bench_matmul.cpp — how fast is scratch::gemm, next to the naive loops and OpenBLAS?
//
// For each shape, thread count and dtype it times C = op(A)·op(B) with
//   ours      scratch::gemm<T> (what matmul uses), on `threads` OpenMP threads
//   naive     the three loops of matmul_naive, serial (only where it finishes quickly)
//   OpenBLAS  cblas_{d,s}gemm with openblas_set_num_threads(threads), when built with it
// and prints GFLOPS = 2·M·N·K / seconds, best of several repetitions (the machine may be shared,
// and the best run is the one least disturbed). Each product is also checked against OpenBLAS
// (or the naive loops), so a fast wrong kernel cannot hide here.
//
// Shapes: the TwoLayerNet's three products on a batch of 100 (x·W forward, xᵀ·dout for dW, dout·Wᵀ
// for dx) and squares 64 … 2048. Run:  env -u OPENBLAS_CORETYPE build/bin/bench_matmul
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "scratch.hpp"

#ifdef SCRATCH_HAVE_OPENBLAS
#include <cblas.h>
#endif

using namespace scratch;
using scratch::bench::best_seconds_per_call;
using scratch::bench::command_line;
using scratch::bench::cpu_model;
using scratch::bench::load_average;
using scratch::bench::load_average_1min;
using scratch::bench::parse_sizes;

namespace {

struct Shape3 {
  std::string name;  // how the network writes it, or "M×N×K"
  std::size_t m, n, k;
  Transpose ta, tb;
};

// The network's products, then the squares named in `squares` ("64,128" → 64³ and 128³).
std::vector<Shape3> shapes(bool network, const std::string& squares) {
  std::vector<Shape3> list;
  if (network) {
    list = {
        {"x·W        (100,784)·(784,50)", 100, 50, 784, Transpose::kNo, Transpose::kNo},
        {"xᵀ·dout    (100,784)ᵀ·(100,50)", 784, 50, 100, Transpose::kYes, Transpose::kNo},
        {"dout·Wᵀ    (100,50)·(784,50)ᵀ", 100, 784, 50, Transpose::kNo, Transpose::kYes},
    };
  }
  for (std::size_t s : parse_sizes(squares))
    list.push_back({"square     " + std::to_string(s) + "³", s, s, s, Transpose::kNo, Transpose::kNo});
  return list;
}

// The three loops of matmul_naive, for either dtype.
template <class T>
void naive_gemm(const Shape3& s, const T* a, const T* b, T* c) {
  const std::size_t lda = s.ta == Transpose::kNo ? s.k : s.m, ldb = s.tb == Transpose::kNo ? s.n : s.k;
  for (std::size_t i = 0; i < s.m; ++i)
    for (std::size_t j = 0; j < s.n; ++j) {
      T acc = 0;
      for (std::size_t p = 0; p < s.k; ++p)
        acc += (s.ta == Transpose::kNo ? a[i * lda + p] : a[p * lda + i]) *
               (s.tb == Transpose::kNo ? b[p * ldb + j] : b[j * ldb + p]);
      c[i * s.n + j] = acc;
    }
}

template <class T>
void ours_gemm(const Shape3& s, const T* a, const T* b, T* c) {
  gemm<T>(s.m, s.n, s.k, a, s.ta == Transpose::kNo ? s.k : s.m, s.ta, b, s.tb == Transpose::kNo ? s.n : s.k, s.tb, c,
          s.n);
}

#ifdef SCRATCH_HAVE_OPENBLAS
template <class T>
void openblas_gemm(const Shape3& s, const T* a, const T* b, T* c) {
  const auto ta = s.ta == Transpose::kNo ? CblasNoTrans : CblasTrans;
  const auto tb = s.tb == Transpose::kNo ? CblasNoTrans : CblasTrans;
  const int m = int(s.m), n = int(s.n), k = int(s.k);
  const int lda = s.ta == Transpose::kNo ? k : m, ldb = s.tb == Transpose::kNo ? n : k;
  if constexpr (sizeof(T) == sizeof(double))
    cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, n);
  else
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
}
#endif

// Best GFLOPS over `reps` timings (bench_util.hpp's best_seconds_per_call).
template <class Run>
double best_gflops(const Shape3& s, int reps, double min_seconds, Run&& run) {
  const double flops = 2.0 * double(s.m) * double(s.n) * double(s.k);
  return flops / best_seconds_per_call(reps, min_seconds, run) / 1e9;
}

// Largest |x − y| / (1 + |y|): how far our result is from the reference.
template <class T>
double max_relative_difference(const std::vector<T>& x, const std::vector<T>& y) {
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    worst = std::max(worst, std::abs(double(x[i]) - double(y[i])) / (1 + std::abs(double(y[i]))));
  return worst;
}

// A table cell: the number, or "-" where it was not measured.
std::string number(double x, const char* format = "%.1f") {
  if (std::isnan(x)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, x);
  return text;
}

struct Options {
  int reps;
  double min_seconds;
  std::size_t naive_limit;  // run the naive loops only up to this many multiply-adds
};

template <class T>
void bench_dtype(const char* dtype, const Shape3& s, int threads, const Options& opt) {
  Rng rng(42);
  std::vector<T> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n), reference(s.m * s.n);
  for (T& v : a) v = T(2 * rng.uniform() - 1);
  for (T& v : b) v = T(2 * rng.uniform() - 1);
  set_threads(threads);
  const double ours = best_gflops(s, opt.reps, opt.min_seconds, [&] { ours_gemm(s, a.data(), b.data(), c.data()); });
  const std::vector<T> ours_c = c;
  double naive = NAN, blas = NAN, diff = NAN;
  if (threads == 1 && s.m * s.n * s.k <= opt.naive_limit) {
    naive = best_gflops(s, 1, opt.min_seconds, [&] { naive_gemm(s, a.data(), b.data(), reference.data()); });
    diff = max_relative_difference(ours_c, reference);
  }
#ifdef SCRATCH_HAVE_OPENBLAS
  openblas_set_num_threads(threads);
  blas = best_gflops(s, opt.reps, opt.min_seconds, [&] { openblas_gemm(s, a.data(), b.data(), reference.data()); });
  diff = max_relative_difference(ours_c, reference);
#endif
  const double tolerance = sizeof(T) == sizeof(double) ? 1e-12 : 1e-4;
  std::printf("%-32s %7d %5s %9.1f %9s %9s %8s%s\n", s.name.c_str(), threads, dtype, ours, number(naive).c_str(),
              number(blas).c_str(), number(ours / blas, "%.2f").c_str(), diff > tolerance ? "   WRONG RESULT" : "");
  if (diff > tolerance) std::printf("    max relative difference %.3g > %.0g\n", diff, tolerance);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  return guarded_main("bench_matmul", [&] {
    Cli cli(argc, argv, "Times scratch::gemm against the naive loops and OpenBLAS (GFLOPS, best of several runs).");
    const bool quick = cli.flag("--quick", "three network shapes and 256³ only, in a few seconds (CI)");
    const int reps = cli.get("--reps", quick ? 2 : 7, "timings per entry; the best one is reported");
    const int max_threads_flag =
        cli.get("--max-threads", int(std::thread::hardware_concurrency()), "measure 1 thread and this many");
    const std::string dtypes = cli.get<std::string>("--dtype", "both", "f64, f32 or both");
    const std::string squares =
        cli.get<std::string>("--squares", quick ? "256" : "64,128,256,512,1024,2048", "square sizes, comma-separated");
    const bool network = !cli.flag("--no-network", "skip the TwoLayerNet's three products");
    if (!cli.finish()) return cli.exit_code();
    if (dtypes != "f64" && dtypes != "f32" && dtypes != "both")
      fail<ValueError>("bench_matmul: --dtype must be f64, f32 or both, not '", dtypes, "'");

    const std::string command = command_line(argc, argv);
    std::printf("# bench_matmul: C = op(A)·op(B), GFLOPS = 2·M·N·K / time, best of %d\n", reps);
    std::printf("# machine: %s, %u logical cores; load average %s\n", cpu_model().c_str(),
                std::thread::hardware_concurrency(), load_average().c_str());
    std::printf("# build: scalar %s, %s, %s\n", kScalarIsFloat ? "float" : "double",
#ifdef __AVX512F__
                "AVX-512 kernel (8 x 3 vectors)",
#elif defined(__AVX__)
                "AVX kernel (6 x 2 vectors)",
#else
                "SSE2 kernel (6 x 2 vectors)",
#endif
#ifdef _OPENMP
                "OpenMP");
#else
                "no OpenMP (one thread)");
#endif
#ifdef SCRATCH_HAVE_OPENBLAS
    std::string version = OPENBLAS_VERSION;  // " OpenBLAS 0.3.21 " in Debian's build
    version.erase(0, version.find_first_not_of(' '));
    version.erase(version.find_last_not_of(' ') + 1);
    std::printf("# reference: %s, using its kernels for %s\n", version.c_str(), openblas_get_corename());
    if (const char* coretype = std::getenv("OPENBLAS_CORETYPE")) {
      std::printf(
          "# WARNING: OPENBLAS_CORETYPE=%s forces OpenBLAS onto that CPU's kernels, which may not be\n"
          "#          this machine's best: for a fair comparison run  env -u OPENBLAS_CORETYPE %s\n",
          coretype, command.c_str());
    }
#else
    std::printf("# OpenBLAS: not built in (install libopenblas-dev and re-run cmake) — its columns are nan\n");
#endif
    std::printf("# reproduce: cd %s && env -u OPENBLAS_CORETYPE %s\n", SCRATCH_SOURCE_DIR, command.c_str());
    const unsigned cores = std::thread::hardware_concurrency();
    if (load_average_1min() > 0.5 * cores) {
      std::printf(
          "# WARNING: the load average is %s on %u cores: other programs are using the CPU, so these\n"
          "#          timings are low and noisy, the multi-threaded ones most (a thread waiting for\n"
          "#          a descheduled partner stalls the product). Re-run on an idle machine, or as\n"
          "#          root under  chrt -f 10  (real-time priority: the benchmark pre-empts the rest).\n",
          load_average().c_str(), cores);
    }
    std::printf("# naive = matmul_naive's three serial loops (1 thread, up to 256³); ratio = ours / OpenBLAS\n");
    std::printf("%-32s %7s %5s %9s %9s %9s %8s\n", "shape (M, N, K from op(A)·op(B))", "threads", "dtype", "ours",
                "naive", "OpenBLAS", "ratio");

    const Options opt{reps, quick ? 0.002 : 0.02, std::size_t{256} * 256 * 256};
    std::vector<int> thread_counts = {1};
    if (max_threads_flag > 1) thread_counts.push_back(max_threads_flag);
    for (const Shape3& s : shapes(network, squares))
      for (int threads : thread_counts) {
        if (dtypes != "f32") bench_dtype<double>("f64", s, threads, opt);
        if (dtypes != "f64") bench_dtype<float>("f32", s, threads, opt);
      }
    std::printf("# load average at the end: %s\n", load_average().c_str());
    return 0;
  });
}
