// paths.hpp — where data and figures live, and writing files so that a crash never leaves half a file.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>

namespace scratch {

namespace fs = std::filesystem;

// The source tree this build came from (compiled in), so build/bin/* finds data/ and plots/ from
// any working directory.
fs::path source_dir();

// MNIST's folder: $SCRATCH_DATA_DIR if set, else <source>/data/mnist.
fs::path data_dir();

// Where figures and their CSV go: $SCRATCH_PLOTS_DIR if set, else <source>/plots. Created if missing.
fs::path plots_dir();

// Writes `path` atomically: `write` fills a temporary file beside it, which is flushed, synced and
// renamed over `path` only if everything succeeded. A crash or exception at any point leaves the
// previous file (if any) intact; an exception leaves no temporary behind, and the temporary of a
// process killed outright (kill -9) is swept by the next write of that file (core/temporary_files.hpp).
// Throws IoError naming the path.
void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write);

// The same mechanism for a file that someone else writes (gnuplot writing a PNG): `produce(tmp)`
// makes the temporary file `tmp` beside `path` and says whether it succeeded. Only then is `tmp`
// synced and renamed over `path`; otherwise it is removed, `path` is left as it was, and this
// returns false. Throws IoError (no temporary left behind) when the sync or the rename fails.
bool replace_file_atomically(const fs::path& path, const std::function<bool(const fs::path& tmp)>& produce);

}  // namespace scratch
