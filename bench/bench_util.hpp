// bench_util.hpp — what every benchmark prints in its header: the CPU and how busy the machine was.
#pragma once

#include <fstream>
#include <string>

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

}  // namespace scratch::bench
