// child_process.hpp — running a piece of a test in a child process, for tests of signal handling
// (a signal sent to the test runner itself would stop the whole suite).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace scratch::test {

// Runs `body` in a child process and returns its wait status. The child never returns into the
// test framework: it exits with body's return value.
inline int in_child(const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace scratch::test
