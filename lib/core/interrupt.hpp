// interrupt.hpp — Ctrl-C and SIGTERM as a polite request: finish the current step, save, return normally.
//
// While an InterruptGuard lives, the first SIGINT (Ctrl-C) or SIGTERM (`kill PID`, a job scheduler,
// `timeout`) only sets a flag that the training loop polls between iterations; it finishes the
// iteration it is in, writes its checkpoint or its curve and returns. Each handler is installed with
// SA_RESETHAND, so the kernel restores the default action as it delivers that first signal: a second
// Ctrl-C (or a second SIGTERM) kills the program as usual, and a stuck program can still be stopped.
// A signal that was ignored when the guard began (SIG_IGN: SIGINT of a background job started by a
// non-interactive shell, `nohup`) stays ignored. When the guard ends, the dispositions that were
// there before it are put back.
//
// The handler does only async-signal-safe things: it stores to a volatile std::sig_atomic_t and
// write(2)s one line to stderr. One guard at a time (the Trainer holds one during fit()).
#pragma once

#include <signal.h>

namespace scratch {

class InterruptGuard {
 public:
  // Clears the flag and installs the handler for SIGINT and SIGTERM (each unless ignored); throws
  // IoError if sigaction fails.
  InterruptGuard();
  // Restores the previous SIGINT and SIGTERM dispositions.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Whether a Ctrl-C or SIGTERM arrived since this guard was made.
  bool requested() const;

  // The signal that asked the last guard to stop (SIGINT or SIGTERM), 0 if none did. It outlives
  // the guard until the next one begins, so a program can ask after Trainer::fit() which signal
  // stopped it, e.g. to exit with the shell's status for it, 128 + signal.
  static int last_signal();

 private:
  void restore();  // puts back the dispositions this guard replaced

  static constexpr int kSignals[2] = {SIGINT, SIGTERM};
  struct sigaction previous_[2];
  bool installed_[2] = {false, false};
};

// "Ctrl-C (SIGINT)" or "SIGTERM", for messages such as "stopped by SIGTERM after epoch 3".
const char* interrupt_name(int signal);

}  // namespace scratch
