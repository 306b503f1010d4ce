// test_checkpoint_format.cpp — what format version 2 added to the checkpoint file: a version-1 file
// (a real one, tests/train/checkpoint_v1.hex) still loads and resumes bit for bit; the model's
// buffers are saved, checked by name and shape and restored all or nothing; and counts a trainer
// could not go on from (an epoch of 2³¹ − 1, say) are a FormatError, never a signed overflow.
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <fstream>
#include <limits>

#include "test_util.hpp"
#include "train/checkpoint_helpers.hpp"
#include "train/toy_models.hpp"

using namespace scratch;
using scratch::test::bitwise_equal;
using scratch::test::LinearRegression;
using scratch::test::message_of;
using scratch::test::read_bytes;
using scratch::test::seeded_randn;
using scratch::test::Snapshot;
using scratch::test::TempDir;
using scratch::test::write_bytes;

// Whether this build rounds like the release build that wrote checkpoint_v1.hex (optimised with
// -O2 or more; the sanitizer build is -O1, with __OPTIMIZE__ but debug info and no -O3 contraction
// choices). __NO_INLINE__ marks -O0; SCRATCH_SANITIZE builds define __SANITIZE_ADDRESS__.
#if defined(__SANITIZE_ADDRESS__) || defined(__NO_INLINE__)
constexpr bool kFixtureBuild = false;
#else
constexpr bool kFixtureBuild = true;
#endif

namespace {

// The bytes of a hex fixture: '#' starts a comment line, whitespace is ignored.
std::vector<unsigned char> read_hex(const fs::path& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot open the fixture " << path);
  std::vector<unsigned char> bytes;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    std::string digits;
    for (const char c : line)
      if (!std::isspace(static_cast<unsigned char>(c))) digits += c;
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
      bytes.push_back(static_cast<unsigned char>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

// The run of checkpoint_v1.hex (see its comment): 10 samples in batches of 4, 3 iterations per
// epoch, Adam, clipping at 1, a log line every 2 iterations.
constexpr int kEpochs = 3, kEvalInterval = 2;
constexpr std::size_t kBatch = 4;
constexpr Scalar kMaxGrad = 1;
struct V1Run {
  Tensor x = seeded_randn({10, 3}, 41);
  Tensor t = seeded_randn({10, 2}, 42);
};

// LinearRegression with a buffer, as BatchNorm will have: the running mean of the inputs' columns,
// updated by every forward (running ← 0.9·running + 0.1·mean over the batch of x).
class RunningRegression : public LinearRegression {
 public:
  RunningRegression(std::size_t d, std::size_t m, std::uint64_t seed, std::string buffer_name = "running_mean")
      : LinearRegression(d, m, seed), name_(std::move(buffer_name)), running_(Tensor::zeros({d})) {}
  Scalar forward(const Tensor& x, const Tensor& t) override {
    running_ = running_ * Scalar(0.9) + x.sum(0) * Scalar(0.1 / static_cast<double>(x.shape()[0]));
    return LinearRegression::forward(x, t);
  }
  std::vector<Buffer> buffers() const override { return {{name_, &running_}}; }

  std::string name_;
  mutable Tensor running_;
};

// A trainer checkpoint of a LinearRegression(3, 2) with SGD, whose trainer section says `state`.
void write_trainer_checkpoint(const fs::path& path, const TrainerState& state) {
  LinearRegression model(3, 2, 3);
  SGD sgd(0.1);
  Checkpoint c = make_checkpoint(model, sgd);
  c.trainer = state;
  c.rng = Rng(1).state();
  write_checkpoint(path, c);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(train_checkpoint_format)

BOOST_AUTO_TEST_CASE(a_version_1_file_still_loads_and_resumes_bitwise) {
  const std::vector<unsigned char> v1 = read_hex(fs::path(SCRATCH_SOURCE_DIR) / "tests/train/checkpoint_v1.hex");
  BOOST_REQUIRE(v1.size() == 7114u);
  BOOST_REQUIRE(v1[8] == 1);  // format version 1
  TempDir dir;
  const fs::path path = dir / "v1.ckpt";
  write_bytes(path, v1);
  if (kScalarIsFloat) {  // the fixture holds doubles: a float build names the build that reads it
    BOOST_TEST(message_of<FormatError>([&] { read_checkpoint(path); }).find("-DSCRATCH_SCALAR=double") !=
               std::string::npos);
    return;
  }
  const Checkpoint c = read_checkpoint(path);
  BOOST_REQUIRE(c.trainer.has_value());
  BOOST_TEST(c.buffers.empty());
  BOOST_TEST(c.trainer->epoch == 1);
  BOOST_TEST(c.trainer->iteration == 5u);  // v1's stats.updates (also 5) was dropped
  BOOST_TEST(c.trainer->stats.clipped_updates == 4u);
  BOOST_TEST(c.trainer->batches.next_batch == 2u);
  BOOST_TEST(c.trainer->batches.order.size() == 10u);

  // The run that never stopped, and the v1 file resumed in a fresh "process": the same in every bit.
  const V1Run data;
  LinearRegression straight(3, 2, 3);
  Adam straight_adam(0.05);
  Rng straight_rng(7);
  Trainer a(straight, straight_adam, straight_rng);
  a.set_log(nullptr);
  a.fit(data.x, data.t, kEpochs, kBatch, kMaxGrad, kEvalInterval);

  LinearRegression resumed(3, 2, 99);
  Adam resumed_adam(0.05);
  Rng resumed_rng(12345);
  Trainer b(resumed, resumed_adam, resumed_rng);
  b.set_log(nullptr);
  b.resume(path);
  b.fit(data.x, data.t, kEpochs - b.current_epoch(), kBatch, kMaxGrad, kEvalInterval);

  // The file holds the weights and Adam moments as the release build (-O3 -march=native) computed
  // them when it was written; a build that rounds differently (the sanitizer build's -O1 contracts
  // fewer multiply-adds) continues from them exactly but computed its own first epoch a few ulps
  // apart. So: bit for bit where this build is the one that wrote the file, else within 1e-9.
  const auto same = [](const Tensor& x, const Tensor& y, const char* what) {
    if (kFixtureBuild) {
      BOOST_TEST(bitwise_equal(x, y), what);
    } else {
      scratch::test::expect_allclose(x, y, scratch::test::kCloseRtol, scratch::test::kCloseAtol, what);
    }
  };
  const auto losses = [](const History& h) {
    std::vector<Scalar> v;
    for (const double l : h.losses()) v.push_back(static_cast<Scalar>(l));
    return Tensor::from_vector({v.size()}, v);
  };
  if (kFixtureBuild) BOOST_TEST(bitwise_equal(a.history(), b.history()));
  same(losses(a.history()), losses(b.history()), "history");
  same(straight.W_->value, resumed.W_->value, "W");
  same(straight.b_->value, resumed.b_->value, "b");
  const OptimizerState sa = straight_adam.export_state(distinct_params(straight));
  const OptimizerState sb = resumed_adam.export_state(distinct_params(resumed));
  BOOST_REQUIRE(sa.slots.size() == sb.slots.size());
  for (std::size_t k = 0; k < sa.slots.size(); ++k)
    for (std::size_t s = 0; s < sa.slots[k].size(); ++s) same(sa.slots[k][s], sb.slots[k][s], "Adam state");
  BOOST_TEST(sa.steps == sb.steps);
  BOOST_TEST(straight_rng.state() == resumed_rng.state());
  BOOST_TEST(a.iterations() == b.iterations());
  BOOST_TEST(a.stats().clipped_updates == b.stats().clipped_updates);
  BOOST_TEST(a.stats().max_grad_norm == b.stats().max_grad_norm);

  // Version 1 had no buffers: a model that has some is told so, and left alone.
  RunningRegression with_buffer(3, 2, 5);
  Adam adam(0.05);
  const Snapshot before(with_buffer, adam);
  const std::string msg = message_of<ShapeError>([&] { load_checkpoint(path, with_buffer, adam); });
  BOOST_TEST(msg.find("it holds 0 buffers (none) but the model has 1 (running_mean)") != std::string::npos, msg);
  BOOST_TEST(before.unchanged(adam));
}

BOOST_AUTO_TEST_CASE(buffers_are_saved_checked_and_restored_with_the_parameters) {
  const V1Run data;
  TempDir dir;
  const fs::path path = dir / "run.ckpt";
  RunningRegression model(3, 2, 3);
  Adam adam(0.05);
  Rng rng(7);
  Trainer trainer(model, adam, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, 2, kBatch, 0, kEvalInterval);
  trainer.save_checkpoint(path);
  BOOST_TEST(read_checkpoint(path).buffers.size() == 1u);

  // Restored bit for bit, and the resumed run goes on exactly like the original.
  RunningRegression other(3, 2, 9);
  Adam other_adam(0.05);
  Rng other_rng(1);
  Trainer resumed(other, other_adam, other_rng);
  resumed.set_log(nullptr);
  resumed.resume(path);
  BOOST_TEST(bitwise_equal(other.running_, model.running_));
  BOOST_TEST(other.running_.sum() != Scalar(0));
  trainer.fit(data.x, data.t, 1, kBatch, 0, kEvalInterval);
  resumed.fit(data.x, data.t, 1, kBatch, 0, kEvalInterval);
  BOOST_TEST(bitwise_equal(other.running_, model.running_));
  BOOST_TEST(bitwise_equal(other.W_->value, model.W_->value));

  // Another name or shape: a ShapeError naming both, and neither parameters nor buffer change.
  RunningRegression renamed(3, 2, 9, "running_var");
  Adam renamed_adam(0.05);
  const Snapshot before(renamed, renamed_adam);
  const Tensor running_before = renamed.running_;
  std::string msg = message_of<ShapeError>([&] { load_checkpoint(path, renamed, renamed_adam); });
  BOOST_TEST(msg.find("buffer 1 is 'running_mean' in the file but 'running_var' in the model") != std::string::npos,
             msg);
  renamed.running_ = Tensor::zeros({4});
  renamed.name_ = "running_mean";
  msg = message_of<ShapeError>([&] { load_checkpoint(path, renamed, renamed_adam); });
  BOOST_TEST(msg.find("buffer 'running_mean' has shape (3,) in the file but (4,) in the model") != std::string::npos,
             msg);
  BOOST_TEST(before.unchanged(renamed_adam));
  BOOST_TEST(bitwise_equal(renamed.running_, Tensor::zeros({4})));
  // A model without buffers refuses a file with one.
  LinearRegression plain(3, 2, 9);
  msg = message_of<ShapeError>([&] { load_checkpoint(path, plain, renamed_adam); });
  BOOST_TEST(msg.find("it holds 1 buffers (running_mean) but the model has 0 (none)") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(counts_the_trainer_could_not_go_on_from_are_a_format_error) {
  TempDir dir;
  const auto refused = [&](const TrainerState& state, const std::string& expected) {
    write_trainer_checkpoint(dir / "absurd.ckpt", state);
    LinearRegression model(3, 2, 3);
    SGD sgd(0.1);
    Rng rng(1);
    Trainer trainer(model, sgd, rng);
    const std::string msg = message_of<FormatError>([&] { trainer.resume(dir / "absurd.ckpt"); });
    BOOST_TEST(msg.find(expected) != std::string::npos, msg);
    BOOST_TEST(trainer.current_epoch() == 0);
  };
  // Resuming either would overflow the int epoch (epoch + 1 in every log line and history point).
  TrainerState s;
  s.epoch = INT_MAX;
  s.iteration = 10;
  refused(s, "impossible epoch count 2147483647: a trainer counts at most 2147483646 epochs");
  s.epoch = 1;
  s.iteration = std::numeric_limits<std::size_t>::max();
  refused(s, "impossible iteration count 18446744073709551615: the trainer could not count one more");
  s.iteration = 3;
  s.loss_count = 4;
  refused(s, "4 losses are pending but only 3 iterations were done");

  // An epoch that does not fit an int at all (2³¹): the u64 in the file, edited by hand.
  s = TrainerState();
  s.epoch = INT_MAX;
  write_trainer_checkpoint(dir / "big.ckpt", s);
  std::vector<unsigned char> bytes = read_bytes(dir / "big.ckpt");
  const unsigned char int_max[8] = {0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0};
  const auto at = std::search(bytes.begin(), bytes.end(), int_max, int_max + 8);
  BOOST_REQUIRE(at != bytes.end());
  at[0] = at[1] = at[2] = 0;
  at[3] = 0x80;
  const std::size_t body = bytes.size() - 4;
  const auto crc = static_cast<std::uint32_t>(crc32(0, bytes.data(), static_cast<uInt>(body)));
  for (int i = 0; i < 4; ++i) bytes[body + i] = static_cast<unsigned char>(crc >> (8 * i));
  write_bytes(dir / "big.ckpt", bytes);
  BOOST_TEST(message_of<FormatError>([&] { read_checkpoint(dir / "big.ckpt"); }).find("impossible epoch count 2147483648") !=
             std::string::npos);

  // The largest epoch a file may hold loads, and fit() refuses to count past it.
  s = TrainerState();
  s.epoch = INT_MAX - 1;
  write_trainer_checkpoint(dir / "last.ckpt", s);
  LinearRegression model(3, 2, 3);
  SGD sgd(0.1);
  Rng rng(1);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.resume(dir / "last.ckpt");
  BOOST_TEST(trainer.current_epoch() == INT_MAX - 1);
  const V1Run data;
  const std::string msg = message_of<ValueError>([&] { trainer.fit(data.x, data.t, 1, kBatch); });
  BOOST_TEST(msg == "Trainer.fit: 2147483646 epochs are done and 1 more would count past 2147483646, the most epochs "
                    "a trainer counts");
  BOOST_TEST(trainer.iterations() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
