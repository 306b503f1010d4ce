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
#include <cstdlib>
#include <cstring>
#include <sstream>

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

GnuplotRun run_gnuplot(const fs::path& executable, const std::string& script) {
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
    SigpipeGuard guard;
    std::FILE* fh = ::fdopen(write_end.get(), "w");
    if (fh == nullptr) {
      write_end.close();  // gnuplot sees the end of its input and exits
      wait_for(pid);
      fail<IoError>("gnuplot: cannot open a stream on the pipe to gnuplot: ", std::strerror(errno));
    }
    write_end.release();  // fh owns it now
    {
      Gnuplot gp(fh);  // closes fh when destroyed: gnuplot reads end-of-input and exits
      gp << script << std::flush;
    }
    run.exit_status = wait_for(pid);
  }
  run.out = read_all(out.get());
  run.err = read_all(err.get());
  return run;
}

}  // namespace scratch::plot_detail
