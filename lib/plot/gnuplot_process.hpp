// gnuplot_process.hpp — finding gnuplot and running one script through gnuplot-iostream, with its
// exit status and its output captured (internal to lib/plot).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace scratch::plot_detail {

namespace fs = std::filesystem;

// What to run: $SCRATCH_GNUPLOT if set and non-empty, else "gnuplot".
std::string gnuplot_command();

// `command` as an executable file: used as is if it contains a '/', else searched on PATH.
// nullopt if there is no such executable.
std::optional<fs::path> find_executable(const std::string& command);

// How long one gnuplot run may take: $SCRATCH_GNUPLOT_TIMEOUT seconds (fractions allowed; 0 means
// no limit), else kDefaultGnuplotSeconds. An unreadable value gives the default and a `note` for
// the figure's message ("SCRATCH_GNUPLOT_TIMEOUT='soon' is not a number of seconds; used 60").
constexpr double kDefaultGnuplotSeconds = 60;
struct GnuplotTimeLimit {
  std::chrono::milliseconds limit{0};  // 0: no limit
  std::string note;
};
GnuplotTimeLimit gnuplot_time_limit();

struct GnuplotRun {
  int exit_status = -1;    // gnuplot's exit code; 128 + n if killed by signal n
  bool timed_out = false;  // we killed it (SIGKILL) because it ran past the time limit
  std::string out;         // what gnuplot printed on stdout (the `dumb` terminal's text chart)
  std::string err;         // what it printed on stderr (errors, warnings, `print`)
};

// Starts `executable` with no arguments, sends `script` to its stdin through a gnuplot-iostream
// Gnuplot stream, closes it and waits for gnuplot to exit. stdout and stderr go to unlinked
// temporary files, so a chatty gnuplot never blocks and nothing is left on disk. A gnuplot that
// dies early cannot kill us with SIGPIPE. A gnuplot still running `time_limit` after it started
// (0: no limit) is killed, whether it hangs reading the script or drawing; then timed_out is set.
// Throws IoError if the process cannot be started.
GnuplotRun run_gnuplot(const fs::path& executable, const std::string& script,
                       std::chrono::milliseconds time_limit = std::chrono::milliseconds(0));

}  // namespace scratch::plot_detail
