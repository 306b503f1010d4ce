// plot_test_util.hpp — what the plot tests share: a temporary folder per test, a scoped environment
// variable, reading a file back, and a fake gnuplot.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "plot/gnuplot_process.hpp"
#include "test_util.hpp"

namespace scratch::test {

// A Boost.Test precondition: tests that need gnuplot are skipped, with this message, without it.
inline boost::test_tools::assertion_result gnuplot_present(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result found = plot_detail::find_executable(plot_detail::gnuplot_command()).has_value();
  found.message() << "gnuplot is not installed (sudo apt-get install gnuplot-nox)";
  return found;
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A shell script standing in for gnuplot: it runs `body` (e.g. "echo boom >&2; exit 3") and is
// made executable.
inline fs::path fake_gnuplot(const TempDir& dir, const std::string& body) {
  const fs::path path = dir / "fake-gnuplot";
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

// True when the file starts with the 8-byte PNG signature and is bigger than `min_bytes`.
inline bool is_png(const fs::path& path, std::uintmax_t min_bytes) {
  const std::string text = read_text(path);
  return text.size() > min_bytes && text.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

}  // namespace scratch::test
