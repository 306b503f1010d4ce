// gnuplot_process.cpp — see gnuplot_process.hpp.
//
// gnuplot-iostream opens gnuplot with popen(), which throws away the exit status and lets gnuplot's
// errors scroll past on the terminal. We start gnuplot ourselves (posix_spawn, stdin from a pipe,
// stdout/stderr into temporary files) and hand the pipe's write end to gnuplot-iostream's
// Gnuplot(FILE*) constructor, so the script still goes through the Gnuplot stream while we keep
// the exit status and the error text.
#include "plot/gnuplot_process.hpp"

#include <fcntl.h>
#include <gnuplot-iostream.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/errors.hpp"

extern char** environ;

namespace scratch::plot_detail {

namespace {

// A file descriptor closed when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { close(); }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// A temporary file that exists only as an open descriptor: it is unlinked at once, so it vanishes
// when closed, even if we crash.
int anonymous_temp_file() {
  std::string name = (fs::temp_directory_path() / "scratch-gnuplot-XXXXXX").string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) fail<IoError>("gnuplot: cannot create a temporary file ", name, ": ", std::strerror(errno));
  ::unlink(name.c_str());
  return fd;
}

std::string read_all(int fd) {
  std::string text;
  if (::lseek(fd, 0, SEEK_SET) < 0) return text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      return text;
    }
  }
}

// Blocks until `pid` has ended, without reaping it: while it is a zombie its pid cannot be reused,
// so the Watchdog below can never kill a stranger.
void wait_until_ended(pid_t pid) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
}

// Kills `pid` with SIGKILL unless stop() is called within `limit`. Its thread waits on a condition
// variable, so stopping it early costs nothing. Writing the script can block (gnuplot not reading
// a full pipe) as well as waiting for the exit, so the kill has to come from another thread.
class Watchdog {
 public:
  Watchdog(pid_t pid, std::chrono::milliseconds limit) {
    if (limit.count() <= 0) return;
    thread_ = std::thread([this, pid, limit] {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!stop_requested_.wait_for(lock, limit, [this] { return stopped_; })) {
        ::kill(pid, SIGKILL);
        fired_ = true;
      }
    });
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() { stop(); }
  // Call only while the process is not yet reaped (see wait_until_ended).
  void stop() {
    if (!thread_.joinable()) return;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true;
    }
    stop_requested_.notify_one();
    thread_.join();
  }
  bool fired() const { return fired_; }  // read after stop()

 private:
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopped_ = false;
  bool fired_ = false;
  std::thread thread_;
};

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Writing to a gnuplot that already exited raises SIGPIPE, whose default action ends the program.
// This blocks SIGPIPE in the calling thread while we write, then swallows one that we caused (the
// write itself fails with EPIPE, and the exit status tells what went wrong).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &old_mask_);
    was_pending_ = pending();
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    if (!was_pending_ && pending()) {
      const timespec zero{0, 0};
      sigtimedwait(&sigpipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

 private:
  bool pending() const {
    sigset_t set;
    sigpending(&set);
    return sigismember(&set, SIGPIPE) == 1;
  }
  sigset_t sigpipe_{}, old_mask_{};
  bool was_pending_ = false;
};

}  // namespace

std::string gnuplot_command() {
  if (const char* env = std::getenv("SCRATCH_GNUPLOT"); env != nullptr && *env != '\0') return env;
  return "gnuplot";
}

GnuplotTimeLimit gnuplot_time_limit() {
  const auto seconds_to_limit = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
  };
  GnuplotTimeLimit result{seconds_to_limit(kDefaultGnuplotSeconds), ""};
  const char* env = std::getenv("SCRATCH_GNUPLOT_TIMEOUT");
  if (env == nullptr || *env == '\0') return result;
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(env, &end);
  if (end == env || *end != '\0' || errno != 0 || !std::isfinite(seconds) || seconds < 0 || seconds > 1e6) {
    std::ostringstream note;
    note << "SCRATCH_GNUPLOT_TIMEOUT='" << env << "' is not a number of seconds; used " << kDefaultGnuplotSeconds;
    result.note = note.str();
    return result;
  }
  result.limit = seconds_to_limit(seconds);
  return result;
}

std::optional<fs::path> find_executable(const std::string& command) {
  const auto is_executable = [](const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
  };
  if (command.empty()) return std::nullopt;
  if (command.find('/') != std::string::npos) {
    if (is_executable(command)) return fs::path(command);
    return std::nullopt;
  }
  const char* env = std::getenv("PATH");
  std::istringstream dirs(env != nullptr ? env : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / command;
    if (is_executable(candidate)) return candidate;
  }
  return std::nullopt;
}

GnuplotRun run_gnuplot(const fs::path& executable, const std::string& script, std::chrono::milliseconds time_limit) {
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) fail<IoError>("gnuplot: cannot create a pipe: ", std::strerror(errno));
  FileDescriptor read_end(pipe_ends[0]), write_end(pipe_ends[1]);
  FileDescriptor out(anonymous_temp_file()), err(anonymous_temp_file());

  // The child gets the pipe as stdin and the two files as stdout and stderr; every other
  // descriptor of ours is close-on-exec.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, read_end.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.get(), STDERR_FILENO);
  std::string program = executable.string();
  char* argv[] = {program.data(), nullptr};
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) fail<IoError>("gnuplot: cannot start ", executable, ": ", std::strerror(rc));
  read_end.close();

  GnuplotRun run;
  {
    Watchdog watchdog(pid, time_limit);
    SigpipeGuard guard;
    std::FILE* fh = ::fdopen(write_end.get(), "w");
    if (fh == nullptr) {
      const int error = errno;
      write_end.close();  // gnuplot sees the end of its input and exits
      wait_until_ended(pid);
      watchdog.stop();
      wait_for(pid);
      fail<IoError>("gnuplot: cannot open a stream on the pipe to gnuplot: ", std::strerror(error));
    }
    write_end.release();  // fh owns it now
    {
      Gnuplot gp(fh);  // closes fh when destroyed: gnuplot reads end-of-input and exits
      gp << script << std::flush;
    }
    wait_until_ended(pid);
    watchdog.stop();
    run.exit_status = wait_for(pid);
    run.timed_out = watchdog.fired() && run.exit_status == 128 + SIGKILL;
  }
  run.out = read_all(out.get());
  run.err = read_all(err.get());
  return run;
}

}  // namespace scratch::plot_detail
