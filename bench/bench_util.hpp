// bench_util.hpp — what every benchmark prints in its header: the CPU and how busy the machine was.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/timer.hpp"

namespace scratch::bench {

// The CPU's name from /proc/cpuinfo ("unknown CPU" elsewhere).
inline std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// The 1-, 5- and 15-minute load averages, "2.18, 1.85, 1.99": how many programs were running or
// waiting for a core. Above the core count, timings are low and noisy.
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + ", " + five + ", " + fifteen;
}

// The 1-minute load average as a number (0 when it cannot be read): above half the cores, other
// programs are competing for them and timings are low and noisy.
inline double load_average_1min() {
  std::ifstream in("/proc/loadavg");
  double one = 0;
  in >> one;
  return in ? one : 0;
}

// The command line as typed, for the "# reproduce:" line.
inline std::string command_line(int argc, char** argv) {
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  return command;
}

// "64,128,256" → {64, 128, 256}; empty items are skipped. Throws std::invalid_argument on a non-number.
inline std::vector<std::size_t> parse_sizes(const std::string& text) {
  std::vector<std::size_t> values;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) values.push_back(std::stoul(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return values;
}

// Seconds per call of `call`, the best of `reps` timings. Each timing repeats the call until it has
// run for min_seconds, so that microsecond-sized work is timed over many calls; one call before
// them warms caches, buffers and the OpenMP thread pool.
template <class Call>
double best_seconds_per_call(int reps, double min_seconds, Call&& call) {
  call();
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    long calls = 0;
    Timer timer;
    double seconds = 0;
    do {
      call();
      ++calls;
      seconds = timer.seconds();
    } while (seconds < min_seconds);
    best = std::min(best, seconds / double(calls));
  }
  return best;
}

}  // namespace scratch::bench
