// parallel.cpp — thread-count control and the count of parallel regions; see parallel.hpp.
#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "core/errors.hpp"

namespace scratch {
namespace {

std::atomic<std::size_t> regions_opened{0};

// Cores other programs keep busy right now, measured rather than guessed: Linux's /proc/stat counts,
// since boot, the time all cores together spent busy and idle ("cpu  user nice system idle iowait
// irq softirq steal ..."); two readings 50 ms apart give the busy share of that interval, times the
// core count. (The load average was tried first and misled: on a virtual machine it sits near 1
// while the cores are idle, and after a build it stays high for minutes.) -1 if /proc/stat is
// unreadable (not Linux).
struct CpuTimes {
  unsigned long long busy = 0, total = 0;
};

bool read_cpu_times(CpuTimes& times) {
  std::ifstream in("/proc/stat");
  std::string label;
  if (!(in >> label) || label != "cpu") return false;
  unsigned long long field = 0;
  times = CpuTimes{};
  for (int column = 0; column < 8 && in >> field; ++column) {  // user … steal; guest is inside user
    times.total += field;
    if (column != 3 && column != 4) times.busy += field;  // 3 idle, 4 iowait
  }
  return times.total > 0;
}

int busy_cores(int cores) {
  CpuTimes before, after;
  if (!read_cpu_times(before)) return -1;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!read_cpu_times(after) || after.total <= before.total) return -1;
  const double busy_share =
      static_cast<double>(after.busy - before.busy) / static_cast<double>(after.total - before.total);
  return static_cast<int>(busy_share * cores + 0.5);
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

std::string threads_text() {
  const int n = max_threads();
  return std::to_string(n) + (n == 1 ? " thread" : " threads");
}

int default_threads() {
  const int cores = max_threads();  // OMP_NUM_THREADS if set, else the cores this process may use
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return cores;
  const int busy = busy_cores(cores);
  return busy < 0 ? cores : std::clamp(cores - busy, 1, cores);
}

std::size_t parallel_regions() { return regions_opened.load(std::memory_order_relaxed); }

void detail::count_parallel_region() { regions_opened.fetch_add(1, std::memory_order_relaxed); }

}  // namespace scratch
