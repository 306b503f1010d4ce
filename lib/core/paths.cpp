// paths.cpp — see paths.hpp.
#include "core/paths.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

#include "core/errors.hpp"
#include "core/temporary_files.hpp"

#ifndef SCRATCH_SOURCE_DIR
#define SCRATCH_SOURCE_DIR "."
#endif

namespace scratch {

fs::path source_dir() { return fs::path(SCRATCH_SOURCE_DIR); }

fs::path data_dir() {
  if (const char* dir = std::getenv("SCRATCH_DATA_DIR"); dir != nullptr && *dir != '\0') return fs::path(dir);
  return source_dir() / "data" / "mnist";
}

fs::path plots_dir() {
  fs::path dir = source_dir() / "plots";
  if (const char* env = std::getenv("SCRATCH_PLOTS_DIR"); env != nullptr && *env != '\0') dir = fs::path(env);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    fail<IoError>("plots_dir: cannot create ", dir, ": ", ec.message(),
                  " (set SCRATCH_PLOTS_DIR to a writable folder)");
  return dir;
}

namespace {

// fsync the file so that the rename below publishes data that is really on disk. Some file
// systems report a full disk only here (ENOSPC, EDQUOT), hence the errno in the message.
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) fail<IoError>("write_file_atomically: cannot reopen ", path, " to sync it: ", std::strerror(errno));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) fail<IoError>("write_file_atomically: fsync failed for ", path, ": ", std::strerror(error));
}

std::string temporary_prefix(const fs::path& path) { return "." + path.filename().string() + ".tmp."; }

// The pid in `name` if it is exactly prefix + decimal digits (no sign, no leading zero), else 0.
pid_t pid_in_name(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return 0;
  const std::string digits = name.substr(prefix.size());
  if (digits.size() > 9 || digits[0] == '0') return 0;  // 9 digits: any Linux pid, and no overflow
  for (const char c : digits) {
    if (c < '0' || c > '9') return 0;
  }
  return static_cast<pid_t>(std::stol(digits));
}

}  // namespace

std::vector<fs::path> remove_stale_temporaries(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string prefix = temporary_prefix(path);
  std::vector<fs::path> removed;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t pid = pid_in_name(it->path().filename().string(), prefix);
    if (pid <= 0 || pid == ::getpid()) continue;
    // kill(pid, 0) sends nothing; it only asks whether the process exists. EPERM means it does
    // (someone else's), so only ESRCH counts as gone.
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code remove_ec;
    if (it->is_regular_file(remove_ec) && fs::remove(it->path(), remove_ec)) removed.push_back(it->path());
  }
  return removed;
}

bool replace_file_atomically(const fs::path& path, const std::function<bool(const fs::path& tmp)>& produce) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail<IoError>("write_file_atomically: cannot create folder ", dir, ": ", ec.message());
  remove_stale_temporaries(path);
  const fs::path tmp = dir / (temporary_prefix(path) + std::to_string(::getpid()));
  try {
    if (!produce(tmp)) {
      fs::remove(tmp, ec);
      return false;
    }
    sync_file(tmp);
    fs::rename(tmp, path, ec);
    if (ec) fail<IoError>("write_file_atomically: cannot rename ", tmp, " to ", path, ": ", ec.message());
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  return true;
}

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  replace_file_atomically(path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      fail<IoError>("write_file_atomically: cannot open ", tmp, " for writing (is ", tmp.parent_path(), " writable?)");
    write(out);
    out.flush();
    if (!out) fail<IoError>("write_file_atomically: writing ", tmp, " failed (disk full?)");
    return true;  // closed here, before the sync
  });
}

}  // namespace scratch
