// parallel.hpp — the one place OpenMP is used for loops outside the matmul kernel.
//
// Rules (DESIGN.md §3): parallelise outer loops only; small work stays serial (opening an OpenMP
// region costs microseconds, more than a small loop); and results never depend on the thread count,
// so every iteration writes its own outputs and nothing is reduced across threads.
#pragma once

#include <cstddef>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace scratch {

// Below this many scalar operations a loop runs serially, without opening an OpenMP region.
inline constexpr std::size_t kMinParallelWork = std::size_t{1} << 16;

// Threads OpenMP regions will use (1 when built without OpenMP). `--threads N` sets it.
int max_threads();
void set_threads(int threads);

// Calls body(i) for i in [0, n). Runs in parallel, statically scheduled, only when the total work
// n * work_per_item reaches kMinParallelWork and more than one thread is available. body(i) must
// touch only its own outputs.
template <class Body>
void parallel_for(std::size_t n, std::size_t work_per_item, Body&& body) {
#ifdef _OPENMP
  if (n > 1 && n * work_per_item >= kMinParallelWork && max_threads() > 1) {
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) body(static_cast<std::size_t>(i));
    return;
  }
#endif
  (void)work_per_item;
  for (std::size_t i = 0; i < n; ++i) body(i);
}

}  // namespace scratch
