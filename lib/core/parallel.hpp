// parallel.hpp — the one place OpenMP is used for loops outside the matmul kernel.
//
// Rules (DESIGN.md §3): parallelise outer loops only; small work stays serial; and results never
// depend on the thread count, so every iteration writes its own outputs and nothing is reduced
// across threads.
//
// "Small" is measured, not guessed (bench/bench_parallel.cpp, table in bench/README.md). Opening an
// OpenMP region, handing out the iterations and meeting at its closing barrier costs about 2 µs on
// two cores even when the threads are spinning, ready; a memory-bound loop (x + y, ReLU, a copy)
// does some 4000 elements per µs on one core, and a second core speeds it up by 1.3–1.6× at best
// because both share the memory bandwidth. So:
//   - a memory-bound loop pays from about 100 000 elements (add broke even near 48 000, ReLU, which
//     writes two outputs, near 100 000);
//   - a loop that calls exp or log per element is some 30× costlier per element and pays from a
//     few thousand elements (exp broke even near 1200, softmax over rows of 10 near 1000).
// Callers state each item's work in units of one memory-bound operation on one element
// (kCostSimple), or kCostTranscendental per element for exp, log, tanh, pow.
//
// Loops over the operands of a matrix product that runs on several threads are a third kind: the
// gradient the product wrote and the parameter it updates (remove_duplicates, the optimizers), or
// the input the next product reads (Affine's cached x, an MNIST batch). Each of the product's
// threads works on its own part of that data — its rows of x, its rows of dW — which sits in its
// own core's cache. Split between the threads the same way, each core handles the part it already
// holds or reads next, instead of one core pulling all of it over and the other pulling it back
// (measured on MNIST's W1, 39 200 elements, 2 threads: the SGD step 55 → 26 µs, the whole epoch
// 15% faster; splitting the batch conversion and Affine's copy of x too: 4% more). They count
// kCostOperandElement per element.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace scratch {

// Work per element, in units of one memory-bound elementwise operation.
inline constexpr std::size_t kCostSimple = 1;           // +, −, ·, max, a copy, a comparison
inline constexpr std::size_t kCostTranscendental = 32;  // exp, log, tanh, pow: a libm call each

// Below this much work (in kCostSimple units) a loop runs serially, without opening an OpenMP region.
inline constexpr std::size_t kMinParallelWork = std::size_t{1} << 17;

// Loops over a matrix product's operand split from 2^15 elements: the size from which a weight's
// product with a batch of 32 or more runs on several threads (see kGemmParallelWork).
inline constexpr std::size_t kCostOperandElement = kMinParallelWork >> 15;

// Work of one chunk of parallel_for_chunks, in kCostSimple units: about a microsecond, so a chunk
// runs at full speed, and a 100 000-element loop still splits into equal shares.
inline constexpr std::size_t kParallelChunkWork = 4096;

// Threads OpenMP regions will use (1 when built without OpenMP). `--threads N` sets it.
int max_threads();
void set_threads(int threads);
// "1 thread" or "N threads", for the programs' opening lines.
std::string threads_text();

// The thread count programs start with unless told (scratch::Cli's default for --threads):
// OMP_NUM_THREADS when it is set; otherwise as many as the machine has idle cores (its cores minus
// the busy share of all of them, rounded, measured over 50 ms from /proc/stat), at least 1 and at
// most max_threads(). Why not always every core: libgomp's threads wait for each
// other spinning, and when other programs keep the cores busy, a spinning thread whose partner has
// been descheduled waits for the scheduler at every region — chapter 4 then ran 5–8× slower on 2
// threads than on 1 (bench/README.md, "Threads on a busy machine"). Results do not depend on the
// thread count, so this changes only the speed.
int default_threads();

// How many OpenMP regions parallel_for and parallel_for_chunks have opened since the program
// started: tests use it to check that small work stays serial and large work really is split.
std::size_t parallel_regions();

namespace detail {

void count_parallel_region();

// Whether a loop of n items and `work` units in total is worth an OpenMP region.
inline bool worth_a_region(std::size_t n, std::size_t work) {
  return n > 1 && work >= kMinParallelWork && max_threads() > 1;
}

// Calls body(i) for i in [0, n): statically scheduled on all threads when `parallel`, else serially.
template <class Body>
void run_loop(std::size_t n, bool parallel, Body&& body) {
#ifdef _OPENMP
  if (parallel) {
    count_parallel_region();
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) body(static_cast<std::size_t>(i));
    return;
  }
#endif
  (void)parallel;
  for (std::size_t i = 0; i < n; ++i) body(i);
}

}  // namespace detail

// Calls body(i) for i in [0, n). Runs in parallel, statically scheduled, only when the total work
// n * work_per_item reaches kMinParallelWork and more than one thread is available. body(i) must
// touch only its own outputs.
template <class Body>
void parallel_for(std::size_t n, std::size_t work_per_item, Body&& body) {
  detail::run_loop(n, detail::worth_a_region(n, n * work_per_item), body);
}

// A flat loop over n elements in chunks: calls body(begin, end) for consecutive ranges covering
// [0, n), each about kParallelChunkWork units long, in parallel when n * cost_per_element reaches
// kMinParallelWork. The body's own plain loop over [begin, end) is what the compiler vectorises.
template <class Body>
void parallel_for_chunks(std::size_t n, std::size_t cost_per_element, Body&& body) {
  const std::size_t chunk = std::max<std::size_t>(1, kParallelChunkWork / cost_per_element);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  detail::run_loop(chunks, detail::worth_a_region(chunks, n * cost_per_element),
                   [&](std::size_t c) { body(c * chunk, std::min(n, (c + 1) * chunk)); });
}

}  // namespace scratch
