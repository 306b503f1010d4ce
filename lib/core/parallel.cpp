// parallel.cpp — thread-count control and the count of parallel regions; see parallel.hpp.
#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>

#include "core/errors.hpp"

namespace scratch {
namespace {

std::atomic<std::size_t> regions_opened{0};

// Cores other programs keep busy: the 1-minute load average (programs running or waiting to run,
// averaged), rounded, but no more than are runnable right now besides this process — so that the
// load of a build that has just finished does not count. Linux shows both in /proc/loadavg,
// e.g. "2.23 2.90 2.90 3/91 18460" (the fourth field: runnable / all); elsewhere, getloadavg alone.
int busy_cores() {
  std::ifstream in("/proc/loadavg");
  double minutes_1 = 0, minutes_5 = 0, minutes_15 = 0;
  int runnable = 0;
  char slash = 0;
  if (in >> minutes_1 >> minutes_5 >> minutes_15 >> runnable >> slash && slash == '/')
    return std::min(static_cast<int>(minutes_1 + 0.5), std::max(0, runnable - 1));
  double sample[1] = {0};
  return getloadavg(sample, 1) == 1 ? static_cast<int>(sample[0] + 0.5) : 0;
}

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
  return std::max(1, cores - busy_cores());
}

std::size_t parallel_regions() { return regions_opened.load(std::memory_order_relaxed); }

void detail::count_parallel_region() { regions_opened.fetch_add(1, std::memory_order_relaxed); }

}  // namespace scratch
