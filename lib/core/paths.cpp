// paths.cpp — see paths.hpp.
#include "core/paths.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "core/errors.hpp"

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

// fsync the file so that the rename below publishes data that is really on disk.
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) fail<IoError>("write_file_atomically: cannot reopen ", path, " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail<IoError>("write_file_atomically: fsync failed for ", path);
}

}  // namespace

bool replace_file_atomically(const fs::path& path, const std::function<bool(const fs::path& tmp)>& produce) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail<IoError>("write_file_atomically: cannot create folder ", dir, ": ", ec.message());
  const fs::path tmp = dir / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
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
