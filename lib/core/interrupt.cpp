// interrupt.cpp — see interrupt.hpp.
#include "core/interrupt.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "core/errors.hpp"

namespace scratch {
namespace {

// Set by the handler, read by the training loop: the only type the C++ standard lets a signal
// handler write.
volatile std::sig_atomic_t interrupt_flag = 0;

extern "C" void on_interrupt(int) {
  interrupt_flag = 1;
  static const char kMessage[] =
      "\nCtrl-C: finishing the current iteration, then saving and stopping (Ctrl-C again kills)\n";
  const ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  interrupt_flag = 0;
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the default action is back once the first SIGINT is delivered, so a second one
  // kills. SA_RESTART: a read or write the signal lands in is resumed instead of failing with EINTR.
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  if (::sigaction(SIGINT, &action, &previous_) != 0)
    fail<IoError>("InterruptGuard: cannot install the Ctrl-C handler: ", std::strerror(errno));
}

InterruptGuard::~InterruptGuard() { ::sigaction(SIGINT, &previous_, nullptr); }

bool InterruptGuard::requested() const { return interrupt_flag != 0; }

}  // namespace scratch
