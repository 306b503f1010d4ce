// interrupt.cpp — see interrupt.hpp.
#include "core/interrupt.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "core/errors.hpp"

namespace scratch {
namespace {

// Set by the handler to the signal's number, read by the training loop: the only type the C++
// standard lets a signal handler write.
volatile std::sig_atomic_t interrupt_signal = 0;

extern "C" void on_interrupt(int signal) {
  interrupt_signal = signal;
  static const char kCtrlC[] =
      "\nCtrl-C: finishing the current iteration, then saving and stopping (Ctrl-C again kills)\n";
  static const char kTerm[] =
      "\nSIGTERM: finishing the current iteration, then saving and stopping (a second SIGTERM kills)\n";
  const bool ctrl_c = signal == SIGINT;
  const ssize_t ignored =
      ::write(STDERR_FILENO, ctrl_c ? kCtrlC : kTerm, ctrl_c ? sizeof kCtrlC - 1 : sizeof kTerm - 1);
  (void)ignored;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  interrupt_signal = 0;
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the default action is back once the first signal is delivered, so a second one
  // kills. SA_RESTART: a read or write the signal lands in is resumed instead of failing with EINTR.
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  for (int i = 0; i < 2; ++i) {
    if (::sigaction(kSignals[i], nullptr, &previous_[i]) != 0)
      fail<IoError>("InterruptGuard: cannot read the disposition of ", interrupt_name(kSignals[i]), ": ",
                    std::strerror(errno));
    // Whoever started us asked for this signal to be ignored (a background job's SIGINT): keep it so.
    if (!(previous_[i].sa_flags & SA_SIGINFO) && previous_[i].sa_handler == SIG_IGN) continue;
    if (::sigaction(kSignals[i], &action, nullptr) != 0) {
      const int error = errno;
      restore();  // put back the one already installed
      fail<IoError>("InterruptGuard: cannot install the handler for ", interrupt_name(kSignals[i]), ": ",
                    std::strerror(error));
    }
    installed_[i] = true;
  }
}

InterruptGuard::~InterruptGuard() { restore(); }

void InterruptGuard::restore() {
  for (int i = 0; i < 2; ++i)
    if (installed_[i]) ::sigaction(kSignals[i], &previous_[i], nullptr);
}

bool InterruptGuard::requested() const { return interrupt_signal != 0; }

int InterruptGuard::last_signal() { return interrupt_signal; }

const char* interrupt_name(int signal) {
  return signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "a signal";
}

}  // namespace scratch
