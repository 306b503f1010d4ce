// test_interrupt.cpp — Ctrl-C during Trainer::fit: the iteration in progress is finished, the
// checkpoint is written, fit() returns with interrupted() true; the handler exists only while fit()
// runs, and a second Ctrl-C kills the program (checked in a child process).
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "child_process.hpp"
#include "test_util.hpp"
#include "train/checkpoint_helpers.hpp"
#include "train/toy_models.hpp"

using namespace scratch;
using scratch::test::HookedRegression;
using scratch::test::in_child;
using scratch::test::seeded_randn;
using scratch::test::TempDir;

namespace {

// 20 samples in batches of 4: 5 iterations per epoch.
struct Data {
  Tensor x = seeded_randn({20, 3}, 41);
  Tensor t = seeded_randn({20, 2}, 42);
};

// The SIGINT disposition right now.
using Handler = void (*)(int);
Handler sigint_handler() {
  struct sigaction now {};
  sigaction(SIGINT, nullptr, &now);
  return now.sa_handler;
}

// A handler of the test's own, standing for whatever the program had installed before fit().
volatile std::sig_atomic_t own_handler_calls = 0;
extern "C" void own_handler(int) { own_handler_calls = own_handler_calls + 1; }


}  // namespace

BOOST_AUTO_TEST_SUITE(train_interrupt)

BOOST_AUTO_TEST_CASE(ctrl_c_finishes_the_iteration_saves_and_returns_cleanly) {
  const Data data;
  TempDir dir;
  struct sigaction own {
  }, previous{};
  own.sa_handler = own_handler;
  sigaction(SIGINT, &own, &previous);
  own_handler_calls = 0;

  Handler during = nullptr;
  Handler after_signal = nullptr;
  HookedRegression model(3, 2, 3, [&](int call) {
    if (call == 1) during = sigint_handler();
    if (call == 8) {  // epoch 2, iteration 3 of 5
      std::raise(SIGINT);
      after_signal = sigint_handler();
    }
  });
  Adam adam(0.05);
  Rng rng(7);
  Trainer trainer(model, adam, rng);
  std::ostringstream log;
  trainer.set_log(&log);
  trainer.set_checkpoint(dir / "run.ckpt", 100);
  trainer.fit(data.x, data.t, 5, 4, 0, 1);
  const Handler restored = sigint_handler();
  sigaction(SIGINT, &previous, nullptr);

  BOOST_TEST(trainer.interrupted());
  BOOST_TEST(model.calls() == 8);             // nothing ran after the interrupted iteration ...
  BOOST_TEST(trainer.iterations() == 8u);  // ... which was completed, update included
  BOOST_TEST(adam.steps() == 8u);
  BOOST_TEST(trainer.history().back().iteration == 8u);
  BOOST_TEST(read_checkpoint(dir / "run.ckpt").trainer->iteration == 8u);
  BOOST_TEST(log.str().find("| interrupted after iteration 8 (epoch 2, iter 3 / 5); checkpoint written to ") !=
                 std::string::npos,
             log.str());

  BOOST_TEST((during != own_handler && during != SIG_DFL && during != SIG_IGN));  // fit's own handler
  BOOST_TEST((after_signal == SIG_DFL));                                          // a second Ctrl-C would kill
  BOOST_TEST((restored == own_handler));  // the program's handler is back after fit()
  BOOST_TEST(own_handler_calls == 0);     // and it never saw the Ctrl-C that fit() handled
}

BOOST_AUTO_TEST_CASE(ctrl_c_without_a_checkpoint_path_still_returns_and_says_so) {
  const Data data;
  HookedRegression model(3, 2, 3, [](int call) {
    if (call == 2) std::raise(SIGINT);
  });
  SGD sgd(0.05);
  Rng rng(7);
  Trainer trainer(model, sgd, rng);
  std::ostringstream log;
  trainer.set_log(&log);
  trainer.fit(data.x, data.t, 3, 4, 0, 0);
  BOOST_TEST(trainer.interrupted());
  BOOST_TEST(trainer.iterations() == 2u);
  BOOST_TEST(trainer.history().empty());  // eval_interval 0: the first line would end epoch 1
  BOOST_TEST(log.str().find("no checkpoint was written") != std::string::npos, log.str());
  BOOST_TEST(log.str().find("Trainer::") == std::string::npos, "no API names for a command-line user: " << log.str());
  // A new fit without a Ctrl-C is not "interrupted", and the handler was restored in between.
  trainer.fit(data.x, data.t, 1, 4, 0, 0);
  BOOST_TEST(!trainer.interrupted());
  BOOST_TEST(trainer.current_epoch() == 1);
}

BOOST_AUTO_TEST_CASE(ctrl_c_in_the_very_last_iteration_ends_the_fit_normally) {
  const Data data;
  HookedRegression model(3, 2, 3, [](int call) {
    if (call == 10) std::raise(SIGINT);  // the last of 2 × 5
  });
  SGD sgd(0.05);
  Rng rng(7);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, 2, 4, 0, 3);
  BOOST_TEST(trainer.interrupted());
  BOOST_TEST(trainer.current_epoch() == 2);
  BOOST_TEST(trainer.history().back().iteration == 10u);  // the final line was written as usual
}

BOOST_AUTO_TEST_CASE(one_ctrl_c_exits_normally_a_second_one_kills) {
  auto train_with_signals = [](int signals) {
    return [signals]() {
      const Data data;
      HookedRegression model(3, 2, 3, [signals](int call) {
        if (call == 3)
          for (int i = 0; i < signals; ++i) std::raise(SIGINT);
      });
      SGD sgd(0.05);
      Rng rng(7);
      Trainer trainer(model, sgd, rng);
      trainer.set_log(nullptr);
      trainer.fit(data.x, data.t, 3, 4, 0, 1);
      return trainer.interrupted() && trainer.iterations() == 3 ? 42 : 1;
    };
  };
  const int once = in_child(train_with_signals(1));
  BOOST_TEST(WIFEXITED(once));
  BOOST_TEST(WEXITSTATUS(once) == 42);
  const int twice = in_child(train_with_signals(2));
  BOOST_TEST(WIFSIGNALED(twice));
  BOOST_TEST(WTERMSIG(twice) == SIGINT);
}

BOOST_AUTO_TEST_SUITE_END()
