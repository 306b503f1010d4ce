// parallel.cpp — thread-count control and the count of parallel regions; see parallel.hpp.
#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "core/errors.hpp"

namespace scratch {
namespace {
std::atomic<std::size_t> regions_opened{0};
}  // namespace

int max_threads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

void set_threads(int threads) {
  if (threads < 1) fail<ValueError>("set_threads: need at least 1 thread, got ", threads);
#ifdef _OPENMP
  omp_set_num_threads(threads);
#endif
}

int default_threads() {
  const int cores = max_threads();  // OMP_NUM_THREADS if set, else the cores this process may use
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return cores;
  double load[1] = {0};
  if (getloadavg(load, 1) != 1) return cores;
  // The 1-minute load average counts the programs running or waiting to run: round it to whole
  // busy cores and leave those alone.
  const int busy = static_cast<int>(load[0] + 0.5);
  return std::max(1, cores - busy);
}

std::size_t parallel_regions() { return regions_opened.load(std::memory_order_relaxed); }

void detail::count_parallel_region() { regions_opened.fetch_add(1, std::memory_order_relaxed); }

}  // namespace scratch
