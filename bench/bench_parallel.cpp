// bench_parallel.cpp — from how many elements does splitting a loop between threads pay?
//
// scratch::parallel_for (core/parallel.hpp) runs a loop serially below a work threshold, because
// opening an OpenMP region, handing out the chunks and meeting at the closing barrier costs
// microseconds, and a memory-bound loop gains little from a second core anyway. This benchmark
// measures where the break-even lies, for each kind of loop the library has:
//
//   add    y = a + b             memory-bound: 2 loads, 1 store, 1 flop per element
//   relu   y = max(x, 0), mask   memory-bound: 1 load, 2 stores
//   exp    y = exp(x)            compute-bound: a libm call per element (≈ 20× an add)
//   rows   softmax of (n/10, 10) rows: a max, 10 exps and a division per row
//
// For each kind and size n it times the loop serially and split statically between all threads
// (what parallel_for does above its threshold), best of several runs, each run repeating the loop
// until it has taken a few milliseconds, with the data already in the caches.
//
//   chrt -f 10 build/bin/bench_parallel
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "scratch.hpp"

using namespace scratch;
using scratch::bench::best_seconds_per_call;
using scratch::bench::command_line;
using scratch::bench::load_average;

namespace {

enum class Split { kSerial, kThreads };

// Calls body(begin, end) over [0, n): once, or once per thread on equal static parts.
template <class Body>
void run(Split split, std::size_t n, Body&& body) {
#ifdef _OPENMP
  if (split == Split::kThreads) {
#pragma omp parallel
    {
      const std::size_t threads = std::size_t(omp_get_num_threads()), me = std::size_t(omp_get_thread_num());
      body(n * me / threads, n * (me + 1) / threads);
    }
    return;
  }
#endif
  (void)split;
  body(std::size_t{0}, n);
}

// Microseconds per call, best of `reps` timings (bench_util.hpp's best_seconds_per_call).
template <class Call>
double best_microseconds(int reps, double min_seconds, Call&& call) {
  return best_seconds_per_call(reps, min_seconds, call) * 1e6;
}

struct Buffers {
  std::vector<Scalar> a, b, y, mask;
  explicit Buffers(std::size_t n) : a(n), b(n), y(n), mask(n) {
    Rng rng(1);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = Scalar(rng.normal());
      b[i] = Scalar(rng.normal());
    }
  }
};

// One pass of the loop `kind` over [begin, end) (for rows: over the rows that start there).
void loop(const std::string& kind, Buffers& d, std::size_t begin, std::size_t end) {
  const Scalar* a = d.a.data();
  const Scalar* b = d.b.data();
  Scalar* y = d.y.data();
  Scalar* mask = d.mask.data();
  if (kind == "add") {
    for (std::size_t i = begin; i < end; ++i) y[i] = a[i] + b[i];
  } else if (kind == "relu") {
    for (std::size_t i = begin; i < end; ++i) {
      mask[i] = a[i] <= 0 ? Scalar(0) : Scalar(1);
      y[i] = a[i] <= 0 ? Scalar(0) : a[i];
    }
  } else if (kind == "exp") {
    for (std::size_t i = begin; i < end; ++i) y[i] = std::exp(a[i]);
  } else {  // rows of 10: softmax
    constexpr std::size_t c = 10;
    const std::size_t rows = d.a.size() / c;  // row r belongs to the part where it starts
    for (std::size_t r = (begin + c - 1) / c; r < std::min(rows, (end + c - 1) / c); ++r) {
      const Scalar* x = a + r * c;
      Scalar* out = y + r * c;
      const Scalar m = *std::max_element(x, x + c);
      Scalar sum = 0;
      for (std::size_t j = 0; j < c; ++j) sum += out[j] = std::exp(x[j] - m);
      for (std::size_t j = 0; j < c; ++j) out[j] /= sum;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  return guarded_main("bench_parallel", [&] {
    Cli cli(argc, argv, "Serial vs threaded time of the library's kinds of elementwise loops, by size.");
    const bool quick = cli.flag("--quick", "fewer sizes and repetitions (CI)");
    const int reps = cli.get("--reps", quick ? 2 : 7, "runs per entry; the best is reported");
    const int threads = cli.get("--max-threads", int(std::thread::hardware_concurrency()), "threads of the split loop");
    if (!cli.finish()) return cli.exit_code();
    set_threads(threads);

    const std::string command = command_line(argc, argv);
    std::printf("# bench_parallel: µs per loop, serial vs split between %d threads, best of %d\n", threads, reps);
    std::printf("# load average %s; scalar %s; reproduce: cd %s && %s\n", load_average().c_str(),
                kScalarIsFloat ? "float" : "double", SCRATCH_SOURCE_DIR, command.c_str());
    std::printf("# speedup = serial / split: below 1 the OpenMP region costs more than the second thread saves\n");
    std::printf("%-6s %9s %11s %11s %8s\n", "loop", "n", "serial µs", "split µs", "speedup");
    const std::vector<std::size_t> sizes =
        quick ? std::vector<std::size_t>{4096, 65536, 1 << 20}
              : std::vector<std::size_t>{1024, 4096, 16384, 32768, 65536, 131072, 262144, 1 << 20, 1 << 22};
    for (const std::string kind : {"add", "relu", "exp", "rows"}) {
      for (std::size_t n : sizes) {
        Buffers d(n);
        const double min_seconds = quick ? 0.002 : 0.01;
        const double serial = best_microseconds(reps, min_seconds, [&] {
          run(Split::kSerial, n, [&](std::size_t b, std::size_t e) { loop(kind, d, b, e); });
        });
        const double split = best_microseconds(reps, min_seconds, [&] {
          run(Split::kThreads, n, [&](std::size_t b, std::size_t e) { loop(kind, d, b, e); });
        });
        std::printf("%-6s %9zu %11.2f %11.2f %8.2f\n", kind.c_str(), n, serial, split, serial / split);
        std::fflush(stdout);
      }
    }
    std::printf("# load average at the end: %s\n", load_average().c_str());
    return 0;
  });
}
