// parallel.cpp — thread-count control and the count of parallel regions; see parallel.hpp.
#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "core/errors.hpp"

namespace scratch {
namespace {

std::atomic<std::size_t> regions_opened{0};

// The machine's cores and how many of them other programs keep busy right now, measured rather
// than guessed: Linux's /proc/stat counts, since boot, the time all cores together spent busy and
// idle (first line: "cpu  user nice system idle iowait irq softirq steal ...", then one "cpuN" line
// per core); two readings 50 ms apart give the busy share of that interval. (The load average was
// tried first and misled: on a virtual machine it sits near 1 while the cores are idle, and after a
// build it stays high for minutes.)
struct CpuTimes {
  unsigned long long busy = 0, total = 0;
  int cores = 0;
};

bool read_cpu_times(CpuTimes& times) {
  std::ifstream in("/proc/stat");
  std::string label;
  if (!(in >> label) || label != "cpu") return false;
  times = CpuTimes{};
  unsigned long long field = 0;
  for (int column = 0; column < 8 && in >> field; ++column) {  // user … steal; guest is inside user
    times.total += field;
    if (column != 3 && column != 4) times.busy += field;  // 3 idle, 4 iowait
  }
  for (std::string line; std::getline(in, line);)
    if (line.size() > 3 && line.compare(0, 3, "cpu") == 0 && std::isdigit(static_cast<unsigned char>(line[3])))
      ++times.cores;
  return times.total > 0 && times.cores > 0;
}

// Cores of the machine that nothing else is using, or -1 if /proc/stat is unreadable (not Linux).
int idle_cores() {
  CpuTimes before, after;
  if (!read_cpu_times(before)) return -1;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!read_cpu_times(after) || after.total <= before.total) return -1;
  const double busy_share =
      static_cast<double>(after.busy - before.busy) / static_cast<double>(after.total - before.total);
  return after.cores - static_cast<int>(busy_share * after.cores + 0.5);
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
  const int idle = idle_cores();  // of the whole machine, which may have more cores than we may use
  return idle < 0 ? cores : std::clamp(idle, 1, cores);
}

std::size_t parallel_regions() { return regions_opened.load(std::memory_order_relaxed); }

void detail::count_parallel_region() { regions_opened.fetch_add(1, std::memory_order_relaxed); }

}  // namespace scratch
