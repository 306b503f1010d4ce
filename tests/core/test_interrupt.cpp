// test_interrupt.cpp — InterruptGuard on its own: SIGTERM is a polite request like Ctrl-C, a
// second one kills, a signal that was ignored when the guard began stays ignored, and the
// dispositions in place before the guard come back after it. (Ctrl-C during Trainer::fit is
// tests/train/test_interrupt.cpp.) Whatever could kill the test runner runs in a child process.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>

#include "core/interrupt.hpp"
#include "child_process.hpp"
#include "test_util.hpp"

using namespace scratch;
using scratch::test::in_child;

namespace {

using Handler = void (*)(int);
Handler handler_of(int signal) {
  struct sigaction now {};
  sigaction(signal, nullptr, &now);
  return now.sa_handler;
}

// Sets `signal`'s handler for the life of the object, and puts the old one back.
class ScopedHandler {
 public:
  ScopedHandler(int signal, Handler handler) : signal_(signal) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(signal_, &action, &previous_);
  }
  ~ScopedHandler() { sigaction(signal_, &previous_, nullptr); }
  ScopedHandler(const ScopedHandler&) = delete;
  ScopedHandler& operator=(const ScopedHandler&) = delete;

 private:
  int signal_;
  struct sigaction previous_ {};
};

volatile std::sig_atomic_t guard_test_handler_calls = 0;
// C linkage ignores the anonymous namespace: the name must differ from tests/train's own_handler.
extern "C" void guard_test_handler(int) { guard_test_handler_calls = guard_test_handler_calls + 1; }


}  // namespace

BOOST_AUTO_TEST_SUITE(core_interrupt)

BOOST_AUTO_TEST_CASE(sigterm_is_a_request_to_stop_and_the_old_handler_comes_back) {
  const ScopedHandler own(SIGTERM, guard_test_handler);
  guard_test_handler_calls = 0;
  Handler during = nullptr;
  bool requested = false;
  {
    const InterruptGuard guard;
    during = handler_of(SIGTERM);
    BOOST_TEST(!guard.requested());
    std::raise(SIGTERM);
    requested = guard.requested();
    BOOST_TEST((handler_of(SIGTERM) == SIG_DFL));  // a second SIGTERM would kill
  }
  BOOST_TEST(requested);
  BOOST_TEST(InterruptGuard::last_signal() == SIGTERM);  // still known after the guard ended
  BOOST_TEST((during != guard_test_handler && during != SIG_DFL && during != SIG_IGN));
  BOOST_TEST((handler_of(SIGTERM) == guard_test_handler));
  BOOST_TEST(guard_test_handler_calls == 0);
  BOOST_TEST(std::string(interrupt_name(SIGTERM)) == "SIGTERM");
}

BOOST_AUTO_TEST_CASE(ctrl_c_is_told_apart_from_sigterm) {
  const ScopedHandler own(SIGINT, guard_test_handler);
  const InterruptGuard guard;
  BOOST_TEST(InterruptGuard::last_signal() == 0);  // a new guard forgets the last one's signal
  std::raise(SIGINT);
  BOOST_TEST(guard.requested());
  BOOST_TEST(InterruptGuard::last_signal() == SIGINT);
  BOOST_TEST(std::string(interrupt_name(SIGINT)) == "Ctrl-C (SIGINT)");
}

BOOST_AUTO_TEST_CASE(an_ignored_signal_stays_ignored_during_and_after_the_guard) {
  for (const int signal : {SIGINT, SIGTERM}) {
    const ScopedHandler ignore(signal, SIG_IGN);
    Handler during = nullptr;
    bool requested = true;
    {
      const InterruptGuard guard;
      during = handler_of(signal);
      std::raise(signal);  // ignored: nothing happens
      requested = guard.requested();
    }
    BOOST_TEST((during == SIG_IGN), interrupt_name(signal));
    BOOST_TEST(!requested, interrupt_name(signal));
    BOOST_TEST((handler_of(signal) == SIG_IGN), interrupt_name(signal));
  }
  // The other signal is still handled while one is ignored.
  const ScopedHandler ignore(SIGINT, SIG_IGN);
  const ScopedHandler own(SIGTERM, guard_test_handler);
  const InterruptGuard guard;
  std::raise(SIGTERM);
  BOOST_TEST(guard.requested());
}

BOOST_AUTO_TEST_CASE(one_sigterm_lets_the_program_finish_a_second_one_kills) {
  auto with_signals = [](int signal, int count) {
    return [signal, count]() {
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      sigaction(signal, &dfl, nullptr);  // whatever the test runner installed
      const InterruptGuard guard;
      for (int i = 0; i < count; ++i) std::raise(signal);
      return guard.requested() ? 42 : 1;
    };
  };
  for (const int signal : {SIGTERM, SIGINT}) {
    const int once = in_child(with_signals(signal, 1));
    BOOST_TEST(WIFEXITED(once), interrupt_name(signal));
    BOOST_TEST(WEXITSTATUS(once) == 42, interrupt_name(signal));
    const int twice = in_child(with_signals(signal, 2));
    BOOST_TEST(WIFSIGNALED(twice), interrupt_name(signal));
    BOOST_TEST(WTERMSIG(twice) == signal, interrupt_name(signal));
  }
}

BOOST_AUTO_TEST_SUITE_END()
