// interrupt.hpp — Ctrl-C as a polite request: finish the current step, save, return normally.
//
// While an InterruptGuard lives, the first SIGINT (Ctrl-C) only sets a flag that the training loop
// polls between iterations; it finishes the iteration it is in, writes its checkpoint and returns.
// The handler is installed with SA_RESETHAND, so the kernel restores the default action as it
// delivers that first signal: a second Ctrl-C kills the program as usual, and a stuck program can
// still be stopped. When the guard ends, the handler that was there before it is put back.
//
// The handler does only async-signal-safe things: it stores to a volatile std::sig_atomic_t and
// write(2)s one line to stderr. One guard at a time (the Trainer holds one during fit()).
#pragma once

#include <signal.h>

namespace scratch {

class InterruptGuard {
 public:
  // Clears the flag and installs the handler; throws IoError if sigaction fails.
  InterruptGuard();
  // Restores the previous SIGINT disposition.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Whether a Ctrl-C arrived since this guard was made.
  bool requested() const;

 private:
  struct sigaction previous_;
};

}  // namespace scratch
