// test_resume.cpp — Trainer checkpoints and resume(): a run that stops (a crash after an
// epoch-boundary checkpoint, or Ctrl-C in the middle of an epoch) and is resumed in a fresh process
// — new model, new optimizer, new RNG — computes bit for bit the losses, history, parameters and
// optimizer state of the run that never stopped, for every optimizer.
#include <csignal>
#include <functional>
#include <memory>
#include <stdexcept>

#include "test_util.hpp"
#include "train/checkpoint_helpers.hpp"
#include "train/toy_models.hpp"

using namespace scratch;
using scratch::test::bitwise_equal;
using scratch::test::HookedRegression;
using scratch::test::LinearRegression;
using scratch::test::read_bytes;
using scratch::test::seeded_randn;
using scratch::test::Snapshot;
using scratch::test::TempDir;

namespace {

// 50 samples in batches of 8: 7 iterations per epoch, the last one of 2 samples. Log lines at
// iterations 1 and 5 of each epoch, so iterations 6 and 7 are averaged into the next epoch's first
// point: the pending loss sum crosses every epoch boundary. Clipping at 2 engages (with some
// optimizers on every step), so its counters are part of what must match.
constexpr std::size_t kSamples = 50, kBatch = 8, kItersPerEpoch = 7;
constexpr int kEpochs = 4, kEvalInterval = 4;
constexpr Scalar kMaxGrad = 2;

struct Data {
  Tensor x = seeded_randn({kSamples, 3}, 31);
  Tensor t = matmul(x, Tensor::from_rows({{1, -2}, {0.5, 3}, {-1, 0}})) + seeded_randn({kSamples, 2}, 32);
};

using Factory = std::function<std::unique_ptr<Optimizer>()>;

std::vector<std::pair<std::string, Factory>> all_optimizers() {
  return {{"SGD", [] { return std::make_unique<SGD>(0.05); }},
          {"Momentum", [] { return std::make_unique<Momentum>(0.05, 0.9); }},
          {"Nesterov", [] { return std::make_unique<Nesterov>(0.05, 0.9); }},
          {"AdaGrad", [] { return std::make_unique<AdaGrad>(0.1); }},
          {"RMSprop", [] { return std::make_unique<RMSprop>(0.01); }},
          {"Adam", [] { return std::make_unique<Adam>(0.05); }}};
}

// Everything a finished run produced.
struct Outcome {
  History history;
  Tensor W, b;
  OptimizerState state;
  std::string rng;
  TrainerStats stats;
  std::size_t iterations;
};

Outcome outcome(const Trainer& trainer, const LinearRegression& model, const Optimizer& opt, const Rng& rng) {
  return {trainer.history(), model.W_->value, model.b_->value, opt.export_state(distinct_params(model)),
          rng.state(),       trainer.stats(), trainer.iterations()};
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
  BOOST_TEST(a.history.size() == b.history.size(), what);
  BOOST_TEST(bitwise_equal(a.history, b.history), what << ": history");
  BOOST_TEST(bitwise_equal(a.W, b.W), what << ": W");
  BOOST_TEST(bitwise_equal(a.b, b.b), what << ": b");
  BOOST_TEST(bitwise_equal(a.state, b.state), what << ": optimizer state");
  BOOST_TEST(a.rng == b.rng, what << ": rng");
  BOOST_TEST(a.iterations == b.iterations, what);
  BOOST_TEST(a.stats.clipped_updates == b.stats.clipped_updates, what);
  BOOST_TEST(a.stats.max_grad_norm == b.stats.max_grad_norm, what);
}

// The run that never stops.
Outcome straight_run(const Data& data, const Factory& make) {
  LinearRegression model(3, 2, 3);
  auto opt = make();
  Rng rng(7);
  Trainer trainer(model, *opt, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, kEpochs, kBatch, kMaxGrad, kEvalInterval);
  // Clipping must really be in play, or its state would be compared as 0 against 0.
  BOOST_TEST(trainer.stats().clipped_updates > 0u);
  return outcome(trainer, model, *opt, rng);
}

// A fresh "process": other initial weights, a new optimizer, another RNG seed; resume, then train
// the epochs that are left.
Outcome resumed_run(const Data& data, const Factory& make, const fs::path& path, int expected_epoch) {
  LinearRegression model(3, 2, 99);
  auto opt = make();
  Rng rng(12345);
  Trainer trainer(model, *opt, rng);
  trainer.set_log(nullptr);
  trainer.resume(path);
  BOOST_TEST(trainer.current_epoch() == expected_epoch);
  trainer.fit(data.x, data.t, kEpochs - trainer.current_epoch(), kBatch, kMaxGrad, kEvalInterval);
  return outcome(trainer, model, *opt, rng);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(train_resume)

BOOST_AUTO_TEST_CASE(a_crash_after_an_epoch_boundary_checkpoint_resumes_bitwise) {
  const Data data;
  for (const auto& [name, make] : all_optimizers()) {
    const Outcome straight = straight_run(data, make);
    TempDir dir;
    const fs::path path = dir / "run.ckpt";
    {
      // Checkpoints every 2 epochs; the process "crashes" as epoch 3 begins.
      HookedRegression model(3, 2, 3, [](int call) {
        if (call == 2 * int(kItersPerEpoch) + 1) throw std::runtime_error("simulated crash");
      });
      auto opt = make();
      Rng rng(7);
      Trainer trainer(model, *opt, rng);
      trainer.set_log(nullptr);
      trainer.set_checkpoint(path, 2);
      BOOST_CHECK_THROW(trainer.fit(data.x, data.t, kEpochs, kBatch, kMaxGrad, kEvalInterval), std::runtime_error);
    }
    const Checkpoint c = read_checkpoint(path);
    BOOST_REQUIRE(c.trainer.has_value());
    BOOST_TEST(c.trainer->epoch == 2);
    BOOST_TEST(c.trainer->batches.next_batch == 0u);
    BOOST_TEST(c.trainer->batches.order.empty());
    BOOST_TEST(c.trainer->loss_count == 2u);  // iterations 6 and 7 of epoch 2, not yet in the history
    expect_same(resumed_run(data, make, path, 2), straight, name + " (epoch boundary)");
  }
}

BOOST_AUTO_TEST_CASE(ctrl_c_in_mid_epoch_resumes_bitwise_from_the_file_and_in_memory) {
  const Data data;
  constexpr int kInterruptAt = kItersPerEpoch + 3;  // epoch 2, iteration 3 of 7
  for (const auto& [name, make] : all_optimizers()) {
    const Outcome straight = straight_run(data, make);
    TempDir dir;
    const fs::path path = dir / "run.ckpt", csv = dir / "history.csv";
    HookedRegression model(3, 2, 3, [](int call) {
      if (call == kInterruptAt) std::raise(SIGINT);
    });
    auto opt = make();
    Rng rng(7);
    Trainer trainer(model, *opt, rng);
    trainer.set_log(nullptr);
    trainer.set_checkpoint(path, 100);  // only the interrupt writes it
    trainer.set_history_csv(csv);
    trainer.fit(data.x, data.t, kEpochs, kBatch, kMaxGrad, kEvalInterval);
    BOOST_TEST(trainer.interrupted());
    BOOST_TEST(trainer.iterations() == std::size_t(kInterruptAt));  // the iteration in progress was finished
    BOOST_TEST(trainer.current_epoch() == 1);

    const Checkpoint c = read_checkpoint(path);
    BOOST_REQUIRE(c.trainer.has_value());
    BOOST_TEST(c.trainer->batches.next_batch == 3u);
    BOOST_TEST(c.trainer->batches.order.size() == kSamples);
    BOOST_TEST(c.trainer->iteration == std::size_t(kInterruptAt));
    std::ostringstream expected_csv;
    trainer.history().write_csv(expected_csv);
    const std::vector<unsigned char> written = read_bytes(csv);
    BOOST_TEST(std::string(written.begin(), written.end()) == expected_csv.str());

    expect_same(resumed_run(data, make, path, 1), straight, name + " (mid-epoch, resumed from the file)");

    // The interrupted trainer itself can go on too, with the same result.
    trainer.fit(data.x, data.t, kEpochs - trainer.current_epoch(), kBatch, kMaxGrad, kEvalInterval);
    BOOST_TEST(!trainer.interrupted());
    expect_same(outcome(trainer, model, *opt, rng), straight, name + " (mid-epoch, continued in memory)");
  }
}

BOOST_AUTO_TEST_CASE(checkpoints_are_written_every_n_epochs_and_at_the_end) {
  const Data data;
  TempDir dir;
  const fs::path path = dir / "run.ckpt";
  std::vector<int> epoch_on_disk;  // as each epoch begins: the epoch the checkpoint holds (−1: none)
  HookedRegression model(3, 2, 3, [&](int call) {
    if ((call - 1) % int(kItersPerEpoch) != 0) return;
    epoch_on_disk.push_back(fs::exists(path) ? read_checkpoint(path).trainer->epoch : -1);
  });
  SGD sgd(0.05);
  Rng rng(7);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  BOOST_CHECK_THROW(trainer.set_checkpoint(path, 0), ValueError);
  trainer.set_checkpoint(path, 2);
  trainer.fit(data.x, data.t, 5, kBatch, 0, kEvalInterval);
  BOOST_TEST(epoch_on_disk == (std::vector<int>{-1, -1, 2, 2, 4}));
  const Checkpoint end = read_checkpoint(path);
  BOOST_TEST(end.trainer->epoch == 5);
  BOOST_TEST(end.trainer->loss_count == 0u);  // written after the last history point
  BOOST_TEST(end.trainer->history.size() == trainer.history().size());
}

BOOST_AUTO_TEST_CASE(an_unfinished_epoch_needs_the_same_data_size_and_batch_size) {
  const Data data;
  HookedRegression model(3, 2, 3, [](int call) {
    if (call == 2) std::raise(SIGINT);
  });
  SGD sgd(0.05);
  Rng rng(7);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, 2, kBatch, 0, kEvalInterval);
  BOOST_REQUIRE(trainer.interrupted());
  try {
    trainer.fit(data.x, data.t, 1, kBatch + 1, 0, kEvalInterval);
    BOOST_ERROR("finished an epoch with another batch size");
  } catch (const ValueError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "Trainer.fit: epoch 1 stopped after iteration 2 of a pass over 50 samples in batches of 8; call fit "
               "with that data and batch_size to finish it (got 50 samples, batch_size 9)");
  }
  BOOST_TEST(trainer.iterations() == 2u);
  trainer.fit(data.x, data.t, 1, kBatch, 0, kEvalInterval);  // finishes epoch 1 only
  BOOST_TEST(trainer.current_epoch() == 1);
  BOOST_TEST(trainer.iterations() == kItersPerEpoch);
}

BOOST_AUTO_TEST_CASE(a_failed_resume_changes_nothing) {
  const Data data;
  TempDir dir;
  // A trainer in some state of its own.
  LinearRegression model(3, 2, 3);
  Adam adam(0.05);
  Rng rng(7);
  Trainer trainer(model, adam, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, 1, kBatch, 0, kEvalInterval);
  const Snapshot before(model, adam);
  const History history = trainer.history();
  const std::string rng_state = rng.state();

  // A model-and-optimizer checkpoint (of other values) has no trainer state.
  {
    LinearRegression other(3, 2, 5);
    Adam other_adam(0.05);
    other_adam.update(distinct_params(other));
    save_checkpoint(dir / "plain.ckpt", other, other_adam);
  }
  try {
    trainer.resume(dir / "plain.ckpt");
    BOOST_ERROR("resumed from a checkpoint without trainer state");
  } catch (const ValueError& e) {
    BOOST_TEST(std::string(e.what()).find("no trainer state") != std::string::npos, e.what());
  }
  // A corrupt trainer checkpoint (one byte of the history flipped), and one of another model.
  {
    LinearRegression other(3, 2, 5);
    Adam other_adam(0.05);
    Rng other_rng(1);
    Trainer writer(other, other_adam, other_rng);
    writer.set_log(nullptr);
    writer.fit(data.x, data.t, 2, kBatch, 0, kEvalInterval);
    writer.save_checkpoint(dir / "good.ckpt");
  }
  std::vector<unsigned char> bytes = read_bytes(dir / "good.ckpt");
  bytes[bytes.size() - 10] ^= 0x40;
  scratch::test::write_bytes(dir / "corrupt.ckpt", bytes);
  BOOST_CHECK_THROW(trainer.resume(dir / "corrupt.ckpt"), FormatError);
  model.W_->name = "V";
  BOOST_CHECK_THROW(trainer.resume(dir / "good.ckpt"), ShapeError);
  model.W_->name = "W";

  BOOST_TEST(before.unchanged(adam));
  BOOST_TEST(bitwise_equal(trainer.history(), history));
  BOOST_TEST(rng.state() == rng_state);
  BOOST_TEST(trainer.current_epoch() == 1);
  BOOST_TEST(trainer.iterations() == kItersPerEpoch);

  trainer.resume(dir / "good.ckpt");  // and the good one is taken
  BOOST_TEST(trainer.current_epoch() == 2);
  BOOST_TEST(!before.unchanged(adam));
}

BOOST_AUTO_TEST_SUITE_END()
