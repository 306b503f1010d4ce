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

#include "test_util.hpp"

namespace scratch::test {

// Sets (or with nullopt unsets) an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

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
