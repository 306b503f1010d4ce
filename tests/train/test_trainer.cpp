// test_trainer.cpp — the Trainer: learning, its log and history, mini-batching, reproducibility,
// and stopping cleanly on NaN.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <regex>
#include <sstream>

#include "plot/gnuplot_process.hpp"
#include "test_util.hpp"
#include "train/toy_models.hpp"

using namespace scratch;
using scratch::test::LinearRegression;
using scratch::test::message_of;
using scratch::test::seeded_randn;
using scratch::test::TiedAutoencoder;

namespace {

// Captures std::cout for its lifetime.
struct CoutCapture {
  CoutCapture() : old(std::cout.rdbuf(text.rdbuf())) {}
  ~CoutCapture() { std::cout.rdbuf(old); }
  std::ostringstream text;
  std::streambuf* old;
};

// The k-th call of forward returns loss k, so every average in the history is known exactly.
// x holds sample ids in its only column; each batch's ids are recorded.
class CountingModel : public Model {
 public:
  Scalar forward(const Tensor& x, const Tensor&) override {
    std::vector<std::size_t> ids;
    for (std::size_t i = 0; i < x.shape()[0]; ++i) ids.push_back(static_cast<std::size_t>(x(i, 0)));
    batches.push_back(ids);
    return Scalar(++calls);
  }
  void backward() override {}
  std::vector<ParamUse> params() const override { return {{w, &dw}}; }

  int calls = 0;
  std::vector<std::vector<std::size_t>> batches;
  ParamPtr w = make_param("w", Tensor::zeros({1}));
  Tensor dw = Tensor::zeros({1});
};

// Ten samples with ids 0 … 9 for the CountingModel.
Tensor ids(std::size_t n) { return Tensor::arange(n).reshape({static_cast<long>(n), 1}); }

// y = x·W_true + b_true + small noise: N samples, 3 features, 2 outputs.
struct Regression {
  Tensor x, t;
};
Regression make_regression(std::size_t n) {
  Regression r;
  r.x = seeded_randn({n, 3}, 1);
  const Tensor W_true = Tensor::from_rows({{1, -2}, {0.5, 3}, {-1, 0}});
  const Tensor b_true = Tensor::from_vector({2}, {0.5, -0.5});
  r.t = matmul(r.x, W_true) + b_true + seeded_randn({n, 2}, 2) * Scalar(0.01);
  return r;
}

// What to poison in PoisonedRegression.
enum class Poison { kLoss, kGrad };

// LinearRegression whose `bad_call`-th forward returns NaN (kLoss) or whose backward then writes
// an infinity into db (kGrad). It keeps a copy of W and b as they were when that forward began.
class PoisonedRegression : public LinearRegression {
 public:
  PoisonedRegression(Poison poison, int bad_call) : LinearRegression(3, 2, 5), poison_(poison), bad_call_(bad_call) {}
  Scalar forward(const Tensor& x, const Tensor& t) override {
    const Scalar loss = LinearRegression::forward(x, t);
    if (++calls_ != bad_call_) return loss;
    W_before = W_->value;
    b_before = b_->value;
    return poison_ == Poison::kLoss ? std::numeric_limits<Scalar>::quiet_NaN() : loss;
  }
  void backward() override {
    LinearRegression::backward();
    if (calls_ == bad_call_ && poison_ == Poison::kGrad) db_[1] = std::numeric_limits<Scalar>::infinity();
  }
  Tensor W_before, b_before;

 private:
  Poison poison_;
  int bad_call_, calls_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(train_trainer)

BOOST_AUTO_TEST_CASE(loss_decreases_on_a_seeded_regression) {
  const Regression data = make_regression(200);
  LinearRegression model(3, 2, 3);
  SGD sgd(0.1);
  Rng rng(7);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, 20, 32, 0, 7);
  const History& h = trainer.history();
  BOOST_REQUIRE(h.size() >= 2u);
  // The first point is the initial loss (about ½·E‖W_true x + b_true‖² ≈ 8); the noise floor is
  // ½·2·0.01² = 1e-4.
  BOOST_TEST_MESSAGE("loss " << h.points().front().loss << " → " << h.back().loss);
  BOOST_TEST(h.points().front().loss > 1);
  BOOST_TEST(h.back().loss < Scalar(1e-3));
  BOOST_TEST(trainer.stats().param_uses == 2u);
  BOOST_TEST(trainer.stats().distinct_params == 2u);
  BOOST_TEST(trainer.iterations() == 20u * 7u);  // ⌈200/32⌉ = 7 iterations per epoch
}

BOOST_AUTO_TEST_CASE(log_lines_have_the_books_exact_format_and_match_the_history) {
  CountingModel model;
  SGD sgd(0.1);
  Rng rng(1);
  Trainer trainer(model, sgd, rng);
  CoutCapture capture;
  // 10 samples, batch 4 → 3 iterations per epoch (4, 4, 2 samples); lines at iterations 1 and 3.
  trainer.fit(ids(10), ids(10), 2, 4, 0, 2);
  std::istringstream lines(capture.text.str());
  const std::regex format(R"(\| epoch (\d+) \|  iter (\d+) / 3 \| time \d+\[s\] \| loss (\d+\.\d\d))");
  // Losses 1 … 6: (1), (2+3)/2, (4), (5+6)/2.
  const std::vector<std::string> expected = {"1 1 1.00", "1 3 2.50", "2 1 4.00", "2 3 5.50"};
  std::string line;
  std::size_t n = 0;
  for (; std::getline(lines, line); ++n) {
    std::smatch m;
    BOOST_REQUIRE_MESSAGE(std::regex_match(line, m, format), "bad log line: '" << line << "'");
    BOOST_REQUIRE(n < expected.size());
    BOOST_TEST(m[1].str() + " " + m[2].str() + " " + m[3].str() == expected[n]);
  }
  BOOST_TEST(n == expected.size());
  BOOST_REQUIRE(trainer.history().size() == expected.size());
  const HistoryPoint& p = trainer.history().points()[3];
  BOOST_TEST(p.iteration == 6u);
  BOOST_TEST(p.epoch == 2);
  BOOST_TEST(p.epoch_iter == 3u);
  BOOST_TEST(p.iterations_averaged == 2u);
  BOOST_TEST(p.loss == Scalar(5.5));
}

BOOST_AUTO_TEST_CASE(every_iteration_lands_in_exactly_one_history_point) {
  // eval_interval 5 > 3 iterations: a line at iteration 1 of each epoch, and one more at the end
  // for the iterations after the last line. Losses 1 … 6: (1), (2+3+4)/3, (5+6)/2.
  {
    CountingModel model;
    SGD sgd(0.1);
    Rng rng(1);
    Trainer trainer(model, sgd, rng);
    trainer.set_log(nullptr);
    trainer.fit(ids(10), ids(10), 2, 4, 0, 5);
    const auto& points = trainer.history().points();
    BOOST_REQUIRE(points.size() == 3u);
    BOOST_TEST(points[0].loss == 1);
    BOOST_TEST(points[1].loss == 3);
    BOOST_TEST(points[1].epoch == 2);
    BOOST_TEST(points[1].epoch_iter == 1u);
    BOOST_TEST(points[2].loss == Scalar(5.5));
    BOOST_TEST(points[2].epoch_iter == 3u);
  }
  // eval_interval 0: one line per epoch, (1+2+3)/3 and (4+5+6)/3.
  {
    CountingModel model;
    SGD sgd(0.1);
    Rng rng(1);
    Trainer trainer(model, sgd, rng);
    trainer.set_log(nullptr);
    trainer.fit(ids(10), ids(10), 2, 4, 0, 0);
    const auto& points = trainer.history().points();
    BOOST_REQUIRE(points.size() == 2u);
    BOOST_TEST(points[0].loss == 2);
    BOOST_TEST(points[1].loss == 5);
    BOOST_TEST(points[1].iterations_averaged == 3u);
  }
}

BOOST_AUTO_TEST_CASE(the_partial_last_batch_is_trained_on_and_counted) {
  CountingModel model;
  SGD sgd(0.1);
  Rng rng(3);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(ids(10), ids(10), 3, 4, 0, 1);
  BOOST_REQUIRE(model.batches.size() == 9u);  // ⌈10/4⌉ = 3 per epoch; the book's 10 // 4 = 2 would drop 2 samples
  for (int e = 0; e < 3; ++e) {
    std::vector<std::size_t> seen;
    for (int b = 0; b < 3; ++b) {
      const auto& batch = model.batches[e * 3 + b];
      BOOST_TEST(batch.size() == (b < 2 ? 4u : 2u));
      seen.insert(seen.end(), batch.begin(), batch.end());
    }
    std::vector<std::size_t> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < 10; ++i) BOOST_TEST(sorted[i] == i);  // each sample once per epoch
    if (e == 0) {
      std::vector<std::size_t> identity(10);
      std::iota(identity.begin(), identity.end(), 0);
      BOOST_TEST(seen != identity);  // shuffled
    }
  }
  BOOST_TEST(model.batches[0] != model.batches[3]);  // a new order each epoch
  BOOST_TEST(trainer.history().back().iters_per_epoch == 3u);
  BOOST_TEST(trainer.current_epoch() == 3);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_history) {
  const Regression data = make_regression(100);
  auto run = [&](std::uint64_t seed) {
    LinearRegression model(3, 2, 3);
    Adam adam(0.01);
    Rng rng(seed);
    Trainer trainer(model, adam, rng);
    trainer.set_log(nullptr);
    trainer.fit(data.x, data.t, 3, 16, 0, 2);
    return trainer.history().losses();
  };
  const std::vector<double> a = run(7), b = run(7), c = run(8);
  BOOST_TEST(a == b);
  BOOST_TEST(a.size() == c.size());
  BOOST_TEST(a != c);  // other shuffles, other mini-batch losses
}

BOOST_AUTO_TEST_CASE(a_nan_loss_stops_before_the_update_and_keeps_the_last_good_parameters) {
  const Regression data = make_regression(10);
  PoisonedRegression model(Poison::kLoss, 4);  // iteration 4 = epoch 2, iter 1 / 3
  Momentum momentum(0.1);
  Rng rng(1);
  Trainer trainer(model, momentum, rng);
  trainer.set_log(nullptr);
  const std::string msg = message_of<NumericalError>([&] { trainer.fit(data.x, data.t, 5, 4, 0, 1); });
  BOOST_TEST(msg.find("Trainer: epoch 2, iter 1 / 3 (iteration 4): the loss is nan") != std::string::npos, msg);
  BOOST_TEST(msg.find("parameters are those after iteration 3") != std::string::npos, msg);
  BOOST_TEST(array_equal(model.W_->value, model.W_before));
  BOOST_TEST(array_equal(model.b_->value, model.b_before));
  BOOST_TEST(momentum.steps() == 3u);
  BOOST_TEST(trainer.iterations() == 3u);
}

BOOST_AUTO_TEST_CASE(a_non_finite_gradient_is_named_with_or_without_clipping) {
  const Regression data = make_regression(10);
  for (const Scalar max_grad : {Scalar(0), Scalar(1)}) {
    PoisonedRegression model(Poison::kGrad, 2);
    SGD sgd(0.1);
    Rng rng(1);
    Trainer trainer(model, sgd, rng);
    trainer.set_log(nullptr);
    const std::string msg = message_of<NumericalError>([&] { trainer.fit(data.x, data.t, 2, 4, max_grad, 1); });
    BOOST_TEST(msg.find("Trainer: epoch 1, iter 2 / 3 (iteration 2): ") != std::string::npos, msg);
    BOOST_TEST(msg.find("gradient of 'b' (shape (2,)) holds inf at flat index 1") != std::string::npos, msg);
    BOOST_TEST(array_equal(model.W_->value, model.W_before));
    BOOST_TEST(array_equal(model.b_->value, model.b_before));
  }
}

BOOST_AUTO_TEST_CASE(clipping_is_counted_and_bounds_the_step) {
  const Regression data = make_regression(64);
  LinearRegression model(3, 2, 3);
  SGD sgd(0.1);
  Rng rng(2);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.x, data.t, 2, 16, 0.5, 4);
  // The initial gradient norm is several units (targets of size ~2), so the first steps are clipped.
  BOOST_TEST(trainer.stats().max_grad_norm > Scalar(0.5));
  BOOST_TEST(trainer.stats().clipped_updates > 0u);
  BOOST_TEST(trainer.stats().clipped_updates <= trainer.iterations());
}

BOOST_AUTO_TEST_CASE(shared_weights_are_merged_inside_the_loop) {
  // A tied autoencoder reports W twice (encoder, transposed decoder); the Trainer merges them.
  const Tensor x = seeded_randn({64, 4}, 9);
  TiedAutoencoder model(4, 2, 4);
  Adam adam(0.01);
  Rng rng(4);
  Trainer trainer(model, adam, rng);
  trainer.set_log(nullptr);
  trainer.fit(x, x, 30, 16, 0, 4);
  BOOST_TEST(trainer.stats().param_uses == 2u);
  BOOST_TEST(trainer.stats().distinct_params == 1u);
  BOOST_TEST(trainer.history().back().loss < Scalar(0.7) * trainer.history().points().front().loss);
}

BOOST_AUTO_TEST_CASE(a_dataset_and_tensors_train_identically_and_history_continues) {
  const Regression data = make_regression(50);
  auto run = [&](bool use_dataset) {
    LinearRegression model(3, 2, 3);
    SGD sgd(0.05);
    Rng rng(11);
    Trainer trainer(model, sgd, rng);
    trainer.set_log(nullptr);
    const TensorDataset set(data.x, data.t);
    if (use_dataset)
      trainer.fit(set, 2, 8, 0, 3);
    else
      trainer.fit(data.x, data.t, 2, 8, 0, 3);
    trainer.fit(data.x, data.t, 1, 8, 0, 3);  // a second fit continues the counts
    BOOST_TEST(trainer.current_epoch() == 3);
    BOOST_TEST(trainer.history().back().iteration == 3u * 7u);
    BOOST_TEST(trainer.history().back().epoch == 3);
    return trainer.history().losses();
  };
  BOOST_TEST(run(true) == run(false));
}

BOOST_AUTO_TEST_CASE(save_history_writes_the_csv) {
  CountingModel model;
  SGD sgd(0.1);
  Rng rng(1);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(ids(10), ids(10), 2, 4, 0, 2);
  const fs::path path = fs::temp_directory_path() / concat("scratch_test_history_", ::getpid(), ".csv");
  trainer.save_history(path);
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  fs::remove(path);
  BOOST_TEST(content.str() ==
             "iteration,epoch,epoch_iter,iters_per_epoch,iterations_averaged,loss\n"
             "1,1,1,3,1,1\n3,1,3,3,2,2.5\n4,2,1,3,1,4\n6,2,3,3,2,5.5\n");
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_value_errors) {
  const Regression data = make_regression(10);
  LinearRegression model(3, 2, 3);
  SGD sgd(0.1);
  Rng rng(1);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  BOOST_CHECK_THROW(trainer.fit(data.x, data.t, 1, 0), ValueError);
  BOOST_CHECK_THROW(trainer.fit(data.x, data.t, 1, 11), ValueError);
  BOOST_CHECK_THROW(trainer.fit(data.x, data.t, 0, 4), ValueError);
  BOOST_CHECK_THROW(trainer.fit(data.x, data.t, 1, 4, -1), ValueError);
  BOOST_CHECK_THROW(trainer.fit(data.x, data.t, 1, 4, std::numeric_limits<Scalar>::quiet_NaN()), ValueError);
  BOOST_CHECK_THROW(trainer.fit(data.x, data.t, 1, 4, 0, -1), ValueError);
  BOOST_CHECK_THROW(trainer.fit(data.x, Tensor::zeros({9, 2})), ShapeError);
  try {
    trainer.fit(data.x, data.t, 1, 11);
  } catch (const ValueError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "Trainer.fit: batch_size is 11 but must be between 1 and the data set's 10 samples");
  }
  BOOST_TEST(trainer.iterations() == 0u);  // nothing ran
}

BOOST_AUTO_TEST_CASE(plot_draws_the_history) {
  CountingModel model;
  SGD sgd(0.1);
  Trainer trainer(model, sgd);
  trainer.set_log(nullptr);
  trainer.fit(ids(10), Tensor::zeros({10}), 2, 2, 0, 2);  // losses 1 … 10 averaged in pairs
  const fs::path dir = fs::temp_directory_path() / ("scratch_trainer_plot_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const PlotResult result = trainer.plot(dir / "loss.png");
  // The CSV holds one row per history point (after its header): the averages the trainer logged.
  std::ifstream csv(result.csv);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(csv, line)) rows.push_back(line);
  BOOST_TEST(rows.size() == trainer.history().points().size() + 1);
  BOOST_TEST(fs::exists(result.script));
  BOOST_TEST(fs::exists(result.png) == result.rendered);
  if (plot_detail::find_executable(plot_detail::gnuplot_command()).has_value()) {  // with gnuplot, a real PNG
    BOOST_TEST(result.rendered, result.message);
    std::ifstream png(result.png, std::ios::binary);
    char signature[8] = {};
    png.read(signature, 8);
    BOOST_TEST(std::string(signature + 1, 3) == "PNG");
  }
  // Each row ends with the history's loss at that point.
  const std::vector<double> losses = trainer.history().losses();
  for (std::size_t k = 1; k < rows.size() && k <= losses.size(); ++k)
    BOOST_TEST(std::stod(rows[k].substr(rows[k].rfind(',') + 1)) == losses[k - 1], rows[k]);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(fit_puts_the_model_in_training_mode) {
  CountingModel model;
  model.set_mode(Mode::kInference);  // say, after measuring the test accuracy
  SGD sgd(0.1);
  Rng rng(3);
  Trainer trainer(model, sgd, rng);
  trainer.set_log(nullptr);
  trainer.fit(ids(10), ids(10), 1, 5, 0, 0);
  BOOST_TEST((model.mode() == Mode::kTrain));
}

BOOST_AUTO_TEST_CASE(a_step_that_throws_comes_first_when_training_goes_on) {
  // 10 samples in batches of 3: 4 iterations per epoch. The 6th forward (epoch 2, iter 2) throws
  // once; the next fit() retries that batch in the same order, so every batch is the same as in a
  // run that never failed.
  struct FailingOnce : CountingModel {
    Scalar forward(const Tensor& x, const Tensor& t) override {
      if (++attempts == 6) throw std::runtime_error("simulated crash");
      return CountingModel::forward(x, t);
    }
    int attempts = 0;
  };
  CountingModel straight;
  SGD sgd(0.1);
  Rng rng(3);
  Trainer a(straight, sgd, rng);
  a.set_log(nullptr);
  a.fit(ids(10), ids(10), 3, 3, 0, 0);

  FailingOnce failing;
  SGD sgd2(0.1);
  Rng rng2(3);
  Trainer b(failing, sgd2, rng2);
  b.set_log(nullptr);
  BOOST_CHECK_THROW(b.fit(ids(10), ids(10), 3, 3, 0, 0), std::runtime_error);
  BOOST_TEST(b.iterations() == 5u);
  BOOST_TEST(b.current_epoch() == 1);
  b.fit(ids(10), ids(10), 3 - b.current_epoch(), 3, 0, 0);
  BOOST_TEST(failing.batches == straight.batches);
  BOOST_TEST(b.iterations() == a.iterations());
  BOOST_TEST(rng2.state() == rng.state());
}

BOOST_AUTO_TEST_SUITE_END()
